"""A source file as bytes and text, and edits made to it at exact offsets.

``fix`` and ``fix --add-noqa`` both edit a file this way: the text is the
bytes decoded so that encoding it gives them back, edits are made at text
offsets, and everything outside an edit stays byte for byte.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from typing import Sequence

# Python's own line ends only: str.splitlines() would also split at form
# feeds and U+2028, which are not line ends in source code.
LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass
class Source:
    """A file's bytes, decoded so that encoding the text gives them back."""

    raw: bytes
    encoding: str  # "utf-8-sig" when there is a BOM
    text: str
    line_starts: list[int]  # offset in text of each line (1-based line n at [n - 1])

    @classmethod
    def from_bytes(cls, raw: bytes) -> Source:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        text = raw.decode(encoding)
        if text.encode(encoding) != raw:
            raise ValueError(f"{encoding} does not give the same bytes back")
        starts = [0] + [m.end() for m in LINE_END.finditer(text)]
        return cls(raw, encoding, text, starts)

    def with_text(self, text: str) -> Source:
        """The same file with ``text`` instead (encoded as this one is)."""
        starts = [0] + [m.end() for m in LINE_END.finditer(text)]
        return Source(self.encode(text), self.encoding, text, starts)

    def offset(self, line: int, col: int) -> int:
        """Text offset of an ``ast`` position (``col`` counts UTF-8 bytes)."""
        start = self.line_starts[line - 1]
        head = self.text[start:start + col].encode("utf-8")[:col]
        return start + len(head.decode("utf-8"))

    # Given expressions and statements, which have the positions ``ast.AST`` lacks.
    def start(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


def apply(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` made, from the end backwards so offsets hold."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def keepends(text: str) -> list[str]:
    """The lines of ``text`` with their ends, split at :data:`LINE_END` only."""
    ends = [m.end() for m in LINE_END.finditer(text)]
    starts = [0, *ends]
    lines = [text[a:b] for a, b in zip(starts, ends)]
    if starts[-1] < len(text):
        lines.append(text[starts[-1]:])
    return lines
