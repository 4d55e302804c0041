"""Cells an adapter saw printed but could not place in a column: unreadable, with the reason.

The web-page and Word adapters place a table row's values by the header's
columns (read/columns.py); where two placements remain possible they write the
row with those cells empty and say so (`read.source.Unplaced`). Here, after
parsing, those cells are marked unreadable (an empty cell that was not blank in
the report) and the row gets one reading that says why, so that no rule reads
the empty cell as blank and the supervisor is told what to check.
"""

from __future__ import annotations

from gxaudit.parse import ast
from gxaudit.read.source import UNREADABLE_MARK, Unplaced

UNPLACED = "unplaced"


def _cells_by_line(report: ast.Report) -> dict[int, list[tuple[str, str | None, str, ast.Cell]]]:
    """Per parsed line, its cells written as the unreadable mark: (table, block, row, cell)."""
    found: dict[int, list[tuple[str, str | None, str, ast.Cell]]] = {}
    tables = report.tables
    every: list[tuple[str, str | None, str, ast.Cell]] = [
        ("proactive", block.id, row.id, cell)
        for block in tables.proactive.values()
        for row in block.rows.values()
        for cell in row.cells.values()
    ]
    every += [
        ("applications", None, row.id, c) for row in tables.applications.values() for c in row.cells.values()
    ]
    every += [
        ("review_litigation", None, block_id, c)
        for block_id, row in tables.review_litigation.items()
        for c in row.cells.values()
    ]
    for table, block, row, cell in every:
        if cell.raw == UNREADABLE_MARK:
            found.setdefault(cell.line, []).append((table, block, row, cell))
    return found


def mark_unplaced(report: ast.Report, unplaced: list[Unplaced]) -> None:
    """The cells written as the unreadable mark become unreadable empty cells; a reading per row."""
    if not unplaced:
        return
    by_line = _cells_by_line(report)
    for entry in unplaced:
        line = entry.line + 1
        marked = by_line.get(line, [])
        for _table, _block, _row, cell in marked:
            cell.raw, cell.kind, cell.value, cell.unit, cell.unreadable = "", ast.EMPTY, None, None, True
        if not marked:
            report.diagnostics.append(ast.Diagnostic(line, f"无法可靠读出该行的单元格：{entry.reason}"))
            continue
        rows = dict.fromkeys((table, block, row) for table, block, row, _cell in marked)
        for table, block, row in rows:
            report.readings.append(
                ast.Reading(
                    table=table,
                    block=block,
                    row=row,
                    status=UNPLACED,
                    reason=entry.reason,
                    raw=entry.raw,
                    line=line,
                )
            )
    report.diagnostics.sort(key=lambda d: d.line)
