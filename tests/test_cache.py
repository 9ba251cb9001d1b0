"""The persistent cache of module summaries (issue 15): data only, shared by
workers and runs, and never a changed finding whatever state it is in."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_async_tasks.analysis.inference import cache, summaries

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = Path(__file__).parent / "projects"


def _project(tmp_path: Path) -> Path:
    """A project whose findings need summaries: helpers that return a
    coroutine, star imports, classes read across modules."""
    root = tmp_path / "proj"
    shutil.copytree(PROJECTS / "helpers", root / "helpers")
    shutil.copytree(PROJECTS / "star_import", root / "star_import")
    shutil.copytree(PROJECTS / "receivers", root / "receivers")
    return root


def flake8(root: Path, cache_dir, *args: str, reverse: bool = False) -> subprocess.CompletedProcess:
    paths = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    if reverse:
        paths.reverse()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env[cache.ENV] = str(cache_dir)
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=AIO", *args, *paths],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )


def findings(result: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return sorted(result.stdout.splitlines())


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("v*-*-py*/??/*.json"))


def test_findings_are_identical_whatever_the_cache_holds(tmp_path):
    root = _project(tmp_path)
    directory = tmp_path / "cache"
    disabled = findings(flake8(root, "off", "-j1"))
    assert disabled, "the fixtures have findings"
    assert not directory.exists()
    cold = findings(flake8(root, directory, "-j1"))
    entries = _entries(directory)
    assert entries, "a cold run fills the cache"
    warm = findings(flake8(root, directory, "-j2", reverse=True))
    assert findings(flake8(root, directory, "-j1", reverse=True)) == warm
    assert findings(flake8(root, tmp_path / "cold-j2", "-j2")) == cold
    assert cold == warm == disabled


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # empty
        b'{"key": "',  # truncated
        b"\x00\xff garbage",
        pickle.dumps({"summary": "never unpickled"}),  # a planted pickle is just bytes that are not JSON
        b"[1, 2, 3]",
        b"9" * 100_000,
    ],
)
def test_a_damaged_cache_is_ignored_and_logged(tmp_path, damage):
    root = _project(tmp_path)
    directory = tmp_path / "cache"
    expected = findings(flake8(root, directory))
    entries = _entries(directory)
    for entry in entries:
        entry.write_bytes(damage)
    result = flake8(root, directory, "-v")
    assert findings(result) == expected
    assert "is not a sound summary; ignored" in result.stderr
    # Damaged entries are made again from the text.
    assert findings(flake8(root, directory)) == expected
    assert all(
        json.loads(e.read_text())["summary"]["schema"] == summaries.SCHEMA for e in _entries(directory)
    )


def test_an_entry_that_lies_is_not_believed(tmp_path):
    # Sound JSON, but another text's summary, or another version's, or a wrong shape.
    root = _project(tmp_path)
    directory = tmp_path / "cache"
    expected = findings(flake8(root, directory))
    entries = _entries(directory)
    for number, entry in enumerate(entries):
        data = json.loads(entry.read_text())
        if number % 3 == 0:
            data["key"] = "0" * 32
        elif number % 3 == 1:
            data["tag"] = "v1-0.0.0-py2.7"
        else:
            data["summary"]["functions"] = {"refresh": {"kind": "exec", "returns": 1, "new_task": "x"}}
        entry.write_text(json.dumps(data))
    result = flake8(root, directory, "-v")
    assert findings(result) == expected
    assert "is not a sound summary; ignored" in result.stderr


def test_an_unwritable_cache_is_ignored_and_logged(tmp_path):
    root = _project(tmp_path)
    expected = findings(flake8(root, "off"))
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be\n")
    result = flake8(root, blocker, "-v")
    assert findings(result) == expected
    assert "is not writable" in result.stderr
    assert blocker.read_text() == "a file where the cache directory should be\n"


def test_the_option_moves_or_disables_the_cache(tmp_path):
    root = _project(tmp_path)
    directory = tmp_path / "cache"
    moved = tmp_path / "moved"
    expected = findings(flake8(root, directory, f"--aio-cache-dir={moved}"))
    assert _entries(moved) and not directory.exists()
    assert findings(flake8(root, directory, "--aio-cache-dir=off")) == expected
    assert not directory.exists()


def test_the_default_location_follows_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache.location() == str(tmp_path / "xdg" / "flake8-async-tasks")
    assert cache.location("off") is None
    monkeypatch.setenv(cache.ENV, "off")
    assert cache.location() is None
    assert cache.location(str(tmp_path / "x")) == str(tmp_path / "x")


def test_a_warm_summary_is_read_not_parsed(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    text = b"async def _r():\n    pass\n\n\ndef refresh():\n    return _r()\n"
    monkeypatch.setattr(summaries, "_MEMORY", {})
    first = summaries.of_bytes(text)
    assert summaries.coroutine_functions(first) == {"refresh"}
    monkeypatch.setattr(summaries, "_MEMORY", {})

    def no_parse(data):
        raise AssertionError("parsed again")

    monkeypatch.setattr(summaries, "_parse_and_summarise", no_parse)
    assert summaries.of_bytes(text) == first


def test_the_cache_is_bounded(tmp_path):
    store = cache.Store(str(tmp_path))
    for number in range(40):
        summary = summaries.summarise(__import__("ast").parse(f"x{number} = 1\n"))
        store.put(number.to_bytes(16, "big"), summary)
        os.utime(store._path(number.to_bytes(16, "big")), (number, number))
    assert store.trim(max_entries=20) == 25  # down to three quarters
    kept = sorted(int(p[2].rsplit(os.sep, 1)[1][:-5], 16) for p in store.entries())
    assert kept == list(range(25, 40))  # the oldest went first


def test_the_cache_command_shows_and_clears(tmp_path):
    root = _project(tmp_path)
    directory = tmp_path / "cache"
    directory.mkdir()
    (directory / "mine.json").write_text("{}")  # not an entry: never touched
    flake8(root, directory)
    env = {**os.environ, "PYTHONPATH": str(ROOT), cache.ENV: str(directory)}

    def command(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "flake8_async_tasks", "cache", *args],
                                env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    count = len(_entries(directory))
    assert command().startswith(f"{directory}: {count} entries, ")
    assert command("clear") == f"{directory}: removed {count} entries\n"
    assert not _entries(directory) and (directory / "mine.json").exists()
    assert command() .startswith(f"{directory}: 0 entries")
    env[cache.ENV] = "off"
    assert command() == "flake8-async-tasks: the summary cache is off\n"


def test_a_run_that_needs_no_summary_resolves_no_cache(tmp_path):
    # Start-up stays light: at ``off`` nothing is summarised, so neither the
    # cache directory nor platformdirs is looked at.
    root = _project(tmp_path)
    probe = (
        "import sys\nfrom flake8.main.cli import main\n"
        "try:\n    main(['--isolated', '--select=AIO', '--aio-inference=off', '.'])\n"
        "except SystemExit:\n    pass\n"
        "print('platformdirs' in sys.modules, 'astroid' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(cache.ENV, None)
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    result = subprocess.run([sys.executable, "-c", probe], cwd=root, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.stdout.splitlines()[-1] == "False False", result.stderr
    assert not (tmp_path / "xdg").exists()
