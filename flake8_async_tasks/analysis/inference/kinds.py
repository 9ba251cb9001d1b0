"""The answers inference gives, and how far it may look for them.

An answer is yes, no or unknown: a callee is a coroutine function, a plain
callable, or unknown. Several candidates (the bindings of a name, the values
astroid infers) give one answer only when they all agree; anything else is
unknown, and the checks report nothing on unknown.
"""

from __future__ import annotations

import enum
from typing import Iterable


class Kind(enum.Enum):
    COROUTINE_FUNCTION = "coroutine function"
    SYNC = "plain callable"
    UNKNOWN = "unknown"


def agree(kinds: Iterable[Kind]) -> Kind:
    """One kind when every candidate agrees, else unknown (and unknown when
    there is no candidate)."""
    result = None
    for kind in kinds:
        if kind is Kind.UNKNOWN or (result is not None and kind is not result):
            return Kind.UNKNOWN
        result = kind
    return result or Kind.UNKNOWN


class Level(enum.IntEnum):
    """How far astroid may follow a name (``--aio-inference``); each level
    includes the ones below it."""

    OFF = 0  # this file's syntax only; astroid is never imported
    LOCAL = 1  # also astroid on this file and the asyncio stand-in
    PROJECT = 2  # also the project's own modules
    FULL = 3  # also installed third-party packages, from their source

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def labels(cls) -> tuple[str, ...]:
        return tuple(level.label for level in cls)

    @classmethod
    def of(cls, label: str) -> Level:
        """The level named ``label``; OFF for a name that is not one (the
        option's validation has refused it before this is asked)."""
        return next((level for level in cls if level.label == label), cls.OFF)
