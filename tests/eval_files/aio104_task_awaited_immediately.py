# OPTIONS: --extend-select=AIO104
"""AIO104 task-awaited-immediately (off by default): await create_task(c())."""

import asyncio
import asyncio as aio
import sys
from types import GeneratorType

from platform_helpers import win_sleep


async def fetch(): ...


# ------------------------------------------------------------------ reported


async def main(loop: asyncio.AbstractEventLoop):
    await asyncio.create_task(fetch())  # AIO104: 10 "task from `asyncio.create_task()`"
    await aio.ensure_future(fetch())  # AIO104: 10
    await loop.create_task(fetch())  # AIO104: 10
    result = await asyncio.get_running_loop().create_task(fetch())  # AIO104: 19
    return result


# ------------------------------------------------------------------ silent


async def not_immediately():
    task = asyncio.create_task(fetch())
    await fetch()
    await task


async def wrapped():
    await asyncio.wait_for(asyncio.create_task(fetch()), timeout=1)
    await asyncio.shield(asyncio.create_task(fetch()))


async def existing_future(fut, loop):
    await asyncio.ensure_future(fut)
    await asyncio.ensure_future(loop.run_in_executor(None, print))


async def task_group():
    async with asyncio.TaskGroup() as tg:
        await tg.create_task(fetch())


async def unknown_receiver(scheduler):
    await scheduler.create_task(fetch())


async def awaited_directly():
    await fetch()


async def unknown_awaitables(coroutine, factory):
    # A task may be the only way to await these: a generator-based coroutine
    # cannot be awaited directly before Python 3.12.
    if sys.version_info < (3, 12) and isinstance(coroutine, GeneratorType):
        return await asyncio.create_task(coroutine)
    await asyncio.create_task(factory())
    await asyncio.create_task(win_sleep(1))
    await asyncio.create_task(coro=fetch())
    return await coroutine
