"""Table regions: runs of lines with pipe rows and no prose between, and what table each is;
what the repairs share (the notes they make, the lines they write with their origins)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from gxaudit.formats import grammar
from gxaudit.formats.grammar import MAX_CELL_LINE
from gxaudit.formats.load import Label, load_formats
from gxaudit.formats.text import match_key, squeeze
from gxaudit.read.markdown.items import BLANK, FOOTER, HEADING, PIPE, SEP, TEXT, Item, is_value, text_row
from gxaudit.read.source import Origin, SourceLine
from gxaudit.regex import on_use

# A row label or header line, not prose, even when long: "1.申请人无正当理由逾期不补正…"
LABEL_START = on_use(
    r"^\s*(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)"
)


# "13（其中修订 5 件）", "22 (含修订16件)", "7": a count, and a note about it in brackets
LOOSE_VALUE = on_use(r"^\s*(?P<value>[+-]?\d[\d,]*(?:\.\d+)?)\s*(?:[（(][^（()）]{0,40}[)）])?\s*$")


@dataclass
class Note:
    line: int  # 1-based line of the Markdown file
    message: str


class Context:
    """The repairs made (notes) and the table text left out of every cell (unplaced)."""

    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.unplaced: list[Note] = []

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(line, message))

    def leave_out(self, line: int, message: str) -> None:
        self.unplaced.append(Note(line, message))


def emit(text: str, line: int, item: Item | None = None) -> SourceLine:
    """A line for the parser, from `line` of the Markdown file (or the HTML row `item` holds)."""
    if item is not None and item.origin is not None:
        return SourceLine(text, item.origin)
    return SourceLine(text, Origin(line=line))


def is_break(item: Item) -> bool:
    """A line that ends a table region: a part heading or a line of prose."""
    if item.kind not in (TEXT, HEADING):
        return False
    text = item.text.strip()
    if grammar.parse_heading(text):
        # a wrapped row label of table three ("四、结转下年度继续" / "办理") is not a part heading
        return not _names_application_row(text)
    if item.kind == HEADING:
        return False  # a caption or sub-heading among fragments
    if "\t" in item.text:
        return False  # a tab-separated row
    if grammar.is_applications_marker(text):
        return False  # table three's header note is long, not prose
    if text.endswith(("。", "；", ";")):
        return True
    return len(text) > MAX_CELL_LINE and not LABEL_START.match(text)


def _names_application_row(text: str) -> bool:
    key = match_key(text)
    return any(k and match_key(k) in key for row in catalogue() for k in row.keys)


def regions(items: list[Item]) -> list[tuple[int, int]]:
    """(start, end) index ranges of table regions: runs of non-prose lines with pipe rows."""
    start = 0
    bounds = []
    for index in range(len(items) + 1):
        if index == len(items) or is_break(items[index]):
            pipes = [i for i in range(start, index) if items[i].kind == PIPE]
            if pipes:
                first = next(i for i in range(start, index) if items[i].kind not in (BLANK, FOOTER, SEP))
                end = pipes[-1] + 1
                if end < len(items) and items[end].kind == TEXT and LOOSE_VALUE.match(items[end].text):
                    end += 1  # a value moved out of the last row, right under it (fixes.py)
                bounds.append((first, end))
            start = index + 1
    return bounds


def captions(items: list[Item]) -> list[SourceLine]:
    """Headings among a table's fragments ("表三：…", "表三（续）"): once each, before the table."""
    seen: dict[str, Item] = {}
    for item in items:
        if item.kind == HEADING:
            seen.setdefault(item.text, item)
    return [emit(text, item.line) for text, item in seen.items()]


def region_kind(items: list[Item]) -> str:
    """proactive, applications, review or generic: which table a region holds."""
    texts = [c for i in items for c in (i.cells if i.kind == PIPE else [i.text]) if c]
    if any(grammar.block_heading_item(t) for t in texts):
        return "proactive"
    for item in items:
        cells = item.cells if item.kind == PIPE else (text_row(item.text) or [item.text])
        label = row_parts(cells)[1] if cells else None
        if label and grammar.opens_applications(label):
            return "applications"
    first = next((i for i in items if i.kind in (TEXT, PIPE)), None)
    if first is not None:
        text = first.text if first.kind == TEXT else next((c for c in first.cells if c), "")
        if squeeze(text).startswith("行政复议"):
            return "review"
    return "generic"


@functools.cache
def catalogue() -> tuple[Label, ...]:
    """Every table-three row any format has."""
    rows: dict[str, Label] = {}
    for fmt in load_formats().values():
        for row in fmt.application_rows:
            rows.setdefault(row.id, row)
    return tuple(rows.values())


def row_parts(cells: list[str]) -> tuple[list[str], str | None, list[str]]:
    """(group cells, label cell, value cells) of a table-three row."""
    first_value = next((i for i, c in enumerate(cells) if is_value(c)), len(cells))
    texts = [c for c in cells[:first_value] if c]
    values = cells[first_value:]
    label = texts[-1] if texts else None
    return texts[:-1], label, values
