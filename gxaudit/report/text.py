"""Rendering audit results: ranked table, Markdown, CSV, JSON; atomic file output."""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tabulate import tabulate

from gxaudit.audit.auditor import ReportResult, document

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"audited": "已审查", "not_applicable": "不适用", "error": "无法处理"}


def _ranking_rows(results: list[ReportResult]) -> list[list[Any]]:
    rows = []
    for r in results:
        rows.append([r.rank if r.rank is not None else "—", r.organ or "（未识别）", r.year or "—",
                     r.format or "—", f"{r.score:.1f}" if r.score is not None else STATUS_ZH[r.status],
                     r.grade or "—", r.count("error"), r.count("warning"), r.count("info"),
                     r.main_problem or "—"])
    return rows


RANK_HEADERS = ["排名", "机关", "年度", "格式", "得分", "等级", "错误", "警告", "提示", "主要问题"]
FINDING_HEADERS = ["级别", "规则", "位置", "扣分", "说明"]


TABLE_ZH = {"proactive": "表二（主动公开）", "applications": "表三（依申请公开）",
            "review_litigation": "表四（复议诉讼）"}
SECTION_ZH = {"overview": "第一部分", "proactive": "第二部分", "applications": "第三部分",
              "review_litigation": "第四部分", "problems": "第五部分", "other_matters": "第六部分"}


def where_text(location: dict[str, Any], sep: str = " ") -> str:
    """Line and table (or part) in Chinese; the message names row and column."""
    parts = [f"第{location['line']}行" if location.get("line") else ""]
    if location.get("table"):
        parts.append(TABLE_ZH.get(location["table"], location["table"]))
    elif location.get("section"):
        parts.append(SECTION_ZH.get(location["section"], location["section"]))
    return sep.join(p for p in parts if p)


def _finding_rows(result: ReportResult) -> list[list[Any]]:
    return [[SEVERITY_ZH[f.severity] + ("（已豁免）" if f.waived else ""), f.rule, where_text(f.location),
             f"{f.deduction:g}", f.message + (f"〔豁免：{f.waiver['reason']}，{f.waiver['by']}〕"
                                              if f.waived else "")]
            for f in result.findings]


def render_table(results: list[ReportResult], markdown: bool = False, grouped: bool = False) -> str:
    fmt = "pipe" if markdown else "simple"
    out = []
    title = "## 合规排名" if markdown else "合规排名"
    out.append(title)
    groups = list(dict.fromkeys(r.group for r in results)) if grouped else [None]
    for group in groups:
        members = [r for r in results if r.group == group] if grouped else results
        out.append("")
        if grouped:
            out.append(f"### 分组：{group}" if markdown else f"分组：{group}")
            out.append("")
        out.append(tabulate(_ranking_rows(members), headers=RANK_HEADERS, tablefmt=fmt,
                            disable_numparse=True))
    for r in results:
        out.append("")
        head = f"{r.rank or '—'}. {r.organ or '（未识别）'} {r.year or ''} — {r.path}"
        out.append(f"### {head}" if markdown else f"【{head}】")
        if r.status != "audited":
            out.append(f"{STATUS_ZH[r.status]}：{r.error}")
            continue
        out.append(f"得分 {r.score:.1f}（{r.grade}），格式 {r.format}，"
                   f"错误 {r.count('error')}，警告 {r.count('warning')}，提示 {r.count('info')}")
        if r.previous:
            out.append(f"与上一年度报告比对：{r.previous.get('organ') or ''} {r.previous.get('year')}"
                       f"（{r.previous.get('path')}）")
        if r.findings:
            out.append("")
            out.append(tabulate(_finding_rows(r), headers=FINDING_HEADERS, tablefmt=fmt,
                                disable_numparse=True))
        else:
            out.append("未发现问题。")
    return "\n".join(out) + "\n"


CSV_HEADERS = ["rank", "path", "status", "organ", "year", "format", "score", "grade", "rule",
               "category", "severity", "line", "section", "table", "row", "column", "message",
               "expected", "actual", "deduction", "fingerprint", "waived", "error"]


def render_csv(results: list[ReportResult]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for r in results:
        base = [r.rank or "", r.path, r.status, r.organ or "", r.year or "", r.format or "",
                "" if r.score is None else r.score, r.grade or ""]
        if not r.findings:
            writer.writerow(base + [""] * 13 + [r.error or ""])
        for f in r.findings:
            d = f.to_dict()
            loc = f.location
            writer.writerow(base + [f.rule, f.category, f.severity, loc.get("line") or "",
                                    loc.get("section") or "", loc.get("table") or "", loc.get("row") or "",
                                    loc.get("column") or "", f.message,
                                    "" if d["expected"] is None else d["expected"],
                                    "" if d["actual"] is None else d["actual"], f.deduction,
                                    f.fingerprint, f.waiver["reason"] if f.waived else "", ""])
    return buffer.getvalue()


def render(results: list[ReportResult], fmt: str, rules_version: str, rules=None,
           grouped: bool = False) -> str | bytes:
    if fmt == "json":
        return json.dumps(document(results, rules_version), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return render_csv(results)
    if fmt == "html":
        from gxaudit.report.html import render_html
        return render_html(results, rules or [], rules_version)
    if fmt == "xlsx":
        from gxaudit.report.xlsx import render_xlsx
        return render_xlsx(results, rules or [], rules_version)
    if fmt == "sarif":
        from gxaudit.report.sarif import render_sarif
        return json.dumps(render_sarif(results, rules or [], rules_version), ensure_ascii=False,
                          indent=2) + "\n"
    return render_table(results, markdown=(fmt == "markdown"), grouped=grouped)


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then rename."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        # mkstemp makes the file private (0600); give it the usual mode
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
