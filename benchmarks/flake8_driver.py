"""Run flake8 exactly as its console script does, optionally hiding plugins.

    python benchmarks/flake8_driver.py [flake8 arguments...]

``BENCH_HIDE_PLUGINS=flake8_async_tasks`` (a comma-separated list of top-level
module names) removes every plugin whose entry point lives in one of those
modules from the list that ``flake8.plugins.finder.find_plugins`` returns, so
flake8 never imports, registers or runs it: its options are not added, its
``extend_default_ignore`` is not applied, and ``flake8 --version`` does not
list it. Everything else (pyflakes, pycodestyle, mccabe, argument parsing,
file discovery, ``--jobs``) is untouched flake8.

The filter is installed at import time, not under ``__main__``, and the
variable is read from the environment, so it also holds in ``--jobs`` workers
whatever the multiprocessing start method: with ``fork`` they inherit the
parent's already filtered plugins, and with ``spawn``/``forkserver`` they
re-import this file as ``__mp_main__`` and see the same variable.

``--files-from=PATH`` (one path a line) is expanded into the argument list,
so a whole corpus can be passed without hitting the command-line limit.
"""

from __future__ import annotations

import os
import sys

from flake8.plugins import finder

HIDDEN = frozenset(name for name in os.environ.get("BENCH_HIDE_PLUGINS", "").split(",") if name)


def _entry_module(plugin: finder.Plugin) -> str:
    return plugin.entry_point.value.split(":", 1)[0].split(".", 1)[0]


if HIDDEN:
    _find_plugins = finder.find_plugins

    def _find_visible_plugins(cfg, opts):  # type: ignore[no-untyped-def]
        return [p for p in _find_plugins(cfg, opts) if _entry_module(p) not in HIDDEN]

    finder.find_plugins = _find_visible_plugins


def _expand(argv: list[str]) -> list[str]:
    out: list[str] = []
    for arg in argv:
        if arg.startswith("--files-from="):
            with open(arg.split("=", 1)[1], encoding="utf-8") as listing:
                out.extend(line.rstrip("\n") for line in listing if line.strip())
        else:
            out.append(arg)
    return out


if __name__ == "__main__":
    from flake8.main.cli import main

    raise SystemExit(main(_expand(sys.argv[1:])))
