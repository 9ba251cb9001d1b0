import functools


def retry(func):
    @functools.wraps(func)
    async def wrapper(*args, **kwargs):
        return await func(*args, **kwargs)

    return wrapper


def retry_times(times):
    def decorator(func):
        @functools.wraps(func)
        async def wrapper(*args, **kwargs):
            for _ in range(times - 1):
                try:
                    return await func(*args, **kwargs)
                except OSError:
                    pass
            return await func(*args, **kwargs)

        return wrapper

    return decorator


HANDLERS = []


def register(func):
    HANDLERS.append(func)
    return func


def timed(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def maybe(func):
    if HANDLERS:
        return func
    return None
