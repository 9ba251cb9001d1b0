import asyncio


class Pipeline:
    def __init__(self):
        self.queue = asyncio.Queue()
        self.lock = asyncio.Lock()
        self.ready = asyncio.Event()
        self.changed = asyncio.Condition()
        self.slots = asyncio.Semaphore(3)

    async def run(self):
        self.queue.put(1)  # AIO201: 8
        self.queue.join()  # AIO201: 8
        self.queue.put_nowait(2)
        self.lock.acquire()  # AIO201: 8
        self.lock.release()
        if self.ready.wait():  # AIO203: 11
            pass
        self.ready.set()
        self.changed.wait()  # AIO201: 8
        self.slots.acquire()  # AIO201: 8


async def local_objects(sock):
    queue = asyncio.Queue()
    item = queue.get()  # AIO202: 11
    queue.get_nowait()
    loop = asyncio.get_running_loop()
    loop.sock_sendall(sock, b"x")  # AIO201: 4
    loop.getaddrinfo("example.org", 80)  # AIO201: 4
    loop.create_connection(asyncio.Protocol, "example.org", 80)  # AIO201: 4
    loop.call_soon(print)
    reader = asyncio.StreamReader()
    reader.readline()  # AIO201: 4
    reader.feed_eof()


async def streams():
    reader, writer = await asyncio.open_connection("example.org", 80)
    # The pair asyncio returns is known, element by element.
    writer.drain()  # AIO201: 4
    reader.read()  # AIO201: 4
