"""A Markdown file's lines classified: pipe rows (cut into cells), separators, text,
headings, blank lines and page footers; grid-table rows joined; HTML tables inside
the Markdown read by the HTML adapter. Each item keeps its line in the file.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from gxaudit.formats import grammar
from gxaudit.read.html import read_html
from gxaudit.read.markdown.syntax import (
    ATX,
    BULLET,
    GRID_BORDER,
    SPACES,
    THEMATIC,
    inline,
    is_cjk_only,
    is_footer,
    is_pipe_row,
    is_separator,
    split_row,
)
from gxaudit.read.source import Origin
from gxaudit.regex import on_use

PIPE, SEP, TEXT, HEADING, BLANK, FOOTER = "pipe", "sep", "text", "heading", "blank", "footer"


@dataclass
class Item:
    line: int  # 1-based line of the Markdown file
    kind: str
    text: str = ""
    cells: list[str] = field(default_factory=list)
    origin: Origin | None = None  # a row of an HTML table inside the Markdown: its table and row
    reason: str | None = None  # why cells of the row are written unreadable (〓)


def _html_table(lines: list[str], start: int, end: int) -> list[Item]:
    """The rows of an HTML table written inside the Markdown (lines start..end, 0-based), each
    at the line of its <tr>."""
    source = read_html("\n".join(lines[start : end + 1]))
    reasons = {entry.line: entry.reason for entry in source.unplaced}
    out = []
    for index, (text, origin) in enumerate(zip(source.lines, source.origins)):
        if text.strip():
            line = start + (origin.line or 1)
            where = Origin(line=line, table=origin.table, row=origin.row)
            out.append(Item(line, TEXT, text=text, origin=where, reason=reasons.get(index)))
    return out


_QUOTES = on_use(r"^(?:\s{0,3}>\s?)+")


def _piped(lines: list[str], separators: set[int]) -> set[int]:
    """Lines of pipe tables: runs of lines with pipes that hold a separator row."""
    piped: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if is_pipe_row(line) and line.strip():
            run.append(i)
            continue
        if any(j in separators for j in run):
            piped.update(run)
        run = []
    return piped


def _text_item(number: int, line: str) -> Item:
    """A line that is no table row: a heading, a page footer, a blank or a line of text."""
    stripped = line.strip()
    if not stripped or THEMATIC.match(line):
        return Item(number, BLANK)
    if is_footer(stripped):
        return Item(number, FOOTER, text=stripped)
    heading = ATX.match(line)
    if heading:
        return Item(number, HEADING, text=SPACES.sub(" ", inline(heading.group(2))).strip())
    line = BULLET.sub("", _QUOTES.sub("", line))
    # tabs are kept: a tab-separated row among Markdown is still a row for the grammar
    text = inline(line).replace("\n", " ").rstrip(" \r\u00a0\u3000")
    return Item(number, TEXT, text=text) if text.strip() else Item(number, BLANK)


def _page_numbers_as_footers(items: list[Item]) -> None:
    """A bare page number between two pieces of a table ("| … |", "12", "## 表三（续）")."""
    solid = [i for i, item in enumerate(items) if item.kind != BLANK]
    for before, here, after in zip(solid, solid[1:], solid[2:]):
        item = items[here]
        if (
            item.kind == TEXT
            and re.fullmatch(r"\d{1,4}", item.text.strip())
            and items[before].kind in (PIPE, SEP, FOOTER)
            and items[after].kind in (PIPE, SEP, FOOTER, HEADING)
        ):
            item.kind = FOOTER


def classify(lines: list[str]) -> list[Item]:
    """The file's lines as items, in order (an HTML table inside the Markdown: one item a row)."""
    items: list[Item] = []
    separators = {i for i, line in enumerate(lines) if is_separator(line)}
    piped = _piped(lines, separators)
    closings = [j for j, line in enumerate(lines) if "</table>" in line.lower()]
    i = 0
    while i < len(lines):
        line = lines[i].replace("\f", "")
        stripped = line.strip()
        after = bisect_left(closings, i) if "<table" in line.lower() else len(closings)
        if after < len(closings):
            # an HTML table inside the Markdown (some PDF extractors write them): the HTML adapter
            items.extend(_html_table(lines, i, closings[after]))
            i = closings[after] + 1
            continue
        if GRID_BORDER.match(line):
            items.append(Item(i + 1, SEP, text="grid"))
        elif i in separators:
            items.append(Item(i + 1, SEP))
        elif is_pipe_row(line) and (
            stripped.startswith("|") or (i in piped and not stripped.startswith("#"))
        ):
            items.append(Item(i + 1, PIPE, cells=split_row(line)))
        else:
            items.append(_text_item(i + 1, line))
        i += 1
    merge_grid_rows(items)
    _page_numbers_as_footers(items)
    return items


def merge_grid_rows(items: list[Item]) -> None:
    """Grid tables (+---+ borders): the lines between two borders are one row whose
    cells wrap; join them cell by cell when every line has the same cells."""
    index = 0
    while index < len(items):
        if not (items[index].kind == SEP and items[index].text == "grid"):
            index += 1
            continue
        end = index + 1
        while end < len(items) and items[end].kind == PIPE:
            end += 1
        rows = items[index + 1 : end]
        if (
            len(rows) > 1
            and end < len(items)
            and items[end].kind == SEP
            and items[end].text == "grid"
            and len({len(r.cells) for r in rows}) == 1
        ):
            joined = ["\n".join(p for p in parts if p) for parts in zip(*(r.cells for r in rows))]
            rows[0].cells = [
                SPACES.sub("", c) if is_cjk_only(c) else SPACES.sub(" ", c).strip() for c in joined
            ]
            for row in rows[1:]:
                row.kind, row.cells = BLANK, []
        index = end


def is_value(text: str) -> bool:
    return bool(text) and grammar.is_value_text(text)


def text_row(text: str) -> list[str] | None:
    """ "行政许可 97" or "0 0 1": a table row written as text, split into cells."""
    if "\t" in text:
        return text.split("\t")  # already a tab-separated row
    tokens = text.split()
    if not tokens:
        return None
    k = len(tokens)
    while k > 0 and is_value(tokens[k - 1]):
        k -= 1
    if k == len(tokens):
        return None
    if k == 0:
        return tokens
    # the label is the text before the first value, as written
    position = 0
    for token in tokens[:k]:
        position = text.index(token, position) + len(token)
    label = text[:position].strip()
    if not re.search(r"[\u4e00-\u9fff]", label):
        return None
    return [label, *tokens[k:]]
