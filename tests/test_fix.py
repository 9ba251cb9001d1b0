"""``flake8-async-tasks fix``: the edits it makes, the ones it refuses, and
that it fixes exactly what flake8 reports (configuration, ``# noqa``,
selection).

Each test writes a small module into tmp_path and runs ``fix`` in-process
from there (``--jobs=1``), so config files in tmp_path are found as flake8
finds them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from aio_harness import run_flake8
from flake8_async_tasks import cli

ROOT = Path(__file__).resolve().parents[1]

HEADER = '''\
import asyncio


async def save():
    pass


async def ready():
    return True


'''


@dataclass
class Result:
    code: int
    out: str
    err: str
    after: bytes


def _fix(tmp_path, monkeypatch, capsys, source, *args: str, name="mod.py", isolated=True) -> Result:
    path = tmp_path / name
    path.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    argv = ["fix", "--jobs=1", *(["--isolated"] if isolated else []), *args, name]
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return Result(code, out, err, path.read_bytes())


def _body(text: str) -> str:
    return HEADER + textwrap.dedent(text)


@pytest.fixture
def fix(tmp_path, monkeypatch, capsys):
    def run(source, *args, **kw) -> Result:
        return _fix(tmp_path, monkeypatch, capsys, source, *args, **kw)

    return run


# ------------------------------------------------------------- the fixes


def test_each_fixable_rule_gets_its_await(fix):
    before = _body('''\
        async def main(loop, flag):
            save()
            _ = save()
            if ready():
                pass
            while not ready() and flag:
                break
            asyncio.gather(save(), save())
            asyncio.shield(save())
            asyncio.run(save())
            print(ready(), f"{ready()}")
            return [x for x in range(3) if ready()]
        ''')
    after = _body('''\
        async def main(loop, flag):
            await save()
            _ = await save()
            if await ready():
                pass
            while not await ready() and flag:
                break
            await asyncio.gather(save(), save())
            await asyncio.shield(save())
            await save()
            print(await ready(), f"{await ready()}")
            return [x for x in range(3) if await ready()]
        ''')
    result = fix(before)
    assert result.after.decode() == after
    assert result.code == 1
    lines = result.out.splitlines()
    assert "mod.py:13:5: AIO201 fixed: inserted await" in lines
    assert "mod.py:21:5: AIO205 fixed: `asyncio.run(...)` replaced by await" in lines
    assert lines[-1] == "fixed 10 findings in 1 file (AIO106 2, AIO201 2, AIO203 5, AIO205 1)"


def test_run_until_complete_and_a_multiline_run_are_unwrapped(fix):
    before = _body('''\
        async def main():
            loop = asyncio.get_event_loop()
            loop.run_until_complete(save())
            asyncio.run(
                save(),
            )
        ''')
    after = _body('''\
        async def main():
            loop = asyncio.get_event_loop()
            await save()
            await save()
        ''')
    assert fix(before).after.decode() == after


def test_run_is_left_alone_unless_its_only_argument_is_a_call(fix):
    before = _body('''\
        async def main(coro):
            asyncio.run(save(), debug=True)
            asyncio.run(coro)
            asyncio.run(  # keep this comment
                save())
            asyncio.run(save()).bit_length()
        ''')
    result = fix(before)
    assert result.after.decode() == before
    assert result.code == 0
    assert result.out.count("AIO205 not fixed") == 4, result.out


def test_several_fixes_on_one_line_all_apply(fix):
    result = fix(_body("async def main():\n    save(); save(); print(ready(), ready())\n"))
    assert result.after.decode().endswith(
        "    await save(); await save(); print(await ready(), await ready())\n"
    )


@pytest.mark.parametrize(
    "code",
    [
        "def plain():\n    save()\n",
        "def plain():\n    if ready():\n        pass\n",
        "async def main():\n    list(asyncio.run(save()) for _ in range(2))\n",
        "save()\n",
        "if ready():\n    pass\n",
        "async def main():\n    return lambda: print(ready())\n",
        "async def main():\n    return any(x for x in range(3) if ready())\n",
        "async def main():\n    class Inner:\n        save()\n",
        "async def main():\n    async def inner(flag=print(ready())):\n        pass\n",
        # gather may have been meant: the author decides.
        "async def main():\n    save(), save()\n",
        "async def main():\n    [save() for _ in range(3)]\n",
        # The f-string's `=` would print "await ready()=".
        'async def main():\n    print(f"{ready()=}")\n',
    ],
    ids=[
        "def", "def-if", "genexp-run", "module", "module-if", "lambda", "genexp",
        "class-body", "default-argument", "tuple", "listcomp-element", "fstring-debug",
    ],
)
def test_places_where_await_cannot_go_are_left_alone(fix, code):
    before = _body(code)
    result = fix(before)
    assert result.after.decode() == before
    assert result.code == 0
    # It is a finding, or leaving it alone would prove nothing.
    assert "not fixed: " in result.out
    assert result.out.splitlines()[-1].startswith("fixed 0 findings in 0 files; ")


# ------------------------------------------------------- --diff, status


def test_diff_prints_and_changes_nothing(fix):
    before = _body("async def main():\n    save()\n")
    result = fix(before, "--diff")
    assert result.after.decode() == before
    assert result.code == 1
    assert result.out == (
        "--- a/mod.py\n+++ b/mod.py\n"
        "@@ -10,4 +10,4 @@\n"
        " \n \n async def main():\n"
        "-    save()\n+    await save()\n"
    )
    # The diff alone on standard output; what would be done on standard error.
    assert result.err.splitlines() == [
        "mod.py:13:5: AIO201 would fix: insert await",
        "would fix 1 finding in 1 file (AIO201 1)",
    ]


def test_diff_of_a_file_without_a_final_newline(fix):
    result = fix(_body("async def main():\n    save()"), "--diff")
    assert result.out.endswith(
        "-    save()\n\\ No newline at end of file\n+    await save()\n\\ No newline at end of file\n"
    )


def test_nothing_to_fix_exits_0(fix):
    result = fix(_body("async def main():\n    await save()\n"))
    assert (result.code, result.out) == (0, "fixed 0 findings in 0 files\n")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--aio-inference=bogus"], "--aio-inference: invalid value 'bogus' (choose from "),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["--max-line-length=wide"], "argument --max-line-length: invalid int value: 'wide'"),
        (["--select", ","], "--select needs at least one code"),
        (["--add-noqa=py311 compat"], "flake8 would read `py311` in REASON as a code"),
    ],
)
def test_bad_options_exit_2_with_one_line_in_our_name(fix, args, message):
    # flake8's argparse prints its usage block and `flake8: error: ...`; the
    # plugin `flake8-async-tasks: error: ...`: scripts get one line of ours.
    before = _body("async def main():\n    save()\n")
    result = fix(before, *args)
    assert result.code == 2
    [line] = result.err.splitlines()
    assert line.startswith("flake8-async-tasks fix: error: ") and message in line, result.err
    assert result.out == ""
    assert result.after.decode() == before


@pytest.mark.parametrize(
    "config, message",
    [
        ("max-line-length = wide", "bad flake8 configuration: invalid literal for int() with base 10"),
        ("extend-ignore = 123", "bad flake8 configuration: Error code '123' supplied to 'extend-ignore'"),
        ("aio-inference = bogus", "--aio-inference: invalid value 'bogus'"),
    ],
)
def test_a_bad_configuration_file_is_one_line_and_status_2(fix, tmp_path, config, message):
    (tmp_path / "setup.cfg").write_text(f"[flake8]\n{config}\n")
    before = _body("async def main():\n    save()\n")
    result = fix(before, isolated=False)
    assert result.code == 2
    [line] = result.err.splitlines()
    assert line.startswith(f"flake8-async-tasks fix: error: {message}"), result.err
    assert result.after.decode() == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["--isolated", "mod.py", "--select"], "argument --select: expected one argument"),
        (["--isolated"], "give the files or directories to fix"),
        (["--isolated", "--aio-inference", "off"], "give the files or directories to fix"),
        (["--isolated", "-"], "cannot fix standard input"),
    ],
)
def test_no_paths_is_a_usage_error(capsys, args, message):
    assert cli.main(["fix", *args]) == 2
    assert capsys.readouterr().err == f"flake8-async-tasks fix: error: {message}\n"


def test_a_missing_file_is_reported_as_flake8_reports_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["fix", "--isolated", "missing.py"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "missing.py:0:1: E902 FileNotFoundError: [Errno 2] No such file or directory: 'missing.py'",
        "fixed 0 findings in 0 files; 1 file with errors",
    ]


def test_an_unparseable_file_is_reported_whatever_the_selection(fix, tmp_path):
    # `select = AIO` in the configuration deselects E999 for flake8's own
    # output; fix still says why it could not look at the file.
    (tmp_path / "setup.cfg").write_text("[flake8]\nselect = AIO\n")
    (tmp_path / "good.py").write_text(_body("async def main():\n    save()\n"))
    result = fix("def broken(:\n    pass\n", "good.py", name="bad.py", isolated=False)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("bad.py:1:") and " E999 SyntaxError: " in lines[0]
    assert "good.py:13:5: AIO201 fixed: inserted await" in lines
    assert lines[-1] == "fixed 1 finding in 1 file (AIO201 1); 1 file with errors"


def test_the_errors_docs_fix_shows(tmp_path, monkeypatch, capsys):
    page = (ROOT / "docs" / "fix.md").read_text(encoding="utf-8")
    block = re.search(r"## Errors.*?```text\n(.*?)```", page, re.S)[1]
    shown = block.replace("\n  ", "\n").strip().splitlines()
    (tmp_path / "bad.py").write_text("def (:\n    pass\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["fix", "--isolated", "missing.py", "bad.py"]) == 1
    printed = capsys.readouterr().out.splitlines()
    # The E999 text is the running Python's own message.
    assert printed[1:] == [line.strip() for line in shown[1:]]
    assert printed[0].startswith("bad.py:1:") and " E999 SyntaxError: " in printed[0]
    if sys.version_info[:2] == (3, 11):
        assert printed[0] == shown[0].strip()


def _git(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("how", ["absolute", "parent", "plain"])
def test_diff_headers_are_taken_by_git_apply(tmp_path, monkeypatch, capsys, how):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    repo = tmp_path / "repo"
    (repo / "src" / "pkg").mkdir(parents=True)
    (repo / "tools").mkdir()
    path = repo / "src" / "pkg" / "mod.py"
    before = _body("async def main():\n    save()\n")
    path.write_text(before)
    assert _git("init", "--quiet", cwd=repo).returncode == 0
    # Run from a subdirectory, naming the file absolutely, through `..`, or plainly:
    # the headers are from the top of the work tree, as `git diff` writes them.
    cwd = {"absolute": repo / "tools", "parent": repo / "tools", "plain": repo / "src"}[how]
    name = {"absolute": str(path), "parent": "../src/pkg/mod.py", "plain": "pkg/mod.py"}[how]
    monkeypatch.chdir(cwd)
    assert cli.main(["fix", "--isolated", "--diff", name]) == 1
    patch = capsys.readouterr().out
    assert patch.startswith("--- a/src/pkg/mod.py\n+++ b/src/pkg/mod.py\n"), patch
    # git apply reads a header from the directory it runs in, except that a
    # path from the top of the work tree also works in a directory above the
    # file: at the top, always; in the working directory when it holds the file.
    for where in (repo, cwd) if how == "plain" else (repo,):
        check = subprocess.run(["git", "apply", "--check", "-v", "-"], input=patch, cwd=where,
                               capture_output=True, text=True, timeout=60)
        assert check.returncode == 0 and "Checking patch src/pkg/mod.py" in check.stderr, check.stderr
    applied = subprocess.run(["git", "apply", "-"], input=patch, cwd=repo, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert path.read_text() == before.replace("    save()", "    await save()")


def test_diff_headers_outside_a_repository_are_from_the_working_directory(tmp_path, monkeypatch, capsys):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    (tmp_path / "pkg").mkdir()
    path = tmp_path / "pkg" / "mod.py"
    before = _body("async def main():\n    save()\n")
    path.write_text(before)
    monkeypatch.chdir(tmp_path)
    if _git("rev-parse", "--show-toplevel", cwd=tmp_path).returncode == 0:
        pytest.skip("the temporary directory is inside a git work tree")
    assert cli.main(["fix", "--isolated", "--diff", str(path)]) == 1
    patch = capsys.readouterr().out
    assert patch.startswith("--- a/pkg/mod.py\n+++ b/pkg/mod.py\n")
    applied = subprocess.run(["git", "apply", "-"], input=patch, cwd=tmp_path, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    assert path.read_text() == before.replace("    save()", "    await save()")


# ------------------------------------------- what flake8 reports, no more


def test_noqa_is_respected(fix):
    before = _body('''\
        async def main():
            save()  # noqa
            save()  # noqa: AIO201
            save()  # noqa: AIO101
        ''')
    result = fix(before)
    fixed = before.replace("    save()  # noqa: AIO101", "    await save()  # noqa: AIO101")
    assert result.after.decode() == fixed


def test_select_limits_the_codes_fixed(fix):
    before = _body("async def main():\n    save()\n    asyncio.run(save())\n")
    result = fix(before, "--select", "AIO205")
    assert result.after.decode() == _body("async def main():\n    save()\n    await save()\n")


def test_config_file_extend_ignore_is_respected(fix, tmp_path):
    (tmp_path / "setup.cfg").write_text("[flake8]\nextend-ignore = AIO201\n")
    before = _body("async def main():\n    save()\n    if ready():\n        pass\n")
    result = fix(before, isolated=False)
    fixed = _body("async def main():\n    save()\n    if await ready():\n        pass\n")
    assert result.after.decode() == fixed


def test_config_file_per_file_ignores_is_respected(fix, tmp_path):
    (tmp_path / ".flake8").write_text("[flake8]\nper-file-ignores =\n    mod.py: AIO2\n")
    before = _body("async def main():\n    save()\n")
    result = fix(before, isolated=False)
    assert (result.code, result.after.decode()) == (0, before)


def test_isolated_ignores_the_config_file(fix, tmp_path):
    (tmp_path / "setup.cfg").write_text("[flake8]\nextend-ignore = AIO201\n")
    result = fix(_body("async def main():\n    save()\n"))
    assert result.after.decode().endswith("    await save()\n")


# ---------------------------------------------------- bytes stay bytes


def test_crlf_line_ends_are_kept(fix):
    before = _body("async def main():\n    save()\n").replace("\n", "\r\n").encode()
    result = fix(before)
    assert result.after == before.replace(b"    save()\r\n", b"    await save()\r\n")


def test_a_utf8_bom_is_kept(fix):
    before = b"\xef\xbb\xbf" + _body("async def main():\n    save()  # \xe9t\xe9\n").encode()
    result = fix(before)
    assert result.after == before.replace(b"    save()", b"    await save()")
    assert result.after.startswith(b"\xef\xbb\xbf")


def test_a_latin1_coding_cookie_is_honoured(fix):
    source = "# -*- coding: latin-1 -*-\n" + _body('async def main():\n    print("d\xe9j\xe0", ready())\n')
    before = source.encode("latin-1")
    result = fix(before)
    assert result.after == before.replace(b"ready())", b"await ready())")
    assert b'"d\xe9j\xe0", await ready()' in result.after


def test_non_ascii_text_before_the_call_on_its_line(fix):
    before = _body('async def main():\n    print("日本語 ✓", "é", ready()); save()\n')
    result = fix(before)
    assert result.after.decode() == before.replace('ready()); save()', 'await ready()); await save()')


def test_a_tab_indented_body(fix):
    before = _body("async def main():\n\tif True:\n\t\tsave()\n")
    assert fix(before).after.decode() == before.replace("\t\tsave()", "\t\tawait save()")


# ------------------------------------------------------------ afterwards


def test_a_rerun_finds_nothing_left_and_no_new_findings(fix, tmp_path):
    before = _body('''\
        async def main(flag):
            save()
            if ready() or flag:
                asyncio.gather(save())
            asyncio.run(save())
            asyncio.create_task(save())

        def plain():
            save()
        ''')
    path = tmp_path / "mod.py"
    path.write_text(before, encoding="utf-8")
    found = run_flake8(["--select=AIO", str(path)]).codes()
    assert fix(before).code == 1
    remaining = run_flake8(["--select=AIO", str(path)]).codes()
    # The fixed ones are gone; the rest (the task, the plain def) are as they were.
    assert found == [
        (13, 4, "AIO201"), (14, 7, "AIO203"), (15, 8, "AIO106"), (16, 4, "AIO205"),
        (17, 4, "AIO101"), (20, 4, "AIO201"),
    ]
    assert remaining == [(17, 4, "AIO101"), (20, 4, "AIO201")]
    again = fix(path.read_text(encoding="utf-8"))
    assert again.code == 0
    assert again.out.splitlines()[-1] == "fixed 0 findings in 0 files; 1 left alone"


def test_python_m_fix_runs_as_a_subprocess(tmp_path):
    (tmp_path / "pkg").mkdir()
    path = tmp_path / "pkg" / "mod.py"
    path.write_text(_body("async def main():\n    save()\n"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "flake8_async_tasks", "fix", "--isolated", "pkg"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "pkg/mod.py:13:5: AIO201 fixed: inserted await",
        "fixed 1 finding in 1 file (AIO201 1)",
    ]
    assert path.read_text(encoding="utf-8").endswith("    await save()\n")
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (0, "fixed 0 findings in 0 files\n")


def test_parallel_workers_fix_what_they_linted(tmp_path):
    # With -j2 flake8 lints in worker processes; the snapshots are taken in the
    # parent before any worker reads a file.
    (tmp_path / "pkg").mkdir()
    paths = [tmp_path / "pkg" / f"mod{i}.py" for i in range(3)]
    for path in paths:
        path.write_text(_body("async def main():\n    save()\n"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "flake8_async_tasks", "fix", "--isolated", "-j2", "pkg"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[-1] == "fixed 3 findings in 3 files (AIO201 3)"
    assert all(path.read_text(encoding="utf-8").endswith("    await save()\n") for path in paths)


def test_help_says_what_fix_does(capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(["fix", "--help"])
    assert exit.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for words in ("--add-noqa", "REASON", "--diff", "standard error", "atomically", "Exit status: 0"):
        assert words in text, words


def test_the_idioms_on_the_fix_page_compile_and_are_silent(tmp_path):
    page = (ROOT / "docs" / "fix.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert len(blocks) == 2
    for index, code in enumerate(blocks):
        path = tmp_path / f"idiom{index}.py"
        path.write_text(code, encoding="utf-8")
        compile(code, str(path), "exec")
        assert run_flake8(["--select=AIO", str(path)]).codes() == []


def test_a_finding_about_another_expression_than_the_call_there_is_left_alone(fix):
    """``fetch().json()`` and the async property ``self.sender.lower()``:
    ``await`` before the call would await ``json()`` / ``lower()``."""
    before = _body('''\
        class Message:
            @property
            async def sender(self):
                return "me"

            async def show(self):
                if self.sender.lower():
                    pass
                if ready().bit_length():
                    pass
        ''')
    result = fix(before)
    assert result.after.decode() == before
    assert result.out.count("not fixed: the finding names another expression") == 2, result.out
