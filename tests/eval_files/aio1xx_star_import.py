"""`from asyncio import *` still resolves asyncio's names."""

from asyncio import *


async def work(): ...


async def main():
    create_task(work())  # AIO101: 4
    ensure_future(work())  # AIO101: 4
    get_running_loop().create_task(work())  # AIO101: 4
    gather(work(), work())  # AIO106: 4
    shield(work())  # AIO106: 4
    sleep(1)  # AIO201: 4
    task = create_task(work())  # AIO101: 11
    kept = create_task(work())
    await wait([kept])


def sync():
    run(main())
