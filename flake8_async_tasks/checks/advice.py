"""Which fix a task finding advises: the kind of site the task is made at
(issue 14).

The rules' ``fixes`` tables hold the words; this module holds the one
decision of which entry fits, from facts the analysis already has:

- **plain def**: the task is made in a ``def``, a lambda, a class body or at
  module level. Nothing there can ``await``, so the only fix is a reference
  that outlives the call: a set emptied by ``add_done_callback(set.discard)``,
  or the project's own keeper when ``--aio-task-keepers`` names one.
- **needs the outcome**: in an ``async def`` whose own code shows that it
  expects the task's outcome before it returns. Syntax shows that in two
  ways only: a dropped task that is the whole body of a ``try`` with an
  ``except`` (the handler was written for the coroutine's error, which it
  can never see: homeassistant's keba), and a task bound to a local that the
  function reads (checks ``done()``, prints, cancels) without handing it on
  (AIO102) or cancels (AIO103). The fix is to ``await`` it there (after a
  ``cancel()``, suppressing the ``CancelledError`` it then raises); a
  ``TaskGroup`` is offered besides only where it changes nothing else (see
  :meth:`Advice._task_group_fits`).
- **outlives the call**: every other task made in an ``async def``, and a
  local given a done callback (made to be reacted to whenever it ends):
  started and left to run on (reconnect loops, delayed deletes, "answer now,
  keep working", an application's lifespan task). Awaiting it, or a
  TaskGroup, would block the caller until it ends, so the fix is the plain
  def's: keep a reference. When unsure, a site is this kind: keeping a
  reference fits almost every site, where awaiting changes what the code
  does.

In a plain def, AIO103's cancelled task is kept in a set for a coroutine to
await, since nothing there can await it.

No message claims that a task may be garbage-collected early: that holds only
for a task waiting on something nothing else references, which syntax cannot
tell (a task asleep on a timer, or waiting on a transport, is held by the
loop). The rule pages say so.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from typing import cast

from ..analysis import asyncio_api as api
from ..analysis.inference.policy import read_regular
from ..analysis.scopes import FUNCTION, LAMBDA, Scope
from ..rule import Rule
from .base import FileContext

# requires-python is read from the nearest pyproject.toml with a regular
# expression, never by running anything: tomllib exists only on 3.11+, and the
# plugin supports 3.10.
_MAX_PYPROJECT_BYTES = 1024 * 1024
_MAX_PARENTS = 64
_PROJECT_TABLE = re.compile(r"^[ \t]*\[[ \t]*project[ \t]*\][ \t]*(?:#.*)?$", re.MULTILINE)
_NEXT_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)
_REQUIRES_PYTHON = re.compile(r"""^[ \t]*["']?requires-python["']?[ \t]*=[ \t]*(["'])(.*?)\1""", re.MULTILINE)
_LOWER_BOUND = re.compile(r"^(>=|~=|===?|>)\s*(\d+)\s*\.\s*(\d+)")

TASK_GROUP_PYTHON = (3, 11)
_TRY_NODES: tuple[type, ...] = (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))


class Advice:
    """The ``fixes`` key of each task finding of one file."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.model = ctx.model
        self._has_task_group: bool | None = None

    # ----------------------------------------------------------- the rules
    # Each returns keys of the rule's ``claims`` and ``fixes`` tables;
    # :meth:`fields` turns them into the message's fields.

    def dropped(self, call: ast.Call, scope: Scope) -> tuple[str, str]:
        """AIO101's claim and fix, for a task dropped at creation."""
        statement = self._statement_of(call)
        claim = "callback" if statement is None and self._callback_chained(call) else "unseen"
        if not self._can_await(scope):
            return claim, self._keep(scope)
        if statement is not None and self._whole_body_of_a_try(statement):
            # Awaiting the task itself may be AIO104's "awaited at once".
            coroutine = bool(call.args) and isinstance(call.args[0], ast.Call)
            return "try", "await coroutine in try" if coroutine else "await in try"
        return claim, self._keep(scope)

    def never_awaited(self, call: ast.Call, scope: Scope, reads: list[ast.Name]) -> str:
        """AIO102's fix, for a task bound to a local that is read but never
        handed on."""
        if not self._can_await(scope):
            return self._keep(scope)
        methods = {self._method_called(read) for read in reads}
        if api.DONE_CALLBACK_METHOD in methods:
            # Made to be reacted to when it ends, whenever that is.
            return self._keep(scope)
        if "cancel" in methods:
            # A cancelled task raises CancelledError where it is awaited.
            return "await after cancel"
        return "await or task group" if self._task_group_fits(call, scope) else "await"

    def cancelled(self, scope: Scope) -> str:
        """AIO103's fix, for ``task.cancel()`` with no await after."""
        return "await" if self._can_await(scope) else "keep"

    def fields(self, rule: type[Rule], claim: str | None = None, fix: str = "") -> dict[str, str]:
        """The message fields of ``rule`` for these keys of its tables."""
        keepers = self.ctx.settings.task_keepers
        # Asked only for task rules, which all have these tables (Rule itself does not).
        fixes: dict[str, str] = rule.fixes  # type: ignore[attr-defined]
        found = {"fix": fixes[fix].format(keeper=keepers[0] if keepers else "")}
        if claim is not None:
            found["claim"] = rule.claims[claim]  # type: ignore[attr-defined]
        return found

    # ------------------------------------------------------------ the facts

    def _can_await(self, scope: Scope) -> bool:
        function = self.model.function_scope(scope)
        return function.kind == FUNCTION and function.is_async

    def _keep(self, scope: Scope) -> str:
        keepers = self.ctx.settings.task_keepers
        function = self.model.function_scope(scope)
        # Not the keeper's own body: it is where the task is kept.
        if keepers and getattr(function.node, "name", None) != keepers[0].rpartition(".")[2]:
            return "keeper"
        # A lambda holds one expression: the set needs statements.
        return "keep in a def" if function.kind == LAMBDA else "keep"

    def _statement_of(self, call: ast.Call) -> ast.stmt | None:
        """The statement that drops ``call`` itself: ``call`` or ``_ = call``."""
        parent = self.model.parent.get(call)
        return parent if isinstance(parent, (ast.Expr, ast.Assign, ast.AnnAssign)) else None

    def _callback_chained(self, call: ast.Call) -> bool:
        attribute = self.model.parent.get(call)
        return isinstance(attribute, ast.Attribute) and attribute.attr == api.DONE_CALLBACK_METHOD

    def _whole_body_of_a_try(self, statement: ast.stmt) -> bool:
        """``try: <statement> except ...:``: the handler was written for this
        one statement. A longer body may have it for the other statements."""
        handled = _handled_try(self.model.parent.get(statement))
        return handled is not None and len(handled.body) == 1 and handled.body[0] is statement

    def _creates_directly(self, call: ast.Call, scope: Scope) -> bool:
        """asyncio's own ``create_task`` or ``ensure_future``, or a loop's
        ``create_task``: not a helper that may do more."""
        qualname = self.model.qualname(call.func, scope)
        if qualname is not None:
            return qualname in (api.CREATE_TASK, api.ENSURE_FUTURE)
        return isinstance(call.func, ast.Attribute) and call.func.attr == "create_task"

    def _method_called(self, read: ast.Name) -> str | None:
        attribute = self.model.parent.get(read)
        call = self.model.parent.get(attribute) if isinstance(attribute, ast.Attribute) else None
        if isinstance(attribute, ast.Attribute) and isinstance(call, ast.Call) and call.func is attribute:
            return attribute.attr
        return None

    def _task_group_fits(self, call: ast.Call, scope: Scope) -> bool:
        """A TaskGroup does what awaiting does and nothing else only for a
        task of asyncio's own ``create_task``, in a coroutine function (an
        async generator would hold the group open across its ``yield``), with
        no ``except`` around it in the function (a TaskGroup raises its
        errors as an ``ExceptionGroup``, which that ``except`` would miss),
        on a Python that has TaskGroup."""
        function = self.model.function_scope(scope)
        if function.is_generator or not self._creates_directly(call, scope):
            return False
        if self.model.qualname(call.func, scope) == api.ENSURE_FUTURE:
            return False
        node: ast.AST | None = self.model.parent.get(call)
        while node is not None and node is not function.node:
            parent = self.model.parent.get(node)
            handled = _handled_try(parent)
            if handled is not None and any(item is node for item in handled.body):
                return False
            node = parent
        return self.has_task_group()

    def has_task_group(self) -> bool:
        """Does the project's Python have ``asyncio.TaskGroup``? The lowest
        version of ``requires-python`` in the nearest ``pyproject.toml`` says;
        without one, the running interpreter's version."""
        if self._has_task_group is None:
            lowest = lowest_python(self.ctx.filename)
            if lowest is None:
                self._has_task_group = sys.version_info[:2] >= TASK_GROUP_PYTHON
            else:
                self._has_task_group = lowest >= TASK_GROUP_PYTHON
        return self._has_task_group


def _handled_try(node: ast.AST | None) -> ast.Try | None:
    """``node`` if it is a ``try`` (``except*`` included) with handlers."""
    if isinstance(node, _TRY_NODES) and cast(ast.Try, node).handlers:
        return cast(ast.Try, node)
    return None


def lowest_python(filename: str) -> tuple[int, int] | None:
    """The lowest Python the project of ``filename`` supports, from the
    ``requires-python`` of the nearest ``pyproject.toml`` above it. None when
    there is no such file or field (then the running interpreter stands in);
    ``(0, 0)`` when the field names no lower bound that can be read."""
    if not filename or filename in ("stdin", "-"):
        return None
    directory = os.path.dirname(os.path.abspath(filename))
    for _ in range(_MAX_PARENTS):
        path = os.path.join(directory, "pyproject.toml")
        if os.path.lexists(path):
            data = read_regular(path, _MAX_PYPROJECT_BYTES)
            return None if data is None else requires_python_bound(data.decode("utf-8", "replace"))
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return None


def requires_python_bound(text: str) -> tuple[int, int] | None:
    """The lower bound of ``[project] requires-python`` in a pyproject.toml's
    text: ``">=3.9,<4"`` is (3, 9); ``">3.10"`` is taken as (3, 10), since
    3.10.1 satisfies it. None without the field; (0, 0) when it has no lower
    bound (``"<4"``, ``"!=3.9.*"``) or one this reading does not parse."""
    table = _PROJECT_TABLE.search(text)
    if table is None:
        return None
    end = _NEXT_TABLE.search(text, table.end())
    found = _REQUIRES_PYTHON.search(text, table.end(), end.start() if end else len(text))
    if found is None:
        return None
    bounds = [
        (int(match[2]), int(match[3]))
        for clause in found[2].split(",")
        if (match := _LOWER_BOUND.match(clause.strip()))
    ]
    return max(bounds) if bounds else (0, 0)
