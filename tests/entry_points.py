"""The package's entry points for a subprocess, installed or not.

The suite may run against a checkout that is not installed (PYTHONPATH), or
whose installed metadata is older than the checkout. :func:`site` writes a
distribution whose only content is the entry point tables of pyproject.toml,
so a subprocess with it on its path loads what the package declares. When the
package is installed too, the two name the same objects.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def declared(group: str) -> dict[str, str]:
    """pyproject.toml's ``[project.entry-points.<group>]`` table (tomllib is 3.11+;
    each table is lines of ``name = "module:object"``)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    header = (
        f"[project.entry-points.{group}]\n" if "." not in group else f'[project.entry-points."{group}"]\n'
    )
    section = text.split(header, 1)[1].split("\n[", 1)[0]
    table = dict(re.findall(r'^([\w-]+) = "([\w.:]+)"$', section, flags=re.M))
    assert table, f"pyproject.toml declares no {group} entry point"
    return table


def site(tmp_path: Path, *groups: str) -> Path:
    root = tmp_path / "entry_points"
    dist = root / "flake8_async_tasks_checkout-0.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: flake8-async-tasks-checkout\nVersion: 0\n")
    lines = []
    for group in groups:
        lines += [f"[{group}]", *(f"{name} = {target}" for name, target in declared(group).items()), ""]
    (dist / "entry_points.txt").write_text("\n".join(lines))
    return root


def env(tmp_path: Path, *groups: str) -> dict[str, str]:
    """os.environ with the checkout and the entry points of ``groups`` first on
    the path, and this interpreter's scripts first on PATH."""
    result = dict(os.environ)
    path = [str(site(tmp_path, *groups)), str(ROOT), result.get("PYTHONPATH", "")]
    result["PYTHONPATH"] = os.pathsep.join(p for p in path if p)
    result["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), result.get("PATH", "")])
    return result
