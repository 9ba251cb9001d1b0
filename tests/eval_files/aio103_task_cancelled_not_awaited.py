# OPTIONS: --extend-select=AIO103
"""AIO103 task-cancelled-not-awaited (off by default): cancel() with no later await."""

import asyncio
import contextlib


async def work(n=0):
    await asyncio.sleep(n)


# ------------------------------------------------------------------ reported


class Worker:
    def __init__(self):
        self._task = None
        self._other = None

    def start(self):
        self._task = asyncio.create_task(work())
        self._other = asyncio.get_running_loop().create_task(work())

    async def stop(self):
        if self._task is not None:
            self._task.cancel()  # AIO103: 12 "task `self._task` is cancelled"
            self._task = None

    async def __aexit__(self, *exc_info):
        # Left in place, and close() gathers it: collected where the class says.
        self._other.cancel()

    async def close(self):
        # Awaited after the cancel: silent.
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._other.cancel()
        await asyncio.gather(self._other, return_exceptions=True)

    async def aliased(self):
        task = self._task
        self._task.cancel()
        await asyncio.wait([task])

    async def awaited_by_a_callback(self):
        self._task.cancel()
        self._task.add_done_callback(lambda _: print(self._task))

    def sync_stop(self):
        # A plain def cannot await: AIO103 asks for what it cannot do there.
        self._task.cancel()


class Unknown:
    def __init__(self, task):
        self._task = task  # not known to be a task

    async def stop(self):
        self._task.cancel()


class StoredElsewhere:
    def start(self):
        self._job = asyncio.create_task(work())

    async def stop(self):
        self._job.cancel()


def replace_job(holder):
    holder._job = make_future()


def make_future(): ...


async def cancelled_and_forgotten():
    # Never awaited at all, and cancelled: one finding, AIO103's, since the
    # user selected it (AIO102 speaks when AIO103 is off).
    ticker = asyncio.create_task(work())
    await asyncio.sleep(1)
    ticker.cancel()  # AIO103: 4 "task `ticker` is cancelled"


async def cancelled_in_finally():
    heartbeat = asyncio.create_task(work())
    try:
        await heartbeat
    finally:
        heartbeat.cancel()  # AIO103: 8


async def cancelled_under_if(flag):
    task = asyncio.get_running_loop().create_task(work())
    await asyncio.wait([task], timeout=1)
    if not task.done():
        task.cancel()  # AIO103: 8


async def handed_to_wait_then_cancelled(items):
    pending = asyncio.create_task(work())
    done, _ = await asyncio.wait({pending}, timeout=5)
    if pending not in done:
        pending.cancel()  # AIO103: 8


# ------------------------------------------------------------------ silent


async def awaited_after_cancel():
    ticker = asyncio.create_task(work())
    await asyncio.sleep(1)
    ticker.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await ticker


async def gathered_after_cancel():
    ticker = asyncio.create_task(work())
    ticker.cancel()
    await asyncio.gather(ticker, return_exceptions=True)


async def waited_after_cancel():
    ticker = asyncio.create_task(work())
    ticker.cancel()
    await asyncio.wait([ticker])


async def returned_after_cancel():
    ticker = asyncio.create_task(work())
    ticker.cancel()
    return ticker


async def cancel_in_a_loop_awaited_at_its_top(items):
    task = asyncio.create_task(work())
    for item in items:
        await task
        task.cancel()


async def awaited_in_try_after_cancel():
    task = asyncio.create_task(work())
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


async def never_awaited_at_all():
    # Both rules hold, never awaited at all (AIO102) and the cancel() not
    # followed by an await (AIO103): one bug, one finding, AIO103's.
    ticker = asyncio.create_task(work())
    ticker.cancel()  # AIO103: 4 "await it in asyncio.gather("


async def checked_then_cancelled():
    ticker = asyncio.create_task(work())
    if not ticker.done():
        ticker.cancel()  # AIO103: 8


def cancelled_in_a_plain_def(loop: asyncio.AbstractEventLoop):
    # Nothing here can await: the task is kept for a coroutine to await.
    ticker = loop.create_task(work())
    ticker.cancel()  # AIO103: 4 "keep it in a set that a coroutine awaits"


async def never_awaited_but_not_cancelled():
    # No cancel(): AIO102 speaks, AIO103 has nothing to say.
    ticker = asyncio.create_task(work())  # AIO102: 13
    print(ticker.done())


async def cancel_in_a_callback():
    task = asyncio.create_task(work())

    def stop():
        task.cancel()

    asyncio.get_running_loop().call_later(1, stop)
    await task


async def cancel_of_a_parameter(task):
    task.cancel()


class Service:
    async def stop(self):
        self._task.cancel()


# ------------- the cancelled task may be the running one, or is done already


class Reconnecting:
    def __init__(self):
        self._reconnect_task = None
        self._reader_task = None
        self._ticker_task = None
        self._one_shot = None

    def start(self):
        self._reconnect_task = asyncio.create_task(self._attempt_reconnect())
        self._reader_task = asyncio.create_task(self._read_loop())
        self._ticker_task = asyncio.create_task(self._tick())
        self._one_shot = asyncio.create_task(self._schedule())

    async def _attempt_reconnect(self):
        await self._on_error()

    async def _on_error(self):
        # Reached from the reconnect task itself: it would await itself.
        self._reconnect_task.cancel()

    async def _read_loop(self):
        await asyncio.sleep(1)

    async def close(self):
        # The method tells the running task apart itself.
        if self._reader_task is not asyncio.current_task():
            self._reader_task.cancel()

    async def restart(self):
        # Waited for through the project's companion future.
        self._reconnect_task.cancel()
        await asyncio.wait_for(self._reconnect_task_future, 1)

    async def _tick(self):
        await asyncio.sleep(1)

    async def stop_ticker(self):
        self._ticker_task.cancel()  # AIO103: 8

    async def _schedule(self):
        # Never suspends: the task is done at its first step.
        asyncio.get_running_loop().call_later(1, print)

    async def stop_one_shot(self):
        self._one_shot.cancel()


class Debounced:
    def __init__(self):
        self._end_of_turn = None

    async def on_speech(self):
        # Restarted on every event; aclose() collects the last one.
        if self._end_of_turn is not None:
            self._end_of_turn.cancel()
        self._end_of_turn = asyncio.create_task(work())

    async def aclose(self):
        if self._end_of_turn is not None:
            await asyncio.gather(self._end_of_turn, return_exceptions=True)


class RestartedButNeverCollected:
    def __init__(self):
        self._runner = None

    async def restart(self):
        # Replaced, and no method ever awaits it: the cancelled one is lost.
        if self._runner is not None:
            self._runner.cancel()  # AIO103: 12
        self._runner = asyncio.create_task(work())


class RunsAnotherModulesCoroutine:
    def start(self, scheduler):
        # Another module's coroutine: it may only set a timer and be done.
        self._recurring = asyncio.create_task(scheduler.run_recurring_async(5, print))

    async def aclose(self):
        self._recurring.cancel()


class CancelledOnEventCollectedAtClose:
    def __init__(self):
        self._turn = None

    def start(self):
        self._turn = asyncio.create_task(work())

    async def on_speech(self):
        # Left in place for aclose() to collect.
        if self._turn is not None:
            self._turn.cancel()

    async def stop(self):
        # Let go of: nothing can collect it any more.
        self._turn.cancel()  # AIO103: 8
        self._turn = None

    async def aclose(self):
        if self._turn is not None:
            await asyncio.gather(self._turn, return_exceptions=True)
