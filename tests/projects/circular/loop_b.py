from loop_a import *


async def from_b():
    return None
