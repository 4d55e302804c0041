"""Kind `deadline`: the dates a report was signed and published, against the deadline for its organ.

条例第四十九条 sets two deadlines: each organ's report by 31 January of the
next year, a government's own report (published by its 政府信息公开工作主管部门)
by 31 March; provinces set their own for 乡镇. So the deadlines, and which
kind of organ each applies to, are parameters of the rule (the first entry
whose organ pattern, or units-file column, matches the report applies), and
the dates are those the report and the units file give: the date the report
is signed with at its end, and a publication date (a column of the units file,
else the 发布日期 the page prints around the title or after the end).
A date that could not be read gives no fact: never a finding for our reading.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from gxaudit.formats.text import squeeze
from gxaudit.parse.metadata import printed_publication_date, signature_date
from gxaudit.regex import on_use
from gxaudit.rules.kinds.base import CheckError, Env, Fact, _fact, _location
from gxaudit.rules.kinds.kind import STRINGS, Kind, Param, Problems, Prop

SOURCES = {"signature": "落款日期", "published": "发布日期"}
_DUE = on_use(r"^(\d{1,2})-(\d{1,2})$")
_DATE = on_use(r"^(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$")

DEADLINE_SCHEMA: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["name", "due"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "due": {"type": "string", "pattern": r"^\d{1,2}-\d{1,2}$"},
            "organ": {"type": "string"},
            "unit": {
                "type": "object",
                "required": ["column", "values"],
                "additionalProperties": False,
                "properties": {"column": {"type": "string"}, "values": STRINGS},
            },
        },
    },
}


def _written(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def units_date(text: str) -> dt.date | None:
    """2024-01-31, 2024/1/31 or 2024年1月31日 from the units file; None when not a date that exists."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, *rest = match.groups()
    month, day = (int(v) for v in rest if v is not None)
    try:
        return dt.date(int(year), month, day)
    except ValueError:
        return None


def _applies(entry: dict[str, Any], organ: str | None, unit: dict[str, str] | None) -> bool:
    wanted = entry.get("unit")
    if wanted and unit and unit.get(wanted["column"]):
        return unit[wanted["column"]].strip() in wanted["values"]
    pattern = entry.get("organ")
    return bool(pattern and organ and re.search(pattern, squeeze(organ)))


def _published(env: Env, params: dict[str, Any]) -> tuple[dt.date, int | None] | None:
    """The publication date and its line: the units file's (at the title), else the one the
    page prints with the report ("发布日期：2022-02-15")."""
    report = env.report
    assert report is not None
    if env.unit:
        column = next((c for c in params.get("published_columns") or () if env.unit.get(c)), None)
        published = units_date(env.unit[column]) if column else None
        if published is not None:
            return published, report.title_line or 1
    return printed_publication_date(report.lines)


def check_deadline(env: Env, params: dict[str, Any]) -> list[Fact]:
    report = env.report
    if report is None or report.year is None:
        return []
    entry = next((e for e in params["deadlines"] if _applies(e, report.organ, env.unit)), None)
    if entry is None:
        return []  # which deadline applies cannot be told
    month, day = (int(v) for v in _DUE.match(entry["due"]).groups())  # type: ignore[union-attr]
    try:
        due = dt.date(report.year + 1, month, day)
    except ValueError as exc:
        raise CheckError(f"deadline: due {entry['due']!r} is not a day of the year ({exc})") from None
    dates: list[tuple[str, dt.date, int | None]] = []
    sources = params.get("dates") or list(SOURCES)
    if "signature" in sources:
        signed = signature_date(report.lines)
        if signed is not None:
            dates.append(("signature", signed[0], signed[1]))
    if "published" in sources:
        published = _published(env, params)
        if published is not None:
            dates.append(("published", *published))
    facts = []
    for source, date, line in dates:
        late = (date - due).days
        facts.append(
            _fact(
                {"days_late": late, "source": source, "year": report.year},
                **_location(line),
                source_label=SOURCES[source],
                date=_written(date),
                due=_written(due),
                deadline_name=entry["name"],
                item=source,  # two dates of one report are two findings (fingerprint)
                days_late=late,
                expected=_written(due),
                actual=_written(date),
            )
        )
    return facts


def _validate(params: dict[str, Any], problems: Problems) -> None:
    for index, entry in enumerate(params.get("deadlines") or []):
        if not isinstance(entry, dict):
            continue
        if not entry.get("organ") and not entry.get("unit"):
            problems.add(
                "deadlines",
                f"deadlines[{index}] 需要 organ（机关名称的正则表达式）或 unit（单位表的列）说明适用于谁",
            )
        if isinstance(entry.get("organ"), str):
            problems.check_regex("deadlines", f"deadlines[{index}].organ", entry["organ"])
        due = _DUE.match(str(entry.get("due", "")))
        if due:
            try:
                dt.date(2023, int(due.group(1)), int(due.group(2)))  # a common year: no 02-29
            except ValueError:
                problems.add("deadlines", f"deadlines[{index}].due {entry['due']!r} 不是一年中的某一天")
    for source in params.get("dates") or []:
        if source not in SOURCES:
            problems.add("dates", f"未知的日期 {source!r}（已知的日期：{', '.join(SOURCES)}）")
    if "published" in (params.get("dates") or SOURCES) and not params.get("published_columns"):
        problems.add("published_columns", "published 日期需要 published_columns（单位表中的列）")


KIND = Kind(
    name="deadline",
    one_fact_per="date the report was signed or published (when it can be read)",
    doc="The date a report is signed with at its end (a date after an organ's name, or alone on its "
    "line; not the page's fields after it, nor a date ending a sentence), and its publication date "
    "(a column of the units file, else the 发布日期 the page prints with the report), against the deadline for its kind of organ in the year after the report year "
    "(条例第四十九条: 1月31日 for an organ's report, 3月31日 for a government's own). `deadlines` lists "
    "the kinds of organ in order, each with an `organ` regular expression (searched in the organ's name "
    "from the title) or a `unit` column and its values, and its `due` month-day; the first that applies "
    "is used. No fact when no date can be read or no entry applies.",
    params=(
        Param("deadlines", DEADLINE_SCHEMA, "the deadlines, first match applies", required=True),
        Param(
            "dates",
            {"type": "array", "items": {"enum": list(SOURCES)}, "minItems": 1},
            "which dates are checked (default: signature and published)",
        ),
        Param("published_columns", STRINGS, "units-file columns that may hold the publication date"),
    ),
    properties=(
        Prop("days_late", "number", "days after the deadline (0 or less: in time)"),
        Prop("source", "string", '"signature" (落款日期) or "published" (units file or page)'),
        Prop("year", "number", "the report year"),
    ),
    placeholders=("source_label", "date", "due", "deadline_name", "expected", "actual"),
    draw=check_deadline,
    validate=_validate,
    example="""
- id: USR-TIM-001
  title: 年度报告晚于法定期限
  category: timeliness
  severity: warning
  weight: 2
  check:
    kind: deadline
    dates: [signature]
    deadlines:
      - {name: 县级以上人民政府年度报告, organ: "(省|自治区|市|州|盟|县|区|旗)(人民政府)?$", due: "03-31"}
      - {name: 部门年度报告, organ: ".", due: "01-31"}
    assert: days_late <= 0
  message: "{source_label}为{date}，晚于{deadline_name}的期限{due}。"
""",
)
