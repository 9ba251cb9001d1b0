"""The persistent cache of module summaries: data, shared by every flake8
``--jobs`` worker and every run.

One JSON file per module text, named by the digest of that text, under a
directory named by the summary schema, the plugin's version, a digest of the
summarising code and Python's version (``v1-0.9.0-3f2a9c0d1e2b-py3.12/ab/
ab12....json``): an entry is only ever read by the code that wrote it. An
entry is written to a temporary file in the same directory and moved into
place with ``os.replace``, so a reader sees a whole entry or none, and two
workers writing the same entry write the same bytes. It is read with
:func:`json.loads` only, never ``pickle`` or ``marshal``: a planted file
can at worst be a wrong summary, and each entry is checked (its own digest,
versions and shape) before it is used.

Where (:func:`location`): ``--aio-cache-dir``, else the environment variable
``FLAKE8_ASYNC_TASKS_CACHE_DIR``, else the user's cache directory
(``platformdirs.user_cache_dir``, which follows ``XDG_CACHE_HOME`` on
Linux). ``off`` in either disables it. At most ``MAX_ENTRIES`` entries or
``MAX_BYTES`` bytes are kept; past either, the least recently written go
first, down to three quarters of both.

Nothing here may change a finding or break a run: a missing, unreadable,
corrupt, truncated, foreign or unwritable cache is skipped, with one line
at ``flake8 -v`` saying why, and the summary is made from the text instead.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import sys
from typing import Any

from ... import __version__

LOG = logging.getLogger("flake8.async_tasks.cache")  # shown by ``flake8 -v``

ENV = "FLAKE8_ASYNC_TASKS_CACHE_DIR"
OFF = frozenset({"off", "none", "0", "false", "no"})
MAX_ENTRIES = 20_000
MAX_BYTES = 128 * 1024 * 1024
MAX_ENTRY_BYTES = 4 * 1024 * 1024  # a bigger file is not a summary this code wrote
_TRIM_EVERY = 256  # writes between two checks of the bound (per process)
_SCHEMA = 1  # the layout of an entry; summaries.SCHEMA is the summary's own


@functools.lru_cache(maxsize=1)
def _tag() -> str:
    """The folder of this code's entries: the schema, the plugin's version,
    a digest of the code that makes summaries (so that a checkout between
    two releases never reads what other code wrote), and Python's version."""
    code = hashlib.blake2b(digest_size=6)
    for name in ("summaries.py", "cache.py"):
        try:
            with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name), "rb") as stream:
                code.update(stream.read())
        except OSError:
            code.update(name.encode())  # no source beside the code: the version alone tells
    return f"v{_SCHEMA}-{__version__}-{code.hexdigest()}-py{sys.version_info[0]}.{sys.version_info[1]}"


def location(setting: str = "") -> str | None:
    """The cache directory (without the version tag), or None when disabled."""
    value = (setting or os.environ.get(ENV, "")).strip()
    if value.lower() in OFF:
        return None
    if value:
        return os.path.abspath(os.path.expanduser(value))
    try:
        import platformdirs

        return platformdirs.user_cache_dir("flake8-async-tasks", appauthor=False)
    except Exception as error:  # no home directory, a broken install: no cache
        LOG.info("flake8-async-tasks: no cache directory (%s); summaries are not kept", error)
        return None


class Store:
    """The entries of one cache directory (or none: ``directory=None``)."""

    def __init__(self, directory: str | None) -> None:
        self.root = directory
        self.directory = os.path.join(directory, _tag()) if directory else None
        self.broken = False  # told once per process, then the cache is left alone
        self._writes = 0

    def _path(self, key: bytes) -> str:
        name = key.hex()
        return os.path.join(self.directory, name[:2], name + ".json")  # type: ignore[arg-type]

    def get(self, key: bytes) -> dict[str, Any] | None:
        """The summary stored for ``key``, if there is a sound one."""
        if self.directory is None or self.broken:
            return None
        path = self._path(key)
        try:
            with open(path, "rb") as stream:
                data = stream.read(MAX_ENTRY_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as error:
            LOG.info("flake8-async-tasks: cache entry %s unreadable (%s); ignored", path, error)
            return None
        try:
            entry = json.loads(data) if len(data) <= MAX_ENTRY_BYTES else None
        except (ValueError, RecursionError):
            entry = None
        summary = entry.get("summary") if isinstance(entry, dict) else None
        if not (
            isinstance(entry, dict)
            and entry.get("key") == key.hex()
            and entry.get("tag") == _tag()
            and valid(summary)
        ):
            LOG.info("flake8-async-tasks: cache entry %s is not a sound summary; ignored", path)
            with contextlib.suppress(OSError):
                os.unlink(path)  # made again from the text, and written anew
            return None
        return summary

    def put(self, key: bytes, summary: dict[str, Any]) -> None:
        if self.directory is None or self.broken:
            return
        path = self._path(key)
        if os.path.exists(path):
            return
        text = json.dumps({"key": key.hex(), "tag": _tag(), "summary": summary}, separators=(",", ":"))
        folder = os.path.dirname(path)
        temporary = None
        try:
            os.makedirs(folder, exist_ok=True)
            import tempfile  # only when something is written

            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)
            temporary = None
        except OSError as error:
            self.broken = True
            LOG.info(
                "flake8-async-tasks: cache %s is not writable (%s); summaries are not kept", folder, error
            )
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
        self._writes += 1
        if self._writes % _TRIM_EVERY == 0:
            self.trim()

    def entries(self) -> list[tuple[float, int, str]]:
        """(mtime, size, path) of every entry file under the root, all
        versions: only files this code names (``v1-.../ab/<digest>.json``),
        so that a cache directory set to a folder holding other files never
        loses one of them."""
        found: list[tuple[float, int, str]] = []
        for folder in self._folders():
            for shard in _listing(folder):
                if not _SHARD.match(shard):
                    continue
                for name in _listing(os.path.join(folder, shard)):
                    if _ENTRY.match(name):
                        path = os.path.join(folder, shard, name)
                        try:
                            st = os.lstat(path)
                        except OSError:
                            continue
                        found.append((st.st_mtime, st.st_size, path))
        return found

    def _folders(self) -> list[str]:
        if not self.root:
            return []
        return [os.path.join(self.root, name) for name in _listing(self.root) if _TAG.match(name)]

    def trim(self, max_entries: int | None = None, max_bytes: int | None = None) -> int:
        """Remove the oldest entries past the bound; how many went."""
        max_entries = MAX_ENTRIES if max_entries is None else max_entries
        max_bytes = MAX_BYTES if max_bytes is None else max_bytes
        try:
            entries = sorted(self.entries())
        except OSError:
            return 0
        total = sum(size for _, size, _ in entries)
        if len(entries) <= max_entries and total <= max_bytes:
            return 0
        removed = 0
        for _, size, path in entries:
            if len(entries) - removed <= max_entries * 3 // 4 and total <= max_bytes * 3 // 4:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            removed += 1
            total -= size
        return removed

    def clear(self) -> int:
        """Remove every entry (all versions); how many went."""
        removed = 0
        for _, _, path in self.entries():
            try:
                os.unlink(path)
                removed += 1
            except OSError:
                pass
        for folder in self._folders():
            for shard in _listing(folder):
                if _SHARD.match(shard):
                    with contextlib.suppress(OSError):
                        os.rmdir(os.path.join(folder, shard))  # only once empty
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        return removed


_TAG = re.compile(r"^v\d+-[^/\\]+-py\d+\.\d+$")
_SHARD = re.compile(r"^[0-9a-f]{2}$")
_ENTRY = re.compile(r"^[0-9a-f]{32}\.json$")


def _listing(folder: str) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []


# ------------------------------------------------------------- validation


def _qual(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _typed(value: Any) -> bool:
    return isinstance(value, dict) and _qual(value.get("annotation")) and _qual(value.get("constructor"))


_KINDS = frozenset({"coroutine", "returns_coroutine", "plain", "unknown"})


def valid(summary: Any) -> bool:
    """Is ``summary`` of the shape :func:`.summaries.summarise` makes?"""
    from .summaries import SCHEMA

    try:
        if not isinstance(summary, dict) or summary.get("schema") != SCHEMA:
            return False
        functions, classes = summary["functions"], summary["classes"]
        imports, globals_ = summary["imports"], summary["globals"]
        if not (
            _strings(summary["async_names"]) and _strings(summary["stars"]) and _strings(summary["unknown"])
        ):
            return False
        if not (summary["all"] is None or _strings(summary["all"])):
            return False
        if not (isinstance(imports, dict) and all(isinstance(v, str) for v in imports.values())):
            return False
        if not (isinstance(globals_, dict) and all(_typed(v) for v in globals_.values())):
            return False
        if not isinstance(functions, dict) or not all(
            isinstance(f, dict) and f.get("kind") in _KINDS and _qual(f.get("returns"))
            and isinstance(f.get("new_task"), bool)
            for f in functions.values()
        ):
            return False
        if not isinstance(classes, dict):
            return False
        for cls in classes.values():
            if not (
                isinstance(cls, dict)
                and isinstance(cls["bases"], list) and all(_qual(b) for b in cls["bases"])
                and isinstance(cls["methods"], dict) and all(k in _KINDS for k in cls["methods"].values())
                and isinstance(cls["properties"], dict) and all(_qual(p) for p in cls["properties"].values())
                and _qual(cls["aenter"]) and _qual(cls["await"])
                and isinstance(cls["getattr"], bool) and isinstance(cls["decorated"], bool)
                and isinstance(cls["attributes"], dict)
            ):
                return False
            for name, value in cls["attributes"].items():
                values = value if name.startswith("self.") else [value]
                if not isinstance(values, list) or not all(_typed(v) for v in values):
                    return False
        return True
    except (KeyError, TypeError, AttributeError):
        return False


_STORE: Store | None = None
_WANTED: tuple[str, str] | None = None  # (the option, the environment variable) it was made for
_SETTING = ""


def configure(setting: str = "") -> None:
    """Once per flake8 run: the store follows ``--aio-cache-dir`` and the
    environment. Nothing is resolved (nor platformdirs imported) until a
    summary is first needed, so a run that never needs one pays nothing."""
    global _SETTING
    _SETTING = setting


def store() -> Store:
    """The process's store, for the configured directory."""
    global _STORE, _WANTED
    wanted = (_SETTING, os.environ.get(ENV, ""))
    if _STORE is None or _WANTED != wanted:
        _STORE, _WANTED = Store(location(_SETTING)), wanted
        LOG.info("flake8-async-tasks: summary cache: %s", _STORE.directory or "off")
    return _STORE
