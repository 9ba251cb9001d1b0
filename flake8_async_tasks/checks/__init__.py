"""The rule families. Importing this package registers every rule."""

from __future__ import annotations

from ..settings import DEFAULT, Settings
from .base import FileContext, Finding
from .coroutines import CoroutineChecks
from .tasks import TaskChecks

FAMILIES = (TaskChecks, CoroutineChecks)


def check(tree, settings: Settings = DEFAULT) -> list[Finding]:
    """Every finding of every family for one parsed module, in file order."""
    ctx = FileContext(tree, settings)
    for family in FAMILIES:
        family(ctx).run()
    return sorted(ctx.findings, key=lambda f: (f.line, f.col, f.message))
