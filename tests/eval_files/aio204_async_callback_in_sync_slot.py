"""AIO204 async-callback-in-sync-slot: an async function passed where a
plain callable is called and its result dropped."""

import asyncio
import atexit
import functools
import signal
import threading
from signal import SIGTERM


async def heartbeat(): ...


async def shutdown(*args): ...


def start_heartbeat():
    background.add(asyncio.ensure_future(heartbeat()))


background = set()


# ------------------------------------------------------------------ reported


async def loop_slots(fd):
    loop = asyncio.get_running_loop()
    loop.call_soon(heartbeat)  # AIO204: 19 "`loop.call_soon()` calls async `heartbeat`"
    loop.call_soon_threadsafe(heartbeat)  # AIO204: 30
    loop.call_later(5, heartbeat)  # AIO204: 23 "a plain function that creates and keeps a task"
    loop.call_at(loop.time() + 5, heartbeat)  # AIO204: 34
    loop.add_signal_handler(SIGTERM, shutdown)  # AIO204: 37
    loop.add_reader(fd, heartbeat)  # AIO204: 24
    loop.add_writer(fd, heartbeat)  # AIO204: 24
    await loop.run_in_executor(None, heartbeat)  # AIO204: 37 "pass `asyncio.run, heartbeat()`"


def stdlib_slots(future):
    threading.Thread(target=heartbeat).start()  # AIO204: 28 "`threading.Thread()`"
    threading.Thread(None, heartbeat).start()  # AIO204: 27 "`target=asyncio.run, args=(heartbeat(),)`"
    threading.Timer(5, heartbeat).start()  # AIO204: 23 "pass `asyncio.run, args=(heartbeat(),)`"
    signal.signal(SIGTERM, shutdown)  # AIO204: 27 "use `loop.add_signal_handler`"
    atexit.register(shutdown)  # AIO204: 20 "calls `asyncio.run(shutdown())`"
    future.add_done_callback(shutdown)  # AIO204: 29 "creates and keeps a task"


class Client:
    def __init__(self, loop):
        self._loop = loop

    async def _on_timeout(self): ...

    def arm(self):
        self._loop.call_later(30, self._on_timeout)  # AIO204: 34 "`self._on_timeout`"


# ------------------------------------------------------------------ silent


async def plain_callbacks(fd, task):
    loop = asyncio.get_running_loop()
    loop.call_soon(start_heartbeat)
    loop.call_later(5, start_heartbeat)
    loop.call_soon(asyncio.ensure_future, heartbeat())
    loop.call_soon(functools.partial(asyncio.ensure_future, heartbeat()))
    # The coroutine runs, but the handler's task is dropped: AIO101, not AIO204.
    loop.add_signal_handler(SIGTERM, lambda: asyncio.ensure_future(shutdown()))  # AIO101: 45
    await loop.run_in_executor(None, asyncio.run, heartbeat())
    task.add_done_callback(background.discard)
    threading.Thread(target=asyncio.run, args=(heartbeat(),)).start()
    atexit.register(print, "bye")


def advised_fixes(loop):
    # What the messages advise for the thread, timer and exit slots.
    threading.Timer(5, asyncio.run, args=(heartbeat(),)).start()
    atexit.register(lambda: asyncio.run(shutdown()))
    loop.add_signal_handler(SIGTERM, start_heartbeat)


async def unknown_receiver(scheduler):
    scheduler.call_soon(heartbeat)
    scheduler.call_later(5, heartbeat)


async def other_positions(loop: asyncio.AbstractEventLoop):
    # The callable is the second argument of call_later; the first is a delay.
    loop.call_later(heartbeat_delay(), start_heartbeat)


def heartbeat_delay():
    return 5


async def awaited_callbacks(executor):
    # APIs that take coroutine functions are not slots.
    await asyncio.wait_for(heartbeat(), 1)
    executor.submit(start_heartbeat)
