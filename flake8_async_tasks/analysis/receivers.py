"""What class is this object an instance of, read the way a careful reader
of the module reads it?

A receiver's class is known when every way the syntax binds it says the same
class: a constructor call (``Client()``), an annotation (``client: Client``,
``Optional["Client"]``, ``self.client: Client``, ``client: Client`` in the
class body), the value of every ``self.attr = ...`` in the class's methods,
an asyncio function whose result is known (``reader, writer = await
asyncio.open_connection(...)``), or a function of this module whose return
annotation names a class. ``None`` among the values is left out: calling a
method on it raises before any coroutine exists. Anything else (another
value, a parameter without annotation, ``getattr``, an attribute stored on
some other object) makes the class unknown, and unknown is silent.

A class is named either by its ``ClassDef`` in this module or by its
qualified name (an imported class, an asyncio class), which someone else
resolves: asyncio's classes from the running asyncio, others with astroid.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from . import asyncio_api as api
from .classes import MAX_DEPTH, ClassFacts
from .scopes import ASSIGN, DEF, OTHER, PARAM, ModuleModel, Scope, is_class_name


@dataclass(frozen=True, eq=False)
class ClassRef:
    """One class: a ClassDef of this module, or an imported or asyncio class
    named by ``qualname`` and written as ``expr`` in ``scope``. ``exact``
    when the object was made by that class itself (a constructor call), not
    by a subclass that an annotation would also allow."""

    local: ast.ClassDef | None = None
    qualname: str | None = None
    expr: ast.expr | None = None
    scope: Scope | None = field(default=None, repr=False)
    exact: bool = False


class Receivers:
    def __init__(self, model: ModuleModel, classes: ClassFacts) -> None:
        self.model = model
        self.classes = classes
        self._cache: dict[ast.AST, list[ClassRef] | None] = {}
        self._foreign: dict[str, int] | None = None
        self._annotated: dict[ast.ClassDef, dict[str, tuple[ast.expr, Scope]]] = {}

    def instance_of(self, expr: ast.expr, scope: Scope, depth: int = 0) -> list[ClassRef] | None:
        """The classes ``expr`` may be an instance of (all known), or None."""
        if depth > MAX_DEPTH:
            return None
        key = expr
        if key in self._cache:
            return self._cache[key]
        self._cache[key] = None  # a cycle (``a = b; b = a``) is unknown
        try:
            found = self._instance_of(expr, scope, depth)
        except RecursionError:
            found = None
        if found is not None and not found:
            found = None
        self._cache[key] = found
        return found

    def _instance_of(self, expr: ast.expr, scope: Scope, depth: int) -> list[ClassRef] | None:
        if isinstance(expr, ast.Call):
            return self._made_by(expr, scope, depth)
        if isinstance(expr, ast.Await) and isinstance(expr.value, ast.Call):
            # ``await asyncio.create_subprocess_exec(...)``: what the coroutine returns.
            returned = api.RETURNS.get(self.model.qualname(expr.value.func, scope) or "")
            return [ClassRef(qualname=returned)] if isinstance(returned, str) else None
        if isinstance(expr, ast.Name):
            return self._name(expr, scope, depth)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, scope, depth)
        return None

    # ................................................................ calls

    def _made_by(self, call: ast.Call, scope: Scope, depth: int) -> list[ClassRef] | None:
        """``Client()``, ``asyncio.Queue()``, ``make_client()`` with a return
        annotation, ``asyncio.get_running_loop()``."""
        func = call.func
        local = self.classes.class_of(func, scope)
        if local is not None:
            return [ClassRef(local=local, exact=True)]
        qualname = self.model.qualname(func, scope)
        if qualname is not None:
            returned = api.RETURNS.get(qualname)
            if isinstance(returned, str) and qualname not in api.COROUTINE_FUNCTIONS:
                return [ClassRef(qualname=returned)]
            if is_class_name(qualname) and not qualname.startswith("builtins."):
                return [ClassRef(qualname=qualname, expr=func, scope=scope, exact=True)]
            return None
        relative = self._relative_import(func, scope, exact=True)
        if relative is not None:
            return [relative]
        binding = self.model.sole_binding(func, scope, DEF)
        if binding is not None:
            return self._returned(binding.node, depth)  # type: ignore[arg-type]  # a DEF's node
        return None

    def _returned(self, func: ast.FunctionDef, depth: int) -> list[ClassRef] | None:
        """What a plain def of this module returns, by its return annotation."""
        if func.returns is None or func.decorator_list:
            return None
        return self.annotation(func.returns, self.model.scope_of[func], depth + 1)

    # ................................................................ names

    def _name(self, name: ast.Name, scope: Scope, depth: int) -> list[ClassRef] | None:
        bindings = self.model.bindings_of(name.id, scope)
        owner = self.model.lookup(name.id, scope)
        if not bindings or owner is None:
            return None
        found: list[ClassRef] = []
        for binding in bindings:
            if binding.kind == ASSIGN and isinstance(binding.node, ast.AnnAssign):
                refs = self.annotation(binding.node.annotation, owner, depth + 1)
            elif binding.kind == ASSIGN and binding.value is not None:
                if _is_none(binding.value):
                    continue
                refs = self.instance_of(binding.value, owner, depth + 1)
            elif binding.kind == PARAM and binding.value is not None:
                refs = self.annotation(binding.value, owner, depth + 1)
            elif binding.kind == OTHER:
                refs = self._unpacked(binding.node, owner)
            else:
                return None
            if refs is None:
                return None
            found += refs
        return found

    def _unpacked(self, target: ast.AST, scope: Scope) -> list[ClassRef] | None:
        """``reader, writer = await asyncio.open_connection(...)``."""
        tuple_ = self.model.parent.get(target)
        statement = self.model.parent.get(tuple_) if tuple_ is not None else None
        if not (
            isinstance(tuple_, (ast.Tuple, ast.List))
            and isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and statement.targets[0] is tuple_
            and isinstance(statement.value, ast.Await)
            and isinstance(statement.value.value, ast.Call)
        ):
            return None
        returned = api.RETURNS.get(self.model.qualname(statement.value.value.func, scope) or "")
        if not isinstance(returned, tuple) or len(returned) != len(tuple_.elts):
            return None
        index = next(i for i, element in enumerate(tuple_.elts) if element is target)
        return [ClassRef(qualname=returned[index])]

    # ........................................................... attributes

    def _attribute(self, expr: ast.Attribute, scope: Scope, depth: int) -> list[ClassRef] | None:
        """``self.conn`` (and ``self.conn.session``): every value the class's
        methods assign to the attribute, or its annotation."""
        receiver = self.classes.receiver(expr.value, scope)
        if receiver is not None and not self.classes.is_class_level(receiver[0]):
            owners: list[ClassRef] | None = [ClassRef(local=receiver[1])]
        else:
            owners = self.instance_of(expr.value, scope, depth + 1)
        if owners is None or any(owner.local is None for owner in owners):
            return None
        found: list[ClassRef] = []
        for owner in owners:
            refs = self._attribute_of(owner.local, expr.attr, depth)  # type: ignore[arg-type]  # not None
            if refs is None:
                return None
            found += refs
        return found

    def _is_receiver(self, expr: ast.expr, scope: Scope) -> bool:
        found = self.classes.receiver(expr, scope)
        return found is not None and not self.classes.is_class_level(found[0])

    def _attribute_of(self, cls: ast.ClassDef, attr: str, depth: int) -> list[ClassRef] | None:
        if any(self._assigns(sub, attr) for sub in self.classes.subclasses(cls)):
            return None  # a subclass assigns the attribute something else
        annotated = self._annotations(cls).get(attr)
        if annotated is not None:
            return self.annotation(annotated[0], annotated[1], depth + 1)
        values = self.classes.instance_attribute_values(cls).get(attr, [])
        if not values or self.stored_elsewhere(attr):
            return None  # stored on some object other than a method's self too, or only inherited
        class_level = self.classes.own_member(cls, attr)
        if class_level is not None and not self._class_default_is_none(cls, attr):
            return None
        found: list[ClassRef] = []
        for value in values:
            if _is_none(value):
                continue
            scope = self._scope_of_value(value, cls)
            refs = self.instance_of(value, scope, depth + 1) if scope is not None else None
            if refs is None:
                return None
            found += refs
        return found

    def _assigns(self, cls: ast.ClassDef, attr: str) -> bool:
        return (
            attr in self.classes.instance_attribute_values(cls)
            or attr in self._annotations(cls)
            or self.classes.own_member(cls, attr) is not None
        )

    def stored_elsewhere(self, attr: str) -> bool:
        """Is ``.attr`` stored somewhere other than as ``self.attr = value``
        in a method (``obj.attr = ...``, ``self.attr += ...``, in a nested
        function...)? Such a store may give any instance's attribute any
        value."""
        return bool(self._foreign_stores().get(attr))

    def _scope_of_value(self, value: ast.expr, cls: ast.ClassDef) -> Scope | None:
        node: ast.AST | None = value
        while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node = self.model.parent.get(node)
        return self.model.function_scopes.get(node) if node is not None else None

    def _class_default_is_none(self, cls: ast.ClassDef, attr: str) -> bool:
        bindings = self.model.function_scopes[cls].bindings.get(attr, [])
        return all(b.kind == ASSIGN and b.value is not None and _is_none(b.value) for b in bindings)

    def _annotations(self, cls: ast.ClassDef) -> dict[str, tuple[ast.expr, Scope]]:
        """``attr: T`` in the class body and ``self.attr: T`` in its methods;
        an attribute annotated twice differently is left out."""
        cached = self._annotated.get(cls)
        if cached is not None:
            return cached
        found: dict[str, tuple[ast.expr, Scope]] = {}
        clashes: set[str] = set()
        body_scope = self.model.function_scopes[cls]
        for statement, scope in self.model.annotations:
            target = statement.target
            if isinstance(target, ast.Name) and scope is body_scope:
                name = target.id
            elif (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and self.model.function_scope(scope).parent is body_scope
                and self._is_receiver(target.value, scope)
            ):
                name = target.attr
            else:
                continue
            if name in found and ast.dump(found[name][0]) != ast.dump(statement.annotation):
                clashes.add(name)
            found[name] = (statement.annotation, self.model.scope_of.get(statement, scope))
        for name in clashes:
            del found[name]
        self._annotated[cls] = found
        return found

    def _foreign_stores(self) -> dict[str, int]:
        """How many times the module stores each attribute name other than
        as ``self.attr = value`` in a method (``obj.attr = ...``,
        ``self.attr += ...``, in a nested function...): such a store may
        give any instance's attribute any value."""
        if self._foreign is None:
            counts = dict(self.model.attribute_stores)
            for statement, _ in self.model.annotations:
                if statement.value is None and isinstance(statement.target, ast.Attribute):
                    counts[statement.target.attr] -= 1  # ``self.attr: T`` stores nothing
            for cls in self.model.classes:
                for attr, values in self.classes.instance_attribute_values(cls).items():
                    counts[attr] -= len(values)
            self._foreign = counts
        return self._foreign

    # ........................................................... annotations

    def annotation(self, annotation: ast.expr, scope: Scope, depth: int = 0) -> list[ClassRef] | None:
        """The class an annotation names: ``Client``, ``models.Client``,
        ``"Client"``, ``Optional[Client]``, ``Client | None``."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                parsed = ast.parse(annotation.value.strip(), mode="eval").body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return None
            return self.annotation(parsed, scope, depth + 1)
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            parts = [annotation.left, annotation.right]
            return self._union(parts, scope, depth)
        if isinstance(annotation, ast.Subscript):
            if self.model.qualname(annotation.value, scope) in api.OPTIONAL_TYPES:
                inner = annotation.slice
                parts = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
                return self._union(parts, scope, depth)
            # A generic class: ``asyncio.Queue[int]`` is a Queue.
            return self.annotation(annotation.value, scope, depth + 1)
        local = self.classes.class_of(annotation, scope)
        if local is not None:
            return [ClassRef(local=local)]
        qualname = self.model.qualname(annotation, scope)
        if qualname is None:
            relative = self._relative_import(annotation, scope)
            return None if relative is None else [relative]
        if not is_class_name(qualname) or qualname.startswith(("builtins.", "typing.")):
            return None
        return [ClassRef(qualname=qualname, expr=annotation, scope=scope)]

    def _relative_import(self, expr: ast.expr, scope: Scope, exact: bool = False) -> ClassRef | None:
        """``Client`` or ``models.Client`` bound by one relative import
        (``from .models import Client``): astroid reads it from the project."""
        root = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        last = expr.attr if isinstance(expr, ast.Attribute) else getattr(expr, "id", "")
        if not is_class_name(last) or self.model.sole_import(root, scope) is None:
            return None
        return ClassRef(expr=expr, scope=scope, exact=exact)

    def _union(self, parts: list[ast.expr], scope: Scope, depth: int) -> list[ClassRef] | None:
        found: list[ClassRef] = []
        for part in parts:
            if _is_none(part):
                continue
            refs = self.annotation(part, scope, depth + 1)
            if refs is None:
                return None
            found += refs
        return found


def _is_none(expr: ast.AST) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None
