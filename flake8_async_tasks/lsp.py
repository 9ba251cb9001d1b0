"""The quick fix of ``flake8-async-tasks fix`` in python-lsp-server (pylsp).

Installed with the ``lsp`` extra, pylsp finds this module through its ``pylsp``
entry point. It adds no diagnostics of its own: pylsp's flake8 plugin already
publishes the findings. For a fixable finding under the cursor (AIO106, AIO201,
AIO203, AIO205) it offers the code action that ``flake8-async-tasks fix``
would make there, built by the same functions of :mod:`flake8_async_tasks.fix`
from the editor's text: the same positions, the same refusals, the same check
that the edited code parses to the original tree plus exactly that ``await``.

Why lint again before offering a fix instead of trusting the diagnostic the
editor sends back: the client keeps diagnostics from its last lint, and the
text may have changed since. The fix is planned only for a finding that the
current text still has, with the same code at the same place, found by the
same flake8 run, settings and executable as pylsp's flake8 plugin uses
(``pylsp.plugins.flake8``); a finding that is gone or moved gets no action.
That run happens only when the cursor's diagnostics include a fixable code.

Asked for the kind ``source.fixAll`` (never in the menu at the cursor), it
offers the whole file's fix as one edit: what ``fix`` would write.
"""

from __future__ import annotations

import ast
import logging
import tokenize
from bisect import bisect_right
from typing import Any

from flake8.violation import Violation
from pylsp import hookimpl
from pylsp.plugins import flake8_lint

from . import fix
from .source import Source

LOG = logging.getLogger(__name__)
SOURCE = "flake8"  # what pylsp's flake8 plugin puts in its diagnostics' "source"


@hookimpl
def pylsp_settings() -> dict[str, Any]:
    return {"plugins": {"flake8_async_tasks": {"enabled": True}}}


@hookimpl
def pylsp_code_actions(
    config: Any, workspace: Any, document: Any, range: Any, context: Any
) -> list[dict[str, Any]]:
    try:
        return _code_actions(workspace, document, context or {})
    except Exception as error:  # an editor's request must never fail because of the plugin
        LOG.warning(
            "flake8-async-tasks: no quick fix for %s: %s: %s", document.uri, type(error).__name__, error
        )
        return []


FIX_ALL = "source.fixAll.flake8-async-tasks"


def _wants(only: list[str] | None, kind: str) -> bool:
    """Does the client's ``only`` filter (absent: everything) take ``kind``?
    A filter names a kind or a parent of it: ``source`` takes ``source.fixAll``."""
    return not only or any(kind == k or kind.startswith(k + ".") or not k for k in only)


def _code_actions(workspace: Any, document: Any, context: dict[str, Any]) -> list[dict[str, Any]]:
    only = context.get("only")
    actions = []
    if _wants(only, "quickfix"):
        asked = [
            d
            for d in context.get("diagnostics") or ()
            if d.get("source") == SOURCE and d.get("code") in fix.FIXABLE
        ]
        if asked:
            actions += _quick_fixes(workspace, document, asked)
    # Fix all only when asked by kind (an editor's "fix all" command or a
    # code-action-on-save setting), never in the menu at every cursor move.
    if only and _wants(only, FIX_ALL):
        actions += _fix_all(workspace, document)
    return actions


def _quick_fixes(workspace: Any, document: Any, asked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    text = document.source
    # pylsp's plugins are not annotated: its diagnostics are LSP dicts.
    linted = flake8_lint.pylsp_lint(workspace, document)  # type: ignore[no-untyped-call]
    current = {(d["code"], _start(d)): d for d in linted or ()}
    actions = []
    for diagnostic in asked:
        code, (line, col) = diagnostic["code"], _start(diagnostic)
        if (code, (line, col)) not in current:
            continue  # gone or moved since the client's lint: nothing is sure
        violation = _violation(document, diagnostic)
        action = _action(document, text, [violation])
        if action is not None:
            (planned,) = action.pop("fixes")
            actions.append({**action, "title": f"{code}: {_title(planned)}", "kind": "quickfix",
                            "diagnostics": [diagnostic], "isPreferred": True})
    return actions


def _fix_all(workspace: Any, document: Any) -> list[dict[str, Any]]:
    """What ``flake8-async-tasks fix`` does to the file, as one edit."""
    found = [
        # pylsp's plugins are not annotated: its diagnostics are LSP dicts.
        d for d in flake8_lint.pylsp_lint(workspace, document) or ()  # type: ignore[no-untyped-call]
        if d.get("source") == SOURCE and d.get("code") in fix.FIXABLE
    ]
    if not found:
        return []
    action = _action(document, document.source, [_violation(document, d) for d in found])
    if action is None:
        return []
    n = len(action.pop("fixes"))
    return [{**action, "title": f"flake8-async-tasks: fix {n} finding{'s' * (n != 1)}", "kind": FIX_ALL}]


def _violation(document: Any, diagnostic: dict[str, Any]) -> Violation:
    line, col = _start(diagnostic)
    message = diagnostic.get("message", "")
    return Violation(diagnostic["code"], document.path, line + 1, col + 1, message, None)


def _start(diagnostic: dict[str, Any]) -> tuple[int, int]:
    # pylsp's flake8 plugin puts flake8's row and column, less one, here.
    start = diagnostic["range"]["start"]
    return start["line"], start["character"]


def _action(document: Any, text: str, violations: list[Violation]) -> dict[str, Any] | None:
    """The edit that fixes ``violations`` in ``text``, with the fixes made
    (under ``"fixes"``), or None when none is safe."""
    raw = _encode(text)
    if raw is None:
        return None
    try:
        source = Source.from_bytes(raw)
    except (ValueError, LookupError, SyntaxError):
        return None
    result = fix.plan_fixes(document.path, source, violations)
    if result.new_text is None or result.source.text != text:
        return None  # not safe here (fix --diff says why), or the text had a BOM
    applied = [f for f in result.fixes if f.applied]
    at = Positions(result.source)
    edits = [
        {"range": {"start": at(e.start), "end": at(e.end)}, "newText": e.text}
        for e in sorted((e for f in applied for e in f.edits), key=lambda e: e.start)
    ]
    return {"fixes": applied, "edit": {"changes": {document.uri: edits}}}


def _title(planned: fix.Fix) -> str:
    assert planned.node is not None
    if any(e.start != e.end for e in planned.edits):  # AIO205: the run(...) around the call goes
        return f"replace `{ast.unparse(planned.node.func)}(...)` with `await`"
    return "insert `await`"


def _encode(text: str) -> bytes | None:
    """The bytes of ``text`` in the encoding its coding cookie names (UTF-8
    without one), or None when it cannot be encoded so."""
    head = iter(text.encode("utf-8").splitlines(True)[:2])
    try:
        encoding, _ = tokenize.detect_encoding(lambda: next(head, b""))
        return text.encode("utf-8" if encoding == "utf-8-sig" else encoding)
    except (SyntaxError, LookupError, UnicodeError):
        return None


class Positions:
    """Offsets into a source's text as LSP positions: a line, and UTF-16 code
    units into it (the protocol's default, and what pylsp uses)."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def __call__(self, offset: int) -> dict[str, int]:
        starts = self.source.line_starts
        line = bisect_right(starts, offset) - 1
        head = self.source.text[starts[line]:offset]
        return {"line": line, "character": len(head.encode("utf-16-le")) // 2}
