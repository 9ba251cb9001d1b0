"""The rule families. Importing this package registers every rule."""

from __future__ import annotations

from .base import FileContext, Finding
from .coroutines import CoroutineChecks
from .tasks import TaskChecks

FAMILIES = (TaskChecks, CoroutineChecks)


def check(tree) -> list[Finding]:
    """Every finding of every family for one parsed module, in file order."""
    ctx = FileContext(tree)
    for family in FAMILIES:
        family(ctx).run()
    return sorted(ctx.findings, key=lambda f: (f.line, f.col, f.message))
