"""What a module offers its importers, summarised once per module text.

A summary is plain data (JSON: dicts, lists, strings, booleans, None), made
by the plugin's own syntactic analysis from one parse of the module's text,
and nothing else: not its path, not the machine. So it is kept by the
digest of the text (:func:`digest`) in memory for the process and on disk
across processes and runs (:mod:`.cache`), and a module is parsed once per
text whatever number of files, workers and runs import it.

What it says (``SCHEMA`` names the shape; see :func:`summarise`):

- ``async_names``: every ``async def`` name in the module, at any depth
  (the project's name index, :mod:`.policy`, is their union);
- ``functions``: each module-level def bound once, with its kind
  (``coroutine`` for an ``async def``, ``returns_coroutine`` for a plain def
  whose every return hands back a coroutine, ``plain``, or ``unknown`` when
  a decorator may change it), its return annotation as a qualified name,
  and whether it returns the new task of ``asyncio.create_task`` it does
  not keep;
- ``classes``: each module-level class bound once: its bases, each method's
  kind, its properties with their return annotations, the return
  annotations of ``__aenter__`` and ``__await__``, its class-level and
  ``self.attr`` annotations or constructors, and whether it has a
  ``__getattr__``;
- ``globals``: module-level names annotated or assigned a constructor call;
- ``imports``, ``all``, ``stars``: what its imports bind, its ``__all__``
  when it is a literal, and the modules it star-imports;
- ``unknown``: the module-level names whose binding the syntax cannot tell
  (bound twice, in a loop or a ``try``, by ``globals()``...).

Qualified names are written so that they do not depend on where the module
is: ``pkg.mod.Name`` for an absolute import, ``..mod.Name`` for a relative
one (the dots are the import's level), ``@Name`` for a name of the module
itself; an expression the syntax cannot name is None.

No code is imported or run; the text of another module is read as every
project file is (:func:`.policy.read_regular`). A module whose summary
fails (it does not parse, recursion runs out) has none: unknown stays
silent.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import sys
import time
from typing import Any, Iterator

from .. import asyncio_api as api
from ..scopes import dotted_parts
from . import cache

SCHEMA = 1
Summary = dict[str, Any]

# Summaries kept per process by the digest of the module's text, most
# recently used last; bounded, cheap to make again or to read from disk.
_MEMORY: dict[bytes, Summary | None] = {}
_MAX_MEMORY = 4000

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def of_bytes(data: bytes, key: bytes | None = None) -> Summary | None:
    """The summary of a module's text: from memory, the disk cache, or one
    parse. None when the text does not parse."""
    key = digest(data) if key is None else key
    if key in _MEMORY:
        _MEMORY[key] = found = _MEMORY.pop(key)
        return found
    store = cache.store()
    found = store.get(key)
    if found is None:
        found = _parse_and_summarise(data)
        if found is not None:
            store.put(key, found)
    if len(_MEMORY) >= _MAX_MEMORY:
        for old in list(_MEMORY)[: _MAX_MEMORY // 4]:
            del _MEMORY[old]
    _MEMORY[key] = found
    return found


def _parse_and_summarise(data: bytes) -> Summary | None:
    try:
        return summarise(ast.parse(data), may_yield=b"yield" in data)
    except (Exception, MemoryError):  # RecursionError, a bad encoding, null bytes: no summary
        return None


class Budget:
    """What one linted file may spend on the summaries of the modules it
    imports: at most ``MAX_MODULES`` modules and ``MAX_BYTES`` bytes of their
    text, counted whether or not the summary was already made (so that a
    file's answers never depend on what the process or the disk cache held),
    and ``HANG_GUARD`` CPU seconds, the last resort of :mod:`.session` too."""

    MAX_MODULES = 64
    MAX_BYTES = 16 * 1024 * 1024
    HANG_GUARD = 30.0

    def __init__(self, filename: str = "") -> None:
        self.filename = filename
        self.modules: dict[str, Summary | None] = {}
        self.bytes = 0
        self.spent = 0.0
        self.stopped = False

    def summary(self, path: str, limit: int) -> Summary | None:
        """The summary of the module file at ``path`` (at most ``limit``
        bytes), charged to this file; None when unknown or over budget."""
        if path in self.modules:
            return self.modules[path]
        if self.stopped or len(self.modules) >= self.MAX_MODULES:
            return None
        from . import policy

        data = policy.read_regular(path, limit)
        if data is None or self.bytes + len(data) > self.MAX_BYTES:
            self.modules[path] = None
            return None
        self.bytes += len(data)
        started = time.process_time()
        try:
            found = self.modules[path] = of_bytes(data)
        finally:
            self.spent += time.process_time() - started
        if self.spent >= self.HANG_GUARD and not self.stopped:
            self.stopped = True
            print(
                f"flake8-async-tasks: summaries for {self.filename or 'stdin'} stopped after "
                f"{self.spent:.0f} s; findings may be incomplete",
                file=sys.stderr,
            )
        return found


def coroutine_functions(summary: Summary | None) -> frozenset[str]:
    """The module-level plain defs that the syntax knows return a coroutine
    (``async def``s are left to astroid, which also reads decorators)."""
    if not summary:
        return frozenset()
    unknown = set(summary["unknown"])
    return frozenset(
        name for name, facts in summary["functions"].items()
        if facts["kind"] == "returns_coroutine" and name not in unknown
    )


# ------------------------------------------------------------- the summary


def summarise(tree: ast.Module, may_yield: bool = True) -> Summary:
    """The summary of a parsed module: one pass over its statements (and
    over the expressions of the defs whose kind needs them), no scope model,
    so that a summary costs little more than the parse. ``may_yield`` False
    says the text never spells ``yield``, so no def is a generator."""
    return _Summariser(tree, may_yield).run()


class _Summariser:
    def __init__(self, tree: ast.Module, may_yield: bool = True) -> None:
        self.tree = tree
        self.may_yield = may_yield
        self.imports: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.unknown: set[str] = set()
        self.stars = False
        self.defs: dict[str, ast.AST] = {}  # module-level defs bound once
        self._bound: set[str] = set()  # module-level names bound so far, not by ``import m``
        self._returns: dict[ast.AST, bool] = {}

    # The same judgement as :meth:`.syntactic.Syntactic.def_kind`, read from
    # the module's own statements: a decorator must be one known to keep the
    # function, an ``async def`` must not be a generator (nor annotated as
    # one), and a plain def returns a coroutine when every ``return`` hands
    # back the call of a coroutine function it can name.
    def kind(self, node: ast.AST) -> str:
        try:
            return self._kind(node)
        except RecursionError:  # a chain of thousands of helpers: unknown
            return "unknown"

    def _kind(self, node: ast.AST) -> str:
        for decorator in node.decorator_list:  # type: ignore[attr-defined]
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = self.resolved(target)
            if isinstance(decorator, ast.Call) and name != api.FUNCTOOLS_WRAPS:
                return "unknown"
            if name not in api.PRESERVING_DECORATORS:
                return "unknown"
        if isinstance(node, ast.AsyncFunctionDef):
            return "unknown" if self._generator(node) or self._async_iterator(node.returns) else "coroutine"
        if self._returns_coroutine(node):
            return "returns_coroutine"
        if _ends_in_returned_call(node):
            # ``return helper()``: plain only if asyncio's tables say the callee is
            # (``asyncio.create_task``); another callee may build a coroutine.
            callee = self.resolved(node.body[-1].value.func)  # type: ignore[attr-defined]
            return "plain" if callee is not None and callee.startswith("asyncio.") else "unknown"
        return "plain"

    def _returns_new_task(self, node: ast.AST) -> bool:
        """``def spawn(coro): return asyncio.create_task(coro)``: a plain def
        that ends in a return and whose every ``return`` hands back the task
        ``asyncio.create_task`` just made, kept nowhere else (a TaskGroup's or
        a loop's ``create_task``, and ``ensure_future``, which may return the
        future it is given, do not count)."""
        if (
            isinstance(node, ast.AsyncFunctionDef)
            or not _ends_in_returned_call(node)
            or self._generator(node)
        ):
            return False
        return all(
            isinstance(statement.value, ast.Call) and self.resolved(statement.value.func) == api.CREATE_TASK
            for statement in _statements(node.body)  # type: ignore[attr-defined]
            if isinstance(statement, ast.Return)
        )

    def _generator(self, node: ast.AST) -> bool:
        return self.may_yield and _is_generator(node)

    def resolved(self, expr: ast.expr) -> str | None:
        """The qualified name the API tables use (``builtins.staticmethod``,
        ``asyncio.sleep``), or None for a name of this module or unknown."""
        name = self.qualname(expr)
        if name is None or name[0] in "@.":
            return None
        head = name.split(".", 1)[0]
        root = expr
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id not in self.imports:
            if self.stars or head not in _BUILTINS:
                return None
            return "builtins." + name
        return api.normalise(name)

    def _returns_coroutine(self, node: ast.AST) -> bool:
        known = self._returns.get(node)
        if known is None:
            self._returns[node] = False  # recursion is not a coroutine
            known = _ends_in_returned_call(node) and not self._generator(node)
            if known:
                local = _local_names(node)
                for statement in _statements(node.body):  # type: ignore[attr-defined]
                    if isinstance(statement, ast.Return):
                        value = statement.value
                        if not isinstance(value, ast.Call) or not self._coroutine_callee(
                            value.func, node, local
                        ):
                            known = False
                            break
            self._returns[node] = known
        return known

    def _coroutine_callee(self, func: ast.expr, owner: ast.AST, local: dict[str, list[ast.AST]]) -> bool:
        if isinstance(func, ast.Name) and func.id in local:
            bound = local[func.id]
            return (
                len(bound) == 1 and isinstance(bound[0], ast.AsyncFunctionDef)
                and self.kind(bound[0]) == "coroutine"
            )
        if self.resolved(func) in api.COROUTINE_FUNCTIONS:
            return True
        if isinstance(func, ast.Name) and func.id not in self.unknown:
            target = self.defs.get(func.id) if self.counts.get(func.id) == 1 else None
            if target is not None:
                return self.kind(target) in ("coroutine", "returns_coroutine")
        return False

    def _async_iterator(self, annotation: ast.expr | None) -> bool:
        if annotation is None:
            return False
        if isinstance(annotation, ast.Subscript):
            annotation = annotation.value
        text = annotation.value if isinstance(annotation, ast.Constant) else None
        if isinstance(text, str):
            return text.split("[", 1)[0].strip().rsplit(".", 1)[-1] in api.ASYNC_ITERATOR_NAMES
        name = self.qualname(annotation)
        return name is not None and name.rsplit(".", 1)[-1] in api.ASYNC_ITERATOR_NAMES

    def qualname(self, expr: ast.expr | None) -> str | None:
        """``Client``, ``models.Client``, ``"Client"``: the qualified name an
        annotation or a callee names, as the module's imports spell it."""
        if expr is None:
            return None
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            try:
                expr = ast.parse(expr.value.strip(), mode="eval").body
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return None
        dotted = dotted_parts(expr)
        if dotted is None:
            return None
        head, attrs = dotted
        if head in self.unknown:
            return None
        if head in self.imports:
            base = self.imports[head]
        elif self.counts.get(head):
            base = "@" + head
        else:
            base = head  # a builtin, or a name a star import brings
        return ".".join([base, *attrs])

    def run(self) -> Summary:
        tree = self.tree
        body = tree.body
        stars: list[str] = []
        all_names: list[str] | None = None
        self._bind_all(body, stars)
        async_names = set()
        for node in _statements(body, into_defs=True):  # every statement, no expression
            if isinstance(node, ast.AsyncFunctionDef):
                async_names.add(node.name)
            elif isinstance(node, ast.Global):
                self.unknown.update(node.names)  # set from inside a function
        # Names bound once by a simple statement at the top level only.
        functions: dict[str, Any] = {}
        classes: dict[str, Any] = {}
        globals_: dict[str, Any] = {}
        for statement in body:
            if isinstance(statement, _FUNCTIONS) and self.counts.get(statement.name) == 1:
                functions[statement.name] = {
                    "kind": self.kind(statement),
                    "returns": self.qualname(statement.returns),
                    "new_task": self._returns_new_task(statement),
                }
            elif isinstance(statement, ast.ClassDef) and self.counts.get(statement.name) == 1:
                classes[statement.name] = self._class(statement)
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                name = statement.target.id
                if self.counts.get(name) == 1:
                    globals_[name] = {"annotation": self.qualname(statement.annotation),
                                      "constructor": _constructor(self, statement.value)}
            elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name):
                    if target.id == "__all__":
                        all_names = _literal_names(statement.value)
                    elif self.counts.get(target.id) == 1 and isinstance(statement.value, ast.Call):
                        globals_[target.id] = {"annotation": None,
                                               "constructor": _constructor(self, statement.value)}
        return {
            "schema": SCHEMA,
            "async_names": sorted(async_names),
            "functions": functions,
            "classes": classes,
            "globals": globals_,
            "imports": dict(sorted(self.imports.items())),
            "all": all_names,
            "stars": stars,
            "unknown": sorted(self.unknown),
        }

    def _bind_all(self, body: list[ast.stmt], stars: list[str]) -> None:
        """Count the module-level bindings, in source order; a binding under a
        statement with a body (``if``, ``try``, ``for``, ``with``) makes the
        name unknown. No recursion: a chain of 1,000 ``elif``s is a loop."""
        stack: list[tuple[ast.stmt, bool]] = [(statement, False) for statement in reversed(body)]
        while stack:
            statement, nested = stack.pop()
            names: list[str] = []
            if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
                names.append(statement.name)
                if isinstance(statement, _FUNCTIONS) and not nested:
                    self.defs.setdefault(statement.name, statement)
            elif isinstance(statement, (ast.Import, ast.ImportFrom)):
                for alias in statement.names:
                    if alias.name == "*":
                        self.stars = True
                        module = (statement.module or "") if isinstance(statement, ast.ImportFrom) else ""
                        level = getattr(statement, "level", 0) or 0
                        stars.append("." * level + module)
                        if "." * level + module != "asyncio":
                            # It may rebind any name bound before it (but a
                            # module bound by ``import m`` stays that module),
                            # as :meth:`.scopes.ModuleModel.bindings_of` says.
                            self.unknown.update(self._bound)
                        continue
                    if isinstance(statement, ast.Import):
                        bound = alias.asname or alias.name.split(".")[0]
                        target = alias.name if alias.asname else alias.name.split(".")[0]
                    else:
                        bound = alias.asname or alias.name
                        prefix = "." * (statement.level or 0) + (statement.module or "")
                        joiner = "" if prefix.endswith(".") or not prefix else "."
                        target = f"{prefix}{joiner}{alias.name}"
                    names.append(bound)
                    if not nested:
                        self.imports.setdefault(bound, target)
            elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    for node in ast.walk(target):
                        if isinstance(node, ast.Name):
                            names.append(node.id)
                if isinstance(statement, ast.AugAssign):
                    self.unknown.update(names)
                if isinstance(statement, ast.AnnAssign) and statement.value is None:
                    names = []  # ``x: int`` alone binds nothing
            elif isinstance(statement, (ast.Global, ast.Nonlocal)):
                self.unknown.update(statement.names)
            else:
                inner = [item for block in _blocks(statement) for item in block]
                stack.extend((item, True) for item in reversed(inner))
                for target in _block_targets(statement):
                    for node in ast.walk(target):
                        if isinstance(node, ast.Name):
                            self.unknown.add(node.id)  # a loop target, ``with ... as``
                continue
            if not isinstance(statement, ast.Import):
                self._bound.update(names)
            for name in names:
                self.counts[name] = self.counts.get(name, 0) + 1
                if nested:
                    self.unknown.add(name)
        self.unknown.update(name for name, count in self.counts.items() if count > 1)

    def _class(self, node: ast.ClassDef) -> dict[str, Any]:
        methods: dict[str, str] = {}
        properties: dict[str, str | None] = {}
        attributes: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for statement in node.body:
            if isinstance(statement, _FUNCTIONS):
                seen[statement.name] = seen.get(statement.name, 0) + 1
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                attributes[statement.target.id] = {"annotation": self.qualname(statement.annotation),
                                                   "constructor": _constructor(self, statement.value)}
            elif isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        attributes[target.id] = {"annotation": None,
                                                 "constructor": _constructor(self, statement.value)}
        for statement in node.body:
            if not isinstance(statement, _FUNCTIONS):
                continue
            name = statement.name
            decorators = [self.qualname(d) for d in statement.decorator_list]
            if seen[name] > 1 and not any(d and d.endswith(".setter") for d in decorators):
                methods[name] = "unknown"  # bound twice (an overload, a setter aside)
            elif decorators in (["property"], ["functools.cached_property"]):
                properties[name] = self.qualname(statement.returns)
            elif decorators and decorators[0] and decorators[0].startswith("@") and decorators[0].endswith(
                (".setter", ".deleter")
            ):
                continue
            elif decorators in (["staticmethod"], ["classmethod"]):
                methods[name] = self._plain_kind(statement)
            elif name not in methods:
                methods[name] = self.kind(statement)
            for inner in _statements(statement.body):
                if (
                    isinstance(inner, (ast.Assign, ast.AnnAssign))
                    and statement.args.args
                    and not decorators
                ):
                    owner = statement.args.args[0].arg
                    targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
                    for target in targets:
                        if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                                and target.value.id == owner):
                            value = {"annotation": self.qualname(getattr(inner, "annotation", None)),
                                     "constructor": _constructor(self, inner.value)}
                            attributes.setdefault("self." + target.attr, []).append(value)
        return {
            "bases": [self.qualname(base) for base in node.bases],
            "decorated": bool(node.decorator_list),
            "methods": methods,
            "properties": properties,
            "aenter": _returns_of(self, node, "__aenter__"),
            "await": _returns_of(self, node, "__await__"),
            "attributes": attributes,
            "getattr": "__getattr__" in seen,
        }

    def _plain_kind(self, node: ast.AST) -> str:
        if isinstance(node, ast.AsyncFunctionDef):
            return "unknown" if self._generator(node) or self._async_iterator(node.returns) else "coroutine"
        return "unknown" if _ends_in_returned_call(node) else "plain"


_BUILTINS = frozenset(dir(builtins))


def _statements(body: list[ast.stmt], into_defs: bool = False) -> Iterator[ast.stmt]:
    """Every statement of a block and of the blocks nested in it; nested
    defs and classes are entered only when ``into_defs`` is set."""
    stack = list(reversed(body))
    while stack:
        statement = stack.pop()
        yield statement
        if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
            if into_defs:
                stack.extend(reversed(statement.body))
            continue
        for block in _blocks(statement):
            stack.extend(reversed(block))


def _block_targets(statement: ast.stmt) -> Iterator[ast.expr]:
    """What a compound statement binds itself: a loop's target, ``with ... as``,
    ``except ... as``."""
    target = getattr(statement, "target", None)
    if target is not None:
        yield target
    for item in getattr(statement, "items", ()):
        if item.optional_vars is not None:
            yield item.optional_vars
    for handler in getattr(statement, "handlers", ()):
        if handler.name:
            yield ast.Name(id=handler.name, ctx=ast.Store())


def _local_names(node: ast.AST) -> dict[str, list[ast.AST]]:
    """The names a def binds in its own scope, and what binds each."""
    found: dict[str, list[ast.AST]] = {}
    arguments = node.args  # type: ignore[attr-defined]
    for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                *filter(None, [arguments.vararg, arguments.kwarg])]:
        found.setdefault(arg.arg, []).append(arg)
    for statement in _statements(node.body):  # type: ignore[attr-defined]
        names: list[str] = []
        if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
            names.append(statement.name)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            names += [(a.asname or a.name).split(".")[0] for a in statement.names]
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        elif isinstance(statement, (ast.Global, ast.Nonlocal)):
            names += statement.names
        for target in _block_targets(statement):
            names += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
        for name in names:
            found.setdefault(name, []).append(statement)
    return found


def _blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement lists inside a compound statement."""
    for field in ("body", "orelse", "finalbody"):
        inner = getattr(statement, field, None)
        if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
            yield inner
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body


def _returns_of(summariser: _Summariser, node: ast.ClassDef, name: str) -> str | None:
    for statement in node.body:
        if isinstance(statement, _FUNCTIONS) and statement.name == name:
            return summariser.qualname(statement.returns)
    return None


def _constructor(summariser: _Summariser, value: ast.expr | None) -> str | None:
    """``Client()`` or ``models.Client(...)``: the callee's qualified name."""
    if isinstance(value, ast.Call):
        return summariser.qualname(value.func)
    return None


def _literal_names(value: ast.expr) -> list[str] | None:
    if isinstance(value, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
    ):
        return [e.value for e in value.elts]  # type: ignore[attr-defined]
    return None


def _own_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a def's own body, nested defs, lambdas and classes left out."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, (*_FUNCTIONS, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(child))


def _is_generator(node: ast.AST) -> bool:
    return any(isinstance(child, (ast.Yield, ast.YieldFrom)) for child in _own_nodes(node))


def _ends_in_returned_call(node: ast.AST) -> bool:
    body = getattr(node, "body", None)
    return (
        not isinstance(node, ast.AsyncFunctionDef)
        and body is not None  # narrows for mypy; bool(None) is False anyway
        and bool(body)
        and isinstance(body[-1], ast.Return)
        and isinstance(body[-1].value, ast.Call)
    )
