"""``use_of``: one answer to "what does the code around this value do with
it", the same for a call and for a name bound to that call."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

from flake8_async_tasks import docs
from flake8_async_tasks.analysis.scopes import ModuleModel
from flake8_async_tasks.analysis.uses import USES, Use, use_of

# (code with ``X`` where the value is used, the use). Each runs twice: with
# ``X`` replaced by the call ``fetch()``, and by a name ``c`` bound to it first.
CASES = [
    ("await X", "await"),
    ("gather(X)", "argument"),
    ("jobs.append(X)", "argument"),
    ("f(key=X)", "argument"),
    ("return X", "return"),
    ("cb = lambda: X", "return"),
    ("yield X", "yield"),
    ("self.job = X", "store"),
    ("jobs[0] = X", "store"),
    ("jobs = [X]", "store"),
    ("jobs = {1: X}", "store"),
    ("seen = pending[X]", "store"),
    ("a, b = X, 1", "store"),
    ("with X: pass", "other"),
    ("X()", "other"),
    ("n += X", "other"),
    ("X.status", "attribute"),
    ("X.close()", "attribute"),
    ("X[0]", "subscript"),
    ("same = X == 1", "comparison"),
    ("same = X is None", "comparison"),
    ("total = X + 1", "arithmetic"),
    ("negative = -X", "unary"),
    ("text = f'{X}'", "formatting"),
    ("size = len(X)", "reader"),
    ("print(X)", "reader"),
    ("log.info('%s', X)", "logging"),
    ("for item in X: pass", "iteration"),
    ("items = [item for item in X]", "iteration"),
    ("a, b = X", "unpacking"),
    ("[a, b] = X", "unpacking"),
    ("f(*X)", "unpacking"),
    ("if X: pass", "truth test"),
    ("while X: break", "truth test"),
    ("assert X", "truth test"),
    ("flag = not X", "truth test"),
    ("flag = X and default", "truth test"),
    ("if default or X: pass", "truth test"),
    ("X or default", "statement"),
    ("flag = 1 if X else 2", "truth test"),
    ("kept = [item for item in items if X]", "truth test"),
    ("X", "statement"),
    ("[X, other]", "statement"),
    ("cond and X", "statement"),
    ("X if cond else None", "statement"),
    ("_ = X", "underscore"),
    ("job = default or X", "binding"),
]


def _use(body: str, bound: bool) -> Use:
    if bound:
        source = "c = fetch()\n" + body.replace("X", "c")
    else:
        source = body.replace("X", "fetch()")
    if "yield" in body or "return" in body:
        source = "def f():\n" + textwrap.indent(source, "    ")
    else:
        source = "async def f():\n" + textwrap.indent(source, "    ")
    model = ModuleModel(ast.parse(source))
    if bound:
        node = next(n for n in ast.walk(model.tree) if isinstance(n, ast.Name) and n.id == "c"
                    and isinstance(n.ctx, ast.Load))
    else:
        node = next(c for c in model.calls if isinstance(c.func, ast.Name) and c.func.id == "fetch")
    return use_of(model, node)


@pytest.mark.parametrize("body, how", CASES, ids=[c[0] for c in CASES])
def test_a_call_and_a_bound_name_get_the_same_use(body, how):
    inline = _use(body, bound=False)
    assert inline.how == how
    if how != "binding":  # ``job = default or c`` binds the call's value to a name
        assert _use(body, bound=True).how == how


def test_every_use_has_a_case():
    assert {how for _, how in CASES} == set(USES) - {"delegation", "plain yield from"}


@pytest.mark.parametrize(
    "decorator, how",
    [("", "plain yield from"), ("@types.coroutine", "delegation"), ("@asyncio.coroutine", "delegation"),
     ("@local_decorator", "delegation"), ("@functools.lru_cache", "plain yield from")],
)
def test_yield_from_in_a_generator(decorator, how):
    source = f"import asyncio, functools, types\n{decorator}\ndef gen():\n    yield from fetch()\n"
    model = ModuleModel(ast.parse(source))
    assert use_of(model, model.calls[0]).how == how


def test_method_called():
    model = ModuleModel(ast.parse("c.cancel()\ncb = c.cancel\n"))
    reads = sorted((n for n in ast.walk(model.tree) if isinstance(n, ast.Name) and n.id == "c"),
                   key=lambda n: n.lineno)
    assert [use_of(model, r).method_called for r in reads] == ["cancel", None]


def test_deep_displays_do_not_recurse():
    where = {"lineno": 1, "col_offset": 0, "end_lineno": 1, "end_col_offset": 1}
    node: ast.expr = ast.Call(ast.Name("fetch", ast.Load(), **where), [], [], **where)
    for _ in range(5000):  # deeper than the parser allows, and than recursion would
        node = ast.List([node], ast.Load(), **where)
    model = ModuleModel(ast.Module([ast.Expr(node, **where)], []))
    assert use_of(model, model.calls[0]).how == "statement"


def test_the_table_in_the_docs_is_current():
    page = (Path(__file__).parent.parent / "docs" / "inference.md").read_text(encoding="utf-8")
    assert docs.render_uses(page) == page, "regenerate it: python -m flake8_async_tasks.docs docs"
    assert re.search(r"\| await \| awaited \|", page)


# The rules agree with the classification, for a coroutine and for a task,
# inline and bound: what each use gives (inline, bound).
_COROUTINE_CODES = {"awaited": (None, None), "handed on": (None, None),
                    "only looked at": ("AIO203", "AIO202"), "dropped": ("AIO201", "AIO202")}
_TASK_LOOKS = {"truth test", "comparison", "formatting", "reader", "logging"}


def _codes(source: str) -> set[str]:
    from flake8_async_tasks.checks import check
    from flake8_async_tasks.settings import Settings

    found = check(ast.parse(source), Settings(inference="off", task_keepers=()))
    return {f.rule.code for f in found if f.rule.code not in ("AIO104",)}


def _program(body: str, value: str, bound: bool) -> str:
    head = "import asyncio\n\n\nasync def fetch(): ...\n\n\n"
    generator = "yield" in body
    lines = [f"c = {value}", body.replace("X", "c")] if bound else [body.replace("X", value)]
    params = "f, jobs, log, gather, default, cond, items, n, other"
    code = f"{'def' if generator else 'async def'} subject({params}):\n"
    return head + code + textwrap.indent("\n".join(lines), "    ") + "\n"


_RULE_CASES = [(body, how) for body, how in CASES if how not in ("binding", "other", "return")]


@pytest.mark.parametrize("body, how", _RULE_CASES, ids=[c[0] for c in _RULE_CASES])
def test_the_coroutine_rules_follow_the_use(body, how):
    inline, bound = _COROUTINE_CODES[USES[how][0]]
    if how == "attribute" and "close" in body:
        inline = bound = None  # close() ends a coroutine on purpose
    if "await" in body or "yield" in body or "with X" in body or "X()" in body:
        pytest.skip("not a plain expression of a coroutine here")
    assert _codes(_program(body, "fetch()", bound=False)) & {"AIO201", "AIO202", "AIO203"} == (
        {inline} if inline else set()
    )
    assert _codes(_program(body, "fetch()", bound=True)) & {"AIO201", "AIO202", "AIO203"} == (
        {bound} if bound else set()
    )


@pytest.mark.parametrize("body, how", _RULE_CASES, ids=[c[0] for c in _RULE_CASES])
def test_the_task_rules_follow_the_use(body, how):
    if "yield" in body or "await" in body:
        pytest.skip("not a plain expression of a task here")
    lost = USES[how][0] == "dropped" or how in _TASK_LOOKS
    task = "asyncio.create_task(fetch())"
    assert ("AIO101" in _codes(_program(body, task, bound=False))) is lost
    bound_codes = _codes(_program(body, task, bound=True))
    assert ("AIO102" in bound_codes) is lost
