from pong import pong_later


async def ping_now():
    pong_later()  # AIO201: 4
