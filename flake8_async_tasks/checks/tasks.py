"""AIO1xx: tasks and futures that are created and then lost."""

from __future__ import annotations

import ast

from ..analysis import asyncio_api as api
from ..analysis.inference import Kind
from ..analysis.inference.syntactic import returned_calls
from ..analysis.scopes import ASYNC_DEF, DEF, ModuleModel, Scope
from ..rule import Rule
from .base import FileContext, call_snippet, discarded, snippet


class DroppedTask(Rule):
    """## What it does
    Checks for tasks whose only reference is thrown away the moment they are
    created: `asyncio.create_task(...)` or `loop.create_task(...)` as a bare
    statement, assigned to `_`, with only `.add_done_callback(...)` called on
    it, built in a list that nobody keeps, bound to a local name that is
    never read, or returned by a `lambda` to a callback slot that drops it
    (`loop.call_soon(lambda: asyncio.create_task(job()))`). A plain `def` of
    the module that returns a new task without keeping it (`def spawn(coro):
    return asyncio.create_task(coro)`) is a task factory too; one that keeps
    the task (in a set, an attribute) returns a name and is not.

    ## Why is this bad?
    `create_task` submits a coroutine to run in the background, concurrently
    with the current task, and returns the `Task` handle. Dropping the handle
    means nothing awaits the task: its result is lost, and when it fails the
    error reaches no caller. CPython only logs "Task exception was never
    retrieved", and only when the task is garbage-collected.

    The event loop also keeps only a *weak* reference to the task. While the
    task waits on a timer or on I/O, the loop's callbacks hold it; but a task
    waiting on something nothing else references can be collected before it
    finishes: its work stops, and the log only says "Task was destroyed but it
    is pending!". Type checkers suggest
    `_ = create_task(...)` to silence their unused-result warning; that keeps
    no reference either, so it is reported too.

    ## Example
    ```python
    import asyncio


    async def refresh(): ...


    async def main():
        asyncio.create_task(refresh())
        await asyncio.sleep(1)
    ```

    ## Use instead
    Let a `TaskGroup` own the task (it awaits its tasks and raises their
    errors), or keep the task and await it later:
    ```python
    import asyncio


    async def refresh(): ...


    async def main():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(refresh())
            await asyncio.sleep(1)
    ```
    For fire-and-forget work, keep the tasks in a set and discard each one when
    it is done:
    ```python
    import asyncio

    background = set()


    async def refresh(): ...


    async def main():
        task = asyncio.create_task(refresh())
        background.add(task)
        task.add_done_callback(background.discard)
    ```

    ## Known limitations
    `loop.create_task(...)` is recognised when the receiver is known to be an
    event loop: the result of `asyncio.get_running_loop()` (or
    `get_event_loop()`, `new_event_loop()`), a parameter or attribute
    annotated `asyncio.AbstractEventLoop`, an attribute named `loop` or
    `_loop`, or an attribute of any name that the class's methods assign only
    such loops (`self.ev = asyncio.get_event_loop()`). Other receivers are
    not reported, and neither is `self.create_task(...)` in a class of the
    module that defines its own `create_task` (a loop that keeps its tasks).
    `asyncio.ensure_future(c())` is reported only when `c` is known to be a
    coroutine function: given a future, it creates no task and returns that
    future.

    With inference (see [inference](../inference.md)) a receiver is also
    known to be an event loop when it is an instance of a class derived from
    `asyncio.AbstractEventLoop` (`loop = ReplayLoop()`), and to be a
    `TaskGroup`, which keeps its tasks, when it is an `asyncio.TaskGroup()`.

    ## Options
    - `aio-inference`: how far a receiver is followed.

    ## References
    - [asyncio.create_task](https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task)
    """

    code = "AIO101"
    name = "dropped-task"
    message = (
        "task from `{call}` is dropped: only weakly held by the loop, it may be collected early, and an "
        "error is only logged; use a TaskGroup"
    )


class TaskNeverAwaited(Rule):
    """## What it does
    Checks for a task bound to a local name that, before the function ends, is
    never awaited, gathered, returned, yielded, stored or passed to any call.
    Calling only `add_done_callback()`, `cancel()`, `done()` or `set_name()` on
    it does not count, and neither does printing, logging, formatting,
    comparing or testing it. A task whose name is never read at all is a
    dropped task (AIO101), as a bare statement would be.

    ## Why is this bad?
    The task runs in the background, but nothing waits for it: its result is
    lost, and when it fails CPython only logs "Task exception was never
    retrieved", when the task is garbage-collected, which may be long after the
    fact. When the loop stops first (`asyncio.run()` cancels the tasks still
    pending when its coroutine returns), the work is cut off. And once the
    function returns, the local name was the last strong reference: a task
    waiting on something nothing else holds can be collected before it
    finishes.

    ## Example
    ```python
    import asyncio


    async def count(n):
        await asyncio.sleep(n)


    async def main():
        slow = asyncio.create_task(count(2))
        print("started", slow.get_name())
        await count(1)
    ```

    ## Use instead
    ```python
    import asyncio


    async def count(n):
        await asyncio.sleep(n)


    async def main():
        slow = asyncio.create_task(count(2))
        print("started", slow.get_name())
        await count(1)
        await slow
    ```

    ## Known limitations
    The analysis follows the function's source order. A name rebound by a
    plain assignment in the same block starts afresh; a rebinding under an
    `if` does not, so the earlier task is then assumed kept. A task read by a
    nested function, or in a function that calls `locals()`, `vars()`, `eval()`
    or `exec()`, is assumed kept.

    A task that is kept in a local only while the function awaits, and then
    left running when it returns, is reported on purpose: nothing waits for it
    once the function is gone. uvicorn's lifespan `startup()` does this with
    `main_lifespan_task = loop.create_task(self.main())`, and slack-bolt's
    asyncio runner with a task it starts for a listener. Both coroutines catch
    and log their own errors, and the first waits on a queue its object holds,
    which keeps it alive; the plugin can see neither. When that is so, silence
    the line with `# noqa: AIO102`; storing the task on the object
    (`self._main_task = ...`) says the same thing without a comment.
    """

    code = "AIO102"
    name = "task-never-awaited"
    message = (
        "task `{name}` from `{call}` is never awaited, returned or stored: nothing waits for it and an "
        "error only reaches the log; await it"
    )


class TaskCancelledNotAwaited(Rule):
    """## What it does
    Checks for `task.cancel()` on a task held in a local name when the task is
    not awaited (nor handed on) afterwards in the same function.

    This rule is off by default. Turn it on with:
    ```ini
    [flake8]
    extend-select = AIO103
    ```

    ## Why is this bad?
    `cancel()` only *requests* cancellation: `CancelledError` is thrown into
    the task's coroutine the next time the task runs, and it may run cleanup
    code (or even refuse to stop) before it finishes. Until the task is
    awaited, the caller does not know that it has stopped, and an error raised
    during its cleanup only reaches the log ("Task exception was never
    retrieved"), when the task is garbage-collected. Awaiting a cancelled task
    raises `CancelledError` in the caller, hence the `suppress` below.

    ## Example
    ```python
    import asyncio


    async def main():
        ticker = asyncio.create_task(asyncio.sleep(60))
        await asyncio.sleep(1)
        ticker.cancel()
    ```

    ## Use instead
    ```python
    import asyncio
    import contextlib


    async def main():
        ticker = asyncio.create_task(asyncio.sleep(60))
        await asyncio.sleep(1)
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker
    ```
    """

    code = "AIO103"
    name = "task-cancelled-not-awaited"
    enabled_by_default = False
    message = (
        "task `{name}` is cancelled but not awaited after: cancel() only requests it and the task may "
        "still be running; await it, suppressing CancelledError"
    )


class TaskAwaitedImmediately(Rule):
    """## What it does
    Checks for `await asyncio.create_task(coro())`: a task created only to be
    awaited on the spot, around a coroutine function of the same module whose
    body awaits and does not depend on running in a task of its own.

    This rule is off by default. Turn it on with:
    ```ini
    [flake8]
    extend-select = AIO104
    ```

    ## Why is this bad?
    A task exists to run a coroutine *concurrently* with the current one.
    Awaiting it straight away runs nothing concurrently: the current task just
    waits, as it would on `await coro()`, but pays for creating and scheduling
    a task. It usually means the author expected `create_task` to be needed
    for the coroutine to run at all.

    ## Example
    ```python
    import asyncio


    async def fetch():
        await asyncio.sleep(0.1)


    async def main():
        await asyncio.create_task(fetch())
    ```

    ## Use instead
    ```python
    import asyncio


    async def fetch():
        await asyncio.sleep(0.1)


    async def main():
        await fetch()
    ```

    ## Known limitations
    The task does change a few things, and the rule reads the coroutine
    function's body to stay silent where they show:

    - the body has no `await`, `async for` or `async with`: creating the task
      lets the event loop run its other callbacks once before the result
      arrives, which a direct await would not (CPython's
      `test_windows_events.py` awaits such a task to let the loop turn);
    - the body calls `asyncio.current_task()` or opens `asyncio.TaskGroup()`,
      `asyncio.timeout()` or `asyncio.timeout_at()`: these see or cancel the
      current task, which is the new task rather than the caller
      (`test_taskgroups.py` reads `current_task().cancelling()` this way).

    So only an `async def` of the same module, called by its name, is judged,
    and `asyncio.sleep`, which always suspends and never looks at the current
    task: a coroutine function imported from elsewhere, a method, or another
    of asyncio's own is not reported, since its body is not read. Functions
    called from the body are not read either, and two differences are not
    looked for: the task runs the coroutine in a copy of the current context
    (its `ContextVar.set()` calls do not reach the caller), and it starts on
    the next turn of the loop rather than at once. Use `# noqa: AIO104` when
    one of those is the point.

    A task around anything but a call to a known coroutine function (a
    generator-based coroutine, say) is not reported either: it may be the only
    way to await it.
    """

    code = "AIO104"
    name = "task-awaited-immediately"
    enabled_by_default = False
    message = (
        "task from `{call}` is awaited at once: nothing runs alongside it, so the task only adds overhead; "
        "await the coroutine directly"
    )


class NotACoroutine(Rule):
    """## What it does
    Checks for a task-creating call (`asyncio.create_task`,
    `asyncio.ensure_future`, `loop.create_task`, `TaskGroup.create_task`) given
    an async function itself instead of a call to it, a lambda, or a literal.

    ## Why is this bad?
    A task runs a *coroutine object*, the thing that calling an async function
    returns. Passing the function, a lambda or a constant raises `TypeError` at
    run time, often in a code path that tests do not reach.

    ## Example
    ```python
    import asyncio


    async def fetch(): ...


    async def main():
        task = asyncio.create_task(fetch)
        await task
    ```

    ## Use instead
    ```python
    import asyncio


    async def fetch(): ...


    async def main():
        task = asyncio.create_task(fetch())
        await task
    ```

    ## Known limitations
    A name passed in is reported when it is known to be a coroutine function
    the way AIO201 (coroutine-never-awaited) knows it, inference across
    modules included.

    ## Options
    - `aio-inference`: how far the name is followed.
    """

    code = "AIO105"
    name = "not-a-coroutine"
    message = (
        "`{call}` is given {what}, so it raises TypeError (a task needs a coroutine); pass a call such "
        "as `{fix}`"
    )


class DroppedGather(Rule):
    """## What it does
    Checks for `asyncio.gather(...)` or `asyncio.shield(...)` as a bare
    statement or assigned to `_`.

    ## Why is this bad?
    Both return a future that stands for the awaitables they were given. The
    coroutines are wrapped in tasks and start, but dropping the future means
    nothing waits for them: the code after the statement runs as if the work
    were already done, and an error only reaches the log ("exception was never
    retrieved"), when the dropped future is garbage-collected. It is almost
    always a missing `await`.

    ## Example
    ```python
    import asyncio


    async def ping(host): ...


    async def main():
        asyncio.gather(ping("a"), ping("b"))
    ```

    ## Use instead
    ```python
    import asyncio


    async def ping(host): ...


    async def main():
        await asyncio.gather(ping("a"), ping("b"))
    ```
    """

    code = "AIO106"
    name = "dropped-gather"
    message = (
        "future from `{call}` is dropped: the awaitables start, but nothing waits for them and an error "
        "only reaches the log; await it"
    )


class DroppedThreadsafeFuture(Rule):
    """## What it does
    Checks for `asyncio.run_coroutine_threadsafe(...)` as a bare statement or
    assigned to `_`.

    ## Why is this bad?
    `run_coroutine_threadsafe` submits a coroutine to an event loop, usually
    one running in another thread, and returns a `concurrent.futures.Future`.
    Dropping it means nobody learns whether the coroutine succeeded: its
    result is lost, and so is its exception, for unlike an asyncio task a
    `concurrent.futures.Future` never logs an exception nobody retrieved. Code
    that meant to wait for the result carries on before the work is done.

    ## Example
    ```python
    import asyncio


    async def save(item): ...


    def on_message(loop, item):
        asyncio.run_coroutine_threadsafe(save(item), loop)
    ```

    ## Use instead
    Keep the future and check its outcome when it is done:
    ```python
    import asyncio
    import logging


    async def save(item): ...


    def report(future):
        if not future.cancelled() and future.exception() is not None:
            logging.error("save failed", exc_info=future.exception())


    def on_message(loop, item):
        future = asyncio.run_coroutine_threadsafe(save(item), loop)
        future.add_done_callback(report)
    ```
    To wait for it instead: in a coroutine running on another loop,
    `await asyncio.wrap_future(future)` waits without blocking that loop. In
    plain code, `future.result(timeout=...)` blocks the calling thread, which
    is right only when that thread is not the target loop's own: called from
    a callback or coroutine of that loop, it waits for a coroutine that cannot
    run until it returns, a deadlock (or a `TimeoutError` once the timeout
    passes). The plugin cannot tell which thread a function runs on, so the
    message does not suggest it.
    """

    code = "AIO107"
    name = "dropped-threadsafe-future"
    message = (
        "future from `{call}` is dropped: its result and error are lost (it never logs errors); "
        "check it in a done callback"
    )


class TaskChecks:
    """Finds task-creating calls and judges where their task goes."""

    rules = (
        DroppedTask,
        TaskNeverAwaited,
        TaskCancelledNotAwaited,
        TaskAwaitedImmediately,
        NotACoroutine,
        DroppedGather,
        DroppedThreadsafeFuture,
    )

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.model = ctx.model

    def run(self) -> None:
        for call in self.ctx.calls():
            scope = self.model.scope_of[call]
            self._check_call(call, scope)

    def _check_call(self, call: ast.Call, scope: Scope) -> None:
        func = call.func
        qualname = self.model.qualname(func, scope)
        creates = self.creates_task(call, scope, qualname)
        # A helper's own argument need not be the coroutine (``spawn(fetch)``
        # may call ``fetch()`` itself): only the factories themselves are judged.
        direct = qualname is not None or (isinstance(func, ast.Attribute) and func.attr == "create_task")
        if (creates and direct) or qualname in api.TASK_FACTORIES or self._submits_to_task_group(call, scope):
            if self._check_argument(call, scope):
                return  # it raises TypeError: no task exists to lose
        if creates:
            self._check_task(call, scope)
        elif qualname in api.AGGREGATORS:
            if discarded(self.model, call):
                self.ctx.report(DroppedGather, call, call=call_snippet(call))
        elif qualname == api.RUN_COROUTINE_THREADSAFE:
            if discarded(self.model, call):
                self.ctx.report(DroppedThreadsafeFuture, call, call=call_snippet(call))

    def creates_task(self, call: ast.Call, scope: Scope, qualname: str | None = None, depth: int = 0) -> bool:
        """Does ``call`` wrap a coroutine in a new task that nobody else holds?"""
        if qualname is None:
            qualname = self.model.qualname(call.func, scope)
        if qualname is None and depth < 4:
            # A helper of this module that returns a new task it does not
            # keep: ``def spawn(coro): return loop.create_task(coro)``.
            helper = self.ctx.inference.syntactic.local_def(call.func, scope)
            if helper is not None:
                returned = returned_calls(self.model, helper)
                if returned and all(
                    self.creates_task(inner, self.model.scope_of[inner], depth=depth + 1)
                    for inner in returned
                ):
                    return True
        if qualname == api.CREATE_TASK or self.ctx.settings.is_task_factory(qualname):
            return True
        if depth == 0 and isinstance(call.func, (ast.Name, ast.Attribute)):
            # The same helper in another project module, known from its
            # summary: ``from .jobs import spawn`` (unless declared a keeper).
            helper = self.ctx.inference.imported_task_factory(call.func, scope)
            if helper is not None and helper not in self.ctx.settings.task_keepers:
                return True
        if qualname == api.ENSURE_FUTURE:
            # ensure_future() wraps only a coroutine in a new task; given a
            # future (``run_in_executor()``, tornado's ``Event.wait()``) it
            # returns that future unchanged. Only a call to a known coroutine
            # function is known to make a task.
            return self._wraps_coroutine_call(call, scope)
        func = call.func
        return (
            isinstance(func, ast.Attribute)
            and func.attr == "create_task"
            # A loop subclass of this module with its own create_task keeps
            # its tasks its own way (temporalio's workflow loop).
            and not self.ctx.inference.defines(func.value, scope, "create_task")
            and self.ctx.inference.is_loop(func.value, scope)
        )

    def _wraps_coroutine_call(self, call: ast.Call, scope: Scope) -> bool:
        """Is the first argument a call to a known coroutine function?"""
        argument = call.args[0] if call.args else None
        return (
            isinstance(argument, ast.Call)
            and isinstance(argument.func, (ast.Name, ast.Attribute))
            and self.ctx.inference.function_kind(argument.func, scope) is Kind.COROUTINE_FUNCTION
        )

    def _needs_no_task(self, call: ast.Call, scope: Scope) -> bool:
        """AIO104: is the wrapped call to an ``async def`` of this module that
        runs the same awaited directly? An imported callee or a method is
        unknown, and unknown is silent."""
        func = call.args[0].func  # type: ignore[attr-defined]  # _wraps_coroutine_call held
        if self.model.qualname(func, scope) == api.ASYNCIO_SLEEP:
            return True
        bindings = self.model.bindings_of(func.id, scope) if isinstance(func, ast.Name) else None
        if not bindings:
            return False
        return all(
            binding.kind == ASYNC_DEF
            and isinstance(binding.node, ast.AsyncFunctionDef)
            and _runs_the_same_awaited(binding.node, self.model)
            for binding in bindings
        )

    def _submits_to_task_group(self, call: ast.Call, scope: Scope) -> bool:
        func = call.func
        return (
            isinstance(func, ast.Attribute)
            and func.attr == "create_task"
            and self.ctx.inference.is_task_group(func.value, scope)
        )

    def _check_task(self, call: ast.Call, scope: Scope) -> None:
        model = self.model
        parent = model.parent.get(call)
        if discarded(model, call) or self._only_callback_added(call) or self._returned_to_a_slot(call):
            self.ctx.report(DroppedTask, call, call=call_snippet(call))
        elif isinstance(parent, ast.Await):
            # "Await the coroutine directly" is sound advice only for a
            # coroutine: a task may be the only way to await something else,
            # such as a generator-based coroutine (python-telegram-bot's
            # ``await asyncio.create_task(coroutine)`` on Python < 3.12).
            if self._wraps_coroutine_call(call, scope) and self._needs_no_task(call, scope):
                self.ctx.report(TaskAwaitedImmediately, call, call=call_snippet(call))
        elif isinstance(parent, (ast.Assign, ast.AnnAssign)):
            self._check_bound_task(call, parent, scope)

    def _outcome_retrieved(self, read: ast.Name, scope: Scope) -> bool:
        """``task.add_done_callback(on_done)`` where ``on_done`` is a def or
        lambda of this module that reads its argument's ``result()`` or
        ``exception()``: the task's outcome is seen, if not awaited."""
        attribute = self.model.parent.get(read)
        call = self.model.parent.get(attribute) if attribute is not None else None
        if not (
            isinstance(attribute, ast.Attribute)
            and attribute.attr == api.DONE_CALLBACK_METHOD
            and isinstance(call, ast.Call)
            and call.func is attribute
            and call.args
        ):
            return False
        callback = call.args[0]
        if isinstance(callback, ast.Name):
            bindings = self.model.bindings_of(callback.id, scope)
            if not bindings or len(bindings) != 1 or bindings[0].kind != DEF:
                return False
            callback = bindings[0].node  # type: ignore[assignment]
        if not isinstance(callback, (ast.FunctionDef, ast.Lambda)):
            return False
        params = [*callback.args.posonlyargs, *callback.args.args]
        if not params:
            return False
        name = params[0].arg
        return any(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in api.OUTCOME_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
            for node in ast.walk(callback)
        )

    def _returned_to_a_slot(self, call: ast.Call) -> bool:
        """``loop.call_soon(lambda: asyncio.create_task(job()))``: the lambda
        returns the task to an API that drops it."""
        lambda_ = self.model.parent.get(call)
        if not (isinstance(lambda_, ast.Lambda) and lambda_.body is call):
            return False
        outer = self.model.parent.get(lambda_)
        if isinstance(outer, ast.keyword):
            outer = self.model.parent.get(outer)
        if not isinstance(outer, ast.Call) or outer not in self.model.scope_of:
            return False
        if isinstance(outer.func, ast.Attribute) and outer.func.attr in api.RESULT_KEEPING_SLOTS:
            return False
        return any(c is lambda_ for c in self.ctx.slot_callbacks(outer, self.model.scope_of[outer])[1])

    def _only_callback_added(self, call: ast.Call) -> bool:
        """``create_task(c()).add_done_callback(cb)`` whose result is dropped."""
        attribute = self.model.parent.get(call)
        if not (isinstance(attribute, ast.Attribute) and attribute.attr == api.DONE_CALLBACK_METHOD):
            return False
        outer = self.model.parent.get(attribute)
        return isinstance(outer, ast.Call) and outer.func is attribute and discarded(self.model, outer)

    def _check_bound_task(self, call: ast.Call, stmt: ast.Assign | ast.AnnAssign, scope: Scope) -> None:
        flow = self.ctx.flow
        bound = flow.bound_local(stmt, scope)
        if bound is None:
            return
        binding, scope, reads = bound
        if not reads:
            # Never read at all: the name holds the only reference until the
            # function returns, exactly as a bare statement would (ruff's
            # RUF006 agrees).
            self.ctx.report(DroppedTask, call, call=call_snippet(call))
        elif not flow.kept(reads, api.NON_CONSUMING_TASK_METHODS, only_read=True) and not any(
            self._outcome_retrieved(read, scope) for read in reads
        ):
            # Only steered, printed, logged or compared: nobody waits for it.
            self.ctx.report(TaskNeverAwaited, call, name=binding.name, call=call_snippet(call))
        # AIO103 is judged on its own: a task that is only ever cancelled is
        # also cancelled and not awaited (its own docs' example), and the
        # user who selects AIO103 asks to see each such cancel().
        self._check_cancel(binding.name, reads, scope)

    def _check_cancel(self, name: str, reads: list[ast.Name], scope: Scope) -> None:
        """AIO103: ``name.cancel()`` with no consuming read of the same task
        after it."""
        flow = self.ctx.flow
        for read in reads:
            attribute = self.model.parent.get(read)
            if not (isinstance(attribute, ast.Attribute) and attribute.attr == "cancel"):
                continue
            cancel = self.model.parent.get(attribute)
            if not (isinstance(cancel, ast.Call) and cancel.func is attribute):
                continue
            if not flow.kept(flow.reads_after(cancel, reads, scope), api.NON_CONSUMING_TASK_METHODS):
                self.ctx.report(TaskCancelledNotAwaited, cancel, name=name)

    def _check_argument(self, call: ast.Call, scope: Scope) -> bool:
        """AIO105: the task is given something that is not a coroutine."""
        if not call.args:
            return False
        argument = call.args[0]
        if isinstance(argument, ast.Lambda):
            what, fix = "a lambda", "fetch()"
        elif isinstance(argument, (ast.Constant, ast.JoinedStr, ast.List, ast.Tuple, ast.Dict, ast.Set)):
            what, fix = "a literal", "fetch()"
        elif (
            isinstance(argument, (ast.Name, ast.Attribute))
            and self.ctx.inference.function_kind(argument, scope) is Kind.COROUTINE_FUNCTION
        ):
            name = snippet(argument)
            what, fix = f"the async function `{name}` itself", f"{name}()"
        else:
            return False
        self.ctx.report(NotACoroutine, call, call=call_snippet(call), what=what, fix=fix)
        return True


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _runs_the_same_awaited(node: ast.AsyncFunctionDef, model: ModuleModel) -> bool:
    """Does awaiting a call of the ``async def`` ``node`` directly do what
    awaiting a task around it does? Its body must suspend (a task lets the
    loop turn once even around a coroutine that never does: CPython's
    test_windows_events) and must not touch the current task, nested
    functions included (test_taskgroups' ``current_task().cancelling()``)."""
    suspends = False
    stack = [(child, False) for child in node.body]
    while stack:
        child, nested = stack.pop()
        if isinstance(child, ast.Call):
            scope = model.scope_of.get(child)
            if scope is not None and model.qualname(child.func, scope) in api.TASK_SENSITIVE:
                return False
        elif isinstance(child, (ast.Await, ast.AsyncFor, ast.AsyncWith)) and not nested:
            suspends = True
        nested = nested or isinstance(child, _NESTED)
        stack.extend((grandchild, nested) for grandchild in ast.iter_child_nodes(child))
    return suspends
