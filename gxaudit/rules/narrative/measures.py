"""The table cells a statement refers to, and which measure an ambiguous statement means.

The cells of every measure are declared in formats/*.yaml (`measures`); a
format may declare its own (（六）其他处理 is one row in format 2019, three in 2021).
"""

from __future__ import annotations

import math

from gxaudit.formats.load import load_formats, measures
from gxaudit.parse import ast
from gxaudit.rules.narrative.model import RECEIVED_BY_APPLICANT, SHARE, Mention


def _number(cell: ast.Cell | None) -> int | float | None:
    if cell is None or not cell.is_number or cell.value is None:
        return None
    value = cell.value
    return int(value) if value == int(value) else float(value)


def _measures_of(report: ast.Report | None) -> dict:
    fmt = load_formats().get(report.format) if report is not None else None
    return fmt.measures if fmt is not None else measures()


def cells_for(measure: str, report: ast.Report | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """The table cells whose sum is the measure: (table, keys)."""
    return [(c.table, c.keys) for c in _measures_of(report)[measure].cells]


def table_value(report: ast.Report, measure: str) -> tuple[int | float | None, list[tuple]]:
    """The tables' value of a measure (None if a cell is absent or not a number)."""
    total: int | float = 0
    found = []
    for table, keys in cells_for(measure, report):
        cell = report.cell(table, keys)
        value = _number(cell)
        if value is None:
            return None, []
        total += value
        found.append((table, keys, cell))
    return total, found


def resolve(report: ast.Report, mention: Mention) -> str:
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
    if mention.measure in RECEIVED_BY_APPLICANT and mention.ambiguous:
        return _resolve_by_applicant(report, mention)
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


def _resolve_by_applicant(report: ast.Report, mention: Mention) -> str:
    """One kind of applicant's part of an ambiguous received figure ("收到申请65件，其中
    自然人申请60件"): 本年新收 or 本年新收 + 上年结转, whichever the table matches (either
    may be meant, whatever the total was read as); else the one its received figure is."""
    new, both = mention.measure, RECEIVED_BY_APPLICANT[mention.measure]
    for measure in (new, both):
        value, _ = table_value(report, measure)
        if value is not None and mention.stated == value:
            return measure
    received = resolve(report, mention.basis[0]) if mention.basis else "new"
    return both if received == "new_and_carried_over" else new


# what a share of table three's results may be a share of, in the order tried
SHARE_BASES = ("results_total", "new_and_carried_over", "new")


def share_range(report: ast.Report, mention: Mention) -> tuple[float, float, str] | None:
    """The range a printed percentage of the table's figures may read, rounded or cut
    to the decimals printed: (low, high, base measure).

    The base is the concluded applications, or the received ones: the one whose
    share comes nearest the text; None when the table gives none.
    """
    if mention.claim != SHARE:
        return None
    part, _ = table_value(report, mention.measure)
    if part is None:
        return None
    unit = 10 ** (-mention.decimals)
    best = None
    for base in SHARE_BASES:
        whole, _ = table_value(report, base)
        if not whole:
            continue
        exact = 100 * part / whole
        low = math.floor(exact / unit) * unit  # cut
        high = math.ceil(exact / unit) * unit  # rounded up
        low, high = round(low, mention.decimals), round(high, mention.decimals)
        distance = (
            0 if low <= mention.stated <= high else min(abs(mention.stated - low), abs(mention.stated - high))
        )
        if best is None or distance < best[0]:
            best = (distance, low, high, base)
    return None if best is None else best[1:]


def cell_names(report: ast.Report | None = None) -> dict[tuple[str, ...], str]:
    """The cells compared, as a reader finds them in the table (本年新收·总计)."""
    return {c.keys: c.name for m in _measures_of(report).values() for c in m.cells}
