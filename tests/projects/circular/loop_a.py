from loop_b import *


async def from_a():
    # Star imports in a cycle: astroid cannot settle which binding wins, so
    # this stays unknown (and nothing crashes).
    from_b()
