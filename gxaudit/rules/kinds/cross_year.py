"""Kind `cross_year`: this year's figures against last year's report of the same organ."""

from __future__ import annotations

from typing import Any

from gxaudit.rules.kinds.base import CheckError, Env, Fact, _fact, _location
from gxaudit.rules.kinds.kind import SECTION_IDS, STRINGS, Kind, Param, Problems, Prop
from gxaudit.rules.narrative.copied import copied_share

Figures = dict[str, Any]


def _carried(
    env: Env, this: Figures, last: Figures, _params: dict[str, Any], where: dict[str, Any]
) -> list[Fact]:
    """Per column: this year's 上年结转 against last year's 结转下年度继续办理."""
    now = this["applications"].get("carried_over") or {}
    before = last["applications"].get("carried_forward") or {}
    line = this.get("lines", {}).get("carried_over")
    facts = []
    for column, value in now.items():
        if value is None or before.get(column) is None:
            continue
        labels = env.labels.cell("applications", None, "carried_over", column)
        facts.append(
            _fact(
                {"this_carried_over": value, "last_carried_forward": before[column]},
                **_location(line, "applications", "applications", "carried_over", column),
                expected=before[column],
                actual=value,
                **labels,
                **where,
            )
        )
    return facts


def _in_force(
    env: Env, this: Figures, last: Figures, _params: dict[str, Any], where: dict[str, Any]
) -> list[Fact]:
    """Per item1 row: last year's 现行有效 + 本年制发 − 本年废止 against this year's 现行有效."""
    facts = []
    for row, cells in (this.get("item1") or {}).items():
        before = (last.get("item1") or {}).get(row) or {}
        values = {
            "last_in_force": before.get("in_force"),
            "issued": cells.get("issued"),
            "repealed": cells.get("repealed"),
            "in_force": cells.get("in_force"),
        }
        if any(v is None for v in values.values()):
            continue
        labels = env.labels.cell("proactive", "item1", row, "in_force")
        line = this.get("lines", {}).get(f"item1.{row}")
        expected = values["last_in_force"] + values["issued"] - values["repealed"]
        facts.append(
            _fact(
                values,
                **_location(line, "proactive", "proactive", row, "in_force"),
                block="item1",
                expected=expected,
                actual=values["in_force"],
                **labels,
                **values,
                **where,
            )
        )
    return facts


def _copied(
    env: Env, this: Figures, last: Figures, params: dict[str, Any], where: dict[str, Any]
) -> list[Fact]:
    """Per part: the share of this year's sentences found word for word in last year's."""
    facts = []
    for section_id in params.get("sections") or list(this.get("sections") or {}):
        now = (this.get("sections") or {}).get(section_id)
        before = (last.get("sections") or {}).get(section_id)
        if not now or not before:
            continue
        share, examples = copied_share(now, before)
        percent = round(share * 100)
        number = env.labels.section_number(section_id)
        facts.append(
            _fact(
                {"share": float(share), "percent": percent},
                **_location(this.get("lines", {}).get(f"section.{section_id}"), section_id),
                section_label=env.labels.section(section_id),
                number_label=f"{number}部分" if number else "",
                examples="；".join(examples[:2]),
                percent=percent,
                actual=percent,
                **where,
            )
        )
    return facts


CHANGE_ROWS = ("new", "carried_over", "results_total", "carried_forward")


def _change(
    env: Env, this: Figures, last: Figures, params: dict[str, Any], where: dict[str, Any]
) -> list[Fact]:
    """Per table-three row and column: this year's figure beside last year's (outliers)."""
    facts = []
    for row in params.get("rows") or ["new"]:
        now = this["applications"].get(row) or {}
        before = last["applications"].get(row) or {}
        columns = params.get("columns") or ["total"]
        for column in list(now) if columns == ["*"] else columns:
            value, previous = now.get(column), before.get(column)
            if value is None or previous is None:
                continue
            labels = env.labels.cell("applications", None, row, column)
            line = this.get("lines", {}).get(row)
            ratio = f"{value / previous:.2f}".rstrip("0").rstrip(".") if previous else "—"
            facts.append(
                _fact(
                    {"this_value": value, "last_value": previous},
                    **_location(line, "applications", "applications", row, column),
                    expected=previous,
                    actual=value,
                    ratio=ratio,
                    **labels,
                    **where,
                )
            )
    return facts


COMPARISONS = {"carried": _carried, "in_force": _in_force, "copied": _copied, "change": _change}


def check_cross_year(env: Env, params: dict[str, Any]) -> list[Fact]:
    """This year's figures (env.figures) against last year's report of the same organ (env.previous)."""
    this, last = env.figures, env.previous
    if this is None or last is None:
        return []
    compare = COMPARISONS.get(params.get("compare"))  # type: ignore[arg-type]
    if compare is None:
        raise CheckError(
            f"cross_year: compare must be carried, in_force, copied or change, not {params.get('compare')!r}"
        )
    where = {"last_year": last.get("year"), "last_path": last.get("path"), "last_organ": last.get("organ")}
    return compare(env, this, last, params, where)


def _validate(params: dict[str, Any], problems: Problems) -> None:
    if params.get("sections") and params.get("compare") != "copied":
        problems.add("sections", "sections 只在 compare: copied 时使用")
    for name in ("rows", "columns"):
        if params.get(name) and params.get("compare") != "change":
            problems.add(name, f"{name} 只在 compare: change 时使用")
    for row in params.get("rows") or []:
        if row not in CHANGE_ROWS:
            problems.add("rows", f"未知的行 {row!r}（上一年只保留这些行的数字：{', '.join(CHANGE_ROWS)}）")
    for column in params.get("columns") or []:
        if column != "*":
            problems.check_ids("columns", "column", column, problems.ids.keys_of("applications")[1][1])
    for section in params.get("sections") or []:
        problems.check_ids("sections", "section", section, problems.ids.sections)


KIND = Kind(
    name="cross_year",
    one_fact_per="compared figure against last year's report of the same organ",
    doc="This year's report against last year's of the same organ (from the same batch, or from the "
    "store). compare: carried — per column, 上年结转 against last year's 结转下年度继续办理; "
    "in_force — per item1 row, last year's 现行有效 + 本年制发 − 本年废止 against 现行有效; "
    "copied — per part, the share of this year's sentences found word for word in last year's; "
    "change — per table-three row and column (rows among new, carried_over, results_total, "
    "carried_forward; columns, default total, * for all), this year's figure beside last year's, "
    "for outliers (thresholds in the assert).",
    params=(
        Param(
            "compare",
            {"enum": ["carried", "in_force", "copied", "change"]},
            "what is compared",
            required=True,
        ),
        Param("sections", SECTION_IDS, "compare: copied — the parts compared (default: all)"),
        Param(
            "rows",
            {"type": "array", "items": {"enum": list(CHANGE_ROWS)}, "minItems": 1},
            "compare: change — the table-three rows (default: new)",
        ),
        Param("columns", STRINGS, "compare: change — the columns (default: total; * for all)"),
    ),
    properties=(
        Prop("this_carried_over", "number", "carried — this year's 上年结转"),
        Prop("last_carried_forward", "number", "carried — last year's 结转下年度继续办理"),
        Prop("last_in_force", "number", "in_force — last year's 现行有效件数"),
        Prop("issued", "number", "in_force — this year's 本年制发件数"),
        Prop("repealed", "number", "in_force — this year's 本年废止件数"),
        Prop("in_force", "number", "in_force — this year's 现行有效件数"),
        Prop("share", "number", "copied — the share (0–1) of sentences copied"),
        Prop("percent", "number", "copied — the same as a whole percentage"),
        Prop("this_value", "number", "change — this year's figure"),
        Prop("last_value", "number", "change — last year's figure"),
    ),
    placeholders=(
        "expected",
        "actual",
        "block",
        "block_label",
        "row_label",
        "column_label",
        "last_year",
        "last_path",
        "last_organ",
        "section_label",
        "number_label",
        "examples",
        "ratio",
    ),
    draw=check_cross_year,
    validate=_validate,
    example="""
- id: USR-XYR-001
  title: 上年结转与上一年度报告的结转下年度不一致
  category: cross_year
  severity: error
  weight: 5
  check:
    kind: cross_year
    compare: carried
    assert: this_carried_over == last_carried_forward
  message: 表三“上年结转”的“{column_label}”为 {actual}，{last_year}年度报告的结转下年度为 {expected}。
""",
)
