"""What CONTRIBUTING.md tells a contributor holds: the recipe for a new rule
names every touch and the test that checks it, the one regenerate command
rewrites everything generated, and CI, pre-commit and the docs run the same
checks of the package by itself."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_async_tasks import cli, docs, registry
from flake8_async_tasks.checks import FAMILIES, tasks
from flake8_async_tasks.rule import Rule

REPO = Path(__file__).resolve().parents[1]
CONTRIBUTING = REPO / "CONTRIBUTING.md"
CI = REPO / ".ci" / "run"
PRE_COMMIT = REPO / ".pre-commit-config.yaml"

# The three checks the package makes of itself, as CONTRIBUTING.md and .ci/run
# write them.
CHECKS = [
    "python3 -m mypy",
    "python3 -m ruff check",
    "python3 -m flake8 --require-plugins=flake8-async-tasks flake8_async_tasks",
]


def _sh_lines(text: str) -> list[str]:
    """The commands of a shell script or of a Markdown ``sh`` block, comments dropped."""
    lines = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def _contributing_commands() -> list[str]:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    return [line for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S) for line in _sh_lines(block)]


# ------------------------------------------------------------ the recipe


def _recipe() -> list[dict[str, list[str]]]:
    """The rows of the "Adding a rule" table: touch, where, checked by, each
    as the list of its backticked items."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    section = text.split("## Adding a rule", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header == ["touch", "where", "checked by"], header
    table = []
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        table.append({name: re.findall(r"`([^`]+)`", cell) for name, cell in zip(header, cells, strict=True)})
    return table


def _named_test(node_id: str):
    path, name = node_id.split("::")
    module = importlib.import_module(Path(path).stem)  # tests/ is on sys.path, as for every test module
    return module, getattr(module, name)


def test_the_recipe_names_files_that_exist():
    rows = _recipe()
    assert len(rows) >= 6
    for row in rows:
        for item in row["where"]:
            path = REPO / item
            if "<" in item:  # a pattern: tests/eval_files/aioNNN_<name>.py
                assert path.parent.is_dir() and any(path.parent.glob("aio[0-9]*_*.py")), item
            else:
                assert path.exists(), f"CONTRIBUTING.md names {item}, which does not exist"


def test_the_recipe_names_tables_and_tests_that_exist():
    import test_docs

    text = CONTRIBUTING.read_text(encoding="utf-8")
    codes = {rule.code for rule in registry.rules()}
    assert "`ADVICE`" in text and set(test_docs.ADVICE) == codes
    assert "`rules` tuple" in text and all(isinstance(family.rules, tuple) for family in FAMILIES)
    assert "\n## Unreleased\n" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    for row in _recipe():
        assert row["checked by"], row
        for node_id in row["checked by"]:
            path, name = node_id.split("::")
            tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
            assert any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body), node_id


def test_the_recipe_has_the_one_regenerate_command():
    import test_docs

    regenerate = [item for row in _recipe() for item in row["touch"] if item.startswith("python")]
    assert regenerate == [docs.REGENERATE] == [test_docs.REGENERATE]
    assert "flake8_async_tasks.docs docs" not in CONTRIBUTING.read_text(encoding="utf-8")


class NewRule(Rule):
    """## What it does
    Checks for the pattern of a rule being added.

    ## Why is this bad?
    It is not; the rule exists for this test.

    ## Example
    ```python
    import asyncio
    ```

    ## Use instead
    ```python
    import asyncio
    ```
    """

    code = "AIO199"
    name = "rule-being-added"
    message = "`{call}` is the pattern of a rule being added; remove it"


class BareRule(Rule):
    code = "AIO198"
    name = "bare-rule"
    message = "`{call}` ends with a period."


def _fails(check, monkeypatch, touch: str) -> None:
    """``check`` (a test function) fails for a rule that lacks ``touch``."""
    module = sys.modules[check.__module__]
    if "rule" in inspect.signature(check).parameters:
        # The per-rule tests: the new rule is among their parameters. A bare
        # class stands for a rule class without its docstring and message.
        rule = BareRule if touch == "class" else NewRule
        extra = {name: {} for name in inspect.signature(check).parameters if name != "rule"}
        with pytest.raises(AssertionError):
            check(rule=rule, **extra)
        return
    if touch == "declared":
        # Written in its family's module but in no `rules` tuple.
        monkeypatch.setattr(tasks, NewRule.__name__, NewRule, raising=False)
    else:
        # Declared, so in the catalogue, but the touch is not made.
        monkeypatch.setitem(registry.RULES, NewRule.code, NewRule)
        if hasattr(module, "RULES"):
            monkeypatch.setattr(module, "RULES", [*module.RULES, NewRule])
    with pytest.raises(AssertionError):
        check()


def test_a_rule_missing_a_touch_fails_the_named_test(monkeypatch):
    rows = _recipe()
    touches = ["class", "declared", "eval file", "advice", "changelog", "generated"]
    assert len(rows) == len(touches), "a new row here needs its case in this test"
    for row, touch in zip(rows, touches, strict=True):
        for node_id in row["checked by"]:
            _, check = _named_test(node_id)
            with monkeypatch.context() as patch:
                _fails(check, patch, touch)
    # ...and each of those tests passes for the rules as they are: the suite
    # runs them; here the catalogue is back to what it was.
    assert NewRule not in registry.rules() and not hasattr(tasks, NewRule.__name__)


# ---------------------------------------------------- one regenerate command


def test_the_docs_command_regenerates_everything(tmp_path, capsys):
    docs_dir = tmp_path / "docs"
    docs_dir.mkdir()
    page = (REPO / "docs" / docs.PAGE).read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    stale_page = re.sub(re.escape(docs.BEGIN) + ".*?" + re.escape(docs.END),
                        docs.BEGIN + "\nstale\n" + docs.END, page, flags=re.S)
    stale_readme = re.sub(re.escape(docs.README_BEGIN) + ".*?" + re.escape(docs.README_END),
                          docs.README_BEGIN + "\nstale\n" + docs.README_END, readme, flags=re.S)
    assert stale_page != page and stale_readme != readme
    (docs_dir / docs.PAGE).write_text(stale_page, encoding="utf-8")
    (tmp_path / "README.md").write_text(stale_readme, encoding="utf-8")

    assert cli.main(["docs", str(docs_dir)]) == 0
    assert (docs_dir / docs.PAGE).read_text(encoding="utf-8") == page
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == readme
    assert {p.name: p.read_text(encoding="utf-8") for p in (docs_dir / "rules").glob("*.md")} == docs.pages()
    printed = capsys.readouterr().out.splitlines()
    assert str(docs_dir / docs.PAGE) in printed and str(tmp_path / "README.md") in printed

    # Run again, nothing is stale: only the rule pages are (re)written.
    assert cli.main(["docs", str(docs_dir)]) == 0
    assert str(tmp_path / "README.md") not in capsys.readouterr().out.splitlines()


def test_the_docs_command_on_a_folder_without_the_pages(tmp_path):
    assert cli.main(["docs", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["rules"]


# ------------------------------------------- the package checks itself


def test_ci_runs_the_readme_command_then_the_lint_extra():
    commands = _sh_lines(CI.read_text(encoding="utf-8"))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "python3 -m pip install '.[test]' && python3 -m pytest" in readme
    assert commands[:3] == ["set -euo pipefail", 'cd "$(dirname "$0")/.."',
                            "python3 -m pip install '.[test]' && python3 -m pytest"]
    lint = commands.index("python3 -m pip install '.[lint]'")
    assert commands[lint + 1:lint + 1 + len(CHECKS)] == CHECKS


def test_contributing_shows_the_commands_ci_runs():
    commands = _contributing_commands()
    assert "python3 -m pip install -e '.[test,lint]' && pre-commit install" in commands
    assert 'python3 -m pytest -m "not slow"' in commands
    assert all(check in commands for check in CHECKS), commands


def test_the_lint_extra_pins_its_tools_from_below():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    lint = project["project"]["optional-dependencies"]["lint"]
    names = {re.split(r"[<>=!~]", req, maxsplit=1)[0]: req for req in lint}
    assert {"mypy", "ruff"} <= set(names)
    assert all(">=" in req for req in lint), lint
    assert project["tool"]["mypy"]["strict"] is True
    assert project["tool"]["mypy"]["files"] == ["flake8_async_tasks"]
    assert project["tool"]["ruff"]["line-length"] == 110


def _hooks() -> dict[str, dict]:
    import yaml

    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    return {hook["id"]: {**hook, "repo": repo["repo"]} for repo in config["repos"] for hook in repo["hooks"]}


def test_pre_commit_runs_the_checks_of_ci():
    hooks = _hooks()
    assert list(hooks) == ["ruff", "mypy", "flake8-async-tasks"]
    assert all(h["repo"] == "local" and h["language"] == "system" for h in hooks.values())
    # The same commands as CI (pre-commit adds the changed files where it passes them).
    assert hooks["ruff"]["entry"].startswith(CHECKS[1])
    assert hooks["mypy"]["entry"] == CHECKS[0] and hooks["mypy"]["pass_filenames"] is False
    assert CHECKS[2] == f"{hooks['flake8-async-tasks']['entry']} flake8_async_tasks"
    assert hooks["flake8-async-tasks"]["files"] == "^flake8_async_tasks/"
    # The plugin's own hook, as .pre-commit-hooks.yaml publishes it.
    import yaml

    # (The file publishes the fixing hook too, which this config does not run.)
    listed = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    published = {hook["id"]: hook for hook in listed}
    assert shlex.split(hooks["flake8-async-tasks"]["entry"])[2] == published["flake8-async-tasks"]["entry"]


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=60)


BROKEN_MODULE = '''\
import asyncio
import os


def size() -> int:
    return "large"


async def work() -> None:
    asyncio.create_task(asyncio.sleep(1))
'''


def test_pre_commit_hooks_catch_what_ci_would(tmp_path):
    pytest.importorskip("mypy")
    pytest.importorskip("ruff")
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of this repository")
    clone = tmp_path / "clone"
    _git("clone", "--quiet", str(REPO), str(clone), cwd=tmp_path)
    (clone / "flake8_async_tasks" / "broken.py").write_text(BROKEN_MODULE, encoding="utf-8")
    _git("add", ".", cwd=clone)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    env.pop("PRE_COMMIT", None)
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=clone, env=env, capture_output=True, text=True, timeout=600,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert re.search(r"F401 .*\n.*flake8_async_tasks/broken\.py:2:8", out)  # ruff, in its full format
    assert 'broken.py:6: error: Incompatible return value type (got "str", expected "int")' in out  # mypy
    assert "flake8_async_tasks/broken.py:10:5: AIO101 " in out  # the plugin on its own package
    for name in ("ruff check", "mypy --strict", "flake8-async-tasks"):
        assert re.search(rf"^{re.escape(name)}\.+Failed$", out, flags=re.M), out


def test_the_slow_list_names_tests_that_exist():
    import conftest

    tests = Path(__file__).parent
    for name in conftest.SLOW_FILES:
        assert (tests / name).is_file(), name
    for file, names in conftest.SLOW_TESTS.items():
        tree = ast.parse((tests / file).read_text(encoding="utf-8"))
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert names <= defined, f"{file}: no test named {sorted(names - defined)}"
