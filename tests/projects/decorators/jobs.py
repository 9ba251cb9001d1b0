import abc

from wrappers import maybe, register, retry, retry_times, timed


@retry
async def upload(data):
    return data


@retry_times(3)
async def download(url):
    return url


@register
async def on_message(message):
    return message


@timed
async def measured():
    return None


@maybe
async def perhaps():
    return None


@register
async def ticks():
    yield 1


class Worker(abc.ABC):
    @staticmethod
    @retry
    async def ping():
        return None

    @abc.abstractmethod
    async def work(self):
        """Subclasses do the work."""
