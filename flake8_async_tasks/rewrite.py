"""Writing a linted file back without ever losing data (``fix``, issue #18).

Three guards stand between a planned edit and the disk:

- :class:`LintedTree`: a file is written only when its real path lies under
  one of the paths named on the command line, so a ``*.py`` symlink that
  leads out of the linted tree is never written through.
- :class:`Snapshot`: the digest and identity (device, inode, size, mtime,
  ctime) of a file's bytes, taken before flake8 reads the file and again
  when the fix reads it. Equal snapshots mean the bytes are the ones flake8
  linted; anything else (an editor's save during the run) and the file is
  left alone, since flake8's positions are for other bytes. (``fix`` also
  compares each finding's lines with the text flake8 read there:
  ``noqa.read_as_flake8_did``.)
- :func:`replace`: the new bytes go to a temporary file in the same
  directory, fsynced, with the old file's mode (and owner, when they differ),
  then ``os.replace`` puts it in place. Right before the rename the file is
  read once more and must still match the snapshot. A failed write (a full
  disk, ``ulimit -f``, a read-only or immutable file) raises ``OSError`` and
  leaves the original as it was.

What is left: an edit saved in the microseconds between the last check and
the rename is lost (no portable compare-and-swap rename exists), a file
with several hard links gets an inode of its own, and extended attributes
and ACLs are not copied (docs/fix.md says so).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from typing import Iterable


class Changed(Exception):
    """The file's bytes are no longer the ones flake8 linted."""

    def __str__(self) -> str:
        return "changed since flake8 read it; not fixed (run fix again)"


@dataclass(frozen=True)
class Snapshot:
    digest: bytes
    identity: tuple[int, int, int, int, int]  # st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns


def _identity(st: os.stat_result) -> tuple[int, int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def read(path: str) -> tuple[bytes, Snapshot]:
    """The bytes of ``path`` and their snapshot; raises ``OSError``, or
    :class:`Changed` when the file changed while it was being read."""
    # O_NONBLOCK: a FIFO named *.py is refused, not waited on (no effect on a regular file).
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as f:
        before = os.fstat(f.fileno())
        if not stat.S_ISREG(before.st_mode):
            raise OSError(f"{path} is not a regular file")
        raw = f.read()
        after = os.fstat(f.fileno())
    if _identity(before) != _identity(after):
        raise Changed
    return raw, Snapshot(hashlib.sha256(raw).digest(), _identity(after))


def snapshot(path: str) -> Snapshot | None:
    """The snapshot of ``path``, or None when it cannot be read (flake8 then
    reports E902 for it)."""
    try:
        return read(path)[1]
    except (OSError, Changed):
        return None


def inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class LintedTree:
    """The real paths of what was named on the command line: a directory
    stands for everything under it, a file for the directory holding it."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.roots = tuple(
            os.path.realpath(p) if os.path.isdir(p) else os.path.realpath(os.path.dirname(os.path.abspath(p)))
            for p in paths
        )

    def contains(self, real: str) -> bool:
        return any(inside(real, root) for root in self.roots)


def replace(real: str, data: bytes, expected: Snapshot) -> None:
    """Put ``data`` in place of the file at the real path ``real``, atomically,
    if it still holds the bytes of ``expected``. Raises ``OSError`` (nothing
    written) or :class:`Changed` (nothing written)."""
    old = os.stat(real)
    if not stat.S_ISREG(old.st_mode):
        raise OSError(f"{real} is not a regular file")
    # A rename needs only the directory's permission; the file's own (its mode,
    # or chattr +i, which stops root too) says whether it may be changed.
    os.close(os.open(real, os.O_WRONLY))
    directory, name = os.path.split(real)
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temporary, stat.S_IMODE(old.st_mode))
        new = os.stat(temporary)
        if hasattr(os, "chown") and (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
            try:
                os.chown(temporary, old.st_uid, old.st_gid)
            except OSError as error:
                raise OSError(error.errno, f"cannot keep the file's owner ({error.strerror})") from None
        # The last look: an edit saved since the fix read the file is kept.
        if read(real)[1] != expected:
            raise Changed
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX; elsewhere a directory cannot be opened)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def describe(error: OSError) -> str:
    """``Permission denied``, ``File too large``: the reason without the path."""
    return error.strerror or str(error)
