import asyncio


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def fetch_all(urls):
    return [await fetch(url) for url in urls]


def parse(text):
    return text.split()
