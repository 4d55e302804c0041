"""Kind `year_mentions`: one fact per "2020年" in the named parts."""

from __future__ import annotations

import re
from typing import Any

from gxaudit.formats.grammar import year_mentions
from gxaudit.formats.text import fold
from gxaudit.rules.kinds.base import Env, Fact, _fact, _location
from gxaudit.rules.kinds.kind import SECTION_IDS, Kind, Param, Problems, Prop

_PLAN_AFTER = re.compile(r"^\s*(?:年度?)?\s*(?:工作)?(?:计划|打算|工作要点|工作安排|重点工作|工作思路)")
_PLAN_CLAUSE = re.compile(r"将|计划|打算|拟|力争|预计")
_COMPARISON_BEFORE = re.compile(r"(?:较|比|与|同比|相比|对比|和)\s*$")


def _mention_context(line: str, start: int, end: int) -> tuple[bool, bool, bool]:
    """(plan, comparison, ignored) for a year mention in a line of text."""
    before = line[max(0, start - 6) : start]
    after = line[end:]
    clause = re.split(r"[。；;]", after, maxsplit=1)[0][:30]
    plan = bool(_PLAN_AFTER.match(after) or _PLAN_CLAUSE.search(clause))
    comparison = bool(_COMPARISON_BEFORE.search(before)) or after[:3].lstrip("度，, ").startswith("较")
    # inside a title 《…》: not a statement about the year
    opened_title = line.rfind("《", 0, start) > line.rfind("》", 0, start)
    return plan, comparison, opened_title


def check_year_mentions(env: Env, params: dict[str, Any]) -> list[Fact]:
    r = env.report
    if r.year is None:
        return []
    wanted = params.get("sections") or []
    facts = []
    for section in r.sections:
        if section.id not in wanted:
            continue
        for line_no, text in section.body_lines:
            for year, offset, match_end in year_mentions(text):
                plan, comparison, ignored = _mention_context(fold(text), offset, match_end)
                if ignored:
                    continue
                snippet = text[max(0, offset - 8) : offset + 16].strip()
                facts.append(
                    _fact(
                        {
                            "year": year,
                            "report_year": r.year,
                            "delta": year - r.year,
                            "plan": plan,
                            "comparison": comparison,
                        },
                        **_location(line_no, section.id),
                        year=year,
                        report_year=r.year,
                        snippet=snippet,
                        section_label=env.labels.section(section.id),
                        expected=r.year + 1 if plan else r.year,
                        actual=year,
                        column_number=offset + 1,
                    )
                )
    return facts


def _validate(params: dict[str, Any], problems: Problems) -> None:
    for section in params.get("sections") or []:
        problems.check_ids("sections", "section", section, problems.ids.sections)


KIND = Kind(
    name="year_mentions",
    one_fact_per='year mentioned ("2020年") in the named parts',
    doc="Every year the text of the named parts mentions, with its distance from the report year; a "
    "mention inside 《…》, a document number 〔2020〕 or a comparison (较2019年) is told apart, and a "
    "plan (2021年工作计划, 2021年将…) is marked as such.",
    params=(Param("sections", SECTION_IDS, "the parts whose text is read", required=True),),
    properties=(
        Prop("year", "number", "the year mentioned"),
        Prop("report_year", "number", "the report year"),
        Prop("delta", "number", "year − report_year"),
        Prop("plan", "boolean", "the mention states a plan for that year"),
        Prop("comparison", "boolean", "the mention is a comparison (较…年)"),
    ),
    placeholders=("snippet", "section_label", "expected", "actual", "column_number"),
    draw=check_year_mentions,
    validate=_validate,
    example="""
- id: USR-YEAR-001
  title: 正文提到的年度与报告年度不符
  category: year
  severity: warning
  weight: 2
  check:
    kind: year_mentions
    sections: [overview]
    assert: delta == 0 or comparison or (plan and delta == 1)
  message: 第一部分提到“{snippet}”，与报告年度{report_year}年不符。
""",
)
