"""The rule catalogue: one class per rule, one table from code to rule.

A rule's docstring is its user documentation and its attributes are its
metadata. The flake8 message, ``python -m flake8_async_tasks explain`` and the
pages under ``docs/rules/`` are all rendered from the same class, so they
cannot disagree.
"""

from __future__ import annotations

import inspect
from typing import ClassVar, TypeVar


class Rule:
    """Base class of every rule; subclasses are registered with :func:`register`."""

    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]
    enabled_by_default: ClassVar[bool] = True

    @classmethod
    def format(cls, **fields: str) -> str:
        """The one-line flake8 message, code first."""
        return f"{cls.code} {cls.message.format(**fields)}"

    @classmethod
    def doc(cls) -> str:
        """The full Markdown documentation, from the class docstring."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def section(cls, title: str) -> str:
        """The text of one ``## title`` section of the documentation."""
        parts = ("\n" + cls.doc()).split("\n## ")
        for part in parts[1:]:
            heading, _, body = part.partition("\n")
            if heading.strip() == title:
                return body.strip()
        return ""

    @classmethod
    def summary(cls) -> str:
        """The first paragraph of "What it does", on one line, for indexes."""
        return " ".join(cls.section("What it does").split("\n\n", 1)[0].split())


RULES: dict[str, type[Rule]] = {}

R = TypeVar("R", bound=type[Rule])


def register(rule: R) -> R:
    """Class decorator that adds a rule to :data:`RULES`, refusing duplicates."""
    for other in RULES.values():
        if other.code == rule.code or other.name == rule.name:
            raise ValueError(f"rule {rule.code} {rule.name} is registered twice")
    RULES[rule.code] = rule
    return rule


def rules() -> list[type[Rule]]:
    """All rules in code order (importing the checks registers them)."""
    from . import checks  # noqa: F401  (registers every family)

    return [RULES[code] for code in sorted(RULES)]


def get(code: str) -> type[Rule] | None:
    rules()
    return RULES.get(code.strip().upper())


def default_off() -> list[str]:
    """Codes of opinionated rules that flake8 ignores unless selected."""
    return [rule.code for rule in rules() if not rule.enabled_by_default]
