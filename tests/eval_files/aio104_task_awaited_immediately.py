# OPTIONS: --extend-select=AIO104
"""AIO104 task-awaited-immediately (off by default): await create_task(c())."""

import asyncio
import asyncio as aio
import sys
from types import GeneratorType

from platform_helpers import win_sleep


async def fetch():
    await asyncio.sleep(0.1)


async def stream(queue):
    async for item in queue:
        print(item)


async def locked(lock):
    async with lock:
        print("held")


def helper():
    return asyncio.current_task()  # not read: only fetch's own body is


# ------------------------------------------------------------------ reported


async def main(loop: asyncio.AbstractEventLoop):
    await asyncio.create_task(fetch())  # AIO104: 10 "task from `asyncio.create_task()`"
    await aio.ensure_future(fetch())  # AIO104: 10
    await loop.create_task(fetch())  # AIO104: 10
    result = await asyncio.get_running_loop().create_task(fetch())  # AIO104: 19
    await asyncio.create_task(stream(asyncio.Queue()))  # AIO104: 10
    await asyncio.create_task(locked(asyncio.Lock()))  # AIO104: 10
    return result


async def reads_a_helper():
    # Functions called from the body are not read (a documented limitation).
    helper()
    await asyncio.sleep(0)


async def calls_helper():
    await asyncio.create_task(reads_a_helper())  # AIO104: 10


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


# A coroutine that never suspends: the task lets the loop turn once, which a
# direct await would not (CPython Lib/test/test_asyncio/test_windows_events.py:275).
async def probe():
    return 1


async def only_nested_awaits():
    async def inner():
        await asyncio.sleep(0)

    return inner


async def let_the_loop_turn(loop):
    await loop.create_task(probe())
    await asyncio.create_task(only_nested_awaits())


# A coroutine that sees or cancels the current task: in a task of its own that
# is the new task, not the caller (CPython test_taskgroups.py:782).
async def own_task():
    await asyncio.sleep(0)
    return asyncio.current_task().cancelling()


async def grouped():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fetch())


async def bounded():
    async with asyncio.timeout(1):
        await fetch()


async def bounded_at(deadline):
    async with aio.timeout_at(deadline):
        await fetch()


async def nested_current_task():
    def name():
        return asyncio.current_task().get_name()

    await asyncio.sleep(0)
    return name()


async def needs_a_task_of_its_own():
    assert await asyncio.create_task(own_task()) == 0
    await asyncio.create_task(grouped())
    await asyncio.create_task(bounded())
    await asyncio.create_task(bounded_at(0))
    await asyncio.create_task(nested_current_task())


# Bodies the rule does not read: silent (precision first), but asyncio.sleep.
class Client:
    async def fetch(self):
        await asyncio.sleep(0)

    async def run(self):
        await asyncio.create_task(self.fetch())


async def asyncio_and_imported():
    await asyncio.create_task(asyncio.wait_for(fetch(), 1))  # uses asyncio.timeout on 3.12
    await asyncio.create_task(asyncio.sleep(1))  # AIO104: 10


if sys.version_info >= (3, 12):
    async def twice():
        await asyncio.sleep(0)
else:
    async def twice():
        return asyncio.current_task()


async def one_definition_needs_a_task():
    await asyncio.create_task(twice())
