"""Helpers of another project module that return the new task of
asyncio.create_task without keeping it are task factories, known from that
module's summary; a helper that keeps its task, hands it to a TaskGroup,
may return something else or is decorated stays unknown."""
from . import jobs
from .jobs import decorated, ensured, in_group, maybe_task, rebound, spawn, spawn_aliased, spawn_kept


async def work(): ...


async def main(group):
    spawn(work())  # AIO101: 4
    jobs.spawn(work())  # AIO101: 4
    spawn_aliased(work())  # AIO101: 4
    spawn_kept(work())  # the helper keeps it in a set
    in_group(group, work())  # a TaskGroup's create_task keeps its task
    ensured(work())  # ensure_future may return the future it is given
    maybe_task(work(), True)  # a path returns None
    decorated(work())  # a decorator may change what it returns
    rebound(work())  # rebound to print
    task = spawn(work())
    await task
