"""The one home of the questions whose answer is not in the syntax at hand:
is this callee a coroutine function, is this receiver an event loop or a
TaskGroup?

Answers are yes, no or unknown, and the checks report only on yes. The
syntax of the module answers first (its ``async def`` statements, classes and
imports, and the asyncio tables). Where it cannot tell, and the answer could
change a finding, astroid is asked (the second half of this module, the only
code that imports astroid); see docs/inference.md.
"""

from __future__ import annotations

import ast
import contextlib
import enum
import functools
import os
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Sequence

from . import asyncio_api as api
from .scopes import ASSIGN, ASYNC_DEF, CLASS, CLASS_DEF, DEF, IMPORT, PARAM, WITH, ModuleModel, Scope

# Marks a member bound by something other than one def, or not resolvable.
_OTHER = ast.AST()

# How far a chain like ``loop = self._loop`` or ``Base -> Base -> Base`` is
# followed before giving up.
_MAX_DEPTH = 8


class Kind(enum.Enum):
    COROUTINE_FUNCTION = "coroutine function"
    SYNC = "plain callable"
    UNKNOWN = "unknown"


class Inference:
    def __init__(
        self,
        model: ModuleModel,
        *,
        level: str = "off",
        filename: str = "",
        lines: Sequence[str] | None = None,
    ) -> None:
        self.model = model
        self._kinds: dict[ast.AST, Kind] = {}
        self._syntactic: dict[ast.AST, Kind] = {}
        self._level = level_of(level)
        self._filename = filename
        self._lines = lines
        self._astroid: _Astroid | None = None

    @property
    def _deep(self) -> _Astroid | None:
        """astroid's view of the file, set up on the first question that
        needs it (None when the level is off)."""
        if self._astroid is None and self._level > _OFF:
            self._astroid = _Astroid(self, self._level, self._filename, self._lines)
        return self._astroid

    def close(self) -> None:
        """The file is done: release what astroid built for it."""
        if self._astroid is not None:
            self._astroid.close()

    # ------------------------------------------------------ coroutine functions

    def function_kind(self, expr: ast.expr, scope: Scope) -> Kind:
        """What calling ``expr`` runs: a coroutine function, a plain
        callable, or unknown."""
        cached = self._kinds.get(expr)
        if cached is None:
            cached = self._syntactic_kind(expr, scope)
            deep = self._deep if cached is Kind.UNKNOWN else None
            if deep is not None:
                cached = deep.function_kind(expr, scope)
            self._kinds[expr] = cached
        return cached

    def may_be_coroutine_function(self, expr: ast.expr, scope: Scope) -> bool:
        """A cheap first look: False when :meth:`function_kind` cannot say
        COROUTINE_FUNCTION, so that a check can skip the work of judging the
        call's context (and astroid is not asked)."""
        known = self._kinds.get(expr)
        if known is not None:
            return known is Kind.COROUTINE_FUNCTION
        kind = self._syntactic_kind(expr, scope)
        if kind is not Kind.UNKNOWN:
            return kind is Kind.COROUTINE_FUNCTION
        deep = self._deep
        return deep is not None and deep.may_answer(expr, scope)

    def _syntactic_kind(self, expr: ast.expr, scope: Scope) -> Kind:
        cached = self._syntactic.get(expr)
        if cached is None:
            try:
                cached = self._function_kind(expr, scope)
            except RecursionError:
                cached = Kind.UNKNOWN
            self._syntactic[expr] = cached
        return cached

    def _function_kind(self, expr: ast.expr, scope: Scope) -> Kind:
        qualname = self.model.qualname(expr, scope)
        if qualname is not None:
            if qualname in api.COROUTINE_FUNCTIONS:
                return Kind.COROUTINE_FUNCTION
            return Kind.UNKNOWN
        if isinstance(expr, ast.Name):
            bindings = self.model.bindings_of(expr.id, scope)
            if not bindings:
                return Kind.UNKNOWN
            return _agree(self._def_kind(b.node) if b.kind in (DEF, ASYNC_DEF) else Kind.UNKNOWN
                          for b in bindings)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            return self._method_kind(expr, scope)
        return Kind.UNKNOWN

    def _def_kind(self, node: ast.AST, *, allow_property: bool = False) -> Kind:
        """The kind of a def statement, judged by its decorators."""
        for decorator in node.decorator_list:  # type: ignore[attr-defined]
            scope = self.model.scope_of[node]
            qualname = self.model.qualname(decorator, scope)
            if isinstance(decorator, ast.Call):
                qualname = self.model.qualname(decorator.func, scope)
                if qualname != "functools.wraps":
                    return Kind.UNKNOWN
            if qualname not in api.PRESERVING_DECORATORS:
                return Kind.UNKNOWN
        if isinstance(node, ast.AsyncFunctionDef):
            if self.model.function_scopes[node].is_generator:
                return Kind.UNKNOWN  # an async generator, not a coroutine function
            return Kind.COROUTINE_FUNCTION
        return Kind.SYNC

    def _method_kind(self, expr: ast.Attribute, scope: Scope) -> Kind:
        """``self.m`` / ``cls.m`` inside a method of a class of this module."""
        receiver = expr.value
        assert isinstance(receiver, ast.Name)
        bindings = self.model.bindings_of(receiver.id, scope)
        if not bindings or len(bindings) != 1 or bindings[0].kind != PARAM:
            return Kind.UNKNOWN
        param = bindings[0].node
        method = self.model.parent.get(self.model.parent.get(param))  # arg -> arguments -> def
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return Kind.UNKNOWN
        positional = [*method.args.posonlyargs, *method.args.args]
        if not positional or positional[0] is not param:
            return Kind.UNKNOWN
        owner_scope = self.model.scope_of[method]
        if owner_scope.kind != CLASS:
            return Kind.UNKNOWN
        decorators = {self.model.qualname(d, owner_scope) for d in method.decorator_list}
        if "builtins.staticmethod" in decorators:
            return Kind.UNKNOWN
        via_class = "builtins.classmethod" in decorators
        cls = owner_scope.node
        assert isinstance(cls, ast.ClassDef)
        if expr.attr in self.model.stored_attributes:
            return Kind.UNKNOWN  # an instance attribute may shadow the method
        found = self._lookup_member(cls, expr.attr, 0)
        if not isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return Kind.UNKNOWN
        if via_class and not self._is_class_level(found):
            return Kind.UNKNOWN
        kind = self._def_kind(found)
        if kind is not Kind.COROUTINE_FUNCTION:
            return kind
        # A subclass in this module may override it with a plain def.
        for sub in self._subclasses(cls):
            override = self._own_member(sub, expr.attr)
            if override is not None and (
                not isinstance(override, (ast.FunctionDef, ast.AsyncFunctionDef))
                or self._def_kind(override) is not Kind.COROUTINE_FUNCTION
            ):
                return Kind.UNKNOWN
        return kind

    def _is_class_level(self, node: ast.AST) -> bool:
        scope = self.model.scope_of[node]
        names = {self.model.qualname(d, scope) for d in node.decorator_list}  # type: ignore[attr-defined]
        return bool(names & {"builtins.classmethod", "builtins.staticmethod"})

    def _own_member(self, cls: ast.ClassDef, name: str) -> ast.AST | None:
        """The class body's own definition of ``name``: the def node, None
        when absent, :data:`_OTHER` when bound some other way or twice."""
        bindings = self.model.function_scopes[cls].bindings.get(name)
        if not bindings:
            return None
        if len(bindings) != 1 or bindings[0].kind not in (DEF, ASYNC_DEF):
            return _OTHER
        return bindings[0].node

    def _lookup_member(self, cls: ast.ClassDef, name: str, depth: int) -> ast.AST | None:
        """Depth-first through in-module bases: the def node, None when no
        known class defines it, :data:`_OTHER` when unknown."""
        own = self._own_member(cls, name)
        if own is not None:
            return own
        if depth > _MAX_DEPTH:
            return _OTHER
        scope = self.model.scope_of[cls]
        for base in cls.bases:
            base_class = self._class_of(base, scope)
            if base_class is None:
                if self.model.qualname(base, scope) == "builtins.object":
                    continue
                return _OTHER  # an unknown base may define it
            found = self._lookup_member(base_class, name, depth + 1)
            if found is not None:
                return found
        return None

    def _class_of(self, expr: ast.expr, scope: Scope) -> ast.ClassDef | None:
        if not isinstance(expr, ast.Name):
            return None
        bindings = self.model.bindings_of(expr.id, scope)
        if bindings and len(bindings) == 1 and bindings[0].kind == CLASS_DEF:
            return bindings[0].node  # type: ignore[return-value]
        return None

    def _subclasses(self, cls: ast.ClassDef) -> list[ast.ClassDef]:
        found: list[ast.ClassDef] = []
        frontier = [cls]
        while frontier and len(found) < 10_000:
            current = frontier.pop()
            for other in self.model.classes:
                if other in found or other is cls:
                    continue
                scope = self.model.scope_of[other]
                if any(self._class_of(b, scope) is current for b in other.bases):
                    found.append(other)
                    frontier.append(other)
        return found

    # ---------------------------------------------------------------- receivers

    def is_loop(self, expr: ast.expr, scope: Scope) -> bool:
        """Is ``expr`` known to evaluate to an event loop?"""
        if self._is_loop_syntactic(expr, scope, 0):
            return True
        deep = self._deep
        return deep is not None and deep.is_instance_of(expr, scope, _LOOP_CLASSES)

    def _is_loop_syntactic(self, expr: ast.expr, scope: Scope, depth: int) -> bool:
        if depth > _MAX_DEPTH:
            return False
        if isinstance(expr, ast.Call):
            return self.model.qualname(expr.func, scope) in api.LOOP_FACTORIES
        if isinstance(expr, ast.Attribute):
            return (
                expr.attr in api.LOOP_ATTRIBUTE_NAMES
                or expr.attr in self.model.loop_annotated_attributes
            )
        if isinstance(expr, ast.Name):
            bindings = self.model.bindings_of(expr.id, scope)
            if not bindings:
                return False
            owner = self.model.lookup(expr.id, scope)
            assert owner is not None
            for binding in bindings:
                if binding.kind == ASSIGN and binding.value is not None:
                    if not self._is_loop_syntactic(binding.value, owner, depth + 1):
                        return False
                elif binding.kind == PARAM and binding.value is not None:
                    if not self._annotation_is_loop(binding.value, owner):
                        return False
                else:
                    return False
            return True
        return False

    def _annotation_is_loop(self, annotation: ast.expr, scope: Scope) -> bool:
        return self.model._annotation_is_loop(annotation, scope)

    def is_task_group(self, expr: ast.expr, scope: Scope) -> bool:
        """Is ``expr`` known to be an ``asyncio.TaskGroup``?"""
        if self._is_task_group_syntactic(expr, scope):
            return True
        deep = self._deep
        return deep is not None and deep.is_instance_of(expr, scope, _TASK_GROUP_CLASSES)

    def _is_task_group_syntactic(self, expr: ast.expr, scope: Scope) -> bool:
        """``tg`` bound by ``async with asyncio.TaskGroup() as tg``."""
        if not isinstance(expr, ast.Name):
            return False
        bindings = self.model.bindings_of(expr.id, scope)
        owner = self.model.lookup(expr.id, scope)
        return bool(bindings) and all(
            b.kind == WITH
            and isinstance(b.value, ast.Call)
            and self.model.qualname(b.value.func, owner) == api.TASK_GROUP  # type: ignore[arg-type]
            for b in bindings
        )


def _agree(kinds) -> Kind:
    """One kind when every candidate agrees, else unknown."""
    result = None
    for kind in kinds:
        if kind is Kind.UNKNOWN or (result is not None and kind is not result):
            return Kind.UNKNOWN
        result = kind
    return result or Kind.UNKNOWN


# =============================================================================
# astroid: what the syntax of one file cannot tell
# =============================================================================
#
# The syntactic answers above come first. Only when they say "unknown" for a
# call whose coroutine would be lost (the checks ask only then), and only
# when the callee's name is the name of some ``async def`` astroid could
# reach, is astroid asked. Its tree of the file is built on that first
# question and kept on the per-file ``_Astroid`` object; modules it imports
# stay in astroid's own cache for the life of the process, each project
# module checked against its file's mtime and size once per linted file.
#
# How far astroid may follow an import is the inference level:
#   off      no astroid at all
#   local    this file, and asyncio (as introspected from the running
#            interpreter, see _asyncio_facts); no other module is read
#   project  also the project's own modules: files under the directory above
#            the file's top-level package, or under the working directory
#   full     also installed third-party packages, read from their source
# The rest of the standard library is never read: it has next to no
# coroutine functions, and typing, os or threading cost more to build than
# the rest of the analysis.
#
# Every failure is an unknown: Uninferable, candidates that disagree, an
# exception or a RecursionError inside astroid, a module that does not parse,
# more than _MAX_QUERIES questions, _MAX_MODULES modules or _MAX_MODULE_BYTES
# bytes of module source for one file. These budgets count work, never time,
# so a busy machine finds exactly what an idle one does. _HANG_GUARD is the
# one clock: a last resort far above the cost of any real file, and it says
# so on stderr when it stops inference.

LEVELS = ("off", "local", "project", "full")
_OFF, _LOCAL, _PROJECT, _FULL = range(4)

_MAX_QUERIES = 200  # astroid questions per file
_MAX_MODULES = 64  # distinct modules (other than asyncio) one file's questions may read
_MAX_MODULE_BYTES = 16 * 1024 * 1024  # their source, in bytes
_HANG_GUARD = 30.0  # CPU seconds of questions per file; the slowest corpus file costs under 1 s
_MAX_CANDIDATES = 8  # inferred values of one expression
_MAX_ANCESTORS = 64  # classes searched for one method
_MAX_INDEX_FILES = 5000  # files scanned for ``async def`` names per root or package
# astroid's "brain" transforms (dataclasses, enum, typing, namedtuple...)
# model runtime magic; the questions asked here do not need them.
_TRANSFORMS = False

_ASYNC_DEF = re.compile(rb"async[ \t]+def[ \t]+(\w+)")
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages", "dist-packages", "build", "dist"})

# Bases that add no methods a user calls: lookups skip them without loading
# ``typing`` (which costs astroid half a second).
_TRANSPARENT_BASES = frozenset(
    {
        "builtins.object", "typing.Generic", "typing.Protocol", "typing_extensions.Protocol",
        "typing_extensions.Generic", "abc.ABC",
    }
)
_LOOP_CLASSES = frozenset({"asyncio.AbstractEventLoop", "asyncio.events.AbstractEventLoop"})
_TASK_GROUP_CLASSES = frozenset({"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup"})

# Effects of a decorator on the function it decorates.
_KEEPS, _ASYNC_WRAPPER = "keeps", "async wrapper"


def level_of(name: str) -> int:
    return LEVELS.index(name) if name in LEVELS else _OFF


def new_run() -> None:
    """A new flake8 run starts (called from the plugin's option parsing):
    the ``async def`` name indexes are brought up to date once per run."""
    _STATE.run += 1


# ------------------------------------------------------------ process state


@dataclass
class _ModuleRecord:
    """A project module built from its file, and what the file was then."""

    path: str
    signature: tuple[int, int] | None
    module: object | None  # the astroid Module; None when it failed to build
    checked: int  # the file generation in which the signature last matched


@dataclass
class _NameIndex:
    run: int
    files: dict[str, tuple[tuple[int, int], frozenset[str]]] = field(default_factory=dict)
    names: frozenset[str] = frozenset()


@dataclass
class _AsyncioFacts:
    stub: str  # source of a module that stands in for ``asyncio``
    async_names: frozenset[str]  # names of every coroutine function and method
    loop_coroutine_methods: frozenset[str]  # AbstractEventLoop's coroutine methods


class _ProcessState:
    """What outlives one file. Each flake8 ``--jobs`` worker has its own."""

    def __init__(self) -> None:
        self.run = 0
        self.generation = 0  # bumped per linted file that asks astroid
        self.modules: dict[str, _ModuleRecord] = {}
        self.building: set[str] = set()
        self.indexes: dict[str, _NameIndex] = {}
        self.packages: dict[str, frozenset[str]] = {}
        self.asyncio_facts: _AsyncioFacts | None = None
        self.asyncio_module: object | None = None
        self.active: _Astroid | None = None  # the file whose question is being answered
        self.original_import = None  # astroid's own AstroidManager.ast_from_module_name

    # ..................................................... project modules

    def project_module(self, manager, modname: str, path: str):
        from astroid.exceptions import AstroidBuildingError

        if modname in self.building:  # a circular star import during its own build
            cached = manager.astroid_cache.get(modname)
            if cached is None:
                raise AstroidBuildingError("circular import of {modname}", modname=modname)
            return cached
        record = self.modules.get(modname)
        if record is not None and record.path == path:
            if record.checked != self.generation:
                if _signature(path) != record.signature:
                    # Edited on disk: every project module may have read it
                    # (star imports are resolved when a module is built).
                    self.forget_project_modules(manager)
                    record = None
                else:
                    record.checked = self.generation
            if record is not None:
                if record.module is None:
                    raise AstroidBuildingError("{modname} did not build", modname=modname)
                if manager.astroid_cache.get(modname) is record.module:
                    return record.module
                self.forget(manager, modname)
        elif record is not None:
            self.forget(manager, modname)  # the same name in another project
        if modname in manager.astroid_cache:
            # Built by someone else, perhaps from another file of that name.
            del manager.astroid_cache[modname]
            _invalidate_inference_caches()
        signature = _signature(path)
        self.building.add(modname)
        try:
            module = _builder(manager).file_build(path, modname)
        except AstroidBuildingError:
            self.modules[modname] = _ModuleRecord(path, signature, None, self.generation)
            raise
        finally:
            self.building.discard(modname)
        self.modules[modname] = _ModuleRecord(path, signature, module, self.generation)
        return module

    def forget(self, manager, modname: str) -> None:
        record = self.modules.pop(modname, None)
        module = record.module if record is not None else None
        if module is not None and manager.astroid_cache.get(modname) is module:
            del manager.astroid_cache[modname]
        _invalidate_inference_caches()

    def forget_project_modules(self, manager) -> None:
        for modname in list(self.modules):
            self.forget(manager, modname)

    # ............................................... ``async def`` indexes

    def project_names(self, root: str) -> frozenset[str]:
        index = self.indexes.get(root)
        if index is None or index.run != self.run:
            index = _scan(root, index, self.run)
            self.indexes[root] = index
        return index.names

    def package_names(self, top: str) -> frozenset[str]:
        names = self.packages.get(top)
        if names is None:
            names = frozenset()
            try:
                import importlib.util

                spec = importlib.util.find_spec(top)
            except Exception:  # a broken installation is an unknown, not a crash
                spec = None
            if spec is not None:
                if spec.submodule_search_locations:
                    found: set[str] = set()
                    for location in spec.submodule_search_locations:
                        found |= _scan(location, None, 0).names
                    names = frozenset(found)
                elif spec.origin and spec.origin.endswith(".py"):
                    names = _names_in(spec.origin)
            self.packages[top] = names
        return names

    # ........................................................... asyncio

    def asyncio(self) -> _AsyncioFacts:
        if self.asyncio_facts is None:
            self.asyncio_facts = _asyncio_facts()
        return self.asyncio_facts

    def asyncio_stub(self, manager):
        if self.asyncio_module is None:
            module = _builder(manager).string_build(self.asyncio().stub, "asyncio")
            if manager.astroid_cache.get("asyncio") is module:
                del manager.astroid_cache["asyncio"]  # kept here, not in astroid's shared cache
            self.asyncio_module = module
        return self.asyncio_module


_STATE = _ProcessState()


def _signature(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _names_in(path: str) -> frozenset[str]:
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError:
        return frozenset()
    return frozenset(name.decode("ascii", "replace") for name in _ASYNC_DEF.findall(data))


def _scan(root: str, previous: _NameIndex | None, run: int) -> _NameIndex:
    """The ``async def`` names of the Python files under ``root``, re-reading
    only files whose mtime or size changed since ``previous``."""
    index = _NameIndex(run)
    old = previous.files if previous is not None else {}
    names: set[str] = set()
    count = 0
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(
            d for d in subdirs
            if not d.startswith(".") and d not in _SKIPPED_DIRS
            and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
        )
        for name in files:
            if not name.endswith(".py"):
                continue
            count += 1
            if count > _MAX_INDEX_FILES:
                index.names = frozenset(names)
                return index
            path = os.path.join(directory, name)
            signature = _signature(path)
            if signature is None:
                continue
            known = old.get(path)
            found = known[1] if known is not None and known[0] == signature else _names_in(path)
            index.files[path] = (signature, found)
            names |= found
    index.names = frozenset(names)
    return index


def _invalidate_inference_caches() -> None:
    """astroid keeps inference results keyed by node for the whole process;
    after a module is dropped (or a file is done) they must go too."""
    from astroid.context import _invalidate_cache
    from astroid.inference_tip import clear_inference_tip_cache

    _invalidate_cache()
    clear_inference_tip_cache()


def _asyncio_facts() -> _AsyncioFacts:
    """asyncio as the running interpreter has it, written as a small module.

    astroid reading asyncio's own source costs about two seconds per process
    (its ``from .x import *`` chain pulls in typing, subprocess, threading...).
    Introspection gives the same facts that matter here (which functions and
    methods are coroutine functions, and the class hierarchy) in milliseconds,
    and cannot disagree with the asyncio that runs the code.
    """
    import asyncio
    import builtins
    import inspect
    import keyword

    public: dict[str, object] = {}
    names = set(getattr(asyncio, "__all__", ())) | {n for n in dir(asyncio) if not n.startswith("_")}
    for name in sorted(names):
        obj = getattr(asyncio, name, None)
        module = getattr(obj, "__module__", "") or ""
        if module.split(".")[0] not in ("asyncio", "_asyncio"):
            continue
        if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj):
            public[name] = obj
    class_names: dict[type, str] = {}
    for name, obj in public.items():
        if inspect.isclass(obj):
            class_names.setdefault(obj, name)  # type: ignore[arg-type]

    def is_async(func) -> bool:
        return inspect.iscoroutinefunction(func)

    def public_bases(cls: type) -> list[type]:
        found: list[type] = []

        def visit(base: type) -> None:
            if base is object or base in found:
                return
            if base in class_names or getattr(builtins, base.__name__, None) is base:
                found.append(base)
                return
            for parent in base.__bases__:
                visit(parent)

        for base in cls.__bases__:
            visit(base)
        return [b for b in found if not any(o is not b and issubclass(o, b) for o in found)]

    lines = ['"""asyncio as introspected by flake8-async-tasks."""']
    async_names: set[str] = set()
    emitted: set[type] = set()

    def stub(name: str, params: str, func: object, indent: str) -> str:
        """A def with ``func``'s kind: async generator, coroutine function
        (recorded in ``async_names``) or plain function."""
        if inspect.isasyncgenfunction(func):
            return f"{indent}async def {name}({params}):\n{indent}    yield"
        if is_async(func):
            async_names.add(name)
            return f"{indent}async def {name}({params}): ..."
        return f"{indent}def {name}({params}): ..."

    def emit_member(name: str, value: object, out: list[str]) -> None:
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("__"):
            return
        decorator, params = "", "self, *args, **kwargs"
        if isinstance(value, staticmethod):
            decorator, params, value = "@staticmethod", "*args, **kwargs", value.__func__
        elif isinstance(value, classmethod):
            decorator, params, value = "@classmethod", "cls, *args, **kwargs", value.__func__
        elif isinstance(value, property):
            out += ["    @property", f"    def {name}(self): ..."]
            return
        elif not callable(value) or inspect.isclass(value):
            return
        if decorator:
            out.append(f"    {decorator}")
        out.append(stub(name, params, value, "    "))

    def emit_class(cls: type) -> None:
        if cls in emitted or cls not in class_names:
            return
        bases = public_bases(cls)
        for base in bases:
            emit_class(base)
        emitted.add(cls)
        base_names = [class_names.get(b, b.__name__) for b in bases]
        body: list[str] = []
        seen: set[str] = set()
        for klass in cls.__mro__:
            if klass is object or any(issubclass(b, klass) for b in bases):
                continue
            for name, value in vars(klass).items():
                if name not in seen:
                    seen.add(name)
                    emit_member(name, value, body)
        lines.append(f"class {class_names[cls]}({', '.join(base_names)}):")
        lines.extend(body or ["    pass"])

    for obj in list(class_names):
        emit_class(obj)
    for name, obj in public.items():
        if inspect.isclass(obj):
            if class_names[obj] != name:  # type: ignore[index]
                lines.append(f"{name} = {class_names[obj]}")  # type: ignore[index]
        else:
            lines.append(stub(name, "*args, **kwargs", obj, ""))
    loop = asyncio.AbstractEventLoop
    loop_methods = frozenset(n for n in dir(loop) if not n.startswith("_") and is_async(getattr(loop, n)))
    return _AsyncioFacts("\n".join(lines) + "\n", frozenset(async_names), loop_methods)


@functools.lru_cache(maxsize=1)
def _library_dirs() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(installed packages' directories, the standard library's), each with
    a trailing separator for prefix tests."""
    import site
    import sysconfig

    def normal(paths) -> tuple[str, ...]:
        return tuple(os.path.normcase(os.path.abspath(p)) + os.sep for p in paths if p)

    paths = sysconfig.get_paths()
    installed = {paths.get("purelib"), paths.get("platlib")}
    with contextlib.suppress(Exception):  # some embedded interpreters lack site's helpers
        installed.update(site.getsitepackages())
        installed.add(site.getusersitepackages())
    return normal(installed), normal({paths.get("stdlib"), paths.get("platstdlib")})


def _is_third_party(location: str | None) -> bool:
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


def _import_hook(manager, modname, context_file=None, use_cache=True):
    """Stands in for ``AstroidManager.ast_from_module_name`` while a question
    is answered, so that the inference level and the project's files decide
    what an import finds."""
    session = _STATE.active
    if session is None:
        return _STATE.original_import(manager, modname, context_file, use_cache)
    return session.import_module(manager, modname, context_file, use_cache)


# --------------------------------------------------------------- one file


class _Astroid:
    """astroid's answers for one file. Nothing is built until the first
    question; the tree and every answer stay on this object."""

    def __init__(self, syntactic: Inference, level: int, filename: str, lines) -> None:
        self.syntactic = syntactic
        self.model = syntactic.model
        self.level = level
        self.lines = lines
        self.path = os.path.abspath(filename) if filename and filename not in ("-", "stdin") else ""
        self.roots, self.modname = _locate(self.path)
        self.is_package = os.path.basename(self.path) == "__init__.py"
        self.module = None  # the astroid tree of this file
        self._built = False
        self._queries = 0
        self._spent = 0.0  # CPU seconds inside this file's questions
        self._stopped = False  # the hang guard fired
        self._used: dict[str, int] = {}  # modules read for this file's questions -> bytes
        self._files: dict[str, str | None] = {}
        self._own_async: frozenset[str] | None = None
        self._imported_async: frozenset[str] | None = None
        self._star_checked: dict[int, bool] = {}
        self._instance_attributes: dict[ast.AST, dict[str, list[ast.expr]]] = {}
        _STATE.generation += 1  # project modules are checked against their files again

    # ....................................................... the questions

    def function_kind(self, expr: ast.expr, scope: Scope) -> Kind:
        if self._loop_coroutine_method(expr, scope):
            return Kind.COROUTINE_FUNCTION
        if not self._worth_asking(expr, scope):
            return Kind.UNKNOWN
        return self._ask(self._callee_kind, expr, scope, default=Kind.UNKNOWN)

    def may_answer(self, expr: ast.expr, scope: Scope) -> bool:
        """Could :meth:`function_kind` say COROUTINE_FUNCTION? (Cheap.)"""
        return self._loop_coroutine_method(expr, scope) or self._worth_asking(expr, scope)

    def _loop_coroutine_method(self, expr: ast.expr, scope: Scope) -> bool:
        """``loop.sock_recv``: the syntax knows the loop, asyncio knows that
        the method is a coroutine function (no tree needed)."""
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr in _STATE.asyncio().loop_coroutine_methods
            and expr.attr not in self.model.stored_attributes
            and self.syntactic._is_loop_syntactic(expr.value, scope, 0)
        )

    def is_instance_of(self, expr: ast.expr, scope: Scope, classes: frozenset[str]) -> bool:
        """Is ``expr`` known to be an instance of one of ``classes`` (or of a
        subclass)?"""
        if not self._receiver_worth_asking(expr, scope):
            return False
        return self._ask(self._instance_of, expr, scope, classes, default=False)

    def close(self) -> None:
        """The file is done: let go of its tree and astroid's per-node caches."""
        if self.module is not None:
            self.module = None
            _invalidate_inference_caches()

    # ............................................................. gates

    def _could_be_async(self, name: str) -> bool:
        """Is there an ``async def name`` that astroid could reach at this
        level? A call of any other name cannot be a coroutine function call
        (short of aliases, which stay unknown), so astroid is not asked."""
        if self._own_async is None:
            own = set()
            for scope in [self.model.module, *self.model.module.descendants()]:
                for bindings in scope.bindings.values():
                    own.update(b.name for b in bindings if b.kind == ASYNC_DEF)
            self._own_async = frozenset(own)
        if name in self._own_async or name in _STATE.asyncio().async_names:
            return True
        if self.level >= _PROJECT and any(name in _STATE.project_names(root) for root in self.roots):
            return True
        return self.level >= _FULL and name in self._third_party_names()

    def _third_party_names(self) -> frozenset[str]:
        if self._imported_async is None:
            tops = set()
            for scope in [self.model.module, *self.model.module.descendants()]:
                for bindings in scope.bindings.values():
                    tops.update(b.qualname.split(".")[0] for b in bindings if b.kind == IMPORT and b.qualname)
            tops.update(m.split(".")[0] for m in self.model.star_imports if not m.startswith("."))
            names: set[str] = set()
            stdlib = getattr(sys, "stdlib_module_names", frozenset())
            for top in sorted(tops):
                if top and top not in stdlib and top != "builtins" and self._project_file(top) is None:
                    names |= _STATE.package_names(top)
            self._imported_async = frozenset(names)
        return self._imported_async

    def _worth_asking(self, expr: ast.expr, scope: Scope) -> bool:
        """Could astroid say more than the syntax did, and could it matter?"""
        if self.level <= _OFF:
            return False
        model = self.model
        if isinstance(expr, ast.Name):
            bindings = model.bindings_of(expr.id, scope)
            if bindings is None:
                # A star import may bring it in.
                return bool(model.star_imports) and self._could_be_async(expr.id)
            if len(bindings) != 1:
                return False  # rebound: the syntax already found it ambiguous
            binding = bindings[0]
            if binding.kind == IMPORT:
                return self._could_be_async(_imported_name(binding.node, expr.id))
            if not self._could_be_async(expr.id):
                return False
            if binding.kind == ASSIGN:
                return True
            # A def under a decorator astroid can read.
            decorated = bool(getattr(binding.node, "decorator_list", None))
            return binding.kind in (DEF, ASYNC_DEF) and decorated
        if isinstance(expr, ast.Attribute):
            if expr.attr in model.stored_attributes or not self._could_be_async(expr.attr):
                return False  # an instance attribute may shadow the method
            return self._receiver_worth_asking(expr.value, scope)
        return False

    def _receiver_worth_asking(self, expr: ast.expr, scope: Scope) -> bool:
        """Could astroid tell what class ``expr`` is an instance of?

        Only the shapes where it usually can, judged from the syntax so that
        the rest costs nothing (on the corpus, receivers of other shapes came
        back unknown or plain): a module or class imported or defined here,
        ``self``/``cls``, a local or ``self.attr`` assigned only instances of
        a class (``Client()``, and ``None``, which cannot run a method), or
        ``Client()`` itself. Parameters need their callers; loop variables,
        unpacked tuples and call results mostly infer to nothing.
        """
        if self.level <= _OFF:
            return False
        if isinstance(expr, ast.Call):
            return _instantiates(expr)
        if isinstance(expr, ast.Name):
            bindings = self.model.bindings_of(expr.id, scope)
            if bindings is None:
                return bool(self.model.star_imports)
            if all(b.kind == ASSIGN for b in bindings):
                return _only_instances(b.value for b in bindings)
            if len(bindings) != 1:
                return False
            binding = bindings[0]
            return binding.kind in (IMPORT, CLASS_DEF) or (
                binding.kind == PARAM and self._is_receiver_param(binding.node)
            )
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            bindings = self.model.bindings_of(expr.value.id, scope)
            if not bindings or len(bindings) != 1:
                return False
            binding = bindings[0]
            if binding.kind == IMPORT:
                return True  # ``module.Class`` or ``module.attr``
            if binding.kind == PARAM and self._is_receiver_param(binding.node):
                method = self.model.parent[self.model.parent[binding.node]]
                cls = self.model.scope_of[method].node
                values = self._instance_attribute_values(cls).get(expr.attr, ())  # type: ignore[arg-type]
                return _only_instances(values)
        return False

    def _instance_attribute_values(self, cls: ast.ClassDef) -> dict[str, list[ast.expr]]:
        """``attr -> values`` of every ``self.attr = value`` in the methods of
        ``cls`` (the first parameter being ``self``)."""
        found = self._instance_attributes.get(cls)
        if found is None:
            found = {}
            for method in cls.body:
                if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                positional = [*method.args.posonlyargs, *method.args.args]
                if not positional:
                    continue
                receiver = positional[0].arg
                for node in _statements(method.body):
                    if isinstance(node, ast.Assign):
                        targets, value = node.targets, node.value
                    elif isinstance(node, ast.AnnAssign) and node.value is not None:
                        targets, value = [node.target], node.value
                    else:
                        continue
                    for target in targets:
                        if (
                            isinstance(target, ast.Attribute)
                            and isinstance(target.value, ast.Name)
                            and target.value.id == receiver
                        ):
                            found.setdefault(target.attr, []).append(value)
            self._instance_attributes[cls] = found
        return found

    def _is_receiver_param(self, param: ast.AST) -> bool:
        method = self.model.parent.get(self.model.parent.get(param))  # arg -> arguments -> def
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        positional = [*method.args.posonlyargs, *method.args.args]
        return bool(positional) and positional[0] is param and self.model.scope_of[method].kind == CLASS

    # ...................................................... asking astroid

    def _ask(self, question, *args, default):
        if self._queries >= _MAX_QUERIES or self._hang_guard_fired():
            return default
        self._queries += 1
        try:
            with _Guard(self):
                started = time.process_time()  # after the process's one-time warm-up
                try:
                    return question(*args)
                finally:
                    self._spent += time.process_time() - started
        except (Exception, RecursionError):  # astroid failing is an unknown, never a crash
            return default

    def _hang_guard_fired(self) -> bool:
        """The last resort against a runaway question: only a file that costs
        many times more CPU than any real one trips it, and then the user is
        told, once. (CPU time, not wall time: other processes on a busy
        machine do not move it.)"""
        if self._spent < _HANG_GUARD:
            return False
        if not self._stopped:
            self._stopped = True
            print(
                f"flake8-async-tasks: inference for {self.path or 'stdin'} stopped after "
                f"{self._spent:.0f} s; findings may be incomplete",
                file=sys.stderr,
            )
        return True

    def _charge(self, modname: str, path: str | None) -> None:
        """Count a module read for this file's questions against its budget
        (whether or not another file already built it, so the answer does
        not depend on which files a worker linted before)."""
        if modname in self._used:
            return
        size = 0
        if path:
            with contextlib.suppress(OSError):
                size = os.stat(path).st_size
        self._used[modname] = size
        if len(self._used) > _MAX_MODULES or sum(self._used.values()) > _MAX_MODULE_BYTES:
            from astroid.exceptions import AstroidImportError

            raise AstroidImportError("{modname}: this file's inference budget is spent", modname=modname)

    def _tree(self):
        """This file's astroid module, built on first use."""
        if not self._build():
            raise _NoTree(self.path)
        return self.module

    def _build(self) -> bool:
        if self._built:
            return self.module is not None
        self._built = True
        from astroid.manager import AstroidManager

        if self.lines is None:
            # Without the text the tree was parsed from, nodes could not be
            # matched safely (the file on disk may say something else).
            return False
        source = "".join(self.lines)
        manager = AstroidManager()
        previous = manager.astroid_cache.get(self.modname)
        tree = self.model.tree
        bodies = [tree, *(n for n in self.model.function_scopes if isinstance(n, _HAS_DOCSTRING))]
        builder = _builder(manager, tree, bodies)
        module = builder.string_build(source, self.modname, self.path or None)
        if manager.astroid_cache.get(self.modname) is module and previous is None:
            # Other files must read this module from disk, where staleness is
            # checked, not from the text flake8 was given.
            del manager.astroid_cache[self.modname]
        self.module = module
        return True

    def import_module(self, manager, modname, context_file, use_cache):
        from astroid.exceptions import AstroidBuildingError, AstroidImportError

        if modname is None:
            raise AstroidBuildingError("No module name given.")
        if modname == self.modname and self.module is not None:
            return self.module
        path = self._project_file(modname)
        if path is not None:
            if path == self.path and self.module is not None:
                return self.module
            if self.level < _PROJECT:
                raise AstroidImportError("{modname}: project modules are not followed", modname=modname)
            self._charge(modname, path)
            return _STATE.project_module(manager, modname, path)
        if modname == "asyncio" or modname.startswith("asyncio."):
            return _STATE.asyncio_stub(manager)
        if modname in _STATE.modules:
            _STATE.forget(manager, modname)  # another project's module of that name
        cached = manager.astroid_cache.get(modname) if use_cache else None
        if modname == "builtins" and cached is not None:
            return cached
        location = cached.file if cached is not None else manager.file_from_module_name(
            modname, context_file
        ).location
        if not _is_third_party(location):
            # The standard library beyond asyncio has next to no coroutine
            # functions, and reading it (typing, os, threading...) would cost
            # more than the rest of the analysis.
            raise AstroidImportError("{modname}: the standard library is not followed", modname=modname)
        if self.level < _FULL:
            raise AstroidImportError("{modname}: installed packages are not followed", modname=modname)
        self._charge(modname, location)
        if cached is not None:
            return cached
        found = manager.file_from_module_name(modname, context_file)
        if found.type is _py_source() and found.location:
            return _builder(manager).file_build(found.location, modname)
        return _STATE.original_import(manager, modname, context_file, use_cache)

    def _project_file(self, modname: str) -> str | None:
        """The file of a project module, looked up under the roots the way
        ``sys.path`` would (regular packages only)."""
        if modname in self._files:
            return self._files[modname]
        found = None
        parts = modname.split(".")
        if all(part.isidentifier() for part in parts):
            for root in self.roots:
                directory = root
                if all(
                    os.path.isfile(os.path.join(directory := os.path.join(directory, part), "__init__.py"))
                    for part in parts[:-1]
                ):
                    last = os.path.join(directory, parts[-1])
                    if os.path.isfile(last + ".py"):
                        found = last + ".py"
                    elif os.path.isfile(os.path.join(last, "__init__.py")):
                        found = os.path.join(last, "__init__.py")
                if found is not None:
                    break
        self._files[modname] = found
        return found

    def _node(self, expr: ast.AST):
        """The astroid node made from ``expr``: same type name, same span."""
        want = (type(expr).__name__, expr.lineno, expr.col_offset,  # type: ignore[attr-defined]
                expr.end_lineno, expr.end_col_offset)  # type: ignore[attr-defined]
        start, end = want[1:3], want[3:5]
        stack = [self.module]
        while stack:
            node = stack.pop()
            for child in node.get_children():
                span = _span(child)
                if span is None:
                    stack.append(child)
                elif (type(child).__name__, *span[0], *span[1]) == want:
                    return child
                elif span[0] <= start and end <= span[1]:
                    stack.append(child)
        return None

    # ........................................................... callees

    def _callee_kind(self, expr: ast.expr, scope: Scope) -> Kind:
        from astroid import nodes

        known = self._callee_kind_by_import(expr, scope)
        if known is not None:
            return known
        self._tree()
        if not self._stars_resolve(self.module):
            return Kind.UNKNOWN  # ``from helpers import *`` may rebind any name
        node = self._node(expr)
        if isinstance(node, nodes.Name):
            values = _infer(node)
            if values is None:
                return Kind.UNKNOWN
            return _agree(self._value_kind(value) for value in values)
        if not isinstance(node, nodes.Attribute):
            return Kind.UNKNOWN
        receivers = _infer(node.expr)
        if receivers is None:
            return Kind.UNKNOWN
        # ``x.fetch()`` on None raises AttributeError: only the other
        # candidates can run the call (``self.conn = None`` in __init__,
        # ``self.conn = Connection()`` later).
        kind = _agree(self._member_kind(r, node.attrname) for r in receivers if not _is_none(r))
        if kind is Kind.COROUTINE_FUNCTION and self._overridden_in_subclass(expr, scope):
            return Kind.UNKNOWN
        return kind

    def _callee_kind_by_import(self, expr: ast.expr, scope: Scope) -> Kind | None:
        """``fetch()`` or ``client.fetch()`` where the name is imported: the
        other module answers, and this file's tree is not needed (its build
        is the largest cost). None when the shape is another."""
        if self.model.star_imports:
            return None  # a star import may rebind the name: read the tree
        if isinstance(expr, ast.Attribute):
            inherited = self._inherited_kind(expr, scope)
            if inherited is not None:
                return inherited
            classes = self._instance_classes(expr.value, scope)
            if classes is not None:
                # ``client.get()`` with ``client = Client()``, ``Client``
                # imported: the instance's class is known without the tree.
                return _agree(self._class_member_kind(cls, expr.attr, instance=True) for cls in classes)
        base = expr.value if isinstance(expr, ast.Attribute) else expr
        statement = self._sole_import(base, scope)
        if statement is None:
            return None
        values = self._imported_values(statement, base.id)  # type: ignore[attr-defined]
        if values is None:
            return Kind.UNKNOWN
        if isinstance(expr, ast.Attribute):
            return _agree(self._member_kind(value, expr.attr) for value in values)
        return _agree(self._value_kind(value) for value in values)

    def _inherited_kind(self, expr: ast.Attribute, scope: Scope) -> Kind | None:
        """``self.m()`` where ``m`` comes from imported base classes: their
        modules answer, without this file's tree. None for other shapes
        (a base defined here, ``m`` defined in the class itself)."""
        receiver = expr.value
        if not isinstance(receiver, ast.Name):
            return None
        bindings = self.model.bindings_of(receiver.id, scope)
        if not bindings or len(bindings) != 1 or not self._is_receiver_param(bindings[0].node):
            return None
        method = self.model.parent[self.model.parent[bindings[0].node]]
        cls = self.model.scope_of[method].node
        assert isinstance(cls, ast.ClassDef)
        if cls.keywords or not cls.bases:
            return None  # a metaclass, or nothing to inherit from
        if any(self.syntactic._own_member(cls, name) is not None for name in (expr.attr, "__getattribute__")):
            return None
        class_scope = self.model.scope_of[cls]
        decorators = getattr(method, "decorator_list", ())
        instance = not any(self.model.qualname(d, class_scope) == "builtins.classmethod" for d in decorators)
        definitions, searched = [], []
        for base in cls.bases:
            target = base.value if isinstance(base, ast.Subscript) else base
            if self.model.qualname(target, class_scope) in _TRANSPARENT_BASES:
                continue
            found = self._imported_object(base, class_scope)
            if found is None:
                return None
            if not found or not all(_is_class(value) for value in found):
                return Kind.UNKNOWN
            for base_class in found:
                looked_up = self._class_lookup(base_class, expr.attr)
                if looked_up is None:
                    return Kind.UNKNOWN
                definitions += looked_up[0]
                searched += looked_up[1]
        if not definitions or (instance and any(expr.attr in k.instance_attrs for k in searched)):
            return Kind.UNKNOWN
        kind = _agree(self._def_kind(d) for d in definitions)
        if kind is Kind.COROUTINE_FUNCTION and self._overridden_in_subclass(expr, scope):
            return Kind.UNKNOWN
        return kind

    def _instance_classes(self, expr: ast.expr, scope: Scope) -> list | None:
        """The imported classes ``expr`` is an instance of, read through the
        syntax: ``Client()``, a local or ``self.attr`` assigned only such
        calls (or None). None when the shape is another or a class is not
        imported (the tree answers then)."""
        from astroid import nodes

        if isinstance(expr, ast.Call):
            calls = [expr]
        elif isinstance(expr, ast.Name):
            bindings = self.model.bindings_of(expr.id, scope)
            if not bindings or not all(b.kind == ASSIGN for b in bindings):
                return None
            calls = [b.value for b in bindings]
        elif isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            bindings = self.model.bindings_of(expr.value.id, scope)
            if not bindings or len(bindings) != 1 or bindings[0].kind != PARAM:
                return None
            if not self._is_receiver_param(bindings[0].node):
                return None
            method = self.model.parent[self.model.parent[bindings[0].node]]
            cls = self.model.scope_of[method].node
            calls = self._instance_attribute_values(cls).get(expr.attr, [])  # type: ignore[arg-type]
        else:
            return None
        calls = [c for c in calls if not (isinstance(c, ast.Constant) and c.value is None)]
        if not calls or not all(_instantiates(c) for c in calls):
            return None
        classes = []
        for call in calls:
            assert isinstance(call, ast.Call)
            found = self._imported_object(call.func, self.model.scope_of.get(call, scope))
            if found is None:
                return None
            if not all(isinstance(value, nodes.ClassDef) for value in found):
                return []  # a factory function, not a class: unknown
            classes.extend(found)
        return classes

    def _imported_object(self, expr: ast.expr, scope: Scope) -> list | None:
        """``Client`` or ``models.Client`` bound by an import: what astroid
        infers for it in the imported module; None for other shapes."""
        base = expr.value if isinstance(expr, ast.Attribute) else expr
        statement = self._sole_import(base, scope)
        if statement is None:
            return None
        values = self._imported_values(statement, base.id)  # type: ignore[attr-defined]
        if values is None:
            return []
        if isinstance(expr, ast.Attribute):
            found = []
            for value in values:
                members = _infer_all(lambda value=value: value.igetattr(expr.attr))
                if members is None:
                    return []
                found.extend(members)
            return found
        return values

    def _sole_import(self, base: ast.expr, scope: Scope) -> ast.AST | None:
        """The import statement that alone binds the name ``base``; None when
        ``base`` is not a name or is bound some other way or more than once."""
        if not isinstance(base, ast.Name):
            return None
        bindings = self.model.bindings_of(base.id, scope)
        if not bindings or len(bindings) != 1 or bindings[0].kind != IMPORT:
            return None
        return bindings[0].node

    def _imported_values(self, statement: ast.AST, name: str):
        """What the import ``statement`` binds to ``name``, from the imported
        module (through the level's rules)."""
        from astroid.manager import AstroidManager

        manager = AstroidManager()
        if isinstance(statement, ast.ImportFrom):
            alias = next(a for a in statement.names if (a.asname or a.name) == name)
            module_name = self._absolute(statement.module, statement.level or 0)
            if module_name is None:
                return None
            module = manager.ast_from_module_name(module_name)
            return _infer_all(lambda: module.igetattr(alias.name))
        assert isinstance(statement, ast.Import)
        alias = next(a for a in statement.names if (a.asname or a.name.split(".")[0]) == name)
        return [manager.ast_from_module_name(alias.name if alias.asname else name)]

    def _absolute(self, module: str | None, level: int) -> str | None:
        """The absolute name of ``from <level dots><module> import ...``."""
        if not level:
            return module
        parts = self.modname.split(".")
        if not self.is_package:
            parts = parts[:-1]
        if level - 1 > len(parts):
            return None
        parts = parts[: len(parts) - (level - 1)]
        if module:
            parts.append(module)
        return ".".join(parts) or None

    def _overridden_in_subclass(self, expr: ast.expr, scope: Scope) -> bool:
        """``self.m()``: a subclass in this module may override ``m`` with a
        plain def (the syntactic pass makes the same check)."""
        assert isinstance(expr, ast.Attribute)
        receiver = expr.value
        if not isinstance(receiver, ast.Name):
            return False
        bindings = self.model.bindings_of(receiver.id, scope)
        if not bindings or len(bindings) != 1 or not self._is_receiver_param(bindings[0].node):
            return False
        method = self.model.parent.get(self.model.parent.get(bindings[0].node))
        cls = self.model.scope_of[method].node
        for sub in self.syntactic._subclasses(cls):  # type: ignore[arg-type]
            override = self.syntactic._own_member(sub, expr.attr)
            if override is not None and (
                not isinstance(override, (ast.FunctionDef, ast.AsyncFunctionDef))
                or self.syntactic._def_kind(override) is not Kind.COROUTINE_FUNCTION
            ):
                return True
        return False

    def _stars_resolve(self, module, depth: int = 0) -> bool:
        """Does every ``from x import *`` of ``module`` (and of the modules
        it star-imports) find its module? One that does not may bind any
        name at run time, so no name of the module is known."""
        from astroid import nodes

        known = self._star_checked.get(id(module))
        if known is not None:
            return known
        self._star_checked[id(module)] = True  # a cycle of star imports resolves
        result = depth <= _MAX_DEPTH
        for statement in module.body if result else ():
            if isinstance(statement, nodes.ImportFrom) and statement.names[0][0] == "*":
                try:
                    imported = statement.do_import_module()
                except Exception:
                    result = False
                    break
                if not self._stars_resolve(imported, depth + 1):
                    result = False
                    break
        self._star_checked[id(module)] = result
        return result

    def _value_kind(self, value) -> Kind:
        from astroid import nodes

        if type(value) in (nodes.FunctionDef, nodes.AsyncFunctionDef):
            if not self._stars_resolve(value.root()):
                return Kind.UNKNOWN
            return self._def_kind(value)
        if isinstance(value, nodes.ClassDef):
            return Kind.SYNC
        return Kind.UNKNOWN  # bound methods, partials, lambdas, callable objects...

    def _member_kind(self, receiver, name: str) -> Kind:
        from astroid import bases, nodes

        if isinstance(receiver, nodes.Module):
            values = _infer_all(lambda: receiver.igetattr(name))
            return Kind.UNKNOWN if values is None else _agree(self._value_kind(v) for v in values)
        if isinstance(receiver, bases.Instance) and isinstance(receiver._proxied, nodes.ClassDef):
            return self._class_member_kind(receiver._proxied, name, instance=True)
        if isinstance(receiver, nodes.ClassDef):
            return self._class_member_kind(receiver, name, instance=False)
        return Kind.UNKNOWN

    def _class_member_kind(self, cls, name: str, *, instance: bool) -> Kind:
        found = self._class_lookup(cls, name)
        if found is None:
            return Kind.UNKNOWN
        definitions, searched = found
        if instance and any(name in klass.instance_attrs for klass in searched):
            return Kind.UNKNOWN  # ``self.name = ...`` somewhere shadows the method
        return _agree(self._def_kind(d) for d in definitions)

    def _class_lookup(self, cls, name: str):
        """Every def of ``name`` that can be the one found on ``cls``: its own,
        else the nearest on each path through its bases (C3 puts a class
        before its bases, so a definition shadows those above it). None when
        a base cannot be inferred or ``name`` is bound some other way."""
        from astroid import nodes

        definitions, searched = [], []
        frontier, seen = [cls], set()
        while frontier:
            klass = frontier.pop(0)
            if klass in seen:
                continue
            seen.add(klass)
            searched.append(klass)
            if len(seen) > _MAX_ANCESTORS:
                return None
            if "__getattribute__" in klass.locals and klass.qname() != "builtins.object":
                return None
            own = klass.locals.get(name)
            if own:
                if len(own) != 1 or type(own[0]) not in (nodes.FunctionDef, nodes.AsyncFunctionDef):
                    return None
                if klass is cls:
                    return [own[0]], searched
                definitions.append(own[0])
                continue
            for base in klass.bases:
                base_class = self._base_class(base)
                if base_class is None:
                    return None
                if base_class is not False:
                    frontier.append(base_class)
        if not definitions:
            return None  # not found: ``__getattr__``, a metaclass, a mixin added later
        return definitions, searched

    def _base_class(self, base):
        """The ClassDef a base expression names; False for bases that add no
        methods; None when unknown."""
        from astroid import nodes

        target = base.value if isinstance(base, nodes.Subscript) else base
        if _qualname(target) in _TRANSPARENT_BASES:
            return False
        values = _infer(base)
        if values is None or len({id(v) for v in values}) != 1 or not isinstance(values[0], nodes.ClassDef):
            return None
        return values[0]

    def _def_kind(self, func) -> Kind:
        """A def, judged by its decorators from the outermost in."""
        from astroid import nodes

        decorators = func.decorators.nodes if func.decorators is not None else []
        for decorator in decorators:
            effect = self._decorator_effect(decorator)
            if effect == _KEEPS:
                continue
            if effect == _ASYNC_WRAPPER and type(func) is nodes.AsyncFunctionDef:
                return Kind.COROUTINE_FUNCTION
            return Kind.UNKNOWN
        if type(func) is nodes.AsyncFunctionDef:
            # An async generator is not a coroutine function.
            return Kind.UNKNOWN if func.is_generator() else Kind.COROUTINE_FUNCTION
        return Kind.SYNC

    def _decorator_effect(self, decorator) -> str | None:
        from astroid import bases, nodes

        is_call = isinstance(decorator, nodes.Call)
        qualname = _qualname(decorator.func if is_call else decorator)
        if qualname is not None:
            if is_call and qualname == "functools.wraps":
                return _KEEPS
            if not is_call and qualname in api.PRESERVING_DECORATORS:
                return _KEEPS
            if qualname.startswith("builtins."):
                return None  # property, functools.partial-like builtins...
        if is_call:
            factories = _infer(decorator.func)
            if factories is None:
                return None
            effects = set()
            for factory in factories:
                if isinstance(factory, bases.BoundMethod):
                    factory = factory._proxied
                plain = type(factory) is nodes.FunctionDef and factory.decorators is None
                inner = _returned_nested_def(factory, nodes.FunctionDef) if plain else None
                effects.add(None if inner is None else _decorator_function_effect(inner))
        else:
            functions = _infer(decorator)
            if functions is None:
                return None
            effects = {_decorator_function_effect(f) for f in functions}
        return effects.pop() if len(effects) == 1 else None

    # ......................................................... receivers

    def _instance_of(self, expr: ast.expr, scope: Scope, classes: frozenset[str]) -> bool:
        from astroid import bases, nodes

        found = None if self.model.star_imports else self._instance_classes(expr, scope)
        if found is None:
            self._tree()
            if not self._stars_resolve(self.module):
                return False
            node = self._node(expr)
            if node is None:
                return False
            values = _infer(node)
            if values is None:
                return False
            found = []
            for value in values:
                if _is_none(value):
                    continue
                if not (isinstance(value, bases.Instance) and isinstance(value._proxied, nodes.ClassDef)):
                    return False
                found.append(value._proxied)
        if not found:
            return False
        return all(
            cls.qname() in classes or any(a.qname() in classes for a in cls.ancestors()) for cls in found
        )


_HAS_DOCSTRING = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


class _NoTree(Exception):
    """This file's text could not be read or built by astroid."""


class _Guard:
    """Routes astroid's imports through the file being linted while one of
    its questions is answered, and hides astroid's warnings."""

    def __init__(self, session: _Astroid) -> None:
        self.session = session

    def __enter__(self) -> None:
        import gc
        import warnings

        from astroid.manager import AstroidManager

        if _STATE.original_import is None:
            _STATE.original_import = AstroidManager.ast_from_module_name
            _quiet_astroid_logging()
            _warm_up(AstroidManager())  # may raise: nothing is changed yet
        # astroid allocates many objects that stay alive (the trees it
        # builds): collecting while it runs finds no garbage but scans them.
        self.collecting = gc.isenabled()
        gc.disable()
        self.previous = _STATE.active
        _STATE.active = self.session
        AstroidManager.ast_from_module_name = _import_hook  # type: ignore[method-assign]
        self.warnings = warnings.catch_warnings()
        self.warnings.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc) -> None:
        from astroid.manager import AstroidManager

        self.warnings.__exit__(*exc)
        if self.collecting:
            import gc

            gc.enable()
        _STATE.active = self.previous
        if self.previous is None:
            AstroidManager.ast_from_module_name = _STATE.original_import  # type: ignore[method-assign]


_BUILDER: list[type] = []


def _builder(manager, tree: ast.Module | None = None, bodies: Sequence[ast.AST] = ()):
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
    if not _BUILDER:
        from astroid.builder import AstroidBuilder
        from astroid.exceptions import AstroidBuildingError
        from astroid.rebuilder import TreeRebuilder

        class Builder(AstroidBuilder):
            def __init__(self, manager, tree, bodies) -> None:
                super().__init__(manager, apply_transforms=_TRANSFORMS)
                self.given_tree = tree
                self.bodies = bodies

            def _data_build(self, data, modname, path):
                if self.given_tree is None:
                    return super()._data_build(data, modname, path)
                saved = [(node, node.body, list(node.body)) for node in self.bodies]
                try:
                    rebuilder = TreeRebuilder(self._manager, data)
                    package = bool(path) and os.path.basename(path) == "__init__.py"
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

            def delayed_assattr(self, node) -> None:
                _file_instance_attribute(node)

        _BUILDER.append(Builder)
    return _BUILDER[0](manager, tree, bodies)


def _file_instance_attribute(node) -> None:
    from astroid import nodes

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
    values = cls.instance_attrs.setdefault(node.attrname, [])
    if node not in values:
        values.append(node)


def _py_source():
    from astroid.interpreter._import.spec import ModuleType

    return ModuleType.PY_SOURCE


def _warm_up(manager) -> None:
    """Build what every process needs once (astroid's model of builtins, the
    asyncio stand-in), then let the garbage collector skip them for good.

    They are some 140,000 objects that live as long as the process; every
    full collection would otherwise walk them again, which on the corpus
    cost more than building them. Garbage is collected first, so that only
    live objects are exempted.
    """
    import gc

    _builder(manager)  # bootstraps the builtins module
    _STATE.asyncio_stub(manager)
    gc.collect()
    gc.freeze()


def _quiet_astroid_logging() -> None:
    import logging

    logger = logging.getLogger("astroid")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def _locate(path: str) -> tuple[tuple[str, ...], str]:
    """The directories absolute imports resolve against, and the module name
    of ``path``: the directory above its top-level package (where Python puts
    it on sys.path), then the working directory when the file is inside it."""
    cwd = os.getcwd()
    if not path:
        return (cwd,), "__flake8_async_tasks_stdin__"
    directory, name = os.path.split(path)
    stem = os.path.splitext(name)[0]
    parts = [] if stem == "__init__" else [stem]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
        if not package:
            break
    roots = [directory]
    if (path.startswith(cwd + os.sep)) and os.path.normcase(cwd) != os.path.normcase(directory):
        roots.append(cwd)
    return tuple(roots), ".".join(parts) or stem


def _statements(body: list):
    """Every statement of a block and of the blocks nested in it, without
    entering nested functions or classes."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(statement, name, None)
            if inner:
                yield from _statements(inner if name not in ("handlers", "cases") else [
                    s for block in inner for s in block.body
                ])


def _instantiates(expr: ast.AST) -> bool:
    """``Client()``, ``asyncio.Queue()``: a call of a CapWords name, which
    by convention makes an instance of a class."""
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name[:1].isupper()


def _only_instances(values) -> bool:
    """Every value makes an instance of a class or is None, and one does."""
    seen = False
    for value in values:
        if isinstance(value, ast.Constant) and value.value is None:
            continue
        if not _instantiates(value):
            return False
        seen = True
    return seen


def _imported_name(statement: ast.AST, name: str) -> str:
    """The name an import binds ``name`` from: ``fetch`` for ``from .client
    import fetch as get``."""
    for alias in getattr(statement, "names", ()):
        if alias.asname == name:
            return alias.name.rsplit(".", 1)[-1]
    return name


def _span(node):
    lineno = getattr(node, "lineno", None)
    end_lineno = getattr(node, "end_lineno", None)
    if lineno is None or end_lineno is None or node.col_offset is None or node.end_col_offset is None:
        return None
    start = (lineno, node.col_offset)
    decorators = getattr(node, "decorators", None)
    if decorators is not None and decorators.lineno is not None:
        start = min(start, (decorators.lineno, decorators.col_offset or 0))
    return start, (end_lineno, node.end_col_offset)


def _infer(node):
    return _infer_all(node.infer)


def _infer_all(infer):
    """Every value astroid infers, or None when any is Uninferable or there
    are too many to be an answer."""
    from astroid.util import UninferableBase

    values = []
    for value in infer():
        if isinstance(value, UninferableBase):
            return None
        values.append(value)
        if len(values) > _MAX_CANDIDATES:
            return None
    return values or None


def _is_class(value) -> bool:
    from astroid import nodes

    return isinstance(value, nodes.ClassDef)


def _is_none(value) -> bool:
    from astroid import nodes

    return isinstance(value, nodes.Const) and value.value is None


def _qualname(node) -> str | None:
    """``functools.wraps`` for a name or attribute, through the imports of
    its module, without loading any module."""
    from astroid import nodes

    if isinstance(node, nodes.Attribute):
        base = _qualname(node.expr)
        return f"{base}.{node.attrname}" if base else None
    if not isinstance(node, nodes.Name):
        return None
    try:
        scope, assigned = node.lookup(node.name)
    except Exception:
        return None
    if isinstance(scope, nodes.Module) and scope.name == "builtins":
        return f"builtins.{node.name}"  # astroid looks builtins up in its own module
    if not assigned:
        return None
    if len(assigned) != 1:
        return None
    statement = assigned[0]
    if isinstance(statement, nodes.Import):
        for real, alias in statement.names:
            if alias == node.name:
                return real
            if alias is None and real.split(".")[0] == node.name:
                return node.name
    elif isinstance(statement, nodes.ImportFrom):
        for real, alias in statement.names:
            if (alias or real) == node.name:
                module = statement.modname
                if statement.level:
                    try:
                        module = statement.root().relative_to_absolute_name(module, statement.level)
                    except Exception:
                        return None
                return api.normalise(f"{module}.{real}")
    return None


def _nested_scopes() -> tuple[type, ...]:
    """Node types whose ``return`` statements are not their parent's."""
    from astroid import nodes

    return (nodes.FunctionDef, nodes.ClassDef, nodes.Lambda)


def _returned_nested_def(func, kind):
    """The def of type ``kind`` nested directly in ``func`` that every
    ``return`` of ``func`` returns by name, or None (a decorator factory
    returns its decorator, a decorator its wrapper)."""
    from astroid import nodes

    returns = list(func.nodes_of_class(nodes.Return, skip_klass=_nested_scopes()))
    found = None
    for statement in returns:
        value = statement.value
        if not isinstance(value, nodes.Name):
            return None
        bound = func.locals.get(value.name, [])
        if len(bound) != 1 or type(bound[0]) is not kind or bound[0].parent is not func:
            return None
        if found is not None and found is not bound[0]:
            return None
        found = bound[0]
    return found


def _decorator_function_effect(func) -> str | None:
    """What the plain function ``func`` does to the function it decorates:
    returns it unchanged, wraps it in an ``async def`` under
    ``functools.wraps``, or something unknown."""
    from astroid import nodes

    if type(func) is not nodes.FunctionDef or func.decorators is not None:
        return None
    params = [*func.args.posonlyargs, *func.args.args]
    if not params or len(func.locals.get(params[0].name, [])) != 1:
        return None
    wrapped = params[0].name
    returns = list(func.nodes_of_class(nodes.Return, skip_klass=_nested_scopes()))
    if returns and all(isinstance(r.value, nodes.Name) and r.value.name == wrapped for r in returns):
        return _KEEPS
    wrapper = _returned_nested_def(func, nodes.AsyncFunctionDef)
    if wrapper is None or wrapper.is_generator() or wrapper.decorators is None:
        return None
    decorators = wrapper.decorators.nodes
    if (
        len(decorators) == 1
        and isinstance(decorators[0], nodes.Call)
        and _qualname(decorators[0].func) == "functools.wraps"
        and len(decorators[0].args) == 1
        and isinstance(decorators[0].args[0], nodes.Name)
        and decorators[0].args[0].name == wrapped
    ):
        return _ASYNC_WRAPPER
    return None
