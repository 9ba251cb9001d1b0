"""The rule families. Importing this package registers every rule."""

from __future__ import annotations

import ast
import dataclasses
import logging
from typing import Sequence

from ..analysis.inference import Level
from ..analysis.inference.facade import InferenceUnavailable
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
    try:
        ctx = _run(tree, settings, filename, lines)
    except InferenceUnavailable as error:
        # A lower level never finds more than a higher one: the syntax alone
        # keeps the findings that need no inference.
        logging.getLogger(__name__).warning(
            "flake8-async-tasks: no inference for %s (%s); syntactic checks only", filename, error
        )
        ctx = _run(tree, dataclasses.replace(settings, inference=Level.OFF), filename, lines)
    return sorted(ctx.findings, key=lambda f: (f.line, f.col, f.message))


def _run(tree: ast.Module, settings: Settings, filename: str, lines: Sequence[str] | None) -> FileContext:
    ctx = FileContext(tree, settings, filename, lines)
    try:
        for family in FAMILIES:
            family(ctx).run()
    finally:
        ctx.inference.close()
    return ctx
