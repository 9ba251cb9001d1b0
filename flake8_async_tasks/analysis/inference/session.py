"""One linted file's astroid session: its tree, built on the first question
that needs it, what its imports find, and its budget.

The budget counts work, never time, so that a busy machine finds exactly what
an idle one does: at most ``MAX_QUERIES`` questions, and at most
``MAX_MODULES`` modules or ``MAX_MODULE_BYTES`` bytes of module source read
for them (counted whether or not an earlier file already built a module, so
the answer does not depend on which files a worker linted before). Every
failure is an unknown: Uninferable, candidates that disagree, an exception
or a RecursionError inside astroid, a module that does not parse, a spent
budget. ``HANG_GUARD`` is the one clock: a last resort far above the cost of
any real file, and it says so on stderr when it stops inference.
"""

from __future__ import annotations

import ast
import contextlib
import os
import sys
import time
from typing import Any, Callable, Sequence, TypeVar

from astroid import nodes
from astroid.builder import build_namespace_package_module
from astroid.exceptions import AstroidBuildingError, AstroidImportError
from astroid.manager import AstroidManager

from ...isolation import own_imports
from ..scopes import ModuleModel
from . import policy, summaries
from .astroid_tools import span
from .host import STATE, Body, Guard, builder, file_stamp, invalidate_inference_caches
from .kinds import Level

MAX_QUERIES = 200  # astroid questions per file
MAX_MODULES = 64  # distinct modules (other than asyncio) one file's questions may read
MAX_MODULE_BYTES = 16 * 1024 * 1024  # their source, in bytes
# Files' star-import lists remembered per process (a few hundred bytes each):
# more than a big project's modules, so that a walk never re-reads a file.
STAR_LISTS = 65_536
HANG_GUARD = 30.0  # CPU seconds of questions per file; the slowest corpus file costs under 1 s

_HAS_DOCSTRING = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)

_T = TypeVar("_T")


class NoTree(Exception):
    """This file's text could not be read or built by astroid."""


class Session:
    """Nothing is built until the first question; the tree and every answer
    stay on this object, and go when the file is done (:meth:`close`)."""

    def __init__(
        self, model: ModuleModel, level: Level, place: policy.Place, lines: Sequence[str] | None
    ) -> None:
        self.model = model
        self.level = level
        self.lines = lines
        self.place = place
        self.path, self.modname = place.path, place.modname
        self.module: nodes.Module | None = None  # the astroid tree of this file
        self._built = False
        self._queries = 0
        self._spent = 0.0  # CPU seconds inside this file's questions
        self._stopped = False  # the hang guard fired
        # A question about a class that an annotation or a constructor names:
        # at ``project`` its installed package may be read for it.
        self.reading_named_class = False
        self._used: dict[str, int] = {}  # modules read for this file's questions -> bytes
        STATE.generation += 1  # project modules are checked against their files again

    def close(self) -> None:
        """The file is done: let go of its tree and astroid's per-node caches."""
        if self.module is not None:
            self.module = None
            invalidate_inference_caches()

    # ........................................................... budget

    def ask(self, question: Callable[..., _T], *args: Any, default: _T) -> _T:
        if self._queries >= MAX_QUERIES or self._hang_guard_fired():
            return default
        self._queries += 1
        try:
            with own_imports(self.place.root), Guard(self):
                started = time.process_time()  # after the process's one-time warm-up
                try:
                    return question(*args)
                finally:
                    self._spent += time.process_time() - started
        except Exception:  # astroid failing (RecursionError too) is an unknown, never a crash
            return default

    def _hang_guard_fired(self) -> bool:
        """The last resort against a runaway question: only a file that costs
        many times more CPU than any real one trips it, and then the user is
        told, once. (CPU time, not wall time: other processes on a busy
        machine do not move it.)"""
        if self._spent < HANG_GUARD:
            return False
        if not self._stopped:
            self._stopped = True
            print(
                f"flake8-async-tasks: inference for {self.path or 'stdin'} stopped after "
                f"{self._spent:.0f} s; findings may be incomplete",
                file=sys.stderr,
            )
        return True

    def charge(self, modname: str, path: str | None) -> None:
        """Count a module read for this file's questions against its budget
        (whether or not another file already built it, so the answer does
        not depend on which files a worker linted before)."""
        for building in STATE.building:
            STATE.reads.setdefault(building, {}).setdefault(modname, path)
        if modname in self._used:
            return
        size = 0
        if path:
            with contextlib.suppress(OSError):
                size = os.stat(path).st_size
        if len(self._used) + 1 > MAX_MODULES or sum(self._used.values()) + size > MAX_MODULE_BYTES:
            # Not recorded: a module refused once stays refused for this file,
            # whichever question asks for it next.
            STATE.refused.update(STATE.building)  # their builds lack what this refusal keeps out
            raise AstroidImportError("{modname}: this file's inference budget is spent", modname=modname)
        self._used[modname] = size

    # ..................................................... tree and imports

    def tree(self) -> nodes.Module:
        """This file's astroid module, built on first use."""
        if not self._build():
            raise NoTree(self.path)
        assert self.module is not None  # _build() said so
        return self.module

    def _build(self) -> bool:
        if self._built:
            return self.module is not None
        self._built = True
        if self.lines is None:
            # Without the text the tree was parsed from, nodes could not be
            # matched safely (the file on disk may say something else).
            return False
        source = "".join(self.lines)
        manager = AstroidManager()
        previous = manager.astroid_cache.get(self.modname)
        tree = self.model.tree
        bodies: list[Body] = [tree, *(n for n in self.model.function_scopes if isinstance(n, _HAS_DOCSTRING))]
        module = builder(manager, tree, bodies).string_build(source, self.modname, self.path or None)
        if manager.astroid_cache.get(self.modname) is module and previous is None:
            # Other files must read this module from disk, where staleness is
            # checked, not from the text flake8 was given.
            del manager.astroid_cache[self.modname]
        self.module = module
        return True

    def import_module(self, manager: AstroidManager, modname: str | None, context_file: str | None,
                      use_cache: bool) -> nodes.Module:
        """What ``import modname`` finds for this file's questions. Nothing is
        ever imported or run: project and installed modules are built from
        their source text, read by :func:`.policy.read_source` (regular files
        no bigger than ``--aio-max-module-size``); a compiled module (a C
        extension, bytecode) is unknown, never handed to astroid, which would
        import it to look inside (docs/safety.md)."""
        if modname is None:
            raise AstroidBuildingError("No module name given.")
        if modname == self.modname and self.module is not None:
            return self.module
        limit = self.place.max_module_size
        path = self.place.project_file(modname)
        if path is not None:
            if path == self.path and self.module is not None:
                return self.module
            if path == self.path and not STATE.building:
                # ``from generated import *`` in generated.py itself, met while
                # its own tree is built: a copy read from disk would bind every
                # name twice (candidates that disagree). Unresolved, as at
                # ``local``. (Met while another module of a star cycle is
                # built, the copy is read: the cycle stays unknown.)
                raise AstroidImportError("{modname}: the linted module itself", modname=modname)
            if self.level < Level.PROJECT:
                raise AstroidImportError("{modname}: project modules are not followed", modname=modname)
            _check_size(modname, path, limit)
            self._refuse_big_star_closure(modname, path, limit)
            self.charge(modname, path)
            return STATE.project_module(manager, modname, path, limit)
        if modname == "asyncio" or modname.startswith("asyncio."):
            return STATE.asyncio_stub(manager)
        cached = manager.astroid_cache.get(modname) if use_cache else None
        if modname == "builtins" and cached is not None:
            return cached  # astroid's model of the running interpreter's builtins
        if cached is not None and modname not in STATE.modules:
            found = policy.Found(cached.file, source=True)
        else:
            found = policy.find_module(modname)
        if found is None:
            raise AstroidImportError("{modname}: not found", modname=modname)
        if self._in_project(found):
            # The checkout is on sys.path (``python -m``, PYTHONPATH, an
            # editable install): what it finds there is a project file all
            # the same, never read through a symlink out of the project.
            return self._project_module_found(manager, modname, found, limit)
        if modname in STATE.modules:
            STATE.forget(manager, modname)  # another project's module of that name
            cached = None
        if not policy.is_third_party(found.location):
            # The standard library beyond asyncio has next to no coroutine
            # functions, and reading it (typing, os, threading...) would cost
            # more than the rest of the analysis. Built-in modules are here.
            raise AstroidImportError("{modname}: the standard library is not followed", modname=modname)
        assert found.location is not None  # a built-in module (no file) is not third party
        if self.level < Level.FULL and not (self.level >= Level.PROJECT and self.reading_named_class):
            raise AstroidImportError("{modname}: installed packages are not followed", modname=modname)
        if found.namespace:
            self.charge(modname, None)
            if cached is not None:
                return cached
            return build_namespace_package_module(modname, list(found.namespace))
        if not found.source:
            # audioop.so in the checkout, on sys.path: astroid would import it
            # (its init code would run) to build a module from the live object.
            raise AstroidImportError("{modname}: compiled modules are not followed", modname=modname)
        _check_size(modname, found.location, limit)
        self.charge(modname, found.location)
        if cached is not None:
            STATE.used_installed(modname, cached)
            return cached
        if STATE.unbuildable(found.location):
            raise AstroidBuildingError("{modname}: did not build before", modname=modname)
        text = policy.read_source(found.location, limit)
        if text is None:
            raise AstroidBuildingError("{modname}: its source could not be read", modname=modname)
        return STATE.build_installed(manager, text, modname, found.location)

    def _in_project(self, found: policy.Found) -> bool:
        locations = found.namespace or ((found.location,) if found.location else ())
        return any(self.place.in_project(location) is not None for location in locations)

    def _project_module_found(
        self, manager: AstroidManager, modname: str, found: policy.Found, limit: int
    ) -> nodes.Module:
        """A module of the project that ``sys.path``, not :meth:`.policy.Place.project_file`,
        found: followed at ``project`` and above, never through a symlink
        that leads out of the project root it is under."""
        if self.level < Level.PROJECT:
            raise AstroidImportError("{modname}: project modules are not followed", modname=modname)
        if found.namespace:
            inside = [d for d in found.namespace if self._stays_in_project(d)]
            if not inside:
                raise AstroidImportError("{modname}: its directory leaves the project", modname=modname)
            self.charge(modname, None)
            return build_namespace_package_module(modname, inside)
        if not found.source or found.location is None:
            raise AstroidImportError("{modname}: compiled modules are not followed", modname=modname)
        if not self._stays_in_project(found.location):
            raise AstroidImportError("{modname}: a symlink out of the project is not read", modname=modname)
        _check_size(modname, found.location, limit)
        self._refuse_big_star_closure(modname, found.location, limit)
        self.charge(modname, found.location)
        return STATE.project_module(manager, modname, found.location, limit)

    def _refuse_big_star_closure(self, modname: str, path: str, limit: int) -> None:
        if self.star_closure_too_big(modname, path, limit):
            raise AstroidImportError("{modname}: its star imports pass any file's budget", modname=modname)

    def star_closure_too_big(self, modname: str, path: str, limit: int) -> bool:
        """Do the project modules that building ``modname`` would read (it,
        and its star imports, followed) number more than ``MAX_MODULES`` or
        weigh more than ``MAX_MODULE_BYTES``? Then no file could ever build
        it within its budget, and it is unknown without a build: a property
        of the code alone, so whatever a process built before, every file
        gets the same answer, and a star-import cycle of N modules costs
        each file a walk of at most ``MAX_MODULES`` summaries, not N builds
        stopped part way (issue 18.17). Read from the summaries (plain
        data, one parse per text): a module that does not parse, or whose
        file is over ``limit``, is not followed, as astroid's build would
        not follow it; the linted file, once built, reads nothing."""
        skip = self.path if self.module is not None else None
        seen = {modname}
        total = 0
        stack = [(modname, path)]
        while stack:
            name, file = stack.pop()
            read = _stars_of(file, limit)
            if read is None:  # never charged: a file that cannot be read, or over ``limit``
                seen.discard(name)
                continue
            size, stars = read
            total += size
            if len(seen) > MAX_MODULES or total > MAX_MODULE_BYTES:
                return True
            is_package = os.path.basename(file) == "__init__.py"
            for star in reversed(stars):
                level = len(star) - len(star.lstrip("."))
                target = policy.absolute_name(name, is_package, star[level:] or None, level)
                if target is None or target in seen or target == "asyncio" or target.startswith("asyncio."):
                    continue
                found = self.place.project_file(target)
                if found is None or found == skip:
                    continue
                seen.add(target)
                stack.append((target, found))
        return False

    def _stays_in_project(self, location: str) -> bool:
        """Outside the project (another part of a namespace package), or
        under a project root with its symlinks resolved still under it."""
        root = self.place.in_project(location)
        return root is None or policy.within(location, root)

    def node(self, expr: ast.expr) -> nodes.NodeNG | None:
        """The astroid node made from ``expr``: same type name, same span."""
        want = (type(expr).__name__, expr.lineno, expr.col_offset,
                expr.end_lineno, expr.end_col_offset)
        start, end = want[1:3], want[3:5]
        assert self.module is not None, "tree() is asked first"
        stack: list[nodes.NodeNG] = [self.module]
        while stack:
            node = stack.pop()
            for child in node.get_children():
                extent = span(child)
                if extent is None:
                    stack.append(child)
                elif (type(child).__name__, *extent[0], *extent[1]) == want:
                    return child
                elif extent[0] <= start and end <= extent[1]:
                    stack.append(child)
        return None


def _stars_of(path: str, limit: int) -> tuple[int, Sequence[str]] | None:
    """The size of a module file and the modules it star-imports (none when
    it does not parse); None when it cannot be read within ``limit`` bytes.
    Remembered per process by the file's stamp and ``limit``, so an edit is
    seen by the next walk."""
    stamp = file_stamp(path)
    known = STATE.star_lists.get((path, limit))
    if known is not None and stamp is not None and known[0] == stamp:
        return known[1]
    data = policy.read_regular(path, limit)
    if data is None:
        found = None
    else:
        summary = summaries.of_bytes(data)
        found = (len(data), tuple(summary["stars"]) if summary is not None else ())
    if len(STATE.star_lists) >= STAR_LISTS:
        del STATE.star_lists[next(iter(STATE.star_lists))]
    STATE.star_lists[path, limit] = (stamp, found)
    return found


def _check_size(modname: str, path: str, limit: int) -> None:
    """A module file over ``--aio-max-module-size`` is never built: unknown."""
    try:
        size = os.stat(path).st_size
    except OSError:
        raise AstroidImportError("{modname}: its file cannot be read", modname=modname) from None
    if size > limit:
        raise AstroidImportError("{modname}: its file is over --aio-max-module-size", modname=modname)
