"""Test-session set-up.

- The test session never touches the user's real cache: every summary cache
  (in-process and in the subprocesses tests start) lives in a temporary
  directory made for the session.
- The ``slow`` marker (``python3 -m pytest -m "not slow"`` is the edit loop's
  subset, CONTRIBUTING.md): the tests listed here build packages, fuzz, run
  pre-commit or mkdocs, or start several flake8 processes. They are listed in
  one place, rather than decorated where they are, so that marking one is a
  one-line change here; tests/test_contributing.py checks every name exists.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_CACHE = tempfile.mkdtemp(prefix="flake8-async-tasks-test-cache-")
os.environ["FLAKE8_ASYNC_TASKS_CACHE_DIR"] = _CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)

# Every test of these files.
SLOW_FILES = {
    "test_benchmarks_smoke.py",  # runs the benchmarks' drivers
    "test_fuzz.py",  # hypothesis, and the corpus-shaped mutations
    "test_packaging.py",  # builds the sdist and the wheel
}

# These tests (every parameter of each), by file: each takes seconds, or
# starts a fresh flake8 process for each of many parameters.
SLOW_TESTS = {
    "test_astroid.py": {
        "test_installed_package_is_read_at_full_and_for_named_classes_at_project",
        "test_jobs_2_finds_what_jobs_1_finds",
    },
    "test_contributing.py": {"test_pre_commit_hooks_catch_what_ci_would"},
    "test_eval_files.py": {"test_eval_file_at_every_inference_level"},  # test_eval_file stays
    "test_integration.py": {"test_jobs_2_gives_the_same_findings_as_jobs_1"},
    "test_robustness.py": {
        "test_bad_value_in_setup_cfg",
        "test_bad_value_on_the_command_line",
        "test_hostile_imports_keep_syntactic_findings",
        "test_odd_encodings_and_line_endings",
        "test_selecting_unknown_or_partial_codes_is_not_a_crash",
    },
    "test_safety.py": {
        "test_compiled_and_package_code_in_the_checkout_never_runs",
        "test_module_over_the_size_cap_is_not_built",
    },
    "test_workflows.py": {
        "test_docs_example_is_linted_as_the_docs_say",
        "test_docs_example_prints_what_the_docs_show",
        "test_mkdocs_build_strict",
        "test_pre_commit_additional_dependencies_setup",
        "test_pre_commit_try_repo_fails_on_the_bug_and_passes_once_fixed",
    },
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        file = Path(str(item.fspath)).name
        name = getattr(item, "originalname", None) or item.name
        if file in SLOW_FILES or name in SLOW_TESTS.get(file, ()):
            item.add_marker(pytest.mark.slow)
