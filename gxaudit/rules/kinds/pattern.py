"""Kind `pattern`: one fact per named part, whether its text matches a regular expression."""

from __future__ import annotations

import re
from typing import Any

from gxaudit.formats.text import fold
from gxaudit.rules.kinds.base import Env, Fact, _fact, _location
from gxaudit.rules.kinds.kind import Kind, Param, Problems, Prop


def check_pattern(env: Env, params: dict[str, Any]) -> list[Fact]:
    section_id = str(params.get("section"))
    regex = re.compile(params["regex"])
    section = env.report.section(section_id)
    if section is None:
        return [
            _fact(
                {"present": False, "matched": False, "empty": True, "length": 0},
                **_location(None, section_id),
                section_label=env.labels.section(section_id),
                text="",
            )
        ]
    body = section.text.strip()
    match = regex.search(fold(body)) if body else None
    line = section.line
    if match:
        upto = fold(body)[: match.start()].count("\n")
        line = section.body_lines[upto][0] if upto < len(section.body_lines) else section.line
    excerpt = body[:40].replace("\n", " ")
    return [
        _fact(
            {"present": True, "matched": match is not None, "empty": not body, "length": len(body)},
            **_location(line, section_id),
            section_label=env.labels.section(section_id),
            heading=section.heading,
            number=section.number,
            text=excerpt,
            actual=excerpt or "（空）",
        )
    ]


def _validate(params: dict[str, Any], problems: Problems) -> None:
    if isinstance(params.get("section"), str):
        problems.check_ids("section", "section", params["section"], problems.ids.sections)
    if isinstance(params.get("regex"), str):
        problems.check_regex("regex", "regex", params["regex"])


KIND = Kind(
    name="pattern",
    one_fact_per="named part",
    doc="Whether the text of a part is present, empty, and matches a regular expression "
    "(searched in the text folded to half width).",
    params=(
        Param("section", {"type": "string"}, "the part whose text is searched", required=True),
        Param("regex", {"type": "string"}, "a Python regular expression", required=True),
    ),
    properties=(
        Prop("present", "boolean", "the part is in the report"),
        Prop("matched", "boolean", "the regular expression matches its text"),
        Prop("empty", "boolean", "the part has no text"),
        Prop("length", "number", "characters of text"),
    ),
    placeholders=("section_label", "heading", "number", "text", "actual"),
    draw=check_pattern,
    validate=_validate,
    example="""
- id: USR-CON-001
  title: 第六部分未说明信息处理费
  category: content
  severity: warning
  weight: 3
  check:
    kind: pattern
    section: other_matters
    regex: 信息处理费
    assert: not present or matched
  message: 第六部分未说明是否收取信息处理费。
""",
)
