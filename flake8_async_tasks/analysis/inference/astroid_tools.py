"""Small readers of astroid's trees shared by the questions: spans, bounded
inference, qualified names through imports, and what a decorator does to the
function it decorates."""

from __future__ import annotations

from typing import Callable, Iterable

from astroid import nodes
from astroid.typing import InferenceResult, SuccessfulInferenceResult
from astroid.util import UninferableBase

from .. import asyncio_api as api

MAX_CANDIDATES = 8  # inferred values of one expression

# Effects of a decorator on the function it decorates.
KEEPS, ASYNC_WRAPPER = "keeps", "async wrapper"

# Nodes whose ``return`` statements are not their parent's.
_NESTED_SCOPES = (nodes.FunctionDef, nodes.ClassDef, nodes.Lambda)


def span(node: nodes.NodeNG) -> tuple[tuple[int, int], tuple[int, int]] | None:
    lineno = getattr(node, "lineno", None)
    end_lineno = getattr(node, "end_lineno", None)
    if lineno is None or end_lineno is None or node.col_offset is None or node.end_col_offset is None:
        return None
    start = (lineno, node.col_offset)
    decorators = getattr(node, "decorators", None)
    if decorators is not None and decorators.lineno is not None:
        start = min(start, (decorators.lineno, decorators.col_offset or 0))
    return start, (end_lineno, node.end_col_offset)


def infer(node: SuccessfulInferenceResult) -> list[SuccessfulInferenceResult] | None:
    return infer_all(node.infer)


def infer_all(infer: Callable[[], Iterable[InferenceResult]]) -> list[SuccessfulInferenceResult] | None:
    """Every value astroid infers, or None when any is Uninferable or there
    are too many to be an answer."""

    values: list[SuccessfulInferenceResult] = []
    for value in infer():
        if isinstance(value, UninferableBase):
            return None
        values.append(value)
        if len(values) > MAX_CANDIDATES:
            return None
    return values or None


def is_class(value: object) -> bool:
    return isinstance(value, nodes.ClassDef)


def is_none(value: object) -> bool:
    return isinstance(value, nodes.Const) and value.value is None


def qualname(node: SuccessfulInferenceResult) -> str | None:
    """``functools.wraps`` for a name or attribute, through the imports of
    its module, without loading any module."""

    if isinstance(node, nodes.Attribute):
        base = qualname(node.expr)
        return f"{base}.{node.attrname}" if base else None
    if not isinstance(node, nodes.Name):
        return None
    try:
        scope, assigned = node.lookup(node.name)
    except Exception:
        return None
    if isinstance(scope, nodes.Module) and scope.name == "builtins":
        return f"builtins.{node.name}"  # astroid looks builtins up in its own module
    if not assigned:
        return None
    if len(assigned) != 1:
        return None
    statement = assigned[0]
    if isinstance(statement, nodes.Import):
        for real, alias in statement.names:
            if alias == node.name:
                return real
            if alias is None and real.split(".")[0] == node.name:
                return node.name
    elif isinstance(statement, nodes.ImportFrom):
        for real, alias in statement.names:
            if (alias or real) == node.name:
                module = statement.modname
                if statement.level:
                    try:
                        # Annotated str, it reads a None modname (``from . import x``) as "".
                        module = statement.root().relative_to_absolute_name(
                            module, statement.level)  # type: ignore[arg-type]
                    except Exception:
                        return None
                return api.normalise(f"{module}.{real}")
    return None


def returned_nested_def(func: nodes.FunctionDef, kind: type[nodes.FunctionDef]) -> nodes.FunctionDef | None:
    """The def of type ``kind`` nested directly in ``func`` that every
    ``return`` of ``func`` returns by name, or None (a decorator factory
    returns its decorator, a decorator its wrapper)."""

    returns = list(func.nodes_of_class(nodes.Return, skip_klass=_NESTED_SCOPES))
    found = None
    for statement in returns:
        value = statement.value
        if not isinstance(value, nodes.Name):
            return None
        bound = func.locals.get(value.name, [])
        if len(bound) != 1 or type(bound[0]) is not kind or bound[0].parent is not func:
            return None
        if found is not None and found is not bound[0]:
            return None
        found = bound[0]
    return found


def decorator_function_effect(func: SuccessfulInferenceResult) -> str | None:
    """What the plain function ``func`` does to the function it decorates:
    returns it unchanged, wraps it in an ``async def`` under
    ``functools.wraps``, or something unknown."""

    if type(func) is not nodes.FunctionDef or func.decorators is not None:
        return None
    # ``args.args`` is None only for a function built from C: the TypeError
    # reaches the session's guard, which answers unknown.
    params = [*func.args.posonlyargs, *func.args.args]  # type: ignore[misc]
    if not params or len(func.locals.get(params[0].name, [])) != 1:
        return None
    wrapped = params[0].name
    returns = list(func.nodes_of_class(nodes.Return, skip_klass=_NESTED_SCOPES))
    if returns and all(isinstance(r.value, nodes.Name) and r.value.name == wrapped for r in returns):
        return KEEPS
    wrapper = returned_nested_def(func, nodes.AsyncFunctionDef)
    if wrapper is None or wrapper.is_generator() or wrapper.decorators is None:
        return None
    decorators = wrapper.decorators.nodes
    if (
        len(decorators) == 1
        and isinstance(decorators[0], nodes.Call)
        and qualname(decorators[0].func) == api.FUNCTOOLS_WRAPS
        and len(decorators[0].args) == 1
        and isinstance(decorators[0].args[0], nodes.Name)
        and decorators[0].args[0].name == wrapped
    ):
        return ASYNC_WRAPPER
    return None
