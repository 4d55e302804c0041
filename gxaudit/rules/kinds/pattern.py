"""Kind `pattern`: one fact per named part, whether its text matches a regular expression."""

from __future__ import annotations

import re
from typing import Any

from gxaudit.formats.text import fold
from gxaudit.rules.kinds.base import Env, Fact, _fact, _location


def check_pattern(env: Env, params: dict[str, Any]) -> list[Fact]:
    section_id = params.get("section")
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
