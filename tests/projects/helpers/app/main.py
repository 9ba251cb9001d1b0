"""Helpers imported from another module of the project: what they return
is summarised once per module, by the same syntax that reads this file."""
from . import api
from .api import cached, fetch, maybe, rebound, refresh, sync
from .starred import reexported


async def main():
    refresh()  # AIO201: 4
    api.refresh()  # AIO201: 4
    fetch("/a")  # AIO201: 4
    if refresh():  # AIO203: 7
        pass
    sync("/b")
    maybe(True)  # a path returns None: unknown
    reexported()  # a star import after it may rebind the name: unknown
    cached()  # a decorator may change what it returns: unknown
    rebound()  # rebound to print: unknown
