"""``flake8 --format=aio-sarif``: the findings as a SARIF 2.1.0 log, for
GitHub code scanning (docs/ci.md).

A flake8 report formatter (entry point group ``flake8.report``), so like
``plugin.py`` it knows flake8, but only its formatter interface. Why one of our
own rather than an existing SARIF formatter for flake8: flake8-sarif (1.0.15,
2022) writes no ``helpUri`` and a fixed driver version, and
flake8-sarif-formatter (1.0.3) downloads a rule list from the network at every
run and names rules ``flake8/CODE``; neither can know this plugin's rule pages.
Here every finding of the run is reported (pycodestyle's, pyflakes', other
plugins'), and each rule of this plugin carries its name, summary and
``helpUri`` from :func:`flake8_async_tasks.docs.metadata`; other codes carry
their id only.

Columns: SARIF counts them in UTF-16 code units unless told otherwise. flake8
gives this plugin's columns in UTF-8 bytes (the ``ast`` offsets), so for an
``AIO`` finding on a line with non-ASCII text before it the column is
converted through the physical line; other plugins' columns are passed on as
flake8 gives them.
"""

from __future__ import annotations

from typing import Any

from .isolation import own_imports

# flake8 imports every report plugin on every run, whatever --format says:
# what this module imports must not come from a checkout on sys.path
# (``python -m flake8`` from its root), as for the checker (plugin.py).
with own_imports():
    import json
    import os
    from pathlib import Path

    from flake8 import __version__ as flake8_version
    from flake8.formatting.base import BaseFormatter
    from flake8.violation import Violation

    from . import docs, registry

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# flake8 reports these when it cannot read or parse a file: the findings of
# that file are missing, which is worse than a warning.
ERRORS = frozenset({"E902", "E999"})


class SarifFormatter(BaseFormatter):
    """Collects the run's findings and writes one SARIF log at the end."""

    def after_init(self) -> None:
        self.results: list[dict[str, Any]] = []
        self.rules: dict[str, int] = {}  # code -> index in the driver's rules
        self.rule_list: list[dict[str, Any]] = []

    def handle(self, error: Violation) -> None:
        index = self.rules.get(error.code)
        if index is None:
            index = self.rules[error.code] = len(self.rule_list)
            self.rule_list.append(rule_descriptor(error.code))
        region: dict[str, int] = {"startLine": error.line_number}
        column = _column(error)
        if column is not None:
            region["startColumn"] = column
        self.results.append(
            {
                "ruleId": error.code,
                "ruleIndex": index,
                "level": "error" if error.code in ERRORS else "warning",
                "message": {"text": f"{error.code} {error.text}"},
                "locations": [
                    {"physicalLocation": {"artifactLocation": _artifact(error.filename), "region": region}}
                ],
            }
        )

    def show_statistics(self, statistics: Any) -> None:
        pass  # text after the JSON would make the log unreadable

    def show_benchmarks(self, benchmarks: Any) -> None:
        pass

    def stop(self) -> None:
        log = sarif_log(self.rule_list, self.results)
        self._write(json.dumps(log, indent=2, ensure_ascii=False))
        super().stop()


def sarif_log(rules: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "flake8",
                        "version": flake8_version,
                        "informationUri": "https://flake8.pycqa.org/",
                        "rules": rules,
                    },
                },
                "results": results,
            }
        ],
    }


def rule_descriptor(code: str) -> dict[str, Any]:
    """SARIF's ``reportingDescriptor`` of ``code``: this plugin's rules from
    their metadata, any other code by its id alone."""
    rule = registry.get(code) if code.startswith("AIO") else None
    if rule is None:
        return {"id": code}
    data = docs.metadata(rule)
    return {
        "id": code,
        "name": data["name"],
        "shortDescription": {"text": data["summary"]},
        "helpUri": data["url"],
        "defaultConfiguration": {"enabled": data["default"] == "on", "level": "warning"},
        "properties": {"fixable": data["fixable"]},
    }


def _artifact(filename: str) -> dict[str, str]:
    """The file as a URI: relative (with ``/``) inside the working directory,
    which is what GitHub expects when flake8 runs at the repository root."""
    path = Path(filename)
    try:
        relative = Path(os.path.relpath(path.resolve(), Path.cwd().resolve()))
    except ValueError:  # another drive on Windows
        relative = None
    if relative is not None and relative.parts[:1] != ("..",):
        return {"uri": relative.as_posix()}
    return {"uri": path.resolve().as_uri()}


def _column(error: Violation) -> int | None:
    """flake8's 1-based column in UTF-16 code units, where it can be known."""
    if error.column_number < 1:
        return None  # flake8 gives 0 for a finding about the whole line or file
    if not error.code.startswith("AIO") or not error.physical_line:
        return error.column_number
    head = error.physical_line.encode("utf-8")[: error.column_number - 1]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return error.column_number
    return len(text.encode("utf-16-le")) // 2 + 1
