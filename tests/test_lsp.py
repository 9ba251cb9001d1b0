"""The editor quick fix, through a real python-lsp-server process over stdio.

One ``python -m pylsp`` serves the module's tests in a temporary project, as
an editor keeps one server. Each test opens a module of its own, waits for
the diagnostics of pylsp's own flake8 plugin, asks for the code actions of
one of them, applies the edit as an editor would, and lints again.

pylsp finds the plugin through the ``pylsp`` entry point, as pyproject.toml
declares it (see entry_points.py: the checkout need not be installed).

Nothing here waits for a time: each step blocks until the server sends the
message asked for, and the server ends with the module's tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import entry_points
import pytest

pytest.importorskip("pylsp")


class Server:
    """A pylsp process and the few messages of the protocol the tests need."""

    def __init__(self, root: Path, tmp_path: Path) -> None:
        # pylsp's flake8 plugin runs `flake8` from PATH: this interpreter's.
        env = entry_points.env(tmp_path, "pylsp")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pylsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=root,
            env=env,
        )
        self.next_id = 0
        self.opened = 0
        self.notifications: list[dict] = []
        self.root = root
        plugins = {
            name: {"enabled": False} for name in ("pycodestyle", "pyflakes", "mccabe", "pydocstyle", "pylint")
        }
        plugins["flake8"] = {"enabled": True}
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": {
                    "textDocument": {
                        "codeAction": {
                            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}
                        }
                    }
                },
                "initializationOptions": {"pylsp": {"plugins": plugins}},
            },
        )
        self.notify("initialized", {})

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self) -> dict:
        assert self.proc.stdout is not None
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"pylsp ended (status {self.proc.wait()})")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        assert length is not None
        return json.loads(self.proc.stdout.read(length))

    def request(self, method: str, params: dict) -> object:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                assert "error" not in message, message["error"]
                return message["result"]
            self.notifications.append(message)

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, uri: str, version: int) -> list[dict]:
        """The diagnostics pylsp publishes for ``uri`` at ``version``."""
        while True:
            for message in self.notifications:
                params = message.get("params", {})
                if (
                    message.get("method") == "textDocument/publishDiagnostics"
                    and params.get("uri") == uri
                    and params.get("version") == version
                ):
                    self.notifications.remove(message)
                    return params["diagnostics"]
            self.notifications.append(self.receive())

    def open(self, text: str) -> tuple[str, list[dict]]:
        """Open ``text`` as a new module (each test its own, in one server)."""
        self.opened += 1
        path = self.root / f"mod_{self.opened}.py"
        path.write_text(text, encoding="utf-8", newline="")
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
        )
        return uri, self.diagnostics(uri, 1)

    def change(self, uri: str, version: int, text: str) -> list[dict]:
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )
        return self.diagnostics(uri, version)

    def code_actions(self, uri: str, diagnostics: list[dict], only: list[str] | None = None) -> list[dict]:
        where = (
            diagnostics[0]["range"]
            if diagnostics
            else {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
        )
        context: dict = {"diagnostics": diagnostics}
        if only is not None:
            context["only"] = only
        result = self.request(
            "textDocument/codeAction", {"textDocument": {"uri": uri}, "range": where, "context": context}
        )
        return list(result or [])

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.proc.wait()
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # One server for the module, as an editor keeps one: each test opens its own file.
    tmp_path = tmp_path_factory.mktemp("lsp")
    project = tmp_path / "project"
    project.mkdir()
    # The project's flake8 configuration is what pylsp's flake8 plugin and
    # the quick fix's lint both read.
    (project / ".flake8").write_text("[flake8]\nselect = AIO\n", encoding="utf-8")
    server = Server(project, tmp_path)
    yield server
    server.close()


def apply_edits(text: str, edits: list[dict]) -> str:
    """What an editor does with TextEdits: positions are (line, UTF-16 units)."""
    lines = text.splitlines(keepends=True) or [""]

    def offset(position: dict) -> int:
        line = lines[position["line"]]
        units = line.encode("utf-16-le")[:2 * position["character"]]
        return sum(len(earlier) for earlier in lines[:position["line"]]) + len(units.decode("utf-16-le"))

    spans = sorted(
        ((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits), reverse=True
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def _aio(diagnostics: list[dict]) -> list[str]:
    return sorted(d["code"] for d in diagnostics if str(d.get("code", "")).startswith("AIO"))


HEADER = "import asyncio\n\n\nasync def save():\n    pass\n\n\nasync def ready():\n    return True\n\n\n"


def _quick_fix(server, text: str, code: str) -> tuple[str, dict, str]:
    """Open ``text``, take the fix of its ``code`` finding, apply it; return
    the uri, the action and the fixed text."""
    uri, diagnostics = server.open(text)
    wanted = [d for d in diagnostics if d["code"] == code]
    assert len(wanted) == 1, diagnostics
    actions = server.code_actions(uri, wanted)
    assert len(actions) == 1, actions
    (action,) = actions
    assert action["kind"] == "quickfix" and action["diagnostics"] == wanted
    return uri, action, apply_edits(text, action["edit"]["changes"][uri])


def test_insert_await_then_lint_is_silent(server):
    text = HEADER + "async def main():\n    save()\n    return 1\n"
    uri, action, fixed = _quick_fix(server, text, "AIO201")
    assert action["title"] == "AIO201: insert `await`"
    assert fixed == text.replace("    save()", "    await save()")
    assert _aio(server.change(uri, 2, fixed)) == []


def test_same_bytes_as_the_fix_command(server, tmp_path, monkeypatch, capsys):
    # CRLF line ends, a non-ASCII name before the call on its line (the
    # column is counted in UTF-8 bytes by flake8, in UTF-16 units by LSP),
    # and a comment: the quick fix and `fix` write the same text.
    text = (HEADER + "async def main():\n    données = 1; save()  # é\n    return données\n").replace(
        "\n", "\r\n"
    )
    uri, _, fixed = _quick_fix(server, text, "AIO201")
    assert fixed == text.replace("; save()", "; await save()")
    from flake8_async_tasks import cli

    target = tmp_path / "cli"
    target.mkdir()
    (target / "mod.py").write_bytes(text.encode("utf-8"))
    monkeypatch.chdir(target)
    assert cli.main(["fix", "--isolated", "--jobs=1", "mod.py"]) == 1
    capsys.readouterr()
    assert (target / "mod.py").read_bytes() == fixed.encode("utf-8")
    assert _aio(server.change(uri, 2, fixed)) == []


def test_asyncio_run_in_a_coroutine_becomes_await(server):
    text = HEADER + "async def main():\n    asyncio.run(save())\n"
    uri, action, fixed = _quick_fix(server, text, "AIO205")
    assert action["title"] == "AIO205: replace `asyncio.run(...)` with `await`"
    assert fixed == text.replace("asyncio.run(save())", "await save()")
    assert _aio(server.change(uri, 2, fixed)) == []


@pytest.mark.parametrize(
    "body",
    [
        # gather may have been meant: fix leaves it to the author, and so does the quick fix.
        "    save(), save()\n",
        # `await` in a lambda is a syntax error.
        "    return lambda: print(ready())\n",
        "    asyncio.run(save(), debug=True)\n",
        # The f-string's `=` would print "await ready()=": the re-parse check refuses it.
        '    print(f"{ready()=}")\n',
    ],
    ids=["tuple", "lambda", "run-keyword", "fstring-debug"],
)
def test_no_action_where_fix_refuses(server, body):
    text = HEADER + "async def main():\n" + body
    uri, diagnostics = server.open(text)
    assert _aio(diagnostics), "a finding, or no action proves nothing"
    assert server.code_actions(uri, diagnostics) == []


def test_no_action_for_rules_without_a_safe_fix(server):
    text = HEADER + "async def main():\n    asyncio.create_task(save())\n"
    uri, diagnostics = server.open(text)
    assert _aio(diagnostics) == ["AIO101"]
    assert server.code_actions(uri, diagnostics) == []


def test_no_action_for_a_stale_diagnostic(server):
    # The editor sends back the diagnostic of an older text; at its place
    # the current text has another call, which is not a coroutine: planned
    # from the old diagnostic alone, the fix would write `await print(1)`.
    text = HEADER + "async def main():\n    save()\n"
    uri, diagnostics = server.open(text)
    assert _aio(diagnostics) == ["AIO201"]
    newer = text.replace("    save()", "    print(1)")
    assert _aio(server.change(uri, 2, newer)) == []
    assert server.code_actions(uri, diagnostics) == []


def test_noqa_is_respected(server):
    # What flake8 does not report has no fix: the lint before the fix is flake8's.
    text = HEADER + "async def main():\n    save()  # noqa: AIO201\n"
    uri, diagnostics = server.open(text)
    assert _aio(diagnostics) == []
    # What the client would send had flake8 reported it (the call's place).
    line = text.splitlines().index("    save()  # noqa: AIO201")
    fake = {
        "source": "flake8",
        "code": "AIO201",
        "message": "AIO201 ...",
        "range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 10}},
    }
    assert server.code_actions(uri, [fake]) == []


def test_each_fix_of_several_on_one_line(server):
    # One action per diagnostic, each with its own edit only.
    text = HEADER + "async def main():\n    save(); print(ready())\n"
    uri, diagnostics = server.open(text)
    assert _aio(diagnostics) == ["AIO201", "AIO203"]
    actions = server.code_actions(uri, diagnostics)
    fixed = sorted(apply_edits(text, a["edit"]["changes"][uri]).rsplit("\n", 2)[1] for a in actions)
    assert fixed == ["    await save(); print(ready())", "    save(); print(await ready())"]


def test_only_flake8_diagnostics_are_fixed(server):
    # Another linter's diagnostic with a code like ours is not this plugin's to fix.
    text = HEADER + "async def main():\n    save()\n"
    uri, diagnostics = server.open(text)
    (finding,) = diagnostics
    assert server.code_actions(uri, [{**finding, "source": "other"}]) == []
    assert len(server.code_actions(uri, [finding])) == 1


def test_fix_all_is_what_the_fix_command_writes(server, tmp_path, monkeypatch, capsys):
    # Asked by kind, as an editor's "fix all" or code-action-on-save does: one
    # edit with every safe fix, the refused one (a lambda) left as it was.
    text = HEADER + (
        "async def main():\n    save()\n    if ready():\n        asyncio.run(save())\n"
        "    return lambda: print(ready())\n"
    )
    uri, diagnostics = server.open(text)
    assert _aio(diagnostics) == ["AIO201", "AIO203", "AIO203", "AIO205"]
    (action,) = server.code_actions(uri, [], only=["source.fixAll"])
    assert action["kind"] == "source.fixAll.flake8-async-tasks"
    assert action["title"] == "flake8-async-tasks: fix 3 findings"
    fixed = apply_edits(text, action["edit"]["changes"][uri])
    from flake8_async_tasks import cli

    (tmp_path / "mod.py").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["fix", "--isolated", "--jobs=1", "mod.py"]) == 1
    capsys.readouterr()
    assert (tmp_path / "mod.py").read_text(encoding="utf-8") == fixed
    assert _aio(server.change(uri, 2, fixed)) == ["AIO203"]  # the lambda's, left alone


def test_the_only_filter(server):
    text = HEADER + "async def main():\n    save()\n"
    uri, diagnostics = server.open(text)
    # The menu at the cursor: the quick fix, never the file-wide fix.
    assert [a["kind"] for a in server.code_actions(uri, diagnostics)] == ["quickfix"]
    assert [a["kind"] for a in server.code_actions(uri, diagnostics, only=["quickfix"])] == ["quickfix"]
    assert server.code_actions(uri, diagnostics, only=["refactor"]) == []
    assert server.code_actions(uri, diagnostics, only=["quick"]) == []  # a kind, not a prefix of one
    kinds = [a["kind"] for a in server.code_actions(uri, diagnostics, only=["source"])]
    assert kinds == ["source.fixAll.flake8-async-tasks"]
    assert server.code_actions(uri, [], only=["source.organizeImports"]) == []
