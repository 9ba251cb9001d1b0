"""What inference may read, in one place.

- The project: absolute imports resolve against the directory above the
  linted file's top-level package, then the working directory (:func:`locate`,
  :func:`project_file`), regular packages only.
- Installed third-party packages, at the ``full`` level only, from their
  source (:func:`is_third_party`).
- Never the rest of the standard library: it has next to no coroutine
  functions, and typing, os or threading cost more to build than the rest of
  the analysis. asyncio itself is the stand-in of :mod:`.asyncio_model`.
- The ``async def`` name index (:func:`scan`): the names the project's
  ``*.py`` files (and installed packages' at ``full``) show after ``async
  def``, each confirmed by the summaries (:mod:`.summaries`) of the files
  that show it when it is first asked about; it never imports them. Its walk is sorted, and
  bounded in entries (files and directories) and bytes.

Every file is read the same way (:func:`read_regular`): a regular file only
(never a FIFO or a device, which could block or never end), opened without
blocking, at most a set number of bytes; and never through a symlink that
leads out of the directory being read (:func:`within`). Nothing here imports
or runs the code it finds: modules are located by :func:`find_module`, which
never imports a parent package (see docs/safety.md).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.machinery
import importlib.util
import io
import os
import re
import stat
import sys
import tokenize
from dataclasses import dataclass, field
from typing import Iterable

from ...isolation import user_path

MAX_INDEX_FILES = 5000  # entries (files and directories) walked for ``async def`` names per root or package
MAX_INDEX_FILE_BYTES = 4 * 1024 * 1024  # a bigger file is not scanned (its names stay unknown)
MAX_INDEX_BYTES = 256 * 1024 * 1024  # bytes scanned per root or package
MAX_MODULE_SIZE = 2 * 1024 * 1024  # the default of --aio-max-module-size
# Its largest value: all the module source one file's questions may read
# (``session.MAX_MODULE_BYTES``), so a bigger module could never be built.
MAX_MODULE_SIZE_CEILING = 16 * 1024 * 1024
_READ_CHUNK = 1024 * 1024  # a limit is never allocated up front, only what the file holds

# Never wait for a FIFO's writer, never take a terminal, never leak into a child process.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_OPEN_FLAGS |= getattr(os, "O_CLOEXEC", 0)

_ASYNC_DEF = re.compile(rb"async\s+def\b")  # only a text that says it is summarised for the index
# The names after ``async def`` in a decoded text: a superset of the file's
# ``async def`` names (a docstring's or a comment's too), which its summary
# then confirms (:meth:`NameIndex.has`). ``\\\n`` is a line continuation.
_ASYNC_DEF_NAME = re.compile(r"async(?:\s|\\\r?\n)+def(?:\s|\\\r?\n)+([^\W\d]\w*)")
_SITE_DIRS = frozenset({"site-packages", "dist-packages"})
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "build", "dist", *_SITE_DIRS})


def signature(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def read_regular(path: str, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most ``limit``
    bytes, else None. A FIFO or a device (``x.py`` made with mkfifo, or a
    symlink to /dev/zero) is never opened; the open does not block even if
    the file is swapped for one after the check, and at most ``limit + 1``
    bytes are read whatever the file claims its size is, a megabyte at a
    time (a huge limit is never allocated up front)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        descriptor = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError):
        return None
    try:
        with open(descriptor, "rb", closefd=True) as stream:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            chunks, total = [], 0
            while total <= limit:
                chunk = stream.read(min(_READ_CHUNK, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
    except (OSError, MemoryError):
        return None
    return b"".join(chunks) if total <= limit else None


def read_source(path: str, limit: int) -> str | None:
    """The text of a Python file read by :func:`read_regular`, decoded as
    Python would (PEP 263), newlines made ``\\n``; None when it cannot be."""
    data = read_regular(path, limit)
    if data is None:
        return None
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeError):
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def within(path: str, root: str) -> bool:
    """Is ``path``, its symlinks resolved, inside the directory ``root``?"""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def candidates_in(path: str) -> frozenset[str]:
    """The names after ``async def`` in one file's text, without parsing it."""
    text = read_source(path, MAX_INDEX_FILE_BYTES)
    if text is None:
        return frozenset()
    return frozenset(_ASYNC_DEF_NAME.findall(text))


def names_in(path: str) -> frozenset[str]:
    """The ``async def`` names of one file, from its summary (a text in
    which ``async def`` never occurs has none, and is not parsed)."""
    data = read_regular(path, MAX_INDEX_FILE_BYTES)
    if data is None or (_ASYNC_DEF.search(data) is None and b"coding" not in data[:400]):
        return frozenset()
    from . import summaries

    summary = summaries.of_bytes(data)
    return frozenset(summary["async_names"]) if summary else frozenset()


@dataclass
class NameIndex:
    """A root's ``async def`` names. ``names`` are the candidates the text
    shows (cheap: no parse); :meth:`has` confirms one from the summaries of
    the files that show it, so the answer is the summaries' (a name in a
    docstring is not one), and only files bearing a name that is asked
    about are ever parsed."""

    run: int
    files: dict[str, tuple[tuple[int, int], frozenset[str]]] = field(default_factory=dict)
    names: frozenset[str] = frozenset()
    complete: bool = True  # False when a cap stopped the walk
    confirmed: dict[str, bool] = field(default_factory=dict)
    summarised: dict[str, frozenset[str]] = field(default_factory=dict)  # path -> its summary's names
    # name -> the files whose text shows it, in path order: made once, on
    # the first question, so that confirming a name costs the files bearing
    # it, not a pass over the whole index (quadratic in a project's size).
    _bearers: dict[str, list[str]] | None = field(default=None, repr=False)

    def has(self, name: str) -> bool:
        """Does some indexed file's summary list ``async def name``?"""
        if name not in self.names:
            return False
        known = self.confirmed.get(name)
        if known is None:
            known = False
            if self._bearers is None:
                self._bearers = {}
                for path, (_, shown) in sorted(self.files.items()):
                    for shown_name in shown:
                        self._bearers.setdefault(shown_name, []).append(path)
            for path in self._bearers.get(name, ()):
                summarised = self.summarised.get(path)
                if summarised is None:
                    summarised = self.summarised[path] = names_in(path)
                if name in summarised:
                    known = True
                    break
            self.confirmed[name] = known
        return known


def scan(root: str, previous: NameIndex | None, run: int) -> NameIndex:
    """The ``async def`` names of the Python files under ``root``, re-reading
    only files whose mtime or size changed since ``previous``.

    At most ``MAX_INDEX_FILES`` files and ``MAX_INDEX_BYTES`` bytes are
    indexed; a symlink that leads out of ``root`` is not read, and os.walk
    does not enter symlinked directories (``followlinks`` stays False).

    A root that is itself a symlink is not scanned at all: os.walk would
    follow it, and a namespace directory of the checkout linked to ``/``
    would have the whole disk read."""
    index = NameIndex(run)
    if os.path.islink(root):
        return index
    old = previous.files if previous is not None else {}
    names: set[str] = set()
    count = 0
    total = 0
    for directory, subdirs, files in os.walk(root, followlinks=False):
        # Every entry counts, directories too: 100,000 empty directories are
        # as much work as 100,000 files. Sorted, so that what a cap leaves out
        # does not depend on the file system's listing order.
        count += 1 + len(subdirs)
        subdirs[:] = sorted(
            d for d in subdirs
            if not d.startswith(".") and d not in _SKIPPED_DIRS
            and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
        )
        if count > MAX_INDEX_FILES:
            index.complete = False
            break
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(directory, name)
            if os.path.islink(path) and not within(path, root):
                continue
            stamp = signature(path)
            if stamp is None:
                continue
            count += 1
            total += stamp[1] if stamp[1] <= MAX_INDEX_FILE_BYTES else 0  # a bigger one is not read
            if count > MAX_INDEX_FILES or total > MAX_INDEX_BYTES:
                index.complete = False
                break
            known = old.get(path)
            found = known[1] if known is not None and known[0] == stamp else candidates_in(path)
            index.files[path] = (stamp, found)
            names |= found
        if not index.complete:
            break
    index.names = frozenset(names)
    return index


@functools.lru_cache(maxsize=1)
def _library_dirs() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(installed packages' directories, the standard library's), each with
    a trailing separator for prefix tests."""
    import site
    import sysconfig

    def normal(paths: Iterable[str | None]) -> tuple[str, ...]:
        return tuple(os.path.normcase(os.path.abspath(p)) + os.sep for p in paths if p)

    paths = sysconfig.get_paths()
    installed = {paths.get("purelib"), paths.get("platlib")}
    with contextlib.suppress(Exception):  # some embedded interpreters lack site's helpers
        installed.update(site.getsitepackages())
        installed.add(site.getusersitepackages())
    return normal(installed), normal({paths.get("stdlib"), paths.get("platstdlib")})


def is_third_party(location: str | None) -> bool:
    """Is a module file outside the standard library? Built-in modules
    (no file) belong to it."""
    if location is None:
        return False
    installed, stdlib = _library_dirs()
    path = os.path.normcase(os.path.abspath(location))
    parts = path.split(os.sep)
    if path.startswith(installed) or "site-packages" in parts or "dist-packages" in parts:
        return True
    return not path.startswith(stdlib)


# A directory holding one of these is a project's root: the search for the
# directory imports resolve against never climbs above it.
PROJECT_MARKERS = (".git", "pyproject.toml", "setup.cfg", "setup.py", "tox.ini", ".flake8")


def project_root(path: str) -> str:
    """The root of the project ``path`` (a file) belongs to: the nearest
    directory, from the file's own up, holding one of ``PROJECT_MARKERS``;
    without one, the working directory when the file is inside it, else the
    file's own directory. An ``__init__.py`` at a checkout's root never makes
    its parent (where sibling checkouts live) part of the project."""
    cwd = os.getcwd()
    if not path or path in ("-", "stdin"):
        return cwd
    start = os.path.dirname(os.path.abspath(path))
    marked = _marked_ancestor(start)
    if marked is not None:
        return marked
    return cwd if inside(start, cwd) else start


# Where a module name's file lies under a set of roots, per flake8 run as
# _MARKED is: every file of a run asks for the same modules (a walk of star
# imports asks for up to 65 a question), and each lookup resolves symlinks.
_PROJECT_FILES: dict[tuple[tuple[str, ...], str], str | None] = {}
_MAX_PROJECT_FILES = 100_000
_MARKED: dict[str, str | None] = {}  # directory -> its nearest marked ancestor, per flake8 run


def _marked_ancestor(directory: str) -> str | None:
    if directory not in _MARKED:
        if any(os.path.lexists(os.path.join(directory, marker)) for marker in PROJECT_MARKERS):
            _MARKED[directory] = directory
        else:
            parent = os.path.dirname(directory)
            _MARKED[directory] = None if parent == directory else _marked_ancestor(parent)
    return _MARKED[directory]


def inside(path: str, directory: str) -> bool:
    """Is ``path`` (as written, symlinks not resolved) ``directory`` or under it?"""
    path, directory = os.path.normcase(path), os.path.normcase(directory)
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def locate(path: str) -> tuple[tuple[str, ...], str]:
    """The directories absolute imports resolve against, and the module name
    of ``path``: the directory above its top-level package (where Python puts
    it on sys.path), but never above its :func:`project_root`; then the
    working directory when the file is inside it and it is inside the root."""
    cwd = os.getcwd()
    if not path:
        return (cwd,), "__flake8_async_tasks_stdin__"
    boundary = project_root(path)
    directory, name = os.path.split(path)
    stem = os.path.splitext(name)[0]
    parts = [] if stem == "__init__" else [stem]
    while os.path.normcase(directory) != os.path.normcase(boundary) and os.path.isfile(
        os.path.join(directory, "__init__.py")
    ):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
        if not package:
            break
    roots = [directory]
    if inside(path, cwd) and inside(cwd, boundary) and os.path.normcase(cwd) != os.path.normcase(directory):
        roots.append(cwd)
    return tuple(roots), ".".join(parts) or stem


class Place:
    """Where one linted file sits: the roots its absolute imports resolve
    against, its module name, the project files its imports name, and the
    largest module file inference may build for it."""

    def __init__(self, filename: str, max_module_size: int = MAX_MODULE_SIZE) -> None:
        self.path = os.path.abspath(filename) if filename and filename not in ("-", "stdin") else ""
        self.max_module_size = max_module_size
        self.roots, self.modname = locate(self.path)
        # Everything under it is the project's, whatever route finds it.
        self.root = project_root(self.path)
        self.is_package = os.path.basename(self.path) == "__init__.py"
        self._files: dict[str, str | None] = {}

    def project_file(self, modname: str) -> str | None:
        """The file of a project module, looked up under the roots the way
        ``sys.path`` would (regular packages only, regular files only, never
        through a symlink that leads out of the root)."""
        if modname not in self._files:
            key = (self.roots, modname)
            if key not in _PROJECT_FILES:
                if len(_PROJECT_FILES) >= _MAX_PROJECT_FILES:
                    _PROJECT_FILES.clear()
                _PROJECT_FILES[key] = _project_file(self.roots, modname)
            self._files[modname] = _PROJECT_FILES[key]
        return self._files[modname]

    def in_project(self, location: str) -> str | None:
        """The root (:attr:`root` or one of :attr:`roots`) that ``location``,
        as found (symlinks not resolved), lies under; None when it is no
        file of the project. A module that ``sys.path`` finds there (the
        checkout on it through ``python -m``, ``PYTHONPATH`` or an editable
        install's ``.pth``) is the project's, read by the project's rules."""
        location = os.path.abspath(location)
        root = next((root for root in (*self.roots, self.root) if inside(location, root)), None)
        if root is None:
            return None
        # A virtual environment inside the checkout (uv's and poetry's .venv)
        # holds installed packages, not the project's files.
        below = os.path.relpath(location, root).split(os.sep)
        return None if any(part in _SITE_DIRS for part in below) else root

    def absolute(self, module: str | None, level: int) -> str | None:
        """The absolute name of ``from <level dots><module> import ...``."""
        return absolute_name(self.modname, self.is_package, module, level)


def absolute_name(importer: str, is_package: bool, module: str | None, level: int) -> str | None:
    """The absolute name of ``from <level dots><module> import ...`` in the
    module ``importer`` (a package's ``__init__`` when ``is_package``)."""
    if not level:
        return module
    parts = importer.split(".")
    if not is_package:
        parts = parts[:-1]
    if level - 1 > len(parts):
        return None
    parts = parts[: len(parts) - (level - 1)]
    if module:
        parts.append(module)
    return ".".join(parts) or None


def _project_file(roots: tuple[str, ...], modname: str) -> str | None:
    parts = modname.split(".")
    if not all(part.isidentifier() for part in parts):
        return None
    for root in roots:
        directory = root
        if all(
            os.path.isfile(os.path.join(directory := os.path.join(directory, part), "__init__.py"))
            for part in parts[:-1]
        ):
            last = os.path.join(directory, parts[-1])
            for candidate in (last + ".py", os.path.join(last, "__init__.py")):
                if os.path.isfile(candidate):
                    # A module of the project, but one that is a symlink out
                    # of it is never read: unknown, as if it were missing.
                    return candidate if within(candidate, root) else None
    return None


@dataclass(frozen=True)
class Found:
    """Where ``import name`` would find a module, as :func:`find_module`
    tells it without importing anything."""

    location: str | None  # its file; None for a module built into the interpreter
    source: bool = False  # a ``.py`` file (a module, or a package's ``__init__.py``)
    namespace: tuple[str, ...] = ()  # the directories of a namespace package


def find_module(modname: str) -> Found | None:
    """Where ``import modname`` would find it, importing nothing.

    ``importlib.util.find_spec("a.b")`` imports, and so runs, the package
    ``a`` (which may be the checkout's own ``a/__init__.py`` when the project
    directory is on sys.path); so do astroid's finders for some names. Here
    only the top-level name goes to ``find_spec`` (which for a name without
    a dot runs nothing), and each submodule is looked up by
    ``PathFinder.find_spec`` in its parent's directories."""
    parts = modname.split(".")
    if not all(part.isidentifier() for part in parts):
        return None
    if len(parts) == 1 and modname in sys.builtin_module_names:
        return Found(None)
    try:
        with user_path():  # the linted code's sys.path, not the plugin's own
            spec = importlib.util.find_spec(parts[0])
        for end in range(2, len(parts) + 1):
            if spec is None or not spec.submodule_search_locations:
                return None
            spec = importlib.machinery.PathFinder.find_spec(
                ".".join(parts[:end]), list(spec.submodule_search_locations)
            )
    except Exception:  # a broken installation is an unknown, not a crash
        return None
    if spec is None:
        return None
    origin = spec.origin if spec.has_location else None
    if origin is None:
        if spec.submodule_search_locations and spec.origin in (None, "namespace"):
            locations = tuple(spec.submodule_search_locations)
            return Found(locations[0] if locations else None, namespace=locations)
        return Found(None)
    return Found(origin, source=os.path.splitext(origin)[1] == ".py")


def _package_names(top: str) -> frozenset[str]:
    """The ``async def`` names of the installed package or module ``top``
    (a top-level name: finding its spec imports nothing). A package or module
    that is itself a symlink is not read (see :func:`scan`)."""
    try:
        with user_path():
            spec = importlib.util.find_spec(top)
    except Exception:  # a broken installation is an unknown, not a crash
        return frozenset()
    if spec is None:
        return frozenset()
    if spec.submodule_search_locations:
        found: set[str] = set()
        for location in spec.submodule_search_locations:
            index = scan(location, None, 0)
            found.update(name for name in index.names if index.has(name))
        return frozenset(found)
    if spec.has_location and spec.origin and spec.origin.endswith(".py"):
        return frozenset() if os.path.islink(spec.origin) else names_in(spec.origin)
    return frozenset()


class NameIndexes:
    """The ``async def`` names found so far, kept for the life of the
    process (each flake8 ``--jobs`` worker has its own): per project root,
    re-scanned once per flake8 run (files whose mtime and size did not
    change are not read again), and per installed package."""

    def __init__(self) -> None:
        self.run = 0
        self.roots: dict[str, NameIndex] = {}
        self.packages: dict[str, frozenset[str]] = {}

    def project_index(self, root: str) -> NameIndex:
        index = self.roots.get(root)
        if index is None or index.run != self.run:
            index = self.roots[root] = scan(root, index, self.run)
        return index

    def package_names(self, top: str) -> frozenset[str]:
        names = self.packages.get(top)
        if names is None:
            names = self.packages[top] = _package_names(top)
        return names


INDEXES = NameIndexes()


def new_run() -> None:
    """A new flake8 run starts: the project indexes are brought up to date,
    and project roots are looked for again."""
    INDEXES.run += 1
    _MARKED.clear()
    _PROJECT_FILES.clear()
