"""Kind `sections`: one fact per part (一…六) the format requires."""

from __future__ import annotations

from typing import Any

from gxaudit.formats.load import Format, load_formats
from gxaudit.formats.model import per_format
from gxaudit.parse import ast
from gxaudit.rules.kinds.base import Env, Fact, Labels, _location, engine_props
from gxaudit.rules.kinds.kind import Kind, Prop


def check_sections(env: Env, params: dict[str, Any]) -> list[Fact]:
    r = env.report
    fmt = env.fmt or list(load_formats().values())[-1]
    facts = []
    written = [s.number for s in r.sections if s.number]
    # the report's headings by numeral and by part, in the report's order
    by_number: dict[str | None, list] = {}
    by_id: dict[str | None, list] = {}
    for s in r.sections:
        by_number.setdefault(s.number, []).append(s)
        by_id.setdefault(s.id, []).append(s)
    last_line = len(r.lines) or 1
    for number, part, later in _parts(fmt):
        found = by_number.get(number, [])
        first = found[0] if found else None
        # out of order: a part numbered later stands before this one
        position = written.index(number) if number in written else None
        in_order = position is None or not any(n in later for n in written[:position])
        if first:
            line = first.line
        else:
            following = [s.line for s in r.sections if s.number in later]
            line = min(following) if following else last_line
        headed = by_id.get(part.id, [])  # this part's headings, any numeral
        props = {
            "number": number,
            "expected_id": part.id,
            "present": first is not None,
            "id_matches": bool(first and first.id == part.id),
            "count": len(found),
            "in_order": in_order,
            "variant": bool(first and first.id == part.id and first.variant),
            "numbered_otherwise": bool(first and first.numbering),
            # the part's heading stands somewhere, whatever its numeral (numbering restarted,
            # a part numbered as another): only its numeral being used by another part
            # hides a part that has no heading at all
            "heading_found": bool(headed),
        }
        # where the part stands and its words are worked out only for a finding
        explain = (r, env.labels, part, number, first, headed, line, len(found))
        facts.append(Fact.explained(engine_props(props), _explain, *explain))
    return facts


def _explain(
    report: ast.Report, labels: Labels, part, number: Any, first, headed: list, line: int, count: int
) -> dict[str, Any]:
    """Where a part stands (or would) and the words of its messages: only for a finding."""
    return {
        **_location(line, first.id if first else part.id),
        "elsewhere": _elsewhere(report, part, first, headed),
        "number": number,
        "expected_heading": part.label,
        "heading": first.heading if first else "",
        "numbering": first.numbering if first else "",
        "found_heading": labels.section(first.id) if first and first.id else (first.heading if first else ""),
        "count": count,
        "expected": part.label,
        "actual": first.heading if first else None,
    }


@per_format
def _parts(fmt: Format) -> list[tuple[Any, Any, set]]:
    """Each part of a format: its numeral, its spec and the numerals of the parts after it
    (made once per format)."""
    return [
        (part.get("number"), part, {p.get("number") for p in fmt.sections[index + 1 :]})
        for index, part in enumerate(fmt.sections)
    ]


def _elsewhere(report, part, first, headed: list) -> str:
    """Where the part numbered as another stands (`headed`: its headings), or that it stands
    nowhere (for a message saying this numeral's heading is another part's)."""
    if first is None or first.id == part.id:
        return ""
    # the heading in the prescribed words first: a sub-topic promoted to a part ("三、主动公开工作
    # 情况" under 总体情况) may read as the part too
    found = next((s for s in headed if not s.variant), headed[0] if headed else None)
    if found is None:
        return f"；整份报告中也没有“{part.label}”这一部分的标题"
    return f"；“{found.heading}”写在{report.place(found.line)}（编号“{found.number}、”）"


KIND = Kind(
    name="sections",
    one_fact_per="part (一…六) the report's format requires",
    doc="Each of the six parts of the format: whether a heading with its numeral is present, whether "
    "it is the expected part, how often the numeral occurs, whether it stands in order, whether "
    "its heading is a known variant wording or numbered otherwise than the format numbers it, and "
    "whether the part's heading stands anywhere at all. A contents list before the parts is no "
    "heading.",
    params=(),
    properties=(
        Prop("number", "string", "the numeral of the part (一…六)"),
        Prop("expected_id", "string", "the canonical id of the part"),
        Prop("present", "boolean", "a heading with this numeral was found"),
        Prop("id_matches", "boolean", "that heading is the expected part"),
        Prop("count", "number", "how many headings carry this numeral"),
        Prop("in_order", "boolean", "no later part stands before it"),
        Prop("variant", "boolean", "the heading is a known variant wording of the part"),
        Prop(
            "numbered_otherwise",
            "boolean",
            'the heading is numbered otherwise than the format\'s "N、" ("第一部分", "（一）", "1、"); '
            "the part is read all the same",
        ),
        Prop(
            "heading_found",
            "boolean",
            "a heading anywhere in the report is this part (by its wording), whatever its numeral",
        ),
    ),
    placeholders=(
        "expected_heading",
        "heading",
        "found_heading",
        "expected",
        "actual",
        "elsewhere",
        "numbering",
    ),
    draw=check_sections,
    example="""
- id: USR-STR-001
  title: 缺少规定的部分
  category: structure
  severity: error
  weight: 8
  check:
    kind: sections
    assert: present
  message: 缺少第{number}部分“{expected_heading}”。
""",
)
