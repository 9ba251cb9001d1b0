import asyncpkg
from asyncpkg import Session


async def main(client: Session):
    session = asyncpkg.Session()
    session.get("https://example.org")
    session.closed()
    session.close()
    # An annotation names the installed class: read at project level too.
    client.close()
    client.closed()
    # A module function of an installed package: read at full only.
    asyncpkg.fetch("https://example.org")
