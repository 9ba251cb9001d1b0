"""``fix`` never loses data (issue #18, items 4-7).

- a ``*.py`` symlink that leads out of the linted tree is never written through;
- only the bytes flake8 linted are fixed: an editor's save during the run, or
  between the fix's read and its write, is kept;
- the write is atomic: a full disk (``RLIMIT_FSIZE`` in a subprocess) or a
  failed rename leaves the original byte for byte;
- a file that cannot be written is reported as ``path: cannot write: ...``, the
  others are still fixed, the status is 1, and "fixed" is said only after a
  write succeeded.

The tests run as root here, which no file mode stops: the in-process tests make
the write fail by monkeypatching, and the real ones use ``chattr +i`` (which
stops root) or a read-only mode (skipped as root).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_async_tasks import cli, fix

ROOT = Path(__file__).resolve().parents[1]

BUGGY = textwrap.dedent(
    """\
    import asyncio


    async def save():
        pass


    async def main():
        save()
    """
)
FIXED = BUGGY.replace("    save()\n", "    await save()\n")


def _run(monkeypatch, capsys, cwd: Path, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = cli.main(["fix", "--isolated", "--jobs=1", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _said_fixed(out: str) -> bool:
    return re.search(r" AIO\d+ fixed: ", out) is not None


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------ 4. symlinks out


@pytest.fixture
def linked(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "single.py").write_text(BUGGY)
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "app" / "real.py").write_text(BUGGY)
    try:
        (project / "app" / "link.py").symlink_to(outside / "single.py")
        (project / "app" / "alias.py").symlink_to("real.py")
    except OSError:
        pytest.skip("cannot make symlinks here")
    return project, outside


def test_a_symlink_out_of_the_linted_tree_is_skipped_and_reported(linked, monkeypatch, capsys):
    project, outside = linked
    code, out, err = _run(monkeypatch, capsys, project, "app")
    assert (outside / "single.py").read_text() == BUGGY  # never written through
    assert (project / "app" / "link.py").is_symlink()
    assert f"app/link.py: is a symlink to {outside / 'single.py'}, outside the linted tree; not fixed" in err
    assert "app/link.py:9:5: AIO201 not fixed: a symlink out of the linted tree" in out
    assert (project / "app" / "real.py").read_text() == FIXED  # the others are fixed
    assert code == 1


def test_a_symlink_inside_the_tree_fixes_its_target_once_and_stays_a_link(linked, monkeypatch, capsys):
    project, _ = linked
    (project / "app" / "link.py").unlink()
    code, out, err = _run(monkeypatch, capsys, project, "app")
    assert (project / "app" / "real.py").read_text() == FIXED
    assert (project / "app" / "alias.py").is_symlink()
    assert "app/real.py:9:5: AIO201 fixed: inserted await" in out
    assert "app/alias.py:9:5: AIO201 not fixed: the same file as app/real.py, handled under that name" in out
    assert (code, err) == (1, "")


def test_a_symlink_named_on_the_command_line_that_leads_out_is_skipped(linked, monkeypatch, capsys):
    project, outside = linked
    code, _, err = _run(monkeypatch, capsys, project, "app/link.py")
    assert (outside / "single.py").read_text() == BUGGY
    assert "outside the linted tree" in err and code == 1


# ------------------------------------------- 5. only the bytes flake8 read


def test_a_file_saved_while_flake8_runs_is_not_fixed(tmp_path, monkeypatch, capsys):
    # An editor's save during the run: a line above moves every position.
    # Fixing the new text at flake8's positions gave `await print("starting")`.
    path = tmp_path / "mod.py"
    path.write_text(BUGGY)
    saved = BUGGY.replace("async def main():\n", 'async def main():\n    print("starting")\n')
    report = fix.CapturingApplication.report

    def save_then_report(self):
        path.write_text(saved)
        report(self)

    monkeypatch.setattr(fix.CapturingApplication, "report", save_then_report)
    code, out, err = _run(monkeypatch, capsys, tmp_path, "mod.py")
    assert path.read_text() == saved
    assert "mod.py: changed since flake8 read it; not fixed (run fix again)" in err
    assert not _said_fixed(out)
    assert code == 1


def test_the_lines_flake8_read_are_compared_too(tmp_path, monkeypatch, capsys):
    # A save during the run that is undone before it ends (A, then B read by
    # flake8, then A again) gives equal digests; the text flake8 hands each
    # finding (its noqa lines) still tells. File times are made equal here, as
    # a coarse-grained file system could leave them.
    from flake8_async_tasks import rewrite

    path = tmp_path / "mod.py"
    path.write_text(BUGGY)
    shifted = BUGGY.replace("async def main():\n", 'async def main():\n    print("starting")\n')
    monkeypatch.setattr(rewrite, "_identity", lambda st: (st.st_dev, st.st_ino, 0, 0, 0))
    start, report = fix.SnapshotManager.start, fix.CapturingApplication.report

    def snapshot_then_save(self, *args):
        start(self, *args)
        path.write_text(shifted)  # what flake8 reads

    def undo_then_report(self):
        path.write_text(BUGGY)
        report(self)

    monkeypatch.setattr(fix.SnapshotManager, "start", snapshot_then_save)
    monkeypatch.setattr(fix.CapturingApplication, "report", undo_then_report)
    code, out, _err = _run(monkeypatch, capsys, tmp_path, "mod.py")
    assert "mod.py:10:5: AIO201 not fixed: the file changed since flake8 read it" in out
    assert path.read_text() == BUGGY and code == 1


def test_an_edit_between_the_read_and_the_write_is_kept(tmp_path, monkeypatch, capsys):
    path = tmp_path / "mod.py"
    path.write_text(BUGGY)
    edited = BUGGY + "\n\nprint('edited meanwhile')\n"
    plan_fixes = fix.plan_fixes

    def edit_after(*args, **kwargs):
        planned = plan_fixes(*args, **kwargs)
        path.write_text(edited)  # after the fix read the file, before it writes
        return planned

    monkeypatch.setattr(fix, "plan_fixes", edit_after)
    code, out, err = _run(monkeypatch, capsys, tmp_path, "mod.py")
    assert path.read_text() == edited
    assert "mod.py: changed since flake8 read it; not fixed (run fix again)" in err
    assert not _said_fixed(out) and code == 1
    assert _leftovers(tmp_path) == []


def test_an_edit_while_the_new_file_is_written_is_kept(tmp_path, monkeypatch, capsys):
    # The last look happens right before the rename.
    path = tmp_path / "mod.py"
    path.write_text(BUGGY)
    edited = BUGGY + "\n\nprint('edited meanwhile')\n"
    fsync = os.fsync

    def edit_during_fsync(fd):
        fsync(fd)
        if path.read_text() == BUGGY:
            path.write_text(edited)

    monkeypatch.setattr(os, "fsync", edit_during_fsync)
    code, out, err = _run(monkeypatch, capsys, tmp_path, "mod.py")
    assert path.read_text() == edited
    assert "mod.py: changed since flake8 read it; not fixed (run fix again)" in err and code == 1
    assert "mod.py:9:5: AIO201 not fixed: the file changed since flake8 read it" in out
    assert _leftovers(tmp_path) == []


# ------------------------------------------------------ 6. atomic write

FULL_DISK = """\
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
from flake8_async_tasks import cli
sys.exit(cli.main(["fix", "--isolated", "--jobs=1", "mod.py"]))
"""


def test_a_full_disk_leaves_the_original_intact(tmp_path):
    # The case: a 1,556-byte file cut to 1,024 bytes after "fixed".
    resource = pytest.importorskip("resource")
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    if hard != resource.RLIM_INFINITY and hard < 1024:
        pytest.skip("the file size limit is already below 1 KiB")
    before = BUGGY + "".join(f"\n\ndef padding_{i}():\n    return {i}\n" for i in range(50))
    assert len(before) > 1500
    path = tmp_path / "mod.py"
    path.write_text(before)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-c", FULL_DISK], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert path.read_text() == before
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "mod.py: cannot write: File too large" in done.stderr
    assert not _said_fixed(done.stdout)
    assert "mod.py:9:5: AIO201 not fixed: the file could not be written" in done.stdout
    assert _leftovers(tmp_path) == []


def test_a_failed_rename_leaves_the_original_and_no_temporary_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / "mod.py"
    path.write_text(BUGGY)

    def no_space(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    code, out, err = _run(monkeypatch, capsys, tmp_path, "mod.py")
    assert path.read_text() == BUGGY
    assert "mod.py: cannot write: No space left on device" in err
    assert not _said_fixed(out) and code == 1
    assert _leftovers(tmp_path) == []


def test_the_mode_is_kept(tmp_path, monkeypatch, capsys):
    path = tmp_path / "mod.py"
    path.write_text(BUGGY)
    path.chmod(0o751)
    assert _run(monkeypatch, capsys, tmp_path, "mod.py")[0] == 1
    assert path.read_text() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o751


def test_the_owner_is_kept(tmp_path, monkeypatch, capsys):
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another owner")
    path = tmp_path / "mod.py"
    path.write_text(BUGGY)
    os.chown(path, 12345, 23456)
    assert _run(monkeypatch, capsys, tmp_path, "mod.py")[0] == 1
    assert path.read_text() == FIXED
    assert (path.stat().st_uid, path.stat().st_gid) == (12345, 23456)


def test_replace_writes_only_over_the_snapshot_it_was_given(tmp_path):
    from flake8_async_tasks import rewrite

    path = tmp_path / "mod.py"
    path.write_text(BUGGY)
    _, snapshot = rewrite.read(str(path))
    path.write_text(BUGGY + "# later\n")
    with pytest.raises(rewrite.Changed):
        rewrite.replace(str(path), FIXED.encode(), snapshot)
    assert path.read_text() == BUGGY + "# later\n"
    assert _leftovers(tmp_path) == []


# ----------------------------------------------- 7. a file not writable


def test_a_file_that_cannot_be_written_is_reported_and_the_others_fixed(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.py").write_text(BUGGY)
    (tmp_path / "b.py").write_text(BUGGY)
    replace = os.replace

    def refuse_a(src, dst):
        if os.path.basename(dst) == "a.py":
            raise PermissionError(13, "Permission denied")
        return replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse_a)
    code, out, err = _run(monkeypatch, capsys, tmp_path, "a.py", "b.py")
    assert (tmp_path / "a.py").read_text() == BUGGY
    assert (tmp_path / "b.py").read_text() == FIXED
    assert err.splitlines() == ["a.py: cannot write: Permission denied"]
    assert out.splitlines() == [
        "a.py:9:5: AIO201 not fixed: the file could not be written",
        "b.py:9:5: AIO201 fixed: inserted await",
        "fixed 1 finding in 1 file (AIO201 1); 1 left alone; 1 file with errors",
    ]
    assert code == 1
    assert _leftovers(tmp_path) == []


@pytest.fixture
def immutable(tmp_path):
    path = tmp_path / "a.py"
    path.write_text(BUGGY)
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (needs root and a file system that has it)")
    yield path
    subprocess.run([chattr, "-i", str(path)], check=True)


def test_an_immutable_file_stops_even_root(immutable, tmp_path):
    # A real refusal by the kernel, in a real process: chattr +i stops root.
    (tmp_path / "b.py").write_text(BUGGY)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "flake8_async_tasks", "fix", "--isolated", "a.py", "b.py"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert immutable.read_text() == BUGGY
    assert (tmp_path / "b.py").read_text() == FIXED
    assert done.stderr.splitlines() == ["a.py: cannot write: Operation not permitted"]
    assert done.stdout.splitlines() == [
        "a.py:9:5: AIO201 not fixed: the file could not be written",
        "b.py:9:5: AIO201 fixed: inserted await",
        "fixed 1 finding in 1 file (AIO201 1); 1 left alone; 1 file with errors",
    ]
    assert done.returncode == 1
    assert _leftovers(tmp_path) == []


def test_a_read_only_file_is_not_written(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes read-only files (the chattr and monkeypatched tests cover root)")
    path = tmp_path / "a.py"
    path.write_text(BUGGY)
    path.chmod(0o444)
    (tmp_path / "b.py").write_text(BUGGY)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "flake8_async_tasks", "fix", "--isolated", "a.py", "b.py"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert path.read_text() == BUGGY
    assert (tmp_path / "b.py").read_text() == FIXED
    assert "a.py: cannot write: Permission denied" in done.stderr
    assert done.returncode == 1


def test_a_fifo_is_never_waited_on(tmp_path):
    # Reading a FIFO with no writer would block forever; the snapshot refuses it.
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.py")
    script = "from flake8_async_tasks import rewrite; import sys; print(rewrite.snapshot(sys.argv[1]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "pipe.py")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, "None\n"), done.stderr
