"""Kind `hierarchy`: a parent's table-three figures against the sum of its children's.

With a units file naming each unit's parent, a parent whose report says it
covers its children (本报告汇总了本级及所属各单位…) should count at least what
they count together. The facts are drawn after the batch, from the figures
every report hands on (as for cross-year checks): the parent's, and those of
its children's reports of the same year in the run.
"""

from __future__ import annotations

import re
from typing import Any

from gxaudit.formats.text import fold
from gxaudit.rules.kinds.base import Env, Fact, _fact, _location
from gxaudit.rules.kinds.kind import STRINGS, Kind, Param, Problems, Prop

ROWS = ("new", "carried_over", "results_total", "carried_forward")
DEFAULT_COVERS = r"(?:汇总|包括|包含|涵盖|含)[^。；;]{0,30}?(?:所属|下属|下辖|各)[^。；;]{0,12}?(?:单位|部门|乡镇|街道|机关)"


def _text(figures: dict[str, Any]) -> str:
    parts = [figures.get("preamble") or "", *((figures.get("sections") or {}).values())]
    return fold("\n".join(p for p in parts if p))


def check_hierarchy(env: Env, params: dict[str, Any]) -> list[Fact]:
    parent, children = env.figures, env.children
    if parent is None or not children:
        return []
    covers = re.search(params.get("covers") or DEFAULT_COVERS, _text(parent)) is not None
    facts = []
    for row in params.get("rows") or ["new"]:
        mine = (parent.get("applications") or {}).get(row) or {}
        columns = params.get("columns") or ["total"]
        for column in list(mine) if columns == ["*"] else columns:
            value = mine.get(column)
            theirs = [((child.get("applications") or {}).get(row) or {}).get(column) for child in children]
            counted = [v for v in theirs if v is not None]
            if value is None or not counted:
                continue
            labels = env.labels.cell("applications", None, row, column)
            names = "、".join(
                str(c.get("organ") or c.get("path")) for c, v in zip(children, theirs) if v is not None
            )
            facts.append(
                _fact(
                    {
                        "parent_value": value,
                        "children_sum": sum(counted),
                        "children": len(counted),
                        "covers": covers,
                    },
                    **_location(
                        (parent.get("lines") or {}).get(row), "applications", "applications", row, column
                    ),
                    **labels,
                    children_names=names,
                    expected=sum(counted),
                    actual=value,
                )
            )
    return facts


def _validate(params: dict[str, Any], problems: Problems) -> None:
    for row in params.get("rows") or []:
        if row not in ROWS:
            problems.add("rows", f"未知的行 {row!r}（汇总只保留这些行的数字：{', '.join(ROWS)}）")
    for column in params.get("columns") or []:
        if column != "*":
            problems.check_ids("columns", "column", column, problems.ids.keys_of("applications")[1][1])
    if isinstance(params.get("covers"), str):
        problems.check_regex("covers", "covers", params["covers"])


KIND = Kind(
    name="hierarchy",
    one_fact_per="table-three figure of a parent's report, against the sum of its children's reports",
    doc="With a units file whose `parent` column names each unit's parent: a parent's table-three "
    "figures (rows among new, carried_over, results_total, carried_forward; columns, default total, "
    "`*` for all) against the sum of the same figures in its children's reports of the same year in "
    "the run. `covers` is whether the parent's report says it covers its children (a regular "
    "expression searched in its text; the default finds 汇总/包括…所属/各…单位/部门/乡镇).",
    params=(
        Param("rows", {"type": "array", "items": {"enum": list(ROWS)}, "minItems": 1}, "rows compared"),
        Param("columns", STRINGS, "columns compared (default: total; * for all)"),
        Param("covers", {"type": "string"}, "regular expression: the parent's report covers its children"),
    ),
    properties=(
        Prop("parent_value", "number", "the parent's figure"),
        Prop("children_sum", "number", "the sum of its children's figures"),
        Prop("children", "number", "how many children's reports give the figure"),
        Prop("covers", "boolean", "the parent's report says it covers its children"),
    ),
    placeholders=("row_label", "column_label", "block_label", "children_names", "expected", "actual"),
    draw=check_hierarchy,
    validate=_validate,
    example="""
- id: USR-HIE-001
  title: 上级报告的申请数少于所涵盖下级报告之和
  category: hierarchy
  severity: warning
  weight: 2
  enabled: false
  check:
    kind: hierarchy
    rows: [new]
    assert: not covers or parent_value >= children_sum
  message: 表三“{row_label}”{actual}件，少于所涵盖的下级单位（{children_names}）之和{expected}件。
""",
)
