"""The plugin's own imports never come from the linted project.

``python -m flake8`` from a checkout's root puts that directory first on
``sys.path``, and so do ``PYTHONPATH=.`` and an editable install's ``.pth``
for theirs: a checkout's ``astroid/``, ``dataclasses.py`` or ``numbers.py``
would then be what the plugin (or astroid, on its first question) imports,
and would run. So every entry point of the plugin (its module, and each
call flake8 makes: options, one file's run) runs under :func:`own_imports`,
which for that time takes off ``sys.path`` every entry inside the working
directory or the linted file's project (:func:`drop`), short of the
interpreter's own directories (a virtual environment inside the checkout
keeps its ``site-packages``). ``sys.path`` is put back as it was on exit.

The lookups made *for the linted code* (where would ``import aiohttp``
find it?) see the whole path again through :func:`user_path`: finding a
spec imports nothing, and what they find under the project is treated as
the project's (:mod:`.analysis.inference.policy`).

This module imports nothing that Python has not loaded at start-up (``os``
and ``sys``; ``site`` is read only if it was loaded), since it runs before
the path is made safe. It cannot help with what flake8 itself imports after
``sys.path`` is set (``argparse``): see docs/safety.md.
"""

from __future__ import annotations

import os
import sys

_saved: list[list[str]] = []  # sys.path as each active own_imports found it, outermost first


def _inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


_interpreter: tuple[str, ...] | None = None


def _interpreter_dirs() -> tuple[str, ...]:
    """The standard library's directory and the site-packages directories of
    the running interpreter: never the project's, wherever they live."""
    global _interpreter
    if _interpreter is None:
        _interpreter = _find_interpreter_dirs()
    return _interpreter


def _find_interpreter_dirs() -> tuple[str, ...]:
    found = [getattr(sys, "_stdlib_dir", None), os.path.dirname(getattr(os, "__file__", "") or "")]
    site = sys.modules.get("site")
    if site is not None:
        try:
            found += list(site.getsitepackages())
            found.append(site.getusersitepackages())
        except (AttributeError, OSError):  # an embedded interpreter's site may lack them
            found = found[:2]
    return tuple(os.path.realpath(d) for d in found if d)


def drop(entry: object, untrusted: tuple[str, ...], interpreter: tuple[str, ...]) -> bool:
    """Is the ``sys.path`` entry one to leave out of the plugin's imports?
    ``''`` and relative entries mean the working directory."""
    if not isinstance(entry, str):
        return False
    try:
        real = os.path.realpath(entry or os.curdir)
    except (OSError, ValueError):
        return True
    if any(_inside(real, d) for d in interpreter):
        return False
    return any(_inside(real, d) for d in untrusted)


class own_imports:
    """While active, ``sys.path`` holds only entries outside the working
    directory and ``projects`` (the linted file's project roots), and the
    interpreter's own directories. Re-entrant."""

    def __init__(self, *projects: str) -> None:
        self.projects = projects

    def __enter__(self) -> None:
        saved = list(sys.path)
        try:
            cwd = os.getcwd()
        except OSError:  # the working directory was removed
            cwd = None
        untrusted = tuple(os.path.realpath(d) for d in (cwd, *self.projects) if d)
        interpreter = _interpreter_dirs()
        _saved.append(saved)
        sys.path[:] = [entry for entry in saved if not drop(entry, untrusted, interpreter)]

    def __exit__(self, *exc: object) -> None:
        sys.path[:] = _saved.pop()


class user_path:
    """Inside :class:`own_imports`, the full ``sys.path`` again, for finding
    (never importing) the modules the linted code imports."""

    def __enter__(self) -> None:
        self.filtered = list(sys.path)
        if _saved:
            sys.path[:] = _saved[0]  # as the outermost own_imports found it

    def __exit__(self, *exc: object) -> None:
        sys.path[:] = self.filtered
