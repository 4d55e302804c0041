"""Kind `text_figures`: one fact per statement the body text makes about a measure
of the tables (a figure, a negative statement, "均已答复", "均获维持", a percentage).

See rules/narrative/ for how statements and their scope are read.
"""

from __future__ import annotations

import functools
from typing import Any

from gxaudit.rules.kinds.base import LAZY, TABLE_NAME, Env, Fact, Labels, _fact, _location
from gxaudit.rules.kinds.kind import SECTION_IDS, Kind, Param, Problems, Prop
from gxaudit.rules.narrative import model as M
from gxaudit.rules.narrative.applicants import applicant_of
from gxaudit.rules.narrative.measures import cell_names, cells_for, resolve, share_range, table_value
from gxaudit.rules.narrative.mentions import MEASURES, extract_mentions, prepare


def _statement(mention: M.Mention, measure_label: str) -> str:
    """What the text states, in words, for a message ("本年新收申请数为12件")."""
    stated = _number_text(mention.stated, mention.claim, mention.decimals)
    claim = mention.claim
    if claim == M.NONE:
        return f"即{measure_label}为0件"
    if claim == M.ALL_ANSWERED:
        return f"即收到的{stated}申请均已办结（答复），办结与结转下年度继续办理之和应不少于{stated}"
    if claim in (M.ALL_UPHELD, M.ALL_SETTLED, M.NOT_CORRECTED):
        said = {M.ALL_UPHELD: "均获维持", M.ALL_SETTLED: "均已审结", M.NOT_CORRECTED: "未被纠正"}[claim]
        return f"即{said}，{measure_label}应为0件"
    if claim == M.SHARE:
        return f"{measure_label}占{stated}"
    return f"{measure_label}为{stated}"


def _number_text(value: int | float | None, claim: str, decimals: int = 0) -> str:
    if value is None:
        return ""
    if claim == M.SHARE:
        return f"{value:.{decimals}f}%"
    return f"{value:g}件" if isinstance(value, float) else f"{value}件"


def _basis_agrees(report, mention: M.Mention) -> bool:
    """An "all answered" claim, or one kind of applicant's part of the received figure, is
    compared only when the received figures it is said of agree with the table (otherwise
    that figure is the finding, once)."""
    for received in mention.basis:
        value, _ = table_value(report, resolve(report, received))
        if value is None or value != received.stated:
            return False
    return bool(mention.basis)


def check_text_figures(env: Env, params: dict[str, Any]) -> list[Fact]:
    """One fact per statement in the body text (kind `text_figures`)."""
    report = env.report
    wanted = params.get("sections")
    facts: list[Fact] = []
    for index, section in enumerate(report.sections):
        if wanted and section.id not in wanted:
            continue
        drawn = env.memo.get(("text_figures", index))
        if drawn is None:  # the same for every route of the kind: drawn once a report
            drawn = env.memo[("text_figures", index)] = _section_facts(env, section)
        facts.extend(drawn)
    return facts


def _section_facts(env: Env, section) -> list[Fact]:
    """The facts of one part's statements (they do not depend on a check's parameters)."""
    report = env.report
    facts: list[Fact] = []
    text, written, where = prepare(section.body_lines)
    if not text:
        return facts
    for mention in extract_mentions(text, report.organ, written, report.year, section.id):
        if (mention.claim == M.ALL_ANSWERED or mention.basis) and not _basis_agrees(report, mention):
            continue
        measure = resolve(report, mention)
        value, cells = table_value(report, measure)
        props: dict[str, Any] = {
            "measure": measure,
            "claim": mention.claim,
            "stated": mention.stated,
            "table": value,
            "scope": mention.scope,
            "applicant": applicant_of(measure),
            "has_table": value is not None,
            "inferred": any(c.inferred for _, _, c in cells),
        }
        share = None
        if mention.claim == M.SHARE:
            share = share_range(report, mention)
            props["has_table"] = share is not None
            props["table"] = None
            if share is not None:
                low, high, _ = share
                props.update(table_low=low, table_high=high, table=low)
        table, keys = cells_for(measure, report)[0]
        facts.append(
            _fact(
                props,
                **_location(where[mention.start], section.id, table, keys[-2], keys[-1]),
                block=keys[0] if table == "proactive" else None,
                snippet=mention.snippet,
                expected=props.get("table"),
                actual=mention.stated,
                **{
                    LAZY: functools.partial(
                        _explain, report, env.labels, section.id, mention, measure, value, cells, share
                    )
                },
            )
        )
    return facts


# an ambiguous received figure ("收到N件") is compared with 本年新收 or with 本年新收 + 上年结转
# (the total: with the latter only when it matches): its message names both
_RECEIVED_PAIRS = {"new": ("new", "new_and_carried_over")} | {
    measure: (new, both) for new, both in M.RECEIVED_BY_APPLICANT.items() for measure in (new, both)
}


def _explain(
    report,
    labels: Labels,
    section_id: str,
    mention: M.Mention,
    measure: str,
    value: int | float | None,
    cells: list[tuple],
    share: tuple[float, float, str] | None,
) -> dict[str, Any]:
    """The words of a statement's message: worked out only for a fact that becomes a
    finding (most never do). It holds the report and its labels, not the Env: the Env
    keeps the facts (memo), and a cycle would outlive the report's audit."""
    names = cell_names(report)
    note = ""
    pair = _RECEIVED_PAIRS.get(measure)
    if pair and mention.ambiguous and mention.claim == M.FIGURE:
        new, _ = table_value(report, pair[0])
        both, _ = table_value(report, pair[1])
        if new is not None and both is not None and both != new:
            who = MEASURES[pair[0]].removeprefix("本年新收").removesuffix("申请数")  # "自然人", or ""
            note = f"（表三本年新收{who}{new}件，新收与上年结转之和{both}件）"
    table_shown = _number_text(value, M.FIGURE)
    if share is not None:
        low, high, base = share
        note = f"（按{MEASURES[base]}计算）"
        table_shown = _number_text(low, M.SHARE, mention.decimals)
        if high != low:
            table_shown += f"～{_number_text(high, M.SHARE, mention.decimals)}"
    table, keys = cells_for(measure, report)[0]
    cell_labels = labels.of_keys(table, keys)
    cells_text = " + ".join(
        f"“{names.get(k) or labels.cell_name(t, k)}”{c.raw}（{report.place(c.line)}）" for t, k, c in cells
    )
    if any(c.inferred for _, _, c in cells):
        note += "（表格中这些数字连写，是推定读出的，请一并核对）"
    return {
        "section_label": labels.section(section_id) or "正文",
        "measure_label": MEASURES.get(measure, measure),
        "statement": _statement(mention, MEASURES.get(measure, measure)),
        "table_label": TABLE_NAME[table],
        "cells": cells_text,
        "table_note": note,
        "scope_label": "全部" if mention.scope == "whole" else "部分",
        "scope_reason": mention.scope_reason,
        "stated_text": _number_text(mention.stated, mention.claim, mention.decimals),
        "table_text": table_shown,
        "row_label": cell_labels["row_label"],
        # 法人或其他组织 is the sum of five columns: named as such, not as its first column
        "column_label": _APPLICANT_GROUPS.get(applicant_of(measure)) or cell_labels["column_label"],
        # `expected` is the table's figure, `actual` the text's (a grouped finding lists both)
        "expected_label": "表格",
        "actual_label": "正文",
    }


_APPLICANT_GROUPS = {"legal_or_other": "法人或其他组织"}


def _validate(params: dict[str, Any], problems: Problems) -> None:
    for section in params.get("sections") or []:
        problems.check_ids("sections", "section", section, problems.ids.sections)


KIND = Kind(
    name="text_figures",
    one_fact_per="statement the body text makes about a measure of the tables",
    doc="Every statement the text of the named parts makes about a measure of the tables: figures "
    "(收到申请17件, 答复3050件, 行政复议3件，其中结果维持2件, 同意公开答复9件, 现行有效规范性文件698件), "
    "negative statements (未发生行政复议、行政诉讼, 未收到申请), claims without a number (收到2件，均已答复; "
    "均获维持; 均已审结; 未被纠错) and percentages (予以公开…占60%), with the measure, the tables' value of "
    "it, and whether the sentence speaks of the whole organ or of a part of it (scope).",
    params=(Param("sections", SECTION_IDS, "the parts whose text is read (default: all)"),),
    properties=(
        Prop(
            "measure",
            "string",
            "a measure of formats/*.yaml `measures`: new, new_and_carried_over, carried_over, "
            "results_total, carried_forward, concluded_or_carried_forward, granted, partial, "
            "granted_and_partial, denied, unable, rejected, other_results, review, litigation, "
            "review_and_litigation, review_upheld … litigation_pending, in_force, in_force_rules, "
            "in_force_normative_docs, and one kind of applicant's received applications: "
            "new_natural_person … new_legal, new_and_carried_over_natural_person … (see `applicant`)",
        ),
        Prop(
            "claim",
            "string",
            "figure (a number), none (a negative statement: the measure is 0), all_answered "
            "(均已答复: concluded + carried forward >= stated), all_upheld (均获维持: said of the "
            "corrected and pending columns), all_settled (均已审结: pending), not_corrected (未被纠错), "
            "share (a percentage of the concluded or received applications)",
        ),
        Prop("stated", "number", "the figure the text states (0 for a negative statement; % for share)"),
        Prop("table", "number", "the tables' value of the measure (share: the low end of table_low…)"),
        Prop("table_low", "number", "share: the table's percentage cut to the decimals printed"),
        Prop("table_high", "number", "share: the table's percentage rounded up to the decimals printed"),
        Prop(
            "scope", "string", "whole, or partial (a part of the organ, a topic, a kind of applicant, a 其中)"
        ),
        Prop(
            "applicant",
            "string",
            "the kind of applicant whose received applications the figure counts (其中自然人申请60件): "
            "natural_person, legal_or_other (法人或其他组织), commercial, research, social, legal; "
            "empty for any other figure",
        ),
        Prop("has_table", "boolean", "the tables give a value for the measure"),
        Prop("inferred", "boolean", "a cell compared was read by inference (run-together digits)"),
    ),
    placeholders=(
        "block",
        "section_label",
        "snippet",
        "measure_label",
        "statement",
        "table_label",
        "cells",
        "table_note",
        "scope_label",
        "scope_reason",
        "stated_text",
        "table_text",
        "expected",
        "actual",
        "row_label",
        "column_label",
    ),
    draw=check_text_figures,
    validate=_validate,
    example="""
- id: USR-NAR-001
  title: 正文所述申请数与表三不一致
  category: narrative
  severity: error
  weight: 5
  check:
    kind: text_figures
    assert: not has_table or scope != "whole" or claim != "figure" or stated == table
  message: 正文“{snippet}”，{statement}，但{table_label}为{table_text}：{cells}。
""",
)
