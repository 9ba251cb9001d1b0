"""The fix each AIO101/AIO102/AIO103 message advises, by where the task is
made (issue 14): a plain def cannot await, so it keeps the task; an async def
that expects the task's outcome awaits it; a task left to outlive the call is
kept. This checkout's pyproject.toml says Python 3.10, which has no TaskGroup,
so no message here offers one."""

import asyncio

async def work(n=0): ...


def on_done(task): ...


class Loop:
    loop: asyncio.AbstractEventLoop


# ------------------------------------------------------- plain def: keep it


def protocol_callback(loop: asyncio.AbstractEventLoop):
    loop.create_task(work())  # AIO101: 4 "nothing retrieves its result or error; keep it in a set with add_done_callback(set.discard)"


class Protocol(Loop):
    def data_received(self, data):
        asyncio.create_task(work(data))  # AIO101: 8 "keep it in a set"

    def __del__(self):
        # The `except` around it is for create_task's own error: a plain def
        # cannot await the task anyway.
        try:
            self.loop.create_task(work())  # AIO101: 12 "nothing retrieves its result or error; keep it in a set"
        except RuntimeError:
            pass


def bound_in_a_plain_def(loop: asyncio.AbstractEventLoop):
    task = loop.create_task(work())  # AIO102: 11 "nothing waits for it; keep it in a set with add_done_callback"
    task.set_name("ticker")


def chained_callback(loop: asyncio.AbstractEventLoop):
    loop.create_task(work()).add_done_callback(on_done)  # AIO101: 4 "only its done callback sees how it ends; keep it"


def in_a_lambda(loop: asyncio.AbstractEventLoop):
    loop.call_soon(lambda: asyncio.create_task(work()))  # AIO101: 27 "make the lambda a def that keeps it in a set"


# --------------------------------------- async def, outcome needed: await it


async def setup():
    # homeassistant's keba: the handler was written for the coroutine's error,
    # which a dropped task never raises here.
    try:
        asyncio.create_task(work())  # AIO101: 8 "its error never reaches the `except` around it; await the coroutine in the `try`"
    except ValueError:
        pass


def spawn(coroutine):
    return asyncio.create_task(coroutine)


async def setup_through_a_helper(coroutine):
    try:
        spawn(work())  # AIO101: 8 "await the coroutine in the `try`"
    except (ValueError, OSError):
        pass
    try:
        spawn(coroutine)  # AIO101: 8 "its error never reaches the `except` around it; await it in the `try`"
    except (ValueError, OSError):
        pass


async def looked_at_but_never_awaited():
    task = asyncio.create_task(work())  # AIO102: 11 "nothing waits for it; await it before the function returns"
    print("started", task.get_name())
    await work(1)


async def cancelled_never_awaited():
    # With AIO103 off, AIO102 speaks; awaiting a cancelled task raises
    # CancelledError.
    task = asyncio.create_task(work())  # AIO102: 11 "after cancel(), gather it with return_exceptions"
    await work(1)
    task.cancel()


# ------------------------------------ async def, outlives the call: keep it


async def start(self):
    asyncio.create_task(work())  # AIO101: 4 "nothing retrieves its result or error; keep it in a set"
    await work(1)


async def handler_for_other_statements():
    # The `except` may be for the await above it: the task is left to run on.
    try:
        await work(1)
        asyncio.create_task(work())  # AIO101: 8 "nothing retrieves its result or error; keep it"
    except ValueError:
        pass


async def startup():
    # uvicorn's lifespan: the local keeps it only while startup() runs.
    lifespan = asyncio.get_running_loop().create_task(work())  # AIO101: 15 "keep it in a set"
    await work(1)


async def with_a_done_callback():
    task = asyncio.create_task(work())  # AIO102: 11 "nothing waits for it; keep it in a set with add_done_callback"
    task.add_done_callback(on_done)


async def several(items):
    [asyncio.create_task(work(item)) for item in items]  # AIO101: 5 "nothing retrieves its result or error; keep it"


# --------------------------------------------------------------- silent


background = set()


def kept_in_a_plain_def(loop: asyncio.AbstractEventLoop):
    task = loop.create_task(work())
    background.add(task)
    task.add_done_callback(background.discard)


async def awaited_in_the_try():
    try:
        await work()
    except ValueError:
        pass
