import asyncio


class ReplayLoop(asyncio.SelectorEventLoop):
    """An event loop subclass, as test suites write them."""


class Scheduler:
    def create_task(self, coro):
        return coro


async def work():
    return None


async def main():
    loop = ReplayLoop()
    loop.create_task(work())  # AIO101: 4
    kept = loop.create_task(work())
    await kept
    scheduler = Scheduler()
    scheduler.create_task(work())
