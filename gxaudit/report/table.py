"""The ranked compliance table (terminal) and its Markdown twin."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from gxaudit.audit.findings import ReportResult
from gxaudit.report.labels import SEVERITY_ZH, STATUS_ZH, where_text
from gxaudit.report.run import Run


def _ranking_rows(results: list[ReportResult]) -> list[list[Any]]:
    rows = []
    for r in results:
        rows.append(
            [
                r.rank if r.rank is not None else "—",
                r.organ or "（未识别）",
                r.year or "—",
                r.format or "—",
                f"{r.score:.1f}" if r.score is not None else STATUS_ZH[r.status],
                r.grade or "—",
                r.coverage_text or "—",
                r.count("error"),
                r.count("warning"),
                r.count("info"),
                r.main_problem or "—",
            ]
        )
    return rows


RANK_HEADERS = ["排名", "机关", "年度", "格式", "得分", "等级", "读出", "错误", "警告", "提示", "主要问题"]
FINDING_HEADERS = ["级别", "规则", "位置", "扣分", "说明"]


def _finding_rows(result: ReportResult) -> list[list[Any]]:
    return [
        [
            SEVERITY_ZH[f.severity] + ("（已豁免）" if f.waived else ""),
            f.rule,
            where_text(f.location),
            f"{f.deduction:g}",
            f.message + (f"〔豁免：{f.waiver['reason']}，{f.waiver['by']}〕" if f.waived else ""),
        ]
        for f in result.findings
    ]


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
        out.append(
            tabulate(_ranking_rows(members), headers=RANK_HEADERS, tablefmt=fmt, disable_numparse=True)
        )
    for r in results:
        out.append("")
        head = f"{r.rank or '—'}. {r.organ or '（未识别）'} {r.year or ''} — {r.path}"
        out.append(f"### {head}" if markdown else f"【{head}】")
        if r.status != "audited":
            out.append(f"{STATUS_ZH[r.status]}：{r.error}")
            continue
        read = f"，模板单元格读出 {r.coverage_text}" if r.coverage else ""
        out.append(
            f"得分 {r.score:.1f}（{r.grade}）{read}，格式 {r.format}，"
            f"错误 {r.count('error')}，警告 {r.count('warning')}，提示 {r.count('info')}"
        )
        if r.grade_note:
            out.append(f"等级说明：{r.grade_note}")
        if r.previous:
            out.append(
                f"与上一年度报告比对：{r.previous.get('organ') or ''} {r.previous.get('year')}"
                f"（{r.previous.get('path')}）"
            )
        if r.findings:
            out.append("")
            out.append(
                tabulate(_finding_rows(r), headers=FINDING_HEADERS, tablefmt=fmt, disable_numparse=True)
            )
        else:
            out.append("未发现问题。")
    return "\n".join(out) + "\n"


def render(run: Run) -> str:
    return render_table(run.results, grouped=run.grouped)
