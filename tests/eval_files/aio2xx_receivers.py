# Receivers whose class the syntax tells: constructors, annotations,
# attributes assigned in any method, asyncio's own return values, super().
import asyncio
import typing
from typing import Awaitable, Callable, Coroutine, Optional


class Session:
    async def close(self): ...

    def closed(self):
        return False


class Connection:
    def __init__(self):
        self.session = Session()

    async def fetch(self): ...


class Client:
    def __init__(self):
        self.conn = None  # set in connect(); None cannot run a method

    def connect(self):
        self.conn = Connection()

    def fetch_later(self):
        self.conn.fetch()  # AIO201: 8

    def close_all(self):
        self.conn.session.close()  # AIO201: 8
        self.conn.session.closed()


async def parameters(client: Client, maybe: Optional[Client], quoted: "Client", union: Client | None):
    client.connect()
    maybe.connect()
    quoted.fetch_later()
    union.close_all()
    session: Session = make_session()
    session.close()  # AIO201: 4
    if session.close():  # AIO203: 7
        pass


def make_session() -> Session:
    return Session()


async def returned():
    make_session().close()  # AIO201: 4
    # Made by Connection itself, not by a subclass:
    Connection().fetch()  # AIO201: 4
    other = make_session()
    other.close()  # AIO201: 4
    make_connection().fetch()  # a subclass of Connection (below) makes fetch() a plain def


def make_connection() -> Connection:
    return Connection()


async def streams(host):
    reader, writer = await asyncio.open_connection(host, 80)
    writer.write(b"ping")
    writer.drain()  # AIO201: 4
    writer.close()
    writer.wait_closed()  # AIO201: 4
    line = reader.readline()  # AIO202: 11
    process = await asyncio.create_subprocess_exec("ls")
    process.wait()  # AIO201: 4
    queue: asyncio.Queue[int] = asyncio.Queue()
    queue.put_nowait(1)
    queue.put(2)  # AIO201: 4
    lock = asyncio.Lock()
    lock.release()


async def callbacks(on_done: Callable[[], Awaitable[None]], raw: Callable[..., Coroutine[None, None, int]],
                    plain: Callable[[], None], typed: typing.Callable[[int], typing.Awaitable[str]]):
    on_done()  # AIO201: 4
    raw()  # AIO201: 4
    plain()
    typed(1)  # AIO201: 4


class Base:
    async def start(self): ...

    def stop(self): ...


class Service(Base):
    async def start(self):
        super().start()  # AIO201: 8
        super().stop()
        await super().start()


class Loop:
    def __init__(self):
        self.ev = asyncio.get_event_loop()
        self.main = asyncio.new_event_loop()

    async def work(self): ...

    def schedule(self):
        self.ev.create_task(self.work())  # AIO101: 8
        self.main.create_task(self.work())  # AIO101: 8
        self.ev.call_soon(self.work)  # AIO204: 26


# ---------------------------------------------------------------- unknown: silent


class Shadowed:
    async def refresh(self): ...


def shadow(obj):
    obj.refresh = print  # an instance attribute of that name anywhere may shadow the method


async def stored_elsewhere(shadowed: Shadowed):
    shadowed.refresh()


class TwoKinds:
    def __init__(self, fast):
        if fast:
            self.conn = Connection()
        else:
            self.conn = Session()

    def go(self):
        self.conn.fetch()  # Session has no fetch: the two assignments disagree
        self.conn.close()


class Touched:
    def __init__(self):
        self.link = Connection()

    def go(self):
        self.link.fetch()  # another object's .link is stored below: unknown


def rebind(touched: Touched):
    touched.link = object()


async def unannotated(client, items):
    client.fetch()
    for item in items:
        item.fetch()
    getattr(client, "fetch")()


class Dynamic:
    def __getattr__(self, name): ...

    def __getattribute__(self, name):
        return object.__getattribute__(self, name)

    async def fetch(self): ...


async def dynamic(d: Dynamic):
    d.fetch()


class Overridden(Connection):
    def fetch(self):
        return 1


async def maybe_subclass(conn: Connection):
    conn.fetch()  # a subclass of this module makes fetch() a plain def


class Parent:
    def __init__(self):
        self.worker = Connection()


class Child(Parent):
    def __init__(self):
        super().__init__()
        self.worker = Session()


def use(parent: Parent):
    parent.worker.fetch()  # a subclass assigns the attribute something else


def decorate(cls):
    return cls


@decorate
class Decorated:
    async def fetch(self): ...


async def decorated(d: Decorated):
    d.fetch()


class Mixed(Base, Connection):
    async def start(self):
        super().start()  # several bases: the MRO decides


class OwnLoop(asyncio.AbstractEventLoop):
    def __init__(self):
        self._tasks = set()

    def create_task(self, coro, **kwargs):
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        return task

    async def run_update(self): ...

    def handle(self):
        self.create_task(self.run_update())  # its own create_task keeps the task


def not_a_class_name(make: Callable[[], int], value: "not valid (", x: Optional[int]):
    make()
    value.fetch()
    x.bit_length()


# ------------------------------------------------------------------ helpers


async def _refresh(): ...


def refresh():
    return _refresh()


def refresh_sometimes(flag):
    if flag:
        return _refresh()
    return None


class Cache:
    async def _load(self): ...

    def load(self):
        return self._load()

    def warm(self):
        self.load()  # AIO201: 8
        refresh()  # AIO201: 8
        refresh_sometimes(True)
        return self.load()


background = set()


def spawn(coro):
    return asyncio.create_task(coro)


def spawn_later(fn):
    return asyncio.create_task(fn())


def spawn_kept(coro):
    task = asyncio.create_task(coro)
    background.add(task)
    task.add_done_callback(background.discard)
    return task


async def helpers():
    spawn(_refresh())  # AIO101: 4
    spawn_later(_refresh)  # AIO101: 4
    spawn_kept(_refresh())
    kept = spawn(_refresh())
    await kept
    lost = spawn(_refresh())  # AIO101: 11
    asyncio.get_running_loop().call_soon(refresh)  # AIO204: 41


# -------------------------------------------- what "used" means for a coroutine
import functools  # noqa: E402
import threading  # noqa: E402
import typing as t  # noqa: E402


async def uses():
    status = _refresh()  # AIO202: 13
    print(status.cr_running, len(status), status == 1)
    if status:
        pass
    bound = _refresh()  # AIO202: 12
    t.reveal_type(bound)
    first, second = _refresh()  # AIO203: 20
    _refresh().cr_frame  # AIO203: 4
    for item in _refresh():  # AIO203: 16
        pass
    async for item in _refresh():  # AIO203: 22
        pass
    total = _refresh() + 1  # AIO203: 12
    handed = _refresh()
    await asyncio.wait_for(handed, 1)
    driven = _refresh()
    driven.send(None)
    closed = _refresh()
    closed.close()
    kept = _refresh()
    return [kept]


def plain_generator():
    yield from _refresh()  # AIO203: 15


# ---------------------------------------------------------- callback slots


async def slots():
    loop = asyncio.get_running_loop()
    loop.call_soon(functools.partial(helpers_target, 1))  # AIO204: 19
    loop.call_soon(lambda: helpers_target(1))  # AIO204: 19
    callback = functools.partial(helpers_target, 2)
    loop.call_later(1, callback)  # AIO204: 23
    threading.Thread(target=lambda: helpers_target(3)).start()  # AIO204: 28
    loop.call_soon(lambda: asyncio.create_task(helpers_target(4)))  # AIO101: 27
    loop.call_soon(functools.partial(print, 1))
    loop.call_soon(lambda: print(1))
    await loop.run_in_executor(None, lambda: asyncio.run(helpers_target(5)))
    keep = lambda: asyncio.create_task(helpers_target(6))  # noqa: E731
    task = keep()
    await task


async def helpers_target(n): ...


# ------------------------------------------------- stubs and outcome callbacks
import abc  # noqa: E402
from typing import AsyncIterator  # noqa: E402


class StreamT(abc.ABC):
    @abc.abstractmethod
    async def items(self) -> AsyncIterator[int]: ...

    @abc.abstractmethod
    async def commit(self) -> None: ...


async def consume(stream: StreamT):
    # The stub of an async generator: its implementations yield.
    async for item in stream.items():
        print(item)
    stream.commit()  # AIO201: 4


async def outcome_seen():
    def on_done(task):
        if task.exception() is not None:
            print("failed", task.exception())

    watched = asyncio.create_task(helpers_target(7))
    watched.add_done_callback(on_done)
    ignored = asyncio.create_task(helpers_target(8))  # AIO102: 14
    ignored.add_done_callback(print)


# ------------------------------------------------------------ module globals
shared: Optional[Session] = None


def install():
    global shared
    shared = Session()


async def use_shared():
    shared.close()  # AIO201: 4
