"""AIO106 dropped-gather: gather()/shield() as a bare statement or `_ =`."""

import asyncio
import asyncio as aio
from asyncio import gather


async def ping(host): ...


# ------------------------------------------------------------------ reported


async def main():
    asyncio.gather(ping("a"), ping("b"))  # AIO106: 4 "future from `asyncio.gather()` is dropped"
    aio.gather(ping("a"))  # AIO106: 4
    gather(*[ping(h) for h in "abc"])  # AIO106: 4
    _ = asyncio.shield(ping("a"))  # AIO106: 8
    asyncio.shield(ping("a"))  # AIO106: 4
    asyncio.gather(  # AIO106: 4
        ping("a"),
        ping("b"),
    )


# ------------------------------------------------------------------ silent


async def awaited():
    await asyncio.gather(ping("a"), ping("b"))
    results = await asyncio.gather(ping("a"), return_exceptions=True)
    await asyncio.shield(ping("a"))
    return results


def returned():
    return asyncio.gather(ping("a"), ping("b"))


async def kept():
    everything = asyncio.gather(ping("a"), ping("b"))
    everything.add_done_callback(print)
    await asyncio.sleep(1)
    return everything


def run_it(loop):
    loop.run_until_complete(asyncio.gather(ping("a"), ping("b")))


async def with_callback():
    asyncio.gather(ping("a")).add_done_callback(print)


async def shadowed(items):
    def gather(*things):
        return list(things)

    gather(1, 2)


async def unknown(db):
    db.gather("stats")
    db.shield()
