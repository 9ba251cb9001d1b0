"""Everything inference does to the process, in one module.

A flake8 process (each ``--jobs`` worker) lints many files; what outlives
one file lives here, and nothing else in the package changes global state:

- ``STATE``: astroid's trees of the project's modules, built once and
  checked against their file once per linted file (see :func:`_stamp`); at
  most ``CACHE_MODULES`` modules or ``CACHE_SOURCE_BYTES`` bytes of their
  source are kept between files, the least recently used go first (a module
  that failed to build is kept as such, until its file changes); the
  installed module files that made astroid's rebuilder recurse too deep (at
  most ``CACHE_MODULES``); astroid's trees of installed packages' modules
  (read at ``full``), under the same bounds as the project's; the asyncio
  stand-in's tree.
- While a question is answered (:class:`Guard`): astroid's
  ``AstroidManager.ast_from_module_name`` is replaced by :func:`import_hook`,
  so that the inference level and the project's files decide what an import
  finds; the garbage collector is paused (astroid's long-lived trees are all
  it would scan); Python's warnings are silenced. All three are put back on
  exit.
- Once per process (:func:`warm_up`): astroid's builtins module and the
  asyncio stand-in are built and exempted from garbage collection with
  ``gc.freeze()``; a ``NullHandler`` is added to the ``astroid`` logger.
- Between files (:meth:`ProcessState.housekeeping`): the module cache is
  trimmed to its bound, and project modules built since the last freeze are
  frozen too (``gc.collect()`` then ``gc.freeze()``); now and then, and
  whenever frozen modules were dropped, ``gc.unfreeze()``, a full collection
  and ``gc.freeze()`` again let go of what was frozen and is now garbage.
- astroid's process-wide inference caches are cleared when a file is done
  or a module is dropped (:func:`invalidate_inference_caches`).

Three caches of plain data outlive a file too, without touching anything
else: the ``async def`` name indexes (:data:`.policy.INDEXES`), the facts of
the asyncio stand-in (:func:`.asyncio_model.facts`) and the summaries of
module texts (:mod:`.summaries`, by the digest of their text, in memory and
on disk through :mod:`.cache`, which writes only below its own directory).
None imports astroid, so the gates can use them at no cost.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import logging
import os
import time
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence, TypeAlias, cast

from astroid.builder import AstroidBuilder
from astroid.context import _invalidate_cache
from astroid.exceptions import AstroidBuildingError, AstroidImportError
from astroid.inference_tip import clear_inference_tip_cache
from astroid import nodes
from astroid.manager import AstroidManager
from astroid.rebuilder import TreeRebuilder

from . import asyncio_model, policy

if TYPE_CHECKING:
    from .session import Session

# The trees whose ``body`` astroid's rebuilder drops docstrings from.
Body: TypeAlias = "ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef"
# AstroidManager.ast_from_module_name and the hook that stands in for it.
_Import: TypeAlias = "Callable[[AstroidManager, str | None, str | None, bool], nodes.Module]"

# astroid's "brain" transforms (dataclasses, enum, typing, namedtuple...)
# model runtime magic; the questions asked here do not need them.
_TRANSFORMS = False


# The per-process module cache keeps at most this many project modules, or
# this many bytes of their source (a module's astroid tree takes some five
# times its source), between files; one file's questions may add their own
# budget (``session.MAX_MODULES``) on top until the file is done. When a
# bound is passed, the least recently used modules go, down to three
# quarters of both bounds, so that the full collection that follows (see
# ``housekeeping``) is paid once per quarter of the cache.
CACHE_MODULES = 1000
CACHE_SOURCE_BYTES = 8 * 1024 * 1024

# Modules built since the last freeze are frozen once their source passes
# this many bytes: a freeze also pins the cyclic garbage of the file being
# linted (its scope model) until the next full collection.
_FREEZE_AFTER_BYTES = 64 * 1024
# A full collection (unfreeze, collect, freeze) after this many freezes, or
# as soon as frozen modules were dropped: what a freeze pinned is let go.
_REFREEZE_EVERY = 16

# A file whose mtime or ctime is this close to the moment it was checked may
# still be written within the same tick of the file system's clock, leaving
# its stamp unchanged: its content is compared too (git's "racily clean").
_RACY_NS = 2_000_000_000

_Stamp = tuple[int, int, int, int, int]


# A refused build's own stamp, and what it read: (module, file, stamp) each.
_RefusedReads = tuple["_Stamp | None", tuple[tuple[str, "str | None", "_Stamp | None"], ...]]


def _stamp(path: str) -> _Stamp | None:
    """What changes whenever a file is written: its mtime and size (which
    ``cp -p`` or ``rsync -t`` can put back), and its ctime, inode and device,
    which they cannot (any write or ``utime`` sets the ctime to now)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino, st.st_dev)


file_stamp = _stamp  # for the star-import walk of :mod:`.session`


def _racy(stamp: _Stamp | None, now_ns: int) -> bool:
    return stamp is not None and max(stamp[0], stamp[2]) >= now_ns - _RACY_NS


def _digest(path: str, limit: int = policy.MAX_MODULE_SIZE) -> bytes | None:
    data = policy.read_regular(path, limit)  # never blocks, never reads past the cap
    return None if data is None else hashlib.blake2b(data, digest_size=16).digest()


@dataclass
class _ModuleRecord:
    """A project module built from its file, and what the file was then."""

    path: str
    stamp: _Stamp | None
    module: nodes.Module | None  # the astroid Module; None when it failed to build
    checked: int  # the file generation in which the stamp last matched
    # The content's hash while the stamp alone could miss an edit (the file
    # was written just before it was read); None once it cannot.
    digest: bytes | None = None
    frozen: bool = False  # in gc's permanent generation
    # The modules its build read (the star imports it resolved), in order:
    # charged to every file that uses the cached module, as to the first.
    reads: tuple[tuple[str, str | None], ...] = ()

    @property
    def size(self) -> int:
        return self.stamp[1] if self.stamp is not None else 0

    def unchanged(self) -> bool:
        """Is the file still what was built? Cheap (one ``stat``) unless it
        was written within ``_RACY_NS`` of being read. The answer does not
        depend on the clock: only whether the content is hashed does."""
        now = time.time_ns()  # before the stat: a write after it changes the ctime
        stamp = _stamp(self.path)
        if stamp != self.stamp:
            return False
        if self.digest is not None:
            if _digest(self.path) != self.digest:
                return False
            if not _racy(stamp, now):
                self.digest = None  # from now on any write changes the stamp
        return True


class ProcessState:
    """What outlives one file. Each flake8 ``--jobs`` worker has its own."""

    def __init__(self) -> None:
        self.generation = 0  # bumped per linted file that asks astroid
        # Least recently used first.
        self.modules: dict[str, _ModuleRecord] = {}
        self.building: set[str] = set()
        self.reads: dict[str, dict[str, str | None]] = {}  # module being built -> what it read
        self.refused: set[str] = set()  # modules whose build met a spent budget
        # What each refused build had read when the budget stopped it, this
        # run: replayed as charges, they stop the next file at the same
        # point without building anything (a star cycle of N modules would
        # otherwise be rebuilt by every file: issue 18.17).
        self.refused_reads: dict[str, _RefusedReads] = {}  # at most CACHE_MODULES, oldest out first
        # What the star-import walk (:meth:`.session.Session.star_closure_too_big`)
        # read: (path, size limit) -> (stamp, (size, star imports) or None when unreadable).
        self.star_lists: dict[tuple[str, int], tuple[_Stamp | None, tuple[int, tuple[str, ...]] | None]] = {}
        self.asyncio_module: nodes.Module | None = None
        self.active: Session | None = None  # the file whose question is being answered
        self.original_import: _Import | None = None  # astroid's own AstroidManager.ast_from_module_name
        self.housekept = 0  # the generation of the last housekeeping
        self.unfrozen_bytes = 0  # source of the modules built since the last freeze
        self.freezes = 0  # since the last full collection
        self.dropped_frozen = False  # a frozen module was dropped since then
        self.installed: dict[str, _ModuleRecord] = {}  # installed packages' modules (``full``), LRU first
        self.failed: dict[str, _Stamp] = {}  # installed module files that did not build, oldest first

    # ..................................................... project modules

    def project_module(self, manager: AstroidManager, modname: str, path: str,
                       limit: int = policy.MAX_MODULE_SIZE) -> nodes.Module:
        if modname in self.building:  # a circular star import during its own build
            cached = manager.astroid_cache.get(modname)
            if cached is None:
                raise AstroidBuildingError("circular import of {modname}", modname=modname)
            return cached
        record = self.modules.get(modname)
        if record is not None and record.path == path:
            if record.checked != self.generation:
                if not record.unchanged():
                    # Edited on disk: every project module may have read it
                    # (star imports are resolved when a module is built).
                    self.forget_project_modules(manager)
                    record = None
                else:
                    record.checked = self.generation
            if record is not None:
                self.modules[modname] = self.modules.pop(modname)  # most recently used
                if record.module is None:
                    raise AstroidBuildingError("{modname} did not build", modname=modname)
                if self.active is not None:
                    for read, read_path in record.reads:
                        self.active.charge(read, read_path)  # as its build was charged
                if manager.astroid_cache.get(modname) is record.module:
                    return record.module
                self.forget(manager, modname)
        elif record is not None:
            self.forget(manager, modname)  # the same name in another project
        memo = self.refused_reads.get(modname)
        if memo is not None and self.active is not None:
            own, reads_then = memo
            if _stamp(path) == own and all(not p or _stamp(p) == st for _, p, st in reads_then):
                for read, read_path, _ in reads_then:  # nothing changed since: the same reads
                    self.active.charge(read, read_path)  # raises where the refused build stopped
        if modname in manager.astroid_cache:
            # Built by someone else, perhaps from another file of that name.
            del manager.astroid_cache[modname]
            self.installed.pop(modname, None)
            invalidate_inference_caches()
        now = time.time_ns()
        stamp = _stamp(path)
        digest = _digest(path, limit) if _racy(stamp, now) else None
        self.building.add(modname)
        self.reads[modname] = {}
        self.refused.discard(modname)
        try:
            # Read as every project file is (docs/safety.md): a regular file
            # of at most ``limit`` bytes, opened without blocking.
            text = policy.read_source(path, limit)
            if text is None:
                raise AstroidBuildingError("{modname}: {path} could not be read", modname=modname, path=path)
            module = builder(manager).string_build(text, modname, path)
        except AstroidBuildingError:
            self.modules[modname] = _ModuleRecord(path, stamp, None, self.generation, digest)
            raise
        except RecursionError:
            # A module too deeply nested for astroid's rebuilder fails the
            # same way every time: unknown until its file changes.
            self.modules[modname] = _ModuleRecord(path, stamp, None, self.generation, digest)
            raise AstroidBuildingError("{modname}: too deeply nested to build", modname=modname) from None
        finally:
            self.building.discard(modname)
            reads = tuple(self.reads.pop(modname, {}).items())
        if modname in self.refused:
            # A star import of its was refused by this file's budget: the
            # module lacks names it has. Kept, it would give other files
            # other answers than a fresh process; used, this file would get
            # other answers than with a cached one. Unknown for this file.
            self.refused.discard(modname)
            if len(self.refused_reads) >= CACHE_MODULES:
                del self.refused_reads[next(iter(self.refused_reads))]
            self.refused_reads[modname] = (
                _stamp(path),
                tuple((read, where, _stamp(where) if where else None) for read, where in reads),
            )
            if manager.astroid_cache.get(modname) is module:
                del manager.astroid_cache[modname]
            invalidate_inference_caches()
            raise AstroidImportError("{modname}: this file's inference budget is spent", modname=modname)
        self.modules[modname] = _ModuleRecord(path, stamp, module, self.generation, digest, reads=reads)
        self.unfrozen_bytes += stamp[1] if stamp is not None else 0
        return module

    def forget(self, manager: AstroidManager, modname: str) -> None:
        record = self.modules.pop(modname, None)
        module = record.module if record is not None else None
        if module is not None and manager.astroid_cache.get(modname) is module:
            del manager.astroid_cache[modname]
        if record is not None and record.frozen:
            self.dropped_frozen = True
        invalidate_inference_caches()

    def forget_project_modules(self, manager: AstroidManager) -> None:
        for modname in list(self.modules):
            self.forget(manager, modname)

    def trim(self, manager: AstroidManager) -> None:
        """Drop the least recently used modules while the cache is past a
        bound, down to three quarters of both: the project's modules and the
        installed packages' (at ``full``) each have the bounds."""
        for records, forget in ((self.modules, self.forget), (self.installed, self.forget_installed)):
            total = sum(record.size for record in records.values())
            if len(records) <= CACHE_MODULES and total <= CACHE_SOURCE_BYTES:
                continue
            for modname in list(records):
                if len(records) <= CACHE_MODULES * 3 // 4 and total <= CACHE_SOURCE_BYTES * 3 // 4:
                    break
                total -= records[modname].size
                forget(manager, modname)

    def housekeeping(self, manager: AstroidManager) -> None:
        """Between files (before the first question of a new one): bound the
        cache, and keep the garbage collector off astroid's long-lived trees.

        Every full collection would walk all of them again, finding nothing
        (on the corpus that was most of inference's cost), so they are
        frozen. What is frozen is never collected, so garbage is collected
        before each freeze, and a freeze is undone when modules that were
        frozen have been dropped (or every ``_REFREEZE_EVERY`` freezes, for
        the cyclic garbage of the files linted when they happened)."""
        if self.housekept == self.generation:
            return
        self.housekept = self.generation
        self.trim(manager)
        if self.dropped_frozen or self.freezes >= _REFREEZE_EVERY:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.freezes, self.dropped_frozen = 0, False
        elif self.unfrozen_bytes >= _FREEZE_AFTER_BYTES:
            gc.collect()
            gc.freeze()
            self.freezes += 1
        else:
            return
        self.unfrozen_bytes = 0
        for record in (*self.modules.values(), *self.installed.values()):
            record.frozen = True

    # ................................................ installed modules

    def unbuildable(self, path: str) -> bool:
        """Did the installed module file at ``path``, as it is now, fail to
        build before (:meth:`build_installed`)?"""
        stamp = self.failed.get(path)
        return stamp is not None and stamp == _stamp(path)

    def build_installed(self, manager: AstroidManager, text: str, modname: str, path: str) -> nodes.Module:
        """An installed package's module, built from ``text``; one that makes
        astroid's rebuilder recurse too deep is remembered as unknown (while
        its file keeps its stamp), not rebuilt on every question."""
        stamp = _stamp(path)
        try:
            module = builder(manager).string_build(text, modname, path)
        except RecursionError:
            if stamp is not None:
                if len(self.failed) >= CACHE_MODULES:
                    del self.failed[next(iter(self.failed))]  # the oldest
                self.failed[path] = stamp
            raise AstroidBuildingError("{modname}: too deeply nested to build", modname=modname) from None
        self.installed.pop(modname, None)
        self.installed[modname] = _ModuleRecord(path, stamp, module, self.generation)
        self.unfrozen_bytes += stamp[1] if stamp is not None else 0
        return module

    def used_installed(self, modname: str, module: nodes.Module) -> None:
        """An installed module was found in astroid's cache: most recently used."""
        record = self.installed.get(modname)
        if record is not None and record.module is module:
            self.installed[modname] = self.installed.pop(modname)

    def forget_installed(self, manager: AstroidManager, modname: str) -> None:
        record = self.installed.pop(modname, None)
        if record is None:
            return
        if manager.astroid_cache.get(modname) is record.module:
            del manager.astroid_cache[modname]
        if record.frozen:
            self.dropped_frozen = True
        invalidate_inference_caches()

    # ........................................................... asyncio

    def asyncio_stub(self, manager: AstroidManager) -> nodes.Module:
        if self.asyncio_module is None:
            module = builder(manager).string_build(asyncio_model.facts().stub, "asyncio")
            if manager.astroid_cache.get("asyncio") is module:
                del manager.astroid_cache["asyncio"]  # kept here, not in astroid's shared cache
            self.asyncio_module = module
        return self.asyncio_module


STATE = ProcessState()


def invalidate_inference_caches() -> None:
    """astroid keeps inference results keyed by node for the whole process;
    after a module is dropped (or a file is done) they must go too."""

    _invalidate_cache()
    clear_inference_tip_cache()


def import_hook(manager: AstroidManager, modname: str | None, context_file: str | None = None,
                use_cache: bool = True) -> nodes.Module:
    """Stands in for ``AstroidManager.ast_from_module_name`` while a question
    is answered, so that the inference level and the project's files decide
    what an import finds."""
    session = STATE.active
    if session is None:
        assert STATE.original_import is not None  # saved before the hook is installed
        return STATE.original_import(manager, modname, context_file, use_cache)
    return session.import_module(manager, modname, context_file, use_cache)


# --------------------------------------------------------------- one file


class Guard:
    """Routes astroid's imports through the file being linted while one of
    its questions is answered, and hides astroid's warnings."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __enter__(self) -> None:
        if STATE.original_import is None:
            STATE.original_import = AstroidManager.ast_from_module_name
            quiet_astroid_logging()
            warm_up(AstroidManager())  # may raise: nothing is changed yet
        if STATE.active is None:
            STATE.housekeeping(AstroidManager())
        # astroid allocates many objects that stay alive (the trees it
        # builds): collecting while it runs finds no garbage but scans them.
        self.collecting = gc.isenabled()
        gc.disable()
        self.previous = STATE.active
        STATE.active = self.session
        # The one patch of astroid, undone by __exit__ (see the module's
        # docstring): a plain function whose first parameter is the manager.
        AstroidManager.ast_from_module_name = import_hook  # type: ignore[method-assign, assignment]
        self.warnings = warnings.catch_warnings()
        self.warnings.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: Any) -> None:
        self.warnings.__exit__(*exc)
        if self.collecting:
            gc.enable()
        STATE.active = self.previous
        if self.previous is None:
            # astroid's own method, saved by the first __enter__ (so not None).
            original = STATE.original_import
            AstroidManager.ast_from_module_name = original  # type: ignore[method-assign, assignment]


class _Builder(AstroidBuilder):
    """An astroid builder that infers nothing while it builds, and can reuse
    the tree flake8 parsed.

    astroid's own builder infers the object of every ``x.attr = ...`` to file
    ``attr`` under its class; inferring ``self`` infers the class's bases,
    which imports their modules, which are built the same way: seconds for
    one large file. This one files only ``self.attr = ...`` written in a
    method, by syntax, which is what instance attribute lookups need.

    Given ``tree`` (the ``ast`` of the text being built), it skips parsing,
    a third of the cost. astroid's rebuilder drops docstrings from the
    ``body`` of the modules, classes and functions it visits; ``bodies``
    lists them so that flake8's tree, which other plugins read after this
    one, is put back as it was.
    """

    def __init__(self, manager: AstroidManager, tree: ast.Module | None, bodies: Sequence[Body]) -> None:
        super().__init__(manager, apply_transforms=_TRANSFORMS)
        self.given_tree = tree
        self.bodies = bodies

    def _data_build(self, data: str, modname: str, path: str | None) -> tuple[nodes.Module, TreeRebuilder]:
        if self.given_tree is None:
            return super()._data_build(data, modname, path)
        saved = [(node, node.body, list(node.body)) for node in self.bodies]
        try:
            rebuilder = TreeRebuilder(self._manager, data)
            package = path is not None and os.path.basename(path) == "__init__.py"
            module_file = os.path.abspath(path) if path else "<?>"
            module = rebuilder.visit_module(self.given_tree, modname, module_file, package)
        except AstroidBuildingError:
            raise
        except Exception:
            # A rebuilder this code does not know: parse the text.
            return super()._data_build(data, modname, path)
        finally:
            for node, body, items in saved:
                body[:] = items
                node.body = body
        return module, rebuilder

    def delayed_assattr(self, node: nodes.AssignAttr) -> None:
        _file_instance_attribute(node)


def builder(manager: AstroidManager, tree: ast.Module | None = None, bodies: Sequence[Body] = ()) -> _Builder:
    return _Builder(manager, tree, bodies)


def _file_instance_attribute(node: nodes.AssignAttr) -> None:
    method = node.frame()
    if not (isinstance(node.expr, nodes.Name) and isinstance(method, nodes.FunctionDef)):
        return
    cls = method.parent
    arguments = method.args
    positional = [*(arguments.posonlyargs or ()), *(arguments.args or ())]
    if not isinstance(cls, nodes.ClassDef) or not positional or positional[0].name != node.expr.name:
        return
    if method.decorators is not None:
        return  # a classmethod or staticmethod: not an instance
    # astroid annotates a class's instance_attrs as one node a name, but
    # files lists of them, as here.
    instance_attrs = cast("dict[str, list[nodes.NodeNG]]", cls.instance_attrs)
    values = instance_attrs.setdefault(node.attrname, [])
    if node not in values:
        values.append(node)


def warm_up(manager: AstroidManager) -> None:
    """Build what every process needs once (astroid's model of builtins, the
    asyncio stand-in), then let the garbage collector skip them for good.

    They are some 140,000 objects that live as long as the process; every
    full collection would otherwise walk them again, which on the corpus
    cost more than building them. Garbage is collected first, so that only
    live objects are exempted.
    """
    builder(manager)  # bootstraps the builtins module
    STATE.asyncio_stub(manager)
    gc.collect()
    gc.freeze()


def quiet_astroid_logging() -> None:
    logger = logging.getLogger("astroid")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
