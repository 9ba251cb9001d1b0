async def _refresh(): ...


def reexported():
    return _refresh()


from .hidden import *  # noqa: E402,F403  (after the def: it may rebind it)
