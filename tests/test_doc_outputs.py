"""What the docs quote from a command is what the command prints, and every
shell example in the docs runs as written.

The quoted outputs are compared with a real run, not with text kept here:
a quoted line is either the real line or its beginning followed by ``...``
(the docs shorten the long messages that way), and a line of its own ``...``
stands for the lines that follow. So a change of a message's advice keeps
these tests passing, and a change of what is found, or where, fails them.
(tests/test_workflows.py checks the samples of index.md, installation.md,
ci.md's GitHub annotation and usage.md's JSON the same way.)
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import textwrap
from pathlib import Path

import entry_points
import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PAGES = [*sorted(DOCS.glob("*.md")), REPO / "README.md"]


def _run(
    command: str, cwd: Path, tmp_path: Path, groups=("flake8.report",)
) -> subprocess.CompletedProcess[str]:
    """``command`` in bash, as a user types it, with this checkout's flake8,
    plugin (and its entry points of ``groups``) and console script first on
    the paths."""
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=entry_points.env(tmp_path, *groups),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def _block_after(page: Path, marker: str) -> tuple[str, list[str]]:
    """The ``$ command`` and the lines of the first text block after ``marker``."""
    text = page.read_text(encoding="utf-8")
    block = re.search(r"```text\n(.*?)```", text[text.index(marker):], re.S)
    assert block, f"{page.name}: no text block after {marker!r}"
    lines = block[1].rstrip("\n").splitlines()
    command = lines[0].removeprefix("$ ") if lines[0].startswith("$ ") else ""
    return command, lines[1:] if command else lines


def assert_shows(shown: list[str], actual: list[str]) -> None:
    """``shown`` is ``actual``, with messages shortened to ``beginning ...`` and a
    final ``...`` for the lines left out."""
    more = bool(shown) and shown[-1] == "..."
    lines = shown[:-1] if more else shown
    assert len(actual) >= len(lines) if more else len(actual) == len(lines), (
        "docs:\n" + "\n".join(shown) + "\nreal run:\n" + "\n".join(actual)
    )
    for doc, real in zip(lines, actual):
        if doc.endswith(" ..."):
            assert real.startswith(doc[: -len("...")]), f"docs: {doc}\nreal: {real}"
        else:
            assert doc == real, f"docs: {doc}\nreal: {real}"


# ----------------------------------------------------------- quoted outputs


def test_usage_statistics_sample(tmp_path):
    command, shown = _block_after(DOCS / "usage.md", "## A count per code")
    assert command.startswith("flake8 ") and "--statistics" in command
    done = _run(command, REPO, tmp_path)
    assert done.returncode == 1, done.stderr
    assert_shows(shown, done.stdout.splitlines())


def test_usage_count_per_code_sample(tmp_path):
    text = (DOCS / "usage.md").read_text(encoding="utf-8")
    marker = "For a short count per code"
    command, shown = _block_after(DOCS / "usage.md", marker)
    assert "| sort | uniq -c" in command
    done = _run(command, REPO, tmp_path)
    assert done.stderr == ""
    assert done.stdout.splitlines() == shown
    assert marker in text


def test_readme_sample(tmp_path):
    readme = REPO / "README.md"
    quick_start = re.search(
        r"```sh\n(python3 -m pip install \. && (.*))\n```", readme.read_text(encoding="utf-8")
    )
    assert quick_start, "README: no quick-start command"
    command = quick_start[2]  # the lint part, without the install
    _, shown = _block_after(readme, "The first command prints")
    done = _run(command, REPO, tmp_path)
    assert done.returncode == 1, done.stderr
    assert_shows(shown, done.stdout.splitlines())


def test_gitlab_description_sample(tmp_path):
    # ci.md quotes the end of a Code Quality issue's description.
    text = (DOCS / "ci.md").read_text(encoding="utf-8")
    quoted = re.search(r"followed by its code, such as\n``(.+?)``\.", text)
    assert quoted, "ci.md: no quoted Code Quality description"
    shown = quoted[1]
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(_installation_app(), encoding="utf-8")
    done = _run(
        "flake8 --exit-zero --format=gl-codeclimate --output-file=report.json app.py", project, tmp_path
    )
    assert done.returncode == 0, done.stderr
    [issue] = json.loads((project / "report.json").read_text(encoding="utf-8"))
    description = issue["description"]
    head, _, tail = shown.partition(" ... ")
    assert description.startswith(head) and description.endswith(tail), description


def _installation_app() -> str:
    text = (DOCS / "installation.md").read_text(encoding="utf-8")
    return re.search(r"```python\n(.*?)```", text[text.index("## First finding"):], re.S)[1]


def test_flake8_version_sample(tmp_path):
    command, (shown,) = _block_after(DOCS / "installation.md", "## Check that flake8 sees it")
    done = _run(command, tmp_path, tmp_path, groups=())
    real = " ".join(done.stdout.split())  # argparse wraps the line at the terminal's width
    # Versions differ from machine to machine; the shape and the plugin's entry do not.
    from flake8_async_tasks import __version__

    assert f"flake8-async-tasks: {__version__}" in shown and f"flake8-async-tasks: {__version__}" in real
    shape = re.compile(r"\S+ \((?:[\w.-]+: [\w.]+, )*[\w.-]+: [\w.]+\) \w+ [\d.]+\S* on \w+")
    assert shape.fullmatch(shown) and shape.fullmatch(real), (shown, real)


# ------------------------------------------------------- the ruff overlap table

PRELUDE = """\
import asyncio
from asyncio import create_task


async def work():
    pass


def done(task):
    pass


class Service:
    def __init__(self):
        self._loop = asyncio.get_running_loop()

    async def main(self):
"""

# Each row of docs/ruff.md's table, by its first cell, and the code of each
# case the cell names (the reported line is the one marked `# here`, or the
# only line). A row added to the table needs its cases here.
RUFF_ROWS = {
    "`asyncio.create_task(work())` as a statement, or `create_task(work())` after "
    "`from asyncio import create_task`": [
        "asyncio.create_task(work())",
        "create_task(work())",
    ],
    "`asyncio.ensure_future(work())` as a statement": ["asyncio.ensure_future(work())"],
    "`_ = asyncio.create_task(work())`": ["_ = asyncio.create_task(work())"],
    "`loop.create_task(work())` as a statement, with `loop = asyncio.get_running_loop()` "
    "in the same function": [
        "loop = asyncio.get_running_loop()\nloop.create_task(work())  # here"
    ],
    "`self._loop.create_task(work())` or `asyncio.get_running_loop().create_task(work())` as a statement": [
        "self._loop.create_task(work())",
        "asyncio.get_running_loop().create_task(work())",
    ],
    "`asyncio.create_task(work()).add_done_callback(done)`": [
        "asyncio.create_task(work()).add_done_callback(done)"
    ],
    "`[asyncio.create_task(work()) for _ in range(3)]` as a statement": [
        "[asyncio.create_task(work()) for _ in range(3)]"
    ],
    "`task = asyncio.create_task(work())`, and `task` is never used again": [
        "task = asyncio.create_task(work())"
    ],
    "`task = asyncio.create_task(work())`, and `task` is only cancelled or given a done callback": [
        "task = asyncio.create_task(work())  # here\ntask.cancel()",
        "task = asyncio.create_task(work())  # here\ntask.add_done_callback(done)",
    ],
    "`asyncio.create_task(work)` (the function, not a call) as a statement": ["asyncio.create_task(work)"],
    "`asyncio.create_task(lambda: None)` as a statement": ["asyncio.create_task(lambda: None)"],
    "`task = asyncio.create_task(work)`, and `task` is never used again": [
        "task = asyncio.create_task(work)"
    ],
    "`task = asyncio.create_task(work)`, then `await task`": [
        "task = asyncio.create_task(work)  # here\nawait task"
    ],
}


def _ruff_table() -> list[list[str]]:
    text = (DOCS / "ruff.md").read_text(encoding="utf-8")
    table = text[text.index("| the line | this plugin | RUF006 | ASYNC300 |"):].split("\n\n", 1)[0]
    rows = [[cell.strip() for cell in line.strip("|").split(" | ")] for line in table.splitlines()[2:]]
    return rows


def _ruff_cases(tmp_path: Path) -> tuple[Path, list[tuple[list[str], str, str, int]]]:
    """One module per case; returns (folder, [(row, case, file name, line)])."""
    folder = tmp_path / "cases"
    folder.mkdir()
    cases = []
    for row in _ruff_table():
        for number, case in enumerate(RUFF_ROWS[row[0]]):
            name = f"case_{len(cases)}_{number}.py"
            body = textwrap.indent(case, " " * 8) + "\n"
            lines = body.splitlines()
            target = next((i for i, line in enumerate(lines) if line.endswith("# here")), 0)
            (folder / name).write_text(PRELUDE + body, encoding="utf-8")
            cases.append((row, case, name, PRELUDE.count("\n") + target + 1))
    return folder, cases


def test_ruff_table_has_a_case_for_every_row():
    assert [row[0] for row in _ruff_table()] == list(RUFF_ROWS)


def test_ruff_table_this_plugin_column(tmp_path):
    folder, cases = _ruff_cases(tmp_path)
    # The plugin's default rules, as the table was made (AIO103, off by
    # default, would also report the cancelled task).
    done = _run("flake8 --isolated --format='%(path)s:%(row)d:%(code)s' .", folder, tmp_path)
    found: dict[tuple[str, int], list[str]] = {}
    for line in done.stdout.splitlines():
        path, row, code = line.rsplit(":", 2)
        if code.startswith("AIO"):
            found.setdefault((Path(path).name, int(row)), []).append(code)
    assert sum(map(len, found.values())) == len(cases), done.stdout + done.stderr  # nothing else is reported
    for row, case, name, line in cases:
        assert found.get((name, line)) == [row[1]], (
            f"{case!r}: the table says {row[1]}, flake8 says {found.get((name, line))}"
        )


def test_ruff_table_ruf006_column(tmp_path):
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    version = subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.split()[-1]
    documented = re.search(r"\(ruff (\S+) with", (DOCS / "ruff.md").read_text(encoding="utf-8"))[1]
    if version != documented:
        pytest.skip(f"the table is of ruff {documented}; this is ruff {version}")
    folder, cases = _ruff_cases(tmp_path)
    done = subprocess.run(
        [ruff, "check", "--isolated", "--select=RUF006", "--output-format=json", "--exit-zero", "."],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    found = {(Path(f["filename"]).name, f["location"]["row"]) for f in json.loads(done.stdout)}
    for row, case, name, line in cases:
        says = "yes" if (name, line) in found else "no"
        assert says == row[2], f"{case!r}: the table says RUF006 {row[2]}, ruff {version} says {says}"


# ------------------------------------------------------- shell examples

SH_BLOCK = re.compile(r"```(?:sh|bash|shell)\n(.*?)```", re.S)
LINTERS = ("flake8", "flake8-async-tasks")


def _sh_blocks() -> list[tuple[str, str]]:
    return [(page.name, m[1]) for page in PAGES for m in SH_BLOCK.finditer(page.read_text(encoding="utf-8"))]


SH = _sh_blocks()


def _commands(block: str) -> list[str]:
    """The commands of a block: one a line, ``\\`` continuations joined."""
    return [
        c for c in block.replace("\\\n", " ").splitlines() if c.strip() and not c.lstrip().startswith("#")
    ]


def _runs_here(command: str) -> bool:
    """A flake8 or flake8-async-tasks command (alone, or in a pipeline) that
    names nothing outside the folder it runs in: those run in the test.
    Commands with a placeholder (`<repository URL>`), an absolute path (the
    corpus recipes of validation.md) or anything else (pip, git, pre-commit,
    the benchmarks) are only syntax-checked."""
    if "<" in command or re.search(r"(^|\s|=)/", command):
        return False
    words = [shlex.split(part, comments=True)[:3] for part in command.split("|")]
    return any(
        w
        and (
            w[0] in LINTERS
            or (
                w[0] in ("python", "python3")
                and w[1:2] == ["-m"]
                and w[2:3]
                and w[2] in ("flake8", "flake8_async_tasks")
            )
        )
        for w in words
    )


@pytest.mark.parametrize(("page", "block"), SH, ids=[f"{p}-{i}" for i, (p, _) in enumerate(SH)])
def test_shell_example_is_valid_bash(page, block):
    done = subprocess.run(["bash", "-n"], input=block, capture_output=True, text=True)
    assert done.returncode == 0, f"{page}:\n{block}\n{done.stderr}"


RUNNABLE = [(page, c) for page, block in SH for c in _commands(block) if _runs_here(c)]


def test_the_docs_have_runnable_shell_examples():
    pages = {page for page, _ in RUNNABLE}
    assert {"usage.md", "configuration.md", "installation.md"} <= pages, pages


@pytest.fixture
def sample_project(tmp_path) -> Path:
    """A folder with what the examples name: app.py, src/ and tests/, docs/examples/."""
    root = tmp_path / "sample"
    (root / "src" / "app").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "app.py").write_text(_installation_app(), encoding="utf-8")
    (root / "src" / "app" / "__init__.py").write_text("", encoding="utf-8")
    (root / "src" / "app" / "utils.py").write_text(
        "import asyncio\n\n\ndef spawn(coro):\n    return asyncio.create_task(coro)\n", encoding="utf-8"
    )
    (root / "src" / "app" / "jobs.py").write_text(
        "import asyncio\n\n\nasync def save():\n    pass\n\n\nasync def main():\n    save()\n"
        "    asyncio.create_task(save())\n",
        encoding="utf-8",
    )
    (root / "tests" / "test_app.py").write_text("def test_nothing():\n    pass\n", encoding="utf-8")
    shutil.copytree(DOCS / "examples", root / "docs" / "examples")
    return root


@pytest.mark.parametrize(("page", "command"), RUNNABLE, ids=[f"{p}: {c[:60]}" for p, c in RUNNABLE])
def test_shell_example_runs_as_written(page, command, sample_project, tmp_path):
    done = _run(command, sample_project, tmp_path)
    out = done.stdout + done.stderr
    # 0 or 1 (findings), never a usage error, a crash or a path that is not there.
    assert done.returncode in (0, 1), f"{page}: {command}\nstatus {done.returncode}\n{out}"
    assert "Traceback" not in out and "error:" not in done.stderr, f"{page}: {command}\n{out}"
    assert not re.search(r": E902 ", out), f"{page}: {command} names a file that is not there\n{out}"


def test_a_command_that_splits_its_value_is_caught(sample_project, tmp_path):
    # The --aio-task-factories example before it was quoted: the shell splits
    # the value at its space, and flake8 takes `app.jobs.*` for a path.
    done = _run("flake8 --aio-task-factories=app.utils.spawn, app.jobs.* src/", sample_project, tmp_path)
    assert re.search(r": E902 ", done.stdout + done.stderr)
