"""Kind `cells`: one fact per table cell; `select` picks the cells a rule reads."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from gxaudit.formats.load import Format, common
from gxaudit.rules import expr as E
from gxaudit.rules.kinds.base import (
    LAZY,
    TABLE_NAME,
    TABLE_SECTION,
    CellAt,
    CheckError,
    Env,
    Fact,
    _fact,
    _location,
    expand_key,
    iter_cells,
)
from gxaudit.rules.kinds.kind import Kind, Param, Problems, Prop


def _cell_props(at: CellAt, fmt: Format | None) -> dict[str, Any]:
    cell = at.cell
    money_units = common()["cells"]["money_units"]
    column_spec = None
    if at.table == "proactive" and fmt is not None and fmt.block(at.block or ""):
        column_spec = next((c for c in fmt.block(at.block).columns if c.id == at.column), None)
    unit = cell.unit or (column_spec.get("default_unit") if column_spec else None)
    integer = cell.value is not None and (
        isinstance(cell.value, int) or cell.value == cell.value.to_integral_value()
    )
    return {
        "kind": cell.kind,
        "value": cell.value,
        "unit": unit,
        "integer": integer,
        "known_unit": unit in money_units if unit else False,
        "inferred": cell.inferred,
        "unreadable": cell.unreadable,
        "table": at.table,
        "block": at.block or "",
        "row": at.row,
        "column": at.column,
    }


def cell_selector(env: Env, params: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """Whether a cell fact (by its context: table, block, row, column) is selected."""
    selectors = params.get("select")
    selectors = [selectors] if isinstance(selectors, str) else list(selectors or [])
    wanted = []
    for text in selectors:
        node = E.parse(text)
        if not isinstance(node, E.CellRef):
            raise CheckError(f"select: {text!r} is not a cell selector")
        wanted.append((node.table, [None if k == "*" else set(expand_key(env, k, [k])) for k in node.keys]))

    @functools.lru_cache(maxsize=1024)
    def selected_key(table: str, keys: tuple) -> bool:
        return any(
            sel_table == table
            and len(options) == len(keys)
            and all(o is None or key in o for o, key in zip(options, keys))
            for sel_table, options in wanted
        )

    def selected(context: dict[str, Any]) -> bool:
        table = context["table"]
        keys = (
            (context["block"], context["row"], context["column"])
            if table == "proactive"
            else (context["row"], context["column"])
        )
        return selected_key(table, keys)

    return selected


def check_cells(env: Env, params: dict[str, Any]) -> list[Fact]:
    """One fact per cell of the report; `select` picks which ones a rule reads."""
    facts = []
    for at in iter_cells(env.report):
        facts.append(
            _fact(
                _cell_props(at, env.fmt),
                **_location(at.cell.line, TABLE_SECTION[at.table], at.table, at.row, at.column),
                block=at.block,
                raw=at.cell.raw,
                kind=at.cell.kind,
                actual=at.cell.raw,
                table_label=TABLE_NAME[at.table],
                column_number=at.cell.column,
                **{LAZY: lambda at=at: env.labels.cell(at.table, at.block, at.row, at.column)},
            )
        )
    if "select" in params:
        keep = cell_selector(env, params)
        facts = [f for f in facts if keep(f.context)]
    return facts


def _validate(params: dict[str, Any], problems: Problems) -> None:
    selectors = params.get("select")
    for text in [selectors] if isinstance(selectors, str) else selectors or []:
        try:
            node = E.parse(text)
        except E.ExprError as exc:
            problems.add("select", f"select {text!r}: {exc}")
            continue
        if not isinstance(node, E.CellRef):
            problems.add("select", f"select {text!r}: not a cell selector such as applications[*][*]")
            continue
        problems.check_cell_ref("select", node.table, node.keys)


KIND = Kind(
    name="cells",
    one_fact_per="selected table cell",
    doc="Every cell of tables two, three and four; `select` names the cells a rule reads "
    "(`applications[*][*]`, `proactive[*][*][count_columns]` with a named set). A cell's kind is "
    "number, number_with_unit, empty, dash or text; an empty or unreadable cell is never 0.",
    params=(
        Param(
            "select",
            {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]},
            "cell selectors: table[key]… with ids, named sets or *",
            required=True,
        ),
    ),
    properties=(
        Prop("kind", "string", "number, number_with_unit, empty, dash or text"),
        Prop("value", "number", "the number (absent unless the kind is a number)"),
        Prop("unit", "string", "the unit written in the cell or set by the column (万元 …)"),
        Prop("integer", "boolean", "the value is a whole number"),
        Prop("known_unit", "boolean", "the unit is a known money unit"),
        Prop("inferred", "boolean", "the value was read by inference (run-together digits)"),
        Prop("unreadable", "boolean", "something is printed here that could not be read"),
        Prop("table", "string", "the table id"),
        Prop("block", "string", "the table-two block id (empty elsewhere)"),
        Prop("row", "string", "the row id (table four: the block id)"),
        Prop("column", "string", "the column id"),
    ),
    placeholders=(
        "raw",
        "actual",
        "table_label",
        "block_label",
        "row_label",
        "column_label",
        "column_number",
    ),
    draw=check_cells,
    validate=_validate,
    example="""
- id: USR-CEL-001
  title: 统计单元格为空
  category: cells
  severity: error
  weight: 2
  check:
    kind: cells
    select: applications[*][*]
    assert: kind != "empty" or unreadable
  message: "{table_label}“{row_label}”的“{column_label}”单元格为空。"
""",
)
