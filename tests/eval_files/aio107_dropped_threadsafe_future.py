"""AIO107 dropped-threadsafe-future: run_coroutine_threadsafe() as a bare
statement or `_ =`."""

import asyncio
from asyncio import run_coroutine_threadsafe as submit


async def save(item): ...


# ------------------------------------------------------------------ reported


def on_message(loop, item):
    asyncio.run_coroutine_threadsafe(save(item), loop)  # AIO107: 4 "asyncio.run_coroutine_threadsafe()"


def on_other_message(loop, item):
    _ = submit(save(item), loop)  # AIO107: 8


class Bridge:
    def __init__(self, loop):
        self.loop = loop

    def post(self, item):
        asyncio.run_coroutine_threadsafe(save(item), self.loop)  # AIO107: 8


# ------------------------------------------------------------------ silent


def waits(loop, item):
    future = asyncio.run_coroutine_threadsafe(save(item), loop)
    return future.result(timeout=10)


def waits_inline(loop, item):
    asyncio.run_coroutine_threadsafe(save(item), loop).result()


def returns(loop, item):
    return asyncio.run_coroutine_threadsafe(save(item), loop)


def with_callback(loop, item):
    asyncio.run_coroutine_threadsafe(save(item), loop).add_done_callback(print)


def collects(loop, items):
    futures = [asyncio.run_coroutine_threadsafe(save(item), loop) for item in items]
    return [f.result() for f in futures]


def unknown(bridge, item):
    bridge.run_coroutine_threadsafe(save(item))
