"""A bad ``aio-`` value names where it was written: the configuration file and
its key, or the command-line flag (issue 17). flake8 runs in a fresh process,
as users run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flake8_async_tasks.settings import OPTIONS

PREFIX = "flake8-async-tasks: error: "
CHECKED = [o for o in OPTIONS if o.choices or o.validate is not None]


def _flake8(cwd: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True, text=True)
    return done.returncode, done.stderr.strip()


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "app.py").write_text("x = 1\n", encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("name", ["setup.cfg", "tox.ini", ".flake8"])
@pytest.mark.parametrize("option", CHECKED, ids=[o.flag for o in CHECKED])
def test_a_bad_value_in_a_discovered_file_names_the_file_and_key(tmp_path, name, option):
    root = _project(tmp_path, {name: f"[flake8]\n{option.config_name} = 9 not valid\n"})
    status, err = _flake8(root, "app.py")
    assert status == 2
    assert err.startswith(f"{PREFIX}{option.flag}: ") and err.endswith(
        f"; from {name}, [flake8] {option.config_name}"
    ), err
    assert "\n" not in err


def test_the_key_as_written_with_underscores(tmp_path):
    root = _project(tmp_path, {"setup.cfg": "[flake8]\naio_inference = maybe\n"})
    status, err = _flake8(root, "app.py")
    assert status == 2
    assert err.startswith(f"{PREFIX}--aio-inference: invalid value 'maybe'"), err
    assert err.endswith("; from setup.cfg, [flake8] aio_inference"), err


def test_config_and_append_config_files_are_named(tmp_path):
    root = _project(
        tmp_path,
        {
            "setup.cfg": "[flake8]\naio-inference = full\n",
            "ci/lint.cfg": "[flake8]\naio-max-module-size = 12X\n",
        },
    )
    for how in (["--append-config=ci/lint.cfg"], ["--config", "ci/lint.cfg"]):
        status, err = _flake8(root, *how, "app.py")
        assert status == 2 and err.endswith("; from ci/lint.cfg, [flake8] aio-max-module-size"), err


def test_a_bad_value_on_the_command_line_names_the_flag(tmp_path):
    # The file's value is good; the command line's overrides it and is the bad one.
    root = _project(tmp_path, {".flake8": "[flake8]\naio-inference = full\n"})
    status, err = _flake8(root, "--aio-inference=maybe", "app.py")
    assert status == 2
    assert err.startswith(f"{PREFIX}--aio-inference: invalid value 'maybe'") and "; from " not in err, err


def test_isolated_reads_no_file_so_names_none(tmp_path):
    root = _project(tmp_path, {"setup.cfg": "[flake8]\naio-inference = maybe\n"})
    assert _flake8(root, "--isolated", "app.py") == (0, "")
    status, err = _flake8(root, "--isolated", "--aio-inference=maybe", "app.py")
    assert status == 2 and err.startswith(f"{PREFIX}--aio-inference: ") and "; from " not in err, err
