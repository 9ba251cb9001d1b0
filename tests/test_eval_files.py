"""Every annotated example under tests/eval_files/ through real flake8."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from aio_harness import (
    AnnotationError,
    check_file,
    minimum_python,
    options_of,
    parse_annotations,
    run_flake8,
    runs_here,
)
from flake8_async_tasks.settings import INFERENCE_LEVELS

EVAL_DIR = Path(__file__).parent / "eval_files"
EVAL_FILES = sorted(EVAL_DIR.glob("*.py"))


def test_there_are_eval_files():
    assert len(EVAL_FILES) >= 12


@pytest.mark.parametrize("path", EVAL_FILES, ids=[p.name for p in EVAL_FILES])
def test_eval_file(path: Path):
    if not runs_here(path):
        major, minor = minimum_python(path)
        pytest.skip(f"needs Python {major}.{minor}")
    problems = check_file(path)
    assert not problems, "annotations and findings differ:\n" + "\n".join(problems)


# The annotations hold at every inference level: following names further may
# find more, but never on these lines, and the syntax alone finds all of them.
@pytest.mark.parametrize("level", INFERENCE_LEVELS)
@pytest.mark.parametrize("path", EVAL_FILES, ids=[p.name for p in EVAL_FILES])
def test_eval_file_at_every_inference_level(path: Path, level: str):
    if not runs_here(path):
        pytest.skip("Python too old")
    if "--aio-inference" in " ".join(options_of(path.read_text(encoding="utf-8"))):
        pytest.skip("the file sets its own level")
    problems = check_file(path, [f"--aio-inference={level}"])
    from flake8_async_tasks.plugin import Plugin

    assert Plugin.settings.inference.label == level  # the option reached the plugin
    assert not problems, f"at --aio-inference={level}:\n" + "\n".join(problems)


def test_plugin_is_loaded_through_its_entry_point(tmp_path: Path):
    target = tmp_path / "empty.py"
    target.write_text("")
    run = run_flake8([str(target)])
    loaded = [p for p in run.app.plugins.checkers.tree if p.plugin.package == "flake8-async-tasks"]
    assert [p.entry_name for p in loaded] == ["AIO"]
    from flake8_async_tasks.plugin import Plugin

    assert loaded[0].obj is Plugin


# ------------------------------------------------------- the harness itself

_SOURCE = """\
import asyncio


async def work(): ...


async def main():
    asyncio.create_task(work()){annotation}
    await work()
"""


def _problems(tmp_path: Path, annotation: str, name: str = "sample.py") -> list[str]:
    path = tmp_path / name
    path.write_text(_SOURCE.format(annotation=annotation))
    return check_file(path)


def test_harness_accepts_a_correct_annotation(tmp_path: Path):
    assert _problems(tmp_path, "  # AIO101: 4") == []


def test_harness_fails_on_a_missing_annotation(tmp_path: Path):
    problems = _problems(tmp_path, "")
    assert len(problems) == 1
    assert "sample.py:8: unexpected AIO101: 4" in problems[0]
    assert "asyncio.create_task(work())" in problems[0]  # shows the line


def test_harness_fails_on_a_wrong_column(tmp_path: Path):
    problems = _problems(tmp_path, "  # AIO101: 5")
    assert len(problems) == 2
    assert problems[0] == (
        "sample.py:8: expected AIO101: 5, got AIO101: 4\n    asyncio.create_task(work())  # AIO101: 5"
    )
    assert problems[1].startswith("sample.py:8: unexpected AIO101: 4 (AIO101 task from")


def test_harness_fails_on_a_wrong_code(tmp_path: Path):
    problems = _problems(tmp_path, "  # AIO102: 4")
    assert any("expected AIO102: 4, got AIO101: 4" in p for p in problems)
    assert any("unexpected AIO101: 4" in p for p in problems)


def test_harness_fails_on_an_expected_finding_that_does_not_come(tmp_path: Path):
    path = tmp_path / "quiet.py"
    path.write_text("import asyncio  # AIO101: 0\n")
    assert check_file(path) == [
        "quiet.py:1: expected AIO101: 0, got nothing\n    import asyncio  # AIO101: 0"]


def test_harness_checks_message_text(tmp_path: Path):
    assert _problems(tmp_path, '  # AIO101: 4 "asyncio.create_task()"') == []
    problems = _problems(tmp_path, '  # AIO101: 4 "loop.create_task()"')
    assert len(problems) == 1 and "message lacks 'loop.create_task()'" in problems[0]


def test_harness_rejects_malformed_annotations():
    with pytest.raises(AnnotationError, match="line 1"):
        parse_annotations("x = 1  # AIO101 4\n")
    with pytest.raises(AnnotationError):
        parse_annotations("x = 1  # AIO101: 4; AIO102: 4\n")


def test_annotation_parsing():
    source = textwrap.dedent(
        """\
        # OPTIONS: --extend-select=AIO103 --max-line-length=200
        a = "# AIO101: 4"
        b = 1  # AIO101: 4, AIO105: 8 "x y"
        c = 2  # a plain comment about AIO101
        """
    )
    assert options_of(source) == ["--extend-select=AIO103", "--max-line-length=200"]
    assert [(e.line, e.col, e.code, e.text) for e in parse_annotations(source)] == [
        (3, 4, "AIO101", None),
        (3, 8, "AIO105", "x y"),
    ]


def test_options_header_is_passed_to_flake8(tmp_path: Path):
    source = textwrap.dedent(
        """\
        import asyncio


        async def main():
            await asyncio.create_task(asyncio.sleep(1)){annotation}
        """
    )
    path = tmp_path / "opts.py"
    path.write_text(source.format(annotation=""))
    assert check_file(path) == []
    path.write_text("# OPTIONS: --extend-select=AIO104\n" + source.format(annotation="  # AIO104: 10"))
    assert check_file(path) == []
    path.write_text(source.format(annotation="  # AIO104: 10"))
    assert check_file(path) != []


def test_version_suffix():
    assert minimum_python(Path("aio101_py311.py")) == (3, 11)
    assert minimum_python(Path("aio101_py312.py")) == (3, 12)
    assert minimum_python(Path("aio101.py")) == (3, 0)
