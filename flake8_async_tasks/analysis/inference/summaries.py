"""What another module of the project offers its importers, summarised once.

``from .api import refresh`` where ``api.py`` has ``def refresh(): return
_refresh()`` and ``async def _refresh()``: calling ``refresh()`` builds a
coroutine, exactly as calling an ``async def`` does. astroid answers for
``async def``s; a plain helper that returns a coroutine is read here, by the
same syntactic analysis that reads the linted file (:mod:`.syntactic`), run
once on the imported module's text and kept for the process.

A summary lists the module-level plain defs that the syntax knows to
return a coroutine (``async def``s are left to astroid, which also follows
re-exports and decorators across modules). Anything the syntax of that module cannot
tell (a decorator, a name bound twice, a star import that may rebind it, a
module that does not parse or is too big) is left out: unknown stays silent.
No code is imported or run; the text is read as every project file is
(:func:`.policy.read_regular`), once per linted file that imports it, and the
summary is kept by the text's digest, so an edit is always seen.
"""

from __future__ import annotations

import ast
import hashlib

from ..classes import ClassFacts
from ..scopes import DEF, ModuleModel
from . import policy
from .kinds import Kind
from .syntactic import Syntactic

# Summaries kept per process, by the content of the module's text (so an
# edit is always seen, whatever its size and mtime): digest -> names.
_SUMMARIES: dict[bytes, frozenset[str]] = {}
_MAX_SUMMARIES = 2000


def coroutine_functions(path: str, limit: int) -> frozenset[str]:
    """The module-level plain defs of the module at ``path`` that return a
    coroutine."""
    data = policy.read_regular(path, limit)
    if data is None:
        return frozenset()
    digest = hashlib.blake2b(data, digest_size=16).digest()
    names = _SUMMARIES.get(digest)
    if names is None:
        if len(_SUMMARIES) >= _MAX_SUMMARIES:
            _SUMMARIES.clear()  # a bound: summaries are cheap to make again
        names = _SUMMARIES[digest] = _summarise(data)
    return names


def _summarise(data: bytes) -> frozenset[str]:
    try:
        tree = ast.parse(data)
        model = ModuleModel(tree)
        syntactic = Syntactic(model, ClassFacts(model))
        found = set()
        for name in model.module.bindings:
            bindings = model.bindings_of(name, model.module)
            if not bindings or any(b.kind != DEF for b in bindings):
                continue  # ``async def``s are astroid's (decorators, re-exports, budget)
            if all(syntactic.def_kind(b.node) is Kind.COROUTINE_FUNCTION for b in bindings):
                found.add(name)
        return frozenset(found)
    except (Exception, MemoryError):  # a summary that fails is empty: unknown, never a crash
        return frozenset()
