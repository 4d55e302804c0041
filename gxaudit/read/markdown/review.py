"""Table four whose header pieces are scattered over text lines: laid out as the format's header.

When the pieces hold exactly the characters of the official header (nothing
more, nothing less), they are written as the official three header rows, then
the row of numbers; otherwise the region is left as it is.
"""

from __future__ import annotations

from collections import Counter

from gxaudit.formats.load import load_formats
from gxaudit.formats.text import match_key
from gxaudit.read.markdown.items import PIPE, TEXT, Item, is_value, text_row
from gxaudit.read.markdown.regions import Context, captions, emit
from gxaudit.read.source import SourceLine


def review_header() -> list[list[str]]:
    """The official header of table four, as three rows of 15 cells."""
    fmt = list(load_formats().values())[-1]
    columns = [c.label for c in fmt.review_columns]
    n = len(columns)
    parts = [b.label.split() for b in fmt.review_blocks]  # ["行政复议"], ["行政诉讼", "未经复议直接起诉"], …
    top, middle, bottom = [], [], []
    for words in parts:
        if len(words) == 1:
            top += [words[0]] + [""] * (n - 1)
            middle += columns
            bottom += [""] * n
        else:
            top += ([words[0]] if words[0] not in top else [""]) + [""] * (n - 1)
            middle += [words[1]] + [""] * (n - 1)
            bottom += columns
    return [top, middle, bottom]


def repair_review(items: list[Item], ctx: Context) -> list[SourceLine] | None:
    """The region as the official header and its row of numbers; None when it needs no repair."""
    opener = match_key(list(load_formats().values())[-1].review_blocks[0].label)
    pieces: list[str] = []
    values: list[str] = []
    values_line = items[0].line
    for item in items:
        if item.kind == PIPE:
            cells = item.cells
        elif item.kind == TEXT:
            cells = text_row(item.text) or [item.text]
        else:
            cells = []
        if any(match_key(c) == opener for c in cells):
            return None  # the parser finds this table as it is
        if cells and all(is_value(c) or not c for c in cells) and any(cells):
            if not values:
                values_line = item.line
            values.extend(cells)
        elif not values:
            pieces.extend(c for c in cells if c)
        elif cells:
            return None  # text after the data: not a table we understand
    header = review_header()
    if not values or not pieces:
        return None
    if Counter(match_key("".join(pieces))) != Counter(match_key("".join(c for r in header for c in r))):
        ctx.note(items[0].line, "表四：表头碎片与格式表头的文字不一致，未重排")
        return None
    ctx.note(items[0].line, "表四：表头碎片按格式表头重排（文字完全一致）")
    first = items[0].line
    return (
        captions(items)
        + [emit("\t".join(row), first) for row in header]
        + [emit("\t".join(values), values_line)]
    )
