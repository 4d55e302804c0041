"""Kind `identity`: an identity the format itself declares (formats/common.yaml),
checked as an equation.

    check:
      kind: identity
      table: applications
      identity: balance        # new + carried_over == results_total + carried_forward, per column

The rule names the identity; the format says what it is. When the rule file
is loaded the check becomes the equation it stands for (rules show prints
both), so the identity is written once, in the format, and the balance rules,
the flattened-text reader and the generator all read the same one.
"""

from __future__ import annotations

from typing import Any

from gxaudit.formats.load import load_formats
from gxaudit.formats.model import Identity
from gxaudit.rules.kinds.equation import PLACEHOLDERS, TOLERANCE, check_equation
from gxaudit.rules.kinds.kind import Kind, Param, Problems

# the for_each domain and variable name of an identity's `each`
_DOMAIN = {
    ("applications", "row"): ("r", "applications.rows"),
    ("applications", "column"): ("c", "applications.columns"),
    ("review_litigation", "block"): ("b", "review_litigation.blocks"),
}


def _identities(table: str, identity_id: str) -> dict[str, Identity]:
    """The identity in every format that declares it, by format id."""
    found = {}
    for fmt in load_formats().values():
        identity = fmt.identity(table, identity_id)
        if identity is not None:
            found[fmt.id] = identity
    return found


def _side(table: str, var: str, each: str, ids: tuple[str, ...] | str) -> str:
    """One side of the equation: a cell, or the sum over a set of ids."""
    if isinstance(ids, str):  # the name of a set
        return f"sum({table}[{ids}][{var}])" if each == "column" else f"sum({table}[{var}][{ids}])"
    cells = [f"{table}[{i}][{var}]" if each == "column" else f"{table}[{var}][{i}]" for i in ids]
    return " + ".join(cells)


def as_equation(check: dict[str, Any]) -> dict[str, Any]:
    """The equation check an identity check stands for.

    A side with one or two cells is written out; a longer side is a sum over a
    named set (`<identity>_right`), one list per format where the formats
    differ (table three's result rows).
    """
    table, identity_id = check["table"], check["identity"]
    by_format = _identities(table, identity_id)
    first = next(iter(by_format.values()))
    var, domain = _DOMAIN[(table, first.each)]
    sets: dict[str, Any] = {}
    sides = []
    for side in ("left", "right"):
        lists = {fmt: getattr(i, side) for fmt, i in by_format.items()}
        ids = next(iter(lists.values()))
        if len(ids) > 2:
            name = f"{identity_id}_{side}"
            same = all(v == ids for v in lists.values())
            sets[name] = list(ids) if same else {fmt: list(v) for fmt, v in lists.items()}
            sides.append(_side(table, var, first.each, name))
        else:
            sides.append(_side(table, var, first.each, ids))
    out: dict[str, Any] = {
        "kind": "equation",
        "for_each": {var: domain},
        "assert": f"{sides[0]} == {sides[1]}",
    }
    if sets:
        out["sets"] = sets
    if "tolerance" in check:
        out["tolerance"] = check["tolerance"]
    return out


def _validate(params: dict[str, Any], problems: Problems) -> None:
    table, identity_id = params.get("table"), params.get("identity")
    if not isinstance(table, str) or not isinstance(identity_id, str):
        return
    if not _identities(table, identity_id):
        known = sorted({i.id for f in load_formats().values() for i in f.identities if i.table == table})
        problems.add(
            "identity",
            f"没有格式声明 {table} 的恒等关系 {identity_id!r}（已声明的：{', '.join(known) or '无'}）",
        )


KIND = Kind(
    name="identity",
    one_fact_per="row, column or block the identity runs over",
    doc="An identity between table cells that the format itself declares (formats/common.yaml: "
    "row_sums, results and balance of table three, totals of table four), checked as the equation it "
    "stands for: every placeholder and property of the equation kind applies.",
    params=(
        Param("table", {"enum": ["applications", "review_litigation"]}, "the table", required=True),
        Param("identity", {"type": "string"}, "the identity's id in the format", required=True),
        TOLERANCE,
    ),
    properties=(),
    placeholders=(*PLACEHOLDERS, "r", "c", "b"),
    draw=check_equation,  # never called: the loader turns the check into its equation
    validate=_validate,
    asserts_on="identity",
    rewrite=as_equation,
    example="""
- id: USR-BAL-003
  title: 表三勾稽关系不平衡
  category: balance
  severity: error
  weight: 8
  check:
    kind: identity
    table: applications
    identity: balance
  message: 表三“{column_label}”一列勾稽不平衡：{actual} ≠ {expected}（{cells}）。
""",
)
