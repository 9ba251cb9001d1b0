"""AIO202 coroutine-bound-never-awaited: a coroutine held in a local name
that is never awaited, passed on, returned or stored."""

import asyncio


async def count(n): ...


async def ticks():
    yield 1


def sync_count(n):
    return n


# ------------------------------------------------------------------ reported


async def second_counter_forgotten():
    first = count(1)
    second = count(2)  # AIO202: 13 "coroutine `second` from `count()`"
    await first


async def asyncio_coroutine():
    pause = asyncio.sleep(1)  # AIO202: 12 "`asyncio.sleep()`"
    await count(1)


async def annotated():
    job: object = count(1)  # AIO202: 18


async def rebound():
    job = count(1)  # AIO202: 10
    job = count(2)
    await job


def in_a_plain_function():
    job = count(1)  # AIO202: 10
    return None


class Counter:
    async def tick(self): ...

    async def run(self):
        pending = self.tick()  # AIO202: 18


async def only_looked_at(items, log):
    # The bound forms of coroutine-used-as-value's uses.
    pair = count(1)  # AIO202: 11
    first, second = pair
    value = count(2)  # AIO202: 12
    negative = -value
    ready = count(3)  # AIO202: 12
    kept = [item for item in items if ready]
    logged = count(4)  # AIO202: 13
    log.info("started %s", logged)
    dropped = count(5)  # AIO202: 14
    dropped
    (walrus := count(6))  # AIO202: 15 "coroutine `walrus` from `count()`"
    return first, second, negative, kept


# ------------------------------------------------------------------ silent


async def awaited():
    first = count(1)
    second = count(2)
    await asyncio.gather(first, second)


async def submitted():
    job = count(1)
    task = asyncio.create_task(job)
    await task


async def stored(jobs):
    job = count(1)
    jobs.append(job)


async def returned():
    job = count(1)
    return job


def run_from_sync():
    main = count(1)
    asyncio.run(main)


def run_on_loop(loop):
    job = count(1)
    loop.run_until_complete(job)


async def rebound_under_if(flag):
    job = count(1)
    if flag:
        job = count(2)
    await job


async def rebound_from_itself():
    job = count(1)
    job = asyncio.wait_for(job, timeout=1)
    await job


async def in_a_loop(items):
    pending = []
    for item in items:
        job = count(item)
        pending.append(job)
    await asyncio.gather(*pending)


async def captured():
    job = count(1)

    async def runner():
        await job

    await runner()


async def closed_explicitly():
    job = count(1)
    job.close()


async def async_generator_object():
    stream = ticks()
    return None


async def plain_function():
    value = sync_count(1)


async def walrus():
    if (job := count(1)) is not None:
        await job
    if (other := count(2)):
        await other
    (kept := count(3))
    return kept


module_level = count(1)
