"""Kind `year_mentions`: one fact per "2020年" in the named parts."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from gxaudit.formats.grammar import year_mentions
from gxaudit.formats.text import fold, remembered_when_short
from gxaudit.parse import ast
from gxaudit.parse.metadata import signature_date
from gxaudit.regex import on_use
from gxaudit.rules.kinds.base import Env, Fact, Labels, _location
from gxaudit.rules.kinds.kind import SECTION_IDS, Kind, Param, Problems, Prop

_PLAN_AFTER = on_use(r"^\s*(?:年度?)?\s*(?:工作)?(?:计划|打算|工作要点|工作安排|重点工作|工作思路)")
_PLAN_CLAUSE = on_use(r"将|计划|打算|拟|力争|预计")
_COMPARISON_BEFORE = on_use(r"(?:较|比|与|同比|相比|对比|和)\s*$")
# the year work is carried to: "结转至2026年", "顺延到2026年度", "转入2026年办理"
_FORWARD_BEFORE = on_use(r"(?:结转|转入|转至|转到|顺延|延至|延期|留待|移至|延续|移交)\s*(?:到|至|入)?\s*$")
# a date the text is written as of: "截至2026年1月20日" (the report is published early next year)
_AS_OF_BEFORE = on_use(r"(?:截至|截止|截止到|截止至|至|到)\s*(?:目前|发稿时|本报告发布时)?\s*$")
_MONTH_AFTER = on_use(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月")
_CLAUSE_END = on_use(r"[。；;]")
# the month and day of a full date: "2026年1月18日"
_MONTH_DAY_AFTER = on_use(r"\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _mention_context(line: str, start: int, end: int) -> dict[str, bool]:
    """plan, comparison, forward, as_of and ignored for a year mention in a line of text."""
    before = line[max(0, start - 8) : start]
    after = line[end:]
    # the clause after it (up to 。 or ；), at most 30 characters: a stop past those is not looked for
    clause = _CLAUSE_END.split(after[:30], maxsplit=1)[0]
    return {
        "plan": bool(_PLAN_AFTER.match(after) or _PLAN_CLAUSE.search(clause)),
        "comparison": bool(_COMPARISON_BEFORE.search(before)) or after[:3].lstrip("度，, ").startswith("较"),
        "forward": bool(_FORWARD_BEFORE.search(before)),
        "as_of": bool(_AS_OF_BEFORE.search(before) and _MONTH_AFTER.match(after)),
        # inside a title 《…》: not a statement about the year
        "ignored": line.rfind("《", 0, start) > line.rfind("》", 0, start),
    }


class _Mention(NamedTuple):
    """A year mentioned in a line of text, as every line of that text has it."""

    year: int
    plan: bool
    comparison: bool
    forward: bool
    as_of: bool
    snippet: str
    column_number: int
    month_day: tuple[int, int] | None  # of a full date ("2026年1月18日"), else None


# a line longer than this (a paragraph of a PDF or a web page) is read each time
_CACHED_LINE = 120


@remembered_when_short(_CACHED_LINE, maxsize=4096)
def _mentions(text: str) -> tuple[_Mention, ...]:
    """The years a line mentions, those inside 《…》 left out. Short lines repeat across
    reports (templates, boilerplate): each is read once."""
    mentions = []
    line = fold(text)
    for year, offset, match_end in year_mentions(text):
        context = _mention_context(line, offset, match_end)
        if context["ignored"]:
            continue
        full_date = _MONTH_DAY_AFTER.match(line, match_end)
        mentions.append(
            _Mention(
                year,
                context["plan"],
                context["comparison"],
                context["forward"],
                context["as_of"],
                text[max(0, offset - 8) : offset + 16].strip(),
                offset + 1,
                (int(full_date[1]), int(full_date[2])) if full_date else None,
            )
        )
    return tuple(mentions)


def _before_signing(report: ast.Report, year: int, month_day: tuple[int, int] | None) -> bool:
    """A full date of the year after the report's no later than the date the report is signed
    with (none read: 1月31日, the first deadline): a time point before publication ("本报告已经
    2026年1月18日审议通过", "根据2026年1月5日印发的通知"), not next year's work."""
    if month_day is None or report.year is None or year != report.year + 1:
        return False
    try:
        date = dt.date(year, *month_day)
    except ValueError:
        return False  # not a date that exists: never taken as one
    signed = signature_date(report.lines)
    return date <= (signed[0] if signed else dt.date(year, 1, 31))


def check_year_mentions(env: Env, params: dict[str, Any]) -> list[Fact]:
    r = env.report
    report_year = r.year
    if report_year is None:
        return []
    wanted = params.get("sections") or []
    facts = []
    for section in r.sections:
        if section.id not in wanted:
            continue
        for line_no, text in section.body_lines:
            if "年" not in text:
                continue  # no year mentioned ("2020年"; folding makes no 年)
            for m in _mentions(text):
                # the properties hold no None and no Decimal: nothing for engine_props to convert;
                # where the mention stands and its words are worked out only for a finding
                facts.append(
                    Fact.explained(
                        {
                            "year": m.year,
                            "report_year": report_year,
                            "delta": m.year - report_year,
                            "plan": m.plan,
                            "comparison": m.comparison,
                            "forward": m.forward,
                            "as_of": m.as_of,
                            "before_signing": _before_signing(r, m.year, m.month_day),
                        },
                        _explain,
                        env.labels,
                        section.id,
                        line_no,
                        m,
                        report_year,
                    )
                )
    return facts


def _explain(labels: Labels, section_id: str, line_no: int, m: _Mention, report_year: int) -> dict[str, Any]:
    """Where a mention stands and its words: built only when its fact becomes a finding."""
    return {
        **_location(line_no, section_id),
        "year": m.year,
        "report_year": report_year,
        "snippet": m.snippet,
        "section_label": labels.section(section_id),
        "expected": report_year + 1 if m.plan else report_year,
        "actual": m.year,
        "column_number": m.column_number,
    }


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
        Prop(
            "before_signing",
            "boolean",
            "a full date of the next year (2026年1月18日) no later than the report's signing date "
            "(none read: 1月31日): a time point before publication",
        ),
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
