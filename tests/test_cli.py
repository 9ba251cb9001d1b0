"""``flake8-async-tasks explain`` and ``python -m flake8_async_tasks explain``."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from flake8_async_tasks import cli, docs, registry

RULES = registry.rules()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def _console_script() -> Path:
    script = Path(sys.executable).parent / "flake8-async-tasks"
    assert script.exists(), f"console script not installed next to {sys.executable}"
    return script


def test_console_script_entry_point():
    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "flake8-async-tasks"]
    assert script.value == "flake8_async_tasks.cli:main"


@pytest.mark.parametrize("how", ["module", "script"])
def test_explain_prints_the_documentation(how):
    command = [sys.executable, "-m", "flake8_async_tasks"] if how == "module" else [str(_console_script())]
    result = _run(*command, "explain", "AIO101")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rule = registry.get("AIO101")
    assert result.stdout.startswith("# AIO101 dropped-task\n")
    assert rule.doc() in result.stdout
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in result.stdout


@pytest.mark.parametrize("how", ["module", "script"])
@pytest.mark.parametrize("code", ["AIO999", "E501", "dropped_task", ""])
def test_unknown_code_exits_2_with_one_clear_line(how, code):
    command = [sys.executable, "-m", "flake8_async_tasks"] if how == "module" else [str(_console_script())]
    result = _run(*command, "explain", code)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"unknown rule {code!r}" in lines[0]
    assert "AIO101" in lines[0]  # names what is known
    assert "Traceback" not in result.stderr


def test_missing_code_is_a_usage_error():
    result = _run(sys.executable, "-m", "flake8_async_tasks", "explain")
    assert result.returncode == 2
    assert "usage:" in result.stderr


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_explain_by_code_and_by_name_agree(rule, capsys):
    assert cli.main(["explain", rule.code]) == 0
    by_code = capsys.readouterr()
    assert cli.main(["explain", rule.name]) == 0
    by_name = capsys.readouterr()
    assert by_code.out == by_name.out
    assert by_code.out.startswith(f"# {rule.code} {rule.name}\n")
    assert rule.doc() in by_code.out
    assert by_code.err == by_name.err == ""


def test_explain_is_case_insensitive(capsys):
    assert cli.main(["explain", "aio202"]) == 0
    lower = capsys.readouterr().out
    assert cli.main(["explain", "Coroutine-Bound-Never-Awaited"]) == 0
    assert capsys.readouterr().out == lower
    assert lower.startswith("# AIO202 ")


def test_rules_lists_every_rule_and_marks_off_by_default(capsys):
    assert cli.main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [r.code for r in RULES]
    off = {line.split()[0] for line in lines if "off by default" in line}
    assert off == set(registry.default_off()) == {"AIO103", "AIO104"}


def test_explain_into_a_closed_pipe_is_quiet():
    # ``flake8-async-tasks explain AIO101 | head -1``: the reader leaves early.
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "flake8_async_tasks", "explain", "AIO101"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    # Close our end before the child writes (its start-up alone takes longer),
    # so its first write meets a broken pipe.
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert b"Traceback" not in err


def test_rules_as_json_is_the_catalogue(capsys):
    import json

    from flake8_async_tasks import docs, fix

    assert cli.main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in data] == [r.code for r in RULES]
    for entry, rule in zip(data, RULES):
        assert set(entry) == {"code", "name", "default", "summary", "url", "fixable"}
        assert entry["name"] == rule.name and entry["summary"] == rule.summary()
        assert entry["default"] == ("on" if rule.enabled_by_default else "off")
        assert entry["fixable"] is (rule.code in fix.FIXABLE)
        assert entry["url"].endswith(f"/docs/rules/{rule.code}.md")
        assert entry == docs.metadata(rule)
    assert {r["code"] for r in data if r["fixable"]} == set(fix.FIXABLE)


def test_rule_urls_point_at_the_committed_pages_of_the_documentation_url():
    # The URL is pyproject's Documentation (a GitHub tree) at the page that
    # `docs docs` writes, so a link from SARIF or `explain` lands on it.
    import re

    from flake8_async_tasks import docs

    root = Path(__file__).resolve().parents[1]
    documentation = re.search(r'^Documentation = "(.+)"$', (root / "pyproject.toml").read_text(), re.M)[1]
    for rule in RULES:
        url = docs.metadata(rule)["url"]
        assert url == documentation.replace("/tree/", "/blob/") + f"/rules/{rule.code}.md"
        assert (root / "docs" / "rules" / f"{rule.code}.md").is_file()


def test_explain_ends_with_the_online_page(capsys):
    from flake8_async_tasks import docs

    assert cli.main(["explain", "AIO205"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith(f"Online: {docs.metadata(registry.get('AIO205'))['url']}")
    assert "Fixable: yes" in out
    assert cli.main(["explain", "AIO101"]) == 0
    assert "Fixable: no." in capsys.readouterr().out


def test_docs_writes_every_generated_file(tmp_path, capsys):
    """`docs DIR` is the one regenerate command: the rule pages, the option
    reference, the table of uses and the README's rule table."""
    root = Path(__file__).resolve().parents[1]
    (tmp_path / "docs").mkdir()
    stale = {
        "docs/configuration.md": (docs.BEGIN, docs.END),
        "docs/inference.md": (docs.USES_BEGIN, docs.USES_END),
        "README.md": (docs.README_BEGIN, docs.README_END),
    }
    for name, (begin, end) in stale.items():
        text = (root / name).read_text(encoding="utf-8")
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        (tmp_path / name).write_text(f"{head}{begin}\nstale\n{end}{tail}", encoding="utf-8")
    assert cli.main(["docs", str(tmp_path / "docs")]) == 0
    printed = {Path(line) for line in capsys.readouterr().out.splitlines()}
    assert {tmp_path / name for name in stale} <= printed
    assert tmp_path / "docs" / "rules" / "AIO101.md" in printed
    for name in stale:
        assert (tmp_path / name).read_text(encoding="utf-8") == (root / name).read_text(encoding="utf-8")
