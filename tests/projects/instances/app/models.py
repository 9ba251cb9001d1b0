import asyncio


class Client:
    def __init__(self):
        self.session = None

    async def get(self, key):
        await asyncio.sleep(0)
        return key

    def close(self):
        self.session = None

    async def stream(self):
        yield 1

    @property
    def ready(self):
        return True


class CachedClient(Client):
    def get(self, key):
        """A plain override of the async method."""
        return key


class Unrelated:
    def get(self, key):
        return key
