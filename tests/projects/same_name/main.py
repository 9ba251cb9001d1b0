import random

import fast
import slow
from fast import process as process_async
from slow import process

if random.random():
    from fast import process as either
else:
    from slow import process as either

worker = fast if random.random() else slow


async def main():
    process(1)
    process_async(2)  # AIO201: 4
    fast.process(3)  # AIO201: 4
    slow.process(4)
    either(5)
    worker.process(6)
