"""Python 3.12 syntax: type parameters and type aliases have their own scopes."""

import asyncio

type Handler[T] = asyncio.Task[T]


async def fetch(n): ...


async def run[T](items: list[T]) -> None:
    asyncio.create_task(fetch(1))  # AIO101: 4
    task = asyncio.create_task(fetch(2))  # AIO102: 11
    print(task.get_name())
    fetch(3)  # AIO201: 4


class Pool[T]:
    async def refill(self): ...

    async def start(self, loop: asyncio.AbstractEventLoop):
        loop.create_task(self.refill())  # AIO101: 8
        self.refill()  # AIO201: 8
        kept = loop.create_task(self.refill())
        await kept


def generic_sync[T](value: T) -> T:
    def fetch(n):
        return n

    fetch(1)
    return value
