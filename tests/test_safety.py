"""Linting an untrusted checkout (issue 9): it never blocks, never reads
without bound, never follows a symlink out of the project, never builds a
module over --aio-max-module-size, and never runs the code it reads.

flake8 runs in a subprocess with a timeout, from the project directory (so
the directory is on ``sys.path``, as with ``python -m flake8``), with this
checkout's package first on the path (the installed one may be another
worktree's).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from flake8_async_tasks.analysis.inference import policy
from flake8_async_tasks.settings import ConfigError, Settings

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 60  # seconds; a blocked or runaway run is killed and the test fails
MEMORY = 2 * 1024**3  # address space of the flake8 subprocess: reading /dev/zero fails, not the machine

LIB = "async def fetch():\n    return 1\n"
MAIN = "from lib import fetch\n\n\nasync def main():\n    fetch()\n"
MAIN_FINDING = "main.py:5:5: AIO201"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def flake8(root: Path, *args: str, target: str = "main.py") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(REPO)])}
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=AIO", *args, target],
        cwd=root, env=env, capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=_limit_memory,
    )


def project(tmp_path: Path, **files: str) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    for name, text in {"lib.py": LIB, "main.py": MAIN, **files}.items():
        (root / name).write_text(text)
    return root


# ------------------------------------------------------------- never block


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_named_like_a_module_does_not_block(tmp_path):
    root = project(tmp_path)
    os.mkfifo(root / "x.py")
    result = flake8(root)
    assert MAIN_FINDING in result.stdout, (result.stdout, result.stderr)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_symlink_to_an_endless_device_is_not_read(tmp_path):
    root = project(tmp_path)
    (root / "y.py").symlink_to("/dev/zero")
    result = flake8(root)
    assert MAIN_FINDING in result.stdout, (result.stdout, result.stderr)


# ------------------------------------------------- symlinks out of the project


def test_scan_follows_no_symlink_out_of_the_root(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("async def secret_fetch():\n    pass\n")
    (outside / "pkg").mkdir()
    (outside / "pkg" / "deep.py").write_text("async def deep_fetch():\n    pass\n")
    root = tmp_path / "proj"
    root.mkdir()
    (root / "own.py").write_text("async def own_fetch():\n    pass\n")
    (root / "alias.py").symlink_to(root / "own.py")  # inside the root: read
    (root / "leak.py").symlink_to(outside / "secret.py")
    (root / "linked").symlink_to(outside / "pkg", target_is_directory=True)
    assert policy.scan(str(root), None, 1).names == {"own_fetch"}


def test_project_module_symlinked_out_of_the_project_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "lib.py").write_text(LIB)
    root = project(tmp_path, **{"lib2.py": LIB})  # an ``async def fetch`` the index does find
    (root / "lib.py").unlink()
    (root / "lib.py").symlink_to(outside / "lib.py")
    result = flake8(root)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


def test_scan_skips_files_over_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(policy, "MAX_INDEX_FILE_BYTES", 100)
    (tmp_path / "small.py").write_text("async def small():\n    pass\n")
    (tmp_path / "big.py").write_text("async def big():\n    pass\n" + "#" * 200 + "\n")
    assert policy.scan(str(tmp_path), None, 1).names == {"small"}


# ---------------------------------------------------------- module size cap


def test_module_over_the_size_cap_is_not_built(tmp_path):
    padding = "".join(f"VALUE_{i} = {i}\n" for i in range(400))  # some 5 KB
    root = project(tmp_path, **{"lib.py": LIB + padding})
    assert flake8(root, "--aio-max-module-size=1k").stdout == ""
    assert MAIN_FINDING in flake8(root, "--aio-max-module-size=64k").stdout
    assert MAIN_FINDING in flake8(root).stdout  # the default, 2M


@pytest.mark.parametrize(
    ("raw", "size"),
    [("2M", 2 * 1024**2), ("1k", 1024), ("1K", 1024), ("12345", 12345), (" 3m ", 3 * 1024**2)],
)
def test_module_size_values(raw, size):
    assert Settings.from_options(SimpleNamespace(aio_max_module_size=raw)).max_module_size == size


@pytest.mark.parametrize("raw", ["", "big", "-1", "1.5M", "2G", "0x10", "1kk"])
def test_bad_module_size_is_one_clear_line(raw):
    with pytest.raises(ConfigError, match=r"^--aio-max-module-size: "):
        Settings.from_options(SimpleNamespace(aio_max_module_size=raw))


def test_bad_module_size_from_flake8(tmp_path):
    root = project(tmp_path)
    result = flake8(root, "--aio-max-module-size=lots")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "flake8-async-tasks: error: --aio-max-module-size: 'lots' is not a size such as 2M, 512k or 65536"
    ]


# ------------------------------------------------------- never run the code

_EXTENSION = """\
#include <Python.h>
#include <stdio.h>

static struct PyModuleDef def = {{PyModuleDef_HEAD_INIT, "{name}", NULL, -1, NULL}};

PyMODINIT_FUNC PyInit_{name}(void) {{
    FILE *marker = fopen("{marker}", "a");
    if (marker) {{ fputs("{name}\\n", marker); fclose(marker); }}
    return PyModule_Create(&def);
}}
"""


def _compiler() -> str | None:
    include = sysconfig.get_paths().get("include") or ""
    if not os.path.exists(os.path.join(include, "Python.h")):
        return None
    return shutil.which("cc")


@pytest.mark.skipif(_compiler() is None, reason="needs a C compiler and Python's headers")
def test_compiled_and_package_code_in_the_checkout_never_runs(tmp_path):
    root = project(tmp_path)
    marker = tmp_path / "ran.txt"
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    include = sysconfig.get_paths()["include"]
    for name in ("audioop", "mmap", "mylib"):
        source = tmp_path / f"{name}.c"
        source.write_text(_EXTENSION.format(name=name, marker=marker))
        target = root / f"{name}{suffix}"
        subprocess.run(
            [_compiler(), "-shared", "-fPIC", f"-I{include}", str(source), "-o", str(target)],
            check=True, capture_output=True, timeout=TIMEOUT,
        )
    # A package named like the standard library's, with a submodule that is
    # not there: finding ``xmlrpc.nothere`` by importlib would import it.
    (root / "xmlrpc").mkdir()
    (root / "xmlrpc" / "__init__.py").write_text(f"open({str(marker)!r}, 'a').write('xmlrpc\\n')\n")
    (root / "main.py").write_text(textwrap.dedent(
        """\
        import audioop
        import mmap
        import mylib
        from audioop import fetch as a_fetch
        from mmap import fetch as m_fetch
        from mylib import fetch as l_fetch
        from xmlrpc.nothere import fetch as x_fetch
        from lib import fetch


        async def main():
            audioop.fetch()
            mmap.fetch()
            mylib.fetch()
            a_fetch()
            m_fetch()
            l_fetch()
            x_fetch()
            fetch()
        """
    ))
    for level in ("off", "local", "project", "full"):
        result = flake8(root, f"--aio-inference={level}")
        assert result.returncode in (0, 1), (level, result.stderr)
        assert not marker.exists(), (level, marker.read_text(), result.stdout, result.stderr)
