"""Repairs of an extraction's table region made before the table is read, each only where the
file leaves one reading:

* a header repeated inside a table (a page break): a pipe row equal to a row of
  the table's own header, after its data has begun, is dropped;
* a row label split over two rows ("1.本机关不掌握相关" / "政府信息"): joined
  when the two halves together name a row of the format and the tail alone
  names none; the numbers stay with whichever half carried them;
* a value moved out of its row ("13（其中修订 5 件）" as a line of its own,
  right under the row): put back when the row above has exactly one blank
  value cell; when it has several, those cells are unreadable (the value is
  printed, its column is not known).

Items are changed in place: a dropped row becomes blank, a loose value a blank
line with a note saying where it went.
"""

from __future__ import annotations

import functools

from gxaudit.formats import grammar
from gxaudit.formats.load import Label, load_formats
from gxaudit.formats.text import match_key, squeeze
from gxaudit.read.columns import column_name
from gxaudit.read.markdown.items import BLANK, PIPE, SEP, TEXT, Item, is_value
from gxaudit.read.markdown.regions import LABEL_START, LOOSE_VALUE, Context, row_parts
from gxaudit.read.source import UNREADABLE_MARK


@functools.cache
def _row_labels() -> tuple[Label, ...]:
    """Every row label of tables two and three, in every format."""
    labels: dict[tuple[str, str], Label] = {}
    for fmt in load_formats().values():
        for label in [r for b in fmt.blocks for r in b.rows] + list(fmt.application_rows):
            labels.setdefault((label.id, label.label), label)
    return tuple(labels.values())


def _names_row(text: str) -> bool:
    return bool(text) and grammar.match_label(text, _row_labels(), cutoff=0.9) is not None


@functools.cache
def _exact_labels() -> frozenset[str]:
    return frozenset(match_key(t) for label in _row_labels() for t in label.texts)


def _is_exact_row(text: str) -> bool:
    """The text is a row label of the format word for word (enumerator, spaces and width aside)."""
    return match_key(grammar.strip_enumerator(text)) in _exact_labels()


def _pipe_rows(items: list[Item]) -> list[Item]:
    return [item for item in items if item.kind == PIPE]


# ------------------------------------------------------------------ repeated headers


def drop_repeated_headers(items: list[Item], ctx: Context) -> None:
    """Rows of the header printed again after the data has begun (a new page) are dropped."""
    header: set[tuple[str, ...]] = set()
    data_seen = False
    for item in _pipe_rows(items):
        key = tuple(squeeze(c) for c in item.cells)
        has_value = any(is_value(c) for c in item.cells)
        if not data_seen:
            if has_value:
                data_seen = True
            elif any(key):
                header.add(key)
            continue
        if not has_value and key in header:
            ctx.note(item.line, "重复的表头（换页后再次印出）已删除")
            item.kind, item.cells = BLANK, []


# ------------------------------------------------------------------ split labels


def _label_index(cells: list[str]) -> int | None:
    """Index of a row's label cell: the last text before the first value."""
    _groups, label, _values = row_parts(cells)
    if label is None:
        return None
    first_value = next((i for i, c in enumerate(cells) if is_value(c)), len(cells))
    return max(i for i in range(first_value) if cells[i] == label)


def _blank_values(cells: list[str], at: int) -> bool:
    return all(not c for c in cells[at + 1 :])


def _is_tail(text: str) -> bool:
    """The rest of a label cut over two rows: no enumerator, names no row, is no column or group."""
    return bool(
        text
        and not LABEL_START.match(text)
        and not _names_row(text)
        and not grammar.is_application_group(text)
        and not grammar.block_heading_item(text)
        and column_name(text) is None
    )


def join_split_labels(items: list[Item], ctx: Context) -> None:
    """A label cut over two pipe rows joined, when the halves together name a row."""
    rows = _pipe_rows(items)
    for upper, lower in zip(rows, rows[1:]):
        if upper.kind != PIPE or lower.kind != PIPE or len(upper.cells) != len(lower.cells):
            continue
        at_upper, at_lower = _label_index(upper.cells), _label_index(lower.cells)
        if at_upper is None or at_lower is None or at_upper != at_lower:
            continue
        head, tail = upper.cells[at_upper], lower.cells[at_lower]
        if (
            not _is_tail(tail)
            or _is_exact_row(head)
            or not _is_exact_row(head + tail)
            or any(lower.cells[:at_lower])
        ):
            continue
        if _blank_values(upper.cells, at_upper):  # numbers on the second row
            lower.cells = upper.cells[:at_upper] + [head + tail] + lower.cells[at_lower + 1 :]
            upper.kind, upper.cells = BLANK, []
        elif _blank_values(lower.cells, at_lower):  # numbers on the first row
            upper.cells = upper.cells[:at_upper] + [head + tail] + upper.cells[at_upper + 1 :]
            lower.kind, lower.cells = BLANK, []
        else:
            continue
        ctx.note(lower.line, f"表格：行标签“{head}”与下一行的“{tail}”是同一标签，已合并")


# ------------------------------------------------------------------ loose values


def _width(items: list[Item], index: int) -> int | None:
    """How many value columns the table above `index` has: its nearest header row's column names."""
    for item in reversed(items[:index]):
        if item.kind != PIPE:
            continue
        names = [c for c in item.cells if c and column_name(c)]
        if names and not any(is_value(c) for c in item.cells):
            return len(names)
        if any(grammar.block_heading_item(c) for c in item.cells if c):
            return None
    return None


def put_back_loose_values(items: list[Item], ctx: Context) -> list[int]:
    """A value on a line of its own right under a row put back into that row's one blank cell.

    Returns the lines of the rows whose blank cells were marked unreadable instead (several
    blank cells: the value's column is not known)."""
    marked: list[int] = []
    for index, item in enumerate(items):
        match = LOOSE_VALUE.match(item.text) if item.kind == TEXT else None
        if match is None or index == 0:
            continue
        row = next((i for i in reversed(items[:index]) if i.kind not in (SEP,)), None)
        if row is None or row.kind != PIPE:
            continue
        at = _label_index(row.cells)
        width = _width(items, index)
        if at is None or width is None or not _names_row(row.cells[at]):
            continue
        values = row.cells[at + 1 : at + 1 + width]
        blanks = [at + 1 + k for k, c in enumerate(values) if not c]
        if len(values) < width or not blanks:
            continue
        if len(blanks) == 1:
            row.cells[blanks[0]] = match.group("value")
            ctx.note(item.line, f"表格下方的孤立数值“{item.text.strip()}”放回“{row.cells[at]}”一行唯一的空格")
        else:
            for position in blanks:
                row.cells[position] = UNREADABLE_MARK
            ctx.leave_out(
                item.line, f"孤立数值“{item.text.strip()}”属于“{row.cells[at]}”一行，但该行有多个空格"
            )
            marked.append(row.line)
        item.kind, item.text = BLANK, ""
    return marked
