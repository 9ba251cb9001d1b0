"""Module summaries (issue 15): plain data from one parse, the name index
made from them, and the bounds of both (issue 18, items 9, 11, 12, 16)."""

from __future__ import annotations

import ast
import json
import os
import textwrap

import pytest

from aio_harness import run_flake8
from flake8_async_tasks.analysis.inference import session, policy, summaries

MODULE = textwrap.dedent(
    """\
    from pkg.deep import *
    import asyncio
    import functools
    from . import models
    from .models import Client as C

    __all__ = ["refresh", "Service"]

    POOL: models.Pool = models.make_pool()
    CLIENT = C()


    async def fetch() -> models.Page:
        pass


    def refresh():
        return fetch()


    def spawn(coro):
        return asyncio.create_task(coro)


    @functools.cache
    def cached():
        return fetch()


    async def stream():
        yield 1


    if asyncio:
        def twice():
            pass


    class Service(models.Base):
        timeout: float = 1.0
        client = C()

        def __init__(self):
            self.pool: models.Pool = models.make_pool()
            self.session = C()

        async def start(self):
            pass

        def stop(self):
            pass

        @property
        def source(self) -> "models.Source":
            return self._source

        @staticmethod
        async def helper():
            pass

        async def __aenter__(self) -> "Service":
            return self

        def __getattr__(self, name):
            return name
    """
)


def test_a_summary_is_plain_data_from_one_parse():
    summary = summaries.summarise(ast.parse(MODULE))
    assert json.loads(json.dumps(summary)) == summary
    functions = summary["functions"]
    assert functions["fetch"] == {"kind": "coroutine", "returns": ".models.Page", "new_task": False}
    assert functions["refresh"]["kind"] == "returns_coroutine"
    assert functions["spawn"] == {"kind": "plain", "returns": None, "new_task": True}
    assert functions["cached"]["kind"] == "unknown"  # a decorator the syntax cannot see through
    assert functions["stream"]["kind"] == "unknown"  # an async generator
    assert "twice" not in functions and "twice" in summary["unknown"]  # bound under an ``if``
    service = summary["classes"]["Service"]
    assert service["bases"] == [".models.Base"]
    assert service["methods"] == {
        "__init__": "plain", "start": "coroutine", "stop": "plain", "helper": "coroutine",
        "__aenter__": "coroutine", "__getattr__": "plain",
    }
    assert service["properties"] == {"source": ".models.Source"}
    assert service["aenter"] == "@Service" and service["await"] is None and service["getattr"]
    attributes = service["attributes"]
    assert attributes["timeout"] == {"annotation": "float", "constructor": None}
    assert attributes["client"] == {"annotation": None, "constructor": ".models.Client"}
    assert attributes["self.pool"] == [{"annotation": ".models.Pool", "constructor": ".models.make_pool"}]
    assert attributes["self.session"] == [{"annotation": None, "constructor": ".models.Client"}]
    assert summary["globals"] == {
        "POOL": {"annotation": ".models.Pool", "constructor": ".models.make_pool"},
        "CLIENT": {"annotation": None, "constructor": ".models.Client"},
    }
    assert summary["imports"] == {"C": ".models.Client", "asyncio": "asyncio", "functools": "functools",
                                  "models": ".models"}
    assert summary["all"] == ["refresh", "Service"]
    assert summary["stars"] == ["pkg.deep"]
    assert summary["async_names"] == ["__aenter__", "fetch", "helper", "start", "stream"]
    assert summaries.coroutine_functions(summary) == {"refresh"}


def test_a_star_import_makes_the_names_bound_before_it_unknown():
    text = "async def _r(): ...\n\n\ndef refresh():\n    return _r()\n\n\nfrom .other import *\n"
    summary = summaries.summarise(ast.parse(text))
    assert {"_r", "refresh"} <= set(summary["unknown"])
    assert summaries.coroutine_functions(summary) == frozenset()
    after = "from .other import *\n" + text.replace("from .other import *\n", "")
    assert summaries.coroutine_functions(summaries.summarise(ast.parse(after))) == {"refresh"}


def test_a_summary_does_not_depend_on_where_the_text_is(tmp_path):
    (tmp_path / "a.py").write_text(MODULE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.py").write_text(MODULE)
    budget = summaries.Budget()
    first = budget.summary(str(tmp_path / "a.py"), 1 << 20)
    second = budget.summary(str(tmp_path / "sub" / "b.py"), 1 << 20)
    assert first == second == summaries.summarise(ast.parse(MODULE))


@pytest.mark.parametrize("text", ["def broken(:\n", "x = 1\x00\n", "(" * 400 + ")" * 400 + "\n"])
def test_a_module_that_does_not_parse_has_no_summary(text):
    assert summaries.of_bytes(text.encode()) is None
    assert summaries.coroutine_functions(None) == frozenset()


# -------------------------------------------------------------- the name index


def test_the_index_finds_non_ascii_async_def_names(tmp_path):
    # Issue 18.11: the regular expression cut ``récupérer`` to ``r``.
    (tmp_path / "lib.py").write_text("async def récupérer():\n    pass\n", encoding="utf-8")
    index = policy.scan(str(tmp_path), None, 1)
    assert index.names == {"récupérer"} and index.has("récupérer")


def test_a_non_ascii_cross_module_call_is_found(tmp_path, monkeypatch):
    (tmp_path / "lib.py").write_text("async def récupérer():\n    pass\n", encoding="utf-8")
    (tmp_path / "main.py").write_text(
        "import lib\n\n\nasync def main():\n    lib.récupérer()\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert run_flake8(["--select=AIO", "main.py"]).codes() == [(5, 4, "AIO201")]


def test_the_index_ignores_async_in_strings_and_comments(tmp_path):
    (tmp_path / "lib.py").write_text(
        '"""async def not_code():"""\n# async def nor_this():\nasync def real():\n    pass\n'
    )
    index = policy.scan(str(tmp_path), None, 1)
    assert index.names == {"not_code", "nor_this", "real"}  # what the text shows, unparsed
    assert index.has("real") and not index.has("not_code") and not index.has("nor_this")  # the summary's
    assert not index.has("absent")


def test_the_index_parses_only_files_bearing_a_name_asked_about(tmp_path, monkeypatch):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.py").write_text(f"async def fetch_{name}():\n    pass\n")
    parsed = []
    real = summaries._parse_and_summarise
    monkeypatch.setattr(summaries, "_MEMORY", {})
    monkeypatch.setattr(summaries, "_parse_and_summarise", lambda data: parsed.append(data) or real(data))
    monkeypatch.setenv("FLAKE8_ASYNC_TASKS_CACHE_DIR", "off")
    index = policy.scan(str(tmp_path), None, 1)
    assert parsed == []
    assert index.has("fetch_b") and len(parsed) == 1
    assert index.has("fetch_b") and not index.has("other") and len(parsed) == 1


def test_directories_count_against_the_index_cap(tmp_path, monkeypatch):
    # Issue 18.16: 100,000 empty directories cost as much as 100,000 files.
    monkeypatch.setattr(policy, "MAX_INDEX_FILES", 20)
    for number in range(30):
        (tmp_path / f"empty{number:02}").mkdir()
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "late.py").write_text("async def late():\n    pass\n")
    index = policy.scan(str(tmp_path), None, 1)
    assert not index.complete and index.names == frozenset() and not index.has("late")


def test_past_the_cap_the_index_does_not_depend_on_the_listing_order(tmp_path, monkeypatch):
    # Issue 18.9: ext4 lists a directory in hash order, which differs per file system.
    monkeypatch.setattr(policy, "MAX_INDEX_FILES", 6)
    for name in "abcdefghij":
        (tmp_path / f"{name}.py").write_text(f"async def fetch_{name}():\n    pass\n")
    listed = policy.scan(str(tmp_path), None, 1).names
    real_walk = os.walk

    def reversed_walk(top, *args, **kwargs):
        for directory, subdirs, files in real_walk(top, *args, **kwargs):
            files.reverse()
            yield directory, subdirs, files

    monkeypatch.setattr(policy.os, "walk", reversed_walk)
    assert policy.scan(str(tmp_path), None, 1).names == listed
    assert listed == {"fetch_a", "fetch_b", "fetch_c", "fetch_d", "fetch_e"}


def test_past_the_cap_what_the_linted_file_imports_is_indexed_first(tmp_path, monkeypatch):
    monkeypatch.setattr(policy, "MAX_INDEX_FILES", 4)
    for number in range(10):
        (tmp_path / f"a{number}.py").write_text(f"async def other_{number}():\n    pass\n")
    (tmp_path / "zlib_client.py").write_text("async def fetch():\n    pass\n")
    (tmp_path / "zmain.py").write_text(
        "import zlib_client as client\n\n\nasync def main():\n    client.fetch()\n"
    )
    real_walk = os.walk

    def sorted_walk(top, *args, **kwargs):  # the imported module is listed past the cap
        for directory, subdirs, files in real_walk(top, *args, **kwargs):
            files.sort()
            yield directory, subdirs, files

    monkeypatch.setattr(policy.os, "walk", sorted_walk)
    policy.new_run()
    monkeypatch.chdir(tmp_path)
    assert run_flake8(["--select=AIO", "zmain.py"]).codes() == [(5, 4, "AIO201")]


# -------------------------------------------------------------- per-file budget


HELPER = "async def _refresh():\n    pass\n\n\ndef refresh{n}():\n    return _refresh()\n"


def _helpers_project(tmp_path, count: int):
    for n in range(count):
        (tmp_path / f"h{n}.py").write_text(HELPER.format(n=n))
    imports = "".join(f"from h{n} import refresh{n}\n" for n in range(count))
    calls = "".join(f"    refresh{n}()\n" for n in range(count))
    (tmp_path / "main.py").write_text(f"{imports}\n\nasync def main():\n{calls}")
    return [(count + 4 + n, 4, "AIO201") for n in range(count)]


def test_summaries_are_charged_to_the_linted_files_budget(tmp_path, monkeypatch):
    # Issue 18.12: one file importing 20 modules of 1.9 MB cost 68 s.
    expected = _helpers_project(tmp_path, 4)
    monkeypatch.chdir(tmp_path)
    assert run_flake8(["--select=AIO", "main.py"]).codes() == expected
    monkeypatch.setattr(summaries.Budget, "MAX_MODULES", 2)
    assert run_flake8(["--select=AIO", "main.py"]).codes() == expected[:2]
    monkeypatch.setattr(summaries.Budget, "MAX_MODULES", 64)
    monkeypatch.setattr(summaries.Budget, "MAX_BYTES", 3 * len(HELPER))
    assert run_flake8(["--select=AIO", "main.py"]).codes() == expected[:3]


def test_summaries_stop_at_the_hang_guard(tmp_path, monkeypatch, capsys):
    expected = _helpers_project(tmp_path, 3)
    monkeypatch.setattr(summaries.Budget, "HANG_GUARD", 0.0)
    monkeypatch.chdir(tmp_path)
    assert run_flake8(["--select=AIO", "main.py"]).codes() == expected[:1]
    said = capsys.readouterr().err
    assert said.count("flake8-async-tasks: summaries for ") == 1
    assert "findings may be incomplete" in said


# ------------------------------------------------ star-import cycles (18.17)


def _work_on_a_star_cycle(root, size: int, monkeypatch) -> tuple[int, int]:
    """(module texts parsed for summaries, astroid module builds) for one
    lint of a file that star-imports a cycle of ``size`` modules."""
    from flake8_async_tasks.analysis.inference import host

    root.mkdir()
    for number in range(size):
        (root / f"m{number}.py").write_text(
            f"from m{(number + 1) % size} import *\n\n\nasync def f{number}():\n    pass\n"
        )
    (root / "main.py").write_text("from m0 import *\n\n\nasync def main():\n    f1()\n    f0()\n")
    parses = builds = 0
    parse, build = summaries._parse_and_summarise, host._Builder.string_build

    def counting_parse(data):
        nonlocal parses
        parses += 1
        return parse(data)

    def counting_build(self, *args, **kwargs):
        nonlocal builds
        builds += 1
        return build(self, *args, **kwargs)

    monkeypatch.setattr(summaries, "_parse_and_summarise", counting_parse)
    monkeypatch.setattr(summaries, "_MEMORY", {})
    monkeypatch.setattr(host._Builder, "string_build", counting_build)
    monkeypatch.setenv("FLAKE8_ASYNC_TASKS_CACHE_DIR", "off")
    monkeypatch.chdir(root)
    host.STATE.__init__()
    policy.new_run()
    run_flake8(["--select=AIO", "main.py"])
    return parses, builds


def test_star_import_cycles_cost_work_linear_in_their_size(tmp_path, monkeypatch):
    # Issue 18.17: 1.9 s, 71 s and 198 s for cycles of 1,000, 2,500 and 4,900 modules.
    small = _work_on_a_star_cycle(tmp_path / "small", 100, monkeypatch)
    large = _work_on_a_star_cycle(tmp_path / "large", 300, monkeypatch)
    # The walk of the cycle's star imports stops one module past the budget
    # (64 summaries), and the name index parses the files bearing a name
    # asked about: the same whatever the size.
    assert small[0] == large[0] <= session.MAX_MODULES + 3
    # No module of the cycle is built: main.py's own tree, and the model
    # of asyncio once.
    assert small[1] == large[1] <= 2


def test_a_long_chain_of_helpers_is_unknown_not_a_crash():
    chain = "".join(f"def h{n}():\n    return h{n + 1}()\n\n\n" for n in range(5000))
    summary = summaries.summarise(ast.parse(chain + "async def h5000():\n    pass\n"))
    assert summary["functions"]["h4999"]["kind"] == "returns_coroutine"
    assert json.loads(json.dumps(summary)) == summary


def test_a_thousand_nested_elifs_are_summarised_without_recursion():
    text = "if a:\n    pass\n" + "elif a:\n    def late(): ...\n" * 1000
    summary = summaries.summarise(ast.parse(text))
    assert "late" in summary["unknown"] and "late" not in summary["functions"]


def _builds_linting_a_star_cycle(root, size: int, monkeypatch) -> int:
    """astroid module builds for one lint of every file of a package whose
    ``size`` modules star-import each other in a cycle."""
    from flake8_async_tasks.analysis.inference import host

    package = root / "pkg"
    package.mkdir(parents=True)
    (root / "pyproject.toml").write_text("")
    (package / "__init__.py").write_text("")
    for number in range(size):
        (package / f"m{number}.py").write_text(
            f"import asyncio\nfrom .m{(number + 1) % size} import *\n\n\n"
            f"async def f{number}():\n    pass\n\n\nasync def main():\n"
            f"    f{(number + 7) % size}()\n    asyncio.create_task(f{(number + 3) % size}())\n"
        )
    builds = 0
    build = host._Builder.string_build

    def counting_build(self, *args, **kwargs):
        nonlocal builds
        builds += 1
        return build(self, *args, **kwargs)

    monkeypatch.setattr(host._Builder, "string_build", counting_build)
    monkeypatch.setenv("FLAKE8_ASYNC_TASKS_CACHE_DIR", "off")
    monkeypatch.chdir(root)
    host.STATE.__init__()
    policy.new_run()
    run = run_flake8(["--select=AIO", "pkg"])
    assert len([v for v in run.violations if v.code == "AIO101"]) == size  # the syntactic findings stay
    return builds


def test_linting_every_module_of_a_star_cycle_costs_linear_work(tmp_path, monkeypatch):
    """Issue 18.17, reproduced as reported: every file of a star-import
    cycle, linted in one process. Each file's budget stopped the cycle's
    build part way, a build so stopped was not kept (its module lacked
    names), and every file built the chain again: 19,351 builds for 150
    modules, and still about 40 a file for 1,800 modules once the refused
    reads were replayed. A module whose star imports reach past any file's
    budget is now unknown without a build: each file builds its own tree
    (and the process its model of asyncio, once)."""
    small = _builds_linting_a_star_cycle(tmp_path / "small", 150, monkeypatch)
    large = _builds_linting_a_star_cycle(tmp_path / "large", 300, monkeypatch)
    assert small <= 150 + 1 and large <= 300 + 1, (small, large)


def _hub(root, leaves: int) -> None:
    (root / "hub.py").write_text("".join(f"from leaf{n} import *\n" for n in range(leaves)))
    for number in range(leaves):
        (root / f"leaf{number}.py").write_text(f"async def f{number}():\n    pass\n")


def test_star_imports_past_the_budget_are_unknown_and_an_edit_is_seen(tmp_path, monkeypatch):
    """The star-import walk (issue 18.17) draws the budget's line where a
    build did: ``hub`` and 63 star-imported modules fit a file's 64, one
    more does not (then the call stays silent, unknown). What the walk
    reads is remembered per process by each file's stamp: an edit that
    drops a star import is seen by the next file of the same process."""
    from flake8_async_tasks.analysis.inference import host

    (tmp_path / "pyproject.toml").write_text("")
    _hub(tmp_path, 64)
    (tmp_path / "main.py").write_text("from hub import *\n\n\nasync def main():\n    f0()\n")
    (tmp_path / "other.py").write_text("from hub import *\n\n\nasync def main():\n    f1()\n")
    monkeypatch.setenv("FLAKE8_ASYNC_TASKS_CACHE_DIR", "off")
    monkeypatch.chdir(tmp_path)
    host.STATE.__init__()
    policy.new_run()
    assert run_flake8(["--select=AIO", "main.py"]).codes() == []
    hub = tmp_path / "hub.py"
    hub.write_text(hub.read_text().replace("from leaf63 import *\n", ""))
    os.utime(hub, ns=(1, 1))  # the stamp still differs: ctime and size
    assert run_flake8(["--select=AIO", "main.py", "other.py"]).codes() == [(5, 4, "AIO201"), (5, 4, "AIO201")]


def test_confirming_names_does_not_pass_over_the_whole_index_each_time(tmp_path):
    """Each file of a 2,500-module project asks about names no file asked
    before; confirming each one walked every file of the index, sorted
    (1.2 s of 35 s, profiled, and quadratic in the project's size). The
    files bearing each name are listed once, on the first question."""

    class CountingFiles(dict):
        passes = 0

        def items(self):
            CountingFiles.passes += 1
            return super().items()

    files = CountingFiles()
    for number in range(50):
        path = tmp_path / f"m{number}.py"
        path.write_text(f"async def f{number}():\n    pass\n")
        files[str(path)] = ((0, 0), frozenset({f"f{number}"}))
    index = policy.NameIndex(0, files=files, names=frozenset(f"f{n}" for n in range(50)) | {"ghost"})
    assert [index.has(f"f{n}") for n in range(50)] == [True] * 50
    assert not index.has("ghost") and not index.has("absent")
    assert CountingFiles.passes == 1
