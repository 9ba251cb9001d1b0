"""Is astroid worth asking? Cheap tests, from the syntax and the ``async def``
name indexes, that keep astroid away from questions it could not answer or
whose answer could not change a finding.

A call of a name that no reachable ``async def`` bears cannot be a coroutine
function call (short of aliases, which stay unknown), so astroid is not asked;
a receiver of a shape astroid rarely resolves (a parameter, a loop variable,
the result of an arbitrary call) is not asked about either. On the corpus
these gates keep astroid to a few per cent of the files.
"""

from __future__ import annotations

import ast
import sys
from typing import Iterable, Literal, Sequence

from ..receivers import ClassRef
from ..scopes import ASSIGN, ASYNC_DEF, CLASS_DEF, DEF, IMPORT, PARAM, Scope, alias_binding, instantiates
from . import asyncio_model, summaries
from .kinds import Level
from .context import FileInference
from .policy import INDEXES


class Gates:
    def __init__(self, context: FileInference) -> None:
        self.context = context
        self.model = context.model
        self.classes = context.classes
        self.syntactic = context.syntactic
        self._own_async: frozenset[str] | None = None
        self._imported_async: frozenset[str] | None = None
        self._reachable_async: frozenset[str] | None = None
        self._budget: summaries.Budget | None = None
        self._own_summary: summaries.Summary | Literal[False] | None = None  # False: could not be made

    def own_summary(self) -> summaries.Summary | None:
        """The linted file's own summary, from the tree flake8 parsed (no
        second parse; made on first use); None if it could not be made."""
        if self._own_summary is None:
            try:
                self._own_summary = summaries.summarise(self.model.tree)
            except (Exception, MemoryError):  # RecursionError included: never a crash
                self._own_summary = False
        return self._own_summary or None

    def summary(self, path: str) -> summaries.Summary | None:
        """The summary of a project module file, charged to this file."""
        place = self.context.place
        if self._budget is None:
            self._budget = summaries.Budget(place.path)
        return self._budget.summary(path, place.max_module_size)

    def loop_coroutine_method(self, expr: ast.expr, scope: Scope) -> bool:
        """``loop.sock_recv``: the syntax knows the loop, asyncio knows that
        the method is a coroutine function (no tree needed)."""
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr in asyncio_model.facts().loop_coroutine_methods
            and expr.attr not in self.model.stored_attributes
            and self.syntactic.is_loop(expr.value, scope)
        )

    def could_be_async(self, name: str) -> bool:
        """Is there an ``async def name`` that astroid could reach at this
        level? A call of any other name cannot be a coroutine function call
        (short of aliases, which stay unknown), so astroid is not asked."""
        if self._own_async is None:
            summary = self.own_summary()
            if summary is not None:
                self._own_async = frozenset(summary["async_names"])
            else:  # the summary failed (recursion ran out): the scopes know them too
                own: set[str] = set()
                for scope in [self.model.module, *self.model.module.descendants()]:
                    for bindings in scope.bindings.values():
                        own.update(b.name for b in bindings if b.kind == ASYNC_DEF)
                self._own_async = frozenset(own)
        if name in self._own_async or name in asyncio_model.facts().async_names:
            return True
        if self.context.allows(Level.PROJECT):
            indexes = [INDEXES.project_index(root) for root in self.context.place.roots]
            if any(index.has(name) for index in indexes):
                return True
            if not all(index.complete for index in indexes) and name in self._reachable_names():
                return True
        return self.context.allows(Level.FULL) and name in self._third_party_names()

    def _reachable_names(self) -> frozenset[str]:
        """Past the index's cap, the ``async def`` names of the project
        modules this file imports are known all the same: what the file can
        reach comes first, whatever else the cap left out."""
        if self._reachable_async is None:
            names: set[str] = set()
            for modname in sorted(self._imported_modules()):
                path = self.context.place.project_file(modname)
                summary = self.summary(path) if path is not None else None
                if summary:
                    names.update(summary["async_names"])
            self._reachable_async = frozenset(names)
        return self._reachable_async

    def _imported_modules(self) -> set[str]:
        """The project module names this file's imports name (and, for
        ``from pkg import name``, ``pkg.name`` too: it may be a module)."""
        found: set[str] = set()
        place = self.context.place
        for node in ast.walk(self.model.tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = place.absolute(node.module, node.level or 0)
                if base is None:
                    continue
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        return found

    def could_be_async_on(self, name: str, refs: Sequence[ClassRef]) -> bool:
        """Could ``name`` be a coroutine method of one of ``refs``' classes?
        Also true at ``project`` when a class comes from an installed package
        that has an ``async def name``: an annotation or constructor names the
        one class that is then read (docs/inference.md)."""
        if self.could_be_async(name):
            return True
        stdlib: frozenset[str] = getattr(sys, "stdlib_module_names", frozenset())
        for ref in refs:
            top = (ref.qualname or "").split(".")[0]
            if top and top not in stdlib and self.context.place.project_file(top) is None:
                if name in INDEXES.package_names(top):
                    return True
        return False

    def _third_party_names(self) -> frozenset[str]:
        if self._imported_async is None:
            tops: set[str] = set()
            for scope in [self.model.module, *self.model.module.descendants()]:
                for bindings in scope.bindings.values():
                    tops.update(b.qualname.split(".")[0] for b in bindings if b.kind == IMPORT and b.qualname)
            tops.update(m.split(".")[0] for m in self.model.star_imports if not m.startswith("."))
            names: set[str] = set()
            stdlib: frozenset[str] = getattr(sys, "stdlib_module_names", frozenset())
            for top in sorted(tops):
                project = self.context.place.project_file(top) if top else None
                if top and top not in stdlib and top != "builtins" and project is None:
                    names |= INDEXES.package_names(top)
            self._imported_async = frozenset(names)
        return self._imported_async

    def worth_asking(self, expr: ast.expr, scope: Scope) -> bool:
        """Could astroid say more than the syntax did, and could it matter?
        (Asked only at ``local`` and above: the facade has no gates at ``off``.)"""
        model = self.model
        if isinstance(expr, ast.Name):
            bindings = model.bindings_of(expr.id, scope)
            if bindings is None:
                # A star import may bring it in.
                return bool(model.star_imports) and self.could_be_async(expr.id)
            if len(bindings) != 1:
                return False  # rebound: the syntax already found it ambiguous
            binding = bindings[0]
            if binding.kind == IMPORT:
                return self.could_be_async(imported_name(binding.node, expr.id))
            if not self.could_be_async(expr.id):
                return False
            if binding.kind == ASSIGN:
                return True
            # A def under a decorator astroid can read.
            decorated = bool(getattr(binding.node, "decorator_list", None))
            return binding.kind in (DEF, ASYNC_DEF) and decorated
        if isinstance(expr, ast.Attribute):
            if expr.attr in model.stored_attributes or not self.could_be_async(expr.attr):
                return False  # an instance attribute may shadow the method
            return self.receiver_worth_asking(expr.value, scope)
        return False

    def receiver_worth_asking(self, expr: ast.expr, scope: Scope) -> bool:
        """Could astroid tell what class ``expr`` is an instance of?

        Only the shapes where it usually can, judged from the syntax so that
        the rest costs nothing (on the corpus, receivers of other shapes came
        back unknown or plain): a module or class imported or defined here,
        ``self``/``cls``, a local or ``self.attr`` assigned only instances of
        a class (``Client()``, and ``None``, which cannot run a method), or
        ``Client()`` itself. Parameters need their callers; loop variables,
        unpacked tuples and call results mostly infer to nothing.
        """
        if isinstance(expr, ast.Call):
            return instantiates(expr)
        if isinstance(expr, ast.Name):
            bindings = self.model.bindings_of(expr.id, scope)
            if bindings is None:
                return bool(self.model.star_imports)
            if all(b.kind == ASSIGN for b in bindings):
                return only_instances(b.value for b in bindings)
            if len(bindings) != 1:
                return False
            binding = bindings[0]
            return binding.kind in (IMPORT, CLASS_DEF) or (
                binding.kind == PARAM and self.classes.method_of_receiver(binding.node) is not None
            )
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            binding = self.model.sole_binding(expr.value, scope)
            if binding is None:
                return False
            if binding.kind == IMPORT:
                return True  # ``module.Class`` or ``module.attr``
            found = self.classes.receiver(expr.value, scope)
            if found is not None and not self.syntactic.receivers.stored_elsewhere(expr.attr):
                values = self.classes.instance_attribute_values(found[1]).get(expr.attr, ())
                return only_instances(values)
        return False


def only_instances(values: Iterable[ast.AST | None]) -> bool:
    """Every value makes an instance of a class or is None, and one does."""
    seen = False
    for value in values:
        if isinstance(value, ast.Constant) and value.value is None:
            continue
        if not instantiates(value):
            return False
        seen = True
    return seen


def imported_name(statement: ast.AST, name: str) -> str:
    """The name an import binds ``name`` from: ``fetch`` for ``from .client
    import fetch as get``."""
    alias = alias_binding(statement, name)
    return alias.name.rsplit(".", 1)[-1] if alias is not None and alias.asname else name
