"""``flake8-async-tasks fix --add-noqa[=REASON]``: a baseline (issue #17, item 3).

Every test checks the result with real flake8: the findings are silenced, and
the file parses to the same tree. Where the comment goes follows flake8 7's
own noqa mapping, which these cases pin down (a comment on the second line of
a bracketed call does not silence a finding on its first).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from aio_harness import run_flake8
from flake8_async_tasks import cli

HEADER = '''\
import asyncio


async def work(*args):
    pass


async def main(flag):
'''


def _module(body: str) -> str:
    return HEADER + textwrap.indent(textwrap.dedent(body), "    ")


def _tree(source: str | bytes) -> str:
    return ast.dump(ast.parse(source), include_attributes=True)


def _codes(path: Path, *options: str) -> list[tuple[int, int, str]]:
    return run_flake8(["--isolated", *options, str(path)]).codes()


@pytest.fixture
def add_noqa(tmp_path, monkeypatch, capsys):
    def run(source: str, *args: str, options: tuple[str, ...] = ()):
        path = tmp_path / "mod.py"
        path.write_text(source, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        code = cli.main(["fix", "--isolated", "--jobs=1", *options, *args, "mod.py"])
        out, err = capsys.readouterr()
        after = path.read_text(encoding="utf-8")
        if after != source:
            assert ast.dump(ast.parse(after), include_attributes=True) == ast.dump(
                ast.parse(source), include_attributes=True
            )
        return code, out, err, after

    return run


def test_a_comment_on_each_finding_and_flake8_is_silent(add_noqa, tmp_path):
    source = _module('''\
        asyncio.create_task(work())
        asyncio.create_task(work()); asyncio.ensure_future(work())
        work()
        return flag
        ''')
    code, out, _, after = add_noqa(source, "--add-noqa")
    assert after == source.replace(
        "    asyncio.create_task(work())\n", "    asyncio.create_task(work())  # noqa: AIO101\n", 1
    ).replace(
        "asyncio.ensure_future(work())\n", "asyncio.ensure_future(work())  # noqa: AIO101\n"
    ).replace("    work()\n", "    work()  # noqa: AIO201\n")
    assert _codes(tmp_path / "mod.py") == []
    assert code == 1
    assert out.splitlines()[0] == "mod.py:9:5: AIO101 added `# noqa`"
    assert out.splitlines()[-1] == "added `# noqa` for 4 findings in 1 file (AIO101 3, AIO201 1)"


def test_codes_merge_into_the_existing_noqa_without_duplicates(add_noqa, tmp_path):
    source = _module('''\
        asyncio.create_task(work())  # noqa: E501
        asyncio.create_task(work())  # noqa:E501, W291 the url is long
        work(); asyncio.create_task(work())  # noqa: E501,AIO1
        work()  # why this stays  # and more
        return flag
        ''')
    _, _, _, after = add_noqa(source, "--add-noqa=baseline")
    lines = after.splitlines()[8:12]
    assert lines == [
        "    asyncio.create_task(work())  # noqa: E501,AIO101 baseline",
        "    asyncio.create_task(work())  # noqa:E501, W291, AIO101 the url is long",
        "    work(); asyncio.create_task(work())  # noqa: E501,AIO1,AIO201 baseline",
        "    work()  # why this stays  # and more  # noqa: AIO201 baseline",
    ]
    assert _codes(tmp_path / "mod.py") == []
    # Run again: nothing is left to silence, and nothing is added twice.
    code, out, _, again = add_noqa(after, "--add-noqa=baseline")
    assert (code, again, out) == (0, after, "added `# noqa` for 0 findings in 0 files\n")


def test_multi_line_statements_get_the_comment_where_flake8_reads_it(add_noqa, tmp_path):
    source = _module('''\
        asyncio.create_task(
            work())
        asyncio.create_task(work()); z = 1 + \\
            2
        x = 1; asyncio.create_task(work(
            """two
            lines"""))
        asyncio.create_task(work("""one
        two""")); y = 2
        return x, y, z
        ''')
    code, _, _, after = add_noqa(source, "--add-noqa")
    assert code == 1
    # Inside brackets flake8 reads only the first line; a backslash joins the
    # lines, so the comment goes after the last; a string spanning lines makes
    # one range of them.
    assert after.splitlines()[8:18] == [
        "    asyncio.create_task(  # noqa: AIO101",
        "        work())",
        "    asyncio.create_task(work()); z = 1 + \\",
        "        2  # noqa: AIO101",
        "    x = 1; asyncio.create_task(work(  # noqa: AIO101",
        '        """two',
        '        lines"""))',
        '    asyncio.create_task(work("""one',
        '    two""")); y = 2  # noqa: AIO101',
        "    return x, y, z",
    ]
    assert _codes(tmp_path / "mod.py") == []
    # docs/fix.md shows the first two.
    page = (Path(__file__).resolve().parents[1] / "docs" / "fix.md").read_text(encoding="utf-8")
    shown = re.search(r"flake8 reads\.\*\* .*?```text\n(.*?)```", page, re.S)[1]
    assert ["    " + line[2:] for line in shown.splitlines() if line.strip()] == after.splitlines()[8:12]


def test_flake8_reads_the_noqa_of_a_bracketed_line_on_that_line_only(tmp_path):
    # The fact the placement rests on, checked against the flake8 installed:
    # the second line's comment does not silence the first line's finding.
    path = tmp_path / "mod.py"
    path.write_text(_module("asyncio.create_task(\n    work())  # noqa: AIO101\n"))
    assert _codes(path) == [(9, 4, "AIO101")]
    path.write_text(_module("asyncio.create_task(  # noqa: AIO101\n    work())\n"))
    assert _codes(path) == []


def test_a_noqa_inside_a_string_is_reported_not_worked_around(add_noqa, tmp_path):
    source = _module('''\
        asyncio.create_task(work("""
        # noqa: E501"""))
        return flag
        ''')
    code, out, _, after = add_noqa(source, "--add-noqa")
    # The string spans the finding's lines, so flake8 searches its text too and
    # reads its `# noqa: E501` first: no comment of ours would count.
    assert out.splitlines() == [
        ("mod.py:9:5: AIO101 no `# noqa` added: a `# noqa` inside a string on this line is the one flake8 "
        "reads; add the codes by hand"),
        "added `# noqa` for 0 findings in 0 files; 1 left alone",
    ]
    assert (code, after) == (0, source)
    assert _codes(tmp_path / "mod.py") == [(9, 4, "AIO101")]


def test_never_a_comment_inside_an_f_string(add_noqa, tmp_path):
    # Before Python 3.12 the f-string is one token: its lines are one range and
    # the comment goes after it. From 3.12 flake8 reads the finding's line inside
    # the braces, where a comment would not parse on 3.11: left alone.
    source = _module('''\
        print(f"""{
            work()
        }""")
        return flag
        ''')
    code, out, _, after = add_noqa(source, "--add-noqa")
    if sys.version_info >= (3, 12):
        assert (code, after) == (0, source)
        said = "mod.py:10:9: AIO203 no `# noqa` added: the line flake8 reads ends inside an f-string's braces"
        assert said in out
    else:
        assert code == 1
        assert after.splitlines()[10] == '    }""")  # noqa: AIO203'
        assert _codes(tmp_path / "mod.py") == []


def test_select_narrows_and_off_by_default_rules_follow_flake8(add_noqa, tmp_path):
    source = _module('''\
        asyncio.create_task(work())
        work()
        t = asyncio.create_task(work())
        t.cancel()
        return flag
        ''')
    _, _, _, after = add_noqa(source, "--add-noqa", "--select=AIO2", options=("--extend-select=AIO103",))
    assert "work()  # noqa: AIO201" in after and "AIO101" not in after and "AIO103" not in after
    _, _, _, after = add_noqa(source, "--add-noqa")
    assert "    t.cancel()\n" in after  # AIO103 is off by default: no finding, no comment
    _, _, _, after = add_noqa(source, "--add-noqa", options=("--extend-select=AIO103",))
    assert "    t.cancel()  # noqa: AIO103\n" in after
    assert _codes(tmp_path / "mod.py", "--extend-select=AIO103") == []


def test_add_noqa_with_diff_changes_nothing(add_noqa):
    source = _module("work()\n")
    code, out, err, after = add_noqa(source, "--add-noqa", "--diff")
    assert after == source and code == 1
    assert "-    work()\n+    work()  # noqa: AIO201\n" in out
    assert err.splitlines() == [
        "mod.py:9:5: AIO201 would add `# noqa`",
        "would add `# noqa` for 1 finding in 1 file (AIO201 1)",
    ]


def test_add_noqa_does_not_take_the_next_path_as_its_reason(tmp_path, monkeypatch, capsys):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "mod.py").write_text(_module("work()\n"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["fix", "--isolated", "--add-noqa", "src"]) == 1
    assert (tmp_path / "src" / "mod.py").read_text().endswith("    work()  # noqa: AIO201\n")


def test_crlf_and_a_missing_final_newline_are_kept(add_noqa, tmp_path):
    source = _module("asyncio.create_task(work())\nwork()").replace("\n", "\r\n")
    path = tmp_path / "mod.py"
    path.write_bytes(source.encode())
    os.chdir(tmp_path)
    assert cli.main(["fix", "--isolated", "--jobs=1", "--add-noqa", "mod.py"]) == 1
    assert path.read_bytes() == source.replace(
        "asyncio.create_task(work())\r\n", "asyncio.create_task(work())  # noqa: AIO101\r\n"
    ).encode() + b"  # noqa: AIO201"


# ----------------------------------------------------- a real package

CORPUS = Path("/tmp/corpus")
PACKAGE = "asyncpg"  # 24 files, 6 findings at --extend-select=AIO103,AIO104, one in brackets


@pytest.mark.skipif(not (CORPUS / PACKAGE).is_dir(), reason="the corpus is not on this machine")
def test_add_noqa_on_a_corpus_package(tmp_path, monkeypatch, capsys):
    tree = tmp_path / PACKAGE
    shutil.copytree(CORPUS / PACKAGE, tree, symlinks=True)
    options = ["--isolated", "--extend-select=AIO103,AIO104"]
    before = {p: p.read_bytes() for p in tree.rglob("*.py")}
    found = run_flake8([*options, str(tree)]).codes()
    assert len(found) >= 3, found
    monkeypatch.chdir(tree)
    assert cli.main(["fix", *options, "--add-noqa", "."]) == 1
    capsys.readouterr()
    assert run_flake8([*options, str(tree)]).codes() == []
    changed = 0
    for path, old in before.items():
        new = path.read_bytes()
        if new == old:
            continue
        changed += 1
        old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
        assert len(old_lines) == len(new_lines), path
        for a, b in zip(old_lines, new_lines):
            if a != b:
                # The only change to a line: a comment added at its end.
                assert re.fullmatch(rb"(.*?)[ \t]*  # noqa: AIO\d{3}(,AIO\d{3})*(\r?\n)?", b, re.S), b
                assert b.startswith(a.rstrip(b"\r\n").rstrip(b" \t")), (a, b)
        assert _tree(new) == _tree(old)
    assert changed >= 2
