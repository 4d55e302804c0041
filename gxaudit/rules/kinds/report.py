"""Kind `report`: one fact per report — year, format, title, organ, statistics period."""

from __future__ import annotations

from typing import Any

from gxaudit.formats.load import format_for_year, load_formats
from gxaudit.rules.kinds.base import Env, Fact, _fact, _location
from gxaudit.rules.kinds.kind import Kind, Param, Prop


def check_report(env: Env, params: dict[str, Any]) -> list[Fact]:
    r = env.report
    expected = _expected_format(r.year) if r.year is not None else None
    starts = [y for y, _ in r.period_years[0::2]]
    ends = [y for y, _ in r.period_years[1::2]]
    period_line = r.period_years[0][1] if r.period_years else None
    props = {
        "year": r.year,
        "format": r.format,
        "expected_format": expected,
        "has_title": r.title is not None,
        "has_year": r.year is not None,
        "has_organ": r.organ is not None,
        "has_period": bool(r.period_years),
        "period_start": starts[0] if starts else None,
        "period_end": ends[0] if ends else None,
    }
    line = period_line if params.get("locate") == "period" and period_line else r.title_line
    return [
        _fact(
            props,
            **_location(line or 1),
            title=r.title or "",
            year=r.year,
            format=r.format,
            expected_format=expected,
            period_start=props["period_start"],
            period_end=props["period_end"],
            expected=r.year,
            actual=props["period_start"],
        )
    ]


# year -> (the formats it was worked out from, the id of the format a report of that year follows)
_EXPECTED: dict[int, tuple[Any, str | None]] = {}


def _expected_format(year: int) -> str | None:
    """The id of the format a report of `year` must follow (format_for_year), worked out once
    a year for the formats loaded (formats loaded again are other objects: worked out again)."""
    formats = load_formats()
    found = _EXPECTED.get(year)
    if found is None or found[0] is not formats:
        if len(_EXPECTED) > 256:
            _EXPECTED.clear()
        fitting = format_for_year(year)
        found = _EXPECTED[year] = (formats, fitting.id if fitting else None)
    return found[1]


KIND = Kind(
    name="report",
    one_fact_per="report",
    doc="The report as a whole: its year, its format and the format its year calls for, whether a "
    "title, year, organ and statistics period were read, and the years the period names.",
    params=(
        Param(
            "locate",
            {"enum": ["title", "period"]},
            "where a finding is located: the title line (default) or the statistics-period sentence",
        ),
    ),
    properties=(
        Prop("year", "number", "the report year"),
        Prop("format", "string", 'the format the report follows ("2019", "2021", "unknown")'),
        Prop("expected_format", "string", "the format its year calls for"),
        Prop("has_title", "boolean", "a title line was read"),
        Prop("has_year", "boolean", "the year was read"),
        Prop("has_organ", "boolean", "the organ was read"),
        Prop("has_period", "boolean", "a statistics-period sentence (统计期限…) was read"),
        Prop("period_start", "number", "the first year the period names"),
        Prop("period_end", "number", "the last year the period names"),
    ),
    placeholders=("title", "expected", "actual"),
    draw=check_report,
    example="""
- id: USR-REP-001
  title: 统计期限与报告年度不一致
  category: year
  severity: error
  weight: 5
  check:
    kind: report
    locate: period
    assert: not has_period or (period_start == year and period_end == year)
  message: 标题为{year}年度报告，但统计期限写的是{period_start}年至{period_end}年。
""",
)
