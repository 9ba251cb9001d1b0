async def fetch(:
    pass
