"""The sdist and the wheel built from this checkout hold what a release needs.

Both are built once, from a copy of the checkout in a temporary directory, so the
repository never gets a build/ or *.egg-info folder. The build uses the `build` package
(in the `test` extra). When the installed setuptools satisfies pyproject.toml's
build requirement, the build runs without isolation and needs no network; otherwise
`build` makes an isolated environment and fetches setuptools from the package index.
`twine check --strict` runs on both files when twine is installed.
"""

from __future__ import annotations

import email.parser
import importlib.util
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import flake8_async_tasks

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "flake8_async_tasks"
VERSION = flake8_async_tasks.__version__
# What pyproject.toml's [build-system] asks for; without it, setuptools cannot read the
# SPDX `license = "MIT"` string.
SETUPTOOLS_NEEDED = 77


def _checkout_files() -> list[str]:
    """Tracked and new (not ignored) files, as a release built from this checkout sees them."""
    if shutil.which("git") and (REPO / ".git").exists():
        done = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO, capture_output=True, text=True, check=True, timeout=60,
        )
        return [name for name in done.stdout.split("\0") if name and (REPO / name).is_file()]
    ignored = {".git", "build", "dist", "site", ".venv", "venv", ".nox", ".pytest_cache", "__pycache__"}
    return [
        str(path.relative_to(REPO)) for path in REPO.rglob("*")
        if path.is_file() and not ignored.intersection(path.relative_to(REPO).parts)
        and not any(part.endswith(".egg-info") for part in path.parts) and path.suffix != ".pyc"
    ]


FILES = _checkout_files()
PACKAGE_MODULES = sorted(name for name in FILES if name.startswith(f"{PACKAGE}/") and name.endswith(".py"))
TEST_FILES = sorted(name for name in FILES if name.startswith("tests/"))


def _setuptools_is_new_enough() -> bool:
    try:
        major = int(metadata.version("setuptools").split(".")[0])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return major >= SETUPTOOLS_NEEDED


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    if importlib.util.find_spec("build") is None:
        pytest.skip("needs the `build` package (python3 -m pip install '.[test]')")
    root = tmp_path_factory.mktemp("packaging")
    source, out = root / "source", root / "dist"
    for name in FILES:
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    isolation = ["--no-isolation"] if _setuptools_is_new_enough() else []
    done = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", *isolation, "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    [wheel] = out.glob("*.whl")
    [sdist] = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_the_files_are_named_after_the_version(dist):
    assert dist["wheel"].name == f"{PACKAGE}-{VERSION}-py3-none-any.whl"
    assert dist["sdist"].name == f"{PACKAGE}-{VERSION}.tar.gz"


def _wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _wheel_text(wheel: Path, name: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(name).decode("utf-8")


def test_wheel_holds_every_module_and_py_typed(dist):
    names = _wheel_names(dist["wheel"])
    assert PACKAGE_MODULES, "no modules found in the checkout"
    missing = [name for name in PACKAGE_MODULES if name not in names]
    assert not missing, f"modules left out of the wheel: {missing}"
    assert f"{PACKAGE}/py.typed" in names
    assert not any(name.startswith("tests/") for name in names)


def test_wheel_entry_points(dist):
    text = _wheel_text(dist["wheel"], f"{PACKAGE}-{VERSION}.dist-info/entry_points.txt")
    sections: dict[str, dict[str, str]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif line and current is not None:
            key, value = (part.strip() for part in line.split("=", 1))
            current[key] = value
    assert sections["flake8.extension"] == {"AIO": "flake8_async_tasks.plugin:Plugin"}
    assert sections["console_scripts"] == {"flake8-async-tasks": "flake8_async_tasks.cli:main"}
    # The editor quick fix (lsp extra) and the SARIF formatter.
    assert sections["pylsp"] == {"flake8_async_tasks": "flake8_async_tasks.lsp"}
    assert sections["flake8.report"] == {"aio-sarif": "flake8_async_tasks.sarif:SarifFormatter"}


def test_wheel_metadata(dist):
    info = f"{PACKAGE}-{VERSION}.dist-info"
    meta = email.parser.Parser().parsestr(_wheel_text(dist["wheel"], f"{info}/METADATA"))
    assert meta["Name"] == "flake8-async-tasks"
    assert meta["Version"] == VERSION
    assert meta["Requires-Python"] == ">=3.10"
    required = [re.split(r"[\s<>=!~;\[(]", req, maxsplit=1)[0].lower()
                for req in meta.get_all("Requires-Dist") if "extra ==" not in req]
    assert {"flake8", "astroid"} <= set(required), required
    # pylsp only with the lsp extra: flake8 users do not pull it in.
    assert "python-lsp-server" not in required
    requires = meta.get_all("Requires-Dist")
    assert any(req.startswith("python-lsp-server") and 'extra == "lsp"' in req for req in requires)
    assert meta["License-Expression"] == "MIT"
    assert "LICENSE" in meta.get_all("License-File")
    assert meta["Description-Content-Type"] == "text/markdown"
    assert f"{info}/licenses/LICENSE" in _wheel_names(dist["wheel"])


def test_sdist_holds_the_project_and_its_tests(dist):
    with tarfile.open(dist["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for name in ("pyproject.toml", "README.md", "LICENSE", "PKG-INFO"):
        assert name in names, name
    missing = [name for name in PACKAGE_MODULES + TEST_FILES if name not in names]
    assert not missing, f"left out of the sdist: {missing[:10]} (see MANIFEST.in)"


def test_twine_check_strict(dist):
    if importlib.util.find_spec("twine") is None:
        pytest.skip("twine is not installed, so `twine check --strict` cannot run "
                    "(python3 -m pip install '.[test]')")
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dist["wheel"]), str(dist["sdist"])],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_release_workflow_builds_once_and_publishes_with_trusted_publishing():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    trigger = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert trigger == {"push": {"tags": ["v*"]}}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    build_runs = " ".join(step.get("run", "") for step in build["steps"])
    assert "__version__" in build_runs and "GITHUB_REF_NAME" in build_runs
    assert "python -m build" in build_runs and "twine check --strict dist/*" in build_runs
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in build["steps"])
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    assert any(step.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for step in publish["steps"])
    assert "id-token" not in workflow.get("permissions", {}), "only the publish job gets an OIDC token"
