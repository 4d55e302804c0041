"""Kind `report`: one fact per report — year, format, title, organ, statistics period."""

from __future__ import annotations

from typing import Any

from gxaudit.formats.load import load_formats
from gxaudit.rules.kinds.base import Env, Fact, _fact, _location


def check_report(env: Env, params: dict[str, Any]) -> list[Fact]:
    r = env.report
    expected = None
    if r.year is not None:
        for fid, fmt in load_formats().items():
            if fmt.applies_to_year(r.year):
                expected = fid
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
