"""Kind `readings`: one fact per table row whose digits were read by inference (or could not be)."""

from __future__ import annotations

from typing import Any

from gxaudit.rules.kinds.base import TABLE_NAME, TABLE_SECTION, Env, Fact, _fact, _location


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
                raw=reading.raw,
                actual=reading.raw,
                table_label=TABLE_NAME.get(reading.table, reading.table),
                **labels,
            )
        )
    return facts
