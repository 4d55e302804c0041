"""Kind `readings`: one fact per table row whose digits were read by inference (or could not be)."""

from __future__ import annotations

from typing import Any

from gxaudit.rules.kinds.base import TABLE_NAME, TABLE_SECTION, Env, Fact, _fact, _location
from gxaudit.rules.kinds.kind import Kind, Prop

# a reading whose cells were written (by inference)
READ_STATUSES = ("inferred", "least_broken")


def _per_finding(report) -> list[tuple[Any, list | None]]:
    """The readings one finding each: per row, but one per table where a whole table is one
    run (table four) or every row of it was read the same way (all unreadable); such a
    finding comes with the readings of all its rows."""
    out: list[tuple[Any, list | None]] = []
    whole: set[tuple[str, str]] = set()
    by_table: dict[tuple[str, str], list] = {}
    for reading in report.readings:
        by_table.setdefault((reading.table, reading.status), []).append(reading)
    for (table, status), group in by_table.items():
        rows = report.tables.applications if table == "applications" else None
        if len(group) > 1 and (
            table == "review_litigation"
            or (rows is not None and status not in READ_STATUSES and len(group) >= len(rows))
        ):
            whole.add((table, status))
    for reading in report.readings:
        key = (reading.table, reading.status)
        if key not in whole:
            out.append((reading, None))
        elif key in whole and not any(r is not None and (r.table, r.status) == key for r, _ in out):
            out.append((reading, by_table[key]))
    return out


def _rows_read(env: Env, group: list) -> str:
    """What each row of a whole-table reading was read as, by its label: the first row
    alone would be shown for every row ("全部各行 … 读作 0 0 0 0 0" while a row read 1 0 0 0 1)."""
    # table four's readings are of its blocks (行政复议, 行政诉讼 未经复议直接起诉…), which it calls rows
    return "；".join(
        f"{env.labels.cell(r.table, r.block, r.row or r.block, None)['row_label']} {r.raw}" for r in group
    )


def _one_run(group: list) -> bool:
    """Whether a whole-table group is ONE digit run (table four's fifteen cells printed
    together, each block's reading showing the whole run), not a run per row."""
    first = group[0]
    return first.table == "review_litigation" and all(r.raw == first.raw for r in group)


def check_readings(env: Env, params: dict[str, Any]) -> list[Fact]:
    """Rows read by inference, or not read: one fact per row (or per whole table)."""
    facts = []
    for reading, group in _per_finding(env.report):
        labels = env.labels.cell(reading.table, reading.block, reading.row, None)
        row_phrase = f"“{labels['block_label']}{labels['row_label']}”一行"
        raw = digits = reading.raw
        blank = reading.blank
        if group is not None:
            labels = {"block_label": "", "row_label": "全部各行", "column_label": ""}
            row_phrase = "各行"
            raw = _rows_read(env, group)
            if not _one_run(group):
                # a run per row: each row's blanks are certain, whichever cells they are
                blank = sum(r.blank for r in group)
                digits = _rows_read(env, [r for r in group if r.blank])
        facts.append(
            _fact(
                {
                    "status": reading.status,
                    "table": reading.table,
                    "row": reading.row,
                    "block": reading.block or "",
                    "blank": blank,
                },
                **_location(reading.line, TABLE_SECTION.get(reading.table), reading.table, reading.row, None),
                block=reading.block,
                reason=reading.reason,
                decided_by=reading.decided_by or "单元格格式",
                raw=raw,
                digits=digits,
                actual=raw,
                # what `actual` is, where outputs name it (a grouped finding's list, HTML):
                # the reading decided, or the digit run as printed, never a value read
                actual_label="读作" if reading.status in READ_STATUSES else "数字串",
                table_label=TABLE_NAME.get(reading.table, reading.table),
                row_phrase=row_phrase,
                **labels,
            )
        )
    return facts


KIND = Kind(
    name="readings",
    one_fact_per="table row read by inference, or not read (an unreadable row: never an absent one)",
    doc="How a row whose cells' digits ran together (a web page flattened to one line) was read: "
    "split by inference where exactly one split fits the table's identities, or left unreadable "
    "with the reason.",
    params=(),
    properties=(
        Prop(
            "status",
            "string",
            "inferred (one reading keeps the identities), least_broken (read, though an identity fails), "
            "ambiguous, unsatisfiable or unreadable (not read)",
        ),
        Prop("table", "string", "the table id"),
        Prop("row", "string", "the row id"),
        Prop("block", "string", "the table-two block id (empty elsewhere)"),
        Prop(
            "blank",
            "number",
            "not read: how many of the row's cells were certainly blank on the page (its digit run "
            "has that many digits fewer than cells), though not which; 0 otherwise. A whole-table "
            "finding counts those of all its rows (of its one run, for table four printed as one)",
        ),
    ),
    placeholders=(
        "reason",
        "decided_by",
        "raw",
        "digits",
        "row_phrase",
        "actual",
        "table_label",
        "block_label",
        "row_label",
        "column_label",
    ),
    draw=check_readings,
    example="""
- id: USR-CEL-008
  title: 数字连在一起，无法确定如何拆分
  category: cells
  severity: warning
  weight: 2
  check:
    kind: readings
    assert: status == "inferred"
  message: "{table_label}“{row_label}”一行的数字串“{raw}”无法确定如何拆分：{reason}"
""",
)
