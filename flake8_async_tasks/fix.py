"""``flake8-async-tasks fix``: insert the ``await`` a finding says is missing.

Only fixes that cannot change what the program does, other than making the
intended code run, are applied:

- AIO201, AIO203, AIO106: ``save()`` becomes ``await save()`` when the call
  sits directly in an ``async def`` body (a list, set or dict comprehension
  there is fine: it becomes an async comprehension; a generator expression is
  not: it would become an async generator).
- AIO205: ``asyncio.run(main())`` and ``loop.run_until_complete(main())``
  become ``await main()``, given exactly one positional argument that is a call.

AIO101 and AIO102 are never fixed: how long a task should live is a design
choice (docs/fix.md shows the idioms).

Findings come from flake8 itself (see :func:`findings`), so configuration
files, ``# noqa``, select/ignore, per-file-ignores, exclude and the ``--aio-``
options mean what they mean to ``flake8``. Files are edited as bytes at the
positions of the nodes, never regenerated: everything but the inserted
``await`` stays byte for byte, and every edit is checked by parsing the result
and comparing its tree with the expected one.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import io
import os
import re
import sys
import tokenize
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from flake8 import exceptions
from flake8.formatting.base import BaseFormatter
from flake8.main.application import Application
from flake8.violation import Violation

PLUGIN_PACKAGE = "flake8-async-tasks"
FIXABLE = ("AIO106", "AIO201", "AIO203", "AIO205")
# The rules whose fix is an ``await`` in front of the reported call.
_INSERT = frozenset({"AIO106", "AIO201", "AIO203"})
_LINE_END = re.compile(r"\r\n|\r|\n")
# What AIO205's fix may remove around the argument: brackets, commas and
# blanks. A comment there (``asyncio.run(  # why``) is not thrown away.
_OPENING = re.compile(r"[\s(\\]*")
_CLOSING = re.compile(r"[\s,)\\]*")


class UsageError(Exception):
    """A bad command line or configuration: one line, exit status 2."""


# ---------------------------------------------------------------- findings


class Capture(BaseFormatter):
    """Keeps the violations that survive flake8's selection and ``# noqa``."""

    def after_init(self) -> None:
        self.violations: list[Violation] = []

    def start(self) -> None:
        pass

    def handle(self, error: Violation) -> None:
        self.violations.append(error)

    def format(self, error: Violation) -> str | None:
        return None

    def stop(self) -> None:
        pass


class CapturingApplication(Application):
    def make_formatter(self) -> None:
        self.formatter = Capture(self.options)


def findings(flake8_args: Sequence[str]) -> list[Violation]:
    """The AIO findings flake8 reports for ``flake8_args`` (options and paths).

    Why flake8's own ``Application`` rather than ``checks.check`` on each
    file: the fixer must fix what ``flake8`` reports and nothing else, and
    what flake8 reports depends on config discovery (``setup.cfg``,
    ``tox.ini``, ``.flake8``, ``--config``, ``--isolated``), ``# noqa``,
    select/ignore and their ``extend-`` forms, per-file-ignores, exclude, the
    plugin's default-off rules and its ``--aio-`` options. Re-implementing that
    would drift from flake8; the public ``Application`` steps with a formatter
    that keeps violations instead of printing them (as tests/aio_harness.py
    does) give exactly flake8's answer.
    """
    app = CapturingApplication()
    try:
        app.initialize([f"--require-plugins={PLUGIN_PACKAGE}", *flake8_args])
        # flake8 would check "." when given no path; a fixer that rewrites
        # files asks to be told where.
        paths = app.options.filenames
        if not paths:
            raise UsageError("give the files or directories to fix")
        if "-" in paths:
            raise UsageError("cannot fix standard input")
        app.run_checks()
        app.report()
    except exceptions.ExecutionError as error:
        raise UsageError(str(error)) from None
    except exceptions.EarlyQuit:
        raise UsageError("stopped") from None
    except SystemExit as exit:
        # argparse's usage errors and the plugin's bad option values have
        # already printed their one line.
        if exit.code in (0, None):
            raise
        raise UsageError("") from None
    if app.catastrophic_failure:
        raise UsageError("flake8 failed; nothing was fixed")
    assert isinstance(app.formatter, Capture)
    return [v for v in app.formatter.violations if v.code.startswith("AIO")]


# ------------------------------------------------------------------ source


@dataclass
class Source:
    """A file's bytes, decoded so that encoding the text gives them back."""

    raw: bytes
    encoding: str  # "utf-8-sig" when there is a BOM
    text: str
    line_starts: list[int]  # offset in text of each line (1-based line n at [n - 1])

    @classmethod
    def from_bytes(cls, raw: bytes) -> Source:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        text = raw.decode(encoding)
        if text.encode(encoding) != raw:
            raise ValueError(f"{encoding} does not give the same bytes back")
        starts = [0] + [m.end() for m in _LINE_END.finditer(text)]
        return cls(raw, encoding, text, starts)

    def offset(self, line: int, col: int) -> int:
        """Text offset of an ``ast`` position (``col`` counts UTF-8 bytes)."""
        start = self.line_starts[line - 1]
        head = self.text[start:start + col].encode("utf-8")[:col]
        return start + len(head.decode("utf-8"))

    # Given expressions and statements, which have the positions ``ast.AST`` lacks.
    def start(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


# -------------------------------------------------------------------- plan

_AWAIT = "await"  # wrap the call in ``await``
_UNWRAP = "unwrap"  # ``asyncio.run(c())`` -> ``await c()``


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass
class Fix:
    violation: Violation
    node: ast.Call | None = None
    change: str = ""
    edits: tuple[Edit, ...] = ()
    reason: str = ""  # why it was left alone, when it was

    @property
    def applied(self) -> bool:
        return not self.reason

    def describe(self) -> str:
        if self.reason:
            return f"not fixed: {self.reason}"
        if self.change == _UNWRAP:
            assert self.node is not None
            return f"fixed: `{ast.unparse(self.node.func)}(...)` replaced by await"
        return "fixed: inserted await"


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _extends(parent: ast.AST | None, node: ast.AST) -> bool:
    """Would ``await`` written before ``node`` take in ``parent`` too?
    ``await a.b().c()`` awaits the whole primary, not ``a.b()``."""
    return (
        (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is node)
        or (isinstance(parent, ast.Call) and parent.func is node)
    )


def _not_in_async_body(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str:
    """Why ``await`` may not go at ``node``; empty when it may."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.AsyncFunctionDef):
            # Decorators, defaults and annotations run outside the body.
            return "" if child in parent.body else "outside the async def's body"
        if isinstance(parent, ast.FunctionDef):
            return f"in the plain def `{parent.name}`"
        if isinstance(parent, ast.Lambda):
            return "in a lambda"
        if isinstance(parent, ast.ClassDef):
            return "in a class body"
        if isinstance(parent, ast.GeneratorExp):
            # ``(await f(x) for x in xs)`` is an async generator: another type.
            return "in a generator expression"
        child, parent = parent, parents.get(parent)
    return "at module level"


def plan(
    source: Source, tree: ast.Module, violations: Sequence[Violation]
) -> list[Fix]:
    """One :class:`Fix` per violation: its edits, or why there are none."""
    parents = _parents(tree)
    calls: dict[tuple[int, int], list[ast.Call]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            calls.setdefault((node.lineno, node.col_offset), []).append(node)
    fixes = []
    for violation in violations:
        fix = Fix(violation)
        fixes.append(fix)
        here = [
            c for c in calls.get((violation.line_number, violation.column_number - 1), ())
            if not _extends(parents.get(c), c)
        ]
        if len(here) != 1:
            fix.reason = "no call found at this position"
            continue
        call = fix.node = here[0]
        if violation.code in _INSERT:
            parent = parents.get(call)
            if isinstance(parent, (ast.List, ast.Tuple, ast.Set, ast.ListComp, ast.SetComp)):
                # ``(load(), save())`` or ``[save(x) for x in xs]``: awaiting
                # each in turn may not be what was meant (gather runs them
                # together); the author decides.
                fix.reason = "an element of a discarded collection"
                continue
            fix.change = _AWAIT
            fix.edits = (Edit(source.start(call), source.start(call), "await "),)
        else:
            arg = call.args[0] if len(call.args) == 1 else None
            if len(call.args) != 1 or call.keywords or not isinstance(arg, ast.Call):
                fix.reason = "the call does not have exactly one argument, itself a call"
                continue
            start, end = source.start(call), source.end(call)
            func_end = source.end(call.func)
            arg_start, arg_end = source.start(arg), source.end(arg)
            if not (
                _OPENING.fullmatch(source.text, func_end, arg_start)
                and _CLOSING.fullmatch(source.text, arg_end, end)
                and "#" not in source.text[start:func_end]
            ) or _extends(parents.get(call), call):
                fix.reason = "the call's text is not a plain `run(call())`"
                continue
            fix.change = _UNWRAP
            fix.edits = (Edit(start, arg_start, "await "), Edit(arg_end, end, ""))
        fix.reason = _not_in_async_body(call, parents)
    return fixes


# ------------------------------------------------------------ apply, check


def apply(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` made, from the end backwards so offsets hold."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def _shape(node: object, changes: dict[int, str]) -> object:
    """``node`` without positions, with ``changes`` made to the calls named."""
    if isinstance(node, list):
        return tuple(_shape(item, changes) for item in node)
    if not isinstance(node, ast.AST):
        return node
    change = changes.get(id(node))
    if change == _UNWRAP:  # recorded for an ``asyncio.run(c())`` Call only
        return ("Await", (("value", _shape(node.args[0], changes)),))  # type: ignore[attr-defined]
    shape = (type(node).__name__, tuple((k, _shape(v, changes)) for k, v in ast.iter_fields(node)))
    if change == _AWAIT:
        return ("Await", (("value", shape),))
    return shape


def _compiles(text: str, filename: str) -> bool:
    try:
        compile(text, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _as_intended(
    tree: ast.Module, fixes: Sequence[Fix], text: str, filename: str, must_compile: bool
) -> bool:
    """Does ``text`` parse to ``tree`` with exactly ``fixes`` made, and compile
    when the original did (``await`` outside an async function is found by
    the compiler, not the parser)?"""
    try:
        new = ast.parse(text, filename)
    except (SyntaxError, ValueError):
        return False
    changes = {id(f.node): f.change for f in fixes}
    if _shape(new, {}) != _shape(tree, changes):
        return False
    return _compiles(text, filename) or not must_compile


@dataclass
class FileResult:
    path: str
    source: Source
    fixes: list[Fix]
    new_text: str | None = None  # None: nothing to write
    error: str = ""


def fix_file(path: str, violations: Sequence[Violation]) -> FileResult:
    """Plan and check every fix of one file; nothing is written here."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as error:
        result = FileResult(path, Source(b"", "", "", [0]), [Fix(v, reason="unreadable") for v in violations])
        result.error = f"cannot read: {error}"
        return result
    try:
        source = Source.from_bytes(raw)
        tree = ast.parse(source.text, path)
    except (SyntaxError, ValueError, LookupError) as error:
        result = FileResult(path, Source(raw, "", "", [0]), [Fix(v, reason="unreadable") for v in violations])
        result.error = f"cannot read: {error}"
        return result
    unique = {(v.line_number, v.column_number): v for v in violations}
    fixes = plan(source, tree, [unique[k] for k in sorted(unique)])
    result = FileResult(path, source, fixes)
    compiles = _compiles(source.text, path)
    taken: list[Edit] = []
    for fix in fixes:
        if not fix.applied:
            continue
        if any((e.start < t.end and t.start < e.end) or e.start == t.start for e in fix.edits for t in taken):
            fix.reason = "overlaps another fix"
        elif not _as_intended(tree, [fix], apply(source.text, fix.edits), path, compiles):
            fix.reason = "the edited code would not mean `await` of this call"
        else:
            taken.extend(fix.edits)
    applied = [f for f in fixes if f.applied]
    if not applied:
        return result
    new_text = apply(source.text, taken)
    if not _as_intended(tree, applied, new_text, path, compiles):
        # Each fix alone was right; together they should be too.
        for fix in applied:
            fix.reason = "not written: the fixed file did not parse as intended"
        result.error = "the fixed file did not parse as intended; left unchanged"
        return result
    result.new_text = new_text
    return result


# --------------------------------------------------------------------- CLI


def _display(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _diff(result: FileResult) -> str:
    assert result.new_text is not None
    name = _display(result.path)
    before = _keepends(result.source.text)
    after = _keepends(result.new_text)
    out = []
    for line in difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"):
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _keepends(text: str) -> list[str]:
    # Python's own line ends only: str.splitlines() would also split at
    # form feeds and U+2028, which are not line ends in source code.
    ends = [m.end() for m in _LINE_END.finditer(text)]
    starts = [0, *ends]
    lines = [text[a:b] for a, b in zip(starts, ends)]
    if starts[-1] < len(text):
        lines.append(text[starts[-1]:])
    return lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flake8-async-tasks fix",
        usage="%(prog)s [--diff] [--select CODES] [flake8 options] PATH...",
        description=(
            "Insert the `await` that AIO201, AIO203, AIO106 and AIO205 findings are missing, "
            "where that cannot change anything but make the intended code run. Every other "
            "option (--isolated, --config, --aio-inference, --extend-ignore, ...) is passed to "
            "flake8, which finds the findings with the project's configuration and # noqa."
        ),
        allow_abbrev=False,
    )
    parser.add_argument("--diff", action="store_true", help="print a unified diff; change no file")
    parser.add_argument(
        "--select",
        metavar="CODES",
        help="fix only these codes or prefixes (comma separated), among what flake8 reports",
    )
    return parser


def main(argv: Sequence[str]) -> int:
    args, flake8_args = _parser().parse_known_args(argv)
    selected: tuple[str, ...] = FIXABLE
    if args.select is not None:
        selected = tuple(c.strip().upper() for c in args.select.split(",") if c.strip())
        if not selected:
            print("flake8-async-tasks fix: error: --select needs at least one code", file=sys.stderr)
            return 2
    try:
        violations = findings(flake8_args)
    except UsageError as error:
        if str(error):
            print(f"flake8-async-tasks fix: error: {error}", file=sys.stderr)
        return 2

    by_file: dict[str, list[Violation]] = {}
    for v in violations:
        if v.code in FIXABLE and v.code.startswith(selected):
            by_file.setdefault(v.filename, []).append(v)

    report = sys.stderr if args.diff else sys.stdout
    per_rule: Counter[str] = Counter()
    changed = errors = left = 0
    for path in sorted(by_file):
        result = fix_file(path, by_file[path])
        name = _display(path)
        for fix in sorted(result.fixes, key=lambda f: (f.violation.line_number, f.violation.column_number)):
            v = fix.violation
            if fix.applied and result.new_text is not None:
                per_rule[v.code] += 1
            else:
                left += 1
            if not args.diff or not fix.applied:
                print(f"{name}:{v.line_number}:{v.column_number}: {v.code} {fix.describe()}", file=report)
        if result.error:
            errors += 1
            print(f"{name}: error: {result.error}", file=sys.stderr)
        if result.new_text is None:
            continue
        changed += 1
        if args.diff:
            sys.stdout.write(_diff(result))
        else:
            with open(path, "wb") as f:
                f.write(result.source.encode(result.new_text))

    total = sum(per_rule.values())
    counts = ", ".join(f"{code} {n}" for code, n in sorted(per_rule.items()))
    verb = "would fix" if args.diff else "fixed"
    summary = f"{verb} {total} finding{'s' * (total != 1)} in {changed} file{'s' * (changed != 1)}"
    if counts:
        summary += f" ({counts})"
    if left:
        summary += f"; {left} left alone"
    print(summary, file=report)
    return 1 if total or errors else 0
