"""The statements a report's text makes about the measures of its tables.

The check kind `text_figures` draws one fact per statement (a *mention*):
figures ("受理政府信息公开申请17件", "答复3050件", "行政复议351件，其中结果维持
72件", "同意公开答复9件", "占60%", "现行有效行政规范性文件698件": figures.py)
and claims without a number ("未发生行政复议、行政诉讼", "均已答复", "均获维持":
claims.py). Each mention says which measure it states, what it claims of it,
and whether the sentence speaks of the whole organ or of a part of it (scope.py).
"""

from __future__ import annotations

import bisect
import re

from gxaudit.formats.text import fold, remembered_when_short
from gxaudit.regex import on_use
from gxaudit.rules.narrative.claims import extract_claims
from gxaudit.rules.narrative.figures import extract_figures
from gxaudit.rules.narrative.model import APPLICATION_MEASURES, MEASURES, Mention

__all__ = ["APPLICATION_MEASURES", "MEASURES", "Mention", "extract_mentions", "prepare"]


def extract_mentions(
    text: str,
    organ: str | None = None,
    written: str | None = None,
    year: int | None = None,
    section: str | None = None,
) -> list[Mention]:
    """Every statement `text` makes about a measure of the tables, in order.

    `text` is folded and free of spaces (see `prepare`), "\\n" ends a
    paragraph; `written` is the same characters as written, for snippets.
    Plain sentences can be given as they are. With the report's `year`, a
    statement of a sentence about another year ("2022年收到…") is not a mention.
    `section` is the part the text stands in (a case count in part 四 needs no
    word saying it concerns information disclosure).
    """
    if written is None:
        written = text
        text = re.sub(r"\s", "", fold(text))
        written = "".join(c for c in written if not fold(c).isspace())
    figures = extract_figures(text, written, organ, year, section)
    claims = extract_claims(text, written, figures, organ, year, section)
    return sorted(figures + claims, key=lambda m: m.start)


# ------------------------------------------------------------ report text

_HEADING_START = on_use(
    r"^(?:[（(]?[一二三四五六七八九十]+[）)、.．]|[（(]\d+[）)]|\d+[、.．](?!\d)|第[一二三四五六七八九十])"
)
# the marks that end a sentence (or a lead-in: "：") at the end of a line
_SENTENCE_ENDS = frozenset("。！？!?；;：:")
# a line that can only continue the one before: a counting word or a clause mark first
# ("申请 12" / "件，上年结转…" as extractions wrap them)
_SPACE = on_use(r"\s")
_CONTINUES = on_use(r"^[件条项个起宗例次%，,、。；;)）]")


# a line longer than this (a paragraph of a PDF or a web page) is worked out each time
_CACHED_LINE = 100


@remembered_when_short(_CACHED_LINE, maxsize=4096)
def _searchable(raw: str) -> tuple[str, str, bool, bool, bool]:
    """A line folded and without spaces, the same characters as written, and what prepare
    asks of it: whether it can only continue the line before (_CONTINUES), whether it starts
    as a heading, whether it ends a paragraph after it (a sentence mark last, or a heading, or
    at most 12 characters). Lines repeat across reports (headings, set phrases): each short
    one is worked out once."""
    line = fold(raw)  # same length as raw
    if _SPACE.search(line):
        keep = [i for i, f in enumerate(line) if not f.isspace()]
        line, raw = "".join(line[i] for i in keep), "".join(raw[i] for i in keep)
    if not line:
        return line, raw, False, False, False
    heading = _HEADING_START.match(line) is not None
    return (
        line,
        raw,
        _CONTINUES.match(line) is not None,
        heading,
        # (a line searched has no white space, no "\n")
        line[-1] in _SENTENCE_ENDS or heading or len(line) <= 12,
    )


class LineOf:
    """The line of each character of a prepared text: `where[i]` (a "\\n" that prepare put
    between two lines is the first one's). It keeps where each line starts: a list of the
    line of every character cost more to make than the few look-ups made of it."""

    __slots__ = ("_starts", "_lines")

    def __init__(self) -> None:
        self._starts: list[int] = []  # where each line's characters start in the text
        self._lines: list[int] = []  # that line's number

    def add(self, start: int, line: int) -> None:
        self._starts.append(start)
        self._lines.append(line)

    def __getitem__(self, at: int) -> int:
        if at < 0 or not self._starts:
            raise IndexError(at)
        return self._lines[bisect.bisect_right(self._starts, at) - 1]


def prepare(lines: list[tuple[int, str]]) -> tuple[str, str, LineOf]:
    """A section's body lines as one searchable text.

    Returns the text searched (folded to half width, without spaces: PDF and
    Markdown extractions write "申请 34 件"), the same characters as written
    (for snippets), and the line of each character. Lines wrapped in the middle
    of a sentence (PDF, Markdown) are joined; a line that ends a sentence, a
    heading line and a short line end a paragraph ("\\n").
    """
    folded: list[str] = []
    written: list[str] = []
    where = LineOf()
    size = 0  # the characters of folded
    ends = False  # the line before ends a paragraph after it
    for line_no, raw in lines:
        text, as_written, continues, heading, ends_after = _searchable(raw)
        if not text:
            continue
        if folded and not continues and (ends or heading):
            folded.append("\n")
            written.append("\n")
            size += 1
        folded.append(text)
        written.append(as_written)
        where.add(size, line_no)
        size += len(text)
        ends = ends_after
    return "".join(folded), "".join(written), where
