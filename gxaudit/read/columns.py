"""Placing a grid table's values in the format's columns, by position and by count.

A web page or Word table is read from its grid (read/grid.py). Pages exported
from Word often disagree with themselves: a value cell spans two header
columns, a header spans two value cells, a row has one cell fewer than its
neighbours, a label is one grid column narrower in one row. Read as plain
rows, such a table shifts numbers into the wrong columns. Here each data row
is laid against the header above it:

* the header's column cells (the lowest cell naming a column of the formats:
  自然人, 本年制发件数, 结果维持 …) give each column's grid range;
* by position: when every value cell of the row lies under exactly one header
  column and every header column has exactly one cell, the row reads as
  printed;
* by count: otherwise, when the row has exactly as many value cells as the
  header has columns (or as many printed values), they are read in order;
* otherwise the columns that could not be decided are unreadable, with the
  reason, and nothing is guessed.

A table whose header names no known columns is left as it is: the parser reads
its rows as before.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from gxaudit.formats import grammar
from gxaudit.formats.load import load_formats
from gxaudit.formats.text import match_key
from gxaudit.read.grid import GridCell, expanded_texts
from gxaudit.read.source import UNREADABLE_MARK


@dataclass
class Unplaced:
    """Cells of one row that could not be placed: grid row, value positions, why, what is printed."""

    row: int
    positions: list[int]
    reason: str
    raw: str


@dataclass
class _Column:
    left: int
    right: int
    key: str  # the column's label as a match key (for the reasons)
    name: str


@functools.lru_cache(maxsize=1)
def _column_keys() -> dict[str, str]:
    """Match key of every column label (and variant) of every format -> the label."""
    keys: dict[str, str] = {}
    for fmt in load_formats().values():
        labels = [c for b in fmt.blocks for c in b.columns]
        labels += list(fmt.application_columns) + list(fmt.review_columns)
        for label in labels:
            for text in label.texts:
                keys.setdefault(match_key(text), label.label)
    return keys


@functools.lru_cache(maxsize=4096)
def column_name(text: str) -> str | None:
    """The format column a header cell names, exactly (a bracketed note may follow)."""
    key = match_key(grammar.strip_enumerator(text))
    if not key:
        return None
    keys = _column_keys()
    if key in keys:
        return keys[key]
    # "本年收费金额（单位：万元）", "采购总金额(单位:万元)": a label and a note
    return next((name for k, name in keys.items() if len(k) >= 4 and key.startswith(k)), None)


@functools.lru_cache(maxsize=1)
def _row_labels() -> tuple:
    labels = {}
    for fmt in load_formats().values():
        for label in [r for b in fmt.blocks for r in b.rows] + list(fmt.application_rows):
            labels.setdefault((label.id, label.label), label)
    return tuple(labels.values())


@functools.lru_cache(maxsize=4096)
def is_row_label(text: str) -> bool:
    """A cell naming a row of table two or three (not a group label such as 不予公开)."""
    if grammar.is_application_group(text):
        return False
    return grammar.match_label(text, _row_labels()) is not None


def _is_value(text: str) -> bool:
    return grammar.is_value_text(text)


def _distinct(line: list[GridCell | None]) -> list[GridCell]:
    out: list[GridCell] = []
    for cell in line:
        if cell is not None and (not out or out[-1] is not cell):
            out.append(cell)
    return out


def _split_row(cells: list[GridCell]) -> tuple[list[GridCell], list[GridCell]]:
    """(label cells, value cells): values are what follows the last printed label."""
    last_label = -1
    for index, cell in enumerate(cells):
        if cell.text and not _is_value(cell.text):
            last_label = index
    return cells[: last_label + 1], cells[last_label + 1 :]


def _header_columns(rows: list[list[GridCell | None]]) -> list[_Column]:
    """The lowest column-naming cells of a run of header rows, left to right."""
    named: list[tuple[GridCell, str]] = []
    for line in rows:
        for cell in _distinct(line):
            name = column_name(cell.text) if cell.text else None
            if name is not None and all(cell is not c for c, _ in named):
                named.append((cell, name))
    leaves = [
        (cell, name)
        for cell, name in named
        if not any(
            other.top > cell.top and other.left <= cell.right and other.right >= cell.left
            for other, _ in named
        )
    ]
    leaves.sort(key=lambda item: item[0].left)
    columns = [_Column(c.left, c.right, match_key(name), name) for c, name in leaves]
    # overlapping leaves are not a header we can lay values against
    if any(a.right >= b.left for a, b in zip(columns, columns[1:])):
        return []
    return columns


def _is_data_row(line: list[GridCell | None], r: int, columns: list[_Column]) -> bool:
    """A row with a printed value (or a row label above blank value cells) under the header."""
    cells = _distinct(line)
    _labels, values = _split_row(cells)
    if any(c.text and c.top == r for c in values):
        return True
    if not columns or not _labels:
        return False
    # a row of the format whose value cells are all blank: its label names a row, left of the columns
    start = columns[0].left
    return (
        all(c.right < start for c in _labels)
        and any(is_row_label(c.text) for c in _labels if c.text)
        and any(c.top == r and c.left >= start and not c.text for c in values)
    )


def _overlaps(cell: GridCell, column: _Column) -> bool:
    return cell.left <= column.right and cell.right >= column.left


def _by_position(values: list[GridCell], r: int, columns: list[_Column]):
    """(cell per column, problems, shifted): the row as printed when every value lies under one
    column and every column has one cell. `shifted`: a printed value outside every column, or
    a column without any cell: the row's cells may be displaced as a whole."""
    chosen: dict[int, GridCell] = {}
    problems: list[str] = []
    shifted = False
    for cell in values:
        hits = [k for k, column in enumerate(columns) if _overlaps(cell, column)]
        if cell.top != r:  # a cell of a row above reaching down
            if cell.text and hits:
                problems.append(f"“{cell.text}”与上一行合并，跨越两行")
            for k in hits:
                chosen.setdefault(k, cell)
            continue
        if not cell.text:
            for k in hits:
                chosen.setdefault(k, cell)
            continue
        if not hits:
            problems.append(f"“{cell.text}”不在表头任何一列之下")
            shifted = True
            continue
        if len(hits) > 1:
            names = "”“".join(columns[k].name for k in hits)
            problems.append(f"“{cell.text}”跨越“{names}”{len(hits)}列")
        for k in hits:
            if k in chosen and chosen[k].text and chosen[k] is not cell:
                problems.append(f"“{chosen[k].text}”和“{cell.text}”同在“{columns[k].name}”一列之下")
            elif k not in chosen or not chosen[k].text:
                chosen[k] = cell
    if any(k not in chosen for k in range(len(columns))):
        shifted = True
    return chosen, problems, shifted


def _certain(k: int, values: list[GridCell], r: int, columns: list[_Column]) -> bool:
    """Column k is read as printed: one cell of this row lies under it, and under it alone."""
    under = [c for c in values if _overlaps(c, columns[k]) and (c.text or c.top == r)]
    if len(under) != 1 or under[0].top != r:
        return False
    cell = under[0]
    return not any(_overlaps(cell, other) for j, other in enumerate(columns) if j != k)


def _placed(
    values: list[GridCell], r: int, columns: list[_Column]
) -> tuple[dict[int, GridCell | None], list[str]]:
    """The cell read in each column (None: blank), and the problems; a column left out
    of the dict is unreadable."""
    width = len(columns)
    chosen, problems, shifted = _by_position(values, r, columns)
    if not problems and not shifted:
        return {k: chosen[k] if chosen[k].top == r else None for k in range(width)}, []
    # by count: as many value cells (or printed values) as the header has columns;
    # blank cells count only under the header's columns (not in the label area, not past the end)
    span = (columns[0].left, columns[-1].right)
    own = [c for c in values if c.top == r and (c.text or (c.left >= span[0] and c.right <= span[1]))]
    printed = [c for c in own if c.text]
    from_above = any(c.text for c in values if c.top != r)
    if not from_above:
        for candidates in (own, printed):
            if len(candidates) == width:
                return dict(enumerate(candidates)), []
        if not printed:
            return dict.fromkeys(range(width)), []  # nothing printed: blank wherever it stands
    if shifted:
        problems.append(
            f"该行有 {len(own)} 个数值单元格（{len(printed)} 个有内容），表头有 {width} 列，"
            "无法确定各数值属于哪一列"
        )
        return {}, problems
    # only spans and shared columns: the other columns are read as printed
    return {k: chosen[k] for k in range(width) if _certain(k, values, r, columns)}, problems


def place_row(
    line: list[GridCell | None], r: int, columns: list[_Column]
) -> tuple[list[str], Unplaced | None]:
    """The row as tab cells (labels, then one cell per header column), and what could not be placed."""
    labels, values = _split_row(_distinct(line))
    texts = expanded_texts(line, r)
    head = texts[: max((c.right for c in labels), default=-1) + 1]
    placed, problems = _placed(values, r, columns)
    for k, cell in list(placed.items()):
        if cell is not None and cell.several:  # "26<br>5": two numbers in one cell
            problems.append(f"“{cell.text}”是一个单元格里分行写的几个数")
            del placed[k]
    out = [
        UNREADABLE_MARK if k not in placed else (placed[k].text if placed[k] is not None else "")
        for k in range(len(columns))
    ]
    if not problems:
        return head + out, None
    unreadable = [k for k in range(len(columns)) if k not in placed]
    raw = " | ".join(c.text or "（空）" for c in values)
    return head + out, Unplaced(r, unreadable, "；".join(dict.fromkeys(problems)), raw)


def lay_out(grid: list[list[GridCell | None]]) -> tuple[list[list[str]], list[Unplaced]]:
    """Every grid row as tab cells, data rows placed against their header; and the unplaced cells."""
    out: list[list[str]] = []
    unplaced: list[Unplaced] = []
    columns: list[_Column] = []
    header: list[list[GridCell | None]] = []
    for r, line in enumerate(grid):
        texts = expanded_texts(line, r)
        joined = "".join(texts)
        if joined and grammar.block_heading_item(joined):
            columns, header = [], []  # a new 第二十条 block: its own header follows
            out.append(texts)
            continue
        if not _is_data_row(line, r, columns):
            header.append(line)
            found = _header_columns(header)
            # a row label that reads like a column ("3.其他") stays left of the columns: not a header
            if found and (not columns or found[-1].right >= columns[0].left):
                columns = found
            out.append(texts)
            continue
        header = []
        if not columns:
            out.append(texts)
            continue
        texts, missing = place_row(line, r, columns)
        out.append(texts)
        if missing is not None:
            unplaced.append(missing)
    return out, unplaced
