"""The questions astroid answers for one file: is this callee a coroutine
function, is this receiver an instance of one of these classes?

Asked only after the syntax said unknown (:mod:`.syntactic`) and a gate said
astroid could tell (:mod:`.gates`); each question runs under the file's
session (:mod:`.session`), whose budget and guard turn any failure into an
unknown. Where the syntax shows the way (a name bound by one import), the
imported module answers and this file's own tree, the largest cost, is not
built.
"""

from __future__ import annotations

import ast
from typing import Literal, cast

from astroid import bases, nodes
from astroid.manager import AstroidManager
from astroid.typing import SuccessfulInferenceResult as Inferred

from .. import asyncio_api as api
from ..classes import MAX_DEPTH
from ..receivers import ClassRef
from ..scopes import ASSIGN, Scope, alias_binding, instantiates
from .astroid_tools import (
    ASYNC_WRAPPER, KEEPS, decorator_function_effect, infer, infer_all, is_class, is_none, qualname,
    returned_nested_def,
)
from .context import FileInference
from .kinds import Kind, agree
from .session import Session

MAX_ANCESTORS = 64  # classes searched for one method


class Questions:
    def __init__(self, context: FileInference) -> None:
        self.context = context
        self.model = context.model
        self.classes = context.classes
        self.syntactic = context.syntactic
        self.session = Session(context.model, context.level, context.place, context.lines)
        self._star_checked: dict[int, bool] = {}

    def close(self) -> None:
        self.session.close()

    # ....................................................... the questions

    def function_kind(self, expr: ast.expr, scope: Scope) -> Kind:
        """Asked once a gate said astroid could tell."""
        return self.session.ask(self._callee_kind, expr, scope, default=Kind.UNKNOWN)

    def member_kind(self, refs: list[ClassRef], name: str) -> Kind:
        """What ``name`` is on an instance of any of ``refs``, classes of this
        module or imported ones (read from their modules). Asked once a gate
        said astroid could tell."""
        return self.session.ask(self._refs_member_kind, refs, name, default=Kind.UNKNOWN)

    def _refs_member_kind(self, refs: list[ClassRef], name: str) -> Kind:
        self.session.reading_named_class = True
        try:
            return self._named_classes_member_kind(refs, name)
        finally:
            self.session.reading_named_class = False

    def _named_classes_member_kind(self, refs: list[ClassRef], name: str) -> Kind:
        kinds = []
        for ref in refs:
            if ref.expr is None or ref.scope is None:
                kinds.append(self.syntactic.member_kind(ref, name))
                continue
            found = self._imported_object(ref.expr, ref.scope)
            if not found or not all(isinstance(value, nodes.ClassDef) for value in found):
                return Kind.UNKNOWN
            for cls in cast("list[nodes.ClassDef]", found):  # checked just above
                looked_up = self.lookup_member_astroid(cls, name)
                if looked_up is None or any("__getattr__" in k.locals for k in looked_up[1]):
                    return Kind.UNKNOWN  # a class that answers any attribute is not read
                kinds.append(self._class_member_kind(cls, name, instance=True))
        return agree(kinds)

    def is_instance_of(self, expr: ast.expr, scope: Scope, classes: frozenset[str]) -> bool:
        """Is ``expr`` known to be an instance of one of ``classes`` (or of a
        subclass)? Asked once a gate said astroid could tell."""
        return self.session.ask(self._instance_of, expr, scope, classes, default=False)

    # ........................................................... callees

    def _callee_kind(self, expr: ast.expr, scope: Scope) -> Kind:

        known = self._callee_kind_by_import(expr, scope)
        if known is not None:
            return known
        if not self._stars_resolve(self.session.tree()):
            return Kind.UNKNOWN  # ``from helpers import *`` may rebind any name
        node = self.session.node(expr)
        if isinstance(node, nodes.Name):
            values = infer(node)
            if values is None:
                return Kind.UNKNOWN
            return agree(self._value_kind(value) for value in values)
        if not isinstance(node, nodes.Attribute):
            return Kind.UNKNOWN
        receivers = infer(node.expr)
        if receivers is None:
            return Kind.UNKNOWN
        # ``x.fetch()`` on None raises AttributeError: only the other
        # candidates can run the call (``self.conn = None`` in __init__,
        # ``self.conn = Connection()`` later).
        kind = agree(self.member_kind_astroid(r, node.attrname) for r in receivers if not is_none(r))
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
                return agree(self._class_member_kind(cls, expr.attr, instance=True) for cls in classes)
        imported, values = self._root_import_values(expr, scope)
        if not imported:
            return None
        if values is None:
            return Kind.UNKNOWN
        if isinstance(expr, ast.Attribute):
            return agree(self.member_kind_astroid(value, expr.attr) for value in values)
        return agree(self._value_kind(value) for value in values)

    def _root_import_values(self, expr: ast.expr, scope: Scope) -> tuple[bool, list[Inferred] | None]:
        """For ``name`` or ``name.attr`` whose ``name`` one import alone
        binds: (True, what astroid infers the import binds, None when it
        cannot tell); (False, None) for any other shape."""
        base = expr.value if isinstance(expr, ast.Attribute) else expr
        statement = self.model.sole_import(base, scope)
        if statement is None:
            return False, None
        # sole_import() finds a statement for a Name only.
        return True, self._imported_values(statement, base.id)  # type: ignore[attr-defined]

    def _inherited_kind(self, expr: ast.Attribute, scope: Scope) -> Kind | None:
        """``self.m()`` where ``m`` comes from imported base classes: their
        modules answer, without this file's tree. None for other shapes
        (a base defined here, ``m`` defined in the class itself)."""
        found = self.classes.receiver(expr.value, scope)
        if found is None:
            return None
        method, cls = found
        if cls.keywords or not cls.bases:
            return None  # a metaclass, or nothing to inherit from
        if any(self.classes.own_member(cls, name) is not None for name in (expr.attr, "__getattribute__")):
            return None
        class_scope = self.model.scope_of[cls]
        decorators = getattr(method, "decorator_list", ())
        instance = not any(self.model.qualname(d, class_scope) == api.CLASSMETHOD for d in decorators)
        definitions, searched = [], []
        for base in cls.bases:
            target = base.value if isinstance(base, ast.Subscript) else base
            if self.model.qualname(target, class_scope) in api.TRANSPARENT_BASES:
                continue
            found = self._imported_object(base, class_scope)
            if found is None:
                return None
            if not found or not all(is_class(value) for value in found):
                return Kind.UNKNOWN
            for base_class in cast("list[nodes.ClassDef]", found):  # checked just above
                looked_up = self.lookup_member_astroid(base_class, expr.attr)
                if looked_up is None:
                    return Kind.UNKNOWN
                definitions += looked_up[0]
                searched += looked_up[1]
        if not definitions or (instance and any(expr.attr in k.instance_attrs for k in searched)):
            return Kind.UNKNOWN
        kind = agree(self.def_kind_astroid(d) for d in definitions)
        if kind is Kind.COROUTINE_FUNCTION and self._overridden_in_subclass(expr, scope):
            return Kind.UNKNOWN
        return kind

    def _instance_classes(self, expr: ast.expr, scope: Scope) -> list[nodes.ClassDef] | None:
        """The imported classes ``expr`` is an instance of, read through the
        syntax: ``Client()``, a local or ``self.attr`` assigned only such
        calls (or None). None when the shape is another or a class is not
        imported (the tree answers then)."""

        if isinstance(expr, ast.Call):
            calls = [expr]
        elif isinstance(expr, ast.Name):
            bindings = self.model.bindings_of(expr.id, scope)
            if not bindings or not all(b.kind == ASSIGN for b in bindings):
                return None
            calls = [b.value for b in bindings]
        elif isinstance(expr, ast.Attribute):
            found = self.classes.receiver(expr.value, scope)
            if found is None:
                return None
            calls = self.classes.instance_attribute_values(found[1]).get(expr.attr, [])
        else:
            return None
        calls = [c for c in calls if not (isinstance(c, ast.Constant) and c.value is None)]
        if not calls or not all(instantiates(c) for c in calls):
            return None
        classes: list[nodes.ClassDef] = []
        for call in calls:
            assert isinstance(call, ast.Call)
            found = self._imported_object(call.func, self.model.scope_of.get(call, scope))
            if found is None:
                return None
            if not all(isinstance(value, nodes.ClassDef) for value in found):
                return []  # a factory function, not a class: unknown
            classes.extend(cast("list[nodes.ClassDef]", found))  # checked just above
        return classes

    def _imported_object(self, expr: ast.expr, scope: Scope) -> list[Inferred] | None:
        """``Client`` or ``models.Client`` bound by an import: what astroid
        infers for it in the imported module; None for other shapes."""
        imported, values = self._root_import_values(expr, scope)
        if not imported:
            return None
        if values is None:
            return []
        if isinstance(expr, ast.Attribute):
            found: list[Inferred] = []
            for value in values:
                # The default binds this iteration's value; mypy cannot type a
                # lambda's parameter that its context (no parameters) lacks.
                members = infer_all(lambda value=value: value.igetattr(expr.attr))  # type: ignore[misc]
                if members is None:
                    return []
                found.extend(members)
            return found
        return values

    def _imported_values(self, statement: ast.AST, name: str) -> list[Inferred] | None:
        """What the import ``statement`` binds to ``name``, from the imported
        module (through the level's rules)."""

        manager = AstroidManager()
        if isinstance(statement, ast.ImportFrom):
            alias = alias_binding(statement, name)
            module_name = self.context.place.absolute(statement.module, statement.level or 0)
            if module_name is None or alias is None:
                return None
            module = manager.ast_from_module_name(module_name)
            imported = alias.name  # the lambda sees it narrowed, not None
            return infer_all(lambda: module.igetattr(imported))
        assert isinstance(statement, ast.Import)
        alias = alias_binding(statement, name)
        if alias is None:
            return None
        return [manager.ast_from_module_name(alias.name if alias.asname else name)]

    def _overridden_in_subclass(self, expr: ast.expr, scope: Scope) -> bool:
        """``self.m()``: a subclass in this module may override ``m`` with a
        plain def (the syntactic answer makes the same check)."""
        assert isinstance(expr, ast.Attribute)
        found = self.classes.receiver(expr.value, scope)
        return found is not None and self.syntactic.overridden_in_subclass(found[1], expr.attr)

    def _stars_resolve(self, module: nodes.Module, depth: int = 0) -> bool:
        """Does every ``from x import *`` of ``module`` (and of the modules
        it star-imports) find its module? One that does not may bind any
        name at run time, so no name of the module is known."""

        known = self._star_checked.get(id(module))
        if known is not None:
            return known
        self._star_checked[id(module)] = True  # a cycle of star imports resolves
        result = depth <= MAX_DEPTH
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

    def _value_kind(self, value: Inferred) -> Kind:
        if type(value) in (nodes.FunctionDef, nodes.AsyncFunctionDef):
            if not self._stars_resolve(value.root()):
                return Kind.UNKNOWN
            return self.def_kind_astroid(cast(nodes.FunctionDef, value))  # exactly one of the two
        if isinstance(value, nodes.ClassDef):
            return Kind.SYNC
        return Kind.UNKNOWN  # bound methods, partials, lambdas, callable objects...

    def member_kind_astroid(self, receiver: Inferred, name: str) -> Kind:
        """What ``name`` is on an astroid ``receiver`` (a module, a class or an
        instance): the astroid twin of :meth:`.syntactic.Syntactic.member_kind`."""
        if isinstance(receiver, nodes.Module):
            values = infer_all(lambda: receiver.igetattr(name))
            return Kind.UNKNOWN if values is None else agree(self._value_kind(v) for v in values)
        if isinstance(receiver, bases.Instance) and isinstance(receiver._proxied, nodes.ClassDef):
            return self._class_member_kind(receiver._proxied, name, instance=True)
        if isinstance(receiver, nodes.ClassDef):
            return self._class_member_kind(receiver, name, instance=False)
        return Kind.UNKNOWN

    def _class_member_kind(self, cls: nodes.ClassDef, name: str, *, instance: bool) -> Kind:
        found = self.lookup_member_astroid(cls, name)
        if found is None:
            return Kind.UNKNOWN
        definitions, searched = found
        if instance and any(name in klass.instance_attrs for klass in searched):
            return Kind.UNKNOWN  # ``self.name = ...`` somewhere shadows the method
        return agree(self.def_kind_astroid(d) for d in definitions)

    def lookup_member_astroid(
        self, cls: nodes.ClassDef, name: str
    ) -> tuple[list[nodes.FunctionDef], list[nodes.ClassDef]] | None:
        """The astroid twin of :meth:`..classes.ClassFacts.lookup_member`.
        Every def of ``name`` that can be the one found on ``cls``: its own,
        else the nearest on each path through its bases (C3 puts a class
        before its bases, so a definition shadows those above it). None when
        a base cannot be inferred or ``name`` is bound some other way."""

        definitions, searched = [], []
        frontier, seen = [cls], set()
        while frontier:
            klass = frontier.pop(0)
            if klass in seen:
                continue
            seen.add(klass)
            searched.append(klass)
            if len(seen) > MAX_ANCESTORS:
                return None
            if "__getattribute__" in klass.locals and klass.qname() != "builtins.object":
                return None
            own = klass.locals.get(name)
            if own:
                if len(own) != 1 or type(own[0]) not in (nodes.FunctionDef, nodes.AsyncFunctionDef):
                    return None
                method = cast(nodes.FunctionDef, own[0])  # exactly one of the two
                if klass is cls:
                    return [method], searched
                definitions.append(method)
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

    def _base_class(self, base: Inferred) -> nodes.ClassDef | Literal[False] | None:
        """The ClassDef a base expression names; False for bases that add no
        methods; None when unknown."""

        target = base.value if isinstance(base, nodes.Subscript) else base
        if qualname(target) in api.TRANSPARENT_BASES:
            return False
        values = infer(base)
        if values is None or len({id(v) for v in values}) != 1 or not isinstance(values[0], nodes.ClassDef):
            return None
        return values[0]

    def def_kind_astroid(self, func: nodes.FunctionDef) -> Kind:
        """A def, judged by its decorators from the outermost in: the astroid
        twin of :meth:`.syntactic.Syntactic.def_kind`."""

        decorators = func.decorators.nodes if func.decorators is not None else []
        for decorator in decorators:
            effect = self._decorator_effect(decorator)
            if effect == KEEPS:
                continue
            if effect == ASYNC_WRAPPER and type(func) is nodes.AsyncFunctionDef:
                return Kind.COROUTINE_FUNCTION
            return Kind.UNKNOWN
        if type(func) is nodes.AsyncFunctionDef:
            # An async generator is not a coroutine function, and neither is
            # the stub of one (``async def items(self) -> AsyncIterator[T]: ...``).
            if func.is_generator() or _names_async_iterator(func.returns):
                return Kind.UNKNOWN
            return Kind.COROUTINE_FUNCTION
        return Kind.SYNC

    def _decorator_effect(self, decorator: nodes.NodeNG) -> str | None:
        is_call = isinstance(decorator, nodes.Call)
        # ``is_call`` narrows ``decorator`` to a Call, which mypy cannot see.
        name = qualname(decorator.func if is_call else decorator)  # type: ignore[attr-defined]
        if name is not None:
            if is_call and name == api.FUNCTOOLS_WRAPS:
                return KEEPS
            if not is_call and name in api.PRESERVING_DECORATORS:
                return KEEPS
            if name.startswith("builtins."):
                return None  # property, functools.partial-like builtins...
        if is_call:
            factories = infer(decorator.func)  # type: ignore[attr-defined]  # a Call, as above
            if factories is None:
                return None
            effects = set()
            for factory in factories:
                if isinstance(factory, bases.BoundMethod):
                    factory = factory._proxied
                plain = type(factory) is nodes.FunctionDef and factory.decorators is None
                # ``plain`` checked its exact type.
                inner = (returned_nested_def(cast(nodes.FunctionDef, factory), nodes.FunctionDef)
                         if plain else None)
                effects.add(None if inner is None else decorator_function_effect(inner))
        else:
            functions = infer(decorator)
            if functions is None:
                return None
            effects = {decorator_function_effect(f) for f in functions}
        return effects.pop() if len(effects) == 1 else None

    # ......................................................... receivers

    def _instance_of(self, expr: ast.expr, scope: Scope, classes: frozenset[str]) -> bool:
        found = None if self.model.star_imports else self._instance_classes(expr, scope)
        if found is None:
            if not self._stars_resolve(self.session.tree()):
                return False
            node = self.session.node(expr)
            if node is None:
                return False
            values = infer(node)
            if values is None:
                return False
            found = []
            for value in values:
                if is_none(value):
                    continue
                if not (isinstance(value, bases.Instance) and isinstance(value._proxied, nodes.ClassDef)):
                    return False
                found.append(value._proxied)
        if not found:
            return False
        return all(
            cls.qname() in classes or any(a.qname() in classes for a in cls.ancestors()) for cls in found
        )


def _names_async_iterator(annotation: nodes.NodeNG | None) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, nodes.Const) and isinstance(annotation.value, str):
        name = annotation.value.split("[", 1)[0].strip().rsplit(".", 1)[-1]
        return name in api.ASYNC_ITERATOR_NAMES
    target = annotation.value if isinstance(annotation, nodes.Subscript) else annotation
    name = qualname(target)
    if name is None and isinstance(target, (nodes.Name, nodes.Attribute)):
        # Not resolvable through the imports: judge by the name itself.
        last = target.name if isinstance(target, nodes.Name) else target.attrname
        return last in api.ASYNC_ITERATOR_NAMES
    return name in api.ASYNC_ITERATOR_TYPES
