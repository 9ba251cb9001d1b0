"""The counters of counters.py, broken in the ways people really break them.

Each function is the correct main() with one mistake. flake8 reports every one:

    flake8 --select AIO docs/examples
"""

import asyncio


async def count(name: str, n: int, delay: float) -> str:
    for i in range(1, n + 1):
        print(f"{name}: {i}")
        await asyncio.sleep(delay)
    return f"{name} done"


async def task_never_awaited() -> None:
    # The final `await slow` is gone: its name is only printed, nobody waits
    # for the slow counter, and the program can exit before it finishes.
    slow = asyncio.create_task(count("slow", 3, 0.2))
    print(slow.get_name(), await count("fast", 3, 0.05))


async def coroutine_never_awaited() -> None:
    # The fast counter is called but not awaited: that only builds a
    # coroutine object, and its body never runs.
    slow = asyncio.create_task(count("slow", 3, 0.2))
    count("fast", 3, 0.05)
    print(await slow)


async def coroutine_bound_never_awaited() -> None:
    # The fast counter is built and kept in a name, but never awaited or
    # submitted: it never runs either.
    slow = asyncio.create_task(count("slow", 3, 0.2))
    fast = count("fast", 3, 0.05)
    print(await slow)


async def task_dropped_at_creation() -> None:
    # The Task handle is thrown away: nothing retrieves the slow counter's
    # result or error, an error in it only reaches the log, and asyncio.run()
    # cancels it, unnoticed, if it is still running when main() returns.
    asyncio.create_task(count("slow", 3, 0.2))
    print(await count("fast", 3, 0.05))


async def function_instead_of_coroutine() -> None:
    # create_task() needs a coroutine object, not the async function itself:
    # this raises TypeError.
    slow = asyncio.create_task(count)
    print(await count("fast", 3, 0.05))
    print(await slow)


async def condition_on_a_coroutine() -> None:
    # Without await, the condition is the coroutine object, always true.
    if count("fast", 1, 0.05):
        print("counted")
