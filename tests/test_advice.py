"""Which fix a task finding advises: the project's Python, read from
pyproject.toml without running anything, decides whether a TaskGroup is
offered (issue 14)."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest
from aio_harness import run_flake8

from flake8_async_tasks.checks.advice import lowest_python, requires_python_bound

LOOKED_AT = textwrap.dedent(
    """\
    import asyncio


    async def work(): ...


    async def main():
        task = asyncio.create_task(work())
        print(task.get_name())
    """
)
TASK_GROUP = "await it before returning, or use a TaskGroup"
AWAIT = "await it before the function returns"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[project]\nname = "x"\nrequires-python = ">=3.11"\n', (3, 11)),
        ("[project]\nrequires-python = '>=3.9, <4'\n", (3, 9)),
        ('[project]\nrequires-python = "~=3.12"\n', (3, 12)),
        ('[project]\nrequires-python = ">3.10"\n', (3, 10)),
        ('[project]\nrequires-python = "==3.11.*"\n', (3, 11)),
        ('[project]\nrequires-python = ">= 3.8,!=3.9.*"\n', (3, 8)),
        ('[project] # the table\n"requires-python" = ">=3.13"\n', (3, 13)),
        ('[project]\nrequires-python = "<4"\n', (0, 0)),
        ('[project]\nrequires-python = "^3.11"\n', (0, 0)),
        ('[project]\nname = "x"\n', None),
        ('[tool.poetry.dependencies]\npython = "^3.11"\n', None),
        # A requires-python of another table is not the project's.
        ('[project]\nname = "x"\n[tool.x]\nrequires-python = ">=3.12"\n', None),
        ("", None),
    ],
)
def test_requires_python_lower_bound(text, expected):
    assert requires_python_bound(text) == expected


def _project(root: Path, requires: str | None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if requires is not None:
        (root / "pyproject.toml").write_text(f'[project]\nname = "p"\nrequires-python = "{requires}"\n')
    package = root / "src" / "pkg"
    package.mkdir(parents=True)
    path = package / "mod.py"
    path.write_text(LOOKED_AT)
    return path


def test_the_nearest_pyproject_wins(tmp_path):
    outer = tmp_path / "outer"
    inner = _project(outer / "inner", ">=3.12")
    (outer / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.8"\n')
    assert lowest_python(str(inner)) == (3, 12)
    assert lowest_python(str(outer / "x.py")) == (3, 8)


def test_no_pyproject_or_field_means_unknown(tmp_path):
    assert lowest_python(str(_project(tmp_path / "p", None))) in (None, (3, 10))  # an ancestor may have one
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "pyproject.toml").write_text("[tool.black]\nline-length = 99\n")
    assert lowest_python(str(tmp_path / "q" / "m.py")) is None
    assert lowest_python("") is None
    assert lowest_python("stdin") is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")
def test_a_fifo_named_pyproject_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pyproject.toml")
    assert lowest_python(str(tmp_path / "m.py")) is None  # and does not block


def test_a_project_on_python_3_11_is_offered_a_task_group(tmp_path):
    path = _project(tmp_path / "new", ">=3.11")
    run = run_flake8([str(path)])
    assert [v.code for v in run.violations] == ["AIO102"]
    assert run.violations[0].text.endswith(TASK_GROUP)


def test_a_project_that_supports_python_3_10_is_not(tmp_path):
    path = _project(tmp_path / "old", ">=3.10")
    run = run_flake8([str(path)])
    assert [v.code for v in run.violations] == ["AIO102"]
    assert run.violations[0].text.endswith(AWAIT)


def test_without_requires_python_the_running_python_decides(tmp_path):
    path = _project(tmp_path / "unknown", None)
    (tmp_path / "unknown" / "pyproject.toml").write_text("[tool.black]\n")
    run = run_flake8([str(path)])
    expected = TASK_GROUP if sys.version_info >= (3, 11) else AWAIT
    assert run.violations[0].text.endswith(expected)


@pytest.mark.parametrize(
    "body",
    [
        # An except around it would miss the TaskGroup's ExceptionGroup.
        ("    try:\n        task = asyncio.create_task(work())\n        print(task.get_name())\n"
        "    except ValueError:\n        pass\n"),
        # An async generator would hold the group open across its yield.
        "    task = asyncio.create_task(work())\n    print(task.get_name())\n    yield\n",
        # ensure_future is not a TaskGroup's create_task.
        "    task = asyncio.ensure_future(work())\n    print(task.get_name())\n",
    ],
    ids=["except around it", "async generator", "ensure_future"],
)
def test_no_task_group_where_it_would_change_more(tmp_path, body):
    path = _project(tmp_path / "new", ">=3.11")
    path.write_text(LOOKED_AT.split("async def main():")[0] + "async def main():\n" + body)
    run = run_flake8([str(path)])
    assert [v.code for v in run.violations] == ["AIO102"]
    assert run.violations[0].text.endswith(AWAIT)
