"""AIO1xx: tasks and futures that are created and then lost."""

from __future__ import annotations

import ast

from ..analysis import asyncio_api as api
from ..analysis.inference import Kind
from ..analysis.inference.syntactic import returned_calls
from ..analysis.scopes import Scope
from ..rule import Rule
from .base import FileContext, call_snippet, discarded, snippet


class DroppedTask(Rule):
    """## What it does
    Checks for tasks whose only reference is thrown away the moment they are
    created: `asyncio.create_task(...)` or `loop.create_task(...)` as a bare
    statement, assigned to `_`, with only `.add_done_callback(...)` called on
    it, or built in a list that nobody keeps.

    ## Why is this bad?
    `create_task` submits a coroutine to run in the background, concurrently
    with the current task, and returns the `Task` handle. The event loop keeps
    only a *weak* reference to that task. With no other reference, the task can
    be garbage-collected before it finishes, and whatever exception it raises
    is never retrieved. Type checkers suggest `_ = create_task(...)` to silence
    their unused-result warning; that keeps no reference either, so it is
    reported too.

    ## Example
    ```python
    import asyncio


    async def refresh(): ...


    async def main():
        asyncio.create_task(refresh())
        await asyncio.sleep(1)
    ```

    ## Use instead
    Keep the task and await it, or let a `TaskGroup` own it:
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
    `get_event_loop()`, `new_event_loop()`), a parameter annotated
    `asyncio.AbstractEventLoop`, or an attribute named `loop` or `_loop`. Other
    receivers are not reported. `asyncio.ensure_future(c())` is reported only
    when `c` is known to be a coroutine function: given a future, it creates
    no task and returns that future.

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
        "task from `{call}` is dropped: the event loop keeps only a weak reference, so it can be "
        "garbage-collected before it finishes and its errors are lost; keep a reference or use a TaskGroup"
    )


class TaskNeverAwaited(Rule):
    """## What it does
    Checks for a task bound to a local name that, before the function ends, is
    never awaited, gathered, returned, yielded, stored or passed to any call.
    Calling only `add_done_callback()`, `cancel()`, `done()` or `set_name()` on
    it does not count.

    ## Why is this bad?
    The task runs in the background, but nobody waits for its result: when it
    fails, the error is logged at best ("Task exception was never retrieved")
    long after the fact, and when the program exits first the work is cut off.
    Once the function returns, the local name was the last strong reference, so
    the task can also be garbage-collected mid-flight.

    ## Example
    ```python
    import asyncio


    async def count(n):
        await asyncio.sleep(n)


    async def main():
        slow = asyncio.create_task(count(2))
        await count(1)
    ```

    ## Use instead
    ```python
    import asyncio


    async def count(n):
        await asyncio.sleep(n)


    async def main():
        slow = asyncio.create_task(count(2))
        await count(1)
        await slow
    ```

    ## Known limitations
    The analysis follows the function's source order. A name rebound by a
    plain assignment in the same block starts afresh; a rebinding under an
    `if` does not, so the earlier task is then assumed kept. A task read by a
    nested function, or in a function that calls `locals()`, `vars()`, `eval()`
    or `exec()`, is assumed kept.
    """

    code = "AIO102"
    name = "task-never-awaited"
    message = (
        "task `{name}` from `{call}` is never awaited, returned or stored: it runs in the background "
        "but nobody waits for its result or sees its errors, and it may be cut off at exit; await it or "
        "pass it to gather"
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
    `cancel()` only *requests* cancellation: it throws `CancelledError` into the
    task at its next `await`, and the task may run cleanup code (or even refuse
    to stop) before it finishes. Until the task is awaited, the caller does not
    know that it has stopped, and errors raised during its cleanup are lost.

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
        "task `{name}` is cancelled but never awaited afterwards: cancel() only requests cancellation, "
        "the task keeps running until its next await and errors in its cleanup are lost; await it after "
        "cancel()"
    )


class TaskAwaitedImmediately(Rule):
    """## What it does
    Checks for `await asyncio.create_task(coro)`: a task created only to be
    awaited on the spot.

    This rule is off by default. Turn it on with:
    ```ini
    [flake8]
    extend-select = AIO104
    ```

    ## Why is this bad?
    A task exists to run a coroutine *concurrently* with the current one.
    Awaiting it straight away runs nothing concurrently: the current task just
    waits, exactly as `await coro` would, but with the cost of creating and
    scheduling a task. It usually means the author expected `create_task` to
    be needed for the coroutine to run at all.

    ## Example
    ```python
    import asyncio


    async def fetch(): ...


    async def main():
        await asyncio.create_task(fetch())
    ```

    ## Use instead
    ```python
    import asyncio


    async def fetch(): ...


    async def main():
        await fetch()
    ```

    ## Known limitations
    Creating the task does change two things, which are sometimes wanted: the
    coroutine runs in a copy of the current context, and cancelling the
    awaiting task cancels the inner task. Use `# noqa: AIO104` for those.
    Only a task around a call to a known coroutine function is reported: a
    task around anything else (a generator-based coroutine, say) may be the
    only way to await it.
    """

    code = "AIO104"
    name = "task-awaited-immediately"
    enabled_by_default = False
    message = (
        "task from `{call}` is awaited immediately: nothing runs concurrently with it, so the task only "
        "adds overhead; await the coroutine directly"
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
        "`{call}` is given {what} instead of a coroutine: a task runs the coroutine object that calling "
        "an async function returns, so this raises TypeError; pass a call such as `{fix}`"
    )


class DroppedGather(Rule):
    """## What it does
    Checks for `asyncio.gather(...)` or `asyncio.shield(...)` as a bare
    statement or assigned to `_`.

    ## Why is this bad?
    Both return a future that stands for the awaitables they were given. The
    coroutines are wrapped in tasks and start, but dropping the future means
    nothing waits for them and their exceptions are never retrieved; the code
    after the statement runs as if the work were already done. It is almost
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
        "future from `{call}` is dropped: the awaitables start, but nothing waits for them and their "
        "errors are never retrieved; await it"
    )


class DroppedThreadsafeFuture(Rule):
    """## What it does
    Checks for `asyncio.run_coroutine_threadsafe(...)` as a bare statement or
    assigned to `_`.

    ## Why is this bad?
    `run_coroutine_threadsafe` submits a coroutine to an event loop running in
    another thread and returns a `concurrent.futures.Future`. Dropping it means
    the calling thread never learns whether the coroutine succeeded, its
    exception is lost, and code that meant to wait for the result carries on
    before the work is done.

    ## Example
    ```python
    import asyncio


    async def save(item): ...


    def on_message(loop, item):
        asyncio.run_coroutine_threadsafe(save(item), loop)
    ```

    ## Use instead
    ```python
    import asyncio


    async def save(item): ...


    def on_message(loop, item):
        future = asyncio.run_coroutine_threadsafe(save(item), loop)
        future.result(timeout=10)
    ```
    """

    code = "AIO107"
    name = "dropped-threadsafe-future"
    message = (
        "future from `{call}` is dropped: the coroutine runs on the other loop, but this thread never "
        "sees its result or error and nothing waits for it; keep the future and call result()"
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
                    self.creates_task(inner, self.model.scope_of[inner], depth=depth + 1) for inner in returned
                ):
                    return True
        if qualname == api.CREATE_TASK or self.ctx.settings.is_task_factory(qualname):
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
            if self._wraps_coroutine_call(call, scope):
                self.ctx.report(TaskAwaitedImmediately, call, call=call_snippet(call))
        elif isinstance(parent, (ast.Assign, ast.AnnAssign)):
            self._check_bound_task(call, parent, scope)

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
        return any(c is lambda_ for c in self.ctx.slot_callbacks(outer, self.model.scope_of[outer]))

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
        if not flow.kept(reads, api.NON_CONSUMING_TASK_METHODS):
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
