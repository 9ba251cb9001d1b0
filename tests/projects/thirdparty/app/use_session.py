import asyncpkg


async def main():
    session = asyncpkg.Session()
    session.get("https://example.org")
    session.closed()
    session.close()
