"""AIO1xx: tasks and futures that are created and then lost."""

from __future__ import annotations

import ast
from typing import ClassVar

from ..analysis import asyncio_api as api
from ..analysis.inference import Kind
from ..analysis.scopes import ASYNC_DEF, DEF, FUNCTION, ModuleModel, Scope, instantiates
from ..analysis.uses import keeps_task, use_of
from ..rule import Rule
from .advice import Advice
from ..analysis.flow import position
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
    means nothing retrieves the task's result or error, and it can be
    cancelled (say, by `asyncio.run()` when its coroutine returns) or collected
    with nothing noticing. When it fails, the error reaches no caller: CPython
    logs "Task exception was never retrieved" once the task is freed, and that
    is all. An `except` around `create_task(...)` never sees the coroutine's
    error, which is raised in the task, later.

    The event loop also keeps only a *weak* reference to the task. While the
    task waits on a timer or on I/O, the loop's callbacks hold it; but a task
    waiting on something nothing else references can be collected before it
    finishes: its work stops, and the log only says "Task was destroyed but it
    is pending!". Which of the two a task waits on is not in the syntax, so
    the message does not claim that it may be collected early. Type checkers
    suggest `_ = create_task(...)` to silence their unused-result warning;
    that keeps no reference either, so it is reported too.

    ## Example
    ```python
    import asyncio


    async def refresh(): ...


    async def main():
        asyncio.create_task(refresh())
        await asyncio.sleep(1)
    ```

    ## Use instead
    The message's fix depends on where the task is made.

    In a plain `def` (a protocol or done callback, `__init__`, `__del__`), which
    cannot `await`, and for a task meant to outlive the `async def` that starts
    it (a reconnect loop, a delayed delete, an application's lifespan task),
    keep a reference until it is done, in a set that the task leaves when it
    ends; the fix is `keep it in a set with add_done_callback(set.discard)`:
    ```python
    import asyncio

    background = set()


    async def refresh(): ...


    async def main():
        task = asyncio.create_task(refresh())
        background.add(task)
        task.add_done_callback(background.discard)
        await asyncio.sleep(1)
    ```
    A `lambda` holds one expression, so there the fix is to make it a `def`
    that keeps the task that way. When `aio-task-keepers` names the project's
    own keeper, the message advises passing the coroutine to it instead (the
    first one named), lambda or not.

    In an `async def` whose task is the whole body of a `try` with an `except`,
    the handler was written for the coroutine's error, which it never sees;
    the fix is to await the coroutine in the `try` (awaiting the task there
    would be AIO104's task awaited at once):
    ```python
    import asyncio


    async def refresh(): ...


    async def main():
        try:
            await refresh()
        except ValueError:
            print("refresh failed")
    ```
    Every other task made in an `async def` is taken to outlive it and gets
    the set: awaiting it, or a `TaskGroup`, would block the caller until the
    task ends, which is not what starting it in the background meant. Where
    the function does need the result before it returns, `await` the task
    there, or let an `async with asyncio.TaskGroup()` block own it (Python
    3.11 and later; it raises the task's errors as an `ExceptionGroup`).

    ## Known limitations
    `loop.create_task(...)` is recognised when the receiver is known to be an
    event loop: the result of `asyncio.get_running_loop()` (or
    `get_event_loop()`, `new_event_loop()`), a parameter or attribute
    annotated `asyncio.AbstractEventLoop`, an attribute named `loop` or
    `_loop`, or an attribute of any name that the class's methods assign only
    such loops (`self.ev = asyncio.get_event_loop()`). Other receivers are
    not reported, and neither is `self.create_task(...)` in a class of the
    module that defines its own `create_task` (a loop that keeps its tasks).
    `asyncio.ensure_future(c())` as a statement is reported unless the call
    is known to return a future that exists already (`loop.run_in_executor`,
    `loop.create_future`, `asyncio.wrap_future`, a class instance, a def of the
    module annotated to return a `Future` or `Task`) or `c` is a plain def of
    the module: given a future, ensure_future creates no task and returns that
    future. Given a name or attribute, it is not reported. Kept in a name,
    its result is judged as a task only when `c` is known to be a coroutine
    function.

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
    message = "task from `{call}` is dropped: {claim}; {fix}"
    # {claim} and {fix} by site (checks/advice.py decides which).
    claims: ClassVar[dict[str, str]] = {
        "unseen": "nothing retrieves its result or error",
        "callback": "only its done callback sees how it ends",
        "try": "its error never reaches the `except` around it",
    }
    fixes: ClassVar[dict[str, str]] = {
        "keep": "keep it in a set with add_done_callback(set.discard)",
        "keep in a def": "make the lambda a def that keeps it in a set",
        "keeper": "pass the coroutine to `{keeper}()`",
        "await coroutine in try": "await the coroutine in the `try`",
        "await in try": "await it in the `try`",
    }


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
    waiting on something nothing else holds (not a timer, nor a transport the
    loop serves) can be collected before it finishes.

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
    The message's fix depends on where the task is made. In an `async def`
    that looks at the task (prints it, checks `done()`), the task is the
    function's business: await it before the function returns. The message
    also offers a `TaskGroup` where one changes nothing else: for a task of
    `create_task`, in a coroutine function (not an async generator), with no
    `except` around it in the function (a TaskGroup raises an
    `ExceptionGroup`), when the project's Python has `TaskGroup`: the lowest
    version that `requires-python` allows in the nearest `pyproject.toml`
    above the file is 3.11 or later or, without one, the Python that runs
    flake8.
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
    A task that the function cancels raises `CancelledError` where it is
    awaited: the fix is to await it after `cancel()` through
    `asyncio.gather(task, return_exceptions=True)`, as AIO103 advises.

    In a plain `def`, which cannot `await`, and for a task given a done
    callback (made to be reacted to whenever it ends), the fix is to keep it
    in a set with `add_done_callback(set.discard)`, or to pass the coroutine
    to the project's keeper when `aio-task-keepers` names one:
    ```python
    import asyncio

    background = set()


    async def count(n):
        await asyncio.sleep(n)


    def on_done(task):
        print("done", task.get_name())


    def start():
        slow = asyncio.get_running_loop().create_task(count(2))
        slow.add_done_callback(on_done)
        background.add(slow)
        slow.add_done_callback(background.discard)
    ```

    One finding per task: when AIO103 is selected and the task is cancelled
    with no await after, AIO103 speaks for it alone (its fix awaits the task
    too); AIO102 speaks for a task that is not cancelled, or when AIO103 is
    off. The plugin reads the selection from flake8 (`select`, `ignore`, their
    `extend-` forms and `per-file-ignores`, on the command line or in a
    configuration file); a `# noqa: AIO103` on the `cancel()` line silences
    the task's one finding.

    ## Known limitations
    The analysis follows the function's source order. A name rebound by a
    plain assignment in the same block starts afresh; a rebinding under an
    `if` does not, so the earlier task is then assumed kept. A task read by a
    nested function, or in a function that calls `locals()`, `vars()`, `eval()`
    or `exec()`, is assumed kept.

    A task kept in a local only while the function awaits, and then left
    running when it returns, is reported on purpose: nothing waits for it
    once the function is gone. When the local is never read at all, that is a
    dropped task (AIO101), as in uvicorn's lifespan `startup()`
    (`main_lifespan_task = loop.create_task(self.main())`) and slack-bolt's
    asyncio runner; AIO101's fix, the set, or storing the task on the object
    (`self._main_task = ...`), keeps it for as long as it runs, with no
    comment needed. When the local is read (checked with `done()`, say) and
    the coroutine catches and reports its own errors, which the plugin cannot
    see, keep it the same way, or silence the line with `# noqa: AIO102`.
    """

    code = "AIO102"
    name = "task-never-awaited"
    message = "task `{name}` from `{call}` is never awaited or handed on: nothing waits for it; {fix}"
    # {fix} by site (checks/advice.py decides which).
    fixes: ClassVar[dict[str, str]] = {
        "await": "await it before the function returns",
        "await or task group": "await it before returning, or use a TaskGroup",
        "await after cancel": "after cancel(), gather it with return_exceptions=True",
        "keep": "keep it in a set with add_done_callback(set.discard)",
        "keeper": "pass the coroutine to `{keeper}()`",
    }


class TaskCancelledNotAwaited(Rule):
    """## What it does
    Checks for `task.cancel()` on a task held in a local name when the task is
    not awaited (nor handed on) afterwards in the same function. A task held
    in an attribute is judged the same way in an `async def` such as `stop()`,
    `close()` or `__aexit__`: `self._task.cancel()` with no later use of
    `self._task` in that method, where every `self._task = ...` of the class
    stores a new task (or None) and nothing else stores `._task`.

    An attribute's task is not reported where awaiting it would be wrong or
    is done another way: when the method calls `asyncio.current_task()` (it
    tells the running task apart itself), when the task runs a method of the
    class that reaches this one through `self.x()` calls (the task would be
    cancelling, then awaiting, itself), when every such task runs a method
    that the plugin cannot read or that never suspends (it may be done at
    its first step), when the method then awaits an attribute named after it
    (`self._task_future`), and when another method of the class awaits or
    gathers the attribute while this one leaves the task there or replaces
    it by a new task (a restart, a debounce). Setting the attribute to
    `None` after the cancel lets the task go: that is still reported.

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
    raises `CancelledError` in the caller, so it is awaited through
    `asyncio.gather(..., return_exceptions=True)`, which returns the task's
    `CancelledError` (or its cleanup's error) instead of raising it. Unlike
    `with contextlib.suppress(asyncio.CancelledError): await task`, that
    does not also swallow a cancellation of the caller itself arriving
    during the wait: the caller still stops when it is cancelled.

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


    async def main():
        ticker = asyncio.create_task(asyncio.sleep(60))
        await asyncio.sleep(1)
        ticker.cancel()
        await asyncio.gather(ticker, return_exceptions=True)
    ```
    In a plain `def`, which cannot `await`, the fix is to keep the task in a
    set that a coroutine awaits later (at shutdown, say):
    ```python
    import asyncio

    stopping = set()


    def stop(loop: asyncio.AbstractEventLoop):
        ticker = loop.create_task(asyncio.sleep(60))
        ticker.cancel()
        stopping.add(ticker)


    async def main():
        stop(asyncio.get_running_loop())
        await asyncio.gather(*stopping, return_exceptions=True)
    ```

    A task that is cancelled and never awaited at all is also AIO102's
    (task-never-awaited). When this rule is selected it speaks for such a task
    alone, and AIO102 says nothing: one finding per task, and this rule's fix
    awaits the task too. With this rule off, AIO102 reports the task and
    advises the same await after `cancel()`.
    """

    code = "AIO103"
    name = "task-cancelled-not-awaited"
    enabled_by_default = False
    message = (
        "task `{name}` is cancelled but not awaited: cancel() only asks, it may still be running; {fix}"
    )
    # {fix} by site (checks/advice.py decides which).
    fixes: ClassVar[dict[str, str]] = {
        "await": "await it in asyncio.gather(..., return_exceptions=True)",
        "keep": "keep it in a set that a coroutine awaits",
    }


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
    modules included. A call passed in is reported when it calls a plain,
    undecorated def of the module (a function, or a method through `self`)
    whose every `return` gives `None`, a string or a number
    (`ensure_future(self.render(page))`); a plain def that returns anything
    else may return a future or a coroutine, and is not.

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
        self.advice = Advice(ctx)

    def run(self) -> None:
        for call in self.ctx.calls():
            scope = self.model.scope_of[call]
            self._check_call(call, scope)
            self._check_attribute_cancel(call, scope)

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
        elif qualname == api.ENSURE_FUTURE and self._wraps_unknown_call(call, scope):
            # ``asyncio.ensure_future(job.run())``: wrapping a call's result
            # almost always makes a new task (ruff's RUF006 agrees); only a
            # dropped one is judged, since a kept one may be the future.
            if discarded(self.model, call):
                self._report_dropped(call, scope)
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
            returned = self.ctx.inference.helper_returns(call.func, scope)
            if returned:
                if all(
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

    def _wraps_unknown_call(self, call: ast.Call, scope: Scope) -> bool:
        """Is the first argument a call of an unknown callee, not known to
        return a future that exists already (``loop.run_in_executor()``,
        ``loop.create_future()``, ``asyncio.wrap_future()``, ``Future()``, a
        def of this module annotated ``-> asyncio.Future``) nor to be a plain
        def (whose result is AIO105's, or a future it keeps)?"""
        argument = call.args[0] if call.args else None
        if not isinstance(argument, ast.Call) or not isinstance(argument.func, (ast.Name, ast.Attribute)):
            return False
        func = argument.func
        inference = self.ctx.inference
        if isinstance(func, ast.Attribute) and func.attr in api.FUTURE_RETURNING_METHODS:
            return False
        if self.model.qualname(func, scope) in api.FUTURE_RETURNING or instantiates(argument):
            return False
        if inference.function_kind(func, scope) is not Kind.UNKNOWN:
            return False
        return not inference.returns_future(func, scope)

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
        use = use_of(model, call)
        if not keeps_task(use) or self._returned_to_a_slot(call):
            # Dropped, or only looked at and then dropped: ``print(create_task(c()))``,
            # ``create_task(c()).add_done_callback(cb)``.
            self._report_dropped(call, scope)
        elif use.how == "await":
            # "Await the coroutine directly" is sound advice only for a
            # coroutine: a task may be the only way to await something else,
            # such as a generator-based coroutine (python-telegram-bot's
            # ``await asyncio.create_task(coroutine)`` on Python < 3.12).
            if self._wraps_coroutine_call(call, scope) and self._needs_no_task(call, scope):
                self.ctx.report(TaskAwaitedImmediately, call, call=call_snippet(call))
        elif use.how == "binding" and isinstance(parent, (ast.Assign, ast.AnnAssign)):
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
            binding = self.model.sole_binding(callback, scope, DEF)
            if binding is None:
                return False
            callback = binding.node
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
            self._report_dropped(call, scope)
            return
        never_awaited = not any(keeps_task(use_of(self.model, read)) for read in reads) and not any(
            self._outcome_retrieved(read, scope) for read in reads
        )
        # One finding per task: a never-awaited task that is cancelled with
        # no await after is AIO103's when the user selected it (its fix,
        # awaiting after the cancel, awaits the task too), else AIO102's.
        cancels = self._check_cancel(binding.name, reads, scope)
        cancel_speaks = cancels and self.ctx.settings.selects(TaskCancelledNotAwaited, self.ctx.filename)
        if never_awaited and not cancel_speaks:
            # Only steered, printed, logged or compared: nobody waits for it.
            fix = self.advice.never_awaited(call, scope, reads)
            self.ctx.report(
                TaskNeverAwaited, call, name=binding.name, call=call_snippet(call),
                **self.advice.fields(TaskNeverAwaited, fix=fix),
            )

    def _report_dropped(self, call: ast.Call, scope: Scope) -> None:
        claim, fix = self.advice.dropped(call, scope)
        fields = self.advice.fields(DroppedTask, claim, fix)
        self.ctx.report(DroppedTask, call, call=call_snippet(call), **fields)

    def _check_cancel(self, name: str, reads: list[ast.Name], scope: Scope) -> int:
        """AIO103: ``name.cancel()`` with no consuming read of the same task
        after it. How many were reported."""
        flow = self.ctx.flow
        reported = 0
        for read in reads:
            attribute = self.model.parent.get(read)
            if not (isinstance(attribute, ast.Attribute) and attribute.attr == "cancel"):
                continue
            cancel = self.model.parent.get(attribute)
            if not (isinstance(cancel, ast.Call) and cancel.func is attribute):
                continue
            later = flow.reads_after(cancel, reads, scope)
            if not any(keeps_task(use_of(self.model, read), only_read=False) for read in later):
                fields = self.advice.fields(TaskCancelledNotAwaited, fix=self.advice.cancelled(scope))
                self.ctx.report(TaskCancelledNotAwaited, cancel, name=name, **fields)
                reported += 1
        return reported

    def _check_attribute_cancel(self, call: ast.Call, scope: Scope) -> None:
        """AIO103 for a task held in an attribute: ``self._task.cancel()`` in
        an ``async def`` (``stop()``, ``close()``, ``__aexit__``) that does not
        await, gather or otherwise hand on ``self._task`` after it. The
        attribute holds a task when every ``self._task = ...`` of the class
        stores a new task or None, and nothing else stores ``._task``."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "cancel"):
            return
        if not isinstance(func.value, ast.Attribute):
            return
        held = func.value
        code = self.model.function_scope(scope)
        if not (code.kind == FUNCTION and code.is_async) or not isinstance(held.value, ast.Name):
            return
        values = self.ctx.inference.attribute_values(held, scope)
        if not values or not self._only_tasks(values):
            return
        name, attr = held.value.id, held.attr
        reads = [
            node for node in ast.walk(code.node)
            if isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.ctx, ast.Load)
            and isinstance(node.value, ast.Name) and node.value.id == name and node is not held
        ]
        if any(self._nested(read, code.node) or use_of(self.model, read).how == "binding" for read in reads):
            return  # read by a nested function, or aliased (``task = self._task``): it may be awaited
        # reads_after() compares positions only, which these Attributes have as a Name does.
        later = self.ctx.flow.reads_after(call, reads, code)  # type: ignore[arg-type]
        if any(keeps_task(use_of(self.model, read), only_read=False) for read in later):
            return
        if self._may_be_running_here(code.node, values, name) or self._companion_awaited(
            call, code.node, name, attr
        ) or (
            self._awaited_by_another_method(code.node, attr)
            and self._rebound_after(call, code.node, name, attr) != "other"
        ):
            # Another method collects the task, and this one leaves it there
            # (livekit's cancel on new speech) or replaces it by a new task (a
            # restart, a debounce): it is waited for where the class says.
            return
        fields = self.advice.fields(TaskCancelledNotAwaited, fix=self.advice.cancelled(scope))
        self.ctx.report(TaskCancelledNotAwaited, call, name=snippet(held), **fields)

    def _may_be_running_here(self, method: ast.AST, values: list[ast.expr], receiver: str) -> bool:
        """Could the cancelled task be the one running this method, or be done
        already? Then awaiting it is wrong (a task cannot await itself) or
        pointless. So when the method asks for ``asyncio.current_task()`` (it
        tells the two apart itself: nats' ``_close``); when a task runs a
        method of the class that reaches this one through ``self.x()`` calls
        (nats' reconnect task cancels itself on the way); and unless every
        task runs an ``async def`` of this module (a method of the class or a
        function) whose body suspends: a coroutine the syntax cannot read may
        be done at its first step (redis' ``run_recurring_async`` only sets a
        timer), and then there is nothing to wait for."""
        for node in ast.walk(method):
            if isinstance(node, ast.Call) and node in self.model.scope_of:
                if self.model.qualname(node.func, self.model.scope_of[node]) == api.CURRENT_TASK:
                    return True
        cls = self.model.parent.get(method)
        if not isinstance(cls, ast.ClassDef) or not isinstance(
            method, (ast.FunctionDef, ast.AsyncFunctionDef)
        ):
            return True
        methods = {
            n.name: n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        for value in values:
            if isinstance(value, ast.Constant) and value.value is None:
                continue
            body = self._coroutine_def(value, methods, receiver)
            if body is None or not _suspends(body):
                return True
            if body.name in methods and methods[body.name] is body:
                if method.name in _reached_through_self(body, methods, receiver):
                    return True
        return False

    def _coroutine_def(
        self, value: ast.expr, methods: dict[str, ast.FunctionDef | ast.AsyncFunctionDef], receiver: str
    ) -> ast.AsyncFunctionDef | None:
        """The ``async def`` whose coroutine the task-making ``value`` runs:
        ``create_task(self.m())`` with ``m`` a method of the class, or
        ``create_task(f())`` with ``f`` an ``async def`` of the module."""
        if not (isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.Call)):
            return None
        target = value.args[0].func
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            found = methods.get(target.attr) if target.value.id == receiver else None
            return found if isinstance(found, ast.AsyncFunctionDef) else None
        if isinstance(target, ast.Name) and value in self.model.scope_of:
            binding = self.model.sole_binding(target, self.model.scope_of[value], ASYNC_DEF)
            node = binding.node if binding is not None else None
            return node if isinstance(node, ast.AsyncFunctionDef) else None
        return None

    def _rebound_after(self, cancel: ast.Call, method: ast.AST, receiver: str, attr: str) -> str | None:
        """What the method stores in ``self.<attr>`` after the cancel: "task"
        for a new task only, "other" when anything else (``None``: the handle
        is let go), None when nothing."""
        after = position(cancel)
        found: str | None = None
        for node in ast.walk(method):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and position(node) > after:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if not any(
                    isinstance(t, ast.Attribute) and t.attr == attr
                    and isinstance(t.value, ast.Name) and t.value.id == receiver
                    for t in targets
                ):
                    continue
                value = node.value
                if (
                    isinstance(value, ast.Call)
                    and value in self.model.scope_of
                    and self.creates_task(value, self.model.scope_of[value])
                ):
                    found = found or "task"
                else:
                    return "other"
        return found

    def _awaited_by_another_method(self, method: ast.AST, attr: str) -> bool:
        """Another method of the class awaits, gathers or hands on
        ``self.<attr>`` (an ``aclose()`` that gathers every task): the class
        collects its tasks' ends itself."""
        cls = self.model.parent.get(method)
        if not isinstance(cls, ast.ClassDef):
            return False
        for other in cls.body:
            if other is method or not isinstance(other, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            params = [*other.args.posonlyargs, *other.args.args]
            if not params:
                continue
            receiver = params[0].arg
            for node in ast.walk(other):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr == attr
                    and isinstance(node.ctx, ast.Load)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == receiver
                    and keeps_task(use_of(self.model, node), only_read=False)
                ):
                    return True
        return False

    def _companion_awaited(self, cancel: ast.Call, method: ast.AST, receiver: str, attr: str) -> bool:
        """After the cancel, the method awaits something read from an
        attribute named after the task's (``self._reconnect_task_future``
        for ``self._reconnect_task``): the project's own way of waiting for
        the task to end."""
        after = position(cancel)
        for node in ast.walk(method):
            if isinstance(node, ast.Await) and position(node) > after:
                for inner in ast.walk(node.value):
                    if (
                        isinstance(inner, ast.Attribute)
                        and inner.attr != attr
                        and inner.attr.startswith(attr)
                        and isinstance(inner.value, ast.Name)
                        and inner.value.id == receiver
                    ):
                        return True
        return False

    def _nested(self, node: ast.AST, code: ast.AST) -> bool:
        """Is ``node`` inside a function, lambda or class nested in ``code``?"""
        current = self.model.parent.get(node)
        while current is not None and current is not code:
            if isinstance(current, _NESTED):
                return True
            current = self.model.parent.get(current)
        return False

    def _only_tasks(self, values: list[ast.expr]) -> bool:
        """Does every value make a new task (or is None), and one does?"""
        seen = False
        for value in values:
            if isinstance(value, ast.Constant) and value.value is None:
                continue
            if not (isinstance(value, ast.Call) and self.creates_task(value, self.model.scope_of[value])):
                return False
            seen = True
        return seen

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
        elif (
            isinstance(argument, ast.Call)
            and isinstance(argument.func, (ast.Name, ast.Attribute))
            and self.ctx.inference.function_kind(argument.func, scope) is Kind.SYNC
            and self.ctx.inference.returns_nothing_awaitable(argument.func, scope)
        ):
            # ``ensure_future(self.render(page))`` with ``render`` a plain
            # def that returns None or a string.
            name = snippet(argument.func)
            what, fix = f"what the plain function `{name}` returns", "fetch()"
        else:
            return False
        self.ctx.report(NotACoroutine, call, call=call_snippet(call), what=what, fix=fix)
        return True


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _reached_through_self(
    start: ast.FunctionDef | ast.AsyncFunctionDef,
    methods: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
    receiver: str,
) -> set[str]:
    """The names of the methods ``start`` calls through ``receiver.x()``,
    directly or through the methods it calls, ``start`` included."""
    seen = {start.name}
    stack = [start]
    while stack:
        for node in ast.walk(stack.pop()):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == receiver
                and node.func.attr in methods
                and node.func.attr not in seen
            ):
                seen.add(node.func.attr)
                stack.append(methods[node.func.attr])
    return seen


def _suspends(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Does the body (nested functions aside) ever give the loop a turn?"""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Await, ast.AsyncFor, ast.AsyncWith, ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, _NESTED):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _runs_the_same_awaited(node: ast.AsyncFunctionDef, model: ModuleModel) -> bool:
    """Does awaiting a call of the ``async def`` ``node`` directly do what
    awaiting a task around it does? Its body must suspend (a task lets the
    loop turn once even around a coroutine that never does: CPython's
    test_windows_events) and must not touch the current task, nested
    functions included (test_taskgroups' ``current_task().cancelling()``)."""
    suspends = False
    stack: list[tuple[ast.AST, bool]] = [(child, False) for child in node.body]
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
