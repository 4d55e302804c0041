"""Where something is in the file a person opens, in Chinese: 第178行, 第3页, ….

A place is an origin as read/source.py records it (as a dict: line, column,
page, table, row, paragraph). This sits with the formats, like printable.py,
because more than one stage words places: the checks' messages (a cell quoted
with where it stands) and the outputs' location column.
"""

from __future__ import annotations

from typing import Any


def source_text(source: dict[str, Any] | None) -> str:
    """Where a finding is in the file a person opens: 第178行, 第1行第1140字 (a one-line page),
    第3页 (PDF), 第2个表格第5行 (web page, Word), 第12段 (a Word paragraph)."""
    if not source:
        return ""
    if source.get("page"):
        return f"第{source['page']}页"
    if source.get("table"):
        return (
            f"第{source['table']}个表格第{source['row']}行"
            if source.get("row")
            else f"第{source['table']}个表格"
        )
    if source.get("paragraph"):
        return f"第{source['paragraph']}段"
    if source.get("line") and source.get("column"):
        return f"第{source['line']}行第{source['column']}字"  # a page flattened into one line
    if source.get("line"):
        return f"第{source['line']}行"
    return ""
