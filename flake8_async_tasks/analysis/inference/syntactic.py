"""What the syntax of one module says about a callee or a receiver.

These answers come first and cost next to nothing: the module's own
``async def`` statements and classes, its imports and asyncio's tables. An
answer here is final when it is yes or no; unknown may be asked of astroid
(see :mod:`.facade`).
"""

from __future__ import annotations

import ast
from typing import TypeGuard

from .. import asyncio_api as api
from ..classes import MAX_DEPTH, ClassFacts, statements
from ..receivers import ClassRef, Receivers
from ..scopes import ASSIGN, ASYNC_DEF, CLASS, DEF, PARAM, WITH, Binding, ModuleModel, Scope
from . import asyncio_model
from .kinds import Kind, agree

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class Syntactic:
    def __init__(self, model: ModuleModel, classes: ClassFacts) -> None:
        self.model = model
        self.classes = classes
        self.receivers = Receivers(model, classes)
        self._kinds: dict[ast.AST, Kind] = {}
        self._loop_attributes: frozenset[str] | None = None
        self._helpers: dict[ast.AST, bool] = {}
        self._maybe_async_methods: frozenset[str] | None = None

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
            owner = self.model.lookup(expr.id, scope)
            # Not None: bindings_of() found the bindings in that scope.
            return agree(self._binding_kind(b, owner) for b in bindings)  # type: ignore[arg-type]
        if not isinstance(expr, ast.Attribute):
            return Kind.UNKNOWN
        if isinstance(expr.value, ast.Name):
            kind = self._method_kind(expr, scope)
            if kind is not Kind.UNKNOWN:
                return kind
        if _is_super_call(expr.value):
            return self._super_kind(expr, scope)
        return self.receiver_method_kind(expr, scope)

    def _binding_kind(self, binding: Binding, owner: Scope) -> Kind:
        if binding.kind in (DEF, ASYNC_DEF):
            return self.def_kind(binding.node)
        annotation = binding.value if binding.kind == PARAM else None
        if annotation is not None and self._returns_awaitable(annotation, owner):
            return Kind.COROUTINE_FUNCTION  # ``callback: Callable[..., Awaitable[None]]``
        return Kind.UNKNOWN

    def _returns_awaitable(self, annotation: ast.expr, scope: Scope) -> bool:
        """``Callable[..., Awaitable[T]]`` or ``Callable[[], Coroutine[...]]``."""
        if not (
            isinstance(annotation, ast.Subscript)
            and self.model.qualname(annotation.value, scope) in api.CALLABLE_TYPES
            and isinstance(annotation.slice, ast.Tuple)
            and len(annotation.slice.elts) == 2
        ):
            return False
        returned = annotation.slice.elts[1]
        if isinstance(returned, ast.Subscript):
            returned = returned.value
        return self.model.qualname(returned, scope) in api.AWAITABLE_TYPES

    # ---------------------------------------------------------------- receivers' methods

    def receiver_method_kind(self, expr: ast.Attribute, scope: Scope) -> Kind:
        """``client.fetch`` where the class of ``client`` is known from the
        syntax (see :mod:`..receivers`) and defines ``fetch`` in this module
        or is an asyncio class."""
        if expr.attr in self.model.stored_attributes:
            return Kind.UNKNOWN  # an instance attribute may shadow the method
        if expr.attr not in self._method_names():
            return Kind.UNKNOWN  # no class this syntax can see has such a coroutine method
        refs = self.receivers.instance_of(expr.value, scope)
        if refs is None:
            return Kind.UNKNOWN
        return agree(self.member_kind(ref, expr.attr) for ref in refs)

    def _method_names(self) -> frozenset[str]:
        """Names a receiver's coroutine method may have, as far as the syntax
        can tell: the module's ``async def`` names and its plain defs that
        end in ``return call()``, and, when the module imports asyncio, the
        coroutine methods of asyncio's classes. Receivers are resolved only
        for calls of these names (the rest cannot be reported)."""
        if self._maybe_async_methods is None:
            names: set[str] = set()
            for node in self.model.function_scopes:
                if isinstance(node, ast.AsyncFunctionDef) or (
                    isinstance(node, ast.FunctionDef) and node.body and isinstance(node.body[-1], ast.Return)
                ):
                    names.add(node.name)
            if self.model.imports_asyncio:
                names |= asyncio_model.coroutine_method_names()
            self._maybe_async_methods = frozenset(names)
        return self._maybe_async_methods

    def member_kind(self, ref: ClassRef, name: str) -> Kind:
        """What ``name`` is on an instance of ``ref``; unknown for classes
        only astroid can read."""
        if ref.local is not None:
            cls = ref.local
            if cls.decorator_list or cls.keywords or any(
                self.classes.lookup_member(cls, hook) for hook in ("__getattribute__", "__getattr__")
            ):
                return Kind.UNKNOWN  # a class decorator, a metaclass or attribute hooks may change it
            member = self.classes.lookup_member(cls, name)
            if not isinstance(member, _FUNCTIONS):
                return Kind.UNKNOWN
            kind = self.def_kind(member)
            if kind is Kind.COROUTINE_FUNCTION and not ref.exact and self.overridden_in_subclass(cls, name):
                return Kind.UNKNOWN  # the object may be an instance of that subclass
            return kind
        if ref.qualname is not None and ref.qualname.startswith("asyncio."):
            methods = asyncio_model.class_methods().get(api.normalise(ref.qualname))
            if methods is None or name not in methods:
                return Kind.UNKNOWN
            return Kind.COROUTINE_FUNCTION if methods[name] else Kind.SYNC
        return Kind.UNKNOWN

    def _super_kind(self, expr: ast.Attribute, scope: Scope) -> Kind:
        """``super().m`` in a method: ``m`` as the base class has it (a class
        of this module or of asyncio; an imported one is astroid's)."""
        base = self.super_class(expr.value, scope)
        return Kind.UNKNOWN if base is None else self.member_kind(base, expr.attr)

    def super_class(self, expr: ast.expr, scope: Scope) -> ClassRef | None:
        """The one base class that ``super()`` reaches in a method of a class
        with a single base (with several, the MRO of the instance decides;
        a metaclass may add anything)."""
        if not _is_super_call(expr):
            return None
        if self.model.qualname(expr.func, scope) != "builtins.super":
            return None
        method = self.model.function_scope(scope).node
        if not isinstance(method, _FUNCTIONS) or self.model.scope_of[method].kind != CLASS:
            return None
        cls = self.model.scope_of[method].node
        assert isinstance(cls, ast.ClassDef)
        if len(cls.bases) != 1 or cls.keywords:
            return None
        class_scope = self.model.scope_of[cls]
        local = self.classes.class_of(cls.bases[0], class_scope)
        if local is not None:
            # ``super()`` skips the class's own override and its subclasses'.
            return ClassRef(local=local, exact=True)
        refs = self.receivers.annotation(cls.bases[0], class_scope)
        return refs[0] if refs is not None and len(refs) == 1 else None

    def def_kind(self, node: ast.AST) -> Kind:
        """The kind of a def statement, judged by its decorators."""
        # ``node`` is a DEF or ASYNC_DEF binding's node: a FunctionDef or an AsyncFunctionDef.
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
            returns = node.returns
            if returns is not None and self._names_async_iterator(returns, self.model.scope_of[node]):
                return Kind.UNKNOWN  # the stub of an async generator: its overrides yield
            return Kind.COROUTINE_FUNCTION
        if self._returns_coroutine(node):  # type: ignore[arg-type]  # a FunctionDef, as above
            return Kind.COROUTINE_FUNCTION  # ``def refresh(self): return self._refresh()``
        return Kind.SYNC

    def _names_async_iterator(self, annotation: ast.expr, scope: Scope) -> bool:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            return annotation.value.split("[", 1)[0].strip().rsplit(".", 1)[-1] in api.ASYNC_ITERATOR_NAMES
        target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        return self.model.qualname(target, scope) in api.ASYNC_ITERATOR_TYPES

    def _returns_coroutine(self, node: ast.FunctionDef) -> bool:
        """A plain def whose every ``return`` hands back the coroutine of a
        call to a coroutine function, and that ends in such a return: calling
        it builds a coroutine exactly as calling an ``async def`` does."""
        known = self._helpers.get(node)
        if known is None:
            self._helpers[node] = False  # recursion is not a coroutine
            returned = returned_calls(self.model, node)
            known = bool(returned) and all(
                self.function_kind(call.func, self.model.scope_of[call]) is Kind.COROUTINE_FUNCTION
                for call in returned
            )
            self._helpers[node] = known
        return known

    def local_def(self, expr: ast.expr, scope: Scope, any_def: bool = False) -> ast.FunctionDef | None:
        """The plain def of this module that calling ``expr`` runs, when the
        syntax says so for sure: a module or local function bound once, or
        ``self.m`` / ``cls.m`` that no subclass of this module overrides.
        Only defs that end in ``return call()`` are looked for, unless
        ``any_def``."""
        name = expr.id if isinstance(expr, ast.Name) else getattr(expr, "attr", None)
        if not any_def and name not in self._method_names():
            return None
        node: ast.AST | None = None
        if isinstance(expr, ast.Name):
            binding = self.model.sole_binding(expr, scope, DEF)
            node = None if binding is None else binding.node
        elif isinstance(expr, ast.Attribute) and expr.attr not in self.model.stored_attributes:
            found = self.classes.receiver(expr.value, scope)
            if found is not None:
                node = self.classes.lookup_member(found[1], expr.attr)
                if any(self.classes.own_member(sub, expr.attr) for sub in self.classes.subclasses(found[1])):
                    node = None
        if isinstance(node, ast.FunctionDef) and not node.decorator_list:
            return node
        return None

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
            if expr.attr in api.LOOP_ATTRIBUTE_NAMES or expr.attr in self.loop_annotated_attributes:
                return True
            # ``self.ev = asyncio.get_event_loop()``, whatever the attribute is called.
            refs = self.receivers.instance_of(expr, scope)
            return refs is not None and all(ref.qualname in api.LOOP_TYPES for ref in refs)
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
        # bool(bindings) excludes None, and then lookup() found their scope.
        return bool(bindings) and all(
            b.kind == WITH
            and isinstance(b.value, ast.Call)
            and self.model.qualname(b.value.func, owner) == api.TASK_GROUP  # type: ignore[arg-type]
            for b in bindings  # type: ignore[union-attr]
        )


def _is_super_call(expr: ast.expr) -> TypeGuard[ast.Call]:
    """``super()`` without arguments (``super(Cls, self)`` names its own start)."""
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == "super"
        and not expr.args
        and not expr.keywords
    )


def defines(syntactic: Syntactic, expr: ast.expr, scope: Scope, name: str) -> bool:
    """Is ``expr`` an instance of a class of this module that defines (or
    inherits from a class of this module) its own ``name``? A loop subclass
    with its own ``create_task`` keeps its tasks its own way."""
    receiver = syntactic.classes.receiver(expr, scope)
    if receiver is not None:
        refs: list[ClassRef] | None = [ClassRef(local=receiver[1])]
    else:
        refs = syntactic.receivers.instance_of(expr, scope)
    return any(
        ref.local is not None and isinstance(syntactic.classes.lookup_member(ref.local, name), _FUNCTIONS)
        for ref in refs or ()
    )


def returned_calls(model: ModuleModel, func: ast.FunctionDef) -> list[ast.Call]:
    """The calls a plain, non-generator def returns, when every ``return``
    returns a call and the body ends in one; else nothing."""
    if model.function_scopes[func].is_generator or not func.body or not isinstance(func.body[-1], ast.Return):
        return []
    calls = []
    for statement in statements(func.body):
        if isinstance(statement, ast.Return):
            if not isinstance(statement.value, ast.Call):
                return []
            calls.append(statement.value)
    return calls
