"""What the code around an expression does with its value: one classification
that every rule filters, the way ruff's rules all ask one ``is_used()``.

:func:`use_of` looks at the parent of an expression (a call, or a read of a
name bound to one) and answers with a :class:`Use`: its ``how`` (one row of
:data:`USES`) and the ``kind`` of that row:

- ``awaited``: the value is run (``await x``, ``yield from x`` in a
  generator-based coroutine);
- ``handed on``: something else now holds it and may run or keep it (an
  argument, a return, a yield, a store, a binding, which the flow analysis
  follows through the name's reads);
- ``only looked at``: it is read as a plain object and nobody holds it after
  (a test, a comparison, arithmetic, formatting, ``print()``...);
- ``dropped``: nothing reads it at all.

A call and a name bound to the call get the same answer for the same use:
``fetch().status`` and ``job = fetch(); job.status`` are both an attribute
access. Each rule decides which uses matter to it (a task's ``result()`` is
looked at, yet retrieves its outcome; a coroutine's ``send()`` drives it),
from the ``how`` and ``detail`` of the one answer, never by reading the tree
again. docs/inference.md shows :data:`USES` (a test keeps it current).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from . import asyncio_api as api
from .scopes import ModuleModel

AWAITED = "awaited"
HANDED_ON = "handed on"
LOOKED_AT = "only looked at"
DROPPED = "dropped"

# how -> (kind, what it covers). The order is the table's in docs/inference.md.
USES: dict[str, tuple[str, str]] = {
    "await": (AWAITED, "`await x`"),
    "delegation": (AWAITED, "`yield from x` in a generator-based coroutine (`@types.coroutine`)"),
    "argument": (HANDED_ON, "`gather(x)`, `jobs.append(x)`, `f(key=x)`: any call but those below"),
    "return": (HANDED_ON, "`return x`, `lambda: x`"),
    "yield": (HANDED_ON, "`yield x`"),
    "binding": (HANDED_ON, "`name = x`, `(name := x)`: the name's reads decide"),
    "store": (HANDED_ON, "`obj.attr = x`, `d[k] = x`, `[x]` or `{k: x}` that is kept, `d[x]`"),
    "other": (HANDED_ON, "any other place (`with x:`, `x()`, `x += 1`): unknown, so kept"),
    "attribute": (LOOKED_AT, "`x.attr`, `x.method()` (rules judge the name: `send()`, `result()`)"),
    "subscript": (LOOKED_AT, "`x[0]`"),
    "comparison": (LOOKED_AT, "`x == y`, `x is None`, `x in pending`"),
    "arithmetic": (LOOKED_AT, "`x + 1`"),
    "unary": (LOOKED_AT, "`-x`, `+x`, `~x`"),
    "formatting": (LOOKED_AT, "`f\"{x}\"`"),
    "reader": (LOOKED_AT, "`len(x)`, `str(x)`, `repr(x)`, `bool(x)`, `print(x)`, `isinstance(x, T)`"),
    "logging": (LOOKED_AT, "`log.info(\"%s\", x)`"),
    "iteration": (LOOKED_AT, "`for _ in x`, `[_ for _ in x]`, `async for _ in x`"),
    "unpacking": (LOOKED_AT, "`a, b = x`, `f(*x)`, `[*x]`"),
    "truth test": (LOOKED_AT, (
        "`if x:`, `while x:`, `assert x`, `not x`, `x and y`, `_ if x else _`, `[_ for _ in _ if x]`"
    )),
    "plain yield from": (LOOKED_AT, "`yield from x` in a plain generator (a TypeError for a coroutine)"),
    "statement": (DROPPED, "`x` as a statement, `[x, y]` as a statement"),
    "underscore": (DROPPED, "`_ = x`"),
}

# Decorators that make a plain generator a coroutine: ``yield from`` a
# coroutine inside one runs it.
GENERATOR_COROUTINE_DECORATORS = frozenset({"types.coroutine", "asyncio.coroutine"})

_TESTED = (ast.If, ast.While, ast.IfExp, ast.Assert)
_TEST_PHRASES = {
    ast.If: "an `if` test", ast.While: "a `while` test",
    ast.IfExp: "a conditional expression test", ast.Assert: "an `assert`",
}
_DISPLAYS = (ast.List, ast.Tuple, ast.Set)
_ASYNC_FOR = "an `async for` loop (a coroutine is not an async iterator)"
_CODE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


@dataclass(frozen=True)
class Use:
    """One answer of :func:`use_of`.

    ``node`` is the expression whose parent decided: the one asked about, or
    a boolean operator, conditional expression or dropped display around it
    that passes its value through. ``parent`` is that parent; ``detail`` the
    attribute name for ``attribute``, the function name for ``reader``;
    ``phrase`` says where, for a message (``an `if` test``).
    """

    how: str
    node: ast.AST
    parent: ast.AST | None
    detail: str = ""
    phrase: str = ""
    called: bool = False  # for ``attribute``: the attribute is called

    @property
    def kind(self) -> str:
        return USES[self.how][0]

    @property
    def method_called(self) -> str | None:
        """``x.name(...)``: the method called on the value, else None."""
        return self.detail if self.how == "attribute" and self.called else None


def use_of(model: ModuleModel, node: ast.AST) -> Use:
    """What ``node``'s parent does with its value (see the module docstring)."""
    # A loop, not a recursion: displays and boolean operators nest deep.
    element: tuple[ast.AST, ast.AST] | None = None  # the first display met
    while True:
        parent = model.parent.get(node)
        if isinstance(parent, ast.BoolOp):
            # ``x and y``: every operand but the last is tested, and passed
            # on only when false, which a coroutine or a task never is; the
            # last is the value of the whole. ``x or y`` is ``x`` when true:
            # every operand may be the value.
            if isinstance(parent.op, ast.And) and parent.values[-1] is not node:
                return Use("truth test", node, parent, phrase="a boolean operator")
            node = parent
            continue
        if isinstance(parent, ast.IfExp) and parent.test is not node:
            node = parent  # either branch is the value of the whole
            continue
        if (isinstance(parent, _DISPLAYS) and any(e is node for e in parent.elts)) or (
            isinstance(parent, (ast.ListComp, ast.SetComp)) and parent.elt is node
        ):
            # An element shares the fate of a display that is dropped; one
            # that is kept, unpacked or passed on keeps its elements.
            if element is None:
                element = (node, parent)
            node = parent
            continue
        use = _direct_use(model, node, parent)
        if element is not None and use.kind != DROPPED:
            return Use("store", *element)
        return use


def _direct_use(model: ModuleModel, node: ast.AST, parent: ast.AST | None) -> Use:
    if isinstance(parent, ast.Await):
        return Use("await", node, parent)
    if isinstance(parent, ast.Expr):
        return Use("statement", node, parent)
    if isinstance(parent, ast.Assign) and parent.value is node:
        targets = parent.targets
        if any(isinstance(t, (ast.Tuple, ast.List)) for t in targets):
            return Use("unpacking", node, parent, phrase="a tuple unpacking")
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            how = "underscore" if targets[0].id == "_" else "binding"
            return Use(how, node, parent)
        return Use("store", node, parent)
    if isinstance(parent, ast.AnnAssign) and parent.value is node:
        return Use("binding" if isinstance(parent.target, ast.Name) else "store", node, parent)
    if isinstance(parent, ast.NamedExpr) and parent.value is node:
        return Use("binding", node, parent)
    if isinstance(parent, _TESTED) and parent.test is node:
        return Use("truth test", node, parent, phrase=_TEST_PHRASES[type(parent)])
    if isinstance(parent, ast.UnaryOp):
        if isinstance(parent.op, ast.Not):
            return Use("truth test", node, parent, phrase="a `not`")
        return Use("unary", node, parent, phrase="a unary operator")
    if isinstance(parent, ast.comprehension):
        if any(cond is node for cond in parent.ifs):
            return Use("truth test", node, parent, phrase="a comprehension filter")
        if parent.iter is node:
            if parent.is_async:
                return Use("iteration", node, parent, phrase=_ASYNC_FOR.replace(" loop", ""))
            return Use("iteration", node, parent, phrase="a comprehension")
    if isinstance(parent, (ast.For, ast.AsyncFor)) and parent.iter is node:
        if isinstance(parent, ast.AsyncFor):
            return Use("iteration", node, parent, phrase=_ASYNC_FOR)
        return Use("iteration", node, parent, phrase="a `for` loop")
    if isinstance(parent, ast.Compare):
        return Use("comparison", node, parent, phrase="a comparison")
    if isinstance(parent, ast.BinOp):
        return Use("arithmetic", node, parent, phrase="arithmetic")
    if isinstance(parent, ast.FormattedValue) and parent.value is node:
        return Use("formatting", node, parent, phrase="an f-string")
    if isinstance(parent, ast.Attribute):
        call = model.parent.get(parent)
        called = isinstance(call, ast.Call) and call.func is parent
        return Use("attribute", node, parent, detail=parent.attr, called=called,
                   phrase=f"an attribute access (`.{parent.attr}`)")
    if isinstance(parent, ast.Subscript):
        if parent.value is node:
            return Use("subscript", node, parent, phrase="a subscript")
        return Use("store", node, parent)
    if isinstance(parent, ast.Starred):
        return Use("unpacking", node, parent, phrase="a `*` unpacking")
    if isinstance(parent, ast.Call) and parent.func is not node:
        if any(argument is node for argument in parent.args):
            return _argument_use(model, node, parent)
        return Use("argument", node, parent)
    if isinstance(parent, ast.keyword):
        return Use("argument", node, parent)
    if isinstance(parent, (ast.Return, ast.Lambda)):
        return Use("return", node, parent)
    if isinstance(parent, ast.Yield):
        return Use("yield", node, parent)
    if isinstance(parent, ast.YieldFrom):
        if generator_coroutine(model, parent):
            return Use("delegation", node, parent)
        return Use("plain yield from", node, parent, phrase="a generator's `yield from`")
    if isinstance(parent, ast.Dict):
        return Use("store", node, parent)
    return Use("other", node, parent)


def _argument_use(model: ModuleModel, node: ast.AST, call: ast.Call) -> Use:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in api.LOG_METHODS:
        return Use("logging", node, call, detail=func.attr, phrase="a logging call")
    scope = model.scope_of.get(call) or model.module
    qualname = model.qualname(func, scope)
    if qualname in api.VALUE_READERS:
        short = qualname.rsplit(".", 1)[1]
        return Use("reader", node, call, detail=short, phrase=f"`{short}()`")
    return Use("argument", node, call)


def generator_coroutine(model: ModuleModel, node: ast.AST) -> bool | None:
    """Is the function around ``node`` a generator-based coroutine (a plain
    generator under ``@types.coroutine`` or ``@asyncio.coroutine``)? None when
    ``node`` is not in a plain ``def``; False for a plain generator, or one
    whose decorators are not all known (an unknown one may make it a
    coroutine: unknown is silent, so that counts as True)."""
    current = model.parent.get(node)
    while current is not None and not isinstance(current, _CODE):
        current = model.parent.get(current)
    if not isinstance(current, ast.FunctionDef):
        return None
    scope = model.scope_of.get(current) or model.module
    for decorator in current.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if model.qualname(target, scope) in GENERATOR_COROUTINE_DECORATORS:
            return True
        if not isinstance(target, (ast.Name, ast.Attribute)) or model.qualname(target, scope) is None:
            return True  # an unknown decorator may make it a coroutine
    return False


def uses_table() -> str:
    """The Markdown table of :data:`USES`, as docs/inference.md shows it."""
    rows = ["| use | kind | for example |", "| --- | --- | --- |"]
    rows.extend(f"| {how} | {kind} | {examples} |" for how, (kind, examples) in USES.items())
    return "\n".join(rows)


# ------------------------------------------------------------------ filters
#
# What each kind of value makes of a use. A coroutine runs only when awaited
# or handed on (its ``send()``/``throw()``/``close()``/``__await__`` drive or
# end it on purpose); a task runs anyway, and is *kept* unless the use only
# steers or looks at it: a truth test, a comparison, formatting, ``print()``
# or logging, or one of the task methods that leave its outcome unread.

# The uses that only look at a task (its attribute, subscript or arithmetic
# may retrieve its outcome: ``task.result()``, so those keep it).
_LOOKS_AT_TASK = frozenset({"truth test", "comparison", "formatting", "reader", "logging"})


def runs_coroutine(use: Use) -> bool:
    """Does this use of a coroutine run it, or hand it to what may?"""
    if use.how == "attribute":
        return use.detail in api.COROUTINE_DRIVERS
    return use.kind in (AWAITED, HANDED_ON)


def keeps_task(use: Use, only_read: bool = True) -> bool:
    """Does this use of a task keep it (await it, hand it on, retrieve its
    outcome)? Without ``only_read`` only the task methods that leave it
    where it was, and dropping it, do not (AIO103's reads after a cancel)."""
    if use.method_called in api.NON_CONSUMING_TASK_METHODS or use.kind == DROPPED:
        return False
    return not (only_read and use.how in _LOOKS_AT_TASK)
