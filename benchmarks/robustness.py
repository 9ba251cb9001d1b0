"""Lint a tree of real code with every rule on and prove the plugin neither
crashes nor hangs on it.

    python benchmarks/robustness.py                  # /work/corpus
    python benchmarks/robustness.py --stdlib         # this interpreter's stdlib, test/ included
    python benchmarks/robustness.py PATH... --findings out.tsv --jobs 2

Each file is parsed as flake8 parses it, then, in the same process, the
plugin's analysis (``flake8_async_tasks.checks.check``) is timed on its own and
``Plugin(tree, filename).run()`` is drained to confirm nothing escapes it.
Plugin time is CPU time (``time.process_time``) of ``check()``, wall time
beside it: on a shared machine other processes inflate wall time, not CPU
time. A file whose first timing exceeds a quarter of ``--slow`` is timed
twice more and the best of the three is kept. Inference caches what it read
of imported modules across files, as it does within one flake8 process, so a
file that is the first to import a big package pays for building it. Every
rule is enabled (the off-by-default ones included, since ``check`` reports all
of them and only flake8's selection hides some), and inference is
set to its fullest level when the ``--aio-inference`` option exists.

A per-file timer (SIGALRM) turns a hang into a reported timeout instead of a
stuck run. The exit status is 1 when any file raised, timed out or needed
more than ``--slow`` seconds of plugin time, else 0.

Files that do not parse (Python 2 samples, deliberately broken test inputs)
are the input's problem: flake8 reports E999 for them without running
plugins, so they are counted and skipped.
"""

from __future__ import annotations

import argparse
import ast
import collections
import inspect
import io
import logging
import os
import signal
import sys
import sysconfig
import time
import tokenize
import traceback
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ROOT = Path("/work/corpus")


class Timeout(BaseException):
    """Raised by the alarm; a BaseException so the plugin's own
    ``except Exception`` cannot swallow it."""


@dataclass
class Result:
    path: str
    lines: int = 0
    status: str = "ok"  # ok | unparsable | error | timeout
    seconds: float = 0.0  # check() CPU time (process_time): what the plugin costs
    wall: float = 0.0  # check() wall time, which machine load inflates
    findings: list[tuple[int, int, str]] = field(default_factory=list)  # line, col, message
    error: str = ""
    run_error: str = ""  # something escaped Plugin.run()
    run_skipped: str = ""  # Plugin.run() logged that it gave up on the file
    run_count: int = -1  # findings yielded by Plugin.run()


def full_settings():
    """Settings with every option at its default, inference at its fullest."""
    from flake8_async_tasks.settings import OPTIONS, Settings

    values = {}
    for option in OPTIONS:
        value = option.default
        if option.flag == "--aio-inference":
            value = "full" if "full" in option.choices or not option.choices else option.default
        values[option.dest] = value
    return Settings.from_options(argparse.Namespace(**values))


def describe_settings(settings) -> str:
    from flake8_async_tasks.settings import OPTIONS

    shown = []
    for option in OPTIONS:
        name = option.dest.removeprefix("aio_")
        value = getattr(settings, name, getattr(settings, "extra", {}).get(name))
        shown.append(f"{option.flag}={','.join(value) if isinstance(value, tuple) else value}")
    return " ".join(shown) or "(the plugin has no --aio- options yet)"


_SETTINGS = None


class _SkipLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _init_worker(recursion_limit: int | None) -> None:
    global _SETTINGS
    if recursion_limit:
        sys.setrecursionlimit(recursion_limit)
    warnings.simplefilter("ignore")  # SyntaxWarnings of odd test files
    _SETTINGS = full_settings()
    from flake8_async_tasks.plugin import Plugin

    Plugin.settings = _SETTINGS


def _alarm(signum, frame):
    raise Timeout()


def lint_file(path: str, timeout: float, retime: float = 0.25) -> Result:
    from flake8_async_tasks.checks import check
    from flake8_async_tasks.plugin import Plugin

    result = Result(path)
    try:
        source = Path(path).read_bytes()
        result.lines = source.count(b"\n") + 1
        # flake8 compiles the decoded text with PyCF_ONLY_AST; ast.parse of
        # the bytes honours the coding cookie the same way.
        tree = ast.parse(source, filename=path)
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        lines = source.decode(encoding).splitlines(keepends=True)
    except (SyntaxError, ValueError, UnicodeDecodeError, MemoryError, RecursionError, LookupError) as error:
        result.status = "unparsable"
        result.error = f"{type(error).__name__}: {error}"
        return result
    # What flake8 hands the plugin, so that inference follows imports as it
    # does in a real run.
    accepted = inspect.signature(check).parameters
    context = {k: v for k, v in (("filename", path), ("lines", lines)) if k in accepted}

    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            findings = check(tree, _SETTINGS, **context)
        finally:
            result.wall = time.perf_counter() - start
            result.seconds = time.process_time() - cpu
        result.findings = [(f.line, f.col, f.message) for f in findings]
        # The garbage collector and other processes make single timings
        # noisy: a file that looks slow is timed twice more, keeping the best.
        for _ in range(2 if result.seconds > retime else 0):
            start, cpu = time.perf_counter(), time.process_time()
            check(tree, _SETTINGS, **context)
            result.wall = min(result.wall, time.perf_counter() - start)
            result.seconds = min(result.seconds, time.process_time() - cpu)
    except Timeout:
        result.status = "timeout"
        result.error = f"no answer after {timeout:g} s"
        return result
    except BaseException as error:  # the point is to see everything
        result.status = "error"
        result.error = "".join(traceback.format_exception(error)).strip()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)

    # The flake8 entry point must never raise, whatever check() did.
    handler = _SkipLog()
    logger = logging.getLogger("flake8_async_tasks")
    logger.addHandler(handler)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        produced = list(_plugin(Plugin, tree, path, lines).run())
        result.run_count = len(produced)
        for item in produced:
            if not (isinstance(item, tuple) and len(item) == 4 and isinstance(item[0], int)
                    and isinstance(item[1], int) and isinstance(item[2], str)):
                result.run_error = f"malformed result {item!r}"
                break
    except Timeout:
        if result.status == "ok":
            result.status = "timeout"
            result.error = f"Plugin.run() gave no answer after {timeout:g} s"
    except BaseException as error:
        result.run_error = f"{type(error).__name__}: {error}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        logger.removeHandler(handler)
    result.run_skipped = "; ".join(handler.messages)
    return result


def _plugin(plugin_class, tree, path, lines):
    accepted = inspect.signature(plugin_class).parameters
    return plugin_class(tree, **{k: v for k, v in (("filename", path), ("lines", lines)) if k in accepted})


def _lint_many(paths: list[str], timeout: float, retime: float) -> list[Result]:
    return [lint_file(p, timeout, retime) for p in paths]


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def collect(roots: list[Path], stdlib: bool) -> list[str]:
    files: list[str] = []
    for root in roots:
        if root.is_file():
            files.append(str(root))
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(
                d for d in dirnames
                if not d.startswith(".") and d != "__pycache__"
                and not (stdlib and Path(dirpath) == root and d in ("site-packages", "dist-packages"))
            )
            files.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help=f"trees or files (default {DEFAULT_ROOT})")
    parser.add_argument("--stdlib", action="store_true",
                        help="lint the running interpreter's standard library, test/ included")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a file counts as a hang")
    parser.add_argument("--slow", type=float, default=1.0, help="plugin seconds that count as too slow")
    parser.add_argument("--top", type=int, default=10, help="how many of the slowest files to list")
    parser.add_argument("--findings", type=Path, help="write every finding as path:line:col<TAB>message")
    parser.add_argument("--recursion-limit", type=int, default=None,
                        help="sys.setrecursionlimit in the workers (default: the interpreter's)")
    args = parser.parse_args(argv)

    roots = list(args.paths)
    if args.stdlib:
        roots.append(stdlib_root())
    if not roots:
        roots = [DEFAULT_ROOT]
    files = collect(roots, args.stdlib)

    # Big files first so that one straggler does not end the run alone.
    files.sort(key=lambda p: -os.path.getsize(p))
    chunks = [files[i::max(1, args.jobs) * 8] for i in range(max(1, args.jobs) * 8)]
    started = time.perf_counter()
    results: list[Result] = []
    if args.jobs <= 1:
        _init_worker(args.recursion_limit)
        results = _lint_many(files, args.timeout, args.slow / 4)
    else:
        with ProcessPoolExecutor(args.jobs, initializer=_init_worker,
                                 initargs=(args.recursion_limit,)) as pool:
            n = len(chunks)
            for chunk in pool.map(_lint_many, chunks, [args.timeout] * n, [args.slow / 4] * n):
                results.extend(chunk)
    wall = time.perf_counter() - started
    results.sort(key=lambda r: r.path)
    return report(results, roots, args, wall)


def report(results: list[Result], roots: list[Path], args: argparse.Namespace, wall: float) -> int:
    import flake8_async_tasks

    _init_worker(None)
    checked = [r for r in results if r.status != "unparsable"]
    unparsable = [r for r in results if r.status == "unparsable"]
    errors = [r for r in results if r.status == "error"]
    timeouts = [r for r in results if r.status == "timeout"]
    escaped = [r for r in results if r.run_error]
    skipped = [r for r in results if r.run_skipped]
    slow = [r for r in checked if r.seconds > args.slow]
    per_rule = collections.Counter(m.split(" ", 1)[0] for r in results for _, _, m in r.findings)
    total_time = sum(r.seconds for r in checked)
    mismatched = [r for r in checked
                  if r.status == "ok" and not r.run_error and r.run_count != len(r.findings)]

    print(f"flake8-async-tasks {flake8_async_tasks.__version__}, Python {sys.version.split()[0]}, "
          f"{describe_settings(_SETTINGS)}")
    print(f"roots: {', '.join(map(str, roots))}")
    print(f"files: {len(results)} ({len(checked)} checked, {len(unparsable)} unparsable and skipped), "
          f"{sum(r.lines for r in checked):,} lines, wall {wall:.1f} s with {args.jobs} jobs")
    print(f"findings: {sum(per_rule.values())} in {sum(1 for r in results if r.findings)} files")
    for code in sorted(per_rule):
        print(f"  {code}: {per_rule[code]}")
    print(f"exceptions from check(): {len(errors)}")
    for r in errors:
        print(f"  {r.path}\n    " + r.error.replace("\n", "\n    "))
    print(f"exceptions escaping Plugin.run(): {len(escaped)}")
    for r in escaped:
        print(f"  {r.path}: {r.run_error}")
    print(f"files Plugin.run() skipped (logged a warning): {len(skipped)}")
    for r in skipped:
        print(f"  {r.path}: {r.run_skipped}")
    print(f"Plugin.run() and check() disagreeing on the count: {len(mismatched)}")
    print(f"timeouts (> {args.timeout:g} s): {len(timeouts)}")
    for r in timeouts:
        print(f"  {r.path}: {r.error}")
    mean_ms = 1000 * total_time / max(1, len(checked))
    print(f"plugin CPU time: total {total_time:.1f} s, mean {mean_ms:.2f} ms/file"
          f" (wall {sum(r.wall for r in checked):.1f} s); files over {args.slow:g} s of CPU: {len(slow)}")
    print(f"slowest {args.top} (CPU, wall):")
    for r in sorted(checked, key=lambda r: -r.seconds)[: args.top]:
        print(f"  {r.seconds * 1000:8.1f} ms {r.wall * 1000:8.1f} ms  {r.lines:6d} lines  {r.path}")
    if args.findings:
        with args.findings.open("w", encoding="utf-8") as out:
            for r in results:
                for line, col, message in r.findings:
                    out.write(f"{r.path}:{line}:{col + 1}\t{message}\n")
        print(f"findings written to {args.findings}")
    failed = errors or timeouts or escaped or slow or mismatched
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
