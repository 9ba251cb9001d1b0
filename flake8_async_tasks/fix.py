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

With ``--add-noqa[=REASON]`` it writes a ``# noqa: AIOxxx`` for every current
finding instead, where flake8 reads it (:mod:`.noqa`): a baseline.

Findings come from flake8 itself (see :func:`lint`), so configuration
files, ``# noqa``, select/ignore, per-file-ignores, exclude and the ``--aio-``
options mean what they mean to ``flake8``. Files are edited as bytes at the
positions of the nodes, never regenerated (:mod:`.source`): everything but the
inserted ``await`` stays byte for byte, and every edit is checked by parsing
the result and comparing its tree with the expected one. A file is written
only through :mod:`.rewrite`: inside the linted tree, holding the bytes flake8
linted, atomically.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import contextlib
import difflib
import io
import os
import re
import sys
import typing
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from flake8 import checker, exceptions
from flake8.formatting.base import BaseFormatter
from flake8.main.application import Application
from flake8.violation import Violation

from . import noqa, rewrite
from .source import Edit, Source, apply, keepends
from .checks.base import call_snippet

PLUGIN_PACKAGE = "flake8-async-tasks"
FIXABLE = ("AIO106", "AIO201", "AIO203", "AIO205")
# The rules whose fix is an ``await`` in front of the reported call.
_INSERT = frozenset({"AIO106", "AIO201", "AIO203"})
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


class SnapshotManager(checker.Manager):
    """flake8's file checker manager, which also takes a :class:`rewrite.Snapshot`
    of each file it is about to lint, before any worker reads it."""

    snapshots: dict[str, rewrite.Snapshot | None]

    def start(self, *args: typing.Any, **kwargs: typing.Any) -> None:
        super().start(*args, **kwargs)
        self.snapshots = {name: rewrite.snapshot(name) for name in self.filenames}


class FixingApplication(CapturingApplication):
    def make_file_checker_manager(self, argv: Sequence[str]) -> None:
        assert self.guide is not None and self.plugins is not None
        self.file_checker_manager = SnapshotManager(
            style_guide=self.guide, plugins=self.plugins.checkers, argv=argv
        )


# What stops a file from being linted, as flake8 prints them.
_UNREADABLE = ("E902", "E999")


@dataclass
class Lint:
    violations: list[Violation]  # the AIO findings, as flake8 reports them
    problems: list[str]  # E902 and E999 lines, as flake8 prints them
    snapshots: dict[str, rewrite.Snapshot | None]  # each linted file before flake8 read it
    paths: list[str]  # the paths named on the command line


def findings(flake8_args: Sequence[str]) -> list[Violation]:
    """The AIO findings flake8 reports for ``flake8_args`` (options and paths)."""
    return lint(flake8_args).violations


def lint(flake8_args: Sequence[str]) -> Lint:
    """Run flake8 on ``flake8_args`` (options and paths) as ``flake8`` would.

    Why flake8's own ``Application`` rather than ``checks.check`` on each
    file: the fixer must fix what ``flake8`` reports and nothing else, and
    what flake8 reports depends on config discovery (``setup.cfg``,
    ``tox.ini``, ``.flake8``, ``--config``, ``--isolated``), ``# noqa``,
    select/ignore and their ``extend-`` forms, per-file-ignores, exclude, the
    plugin's default-off rules and its ``--aio-`` options. Re-implementing that
    would drift from flake8; the public ``Application`` steps with a formatter
    that keeps violations instead of printing them (as tests/aio_harness.py
    does) give exactly flake8's answer.

    E902 (unreadable) and E999 (unparseable) are taken from the checkers'
    results whatever the selection: a file that cannot be linted cannot be
    fixed, and ``fix`` must say so.
    """
    app = FixingApplication()
    try:
        _initialize(app, [f"--require-plugins={PLUGIN_PACKAGE}", *flake8_args])
        # flake8 would check "." when given no path; a fixer that rewrites
        # files asks to be told where.
        paths = list(app.options.filenames)
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
    if app.catastrophic_failure:
        raise UsageError("flake8 failed; nothing was fixed")
    assert isinstance(app.formatter, Capture)
    manager = app.file_checker_manager
    assert isinstance(manager, SnapshotManager)
    problems = [
        f"{_display(name)}:{line}:{(column or 0) + 1}: {code} {text}"
        for name, results, _ in sorted(manager.results, key=lambda r: r[0])
        for code, line, column, text, _ in results
        if code in _UNREADABLE
    ]
    violations = [v for v in app.formatter.violations if v.code.startswith("AIO")]
    return Lint(violations, problems, manager.snapshots, paths)


_ERROR_LINE = re.compile(r"^(?:flake8|flake8-async-tasks)(?: fix)?: error: (.*)$")


def _initialize(app: Application, argv: Sequence[str]) -> None:
    """``app.initialize(argv)``, with its usage errors made one line of ours.

    flake8's argparse prints its usage and ``flake8: error: ...``, the plugin
    ``flake8-async-tasks: error: ...``; both are caught here and given back as
    the :class:`UsageError` of their last line. Anything else flake8 writes to
    standard error (warnings) is passed on.
    """
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            app.initialize(argv)
    except SystemExit as exit:
        if exit.code in (0, None):  # --version, --help
            sys.stderr.write(captured.getvalue())
            raise
        lines = [line for line in captured.getvalue().splitlines() if line.strip()]
        last = lines[-1] if lines else f"flake8 stopped with status {exit.code}"
        match = _ERROR_LINE.match(last)
        raise UsageError(match[1] if match else last) from None
    except (ValueError, configparser.Error) as error:
        # flake8 reads its configuration files with configparser and lets a bad
        # value (`max-line-length = wide`, `extend-ignore = 123`) escape as a traceback.
        raise UsageError(f"bad flake8 configuration: {error}") from None
    sys.stderr.write(captured.getvalue())


# -------------------------------------------------------------------- plan

_AWAIT = "await"  # wrap the call in ``await``
_UNWRAP = "unwrap"  # ``asyncio.run(c())`` -> ``await c()``


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


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _extends(parent: ast.AST | None, node: ast.AST) -> bool:
    """Would ``await`` written before ``node`` take in ``parent`` too?
    ``await a.b().c()`` awaits the whole primary, not ``a.b()``."""
    return (
        (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is node)
        or (isinstance(parent, ast.Call) and parent.func is node)
    )


def _names(message: str, call: ast.Call) -> bool:
    """Does the finding's message name ``call`` (its first backticked
    expression, shortened as the checks shorten it)?"""
    named = re.search(r"`([^`]*)`", message)
    return named is not None and named.group(1) == call_snippet(call)


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
        if not _names(violation.text, here[0]):
            # ``if self.sender.lower():`` with the property ``self.sender``
            # reported, or ``fetch().json()`` with ``fetch()``: the call that
            # starts here is not the one the finding names.
            fix.reason = "the finding names another expression than the call here"
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
class Planned:
    """What one file would become: its new text, and each finding's fate."""

    source: Source
    findings: list[Finding]
    new_text: str | None = None  # None: nothing to write
    error: str = ""  # why nothing is written although edits were planned
    # The await fixes planned (the editor's quick fix reads them).
    fixes: list[Fix] = field(default_factory=list)


@dataclass
class Finding:
    """One line of output: a finding, what its edit does, or why there is none."""

    violation: Violation
    done: str = ""  # "inserted await", or "added" and the noqa comment in backticks
    would: str = ""  # the same, said before it is done (--diff)
    reason: str = ""  # why it is left alone


def plan_fixes(path: str, source: Source, violations: Sequence[Violation]) -> Planned:
    """Plan and check every ``await`` fix of one file; nothing is written here."""
    try:
        tree = ast.parse(source.text, path)
    except (SyntaxError, ValueError) as error:
        unparsed = [Finding(v, reason="unreadable") for v in violations]
        return Planned(source, unparsed, error=f"cannot parse: {error}")
    unique = {(v.line_number, v.column_number): v for v in violations}
    fixes = plan(source, tree, [unique[k] for k in sorted(unique)])
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
    result = Planned(source, [_finding(f) for f in fixes], fixes=fixes)
    applied = [f for f in fixes if f.applied]
    if not applied:
        return result
    new_text = apply(source.text, taken)
    if not _as_intended(tree, applied, new_text, path, compiles):
        # Each fix alone was right; together they should be too.
        for finding in result.findings:
            if not finding.reason:
                finding.reason = "not written: the fixed file did not parse as intended"
        result.error = "the fixed file did not parse as intended; left unchanged"
        return result
    result.new_text = new_text
    return result


def _finding(fix: Fix) -> Finding:
    if fix.reason:
        return Finding(fix.violation, reason=fix.reason)
    if fix.change == _UNWRAP:
        assert fix.node is not None
        func = ast.unparse(fix.node.func)
        return Finding(fix.violation, f"`{func}(...)` replaced by await", f"replace `{func}(...)` by await")
    return Finding(fix.violation, "inserted await", "insert await")


def plan_noqa(path: str, source: Source, violations: Sequence[Violation], reason: str) -> Planned:
    """Plan the ``# noqa`` comments of one file and check them: the new text
    parses to the same tree, and flake8 finds every finding silenced."""
    planned = noqa.plan(source, violations, reason)
    findings = [
        Finding(o.violation, reason=o.reason) if o.reason
        else Finding(o.violation, "added `# noqa`", "add `# noqa`")
        for o in planned.outcomes
    ]
    result = Planned(source, findings)
    if not planned.edits:
        return result
    new_text = apply(source.text, planned.edits)
    wanted = [f.violation for f in findings if not f.reason]
    try:
        same = ast.dump(ast.parse(new_text, path), include_attributes=True) == ast.dump(
            ast.parse(source.text, path), include_attributes=True
        )
    except (SyntaxError, ValueError):
        same = False
    if not same or not all(noqa.silenced(source.with_text(new_text), wanted)):
        for finding in findings:
            if not finding.reason:
                finding.reason = "not written: the comments would not have silenced it as intended"
        result.error = "the file with the comments did not check out; left unchanged"
        return result
    result.new_text = new_text
    return result


# --------------------------------------------------------------------- CLI

PROG = "flake8-async-tasks fix"


def _display(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _git_top(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` that holds ``.git``."""
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def diff_name(real: str) -> str:
    """The path a ``--diff`` header gives for the file at the real path ``real``.

    ``git apply`` refuses absolute paths and ``..``, and inside a repository it
    reads every path from the top of the work tree (as ``git diff`` writes
    them), whatever directory it runs in. So: relative to the top of the
    working directory's repository when the file is in it, else relative to
    the working directory.
    """
    cwd = os.path.realpath(os.getcwd())
    top = _git_top(cwd)
    base = top if top is not None and rewrite.inside(real, top) else cwd
    return os.path.relpath(real, base).replace(os.sep, "/")


def _diff(name: str, before_text: str, after_text: str) -> str:
    before = keepends(before_text)
    after = keepends(after_text)
    out = []
    for line in difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"):
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> typing.NoReturn:
        # One line, not argparse's usage block: scripts read the last line.
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        usage="%(prog)s [--diff] [--select CODES] [--add-noqa[=REASON]] [flake8 options] PATH...",
        description=(
            "Insert the `await` that AIO201, AIO203, AIO106 and AIO205 findings are missing, "
            "where that cannot change anything but make the intended code run; or, with "
            "--add-noqa, silence every current AIO finding with a `# noqa` comment. Every other "
            "option (--isolated, --config, --aio-inference, --extend-ignore, ...) is passed to "
            "flake8, which finds the findings with the project's configuration and # noqa. "
            "A file is written only if it still holds the bytes flake8 read, never through a "
            "symlink that leads out of the paths given, and atomically (a failed write leaves it "
            "as it was). Exit status: 0 nothing to do, 1 files changed (or would be, with --diff) "
            "or a file could not be read, parsed or written, 2 bad usage."
        ),
        allow_abbrev=False,
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff (headers relative to the git work tree's top, or to the working "
        "directory) on standard output, the other lines on standard error; change no file",
    )
    parser.add_argument(
        "--select",
        metavar="CODES",
        help="fix only these codes or prefixes (comma separated), among what flake8 reports",
    )
    parser.add_argument(
        "--add-noqa",
        action="store_true",
        help="instead of fixing, write `# noqa: AIOxxx` where flake8 reads it for every current AIO "
        "finding, merged into an existing `# noqa`; --add-noqa=REASON puts REASON after the codes",
    )
    return parser


@dataclass
class Options:
    diff: bool
    selected: tuple[str, ...]
    add_noqa: bool
    reason: str
    flake8_args: list[str] = field(default_factory=list)


def _options(argv: Sequence[str]) -> Options:
    # ``--add-noqa[=REASON]`` takes a value only after ``=``: with argparse's
    # optional value, ``--add-noqa src/`` would read the path as the REASON.
    rest: list[str] = []
    reasons: list[str] = []
    add_noqa = False
    for index, arg in enumerate(argv):
        if arg == "--":
            rest.extend(argv[index:])
            break
        if arg == "--add-noqa" or arg.startswith("--add-noqa="):
            add_noqa = True
            reasons.append(arg.partition("=")[2].strip())
            continue
        rest.append(arg)
    args, flake8_args = _parser().parse_known_args(rest + (["--add-noqa"] if add_noqa else []))
    reason = reasons[-1] if reasons else ""
    problem = noqa.reason_problem(reason) if reason else ""
    if problem:
        raise UsageError(f"--add-noqa={reason}: {problem}")
    selected: tuple[str, ...] = ("AIO",) if args.add_noqa else FIXABLE
    if args.select is not None:
        selected = tuple(c.strip().upper() for c in args.select.split(",") if c.strip())
        if not selected:
            raise UsageError("--select needs at least one code")
    return Options(args.diff, selected, args.add_noqa, reason, flake8_args)


@dataclass
class Tally:
    per_rule: Counter[str] = field(default_factory=Counter)
    changed: int = 0
    left: int = 0
    errors: int = 0


def main(argv: Sequence[str]) -> int:
    try:
        options = _options(argv)
        result = lint(options.flake8_args)
    except UsageError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2

    # With --diff the diff alone goes to standard output, so that it can be
    # piped to `git apply`; the lines about findings and files go to stderr.
    report = sys.stderr if options.diff else sys.stdout
    tally = Tally()
    for line in result.problems:
        print(line, file=report)
        tally.errors += 1

    by_file: dict[str, list[Violation]] = {}
    for v in result.violations:
        if (options.add_noqa or v.code in FIXABLE) and v.code.startswith(options.selected):
            by_file.setdefault(v.filename, []).append(v)

    tree = rewrite.LintedTree(result.paths)
    written: dict[str, str] = {}  # real path -> the name it was fixed under
    # A file reached under its own name comes before a symlink to it.
    order = sorted(by_file, key=lambda p: (os.path.realpath(p) != os.path.abspath(p), p))
    for path in order:
        _one_file(path, by_file[path], result, tree, options, written, tally, report)

    total = sum(tally.per_rule.values())
    counts = ", ".join(f"{code} {n}" for code, n in sorted(tally.per_rule.items()))
    if options.add_noqa:
        verb = "would add `# noqa` for" if options.diff else "added `# noqa` for"
    else:
        verb = "would fix" if options.diff else "fixed"
    files = tally.changed
    summary = f"{verb} {total} finding{'s' * (total != 1)} in {files} file{'s' * (files != 1)}"
    if counts:
        summary += f" ({counts})"
    if tally.left:
        summary += f"; {tally.left} left alone"
    if tally.errors:
        summary += f"; {tally.errors} file{'s' * (tally.errors != 1)} with errors"
    print(summary, file=report)
    return 1 if total or tally.errors else 0


def _one_file(
    path: str,
    violations: list[Violation],
    result: Lint,
    tree: rewrite.LintedTree,
    options: Options,
    written: dict[str, str],
    tally: Tally,
    report: typing.TextIO,
) -> None:
    name = _display(path)
    violations = sorted(violations, key=lambda v: (v.line_number, v.column_number))

    def left_alone(reason: str, problem: str = "") -> None:
        for v in violations:
            tally.left += 1
            print(f"{name}:{v.line_number}:{v.column_number}: {v.code} {verb_not}: {reason}", file=report)
        if problem:
            tally.errors += 1
            print(f"{name}: {problem}", file=sys.stderr)

    verb_not = "no `# noqa` added" if options.add_noqa else "not fixed"
    real = os.path.realpath(path)
    if real != os.path.abspath(path) and not tree.contains(real):
        # Never written through: the link leads out of what was named.
        problem = f"is a symlink to {real}, outside the linted tree; not fixed"
        left_alone("a symlink out of the linted tree", problem)
        return
    if real in written:
        left_alone(f"the same file as {written[real]}, handled under that name")
        return
    written[real] = name
    try:
        raw, snapshot = rewrite.read(real)
        if snapshot != result.snapshots.get(path):
            raise rewrite.Changed
        source = Source.from_bytes(raw)
        if not noqa.read_as_flake8_did(source, violations):
            raise rewrite.Changed
    except rewrite.Changed as error:
        left_alone("the file changed since flake8 read it", str(error))
        return
    except (OSError, ValueError, LookupError, SyntaxError) as error:
        message = rewrite.describe(error) if isinstance(error, OSError) else str(error)
        left_alone("unreadable", f"cannot read: {message}")
        return

    if options.add_noqa:
        planned = plan_noqa(path, source, violations, options.reason)
    else:
        planned = plan_fixes(path, source, violations)
    problem = planned.error
    done = planned.new_text is not None
    unwritten = ""  # why the planned edits were not written
    if done and not options.diff:
        assert planned.new_text is not None
        try:
            rewrite.replace(real, source.encode(planned.new_text), snapshot)
        except rewrite.Changed as error:
            problem, unwritten = str(error), "the file changed since flake8 read it"
        except OSError as error:
            problem, unwritten = f"cannot write: {rewrite.describe(error)}", "the file could not be written"
        done = not unwritten

    for finding in planned.findings:
        v = finding.violation
        if finding.reason or not done:
            tally.left += 1
            status = f"{verb_not}: {finding.reason or unwritten}"
        else:
            tally.per_rule[v.code] += 1
            if options.add_noqa:
                status = f"would {finding.would}" if options.diff else finding.done
            else:
                status = f"would fix: {finding.would}" if options.diff else f"fixed: {finding.done}"
        print(f"{name}:{v.line_number}:{v.column_number}: {v.code} {status}", file=report)
    if problem:
        tally.errors += 1
        print(f"{name}: {problem}", file=sys.stderr)
    if done:
        tally.changed += 1
        if options.diff:
            assert planned.new_text is not None
            sys.stdout.write(_diff(diff_name(real), source.text, planned.new_text))
