"""AIO201 coroutine-never-awaited: a call to a known coroutine function whose
coroutine is thrown away."""

import abc
import asyncio
import asyncio as aio
import functools
import unittest
from asyncio import sleep as nap

import pytest
from framework import route, wrap


async def save(): ...


async def load():
    return 1


def close():
    """A plain function; an async `close` exists as a method below."""


def run_sync(func):
    """Turns a coroutine function into a plain one."""

    def wrapper(*args):
        return asyncio.run(func(*args))

    return wrapper


async def ticks():
    yield 1


# ------------------------------------------------------------------ reported


async def forgotten_awaits():
    save()  # AIO201: 4 "coroutine from `save()` is never awaited"
    _ = load()  # AIO201: 8
    asyncio.sleep(1)  # AIO201: 4 "`asyncio.sleep()`"
    aio.sleep(1)  # AIO201: 4
    nap(1)  # AIO201: 4
    asyncio.wait_for(load(), 1)  # AIO201: 4
    asyncio.to_thread(close)  # AIO201: 4
    asyncio.open_connection("localhost", 80)  # AIO201: 4
    await save()


def in_a_plain_function():
    save()  # AIO201: 4


async def nested():
    async def helper(): ...

    helper()  # AIO201: 4


def nested_sync_namesake():
    def helper(): ...

    helper()


async def module_function_from_a_method():
    class Local:
        def save(self): ...

        def run(self):
            # Class bodies are skipped: this is the module's async save().
            save()  # AIO201: 12
            self.save()

    return Local


class Connection:
    async def close(self): ...

    @staticmethod
    async def static_close(): ...

    @classmethod
    async def open(cls):
        cls.create()  # AIO201: 8
        return cls()

    @classmethod
    async def create(cls): ...

    @abc.abstractmethod
    async def flush(self): ...

    async def __aexit__(self, *exc):
        self.close()  # AIO201: 8
        self.flush()  # AIO201: 8
        close()

    def __del__(self):
        self.close()  # AIO201: 8


class Pooled(Connection):
    async def release(self):
        self.close()  # AIO201: 8


class Static:
    @staticmethod
    async def helper(): ...

    async def run(self):
        self.helper()  # AIO201: 8

    @staticmethod
    async def no_self(self):
        # A staticmethod's first parameter is not the instance.
        self.helper()


class WrapsKept:
    @functools.wraps(save)
    async def save(self): ...

    async def run(self):
        self.save()  # AIO201: 8


# ------------------------------------------------------------------ silent


async def awaited():
    await save()
    value = await load()
    await asyncio.sleep(1)
    await asyncio.to_thread(close)
    return value


async def handed_on():
    asyncio.create_task(save()).add_done_callback(print)  # AIO101: 4
    task = asyncio.ensure_future(load())
    await asyncio.gather(save(), load())
    await asyncio.wait_for(load(), 1)
    await task
    return save()


def sync_name_matching_async_method():
    close()


@route("/")
async def decorated(): ...


@run_sync
async def made_sync(): ...


async def unknown_decorator():
    # `route` might wrap the coroutine function in anything.
    decorated()
    made_sync()


async def async_generator_is_not_a_coroutine():
    ticks()


async def unknown_receivers(conn, client):
    conn.close()
    client.save()


class Mixed:
    async def close(self): ...

    async def run(self):
        self.close()


class MixedChild(Mixed):
    def close(self):
        """A plain override: self.close() in Mixed may be this one."""


class Shadowed:
    # Any `x.refresh = ...` in the module may shadow the method on instances.
    def __init__(self, refresh):
        self.refresh = refresh

    async def refresh(self): ...

    async def run(self):
        self.refresh()


class Base:
    def stop(self): ...


class Child(Base):
    async def run(self):
        self.stop()


class FromUnknown(unittest.TestCase):
    async def run_it(self):
        self.stop()


def rebinding():
    save = wrap(save_impl)
    save()


async def save_impl(): ...


def conditional(flag):
    if flag:
        async def handler(): ...
    else:
        def handler(): ...
    handler()


try:
    from fastlib import fetch
except ImportError:
    async def fetch(): ...


def fallback():
    fetch()


def test_fails_without_a_loop():
    with pytest.raises(TypeError):
        save()


class TestConnection(unittest.TestCase):
    def test_close(self):
        with self.assertRaises(RuntimeError):
            asyncio.sleep(0)


if __name__ == "__main__":
    asyncio.run(save())


# Dual-mode code asks first, and awaits where it must: silent, whichever
# branch or order the test takes.
import inspect  # noqa: E402
from typing import Awaitable  # noqa: E402


class DualMode:
    async def close(self): ...

    async def shutdown(self, handler, loop):
        if inspect.iscoroutinefunction(self.close):
            await self.close()
        else:
            self.close()
        if not asyncio.iscoroutinefunction(handler.stop):
            handler.stop()
        is_async = asyncio.iscoroutinefunction(self.close)
        if not is_async:
            self.close()
            loop.call_soon(self.close)
        result = self.close()
        if inspect.isawaitable(result):
            await result
        outcome = self.close()
        if not isinstance(outcome, Awaitable):
            print(outcome)

    async def unguarded(self):
        # A test of another callee guards nothing here.
        if inspect.iscoroutinefunction(self.shutdown):
            pass
        self.close()  # AIO201: 8
