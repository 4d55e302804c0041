"""Kind `readings`: one fact per table row whose digits were read by inference (or could not be)."""

from __future__ import annotations

from typing import Any

from gxaudit.rules.kinds.base import TABLE_NAME, TABLE_SECTION, Env, Fact, _fact, _location
from gxaudit.rules.kinds.kind import Kind, Prop


def check_readings(env: Env, params: dict[str, Any]) -> list[Fact]:
    """Rows of a flattened report whose run-together digits were split (or not)."""
    facts = []
    for reading in env.report.readings:
        labels = env.labels.cell(reading.table, reading.block, reading.row, None)
        facts.append(
            _fact(
                {
                    "status": reading.status,
                    "table": reading.table,
                    "row": reading.row,
                    "block": reading.block or "",
                },
                **_location(reading.line, TABLE_SECTION.get(reading.table), reading.table, reading.row, None),
                block=reading.block,
                reason=reading.reason,
                decided_by=reading.decided_by or "单元格格式",
                raw=reading.raw,
                actual=reading.raw,
                table_label=TABLE_NAME.get(reading.table, reading.table),
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
    ),
    placeholders=(
        "reason",
        "decided_by",
        "raw",
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
