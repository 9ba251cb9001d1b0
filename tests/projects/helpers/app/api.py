import functools


async def _refresh(): ...


def refresh():
    return _refresh()


async def fetch(url): ...


def sync(url):
    return url


def maybe(flag):
    if flag:
        return _refresh()
    return None


@functools.lru_cache
def cached():
    return _refresh()


def rebound():
    return _refresh()


rebound = print
