"""The rule families. Importing this package registers every rule."""

from __future__ import annotations

import ast
from typing import Sequence

from ..settings import DEFAULT, Settings
from .base import FileContext, Finding
from .coroutines import CoroutineChecks
from .tasks import TaskChecks

FAMILIES = (TaskChecks, CoroutineChecks)


def check(
    tree: ast.Module, settings: Settings = DEFAULT, filename: str = "", lines: Sequence[str] | None = None
) -> list[Finding]:
    """Every finding of every family for one parsed module, in file order.

    ``filename`` and ``lines`` (the text ``tree`` was parsed from) let
    inference follow imports; without them only this tree is read.
    """
    ctx = FileContext(tree, settings, filename, lines)
    try:
        for family in FAMILIES:
            family(ctx).run()
    finally:
        ctx.inference.close()
    return sorted(ctx.findings, key=lambda f: (f.line, f.col, f.message))
