"""The test session never touches the user's real cache: every summary cache
(in-process and in the subprocesses tests start) lives in a temporary
directory made for the session."""

from __future__ import annotations

import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="flake8-async-tasks-test-cache-")
os.environ["FLAKE8_ASYNC_TASKS_CACHE_DIR"] = _CACHE


def pytest_unconfigure(config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)
