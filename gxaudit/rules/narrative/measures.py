"""The table cells a stated figure refers to, and which measure an ambiguous statement means."""

from __future__ import annotations

from gxaudit.formats.load import measures
from gxaudit.parse import ast
from gxaudit.rules.narrative.mentions import Mention


def _number(cell: ast.Cell | None) -> int | float | None:
    if cell is None or not cell.is_number:
        return None
    value = cell.value
    return int(value) if value == int(value) else float(value)


def _cells_for(measure: str) -> list[tuple[str, tuple[str, ...]]]:
    """The table cells whose sum is the measure: (table, keys)."""
    return [(c.table, c.keys) for c in measures()[measure].cells]


def table_value(report: ast.Report, measure: str) -> tuple[int | float | None, list[tuple]]:
    """The tables' value of a measure (None if a cell is absent or not a number)."""
    refs = _cells_for(measure)
    total: int | float = 0
    found = []
    for table, keys in refs:
        cell = report.cell(table, keys)
        value = _number(cell)
        if value is None:
            return None, []
        total += value
        found.append((table, keys, cell))
    return total, found


def _resolve(report: ast.Report, mention: Mention) -> str:
    """The measure an ambiguous figure means.

    "收到/受理 N 件" (without 新收): 本年新收, or 新收 + 上年结转, whichever the
    table matches (新收 when neither does). "办理 N 件": 办结 (results_total),
    or the received figure when that is what the table matches.
    """
    if mention.measure == "results_total" and mention.handled:
        value, _ = table_value(report, "results_total")
        if value is not None and mention.stated == value:
            return "results_total"
        for other in ("new", "new_and_carried_over"):
            value, _ = table_value(report, other)
            if value is not None and mention.stated == value:
                return other
        return "results_total"
    if mention.measure != "new" or not mention.ambiguous:
        return mention.measure
    if mention.includes_carried_over:
        return "new_and_carried_over"
    new, _ = table_value(report, "new")
    both, _ = table_value(report, "new_and_carried_over")
    if new is not None and mention.stated == new:
        return "new"
    if both is not None and mention.stated == both:
        return "new_and_carried_over"
    return "new"


# the cells compared, as a reader finds them in the table (本年新收·总计)
CELL_NAMES = {c.keys: c.name for m in measures().values() for c in m.cells}
