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

``BENCH_REPORT=PATH`` makes every process of the run (flake8's main process
and each ``--jobs`` worker) append one line to PATH when it exits:
``pid peak_rss_kb plugin_cpu_s gc_s``.

- The peak is ``VmHWM`` from ``/proc/self/status``: the high-water mark of
  the process's own memory since it started flake8. (``ru_maxrss`` from
  ``wait4`` is not used for this: Linux carries the launching process's peak
  across ``exec``, so a large benchmark process would hide a small flake8.)
- The plugin CPU is the CPU time the process spent inside ``Plugin.run``
  (findings drained, as flake8 drains them), 0 when the plugin is hidden.
  Both numbers of a run then come from the same processes under the same
  load, so the plugin's share of a run is far less noisy than the difference
  of two runs. It does not see costs outside ``run`` (importing the plugin,
  garbage collections its allocations set off later); the with/without
  comparison does.
- The GC time is the CPU time (``time.process_time()``) the process spent in
  garbage collections (``gc.callbacks``), wherever they were set off: the
  plugin's share of it shows as the difference between the two sides. (Not
  wall time: on a busy machine a collection's wall time counts the other
  processes' turns too.)
"""

from __future__ import annotations

import os
import sys

from flake8 import checker
from flake8.plugins import finder

HIDDEN = frozenset(name for name in os.environ.get("BENCH_HIDE_PLUGINS", "").split(",") if name)


def _entry_module(plugin: finder.Plugin) -> str:
    return plugin.entry_point.value.split(":", 1)[0].split(".", 1)[0]


if HIDDEN:
    _find_plugins = finder.find_plugins

    def _find_visible_plugins(cfg, opts):  # type: ignore[no-untyped-def]
        return [p for p in _find_plugins(cfg, opts) if _entry_module(p) not in HIDDEN]

    finder.find_plugins = _find_visible_plugins


REPORT = os.environ.get("BENCH_REPORT")
_plugin_cpu = [0.0]
_written = [0]  # pid that wrote its line
_gc = {"spent": 0.0, "since": 0.0}


def _time_gc(phase: str, info: dict) -> None:
    import time

    if phase == "start":
        _gc["since"] = time.process_time()
    else:
        _gc["spent"] += time.process_time() - _gc["since"]


def _peak_rss_kb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: kB


def _write_report() -> None:
    # Once per process: a spawned worker leaves through both multiprocessing's
    # finalizers and atexit.
    if _written[0] == os.getpid():
        return
    _written[0] = os.getpid()
    with open(REPORT, "a", encoding="utf-8") as out:  # type: ignore[arg-type]
        out.write(f"{os.getpid()} {_peak_rss_kb()} {_plugin_cpu[0]:.6f} {_gc['spent']:.6f}\n")


_flake8_mp_init = checker._mp_init


def _worker_init(*args, **kwargs):  # type: ignore[no-untyped-def]
    """flake8's pool initializer, preceded by the exit hook. Module level, so
    that the ``spawn`` start method can pickle it by name."""
    from multiprocessing import util

    # Pool workers end through multiprocessing's own exit path, which runs
    # its finalizers but not atexit. Under fork the worker inherited the main
    # process's count: start from zero.
    _plugin_cpu[0] = 0.0
    _gc["spent"] = 0.0
    util.Finalize(None, _write_report, exitpriority=100)
    return _flake8_mp_init(*args, **kwargs)


def _install_report() -> None:
    import atexit
    import time

    import gc

    atexit.register(_write_report)  # the main process
    gc.callbacks.append(_time_gc)
    checker._mp_init = _worker_init
    if HIDDEN:
        return

    from flake8_async_tasks.plugin import Plugin

    original = Plugin.run

    def timed_run(self):  # type: ignore[no-untyped-def]
        start = time.process_time()
        results = list(original(self))
        _plugin_cpu[0] += time.process_time() - start
        return iter(results)

    Plugin.run = timed_run


if REPORT:
    _install_report()


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
