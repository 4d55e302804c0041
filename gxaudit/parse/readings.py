"""Carrying the flattened-text reader's inferences into the parsed AST.

The reader (read/flattened.py) rebuilds a one-line report into lines and says,
per table cell position, whether its digits were split by inference or could
not be split; the parser then places cells by line and column. Here the two
meet: cells get `inferred`/`unreadable`, and each row gets one Reading.
"""

from __future__ import annotations

from gxaudit.parse import ast
from gxaudit.read.flattened import BLANK_CELL, INFERRED, LEAST_BROKEN, Inference

# statuses of a reading whose cells were written: read, by inference
READ_STATUSES = (INFERRED, LEAST_BROKEN)


def annotate(report: ast.Report, inferences: list[Inference]) -> None:
    """Carry the inferences into a report parsed from `unflatten`'s text: cells at an
    inferred position get `inferred=True`; each row left empty (ambiguous or
    unsatisfiable) gets one diagnostic with the reason."""
    cells: dict[tuple[int, int], ast.Cell] = {}
    tables = report.tables
    for block in tables.proactive.values():
        for row in block.rows.values():
            for cell in row.cells.values():
                cells[(cell.line, cell.column)] = cell
    for table in (tables.applications, tables.review_litigation):
        for row in table.values():
            for cell in row.cells.values():
                cells[(cell.line, cell.column)] = cell
    seen: set[tuple[int, str]] = set()
    for inference in inferences:
        found = cells.get((inference.line, inference.column))
        if inference.status in READ_STATUSES:
            if found is not None:
                found.inferred = True
            continue
        if found is not None:
            found.unreadable = True  # left empty because it could not be read, not blank
        key = (inference.line, inference.reason)
        if key not in seen:
            seen.add(key)
            report.diagnostics.append(ast.Diagnostic(inference.line, inference.reason))
    report.diagnostics.sort(key=lambda d: d.line)
    report.readings = _readings(inferences)


def _readings(inferences) -> list[ast.Reading]:
    """One reading per table row from the flattened-text inferences; a row read is its cells'
    values one after another, a cell the reading leaves blank written as such (not an empty
    string between two spaces: "0  0 0 0 0 0")."""
    rows: dict[tuple, ast.Reading] = {}
    for inf in inferences:
        key = (inf.table, inf.block or None, inf.row)
        value = inf.raw if inf.raw or inf.status not in READ_STATUSES else BLANK_CELL
        if key not in rows:
            rows[key] = ast.Reading(
                table=inf.table,
                block=inf.block or None,
                row=inf.row,
                status=inf.status,
                reason=inf.reason,
                raw=value,
                line=inf.line,
                decided_by=inf.decided_by,
                blank=inf.blank,
            )
        elif inf.status in READ_STATUSES and rows[key].status == inf.status:
            rows[key].raw += " " + value
    return list(rows.values())
