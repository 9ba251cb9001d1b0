async def process(item):
    return item
