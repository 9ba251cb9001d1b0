import random

from app.models import CachedClient, Client, Unrelated

from .unknown_base import Base


class Service:
    def __init__(self):
        self.client = Client()
        self.connection = None
        self.either = Client() if random.random() else Unrelated()

    async def connect(self):
        self.connection = Client()

    async def run(self):
        self.client.get("a")  # AIO201: 8
        self.connection.get("b")  # AIO201: 8
        self.client.close()
        self.client.stream()
        self.either.get("c")


async def locals_():
    client = Client()
    client.get("a")  # AIO201: 4
    client.close()
    cached = CachedClient()
    cached.get("b")
    Client().get("c")  # AIO201: 4


class Derived(Client):
    async def refresh(self):
        self.get("a")  # AIO201: 8


class FromUnknown(Base, Client):
    async def refresh(self):
        # Base cannot be read: it may define get() first in the MRO.
        self.get("a")


class Overridden(Client):
    async def refresh(self):
        # A subclass below overrides get() with a plain def.
        self.get("a")


class Overriding(Overridden):
    def get(self, key):
        return key
