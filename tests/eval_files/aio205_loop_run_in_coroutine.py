"""AIO205 loop-run-in-coroutine: asyncio.run() or loop.run_until_complete()
directly inside an async def."""

import asyncio
import asyncio as aio
from asyncio import run

import pytest


async def load(): ...


# ------------------------------------------------------------------ reported


async def nested_run():
    data = asyncio.run(load())  # AIO205: 11 "`asyncio.run()` inside `async def nested_run`"
    aio.run(load())  # AIO205: 4
    run(load())  # AIO205: 4
    return data


async def run_until_complete():
    loop = asyncio.get_event_loop()
    loop.run_until_complete(load())  # AIO205: 4 "`loop.run_until_complete()`"
    asyncio.get_event_loop().run_until_complete(load())  # AIO205: 4


class Service:
    def __init__(self, loop):
        self._loop = loop

    async def stop(self):
        self._loop.run_until_complete(load())  # AIO205: 8


async def in_a_comprehension(items):
    return [asyncio.run(load()) for _ in items]  # AIO205: 12


# ------------------------------------------------------------------ silent


async def main():
    return await load()


if __name__ == "__main__":
    asyncio.run(main())


def sync_entry_point():
    asyncio.run(main())
    loop = asyncio.new_event_loop()
    loop.run_until_complete(load())


async def in_a_thread():
    # The plain def runs in another thread, which has no running loop.
    def blocking():
        return asyncio.run(load())

    return await asyncio.to_thread(blocking)


async def in_a_lambda():
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, lambda: asyncio.run(load()))


async def unknown_receiver(runner):
    runner.run_until_complete(load())
    runner.run(load())


async def test_refuses_nested_loops():
    with pytest.raises(RuntimeError):
        asyncio.run(load())


def shadowed():
    async def run(coro):
        return await coro

    async def inner():
        await run(load())

    return inner
