"""Placing a grid table's values in the format's columns, by position and by count.

A web page or Word table is read from its grid (read/grid.py). Pages exported
from Word often disagree with themselves: a value cell spans two header
columns, a header spans two value cells, a row has one cell fewer than its
neighbours, a label is one grid column narrower in one row. Read as plain
rows, such a table shifts numbers into the wrong columns. Here each data row
is laid against the header above it:

* the header's columns are its lowest cells naming a column of the formats
  (自然人, 本年制发件数, 结果维持 …), each with its grid range. The header is
  trusted when those names are, in order, the columns of a table of the
  format; the format's column count is the row's width either way;
* by position (trusted header): when every value cell lies under exactly one
  column and every column has exactly one cell, the row reads as printed;
* by count: otherwise, when the row has as many value cells as the format has
  columns (or as many printed values), they are read in order;
* otherwise (trusted header) the columns that cannot be decided are unreadable,
  with the reason; nothing is guessed. An untrusted header's row that fits no
  count is left as it is, for the parser.

A table whose header names no known columns is left as it is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from gxaudit.formats import grammar
from gxaudit.formats.load import load_formats
from gxaudit.formats.text import match_key
from gxaudit.read.grid import GridCell, expanded_texts
from gxaudit.read.source import UNREADABLE_MARK

Line = list[GridCell | None]


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
    name: str


@dataclass
class _Header:
    columns: list[_Column]
    width: int  # the format's column count for these columns
    # the columns are a table's columns of the format, in its order or in another (科研机构
    # before 商业企业: the rows keep the printed order, under the header's printed names,
    # and the parser reads each figure into the column its header names)
    trusted: bool
    # the grid ranges of header cells naming a subtotal (小计), a column the formats have not:
    # the cells under them are no cells of theirs
    extra: tuple[tuple[int, int], ...] = ()

    @property
    def start(self) -> int:
        return self.columns[0].left

    def outside_extra(self, values: list[GridCell]) -> list[GridCell]:
        """The row's value cells without those standing under an extra column alone."""
        if not self.extra:
            return values
        return [
            v for v in values if not any(left <= v.left and v.right <= right for left, right in self.extra)
        ]


# ------------------------------------------------------------------ the format's names


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


@functools.lru_cache(maxsize=1)
def _column_sequences() -> tuple[tuple[str, ...], ...]:
    """Every table's columns, in order, as the formats name them (table four: one block and all)."""
    sequences: set[tuple[str, ...]] = set()
    for fmt in load_formats().values():
        sequences.update(tuple(c.label for c in block.columns) for block in fmt.blocks)
        sequences.add(tuple(c.label for c in fmt.application_columns))
        review = tuple(c.label for c in fmt.review_columns)
        sequences.update((review, review * len(fmt.review_blocks)))
    return tuple(sorted(sequences, key=len))


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


def _text_of(cell: GridCell | None) -> str:
    return cell.text if cell is not None else ""


@functools.lru_cache(maxsize=1)
def _row_labels() -> tuple:
    labels: dict[tuple[str, str], Any] = {}
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


# ------------------------------------------------------------------ rows and headers


def _distinct(line: Line) -> list[GridCell]:
    out: list[GridCell] = []
    for cell in line:
        if cell is not None and (not out or out[-1] is not cell):
            out.append(cell)
    return out


def _split_row(cells: list[GridCell], header: _Header | None) -> tuple[list[GridCell], list[GridCell]]:
    """(label cells, value cells). Labels are the printed words at the start of the row; with a
    header, a word under its columns is a value (增 under 本年增/减) unless it names a row."""
    last_label = -1
    for index, cell in enumerate(cells):
        if not cell.text or _is_value(cell.text):
            continue
        if (
            header is not None
            and cell.left >= header.start
            and last_label >= 0
            and not is_row_label(cell.text)
        ):
            break
        last_label = index
    return cells[: last_label + 1], cells[last_label + 1 :]


def _header(rows: list[Line]) -> _Header | None:
    """The columns of a run of header rows: its lowest column-naming cells, left to right.

    A naming cell over lower naming cells that lie within its span (法人或其他组织
    over 商业企业 …) is a group, not a column. A column whose cell runs on under
    the next column's header ends where that column begins."""
    named: list[tuple[GridCell, str]] = []
    extra: list[tuple[int, int]] = []
    for line in rows:
        for cell in _distinct(line):
            name = column_name(cell.text) if cell.text else None
            if name is not None and all(cell is not c for c, _ in named):
                named.append((cell, name))
            elif name is None and cell.text and match_key(cell.text) in grammar.SUBTOTAL_COLUMNS:
                extra.append((cell.left, cell.right))
    leaves = [
        (cell, name)
        for cell, name in named
        if not any(
            other.top > cell.top and other.left >= cell.left and other.right <= cell.right
            for other, _ in named
        )
    ]
    if not leaves:
        return None
    leaves.sort(key=lambda item: (item[0].left, item[0].right))
    columns = [_Column(c.left, c.right, name) for c, name in leaves]
    for column, following in zip(columns, columns[1:]):
        if column.right >= following.left:
            column.right = following.left - 1
    names = tuple(c.name for c in columns)
    sequences = _column_sequences()
    extras = tuple(dict.fromkeys(extra))
    if (names in sequences or _reordered(names, sequences)) and all(c.right >= c.left for c in columns):
        return _Header(columns, len(names), True, extras)
    # not a table's columns as printed: only the format's count can be used
    widths = {len(s) for s in sequences if set(names) <= set(s)}
    if len(widths) > 1:
        widths &= {_whole_review_width(rows, names)}
    if len(widths) != 1 or any(c.right < c.left for c in columns):
        return None
    return _Header(columns, widths.pop(), False)


def _reordered(names: tuple[str, ...], sequences) -> bool:
    """The header prints every column of a table of the format once, in another order."""
    return len(set(names)) == len(names) and any(
        len(sequence) == len(names) and set(sequence) == set(names) for sequence in sequences
    )


@functools.lru_cache(maxsize=1)
def _review_parts() -> tuple[frozenset[str], tuple[frozenset[str], ...], int]:
    """Table four's column names, the words naming each of its blocks (行政复议; 行政诉讼 or
    未经复议直接起诉 …), and its whole width."""
    fmt = next(iter(load_formats().values()))
    columns = frozenset(c.label for c in fmt.review_columns)
    blocks = tuple(frozenset(b.label.split()) for b in fmt.review_blocks)
    return columns, blocks, len(fmt.review_columns) * len(fmt.review_blocks)


def _whole_review_width(rows: list[Line], names: tuple[str, ...]) -> int:
    """Table four's whole width when its header rows name every block of it ("行政复议 | 行政诉讼")
    and its columns are table four's, repeated as the page prints them (a web page whose
    colspans were stripped prints 结果维持 … 总计 twice or three times); 0 otherwise."""
    columns, blocks, width = _review_parts()
    if not set(names) <= columns:
        return 0
    texts = {match_key(c.text) for line in rows for c in _distinct(line) if c.text}
    if all(any(match_key(word) in texts for word in block) for block in blocks):
        return width
    return 0


def _is_data_row(line: Line, r: int, header: _Header | None) -> bool:
    """A row with a printed value, or a row label over value cells (blank, or words such as 增)."""
    labels, values = _split_row(_distinct(line), header)
    own = [c for c in values if c.top == r]
    if any(c.text and _is_value(c.text) for c in own):
        return True
    if header is None or not labels or not own:
        return False
    # its label names a row of the format, left of the columns
    return all(c.right < header.start for c in labels) and any(is_row_label(c.text) for c in labels if c.text)


# ------------------------------------------------------------------ placing a row


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


def _by_count(values: list[GridCell], r: int, header: _Header) -> dict[int, GridCell | None] | None:
    """As many value cells (or printed values) as the format has columns: in order. Blank
    cells count only under the header's columns (not in the label area, not past the end)."""
    if any(c.text for c in values if c.top != r):
        return None  # a value merged down from the row above
    first, last = header.columns[0].left, header.columns[-1].right
    own = [c for c in values if c.top == r and (c.text or (c.left >= first and c.right <= last))]
    printed = [c for c in own if c.text]
    for candidates in (own, printed):
        if len(candidates) == header.width:
            return dict(enumerate(candidates))
    if not printed:
        return dict.fromkeys(range(header.width))  # nothing printed: blank wherever it stands
    return None


def _placed(
    values: list[GridCell], r: int, header: _Header
) -> tuple[dict[int, GridCell | None] | None, list[str]]:
    """The cell read in each column (None: blank) and the problems; a column left out of the
    dict is unreadable. None: no placement (an untrusted header's row, left as it is)."""
    columns, width = header.columns, header.width
    values = header.outside_extra(values)
    if header.trusted:
        chosen, problems, shifted = _by_position(values, r, columns)
        if not problems and not shifted:
            return {k: chosen[k] if chosen[k].top == r else None for k in range(width)}, []
    counted = _by_count(values, r, header)
    if counted is not None:
        return counted, []
    if not header.trusted:
        return None, []
    if shifted:
        own = [c for c in values if c.top == r]
        problems.append(
            f"该行有 {len(own)} 个数值单元格（{sum(1 for c in own if c.text)} 个有内容），"
            f"表头有 {width} 列，无法确定各数值属于哪一列"
        )
        return {}, problems
    # only spans and shared columns: the other columns are read as printed
    return {k: chosen[k] for k in range(width) if _certain(k, values, r, columns)}, problems


def place_row(line: Line, r: int, header: _Header) -> tuple[list[str], Unplaced | None]:
    """The row as tab cells (labels, then one cell per column), and what could not be placed."""
    labels, values = _split_row(_distinct(line), header)
    texts = expanded_texts(line, r)
    in_label = _figure_in_label(labels, r, header)
    if in_label is not None and not _a_mark(in_label[1], values, r, header.width):
        return _with_figure_in_label(texts, labels, values, r, header, *in_label)
    placed, problems = _placed(values, r, header)
    if placed is None:
        return texts, None
    for k, cell in list(placed.items()):
        if cell is not None and cell.several:  # "26<br>5": two numbers in one cell
            problems.append(f"“{cell.text}”是一个单元格里分行写的几个数")
            del placed[k]
    width = header.width if placed else _unreadable_width(values, r, header)
    out = [UNREADABLE_MARK if k not in placed else _text_of(placed[k]) for k in range(width)]
    head = texts[: max((c.right for c in labels), default=-1) + 1]
    if not problems:
        return head + out, None
    unreadable = [k for k in range(width) if k not in placed]
    raw = " | ".join(c.text or "（空）" for c in values)
    return head + out, Unplaced(r, unreadable, "；".join(dict.fromkeys(problems)), raw)


def _unreadable_width(values: list[GridCell], r: int, header: _Header) -> int:
    """How many cells a row none of whose cells could be placed stands for: the header's count,
    or a wider table's of the format whose columns include the header's when the row has as
    many printed values (fifteen figures under table four's five column names: the whole
    table four is unreadable, not its first block read and the others missing)."""
    printed = sum(1 for c in values if c.top == r and c.text)
    names = {c.name for c in header.columns}
    wider = {len(s) for s in _column_sequences() if names <= set(s) and len(s) > header.width}
    return printed if printed in wider else header.width


def _figure_in_label(labels: list[GridCell], r: int, header: _Header) -> tuple[str, str] | None:
    """(label, figures) when the row's last label cell, left of the columns, ends with figures
    ("（一）予以公开 26": the first value written in the label's cell) and still names a row."""
    if not labels or labels[-1].top != r or labels[-1].right >= header.start:
        return None
    found = grammar.figures_after_label(labels[-1].text)
    if found is None or not is_row_label(found[0]):
        return None
    return found[0], found[1]


def _a_mark(figures: str, values: list[GridCell], r: int, width: int) -> bool:
    """One digit after the label of a row whose every cell is printed besides: a mark (a
    footnote's number, "（一）予以公开 1"), not a cell; the row reads as printed."""
    return len(figures.split()) == 1 and sum(1 for c in values if c.top == r and c.text) == width


def _with_figure_in_label(
    texts: list[str],
    labels: list[GridCell],
    values: list[GridCell],
    r: int,
    header: _Header,
    label: str,
    figures: str,
) -> tuple[list[str], Unplaced | None]:
    """The row whose first value is written in its label's cell: that value, then the row's
    own cells in order, when one figure and the cells make the format's count; otherwise
    every column is unreadable (which cell is which column cannot be told)."""
    head = texts[: labels[-1].right + 1]
    head[labels[-1].left] = label
    width = header.width
    first, last = header.columns[0].left, header.columns[-1].right
    own = [c for c in values if c.top == r and (c.text or (c.left >= first and c.right <= last))]
    printed = [c for c in own if c.text]
    cells = own if len(own) + 1 == width else printed
    if (
        len(figures.split()) == 1
        and len(cells) + 1 == width
        and not any(c.text for c in values if c.top != r)
    ):
        return head + [figures] + [c.text for c in cells], None
    raw = " | ".join([figures] + [c.text or "（空）" for c in own])
    reason = (
        f"行标签单元格“{labels[-1].text}”里带有数字，该行另有 {len(own)} 个数值单元格，"
        f"表头有 {width} 列，无法确定各数值属于哪一列"
    )
    return head + [UNREADABLE_MARK] * width, Unplaced(r, list(range(width)), reason, raw)


@dataclass
class Memory:
    """What the tables read so far in a document say about the next: the columns of the last
    header that had data rows (a table continued in a new <table> repeats its header)."""

    names: tuple[str, ...] | None = None


def lay_out(grid: list[Line], memory: Memory | None = None) -> tuple[list[list[str]], list[Unplaced]]:
    """Every grid row as tab cells, data rows placed against their header; and the unplaced cells.

    A header repeated over the continuation of a table (the same columns as the last header
    with data, no 第二十条 block heading between) is left out: its words are not rows."""
    memory = memory if memory is not None else Memory()
    out: list[list[str]] = []
    unplaced: list[Unplaced] = []
    header: _Header | None = None
    header_rows: list[int] = []
    for r, line in enumerate(grid):
        texts = expanded_texts(line, r)
        joined = "".join(texts)
        if joined and grammar.block_heading_item(joined):
            header, header_rows = None, []  # a new 第二十条 block: its own header follows
            memory.names = None
            out.append(texts)
            continue
        if not _is_data_row(line, r, header):
            header_rows.append(r)
            found = _header([grid[i] for i in header_rows])
            # a row label that reads like a column ("3.其他") stays left of the columns: not a header
            if found is not None and (header is None or found.columns[-1].right >= header.start):
                header = found
            out.append(texts)
            continue
        if header is not None and header_rows:
            names = tuple(c.name for c in header.columns)
            if names == memory.names and len(names) > 1:
                for i in header_rows:  # the header again, over the table's continuation
                    out[i] = []
            memory.names = names
        header_rows = []
        placed, missing = place_row(line, r, header) if header is not None else (texts, None)
        if placed is texts and missing is None:  # left as laid out: grid positions still hold
            missing = _merged_down(line, r, texts)
        out.append(placed)
        if missing is not None:
            unplaced.append(missing)
    return out, unplaced


def _merged_down(line: Line, r: int, texts: list[str]) -> Unplaced | None:
    """A row left as laid out (no header to place it by) whose cell is a value merged down from
    the row above: printed once for two rows, it is unreadable in this one, never blank."""
    reasons = []
    for i, cell in enumerate(line):
        if cell is None or cell.top == r or not cell.text or not _is_value(cell.text) or texts[i]:
            continue
        if i > 0 and line[i - 1] is cell:
            continue  # the first position of the span only
        texts[i] = UNREADABLE_MARK
        reasons.append(f"“{cell.text}”与上一行合并，跨越两行")
    if not reasons:
        return None
    return Unplaced(r, [], "；".join(dict.fromkeys(reasons)), " | ".join(t for t in texts if t))
