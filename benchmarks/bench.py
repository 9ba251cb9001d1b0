"""How much flake8-async-tasks costs, measured side by side in one run.

    python benchmarks/bench.py                      # quick: fixed sample of 800 files, 3 repeats
    python benchmarks/bench.py --full               # the whole corpus
    python benchmarks/bench.py --files 200 --repeat 5 --jobs 1
    python benchmarks/bench.py --only floor --profile 25

Needs only the standard library and flake8 (plus the plugin, installed in the
running interpreter). The corpus defaults to /work/corpus; fetch it with
``bash ../shared/corpus/fetch.sh /work/corpus`` from the repository root.

What it prints
--------------
1. flake8 with its default checks, without vs with the plugin: CPU time
   (user + sys of the flake8 process and its ``--jobs`` workers) and the
   ratio with/without. Every figure is CPU time, never wall time: on a
   shared machine wall time counts the other processes' turns too. Each
   configuration runs once untimed (to warm the page cache), then
   ``--repeat`` rounds follow, each running every configuration once, in
   alternating order (A B, B A, A B, ...), so drift on the machine hits
   both sides alike. Medians are reported, with the range of the
   per-round ratios.
2. The plugin's own time against the physical floor, in one fresh Python
   process per inference level (so no level inherits another's caches): each
   file is parsed once with ``ast.parse``; then ``flake8_async_tasks.checks
   .check(tree, ...)``, called as the plugin calls it, and one bare
   ``for _ in ast.walk(tree): pass`` over the same tree are timed alternately
   ``--repeat`` times, and the per-file medians are summed. The ratio
   plugin/walk is printed with the ten slowest files, and so is the total of
   each file's first call (what one flake8 pass pays, caches included).
3. Peak memory: the largest peak resident set size (``VmHWM``) of any one
   process of a flake8 run (the main process or one of its workers), which
   each process reports as it exits. The same report carries the CPU time
   spent inside ``Plugin.run``: the plugin's direct cost measured inside the
   very runs being compared, much less noisy on a busy machine than the
   difference of two runs (which also includes import and garbage
   collection, and is printed first).
4. Inference levels (issue 3): when ``flake8 --help`` shows ``--aio-inference``,
   sections 1 and 2 are repeated for every level it accepts, and section 2
   also counts the files for which astroid was used at all. Until then it
   says that the option is not available yet. Search for "INFERENCE HOOK".
5. The editor case: flake8 started once per file (``--editor-files`` files of
   the sample, one process each, every configuration in every round), as an
   editor integration runs it on save. Here one-time costs (importing the
   plugin and astroid, building what inference keeps per process) are paid
   on every file, so the added milliseconds per file are printed.
6. The summary cache (issue 15): every configuration with the plugin runs with
   a cold cache (a new, empty directory for every run: what a first run or a
   CI job without a kept cache pays); the default level also runs with a warm
   one (one directory kept across its runs, filled by an untimed run first:
   what every later run, editor save or pre-commit pays). The user's own cache
   is never used: the in-process sections get a temporary one.

How "without the plugin" is made honest
---------------------------------------
Both sides run the same tiny driver, ``benchmarks/flake8_driver.py``, in a
subprocess of the same interpreter with the same arguments (``--isolated``,
the same ``--jobs``, the same file list). For the "without" side the
environment variable ``BENCH_HIDE_PLUGINS=flake8_async_tasks`` makes the
driver drop every plugin whose entry point lives in ``flake8_async_tasks``
from what ``flake8.plugins.finder.find_plugins`` returns, so flake8 never
imports or runs it. Before timing, the script checks both sides on two
small files with a dropped task: the "without" side must print no AIO finding
and its ``--version`` must not list the plugin; the "with" side must do both.
The timed runs' output is kept in a temporary file and counted, and the run
fails if the "without" side printed any AIO code.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import cProfile
import dataclasses
import datetime as dt
import hashlib
import inspect
import io
import json
import os
import platform
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "flake8_driver.py"
FETCH_SCRIPT = HERE.parent.parent / "shared" / "corpus" / "fetch.sh"
DEFAULT_CORPUS = Path("/work/corpus")
PYCACHE = Path(tempfile.gettempdir()) / "aio-bench-pycache"  # bytecode of the flake8 runs
CACHE_ENV = "FLAKE8_ASYNC_TASKS_CACHE_DIR"  # the plugin's summary cache (set per run: see cache_dir)
PLUGIN_MODULE = "flake8_async_tasks"
PLUGIN_DIST = "flake8-async-tasks"
INFERENCE_FLAG = "--aio-inference"

# Issue targets, printed next to the figures.
TARGET_OVERHEAD = 0.03  # plugin adds at most 3% to flake8's CPU time (inference off)
TARGET_OVERHEAD_INFERENCE = 0.10  # ... at most 10% at the default level, project (and local)
TARGET_OVERHEAD_FULL = 0.25  # ... and at most 25% at full, which reads installed packages too
TARGET_OVERHEAD_WARM = 0.05  # ... at most 5% at the default level with a warm summary cache (issue 15)
TARGET_FLOOR_RATIO = 3.0  # plugin within 3x of one bare ast.walk

CANARY = "import asyncio\n\n\nasync def main():\n    asyncio.create_task(main())\n"
AIO_CODE = re.compile(rb":\d+:\d+: AIO\d{3} ")


# --------------------------------------------------------------------- files


def find_py_files(root: Path) -> list[Path]:
    """Every ``.py`` file under ``root``, skipping hidden folders, sorted."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(folder, name) for name in files if name.endswith(".py"))
    return sorted(found)


def sample_files(files: Sequence[Path], root: Path, n: int | None) -> list[Path]:
    """A deterministic sample of ``n`` files: the first ``n`` by a hash of
    their path relative to ``root``, so the same corpus gives the same sample
    on every machine. ``None`` (or ``n`` >= len) means all files."""
    if n is None or n >= len(files):
        return list(files)

    def key(path: Path) -> str:
        return hashlib.sha256(path.relative_to(root).as_posix().encode()).hexdigest()

    return sorted(sorted(files, key=key)[:n])


def editor_sample(paths: Sequence[Path], n: int) -> list[Path]:
    """``n`` files spread evenly over the sizes in ``paths`` (the 10th, 30th,
    50th, ... percentile by bytes for ``n`` = 5): a typical mix of what a
    developer saves, not only the small files that dominate a corpus."""
    by_size = sorted(paths, key=lambda p: (p.stat().st_size, str(p)))
    if n >= len(by_size):
        return by_size
    return [by_size[int((i + 0.5) * len(by_size) / n)] for i in range(n)]


def plugin_fingerprint() -> str:
    """A short hash of the plugin's source files as they are on disk now,
    and the checkout's commit: an editable install runs whatever is on disk,
    so a change during the run would mix two versions in one table."""
    import flake8_async_tasks

    package = Path(flake8_async_tasks.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    commit = subprocess.run(["git", "-C", str(package.parent), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return f"{digest.hexdigest()[:12]} (files under {package}; git HEAD {commit or '?'})"


def count_lines(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += sum(1 for _ in handle)
    return total


# ------------------------------------------------------------------- machine


def machine_info(python: str = sys.executable) -> dict[str, str]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 1
    version = subprocess.run(
        [python, str(DRIVER), "--version"], capture_output=True, text=True, check=True
    ).stdout
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": f"{usable} usable (nproc), {os.cpu_count()} online",
        "cpu": model or platform.processor() or "?",
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()} ({python})",
        "flake8": " ".join(version.split()),
        "load average": load,
    }


# --------------------------------------------------------- flake8 subprocess


@dataclass(frozen=True)
class Config:
    """One way of running flake8."""

    label: str
    plugin: bool
    args: tuple[str, ...] = ()
    pythonpath: str | None = None  # another checkout of the plugin (--compare-with)
    # The summary cache (issue 15): "cold" gives every run a new, empty cache
    # directory (what a first run or a CI job without a kept cache pays);
    # "warm" keeps one directory for the configuration, filled by an untimed
    # run before the timed rounds (what every later run pays).
    cache: str = "cold"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.pythonpath is not None:
            env["PYTHONPATH"] = self.pythonpath
        env.pop("BENCH_HIDE_PLUGINS", None)
        if not self.plugin:
            env["BENCH_HIDE_PLUGINS"] = PLUGIN_MODULE
        # Installed packages run from cached bytecode. Where the environment
        # forbids writing it (PYTHONDONTWRITEBYTECODE), an editable install
        # would be compiled afresh in every process, a cost no user of a
        # wheel pays; so bytecode goes to a cache outside the checkout.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
        return env


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds, the flake8 process and its workers
    maxrss_kb: int  # largest peak RSS (VmHWM) of any one process of the run
    output_lines: int
    aio_lines: int
    plugin_cpu: float = 0.0  # CPU seconds inside Plugin.run, summed over the processes
    gc: float = 0.0  # seconds in garbage collections, summed over the processes


def cache_dir(config: Config, workdir: Path) -> Path:
    """The summary cache directory of one run of ``config``: a kept one for
    a warm configuration, an emptied one for a cold one (never the user's)."""
    if config.cache == "warm":
        return workdir / ("cache-warm-" + re.sub(r"[^A-Za-z0-9]+", "-", config.label))
    cold = workdir / "cache-cold"
    shutil.rmtree(cold, ignore_errors=True)
    return cold


def run_flake8(
    config: Config,
    paths: Sequence[Path],
    jobs: int,
    workdir: Path,
    python: str = sys.executable,
) -> Run:
    """Run flake8 once on ``paths`` through the driver and measure it.

    ``os.wait4`` gives the child's resource usage including the workers it
    waited for (flake8 joins its pool), so CPU time covers every process of
    the run. Peak memory and the plugin's own CPU time come from the lines
    the driver's processes write to ``BENCH_REPORT`` as they exit (see
    ``flake8_driver.py`` for why ``ru_maxrss`` is not used).
    """
    listing = workdir / "files.txt"
    listing.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    out_path, err_path = workdir / "stdout.txt", workdir / "stderr.txt"
    report_path = workdir / "report.txt"
    report_path.unlink(missing_ok=True)
    env = {**config.env(), "BENCH_REPORT": str(report_path), CACHE_ENV: str(cache_dir(config, workdir))}
    cmd = [python, str(DRIVER), "--isolated", f"--jobs={jobs}", *config.args, f"--files-from={listing}"]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                cwd=workdir, env=env, start_new_session=True)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: take flake8 and its workers down too
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            raise
        wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1 only means "findings were reported"
        detail = err_path.read_text(errors="replace").strip().splitlines()[-20:]
        raise RuntimeError(f"flake8 ({config.label}) exited with {code}:\n" + "\n".join(detail))
    output_lines = aio_lines = 0
    with open(out_path, "rb") as output:  # streamed: the corpus's output is tens of MB
        for line in output:
            output_lines += 1
            aio_lines += AIO_CODE.search(line) is not None
    processes = [line.split() for line in report_path.read_text().splitlines() if line.strip()]
    if not processes:
        raise RuntimeError(f"flake8 ({config.label}) wrote no report to {report_path}")
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss_kb=max(int(fields[1]) for fields in processes),
        output_lines=output_lines,
        aio_lines=aio_lines,
        plugin_cpu=sum(float(fields[2]) for fields in processes),
        gc=sum(float(fields[3]) for fields in processes if len(fields) > 3),
    )


def verify_configs(jobs: int, workdir: Path, python: str = sys.executable) -> None:
    """Prove that "without" really runs without the plugin and "with" with it,
    on two files (so ``--jobs`` > 1 really starts workers)."""
    canary_dir = workdir / "canary"
    canary_dir.mkdir(exist_ok=True)
    files = []
    for name in ("a.py", "b.py"):
        (canary_dir / name).write_text(CANARY, encoding="utf-8")
        files.append(canary_dir / name)
    for plugin in (False, True):
        config = Config("with" if plugin else "without", plugin, ("--select=AIO",))
        version = subprocess.run([python, str(DRIVER), "--version"], capture_output=True, text=True,
                                 env=config.env(), check=True).stdout
        listed = PLUGIN_DIST in version
        run = run_flake8(config, files, jobs, workdir, python)
        if listed != plugin or (run.aio_lines > 0) != plugin:
            raise RuntimeError(
                f"the {config.label!r} side is not what it claims: --version lists the plugin: {listed}; "
                f"AIO findings on the canary files: {run.aio_lines}"
            )


def inference_levels() -> list[str]:
    """The ``--aio-inference`` levels, from the plugin itself."""
    from flake8_async_tasks.analysis.inference import Level

    return list(Level.labels())


def settings_for(level: str | None):  # -> flake8_async_tasks.settings.Settings
    """The plugin's Settings with every option at its default, except
    ``--aio-inference`` set to ``level`` (when given), set up the way flake8
    sets them up: through ``Plugin.parse_options`` (which also tells
    inference that a new run starts)."""
    from flake8_async_tasks.plugin import Plugin
    from flake8_async_tasks.settings import OPTIONS

    namespace = argparse.Namespace(**{option.dest: option.default for option in OPTIONS})
    if level is not None:
        setattr(namespace, INFERENCE_FLAG.lstrip("-").replace("-", "_"), level)
    Plugin.parse_options(namespace)
    return Plugin.settings


def default_level() -> str | None:
    from flake8_async_tasks.settings import OPTIONS

    for option in OPTIONS:
        if option.flag == INFERENCE_FLAG:
            return str(option.default)
    return None


class AstroidProbe:
    """Counts, per file, whether astroid built a module or inferred a node.

    It wraps two astroid entry points that any use of astroid goes through:
    ``TreeRebuilder.visit_module`` (every astroid module built, from source or
    from an ``ast`` tree) and ``NodeNG.infer`` (every inference). It is a
    measurement aid for this benchmark only.
    """

    def __init__(self) -> None:
        self.calls = 0
        self._undo: list[Callable[[], None]] = []

    @contextlib.contextmanager
    def installed(self) -> Iterator[AstroidProbe]:
        try:
            from astroid import nodes, rebuilder
        except ImportError:
            yield self
            return
        for owner, name in ((rebuilder.TreeRebuilder, "visit_module"), (nodes.NodeNG, "infer")):
            original = owner.__dict__[name]

            def counting(*args, __original=original, **kwargs):  # type: ignore[no-untyped-def]
                self.calls += 1
                return __original(*args, **kwargs)

            setattr(owner, name, counting)
            self._undo.append(lambda o=owner, n=name, f=original: setattr(o, n, f))
        try:
            yield self
        finally:
            for undo in reversed(self._undo):
                undo()
            self._undo.clear()


# ------------------------------------------------------- in-process: floor


@dataclass
class FileTiming:
    path: Path
    lines: int
    walk: float  # median seconds of one bare ast.walk
    plugin: float  # median seconds of check(tree)
    first: float  # seconds of the first check(tree), the one flake8 would run
    astroid: bool = False


@dataclass
class FloorReport:
    label: str
    files: list[FileTiming] = field(default_factory=list)
    unparsable: list[Path] = field(default_factory=list)
    crashes: list[tuple[Path, str]] = field(default_factory=list)
    probed: bool = False  # whether astroid use was counted

    @property
    def walk_total(self) -> float:
        return sum(f.walk for f in self.files)

    @property
    def plugin_total(self) -> float:
        return sum(f.plugin for f in self.files)

    @property
    def first_total(self) -> float:
        return sum(f.first for f in self.files)

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        return json.dumps(data, default=str)

    @classmethod
    def from_json(cls, text: str) -> FloorReport:
        data = json.loads(text)
        return cls(
            label=data["label"],
            files=[FileTiming(**{**f, "path": Path(f["path"])}) for f in data["files"]],
            unparsable=[Path(p) for p in data["unparsable"]],
            crashes=[(Path(p), error) for p, error in data["crashes"]],
            probed=data["probed"],
        )


def parse_file(path: Path) -> tuple[ast.Module | None, list[str]]:
    """Parse as flake8 does (bytes, so the coding cookie is honoured) and
    decode the lines as flake8 hands them to plugins (line ends kept); the
    tree is ``None`` for a file flake8 would report as E999 without running
    plugins."""
    source = path.read_bytes()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        text = source.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        text = source.decode("latin-1")
    lines = text.splitlines(keepends=True)
    try:
        return ast.parse(source, filename=str(path)), lines
    except (SyntaxError, ValueError):
        return None, lines


def _check_function():
    """``check`` with the arguments the plugin gives it (older versions took
    only the tree and the settings)."""
    from flake8_async_tasks.checks import check

    accepted = inspect.signature(check).parameters
    if "filename" in accepted and "lines" in accepted:
        return check
    return lambda tree, settings, filename, lines: check(tree, settings)


def plugin_vs_floor(paths: Sequence[Path], repeat: int, level: str | None = None,
                    label: str = "default") -> FloorReport:
    """Time ``check(tree, settings, filename, lines)``, called as the plugin
    calls it, against one bare ``ast.walk`` on the same trees.

    Files are visited once each, in order, as a flake8 worker would: the first
    call per file sees the process-wide caches (astroid's imported modules)
    exactly as warm as flake8 would; later repeats find them warmer, so both
    the first-call total and the median are reported.
    """
    check = _check_function()
    settings = settings_for(level)
    report = FloorReport(label)
    probe = AstroidProbe()
    use_probe = getattr(settings, "inference", "off") != "off"
    report.probed = use_probe
    timer = time.process_time
    with probe.installed() if use_probe else contextlib.nullcontext(probe):
        for path in paths:
            tree, lines = parse_file(path)
            if tree is None:
                report.unparsable.append(path)
                continue
            walks, checks = [], []
            before = probe.calls
            crashed = None
            for _ in range(repeat):
                start = timer()
                for _node in ast.walk(tree):
                    pass
                middle = timer()
                try:
                    check(tree, settings, str(path), lines)
                except Exception as error:  # reported, not hidden
                    crashed = f"{type(error).__name__}: {error}"
                end = timer()
                walks.append(middle - start)
                checks.append(end - middle)
            if crashed:
                report.crashes.append((path, crashed))
            report.files.append(FileTiming(
                path=path,
                lines=len(lines),
                walk=statistics.median(walks),
                plugin=statistics.median(checks),
                first=checks[0],
                astroid=probe.calls > before,
            ))
    return report


def floor_in_fresh_process(paths: Sequence[Path], repeat: int, level: str | None, label: str,
                           workdir: Path, python: str = sys.executable) -> FloorReport:
    """:func:`plugin_vs_floor` in a new interpreter, so that each level pays
    its own one-time costs (importing astroid, process-wide caches) as one
    flake8 worker would, instead of inheriting the previous level's caches."""
    listing = workdir / "floor-files.txt"
    listing.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    cmd = [python, str(Path(__file__).resolve()), f"--floor-worker={level or ''}", f"--label={label}",
           "--repeat", str(repeat), "--files-list", str(listing)]
    done = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"floor worker ({label}) exited with {done.returncode}:\n{done.stderr[-3000:]}")
    return FloorReport.from_json(done.stdout)


def profile_plugin(paths: Sequence[Path], level: str | None, top: int) -> str:
    """cProfile of ``check`` over the files (parsing excluded), top functions
    by cumulative time."""
    check = _check_function()
    settings = settings_for(level)
    profiler = cProfile.Profile()
    errors: list[str] = []
    for path in paths:
        tree, lines = parse_file(path)
        if tree is None:
            continue
        profiler.enable()
        try:
            check(tree, settings, str(path), lines)
        except Exception as error:  # a profile of half-run checks misleads: say so
            errors.append(f"{path}: {type(error).__name__}: {error}")
        finally:
            profiler.disable()
    buffer = io.StringIO()
    if errors:
        buffer.write(f"WARNING: check() raised on {len(errors)} files; the profile covers only what ran. "
                     f"First: {errors[0]}\n")
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(top)
    buffer.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return buffer.getvalue()


# ----------------------------------------------------------------- printing


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def overhead(ratio: float) -> str:
    return f"{(ratio - 1) * 100:+.1f}%"


def measure_editor(configs: Sequence[Config], files: Sequence[Path], repeat: int, workdir: Path,
                   log: Callable[[str], None]) -> dict[str, list[Run]]:
    """flake8 started once per file, as an editor does on every save: per
    round, every configuration lints each file in its own process; a round's
    figures are the sums over the files."""
    runs: dict[str, list[Run]] = {c.label: [] for c in configs}
    for config in configs:  # untimed: bytecode cache and page cache (and a warm cache: every file)
        for path in files if config.cache == "warm" else files[:1]:
            run_flake8(config, [path], 1, workdir)
    for round_no in range(repeat):
        order = list(configs) if round_no % 2 == 0 else list(reversed(configs))
        for config in order:
            each = [run_flake8(config, [path], 1, workdir) for path in files]
            runs[config.label].append(Run(
                wall=sum(r.wall for r in each), cpu=sum(r.cpu for r in each),
                maxrss_kb=max(r.maxrss_kb for r in each),
                output_lines=sum(r.output_lines for r in each), aio_lines=sum(r.aio_lines for r in each),
                plugin_cpu=sum(r.plugin_cpu for r in each), gc=sum(r.gc for r in each),
            ))
        log(f"  editor round {round_no + 1}/{repeat} done")
    return runs


def measure_flake8(configs: Sequence[Config], paths: Sequence[Path], repeat: int, jobs: int,
                   workdir: Path, log: Callable[[str], None]) -> dict[str, list[Run]]:
    runs: dict[str, list[Run]] = {c.label: [] for c in configs}
    # One untimed run with the plugin at its heaviest setting (the last
    # configuration) fills the page cache and every .pyc; nothing else
    # outlives a flake8 process.
    log(f"  warm-up: {configs[-1].label}")
    run_flake8(configs[-1], paths, jobs, workdir)
    for config in configs:
        if config.cache == "warm":
            log(f"  filling the summary cache: {config.label}")
            run_flake8(config, paths, jobs, workdir)
    for round_no in range(repeat):
        order = list(configs) if round_no % 2 == 0 else list(reversed(configs))
        for config in order:
            run = run_flake8(config, paths, jobs, workdir)
            runs[config.label].append(run)
            log(f"  round {round_no + 1}/{repeat} {config.label}: wall {run.wall:.2f} s, cpu {run.cpu:.2f} s")
    return runs


def inside_share(runs: Sequence[Run]) -> float:
    """Median over the rounds of (CPU inside Plugin.run) / (the rest of the
    run's CPU): the plugin's direct cost as measured within each run."""
    return median([r.plugin_cpu / (r.cpu - r.plugin_cpu) for r in runs if r.cpu > r.plugin_cpu] or [0.0])


def print_flake8_table(runs: dict[str, list[Run]], baseline: str, out=sys.stdout) -> dict[str, float]:
    base = runs[baseline]
    base_cpu = median([r.cpu for r in base])
    width = max(len(label) for label in runs)
    print(f"{'configuration':<{width}} {'cpu s':>8} {'cpu ratio':>10} "
          f"{'paired cpu ratios':>20} {'run() cpu s':>11} {'run() share':>11} {'GC s':>6} {'peak RSS':>9} "
          f"{'AIO lines':>9}", file=out)
    ratios = {}
    for label, rs in runs.items():
        cpu = median([r.cpu for r in rs])
        paired = [r.cpu / b.cpu for r, b in zip(rs, base)]
        rss = median([r.maxrss_kb for r in rs]) / 1024
        ratios[label] = cpu / base_cpu
        print(f"{label:<{width}} {cpu:>8.2f} {cpu / base_cpu:>10.3f} "
              f"{min(paired):>9.3f}..{max(paired):<9.3f} {median([r.plugin_cpu for r in rs]):>11.2f} "
              f"{overhead(1 + inside_share(rs)):>11} {median([r.gc for r in rs]):>6.2f} {rss:>7.1f}MB "
              f"{median([r.aio_lines for r in rs]):>9.0f}",
              file=out)
    return ratios


def print_floor(report: FloorReport, top: int = 10, targeted: bool = True, out=sys.stdout) -> float:
    """``targeted``: the 3x target applies (inference off, or no such option)."""
    walk, plugin = report.walk_total, report.plugin_total
    ratio = plugin / walk if walk else float("nan")
    n = len(report.files)
    print(f"[{report.label}] {n} files parsed ({len(report.unparsable)} unparsable, skipped as flake8 does)",
          file=out)
    print(f"  bare ast.walk  total {walk:8.3f} s", file=out)
    verdict = "met" if ratio <= TARGET_FLOOR_RATIO else "MISSED"
    print(f"  plugin check() total {plugin:8.3f} s   ratio plugin/walk {ratio:.2f}x "
          + (f"(target <= {TARGET_FLOOR_RATIO:.0f}x: {verdict})" if targeted
             else f"(the <= {TARGET_FLOOR_RATIO:.0f}x target is for inference off)"), file=out)
    first = report.first_total
    print(f"  first call per file  {first:8.3f} s   ratio {first / walk if walk else float('nan'):.2f}x "
          "(each file's first check(), caches as warm as in one flake8 pass)", file=out)
    if n:
        per_file = sorted(f.plugin / f.walk for f in report.files if f.walk > 0)
        print(f"  per-file ratio: median {median(per_file):.2f}x, 90th percentile "
              f"{per_file[int(0.9 * (len(per_file) - 1))]:.2f}x, max {per_file[-1]:.2f}x", file=out)
        print(f"  plugin time per file: median {median([f.plugin for f in report.files]) * 1e3:.2f} ms, "
              f"max {max(f.plugin for f in report.files) * 1e3:.1f} ms; "
              f"files over 1 s: {sum(f.plugin > 1 for f in report.files)}", file=out)
    if report.probed:
        used = sum(f.astroid for f in report.files)
        print(f"  astroid used (module built or node inferred) in {used} of {n} files "
              f"({used / n * 100 if n else 0:.1f}%)", file=out)
    print(f"  exceptions raised by check(): {len(report.crashes)}", file=out)
    for path, error in report.crashes[:10]:
        print(f"    {path}: {error}", file=out)
    print(f"  {top} slowest files by plugin time:", file=out)
    print(f"    {'plugin ms':>9} {'walk ms':>8} {'ratio':>6} {'lines':>6}  file", file=out)
    for f in sorted(report.files, key=lambda f: f.plugin, reverse=True)[:top]:
        print(f"    {f.plugin * 1e3:>9.2f} {f.walk * 1e3:>8.2f} {f.plugin / f.walk if f.walk else 0:>6.2f} "
              f"{f.lines:>6}  {f.path}", file=out)
    return ratio


# --------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="tree of .py files (%(default)s)")
    parser.add_argument("--files", type=int, default=800,
                        help="deterministic sample size for the quick mode (%(default)s)")
    parser.add_argument("--full", action="store_true", help="every file of the corpus instead of a sample")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds per configuration (%(default)s)")
    try:
        default_jobs = len(os.sched_getaffinity(0))
    except AttributeError:
        default_jobs = os.cpu_count() or 1
    parser.add_argument("--jobs", type=int, default=default_jobs,
                        help="flake8 --jobs, the same for every configuration (default: nproc, %(default)s)")
    parser.add_argument("--only", choices=("flake8", "editor", "floor"),
                        help="run only one of the measurements")
    parser.add_argument("--editor-files", type=int, default=5, metavar="N",
                        help="files linted one flake8 process each, as an editor does (%(default)s; 0: skip)")
    parser.add_argument("--levels", metavar="L1,L2",
                        help=f"{INFERENCE_FLAG} levels to measure (default: every level the option accepts)")
    parser.add_argument("--compare-with", metavar="DIR",
                        help="also run every level with the plugin of another checkout (its directory goes "
                             "on PYTHONPATH), in the same interleaved rounds: before/after ratios side by "
                             "side")
    parser.add_argument("--profile", type=int, metavar="N", default=0,
                        help="also print a cProfile of the plugin over the files (top N functions)")
    parser.add_argument("--profile-level", metavar="LEVEL",
                        help=f"{INFERENCE_FLAG} level for --profile (default: the option's default)")
    # Internal: one plugin-vs-floor pass in a fresh interpreter, JSON on stdout.
    parser.add_argument("--floor-worker", metavar="LEVEL", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    parser.add_argument("--files-list", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.files < 1 or args.repeat < 1 or args.jobs < 1:
        parser.error("--files, --repeat and --jobs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # A plain ``kill`` unwinds like Ctrl-C, so the running flake8 is ended too.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if args.floor_worker is not None:
        paths = [Path(line) for line in args.files_list.read_text(encoding="utf-8").splitlines() if line]
        report = plugin_vs_floor(paths, args.repeat, args.floor_worker or None, args.label)
        print(report.to_json())
        return 0
    corpus = args.corpus.resolve()
    all_files = find_py_files(corpus) if corpus.is_dir() else []
    if not all_files:
        print(f"bench: no .py files under {corpus}.\n"
              f"Fetch the corpus first (about 30 s, 55 MB):\n"
              f"    bash {FETCH_SCRIPT} {corpus}", file=sys.stderr)
        return 2
    try:
        import flake8_async_tasks  # noqa: F401  (the in-process part needs it)
    except ImportError:
        print(f"bench: {PLUGIN_MODULE} is not importable from {sys.executable}; "
              "install the project in this interpreter (pip install -e .)", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    paths = sample_files(all_files, corpus, None if args.full else args.files)
    started = time.perf_counter()
    # Never the user's summary cache; flake8 runs set their own (cache_dir).
    own_cache = tempfile.TemporaryDirectory(prefix="aio-bench-cache-")
    os.environ[CACHE_ENV] = own_cache.name
    print("flake8-async-tasks benchmark")
    print("=" * 28)
    for key, value in machine_info().items():
        print(f"{key + ':':<14} {value}")
    mode = "full corpus" if len(paths) == len(all_files) else f"deterministic sample of {len(paths)}"
    print(f"{'corpus:':<14} {corpus} ({len(all_files)} .py files; {mode}: {len(paths)} files, "
          f"{count_lines(paths):,} lines)")
    print(f"{'settings:':<14} --jobs {args.jobs}, --repeat {args.repeat}")
    print(f"{'bytecode:':<14} flake8 runs use PYTHONPYCACHEPREFIX={PYCACHE} "
          "(warm after the first run, as an installed package is)")
    fingerprint = plugin_fingerprint()
    print(f"{'plugin source:':<14} sha256 {fingerprint}")
    print(f"{'command:':<14} {Path(sys.executable).name} benchmarks/bench.py "
          + " ".join(argv if argv is not None else sys.argv[1:]))

    # Which levels of --aio-inference to measure.
    levels = inference_levels()
    default = default_level()
    print()
    if args.levels:
        wanted = [level.strip() for level in args.levels.split(",") if level.strip()]
        unknown = sorted(set(wanted) - set(levels))
        if unknown:
            print(f"bench: unknown level(s) {', '.join(unknown)}; {INFERENCE_FLAG} accepts "
                  f"{', '.join(levels)}", file=sys.stderr)
            return 2
        levels = [level for level in levels if level in wanted]
    print(f"inference: `{INFERENCE_FLAG}` levels measured: {', '.join(levels)} (default: {default})")

    def level_label(level: str | None) -> str:
        if level is None:
            return "with plugin (defaults)"
        return f"with plugin, {INFERENCE_FLAG}={level}" + (" (default)" if level == default else "")

    def target_for(level: str | None) -> float:
        if level in (None, "off"):
            return TARGET_OVERHEAD
        return TARGET_OVERHEAD_FULL if level == "full" else TARGET_OVERHEAD_INFERENCE

    measured = [None] if not levels else list(levels)
    configs = [Config("without plugin", False)]
    for level in measured:
        flags = () if level is None else (f"{INFERENCE_FLAG}={level}",)
        configs.append(Config(level_label(level) + (", cold cache" if level != "off" else ""), True, flags))
    warm_levels = [level for level in measured if level == default or level is None]
    for level in warm_levels:
        flags = () if level is None else (f"{INFERENCE_FLAG}={level}",)
        configs.append(Config(level_label(level) + ", warm cache", True, flags, cache="warm"))
    if args.compare_with:
        print(f"compared with: the plugin of {args.compare_with} (rows marked 'other:')")
        for level in measured:
            flags = () if level is None else (f"{INFERENCE_FLAG}={level}",)
            configs.append(Config(f"other: {level_label(level)}", True, flags, args.compare_with))
    width = max(len(c.label) for c in configs)

    if args.only in (None, "flake8"):
        print()
        print("1+3. flake8 default checks, without vs with the plugin (medians; ratios against 'without')")
        with tempfile.TemporaryDirectory(prefix="aio-bench-") as tmp:
            workdir = Path(tmp)
            verify_configs(args.jobs, workdir)
            print("   (checked first: the 'without' side neither lists nor runs the plugin, "
                  "the 'with' side does)")
            runs = measure_flake8(configs, paths, args.repeat, args.jobs, workdir, log)
        if any(r.aio_lines for r in runs[configs[0].label]):
            raise RuntimeError("the 'without' run printed AIO findings: the plugin was loaded")
        print_flake8_table(runs, configs[0].label)
        base = runs[configs[0].label]
        base_cpu = median([r.cpu for r in base])
        for level, config in zip(measured, configs[1:]):
            cpu = median([r.cpu for r in runs[config.label]]) / base_cpu
            target = target_for(level)
            verdict = "met" if cpu - 1 <= target else "MISSED"
            inside = inside_share(runs[config.label])
            print(f"   {config.label}: adds {overhead(cpu)} cpu "
                  f"(target <= +{target * 100:.0f}%: {verdict}); run() alone, measured inside "
                  f"the same runs: {overhead(1 + inside)} cpu")
        for config in configs:
            if config.cache == "warm":
                cpu = median([r.cpu for r in runs[config.label]]) / base_cpu
                verdict = "met" if cpu - 1 <= TARGET_OVERHEAD_WARM else "MISSED"
                print(f"   {config.label}: adds {overhead(cpu)} cpu "
                      f"(target <= +{TARGET_OVERHEAD_WARM * 100:.0f}%: {verdict})")
        print("   cpu = user+sys of flake8 and its workers; run() cpu = CPU time inside Plugin.run, summed "
              "over the processes; run() share = that over the rest of the run's CPU (import and later "
              "garbage collection not included); GC s = CPU time in garbage collections, all processes; "
              "peak RSS = largest VmHWM of one process of the run "
              f"(with --jobs {args.jobs}, one process, not the sum)")

    if args.only in (None, "floor"):
        print()
        print("2. plugin check(tree) vs one bare ast.walk over the same trees "
              "(in a fresh interpreter per level; per-file medians)")
        for level in measured:
            label = "default settings" if level is None else level_label(level).removeprefix("with plugin, ")
            log(f"  floor: {label}")
            with tempfile.TemporaryDirectory(prefix="aio-bench-") as tmp:
                report = floor_in_fresh_process(paths, args.repeat, level, label, Path(tmp))
            targeted = (level is None and default in (None, "off")) or level == "off"
            print_floor(report, targeted=targeted)

    if args.only in (None, "editor") and args.editor_files:
        editor_files = editor_sample(paths, args.editor_files)
        print()
        print(f"5. one flake8 process per file, as an editor runs it on save: {len(editor_files)} files "
              f"of the sample, {count_lines(editor_files):,} lines; figures are per file (round sum / files)")
        with tempfile.TemporaryDirectory(prefix="aio-bench-") as tmp:
            runs = measure_editor(configs, editor_files, args.repeat, Path(tmp), log)
        base = runs[configs[0].label]
        base_cpu = median([r.cpu for r in base])
        n = len(editor_files)
        print(f"{'configuration':<{width}} {'cpu ms':>8} {'added cpu ms':>13} {'cpu ratio':>10} "
              f"{'peak RSS':>9}")
        for config in configs:
            rs = runs[config.label]
            cpu = median([r.cpu for r in rs])
            rss = median([r.maxrss_kb for r in rs]) / 1024
            print(f"{config.label:<{width}} {cpu / n * 1e3:>8.0f} {(cpu - base_cpu) / n * 1e3:>+13.0f} "
                  f"{cpu / base_cpu:>10.3f} {rss:>7.1f}MB")

    if args.profile:
        print()
        level = args.profile_level or default
        print(f"cProfile of check() over the same files ({level_label(level)})")
        print(profile_plugin(paths, level, args.profile))

    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    if plugin_fingerprint() != fingerprint:
        print("\nWARNING: the plugin's source changed on disk during this run; "
              "the configurations may have measured different versions")
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s; load average at the end: {load})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
