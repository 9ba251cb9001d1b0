"""Fuzzing: whatever program Python accepts, the plugin answers with
well-formed findings and raises nothing.

The default run is a small deterministic slice (derandomized, a few hundred
examples, well under a minute). A longer, randomized run is one command away:

    AIO_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py -p no:randomly

``AIO_FUZZ_EXAMPLES`` is the number of examples of the fastest strategy; the
slower ones get a fixed fraction of it (see ``_examples``). Setting it also
turns derandomization off, so every long run explores new programs; a failure
prints the example and a ``@reproduce_failure`` blob. ``AIO_FUZZ_SEEDS`` adds a
directory of real files (for instance ``/work/corpus``) to the seeds of the
mutation fuzzer.

Inputs that do not parse are the input's problem (flake8 reports E999 and
never calls plugins) and are skipped. A program that parses must give:
``check()`` returns without raising, ``Plugin.run()`` yields as many findings,
each ``(line, col, "AIOnnn message", Plugin)`` with the line inside the file and
the message on one line, and a second analysis of the same tree agrees.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import copy
import os
import re
import signal
import sys
import sysconfig
import textwrap
import time
from functools import lru_cache
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from flake8_async_tasks.checks import check
from flake8_async_tasks.plugin import Plugin
from flake8_async_tasks.settings import OPTIONS, Settings

ROOT = Path(__file__).resolve().parents[1]
_MESSAGE = re.compile(r"^AIO\d{3} [^\n]+$")
# A hang is reported as a failure instead of blocking the run.
_PER_EXAMPLE_TIMEOUT = 20.0

_LONG = os.environ.get("AIO_FUZZ_EXAMPLES")
_BASE = int(_LONG) if _LONG else 200


def _examples(share: float) -> int:
    return max(5, int(_BASE * share))


def _fuzz_settings(share: float):
    return settings(
        max_examples=_examples(share),
        derandomize=not _LONG,
        database=None,
        deadline=None,  # machine load makes per-example deadlines flaky; the alarm catches hangs
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                               HealthCheck.data_too_large],
    )


def _full_settings() -> Settings:
    """Every option at its default, inference at its fullest level."""
    values = {}
    for option in OPTIONS:
        value = option.default
        if option.flag == "--aio-inference" and "full" in option.choices:
            value = "full"
        values[option.dest] = value
    return Settings.from_options(argparse.Namespace(**values))


SETTINGS = _full_settings()
# Never written: inference reads the text from ``lines``.
FUZZ_FILE = str(ROOT / "tests" / "fuzz" / "generated.py")


class _Hang(BaseException):
    pass


def _alarm(signum, frame):
    raise _Hang()


def parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def lint(source: str, tree: ast.Module | None = None, *, twice: bool = True) -> list[tuple[int, int, str]]:
    """Assert the plugin is well behaved on ``source``; its findings.

    ``twice`` also checks that a second analysis of the same tree agrees."""
    if tree is None:
        tree = parse(source)
        assert tree is not None, "the caller promised a parsable source"
    n_lines = source.count("\n") + 1
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, _PER_EXAMPLE_TIMEOUT)
    try:
        Plugin.settings = SETTINGS
        # As flake8 calls it: a file name (in a folder of its own, so that
        # project inference has imports to follow) and the text's lines.
        lines = source.splitlines(keepends=True)
        findings = check(tree, SETTINGS, FUZZ_FILE, lines)  # must not raise
        again = check(tree, SETTINGS, FUZZ_FILE, lines) if twice else findings
        produced = list(Plugin(tree, FUZZ_FILE, lines).run())
    except _Hang:
        pytest.fail(f"no answer after {_PER_EXAMPLE_TIMEOUT:g} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert [tuple(f) for f in again] == [tuple(f) for f in findings], "two analyses disagree"
    assert len(produced) == len(findings)
    for item in produced:
        assert isinstance(item, tuple) and len(item) == 4, item
        line, col, message, kind = item
        assert type(line) is int and 1 <= line <= n_lines, item
        assert type(col) is int and col >= 0, item
        assert isinstance(message, str) and _MESSAGE.match(message), item
        assert kind is Plugin
    return [(f.line, f.col, f.message) for f in findings]


def fuzz(source: str) -> None:
    """The property for generated inputs: skip what does not parse."""
    tree = parse(source)
    assume(tree is not None)
    lint(source, tree)


# ------------------------------------------------------------- hypothesmith


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles odd programs
@_fuzz_settings(0.3)
@given(hypothesmith.from_grammar())
def test_grammar_generated_programs(source):
    fuzz(source)


@_fuzz_settings(0.05)
@given(hypothesmith.from_node())
def test_cst_generated_programs(source):
    fuzz(source)


# ------------------------------------------------- asyncio-shaped programs
# hypothesmith's programs almost never mention asyncio, so they exercise the
# walk but not the checks. These are random nestings of blocks around the
# expressions the rules look at, with a handful of names so that bindings,
# reads, shadowing and control flow interact.

_EXPRESSIONS = [
    "asyncio.create_task(work())", "asyncio.ensure_future(work())", "create_task(work())",
    "loop.create_task(work())", "tg.create_task(work())", "asyncio.gather(work(), t)",
    "asyncio.run_coroutine_threadsafe(work(), loop)", "work()", "sync()", "self.amethod()",
    "self.method()", "cls.amethod()", "C.amethod()", "asyncio.get_running_loop()",
    "asyncio.get_event_loop()", "asyncio.new_event_loop()", "asyncio.TaskGroup()", "asyncio.run(work())",
    "loop.run_until_complete(work())", "t", "t.cancel()", "t.result()", "t.done()",
    "t.add_done_callback(sync)", "t.add_done_callback(work)", "asyncio.create_task(work)",
    "asyncio.create_task(lambda: 0)", "asyncio.create_task('x')", "loop.call_soon(work)",
    "asyncio.wait_for(t, 1)", "asyncio.shield(t)", "asyncio.wait([t])", "asyncio.sleep(0)",
    "[asyncio.create_task(work()) for _ in x]", "{t, asyncio.create_task(work())}",
    "(asyncio.create_task(work()), t)", "work() if x else t", "not work()", "x or work()",
    "f'{work()}'", "bool(work())", "work() == t", "lambda: work()", "lambda: asyncio.create_task(work())",
    "(t := asyncio.create_task(work()))", "tasks.append(t)", "tasks.add(asyncio.create_task(work()))",
    "asyncio.create_task(work()).add_done_callback(sync)", "functools.partial(work)", "x", "None",
    "[await w async for w in agen()]", "locals()", "getattr(self, 'amethod')()", "super().amethod()",
    "loop.run_in_executor(None, sync)", "asyncio.to_thread(sync)", "t.__await__()", "print(t)",
]
_TARGETS = ["t", "task", "coro", "loop", "tg", "x", "_", "self.t", "tasks[0]", "t, x", "*t, x"]
_SIMPLE = [
    "{e}", "{t} = {e}", "{t}: asyncio.Task = {e}", "await {e}", "return {e}", "return", "yield {e}",
    "del t", "global t", "nonlocal t", "pass", "break", "continue", "raise", "t += {e}",
    "assert {e}", "x = await {e}", "async for t in {e}: pass", "import asyncio as aio",
    "from asyncio import create_task", "from asyncio import *", "tasks = set()", "tasks = []",
    "loop = asyncio.get_running_loop()", "t = asyncio.create_task(work())", "await t",
    "t = work()", "exec('t = 1')", "if x: t.cancel()",
    # A task read only by a method that leaves it where it was (AIO102; one
    # never read at all is AIO101).
    "t = asyncio.create_task(work()); t.set_name('x')",
]
_BLOCKS = [
    "if {e}:\n{0}\nelse:\n{1}", "if {e}:\n{0}", "while {e}:\n{0}\nelse:\n{1}", "for t in {e}:\n{0}",
    "async for t in agen():\n{0}", "with {e} as t:\n{0}", "async with asyncio.TaskGroup() as tg:\n{0}",
    "async with {e}:\n{0}", "try:\n{0}\nexcept Exception as t:\n{1}\nfinally:\n{2}",
    "try:\n{0}\nexcept* ValueError:\n{1}", "try:\n{0}\nexcept:\n{1}\nelse:\n{2}",
    "def f(t, loop: asyncio.AbstractEventLoop = None, *a, **k):\n{0}",
    "async def g(self, t=None):\n{0}", "async def amethod(self):\n{0}", "def method(self):\n{0}",
    "@classmethod\nasync def amethod(cls):\n{0}", "@staticmethod\nasync def work():\n{0}",
    "@functools.wraps(work)\nasync def h():\n{0}", "@decorator\nasync def work():\n{0}",
    "class C(Base):\n{0}", "class C:\n{0}", "match {e}:\n    case [t, *_]:\n{0}\n    case _:\n{1}",
    "match t:\n    case C(x=0) | None as t if t:\n{0}",
]
_PRELUDE = (
    "import asyncio\nimport functools\nfrom asyncio import create_task, gather\n"
    "async def work(): ...\ndef sync(): ...\nasync def agen():\n    yield 1\n"
)


def _indent(body: str) -> str:
    return textwrap.indent(body, "    ")


@st.composite
def _expressions(draw) -> str:
    return draw(st.sampled_from(_EXPRESSIONS))


@st.composite
def _body(draw, depth: int) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        # Blocks get rarer with depth, so programs stay a few dozen lines.
        if depth < 4 and draw(st.integers(0, depth + 1)) == 0:
            template = draw(st.sampled_from(_BLOCKS))
            slots = len(set(re.findall(r"\{\d\}", template)))
            bodies = [_indent(draw(_body(depth + 1))) for _ in range(slots)]
            lines.append(template.format(*bodies, e=draw(_expressions())))
        else:
            template = draw(st.sampled_from(_SIMPLE))
            lines.append(template.format(e=draw(_expressions()), t=draw(st.sampled_from(_TARGETS))))
    return "\n".join(lines)


@st.composite
def asyncio_programs(draw) -> str:
    return _PRELUDE + draw(_body(0)) + "\n"


@_fuzz_settings(1.0)
@given(asyncio_programs())
def test_asyncio_shaped_programs(source):
    fuzz(source)


# A higher level of --aio-inference only adds facts: it never loses a finding
# of a lower one (issue 18, item 10). The programs are written to a folder
# of their own, beside a module that star-imports them back, so that their
# star imports (of themselves, of that module, of asyncio) really resolve
# at ``project``.
_STAR_PREFIXES = [
    "from generated import *\n",
    "from starring import *\n",
    "from asyncio import *\n",
    "",
]


@example(  # the reproducer of issue 18.10: a nested ``async def work`` beside a self star import
    source=_PRELUDE + "def f(t):\n    if t:\n        @staticmethod\n"
    "        async def work():\n            pass\n"
    "    else:\n        asyncio.ensure_future(work())\n",
    prefix="from generated import *\n", suffix="from generated import *\n",
)
@_fuzz_settings(0.05)  # three analyses each, astroid's included: the long run is AIO_FUZZ_EXAMPLES
@given(
    asyncio_programs(), st.sampled_from(_STAR_PREFIXES), st.sampled_from(["", "from generated import *\n"])
)
def test_a_higher_level_never_loses_a_finding(tmp_path_factory, source, prefix, suffix):
    source = prefix + source + suffix
    tree = parse(source)
    assume(tree is not None)
    folder = tmp_path_factory.getbasetemp() / "monotonic"
    folder.mkdir(exist_ok=True)
    (folder / "starring.py").write_text("from generated import *\n\n\nasync def helper(): ...\n")
    path = folder / "generated.py"
    path.write_text(source)
    lines = source.splitlines(keepends=True)
    found = {}
    for level in ("off", "local", "project"):
        findings = check(ast.parse(source), Settings(inference=level), str(path), lines)
        found[level] = {(f.line, f.col, f.rule.code) for f in findings}
    assert found["off"] <= found["local"] <= found["project"], found


def test_asyncio_shaped_programs_reach_the_rules():
    """Guard for the generator itself: its programs do produce findings, so
    the property above is exercised on the checks, not only on the walk."""
    codes: set[str] = set()

    @settings(max_examples=300, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(asyncio_programs())
    def collect(source):
        tree = parse(source)
        assume(tree is not None)
        codes.update(m.split()[0] for _, _, m in lint(source, tree))

    collect()
    assert {"AIO101", "AIO102", "AIO105", "AIO201"} <= codes, codes


# ------------------------------------------------------ mutated real files


def _seed_paths() -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    paths = sorted((stdlib / "asyncio").glob("*.py"))
    paths += sorted((stdlib / "test" / "test_asyncio").glob("test_*.py"))[:20]
    paths += sorted((ROOT / "tests" / "eval_files").glob("*.py"))
    paths += sorted((ROOT / "docs" / "examples").glob("*.py"))
    extra = os.environ.get("AIO_FUZZ_SEEDS")
    if extra:
        paths += sorted(Path(extra).rglob("*.py"))
    # Big files make slow examples without adding shapes.
    return [p for p in paths if p.stat().st_size < 60_000]


SEEDS = _seed_paths()


@lru_cache(maxsize=None)
def _seed(index: int) -> tuple[str, ast.Module | None]:
    source = SEEDS[index].read_text(encoding="utf-8", errors="replace")
    return source, parse(source)


_BODY_FIELDS = ("body", "orelse", "finalbody")


def _bodies(tree: ast.AST) -> list[list[ast.stmt]]:
    found = []
    for node in ast.walk(tree):
        for name in _BODY_FIELDS:
            value = getattr(node, name, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                found.append(value)
    return found


_WRAPPERS = [
    "if x:\n    pass", "for _ in x:\n    pass", "while x:\n    pass", "with x:\n    pass",
    "async with x:\n    pass", "try:\n    pass\nexcept Exception:\n    pass",
    "async def wrapped():\n    pass",
    "class Wrapped:\n    pass", "match x:\n    case _:\n        pass",
]
_NON_ASCII = ["é", "ñ", "ü", "λ", "ж", "名", "ǅ", "ℌ", "ﬁ"]


def _mutate(draw, tree: ast.Module) -> ast.Module:
    tree = copy.deepcopy(tree)
    bodies = _bodies(tree)
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["shuffle", "delete", "duplicate", "wrap", "rename", "swap_async"]))
        body = bodies[draw(st.integers(0, len(bodies) - 1))]
        if operation == "shuffle":
            body[:] = draw(st.permutations(body))
        elif operation == "delete":
            keep = draw(st.lists(st.booleans(), min_size=len(body), max_size=len(body)))
            body[:] = [s for s, k in zip(body, keep) if k] or [ast.Pass()]
        elif operation == "duplicate":
            i = draw(st.integers(0, len(body) - 1))
            body.insert(i, copy.deepcopy(body[i]))
        elif operation == "wrap":
            i = draw(st.integers(0, len(body) - 1))
            j = draw(st.integers(i + 1, len(body)))
            wrapper = ast.parse(draw(st.sampled_from(_WRAPPERS))).body[0]
            inner = wrapper.cases[0].body if isinstance(wrapper, ast.Match) else wrapper.body
            inner[:] = body[i:j]
            body[i:j] = [wrapper]
        elif operation == "rename":
            suffix = draw(st.sampled_from(_NON_ASCII))
            for node in ast.walk(tree):
                if isinstance(node, ast.Name) and node.id not in ("asyncio", "self", "cls"):
                    node.id = suffix + node.id
                elif isinstance(node, ast.arg) and node.arg not in ("self", "cls"):
                    node.arg = suffix + node.arg
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    node.name = suffix + node.name
        elif operation == "swap_async":
            # async def <-> def: awaits outside coroutines and coroutines
            # called from sync code both parse.
            for i, stmt in enumerate(body):
                if isinstance(stmt, ast.FunctionDef):
                    body[i] = ast.AsyncFunctionDef(**{f: getattr(stmt, f, None) for f in stmt._fields})
                elif isinstance(stmt, ast.AsyncFunctionDef):
                    body[i] = ast.FunctionDef(**{f: getattr(stmt, f, None) for f in stmt._fields})
        bodies = _bodies(tree)
    return ast.fix_missing_locations(tree)


@st.composite
def mutated_files(draw) -> str:
    index = draw(st.integers(0, len(SEEDS) - 1))
    source, tree = _seed(index)
    assume(tree is not None)
    if draw(st.integers(0, 3)) == 0:
        # Textual: delete some lines (most results no longer parse).
        lines = source.splitlines(keepends=True)
        drop = set(draw(st.lists(st.integers(0, max(0, len(lines) - 1)), min_size=1, max_size=5)))
        return "".join(line for i, line in enumerate(lines) if i not in drop)
    assume(tree.body)  # an empty module has no statement to mutate
    mutated = _mutate(draw, tree)
    try:
        return ast.unparse(mutated)
    except Exception:
        assume(False)
        raise


@_fuzz_settings(0.3)
@given(mutated_files())
def test_mutated_real_files(source):
    fuzz(source)


def test_seeds_exist():
    assert len(SEEDS) >= 10, SEEDS


# -------------------------------------------------- renaming changes nothing
# A metamorphic property: giving every name bound in the module a new
# (non-ASCII) spelling, consistently, must not move, add or remove a
# finding. Names the analysis may legitimately read by spelling stay put:
# builtins, dunders, ``_``, ``self``/``cls``, class members (reached as
# attributes), parameters passed by keyword, and imported module names.

_KEEP = frozenset(dir(builtins))
_PREFIX = "ʀ"


def _renaming(tree: ast.Module) -> dict[str, str]:
    bound: set[str] = set()
    keep: set[str] = {"_", "self", "cls"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, ast.keyword) and node.arg:
            keep.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            keep.update((a.asname or a.name).split(".")[0] for a in node.names)
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                for sub in ast.walk(member):
                    if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        keep.add(sub.name)
                    elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                        keep.add(sub.id)
        if isinstance(node, ast.Attribute):
            keep.add(node.attr)  # ``self.x = ...`` and ``obj.x`` name members by spelling
    return {name: _PREFIX + name for name in bound
            if name not in keep and name not in _KEEP and not name.startswith("__")}


def _rename(tree: ast.Module, mapping: dict[str, str]) -> ast.Module:
    tree = copy.deepcopy(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            node.id = mapping.get(node.id, node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            node.name = mapping.get(node.name, node.name)
        elif isinstance(node, ast.arg):
            node.arg = mapping.get(node.arg, node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            node.name = mapping.get(node.name, node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            node.names = [mapping.get(n, n) for n in node.names]
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            node.name = mapping.get(node.name, node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            node.rest = mapping.get(node.rest, node.rest)
    return tree


def _positions(findings) -> list[tuple[int, str]]:
    # Columns move when a longer name comes earlier on the line.
    return sorted((line, message.split()[0]) for line, _, message in findings)


def _assert_renaming_invariant(tree: ast.Module) -> None:
    mapping = _renaming(tree)
    # The renamed program keeps every line, so findings stay where they were.
    before = _positions(lint(ast.unparse(tree)))
    renamed = ast.unparse(_rename(tree, mapping))
    after = _positions(lint(renamed))
    assert after == before, (mapping, renamed)


@st.composite
def _parsed_seeds_and_programs(draw) -> ast.Module:
    if draw(st.booleans()):
        source = draw(asyncio_programs())
    else:
        source, _ = _seed(draw(st.integers(0, len(SEEDS) - 1)))
    tree = parse(source)
    assume(tree is not None)
    return tree


@_fuzz_settings(0.3)
@given(_parsed_seeds_and_programs())
def test_consistent_renaming_changes_no_finding(tree):
    _assert_renaming_invariant(tree)


# ----------------------------------------------------------- syntax forms
# Each case hides a dropped task inside one syntax form; the form must not
# break the walk, and the finding must still be reported at that line.

_HEADER = "import asyncio\nasync def work(): ...\n"
SYNTAX_FORMS: list[tuple[str, tuple[int, int], str]] = [
    ("match", (3, 10), """
        async def main(command):
            match command:
                case {"go": [x, *rest]} if x:
                    asyncio.create_task(work())  # AIO101
                case Point(x=0) | [_, _] as p:
                    pass
                case str() | bytes():
                    pass
                case _:
                    pass
        """),
    ("walrus", (3, 10), """
        async def main(n):
            while (n := n - 1) > 0:
                asyncio.create_task(work())  # AIO101
            ys = [y := n, y ** 2]
        """),
    ("async comprehensions", (3, 10), """
        async def agen():
            yield 1
        async def main():
            [asyncio.create_task(work()) async for _ in agen()]  # AIO101
            return [await work() async for _ in agen()], {x: await work() for x in range(3)}
        """),
    ("except*", (3, 11), """
        async def main():
            try:
                pass
            except* ValueError as group:
                asyncio.create_task(work())  # AIO101
            except* (TypeError, KeyError):
                pass
        """),
    ("decorators", (3, 10), """
        import functools
        buttons = []
        @functools.wraps(work)
        @buttons[0].clicked.connect
        async def main():
            asyncio.create_task(work())  # AIO101
        """),
    ("nested classes", (3, 10), """
        class Outer:
            class Inner:
                class Innermost:
                    async def run(self):
                        asyncio.create_task(work())  # AIO101
        """),
    ("parenthesized context managers", (3, 10), """
        async def main(a, b):
            async with (a as x, b as y):
                asyncio.create_task(work())  # AIO101
        """),
    ("positional-only and keyword-only parameters", (3, 10), """
        async def main(a, /, b, *, c, **k):
            asyncio.create_task(work())  # AIO101
        """),
    ("star in index and starred return", (3, 11), """
        async def main(a, b):
            x = a[*b]
            asyncio.create_task(work())  # AIO101
            return *b, 1
        """),
    ("non-ASCII identifiers", (3, 10), """
        async def récupérer(): ...
        async def 主要():
            asyncio.create_task(récupérer())  # AIO101
            tâche = asyncio.create_task(récupérer())  # AIO101 (never read: dropped)
        """),
    ("NFKC-normalised identifiers", (3, 10), """
        async def ﬁle(): ...
        async def main():
            asyncio.create_task(file())  # AIO101
        """),
    ("global and nonlocal", (3, 10), """
        counter = 0
        async def main():
            global counter
            task = None
            def inner():
                nonlocal task
                task = 1
            asyncio.create_task(work())  # AIO101
        """),
    ("type statements", (3, 12), """
        type Alias = list[int]
        type Pair[T] = tuple[T, T]
        async def main():
            type Local[K, V] = dict[K, V]
            asyncio.create_task(work())  # AIO101
        """),
    ("PEP 695 generics", (3, 12), """
        class Box[T: int, *Ts, **P]:
            async def run[U](self, item: U) -> U:
                asyncio.create_task(work())  # AIO101
                return item
        async def spawn[T](x: T) -> T:
            asyncio.create_task(work())  # AIO101
            return x
        """),
    ("nested f-string quotes", (3, 12), """
        async def main(x):
            asyncio.create_task(work())  # AIO101
            return f"{f"{x!r}"}" + f'{"\\n".join([])}'
        """),
    ("PEP 696 type parameter defaults", (3, 13), """
        class Box[T = int, *Ts = *tuple[int, ...], **P = [int]]:
            async def run(self):
                asyncio.create_task(work())  # AIO101
        """),
    ("template strings", (3, 14), """
        async def main(x):
            asyncio.create_task(work())  # AIO101
            return t"{x}"
        """),
    ("except without parentheses", (3, 14), """
        async def main():
            try:
                pass
            except ValueError, TypeError:
                asyncio.create_task(work())  # AIO101
        """),
]


def _expected(source: str) -> list[tuple[int, str]]:
    return [(number, code) for number, line in enumerate(source.splitlines(), 1)
            for code in re.findall(r"# (AIO\d{3})", line)]


@pytest.mark.parametrize(
    "name, version, body", SYNTAX_FORMS, ids=[case[0] for case in SYNTAX_FORMS]
)
def test_syntax_forms(name, version, body):
    if sys.version_info < version:
        pytest.skip(f"{name} needs Python {'.'.join(map(str, version))}")
    source = _HEADER + textwrap.dedent(body).lstrip("\n")
    findings = lint(source)
    assert [(line, message.split()[0]) for line, _, message in findings] == _expected(source)


# ------------------------------------------------------------ size and depth

_DROPPED = "import asyncio\nasync def work(): ...\nasync def main():\n    asyncio.create_task(work())\n"


def _big_module(functions: int) -> str:
    """About 25 lines per function: every third function drops a task."""
    parts = ["import asyncio\n\n\nasync def work(n):\n    return n\n"]
    for i in range(functions):
        spawn = ("    asyncio.create_task(work(i))\n" if i % 3 == 0
                 else "    kept = asyncio.create_task(work(i))\n    await kept\n")
        parts.append(
            f"\n\nclass Handler{i}:\n"
            f"    def __init__(self, n):\n        self.n = n\n        self.items = [n] * 3\n\n"
            f"    async def handle(self, i):\n        total = 0\n"
            f"        for k in self.items:\n            if k > i:\n                total += k\n"
            f"            elif k == i:\n                total -= 1\n"
            f"            else:\n                continue\n"
            f"        task = asyncio.create_task(work(total))\n        await task\n        return total\n\n"
            f"\nasync def run{i}(i):\n{spawn}    return await Handler{i}(i).handle(i)\n"
        )
    return "".join(parts)


def test_fifty_thousand_line_module():
    source = _big_module(2_100)
    assert source.count("\n") >= 50_000
    started = time.perf_counter()
    findings = lint(source, twice=False)
    elapsed = time.perf_counter() - started
    assert [m.split()[0] for _, _, m in findings] == ["AIO101"] * len(range(0, 2_100, 3))
    # lint() analyses once and drains run() once; a quadratic walk would
    # take minutes here.
    assert elapsed < 60, f"{elapsed:.1f} s for {source.count(chr(10))} lines"


# How deep an expression or block may nest before the analysis gives up on
# the file. Python parses more than these; past them the analysis raises
# RecursionError, which Plugin.run() turns into a logged warning and no
# findings for the whole file (measured with the default recursion limit
# of 1,000).
_DEPTH_SHAPES = {
    "a + a + ...": lambda n: "x = " + " + ".join(["a"] * n),
    "a.b().b()...": lambda n: "x = a" + ".b()" * n,
    "-(-(...))": lambda n: "x = " + "-" * n + "a",
    "a[0][0]...": lambda n: "x = a" + "[0]" * n,
    "lambda: lambda: ...": lambda n: "x = " + "lambda: " * n + "0",
    "elif chain": lambda n: "if a:\n    pass\n" + "elif a:\n    pass\n" * n,
    "'s' + 's' + ...": lambda n: "x = " + " + ".join(["'s'"] * n),
}


@pytest.mark.parametrize("shape", _DEPTH_SHAPES)
def test_deep_nesting_that_works_today_keeps_its_findings(shape):
    source = _DROPPED + _DEPTH_SHAPES[shape](150) + "\n"
    assert [m.split()[0] for _, _, m in lint(source)] == ["AIO101"]


def test_deeply_nested_blocks_keep_their_findings():
    # The tokenizer allows 99 levels of indentation.
    body = "".join("    " * i + "async def f():\n" for i in range(99))
    source = _DROPPED + body + "    " * 99 + "asyncio.create_task(work())\n"
    assert [m.split()[0] for _, _, m in lint(source)] == ["AIO101", "AIO101"]


@pytest.mark.parametrize("shape", _DEPTH_SHAPES)
def test_very_deep_nesting_never_raises_out_of_run(shape):
    source = _DROPPED + _DEPTH_SHAPES[shape](2_000) + "\n"
    tree = parse(source)
    if tree is None:
        pytest.skip(f"Python itself cannot parse {shape} 2,000 deep")
    Plugin.settings = SETTINGS
    produced = list(Plugin(tree, FUZZ_FILE, source.splitlines(keepends=True)).run())  # must not raise
    assert all(_MESSAGE.match(m) for _, _, m, _ in produced)


@pytest.mark.parametrize("shape", _DEPTH_SHAPES)
def test_very_deep_nesting_keeps_the_other_findings(shape):
    source = _DROPPED + _DEPTH_SHAPES[shape](1_000) + "\n"
    tree = parse(source)
    assert tree is not None
    assert [m.split()[0] for _, _, m in lint(source, tree)] == ["AIO101"]
