"""The questions the checks ask, with their answers cached per file.

The syntax answers first (:mod:`.syntactic`); only where it says unknown, the
level allows it and a gate says astroid could tell (:mod:`.gates`) is astroid
asked (:mod:`.questions`, imported on that first question, so that a file
that never needs it, and every file at ``--aio-inference=off``, never
imports astroid). See docs/inference.md.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, TypeGuard

from .. import asyncio_api as api
from ..receivers import ClassRef
from ..scopes import DEF, ModuleModel, Scope, alias_binding
from . import summaries
from .gates import Gates
from .kinds import Kind, Level
from .context import FileInference
from ..classes import statements
from .syntactic import defines, returned_calls

if TYPE_CHECKING:
    from .questions import Questions


class InferenceUnavailable(Exception):
    """astroid could not be imported: answers need the syntax alone."""


class Inference:
    """The questions the checks ask about one file (see the module docstring)."""

    def __init__(self, context: FileInference | ModuleModel) -> None:
        if isinstance(context, ModuleModel):
            context = FileInference(context)  # the syntax alone (tests, tools)
        self.context = context
        self.model = context.model
        self.classes = context.classes
        self.syntactic = context.syntactic
        self._kinds: dict[ast.AST, Kind] = {}
        self._gates: Gates | None = None
        self._summaries: dict[str, frozenset[str]] = {}  # module file -> its coroutine functions
        self._astroid: Questions | None = None
        self._async_properties: frozenset[str] | None = None

    @property
    def gates(self) -> Gates | None:
        """The cost gates (None when the level is off)."""
        if self._gates is None and self.context.allows(Level.LOCAL):
            self._gates = Gates(self.context)
        return self._gates

    def _astroid_questions(self) -> Questions:
        """astroid's view of the file, set up on the first question a gate
        lets through."""
        if self._astroid is None:
            try:
                from .questions import Questions
            except ImportError as error:
                # astroid cannot be imported here (missing, or only found
                # inside the linted checkout, which is never imported from):
                # the file is checked again with its syntax alone.
                raise InferenceUnavailable(str(error)) from error

            assert self.gates is not None
            self._astroid = Questions(self.context)
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
        found = self._imported_from_project(expr, scope)
        if found is None:
            return False
        path, name, _ = found
        names = self._summaries.get(path)
        if names is None:
            assert self.gates is not None  # _imported_from_project said so
            names = self._summaries[path] = summaries.coroutine_functions(self.gates.summary(path))
        return name in names

    def imported_task_factory(self, expr: ast.expr, scope: Scope) -> str | None:
        """The qualified name of ``spawn`` when it is imported from a project
        module whose summary says it is a plain def that returns the new task
        of ``asyncio.create_task`` without keeping it (``from .jobs import
        spawn``); else None."""
        found = self._imported_from_project(expr, scope)
        if found is None:
            return None
        path, name, modname = found
        assert self.gates is not None  # _imported_from_project said so
        summary = self.gates.summary(path)
        if not summary or name in summary["unknown"]:
            return None
        facts = summary["functions"].get(name)
        if facts is None or facts["kind"] != "plain" or not facts["new_task"]:
            return None
        return f"{modname}.{name}"

    def _imported_from_project(self, expr: ast.expr, scope: Scope) -> tuple[str, str, str] | None:
        """(the project module's file, the name, the module's name) that
        ``name`` or ``module.name`` reaches through one import of this module,
        where the level reads project modules' summaries (``project`` and up,
        with gates); else None."""
        if not self.context.allows(Level.PROJECT) or self.gates is None:
            return None
        base = expr.value if isinstance(expr, ast.Attribute) else expr
        statement = self.model.sole_import(base, scope)
        if statement is None:
            return None
        assert isinstance(base, ast.Name)
        place = self.context.place
        if isinstance(statement, ast.ImportFrom):
            alias = alias_binding(statement, base.id)
            package = place.absolute(statement.module, statement.level or 0)
            if alias is None or package is None:
                return None
            if isinstance(expr, ast.Name):
                modname, name = package, alias.name  # from .api import refresh
            else:
                # Not a Name, so an Attribute (whose value is the Name ``base``).
                modname, name = f"{package}.{alias.name}", expr.attr  # type: ignore[attr-defined]
        elif isinstance(statement, ast.Import) and isinstance(expr, ast.Attribute):
            alias = alias_binding(statement, base.id)
            if alias is None or not alias.asname:
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
        if gates is None or not self.context.allows(Level.PROJECT) or not isinstance(expr, ast.Attribute):
            return None
        if expr.attr in self.model.stored_attributes:
            return None
        base = self.syntactic.super_class(expr.value, scope)
        refs = [base] if base is not None else self.syntactic.receivers.instance_of(expr.value, scope)
        if refs is None or not any(ref.expr is not None for ref in refs):
            return None
        return refs if gates.could_be_async_on(expr.attr, refs) else None

    def helper_returns(self, expr: ast.expr, scope: Scope) -> list[ast.Call]:
        """The calls that a plain def of this module, called as ``expr``,
        returns, when every return returns a call (``def spawn(coro): return
        loop.create_task(coro)``); else nothing."""
        helper = self.syntactic.local_def(expr, scope)
        return [] if helper is None else returned_calls(self.model, helper)

    def returns_nothing_awaitable(self, expr: ast.expr, scope: Scope) -> bool:
        """Is ``expr`` a plain, undecorated def of this module (not a
        generator) whose every return gives ``None``, a string or a number?
        A task cannot be made of what it returns."""
        helper = self.syntactic.local_def(expr, scope, any_def=True)
        if helper is None or self.model.function_scopes[helper].is_generator:
            return False
        for statement in statements(helper.body):
            if isinstance(statement, ast.Return) and not _plain_constant(statement.value):
                return False
        return True

    def returns_future(self, expr: ast.expr, scope: Scope) -> bool:
        """Is ``expr`` a def of this module annotated to return a future or a
        task (``-> asyncio.Future[int]``, ``-> "Task[None]"``), one that
        exists already and that ``ensure_future()`` hands back unchanged?"""
        helper: ast.AST | None = self.syntactic.local_def(expr, scope, any_def=True)
        if helper is None and isinstance(expr, ast.Name):
            # Under a decorator too (``@functools.cache``): the annotation
            # still says what it returns.
            binding = self.model.sole_binding(expr, scope, DEF)
            helper = None if binding is None else binding.node
        returns = getattr(helper, "returns", None)
        if returns is None:
            return False
        if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
            name = returns.value.split("[", 1)[0].strip().rsplit(".", 1)[-1]
        else:
            target = returns.value if isinstance(returns, ast.Subscript) else returns
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        return name in api.FUTURE_CLASS_NAMES

    def attribute_values(self, expr: ast.expr, scope: Scope) -> list[ast.expr] | None:
        """``self.attr`` in a method of a class of this module whose methods
        alone store ``.attr``: the values they assign (every ``self.attr =
        value``). None for any other shape, or an attribute stored elsewhere."""
        if not (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)):
            return None
        found = self.classes.receiver(expr.value, scope)
        if found is None or self.syntactic.receivers.stored_elsewhere(expr.attr):
            return None
        return self.classes.instance_attribute_values(found[1]).get(expr.attr)

    def async_property_names(self) -> frozenset[str]:
        """Names of the ``@property`` getters of this module that are
        ``async def``: reading one makes a coroutine."""
        if self._async_properties is None:
            self._async_properties = frozenset(
                node.name for node in self.model.function_scopes if self._async_getter(node)
            )
        return self._async_properties

    def _async_getter(self, node: ast.AST) -> TypeGuard[ast.AsyncFunctionDef]:
        """``@property async def name(self)``: one decorator, a property."""
        return (
            isinstance(node, ast.AsyncFunctionDef)
            and len(node.decorator_list) == 1
            and self.model.qualname(node.decorator_list[0], self.model.scope_of[node]) in api.PROPERTIES
        )

    def is_async_property(self, expr: ast.Attribute, scope: Scope) -> bool:
        """Is ``expr`` (``msg.sender``, ``self.sender``) read from an instance
        of a class of this module whose ``sender`` is an ``async def``
        property, in every class it may be?"""
        if expr.attr in self.model.stored_attributes or expr.attr not in self.async_property_names():
            return False
        found = self.classes.receiver(expr.value, scope)
        refs = [ClassRef(local=found[1])] if found is not None else self.syntactic.receivers.instance_of(
            expr.value, scope
        )
        if not refs:
            return False
        for ref in refs:
            cls = ref.local
            if cls is None or cls.decorator_list or cls.keywords:
                return False
            if self.classes.lookup_member(cls, "__getattribute__") is not None:
                return False
            member = self.classes.lookup_member(cls, expr.attr)
            if member is None or not self._async_getter(member):
                return False
            if not ref.exact and any(
                self.classes.own_member(sub, expr.attr) is not None for sub in self.classes.subclasses(cls)
            ):
                return False
        return True

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


def _plain_constant(value: ast.expr | None) -> bool:
    """``return``, ``return None``, ``return "text"``, ``return f"..."``, ``return 1``."""
    return value is None or isinstance(value, (ast.Constant, ast.JoinedStr))
