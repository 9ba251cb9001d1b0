"""A second star import may rebind any asyncio name: nothing resolves."""

from asyncio import *
from helpers import *


async def work(): ...


async def main():
    create_task(work())
    ensure_future(work())
    gather(work(), work())
    sleep(1)
    work()  # AIO201: 4

