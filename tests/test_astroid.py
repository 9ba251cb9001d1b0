"""Inference across modules (issue 3): the projects under tests/projects/
through real flake8, the inference levels, the option's validation, the
process-wide cache and the per-file budget."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import tokenize
from pathlib import Path

import pytest

from aio_harness import Run, compare, parse_annotations, run_flake8, runs_here
from flake8_async_tasks.analysis.inference import host, session

PROJECTS = Path(__file__).parent / "projects"
# Cases linted in this process; thirdparty needs its own sys.path.
IN_PROCESS = sorted(p.name for p in PROJECTS.iterdir() if p.is_dir() and p.name != "thirdparty")


def lint(root: Path, monkeypatch, *args: str) -> Run:
    """flake8 in this process, from ``root`` as the working directory."""
    monkeypatch.chdir(root)
    return run_flake8(["--select=AIO", *args, "."])


def by_file(run: Run, root: Path) -> dict[Path, list]:
    found: dict[Path, list] = {}
    for violation in run.violations:
        found.setdefault((root / violation.filename).resolve(), []).append(violation)
    return found


def differences(root: Path, run: Run) -> list[str]:
    """Every difference between the annotations of the files under ``root``
    and what flake8 found there."""
    found = by_file(run, root)
    problems = []
    for path in sorted(root.rglob("*.py")):
        if not runs_here(path):
            continue  # ``_py311``: the asyncio it needs is newer than this Python's
        source = path.read_text(encoding="utf-8")
        try:
            expected = parse_annotations(source)
        except (SyntaxError, tokenize.TokenError):
            expected = []  # the fixture that does not parse
        got = Run(found.get(path.resolve(), []), 0, run.app)
        problems += compare(path, got, expected)
    return problems


def codes(run: Run) -> list[tuple[str, int, str]]:
    return sorted((Path(v.filename).as_posix().lstrip("./"), v.line_number, v.code) for v in run.violations)


# ------------------------------------------------------------------ projects


@pytest.mark.parametrize("case", IN_PROCESS)
def test_project(case, monkeypatch):
    root = PROJECTS / case
    run = lint(root, monkeypatch)
    problems = differences(root, run)
    assert not problems, "annotations and findings differ:\n" + "\n".join(problems)


def test_every_project_has_findings_or_says_why(monkeypatch):
    # Each case must be able to fail: a project whose files expect nothing
    # would pass with inference switched off.
    for case in IN_PROCESS:
        sources = [p.read_text(encoding="utf-8") for p in (PROJECTS / case).rglob("*.py")]
        expected = [e for s in sources if "async def fetch(:" not in s for e in parse_annotations(s)]
        if case == "broken":
            assert not expected  # every case there is an unknown
        else:
            assert expected, case


def test_inference_off_misses_the_cross_module_findings(monkeypatch):
    run = lint(PROJECTS / "reexport", monkeypatch, "--aio-inference=off")
    assert run.violations == []


def test_local_follows_this_file_and_asyncio_but_not_other_modules(monkeypatch):
    assert lint(PROJECTS / "reexport", monkeypatch, "--aio-inference=local").violations == []
    local = lint(PROJECTS / "asyncio_objects", monkeypatch, "--aio-inference=local")
    default = lint(PROJECTS / "asyncio_objects", monkeypatch)
    assert codes(local) == codes(default) and len(codes(local)) == 13
    # asyncio's classes are known from the syntax (constructors, annotations,
    # asyncio's own return values) and the running asyncio: no astroid needed.
    off = lint(PROJECTS / "asyncio_objects", monkeypatch, "--aio-inference=off")
    assert codes(off) == codes(local)


def test_local_knows_this_files_classes_and_decorators(monkeypatch):
    local = lint(PROJECTS / "same_file", monkeypatch, "--aio-inference=local")
    assert codes(local) == codes(lint(PROJECTS / "same_file", monkeypatch))
    assert len(codes(local)) == 3
    # Without astroid, instances of this file's classes are still known from
    # the syntax (``store = Store()``); the decorated ``publish`` is not.
    off = lint(PROJECTS / "same_file", monkeypatch, "--aio-inference=off")
    assert codes(off) == [("app.py", 48, "AIO201"), ("app.py", 51, "AIO201")]


def test_text_from_stdin_under_its_display_name():
    # Editors pipe the unsaved buffer: the imports still resolve from the
    # display name, and the text analysed is the buffer's.
    root = PROJECTS / "reexport"
    buffer = "from .client import fetch\n\n\nasync def main():\n    fetch('x')\n"
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=AIO", "--stdin-display-name=shop/new.py",
         "-"],
        cwd=root, input=buffer, capture_output=True, text=True, timeout=300,
    )
    assert result.stdout.split(" ", 2)[:2] == ["shop/new.py:5:5:", "AIO201"], (result.stdout, result.stderr)


def test_full_finds_what_project_finds(monkeypatch):
    for case in ("reexport", "instances", "decorators"):
        full = lint(PROJECTS / case, monkeypatch, "--aio-inference=full")
        assert codes(full) == codes(lint(PROJECTS / case, monkeypatch)), case


def _flake8(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=AIO", *args],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=300,
    )


def test_installed_package_is_read_at_full_and_for_named_classes_at_project(tmp_path):
    root = PROJECTS / "thirdparty"
    # Installed outside the project: a package that sys.path finds under the
    # project root is one of the project's files (docs/safety.md).
    site = tmp_path / "site-packages"
    shutil.copytree(root / "_site", site)
    paths = [str(site), os.environ.get("PYTHONPATH")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    full = _flake8("--aio-inference=full", "app", cwd=root, env=env)
    assert full.returncode == 1, full.stderr
    found = sorted(line.split(" ", 2)[:2] for line in full.stdout.splitlines())
    methods = [["app/use_session.py:11:5:", "AIO201"], ["app/use_session.py:7:5:", "AIO201"],
               ["app/use_session.py:9:5:", "AIO201"]]
    assert found == sorted([*methods, ["app/use_session.py:14:5:", "AIO201"]])
    # At the default level the package is read only for the class that an
    # annotation or a constructor names; its module functions stay unknown.
    project = _flake8("--aio-inference=project", "app", cwd=root, env=env)
    assert sorted(line.split(" ", 2)[:2] for line in project.stdout.splitlines()) == sorted(methods)
    local = _flake8("--aio-inference=local", "app", cwd=root, env=env)
    assert (local.returncode, local.stdout) == (0, ""), local.stderr


def test_jobs_2_finds_what_jobs_1_finds():
    one = _flake8("--jobs=1", ".", cwd=PROJECTS)
    two = _flake8("--jobs=2", ".", cwd=PROJECTS)
    assert one.returncode == two.returncode == 1, (one.stderr, two.stderr)
    assert sorted(one.stdout.splitlines()) == sorted(two.stdout.splitlines())
    assert len(one.stdout.splitlines()) >= 30


# --------------------------------------------------------------------- option


def test_invalid_level_on_the_command_line(tmp_path):
    (tmp_path / "a.py").write_text("")
    result = _flake8("--aio-inference=deep", "a.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [(
        "flake8-async-tasks: error: --aio-inference: invalid value 'deep' "
        "(choose from off, local, project, full)"
    )]


def test_invalid_level_in_a_config_file(tmp_path):
    (tmp_path / "a.py").write_text("")
    (tmp_path / "setup.cfg").write_text("[flake8]\naio-inference = sometimes\n")
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "a.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--aio-inference: invalid value 'sometimes'" in result.stderr


def test_level_from_a_config_file(tmp_path, monkeypatch):
    root = tmp_path / "reexport"
    shutil.copytree(PROJECTS / "reexport", root)
    monkeypatch.chdir(root)
    (root / "setup.cfg").write_text("[flake8]\nselect = AIO\naio-inference = off\n")
    assert run_flake8(["."], isolated=False).violations == []
    (root / "setup.cfg").write_text("[flake8]\nselect = AIO\naio-inference = project\n")
    assert len(run_flake8(["."], isolated=False).violations) == 9


# ---------------------------------------------------------------------- cache

HELPER_ASYNC = "async def refresh():\n    return None\n"
HELPER_SYNC = "def refresh():\n    return None\n#####\n"  # as long as HELPER_ASYNC
USER = "from helper import refresh\n\n\nasync def main():\n    refresh()\n"


def _edit(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text)
    # A later mtime even on a file system with coarse timestamps.
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_an_edited_module_is_not_served_from_the_cache(tmp_path, monkeypatch):
    # An editor keeps one flake8 process: the second run must see the edit.
    assert len(HELPER_ASYNC) == len(HELPER_SYNC)
    (tmp_path / "helper.py").write_text(HELPER_ASYNC)
    (tmp_path / "user.py").write_text(USER)
    assert codes(lint(tmp_path, monkeypatch)) == [("user.py", 5, "AIO201")]
    _edit(tmp_path / "helper.py", HELPER_SYNC)
    assert codes(lint(tmp_path, monkeypatch)) == []
    _edit(tmp_path / "helper.py", HELPER_ASYNC)
    assert codes(lint(tmp_path, monkeypatch)) == [("user.py", 5, "AIO201")]


def test_a_module_edited_between_two_files_of_one_run(tmp_path, monkeypatch):
    # The cache is checked per linted file, not only per run.
    from flake8_async_tasks.checks import check
    from flake8_async_tasks.settings import Settings

    import ast

    monkeypatch.chdir(tmp_path)
    (tmp_path / "helper.py").write_text(HELPER_ASYNC)
    (tmp_path / "user.py").write_text(USER)

    def lint_user() -> list[str]:
        lines = USER.splitlines(True)
        found = check(ast.parse(USER), Settings(inference="project"), str(tmp_path / "user.py"), lines)
        return [f.rule.code for f in found]

    assert lint_user() == ["AIO201"]
    _edit(tmp_path / "helper.py", HELPER_SYNC)
    assert lint_user() == []


@pytest.mark.parametrize("file_system", ["posix", "coarse"])
def test_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path, monkeypatch, file_system):
    # ``cp -p``, ``rsync -t`` or two saves within one tick of the file
    # system's clock: same size, same mtime, new content.
    if file_system == "coarse":
        # Only mtime and size tell (a file system whose ctime and inode do
        # not change on a write): the content is compared while the file is
        # fresh.
        stamp = host._stamp
        monkeypatch.setattr(host, "_stamp", lambda path: (s[:2] + (0, 0, 0)) if (s := stamp(path)) else None)
    helper = tmp_path / "helper.py"
    helper.write_text(HELPER_ASYNC)
    (tmp_path / "user.py").write_text(USER)
    assert codes(lint(tmp_path, monkeypatch)) == [("user.py", 5, "AIO201")]
    before = helper.stat()
    helper.write_text(HELPER_SYNC)
    os.utime(helper, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (helper.stat().st_mtime_ns, helper.stat().st_size) == (before.st_mtime_ns, before.st_size)
    assert codes(lint(tmp_path, monkeypatch)) == []


def test_the_module_cache_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(host, "CACHE_MODULES", 4)
    for i in range(12):
        (tmp_path / f"helper{i}.py").write_text(f"async def refresh{i}():\n    return None\n")
        (tmp_path / f"user{i}.py").write_text(
            f"from helper{i} import refresh{i}\n\n\nasync def main():\n    refresh{i}()\n"
        )
    expected = [(f"user{i}.py", 5, "AIO201") for i in range(12)]
    assert sorted(codes(lint(tmp_path, monkeypatch))) == sorted(expected)
    # Trimmed between files: at most the bound, plus what the last file read.
    assert len(host.STATE.modules) <= 4 + 1
    host.STATE.generation += 1
    host.STATE.housekeeping(host.AstroidManager())
    assert len(host.STATE.modules) <= 4
    cached = set(host.AstroidManager().astroid_cache)
    assert not {f"helper{i}" for i in range(12)} - set(host.STATE.modules) & cached
    # Dropped modules are built again when asked.
    assert sorted(codes(lint(tmp_path, monkeypatch))) == sorted(expected)


def test_the_module_cache_is_bounded_in_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(host, "CACHE_SOURCE_BYTES", 3 * 1000)
    padding = "#" * 900 + "\n"
    for i in range(6):
        (tmp_path / f"helper{i}.py").write_text(f"{padding}async def refresh{i}():\n    return None\n")
        (tmp_path / f"user{i}.py").write_text(
            f"from helper{i} import refresh{i}\n\n\nasync def main():\n    refresh{i}()\n"
        )
    assert len(codes(lint(tmp_path, monkeypatch))) == 6
    host.STATE.generation += 1
    host.STATE.housekeeping(host.AstroidManager())
    assert sum(record.size for record in host.STATE.modules.values()) <= 3 * 1000


def test_the_linted_text_wins_over_the_file_on_disk(tmp_path, monkeypatch):
    # flake8 may lint unsaved text (stdin); the file's module is built from it.
    from flake8_async_tasks.checks import check
    from flake8_async_tasks.settings import Settings

    import ast

    monkeypatch.chdir(tmp_path)
    (tmp_path / "helper.py").write_text(HELPER_ASYNC)
    (tmp_path / "user.py").write_text("")
    found = check(ast.parse(USER), Settings(), str(tmp_path / "user.py"), USER.splitlines(True))
    assert [f.rule.code for f in found] == ["AIO201"]


# ---------------------------------------------------------- safety and budget

MIXED = textwrap.dedent(
    """\
    import asyncio

    from helper import refresh


    async def main():
        refresh()
        asyncio.create_task(refresh())
    """
)


def _mixed_project(tmp_path: Path) -> Path:
    (tmp_path / "helper.py").write_text(HELPER_ASYNC)
    (tmp_path / "main.py").write_text(MIXED)
    return tmp_path


def test_mixed_project_reports_both_kinds(tmp_path, monkeypatch):
    run = lint(_mixed_project(tmp_path), monkeypatch)
    assert codes(run) == [("main.py", 7, "AIO201"), ("main.py", 8, "AIO101")]


@pytest.mark.parametrize("budget", ["MAX_QUERIES", "MAX_MODULES", "MAX_MODULE_BYTES", "HANG_GUARD"])
def test_an_exhausted_budget_keeps_the_syntactic_findings(tmp_path, monkeypatch, budget, capsys):
    monkeypatch.setattr(session, budget, 0)
    run = lint(_mixed_project(tmp_path), monkeypatch)
    assert codes(run) == [("main.py", 8, "AIO101")]
    said = capsys.readouterr().err
    if budget == "HANG_GUARD":
        # The one clock-based limit says so, once, rather than losing findings quietly.
        assert said.count("flake8-async-tasks: inference for ") == 1
        assert "main.py stopped after 0 s; findings may be incomplete" in said
    else:
        assert "flake8-async-tasks" not in said


def test_findings_do_not_depend_on_the_clock(tmp_path, monkeypatch):
    """Budgets count work: a clock running 100 times faster (a throttled or
    busy machine, seen from the process) finds the same."""
    project = tmp_path / "project"
    shutil.copytree(PROJECTS / "asyncio_objects", project)
    expected = codes(lint(project, monkeypatch))
    assert expected, "the fixture has findings that need inference"
    real = session.time.process_time
    start = real()
    monkeypatch.setattr(session.time, "process_time", lambda: start + (real() - start) * 100)
    monkeypatch.setattr(session.time, "perf_counter", lambda: start + (real() - start) * 100)
    monkeypatch.setattr(session.time, "monotonic", lambda: start + (real() - start) * 100)
    host.STATE.__init__()  # nothing cached from the first run
    assert codes(lint(project, monkeypatch)) == expected


@pytest.mark.parametrize("error", [RuntimeError("astroid bug"), RecursionError()])
def test_an_error_inside_astroid_is_an_unknown(tmp_path, monkeypatch, error):
    from astroid import nodes

    def broken(self, *args, **kwargs):
        raise error

    monkeypatch.setattr(nodes.NodeNG, "infer", broken)
    run = lint(_mixed_project(tmp_path), monkeypatch)
    assert codes(run) == [("main.py", 8, "AIO101")]
    assert run.exit_code == 1


def test_astroid_is_put_back_as_it_was(tmp_path, monkeypatch):
    from astroid.manager import AstroidManager

    before = AstroidManager.ast_from_module_name
    lint(_mixed_project(tmp_path), monkeypatch)
    assert AstroidManager.ast_from_module_name is before
    # The linted file's own module is not left in astroid's shared cache.
    assert "main" not in AstroidManager().astroid_cache


def test_astroid_is_not_imported_when_nothing_needs_it(tmp_path):
    # Inference at its default level costs nothing for a file whose calls
    # the syntax settles (no name of any reachable async def).
    (tmp_path / "plain.py").write_text("import asyncio\n\n\nasync def main():\n    print('x')\n")
    (tmp_path / "uses.py").write_text(MIXED)
    (tmp_path / "helper.py").write_text(HELPER_ASYNC)
    probe = textwrap.dedent(
        """\
        import ast, sys
        from flake8_async_tasks.checks import check
        from flake8_async_tasks.settings import Settings
        for name in sys.argv[1:]:
            text = open(name).read()
            check(ast.parse(text), Settings(), name, text.splitlines(True))
            print(name, "astroid" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "plain.py", "uses.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert result.stdout.split() == ["plain.py", "False", "uses.py", "True"], result.stderr


def test_flake8s_tree_is_left_as_it_was(tmp_path, monkeypatch):
    # astroid is built from the tree flake8 parsed (no second parse); its
    # rebuilder drops docstrings from bodies, and other plugins read the
    # same tree afterwards.
    import ast

    from flake8_async_tasks.checks import check
    from flake8_async_tasks.settings import Settings

    source = textwrap.dedent(
        '''\
        """Module docstring."""
        from helper import refresh


        class Service:
            """Class docstring."""

            async def run(self):
                """Method docstring."""
                refresh()
        '''
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "helper.py").write_text(HELPER_ASYNC)
    (tmp_path / "service.py").write_text(source)
    tree = ast.parse(source)
    before = ast.dump(tree, include_attributes=True)
    found = check(tree, Settings(), str(tmp_path / "service.py"), source.splitlines(True))
    assert [f.rule.code for f in found] == ["AIO201"]
    assert ast.dump(tree, include_attributes=True) == before


def test_the_garbage_collector_is_left_on(tmp_path, monkeypatch):
    import gc

    assert gc.isenabled()
    lint(_mixed_project(tmp_path), monkeypatch)
    assert gc.isenabled()


def test_a_module_refused_by_the_budget_stays_refused(tmp_path, monkeypatch):
    """The budget refuses ``helper`` on the first question; a second question
    about the same module must not find it charged already and build it
    (the refusal was once recorded as a charge: the second ``refresh()``
    became an AIO201 that an exhausted budget must not give)."""
    monkeypatch.setattr(session, "MAX_MODULES", 0)
    (tmp_path / "helper.py").write_text(HELPER_ASYNC)
    (tmp_path / "main.py").write_text(
        "from helper import refresh\n\n\n"
        "async def main():\n    print(refresh)\n    refresh()\n    refresh()\n"
    )
    assert codes(lint(tmp_path, monkeypatch)) == []


def test_without_astroid_the_syntactic_findings_stay(tmp_path, monkeypatch, caplog):
    """astroid that cannot be imported (missing, or found only inside the
    linted checkout, which the plugin never imports from) is an unknown:
    the file is checked by its syntax alone, never skipped."""
    monkeypatch.setitem(sys.modules, "flake8_async_tasks.analysis.inference.questions", None)
    run = lint(_mixed_project(tmp_path), monkeypatch)
    assert codes(run) == [("main.py", 8, "AIO101")]
    assert "syntactic checks only" in caplog.text


# ------------------------------- findings independent of what was cached (18.8)

STARRED_BUDGET = {
    "lib_n.py": "async def fetch():\n    pass\n",
    "lib_m.py": "from lib_n import *\n",
    "other.py": "async def other():\n    pass\n",
    # Spends the budget on ``other`` first: ``lib_m`` is built with its star
    # import of ``lib_n`` refused.
    "x.py": (
        "from other import other\nfrom lib_m import fetch\n\n\n"
        "async def main():\n    other()\n    fetch()\n"
    ),
    "y.py": "from lib_m import fetch\n\n\nasync def main():\n    fetch()\n",
}


def _fresh_process_state() -> None:
    from astroid.manager import AstroidManager

    for modname in STARRED_BUDGET:
        AstroidManager().astroid_cache.pop(modname[:-3], None)
    host.STATE.__init__()


@pytest.mark.parametrize("before, linted", [("x.py", "y.py"), ("y.py", "x.py")])
def test_a_files_findings_do_not_depend_on_what_the_process_built_before(
    tmp_path, monkeypatch, before, linted
):
    for name, text in STARRED_BUDGET.items():
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(session, "MAX_MODULES", 2)
    _fresh_process_state()
    monkeypatch.chdir(tmp_path)
    alone = [c for c in codes(run_flake8(["--select=AIO", linted])) if c[0] == linted]
    _fresh_process_state()
    after = [c for c in codes(run_flake8(["--select=AIO", before, linted])) if c[0] == linted]
    assert after == alone
    # y.py alone can afford lib_m and lib_n; x.py cannot afford fetch's module.
    assert alone == ([("y.py", 5, "AIO201")] if linted == "y.py" else [("x.py", 6, "AIO201")])


# ------------------------- a module that star-imports itself (18.10)

SELF_STAR = textwrap.dedent(
    """\
    from generated import *
    import asyncio


    async def work(): ...


    def f(t):
        if t:
            if t:
                asyncio.create_task(work())
            else:
                @staticmethod
                async def work():
                    pass
        else:
            asyncio.ensure_future(work())


    from generated import *
    """
)


def test_a_module_star_importing_itself_keeps_at_project_what_local_finds(tmp_path, monkeypatch):
    # A copy of the module read from disk for its own star import bound every
    # name twice, so ``work`` had candidates that disagreed at ``project``.
    (tmp_path / "generated.py").write_text(SELF_STAR)
    monkeypatch.chdir(tmp_path)
    found = {level: codes(run_flake8(["--select=AIO", f"--aio-inference={level}", "generated.py"]))
             for level in ("local", "project")}
    assert found["local"] == [("generated.py", 11, "AIO101"), ("generated.py", 17, "AIO101")]
    assert found["project"] == found["local"]
