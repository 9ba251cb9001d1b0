# OPTIONS: --aio-task-keepers=app.jobs.spawn_tracked
"""With --aio-task-keepers, a task that must be kept is advised to the
project's own keeper, the first one named (issue 14)."""

import asyncio


async def work(n=0): ...


def data_received(data):
    asyncio.create_task(work(data))  # AIO101: 4 "nothing retrieves its result or error; pass the coroutine to `app.jobs.spawn_tracked()`"


async def start():
    asyncio.create_task(work())  # AIO101: 4 "pass the coroutine to `app.jobs.spawn_tracked()`"


async def with_a_done_callback(on_done):
    task = asyncio.create_task(work())  # AIO102: 11 "nothing waits for it; pass the coroutine to `app.jobs.spawn_tracked()`"
    task.add_done_callback(on_done)


def in_a_lambda(loop: asyncio.AbstractEventLoop):
    loop.call_soon(lambda: asyncio.create_task(work()))  # AIO101: 27 "pass the coroutine to `app.jobs.spawn_tracked()`"


async def setup():
    # The outcome is needed here: awaited, not kept.
    try:
        asyncio.create_task(work())  # AIO101: 8 "await the coroutine in the `try`"
    except ValueError:
        pass


def spawn_tracked(coroutine):
    # The keeper's own body (named like the keeper): kept in a set, not
    # handed to itself.
    asyncio.create_task(coroutine)  # AIO101: 4 "keep it in a set with add_done_callback(set.discard)"
