"""AIO102 task-never-awaited: a task held in a local name that nobody awaits,
returns, stores or passes on before the function ends."""

import asyncio
import contextlib


async def work(n=0): ...


def on_done(task): ...


background = set()


# ------------------------------------------------------------------ reported


async def canonical():
    # The counters example with the final `await slow` deleted: the name is
    # never read at all, which is a dropped task (AIO101), as a bare
    # statement would be.
    slow = asyncio.create_task(work(2))  # AIO101: 11 "task from `asyncio.create_task()`"
    await work(1)


async def only_printed_logged_or_compared(log, other):
    printed = asyncio.create_task(work())  # AIO102: 14
    print("started", printed)
    logged = asyncio.create_task(work())  # AIO102: 13
    log.info("started %s", logged)
    compared = asyncio.create_task(work())  # AIO102: 15
    if compared is not other and not compared:
        print(f"{compared!r}")


async def only_tested_or_dropped(items):
    # The bound forms of dropped-task's inline looks.
    filtered = asyncio.create_task(work())  # AIO102: 15
    kept = [item for item in items if filtered]
    either = asyncio.create_task(work())  # AIO102: 13
    if either or kept:
        pass
    dropped = asyncio.create_task(work())  # AIO102: 14
    dropped


async def only_non_consuming_methods():
    task = asyncio.create_task(work())  # AIO102: 11
    task.add_done_callback(on_done)
    task.set_name("ticker")
    if task.done():
        print(task.get_name())
    task.cancel()


async def annotated():
    task: asyncio.Task = asyncio.create_task(work())  # AIO101: 25
    await work()


async def through_a_loop_receiver():
    loop = asyncio.get_running_loop()
    pinger = loop.create_task(work())  # AIO101: 13 "loop.create_task()"
    await work()


async def rebound():
    # The first task is lost when the name is rebound.
    task = asyncio.create_task(work(1))  # AIO101: 11
    task = asyncio.create_task(work(2))
    await task


async def rebound_after_an_inner_loop(items):
    # The break leaves only the inner loop: the rebinding still runs.
    task = asyncio.create_task(work(1))  # AIO101: 11
    for item in items:
        if item:
            break
    task = asyncio.create_task(work(2))
    await task


async def in_a_loop(items):
    for item in items:
        task = asyncio.create_task(work(item))  # AIO101: 15
        await work()


async def ensure_future_of_a_coroutine():
    fut = asyncio.ensure_future(work())  # AIO101: 10
    return None


def in_a_sync_function(loop: asyncio.AbstractEventLoop):
    handle = loop.create_task(work())  # AIO101: 13


async def deleted():
    task = asyncio.create_task(work())  # AIO101: 11
    del task


# ------------------------------------------------------------------ silent


async def awaited():
    slow = asyncio.create_task(work(2))
    await work(1)
    await slow


async def background_set():
    task = asyncio.create_task(work())
    background.add(task)
    task.add_done_callback(background.discard)


class Worker:
    async def start(self):
        task = asyncio.create_task(work())
        self._task = task

    async def start_many(self):
        task = asyncio.create_task(work())
        self.tasks[task.get_name()] = task


async def returned():
    task = asyncio.create_task(work())
    return task


async def yielded():
    task = asyncio.create_task(work())
    yield task


async def gathered():
    first = asyncio.create_task(work(1))
    second = asyncio.create_task(work(2))
    third = asyncio.ensure_future(work(3))
    await asyncio.gather(first, second, return_exceptions=True)
    done, pending = await asyncio.wait({third}, timeout=1)


async def shielded():
    task = asyncio.create_task(work())
    await asyncio.shield(task)


async def waited_for():
    task = asyncio.create_task(work())
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(task, timeout=1)


async def passed_to_any_call(registry):
    task = asyncio.create_task(work())
    registry.register(task)


async def stored_in_a_container():
    tasks = {}
    task = asyncio.create_task(work())
    tasks["main"] = task
    return tasks


async def in_a_tuple():
    task = asyncio.create_task(work())
    pair = (task, 1)
    return pair


async def awaited_after_cancel():
    task = asyncio.create_task(work())
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def result_read():
    task = asyncio.create_task(work())
    await asyncio.sleep(1)
    if task.done():
        return task.result()
    return None


async def rebound_under_if(flag):
    # The second binding may not run, so the first one may reach the await.
    task = asyncio.create_task(work(1))
    if flag:
        task = asyncio.create_task(work(2))
    await task


async def rebound_from_itself():
    # The right-hand side reads the old task before the name is rebound.
    task = asyncio.create_task(work(1))
    task = asyncio.shield(task)
    await task


async def result_replaces_task():
    result = asyncio.create_task(work(1))
    result = await result
    return result


async def awaited_in_the_next_iteration(items):
    task = None
    for item in items:
        if task is not None:
            await task
        task = asyncio.create_task(work(item))
    if task is not None:
        await task


async def rebound_after_a_break(attempts):
    # When the break runs, the first task leaves the loop and is awaited.
    for attempt in range(attempts):
        task = asyncio.create_task(work(attempt))
        if attempt == 0:
            break
        task = asyncio.create_task(work(-attempt))
        await task
    await task


async def rebound_after_a_continue(items):
    # The continue skips the rebinding; the next iteration awaits the task.
    task = None
    for item in items:
        if task is not None:
            await task
        task = asyncio.create_task(work(item))
        if item:
            continue
        task = asyncio.create_task(work(-1))


async def kept_in_a_loop(items):
    pending = []
    for item in items:
        task = asyncio.create_task(work(item))
        pending.append(task)
    await asyncio.gather(*pending)


async def while_loop():
    while True:
        task = asyncio.create_task(work())
        await task


async def captured_by_closure():
    task = asyncio.create_task(work())

    def stop():
        task.cancel()

    asyncio.get_running_loop().call_later(1, stop)
    await asyncio.sleep(2)


async def read_by_nested_coroutine():
    task = asyncio.create_task(work())

    async def wait_for_it():
        await task

    await wait_for_it()


async def nonlocal_binding():
    task = None

    def start():
        nonlocal task
        task = asyncio.create_task(work())

    start()
    await task


_task = None


def global_binding():
    global _task
    _task = asyncio.create_task(work())


async def walrus():
    if (task := asyncio.create_task(work())) is not None:
        await task


async def walrus_in_comprehension(items):
    started = [last := asyncio.create_task(work(i)) for i in items]
    await last
    return started


async def read_in_comprehension(items):
    task = asyncio.create_task(work())
    return [task for _ in items]


async def dynamic_scope():
    task = asyncio.create_task(work())
    return locals()


async def task_group():
    async with asyncio.TaskGroup() as tg:
        task = tg.create_task(work())


async def unknown_receiver(scheduler):
    task = scheduler.create_task(work())


async def existing_future(loop, event):
    fut = asyncio.ensure_future(loop.run_in_executor(None, print))
    # tornado's Event.wait() returns a future: no task is created.
    waiter = asyncio.ensure_future(event.wait())
    event.set()
    assert waiter.done()


async def try_finally():
    task = asyncio.create_task(work())
    try:
        await work()
    finally:
        await task


async def tuple_target():
    task, other = asyncio.create_task(work()), 1


module_task = asyncio.ensure_future(work())
