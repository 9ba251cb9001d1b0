"""AIO203 coroutine-used-as-value: a coroutine read as a plain object, so its
body never runs."""

import asyncio
import types


async def is_ready(): ...


async def fetch():
    return 1


def check():
    return True


# ------------------------------------------------------------------ reported


async def conditions(items, default):
    if is_ready():  # AIO203: 7 "in an `if` test"
        pass
    while is_ready():  # AIO203: 10 "a `while` test"
        break
    assert is_ready()  # AIO203: 11 "an `assert`"
    flag = not is_ready()  # AIO203: 15 "a `not`"
    both = is_ready() and check()  # AIO203: 11 "a boolean operator"
    value = fetch() if is_ready() else None  # AIO203: 23 "a conditional expression test"
    ready = [item for item in items if is_ready()]  # AIO203: 39 "a comprehension filter"
    print(bool(is_ready()))  # AIO203: 15 "`bool()`"
    label = str(fetch())  # AIO203: 16 "`str()`"
    print(fetch())  # AIO203: 10 "`print()`"
    text = f"value: {fetch()}"  # AIO203: 21 "an f-string"
    same = fetch() == 1  # AIO203: 11 "a comparison"
    same = 1 == fetch()  # AIO203: 16
    if check() and not asyncio.sleep(0):  # AIO203: 23
        pass
    if default or is_ready():  # AIO203: 18
        pass
    return flag, both, value, ready, label, text, same


async def other_looks(log, queue: asyncio.Queue):
    # The same uses of a name bound to the call: see coroutine-bound-never-awaited.
    first, second = fetch()  # AIO203: 20 "a tuple unpacking"
    negative = -fetch()  # AIO203: 16 "a unary operator"
    log.info("got %s", fetch())  # AIO203: 23 "a logging call"
    print(*fetch())  # AIO203: 11 "a `*` unpacking"
    while (item := queue.get()):  # AIO203: 19 "a `while` test"
        print(item.name)
    if (ready := is_ready()) is not None:  # AIO203: 17 "a comparison"
        print(ready)
    return first, second, negative


def plain_generator():
    yield from fetch()  # AIO203: 15 "a generator's `yield from`: TypeError; append `.__await__()`"


def in_a_plain_function():
    if is_ready():  # AIO203: 7
        return 1
    return 0


# ------------------------------------------------------------------ silent


async def awaited(items):
    if await is_ready():
        pass
    while not await is_ready():
        await asyncio.sleep(0.1)
    ready = [item for item in items if await is_ready()]
    print(await fetch())
    text = f"value: {await fetch()}"
    return ready, text


async def handed_on(default):
    # The last operand of `or`/`and` is the value, not a test: it may be
    # awaited by whoever gets it.
    job = default or fetch()
    value = await (default or fetch())
    return job, value


async def plain_values():
    if check():
        pass
    print(str(check()))


async def shadowed_print():
    def print(value):
        return value

    return print(fetch())


async def passed_to_other_calls():
    done = asyncio.iscoroutine(fetch())
    task = asyncio.ensure_future(fetch())
    await task
    return done


async def walrus_runs_it(jobs):
    if (job := fetch()) is not None:
        await job
    while (pending := fetch()):
        jobs.append(pending)
        break


class Wrapper:
    def __await__(self):
        return (yield from fetch().__await__())


@types.coroutine
def generator_based():
    yield from fetch()


@asyncio.coroutine if hasattr(asyncio, "coroutine") else types.coroutine
def old_style():
    yield from fetch()


# An ``@property`` whose getter is an ``async def``: reading it makes a
# coroutine.
class Message:
    @property
    async def sender(self):
        return "me"

    @property
    def text(self):
        return "hello"

    async def show(self):
        if self.sender:  # AIO203: 11 "coroutine from `self.sender` is read as a value in an `if` test"
            print(self.text)
        print(f"from {self.sender}")  # AIO203: 22
        who = self.sender  # AIO202: 14 "coroutine `who` from `self.sender`"
        print(who)
        print(await self.sender)
        name = await self.sender
        pending = self.sender
        return name, pending


async def read_properties(message: Message, other):
    if message.sender:  # AIO203: 7
        pass
    copy = Message()
    label = str(copy.sender)  # AIO203: 16
    # Unknown receivers, and awaited reads: silent.
    if other.sender:
        pass
    return label, await message.sender


class Notice:
    @property
    async def sender(self):
        return "me"

    async def show(self):
        # ``self`` may be a Subclassed, whose sender is a plain property.
        if self.sender:
            pass


class Subclassed(Notice):
    @property
    def sender(self):
        return "plain"


async def maybe_subclassed(notice: Notice):
    # An annotation allows a subclass too.
    if notice.sender:
        pass
    if Notice().sender:  # AIO203: 7
        pass
