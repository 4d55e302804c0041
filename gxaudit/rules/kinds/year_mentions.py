"""Kind `year_mentions`: one fact per "2020年" in the named parts."""

from __future__ import annotations

import re
from typing import Any

from gxaudit.formats.grammar import year_mentions
from gxaudit.formats.text import fold
from gxaudit.rules.kinds.base import Env, Fact, _fact, _location

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
