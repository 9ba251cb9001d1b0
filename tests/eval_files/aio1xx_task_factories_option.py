# OPTIONS: --aio-task-factories=app.utils.spawn,app.jobs.* --aio-task-keepers=app.jobs.spawn_tracked
"""The project's own task factories, declared with --aio-task-factories, are
judged like asyncio.create_task; declared keepers never are."""

import app.jobs as jobs
from app.jobs import spawn_tracked, start
from app.utils import spawn
from app.utils import spawn as launch
from app.utils import unrelated


async def work(): ...


async def main():
    spawn(work())  # AIO101: 4
    launch(work())  # AIO101: 4
    jobs.start(work())  # AIO101: 4
    start(work())  # AIO101: 4
    pending = spawn(work())  # AIO101: 14
    spawn(work)  # AIO105: 4

    # A keeper keeps its task itself, even inside a module named with .*.
    spawn_tracked(work())
    jobs.spawn_tracked(work())
    # Names the options do not mention stay unknown.
    unrelated(work())

    kept = spawn(work())
    await kept
