"""One self-contained HTML page of an audit, for a supervisor to open and forward.

Everything is inline (CSS, a little vanilla JS, SVG charts drawn here in
Python); the page loads nothing from anywhere, and its Content-Security-Policy
forbids it to. The output is deterministic: no date, no random ids.

Security: every piece of text that comes from a report (organ, path, title,
messages, source lines) or from a rule file (titles, descriptions) goes
through ``_e`` (``html.escape(..., quote=True)``), in element content and in
attribute values alike. No JavaScript is built from data: the script only
reads ``data-`` attributes (escaped) and never writes HTML.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from gxaudit import __version__
from gxaudit.audit.findings import ReportResult, shown
from gxaudit.audit.scoring import SEVERITY_ORDER
from gxaudit.report.labels import CATEGORY_ZH, SEVERITY_ZH, STATUS_ZH, source_text, where_text
from gxaudit.report.run import Run
from gxaudit.rules.model import Rule

GRADE_COLORS = {"优秀": "#2e7d32", "良好": "#1565c0", "合格": "#e08a00", "不合格": "#c62828"}
OTHER_GRADE_COLORS = ["#6a1b9a", "#00838f", "#5d4037", "#455a64"]
SEVERITY_RGB = {"error": (198, 40, 40), "warning": (224, 138, 0), "info": (69, 110, 160)}

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

CONTEXT = 3  # source lines shown before and after a finding's line
CONTEXT_LINE_MAX = 240  # longer context lines are cut (the target line never is)
CLUSTER_SPAN = 40  # at most this many target lines' span share one excerpt


def _e(value: Any) -> str:
    """Escaped text for element content and (double-quoted) attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _ded(value: float) -> str:
    return f"{value:g}"


# ----------------------------------------------------------------- the page


def render(run: Run) -> str:
    return render_html(run.results, run.rules, run.rules_version, run)


def render_html(
    results: list[ReportResult], rules: list[Rule], rules_version: str, run: Run | None = None
) -> str:
    """The whole audit as one HTML document (a str, UTF-8 when written).

    With a --group-by run, the ranking has a 分组 column, a summary per group
    follows it, and units with no report are listed as 未提交.
    """
    run = run or Run(results, rules_version, rules)
    rule_by_id = {r.id: r for r in rules}
    anchors = {id(r): f"report-{index}" for index, r in enumerate(results, start=1)}
    grade_colors = _grade_colors(results)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="gxaudit {_e(__version__)}">',
        "<title>政府信息公开工作年度报告合规审查</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        _header(results, rules, rules_version),
        _nav(run),
        "<main>",
        _ranking(results, anchors, grade_colors, run),
        _group_summary(run),
        _distribution(results, grade_colors),
        _heatmap(results, rule_by_id, anchors),
        _details(results, rule_by_id, anchors, grade_colors),
        "</main>",
        '<footer class="page-foot">由 gxaudit '
        f"{_e(__version__)} 生成 · 规则版本 <code>{_e(rules_version)}</code> · "
        "本页为单一文件，不引用任何外部资源，可直接转发。</footer>",
        f"<script>{JS}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _grade_colors(results: list[ReportResult]) -> dict[str, str]:
    colors = dict(GRADE_COLORS)
    extra = iter(OTHER_GRADE_COLORS * 4)
    for r in results:
        if r.grade and r.grade not in colors:
            colors[r.grade] = next(extra, "#607d8b")
    return colors


def _grade_order(results: list[ReportResult]) -> list[str]:
    """Grades seen, best first (by the best score that earned them)."""
    best: dict[str, float] = {}
    for r in results:
        if r.grade and r.score is not None:
            best[r.grade] = max(best.get(r.grade, -1.0), r.score)
    known = [g for g in GRADE_COLORS if g in best]
    others = sorted((g for g in best if g not in GRADE_COLORS), key=lambda g: (-best[g], g))
    return sorted(known + others, key=lambda g: -best[g]) if others else known


# ---------------------------------------------------------------- header


def _header(results: list[ReportResult], rules: list[Rule], rules_version: str) -> str:
    status = Counter(r.status for r in results)
    audited = [r for r in results if r.status == "audited"]
    scores = [r.score for r in audited if r.score is not None]
    mean = sum(scores) / len(scores) if scores else None
    counts = {s: sum(r.shown_count(s) for r in results) for s in SEVERITY_ZH}
    places = {s: sum(r.count(s) for r in results) for s in SEVERITY_ZH}

    def note(severity: str, text: str) -> str:
        extra = places[severity] - counts[severity]
        return f"共 {places[severity]} 处（重复的合为一条）· {text}" if extra else text

    waived = sum(1 for r in results for f in r.findings if f.waived)
    status_text = "，".join(f"{STATUS_ZH[s]} {status[s]}" for s in STATUS_ZH if status[s])
    cards = [
        ("报告", f"{len(results)}", status_text or "—"),
        (
            "平均得分",
            _num(mean) or "—",
            f"最高 {_num(max(scores))} · 最低 {_num(min(scores))}" if scores else "无已审查报告",
        ),
        ("错误", str(counts["error"]), note("error", "扣分最多的问题")),
        ("警告", str(counts["warning"]), note("warning", "扣一半权重")),
        ("提示", str(counts["info"]), note("info", "不扣分，请核对")),
    ]
    if waived:
        cards.append(("已豁免", str(waived), "经复核，不扣分"))
    card_html = "".join(
        f'<div class="card card-{i}"><div class="card-label">{_e(label)}</div>'
        f'<div class="card-value">{_e(value)}</div><div class="card-note">{_e(note)}</div></div>'
        for i, (label, value, note) in enumerate(cards)
    )
    return (
        '<header class="page-head"><div class="wrap">'
        '<div class="kicker">政府信息公开工作年度报告 · 合规审查</div>'
        "<h1>年度报告合规审查结果</h1>"
        '<p class="meta">'
        f"<span>工具 <b>gxaudit {_e(__version__)}</b></span>"
        f"<span>规则版本 <code>{_e(rules_version)}</code></span>"
        f"<span>规则 <b>{len(rules)}</b> 条</span>"
        f"<span>报告 <b>{len(results)}</b> 份</span>"
        "</p>"
        f'<div class="cards">{card_html}</div>'
        "</div></header>"
    )


def _nav(run: Run) -> str:
    groups = '<a href="#groups">分组汇总</a>' if run.grouped else ""
    return (
        '<nav class="toc"><div class="wrap">'
        f'<a href="#ranking">合规排名</a>{groups}<a href="#distribution">得分分布</a>'
        '<a href="#heatmap">规则 × 报告</a><a href="#details">逐份明细</a>'
        "</div></nav>"
    )


# --------------------------------------------------------------- ranking

RANK_COLUMNS = [
    ("排名", "num"),
    ("机关", "text"),
    ("年度", "num"),
    ("格式", "text"),
    ("得分", "num"),
    ("等级", "num"),
    ("读出", "num"),
    ("错误", "num"),
    ("警告", "num"),
    ("提示", "num"),
    ("扣分构成", "text"),
    ("主要问题", "text"),
]
GROUP_COLUMN = ("分组", "text")


def _td(content: str, sort: Any, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<td{klass} data-sort="{_e(sort)}">{content}</td>'


def _breakdown(r: ReportResult) -> str:
    """The score's deductions per category, largest first, as chips."""
    if r.status != "audited":
        return "—"
    parts = r.deductions_by_category
    if not parts:
        return '<span class="none">无扣分</span>'
    return "".join(
        f'<span class="cat" title="{_e(c)}">{_e(CATEGORY_ZH.get(c, c))} −{_ded(v)}</span>'
        for c, v in parts.items()
    )


def _ranking(
    results: list[ReportResult], anchors: dict[int, str], grade_colors: dict[str, str], run: Run
) -> str:
    columns = list(RANK_COLUMNS)
    if run.grouped:
        columns.insert(1, GROUP_COLUMN)
    head = "".join(
        f'<th scope="col" data-type="{kind}" tabindex="0" title="点击排序">{_e(name)}</th>'
        for name, kind in columns
    )
    rows = []
    for order, r in enumerate(results):
        anchor = anchors[id(r)]
        organ = r.organ or "（未识别机关）"
        organ_cell = f'<a href="#{anchor}">{_e(organ)}</a><span class="path">{_e(r.path)}</span>'
        if r.status == "audited" and r.score is not None:
            width = max(0.0, min(100.0, r.score))
            color = grade_colors.get(r.grade or "", "#607d8b")
            score_cell = (
                f'<span class="bar" style="width:{width:.1f}%;background:{color}"></span>'
                f'<span class="val">{_num(r.score)}</span>'
            )
            grade_cell = (
                f'<span class="grade" style="background:{color}">{_e(r.grade)}</span>' if r.grade else "—"
            )
        else:
            score_cell = (
                f'<span class="status status-{_e(r.status)}">{_e(STATUS_ZH.get(r.status, r.status))}</span>'
            )
            grade_cell = "—"
        audited = r.status == "audited"
        counts = [(r.shown_count(s) if audited else None) for s in ("error", "warning", "info")]
        count_cells = "".join(
            _td(
                "—" if n is None else (f'<span class="cnt cnt-{s}">{n}</span>' if n else "0"),
                "" if n is None else n,
                "num",
            )
            for s, n in zip(("error", "warning", "info"), counts)
        )
        problem = r.main_problem or ("未发现扣分问题" if audited else "")
        group = _td(_e(r.group), r.group or "", "grp") if run.grouped else ""
        breakdown = ";".join(f"{c}{v}" for c, v in r.deductions_by_category.items()) if audited else ""
        rows.append(
            f'<tr data-order="{order}" class="row-{_e(r.status)}">'
            + _td(str(r.rank) if r.rank is not None else "—", r.rank if r.rank is not None else "", "num rk")
            + group
            + _td(organ_cell, organ, "organ")
            + _td(_e(r.year) if r.year else "—", r.year or "", "num")
            + _td(_e(r.format) if r.format else "—", r.format or "", "nowrap")
            + _td(score_cell, "" if r.score is None else r.score, "num score")
            + _td(grade_cell, "" if r.score is None else r.score)
            + _td(
                _e(r.coverage_text) or "—",
                r.coverage[0] / r.coverage[2] if r.coverage and r.coverage[2] else "",
                "num",
            )
            + count_cells
            + _td(_breakdown(r), breakdown, "breakdown")
            + _td(_e(problem) if problem else "—", problem, "problem")
            + "</tr>"
        )
    for index, m in enumerate(run.missing, start=len(results)):  # units with no report
        group = _td(_e(m.group), m.group or "", "grp") if run.grouped else ""
        rows.append(
            f'<tr data-order="{index}" class="row-missing">'
            + _td("—", "", "num rk")
            + group
            + _td(f'{_e(m.unit)}<span class="path">（无报告文件）</span>', m.unit, "organ")
            + _td("—", "", "num")
            + _td("—", "", "nowrap")
            + _td('<span class="status status-missing">未提交</span>', "", "num score")
            + _td("—", "")
            + _td("—", "", "num")
            + "".join(_td("—", "", "num") for _ in range(3))
            + _td("—", "", "breakdown")
            + _td(_e(m.reason), m.reason, "problem")
            + "</tr>"
        )
    return (
        '<section id="ranking" class="wrap">'
        "<h2>合规排名 <small>点击列名排序；点击机关名称查看明细；同分同名次</small></h2>"
        '<div class="table-scroll"><table id="ranking-table" class="rank sortable">'
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _group_summary(run: Run) -> str:
    """Per group: reports, mean score, errors, units with no report, the most frequent problem."""
    if not run.grouped:
        return ""
    missing_by_group: dict[str, list[str]] = {}
    for m in run.missing:
        missing_by_group.setdefault(m.group or "", []).append(m.unit)
    rows = []
    for s in run.summaries():
        names = missing_by_group.get(s.group, [])
        missing = (
            f'<span class="cnt cnt-error">{s.missing}</span><span class="path">{_e("、".join(names))}</span>'
            if s.missing
            else "0"
        )
        problem = f"{_e(s.top_problem)}（{s.top_problem_reports} 份）" if s.top_problem else "—"
        rows.append(
            "<tr>"
            + _td(_e(s.group), s.group, "grp")
            + _td(str(s.reports), s.reports, "num")
            + _td(_num(s.mean_score) or "—", "" if s.mean_score is None else s.mean_score, "num")
            + _td(
                f'<span class="cnt cnt-error">{s.errors_listed}</span>'
                + (f'<span class="path">共 {s.errors} 处</span>' if s.errors != s.errors_listed else "")
                if s.errors
                else "0",
                s.errors_listed,
                "num",
            )
            + _td(missing, s.missing, "missing")
            + _td(problem, s.top_problem, "problem")
            + "</tr>"
        )
    head = "".join(
        f'<th scope="col" data-type="{kind}" tabindex="0" title="点击排序">{name}</th>'
        for name, kind in (
            (_e(run.group_by or "分组"), "text"),
            ("报告", "num"),
            ("平均得分", "num"),
            ("错误", "num"),
            ("未提交", "num"),
            ("最常见问题", "text"),
        )
    )
    return (
        '<section id="groups" class="wrap">'
        f"<h2>分组汇总 <small>按单位文件的“{_e(run.group_by or '')}”列分组；未提交为单位文件中没有报告的单位</small></h2>"
        '<div class="table-scroll"><table id="group-table" class="rank sortable">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


# ---------------------------------------------------------- distribution


def _distribution(results: list[ReportResult], grade_colors: dict[str, str]) -> str:
    audited = [r for r in results if r.status == "audited" and r.score is not None]
    grades = _grade_order(results)
    bins: list[list[ReportResult]] = [[] for _ in range(10)]
    for r in audited:
        bins[min(9, max(0, int((r.score or 0) // 10)))].append(r)
    tallest = max((len(b) for b in bins), default=0)
    top = max(1, tallest)
    step = max(1, math.ceil(top / 5))
    top = step * math.ceil(top / step)

    width, height = 720, 280
    left, right, upper, lower = 48, 16, 20, 44
    plot_w, plot_h = width - left - right, height - upper - lower
    slot = plot_w / 10
    bar_w = slot * 0.72
    svg = [
        f'<svg class="hist" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-label="得分分布直方图">'
    ]
    for tick in range(0, top + 1, step):
        y = upper + plot_h - plot_h * tick / top
        svg.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>')
        svg.append(f'<text x="{left - 8}" y="{y + 4:.1f}" class="tick" text-anchor="end">{tick}</text>')
    for index, members in enumerate(bins):
        x = left + slot * index + (slot - bar_w) / 2
        low, high = index * 10, index * 10 + 10
        label = f"{low}–{high}" if index < 9 else "90–100"
        svg.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{upper + plot_h + 18}" class="tick" '
            f'text-anchor="middle">{label}</text>'
        )
        y_base: float = upper + plot_h
        for grade in grades + [""]:
            group = [r for r in members if (r.grade or "") == grade]
            if not group:
                continue
            h = plot_h * len(group) / top
            y_base -= h
            names = "；".join(f"{r.organ or '（未识别机关）'} {r.year or ''} {_num(r.score)}" for r in group)
            tip = f"{label} 分 · {grade or '未定级'} {len(group)} 份：{names}"
            color = grade_colors.get(grade, "#607d8b")
            svg.append(
                f'<rect x="{x:.1f}" y="{y_base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{color}" rx="2"><title>{_e(tip)}</title></rect>'
            )
        if members:
            svg.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y_base - 5:.1f}" class="count" '
                f'text-anchor="middle">{len(members)}</text>'
            )
    svg.append(
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{width - right}" y2="{upper + plot_h}" class="axis"/>'
    )
    svg.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" class="label" '
        'text-anchor="middle">得分区间（分）</text>'
    )
    svg.append(
        f'<text x="14" y="{upper + plot_h / 2:.1f}" class="label" text-anchor="middle" '
        f'transform="rotate(-90 14 {upper + plot_h / 2:.1f})">报告数（份）</text>'
    )
    svg.append("</svg>")

    total = len(audited)
    grade_rows = []
    for grade in grades:
        n = sum(1 for r in audited if r.grade == grade)
        share = f"{100 * n / total:.0f}%" if total else "—"
        grade_rows.append(
            f'<tr><td><span class="swatch" style="background:{grade_colors.get(grade, "#607d8b")}">'
            f'</span>{_e(grade)}</td><td class="num">{n}</td><td class="num">{share}</td></tr>'
        )
    others = [r for r in results if r.status != "audited"]
    for status in ("not_applicable", "not_a_report", "error", "skipped"):
        n = sum(1 for r in others if r.status == status)
        if n:
            grade_rows.append(
                f'<tr class="muted"><td><span class="swatch swatch-none"></span>'
                f'{STATUS_ZH[status]}</td><td class="num">{n}</td><td class="num">—</td></tr>'
            )
    legend = (
        '<table class="grades"><thead><tr><th>等级</th><th>份数</th><th>占比</th></tr></thead>'
        f"<tbody>{''.join(grade_rows)}</tbody></table>"
    )
    return (
        '<section id="distribution" class="wrap">'
        "<h2>得分分布 <small>按 10 分区间，颜色为等级；悬停查看报告</small></h2>"
        f'<div class="dist"><div class="chart">{"".join(svg)}</div>{legend}</div></section>'
    )


# --------------------------------------------------------------- heat map


def _fired_rules(results: list[ReportResult], rule_by_id: dict[str, Rule]) -> list[str]:
    fired = {f.rule for r in results for f in r.findings}
    ordered = [rid for rid in rule_by_id if rid in fired]
    return ordered + sorted(fired - set(rule_by_id))


def _heat_style(count: int, most: int, severity: str) -> str:
    if not count:
        return ""
    strength = 0.18 + 0.82 * math.log1p(count) / math.log1p(max(most, 1))
    red, green, blue = SEVERITY_RGB.get(severity, (96, 125, 139))
    ink = "#fff" if strength > 0.55 else "#1f2933"
    return f' style="background:rgba({red},{green},{blue},{strength:.2f});color:{ink}"'


def _heatmap(results: list[ReportResult], rule_by_id: dict[str, Rule], anchors: dict[int, str]) -> str:
    fired = _fired_rules(results, rule_by_id)
    columns = [r for r in results if r.status == "audited"]
    if not fired or not columns:
        return (
            '<section id="heatmap" class="wrap"><h2>规则 × 报告</h2>'
            '<p class="empty">没有规则触发。</p></section>'
        )
    counts: dict[tuple[str, int], list] = {}
    for r in columns:
        for f in r.findings:
            counts.setdefault((f.rule, id(r)), []).append(f)
    most = max(len(v) for v in counts.values())
    head = ['<th class="corner" scope="col">规则 ＼ 报告</th>']
    for r in columns:
        who = f"{r.rank or '—'}. {r.organ or '（未识别机关）'} {r.year or ''}（{_num(r.score)} 分）"
        head.append(
            f'<th scope="col" class="col" title="{_e(who)}"><a href="#{anchors[id(r)]}">'
            f'<span class="colrank">{_e(r.rank or "—")}</span>'
            f'<span class="colname">{_e(_short(r.organ or "未识别"))}</span></a></th>'
        )
    head.append('<th scope="col" class="col total">合计</th>')
    body = []
    for rid in fired:
        rule = rule_by_id.get(rid)
        title = rule.title if rule else next(f.title for r in results for f in r.findings if f.rule == rid)
        severity = (
            rule.severity if rule else next(f.severity for r in results for f in r.findings if f.rule == rid)
        )
        tip = f"{rid} {title}"
        if rule and rule.description:
            tip += f"：{rule.description}"
        cells = [
            f'<th scope="row" class="rule" title="{_e(tip)}">'
            f'<span class="dot dot-{_e(severity)}"></span><code>{_e(rid)}</code> '
            f'<span class="rtitle">{_e(title)}</span></th>'
        ]
        total = 0
        for r in columns:
            found = counts.get((rid, id(r)), [])
            total += len(found)
            who = f"{r.organ or '（未识别机关）'} {r.year or ''}"
            if found:
                deducted = sum(f.deduction for f in found)
                waived = sum(1 for f in found if f.waived)
                tip = f"{rid} {title} · {who}：{len(found)} 条，扣 {_ded(deducted)} 分"
                if waived:
                    tip += f"（其中 {waived} 条已豁免）"
            else:
                tip = f"{rid} · {who}：未触发"
            cells.append(
                f'<td class="heat" title="{_e(tip)}"{_heat_style(len(found), most, severity)}>'
                f"{len(found) or ''}</td>"
            )
        cells.append(f'<td class="heat total">{total}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        '<section id="heatmap" class="wrap">'
        "<h2>规则 × 报告 <small>格内为问题条数，颜色越深越多；列按排名，悬停查看说明</small></h2>"
        '<div class="table-scroll fit"><table class="heatmap">'
        f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        '<p class="legend"><span class="dot dot-error"></span>错误 '
        '<span class="dot dot-warning"></span>警告 <span class="dot dot-info"></span>提示</p>'
        "</section>"
    )


def _short(text: str, limit: int = 8) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------- drill-down


def _where(location: dict[str, Any]) -> str:
    return where_text(location, sep=" · ") or "（无具体位置）"


def _ids(location: dict[str, Any], keys: Iterable[str]) -> str:
    names = {"row": "行", "column": "列"}
    return "".join(f'<span class="lid">{names[k]} {_e(location[k])}</span>' for k in keys if location.get(k))


def _expected_actual(f) -> str:
    pairs = [
        (name, value)
        for name, value in ((f.expected_name, f.expected), (f.actual_name, f.actual))
        if value is not None and value != ""
    ]
    if not pairs:
        return ""
    return (
        '<div class="ea">'
        + "".join(f"<span>{name} <b>{_e(shown(value))}</b></span>" for name, value in pairs)
        + "</div>"
    )


def _waiver(f) -> str:
    if not f.waived:
        return ""
    w = f.waiver or {}
    who = "，".join(
        x
        for x in (
            f"复核人 {w['by']}" if w.get("by") else "",
            f"有效至 {w['until']}" if w.get("until") else "",
        )
        if x
    )
    return (
        f'<div class="waiver"><span class="wtag">已豁免</span>{_e(w.get("reason") or "")}'
        + (f'<span class="wby">（{_e(who)}）</span>' if who else "")
        + "</div>"
    )


def _deduction(value: float, count: int = 1) -> str:
    many = f"{count} 条 · " if count > 1 else ""
    if value:
        return f'<span class="ded">{many}−{_ded(value)} 分</span>'
    return f'<span class="ded zero">{many}不扣分</span>'


def _card(findings: list, rule: Rule | None) -> str:
    """One finding, several of one rule on one line, or a grouped finding (one rule on one
    table row or table): the items each still listed with their message."""
    if len(findings) == 1 and findings[0].items:
        return _grouped_card(findings[0], rule)
    f = findings[0]
    sev = _e(f.severity)
    head = _card_head(f, rule, _deduction(sum(x.deduction for x in findings), len(findings)))
    classes = f"finding sev-{sev}{' waived' if f.waived else ''}"
    line = _line_of(f)
    data_line = f' data-line="{line}"' if line else ""
    if len(findings) == 1:
        loc = f.location or {}
        return (
            f'<li class="{classes}" data-severity="{sev}"{data_line} data-fingerprint="{_e(f.fingerprint)}">'
            f'{head}<div class="loc">{_e(_where(loc))}{_ids(loc, ("row", "column"))}</div>'
            f'<p class="msg">{_e(f.message)}</p>{_expected_actual(f)}{_waiver(f)}</li>'
        )
    # what all share is said once; what differs (row, column) is said per finding
    shared = [k for k in ("row", "column") if len({str((x.location or {}).get(k)) for x in findings}) == 1]
    own = [k for k in ("row", "column") if k not in shared]
    loc = f.location or {}
    subs = "".join(
        f'<li class="sub" data-fingerprint="{_e(x.fingerprint)}">'
        f'<span class="sid">{_ids(x.location or {}, own)}</span>'
        f'<div class="sbody"><p class="msg">{_e(x.message)}</p>{_expected_actual(x)}</div>'
        f"{_deduction(x.deduction)}</li>"
        for x in findings
    )
    return (
        f'<li class="{classes} multi" data-severity="{sev}"{data_line}>{head}'
        f'<div class="loc">{_e(_where(loc))}{_ids(loc, shared)}</div>'
        f'<ol class="subs">{subs}</ol>{_waiver(f)}</li>'
    )


def _card_head(f, rule: Rule | None, deduction: str) -> str:
    """A finding card's first line: severity, rule id (its description on hover), title,
    and the deduction as given."""
    tip = rule.description if rule and rule.description else ""
    title = f' title="{_e(tip)}"' if tip else ""
    sev = _e(f.severity)
    return (
        '<div class="fhead">'
        f'<span class="badge sev-{sev}">{_e(SEVERITY_ZH.get(f.severity, f.severity))}</span>'
        f'<code class="rid"{title}>{_e(f.rule)}</code>'
        f'<span class="rtitle">{_e(f.title)}</span>'
        f"{deduction}</div>"
    )


def _grouped_card(f, rule: Rule | None) -> str:
    """A grouped finding: its summary message, then each item (what differs: row, column)."""
    sev = _e(f.severity)
    head = _card_head(f, rule, _deduction(f.deduction, f.count))
    own = [k for k in ("row", "column") if not (f.location or {}).get(k)]
    subs = "".join(
        f'<li class="sub{" waived" if x.waived else ""}" data-fingerprint="{_e(x.fingerprint)}">'
        f'<span class="sid">{_ids(x.location or {}, own)}</span>'
        f'<div class="sbody"><p class="msg">{_e(x.message)}</p>{_expected_actual(x)}</div>'
        f"{_deduction(x.deduction)}</li>"
        for x in f.items
    )
    waived_note = f'<p class="wnote">其中 {f.waived_items} 处已豁免</p>' if f.waived_items else ""
    line = _line_of(f)
    data_line = f' data-line="{line}"' if line else ""
    classes = f"finding sev-{sev} multi grouped{' waived' if f.waived else ''}"
    loc = f.location or {}
    return (
        f'<li class="{classes}" data-severity="{sev}"{data_line} data-fingerprint="{_e(f.fingerprint)}">'
        f'{head}<div class="loc">{_e(_where(loc))}{_ids(loc, ("row", "column"))}</div>'
        f'<p class="msg">{_e(f.message)}</p>{waived_note}'
        f'<details class="items"><summary>逐处明细（{f.count} 处）</summary><ol class="subs">{subs}</ol></details>'
        f"{_waiver(f)}</li>"
    )


def _lines_of(f) -> list[int]:
    """The source lines a finding points at: a grouped finding's are its items'."""
    lines = [line for line in (_line_of(x) for x in (f.items or [f])) if line is not None]
    return sorted(set(lines))


def _cards(findings: list, rule_by_id: dict[str, Rule]) -> str:
    buckets: dict[tuple, list] = {}
    for f in findings:
        if f.items:  # a grouped finding is a card of its own
            buckets[("grouped", id(f))] = [f]
            continue
        key = (
            _line_of(f),
            f.rule,
            f.severity,
            repr(sorted((f.waiver or {}).items(), key=str)) if f.waived else "",
        )
        buckets.setdefault(key, []).append(f)
    return "".join(_card(group, rule_by_id.get(group[0].rule)) for group in buckets.values())


def _source_line(text: str, cut: bool) -> str:
    """A source line, escaped, tabs shown as cell separators."""
    suffix = ""
    if cut and len(text) > CONTEXT_LINE_MAX:
        suffix = f'<span class="cut">…（本行共 {len(text)} 字）</span>'
        text = text[:CONTEXT_LINE_MAX]
    pieces = text.split("\t")
    out = '<span class="tab" title="制表符（单元格分隔）">\t</span>'.join(_e(p) for p in pieces)
    return out + suffix


def _origin_label(origin: dict | None, number: int) -> str:
    """The line-number column of an excerpt: where the line is in the original file."""
    if not origin:
        return str(number)
    if origin.get("page"):
        return f"第{origin['page']}页"
    if origin.get("table"):
        return f"表{origin['table']}·{origin.get('row', '')}"
    if origin.get("paragraph"):
        return f"段{origin['paragraph']}"
    return str(origin.get("line") or number)


def _original_text(
    number: int, lines: list[str], origins: list[dict] | None, original: list[str] | None
) -> str:
    """The text a person sees in the file: the original line (text, Markdown), the slice of a
    flattened page from where this line starts to where the next one starts, else the line read."""
    if not origins or not original or number > len(origins):
        return lines[number - 1]
    origin = origins[number - 1] or {}
    line = origin.get("line")
    if not line or line > len(original) or origin.get("page") or origin.get("table"):
        return lines[number - 1]
    text = original[line - 1]
    column = origin.get("column")
    if column is None:
        return text
    following = next(
        (
            o.get("column")
            for o in origins[number:]
            if o and o.get("line") == line and (o.get("column") or 0) > column
        ),
        None,
    )
    end = following - 1 if following else column - 1 + CONTEXT_LINE_MAX
    return text[column - 1 : min(end, column - 1 + CONTEXT_LINE_MAX)]


def _caption(first: int, last: int, origins: list[dict] | None) -> str:
    if not origins or last > len(origins):
        return f"原文 第{first}–{last}行" if first != last else f"原文 第{first}行"
    start, end = source_text(origins[first - 1]), source_text(origins[last - 1])
    if not start:
        return f"原文 第{first}–{last}行" if first != last else f"原文 第{first}行"
    return f"原文 {start}" if start == end or not end else f"原文 {start} 至 {end}"


def _excerpt(
    lines: list[str] | None,
    targets: Iterable[int],
    origins: list[dict] | None = None,
    original: list[str] | None = None,
) -> str:
    targets = sorted(set(targets))
    if lines is None:
        return '<div class="src src-none">（未保留原文，无法显示上下文）</div>'
    valid = [t for t in targets if 1 <= t <= len(lines)]
    if not valid:
        return '<div class="src src-none">（该问题没有对应的原文行）</div>'
    first, last = max(1, valid[0] - CONTEXT), min(len(lines), valid[-1] + CONTEXT)
    rows = []
    shown: tuple | None = None
    for number in range(first, last + 1):
        hit = number in valid
        origin = origins[number - 1] if origins and number <= len(origins) else None
        raw = _original_text(number, lines, origins, original)
        # two lines read from one line of the file (and not targets): shown once
        if raw.strip() and shown == (raw, repr(origin)) and not hit:
            continue
        shown = (raw, repr(origin))
        text = _source_line(raw, cut=not hit)
        if hit:
            text = f"<mark>{text}</mark>"
        klass = ' class="hit"' if hit else ""
        label = _e(_origin_label(origin, number))
        rows.append(
            f'<tr{klass} data-line="{number}"><td class="ln">{label}</td><td class="tx">{text}</td></tr>'
        )
    caption = _e(_caption(first, last, origins))
    return (
        f'<figure class="src"><figcaption>{caption}</figcaption>'
        f'<table class="code"><tbody>{"".join(rows)}</tbody></table></figure>'
    )


def _line_of(f) -> int | None:
    line = (f.location or {}).get("line")
    return line if isinstance(line, int) and not isinstance(line, bool) and line > 0 else None


def _groups(r: ReportResult) -> list[tuple[list[int], list]]:
    """Findings grouped by nearby source lines (one excerpt each); worst and earliest first.

    Lines whose excerpts would overlap share one excerpt with every target line
    highlighted; a group never spans more than CLUSTER_SPAN lines.
    """
    by_line: dict[int, list] = {}
    unplaced = []
    targets: dict[int, list[int]] = {}  # a finding's first line -> every line it points at
    for f in r.shown_findings():
        lines = _lines_of(f)
        if not lines:
            unplaced.append(f)
        else:
            by_line.setdefault(lines[0], []).append(f)
            targets.setdefault(lines[0], [lines[0]]).extend(lines[1:])
    clusters: list[list[int]] = []
    for line in sorted(by_line):
        if clusters and line - clusters[-1][-1] <= 2 * CONTEXT + 1 and line - clusters[-1][0] < CLUSTER_SPAN:
            clusters[-1].append(line)
        else:
            clusters.append([line])
    groups = [
        (
            sorted({t for line in lines for t in targets[line]}),
            [
                f
                for line in lines
                for f in sorted(by_line[line], key=lambda f: SEVERITY_ORDER.get(f.severity, 3))
            ],
        )
        for lines in clusters
    ]
    if unplaced:
        groups.append(([], unplaced))
    return sorted(
        groups,
        key=lambda g: (
            min(SEVERITY_ORDER.get(f.severity, 3) for f in g[1]),
            not g[0],
            g[0][0] if g[0] else 0,
        ),
    )


def _report(r: ReportResult, anchor: str, rule_by_id: dict[str, Rule], grade_colors: dict[str, str]) -> str:
    organ = r.organ or "（未识别机关）"
    year = f"{r.year}年度" if r.year else ""
    if r.status == "audited" and r.score is not None:
        color = grade_colors.get(r.grade or "", "#607d8b")
        score = (
            f'<div class="rscore" style="border-color:{color};color:{color}">'
            f"<b>{_num(r.score)}</b><span>{_e(r.grade or '')}</span></div>"
        )
    else:
        score = (
            f'<div class="rscore rscore-{_e(r.status)}">'
            f"<span>{_e(STATUS_ZH.get(r.status, r.status))}</span></div>"
        )
    facts = [("文件", f"<code>{_e(r.path)}</code>")]
    if r.coverage:
        facts.append(
            (
                "读出",
                f"模板单元格 {_e(r.coverage_text)}" + (f"（{_e(r.grade_note)}）" if r.grade_note else ""),
            )
        )
    if r.title:
        facts.append(("标题", _e(r.title)))
    if r.format:
        facts.append(("格式", _e(r.format)))
    if r.input_kind:
        facts.append(("读取方式", _e(r.input_kind)))
    if r.status == "audited":
        waived = sum(1 for f in r.findings if f.waived)
        tally = "".join(
            f'<span class="cnt cnt-{s}">{SEVERITY_ZH[s]} {r.shown_count(s)}'
            + (f"（{r.count(s)} 处）" if r.count(s) != r.shown_count(s) else "")
            + "</span>"
            for s in ("error", "warning", "info")
        )
        if waived:
            tally += f'<span class="cnt cnt-waived">已豁免 {waived}</span>'
        facts.append(("问题", tally))
        facts.append(("扣分构成", _breakdown(r)))
    if r.group is not None:
        facts.append(("分组", _e(r.group)))
    fact_html = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts)
    head = (
        f'<header class="rhead"><div class="rrank">{_e(r.rank) if r.rank else "—"}</div>'
        f'<div class="rname"><h3>{_e(organ)} <span class="ryear">{_e(year)}</span></h3>'
        f'<dl class="facts">{fact_html}</dl></div>{score}</header>'
    )
    if r.status != "audited":
        body = (
            f'<p class="reason reason-{_e(r.status)}"><b>{_e(STATUS_ZH.get(r.status, r.status))}：'
            f"</b>{_e(r.error or '（未说明原因）')}</p>"
        )
    elif not r.findings:
        body = '<p class="clean">未发现问题。</p>'
    else:
        groups = []
        for lines, findings in _groups(r):
            only_info = all(f.severity == "info" for f in findings)
            all_waived = all(f.waived for f in findings)
            classes = "group" + (" only-info" if only_info else "") + (" all-waived" if all_waived else "")
            items = _cards(findings, rule_by_id)
            groups.append(
                f'<div class="{classes}"><ol class="findings">{items}</ol>'
                f"{_excerpt(r.source_lines, lines, r.source_origins, r.original_lines)}</div>"
            )
        body = f'<div class="groups">{"".join(groups)}</div>'
    return (
        f'<article class="report st-{_e(r.status)}" id="{anchor}">{head}{body}'
        '<p class="back"><a href="#ranking">↑ 返回排名</a></p></article>'
    )


def _details(
    results: list[ReportResult],
    rule_by_id: dict[str, Rule],
    anchors: dict[int, str],
    grade_colors: dict[str, str],
) -> str:
    controls = (
        '<div class="controls js-only">'
        '<label><input type="checkbox" id="show-info" checked> 显示“提示”级别</label>'
        '<label><input type="checkbox" id="show-waived" checked> 显示已豁免</label>'
        "</div>"
    )
    reports = "".join(_report(r, anchors[id(r)], rule_by_id, grade_colors) for r in results)
    return (
        '<section id="details" class="wrap">'
        "<h2>逐份明细 <small>每条问题旁边是它所指的原文（高亮）；左栏是原文件中的位置：行号，PDF 的页码，网页和 Word 的第几个表格·第几行</small></h2>"
        f"{controls}{reports}</section>"
    )


# ------------------------------------------------------------ CSS and JS

CSS = """
:root{--ink:#1f2933;--muted:#6b7785;--line:#e3e7ed;--bg:#f5f7fa;--card:#fff;--navy:#1d3557;
--err:#c62828;--warn:#b26a00;--info:#456ea0;--mark:#fff3b0}
*{box-sizing:border-box}

body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.6 -apple-system,BlinkMacSystemFont,
"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",
"WenQuanYi Micro Hei","Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
code,.code{font-family:"SFMono-Regular",Menlo,Consolas,"Noto Sans Mono CJK SC","Liberation Mono",monospace}
a{color:#1857a4;text-decoration:none}a:hover{text-decoration:underline}
.wrap{max-width:1280px;margin:0 auto;padding:0 24px}
.page-head{background:linear-gradient(135deg,#1d3557,#274b7a);color:#fff;padding:28px 0 24px}
.kicker{font-size:13px;opacity:.75;letter-spacing:.08em}
h1{margin:4px 0 8px;font-size:28px;font-weight:600}
.meta{margin:0 0 18px;display:flex;flex-wrap:wrap;gap:6px 22px;font-size:13px;opacity:.92}
.meta code{background:rgba(255,255,255,.14);padding:1px 6px;border-radius:4px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{background:rgba(255,255,255,.1);border:1px solid rgba(255,255,255,.18);border-radius:8px;padding:10px 14px}
.card-label{font-size:12px;opacity:.8}.card-value{font-size:26px;font-weight:600;line-height:1.3}
.card-note{font-size:12px;opacity:.7}
.card-2 .card-value{color:#ffb4b4}.card-3 .card-value{color:#ffd58a}.card-4 .card-value{color:#bcd3f2}
.toc{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);
box-shadow:0 1px 3px rgba(0,0,0,.04)}
.toc .wrap{display:flex;gap:4px}
.toc a{display:inline-block;padding:10px 14px;color:var(--ink);font-weight:500}
.toc a:hover{background:var(--bg);text-decoration:none}
main section{margin-top:34px}
h2{font-size:19px;margin:0 0 12px;font-weight:600;color:var(--navy)}
h2 small{font-size:12px;font-weight:400;color:var(--muted);margin-left:10px}
.table-scroll{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse}
.table-scroll.fit{display:inline-block;max-width:100%;vertical-align:top}
.rank{width:100%}
.rank th,.rank td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
.rank thead th{background:#eef2f7;font-weight:600;white-space:nowrap;cursor:pointer;user-select:none;
position:relative;padding-right:20px}
.rank thead th:hover{background:#e2e8f0}
.rank thead th::after{content:"⇅";position:absolute;right:6px;color:#a0aab6;font-size:11px}
.rank thead th[aria-sort=ascending]::after{content:"▲";color:var(--navy)}
.rank thead th[aria-sort=descending]::after{content:"▼";color:var(--navy)}
.rank tbody tr:hover{background:#f8fafc}
.rank td.nowrap{white-space:nowrap}
.rank td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.rank td.rk{font-weight:700;color:var(--navy);width:1%}
.rank td.organ{min-width:240px}.rank td.organ a{font-weight:600}
.rank .path{display:block;font-size:11px;color:var(--muted);word-break:break-all}
.rank td.score{position:relative;min-width:96px}
.rank .bar{position:absolute;left:8px;bottom:6px;height:3px;border-radius:2px;max-width:calc(100% - 16px);opacity:.75}
.rank .val{font-weight:600}
.rank td.problem{color:#3c4652;min-width:220px}
.rank td.breakdown{min-width:130px}
.cat{display:inline-block;white-space:nowrap;font-size:12px;background:#eef2f7;color:#33415c;
border-radius:4px;padding:0 6px;margin:0 4px 3px 0}
.none{font-size:12px;color:var(--muted)}
.rank td.grp{font-weight:600;color:var(--navy);min-width:4.5em}
.row-missing td{color:var(--muted);background:#fffafa}
.status-missing{background:#fff0e0;color:#a55400}
.items summary{cursor:pointer;font-size:12px;color:var(--muted);margin:4px 0}
.wnote{font-size:12px;color:#2e7d32;margin:2px 0}
.row-not_applicable td,.row-error td{color:var(--muted)}
.grade{display:inline-block;white-space:nowrap;color:#fff;border-radius:10px;padding:0 9px;font-size:12px;line-height:20px}
.status{font-size:12px;border-radius:4px;padding:1px 6px;background:#eceff3;color:#55606d}
.status-error{background:#fde7e7;color:var(--err)}
.cnt{font-weight:600}.cnt-error{color:var(--err)}.cnt-warning{color:var(--warn)}.cnt-info{color:var(--info)}
.cnt-waived{color:#2e7d32}
.dist{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap;background:var(--card);
border:1px solid var(--line);border-radius:8px;padding:16px}
.chart{flex:1 1 560px;min-width:0}
.hist{width:100%;height:auto;max-width:760px;font-family:inherit}
.hist .grid{stroke:#edf0f4}.hist .axis{stroke:#9aa5b1}
.hist .tick{font-size:11px;fill:#6b7785}.hist .count{font-size:12px;fill:#1f2933;font-weight:600}
.hist .label{font-size:12px;fill:#6b7785}
.grades{min-width:220px;font-size:13px}
.grades th,.grades td{padding:6px 12px;border-bottom:1px solid var(--line);text-align:left}
.grades td.num{text-align:right}
.grades .muted td{color:var(--muted)}
.swatch{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:8px;vertical-align:-1px}
.swatch-none{background:#cfd6de}
.heatmap{font-size:12px}
.heatmap th,.heatmap td{border:1px solid #edf0f4;padding:4px 6px}
.heatmap thead th{background:#eef2f7;font-weight:500;vertical-align:bottom}
.heatmap th.col{min-width:44px;text-align:center}
.heatmap th.col a{display:block;color:var(--ink)}
.heatmap .colrank{display:block;font-weight:700;color:var(--navy)}
.heatmap .colname{display:block;font-size:11px;color:var(--muted);writing-mode:vertical-rl;
margin:2px auto 0;max-height:120px;line-height:1.2}
.heatmap th.rule{text-align:left;font-weight:400;white-space:nowrap;background:#fafbfc;position:sticky;left:0}
.heatmap th.rule code{font-weight:600}
.heatmap .rtitle{color:#4a5562}
.heatmap td.heat{text-align:center;font-weight:600;min-width:34px;font-variant-numeric:tabular-nums}
.heatmap td.total{background:#f4f6f9;color:#3c4652}
.legend{font-size:12px;color:var(--muted);margin:8px 2px}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin:0 4px 0 8px;vertical-align:0}
.heatmap .dot{margin-left:0}
.dot-error{background:var(--err)}.dot-warning{background:#e08a00}.dot-info{background:var(--info)}
.controls{display:flex;gap:18px;margin:0 0 12px;font-size:13px;color:#3c4652}
.report{background:var(--card);border:1px solid var(--line);border-radius:10px;margin:0 0 22px;
padding:18px 20px;scroll-margin-top:56px}
.report:target{box-shadow:0 0 0 3px rgba(24,87,164,.35)}
.rhead{display:flex;gap:16px;align-items:flex-start;border-bottom:1px solid var(--line);padding-bottom:12px;margin-bottom:14px}
.rrank{flex:0 0 auto;width:40px;height:40px;border-radius:50%;background:var(--navy);color:#fff;
display:flex;align-items:center;justify-content:center;font-weight:700;font-size:16px}
.rname{flex:1 1 auto;min-width:0}
.rname h3{margin:0 0 6px;font-size:18px}
.ryear{font-weight:400;color:var(--muted);font-size:14px}
.facts{margin:0;display:flex;flex-wrap:wrap;gap:4px 20px;font-size:12px}
.facts div{display:flex;gap:6px;min-width:0}
.facts dt{color:var(--muted)}.facts dd{margin:0;word-break:break-all}
.facts .cnt{margin-right:10px}
.rscore{flex:0 0 auto;border:2px solid #cfd6de;border-radius:10px;padding:4px 12px;text-align:center;min-width:84px}
.rscore b{display:block;font-size:24px;line-height:1.2}
.rscore span{font-size:12px;font-weight:600}
.rscore-not_applicable,.rscore-error{color:var(--muted)}
.rscore-error{border-color:#f3b5b5;color:var(--err)}
.reason{margin:0;padding:10px 14px;border-radius:6px;background:#f4f6f9;color:#3c4652}
.reason-error{background:#fdf0f0}
.clean{margin:0;padding:10px 14px;border-radius:6px;background:#eef7ef;color:#2e7d32}
.group{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.05fr);gap:16px;
padding:12px 0;border-top:1px dashed var(--line)}
.group:first-child{border-top:0;padding-top:0}
.findings{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:10px}
.finding{border-left:4px solid #cfd6de;padding:6px 10px 6px 12px;background:#fbfcfd;border-radius:0 6px 6px 0}
.finding.sev-error{border-left-color:var(--err)}
.finding.sev-warning{border-left-color:#e08a00}
.finding.sev-info{border-left-color:var(--info)}
.finding.waived{opacity:.72;background:#f3f8f3}
.fhead{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 8px}
.badge{font-size:11px;line-height:18px;padding:0 7px;border-radius:9px;color:#fff;font-weight:600}
.badge.sev-error{background:var(--err)}.badge.sev-warning{background:#e08a00}.badge.sev-info{background:var(--info)}
.rid{font-size:12px;font-weight:600;color:#2b3a4a;background:#eef2f7;padding:0 5px;border-radius:3px}
.fhead .rtitle{font-weight:600}
.ded{margin-left:auto;font-size:12px;font-weight:600;color:var(--err);white-space:nowrap}
.ded.zero{color:var(--muted);font-weight:400}
.loc{font-size:12px;color:var(--muted);margin-top:2px}
.lid{font-family:"SFMono-Regular",Menlo,Consolas,monospace;font-size:11px;margin-left:8px;
background:#f0f2f5;padding:0 4px;border-radius:3px}
.msg{margin:4px 0 0;word-break:break-word}
.subs{list-style:none;margin:6px 0 0;padding:0;border-top:1px solid #edf0f4}
.sub{padding:4px 0;border-bottom:1px solid #edf0f4;display:grid;grid-template-columns:auto minmax(0,1fr) auto;
gap:8px;align-items:baseline}
.sub:last-child{border-bottom:0}
.sub .msg{margin:0;font-size:13px}
.sid .lid{margin-left:0;white-space:nowrap}.sub .ded{margin-left:0}
.src{position:sticky;top:48px}
.ea{font-size:12px;color:#4a5562;margin-top:3px;display:flex;gap:16px;flex-wrap:wrap}
.waiver{margin-top:6px;font-size:12px;color:#2e5e31;background:#e5f2e6;border-radius:4px;padding:4px 8px}
.wtag{font-weight:700;margin-right:8px}.wby{color:#55705a}
.src{margin:0;border:1px solid var(--line);border-radius:6px;overflow:hidden;background:#fcfcfd;align-self:start}
.src figcaption{font-size:11px;color:var(--muted);padding:3px 10px;background:#f2f4f7;border-bottom:1px solid var(--line)}
.src-none{font-size:12px;color:var(--muted);padding:10px;border:1px dashed var(--line);border-radius:6px;align-self:start}
.code{width:100%;font-size:12.5px;line-height:1.55}
.code td{padding:0 8px;vertical-align:top}
.code .ln{width:1%;text-align:right;color:#a0aab6;border-right:1px solid var(--line);user-select:none;
white-space:nowrap;font-variant-numeric:tabular-nums}
.code .tx{white-space:pre-wrap;word-break:break-all;tab-size:2}
.code tr.hit{background:var(--mark)}
.code tr.hit .ln{color:#7a5b00;font-weight:700;border-right-color:#e0c14a}
.code mark{background:transparent;color:#000;font-weight:600}
.code tr.focus{background:#ffd95e}.code tr.focus .ln{color:#000}
.tab{display:inline-block;width:1.6em;overflow:hidden;vertical-align:top;color:#c3cad3;white-space:pre}
.tab::before{content:"⇥"}
.cut{color:#a0aab6}
.back{margin:12px 0 0;font-size:12px;text-align:right}
.page-foot{max-width:1280px;margin:32px auto;padding:16px 24px;color:var(--muted);font-size:12px;
border-top:1px solid var(--line)}
body.hide-info .finding.sev-info,body.hide-info .group.only-info{display:none}
body.hide-waived .finding.waived,body.hide-waived .group.all-waived{display:none}
.js-only{display:none}html.js .js-only{display:flex}
@media (max-width:900px){.group{grid-template-columns:1fr}.rhead{flex-wrap:wrap}}
@media print{.toc,.controls,.back{display:none}body{background:#fff}
.page-head{background:#fff;color:var(--ink);border-bottom:2px solid var(--navy)}
.card{border-color:var(--line)}.group,.finding,tr{break-inside:avoid}.report{break-inside:auto}}
"""

# Reads data-* attributes and toggles classes; never builds HTML or code from data.
JS = """
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function key(row, index) { return row.cells[index].getAttribute("data-sort") || ""; }
  function order(row) { return parseInt(row.getAttribute("data-order"), 10); }
  function sortBy(table, th, index) {
    var numeric = th.getAttribute("data-type") === "num";
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, index), y = key(b, index);
      if (x === "" || y === "") {            /* blanks (not audited) always last */
        return x === y ? order(a) - order(b) : (x === "" ? 1 : -1);
      }
      var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-Hans-CN");
      if (c === 0) { return order(a) - order(b); }
      return ascending ? c : -c;
    });
    for (var j = 0; j < rows.length; j++) { body.appendChild(rows[j]); }
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.addEventListener("click", function () { sortBy(table, th, index); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, th, index); }
      });
    });
  });
  function toggle(id, cls) {
    var box = document.getElementById(id);
    if (!box) { return; }
    box.addEventListener("change", function () { document.body.classList.toggle(cls, !box.checked); });
  }
  /* pointing at a finding marks its line in the excerpt beside it */
  Array.prototype.forEach.call(document.querySelectorAll(".group"), function (group) {
    var rows = group.querySelectorAll("tr[data-line]");
    Array.prototype.forEach.call(group.querySelectorAll(".finding[data-line]"), function (card) {
      var line = card.getAttribute("data-line");
      function mark(on) {
        for (var i = 0; i < rows.length; i++) {
          if (rows[i].getAttribute("data-line") === line) { rows[i].classList.toggle("focus", on); }
        }
      }
      card.addEventListener("mouseenter", function () { mark(true); });
      card.addEventListener("mouseleave", function () { mark(false); });
    });
  });
  toggle("show-info", "hide-info");
  toggle("show-waived", "hide-waived");
})();
"""
