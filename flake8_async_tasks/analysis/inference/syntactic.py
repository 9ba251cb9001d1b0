"""What the syntax of one module says about a callee or a receiver.

These answers come first and cost next to nothing: the module's own
``async def`` statements and classes, its imports and asyncio's tables. An
answer here is final when it is yes or no; unknown may be asked of astroid
(see :mod:`.facade`).
"""

from __future__ import annotations

import ast

from .. import asyncio_api as api
from ..classes import MAX_DEPTH, ClassFacts
from ..scopes import ASSIGN, ASYNC_DEF, DEF, PARAM, WITH, ModuleModel, Scope
from .kinds import Kind, agree

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class Syntactic:
    def __init__(self, model: ModuleModel, classes: ClassFacts) -> None:
        self.model = model
        self.classes = classes
        self._kinds: dict[ast.AST, Kind] = {}
        self._loop_attributes: frozenset[str] | None = None

    # ------------------------------------------------------ coroutine functions

    def function_kind(self, expr: ast.expr, scope: Scope) -> Kind:
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
            return agree(self.def_kind(b.node) if b.kind in (DEF, ASYNC_DEF) else Kind.UNKNOWN
                         for b in bindings)
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            return self._method_kind(expr, scope)
        return Kind.UNKNOWN

    def def_kind(self, node: ast.AST) -> Kind:
        """The kind of a def statement, judged by its decorators."""
        for decorator in node.decorator_list:  # type: ignore[attr-defined]
            scope = self.model.scope_of[node]
            qualname = self.model.qualname(decorator, scope)
            if isinstance(decorator, ast.Call):
                qualname = self.model.qualname(decorator.func, scope)
                if qualname != api.FUNCTOOLS_WRAPS:
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
        found = self.classes.receiver(expr.value, scope)
        if found is None:
            return Kind.UNKNOWN
        method, cls = found
        decorators = self.classes.decorator_names(method)
        if api.STATICMETHOD in decorators:
            return Kind.UNKNOWN
        via_class = api.CLASSMETHOD in decorators
        if expr.attr in self.model.stored_attributes:
            return Kind.UNKNOWN  # an instance attribute may shadow the method
        member = self.classes.lookup_member(cls, expr.attr)
        if not isinstance(member, _FUNCTIONS):
            return Kind.UNKNOWN
        if via_class and not self.classes.is_class_level(member):
            return Kind.UNKNOWN
        kind = self.def_kind(member)
        if kind is Kind.COROUTINE_FUNCTION and self.overridden_in_subclass(cls, expr.attr):
            return Kind.UNKNOWN
        return kind

    def overridden_in_subclass(self, cls: ast.ClassDef, name: str) -> bool:
        """Does a subclass in this module bind ``name`` to anything but a
        coroutine function (so ``self.name()`` may run a plain def)?"""
        for sub in self.classes.subclasses(cls):
            override = self.classes.own_member(sub, name)
            if override is not None and (
                not isinstance(override, _FUNCTIONS) or self.def_kind(override) is not Kind.COROUTINE_FUNCTION
            ):
                return True
        return False

    # ---------------------------------------------------------------- receivers

    def is_loop(self, expr: ast.expr, scope: Scope, depth: int = 0) -> bool:
        """Is ``expr`` known from the syntax to evaluate to an event loop?"""
        if depth > MAX_DEPTH:
            return False
        if isinstance(expr, ast.Call):
            return self.model.qualname(expr.func, scope) in api.LOOP_FACTORIES
        if isinstance(expr, ast.Attribute):
            return expr.attr in api.LOOP_ATTRIBUTE_NAMES or expr.attr in self.loop_annotated_attributes
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
                    if not self.annotation_is_loop(binding.value, owner):
                        return False
                else:
                    return False
            return True
        return False

    def annotation_is_loop(self, annotation: ast.expr, scope: Scope) -> bool:
        """Does the annotation name an asyncio event loop class, through this
        module's imports? ``Optional[...]``, ``X | None`` and a quoted
        annotation (``"asyncio.AbstractEventLoop"``) are read the same way."""
        for node in ast.walk(annotation):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                try:
                    quoted = ast.parse(node.value.strip(), mode="eval").body
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    continue
                if self.annotation_is_loop(quoted, scope):
                    return True
            elif isinstance(node, (ast.Name, ast.Attribute)):
                if self.model.qualname(node, scope) in api.LOOP_TYPES:
                    return True
        return False

    @property
    def loop_annotated_attributes(self) -> frozenset[str]:
        """Names annotated as an event loop anywhere in the module
        (``self._ev: asyncio.AbstractEventLoop``, ``_ev: AbstractEventLoop``
        in a class body): an attribute of that name holds a loop."""
        if self._loop_attributes is None:
            found = set()
            for statement, scope in self.model.annotations:
                target = statement.target
                if isinstance(target, (ast.Attribute, ast.Name)) and self.annotation_is_loop(
                    statement.annotation, scope
                ):
                    found.add(target.attr if isinstance(target, ast.Attribute) else target.id)
            self._loop_attributes = frozenset(found)
        return self._loop_attributes

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
