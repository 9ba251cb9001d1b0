"""Facts about the classes and methods of one module, computed once.

What the checks and inference ask of a class: is this parameter a method's
receiver (``self`` or ``cls``), what does the class body bind to a name,
which classes of the module derive from it, and what do its methods assign
to ``self.attr``. Everything is read from the syntax of the module; a base
class from another module is someone else's question (inference).
"""

from __future__ import annotations

import ast
import functools
from typing import Iterator

from . import asyncio_api as api
from .scopes import CLASS, CLASS_DEF, DEF, ASYNC_DEF, PARAM, ModuleModel, Scope

# Marks a member bound by something other than one def.
OTHER = ast.AST()

# How far a chain of bases is followed before giving up.
MAX_DEPTH = 8

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class ClassFacts:
    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        self._attributes: dict[ast.ClassDef, dict[str, list[ast.expr]]] = {}

    # ------------------------------------------------------------- receivers

    def method_of_receiver(self, param: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The method whose first positional parameter is ``param`` (its
        ``self`` or ``cls``), when that method is defined in a class body."""
        model = self.model
        # arg -> arguments -> def (a parameter always has its arguments as parent)
        method = model.parent.get(model.parent.get(param))  # type: ignore[arg-type]
        if not isinstance(method, _FUNCTIONS):
            return None
        positional = [*method.args.posonlyargs, *method.args.args]
        if not positional or positional[0] is not param or model.scope_of[method].kind != CLASS:
            return None
        return method

    def receiver(self, expr: ast.expr, scope: Scope) -> tuple[ast.AST, ast.ClassDef] | None:
        """``(method, class)`` when ``expr`` is the name of the receiver
        parameter of a method of ``class``, bound nowhere else."""
        binding = self.model.sole_binding(expr, scope, PARAM)
        if binding is None:
            return None
        method = self.method_of_receiver(binding.node)
        if method is None:
            return None
        # method_of_receiver() checked that the method is in a CLASS scope: a ClassDef.
        return method, self.model.scope_of[method].node  # type: ignore[return-value]

    def decorator_names(self, node: ast.AST) -> set[str | None]:
        """The qualified names of a def's (or class's) decorators."""
        scope = self.model.scope_of[node]
        # Given defs and classes only, which have decorators.
        return {self.model.qualname(d, scope) for d in node.decorator_list}  # type: ignore[attr-defined]

    def is_class_level(self, node: ast.AST) -> bool:
        """A classmethod or staticmethod."""
        return bool(self.decorator_names(node) & {api.CLASSMETHOD, api.STATICMETHOD})

    # --------------------------------------------------------------- members

    def own_member(self, cls: ast.ClassDef, name: str) -> ast.AST | None:
        """The class body's own definition of ``name``: the def node, None
        when absent, :data:`OTHER` when bound some other way or twice."""
        bindings = self.model.function_scopes[cls].bindings.get(name)
        if not bindings:
            return None
        if len(bindings) != 1 or bindings[0].kind not in (DEF, ASYNC_DEF):
            return OTHER
        return bindings[0].node

    def lookup_member(self, cls: ast.ClassDef, name: str, depth: int = 0) -> ast.AST | None:
        """Depth-first through the bases defined in this module: the def
        node, None when no known class defines it, :data:`OTHER` when unknown."""
        own = self.own_member(cls, name)
        if own is not None:
            return own
        if depth > MAX_DEPTH:
            return OTHER
        scope = self.model.scope_of[cls]
        for base in cls.bases:
            base_class = self.class_of(base, scope)
            if base_class is None:
                target = base.value if isinstance(base, ast.Subscript) else base  # Generic[T]
                if self.model.qualname(target, scope) in api.TRANSPARENT_BASES:
                    continue
                return OTHER  # an unknown base may define it
            found = self.lookup_member(base_class, name, depth + 1)
            if found is not None:
                return found
        return None

    def class_of(self, expr: ast.expr, scope: Scope) -> ast.ClassDef | None:
        """The class of this module that the name ``expr`` is bound to, alone."""
        binding = self.model.sole_binding(expr, scope, CLASS_DEF)
        # A CLASS_DEF binding's node is a ClassDef.
        return None if binding is None else binding.node  # type: ignore[return-value]

    def subclasses(self, cls: ast.ClassDef) -> list[ast.ClassDef]:
        """Every class of this module derived from ``cls``, however deep."""
        found: list[ast.ClassDef] = []
        frontier = [cls]
        while frontier:
            current = frontier.pop()
            for sub in self._direct_subclasses.get(current, ()):
                if sub not in found and sub is not cls:
                    found.append(sub)
                    frontier.append(sub)
        return found

    @functools.cached_property
    def _direct_subclasses(self) -> dict[ast.ClassDef, list[ast.ClassDef]]:
        children: dict[ast.ClassDef, list[ast.ClassDef]] = {}
        for other in self.model.classes:
            scope = self.model.scope_of[other]
            for base in other.bases:
                parent = self.class_of(base, scope)
                if parent is not None and other not in children.setdefault(parent, []):
                    children[parent].append(other)
        return children

    # ------------------------------------------------------------ attributes

    def instance_attribute_values(self, cls: ast.ClassDef) -> dict[str, list[ast.expr]]:
        """``attr -> values`` of every ``self.attr = value`` in the methods of
        ``cls`` (``self`` being each method's first parameter)."""
        found = self._attributes.get(cls)
        if found is None:
            found = {}
            for method in cls.body:
                if not isinstance(method, _FUNCTIONS):
                    continue
                positional = [*method.args.posonlyargs, *method.args.args]
                if not positional:
                    continue
                receiver = positional[0].arg
                for node in statements(method.body):
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
            self._attributes[cls] = found
        return found


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of a block and of the blocks nested in it, without
    entering nested functions or classes."""
    stack = list(reversed(body))
    while stack:
        statement = stack.pop()
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        inner: list[ast.stmt] = []
        for name in ("body", "orelse", "finalbody"):
            inner += getattr(statement, name, None) or []
        for name in ("handlers", "cases"):
            for block in getattr(statement, name, None) or []:
                inner += block.body
        stack.extend(reversed(inner))
