"""A star import after ``import asyncio`` cannot make ``asyncio`` another
module: names bound by plain imports still resolve."""

import asyncio
from helpers import *


async def work(): ...


async def main():
    asyncio.create_task(work())  # AIO101: 4
    asyncio.sleep(1)  # AIO201: 4
