"""The flake8 entry point: the only module that knows about flake8."""

from __future__ import annotations

import argparse
import ast
import configparser
import logging
import os
import sys
from typing import Any, Callable, Iterator

from .isolation import own_imports

# ``python -m flake8`` puts the checkout first on sys.path: what this
# package imports (dataclasses, asyncio, and astroid later) must not come
# from it. Every call from flake8 below is guarded the same way.
with own_imports():
    import dataclasses

    from . import __version__, registry
    from .analysis.inference import new_run, project_root
    from .checks import check
    from .settings import DEFAULT, OPTIONS, ConfigError, Settings

try:  # flake8's own selection; not a public API, so read with care (_selection)
    from flake8.style_guide import Decision, StyleGuideManager
except ImportError:  # pragma: no cover
    Decision = StyleGuideManager = None  # type: ignore[assignment,misc]

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
        with own_imports():
            cls._add_options(manager)

    @classmethod
    def _add_options(cls, manager: Any) -> None:
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
        with own_imports():
            cls._parse_options(options)

    @classmethod
    def _parse_options(cls, options: Any) -> None:
        try:
            cls.settings = dataclasses.replace(Settings.from_options(options), reported=_selection(options))
        except ConfigError as error:
            # One clear line and flake8's usage-error status, not a traceback.
            print(f"flake8-async-tasks: error: {_where(error, options)}", file=sys.stderr)
            raise SystemExit(2) from None
        # A long-lived host (an editor) runs flake8 again in one process:
        # inference re-reads what changed on disk since the last run.
        new_run(cls.settings.cache_dir)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        if not isinstance(self.tree, ast.Module):
            return
        try:
            with own_imports(project_root(self.filename)):
                findings = check(self.tree, self.settings, self.filename, self.lines)
        except Exception as error:  # RecursionError included: never break the user's lint run
            LOG.warning("flake8-async-tasks skipped %s: %s: %s", self.filename, type(error).__name__, error)
            return
        for finding in findings:
            yield finding.line, finding.col, finding.message, type(self)


def _selection(options: Any) -> Callable[[str], frozenset[str] | None]:
    """Which of this plugin's codes flake8 reports for a file, decided by
    flake8's own style guides: --select, --ignore, their --extend- forms and
    config files, the default-off rules, and --per-file-ignores for the file.
    Rules that speak for one another (AIO102 and AIO103) need it. When
    flake8's internals are not what they were, the answer is unknown (None)
    and each rule reports as if the other were off."""
    codes = [rule.code for rule in registry.rules()]
    try:
        # Only the selection is asked of it, which needs no formatter.
        manager = StyleGuideManager(options, formatter=None)  # type: ignore[arg-type]
    except Exception as error:
        LOG.debug("flake8-async-tasks cannot read flake8's selection: %s", error)
        return lambda filename: None
    found: dict[str, frozenset[str] | None] = {}

    def selected(filename: str) -> frozenset[str] | None:
        if filename not in found:
            try:
                decider = manager.style_guide_for(filename).decider
                found[filename] = frozenset(
                    code for code in codes if decider.decision_for(code) is Decision.Selected
                )
            except Exception as error:
                LOG.debug("flake8-async-tasks cannot read flake8's selection: %s", error)
                found[filename] = None
        return found[filename]

    return selected


def _where(error: ConfigError, options: Any) -> str:
    """``error``, followed by the configuration file and key when the bad value
    came from one (``...; from setup.cfg, [flake8] aio-inference``) rather than
    from the command line."""
    try:
        # flake8's own discovery of its configuration file
        from flake8.options.config import _find_config_file  # type: ignore[attr-defined]

        # flake8 reads --config, --append-config and --isolated before the
        # other options and leaves them out of ``options``: read them the same way.
        first = argparse.ArgumentParser(add_help=False)
        first.add_argument("--config")
        first.add_argument("--append-config", action="append", default=[])
        first.add_argument("--isolated", action="store_true")
        given, _ = first.parse_known_args(sys.argv[1:])
        found = None if given.isolated else given.config or _find_config_file(os.path.abspath("."))
        for path in reversed([p for p in [found, *given.append_config] if p]):  # the last read wins
            parser = configparser.RawConfigParser()
            parser.read(path, encoding="utf-8")
            for option in OPTIONS:
                for key in (option.config_name, option.dest):  # flake8 takes aio-x and aio_x
                    raw = parser.get("flake8", key) if parser.has_option("flake8", key) else None
                    if raw is not None and _error(option, raw) == str(error):
                        shown = path if os.path.relpath(path).startswith("..") else os.path.relpath(path)
                        return f"{error}; from {shown}, [flake8] {key}"
    except Exception:  # where it came from must never hide the error itself
        pass
    return str(error)


def _error(option: Any, raw: str) -> str:
    """What parsing ``raw`` from a file gives, split as flake8 splits lists."""
    from flake8.utils import parse_comma_separated_list

    try:
        option.parse(parse_comma_separated_list(raw) if option.comma_separated else raw)
    except ConfigError as error:
        return str(error)
    return ""
