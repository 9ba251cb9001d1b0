"""Receivers whose class is imported from another module of the project."""
from typing import TYPE_CHECKING, Optional

from .models import Client, Service

if TYPE_CHECKING:
    from .models import Dynamic, Service as TypedService


async def handle(client: Client, maybe: Optional["Client"], dynamic: "Dynamic", anything):
    client.fetch("/a")  # AIO201: 4
    maybe.fetch("/b")  # AIO201: 4
    client.close()
    dynamic.fetch("/c")  # Dynamic may answer any attribute: unknown
    anything.fetch("/d")


class Poller:
    def connect(self):
        self.client = Client()

    def poll(self):
        self.client.fetch("/e")  # AIO201: 8
        self.client.close()


class Worker(Service):
    async def start(self):
        super().start()  # AIO201: 8
        super().stop()


async def typed_only(service: "TypedService"):
    service.start()  # AIO201: 4
    service.stop()
