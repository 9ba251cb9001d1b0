"""A package that re-exports its client's coroutine functions."""

from .client import fetch as fetch
from .client import fetch_all
