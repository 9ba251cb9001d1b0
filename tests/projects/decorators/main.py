from jobs import Worker, download, measured, on_message, perhaps, ticks, upload


async def main(worker: Worker):
    upload(b"x")  # AIO201: 4
    download("u")  # AIO201: 4
    on_message("m")  # AIO201: 4
    Worker.ping()  # AIO201: 4
    # A plain wrapper, a decorator that may return None, an async generator:
    measured()
    perhaps()
    ticks()
    # A parameter: its class comes from the annotation (an imported class).
    worker.work()  # AIO201: 4
