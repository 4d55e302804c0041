"""Where each line the parser reads comes from in the file a person opens.

The adapters rebuild a report as text lines (tables as tab rows); a finding's
line number in that text means nothing to a supervisor holding the PDF or the
web page. So every rebuilt line carries an `Origin`: the line of a text or
Markdown file, the page of a PDF (and where on it), the table and row of a web
page or Word document (and, for a web page, the source line of its `<tr>`).
`SourceText` is what reading a file gives the parser: the lines, one origin
each, and, for files that are text to begin with, the file's own lines so the
outputs can show the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from typing import Any

from gxaudit.formats.text import fold, split_lines
from gxaudit.regex import on_use

# line separators other than CR/LF: they end a line for reading, not for numbering
SOFT_BREAK = on_use("[\x0b\x85\u2028\u2029]")
_SOFT_BREAKS = ("\x0b", "\x85", "\u2028", "\u2029")


@dataclass(frozen=True, slots=True)
class Origin:
    """A place in the original file; fields that do not apply are None."""

    line: int | None = None  # 1-based line of a text/Markdown file; the <tr>/<p> line of a web page
    column: int | None = None  # 1-based column in that line (flattened pages: where the text starts)
    page: int | None = None  # 1-based PDF page
    x: float | None = None  # position on the page, points from the top-left corner
    y: float | None = None
    table: int | None = None  # 1-based table of the page or document, in reading order
    row: int | None = None  # 1-based row of that table
    paragraph: int | None = None  # 1-based paragraph of a Word document

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = round(value, 1) if isinstance(value, float) else value
        return out


# Written in place of a cell an adapter saw printed but could not place (the geta mark,
# which Chinese typesetting uses for a character that cannot be set); the parser turns
# it into an unreadable empty cell (parse/unplaced.py).
UNREADABLE_MARK = "〓"


@dataclass
class Unplaced:
    """Value cells of one table row the adapter could not place in the format's columns.

    `line` is the 0-based index of the row's line in `SourceText.lines`,
    `positions` the 0-based value positions (columns) left unreadable, `raw`
    what is printed in the row's value cells."""

    line: int
    positions: list[int]
    reason: str
    raw: str


@dataclass(slots=True)
class SourceLine:
    """One line for the parser, with where it comes from."""

    text: str
    origin: Origin


@dataclass
class SourceText:
    """A report file read: the lines the grammar reads, each with its origin."""

    lines: list[str]
    origins: list[Origin]
    kind: str = "text"  # text, markdown, html, pdf, docx (flattened is decided when parsing)
    encoding: str = "utf-8"
    # the file's own lines (text and Markdown files), to show the original text
    original: list[str] | None = None
    # cells the adapter saw printed but could not place in a column
    unplaced: list[Unplaced] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @classmethod
    def from_lines(cls, lines: list[SourceLine], final_newline: bool = False, **kwargs: Any) -> SourceText:
        """From adapter lines; a line holding a line break becomes several with one origin.
        `final_newline`: the text ends with a line break (an empty last line), as the
        adapters that wrote text always did, so that line numbers stay as they were."""
        texts: list[str] = []
        origins: list[Origin] = []
        for line in lines:
            parts = split_lines(line.text) if ("\n" in line.text or "\r" in line.text) else [line.text]
            texts.extend(parts)
            origins.extend([line.origin] * len(parts))
        if final_newline:
            texts.append("")
            origins.append(origins[-1] if origins else Origin())
        return cls(texts, origins, **kwargs)

    @classmethod
    def plain(cls, text: str, kind: str = "text", encoding: str = "utf-8") -> SourceText:
        """A text file: line n comes from line n.

        A vertical tab (Word's manual line break), NEL, U+2028 or U+2029 inside a
        line breaks it for reading, as a line ending would; the pieces keep the
        file's line number (an editor shows them on one line) and the column where
        each starts."""
        lines = split_lines(text)
        # four searches for a character are much faster than the expression's (most texts have none)
        if not any(c in text for c in _SOFT_BREAKS):
            return cls(lines, _line_origins(len(lines)), kind, encoding, original=lines)
        texts: list[str] = []
        origins: list[Origin] = []
        for number, line in enumerate(lines, 1):
            start = 0
            for piece in SOFT_BREAK.split(line):
                texts.append(piece)
                origins.append(Origin(line=number, column=start + 1 if start else None))
                start += len(piece) + 1
        return cls(texts, origins, kind, encoding, original=lines)


# Origin(line=n) of the first lines, made once: an Origin is frozen, so text files share them
# (building one per line of every report cost 0.1 ms a report)
_LINE_ORIGINS: list[Origin] = []
_SHARED_LINES = 20_000


def _line_origins(count: int) -> list[Origin]:
    """[Origin(line=1), …, Origin(line=count)]."""
    shared = min(count, _SHARED_LINES)
    while len(_LINE_ORIGINS) < shared:
        _LINE_ORIGINS.append(Origin(line=len(_LINE_ORIGINS) + 1))
    return _LINE_ORIGINS[:shared] + [Origin(line=n) for n in range(shared + 1, count + 1)]


# How far past the last match a rebuilt line's text is looked for in the original.
ALIGN_WINDOW = 4096
ANCHOR_CHARS = 8


def _anchor(text: str) -> str:
    """What a piece of rebuilt text is looked for by: its first characters, folded, white space dropped."""
    return "".join(fold(text).split())[:ANCHOR_CHARS]


def find_in_line(original: str, text: str, column: int) -> int | None:
    """The 1-based column where `text` starts in `original`, at `column` or after (within
    ALIGN_WINDOW), comparing its first ANCHOR_CHARS characters with white space ignored
    and full-width folded, as align() finds a rebuilt line; None when not found."""
    anchor = _anchor(text)
    if not anchor:
        return None
    pattern = r"\s*".join(map(re.escape, anchor))
    # only the window is folded (fold keeps every character's place): a page flattened
    # into one line may be megabytes long
    start = column - 1
    window = fold(original[start : start + ALIGN_WINDOW + 4 * len(anchor)])
    found = re.search(pattern, window)
    return start + found.start() + 1 if found else None


def align(rebuilt: list[str], source: SourceText) -> list[Origin]:
    """Origins of lines rebuilt from `source` (a flattened page cut into lines): where each
    rebuilt line's first characters stand in the original, white space ignored.

    Lines are looked for in order, each within `ALIGN_WINDOW` characters of the
    previous one (linear time); a line not found takes the previous line's origin."""
    compact: list[str] = []
    where: list[tuple[int, int]] = []  # (source line index, 0-based column) of each kept char
    for index, text in enumerate(source.lines):
        folded = fold(text)
        for column, char in enumerate(folded):
            if not char.isspace():
                compact.append(char)
                where.append((index, column))
    whole = "".join(compact)
    cursor = 0
    previous = source.origins[0] if source.origins else Origin()
    out: list[Origin] = []
    for line in rebuilt:
        first = next((part for part in line.split("\t") if part.strip()), "")
        anchor = _anchor(first)
        position = whole.find(anchor, cursor, cursor + ALIGN_WINDOW + len(anchor)) if anchor else -1
        if position >= 0:
            index, column = where[position]
            base = source.origins[index] if index < len(source.origins) else Origin()
            previous = replace(base, column=column + 1)
            cursor = position + len(anchor)
        out.append(previous)
    return out
