"""Kind `equation`: one fact per binding of the `for_each` variables; the operands are cells."""

from __future__ import annotations

import functools
import itertools
import json
import operator
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from gxaudit.parse import ast
from gxaudit.rules import expr as E
from gxaudit.rules.kinds.base import (
    TABLE_SECTION,
    CheckError,
    Env,
    Fact,
    _engine_value,
    _location,
    set_members,
)
from gxaudit.rules.kinds.kind import Kind, Param, Problems
from gxaudit.rules.kinds.suspect import shown_value, suspect

# the for_each domains named by table: which ids a variable runs over
DOMAINS = (
    "applications.rows",
    "applications.columns",
    "review_litigation.blocks",
    "review_litigation.columns",
    "proactive.blocks",
)


def _domain(env: Env, spec: Any) -> list[str]:
    """The values a for_each variable takes: `applications.rows`, a set name, or a list."""
    fmt = env.fmt
    if isinstance(spec, list):
        return [str(s) for s in spec]
    members = env.set_members(str(spec))
    if members is not None:
        return members
    table, _, what = str(spec).partition(".")
    if fmt is None:
        return []
    if table == "applications" and what == "rows":
        return [row.id for row in fmt.application_rows]
    if table == "applications" and what == "columns":
        return [c.id for c in fmt.application_columns]
    if table == "review_litigation" and what == "blocks":
        return [b.id for b in fmt.review_blocks]
    if table == "review_litigation" and what == "columns":
        return [c.id for c in fmt.review_columns]
    if table == "proactive" and what == "blocks":
        return [b.id for b in fmt.blocks]
    raise CheckError(f"for_each: unknown domain {spec!r}")


def expand(
    tree: Any, binding: dict[str, str], set_members: Callable[[str], list[str] | None]
) -> tuple[Any, list[E.CellRef]]:
    """The equation with its cells replaced by properties v0, v1, … (and those cells).

    `sum(table[set][c])` becomes v_i + v_j + …; the numbering depends only on
    the tree, the binding's shape and the sets, so the compiled condition of a
    format and the facts drawn from a report of that format agree.
    """
    refs: list[E.CellRef] = []

    def resolve(ref: E.CellRef) -> list[tuple[str, ...]]:
        keys = [binding.get(k, k) for k in ref.keys]
        return list(itertools.product(*[set_members(k) or [k] for k in keys]))

    def name_for(ref: E.CellRef) -> E.Name:
        refs.append(ref)
        return E.Name(f"v{len(refs) - 1}")

    def replace(node: Any) -> Any:
        if isinstance(node, E.CellRef):
            keys = resolve(node)
            if len(keys) != 1:
                raise CheckError("a set of cells can only be used inside sum(…)")
            return name_for(E.CellRef(node.table, keys[0]))
        if isinstance(node, E.Sum):
            out: E.Name | E.Arith | None = None
            for key in resolve(node.ref):
                term = name_for(E.CellRef(node.ref.table, key))
                out = term if out is None else E.Arith("+", out, term)
            return out
        return None

    return E.substitute(tree, replace), refs


@functools.lru_cache(maxsize=4096)
def _expanded(
    assert_text: str, binding: tuple[tuple[str, str], ...], sets_json: str, format_id: str
) -> tuple[Any, list[E.CellRef]]:
    """expand(), cached: the same rule, binding and sets give the same tree."""
    members = functools.partial(set_members, json.loads(sets_json), format_id=format_id)
    return expand(E.parse(assert_text), dict(binding), members)


@functools.lru_cache(maxsize=64)
def _operand_names(count: int) -> tuple[str, ...]:
    """v0, v1, …: the properties an equation's operands are given as (see expand); interned,
    as the engine's names of them are: a fact's name found at once, not compared by its text."""
    return tuple(sys.intern(f"v{i}") for i in range(count))


class _Binding(NamedTuple):
    """One binding of an equation's variables, as every report of a format checks it."""

    binding: dict[str, str]
    substituted: Any  # the equation over v0, v1, … (expand)
    refs: list[E.CellRef]
    cells: tuple[tuple[str, ...], ...]  # each operand as _operand_values keys it: (table, *keys)
    names: tuple[str, ...]  # v0, v1, …
    where: dict[str, Any]  # _location of the fact (its first operand) but the line
    # the operands' values out of _operand_values (a KeyError if one is not a number)
    operands: Callable[[dict], tuple]
    tables: tuple[str, ...]  # the tables of its operands, sorted


# key -> (the format object the bindings were made from, the bindings)
_PLANS: dict[tuple, tuple[Any, list[_Binding]]] = {}


def _bindings(env: Env, params: dict[str, Any]) -> list[_Binding]:
    """Every binding of the check's variables with its expanded equation: made once per
    equation, variables, sets and format object (the same for every report of that format;
    formats loaded again, from other files, are other objects)."""
    variables = params.get("for_each") or {}
    sets_json = _sets_json(env.sets)
    key = (
        params["assert"],
        tuple((n, tuple(v) if isinstance(v, list) else v) for n, v in variables.items()),
        sets_json,
        env.report.format,
        id(env.fmt),
    )
    known = _PLANS.get(key)
    if known is not None and known[0] is env.fmt:
        return known[1]
    names = list(variables)
    domains = [_domain(env, variables[n]) for n in names]
    found = []
    for values in itertools.product(*domains):
        binding = dict(zip(names, values))
        substituted, refs = _expanded(params["assert"], tuple(binding.items()), sets_json, env.report.format)
        if refs:
            cells = tuple((ref.table, *ref.keys) for ref in refs)
            first = refs[0]  # the fact stands at its first operand
            # where the fact stands but its line (the cell's, a report's own)
            where = _location(None, TABLE_SECTION[first.table], first.table, first.keys[-2], first.keys[-1])
            found.append(
                _Binding(
                    binding,
                    substituted,
                    refs,
                    cells,
                    _operand_names(len(refs)),
                    where,
                    _getter(cells),
                    tuple(sorted({ref.table for ref in refs})),
                )
            )
    if len(_PLANS) > 256:
        _PLANS.clear()
    _PLANS[key] = (env.fmt, found)  # the format kept with them: its id is not reused meanwhile
    return found


def _getter(keys: tuple[tuple[str, ...], ...]) -> Callable[[dict], tuple]:
    """The values of `keys` in a dict, as a tuple, in one call (itemgetter of one key
    gives the value itself)."""
    if len(keys) == 1:
        key = keys[0]
        return lambda values: (values[key],)
    return operator.itemgetter(*keys)


def check_equation(env: Env, params: dict[str, Any]) -> list[Fact]:
    facts: list[Fact] = []
    add, explained = facts.append, Fact.explained  # (once, not at every binding)
    values_of: dict[tuple[str, ...], dict] = {}  # (the bindings of a check read one or two tables)
    for plan in _bindings(env, params):
        values = values_of.get(plan.tables)
        if values is None:
            values = values_of[plan.tables] = _operand_values(env, plan.tables)
        try:
            operands = plan.operands(values)
        except KeyError:
            continue  # an absent or non-numeric operand: the cells/presence rules report it
        # where the fact stands is worked out with its words, only for a finding
        add(explained(dict(zip(plan.names, operands)), _explain, env, plan))
    return facts


def _explain(env: Env, plan: _Binding) -> dict[str, Any]:
    """Where a binding's fact stands, both sides of its equation and its cells: built only
    when its fact becomes a finding."""
    cells = [_cell(env, key) for key in plan.cells]
    props = dict(zip(plan.names, [cell.value for cell in cells]))
    left = E.evaluate(plan.substituted.left, props)
    right = E.evaluate(plan.substituted.right, props)
    cells_text = "、".join(
        f"{env.labels.cell_name(r.table, r.keys)}={c.raw}（{env.report.place(c.line)}）"
        for r, c in zip(plan.refs, cells)
    )
    first = plan.refs[0]
    return {
        **plan.where,
        "line": cells[0].line,
        **plan.binding,
        **_suspect(env, plan),
        "left": left,
        "right": right,
        "actual": left,
        "expected": right,
        "difference": left - right,
        "cells": cells_text,
        **env.labels.of_keys(first.table, first.keys),
    }


def _suspect(env: Env, plan: _Binding) -> dict[str, Any]:
    """{suspect}: the one cell that explains this and the table's other broken identities,
    and the finding at its line; nothing said when no cell is singled out."""
    found = suspect(env, plan.cells, _every_value(env))
    if found is None:
        return {"suspect": ""}
    key, value = found
    cell = _cell(env, key)
    name = env.labels.cell_name(key[0], key[1:])
    return {
        "suspect": f"“{name}”（{env.report.place(cell.line)}）填报 {cell.raw}，与它有关的各项勾稽关系都要求它为 "
        f"{shown_value(value)}：很可能是这一格填错。",
        "line": cell.line,
    }


def _cell(env: Env, key: tuple[str, ...]) -> ast.Cell:
    """The cell of an operand that holds a number (a key of _operand_values)."""
    cell = env.report.cell(key[0], key[1:])
    assert cell is not None
    return cell


def _every_value(env: Env) -> dict[tuple[str, ...], Any]:
    """The values of every table's cells that hold a number (_operand_values of each table),
    for the suspect of a finding: made once a report."""
    found = env.memo.get("numeric values")
    if found is None:
        found = env.memo["numeric values"] = {}
        for table in ("proactive", "applications", "review_litigation"):
            found.update(_operand_values(env, (table,)))
    return found


def _operand_values(env: Env, tables: tuple[str, ...]) -> dict[tuple[str, ...], Any]:
    """The values of the cells of `tables` that hold a number, by (table, *keys) as an
    operand names them (Report.cell's keys), as the engine takes them (engine_props): made
    once a report for every equation route (each binding reads about nine operands; looking
    each up through the tables cost more than the rest), without the cells themselves (only
    a finding needs those: _cell)."""
    key = ("numeric values", tables)
    found = env.memo.get(key)
    if found is None:
        found = env.memo[key] = {}
        for table in tables:
            _walk(env.report.tables, table, found)
    return found


def _walk(tables: ast.Tables, table: str, values: dict[tuple[str, ...], Any]) -> None:
    """Add the values of a table's cells that hold a number to `values`, keyed as
    Report.cell looks them up: by the tables' own keys (walked here, not through
    base.iter_cells: a CellAt a cell costs more than the look-ups it saves). A cell holds
    a number as Cell.is_number says (tested here without a property call per cell)."""
    number_kinds = ast.NUMBER_KINDS  # (looked up once, not at every cell)
    if table == "proactive":
        for block_id, block in tables.proactive.items():
            for row_id, row in block.rows.items():
                for column, cell in row.cells.items():
                    value = cell.value
                    if value is not None and cell.kind in number_kinds:
                        key: tuple[str, ...] = ("proactive", block_id, row_id, column)
                        values[key] = value if type(value) is not Decimal else _engine_value(value)
        return
    if table == "applications":
        rows = tables.applications
    elif table == "review_litigation":
        rows = tables.review_litigation
    else:
        return  # no such table (the rule's validation says so): no operand of it is a number
    for row_id, row in rows.items():
        for column, cell in row.cells.items():
            value = cell.value
            if value is not None and cell.kind in number_kinds:
                key = (table, row_id, column)
                values[key] = value if type(value) is not Decimal else _engine_value(value)


_SETS_JSON: dict[int, tuple[dict, str]] = {}


def _sets_json(sets: dict[str, Any]) -> str:
    """A rule's named sets as one string (a key of _expanded), made once per sets object
    (the object is kept with it, so its id is not reused while it is remembered)."""
    found = _SETS_JSON.get(id(sets))
    if found is None or found[0] is not sets:
        if len(_SETS_JSON) > 256:
            _SETS_JSON.clear()
        found = _SETS_JSON[id(sets)] = (sets, json.dumps(sets, sort_keys=True, ensure_ascii=False))
    return found[1]


def _validate(params: dict[str, Any], problems: Problems) -> None:
    variables = params.get("for_each") or {}
    for name, spec in variables.items() if isinstance(variables, dict) else ():
        if isinstance(spec, str) and spec not in DOMAINS and not problems.is_set(spec):
            problems.add(
                "for_each",
                f"for_each {name}：未知的取值范围 {spec!r}"
                f"（应为已命名的集合、id 的列表，或以下之一：{', '.join(DOMAINS)}）",
            )
    text = params.get("assert")
    if not isinstance(text, str):
        return
    try:
        tree = E.parse(text)
    except E.ExprError:
        return  # the expression's own error is reported with its column
    for ref in E.cell_refs(tree):
        problems.check_cell_ref(
            "assert", ref.table, ref.keys, set(variables) if isinstance(variables, dict) else set()
        )


# shared with the identity kind, which is checked as the equation it stands for
TOLERANCE = Param(
    "tolerance", {"type": "number", "minimum": 0}, "the difference allowed between the two sides"
)
PLACEHOLDERS = (
    "left",
    "right",
    "actual",
    "expected",
    "difference",
    "cells",
    "block_label",
    "row_label",
    "column_label",
    "suspect",
)

KIND = Kind(
    name="equation",
    one_fact_per="binding of the `for_each` variables",
    doc="An identity between table cells, checked for every value of its variables: "
    "`applications[r][total] == sum(applications[r][applicant_columns])` for every row r. "
    "A binding whose cells are absent or not numbers is skipped (the cells rules report those "
    "cells); `tolerance` allows a difference (money).",
    params=(
        Param(
            "for_each",
            {
                "type": "object",
                "additionalProperties": {
                    "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                },
            },
            "variables and the ids they run over: a domain such as applications.columns, a set, or a list",
        ),
        TOLERANCE,
    ),
    properties=(),
    placeholders=PLACEHOLDERS,
    draw=check_equation,
    validate=_validate,
    asserts_on="cells",
    example="""
- id: USR-BAL-001
  title: 表三勾稽关系不平衡
  category: balance
  severity: error
  weight: 8
  check:
    kind: equation
    for_each: {c: applications.columns}
    assert: applications[new][c] + applications[carried_over][c] == applications[results_total][c] + applications[carried_forward][c]
  message: 表三“{column_label}”一列勾稽不平衡：{actual} ≠ {expected}（{cells}）。
""",
)
