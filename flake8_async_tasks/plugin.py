"""The flake8 entry point: the only module that knows about flake8."""

from __future__ import annotations

import ast
import logging
import sys
from typing import Any, Iterator

from . import __version__, registry
from .analysis.inference import new_run
from .checks import check
from .settings import DEFAULT, OPTIONS, ConfigError, Settings

LOG = logging.getLogger(__name__)


class Plugin:
    name = "flake8-async-tasks"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str = "", lines: list[str] | None = None) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    settings: Settings = DEFAULT

    @classmethod
    def add_options(cls, manager: Any) -> None:
        # Opinionated rules stay quiet unless selected, as flake8-bugbear's do.
        manager.extend_default_ignore(registry.default_off())
        for option in OPTIONS:
            manager.add_option(
                option.flag,
                default=option.default,
                parse_from_config=True,
                comma_separated_list=option.comma_separated,
                help=option.help,
            )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        try:
            cls.settings = Settings.from_options(options)
        except ConfigError as error:
            # One clear line and flake8's usage-error status, not a traceback.
            print(f"flake8-async-tasks: error: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        # A long-lived host (an editor) runs flake8 again in one process:
        # inference re-reads what changed on disk since the last run.
        new_run(cls.settings.cache_dir)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        if not isinstance(self.tree, ast.Module):
            return
        try:
            findings = check(self.tree, self.settings, self.filename, self.lines)
        except Exception as error:  # RecursionError included: never break the user's lint run
            LOG.warning("flake8-async-tasks skipped %s: %s: %s", self.filename, type(error).__name__, error)
            return
        for finding in findings:
            yield finding.line, finding.col, finding.message, type(self)
