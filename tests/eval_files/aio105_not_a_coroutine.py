"""AIO105 not-a-coroutine: a task-creating call given a function, a lambda or
a literal instead of a coroutine (TypeError at run time)."""

import asyncio
from asyncio import create_task as spawn


async def fetch(): ...


def make_coroutine():
    return fetch()


async def agen():
    yield 1


# ------------------------------------------------------------------ reported


class Poller:
    async def poll(self): ...

    async def start(self):
        self.task = asyncio.create_task(self.poll)  # AIO105: 20 "the async function `self.poll` itself"


async def main(loop: asyncio.AbstractEventLoop):
    task = asyncio.create_task(fetch)  # AIO105: 11 "`asyncio.create_task()` is given the async function `fetch`"
    asyncio.create_task(fetch)  # AIO105: 4
    spawn(fetch)  # AIO105: 4
    asyncio.ensure_future(fetch)  # AIO105: 4
    loop.create_task(fetch)  # AIO105: 4
    asyncio.create_task(lambda: fetch())  # AIO105: 4 "a lambda"
    asyncio.create_task("fetch")  # AIO105: 4 "a literal"
    asyncio.create_task(None)  # AIO105: 4
    asyncio.create_task([fetch(), fetch()])  # AIO105: 4
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fetch)  # AIO105: 8
    await task


class Page:
    def render(self, page):
        if not page:
            return None
        return f"<p>{page}</p>"

    def log(self, text):
        print(text)

    def current(self):
        return self._future

    async def show(self, page):
        # A plain method's result is no coroutine: TypeError at run time.
        asyncio.ensure_future(self.render(page))  # AIO105: 8 "what the plain function `self.render` returns"
        await asyncio.create_task(self.log(page))  # AIO105: 14
        # A plain method returning something else may return a future.
        await asyncio.ensure_future(self.current())
        await asyncio.ensure_future(make_coroutine())


# ------------------------------------------------------------------ silent


async def correct(coro, factory):
    first = asyncio.create_task(fetch())
    second = asyncio.create_task(coro)
    third = asyncio.create_task(make_coroutine())
    fourth = asyncio.create_task(factory())
    fifth = asyncio.create_task(coro=fetch())
    await asyncio.gather(first, second, third, fourth, fifth)


async def existing_future(fut):
    await asyncio.ensure_future(fut)


async def unknown_kinds(callback):
    # Not known to be coroutine functions: a parameter, an async generator
    # function (a TypeError too, but not this rule's).
    a = asyncio.create_task(callback)
    # A plain def that returns a coroutine is called like a coroutine function.
    b = asyncio.create_task(make_coroutine)  # AIO105: 8
    c = asyncio.create_task(agen)
    await asyncio.gather(a, b, c)


async def unknown_receiver(scheduler):
    scheduler.create_task(fetch)


async def shadowed():
    def create_task(factory):
        return asyncio.create_task(factory())

    return create_task(fetch)
