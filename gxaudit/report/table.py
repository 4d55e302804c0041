"""The ranked compliance table (terminal) and its Markdown twin.

Text from reports and file names is made inert for where it goes: on a
terminal no escape sequence or control character survives, in Markdown `|`
and Markdown syntax are escaped (escape.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tabulate import tabulate

from gxaudit.audit.findings import ReportResult
from gxaudit.audit.ranking import GroupSummary
from gxaudit.report.escape import markdown as markdown_text
from gxaudit.report.escape import terminal
from gxaudit.report.labels import RANK_COLUMNS, SEVERITY_ZH, STATUS_ZH, breakdown_text, where_text
from gxaudit.report.run import Run

Clean = Callable[[Any], str]


def _counts(r: ReportResult, severity: str) -> str:
    """Findings as listed; with the number of places when grouping joined some ("3（27处）")."""
    shown, places = r.shown_count(severity), r.count(severity)
    return str(shown) if shown == places else f"{shown}（{places}处）"


def _ranking_rows(results: list[ReportResult], clean: Clean) -> list[list[Any]]:
    rows = []
    for r in results:
        rows.append(
            [
                r.rank if r.rank is not None else "—",
                clean(r.organ) or "（未识别）",
                r.year or "—",
                r.format or "—",
                f"{r.score:.1f}" if r.score is not None else STATUS_ZH[r.status],
                r.grade or "—",
                r.coverage_text or "—",
                _counts(r, "error"),
                _counts(r, "warning"),
                _counts(r, "info"),
                breakdown_text(r.deductions_by_category) or "—",
                clean(r.main_problem) or "—",
            ]
        )
    return rows


RANK_HEADERS = [
    *RANK_COLUMNS,
    "扣分构成",
    "主要问题",
]
FINDING_HEADERS = ["级别", "规则", "位置", "扣分", "说明"]
GROUP_HEADERS = ["分组", "报告", "平均得分", "错误", "未提交", "最常见问题"]
MISSING_HEADERS = ["单位", "上级"]


def _finding_rows(result: ReportResult, clean: Clean) -> list[list[Any]]:
    rows = []
    for f in result.shown_findings():
        note = ""
        if f.waiver is not None:
            note = f"〔豁免：{f.waiver['reason']}，{f.waiver['by']}〕"
        elif f.waived_items:
            note = f"〔其中 {f.waived_items} 处已豁免〕"
        rows.append(
            [
                SEVERITY_ZH[f.severity] + ("（已豁免）" if f.waived else ""),
                f.rule,
                clean(where_text(f.location)),
                f"{f.deduction:g}",
                clean(f.message + note),
            ]
        )
    return rows


def _finding_lines(rows: list[list[Any]]) -> str:
    """A report's findings on a terminal: level, rule, place and deduction in columns,
    each finding's explanation whole on the line below it (an explanation runs to
    hundreds of characters: as a fifth column it stretched every row past the
    screen, and wrapped it would cut a sentence a supervisor copies)."""
    table = tabulate(
        [row[:4] for row in rows], headers=FINDING_HEADERS[:4], tablefmt="simple", disable_numparse=True
    )
    lines = table.split("\n")
    head, body = lines[:2], lines[2:]
    if len(body) != len(rows):  # a cell ran over two lines (cannot happen: cells are cleaned to one)
        return tabulate(rows, headers=FINDING_HEADERS, tablefmt="simple", disable_numparse=True)
    out = head
    for line, row in zip(body, rows):
        out += [line.rstrip(), f"  {row[4]}"]
    return "\n".join(out)


def _summary_rows(run: Run, clean: Clean) -> list[list[Any]]:
    return [
        [
            clean(s.group),
            s.reports,
            "—" if s.mean_score is None else f"{s.mean_score:.1f}",
            s.errors_listed if s.errors == s.errors_listed else f"{s.errors_listed}（{s.errors}处）",
            s.missing,
            clean(f"{s.top_problem}（{s.top_problem_reports} 份）") if s.top_problem else "—",
        ]
        for s in run.summaries()
    ]


def render_table(
    results: list[ReportResult], markdown: bool = False, grouped: bool = False, run: Run | None = None
) -> str:
    run = run or Run(results, "", grouped=grouped)
    clean: Clean = markdown_text if markdown else terminal
    out = ["## 合规排名" if markdown else "合规排名"]
    out += _ranking(run, results, clean, markdown, grouped)
    for r in results:
        out.append("")
        out += _report(r, clean, markdown, grouped)
    return "\n".join(out) + "\n"


def _ranking(run: Run, results: list[ReportResult], clean: Clean, markdown: bool, grouped: bool) -> list[str]:
    """The ranking (one table per group when grouped), the groups' summary or the units
    that sent no report."""
    fmt = "pipe" if markdown else "simple"
    out: list[str] = []
    groups = (
        list(dict.fromkeys([r.group for r in results] + [m.group for m in run.missing]))
        if grouped
        else [None]
    )
    summaries = {s.group: s for s in run.summaries()}
    for group in groups:
        members = [r for r in results if r.group == group] if grouped else results
        missing = [m for m in run.missing if m.group == group] if grouped else []
        out.append("")
        if grouped:
            head = f"分组：{clean(group)}" + _group_note(summaries.get(group or ""))
            out.append(f"### {head}" if markdown else head)
            out.append("")
        if members:
            out.append(
                tabulate(
                    _ranking_rows(members, clean), headers=RANK_HEADERS, tablefmt=fmt, disable_numparse=True
                )
            )
        for m in missing:
            out.append(f"未提交：{clean(m.unit)}" + (f"（上级：{clean(m.parent)}）" if m.parent else ""))
    if grouped:
        out += ["", "### 分组汇总" if markdown else "分组汇总", ""]
        out.append(
            tabulate(_summary_rows(run, clean), headers=GROUP_HEADERS, tablefmt=fmt, disable_numparse=True)
        )
    elif run.missing:
        out += ["", "### 未提交年度报告的单位" if markdown else "未提交年度报告的单位", ""]
        rows = [[clean(m.unit), clean(m.parent) or "—"] for m in run.missing]
        out.append(tabulate(rows, headers=MISSING_HEADERS, tablefmt=fmt, disable_numparse=True))
    return out


def _group_note(s: GroupSummary | None) -> str:
    """（报告 N 份，平均得分 …，错误 …[，未提交 N]） after a group's name."""
    if s is None:
        return ""
    mean = "—" if s.mean_score is None else f"{s.mean_score:.1f}"
    errors = s.errors_listed if s.errors == s.errors_listed else f"{s.errors_listed}（{s.errors}处）"
    note = f"（报告 {s.reports} 份，平均得分 {mean}，错误 {errors}"
    return note + (f"，未提交 {s.missing}）" if s.missing else "）")


def _report(r: ReportResult, clean: Clean, markdown: bool, grouped: bool) -> list[str]:
    """One report's heading, score line and findings."""
    group = f"〔{clean(r.group)}〕" if grouped else ""
    head = f"{r.rank or '—'}. {group}{clean(r.organ) or '（未识别）'} {r.year or ''} — {clean(r.path)}"
    out = [f"### {head}" if markdown else f"【{head}】"]
    if r.status != "audited":
        label, reason = STATUS_ZH[r.status], clean(r.error)
        # a reason that names its status already (不是年度报告：…) is not prefixed with it again
        return out + [reason if reason.startswith(label) else f"{label}：{reason}"]
    read = f"，模板单元格读出 {r.coverage_text}" if r.coverage else ""
    out.append(
        f"得分 {r.score:.1f}（{r.grade}）{read}，格式 {r.format}，"
        f"错误 {_counts(r, 'error')}，警告 {_counts(r, 'warning')}，提示 {_counts(r, 'info')}"
    )
    if r.grade_note:
        out.append(f"等级说明：{clean(r.grade_note)}")
    if r.deductions_by_category:
        out.append(f"扣分构成：{breakdown_text(r.deductions_by_category)}")
    if r.previous:
        out.append(
            f"与上一年度报告比对：{clean(r.previous.get('organ'))} {r.previous.get('year')}"
            f"（{clean(r.previous.get('path'))}）"
        )
    if not r.findings:
        return out + ["未发现问题。"]
    rows = _finding_rows(r, clean)
    if markdown:
        return out + ["", tabulate(rows, headers=FINDING_HEADERS, tablefmt="pipe", disable_numparse=True)]
    return out + ["", _finding_lines(rows)]


def render(run: Run) -> str:
    return render_table(run.results, grouped=run.grouped, run=run)
