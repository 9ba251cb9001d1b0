"""``fix --add-noqa``: a ``# noqa: AIOxxx`` for every current finding (issue #17).

Where the comment goes is where flake8 looks. flake8 7 does not read the
finding's physical line alone: ``FileProcessor._noqa_line_mapping`` cuts the
file's tokens into ranges that end at each NEWLINE or NL token and searches
the whole text of a finding's range. A range is one physical line, except
that a backslash continuation or a token spanning lines (a triple-quoted
string) joins the lines it covers. Inside brackets every line end is an NL
token, so in

    asyncio.create_task(
        work())  # noqa: AIO101

the comment on the second line does not silence the finding on the first:
it must go on the first line, after the ``(``. :func:`line_ranges` computes
the same ranges from the same tokens, and the comment goes at the end of the
range's last line, which is never inside a string nor after a backslash.

flake8 reads only the first ``# noqa`` of a range, so codes are merged into
the comment that is there (a range holds at most one comment, at its end);
a ``# noqa`` that flake8 would find inside a string first is reported, not
worked around. Each planned comment is checked with flake8's own
``Violation.is_inline_ignored`` on the new text before it is kept.
"""

from __future__ import annotations

import tokenize
from dataclasses import dataclass, field
from typing import Sequence

from flake8.defaults import NOQA_INLINE_REGEXP
from flake8.utils import parse_comma_separated_list
from flake8.violation import Violation

from .source import Edit, Source, keepends

_BLANKS = " \t\f"
# Python 3.12 tokenizes f-strings into parts (PEP 701); before, one STRING token.
_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)


@dataclass(frozen=True)
class LineRange:
    """The lines flake8 searches for the ``# noqa`` of a finding on any of them."""

    first: int  # line numbers, 1-based
    last: int
    end: int  # text offset where the last line's code and comment end (blanks before its line end excluded)
    comment: tuple[int, int] | None  # text offsets of the range's comment, which ends its last line
    in_fstring: bool = False  # ends inside an f-string's replacement field (Python 3.12+ tokens)


def line_ranges(source: Source) -> dict[int, LineRange]:
    """Line number -> its range, as flake8's ``_noqa_line_mapping`` builds
    them. Empty when the file does not tokenize (flake8 then reads one line)."""
    lines = iter(keepends(source.text))
    mapping: dict[int, LineRange] = {}
    first, last = len(source.line_starts) + 2, -1
    comment: tuple[int, int] | None = None
    depth = 0  # f-strings open: from Python 3.12 a line end inside one is an NL token
    try:
        for token in tokenize.generate_tokens(lambda: next(lines, "")):
            if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            if token.type == _FSTRING_START:
                depth += 1
            elif token.type == _FSTRING_END:
                depth -= 1
            first, last = min(first, token.start[0]), max(last, token.end[0])
            if token.type == tokenize.COMMENT:
                comment = (_offset(source, token.start), _offset(source, token.end))
            if token.type in (tokenize.NL, tokenize.NEWLINE):
                end = _offset(source, token.start)
                line_start = source.line_starts[token.start[0] - 1]
                while end > line_start and source.text[end - 1] in _BLANKS:
                    end -= 1
                span = LineRange(first, last, end, comment, depth > 0)
                mapping.update(dict.fromkeys(range(first, last + 1), span))
                first, last, comment = len(source.line_starts) + 2, -1, None
    except (tokenize.TokenError, SyntaxError):
        return {}
    return mapping


def _offset(source: Source, position: tuple[int, int]) -> int:
    # tokenize of a str counts columns in characters.
    line, col = position
    return source.line_starts[line - 1] + col


@dataclass
class Outcome:
    violation: Violation
    reason: str = ""  # why no comment silences it; empty when one does

    @property
    def applied(self) -> bool:
        return not self.reason


@dataclass
class Plan:
    edits: list[Edit] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


def comment(codes: Sequence[str], reason: str) -> str:
    return f"# noqa: {','.join(codes)}" + (f" {reason}" if reason else "")


def reason_problem(reason: str) -> str:
    """Why ``reason`` cannot follow the codes of a ``# noqa``; empty if it can."""
    if any(c in reason for c in "\r\n\f\v\x00"):
        return "REASON must be one line"
    match = NOQA_INLINE_REGEXP.search(comment(["AIO101"], reason))
    assert match is not None
    extra = [c for c in parse_comma_separated_list(match["codes"] or "") if c != "AIO101"]
    if extra:
        return f"flake8 would read `{extra[0]}` in REASON as a code; begin REASON with another word"
    return ""


def plan(source: Source, violations: Sequence[Violation], reason: str = "") -> Plan:
    """The comments that silence ``violations`` in ``source``, checked with
    flake8's own noqa test on the edited text; nothing is written here."""
    result = Plan()
    mapping = line_ranges(source)
    by_range: dict[LineRange, list[Outcome]] = {}
    for violation in violations:
        outcome = Outcome(violation)
        result.outcomes.append(outcome)
        span = mapping.get(violation.line_number)
        if span is None:
            outcome.reason = "no line of the file holds this finding"
        else:
            by_range.setdefault(span, []).append(outcome)
    for span, outcomes in by_range.items():
        edit, why = _edit(source, span, sorted({o.violation.code for o in outcomes}), reason)
        if edit is None:
            for outcome in outcomes:
                outcome.reason = why
            continue
        result.edits.append(edit)
    return result


def _edit(source: Source, span: LineRange, codes: list[str], reason: str) -> tuple[Edit | None, str]:
    if span.in_fstring:
        # A comment there is valid from Python 3.12 only, and a syntax error
        # before: the file would stop parsing on the older Pythons it runs on.
        return None, "the line flake8 reads ends inside an f-string's braces; add the codes by hand"
    start = source.line_starts[span.first - 1]
    joined = source.text[start:span.end]
    match = NOQA_INLINE_REGEXP.search(joined)
    if match is None:
        return Edit(span.end, span.end, "  " + comment(codes, reason)), ""
    if span.comment is None or not span.comment[0] <= start + match.start() < span.comment[1]:
        return None, "a `# noqa` inside a string on this line is the one flake8 reads; add the codes by hand"
    existing = match["codes"]
    if existing is None:
        # Only seen with --disable-noqa: the line already silences everything.
        return None, "the line already has a bare `# noqa`"
    known = tuple(parse_comma_separated_list(existing))
    new = [c for c in codes if not (c in known or c.startswith(known))]
    if not new:
        return None, "the line's `# noqa` already names it"
    codes_end = start + match.start("codes") + len(existing.rstrip(", \t"))
    separator = ", " if ", " in existing else ","
    text = separator + separator.join(new)
    after = source.text[codes_end:span.end]
    if reason and not after.strip(", \t"):
        # Nothing follows the codes: the REASON given goes there.
        return Edit(codes_end, span.end, f"{text} {reason}"), ""
    return Edit(codes_end, codes_end, text), ""


def silenced(source: Source, violations: Sequence[Violation]) -> list[bool]:
    """Would flake8 find each of ``violations`` silenced by a ``# noqa`` in
    ``source``? Asks flake8's ``Violation.is_inline_ignored`` with the text
    flake8 would search."""
    mapping = line_ranges(source)
    answers = []
    for violation in violations:
        span = mapping.get(violation.line_number)
        if span is None:
            answers.append(False)
            continue
        searched = source.text[source.line_starts[span.first - 1]:span.end]
        answers.append(violation._replace(physical_line=searched).is_inline_ignored(False))
    return answers


def read_as_flake8_did(source: Source, violations: Sequence[Violation]) -> bool:
    """Does ``source`` hold, on each finding's lines, the very text flake8
    read there? flake8 hands each finding the text of its noqa range (its
    ``physical_line``, with universal line ends): a direct check that the
    bytes about to be fixed are the ones flake8 linted, on the lines the
    fixes are made at."""
    mapping = line_ranges(source)
    for violation in violations:
        if violation.physical_line is None:  # flake8 could not tokenize: nothing to compare
            continue
        span = mapping.get(violation.line_number)
        if span is None:
            return False
        start = source.line_starts[span.first - 1]
        end = source.line_starts[span.last] if span.last < len(source.line_starts) else len(source.text)
        text = source.text[start:end].replace("\r\n", "\n").replace("\r", "\n")
        if text != violation.physical_line:
            return False
    return True
