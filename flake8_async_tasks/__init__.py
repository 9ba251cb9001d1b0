"""flake8-async-tasks: finds asyncio task misuse before it ships."""

__version__ = "0.1.0"
