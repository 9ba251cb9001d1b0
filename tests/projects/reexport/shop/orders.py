import asyncio

import shop.client as client_module
from shop import fetch_all
from shop.client import parse

from . import fetch
from . import fetch as download
from .client import fetch as get


async def forgotten():
    fetch("a")  # AIO201: 4 "`fetch()`"
    download("b")  # AIO201: 4
    get("c")  # AIO201: 4
    client_module.fetch("d")  # AIO201: 4
    fetch_all(["e"])  # AIO201: 4


async def as_values():
    if fetch("a"):  # AIO203: 7
        pass
    pending = get("b")  # AIO202: 14
    loop = asyncio.get_running_loop()
    loop.call_soon(fetch)  # AIO204: 19
    task = asyncio.create_task(download)  # AIO105: 11
    await task


async def fine():
    parse("not a coroutine function")
    await fetch("a")
    task = asyncio.create_task(get("b"))
    await asyncio.gather(task, download("c"))
    kept = fetch_all([])
    return kept
