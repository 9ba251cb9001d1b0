"""AIO2xx: coroutines that are built and never run, and loops run from inside
a coroutine."""

from __future__ import annotations

import ast
from typing import ClassVar

from ..analysis import asyncio_api as api
from ..analysis.inference import Kind
from ..analysis.scopes import ASSIGN, FUNCTION, Scope
from ..rule import Rule
from .base import FileContext, call_snippet, discarded, snippet


class CoroutineNeverAwaited(Rule):
    """## What it does
    Checks for a call to a coroutine function (an `async def`, or one of
    asyncio's own such as `asyncio.sleep`) whose result is thrown away: a bare
    statement or `_ = ...`.

    ## Why is this bad?
    Calling an async function does not run it. It only builds a coroutine
    object; the body runs when that object is awaited or handed to
    `create_task`, a `TaskGroup` or `gather`. A call without `await` therefore
    does nothing at all, apart from a "coroutine ... was never awaited"
    warning when the object is garbage-collected.

    ## Example
    ```python
    import asyncio


    async def save(): ...


    async def main():
        save()
        await asyncio.sleep(0)
    ```

    ## Use instead
    ```python
    import asyncio


    async def save(): ...


    async def main():
        await save()
        await asyncio.sleep(0)
    ```
    To run it in the background instead, start it in a `TaskGroup`
    (`tg.create_task(save())`) or keep the task and await it later: a bare
    `asyncio.create_task(save())` drops the task (AIO101, dropped-task).

    ## Known limitations
    A callee is known to be a coroutine function when it is an `async def` of
    the same module (a module-level or nested function, or a method called as
    `self.method()` / `cls.method()` inside its class), a coroutine function
    of asyncio, a plain `def` of the module that returns such a call
    (`def refresh(self): return self._refresh()`), or a parameter annotated
    `Callable[..., Awaitable[T]]`. A method is known on an object whose class
    the module's syntax tells: a constructor (`Client().fetch()`), an
    annotation (`client: Client`, `Optional["Client"]`, `self.client: Client`,
    a function's return annotation), every `self.client = ...` of the class's
    methods, asyncio's own results (`reader, writer = await
    asyncio.open_connection(...)`; the coroutine methods of asyncio's classes
    come from the running asyncio), or `super()` with one base. An `async def`
    under a decorator that is not known to keep it a coroutine function, an
    `async def` annotated to return an `AsyncIterator` (the stub of an async
    generator), a class with a decorator, a metaclass, `__getattr__` or
    `__getattribute__`, and an attribute stored on other objects too are
    unknown and not reported.

    With inference (`aio-inference`, on at `project` by default; see
    [inference](../inference.md)) it is also known when it is an `async def`
    imported from another module of the project (directly, through a
    re-export or as `module.function`), a method of a class imported from the
    project or, named by an annotation or a constructor, from an installed
    package, a method inherited from an imported base class, an `async def`
    under a decorator that returns it or wraps it in an `async def` with
    `functools.wraps`, and at `full` any `async def` of an installed package.
    Calls on parameters without annotation, loop variables and results of
    other calls are not followed.

    ## Options
    - `aio-inference`: how far a callee is followed across modules.
    """

    code = "AIO201"
    name = "coroutine-never-awaited"
    message = (
        "coroutine from `{call}` is never awaited: calling an async function only builds a coroutine "
        "object, whose body never runs; await it"
    )


class CoroutineBoundNeverAwaited(Rule):
    """## What it does
    Checks for a coroutine bound to a local name that is never awaited, passed
    on, returned, yielded or stored before the function ends. Reading an
    attribute of it, a subscript, comparing or testing it, iterating it,
    arithmetic, formatting it, or passing it to `len()`, `print()`, `str()` or
    `reveal_type()` does not hand it on: its body still never runs. Its
    `send()`, `throw()` and `close()` drive or end it on purpose.

    ## Why is this bad?
    A coroutine object runs nothing until something awaits it or a task runs
    it. Binding it to a name and then forgetting it means its body never runs,
    exactly as if the call had not been written, apart from a "coroutine ...
    was never awaited" warning when the object is garbage-collected.

    ## Example
    ```python
    import asyncio


    async def count(n):
        await asyncio.sleep(n)


    async def main():
        first = count(1)
        second = count(2)
        await first
    ```

    ## Use instead
    ```python
    import asyncio


    async def count(n):
        await asyncio.sleep(n)


    async def main():
        first = count(1)
        second = count(2)
        await asyncio.gather(first, second)
    ```

    ## Known limitations
    Follows the same source-order analysis as AIO102 (task-never-awaited),
    and the same notion of a known coroutine function as AIO201, inference
    included.

    ## Options
    - `aio-inference`: how far a callee is followed across modules.
    """

    code = "AIO202"
    name = "coroutine-bound-never-awaited"
    message = (
        "coroutine `{name}` from `{call}` is never awaited, passed on or returned: a coroutine object "
        "runs nothing until awaited; await it"
    )


class CoroutineUsedAsValue(Rule):
    """## What it does
    Checks for a coroutine (the result of calling a coroutine function without
    `await`) read as a plain value: an `if`/`while`/`assert` test, a `not`, a
    boolean operator, a comparison, a comprehension filter, `bool()`, `str()`,
    `len()`, `print()`, an f-string, an attribute of it (`fetch().status`), a
    subscript, arithmetic, a `for` or `async for` loop over it, unpacking it
    into a tuple (a `TypeError`), or `yield from` it in a plain generator.

    ## Why is this bad?
    The value is the coroutine object, not its result, and its body never
    runs. As a condition it is always true; compared with anything it is
    never equal; printed it shows `<coroutine object ...>`. It is a missing
    `await`.

    ## Example
    ```python
    async def is_ready(): ...


    async def main():
        if is_ready():
            print("ready")
    ```

    ## Use instead
    ```python
    async def is_ready(): ...


    async def main():
        if await is_ready():
            print("ready")
    ```
    """

    code = "AIO203"
    name = "coroutine-used-as-value"
    message = (
        "coroutine from `{call}` is read as a value in {context}: the coroutine object is not its result "
        "and its body never runs; add `await`"
    )


class AsyncCallbackInSyncSlot(Rule):
    """## What it does
    Checks for an async function passed where a plain callable is expected and
    its return value is dropped: `loop.call_soon`, `call_soon_threadsafe`,
    `call_later`, `call_at`, `add_signal_handler`, `add_reader`, `add_writer`,
    `run_in_executor`, `threading.Thread(target=...)`, `threading.Timer`,
    `signal.signal`, `atexit.register` and any `add_done_callback`. So is
    `functools.partial(async_fn, ...)`, `lambda: async_fn()`, or a local bound
    to one of them. (A `lambda: asyncio.create_task(...)` in such a slot runs
    the coroutine but drops the task: that is AIO101.)

    ## Why is this bad?
    These APIs call the function like a plain function. Calling an async
    function only builds a coroutine, which the API then drops: the body never
    runs, and Python at best warns that the coroutine was never awaited. The
    fix depends on where the function is called, and the message names the
    one that fits the slot.

    ## Example
    ```python
    import asyncio


    async def heartbeat(): ...


    async def main():
        loop = asyncio.get_running_loop()
        loop.call_later(5, heartbeat)
    ```

    ## Use instead
    Schedule a plain function that submits the coroutine as a task, and keep
    the task:
    ```python
    import asyncio

    background = set()


    async def heartbeat(): ...


    def start_heartbeat():
        task = asyncio.create_task(heartbeat())
        background.add(task)
        task.add_done_callback(background.discard)


    async def main():
        loop = asyncio.get_running_loop()
        loop.call_later(5, start_heartbeat)
    ```
    The same holds for every slot the event loop calls on its own thread
    (`call_soon`, `call_later`, `call_at`, `add_reader`, `add_writer`,
    `add_signal_handler`, an asyncio future's `add_done_callback`). A thread,
    a timer or an executor has no running loop: run the coroutine with a loop
    of its own, `asyncio.run`:
    ```python
    import asyncio
    import threading


    async def heartbeat(): ...


    def main():
        threading.Thread(target=asyncio.run, args=(heartbeat(),)).start()
        threading.Timer(5, asyncio.run, args=(heartbeat(),)).start()
    ```
    `loop.run_in_executor(None, asyncio.run, heartbeat())` does the same in
    an executor's thread, and `atexit.register` takes a plain function that
    calls `asyncio.run(...)`: the program's loop has stopped by then. A
    `signal.signal` handler runs on the main thread, usually in the middle of
    the running loop: register it with `loop.add_signal_handler` instead, as
    a plain function that creates a task.

    ## Known limitations
    `add_done_callback` of a `concurrent.futures.Future` calls its callback
    in whatever thread completes the future; the message still advises
    creating a task there, which needs the loop's thread
    (`loop.call_soon_threadsafe`).
    """

    code = "AIO204"
    name = "async-callback-in-sync-slot"
    message = "`{call}` calls async `{func}` as a plain function: its coroutine never runs; {fix}"
    # {fix} by slot: the event loop's own callbacks can create a task; a
    # thread, a timer or an exit handler has no running loop.
    fixes: ClassVar[dict[str, str]] = {
        "loop": "schedule a plain function that creates and keeps a task",
        "run_in_executor": "pass `asyncio.run, {func}()`",
        "threading.Thread": "pass `target=asyncio.run, args=({func}(),)`",
        "threading.Timer": "pass `asyncio.run, args=({func}(),)`",
        "signal.signal": "use `loop.add_signal_handler` and create a task there",
        "atexit.register": "register a function that calls `asyncio.run({func}())`",
    }


class LoopRunInCoroutine(Rule):
    """## What it does
    Checks for `asyncio.run(...)` or `loop.run_until_complete(...)` called
    directly inside an `async def`.

    ## Why is this bad?
    An `async def` body runs inside a running event loop, and a thread can run
    only one loop at a time: both calls raise `RuntimeError` ("cannot be called
    from a running event loop"). The coroutine passed in is never run. A plain
    `def` nested inside the coroutine and run in another thread is fine and is
    not reported.

    ## Example
    ```python
    import asyncio


    async def load(): ...


    async def main():
        data = asyncio.run(load())
    ```

    ## Use instead
    ```python
    import asyncio


    async def load(): ...


    async def main():
        data = await load()
    ```
    """

    code = "AIO205"
    name = "loop-run-in-coroutine"
    message = (
        "`{call}` inside `async def {func}` raises RuntimeError: an event loop is already running in this "
        "thread; await the coroutine instead"
    )


class CoroutineChecks:
    """Finds coroutine-function calls and judges whether the coroutine runs."""

    rules = (
        CoroutineNeverAwaited,
        CoroutineBoundNeverAwaited,
        CoroutineUsedAsValue,
        AsyncCallbackInSyncSlot,
        LoopRunInCoroutine,
    )

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.model = ctx.model
        self.inference = ctx.inference

    def run(self) -> None:
        for call in self.ctx.calls():
            scope = self.model.scope_of[call]
            func = call.func
            self._check_callback_slots(call, scope)
            self._check_loop_run(call, scope)
            if not isinstance(func, (ast.Name, ast.Attribute)):
                continue
            # The cheap look first; the callee's kind (which may ask astroid)
            # only for a call whose coroutine would be lost.
            if self.inference.may_be_coroutine_function(func, scope):
                self._check_coroutine(call, scope)

    # ------------------------------------------------------------- coroutines

    def _check_coroutine(self, call: ast.Call, scope: Scope) -> None:
        parent = self.model.parent.get(call)
        if isinstance(parent, ast.Await):
            return
        if discarded(self.model, call):
            if self._calls_coroutine_function(call, scope):
                self.ctx.report(CoroutineNeverAwaited, call, call=call_snippet(call))
            return
        context = self._value_context(call, parent, scope)
        if context is not None:
            if self._calls_coroutine_function(call, scope):
                self.ctx.report(CoroutineUsedAsValue, call, call=call_snippet(call), context=context)
        elif isinstance(parent, (ast.Assign, ast.AnnAssign)):
            self._check_bound(call, parent, scope)

    def _calls_coroutine_function(self, call: ast.Call, scope: Scope) -> bool:
        return self.inference.function_kind(call.func, scope) is Kind.COROUTINE_FUNCTION

    def _value_context(self, node: ast.AST, parent: ast.AST | None, scope: Scope) -> str | None:
        """Where ``node``'s value is read as a plain object, described for the
        message; None when it may be awaited later."""
        if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)) and parent.test is node:
            return {ast.If: "an `if` test", ast.While: "a `while` test",
                    ast.IfExp: "a conditional expression test", ast.Assert: "an `assert`"}[type(parent)]
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            return "a `not`"
        if isinstance(parent, ast.BoolOp):
            # ``a or fetch()`` may hand the coroutine on; earlier operands are
            # only tested.
            if parent.values[-1] is not node:
                return "a boolean operator"
            outer = self.model.parent.get(parent)
            return self._value_context(parent, outer, scope)
        if isinstance(parent, ast.Compare):
            return "a comparison"
        if isinstance(parent, ast.comprehension) and any(cond is node for cond in parent.ifs):
            return "a comprehension filter"
        if isinstance(parent, ast.FormattedValue):
            return "an f-string"
        if isinstance(parent, ast.Call) and any(arg is node for arg in parent.args):
            qualname = self.model.qualname(parent.func, scope)
            if qualname in api.VALUE_READERS:
                return f"`{qualname.rsplit('.', 1)[1]}()`"
        if isinstance(parent, ast.Attribute) and parent.attr not in api.COROUTINE_DRIVERS:
            return f"an attribute access (`.{parent.attr}`)"
        if isinstance(parent, ast.Subscript) and parent.value is node:
            return "a subscript"
        if isinstance(parent, ast.BinOp):
            return "arithmetic"
        if isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is node:
            return "a `for` loop" if isinstance(parent, ast.For) else "a comprehension"
        if isinstance(parent, ast.AsyncFor) and parent.iter is node:
            return "an `async for` loop (a coroutine is not an async iterator)"
        if (
            isinstance(parent, ast.Assign)
            and parent.value is node
            and any(isinstance(t, (ast.Tuple, ast.List)) for t in parent.targets)
        ):
            return "a tuple unpacking"
        if isinstance(parent, ast.YieldFrom):
            code = self.model.function_scope(scope)
            if code.kind == FUNCTION and not code.is_async:
                return "a `yield from` in a plain generator"
        return None

    def _check_bound(self, call: ast.Call, stmt: ast.Assign | ast.AnnAssign, scope: Scope) -> None:
        flow = self.ctx.flow
        bound = flow.bound_local(stmt, scope)
        if (
            bound is not None
            and not any(flow.hands_on(read, api.VALUE_READERS) for read in bound[2])
            and self._calls_coroutine_function(call, scope)
        ):
            self.ctx.report(CoroutineBoundNeverAwaited, call, name=bound[0].name, call=call_snippet(call))

    # --------------------------------------------------------- callback slots

    def _check_callback_slots(self, call: ast.Call, scope: Scope) -> None:
        slot_name, callbacks = self.ctx.slot_callbacks(call, scope)
        for callback in callbacks:
            if self._builds_coroutine(callback, scope):
                name = snippet(callback)
                fixes = AsyncCallbackInSyncSlot.fixes
                fix = fixes.get(slot_name, fixes["loop"]).format(func=name)
                self.ctx.report(
                    AsyncCallbackInSyncSlot, callback, func=name, call=call_snippet(call), fix=fix
                )

    def _builds_coroutine(self, callback: ast.expr, scope: Scope, depth: int = 0) -> bool:
        """Does calling ``callback`` only build a coroutine? An async function,
        ``functools.partial`` of one, ``lambda: fetch()``, or a local bound
        once to one of those."""
        if depth > 4:
            return False
        if isinstance(callback, ast.Lambda):
            body = callback.body
            if not isinstance(body, ast.Call):
                return False
            return self._calls_coroutine_function(body, self.model.scope_of[body])
        if isinstance(callback, ast.Call):
            return (
                self.model.qualname(callback.func, scope) == api.PARTIAL
                and bool(callback.args)
                and self._builds_coroutine(callback.args[0], scope, depth + 1)
            )
        if not isinstance(callback, (ast.Name, ast.Attribute)):
            return False
        if self.inference.function_kind(callback, scope) is Kind.COROUTINE_FUNCTION:
            return True
        if isinstance(callback, ast.Name):
            bindings = self.model.bindings_of(callback.id, scope)
            owner = self.model.lookup(callback.id, scope)
            if bindings and len(bindings) == 1 and bindings[0].kind == ASSIGN and owner is not None:
                value = bindings[0].value
                if isinstance(value, (ast.Lambda, ast.Call)):
                    return self._builds_coroutine(value, owner, depth + 1)
        return False

    # ----------------------------------------------------------- nested loops

    def _check_loop_run(self, call: ast.Call, scope: Scope) -> None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "run_until_complete":
            if not self.inference.is_loop(func.value, scope):
                return
        elif self.model.qualname(func, scope) != api.ASYNCIO_RUN:
            return
        code = self.model.function_scope(scope)
        if code.kind == FUNCTION and code.is_async:
            name = code.node.name  # type: ignore[attr-defined]  # an async def's scope
            self.ctx.report(LoopRunInCoroutine, call, call=call_snippet(call), func=name)
