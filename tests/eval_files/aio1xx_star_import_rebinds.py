"""A star import from another module after a binding may rebind that name."""

from asyncio import sleep
from helpers import *


async def work(): ...


async def main():
    # helpers may define its own plain ``sleep``, which then wins.
    sleep(1)
    # work is defined after the star import, so it is this file's async def.
    work()  # AIO201: 4
    asyncio_task = create_task(work())


async def modules_survive():
    import asyncio as aio_local  # a local import: no star import can rebind it

    aio_local.create_task(work())  # AIO101: 4
