"""Excel workbook of an audit: ranking, every finding, per-rule statistics, the rules.

Four sheets: 排名 (the ranking, with each report's deductions per category; units
with no report as 未提交), 问题清单 (one row per finding as listed — repeated
findings of one rule on one row or table are one row with its 处数 —, autofilter
over the whole range), 规则统计 (findings, reports affected and deduction per
rule) and 规则 (the rule pack); with --group-by a fifth, 分组 (per group: reports,
mean score, errors, missing, the most frequent problem). The bytes are
deterministic: the same results give the same file (fixed document dates,
fixed zip entry times).

A text cell that starts like a formula (= + - @) is a text cell with an
apostrophe in front: it never runs, not even once the sheet is saved again as
CSV (OWASP "CSV injection").
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from gxaudit.audit.findings import Finding, ReportResult
from gxaudit.audit.ranking import GroupSummary
from gxaudit.report.escape import escape_surrogates, formula_like
from gxaudit.report.labels import (
    RANK_COLUMNS,
    SEVERITY_ZH,
    STATUS_ZH,
    breakdown_text,
    source_line,
    where_text,
)
from gxaudit.report.run import Run
from gxaudit.rules.load import builtin_rules_dir
from gxaudit.rules.model import Rule

# document dates and zip entry times of every workbook written (zip cannot go before 1980)
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MAX_CELL = 32767  # Excel's limit on the characters in a cell

SHEET_RANKING, SHEET_FINDINGS, SHEET_RULE_STATS, SHEET_RULES = "排名", "问题清单", "规则统计", "规则"
SHEET_GROUPS = "分组"

RANKING_HEADERS = [
    *RANK_COLUMNS,
    "主要问题",
    "文件",
    "状态",
    "原因",
    "扣分构成",
    "分组",
]
FINDING_HEADERS = [
    "排名",
    "机关",
    "年度",
    "格式",
    "文件",
    "规则",
    "标题",
    "类别",
    "级别",
    "位置",
    "行号",
    "部分",
    "表",
    "行",
    "列",
    "说明",
    "应为",
    "实为",
    "扣分",
    "已豁免",
    "豁免理由",
    "豁免人",
    "豁免期限",
    "指纹",
    "处数",
    "分组",
]
GROUP_HEADERS = [
    "分组",
    "报告数",
    "已审查",
    "平均得分",
    "错误",
    "错误处数",
    "未提交",
    "最常见问题",
    "涉及报告数",
]
RULE_STAT_HEADERS = ["规则", "标题", "类别", "级别", "权重", "问题数", "涉及报告数", "已豁免数", "合计扣分"]
RULE_HEADERS = ["规则", "标题", "类别", "级别", "权重", "说明", "提示模板", "来源"]

# widest a column gets (in display cells); longer text wraps
WIDTH_CAP = {
    "主要问题": 40,
    "说明": 70,
    "提示模板": 60,
    "原因": 40,
    "文件": 45,
    "标题": 36,
    "豁免理由": 30,
    "扣分构成": 36,
    "最常见问题": 36,
    "应为": 24,
    "实为": 24,
}
WRAPPED = {"主要问题", "说明", "提示模板", "原因", "豁免理由"}
DEFAULT_CAP = 30

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


# ------------------------------------------------------------------ values


def _plain(value: Any) -> Any:
    """A value a cell can hold: numbers stay numbers, the rest becomes text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return "、".join(str(_plain(v)) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _text(value: Any) -> str:
    """Text without the control characters Excel refuses, within the cell limit;
    bytes of a file name that are not UTF-8 as \\xNN."""
    text = ILLEGAL_CHARACTERS_RE.sub("", escape_surrogates(str(value)))
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _source(rule: Rule) -> str:
    """file:line of a rule, relative (the built-in pack as rules/…) so it does not name the machine."""
    if not rule.source:
        return ""
    path = Path(rule.source)
    try:
        if path.resolve().parent == builtin_rules_dir().resolve():
            return f"rules/{path.name}:{rule.line}"
    except OSError:
        pass
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (OSError, ValueError):
        shown = rule.source
    return f"{shown}:{rule.line}"


def _display_width(text: str) -> int:
    """Columns a text takes: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


# ------------------------------------------------------------------ sheets


def _write_sheet(
    ws, headers: list[str], rows: Iterable[list[Any]], number_formats: dict[str, str] | None = None
) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = TOP
    widths = [_display_width(h) for h in headers]
    number_formats = number_formats or {}
    count = 0
    for row in rows:
        count += 1
        values = []
        for value in row:
            value = _plain(value)
            values.append(_text(value) if isinstance(value, str) else value)
        ws.append(values)
        for index, (header, cell) in enumerate(zip(headers, ws[ws.max_row])):
            if isinstance(cell.value, str):
                if cell.data_type == "f" or formula_like(cell.value):
                    # text from a report is never a formula: a text cell starting with an
                    # apostrophe (as OWASP advises: it stays inert when saved again as CSV)
                    cell.value = "'" + cell.value
                    cell.data_type = "s"
                longest = max((_display_width(part) for part in cell.value.split("\n")), default=0)
            else:
                longest = len(str(cell.value)) if cell.value is not None else 0
                if header in number_formats and cell.value is not None:
                    cell.number_format = number_formats[header]
            cell.alignment = WRAP if header in WRAPPED else TOP
            widths[index] = max(widths[index], longest)
    for index, header in enumerate(headers, start=1):
        cap = WIDTH_CAP.get(header, DEFAULT_CAP)
        ws.column_dimensions[get_column_letter(index)].width = min(widths[index - 1], cap) + 2
    ws.freeze_panes = "A2"
    last = f"{get_column_letter(len(headers))}{count + 1}"
    ws.auto_filter.ref = f"A1:{last}"


def _ranking_rows(results: list[ReportResult], missing: list) -> Iterable[list[Any]]:
    for r in results:
        audited = r.status == "audited"
        yield [
            r.rank,
            r.organ,
            r.year,
            r.format,
            r.score,
            r.grade,
            r.coverage_text or None,
            r.shown_count("error"),
            r.shown_count("warning"),
            r.shown_count("info"),
            r.main_problem or None,
            r.path,
            STATUS_ZH.get(r.status, r.status),
            r.error or r.grade_note,
            (breakdown_text(r.deductions_by_category) or None) if audited else None,
            r.group,
        ]
    for m in missing:  # units of the units file with no report
        yield [
            None,
            m.unit,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "未提交",
            m.reason,
            None,
            m.group,
        ]


def _group_rows(summaries: list[GroupSummary]) -> Iterable[list[Any]]:
    for s in summaries:
        yield [
            s.group,
            s.reports,
            s.audited,
            s.mean_score,
            s.errors_listed,
            s.errors,
            s.missing,
            s.top_problem or None,
            s.top_problem_reports or None,
        ]


def _finding_rows(results: list[ReportResult]) -> Iterable[list[Any]]:
    for r in results:
        for f in r.shown_findings():
            loc = f.location
            waiver = f.waiver or {}
            yield [
                r.rank,
                r.organ,
                r.year,
                r.format,
                r.path,
                f.rule,
                f.title,
                f.category,
                SEVERITY_ZH.get(f.severity, f.severity),
                where_text(loc) or None,
                source_line(loc),  # the line of the file as the supervisor opens it
                loc.get("section"),
                loc.get("table"),
                loc.get("row"),
                loc.get("column"),
                f.message,
                f.expected,
                f.actual,
                f.deduction,
                "是" if f.waived else "否",
                waiver.get("reason"),
                waiver.get("by"),
                waiver.get("until"),
                f.fingerprint,
                f.count,
                r.group,
            ]


def _rule_table(results: list[ReportResult], rules: list[Rule]) -> list[tuple[str, str, str, str, float]]:
    """(id, title, category, severity, weight) of every rule, plus any rule only seen in findings."""
    table = [(r.id, r.title, r.category, r.severity, r.weight) for r in rules]
    known = {r.id for r in rules}
    for result in results:
        for f in result.findings:
            if f.rule not in known:
                known.add(f.rule)
                table.append((f.rule, f.title, f.category, f.severity, f.weight))
    return table


def _rule_stat_rows(results: list[ReportResult], rules: list[Rule]) -> Iterable[list[Any]]:
    by_rule: dict[str, list[tuple[ReportResult, Finding]]] = {}
    for result in results:
        for f in result.findings:
            by_rule.setdefault(f.rule, []).append((result, f))
    for rule_id, title, category, severity, weight in _rule_table(results, rules):
        hits = by_rule.get(rule_id, [])
        reports = {id(result) for result, _ in hits}
        yield [
            rule_id,
            title,
            category,
            SEVERITY_ZH.get(severity, severity),
            weight,
            len(hits),
            len(reports),
            sum(1 for _, f in hits if f.waived),
            round(sum(f.deduction for _, f in hits), 2),
        ]


def _rule_rows(rules: list[Rule]) -> Iterable[list[Any]]:
    for r in rules:
        yield [
            r.id,
            r.title,
            r.category,
            SEVERITY_ZH.get(r.severity, r.severity),
            r.weight,
            r.description or None,
            r.message,
            _source(r),
        ]


# ------------------------------------------------------------------ workbook


def build_workbook(
    results: list[ReportResult],
    rules: list[Rule],
    rules_version: str,
    missing: list | None = None,
    summaries: list[GroupSummary] | None = None,
) -> Workbook:
    wb = Workbook()
    ranking = wb.active
    ranking.title = SHEET_RANKING
    _write_sheet(ranking, RANKING_HEADERS, _ranking_rows(results, missing or []), {"得分": "0.0"})
    _write_sheet(wb.create_sheet(SHEET_FINDINGS), FINDING_HEADERS, _finding_rows(results), {"扣分": "0.0#"})
    _write_sheet(
        wb.create_sheet(SHEET_RULE_STATS),
        RULE_STAT_HEADERS,
        _rule_stat_rows(results, rules),
        {"合计扣分": "0.0#"},
    )
    _write_sheet(wb.create_sheet(SHEET_RULES), RULE_HEADERS, _rule_rows(rules))
    if summaries:
        _write_sheet(
            wb.create_sheet(SHEET_GROUPS), GROUP_HEADERS, _group_rows(summaries), {"平均得分": "0.0"}
        )
    props = wb.properties
    props.creator = "gxaudit"
    props.lastModifiedBy = "gxaudit"
    props.title = "政府信息公开工作年度报告审查结果"
    props.subject = f"rules {rules_version}" if rules_version else None
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def _normalised_zip(data: bytes, core_xml: bytes) -> bytes:
    """The same archive with fixed entry times and the fixed document properties."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = core_xml if info.filename == "docProps/core.xml" else source.read(info)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 0
            target.writestr(entry, content)
    return out.getvalue()


def render(run: Run) -> bytes:
    return render_xlsx(run.results, run.rules, run.rules_version, run.missing, run.summaries())


def render_xlsx(
    results: list[ReportResult],
    rules: list[Rule],
    rules_version: str,
    missing: list | None = None,
    summaries: list[GroupSummary] | None = None,
) -> bytes:
    """The workbook as .xlsx bytes (identical for identical input)."""
    wb = build_workbook(results, rules, rules_version, missing, summaries)
    buffer = io.BytesIO()
    wb.save(buffer)  # saving stamps "modified" with the current time…
    wb.properties.modified = FIXED_TIME  # …which is put back to the fixed one
    return _normalised_zip(buffer.getvalue(), tostring(wb.properties.to_tree()))
