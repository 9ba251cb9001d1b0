"""The base class of every rule.

A rule's docstring is its user documentation and its attributes are its
metadata. The flake8 message, ``python -m flake8_async_tasks explain`` and the
pages under ``docs/rules/`` are all rendered from the same class, so they
cannot disagree.
"""

from __future__ import annotations

import inspect
from typing import ClassVar


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
