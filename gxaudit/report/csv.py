"""CSV output: one row per finding as listed (a row per report without findings).

Written for Chinese Excel, which opens a CSV in the system code page unless the
file starts with a byte-order mark: UTF-8 with BOM, Chinese headers and
Chinese words for status, severity and category. `--csv-headers en` gives the
English ids for scripts (the columns are the same, in the same order).
Repeated findings of one rule on one row or table are one row (its `count`);
the JSON output keeps each. A cell a spreadsheet would run as a formula is
neutralised (escape.py).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from gxaudit.audit.findings import ReportResult
from gxaudit.report.escape import csv_cell
from gxaudit.report.labels import (
    CATEGORY_ZH,
    SEVERITY_ZH,
    STATUS_ZH,
    breakdown_text,
    source_line,
    source_text,
)
from gxaudit.report.run import Run

BOM = "\ufeff"

# (English id, Chinese header), in column order; new columns go at the end
COLUMNS = [
    ("rank", "排名"),
    ("path", "文件"),
    ("status", "状态"),
    ("organ", "机关"),
    ("year", "年度"),
    ("format", "格式"),
    ("score", "得分"),
    ("grade", "等级"),
    ("coverage", "模板单元格读出"),
    ("grade_note", "等级说明"),
    ("rule", "规则"),
    ("category", "类别"),
    ("severity", "级别"),
    ("line", "行号"),
    ("place", "原文位置"),
    ("section", "部分"),
    ("table", "表"),
    ("row", "行"),
    ("column", "列"),
    ("message", "说明"),
    ("expected", "应为"),
    ("actual", "实为"),
    ("deduction", "扣分"),
    ("fingerprint", "指纹"),
    ("waived", "豁免理由"),
    ("error", "原因"),
    ("count", "处数"),
    ("breakdown", "扣分构成"),
    ("group", "分组"),
]
CSV_HEADERS = [en for en, _ in COLUMNS]
CSV_HEADERS_ZH = [zh for _, zh in COLUMNS]
HEADER_LANGUAGES = ("zh", "en")


def _words(chinese: bool) -> dict[str, dict[str, str]]:
    if not chinese:
        return {"status": {}, "severity": {}, "category": {}}
    return {"status": STATUS_ZH, "severity": SEVERITY_ZH, "category": CATEGORY_ZH}


def _report_cells(r: ReportResult, words: dict[str, dict[str, str]], chinese: bool) -> dict[str, Any]:
    return {
        "rank": r.rank,
        "path": r.path,
        "status": words["status"].get(r.status, r.status),
        "organ": r.organ,
        "year": r.year,
        "format": r.format,
        "score": r.score,
        "grade": r.grade,
        "coverage": r.coverage_text,
        "grade_note": r.grade_note,
        "breakdown": breakdown_text(r.deductions_by_category, chinese) if r.status == "audited" else "",
        "group": r.group,
    }


def render_csv(
    results: list[ReportResult], headers: str = "zh", missing: list | None = None, bom: bool | None = None
) -> str:
    """The CSV text; `headers` "zh" (default, with a BOM for Excel) or "en" (no BOM unless asked)."""
    chinese = headers != "en"
    words = _words(chinese)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADERS_ZH if chinese else CSV_HEADERS)

    def row(cells: dict[str, Any]) -> None:
        writer.writerow([csv_cell(cells.get(name)) for name in CSV_HEADERS])

    for r in results:
        base = _report_cells(r, words, chinese)
        shown = r.shown_findings()
        if not shown:
            row(base | {"error": r.error})
        for f in shown:
            d = f.to_dict()
            loc = f.location
            row(
                base
                | {
                    "rule": f.rule,
                    "category": words["category"].get(f.category, f.category),
                    "severity": words["severity"].get(f.severity, f.severity),
                    "line": source_line(loc),
                    "place": source_text(loc.get("source")),
                    "section": loc.get("section"),
                    "table": loc.get("table"),
                    "row": loc.get("row"),
                    "column": loc.get("column"),
                    "message": f.message,
                    "expected": d["expected"],
                    "actual": d["actual"],
                    "deduction": f.deduction,
                    "fingerprint": f.fingerprint,
                    "waived": f.waiver["reason"] if f.waiver is not None else "",
                    "count": f.count,
                }
            )
    for unit in missing or []:  # units with no report (未提交)
        row(
            {
                "path": "",
                "status": words["status"].get("missing", "missing"),
                "organ": unit.unit,
                "error": unit.reason,
                "group": unit.group,
            }
        )
    text = buffer.getvalue()
    return (BOM + text) if (chinese if bom is None else bom) else text


def render(run: Run) -> str:
    return render_csv(run.results, headers=run.csv_headers, missing=run.missing)
