from ping import ping_now


async def pong_later():
    ping_now()  # AIO201: 4
