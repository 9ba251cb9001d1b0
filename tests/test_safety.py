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


@pytest.mark.parametrize("raw", ["", "big", "-1", "1.5M", "2G", "0x10", "1kk", "100000M", "17M", "16777217"])
def test_bad_module_size_is_one_clear_line(raw):
    with pytest.raises(ConfigError, match=r"^--aio-max-module-size: "):
        Settings.from_options(SimpleNamespace(aio_max_module_size=raw))


def test_module_size_ceiling_is_accepted():
    settings = Settings.from_options(SimpleNamespace(aio_max_module_size="16M"))
    assert settings.max_module_size == policy.MAX_MODULE_SIZE_CEILING == 16 * 1024**2


def test_huge_module_size_is_one_line_from_flake8(tmp_path):
    # Issue 18: 100000M was accepted, and every file importing a project
    # module was then skipped (the limit was allocated for each read).
    result = flake8(project(tmp_path), "--aio-max-module-size=100000M")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [(
        "flake8-async-tasks: error: --aio-max-module-size: '100000M' is over 16M, all the module source one "
        "file's inference may read"
    )]


def test_a_huge_read_limit_is_never_allocated(tmp_path):
    # Under the test's 2 GB address-space limit, a 100 GB buffer cannot be had.
    (tmp_path / "small.py").write_text(LIB)
    code = (
        "import sys\nfrom flake8_async_tasks.analysis.inference import policy\n"
        f"print(policy.read_regular({str(tmp_path / 'small.py')!r}, 100 * 1024**3) == {LIB.encode()!r})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=_limit_memory, check=False,
    )
    assert result.stdout.strip() == "True", result.stderr


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


# ------------------------------------- launch modes: the plugin's own imports
# ``python -m flake8`` from a checkout's root puts it first on sys.path (and
# PYTHONPATH or an editable install's .pth can put it there in any mode): a
# module of the checkout named like one the plugin or astroid imports
# (astroid, dataclasses, numbers, sysconfig...) must never be the one loaded.
#
# Each such name gets a "shadow" in the checkout that records who imported
# it (the plugin and astroid, or someone else: flake8, Python's start-up)
# and then hands over the real module, so the run goes on as usual.

_SHADOW = '''\
import sys as _sys


def _shadow():
    import os

    frame = _sys._getframe(2)
    by = "other"
    while frame is not None:
        filename = os.path.realpath(frame.f_code.co_filename)
        if any(filename.startswith(d) for d in {plugin_dirs!r}):
            by = "plugin"
            break
        if filename.startswith({flake8_dir!r}) and by == "other":
            by = "flake8"
        frame = frame.f_back
    with open({marker!r}, "a") as out:
        out.write(__name__ + " " + by + "\\n")
    saved = list(_sys.path)
    _sys.path[:] = [p for p in saved if not os.path.realpath(p or os.curdir).startswith({root!r})]
    del _sys.modules[__name__]
    try:
        import importlib

        real = importlib.import_module(__name__)
    finally:
        _sys.path[:] = saved
    _sys.modules[__name__] = real


_shadow()
'''

_CROSS_MODULE = {
    "pyproject.toml": "[project]\nname = 'app'\n",
    "app/__init__.py": "",
    "app/lib.py": LIB,
    "app/main.py": "from app.lib import fetch\n\n\nasync def main():\n    fetch()\n",
}
_CROSS_FINDING = "main.py:5:5: AIO201"
# Named in issue 18 (the plugin's lazy imports on the first astroid question,
# and what importing the plugin loads); the probe below adds the rest.
_KNOWN_NAMES = (
    "astroid", "sysconfig", "numbers", "unicodedata", "dataclasses", "asyncio", "hashlib", "ssl",
    "contextvars", "concurrent", "decimal", "_decimal", "importlib_metadata",
)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _loaded_by_a_lint(tmp_path: Path) -> set[str]:
    """Every top-level module a full-level lint of the cross-module project
    loads from a file or looks for (an optional import that finds nothing),
    run in-process from a clean copy."""
    clean = tmp_path / "probe"
    _write(clean, _CROSS_MODULE)
    code = (
        "import sys\n"
        "asked = set()\n"
        "class Recorder:\n"  # every top-level name looked for, found or not (optional imports)
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if path is None:\n"
        "            asked.add(name)\n"
        "sys.meta_path.insert(0, Recorder())\n"
        "from flake8.main.cli import main\n"
        "main(['--isolated', '--select=AIO', '--aio-inference=full', 'app/main.py'])\n"
        "for name, module in sorted(sys.modules.items()):\n"
        "    spec = getattr(module, '__spec__', None)\n"
        "    if '.' not in name and (spec is None or spec.has_location):\n"
        "        asked.add(name)\n"
        "for name in sorted(asked):\n"
        "    print('MODULE', name)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-P", "-c", code] if sys.version_info >= (3, 11) else [sys.executable, "-c", code],
        cwd=clean, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    assert _CROSS_FINDING in result.stdout, result.stderr
    return {line.split()[1] for line in result.stdout.splitlines() if line.startswith("MODULE ")}


def _loaded_at_start_up() -> set[str]:
    """What Python loads before any code runs (``encodings``, ``site``...):
    a checkout on PYTHONPATH shadows those whatever runs next (docs/safety.md)."""
    code = "import sys; print(' '.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    return set(result.stdout.split())


def _shadowed_checkout(tmp_path: Path, names) -> tuple[Path, Path]:
    import astroid
    import flake8

    root = tmp_path / "checkout"
    _write(root, _CROSS_MODULE)
    marker = tmp_path / "imported.txt"
    plugin_dirs = [str(REPO / "flake8_async_tasks"), os.path.dirname(os.path.realpath(astroid.__file__))]
    text = _SHADOW.format(
        plugin_dirs=plugin_dirs, flake8_dir=os.path.dirname(os.path.realpath(flake8.__file__)),
        marker=str(marker), root=str(root.resolve()),
    )
    for name in names:
        own = name in ("flake8_async_tasks", "__main__") or name.startswith("__editable__")
        if own or (root / name).exists():
            continue  # the plugin itself, or one of the checkout's own modules
        package = name in ("astroid", "asyncio", "concurrent") or (name.isidentifier() and _is_package(name))
        _write(root, {f"{name}/__init__.py" if package else f"{name}.py": text})
    return root, marker


def _is_package(name: str) -> bool:
    module = sys.modules.get(name)
    return module is not None and hasattr(module, "__path__")


def _launch(mode: str, root: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """flake8 on the checkout's app/main.py, launched as ``mode`` says."""
    command = [sys.executable, "-m", "flake8"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cwd, target = root, "app/main.py"
    if mode == "python -P -m flake8":
        command = [sys.executable, "-P", "-m", "flake8"]
    elif mode == "console script":
        command = [_console_script()]
    elif mode == "console script, PYTHONPATH=checkout":
        command = [_console_script()]
        env["PYTHONPATH"] = os.pathsep.join([str(root), str(REPO)])
    elif mode == "editable install's .pth, from another directory":
        # A site directory whose .pth puts the checkout on sys.path, as
        # ``pip install -e`` does; flake8 runs from elsewhere on its path.
        site_dir = tmp_path / "site"
        site_dir.mkdir(exist_ok=True)
        (site_dir / "checkout.pth").write_text(f"{root}\n")
        cwd = tmp_path / "elsewhere"
        cwd.mkdir(exist_ok=True)
        target = str(root / "app" / "main.py")
        code = f"import site, sys; site.addsitedir({str(site_dir)!r}); from flake8.main.cli import main; "
        code += "sys.exit(main())"
        command = [sys.executable, "-c", code]
    return subprocess.run(
        [*command, "--isolated", "--select=AIO", *args, target],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=_limit_memory,
        check=False,
    )


def _console_script() -> str:
    return str(Path(sys.executable).with_name("flake8"))


NO_CONSOLE_SCRIPT = "no flake8 console script beside python"
LAUNCH_MODES = [
    "python -m flake8",
    pytest.param(
        "python -P -m flake8", marks=pytest.mark.skipif(sys.version_info < (3, 11), reason="-P is 3.11+")
    ),
    pytest.param("console script", marks=pytest.mark.skipif(
        not Path(sys.executable).with_name("flake8").exists(), reason=NO_CONSOLE_SCRIPT)),
    pytest.param("console script, PYTHONPATH=checkout", marks=pytest.mark.skipif(
        not Path(sys.executable).with_name("flake8").exists(), reason=NO_CONSOLE_SCRIPT)),
    "editable install's .pth, from another directory",
]


@pytest.mark.parametrize("mode", LAUNCH_MODES)
@pytest.mark.parametrize("level", ["project", "full"])
def test_plugin_imports_never_come_from_the_checkout(tmp_path, mode, level):
    # argparse is flake8's own (below); what start-up loads is Python's.
    names = (_loaded_by_a_lint(tmp_path) | set(_KNOWN_NAMES)) - {"argparse"} - _loaded_at_start_up()
    root, marker = _shadowed_checkout(tmp_path, names)
    result = _launch(mode, root, tmp_path, f"--aio-inference={level}")
    imported = marker.read_text().splitlines() if marker.exists() else []
    assert [line for line in imported if line.endswith(" plugin")] == [], (imported, result.stderr)
    assert _CROSS_FINDING in result.stdout, (imported, result.stdout, result.stderr)
    assert "skipped" not in result.stderr, result.stderr


def test_the_probe_sees_the_plugins_lazy_imports(tmp_path):
    # Guards the test above from shadowing too little: the names the issue
    # reports are among what a full-level lint loads.
    assert {"astroid", "sysconfig", "dataclasses", "asyncio"} <= _loaded_by_a_lint(tmp_path)


@pytest.mark.parametrize("mode", LAUNCH_MODES)
def test_a_checkouts_argparse_runs_where_the_checkout_leads_sys_path(tmp_path, mode):
    # flake8 itself imports argparse after sys.path is set: with the checkout
    # first on it (``python -m flake8`` from its root, PYTHONPATH) a
    # checkout's argparse.py runs, with or without this plugin
    # (docs/safety.md). The shadow records flake8's own code as the importer.
    # An editable install's .pth puts the checkout after the standard library.
    root, marker = _shadowed_checkout(tmp_path, ["argparse"])
    result = _launch(mode, root, tmp_path)
    imported = marker.read_text().splitlines() if marker.exists() else []
    runs = mode in ("python -m flake8", "console script, PYTHONPATH=checkout")
    expected = ["argparse flake8"] if runs else []
    assert imported == expected, (imported, result.stderr)
    assert _CROSS_FINDING in result.stdout, result.stderr


# ----------------------------- symlinks out of the project, whatever the route

_LINKED = {
    "pyproject.toml": "[project]\nname = 'app'\n",
    "app/__init__.py": "",
    # An ``async def fetch`` and ``get`` of the project's own, so that the
    # name index lets the questions through to the linked module.
    "app/other.py": (
        "async def fetch():\n    pass\n\n\nclass Other:\n    async def get(self):\n        pass\n"
    ),
    "app/main.py": (
        "from app.link import Client, fetch\n\n\nasync def main():\n    fetch()\n    Client().get()\n"
    ),
}
_OUTSIDE = "async def fetch():\n    pass\n\n\nclass Client:\n    async def get(self):\n        pass\n"
# The modes that put the checkout on sys.path, where the library lookup finds
# app/link.py after the project lookup refused it.
ON_SYS_PATH = [m for m in LAUNCH_MODES if "-P" not in str(m) and str(m) != "console script"]


@pytest.mark.parametrize("mode", ON_SYS_PATH)
@pytest.mark.parametrize("level", ["project", "full"])
def test_project_file_symlinked_out_is_never_read_whatever_finds_it(tmp_path, mode, level):
    root = tmp_path / "checkout"
    _write(root, _LINKED)
    outside = tmp_path / "outside"
    _write(outside, {"single.py": _OUTSIDE})
    (root / "app" / "link.py").symlink_to(outside / "single.py")
    result = _launch(mode, root, tmp_path, f"--aio-inference={level}")
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    # The same module as a file of the checkout is read: both calls reported.
    (root / "app" / "link.py").unlink()
    (root / "app" / "link.py").write_text(_OUTSIDE)
    result = _launch(mode, root, tmp_path, f"--aio-inference={level}")
    assert [line.split(" ")[1] for line in result.stdout.splitlines()] == ["AIO201", "AIO201"], result.stderr


def test_scan_never_starts_at_a_symlinked_root(tmp_path):
    # A namespace directory of the checkout linked to / would have the name
    # index read files across the disk; a linked directory stands in for /.
    outside = tmp_path / "outside"
    _write(outside, {"deep/far.py": "async def far_away():\n    pass\n"})
    (tmp_path / "ns").symlink_to(outside, target_is_directory=True)
    assert policy.scan(str(tmp_path / "ns"), None, 1).names == frozenset()
    assert policy.scan(str(outside), None, 1).names == {"far_away"}


def test_namespace_package_linked_out_of_the_checkout_is_not_indexed(tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    outside = tmp_path / "outside"
    _write(outside, {"deep/far.py": "async def far_away():\n    pass\n"})
    _write(checkout, {"realns/near.py": "async def near_by():\n    pass\n"})
    (checkout / "ns").symlink_to(outside, target_is_directory=True)
    (checkout / "single.py").symlink_to(outside / "deep" / "far.py")
    monkeypatch.syspath_prepend(str(checkout))  # as python -m flake8 from its root has it
    assert policy._package_names("ns") == frozenset()
    assert policy._package_names("single") == frozenset()
    assert policy._package_names("realns") == {"near_by"}


# --------------------------------------- the project root never climbs too far

_SIBLING = {
    "sibling/__init__.py": "",
    "sibling/evil.py": "async def fetch_sibling():\n    pass\n",
}
_REPO = {
    "repo/__init__.py": "",  # a checkout whose root is a package
    "repo/app/__init__.py": "",
    "repo/app/lib.py": "async def fetch_own():\n    pass\n",
    "repo/app/main.py": (
        "from app.lib import fetch_own\nfrom sibling.evil import fetch_sibling\n\n\n"
        "async def main():\n    fetch_own()\n    fetch_sibling()\n"
    ),
}


def _lint_from(cwd: Path, target: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=AIO", target],
        cwd=cwd, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=TIMEOUT,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return [" ".join(line.split(" ")[:2]) for line in result.stdout.splitlines()]


_MARKERS = (".git", "pyproject.toml", "setup.cfg", "setup.py", "tox.ini", ".flake8")


@pytest.mark.parametrize("marker", [*_MARKERS, None])
def test_root_package_does_not_make_its_parent_the_project(tmp_path, marker):
    if _marker_above(tmp_path):
        pytest.skip("a project marker above the temporary directory")
    workspace = tmp_path / "ws"  # where CI jobs' checkouts sit side by side
    _write(workspace, {**_SIBLING, **_REPO})
    if marker == ".git":
        (workspace / "repo" / ".git").mkdir()
    elif marker is not None:
        (workspace / "repo" / marker).write_text("")
    # From the checkout's root: its own modules are found, the sibling's not.
    assert _lint_from(workspace / "repo", "app/main.py") == ["app/main.py:6:5: AIO201"]
    if marker is not None:
        # From above it too: the marker bounds the project.
        assert _lint_from(workspace, "repo/app/main.py") == ["repo/app/main.py:6:5: AIO201"]


def test_without_a_marker_the_working_directory_bounds_the_project(tmp_path):
    # Run from the workspace, with no marker anywhere, the workspace is the
    # project: what the user asked for, and the counterpart of the test above.
    if _marker_above(tmp_path):
        pytest.skip("a project marker above the temporary directory")
    workspace = tmp_path / "ws"
    _write(workspace, {**_SIBLING, **_REPO})
    assert _lint_from(workspace, "repo/app/main.py") == [
        "repo/app/main.py:7:5: AIO201",
    ]


def test_project_root_is_the_nearest_marker(tmp_path, monkeypatch):
    _write(tmp_path, {"a/setup.cfg": "", "a/b/pyproject.toml": "", "a/b/c/d.py": "", "x/y.py": ""})
    monkeypatch.chdir(tmp_path / "a")
    assert policy.project_root(str(tmp_path / "a" / "b" / "c" / "d.py")) == str(tmp_path / "a" / "b")
    monkeypatch.chdir(tmp_path / "x")
    assert policy.project_root(str(tmp_path / "x" / "y.py")) in (str(tmp_path / "x"), _marker_above(tmp_path))


def _marker_above(path: Path) -> str | None:
    for directory in path.parents:
        if any((directory / m).exists() for m in _MARKERS):
            return str(directory)
    return None


def test_ci_and_pre_commit_recipes_use_the_console_script():
    # docs/safety.md: ``python -m flake8`` from a checkout's root runs its
    # argparse.py, so no recipe that lints a pull request may use it.
    import re

    recipes = [REPO / "docs" / "ci.md", REPO / "docs" / "pre-commit.md", REPO / ".pre-commit-hooks.yaml"]
    for path in recipes:
        text = path.read_text()
        assert not re.search(r"python3?\s+(-\w+\s+)*-m\s+flake8(?!_)", text), path
    assert re.search(r"(?m)^\s*entry:\s*flake8\s*$", (REPO / ".pre-commit-hooks.yaml").read_text())
    assert re.search(r"(?m)^\s*-?\s*flake8\b", (REPO / "docs" / "ci.md").read_text())


def test_own_imports_keeps_the_interpreters_directories_inside_the_checkout(tmp_path, monkeypatch):
    # A virtual environment inside the checkout (uv's .venv) keeps its
    # site-packages on the path; the checkout itself, in any spelling, goes.
    from flake8_async_tasks import isolation

    checkout = tmp_path / "checkout"
    venv_site = checkout / ".venv" / "lib" / "site-packages"
    src, elsewhere = checkout / "src", tmp_path / "elsewhere"
    for directory in (venv_site, src, elsewhere):
        directory.mkdir(parents=True)
    monkeypatch.chdir(checkout)
    monkeypatch.setattr(isolation, "_interpreter", (str(venv_site.resolve()),))
    entries = ["", ".", "src", str(checkout), str(src), str(venv_site), str(elsewhere)]
    monkeypatch.setattr(sys, "path", list(entries))
    with isolation.own_imports():
        assert sys.path == [str(venv_site), str(elsewhere)]
        with isolation.user_path():
            assert sys.path == entries
        assert sys.path == [str(venv_site), str(elsewhere)]
    assert sys.path == entries
    # The linted file's project root goes too, wherever the working directory is.
    monkeypatch.chdir(elsewhere)
    with isolation.own_imports(str(checkout)):
        assert sys.path == [str(venv_site)]  # the working directory goes as well
