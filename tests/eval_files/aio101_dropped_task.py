"""AIO101 dropped-task: a task whose only reference is thrown away at creation."""

import asyncio
import asyncio as aio
import functools
import unittest
from asyncio import AbstractEventLoop
from asyncio import create_task as spawn
from asyncio import ensure_future
from typing import Coroutine

import pytest


async def work(n=0): ...


def on_done(task): ...


# ------------------------------------------------------------------ reported


async def bare_statements():
    asyncio.create_task(work())  # AIO101: 4 "asyncio.create_task()"
    asyncio.ensure_future(work())  # AIO101: 4 "asyncio.ensure_future()"
    aio.create_task(work())  # AIO101: 4 "aio.create_task()"
    spawn(work())  # AIO101: 4 "spawn()"
    ensure_future(work(1))  # AIO101: 4
    asyncio.tasks.create_task(work())  # AIO101: 4
    _ = asyncio.create_task(work())  # AIO101: 8
    asyncio.create_task(work()).add_done_callback(on_done)  # AIO101: 4
    asyncio.create_task(  # AIO101: 4
        work(),
        name="reported on its first line, where noqa goes",
    )
    [asyncio.create_task(work(n)) for n in range(3)]  # AIO101: 5
    [asyncio.create_task(work(1)), asyncio.create_task(work(2))]  # AIO101: 5, AIO101: 35
    (asyncio.create_task(work(1)), asyncio.create_task(work(2)))  # AIO101: 5, AIO101: 35
    await work()


async def only_looked_at_inline(log):
    # Printed, logged, tested or steered, then dropped: task-never-awaited
    # reports the bound forms.
    print("started", asyncio.create_task(work()))  # AIO101: 21
    log.info("started %s", asyncio.create_task(work()))  # AIO101: 27
    if asyncio.create_task(work()):  # AIO101: 7
        pass
    ready = asyncio.create_task(work()) is not None  # AIO101: 12
    callback = asyncio.create_task(work()).add_done_callback(on_done)  # AIO101: 15
    log and asyncio.create_task(work())  # AIO101: 12
    return ready, callback


async def loop_receivers(loop_param: asyncio.AbstractEventLoop, other: AbstractEventLoop):
    loop = asyncio.get_running_loop()
    loop.create_task(work())  # AIO101: 4 "loop.create_task()"
    asyncio.get_running_loop().create_task(work())  # AIO101: 4
    asyncio.get_event_loop().create_task(work())  # AIO101: 4
    loop_param.create_task(work())  # AIO101: 4
    other.create_task(work())  # AIO101: 4
    current = loop
    current.create_task(work())  # AIO101: 4


class Client:
    def __init__(self, loop, pool):
        self._loop = loop
        self.loop = loop
        self._pool = pool

    def start(self):
        self._loop.create_task(work())  # AIO101: 8 "self._loop.create_task()"
        self.loop.create_task(work())  # AIO101: 8

    def start_through_pool(self):
        self._pool._loop.create_task(work())  # AIO101: 8

    def start_through_local(self):
        loop = self._loop
        loop.create_task(work())  # AIO101: 8

    def start_through_unknown_name(self, loop, runner):
        # A bare parameter is not known to be a loop, whatever its name.
        loop.create_task(work())
        runner = self.runner
        runner.create_task(work())


class Connection:
    def __init__(self, client):
        self.client = client

    def reconnect(self):
        self.client.loop.create_task(work())  # AIO101: 8 "self.client.loop.create_task()"


class Annotated:
    events: asyncio.AbstractEventLoop

    def kick(self):
        self.events.create_task(work())  # AIO101: 8


def sync_callback():
    # A plain function scheduling work (say, a signal handler) drops the task
    # just the same.
    asyncio.ensure_future(work())  # AIO101: 4


# ------------------------------------------------------------------ silent

background_tasks = set()


async def background_set():
    # The documented fire-and-forget idiom: the set keeps the task alive.
    task = asyncio.create_task(work())
    background_tasks.add(task)
    task.add_done_callback(background_tasks.discard)


class Service:
    def __init__(self):
        self._tasks = []

    async def start(self):
        self._task = asyncio.create_task(work())
        self._tasks.append(asyncio.create_task(work()))
        self.monitor = self._loop.create_task(work())


async def returned():
    return asyncio.create_task(work())


async def yielded():
    yield asyncio.create_task(work())


def returned_from_lambda():
    return lambda: asyncio.create_task(work())


async def passed_on():
    await asyncio.gather(asyncio.create_task(work()), asyncio.create_task(work()))
    await asyncio.wait([asyncio.create_task(work())])
    await asyncio.shield(asyncio.create_task(work()))
    await asyncio.wait_for(asyncio.create_task(work()), timeout=1)
    done, pending = await asyncio.wait({asyncio.ensure_future(work()) for _ in range(2)})
    tasks = [asyncio.create_task(work(n)) for n in range(3)]
    await asyncio.gather(*tasks)


async def kept_inline(tasks, registry):
    tasks.append(asyncio.create_task(work()))
    registry[asyncio.create_task(work())] = 1
    value = asyncio.create_task(work()).result
    done = asyncio.create_task(work()) or None
    return value, done


async def task_group():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(work())
        tg.create_task(work()).add_done_callback(on_done)


async def unknown_receivers(scheduler, nursery):
    # Not known to be loops: their create_task may keep the task.
    scheduler.create_task(work())
    nursery.start_soon(work)
    self_made = make_runner()
    self_made.create_task(work())


def make_runner(): ...


async def existing_futures(fut, loop):
    # ensure_future() on something that already is a future returns it
    # unchanged: no new task is created.
    asyncio.ensure_future(fut)
    asyncio.ensure_future(loop.run_in_executor(None, print))
    asyncio.ensure_future(asyncio.gather(work(), work()))


async def unknown_awaitables(event, make_coroutine, loop, concurrent_future):
    # An unknown callee: wrapping a call's result almost always makes a new
    # task (ruff's RUF006 agrees), though tornado's Event.wait() returns a
    # future that ensure_future() hands back unchanged.
    asyncio.ensure_future(event.wait())  # AIO101: 4
    asyncio.ensure_future(make_coroutine())  # AIO101: 4
    asyncio.ensure_future(make_coroutine(), loop=loop)  # AIO101: 4
    _ = ensure_future(event.wait())  # AIO101: 8
    # Known to return a future that exists already: no new task.
    asyncio.ensure_future(loop.run_in_executor(None, print), loop=loop)
    asyncio.ensure_future(loop.create_future())
    asyncio.ensure_future(asyncio.wrap_future(concurrent_future))
    asyncio.ensure_future(asyncio.Future())
    asyncio.ensure_future(Deferred())
    asyncio.ensure_future(kept_future())
    asyncio.ensure_future(kept_task_quoted())
    asyncio.ensure_future(cached_future())
    asyncio.ensure_future(cached_coroutine())  # AIO101: 4
    asyncio.ensure_future(event.waiter)
    # Kept: the future it returns is held, whatever it is.
    waiter = asyncio.ensure_future(event.wait())
    return waiter


class Deferred(asyncio.Future):
    pass


_pending: "set[asyncio.Future[None]]" = set()


def kept_future() -> asyncio.Future[None]:
    future = asyncio.get_running_loop().create_future()
    _pending.add(future)
    return future


@functools.cache
def cached_future() -> asyncio.Future[None]:
    return asyncio.get_running_loop().create_future()


@functools.cache
def cached_coroutine() -> Coroutine[None, None, None]:
    return work()


def kept_task_quoted() -> "asyncio.Task[None]":
    task = asyncio.get_running_loop().create_task(work())
    _pending.add(task)
    return task


_running = set()


def create_task(coro):
    """The project's own helper: it keeps its tasks."""
    task = asyncio.get_running_loop().create_task(coro)
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


async def uses_own_helper():
    create_task(work())


async def shadowed_locally():
    create_task = make_runner().create_task
    create_task(work())


async def shadowed_asyncio(asyncio):
    asyncio.create_task(work())


def test_create_task_needs_a_loop():
    with pytest.raises(RuntimeError):
        asyncio.create_task(work())


class TestSpawn(unittest.TestCase):
    def test_outside_loop(self):
        with self.assertRaises(RuntimeError):
            asyncio.ensure_future(work())


async def module_level_name_is_not_tracked():
    # Bound to a local name: AIO102's business, not AIO101's.
    task = asyncio.create_task(work())
    await task


asyncio.run(work())
