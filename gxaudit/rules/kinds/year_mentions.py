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
# the year work is carried to: "结转至2026年", "顺延到2026年度", "转入2026年办理"
_FORWARD_BEFORE = re.compile(
    r"(?:结转|转入|转至|转到|顺延|延至|延期|留待|移至|延续|移交)\s*(?:到|至|入)?\s*$"
)
# a date the text is written as of: "截至2026年1月20日" (the report is published early next year)
_AS_OF_BEFORE = re.compile(r"(?:截至|截止|截止到|截止至|至|到)\s*(?:目前|发稿时|本报告发布时)?\s*$")
_MONTH_AFTER = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月")


def _mention_context(line: str, start: int, end: int) -> dict[str, bool]:
    """plan, comparison, forward, as_of and ignored for a year mention in a line of text."""
    before = line[max(0, start - 8) : start]
    after = line[end:]
    clause = re.split(r"[。；;]", after, maxsplit=1)[0][:30]
    return {
        "plan": bool(_PLAN_AFTER.match(after) or _PLAN_CLAUSE.search(clause)),
        "comparison": bool(_COMPARISON_BEFORE.search(before)) or after[:3].lstrip("度，, ").startswith("较"),
        "forward": bool(_FORWARD_BEFORE.search(before)),
        "as_of": bool(_AS_OF_BEFORE.search(before) and _MONTH_AFTER.match(after)),
        # inside a title 《…》: not a statement about the year
        "ignored": line.rfind("《", 0, start) > line.rfind("》", 0, start),
    }


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
                context = _mention_context(fold(text), offset, match_end)
                if context["ignored"]:
                    continue
                plan = context["plan"]
                snippet = text[max(0, offset - 8) : offset + 16].strip()
                facts.append(
                    _fact(
                        {
                            "year": year,
                            "report_year": r.year,
                            "delta": year - r.year,
                            "plan": plan,
                            "comparison": context["comparison"],
                            "forward": context["forward"],
                            "as_of": context["as_of"],
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
    "plan (2021年工作计划, 2021年将…), the year work is carried to (结转至2021年) and a date the text is "
    "written as of (截至2021年1月20日) are marked as such.",
    params=(Param("sections", SECTION_IDS, "the parts whose text is read", required=True),),
    properties=(
        Prop("year", "number", "the year mentioned"),
        Prop("report_year", "number", "the report year"),
        Prop("delta", "number", "year − report_year"),
        Prop("plan", "boolean", "the mention states a plan for that year"),
        Prop("comparison", "boolean", "the mention is a comparison (较…年)"),
        Prop("forward", "boolean", "the year work is carried to (结转至2026年, 顺延到2026年度)"),
        Prop("as_of", "boolean", "a date the text is written as of (截至2026年1月20日)"),
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
