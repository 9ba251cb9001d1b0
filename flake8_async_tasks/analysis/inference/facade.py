"""The questions the checks ask, with their answers cached per file.

The syntax answers first (:mod:`.syntactic`); only where it says unknown, the
level allows it and a gate says astroid could tell (:mod:`.gates`) is astroid
asked (:mod:`.questions`, imported on that first question, so that a file
that never needs it, and every file at ``--aio-inference=off``, never
imports astroid). See docs/inference.md.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Sequence

from .. import asyncio_api as api
from ..classes import ClassFacts
from ..receivers import ClassRef
from ..scopes import ModuleModel, Scope
from . import summaries
from .gates import Gates
from .kinds import Kind, Level
from .policy import MAX_MODULE_SIZE, Place
from .syntactic import Syntactic, defines

if TYPE_CHECKING:
    from .questions import Questions


class Inference:
    def __init__(
        self,
        model: ModuleModel,
        *,
        level: str | Level = Level.OFF,
        filename: str = "",
        lines: Sequence[str] | None = None,
        classes: ClassFacts | None = None,
        max_module_size: int = MAX_MODULE_SIZE,
    ) -> None:
        self.model = model
        self.classes = classes if classes is not None else ClassFacts(model)
        self.syntactic = Syntactic(model, self.classes)
        self._kinds: dict[ast.AST, Kind] = {}
        self._level = Level.of(level) if isinstance(level, str) else level
        self._filename = filename
        self._lines = lines
        self._max_module_size = max_module_size
        self._gates: Gates | None = None
        self._summaries: dict[str, frozenset[str]] = {}  # module file -> its coroutine functions
        self._astroid: Questions | None = None

    @property
    def gates(self) -> Gates | None:
        """The cost gates (None when the level is off)."""
        if self._gates is None and self._level > Level.OFF:
            place = Place(self._filename, self._max_module_size)
            self._gates = Gates(self.model, self.classes, self.syntactic, self._level, place)
        return self._gates

    def _astroid_questions(self) -> Questions:
        """astroid's view of the file, set up on the first question a gate
        lets through."""
        if self._astroid is None:
            from .questions import Questions

            assert self.gates is not None
            self._astroid = Questions(self.gates, self._lines)
        return self._astroid

    def close(self) -> None:
        """The file is done: release what astroid built for it."""
        if self._astroid is not None:
            self._astroid.close()

    # ------------------------------------------------------ coroutine functions

    def function_kind(self, expr: ast.expr, scope: Scope) -> Kind:
        """What calling ``expr`` runs: a coroutine function, a plain
        callable, or unknown."""
        cached = self._kinds.get(expr)
        if cached is None:
            cached = self.syntactic.function_kind(expr, scope)
            gates = self.gates if cached is Kind.UNKNOWN else None
            if gates is not None:
                if gates.loop_coroutine_method(expr, scope) or self._summarised_coroutine(expr, scope):
                    cached = Kind.COROUTINE_FUNCTION
                else:
                    if gates.worth_asking(expr, scope):
                        cached = self._astroid_questions().function_kind(expr, scope)
                    refs = self._imported_receiver(expr, scope) if cached is Kind.UNKNOWN else None
                    if refs is not None and isinstance(expr, ast.Attribute):
                        cached = self._astroid_questions().member_kind(refs, expr.attr)
            self._kinds[expr] = cached
        return cached

    def may_be_coroutine_function(self, expr: ast.expr, scope: Scope) -> bool:
        """A cheap first look: False when :meth:`function_kind` cannot say
        COROUTINE_FUNCTION, so that a check can skip the work of judging the
        call's context (and astroid is not asked)."""
        known = self._kinds.get(expr)
        if known is not None:
            return known is Kind.COROUTINE_FUNCTION
        kind = self.syntactic.function_kind(expr, scope)
        if kind is not Kind.UNKNOWN:
            return kind is Kind.COROUTINE_FUNCTION
        gates = self.gates
        return gates is not None and (
            gates.loop_coroutine_method(expr, scope)
            or self._summarised_coroutine(expr, scope)
            or gates.worth_asking(expr, scope)
            or self._imported_receiver(expr, scope) is not None
        )

    def _summarised_coroutine(self, expr: ast.expr, scope: Scope) -> bool:
        """``refresh`` imported from a project module whose summary says it
        is a plain def that returns a coroutine (``from .api import
        refresh``, ``from . import api; api.refresh``)."""
        if self._level < Level.PROJECT or self.gates is None:
            return False
        found = self._imported_from_project(expr, scope)
        if found is None:
            return False
        path, name, _ = found
        names = self._summaries.get(path)
        if names is None:
            names = self._summaries[path] = summaries.coroutine_functions(self.gates.summary(path))
        return name in names

    def imported_task_factory(self, expr: ast.expr, scope: Scope) -> str | None:
        """The qualified name of ``spawn`` when it is imported from a project
        module whose summary says it is a plain def that returns the new task
        of ``asyncio.create_task`` without keeping it (``from .jobs import
        spawn``); else None."""
        if self._level < Level.PROJECT or self.gates is None:
            return None
        found = self._imported_from_project(expr, scope)
        if found is None:
            return None
        path, name, modname = found
        summary = self.gates.summary(path)
        if not summary or name in summary["unknown"]:
            return None
        facts = summary["functions"].get(name)
        if facts is None or facts["kind"] != "plain" or not facts["new_task"]:
            return None
        return f"{modname}.{name}"

    def _imported_from_project(self, expr: ast.expr, scope: Scope) -> tuple[str, str, str] | None:
        """(the project module's file, the name, the module's name) that
        ``name`` or ``module.name`` reaches through one import of this module."""
        base = expr.value if isinstance(expr, ast.Attribute) else expr
        statement = self.model.sole_import(base, scope)
        if statement is None:
            return None
        assert isinstance(base, ast.Name)
        place = self.gates.place  # type: ignore[union-attr]
        if isinstance(statement, ast.ImportFrom):
            alias = next((a for a in statement.names if (a.asname or a.name) == base.id), None)
            package = place.absolute(statement.module, statement.level or 0)
            if alias is None or package is None:
                return None
            if isinstance(expr, ast.Name):
                modname, name = package, alias.name  # from .api import refresh
            else:
                modname, name = f"{package}.{alias.name}", expr.attr  # from . import api; api.refresh
        elif isinstance(statement, ast.Import) and isinstance(expr, ast.Attribute):
            alias = next((a for a in statement.names if a.asname == base.id), None)
            if alias is None:
                return None  # ``import pkg.api`` binds ``pkg``, not the module
            modname, name = alias.name, expr.attr  # import app.api as api; api.refresh
        else:
            return None
        path = place.project_file(modname)
        return None if path is None else (path, name, modname)

    def _imported_receiver(self, expr: ast.expr, scope: Scope) -> list[ClassRef] | None:
        """``client.fetch`` where ``client``'s class is known from the syntax
        (an annotation, a constructor) to be an imported class that astroid
        could read, and some reachable ``async def`` is called ``fetch``."""
        gates = self.gates
        if gates is None or self._level < Level.PROJECT or not isinstance(expr, ast.Attribute):
            return None
        if expr.attr in self.model.stored_attributes:
            return None
        base = self.syntactic.super_class(expr.value, scope)
        refs = [base] if base is not None else self.syntactic.receivers.instance_of(expr.value, scope)
        if refs is None or not any(ref.expr is not None for ref in refs):
            return None
        return refs if gates.could_be_async_on(expr.attr, refs) else None

    def defines(self, expr: ast.expr, scope: Scope, name: str) -> bool:
        """Is ``expr`` an instance of a class of this module that defines its
        own ``name`` (a loop subclass's own ``create_task``)?"""
        return defines(self.syntactic, expr, scope, name)

    # ---------------------------------------------------------------- receivers

    def is_loop(self, expr: ast.expr, scope: Scope) -> bool:
        """Is ``expr`` known to evaluate to an event loop?"""
        return self.syntactic.is_loop(expr, scope) or self._is_instance_of(expr, scope, api.LOOP_CLASSES)

    def is_task_group(self, expr: ast.expr, scope: Scope) -> bool:
        """Is ``expr`` known to be an ``asyncio.TaskGroup``?"""
        return self.syntactic.is_task_group(expr, scope) or self._is_instance_of(
            expr, scope, api.TASK_GROUP_CLASSES
        )

    def _is_instance_of(self, expr: ast.expr, scope: Scope, classes: frozenset[str]) -> bool:
        gates = self.gates
        if gates is None or not gates.receiver_worth_asking(expr, scope):
            return False
        return self._astroid_questions().is_instance_of(expr, scope, classes)
