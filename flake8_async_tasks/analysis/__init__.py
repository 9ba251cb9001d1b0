"""Facts shared by every check: scopes and bindings, qualified names, asyncio
API tables and the answer to "is this callee a coroutine function?"."""
