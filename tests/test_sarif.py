"""``flake8 --format=aio-sarif``: a SARIF 2.1.0 log for GitHub code scanning.

flake8 runs in a subprocess as a CI job would run it, finding the formatter
through the ``flake8.report`` entry point that pyproject.toml declares (see
entry_points.py). The log is validated against the OASIS SARIF 2.1.0 schema
that sarif-kit ships (no network).
"""

from __future__ import annotations

import json
import subprocess
import sys

import entry_points
import pytest

from flake8_async_tasks import docs, registry

SOURCE = """\
import asyncio


async def save():
    pass


async def main():
    asyncio.create_task(save())
    données = 1; save()
    return données
"""


def _sarif(tmp_path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    (project / "pkg" / "app.py").write_text(SOURCE, encoding="utf-8")
    (project / "pkg" / "broken.py").write_text("def (\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--format=aio-sarif", *args, "pkg"],
        cwd=project,
        env=entry_points.env(tmp_path, "flake8.report"),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result, json.loads(result.stdout) if result.stdout else {}


def _errors(log: dict) -> list[str]:
    validate = pytest.importorskip("sarif_kit.validate")
    return validate.validation_errors(log)


def test_log_is_valid_sarif_with_a_help_uri_per_rule(tmp_path):
    result, log = _sarif(tmp_path)
    assert result.returncode == 1  # the exit status is flake8's, as with any formatter
    assert _errors(log) == []
    (run,) = log["runs"]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    for code in ("AIO101", "AIO201"):
        data = docs.metadata(registry.get(code))
        assert rules[code]["helpUri"] == data["url"]
        assert rules[code]["name"] == data["name"]
        assert rules[code]["shortDescription"]["text"] == data["summary"]
    assert rules["AIO201"]["properties"]["fixable"] is True
    assert rules["AIO101"]["properties"]["fixable"] is False
    assert rules["E999"] == {"id": "E999"}  # not ours: no page to point at
    for result_ in run["results"]:
        assert run["tool"]["driver"]["rules"][result_["ruleIndex"]]["id"] == result_["ruleId"]


def test_results_are_flake8s_findings_at_their_places(tmp_path):
    _, log = _sarif(tmp_path)
    found = {
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"].get("startColumn"),
            r["level"],
        )
        for r in log["runs"][0]["results"]
    }
    codes = {f[0] for f in found}
    assert {"AIO101", "AIO201", "E999"} <= codes
    assert ("AIO101", "pkg/app.py", 9, 5, "warning") in found
    # `données = 1; save()`: flake8's column counts UTF-8 bytes (18), SARIF's
    # UTF-16 code units: `save` is the 18th character.
    assert ("AIO201", "pkg/app.py", 10, 18, "warning") in found
    assert any(f[0] == "E999" and f[1] == "pkg/broken.py" and f[4] == "error" for f in found)
    for r in log["runs"][0]["results"]:
        assert r["message"]["text"].startswith(r["ruleId"] + " ")


def test_output_file_and_statistics_keep_the_log_valid(tmp_path):
    # --statistics prints text lines after the findings with other
    # formatters; here they would break the JSON.
    out = tmp_path / "flake8.sarif"
    result, printed = _sarif(tmp_path, "--select=AIO", "--statistics", f"--output-file={out}")
    assert printed == {} and result.stdout == ""
    log = json.loads(out.read_text(encoding="utf-8"))
    assert _errors(log) == []
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {"AIO101", "AIO201"}


def test_no_findings_is_a_valid_empty_log(tmp_path):
    result, log = _sarif(tmp_path, "--select=AIO107")
    assert result.returncode == 0
    assert _errors(log) == []
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_the_schema_check_can_fail():
    # A log without its runs, and a result without a message: the validation
    # above would say so.
    assert _errors({"version": "2.1.0"})
    assert _errors({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "flake8"}}, "results": [{}]}]})


def test_the_ci_recipe_writes_a_valid_log(tmp_path):
    # The flake8 step of docs/ci.md's code-scanning workflow, with its options as written
    # (the helper adds --isolated and names the sample folder).
    import re
    import shlex
    from pathlib import Path

    yaml = pytest.importorskip("yaml")
    text = (Path(__file__).resolve().parents[1] / "docs" / "ci.md").read_text(encoding="utf-8")
    steps = [
        step["run"]
        for block in re.findall(r"```yaml\n(.*?)```", text, re.S)
        for workflow in [yaml.safe_load(block)]
        if isinstance(workflow, dict)  # a whole workflow, not a snippet of steps
        for job in (workflow.get("jobs") or {}).values()
        for step in job["steps"]
        if "aio-sarif" in str(step.get("run", ""))
    ]
    assert len(steps) == 1, steps
    args = shlex.split(steps[0])
    assert args[0] == "flake8"
    result, _ = _sarif(tmp_path, *args[1:])
    assert result.returncode == 0  # --exit-zero: the upload step runs
    log = json.loads((tmp_path / "project" / "flake8.sarif").read_text(encoding="utf-8"))
    assert _errors(log) == []
    assert {"AIO101", "AIO201"} <= {r["ruleId"] for r in log["runs"][0]["results"]}
