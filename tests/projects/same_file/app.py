"""Everything in one file: what `local` already knows."""

import functools


def logged(func):
    @functools.wraps(func)
    async def wrapper(*args, **kwargs):
        return await func(*args, **kwargs)

    return wrapper


class Store:
    async def save(self, item):
        return item

    def size(self):
        return 0

    async def rows(self):
        yield 1


class Shadowed:
    def __init__(self, refresh):
        self.refresh = refresh

    async def refresh(self):
        return None


class Guarded:
    def __getattribute__(self, name):
        return object.__getattribute__(self, name)

    async def load(self):
        return None


@logged
async def publish(item):
    return item


async def main():
    store = Store()
    store.save(1)  # AIO201: 4
    store.size()
    store.rows()
    Store().save(2)  # AIO201: 4
    publish(3)  # AIO201: 4
    # An instance attribute of that name may shadow the method:
    Shadowed(print).refresh()
    # __getattribute__ may return anything:
    guarded = Guarded()
    guarded.load()
