"""The Chinese words every output shares: severities, statuses, tables, parts, locations."""

from __future__ import annotations

from typing import Any

from gxaudit.formats.load import load_formats, tables
from gxaudit.formats.places import source_text

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
# the first columns of a ranking, in the table and the XLSX alike
RANK_COLUMNS = ("排名", "机关", "年度", "格式", "得分", "等级", "读出", "错误", "警告", "提示")
STATUS_ZH = {
    "audited": "已审查",
    "not_applicable": "不适用",
    "not_a_report": "不是年度报告",
    "error": "无法处理",
    "skipped": "未审查",
}

# where a finding is, in the location column: the table's short name, else the part
TABLE_ZH = {t: spec.short_name for t, spec in tables().items()}
SECTION_ZH = {s.id: f"第{s.get('number')}部分" for s in next(iter(load_formats().values())).sections}


def source_line(location: dict[str, Any]) -> int | None:
    """The line of the original file, when the file has lines a person can open at."""
    source = location.get("source")
    if source is None:
        return location.get("line")
    if source.get("page") or source.get("paragraph"):
        return None
    return source.get("line")


def where_text(location: dict[str, Any], sep: str = " ") -> str:
    """Place in the original file and table (or part) in Chinese; the message names row and column."""
    if "source" in location:
        parts = [source_text(location["source"])]
    else:
        parts = [f"第{location['line']}行" if location.get("line") else ""]
    if location.get("table"):
        parts.append(TABLE_ZH.get(location["table"], location["table"]))
    elif location.get("section"):
        parts.append(SECTION_ZH.get(location["section"], location["section"]))
    return sep.join(p for p in parts if p)


# the rule categories (rules/model.py CATEGORIES), as a supervisor reads them
CATEGORY_ZH = {
    "structure": "结构",
    "subsections": "分项",
    "cells": "单元格",
    "reading": "读取",
    "balance": "勾稽",
    "year": "年度",
    "content": "内容",
    "narrative": "文字与数字",
    "cross_year": "跨年度",
    "timeliness": "时效",
    "hierarchy": "上下级",
}
# a unit of the units file with no report in the run
STATUS_ZH.setdefault("missing", "未提交")


def breakdown_text(deductions: dict[str, float], chinese: bool = True, sep: str = "，") -> str:
    """Points deducted per category, largest first: "勾稽 −14，单元格 −5" ("" when none)."""
    if chinese:
        return sep.join(f"{CATEGORY_ZH.get(c, c)} −{v:g}" for c, v in deductions.items())
    return "; ".join(f"{c} -{v:g}" for c, v in deductions.items())
