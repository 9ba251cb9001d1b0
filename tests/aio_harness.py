"""Run real flake8 in-process and compare its AIO findings with annotations.

flake8 is driven through its own ``Application``, so the plugin is found
through its ``flake8.extension`` entry point exactly as users get it
(``--require-plugins`` makes a missing entry point an error); only the
formatter is swapped for one that keeps the violations instead of printing
them.

Annotations (see STYLE.md): a trailing comment lists the findings expected on
its line as ``CODE: COLUMN`` pairs, columns 0-based as in the ``ast``::

    asyncio.create_task(work())  # AIO101: 4
    loop.create_task(fetch)  # AIO105: 4 "the async function `fetch` itself"

An optional double-quoted text after the column must occur in the message.
Every line without an annotation must produce no AIO finding. An optional
first line ``# OPTIONS: --extend-select=AIO103`` passes options to flake8.
"""

from __future__ import annotations

import io
import re
import shlex
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from flake8.violation import Violation

from flake8_async_tasks.fix import CapturingApplication

PLUGIN_PACKAGE = "flake8-async-tasks"
_ENTRY = r"(AIO\d{3}): (\d+)(?: \"([^\"]*)\")?"
_ANNOTATION = re.compile(rf"^{_ENTRY}(?:, {_ENTRY})*$")
_ONE = re.compile(_ENTRY)
_LOOKS_LIKE_ANNOTATION = re.compile(r"^AIO\d")
_OPTIONS = re.compile(r"^# OPTIONS:(.*)$")
_VERSION = re.compile(r"_py3(\d+)$")




@dataclass
class Run:
    violations: list[Violation]
    exit_code: int
    app: CapturingApplication

    def codes(self, prefix: str = "AIO") -> list[tuple[int, int, str]]:
        """(line, 0-based column, code) of every finding whose code starts with prefix."""
        return sorted(
            (v.line_number, v.column_number - 1, v.code)
            for v in self.violations
            if v.code.startswith(prefix)
        )


def run_flake8(args: Iterable[str], *, isolated: bool = True) -> Run:
    """flake8 with ``args`` in this process; config files are ignored unless
    ``isolated`` is false. Runs serially so that monkeypatching works."""
    argv = [f"--require-plugins={PLUGIN_PACKAGE}"]
    if isolated:
        argv.append("--isolated")
    argv += ["--jobs=1", *args]
    # The formatter keeps the violations instead of printing them: the same
    # machinery that ``flake8-async-tasks fix`` uses to find what to fix.
    app = CapturingApplication()
    app.run(argv)
    assert app.formatter is not None
    return Run(list(app.formatter.violations), app.exit_code(), app)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ annotations


@dataclass(frozen=True)
class Expected:
    line: int
    col: int
    code: str
    text: str | None = None  # must occur in the message when given


class AnnotationError(ValueError):
    pass


def parse_annotations(source: str) -> list[Expected]:
    """Every expected finding of an annotated file, from its comments."""
    expected: list[Expected] = []
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        body = token.string[1:].strip()
        if not _LOOKS_LIKE_ANNOTATION.match(body):
            continue
        if not _ANNOTATION.match(body):
            raise AnnotationError(
                f"line {token.start[0]}: malformed annotation {token.string!r}; "
                'expected "# AIO101: 4" or "# AIO101: 4, AIO105: 4 \\"text\\""'
            )
        for match in _ONE.finditer(body):
            code, col, text = match.groups()
            expected.append(Expected(token.start[0], int(col), code, text))
    return expected


def options_of(source: str) -> list[str]:
    """The flake8 options of the ``# OPTIONS:`` header on the first line."""
    first = source.split("\n", 1)[0]
    match = _OPTIONS.match(first)
    return shlex.split(match.group(1)) if match else []


def minimum_python(path: Path) -> tuple[int, int]:
    """``foo_py312.py`` runs on Python 3.12 and later."""
    match = _VERSION.search(path.stem)
    return (3, int(match.group(1))) if match else (3, 0)


def compare(path: Path, run: Run, expected: list[Expected]) -> list[str]:
    """Differences between annotations and findings, one readable line each."""
    got = [v for v in run.violations if v.code.startswith("AIO")]
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []

    def show(line: int) -> str:
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""

    unmatched = list(got)
    for exp in expected:
        match = next(
            (
                v for v in unmatched
                if (v.line_number, v.column_number - 1, v.code) == (exp.line, exp.col, exp.code)
            ),
            None,
        )
        if match is None:
            here = [f"{v.code}: {v.column_number - 1}" for v in got if v.line_number == exp.line]
            problems.append(
                f"{path.name}:{exp.line}: expected {exp.code}: {exp.col}, "
                f"got {', '.join(here) or 'nothing'}\n    {show(exp.line)}"
            )
            continue
        unmatched.remove(match)
        if exp.text is not None and exp.text not in match.text:
            problems.append(
                f"{path.name}:{exp.line}: {exp.code} message lacks {exp.text!r}: {match.text}"
            )
    for v in unmatched:
        problems.append(
            f"{path.name}:{v.line_number}: unexpected {v.code}: {v.column_number - 1} "
            f"({v.code} {v.text})\n    {show(v.line_number)}"
        )
    return sorted(problems, key=_line_of)


def _line_of(problem: str) -> tuple[str, int]:
    name, _, rest = problem.partition(":")
    return name, int(rest.split(":", 1)[0])


def check_file(path: Path, extra_args: Iterable[str] = ()) -> list[str]:
    """Run flake8 on one annotated file; the differences, or []."""
    source = path.read_text(encoding="utf-8")
    expected = parse_annotations(source)
    run = run_flake8([*options_of(source), *extra_args, str(path)])
    problems = compare(path, run, expected)
    if run.exit_code != int(bool(run.violations)):
        problems.append(
            f"{path.name}: flake8 exit status {run.exit_code} with {len(run.violations)} findings")
    return problems


def runs_here(path: Path) -> bool:
    return sys.version_info[:2] >= minimum_python(path)
