"""The plugin where users meet it: flake8's configuration files, exit status and
output formats, editors, pre-commit, CI snippets, and the documentation site.

Each workflow is exercised with the real tool (flake8 in a subprocess or in a
long-lived process, pre-commit from PyPI, mkdocs), and the programs and command
outputs that the docs show are run and compared with what they claim.
"""

from __future__ import annotations

import ast
import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import flake8_async_tasks
from flake8_async_tasks import docs, registry
from flake8_async_tasks.settings import OPTIONS, Option

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"

# One bug of each kind the tests need: AIO101 (on by default) on line 9 and
# AIO103 (off by default) on line 12.
BUGGY = textwrap.dedent(
    """\
    import asyncio


    async def work():
        await asyncio.sleep(0)


    async def main():
        asyncio.create_task(work())
        ticker = asyncio.create_task(work())
        await asyncio.wait([ticker], timeout=1)
        ticker.cancel()
    """
)
FIXED = textwrap.dedent(
    """\
    import asyncio


    async def work():
        await asyncio.sleep(0)


    async def main():
        task = asyncio.create_task(work())
        await task
    """
)


@dataclass
class Run:
    status: int
    out: str
    err: str

    @property
    def codes(self) -> list[str]:
        return re.findall(r":\d+:\d+: (AIO\d+) ", self.out)


def flake8(*args: str, cwd: Path, stdin: str | None = None) -> Run:
    """flake8 in a fresh process, as a user or a CI job runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


# ------------------------------------------------------ configuration files

CONFIG_FILES = ["setup.cfg", "tox.ini", ".flake8"]
# Other sections that real projects keep in the same files, which flake8 must skip.
NEIGHBOURS = {
    "setup.cfg": "[metadata]\nname = app\n\n",
    "tox.ini": "[tox]\nenv_list = py311\n\n",
    ".flake8": "",
}


def config(name: str, body: str) -> dict[str, str]:
    return {name: NEIGHBOURS[name] + "[flake8]\n" + textwrap.dedent(body)}


def test_without_configuration_the_opinionated_rules_are_off(tmp_path):
    root = project(tmp_path, {"app.py": BUGGY})
    run = flake8("--isolated", "app.py", cwd=root)
    assert run.codes == ["AIO101"], run.out + run.err


@pytest.mark.parametrize("name", CONFIG_FILES)
def test_extend_select_from_each_config_file(tmp_path, name):
    root = project(tmp_path, {"app.py": BUGGY, **config(name, "extend-select = AIO103\n")})
    run = flake8("app.py", cwd=root)
    assert run.codes == ["AIO101", "AIO103"], run.out + run.err


@pytest.mark.parametrize("name", CONFIG_FILES)
def test_per_file_ignores_from_each_config_file(tmp_path, name):
    body = """\
        extend-select = AIO103
        per-file-ignores =
            app.py: AIO101
        """
    root = project(tmp_path, {"app.py": BUGGY, "other.py": BUGGY, **config(name, body)})
    run = flake8("app.py", "other.py", cwd=root)
    found = re.findall(r"^(\w+\.py):\d+:\d+: (AIO\d+)", run.out, re.M)
    assert sorted(found) == [("app.py", "AIO103"), ("other.py", "AIO101"), ("other.py", "AIO103")]


CANCELLED_AND_AWAITED_AT_ONCE = textwrap.dedent(
    """\
    import asyncio


    async def work():
        await asyncio.sleep(0)


    async def main():
        ticker = asyncio.create_task(work())
        ticker.cancel()
        await asyncio.create_task(work())
        return ticker.done()
    """
)


def test_command_line_extend_select_replaces_the_config_files(tmp_path):
    # What docs/configuration.md and docs/pre-commit.md warn about: flake8 does not
    # merge the two, so a hook's `args: [--extend-select=...]` drops the project's.
    files = {"app.py": CANCELLED_AND_AWAITED_AT_ONCE, **config(".flake8", "extend-select = AIO104\n")}
    root = project(tmp_path, files)
    from_file = flake8("app.py", cwd=root)
    assert from_file.codes == ["AIO102", "AIO104"], from_file.out
    from_both = flake8("--extend-select=AIO103", "app.py", cwd=root)
    # AIO104 is gone; AIO103, now on, speaks alone for the cancelled task (issue 14).
    assert from_both.codes == ["AIO103"], from_both.out


def _option_value_in_settings(option: Option):
    from flake8_async_tasks.plugin import Plugin

    field_name = option.dest.removeprefix("aio_")
    settings = Plugin.settings
    return getattr(settings, field_name)


@pytest.mark.parametrize("name", CONFIG_FILES)
@pytest.mark.parametrize("option", OPTIONS, ids=[o.flag for o in OPTIONS])
def test_every_plugin_option_is_read_from_each_config_file(tmp_path, monkeypatch, option, name):
    from flake8.main import cli

    root = project(tmp_path, {"app.py": FIXED, **config(name, f"{option.config_name} = {option.example}\n")})
    monkeypatch.chdir(root)
    assert cli.main(["app.py"]) == 0
    assert _option_value_in_settings(option) == option.parse(option.example)


CHECKED_OPTIONS = [o for o in OPTIONS if o.choices or o.validate is not None]


@pytest.mark.parametrize("option", CHECKED_OPTIONS, ids=[o.flag for o in CHECKED_OPTIONS])
def test_a_bad_option_value_is_one_line_and_status_2(tmp_path, option):
    root = project(tmp_path, {"app.py": FIXED, **config(".flake8", f"{option.config_name} = 9 not valid\n")})
    run = flake8("app.py", cwd=root)
    assert run.status == 2
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("flake8-async-tasks: error: "), run.err


# ------------------------------------------------- exit status and formats


def test_exit_status_is_1_with_findings_and_0_without(tmp_path):
    root = project(tmp_path, {"buggy.py": BUGGY, "fixed.py": FIXED})
    assert flake8("buggy.py", cwd=root).status == 1
    assert flake8("fixed.py", cwd=root).status == 0
    assert flake8("--exit-zero", "buggy.py", cwd=root).status == 0


def test_json_output_through_flake8_json(tmp_path):
    root = project(tmp_path, {"buggy.py": BUGGY, "fixed.py": FIXED})
    run = flake8("--format=json", "buggy.py", "fixed.py", cwd=root)
    assert run.status == 1
    report = json.loads(run.out)
    assert report["fixed.py"] == []
    [finding] = report["buggy.py"]
    assert (finding["code"], finding["line_number"], finding["column_number"]) == ("AIO101", 9, 5)
    rule = registry.get("AIO101")
    expected = rule.format(call="asyncio.create_task()", claim=rule.claims["unseen"], fix=rule.fixes["keep"])
    assert finding["text"] == expected.split(" ", 1)[1]


def test_gitlab_code_quality_report_as_docs_ci_shows(tmp_path):
    command = _snippet_command(DOCS / "ci.md", "--format=gl-codeclimate")
    root = project(tmp_path, {"buggy.py": BUGGY})
    run = flake8(*command[1:], cwd=root)
    assert run.status == 0  # --exit-zero: the next script line fails the job
    [issue] = json.loads((root / "gl-code-quality-report.json").read_text())
    assert issue["location"]["path"] == "buggy.py"
    assert issue["location"]["lines"]["begin"] == 9
    assert issue["description"].endswith("[AIO101]")


def test_github_annotations_as_docs_ci_shows(tmp_path):
    command = _snippet_command(DOCS / "ci.md", "--format='::error")
    root = project(tmp_path, {"buggy.py": BUGGY})
    run = flake8(*command[1:], "buggy.py", cwd=root)
    assert run.status == 1
    [line] = run.out.splitlines()
    assert re.fullmatch(r"::error file=buggy\.py,line=9,col=5,title=AIO101::AIO101 task from .*", line), line
    shown = _text_blocks_after(DOCS / "ci.md", "A finding on line 9")[0].strip()
    assert _matches_shortened(shown.replace("app.py", "buggy.py"), line)


def _snippet_command(page: Path, marker: str) -> list[str]:
    """The flake8 command of a YAML snippet in ``page`` containing ``marker``."""
    text = page.read_text(encoding="utf-8")
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        import yaml

        data = yaml.safe_load(block)
        for command in _strings(data):
            if command.startswith("flake8") and marker in command:
                return shlex.split(command)
    raise AssertionError(f"no flake8 command with {marker!r} in {page.name}")


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


# ------------------------------------------------------------------ editors


def test_standard_input_uses_the_display_name(tmp_path):
    root = project(tmp_path, {**config(".flake8", "per-file-ignores =\n    ignored.py: AIO101\n")})
    run = flake8("--stdin-display-name=src/app.py", "-", cwd=root, stdin=BUGGY)
    assert run.out.startswith("src/app.py:9:5: AIO101 "), run.out
    run = flake8("--stdin-display-name=ignored.py", "-", cwd=root, stdin=BUGGY)
    assert run.codes == [] and run.status == 0, run.out


def test_vscode_extension_output_format_parses(tmp_path):
    # The VS Code flake8 extension passes this format and parses each line
    # with this pattern (bundled/tool/lsp_server.py of microsoft/vscode-flake8).
    root = project(tmp_path, {"buggy.py": BUGGY})
    run = flake8("--format=%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s", "--extend-select=AIO", "buggy.py",
                 cwd=root)
    pattern = re.compile(
        r"(?P<line>\d+),(?P<column>-?\d+),(?P<type>\w+),(?P<code>\w+\d+):(?P<message>[^\r\n]*)"
    )
    lines = run.out.splitlines()
    assert len(lines) == 2
    assert [pattern.fullmatch(line)["code"] for line in lines] == ["AIO101", "AIO103"]


def _lint_in_process(root: Path, monkeypatch, capsys, *paths: str) -> list[str]:
    from flake8.main import cli

    monkeypatch.chdir(root)
    cli.main(["--isolated", "--select=AIO", *paths])
    return re.findall(r"^\S+:\d+:\d+: (AIO\d+)", capsys.readouterr().out, re.M)


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()  # a later mtime, even on filesystems with coarse timestamps
    os.utime(path, (stat.st_atime + 2, stat.st_mtime + 2))


def test_a_long_lived_process_sees_edits_to_the_linted_file(tmp_path, monkeypatch, capsys):
    # The VS Code extension runs flake8 again and again inside one process.
    root = project(tmp_path, {"app.py": BUGGY})
    assert _lint_in_process(root, monkeypatch, capsys, "app.py") == ["AIO101", "AIO103"]
    _edit(root / "app.py", FIXED)
    assert _lint_in_process(root, monkeypatch, capsys, "app.py") == []
    _edit(root / "app.py", BUGGY)
    assert _lint_in_process(root, monkeypatch, capsys, "app.py") == ["AIO101", "AIO103"]


HELPER_ASYNC = "async def refresh():\n    pass\n"
HELPER_SYNC = "def refresh():\n    pass\n"
USES_HELPER = "from helpers import refresh\n\n\nasync def main():\n    refresh()\n"


def test_a_long_lived_process_sees_edits_to_other_modules(tmp_path, monkeypatch, capsys):
    root = project(tmp_path, {"helpers.py": HELPER_ASYNC, "app.py": USES_HELPER})
    monkeypatch.syspath_prepend(str(root))
    if _lint_in_process(root, monkeypatch, capsys, "app.py") != ["AIO201"]:
        pytest.skip("the plugin does not follow `refresh` into helpers.py (no cross-module inference)")
    _edit(root / "helpers.py", HELPER_SYNC)
    assert _lint_in_process(root, monkeypatch, capsys, "app.py") == [], "stale: helpers.py was edited"
    _edit(root / "helpers.py", HELPER_ASYNC)
    assert _lint_in_process(root, monkeypatch, capsys, "app.py") == ["AIO201"], "stale: helpers.py was edited"


# --------------------------------------------------------------- pre-commit


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=60)


@pytest.fixture
def pre_commit_env(tmp_path):
    """A clone of this repository's HEAD, a git project to lint, and pre-commit's environment."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of this repository")
    clone = tmp_path / "clone"
    _git("clone", "--quiet", str(REPO), str(clone), cwd=tmp_path)
    work = project(tmp_path, {"app.py": BUGGY})
    _git("init", "--quiet", cwd=work)
    _git("add", "app.py", cwd=work)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    env.pop("PRE_COMMIT", None)
    return clone, work, env


def _pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )


def test_pre_commit_hook_definition():
    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"flake8-async-tasks", "flake8-async-tasks-fix"}
    lint = hooks["flake8-async-tasks"]
    assert lint["entry"] == "flake8" and lint["language"] == "python"
    # No selection of its own: the project's configuration decides, and the
    # off-by-default rules stay off.
    for hook in hooks.values():
        assert not any("select" in arg for arg in hook.get("args", []) + hook["entry"].split())
        assert hook["require_serial"] is True and hook["types"] == ["python"]
    # The console script, never `python -m`, which would put the checkout first on sys.path.
    assert hooks["flake8-async-tasks-fix"]["entry"] == "flake8-async-tasks fix"
    documented = (DOCS / "pre-commit.md").read_text()
    for hook_id in hooks:
        assert f"id: {hook_id}\n" in documented


def test_pre_commit_try_repo_fails_on_the_bug_and_passes_once_fixed(pre_commit_env):
    clone, work, env = pre_commit_env
    run = _pre_commit("try-repo", str(clone), "flake8-async-tasks", "--all-files", cwd=work, env=env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "app.py:9:5: AIO101 " in run.stdout
    assert "AIO103" not in run.stdout  # off by default, and the hook must not turn it on

    (work / "app.py").write_text(FIXED)
    _git("add", "app.py", cwd=work)
    run = _pre_commit("try-repo", str(clone), "flake8-async-tasks", "--all-files", cwd=work, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout


UNAWAITED = textwrap.dedent(
    """\
    import asyncio


    async def save():
        await asyncio.sleep(0)


    async def main():
        save()
    """
)


def test_pre_commit_fix_hook_fixes_fails_and_then_passes(pre_commit_env):
    # As ruff's fixing hook: the run that changes files fails, so the commit is
    # made again with the fixes staged; the next run passes.
    clone, work, env = pre_commit_env
    (work / "app.py").write_text(UNAWAITED)
    (work / "clean.py").write_text(FIXED)
    _git("add", ".", cwd=work)
    run = _pre_commit("try-repo", str(clone), "flake8-async-tasks-fix", "--all-files", cwd=work, env=env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "flake8-async-tasks fix" in run.stdout and "Failed" in run.stdout
    assert "files were modified by this hook" in run.stdout
    assert "app.py:9:5: AIO201 fixed: inserted await" in run.stdout
    assert (work / "app.py").read_text() == UNAWAITED.replace("    save()", "    await save()")
    assert (work / "clean.py").read_text() == FIXED
    # docs/pre-commit.md shows this very output.
    shown = _text_blocks_after(DOCS / "pre-commit.md", "## A fixing hook")[0].strip().splitlines()
    printed = run.stdout.splitlines()
    assert all(line in printed for line in shown), (shown, printed)

    _git("add", ".", cwd=work)
    run = _pre_commit("try-repo", str(clone), "flake8-async-tasks-fix", "--all-files", cwd=work, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout


def test_pre_commit_additional_dependencies_setup(pre_commit_env):
    # docs/pre-commit.md's first setup is flake8's own hook plus
    # `additional_dependencies: [flake8-async-tasks]`. flake8's repository is on
    # GitHub, out of reach here, so a local hook with the same entry, language
    # and additional_dependencies stands in for it.
    clone, work, env = pre_commit_env
    hook_config = {
        "repos": [{"repo": "local", "hooks": [{
            "id": "flake8", "name": "flake8", "entry": "flake8", "language": "python", "types": ["python"],
            "require_serial": True, "additional_dependencies": ["flake8>=7", str(clone)],
        }]}]
    }
    (work / ".pre-commit-config.yaml").write_text(json.dumps(hook_config))  # JSON is YAML
    (work / ".flake8").write_text("[flake8]\nextend-select = AIO103\n")
    _git("add", ".", cwd=work)
    run = _pre_commit("run", "--all-files", cwd=work, env=env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "app.py:9:5: AIO101 " in run.stdout
    assert "app.py:12:5: AIO103 " in run.stdout  # the project's configuration applies


# --------------------------------------------------------- the docs site


def test_configuration_page_is_current():
    page = (DOCS / docs.PAGE).read_text(encoding="utf-8")
    stale = f"docs/{docs.PAGE} is out of date: run `{docs.REGENERATE}`"
    assert docs.render(page) == page, stale


def test_options_reference_shows_each_option_with_a_config_line():
    def known(value: str) -> None:
        """A name that the project knows."""

    options = (
        Option(flag="--aio-mode", help="How hard to look.", default="fast", example="thorough",
               choices=("fast", "thorough")),
        Option(flag="--aio-helpers", help="Helpers to trust.", default=(), example="app.a,app.b",
               comma_separated=True, validate=known),
    )
    text = docs.options_reference(options)
    assert "### `aio-mode`" in text and "### `aio-helpers`" in text
    assert "[flake8]\naio-mode = thorough\n" in text
    assert "flake8 --aio-helpers=app.a,app.b src/" in text
    assert "one of `fast`, `thorough`" in text
    assert "a comma-separated list; each item is a name that the project knows" in text
    page = docs.render(f"# Configuration\n\n{docs.BEGIN}\nold\n{docs.END}\n", options)
    assert "old" not in page and "### `aio-mode`" in page and page.endswith(f"{docs.END}\n")


def test_docs_regenerate_command(tmp_path):
    (tmp_path / docs.PAGE).write_text(f"# C\n\n{docs.BEGIN}\nstale\n{docs.END}\n")
    assert docs.main([str(tmp_path), "--check"]) == 1
    assert docs.main([str(tmp_path)]) == 0
    assert docs.main([str(tmp_path), "--check"]) == 0


def test_mkdocs_build_strict(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-4000:]
    for rule in registry.rules():
        assert (site / "rules" / rule.code / "index.html").exists(), f"no page for {rule.code}"
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert "AIO101 dropped-task" in nav  # the hook listed every rule in the navigation
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "dropped-task" in changelog  # the snippet include pulled in CHANGELOG.md


# ------------------------------------------ programs and outputs in the docs


@dataclass
class Example:
    page: str
    index: int
    code: str
    output: str
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.page}#{self.index}"


RUN_BLOCK = re.compile(r"<!-- run(?P<attrs>[^>]*)-->\n```python\n(?P<code>.*?)```\n", re.S)
TEXT_BLOCK = re.compile(r"```text\n(?P<text>.*?)```", re.S)


def _examples() -> list[Example]:
    examples = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for index, match in enumerate(RUN_BLOCK.finditer(text)):
            code = match["code"]
            include = re.fullmatch(r'--8<-- "([^"]+)"\n', code)
            if include:
                code = (REPO / include[1]).read_text(encoding="utf-8")
            output = TEXT_BLOCK.search(text, match.end())
            assert output, f"{page.name}: no ```text block after runnable example {index}"
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', match["attrs"]))
            examples.append(Example(page.name, index, code, output["text"], attrs))
    return examples


EXAMPLES = _examples()


def test_the_docs_have_runnable_examples():
    assert len([e for e in EXAMPLES if e.page == "semantics.md"]) >= 8
    assert any(e.page == "index.md" for e in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_docs_example_prints_what_the_docs_show(tmp_path, example):
    needs = tuple(int(part) for part in example.attrs.get("python", "3.10").split("."))
    if sys.version_info < needs:
        pytest.skip(f"needs Python {'.'.join(map(str, needs))}")
    script = tmp_path / "example.py"
    script.write_text(example.code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == example.output


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_docs_example_is_linted_as_the_docs_say(tmp_path, example):
    # A program that shows a bug is reported with the rule the page names; the
    # others are silent, so the guide never recommends what the plugin reports.
    (tmp_path / "example.py").write_text(example.code, encoding="utf-8")
    run = flake8("--isolated", "--select=AIO", "example.py", cwd=tmp_path)
    expected = [code for code in example.attrs.get("flake8", "").split(",") if code]
    assert run.codes == expected, run.out


def _text_blocks_after(page: Path, marker: str) -> list[str]:
    text = page.read_text(encoding="utf-8")
    start = text.index(marker)
    return [m["text"] for m in TEXT_BLOCK.finditer(text, start)]


def _matches_shortened(shown: str, actual: str) -> bool:
    """``shown`` is ``actual``, or its beginning followed by ``...``."""
    if shown.endswith(" ..."):
        return actual.startswith(shown[: -len("...")])
    return shown == actual


def test_home_page_shows_what_flake8_reports():
    block = _text_blocks_after(DOCS / "index.md", "<!-- flake8 docs/examples/counters_broken.py -->")[0]
    command, *shown = block.strip().splitlines()
    args = shlex.split(command.removeprefix("$ "))
    assert args[0] == "flake8"
    run = flake8(*args[1:], cwd=REPO)
    actual = run.out.splitlines()
    assert len(shown) == len(actual), run.out
    for line, real in zip(shown, actual):
        assert _matches_shortened(line, real), f"docs: {line}\nflake8: {real}"


def test_installation_page_first_finding(tmp_path):
    text = (DOCS / "installation.md").read_text(encoding="utf-8")
    section = text[text.index("## First finding"):]
    code = re.search(r"```python\n(.*?)```", section, re.S)[1]
    command, shown = _text_blocks_after(DOCS / "installation.md", "## First finding")[0].strip().splitlines()
    root = project(tmp_path, {"app.py": code})
    run = flake8(*shlex.split(command.removeprefix("$ "))[1:], cwd=root)
    assert run.status == 1
    assert _matches_shortened(shown, run.out.strip())


def test_flake8_version_lists_the_plugin(tmp_path):
    run = flake8("--version", cwd=tmp_path)
    assert f"flake8-async-tasks: {flake8_async_tasks.__version__}" in run.out.replace("\n", " ")


def test_json_example_in_usage_page(tmp_path):
    text = (DOCS / "usage.md").read_text(encoding="utf-8")
    shown = json.loads(re.search(r"```json\n(.*?)```", text, re.S)[1])
    root = project(tmp_path, {"app.py": BUGGY})
    actual = json.loads(flake8("--format=json", "app.py", cwd=root).out)
    [finding] = actual["app.py"]
    [documented] = shown["app.py"]
    assert finding.keys() == documented.keys()
    assert _matches_shortened(documented["text"], finding["text"])
    del finding["text"], documented["text"]
    assert finding == documented


FENCE = re.compile(r"```(?P<lang>yaml|toml|json|ini)\n(?P<body>.*?)```", re.S)
SNIPPETS = [
    (page.name, m["lang"], m["body"])
    for page in sorted(DOCS.glob("*.md"))
    for m in FENCE.finditer(page.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize(("page", "lang", "body"), SNIPPETS,
                         ids=[f"{p}-{lang}-{i}" for i, (p, lang, _) in enumerate(SNIPPETS)])
def test_config_snippets_in_the_docs_parse(page, lang, body):
    if lang == "yaml":
        import yaml

        assert yaml.safe_load(body) is not None
    elif lang == "toml":
        tomllib = pytest.importorskip("tomllib")
        tomllib.loads(body)
    elif lang == "json":
        json.loads(body)
    else:
        parser = configparser.RawConfigParser()
        parser.read_string(body)
        assert parser.has_section("flake8")


# ------------------------------------------------ changelog and packaging


def test_changelog_names_every_rule_and_option_with_its_issue():
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    entries = re.split(r"\n- ", text)
    for rule in registry.rules():
        assert any(rule.code in entry and re.search(r"[Ii]ssue #\d+", entry) for entry in entries), (
            f"CHANGELOG.md has no entry for {rule.code} naming its issue"
        )
    for option in OPTIONS:
        assert any(f"`{option.flag}`" in entry and re.search(r"[Ii]ssue #\d+", entry) for entry in entries), (
            f"CHANGELOG.md has no entry for {option.flag} naming its issue"
        )


def test_packaging_metadata():
    tomllib = pytest.importorskip("tomllib")
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["readme"] == "README.md" and meta["license"]
    assert "version" not in meta and "version" in meta["dynamic"]  # one place: __init__.py
    assert "Framework :: Flake8" in meta["classifiers"]
    assert set(meta["urls"]) >= {"Homepage", "Documentation", "Repository", "Issues", "Changelog"}
    # Python versions: requires-python, classifiers and noxfile.py agree.
    assert meta["requires-python"] == ">=3.10"
    declared = sorted(c.rsplit(" ", 1)[1] for c in meta["classifiers"]
                      if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    noxfile = (REPO / "noxfile.py").read_text(encoding="utf-8")
    assert declared == ast.literal_eval(re.search(r"^PYTHONS = (\[.*?\])", noxfile, re.M)[1])
    # The test extra brings every tool these tests run.
    test_extra = " ".join(meta["optional-dependencies"]["test"])
    for tool in ("pre-commit", "mkdocs", "mkdocs-material", "flake8-json", "flake8-gl-codeclimate"):
        assert re.search(rf"(^| ){re.escape(tool)}\b", test_extra), tool
    assert (REPO / "flake8_async_tasks" / "py.typed").exists()
