"""The Chinese words every output shares: severities, statuses, tables, parts, locations."""

from __future__ import annotations

from typing import Any

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"audited": "已审查", "not_applicable": "不适用", "error": "无法处理"}

TABLE_ZH = {
    "proactive": "表二（主动公开）",
    "applications": "表三（依申请公开）",
    "review_litigation": "表四（复议诉讼）",
}
SECTION_ZH = {
    "overview": "第一部分",
    "proactive": "第二部分",
    "applications": "第三部分",
    "review_litigation": "第四部分",
    "problems": "第五部分",
    "other_matters": "第六部分",
}


def where_text(location: dict[str, Any], sep: str = " ") -> str:
    """Line and table (or part) in Chinese; the message names row and column."""
    parts = [f"第{location['line']}行" if location.get("line") else ""]
    if location.get("table"):
        parts.append(TABLE_ZH.get(location["table"], location["table"]))
    elif location.get("section"):
        parts.append(SECTION_ZH.get(location["section"], location["section"]))
    return sep.join(p for p in parts if p)
