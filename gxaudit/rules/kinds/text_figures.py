"""Kind `text_figures`: one fact per figure the body text states, against the tables.

See rules/narrative/ for how mentions and their scope are read.
"""

from __future__ import annotations

from typing import Any

from gxaudit.rules.kinds.base import TABLE_NAME, Env, Fact, _fact, _location
from gxaudit.rules.kinds.kind import SECTION_IDS, Kind, Param, Problems, Prop
from gxaudit.rules.narrative.measures import CELL_NAMES, _cells_for, _resolve, table_value
from gxaudit.rules.narrative.mentions import MEASURES, extract_mentions, prepare


def check_text_figures(env: Env, params: dict[str, Any]) -> list[Fact]:
    """One fact per figure mention in the body text (kind `text_figures`)."""
    report = env.report
    wanted = params.get("sections")
    facts = []
    for section in report.sections:
        if wanted and section.id not in wanted:
            continue
        text, written, where = prepare(section.body_lines)
        if not text:
            continue
        for mention in extract_mentions(text, report.organ, written, report.year):
            measure = _resolve(report, mention)
            value, cells = table_value(report, measure)
            if measure == "new" and mention.ambiguous:
                both, _ = table_value(report, "new_and_carried_over")
                note = (
                    f"（表三本年新收{value}件，新收与上年结转之和{both}件）"
                    if value is not None and both is not None and both != value
                    else ""
                )
            else:
                note = ""
            if cells:
                table, keys, first = cells[0]
                block = keys[0] if table == "proactive" else None
                row, column = keys[-2], keys[-1]
                labels = env.labels.cell(table, block, row, column)
                cells_text = " + ".join(
                    f"“{_cell_label(env, t, k)}”{c.raw}（第{c.line}行）" for t, k, c in cells
                )
                location = _location(where[mention.start], section.id, table, row, column)
                table_label = TABLE_NAME[table]
            else:
                table = _cells_for(measure)[0][0]
                keys = _cells_for(measure)[0][1]
                block = keys[0] if table == "proactive" else None
                labels = env.labels.cell(table, block, keys[-2], keys[-1])
                cells_text = ""
                location = _location(where[mention.start], section.id, table, keys[-2], keys[-1])
                table_label = TABLE_NAME[table]
            props = {
                "measure": measure,
                "stated": mention.stated,
                "table": value,
                "scope": mention.scope,
                "has_table": value is not None,
            }
            facts.append(
                _fact(
                    props,
                    **location,
                    block=block,
                    section_label=env.labels.section(section.id) or "正文",
                    snippet=mention.snippet,
                    measure_label=MEASURES[measure],
                    table_label=table_label,
                    cells=cells_text,
                    table_note=note,
                    scope_label="全部" if mention.scope == "whole" else "部分",
                    scope_reason=mention.scope_reason,
                    expected=value,
                    actual=mention.stated,
                    row_label=labels["row_label"],
                    column_label=labels["column_label"],
                )
            )
    return facts


def _cell_label(env, table: str, keys: tuple[str, ...]) -> str:
    if keys in CELL_NAMES:
        return CELL_NAMES[keys]
    block = keys[0] if table == "proactive" else None
    labels = env.labels.cell(table, block, keys[-2], keys[-1])
    return f"{labels['row_label']}/{labels['column_label']}"


def _validate(params: dict[str, Any], problems: Problems) -> None:
    for section in params.get("sections") or []:
        problems.check_ids("sections", "section", section, problems.ids.sections)


KIND = Kind(
    name="text_figures",
    one_fact_per="figure the body text states about a measure of the tables",
    doc="Every figure the text of the named parts states (收到申请17件, 答复3050件, 行政复议3件, 现行有效"
    "规范性文件698件), with the measure it states, the tables' value of that measure, and whether the "
    "sentence speaks of the whole organ or of a part of it (scope).",
    params=(Param("sections", SECTION_IDS, "the parts whose text is read (default: all)"),),
    properties=(
        Prop(
            "measure",
            "string",
            "new, new_and_carried_over, carried_over, results_total, carried_forward, "
            "review, litigation, in_force, in_force_rules, in_force_normative_docs",
        ),
        Prop("stated", "number", "the figure the text states"),
        Prop("table", "number", "the tables' value of the measure"),
        Prop("scope", "string", "whole, or partial (a part of the organ, a topic, a 其中)"),
        Prop("has_table", "boolean", "the tables give a value for the measure"),
    ),
    placeholders=(
        "block",
        "section_label",
        "snippet",
        "measure_label",
        "table_label",
        "cells",
        "table_note",
        "scope_label",
        "scope_reason",
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
    assert: not has_table or scope != "whole" or stated == table
  message: 正文“{snippet}”称{measure_label}为 {actual}，{table_label}为 {expected}。
""",
)
