"""The rule catalogue, built from the rule families.

Each family (a module of :mod:`flake8_async_tasks.checks`) declares the rules
it reports in its checker's ``rules``; this module gathers them into one
table from code to rule, refusing two rules with the same code or name.
Adding a rule touches its class (and its family's ``rules``), its eval file
and the changelog.
"""

from __future__ import annotations

from .checks import FAMILIES
from .rule import Rule

__all__ = ["RULES", "Rule", "default_off", "get", "rules"]


def _catalogue() -> dict[str, type[Rule]]:
    table: dict[str, type[Rule]] = {}
    names: set[str] = set()
    for family in FAMILIES:
        for rule in family.rules:
            if rule.code in table or rule.name in names:
                raise ValueError(f"rule {rule.code} {rule.name} is declared twice")
            table[rule.code] = rule
            names.add(rule.name)
    return dict(sorted(table.items()))


RULES: dict[str, type[Rule]] = _catalogue()


def rules() -> list[type[Rule]]:
    """All rules in code order."""
    return list(RULES.values())


def get(code: str) -> type[Rule] | None:
    return RULES.get(code.strip().upper())


def default_off() -> list[str]:
    """Codes of opinionated rules that flake8 ignores unless selected."""
    return [rule.code for rule in rules() if not rule.enabled_by_default]
