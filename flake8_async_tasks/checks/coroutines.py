"""AIO2xx: coroutines that are built and never run, and loops run from inside
a coroutine."""

from __future__ import annotations

import ast
from typing import Callable, ClassVar

from ..analysis import asyncio_api as api
from ..analysis.inference import Kind
from ..analysis.scopes import ASSIGN, FUNCTION, Scope
from ..analysis.uses import DROPPED, Use, runs_coroutine, use_of
from ..rule import Rule
from .base import FileContext, call_snippet, snippet


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

    Dual-mode code is not reported: a call whose callee the same function
    tests with `inspect.iscoroutinefunction()` / `asyncio.iscoroutinefunction()`,
    or whose result it tests with `inspect.isawaitable()`, `asyncio.iscoroutine()`
    or `isinstance(..., Awaitable)`, in any branch
    (`if not asyncio.iscoroutinefunction(f): f()`).

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
    attribute of it, a subscript, comparing or testing it (a comprehension
    filter too), iterating or unpacking it, arithmetic, formatting it, logging
    it, or passing it to `len()`, `print()`, `str()` or `reveal_type()` does
    not hand it on: its body still never runs, just as for the same uses of
    the call itself (AIO203). Its `send()`, `throw()` and `close()` drive or
    end it on purpose.

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
    `len()`, `print()`, a logging call, an f-string, an attribute of it
    (`fetch().status`), a subscript, arithmetic, `-`/`+`/`~`, a `for` or
    `async for` loop over it, unpacking it (`a, b = fetch()`, `f(*fetch())`, a
    `TypeError`), or `yield from` it in a plain generator (a `TypeError`
    too). A walrus in a test (`while (item := queue.get()):`) is reported when
    no read of its name runs the coroutine either. The same uses of a name
    bound to the coroutine are AIO202 (coroutine-bound-never-awaited). So is
    reading an `@property` whose getter is an `async def` of the module
    (`if msg.sender:`), on an object whose class the syntax knows and no
    subclass of the module overrides.

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
    A plain generator cannot `await`: `yield from` the coroutine's own
    iterator, `fetch().__await__()` (an `__await__` method does this), or make
    the function an `async def` that awaits it. A generator-based coroutine,
    under `@types.coroutine` or `@asyncio.coroutine` (or a decorator the
    plugin does not know), may `yield from` a coroutine and is not reported.
    """

    code = "AIO203"
    name = "coroutine-used-as-value"
    message = "coroutine from `{call}` is read as a value in {context}: {fix}"
    # {fix}: in a plain generator ``await`` is a SyntaxError; the coroutine's
    # own iterator, or an ``async def`` that awaits it, runs it.
    fixes: ClassVar[dict[str, str]] = {
        "await": "the coroutine object is not its result and its body never runs; add `await`",
        "generator": "TypeError; append `.__await__()`, or make it `async def` and `await`",
    }


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
        self._check_async_properties()

    # ------------------------------------------------------------- coroutines

    def _check_coroutine(self, call: ast.Call, scope: Scope) -> None:
        shown = call_snippet(call)
        self._judge(call, scope, shown, lambda name: self._calls_coroutine_function(call, scope, name))

    def _judge(self, node: ast.expr, scope: Scope, shown: str, known: Callable[[str | None], bool]) -> None:
        """Where does the coroutine ``node`` makes go? ``shown`` names it in
        the message; ``known(name)`` says whether it is known to be a
        coroutine (``name`` being the local it is bound to), asked last since
        it may ask astroid."""
        use = use_of(self.model, node)
        if use.kind == DROPPED:
            if known(None):
                self.ctx.report(CoroutineNeverAwaited, node, call=shown)
        elif use.how == "binding":
            self._check_bound(node, use, scope, shown, known)
        elif not runs_coroutine(use) and known(None):
            self._report_used_as_value(node, shown, use)

    def _calls_coroutine_function(self, call: ast.Call, scope: Scope, name: str | None = None) -> bool:
        """Is ``call`` known to build a coroutine, outside dual-mode code that
        asks first (:meth:`FileContext.dual_mode`)? ``name`` is the local the
        call is bound to, if any."""
        return self.inference.function_kind(call.func, scope) is Kind.COROUTINE_FUNCTION and not (
            self.ctx.dual_mode(call, scope, name)
        )

    def _report_used_as_value(self, node: ast.expr, shown: str, use: Use) -> None:
        fix = CoroutineUsedAsValue.fixes["generator" if use.how == "plain yield from" else "await"]
        self.ctx.report(CoroutineUsedAsValue, node, call=shown, context=use.phrase, fix=fix)

    def _check_bound(
        self, node: ast.expr, use: Use, scope: Scope, shown: str, known: Callable[[str | None], bool]
    ) -> None:
        """``job = fetch()``, ``(job := fetch())``: the coroutine runs when
        the binding's value, or one of the name's reads, runs it."""
        flow = self.ctx.flow
        stmt = use.parent
        if isinstance(stmt, ast.NamedExpr):
            # The walrus's own value is used as well: ``while (item :=
            # queue.get()):`` tests the coroutine, and reads of ``item``
            # that only look at it leave it unrun.
            bound = flow.bound_walrus(stmt, scope)
            outer = use_of(self.model, stmt)
            if bound is None or runs_coroutine(outer) or any(
                runs_coroutine(use_of(self.model, read)) for read in bound[2]
            ):
                return
            if not known(bound[0].name):
                return
            if outer.kind == DROPPED:
                self.ctx.report(CoroutineBoundNeverAwaited, node, name=bound[0].name, call=shown)
            else:
                self._report_used_as_value(node, shown, outer)
            return
        bound = flow.bound_local(stmt, scope)
        if (
            bound is not None
            and not any(runs_coroutine(use_of(self.model, read)) for read in bound[2])
            and known(bound[0].name)
        ):
            self.ctx.report(CoroutineBoundNeverAwaited, node, name=bound[0].name, call=shown)

    # -------------------------------------------------------- async properties

    def _check_async_properties(self) -> None:
        """``if msg.sender:`` where ``sender`` is an ``@property`` whose
        getter is an ``async def``: reading it makes a coroutine."""
        names = self.inference.async_property_names()
        if not names:
            return
        for node in ast.walk(self.model.tree):
            if not isinstance(node, ast.Attribute) or node.attr not in names:
                continue
            if not isinstance(node.ctx, ast.Load):
                continue
            scope = self.model.scope_around(node)
            if self.inference.is_async_property(node, scope):
                self._judge(node, scope, snippet(node), lambda name: True)

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
            return not self.ctx.dual_mode(callback, scope)
        if isinstance(callback, ast.Name):
            binding = self.model.sole_binding(callback, scope, ASSIGN)
            owner = self.model.lookup(callback.id, scope)
            if binding is not None and owner is not None:
                value = binding.value
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
