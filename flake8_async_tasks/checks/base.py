"""What a family of checks is given, and how it reports."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import NamedTuple, Sequence

from ..analysis import asyncio_api as api
from ..analysis.classes import ClassFacts
from ..analysis.flow import Flow, end_position, position
from ..analysis.inference import FileInference, Inference
from ..analysis.scopes import ModuleModel, Scope
from ..analysis.uses import DROPPED, use_of
from ..rule import Rule
from ..settings import DEFAULT, Settings

# Longest expression quoted in a message before it is shortened.
_MAX_SNIPPET = 60


class Finding(NamedTuple):
    line: int
    col: int
    message: str
    rule: type[Rule]


@dataclass
class FileContext:
    """Everything known about one file, built once and shared by the families."""

    tree: ast.Module
    settings: Settings = DEFAULT
    filename: str = ""  # where inference resolves imports from
    lines: Sequence[str] | None = None  # the text flake8 parsed, for astroid
    model: ModuleModel = field(init=False)
    classes: ClassFacts = field(init=False)
    inference: Inference = field(init=False)
    flow: Flow = field(init=False)
    findings: list[Finding] = field(default_factory=list)
    _tested: dict[ast.AST, set[str]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.model = ModuleModel(self.tree)
        self.classes = ClassFacts(self.model)
        self.inference = Inference(
            FileInference(
                self.model,
                self.classes,
                level=self.settings.inference,
                filename=self.filename,
                lines=self.lines,
                max_module_size=self.settings.max_module_size,
            )
        )
        self.flow = Flow(self.model)

    def calls(self) -> list[ast.Call]:
        """The calls the checks judge: every call of the module except those
        in a block expected to raise (``with pytest.raises(...):``), whose
        code is written to fail."""
        blocks = [
            (position(node.body[0]), end_position(node.body[-1]))
            for node, scope in self.model.withs
            if any(self._expects_raise(item.context_expr, scope) for item in node.items)
        ]
        if not blocks:
            return self.model.calls
        return [
            call for call in self.model.calls
            if not any(start <= position(call) and end_position(call) <= end for start, end in blocks)
        ]

    def slot_callbacks(self, call: ast.Call, scope: Scope) -> tuple[str, list[ast.expr]]:
        """The arguments of ``call`` that an API calls as plain functions
        (``loop.call_soon(cb)``, ``Thread(target=cb)``, any
        ``add_done_callback(cb)``), and the kind of slot: ``loop`` (loop
        callbacks and done callbacks), ``run_in_executor``, or the qualified
        name of the API (``threading.Thread``...)."""
        func = call.func
        position: int | None = None
        keyword: str | None = None
        slot_name = "loop"
        if isinstance(func, ast.Attribute):
            if func.attr == api.DONE_CALLBACK_METHOD:
                position = 0
            elif func.attr in api.LOOP_CALLBACK_SLOTS and self.inference.is_loop(func.value, scope):
                position = api.LOOP_CALLBACK_SLOTS[func.attr]
                if func.attr in api.RESULT_KEEPING_SLOTS:
                    slot_name = func.attr
        if position is None:
            slot_name = self.model.qualname(func, scope) or ""
            slot = api.CALLBACK_SLOTS.get(slot_name)
            if slot is None:
                return slot_name, []
            position, keyword = slot
        found = []
        if position < len(call.args):
            found.append(call.args[position])
        if keyword is not None:
            found.extend(k.value for k in call.keywords if k.arg == keyword)
        return slot_name, found

    def dual_mode(self, expr: ast.expr, scope: Scope, name: str | None = None) -> bool:
        """Does the function around ``expr``, a call or a callee, ask whether
        the callee is a coroutine function, or whether the call's result (the
        call itself, or the name ``name`` bound to it) is awaitable? Then it calls the callee both
        ways on purpose (libraries that swap sync wrappers in at run time) and
        awaits where it must: ``if not asyncio.iscoroutinefunction(f): f()``,
        ``result = f(); if inspect.isawaitable(result): await result``."""
        if self._tested is None:
            self._tested = {}
            for other in self.model.calls:
                if not other.args:
                    continue
                other_scope = self.model.scope_of[other]
                qualname = self.model.qualname(other.func, other_scope)
                awaitable_check = (
                    qualname == "builtins.isinstance"
                    and len(other.args) == 2
                    and self._names_awaitable(other.args[1], other_scope)
                )
                if qualname in api.DUAL_MODE_TESTS or awaitable_check:
                    code = self.model.function_scope(other_scope).node
                    self._tested.setdefault(code, set()).add(ast.dump(other.args[0]))
        tested = self._tested.get(self.model.function_scope(scope).node)
        if not tested:
            return False
        shapes = {ast.dump(expr)}
        if isinstance(expr, ast.Call):
            shapes.add(ast.dump(expr.func))
        if name is not None:
            shapes.add(ast.dump(ast.Name(name, ast.Load())))
        return not tested.isdisjoint(shapes)

    def _names_awaitable(self, expr: ast.expr, scope: Scope) -> bool:
        types = expr.elts if isinstance(expr, ast.Tuple) else [expr]
        return any(self.model.qualname(t, scope) in api.AWAITABLE_TYPES for t in types)

    def _expects_raise(self, expr: ast.expr, scope: Scope) -> bool:
        if not isinstance(expr, ast.Call):
            return False
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr in api.EXPECT_RAISES_METHODS:
            return True
        return self.model.qualname(func, scope) in api.EXPECT_RAISES

    def report(self, rule: type[Rule], node: ast.AST, **fields: str) -> None:
        # flake8 columns are 0-based here and shown 1-based; the first line of
        # the node is where users put their noqa comment. A reported node is
        # an expression or a statement, with the position ``ast.AST`` lacks.
        self.findings.append(
            Finding(node.lineno, node.col_offset, rule.format(**fields), rule)  # type: ignore[attr-defined]
        )


def snippet(node: ast.AST) -> str:
    """Source-like text for a message, shortened to stay on one line."""
    try:
        text = ast.unparse(node)
    except Exception:  # unparse of odd trees: show the node type instead
        text = type(node).__name__
    text = " ".join(text.split())
    if len(text) > _MAX_SNIPPET:
        text = text[: _MAX_SNIPPET - 3] + "..."
    return text


def call_snippet(call: ast.Call) -> str:
    """``asyncio.create_task(...)`` style name of a call."""
    return f"{snippet(call.func)}()"


def discarded(model: ModuleModel, node: ast.AST) -> bool:
    """Is the value of ``node`` thrown away as soon as it is made? A bare
    expression statement, ``_ = ...``, or an element of a display that is
    itself dropped (:func:`..analysis.uses.use_of`)."""
    return use_of(model, node).kind == DROPPED
