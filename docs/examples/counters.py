"""What does asyncio.create_task() do? Two counters, one slow and one fast.

create_task() submits the slow counter to run in the background, right away,
concurrently with main(); the fast counter is awaited directly, so main() runs
it to completion first. The ticks interleave, because both tasks switch at
every await. Finally main() awaits the slow task, like joining a thread:
without that await the program would end before the slow counter finishes.

Run it with ``python docs/examples/counters.py``; flake8 finds nothing here.
"""

import asyncio


async def count(name: str, n: int, delay: float) -> str:
    for i in range(1, n + 1):
        print(f"{name}: {i}")
        await asyncio.sleep(delay)
    return f"{name} done"


async def main() -> None:
    slow = asyncio.create_task(count("slow", 3, 0.2))  # starts running at the next await
    print(await count("fast", 3, 0.05))  # runs now; slow ticks in between
    print(await slow)  # wait for the background task and get its result


if __name__ == "__main__":
    asyncio.run(main())
