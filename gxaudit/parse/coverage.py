"""What of the template a report was read for: read, absent or unreadable.

Every cell the report's format expects (table two's blocks × rows × columns,
table three's rows × seven columns, table four's three blocks × five) is
one of:

* read — printed and placed (possibly by inference: `Cell.inferred`);
* unreadable — something is, or may be, printed there and the reader could not
  place it: a cell marked `unreadable`, or a row or table a reading (`Reading`
  with a status other than inferred) says could not be read;
* absent — the reader saw the whole text and the cell is not in it.

A row not read whose name is printed in its table's part, on a line that goes on
with figures and that no row was read from ("(七) 总计 119 3 1 0 2 4 129" in a
layout the scanner cannot cut), is unreadable, never absent: the report is not
charged with a missing row for our misreading (`_printed_rows`).

Rules about missing rows and cells fire only on absent; an unreadable row is
one reading finding. Computed once per report, after parsing: a few hundred
dictionary look-ups, no object per cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gxaudit.formats import grammar
from gxaudit.formats.load import Format
from gxaudit.formats.model import per_format
from gxaudit.formats.text import match_key
from gxaudit.parse import ast
from gxaudit.regex import on_use

READ_STATUSES = ("inferred", "least_broken")
# a reading made for unreadable cells that no reader explained
UNREADABLE = "unreadable"


@dataclass
class Gap:
    """Cells of one row (table four: one block) that are not read."""

    table: str
    block: str | None
    row: str
    columns: list[str]
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "table": self.table,
            "block": self.block,
            "row": self.row,
            "columns": self.columns,
        }
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class Coverage:
    expected: int = 0
    read: int = 0
    unreadable: list[Gap] = field(default_factory=list)
    absent: list[Gap] = field(default_factory=list)
    # (table, block, row) of every row with an unreadable cell, for the presence rules
    unreadable_rows: set[tuple[str, str | None, str]] = field(default_factory=set)

    @property
    def share(self) -> float:
        return self.read / self.expected if self.expected else 1.0

    def is_unreadable(self, table: str, block: str | None, row: str) -> bool:
        return (table, block, row) in self.unreadable_rows or (table, block, "") in self.unreadable_rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "expected": self.expected,
            "unreadable": [g.to_dict() for g in self.unreadable],
            "absent": [g.to_dict() for g in self.absent],
        }


@per_format
def _expected(fmt: Format) -> list[tuple[str, str | None, str, list[str]]]:
    """(table, block, row, columns) of every template row; table four's rows are its blocks
    (made once per format)."""
    rows: list[tuple[str, str | None, str, list[str]]] = []
    for block in fmt.blocks:
        columns = [c.id for c in block.columns]
        rows += [("proactive", block.id, r.id, columns) for r in block.rows]
    columns = [c.id for c in fmt.application_columns]
    rows += [("applications", None, r.id, columns) for r in fmt.application_rows]
    columns = [c.id for c in fmt.review_columns]
    rows += [("review_litigation", None, b.id, columns) for b in fmt.review_blocks]
    return rows


def _row(report: ast.Report, table: str, block: str | None, row: str) -> ast.Row | None:
    t = report.tables
    if table == "proactive":
        found = t.proactive.get(block or "")
        return found.rows.get(row) if found else None
    return (t.applications if table == "applications" else t.review_litigation).get(row)


def measure(report: ast.Report, fmt: Format | None) -> Coverage:
    """The coverage of the report's template; readings added for unexplained unreadable cells."""
    coverage = Coverage()
    if fmt is None:
        return coverage
    reasons: dict[tuple[str, str | None, str], str] = {}
    for reading in report.readings:
        if reading.status not in READ_STATUSES:
            # table four's readings name the block as the row
            key = (reading.table, reading.block if reading.table == "proactive" else None, reading.row or "")
            if reading.table == "review_litigation":
                key = (reading.table, None, reading.block or reading.row or "")
            reasons.setdefault(key, reading.reason)
    printed = _printed_rows(report, fmt)
    for key, (line, raw) in printed.items():
        if key in reasons:
            continue
        table, block, row_id = key
        if table == REVIEW:  # table four: one reading per block, as its readers make them
            for spec in fmt.review_blocks:
                reasons.setdefault((REVIEW, None, spec.id), PRINTED_FIGURES_NOT_READ)
                report.readings.append(
                    ast.Reading(REVIEW, spec.id, "", UNREADABLE, PRINTED_FIGURES_NOT_READ, raw, line)
                )
            continue
        reasons[key] = PRINTED_NOT_READ
        report.readings.append(ast.Reading(table, block, row_id, UNREADABLE, reasons[key], raw, line))
    coverage.unreadable_rows = set(reasons)
    expected = read = 0
    for table, block, row_id, columns in _expected(fmt):
        expected += len(columns)
        row = _row(report, table, block, row_id)
        cells = row.cells if row is not None else {}
        key = (table, block, row_id)
        whole = bool(reasons) and (
            key in reasons or (table, block, "") in reasons or (table, None, "") in reasons
        )
        unread, absent = [], []
        for column in columns:
            cell = cells.get(column)
            if cell is not None and not cell.unreadable:
                read += 1
            elif cell is not None or whole:
                unread.append(column)
            else:
                absent.append(column)
        if unread:
            reason = reasons.get(key) or reasons.get((table, block, "")) or reasons.get((table, None, ""), "")
            coverage.unreadable.append(Gap(table, block, row_id, unread, reason))
            if not reason:
                _explain(report, fmt, table, block, row_id, row)
            coverage.unreadable_rows.add(key)
        if absent:
            coverage.absent.append(Gap(table, block, row_id, absent))
    coverage.expected, coverage.read = expected, read
    return coverage


PRINTED_NOT_READ = "该行的名称和数字印在报告中，但其单元格无法按模板的列读出"
PRINTED_FIGURES_NOT_READ = "表四的数字印在报告中，但无法按模板的列读出"
# a row's name, then two figures or more set apart by white space, to the line's end (a
# sentence wrapped after a number, "行政强制决定0", is no row)
_NAME_AND_FIGURES = on_use(
    r"^(?P<name>.*?\D)[\s\u00a0\u3000]+(?P<figures>[-+]?\d[\d,.]*(?:[\s\u00a0\u3000]+[-+]?\d[\d,.]*)+)[\s\u00a0\u3000]*$"
)


def _printed_rows(report: ast.Report, fmt: Format) -> dict[tuple[str, str | None, str], tuple[int, str]]:
    """(table, block, row) -> (line, text) of every template row of tables two and three
    that was not read but whose name is printed in its table's part, followed by figures,
    on a line no row was read from. Empty for a report whose rows were all read (most)."""
    t = report.tables
    found: dict[tuple[str, str | None, str], tuple[int, str]] = {}
    if not t.review_litigation:
        # from where table four opened, or from its part's heading when it never opened (a
        # header we did not recognise): figures printed there are its, unread, never absent
        part = report.section(REVIEW)
        start = t.lines.get(REVIEW) or (part.line if part is not None else None)
        figures = _figures_in_part(report, start) if start is not None else None
        if figures is not None:
            found[(REVIEW, None, "")] = figures  # table four: printed figures, none read
    applications, blocks = _row_ids(fmt)
    if applications <= t.applications.keys() and all(
        block in t.proactive and rows <= t.proactive[block].rows.keys() for block, rows in blocks.items()
    ):
        return found  # every row of tables two and three read (most reports): set tests, in C
    missing = [
        (table, block, row)
        for table, block, row in _rows_with_labels(fmt)
        if _row(report, table, block, row.id) is None and table in t.lines
    ]
    if not missing:
        return found
    read_lines = {r.line for r in t.applications.values()}
    read_lines.update(r.line for b in t.proactive.values() for r in b.rows.values())
    for table, block, row in missing:
        start = t.lines[table]
        end = report.part_end(start)
        keys = [k for k in (*(match_key(x) for x in row.texts), *row.keys) if len(k) >= 2]
        for number in range(start, min(end, len(report.lines) + 1)):
            if number in read_lines:
                continue
            shape = _NAME_AND_FIGURES.match(report.lines[number - 1])
            if shape is None:
                continue
            name = match_key(shape.group("name"))
            if any(k in name for k in keys):
                found[(table, block if table == "proactive" else None, row.id)] = (
                    number,
                    report.lines[number - 1].strip(),
                )
                break
    return found


REVIEW = "review_litigation"
# a line of table four's figures: three numbers or more set apart by white space to the
# line's end, after at most a short name ("行政复议 0 0 0 1 1"); not a date ("2023年12月31日")
_FIGURES_LINE = on_use(
    r"[\s\u00a0\u3000]*(?:[^\d\s][^\d]{0,19}?[\s\u00a0\u3000]+)?"
    r"(?:[-+]?\d[\d,.]*[\s\u00a0\u3000]+){2,}[-+]?\d[\d,.]*[\s\u00a0\u3000]*"
)


def _figures_line(text: str) -> bool:
    return _FIGURES_LINE.fullmatch(text) is not None


# a line of one figure alone: a cell of a table printed a cell a line
_FIGURE_ALONE = on_use(r"[\s\u00a0\u3000]*[-+]?\d[\d,.]*[\s\u00a0\u3000]*")
# lines of one figure each, one after another (blank lines between them), that make a row
_FIGURES_RUN = 3


def _figures_in_part(report: ast.Report, start: int) -> tuple[int, str] | None:
    """The first line of a table's part, from `start`, of figures (three or more, at most a
    short name with them), or the first of three lines in a row of a figure each (a table
    printed a cell a line; a page's number alone is no such run)."""
    run: list[int] = []
    for number in range(start, min(report.part_end(start), len(report.lines) + 1)):
        text = report.lines[number - 1]
        if _figures_line(text):
            return number, text.strip()
        if not text.strip(" \u00a0\u3000\t"):
            continue  # the blank lines between the cells
        if _FIGURE_ALONE.fullmatch(text) is None:
            run = []
            continue
        run.append(number)
        if len(run) == _FIGURES_RUN:
            return run[0], " ".join(report.lines[n - 1].strip() for n in run)
    return None


@per_format
def _row_ids(fmt: Format) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Table three's row ids, and table two's by block, in the format (made once per format)."""
    blocks: dict[str, set[str]] = {}
    for spec in fmt.blocks:
        blocks.setdefault(spec.id, set()).update(r.id for r in spec.rows)
    return frozenset(r.id for r in fmt.application_rows), {b: frozenset(ids) for b, ids in blocks.items()}


def _column_label(fmt: Format, table: str, block: str | None, column: str) -> str:
    """The name a column of table two (in its block) or three is printed with."""
    spec = fmt.block(block) if table == "proactive" and block else None
    labels = spec.columns if spec is not None else fmt.application_columns
    return next((c.label for c in labels if c.id == column), column)


@per_format
def _rows_with_labels(fmt: Format) -> list[tuple[str, str | None, Any]]:
    """(table, block, row label) of every row of tables two and three (made once per format)."""
    rows: list[tuple[str, str | None, Any]] = [("proactive", b.id, r) for b in fmt.blocks for r in b.rows]
    rows += [("applications", None, r) for r in fmt.application_rows]
    return rows


def _unnamed(fmt: Format, table: str, row: ast.Row) -> bool:
    """A table-three row read at its place under a name that names no row of the format
    (tables.assemble_applications: a row printed under another name, not read)."""
    if table != "applications" or not row.label:
        return False
    return grammar.match_label(row.label, fmt.application_rows) is None


def _explain(
    report: ast.Report, fmt: Format, table: str, block: str | None, row_id: str, row: ast.Row | None
) -> None:
    """A reading for a row with unreadable cells that no reader explained: one finding per row."""
    raw = " ".join(c.raw for c in row.cells.values()) if row is not None else ""
    cells = row.cells.values() if row is not None else ()
    joined = next((c.raw for c in cells if c.unreadable and grammar.run_together(c.raw)), None)
    placed = row.cells if row is not None else {}
    unread = [column for column, c in placed.items() if c.unreadable]
    if joined is not None and len(unread) == 1 and len(placed) > 1:
        # the row's other cells were read where they stand (a cell printed in every column)
        reason = (
            f"“{_column_label(fmt, table, block, unread[0])}”一格写作“{joined.strip()}”，几个数以空格分开"
            "（一个数中间有空格，或两格的数连在一起），其数值无法确定；该行其他单元格照常读出"
        )
    elif joined is not None:
        reason = (
            f"单元格“{joined.strip()}”里几个数连在一起、以空格分开（分隔单元格的制表符丢失，或一个数中间有空格），"
            "无法确定各数所在的列"
        )
    elif row is not None and _unnamed(fmt, table, row):
        reason = f"该行印作“{row.label.strip()}”，这一名称无法对应到模板的行，其数字未读入"
    elif any(c.unreadable and grammar.classify_cell(c.raw).unreadable for c in cells):
        reason = f"单元格中的数超出可读范围（绝对值不超过 {grammar.MAX_FIGURE}）"
    else:
        reason = "该行有单元格内容无法可靠对应到模板的列"
    report.readings.append(
        ast.Reading(
            table=table,
            block=block if table == "proactive" else None,
            row=row_id,
            status=UNREADABLE,
            reason=reason,
            raw=raw,
            line=row.line if row is not None else report.tables.lines.get(table, 1),
        )
    )
