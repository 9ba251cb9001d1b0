"""The plugin inside flake8: noqa, selection of off-by-default rules, --jobs,
failures that must not break a lint run, and the README quick start."""

from __future__ import annotations

import ast
import logging
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import flake8_async_tasks.plugin
from aio_harness import run_flake8

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "docs" / "examples"
EVAL_DIR = Path(__file__).parent / "eval_files"

# AIO101 on line 9, AIO102 on line 10, AIO103 (off) on line 12, AIO104 (off)
# on line 13, F401 on line 1.
SOURCE = textwrap.dedent(
    """\
    import os
    import asyncio


    async def work(): await asyncio.sleep(0)


    async def main():
        asyncio.create_task(work()){noqa}
        ticker = asyncio.create_task(work())
        await asyncio.wait([ticker], timeout=1)
        ticker.cancel()
        await asyncio.create_task(work())
    """
)


def write(tmp_path: Path, noqa: str = "", name: str = "example.py") -> Path:
    path = tmp_path / name
    path.write_text(SOURCE.format(noqa=noqa))
    return path


def aio(path: Path, *args: str) -> list[tuple[int, int, str]]:
    return run_flake8([*args, str(path)]).codes("AIO")


# ------------------------------------------------------------------ noqa


def test_findings_without_noqa(tmp_path):
    assert aio(write(tmp_path)) == [(9, 4, "AIO101")]


@pytest.mark.parametrize("comment",
                         ["  # noqa: AIO101", "  # noqa", "  # noqa:AIO101,E501", "  # NOQA: AIO1"])
def test_noqa_on_the_reported_line(tmp_path, comment):
    assert aio(write(tmp_path, comment)) == []


def test_noqa_for_another_code_does_not_silence(tmp_path):
    assert aio(write(tmp_path, "  # noqa: AIO102")) == [(9, 4, "AIO101")]


def test_noqa_goes_on_the_first_line_of_a_multiline_call(tmp_path):
    template = textwrap.dedent(
        """\
        import asyncio


        async def work(): ...


        async def main():
            asyncio.create_task({first}
                work(),
                name="worker",
            ){last}
        """
    )
    path = tmp_path / "multi.py"
    path.write_text(template.format(first="", last=""))
    assert aio(path) == [(8, 4, "AIO101")]
    path.write_text(template.format(first="  # noqa: AIO101", last=""))
    assert aio(path) == []
    path.write_text(template.format(first="", last="  # noqa: AIO101"))
    assert aio(path) == [(8, 4, "AIO101")]


# ------------------------------------------------------- off-by-default rules


def test_off_by_default_rules_are_silent_by_default(tmp_path):
    codes = {code for _, _, code in aio(write(tmp_path))}
    assert codes == {"AIO101"}


def test_extend_select_turns_on_one_rule(tmp_path):
    assert aio(write(tmp_path), "--extend-select=AIO103") == [(9, 4, "AIO101"), (12, 4, "AIO103")]
    assert aio(write(tmp_path), "--extend-select=AIO104") == [(9, 4, "AIO101"), (13, 10, "AIO104")]
    assert aio(write(tmp_path), "--extend-select=AIO103,AIO104") == [
        (9, 4, "AIO101"), (12, 4, "AIO103"), (13, 10, "AIO104")
    ]


def test_select_aio_turns_on_everything_and_only_aio(tmp_path):
    # flake8 semantics: an explicit --select (here the prefix AIO) wins over
    # the plugin's extend_default_ignore, so the opinionated rules come on
    # too; other plugins' codes (F401) are no longer selected.
    run = run_flake8(["--select=AIO", str(write(tmp_path))])
    assert run.codes("") == [(9, 4, "AIO101"), (12, 4, "AIO103"), (13, 10, "AIO104")]


def test_extend_select_prefix_turns_on_everything(tmp_path):
    run = run_flake8(["--extend-select=AIO", str(write(tmp_path))])
    assert run.codes("AIO") == [(9, 4, "AIO101"), (12, 4, "AIO103"), (13, 10, "AIO104")]
    assert (1, 0, "F401") in run.codes("F")


def test_ignore_still_wins_over_select(tmp_path):
    assert aio(write(tmp_path), "--select=AIO", "--ignore=AIO101") == [(12, 4, "AIO103"), (13, 10, "AIO104")]


def test_other_plugins_findings_are_unaffected(tmp_path):
    run = run_flake8([str(write(tmp_path))])
    assert (1, 0, "F401") in run.codes("F")


# ------------------------------- one finding per task: AIO102 and AIO103

# A task never awaited (AIO102 on line 6) and cancelled with no await after
# (AIO103 on line 8): one finding, AIO103's when flake8 reports AIO103 for
# the file, AIO102's otherwise (issue 14).
CANCELLED = textwrap.dedent(
    """\
    import asyncio


    async def main():
        await asyncio.sleep(0)
        ticker = asyncio.create_task(asyncio.sleep(60))
        await asyncio.sleep(0)
        ticker.cancel(){noqa}
    """
)
AIO102_ONLY = [(6, 13, "AIO102")]
AIO103_ONLY = [(8, 4, "AIO103")]


def write_cancelled(tmp_path: Path, noqa: str = "") -> Path:
    path = tmp_path / "cancelled.py"
    path.write_text(CANCELLED.format(noqa=noqa))
    return path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), AIO102_ONLY),
        (("--extend-select=AIO103",), AIO103_ONLY),
        (("--select=AIO",), AIO103_ONLY),
        (("--select=AIO1",), AIO103_ONLY),
        (("--select=AIO103",), AIO103_ONLY),
        (("--select=AIO102",), AIO102_ONLY),
        (("--select=AIO", "--ignore=AIO103"), AIO102_ONLY),
        (("--select=AIO", "--extend-ignore=AIO103"), AIO102_ONLY),
        (("--extend-select=AIO103", "--extend-ignore=AIO103"), AIO102_ONLY),
        (("--select=AIO", "--per-file-ignores=cancelled.py:AIO103"), AIO102_ONLY),
        (("--select=AIO", "--per-file-ignores=other.py:AIO103"), AIO103_ONLY),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else None,
)
def test_a_cancelled_unawaited_task_gets_one_finding(tmp_path, monkeypatch, args, expected):
    monkeypatch.chdir(tmp_path)  # per-file-ignores patterns are relative to it
    assert aio(write_cancelled(tmp_path).relative_to(tmp_path), *args) == expected


@pytest.mark.parametrize(
    ("config", "body", "expected"),
    [
        ("setup.cfg", "extend-select = AIO103", AIO103_ONLY),
        ("tox.ini", "select = AIO", AIO103_ONLY),
        (".flake8", "select = AIO\nextend-ignore = AIO103", AIO102_ONLY),
        (".flake8", "extend-select = AIO103\nper-file-ignores =\n    cancelled.py: AIO103", AIO102_ONLY),
    ],
)
def test_the_selection_in_a_config_file_decides_too(tmp_path, monkeypatch, config, body, expected):
    (tmp_path / config).write_text(f"[flake8]\n{body}\n")
    write_cancelled(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run_flake8(["cancelled.py"], isolated=False).codes("AIO") == expected


def test_noqa_on_the_cancel_silences_the_task(tmp_path):
    # Documented: the one finding is AIO103's, and the user silenced it.
    assert aio(write_cancelled(tmp_path, "  # noqa: AIO103"), "--extend-select=AIO103") == []
    assert aio(write_cancelled(tmp_path, "  # noqa: AIO103")) == AIO102_ONLY


def test_one_finding_per_task_with_jobs_2(tmp_path):
    for n in range(3):
        (tmp_path / f"cancelled_{n}.py").write_text(CANCELLED.format(noqa=""))
    found = _subprocess_flake8("--jobs=2", "--extend-select=AIO103", ".", cwd=tmp_path)
    assert [line.split(" ", 2)[1] for line in found] == ["AIO103"] * 3


def test_an_unreadable_selection_reports_as_if_aio103_were_off(tmp_path, monkeypatch):
    # flake8's internals changed: the plugin cannot tell, so both rules report.
    def broken(*args, **kwargs):
        raise TypeError("changed")

    monkeypatch.setattr(flake8_async_tasks.plugin, "StyleGuideManager", broken)
    assert aio(write_cancelled(tmp_path), "--extend-select=AIO103") == [*AIO102_ONLY, *AIO103_ONLY]


# ------------------------------------------------------------------ --jobs


def _subprocess_flake8(*args: str, cwd: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *args],
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return sorted(result.stdout.splitlines())


def test_jobs_2_gives_the_same_findings_as_jobs_1(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(EVAL_DIR, project / "eval")
    shutil.copytree(EXAMPLES, project / "examples")
    serial = _subprocess_flake8("--jobs=1", "--select=AIO", ".", cwd=project)
    parallel = _subprocess_flake8("--jobs=2", "--select=AIO", ".", cwd=project)
    assert len({line.split(":", 1)[0] for line in serial}) >= 10  # many files report
    assert parallel == serial


# ------------------------------------------------------------ never raises


@pytest.mark.parametrize("error", [ValueError("boom"), RecursionError("deep"), KeyError("k")])
def test_an_analysis_error_does_not_break_the_lint_run(tmp_path, monkeypatch, caplog, error):
    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(flake8_async_tasks.plugin, "check", broken)
    path = write(tmp_path)
    with caplog.at_level(logging.WARNING, logger="flake8_async_tasks.plugin"):
        run = run_flake8([str(path)])
    assert run.codes("AIO") == []
    assert (1, 0, "F401") in run.codes("F")  # the other plugins still report
    assert run.exit_code == 1  # for F401, not a crash
    assert not run.app.catastrophic_failure
    assert any(type(error).__name__ in record.getMessage() and "example.py" in record.getMessage()
               for record in caplog.records)


def test_an_error_in_one_file_keeps_the_findings_of_the_others(tmp_path, monkeypatch):
    real_check = flake8_async_tasks.plugin.check

    def fails_on_marked_files(tree, *args, **kwargs):
        if any(isinstance(node, ast.Name) and node.id == "BREAK_ME" for node in ast.walk(tree)):
            raise RuntimeError("analysis bug")
        return real_check(tree, *args, **kwargs)

    monkeypatch.setattr(flake8_async_tasks.plugin, "check", fails_on_marked_files)
    good = write(tmp_path, name="good.py")
    bad = tmp_path / "bad.py"
    bad.write_text(SOURCE.format(noqa="") + "BREAK_ME\n")
    run = run_flake8([str(good), str(bad)])
    by_file = {(Path(v.filename).name, v.code) for v in run.violations if v.code.startswith("AIO")}
    assert by_file == {("good.py", "AIO101")}


# ------------------------------------------------------------- quick start


def _readme_lint_command() -> list[str]:
    """The flake8 arguments of the README's first quick-start command."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    lint = next(line for block in blocks for line in block.splitlines() if "flake8" in line)
    flake8_part = next(part for part in lint.split("&&") if "flake8" in part)
    words = shlex.split(flake8_part)
    return words[words.index("flake8") + 1:]


def _variant(tree: ast.Module, line: int) -> str:
    for node in tree.body:
        if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and node.lineno <= line <= node.end_lineno):
            return node.name
    return "<module>"


def test_readme_quick_start_reports_each_broken_variant_once(monkeypatch):
    args = _readme_lint_command()
    assert "docs/examples/" in args or "docs/examples" in args
    monkeypatch.chdir(REPO)  # as the README runs it: from the clone, with its setup.cfg
    run = run_flake8(args, isolated=False)
    assert {Path(v.filename).name for v in run.violations} == {"counters_broken.py"}
    broken = EXAMPLES / "counters_broken.py"
    tree = ast.parse(broken.read_text(encoding="utf-8"))
    variants = [
        node.name for node in tree.body
        if isinstance(node, ast.AsyncFunctionDef) and node.name != "count"
    ]
    found: dict[str, list[str]] = {}
    for v in run.violations:
        found.setdefault(_variant(tree, v.line_number), []).append(v.code)
    assert sorted(found) == sorted(variants), found
    assert all(len(codes) == 1 for codes in found.values()), found


def test_readme_shows_lines_the_quick_start_prints(monkeypatch):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(.*?)```", readme, flags=re.S).group(1).splitlines()
    shown = [line for line in shown if line.strip() and line.strip() != "..."]
    assert shown
    monkeypatch.chdir(REPO)
    run = run_flake8(_readme_lint_command(), isolated=False)
    printed = {
        f"{Path(v.filename).relative_to(REPO) if Path(v.filename).is_absolute() else Path(v.filename)}"
        f":{v.line_number}:{v.column_number}: {v.code} {v.text}"
        for v in run.violations
    }
    for line in shown:
        # A line ending in " ..." is the beginning of a printed one (a message shortened).
        found = line in printed or (line.endswith(" ...") and any(p.startswith(line[:-3]) for p in printed))
        assert found, f"README shows a line the command does not print:\n{line}\nprinted:\n" + \
            "\n".join(sorted(printed))


def test_the_correct_counters_program_is_silent():
    run = run_flake8(["--select=AIO,F,E9", str(EXAMPLES / "counters.py")])
    assert run.violations == []
