"""One walk over the tree flake8 already parsed, recording what every check
needs: scopes with their bindings and reads, each node's parent, and the calls
to look at.

The walk follows Python's scoping rules closely enough to answer "which
binding does this name refer to?" (class bodies are skipped by nested
functions, comprehensions get their own scope, ``global`` and ``nonlocal``
move a binding to the scope that owns it). Anything it cannot follow
(``locals()``, ``exec``, star imports of unknown modules) is recorded so that
the checks can stay silent.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence, TypeAlias

from . import asyncio_api as api

BUILTIN_NAMES = frozenset(dir(builtins))

MODULE, FUNCTION, CLASS, LAMBDA, COMPREHENSION = (
    "module", "function", "class", "lambda", "comprehension",
)

# Binding kinds.
DEF, ASYNC_DEF, CLASS_DEF, IMPORT, ASSIGN, PARAM, WITH, OTHER = (
    "def", "async def", "class", "import", "assign", "param", "with", "other",
)

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_Comprehension: TypeAlias = "ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp"
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)

# One step of the walk (see ``_walk_body``): ``(node, parent, scope)`` to
# visit or ``(None, action, args)`` to run; Any, as the walk's loop unpacks
# both shapes into the same three names.
Step: TypeAlias = "tuple[Any, Any, Any]"
# What a walk handler returns: the steps that follow it (see ``_walk_body``),
# ``_CHILDREN`` to walk the node's children, or None for a leaf.
Steps: TypeAlias = "list[Step] | object | None"


@dataclass(eq=False)
class Binding:
    """One place where a name is bound.

    ``node`` is the defining statement for defs, classes, imports and
    assignments, the ``ast.arg`` for parameters and the binding ``ast.Name``
    otherwise. ``value`` is the assigned expression for simple assignments,
    the context expression for ``with ... as name`` and the annotation for
    parameters.
    """

    name: str
    kind: str
    node: ast.AST
    value: ast.expr | None = None
    qualname: str | None = None  # for imports

    @property
    def position(self) -> tuple[int, int]:
        # A statement, an ``ast.arg`` or a Name: each has a position.
        return (self.node.lineno, self.node.col_offset)  # type: ignore[attr-defined]


@dataclass(eq=False)
class Scope:
    node: ast.AST
    kind: str
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    loads: dict[str, list[ast.Name]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    # locals(), vars(), eval() or exec() is called here: names may be read
    # in ways the walk cannot see.
    dynamic: bool = False
    # For async defs: a yield makes it an async generator, not a coroutine
    # function.
    is_generator: bool = False
    children: list[Scope] = field(default_factory=list)

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef)

    def bind(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)

    def descendants(self, reverse: bool = False) -> Iterator[Scope]:
        """Every scope nested in this one, parents before their children,
        in source order (or with children in reverse order), without
        recursion: lambdas can nest a thousand deep."""
        stack = list(self.children if reverse else reversed(self.children))
        while stack:
            scope = stack.pop()
            yield scope
            stack.extend(scope.children if reverse else reversed(scope.children))


def dotted_parts(expr: ast.expr) -> tuple[str, list[str]] | None:
    """``a.b.c`` as its head name and its attributes in source order
    (``("a", ["b", "c"])``); None for anything but a dotted name."""
    attrs: list[str] = []
    while isinstance(expr, ast.Attribute):
        attrs.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    return expr.id, attrs[::-1]


class ModuleModel:
    """Scopes, bindings, parents and calls of one module, from one walk."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.parent: dict[ast.AST, ast.AST] = {}
        self.scope_of: dict[ast.AST, Scope] = {}  # calls, awaits, defs -> scope
        self.calls: list[ast.Call] = []
        self.function_scopes: dict[ast.AST, Scope] = {}  # def/class node -> own scope
        self.classes: list[ast.ClassDef] = []
        # Attribute names assigned anywhere (``x.attr = ...``), with how many
        # times: an instance attribute can shadow a method of the same name.
        self.attribute_stores: dict[str, int] = {}
        # Does the module import asyncio (or from it) anywhere?
        self.imports_asyncio = False
        # Every annotated assignment (``self._ev: AbstractEventLoop``), for
        # the readers of annotations.
        self.annotations: list[tuple[ast.AnnAssign, Scope]] = []
        # Every with statement, for the checks' policy on blocks expected to raise.
        self.withs: list[tuple[ast.With | ast.AsyncWith, Scope]] = []
        self.star_imports: list[str] = []
        # Star imports of modules other than asyncio: they may rebind any
        # module-level name, with names this file cannot see.
        self._foreign_stars: list[ast.ImportFrom] = []
        self.module = Scope(tree, MODULE, None)
        self._walk_body(tree.body, tree, self.module)
        self._resolve_nonlocals(self.module)

    # ------------------------------------------------------------------ walk
    #
    # The walk is iterative: a file nested past Python's recursion limit
    # (``x = a.b().b()...`` a thousand times) is modelled like any other, and
    # costs at most the findings inside that expression, never the file's.
    #
    # Every handler returns the steps that follow it, in order: a step is
    # either ``(node, parent, scope)``, to visit, or ``(None, action, args)``,
    # an action that runs once the steps before it are done (binding a def's
    # name after its decorators and defaults, opening its scope after that).
    # The steps go on a stack, so a node's subtree is finished before its
    # next sibling starts: bindings, reads, calls and child scopes are
    # recorded in exactly the order of a recursive pre-order walk, which is
    # source order (flow analysis compares the positions of reads).

    def _walk_body(self, nodes: Sequence[ast.AST], parent: ast.AST, scope: Scope) -> None:
        stack: list[Step] = [(node, parent, scope) for node in reversed(nodes)]
        push = stack.append
        pop = stack.pop
        parents = self.parent
        walk = _WALK
        AST, Name, Load = ast.AST, ast.Name, ast.Load
        while stack:
            node, parent, scope = pop()
            if node is None:
                steps = parent(*scope)  # an action and its arguments
                if steps:
                    stack.extend(reversed(steps))
                continue
            parents[node] = parent
            kind = type(node)
            if kind is Name and type(node.ctx) is Load:
                # The most common node, read inline.
                loads = scope.loads
                if node.id in loads:
                    loads[node.id].append(node)
                else:
                    loads[node.id] = [node]
                continue
            fields = walk.get(kind)
            if fields is None:
                fields = walk[kind] = _child_fields(kind)
            elif type(fields) is not tuple:
                steps = fields(self, node, scope)
                if steps is not _CHILDREN:
                    if steps:
                        stack.extend(reversed(steps))
                    continue
                fields = _CHILD_FIELDS.get(kind) or _child_fields(kind)
            # The node's children, last field first so that the first is
            # visited first.
            for name in fields:
                value = getattr(node, name, None)
                if type(value) is list:
                    for item in reversed(value):
                        if isinstance(item, AST):
                            push((item, node, scope))
                elif isinstance(value, AST):
                    push((value, node, scope))

    @staticmethod
    def _all(nodes: Iterable[ast.AST | None], parent: ast.AST, scope: Scope) -> list[Step]:
        return [(item, parent, scope) for item in nodes if item is not None]

    def _new_scope(self, node: ast.AST, kind: str, parent: Scope) -> Scope:
        scope = Scope(node, kind, parent)
        parent.children.append(scope)
        self.function_scopes[node] = scope
        return scope

    def _target_scope(self, scope: Scope, name: str) -> Scope:
        if name in scope.globals:
            return self.module
        return scope

    def _bind(self, scope: Scope, binding: Binding) -> None:
        self._target_scope(scope, binding.name).bind(binding)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> list[Step]:
        self.scope_of[node] = scope
        steps = self._all(node.decorator_list, node, scope)
        steps += self._arguments(node.args, node, scope)
        if node.returns is not None:
            steps.append((node.returns, node, scope))
        steps.append((None, self._function_body, (node, scope)))
        return steps

    def _function_body(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> list[Step]:
        kind = ASYNC_DEF if isinstance(node, ast.AsyncFunctionDef) else DEF
        self._bind(scope, Binding(node.name, kind, node))
        inner = self._new_scope(node, FUNCTION, scope)
        steps = self._all(getattr(node, "type_params", ()), node, inner)
        steps.append((None, self._bind_parameters, (node.args, inner)))
        steps += self._all(node.body, node, inner)
        return steps

    def _arguments(self, args: ast.arguments, owner: ast.AST, scope: Scope) -> list[Step]:
        """Defaults and annotations belong to the enclosing scope."""
        self.parent[args] = owner
        steps = self._all(args.defaults, args, scope)
        steps += self._all(args.kw_defaults, args, scope)
        for arg in _all_args(args):
            self.parent[arg] = args
            if arg.annotation is not None:
                steps.append((arg.annotation, arg, scope))
        return steps

    def _bind_parameters(self, args: ast.arguments, scope: Scope) -> None:
        for arg in _all_args(args):
            scope.bind(Binding(arg.arg, PARAM, arg, value=arg.annotation))

    def _lambda(self, node: ast.Lambda, scope: Scope) -> list[Step]:
        steps = self._arguments(node.args, node, scope)
        steps.append((None, self._lambda_body, (node, scope)))
        return steps

    def _lambda_body(self, node: ast.Lambda, scope: Scope) -> list[Step]:
        inner = self._new_scope(node, LAMBDA, scope)
        self._bind_parameters(node.args, inner)
        return [(node.body, node, inner)]

    def _class(self, node: ast.ClassDef, scope: Scope) -> list[Step]:
        self.scope_of[node] = scope
        self.classes.append(node)
        steps = self._all(node.decorator_list, node, scope)
        steps += self._all(node.bases, node, scope)
        steps += self._all(node.keywords, node, scope)
        steps.append((None, self._class_body, (node, scope)))
        return steps

    def _class_body(self, node: ast.ClassDef, scope: Scope) -> list[Step]:
        self._bind(scope, Binding(node.name, CLASS_DEF, node))
        inner = self._new_scope(node, CLASS, scope)
        return self._all(getattr(node, "type_params", ()), node, inner) + self._all(node.body, node, inner)

    def _comprehension(self, node: _Comprehension, scope: Scope) -> list[Step]:
        # The first iterable is evaluated in the enclosing scope.
        first = node.generators[0]
        self.parent[first] = node
        return [(first.iter, first, scope), (None, self._comprehension_body, (node, scope))]

    def _comprehension_body(self, node: _Comprehension, scope: Scope) -> list[Step]:
        inner = self._new_scope(node, COMPREHENSION, scope)
        steps: list[Step] = []
        for index, gen in enumerate(node.generators):
            self.parent[gen] = node
            steps.append((gen.target, gen, inner))
            if index:
                steps.append((gen.iter, gen, inner))
            steps += self._all(gen.ifs, gen, inner)
        for name in ("elt", "key", "value"):
            value = getattr(node, name, None)
            if value is not None:
                steps.append((value, node, inner))
        return steps

    def _name(self, node: ast.Name, scope: Scope) -> None:
        if isinstance(node.ctx, ast.Load):
            scope.loads.setdefault(node.id, []).append(node)
            return
        parent = self.parent[node]
        if (isinstance(parent, ast.Assign) and any(t is node for t in parent.targets)) or (
            isinstance(parent, ast.AnnAssign) and parent.value is not None
        ):
            binding = Binding(node.id, ASSIGN, parent, value=parent.value)
        elif isinstance(parent, ast.withitem):
            binding = Binding(node.id, WITH, node, value=parent.context_expr)
        else:
            binding = Binding(node.id, OTHER, node)
        self._bind(scope, binding)

    def _named_expr(self, node: ast.NamedExpr, scope: Scope) -> list[Step]:
        return [(node.value, node, scope), (None, self._named_target, (node, scope))]

    def _named_target(self, node: ast.NamedExpr, scope: Scope) -> None:
        target_scope = scope
        while target_scope.kind == COMPREHENSION and target_scope.parent is not None:
            target_scope = target_scope.parent
        self.parent[node.target] = node
        self._bind(target_scope, Binding(node.target.id, OTHER, node.target))

    def _import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            name = bound_name(node, alias)
            qualname = alias.name if alias.asname else name
            self.imports_asyncio |= alias.name.split(".", 1)[0] == "asyncio"
            self._bind(scope, Binding(name, IMPORT, node, qualname=qualname))

    def _import_from(self, node: ast.ImportFrom, scope: Scope) -> None:
        module = "." * (node.level or 0) + (node.module or "")
        self.imports_asyncio |= module.split(".", 1)[0] == "asyncio"
        for alias in node.names:
            if alias.name == "*":
                self.star_imports.append(module)
                if module != "asyncio":
                    self._foreign_stars.append(node)
                continue
            name = bound_name(node, alias)
            qualname = api.normalise(f"{module}.{alias.name}") if not node.level else None
            self._bind(scope, Binding(name, IMPORT, node, qualname=qualname))

    def _global(self, node: ast.Global, scope: Scope) -> None:
        scope.globals.update(node.names)

    def _nonlocal(self, node: ast.Nonlocal, scope: Scope) -> None:
        scope.nonlocals.update(node.names)

    def _except_handler(self, node: ast.ExceptHandler, scope: Scope) -> Steps:
        if node.name:
            self._bind(scope, Binding(node.name, OTHER, node))
        return _CHILDREN

    def _match_capture(self, node: ast.AST, scope: Scope) -> Steps:
        name = getattr(node, "name", None) or getattr(node, "rest", None)
        if name:
            self._bind(scope, Binding(name, OTHER, node))
        return _CHILDREN

    def _call(self, node: ast.Call, scope: Scope) -> Steps:
        func = node.func
        if isinstance(func, ast.Name) and func.id in api.DYNAMIC_SCOPE_CALLS:
            scope.dynamic = True
        self.calls.append(node)
        self.scope_of[node] = scope
        return _CHILDREN

    def _yield(self, node: ast.AST, scope: Scope) -> Steps:
        scope.is_generator = True
        return _CHILDREN

    def _attribute(self, node: ast.Attribute, scope: Scope) -> list[Step]:
        if isinstance(node.ctx, ast.Store):
            self.attribute_stores[node.attr] = self.attribute_stores.get(node.attr, 0) + 1
        return [(node.value, node, scope)]

    def _ann_assign(self, node: ast.AnnAssign, scope: Scope) -> Steps:
        self.annotations.append((node, scope))
        target = node.target
        if node.value is None and isinstance(target, ast.Name):
            # ``x: int`` binds nothing; only the annotation is read.
            self.parent[target] = node
            return [(node.annotation, node, scope)]
        return _CHILDREN

    def _with(self, node: ast.With | ast.AsyncWith, scope: Scope) -> Steps:
        self.withs.append((node, scope))
        return _CHILDREN

    def _resolve_nonlocals(self, root: Scope) -> None:
        """Move bindings of ``nonlocal`` names to the scope that owns them:
        inner scopes first, so that a name passed up twice arrives."""
        for scope in reversed([root, *root.descendants(reverse=True)]):
            for name in scope.nonlocals:
                bindings = scope.bindings.pop(name, [])
                owner = scope.parent
                while owner is not None and (owner.kind == CLASS or name not in owner.bindings):
                    owner = owner.parent
                if owner is not None and owner.kind != MODULE:
                    owner.bindings[name].extend(bindings)

    # ------------------------------------------------------------- queries

    @property
    def stored_attributes(self) -> dict[str, int]:
        """The attribute names stored anywhere (``name in`` tests membership)."""
        return self.attribute_stores

    def lookup(self, name: str, scope: Scope) -> Scope | None:
        """The scope whose binding ``name`` refers to from ``scope``; None
        for builtins and names that no visible statement binds."""
        if name in scope.globals:
            return self.module if name in self.module.bindings else None
        current: Scope | None = scope
        first = True
        while current is not None:
            if (first or current.kind != CLASS) and name in current.bindings:
                if name not in current.nonlocals:
                    return current
            first = False
            current = current.parent
        return None

    def bindings_of(self, name: str, scope: Scope) -> list[Binding] | None:
        owner = self.lookup(name, scope)
        if owner is None:
            return None
        bindings = owner.bindings[name]
        if owner is self.module and self._foreign_stars and not all(
            isinstance(b.node, ast.Import) for b in bindings
        ):
            # ``from asyncio import sleep`` then ``from helpers import *``:
            # helpers may define its own ``sleep``, which then wins. A star
            # import after a binding adds a binding of unknown kind. (A module
            # bound by ``import asyncio`` is left alone: a star import that
            # exports the name ``asyncio`` exports that same module.)
            first = min(b.position for b in bindings)
            later = [star for star in self._foreign_stars if (star.lineno, star.col_offset) > first]
            if later:
                return [*bindings, Binding(name, OTHER, later[0])]
        return bindings

    def sole_binding(self, name: ast.expr | str, scope: Scope, *kinds: str) -> Binding | None:
        """The one binding that the name ``name`` (a string or an
        ``ast.Name``) has where ``scope`` reads it, when it has exactly one,
        of one of ``kinds`` if any are given; None otherwise."""
        if isinstance(name, ast.Name):
            name = name.id
        elif not isinstance(name, str):
            return None
        bindings = self.bindings_of(name, scope)
        if not bindings or len(bindings) != 1 or (kinds and bindings[0].kind not in kinds):
            return None
        return bindings[0]

    def sole_import(self, name: ast.expr, scope: Scope) -> ast.AST | None:
        """The import statement that alone binds the name ``name``; None when
        ``name`` is not a name or is bound some other way or more than once."""
        binding = self.sole_binding(name, scope, IMPORT)
        return None if binding is None else binding.node

    def qualname(self, expr: ast.expr, scope: Scope) -> str | None:
        """The import-rooted dotted name of ``expr`` (``aio.tasks.create_task``
        -> ``asyncio.create_task``), ``builtins.X`` for an unshadowed
        builtin, or None."""
        dotted = dotted_parts(expr)
        if dotted is None:
            return None
        root = self._name_qualname(dotted[0], scope)
        if root is None:
            return None
        return api.normalise(".".join([root, *dotted[1]]))

    def _name_qualname(self, name: str, scope: Scope) -> str | None:
        bindings = self.bindings_of(name, scope)
        if bindings is None:
            if self.star_imports:
                if self.star_imports == ["asyncio"] and name in api.star_exports():
                    return f"asyncio.{name}"
                return None
            return f"builtins.{name}" if name in BUILTIN_NAMES else None
        qualnames = {b.qualname if b.kind == IMPORT else None for b in bindings}
        if len(qualnames) == 1:
            return qualnames.pop()
        return None

    def enclosing_loop(self, node: ast.AST, stop: ast.AST) -> ast.AST | None:
        """The outermost loop around ``node`` below ``stop``, if any."""
        outermost = None
        current = self.parent.get(node)
        while current is not None and current is not stop:
            if isinstance(current, _LOOPS):
                outermost = current
            current = self.parent.get(current)
        return outermost

    def block_of(self, stmt: ast.AST) -> list[ast.stmt] | None:
        """The statement list that holds ``stmt`` (None for a node that is not a statement)."""
        parent = self.parent.get(stmt)
        if parent is None:
            return None
        for name in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(parent, name, None)
            if isinstance(block, list) and any(item is stmt for item in block):
                return block
        if isinstance(parent, ast.match_case):
            return parent.body
        return None

    def scope_around(self, node: ast.AST) -> Scope:
        """The scope that ``node`` (any expression) is evaluated in."""
        current = self.parent.get(node)
        while current is not None:
            scope = self.function_scopes.get(current)
            if scope is not None:
                return scope
            current = self.parent.get(current)
        return self.module

    def function_scope(self, scope: Scope) -> Scope:
        """The nearest function, lambda, class or module scope: the code
        object a statement runs in."""
        while scope.kind == COMPREHENSION and scope.parent is not None:
            scope = scope.parent
        return scope


def bound_name(statement: ast.Import | ast.ImportFrom, alias: ast.alias) -> str:
    """The name an import binds for ``alias``: ``api`` for ``import app.api
    as api``, ``app`` for ``import app.api``, ``get`` for ``from .client
    import fetch as get``."""
    if alias.asname:
        return alias.asname
    return alias.name.split(".", 1)[0] if isinstance(statement, ast.Import) else alias.name


def alias_binding(statement: ast.AST, name: str) -> ast.alias | None:
    """The alias of the import ``statement`` that binds ``name``, if any."""
    if not isinstance(statement, (ast.Import, ast.ImportFrom)):
        return None
    return next((a for a in statement.names if bound_name(statement, a) == name), None)


def is_class_name(name: str) -> bool:
    """By convention a CapWords name is a class: ``Client``, ``HTTPServer``,
    and an acronym such as ``URL`` or ``HTTP`` (yarl's ``URL``); an
    upper-case name with an underscore is a constant (``MAX_SIZE``). The last
    part of a dotted name decides."""
    last = name.rsplit(".", 1)[-1]
    return last[:1].isupper() and not (last.isupper() and "_" in last)


def instantiates(expr: ast.AST | None) -> bool:
    """``Client()``, ``asyncio.Queue()``: a call of a CapWords name, which
    by convention makes an instance of a class."""
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return is_class_name(name)


def _all_args(args: ast.arguments) -> list[ast.arg]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if args.vararg:
        every.append(args.vararg)
    if args.kwarg:
        every.append(args.kwarg)
    return every


# A handler's answer that means "now walk all of my children".
_CHILDREN = object()

# Per node type, the fields that may hold nodes to walk, last first. Fields
# that hold identifiers or numbers are left out, and so are the ``ctx`` of a
# name and the operators: they are shared singletons in parsed trees, and
# nothing asks for their parent.
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_NOT_WALKED = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "name", "kind", "conversion", "is_async",
    "level", "module", "type_comment", "simple", "tag",
})


def _child_fields(cls: type[ast.AST]) -> tuple[str, ...]:
    if cls is ast.Constant:
        return ()
    fields = _CHILD_FIELDS[cls] = tuple(
        name for name in reversed(cls._fields) if name not in _NOT_WALKED
    )
    return fields


_HANDLERS = {
    ast.FunctionDef: ModuleModel._function,
    ast.AsyncFunctionDef: ModuleModel._function,
    ast.Lambda: ModuleModel._lambda,
    ast.ClassDef: ModuleModel._class,
    ast.ListComp: ModuleModel._comprehension,
    ast.SetComp: ModuleModel._comprehension,
    ast.DictComp: ModuleModel._comprehension,
    ast.GeneratorExp: ModuleModel._comprehension,
    ast.Name: ModuleModel._name,
    ast.NamedExpr: ModuleModel._named_expr,
    ast.Import: ModuleModel._import,
    ast.ImportFrom: ModuleModel._import_from,
    ast.Global: ModuleModel._global,
    ast.Nonlocal: ModuleModel._nonlocal,
    ast.ExceptHandler: ModuleModel._except_handler,
    ast.Call: ModuleModel._call,
    ast.Yield: ModuleModel._yield,
    ast.YieldFrom: ModuleModel._yield,
    ast.Attribute: ModuleModel._attribute,
    ast.AnnAssign: ModuleModel._ann_assign,
    ast.With: ModuleModel._with,
    ast.AsyncWith: ModuleModel._with,
    ast.MatchAs: ModuleModel._match_capture,
    ast.MatchStar: ModuleModel._match_capture,
    ast.MatchMapping: ModuleModel._match_capture,
}

# Per node type, how the walk treats it: its handler, or the fields to walk.
# Any: the walk's loop tells a handler from a tuple of fields by ``type()``.
_WALK: dict[type, Any] = dict(_HANDLERS)
