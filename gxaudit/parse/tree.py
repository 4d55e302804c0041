"""`gxaudit parse --format tree`: the AST as an indented, readable outline."""

from __future__ import annotations

from gxaudit.parse import ast


def _cell(cell: ast.Cell) -> str:
    shown = cell.raw if cell.raw else "∅"
    extra = f" {cell.kind}" if cell.kind != ast.NUMBER else ""
    return f"{shown}{extra} @{cell.line}:{cell.column}"


def render(report: ast.Report) -> str:
    out = [
        f"报告 {report.path}",
        f"  标题: {report.title or '（未找到）'}  (行 {report.title_line})",
        f"  机关: {report.organ or '（未找到）'}   年度: {report.year or '（未找到）'}   格式: {report.format}",
        "  部分:",
    ]
    for s in report.sections:
        variant = "  [变体]" if s.variant else ""
        out.append(f"    {s.number}、{s.heading}  → {s.id or '（未识别）'}  行 {s.line}{variant}")
    t = report.tables
    out.append("  表二 主动公开 (proactive):")
    for block in t.proactive.values():
        out.append(f"    {block.id}  {block.label}  行 {block.line}")
        for row in block.rows.values():
            cells = ", ".join(f"{c}={_cell(v)}" for c, v in row.cells.items())
            out.append(f"      {row.id}: {cells}")
    out.append("  表三 依申请公开 (applications):")
    for row in t.applications.values():
        cells = " ".join(f"{c}={_cell(v)}" for c, v in row.cells.items())
        out.append(f"    {row.id}: {cells}")
    out.append("  表四 行政复议、行政诉讼 (review_litigation):")
    for row in t.review_litigation.values():
        cells = " ".join(f"{c}={_cell(v)}" for c, v in row.cells.items())
        out.append(f"    {row.id}: {cells}")
    out.append(f"  诊断 ({len(report.diagnostics)}):")
    for d in report.diagnostics:
        out.append(f"    行 {d.line}: {d.message}")
    return "\n".join(out)
