"""Unit tests of the shared analysis: ModuleModel (scopes, bindings, qualified
names), Flow (which reads see a binding) and the syntactic Inference."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_async_tasks.analysis import asyncio_api as api
from flake8_async_tasks.analysis.flow import Flow
from flake8_async_tasks.analysis.uses import keeps_task, use_of
from flake8_async_tasks.checks.base import FileContext
from flake8_async_tasks.analysis.inference import Inference, Kind
from flake8_async_tasks.analysis.scopes import (
    ASSIGN,
    CLASS,
    COMPREHENSION,
    FUNCTION,
    MODULE,
    ModuleModel,
    Scope,
)


class Module:
    """A parsed snippet with helpers to find its nodes by source text."""

    def __init__(self, source: str) -> None:
        self.source = textwrap.dedent(source)
        self.tree = ast.parse(self.source)
        self.model = ModuleModel(self.tree)
        self.flow = Flow(self.model)
        self.inference = Inference(self.model)

    def call(self, text: str, nth: int = 0) -> ast.Call:
        found = [c for c in self.model.calls if ast.unparse(c) == text]
        assert len(found) > nth, f"no call {text!r} in {[ast.unparse(c) for c in self.model.calls]}"
        return found[nth]

    def scope_of_call(self, text: str, nth: int = 0) -> Scope:
        return self.model.scope_of[self.call(text, nth)]

    def function(self, name: str) -> Scope:
        for node, scope in self.model.function_scopes.items():
            if getattr(node, "name", None) == name:
                return scope
        raise AssertionError(f"no def or class {name}")

    def kind_of_callee(self, text: str, nth: int = 0) -> Kind:
        call = self.call(text, nth)
        return self.inference.function_kind(call.func, self.model.scope_of[call])

    def assignment(self, scope: Scope, name: str, nth: int = 0):
        return [b for b in scope.bindings[name] if b.kind == ASSIGN][nth]

    def line_of(self, text: str) -> int:
        lines = [i for i, line in enumerate(self.source.splitlines(), 1) if text in line]
        assert len(lines) == 1, f"{text!r} on lines {lines}"
        return lines[0]


# ================================================================ ModuleModel


def test_lookup_through_enclosing_function_scopes():
    m = Module(
        """\
        value = 1

        def outer():
            value = 2
            def inner():
                print(value)
            def shadows():
                value = 3
                print(value)
        """
    )
    outer, inner, shadows = m.function("outer"), m.function("inner"), m.function("shadows")
    assert m.model.lookup("value", inner) is outer
    assert m.model.lookup("value", shadows) is shadows
    assert m.model.lookup("value", outer) is outer
    assert m.model.lookup("value", m.model.module) is m.model.module
    assert m.model.lookup("print", inner) is None  # a builtin: no visible binding


def test_class_scope_is_skipped_by_nested_functions():
    m = Module(
        """\
        name = "module"

        class C:
            name = "class"
            other = "class only"
            seen_in_body = name

            def method(self):
                return name, other
        """
    )
    cls, method = m.function("C"), m.function("method")
    assert cls.kind == CLASS
    assert m.model.lookup("name", cls) is cls  # the class body sees its own names
    assert m.model.lookup("name", method) is m.model.module
    assert m.model.lookup("other", method) is None


def test_global_binds_in_the_module():
    m = Module(
        """\
        def setup():
            global handler
            handler = make()
        """
    )
    setup = m.function("setup")
    assert "handler" in m.model.module.bindings
    assert "handler" not in setup.bindings
    assert m.model.lookup("handler", setup) is m.model.module


def test_global_of_a_name_the_module_never_binds():
    m = Module(
        """\
        def reader():
            global missing
            return missing
        """
    )
    assert m.model.lookup("missing", m.function("reader")) is None


def test_nonlocal_moves_the_binding_to_the_owner():
    m = Module(
        """\
        def outer():
            task = None
            def inner():
                nonlocal task
                task = start()
            return inner
        """
    )
    outer, inner = m.function("outer"), m.function("inner")
    assert "task" not in inner.bindings
    assert len(outer.bindings["task"]) == 2
    assert m.model.lookup("task", inner) is outer


def test_comprehension_scope_and_walrus():
    m = Module(
        """\
        def f(items):
            squares = [x * x for x in items]
            picked = [last := y for y in items]
            return squares, picked, last
        """
    )
    f = m.function("f")
    assert "x" not in f.bindings and "y" not in f.bindings
    assert "last" in f.bindings  # a walrus in a comprehension binds in the function
    comprehensions = [s for s in f.children if s.kind == COMPREHENSION]
    assert len(comprehensions) == 2
    assert "x" in comprehensions[0].bindings
    # The first iterable is evaluated in the enclosing scope.
    assert len(f.loads["items"]) == 2


def test_defaults_and_annotations_belong_to_the_enclosing_scope():
    m = Module(
        """\
        import asyncio

        def f(loop: asyncio.AbstractEventLoop = DEFAULT):
            return loop
        """
    )
    f = m.function("f")
    assert "DEFAULT" in m.model.module.loads and "asyncio" in m.model.module.loads
    assert "asyncio" not in f.loads
    (param,) = f.bindings["loop"]
    assert param.kind == "param"
    assert ast.unparse(param.value) == "asyncio.AbstractEventLoop"


@pytest.mark.parametrize(
    "imports, expr, qualname",
    [
        ("import asyncio", "asyncio.create_task", "asyncio.create_task"),
        ("import asyncio", "asyncio.tasks.create_task", "asyncio.create_task"),
        ("import asyncio.tasks", "asyncio.tasks.create_task", "asyncio.create_task"),
        ("import asyncio as aio", "aio.events.get_running_loop", "asyncio.get_running_loop"),
        ("from asyncio import tasks", "tasks.ensure_future", "asyncio.ensure_future"),
        ("from asyncio.tasks import create_task as spawn", "spawn", "asyncio.create_task"),
        ("from asyncio import *", "gather", "asyncio.gather"),
        ("from asyncio import *", "sleep", "asyncio.sleep"),
        ("from asyncio import *", "not_an_asyncio_name", None),
        ("from asyncio import *\nfrom other import *", "gather", None),
        ("import os", "print", "builtins.print"),
        ("print = log", "print", None),
        ("from . import asyncio", "asyncio.create_task", None),
        ("import trio", "trio.sleep", "trio.sleep"),
        ("import asyncio", "asyncio.not_a_submodule.thing", "asyncio.not_a_submodule.thing"),
        ("import asyncio", "unknown_name", None),
    ],
)
def test_qualname(imports, expr, qualname):
    m = Module(imports + "\n" + expr + "\n")
    node = m.tree.body[-1].value
    assert m.model.qualname(node, m.model.module) == qualname


def test_qualname_when_a_name_is_bound_two_ways():
    m = Module(
        """\
        try:
            from asyncio import timeout
        except ImportError:
            from async_timeout import timeout
        timeout
        """
    )
    assert m.model.qualname(m.tree.body[-1].value, m.model.module) is None


def test_normalise():
    assert api.normalise("asyncio.tasks.create_task") == "asyncio.create_task"
    assert api.normalise("asyncio.events.AbstractEventLoop") == "asyncio.AbstractEventLoop"
    assert api.normalise("asyncio.create_task") == "asyncio.create_task"
    assert api.normalise("asyncio.tasks.Task.cancel") == "asyncio.tasks.Task.cancel"
    assert api.normalise("trio.tasks.x") == "trio.tasks.x"


def test_calls_inside_expected_failures_are_not_judged():
    m = Module(
        """\
        import pytest

        def test(self):
            with pytest.raises(TypeError):
                first()
            with self.assertRaises(ValueError):
                second()
            with open("f"):
                third()
        """
    )
    texts = {ast.unparse(c) for c in FileContext(m.tree).calls()}
    assert "first()" not in texts and "second()" not in texts
    assert "third()" in texts


def test_dynamic_scopes_and_async_generators():
    m = Module(
        """\
        async def agen():
            yield 1

        async def coro():
            return locals()

        async def has_nested_generator():
            def inner():
                yield 1
        """
    )
    assert m.function("agen").is_generator and not m.function("agen").dynamic
    assert m.function("coro").dynamic and not m.function("coro").is_generator
    assert not m.function("has_nested_generator").is_generator


def test_block_and_enclosing_loop():
    m = Module(
        """\
        async def f(items):
            for item in items:
                while item:
                    task = start(item)
        """
    )
    call = m.call("start(item)")
    stmt = m.model.parent[call]  # the assignment statement
    assert isinstance(stmt, ast.Assign)
    assert m.model.block_of(stmt) is m.tree.body[0].body[0].body[0].body
    loop = m.model.enclosing_loop(stmt, m.tree.body[0])
    assert isinstance(loop, ast.For)  # the outermost loop


# ======================================================================= Flow


def _visible(m: Module, scope: Scope, name: str, nth: int = 0) -> list[int]:
    binding = m.assignment(scope, name, nth)
    return sorted(read.lineno for read in m.flow.visible_reads(binding, scope))


def test_visible_reads_after_the_binding():
    m = Module(
        """\
        async def f():
            print(task)
            task = start()
            task.cancel()
            await task
        """
    )
    assert _visible(m, m.function("f"), "task") == [4, 5]


def test_rebinding_in_the_same_block_kills():
    m = Module(
        """\
        async def f():
            task = start(1)
            task = start(2)
            await task
        """
    )
    f = m.function("f")
    assert _visible(m, f, "task", 0) == []
    assert _visible(m, f, "task", 1) == [4]


def test_the_rebinding_statement_still_reads_the_old_value():
    m = Module(
        """\
        async def f():
            task = start(1)
            task = wrap(
                task,
            )
            after = task
        """
    )
    f = m.function("f")
    assert _visible(m, f, "task", 0) == [4]
    assert _visible(m, f, "task", 1) == [6]


def test_rebinding_under_if_does_not_kill():
    m = Module(
        """\
        async def f(flag):
            task = start(1)
            if flag:
                task = start(2)
            await task
        """
    )
    assert _visible(m, m.function("f"), "task", 0) == [5]


def test_reads_earlier_in_a_loop_are_visible():
    m = Module(
        """\
        async def f(items):
            task = None
            for item in items:
                if task:
                    await task
                task = start(item)
            print("done")
        """
    )
    assert _visible(m, m.function("f"), "task", 1) == [4, 5]


def test_a_kill_in_the_loop_body_hides_the_top_of_the_loop():
    m = Module(
        """\
        async def f(items):
            for item in items:
                await task
                task = start(1)
                task = start(2)
        """
    )
    assert _visible(m, m.function("f"), "task", 0) == []


def test_a_break_or_continue_before_the_rebinding_cancels_the_kill():
    m = Module(
        """\
        async def f(items):
            for item in items:
                task = start(1)
                if item:
                    break
                task = start(2)
            await task

        async def g(items):
            for item in items:
                await task
                task = start(1)
                while item:
                    continue
                try:
                    pass
                finally:
                    for other in items:
                        pass
                    else:
                        continue
                task = start(2)

        async def h(items):
            task = start(1)
            for item in items:
                if item:
                    break
            def inner():
                for x in items:
                    pass
            task = start(2)
            await task
        """
    )
    assert _visible(m, m.function("f"), "task", 0) == [7]
    # The else of an inner loop continues the loop around it.
    assert _visible(m, m.function("g"), "task", 0) == [11]
    # A break aimed at an inner loop does not leave the block.
    assert _visible(m, m.function("h"), "task", 0) == []


def test_reads_in_comprehensions_count():
    m = Module(
        """\
        async def f(items):
            task = start()
            return [task for _ in items]
        """
    )
    assert _visible(m, m.function("f"), "task") == [3]


def test_trackable():
    m = Module(
        """\
        async def plain():
            task = start()

        async def captured():
            task = start()
            def inner():
                return task

        async def captured_by_lambda():
            task = start()
            return lambda: task

        async def shadowed_in_inner():
            task = start()
            def inner():
                task = 1
                return task

        def uses_global():
            global task
            task = start()

        async def dynamic():
            task = start()
            return vars()
        """
    )
    assert m.flow.is_trackable("task", m.function("plain"))
    assert not m.flow.is_trackable("task", m.function("captured"))
    assert not m.flow.is_trackable("task", m.function("captured_by_lambda"))
    assert m.flow.is_trackable("task", m.function("shadowed_in_inner"))
    assert not m.flow.is_trackable("task", m.function("uses_global"))
    assert not m.flow.is_trackable("task", m.function("dynamic"))


def test_task_reads_kept_or_not():
    m = Module(
        """\
        async def f(loop):
            task = start()
            task.cancel()
            task.add_done_callback(print)
            loop.call_soon(task.cancel)
            await task
            print(task.result())
            print(task)
        """
    )
    reads = m.function("f").loads["task"]
    uses = [use_of(m.model, r) for r in reads]
    assert [keeps_task(u) for u in uses] == [False, False, True, True, True, False]
    # After a cancel(), AIO103 counts printing it as a use that may await it.
    assert [keeps_task(u, only_read=False) for u in uses] == [False, False, True, True, True, True]


def test_reads_after_a_node():
    m = Module(
        """\
        async def f(items):
            task = start()
            await task
            task.cancel()
            print(task)
        """
    )
    f = m.function("f")
    cancel = m.call("task.cancel()")
    reads = m.flow.visible_reads(m.assignment(f, "task"), f)
    assert [r.lineno for r in m.flow.reads_after(cancel, reads, f)] == [5]


def test_reads_after_a_node_stop_where_the_name_is_rebound():
    """The kill rule of visible_reads holds after a node too (AIO103 and
    AIO102 share it): a read of the next task is not a read of this one."""
    m = Module(
        """\
        async def f():
            task = start()
            task.cancel()
            task = start()
            await task
        """
    )
    f = m.function("f")
    cancel = m.call("task.cancel()")
    reads = m.flow.visible_reads(m.assignment(f, "task"), f)
    assert [r.lineno for r in m.flow.reads_after(cancel, reads, f)] == []


# ================================================================== Inference


INFERENCE_SOURCE = """\
import abc
import asyncio
import functools
from helpers import imported, decorate


async def coroutine_function(): ...


def plain(): ...


@decorate
async def decorated(): ...


@functools.wraps(plain)
async def wrapped(): ...


async def agen():
    yield 1


if flag:
    async def either(): ...
else:
    def either(): ...


async def main():
    async def nested(): ...

    def nested_sync(): ...

    coroutine_function()
    plain()
    decorated()
    wrapped()
    agen()
    either()
    nested()
    nested_sync()
    imported()
    asyncio.sleep(1)
    asyncio.to_thread(plain)
    asyncio.create_task(nested())
    print()


class Base:
    async def fetch(self): ...

    def close(self): ...

    @staticmethod
    async def static(): ...

    @classmethod
    async def build(cls): ...

    @abc.abstractmethod
    async def abstract(self): ...

    async def overridden(self): ...

    async def use(self):
        self.fetch()
        self.close()
        self.static()
        self.build()
        self.abstract()
        self.overridden()
        self.missing()

    @classmethod
    async def factory(cls):
        cls.build()
        cls.fetch()

    @staticmethod
    async def not_a_method(self):
        self.fetch()


class Child(Base):
    def overridden(self): ...

    async def child_use(self):
        self.fetch()

        def inner():
            self.fetch()

        inner()


class FromUnknown(Imported):
    async def run(self):
        self.anything()
"""


@pytest.fixture(scope="module")
def inference_module() -> Module:
    return Module(INFERENCE_SOURCE)


@pytest.mark.parametrize(
    "call, kind",
    [
        ("coroutine_function()", Kind.COROUTINE_FUNCTION),
        ("plain()", Kind.SYNC),
        ("decorated()", Kind.UNKNOWN),  # an unknown decorator may return anything
        ("wrapped()", Kind.COROUTINE_FUNCTION),  # functools.wraps keeps the function
        ("agen()", Kind.UNKNOWN),  # an async generator function, not a coroutine function
        ("either()", Kind.UNKNOWN),  # the two definitions disagree
        ("nested()", Kind.COROUTINE_FUNCTION),
        ("nested_sync()", Kind.SYNC),
        ("asyncio.sleep(1)", Kind.COROUTINE_FUNCTION),
        ("asyncio.to_thread(plain)", Kind.COROUTINE_FUNCTION),
        ("asyncio.create_task(nested())", Kind.UNKNOWN),
        ("print()", Kind.UNKNOWN),
        ("self.fetch()", Kind.COROUTINE_FUNCTION),
        ("self.close()", Kind.SYNC),
        ("self.static()", Kind.COROUTINE_FUNCTION),
        ("self.build()", Kind.COROUTINE_FUNCTION),
        ("self.abstract()", Kind.COROUTINE_FUNCTION),
        ("self.overridden()", Kind.UNKNOWN),  # Child overrides it with a plain def
        ("self.missing()", Kind.UNKNOWN),
        ("cls.build()", Kind.COROUTINE_FUNCTION),
        ("cls.fetch()", Kind.UNKNOWN),  # an instance method reached through the class
        ("self.anything()", Kind.UNKNOWN),  # an unknown base may define it
    ],
)
def test_function_kind(inference_module, call, kind):
    assert inference_module.kind_of_callee(call) is kind


def test_function_kind_of_a_parameter_named_self_in_a_staticmethod(inference_module):
    # `self.fetch()` occurs in Base.use, Base.not_a_method, Child.child_use
    # and inner(); in the staticmethod `self` is an ordinary parameter.
    m = inference_module
    kinds = [m.kind_of_callee("self.fetch()", i) for i in range(4)]
    assert kinds == [Kind.COROUTINE_FUNCTION, Kind.UNKNOWN, Kind.COROUTINE_FUNCTION, Kind.COROUTINE_FUNCTION]


def test_imported_callee_is_unknown_without_astroid(inference_module):
    assert inference_module.kind_of_callee("imported()") is Kind.UNKNOWN


def test_instance_attribute_may_shadow_a_method():
    m = Module(
        """\
        class C:
            def __init__(self, fetch):
                self.fetch = fetch

            async def fetch(self): ...

            async def run(self):
                self.fetch()
        """
    )
    assert m.kind_of_callee("self.fetch()") is Kind.UNKNOWN


LOOP_SOURCE = """\
import asyncio
from asyncio import AbstractEventLoop


async def f(annotated: asyncio.AbstractEventLoop, imported: AbstractEventLoop,
            quoted: "asyncio.AbstractEventLoop", bare, optional: AbstractEventLoop | None):
    running = asyncio.get_running_loop()
    alias = running
    sometimes = asyncio.get_event_loop()
    if bare:
        sometimes = bare
    running.create_task(x())
    alias.create_task(x())
    annotated.create_task(x())
    imported.create_task(x())
    quoted.create_task(x())
    bare.create_task(x())
    sometimes.create_task(x())
    optional.create_task(x())
    asyncio.new_event_loop().create_task(x())
    asyncio.get_running_loop().create_task(x())
    self._loop.create_task(x())
    self.client.loop.create_task(x())
    self._pool._loop.create_task(x())
    self.looper.create_task(x())
    make_loop().create_task(x())
    async with asyncio.TaskGroup() as tg:
        tg.create_task(x())
    async with other.TaskGroup() as og:
        og.create_task(x())
    tg2 = asyncio.TaskGroup()
    tg2.create_task(x())
"""


@pytest.fixture(scope="module")
def loop_module() -> Module:
    return Module(LOOP_SOURCE)


@pytest.mark.parametrize(
    "receiver, is_loop",
    [
        ("running", True),
        ("alias", True),
        ("annotated", True),
        ("imported", True),
        ("quoted", True),
        ("bare", False),
        ("sometimes", False),  # one of its bindings is not a loop
        ("optional", True),
        ("asyncio.new_event_loop()", True),
        ("asyncio.get_running_loop()", True),
        ("self._loop", True),
        ("self.client.loop", True),
        ("self._pool._loop", True),
        ("self.looper", False),
        ("make_loop()", False),
        ("tg", False),
    ],
)
def test_is_loop(loop_module, receiver, is_loop):
    m = loop_module
    call = m.call(f"{receiver}.create_task(x())")
    assert m.inference.is_loop(call.func.value, m.model.scope_of[call]) is is_loop


@pytest.mark.parametrize("receiver, is_group",
                         [("tg", True), ("og", False), ("tg2", False), ("running", False)])
def test_is_task_group(loop_module, receiver, is_group):
    m = loop_module
    call = m.call(f"{receiver}.create_task(x())")
    assert m.inference.is_task_group(call.func.value, m.model.scope_of[call]) is is_group


def test_module_scope_kinds():
    m = Module("x = 1\n")
    assert m.model.module.kind == MODULE
    m = Module("def f():\n    pass\n")
    assert m.function("f").kind == FUNCTION


@pytest.mark.parametrize(
    "annotation, is_loop",
    [
        ('"asyncio.AbstractEventLoop"', True),
        ('"AbstractEventLoop"', True),  # imported from asyncio
        ('"Optional[AbstractEventLoop]"', True),
        ('"mylib.AbstractEventLoop"', False),  # another library's class of that name
        ("mylib.AbstractEventLoop", False),
        ('"NotALoop"', False),
        ('"not valid python ("', False),
    ],
)
def test_quoted_loop_annotations_resolve_through_imports(annotation, is_loop):
    """A quoted annotation is read like the unquoted one: through the
    module's imports, not by the last word of the string."""
    m = Module(
        f"""\
        import asyncio
        import mylib
        from asyncio import AbstractEventLoop
        from typing import Optional

        async def f(loop: {annotation}):
            loop.create_task(x())
        """
    )
    call = m.call("loop.create_task(x())")
    assert m.inference.is_loop(call.func.value, m.model.scope_of[call]) is is_loop


# ================================================================== Receivers

RECEIVER_SOURCE = """\
import asyncio
from typing import Optional
from lib import Remote


class Conn:
    async def fetch(self): ...


class Other:
    pass


class Holder:
    def __init__(self):
        self.conn = None
        self.both = Conn()
        self.remote = Remote()

    def later(self, flag):
        self.conn = Conn()
        if flag:
            self.both = Other()

    async def use(self, a: Conn, b: Optional["Conn"], c, d: "Remote | None"):
        self.conn.fetch()
        self.both.fetch()
        self.remote.fetch()
        a.fetch()
        b.fetch()
        c.fetch()
        d.fetch()
        reader, writer = await asyncio.open_connection("h", 1)
        writer.drain()
"""


@pytest.mark.parametrize(
    "receiver, expected",
    [
        ("self.conn", ["Conn"]),  # None is left out
        ("self.both", ["Conn", "Other"]),  # either: the method must agree on both
        ("self.remote", ["lib.Remote"]),
        ("a", ["Conn"]),
        ("b", ["Conn"]),
        ("c", None),  # no annotation
        ("d", ["lib.Remote"]),
        ("writer", ["asyncio.StreamWriter"]),
    ],
)
def test_receivers_know_the_class_from_the_syntax(receiver, expected):
    m = Module(RECEIVER_SOURCE)
    call = m.call(f"{receiver}.{'drain' if receiver == 'writer' else 'fetch'}()")
    refs = m.inference.syntactic.receivers.instance_of(call.func.value, m.model.scope_of[call])
    names = None if refs is None else [ref.local.name if ref.local else ref.qualname for ref in refs]
    assert names == expected


def test_classes_that_disagree_make_the_method_unknown():
    m = Module(RECEIVER_SOURCE)
    assert m.kind_of_callee("self.conn.fetch()") is Kind.COROUTINE_FUNCTION
    assert m.kind_of_callee("self.both.fetch()") is Kind.UNKNOWN  # Other has no fetch
    assert m.kind_of_callee("c.fetch()") is Kind.UNKNOWN


def test_an_attribute_stored_on_another_object_is_unknown():
    m = Module(
        """\
        class Conn:
            async def fetch(self): ...

        class Holder:
            def __init__(self):
                self.conn = Conn()

            def use(self):
                self.conn.fetch()

        def swap(holder):
            holder.conn = object()
        """
    )
    call = m.call("self.conn.fetch()")
    assert m.inference.syntactic.receivers.instance_of(call.func.value, m.model.scope_of[call]) is None
    assert m.kind_of_callee("self.conn.fetch()") is Kind.UNKNOWN


def test_one_inference_context_per_file():
    """FileContext owns the file's FileInference; the facade, its gates and
    astroid's questions share it, and the level is a Level from the option on."""
    import argparse

    from flake8_async_tasks.analysis.inference import FileInference, Level
    from flake8_async_tasks.settings import Settings

    settings = Settings.from_options(argparse.Namespace(aio_inference="full"))
    assert settings.inference is Level.FULL
    assert Settings(inference="local").inference is Level.LOCAL
    ctx = FileContext(ast.parse("x = 1\n"), settings)
    context = ctx.inference.context
    assert isinstance(context, FileInference)
    assert context.model is ctx.model and context.classes is ctx.classes
    assert ctx.inference.gates is not None and ctx.inference.gates.context is context
    assert context.allows(Level.PROJECT) and context.allows(Level.FULL)
    off = FileContext(ast.parse("x = 1\n"), Settings(inference="off"))
    assert off.inference.gates is None and not off.inference.context.allows(Level.LOCAL)


@pytest.mark.parametrize(
    "name, verdict",
    [("Client", True), ("HTTPServer", True), ("HTTP", True), ("URL", True), ("yarl.URL", True),
     ("MAX_SIZE", False), ("client", False), ("_Client", False), ("mod.make", False)],
)
def test_one_capwords_convention(name, verdict):
    """The receivers and the gates share one test of "a CapWords name is a
    class" (they used to differ on ``HTTP()``)."""
    from flake8_async_tasks.analysis.scopes import instantiates
    from flake8_async_tasks.analysis.scopes import is_class_name

    assert is_class_name(name) is verdict
    assert instantiates(ast.parse(f"{name}()", mode="eval").body) is verdict


def test_one_binding_and_one_import_alias_convention():
    m = Module(
        """\
        import app.api
        import app.jobs as jobs
        from .client import fetch as get, close

        def once(): ...

        twice = 1
        twice = 2
        """
    )
    from flake8_async_tasks.analysis.scopes import DEF, IMPORT, alias_binding

    module = m.model.module
    assert m.model.sole_binding("once", module, DEF).node.name == "once"
    assert m.model.sole_binding("once", module, IMPORT) is None
    assert m.model.sole_binding("twice", module) is None
    statements = m.tree.body
    assert alias_binding(statements[0], "app").name == "app.api"
    assert alias_binding(statements[1], "jobs").name == "app.jobs"
    assert alias_binding(statements[1], "app") is None
    assert alias_binding(statements[2], "get").name == "fetch"
    assert alias_binding(statements[2], "fetch") is None
    assert alias_binding(statements[2], "close").name == "close"
