import asyncio
import functools
from asyncio import create_task

TASKS = set()


def spawn(coro):
    return asyncio.create_task(coro)


def spawn_aliased(coro):
    return create_task(coro)


def spawn_kept(coro):
    task = asyncio.create_task(coro)
    TASKS.add(task)
    return task


def in_group(group, coro):
    return group.create_task(coro)


def ensured(aw):
    return asyncio.ensure_future(aw)


def maybe_task(coro, flag):
    if flag:
        return asyncio.create_task(coro)
    return None


@functools.cache
def decorated(coro):
    return asyncio.create_task(coro)


def rebound(coro):
    return asyncio.create_task(coro)


rebound = print
