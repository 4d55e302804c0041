"""Kind `cells`: one fact per table cell; `select` picks the cells a rule reads."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

from gxaudit.formats.load import Format, common, load_formats
from gxaudit.rules import expr as E
from gxaudit.rules.kinds.base import (
    LAZY,
    TABLE_NAME,
    TABLE_SECTION,
    CellAt,
    CheckError,
    Env,
    Fact,
    _engine_value,
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
    block = fmt.block(at.block or "") if at.table == "proactive" and fmt is not None else None
    if block is not None:
        column_spec = next((c for c in block.columns if c.id == at.column), None)
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


def cell_fact(env: Env, at: CellAt) -> Fact:
    """The fact of one cell: what the rules read and what a finding on it says."""
    return _fact(
        _cell_props(at, env.fmt),
        **_location(at.cell.line, TABLE_SECTION[at.table], at.table, at.row, at.column),
        block=at.block,
        raw=at.cell.raw,
        kind=at.cell.kind,
        actual=at.cell.raw,
        table_label=TABLE_NAME[at.table],
        column_number=at.cell.column,
        **{LAZY: lambda: env.labels.cell(at.table, at.block, at.row, at.column)},
    )


def check_cells(env: Env, params: dict[str, Any]) -> list[Fact]:
    """One fact per cell of the report; `select` picks which ones a rule reads."""
    facts = [cell_fact(env, at) for at in iter_cells(env.report)]
    if "select" in params:
        keep = cell_selector(env, params)
        facts = [f for f in facts if keep(f.context)]
    return facts


# ------------------------------------------------------------------ row facts
#
# The engines read the cells of a row as ONE fact (rules/compile.py, row
# groups): cell property p of the row's j-th cell is `p_j`; rule k of the
# route is gated by `on<k>_<j>` when it selects that cell, or by one `on<k>`
# a row when it selects the whole table and cannot hold on a slot without a
# cell. A finding is explained by the same fact check_cells makes for the cell.
# A row fact of a group reading cell properties only has every property and flag
# of its group, None where the row has none (no value, no unit, a rule not
# selecting the cell): for the engines, None is missing (engine/model.py).


# The names are interned: the engine looks every fact's properties up by them (a name
# that is the same object as the key is found without comparing the strings).


def slot_name(prop: str, slot: int) -> str:
    return sys.intern(f"{prop}_{slot}")


def slot_flag(rule: int, slot: int) -> str:
    return sys.intern(f"on{rule}_{slot}")


def row_flag(rule: int) -> str:
    return sys.intern(f"on{rule}")


# table -> (the formats it was found for, the width): asked for every table of every report
_WIDTHS: dict[str, tuple[dict, int]] = {}


def row_width(table: str) -> int:
    """The most cells a row of `table` can have in any format (what the table assembler keeps)."""
    formats = load_formats()
    known = _WIDTHS.get(table)
    if known is not None and known[0] is formats:
        return known[1]
    width = _row_width(formats.values(), table)
    _WIDTHS[table] = (formats, width)
    return width


def _row_width(formats, table: str) -> int:
    if table == "proactive":  # a block's header may name the columns of every format's block of that item
        columns: dict[str, set[str]] = {}
        for f in formats:
            for block in f.blocks:
                columns.setdefault(block.item, set()).update(c.id for c in block.columns)
        return max(len(ids) for ids in columns.values())
    if table == "applications":
        return max(len(f.application_columns) for f in formats)
    return max(len(f.review_columns) for f in formats)


class RowFact:
    """The row a row fact was drawn from; `cell_fact(slot)` explains one of its cells."""

    __slots__ = ("env", "table", "block", "row", "columns", "cells")

    def __init__(self, env: Env, table: str, block: str | None, row: str, columns: tuple, cells: dict):
        self.env, self.table, self.block, self.row = env, table, block, row
        self.columns, self.cells = columns, cells

    def cell_fact(self, slot: int) -> Fact:
        column = self.columns[slot]
        return cell_fact(self.env, CellAt(self.table, self.block, self.row, column, self.cells[column]))


def table_rows(report, table: str):
    """(block, row id, its cells by column) of every row of `table`, in reading order."""
    t = report.tables
    if table == "proactive":
        for block in t.proactive.values():
            for row in block.rows.values():
                yield block.id, row.id, row.cells
    else:
        for row in (t.applications if table == "applications" else t.review_litigation).values():
            yield None, row.id, row.cells


def _row_plan(
    group, table: str, block: str | None, row_id: str, columns: tuple[str, ...], selecting
) -> tuple[dict[str, bool], tuple[int, ...]]:
    """The flags a row's fact of `group` carries (rules selecting its cells) and the slots
    whose cells are read: the same for every row of these ids and columns."""
    flags: dict[str, bool] = {}
    slots = []
    for j in group.slots:
        if j >= len(columns):
            break
        rules = selecting(table, block, row_id, columns[j])
        if rules:
            for k in rules:
                flags[group.flags[k, j]] = True
            slots.append(j)
    return flags, tuple(slots)


# The cell properties draw_rows reads without a test of the name, in the order compile.py
# lists a group's properties (sorted): a row's properties are set in the order they always were.
_CELL_PROPS = ("inferred", "integer", "kind", "known_unit", "unit", "unreadable", "value")


def _row_plans(
    groups: list, table: str, block: str | None, row_id: str, columns: tuple[str, ...], selecting
) -> tuple[tuple[Any, dict[str, bool], tuple, bool, bool], ...]:
    """Per group with a slot read in this row (:func:`_row_plan`): (group, its flags, its
    read slots with their property names, whether a unit is read, whether the names are by
    place: (slot, then the name of each of _CELL_PROPS or None) when the group reads none
    but those, as most do, else (slot, ((prop, name), ...)))."""
    found = []
    for group in groups:
        flags, slots = _row_plan(group, table, block, row_id, columns, selecting)
        if not slots:
            continue  # no rule reads a cell of this row
        by_place = list(group.props) == sorted(group.props) and set(group.props) <= set(_CELL_PROPS)
        reads: tuple
        if not group.props:
            reads = ()
        elif by_place:
            reads = tuple((j, *(dict(group.names[j]).get(p) for p in _CELL_PROPS)) for j in slots)
        else:
            # the property names interned: compared below with the literals (the same objects)
            reads = tuple((j, tuple((sys.intern(p), n) for p, n in group.names[j])) for j in slots)
        units = "unit" in group.props or "known_unit" in group.props
        if by_place:
            # every property a fact of the group may have, None where this row's fact has none (the
            # engines read None as missing): a copy is the fact without an insert or a resize, and
            # the engine reads a fact that has all its tested properties in one call
            template: dict[str, Any] = dict.fromkeys(group.flags.values())
            template.update(flags)
            for j in group.slots:
                template.update(dict.fromkeys(n for _p, n in group.names[j]))
            found.append((group, template, reads, units, True))
        else:
            found.append((group, flags, reads, units, False))
    return tuple(found)


def draw_rows(
    env: Env,
    table: str,
    groups: list,
    selecting: Callable[[str, str | None, str, str], tuple[int, ...]],
    plans: dict[tuple, tuple],
) -> list[tuple[Any, dict[str, Any], RowFact]]:
    """(group, properties, row) of every row fact of `table` with at least one rule's flag.

    `groups` cut the row's slots (each has `slots`, `props`, and the names
    of its properties and flags: `names`, `flags`); `selecting(table, block,
    row, column)` names the active rules (by index) that select a cell;
    `plans` remembers each row's plans (:func:`_row_plans`) for as long as the
    caller keeps the same selection and groups.
    """
    fmt = env.fmt
    money_units = common()["cells"]["money_units"]
    width = row_width(table)
    out = []
    for block, row_id, cells in table_rows(env.report, table):
        if len(cells) > width:  # the assembler keeps at most `width`: never read a cell twice or not at all
            raise CheckError(
                f"表格 {table} 的行 {row_id} 有 {len(cells)} 个单元格，多于格式允许的 {width} 个"
            )
        columns = tuple(cells)
        key = (table, block, row_id, columns)
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = _row_plans(groups, table, block, row_id, columns, selecting)
        if not plan:
            continue  # no rule reads a cell of this row
        row = RowFact(env, table, block, row_id, columns, cells)
        for group, flags, reads, units, by_place in plan:
            props: dict[str, Any] = flags.copy()  # by place: every name the fact may have (_row_plans)
            if by_place:
                # the names of _CELL_PROPS, None where not read: no test of a name per property
                for j, inferred, integer, kind, known_unit, unit_name, unreadable, value_name in reads:
                    column = columns[j]
                    cell = cells[column]
                    value = cell.value
                    unit = None
                    if units:
                        unit = cell.unit or (
                            _default_unit(fmt, block, column) if table == "proactive" else None
                        )
                    if inferred is not None:
                        props[inferred] = cell.inferred
                    if integer is not None:
                        props[integer] = value is not None and (
                            type(value) is int or value == value.to_integral_value()
                        )
                    if kind is not None:
                        props[kind] = cell.kind
                    if known_unit is not None:
                        props[known_unit] = unit in money_units if unit else False
                    if unit_name is not None:
                        props[unit_name] = unit
                    if unreadable is not None:
                        props[unreadable] = cell.unreadable
                    if value_name is not None and value is not None:
                        props[value_name] = value if type(value) is int else _engine_value(value)
                out.append((group, props, row))  # never empty: a read slot has its rules' flags
                continue
            for j, names in reads:
                column = columns[j]
                cell = cells[column]
                value = cell.value
                unit = None
                if units:
                    unit = cell.unit or (_default_unit(fmt, block, column) if table == "proactive" else None)
                for prop, name in names:  # only what the group's rules read
                    if prop == "kind":
                        v = cell.kind
                    elif prop == "value":
                        v = value if type(value) is int or value is None else _engine_value(value)
                    elif prop == "integer":
                        v = value is not None and (type(value) is int or value == value.to_integral_value())
                    elif prop == "unreadable":
                        v = cell.unreadable
                    elif prop == "inferred":
                        v = cell.inferred
                    elif prop == "unit":
                        v = unit
                    elif prop == "known_unit":
                        v = unit in money_units if unit else False
                    else:  # where the cell is: table, block, row, column
                        v = {"table": table, "block": block or "", "row": row_id, "column": column}[prop]
                    if v is not None:
                        props[name] = v
            out.append((group, props, row))  # never empty: a read slot has its rules' flags
    return out


@functools.lru_cache(maxsize=1024)
def _column_unit(format_id: str, block: str, column: str) -> str | None:
    fmt = load_formats()[format_id]
    spec = fmt.block(block)
    column_spec = next((c for c in spec.columns if c.id == column), None) if spec else None
    return column_spec.get("default_unit") if column_spec else None


def _default_unit(fmt: Format | None, block: str | None, column: str) -> str | None:
    """The unit a table-two column states for its cells (万元 …), as _cell_props finds it."""
    if fmt is None or not block:
        return None
    return _column_unit(fmt.id, block, column)


def _validate(params: dict[str, Any], problems: Problems) -> None:
    selectors = params.get("select")
    for text in [selectors] if isinstance(selectors, str) else selectors or []:
        try:
            node = E.parse(text)
        except E.ExprError as exc:
            problems.add("select", f"select {text!r}：{exc}")
            continue
        if not isinstance(node, E.CellRef):
            problems.add("select", f"select {text!r} 不是单元格选择器（应形如 applications[*][*]）")
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
