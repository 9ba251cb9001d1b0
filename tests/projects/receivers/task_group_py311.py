import asyncio


async def work():
    return None


async def main():
    group = asyncio.TaskGroup()
    async with group:
        group.create_task(work)  # AIO105: 8
        group.create_task(work())
