"""The test suite on every Python from 3.10 to 3.14 that this machine has.

    python -m pip install '.[ci]' && python -m nox

(``.ci/run`` does this after the main test run.) Each session installs the
package with its ``test`` extra into a fresh virtualenv and runs pytest, so a
syntax form that only one version's ``ast`` produces is covered on that
version (the edit loop's subset and the fuzz suite: see :func:`tests`).
Interpreters are found on ``PATH`` and in pyenv's ``versions``
folder; a version the machine lacks is skipped, never downloaded.

``SKIP_PYTHONS="3.11"`` leaves versions out, e.g. the one the main run used.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nox

PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"]

nox.options.sessions = ["tests"]
# Skip a missing interpreter instead of failing, even in CI (nox fails by
# default when CI is set), and never download one: CI has no network for that.
nox.options.error_on_missing_interpreters = False
nox.options.download_python = "never"


def _pyenv_bin_dirs() -> list[str]:
    """The ``bin`` folder of pyenv's newest patch release of each wanted version.

    pyenv's shims answer ``python3.12`` with an error unless that version is
    activated, so nox must find the real interpreters before the shims.
    """
    versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found: dict[str, tuple[tuple[int, ...], Path]] = {}
    for path in versions.glob("3.*") if versions.is_dir() else ():
        match = re.fullmatch(r"(3\.\d+)\.(\d+)", path.name)
        if match and (path / "bin").is_dir():
            key = (int(match[2]),)
            if match[1] not in found or key > found[match[1]][0]:
                found[match[1]] = (key, path / "bin")
    return [str(found[v][1]) for v in PYTHONS if v in found]


os.environ["PATH"] = os.pathsep.join([*_pyenv_bin_dirs(), os.environ.get("PATH", "")])
_SKIP = {v.strip() for v in os.environ.get("SKIP_PYTHONS", "").split(",") if v.strip()}


@nox.session(python=[v for v in PYTHONS if v not in _SKIP])
def tests(session: nox.Session) -> None:
    """The edit loop's subset (``-m "not slow"``) and the fuzz suite, whose
    generated syntax differs by version; the whole suite runs once, on the
    interpreter of ``.ci/run``'s first step, which keeps CI within its
    15 minutes. ``nox -- <pytest args>`` runs what it is told instead."""
    session.install(".[test]")
    if session.posargs:
        session.run("python", "-m", "pytest", *session.posargs)
        return
    session.run("python", "-m", "pytest", "-m", "not slow")
    session.run("python", "-m", "pytest", "tests/test_fuzz.py")
