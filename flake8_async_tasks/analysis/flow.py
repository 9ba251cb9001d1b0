"""Where does a value bound to a local name go?

A binding is *kept* when any read of the name that can see it hands the value
on: awaited, passed to a call, returned, yielded, stored, captured by a
closure, compared... Only reads through a small set of methods (such as a
task's ``cancel()`` or ``add_done_callback()``) leave the value where it was.

Which reads can see a binding is decided by source order, erring towards
"kept": every read after the binding counts until the name is rebound by an
assignment in the same block (which must run next), including the reads in
that assignment itself; inside a loop, every read in the loop counts, since
the next iteration reaches them.
"""

from __future__ import annotations

import ast
from typing import Iterable

from .scopes import ASSIGN, COMPREHENSION, FUNCTION, Binding, ModuleModel, Scope


# Given expressions and statements, which have the positions ``ast.AST`` lacks.
def position(node: ast.AST) -> tuple[int, int]:
    return (node.lineno, node.col_offset)  # type: ignore[attr-defined]


def end_position(node: ast.AST) -> tuple[int, int]:
    return (node.end_lineno or node.lineno, node.end_col_offset or 0)  # type: ignore[attr-defined]


def _within(node: ast.AST, outer: ast.AST) -> bool:
    return position(outer) <= position(node) and end_position(node) <= end_position(outer)


class Flow:
    def __init__(self, model: ModuleModel) -> None:
        self.model = model

    def is_trackable(self, name: str, scope: Scope) -> bool:
        """Can every read of ``name`` in ``scope`` be seen? Not when the name
        is shared with other scopes or locals are reached dynamically."""
        if scope.dynamic or name in scope.globals or name in scope.nonlocals:
            return False
        return not self._captured(name, scope)

    def _captured(self, name: str, scope: Scope) -> bool:
        """Is ``name`` read by a nested scope that resolves it to ``scope``?
        A comprehension of ``scope`` itself runs inline: its reads are
        ``scope``'s own (:meth:`_reads`)."""
        for inner in scope.descendants():
            if inner.kind == COMPREHENSION and self.model.function_scope(inner) is scope:
                continue
            if name in inner.loads and self.model.lookup(name, inner) is scope:
                return True
        return False

    def visible_reads(self, binding: Binding, scope: Scope) -> list[ast.Name]:
        """Reads of ``binding.name`` in ``scope`` (and its comprehensions)
        that may see the value this binding stored."""
        stmt = binding.node
        reads = list(self._reads(binding.name, scope))
        start = end_position(stmt)
        kill = self._next_kill(binding, scope)
        # The rebinding statement reads its right-hand side before it stores
        # the name: ``task = asyncio.shield(task)`` and ``result = await
        # result`` still see the old value, so the kill takes effect at the
        # end of that statement.
        stop = end_position(kill) if kill is not None else None
        visible = [r for r in reads if position(r) >= start and (stop is None or position(r) < stop)]
        if kill is None:
            loop = self.model.enclosing_loop(stmt, scope.node)
            if loop is not None:
                visible.extend(r for r in reads if _within(r, loop) and r not in visible)
        return visible

    def bound_local(self, stmt: ast.AST | None, scope: Scope) -> tuple[Binding, Scope, list[ast.Name]] | None:
        """``name = value`` in a function, as one binding of a local whose
        reads can all be seen: the binding, the function's scope and the reads
        that may see its value. None for any other target or scope."""
        scope = self.model.function_scope(scope)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        if scope.kind != FUNCTION or len(targets) != 1 or not isinstance(targets[0], ast.Name):
            return None
        name = targets[0].id
        if not self.is_trackable(name, scope):
            return None
        bindings = scope.bindings.get(name, ())
        binding = next((b for b in bindings if b.kind == ASSIGN and b.node is stmt), None)
        if binding is None:
            return None
        return binding, scope, self.visible_reads(binding, scope)

    def reads_after(self, node: ast.AST, reads: list[ast.Name], scope: Scope) -> list[ast.Name]:
        """Those of a binding's visible ``reads`` that can run after ``node``:
        later in the source, or anywhere in a loop around it."""
        loop = self.model.enclosing_loop(node, scope.node)
        end = end_position(node)
        return [r for r in reads if position(r) >= end or (loop is not None and _within(r, loop))]

    def _reads(self, name: str, scope: Scope) -> Iterable[ast.Name]:
        yield from scope.loads.get(name, ())
        # Comprehensions run inline: their reads of the name are this scope's.
        for inner in scope.descendants():
            if inner.kind == COMPREHENSION and name in inner.loads and (
                self.model.lookup(name, inner) is scope
            ):
                yield from inner.loads[name]

    def _next_kill(self, binding: Binding, scope: Scope) -> ast.AST | None:
        """The first later assignment to the name that is a sibling statement
        of the binding: once it runs, the bound value is unreachable."""
        block = self.model.block_of(binding.node)
        if block is None:
            return None
        later = [
            other.node
            for other in scope.bindings.get(binding.name, ())
            if other.kind == ASSIGN
            and other.node is not binding.node
            and position(other.node) > position(binding.node)
            and any(item is other.node for item in block)
        ]
        kill = min(later, key=position, default=None)
        if kill is None:
            return None
        # A break or continue between the two leaves the block before the
        # rebinding runs, and the old value is read after the loop or at its
        # top: ``task = start(); if ready: break; task = start()``.
        first = next(i for i, item in enumerate(block) if item is binding.node)
        last = next(i for i, item in enumerate(block) if item is kill)
        if any(_leaves_loop(stmt) for stmt in block[first + 1:last]):
            return None
        return kill

    def bound_walrus(self, node: ast.NamedExpr, scope: Scope) -> tuple[Binding, Scope, list[ast.Name]] | None:
        """``(name := value)`` in a function, as :meth:`bound_local` has an
        assignment: the binding, the function's scope and the reads that may
        see its value. None in a comprehension, whose element is read before
        its filter binds: ``[job for x in xs if (job := make(x))]``."""
        if scope.kind == COMPREHENSION:
            return None
        scope = self.model.function_scope(scope)
        name = node.target.id
        if scope.kind != FUNCTION or not self.is_trackable(name, scope):
            return None
        binding = next((b for b in scope.bindings.get(name, ()) if b.node is node.target), None)
        if binding is None:
            return None
        return binding, scope, self.visible_reads(binding, scope)


_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_NEW_CODE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _leaves_loop(stmt: ast.stmt) -> bool:
    """Does ``stmt`` hold a break or continue aimed at a loop around it?"""
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Break, ast.Continue)):
            return True
        if isinstance(node, _NEW_CODE):
            continue
        # A loop's own body breaks out of that loop only; its else clause
        # runs after it, where a break targets the loop around.
        names = ("orelse",) if isinstance(node, _LOOPS) else (
            "body", "orelse", "finalbody", "handlers", "cases")
        for name in names:
            for child in getattr(node, name, None) or ():
                if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                    stack.append(child)
    return False
