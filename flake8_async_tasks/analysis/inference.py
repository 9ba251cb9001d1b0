"""The one home of the questions whose answer is not in the syntax at hand:
is this callee a coroutine function, is this receiver an event loop or a
TaskGroup?

Answers are yes, no or unknown, and the checks report only on yes. Today the
answers come from the module itself (its ``async def`` statements, classes and
imports) and the asyncio tables; anything else is unknown.
"""

from __future__ import annotations

import ast
import enum

from . import asyncio_api as api
from .scopes import ASSIGN, ASYNC_DEF, CLASS, CLASS_DEF, DEF, PARAM, WITH, ModuleModel, Scope

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
    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        self._kinds: dict[ast.AST, Kind] = {}

    # ------------------------------------------------------ coroutine functions

    def function_kind(self, expr: ast.expr, scope: Scope) -> Kind:
        """What calling ``expr`` runs: a coroutine function, a plain
        callable, or unknown."""
        cached = self._kinds.get(expr)
        if cached is None:
            try:
                cached = self._function_kind(expr, scope)
            except RecursionError:
                cached = Kind.UNKNOWN
            self._kinds[expr] = cached
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

    def is_loop(self, expr: ast.expr, scope: Scope, depth: int = 0) -> bool:
        """Is ``expr`` known to evaluate to an event loop?"""
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
                    if not self.is_loop(binding.value, owner, depth + 1):
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
