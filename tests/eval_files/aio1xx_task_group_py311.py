"""Python 3.11 code: TaskGroup, except*, asyncio.timeout()."""

import asyncio


async def fetch(n): ...


async def main(urls):
    try:
        async with asyncio.TaskGroup() as tg:
            for url in urls:
                tg.create_task(fetch(url))
            first = tg.create_task(fetch(0))
            tg.create_task(fetch)  # AIO105: 12
    except* ValueError as group:
        asyncio.create_task(fetch(-1))  # AIO101: 8
        print(group.exceptions)
    async with asyncio.timeout(1):
        await first
        watchdog = asyncio.create_task(fetch(1))  # AIO101: 19
        fetch(2)  # AIO201: 8


async def nested_groups():
    async with asyncio.TaskGroup() as outer, asyncio.TaskGroup() as inner:
        outer.create_task(fetch(1))
        inner.create_task(fetch(2))
