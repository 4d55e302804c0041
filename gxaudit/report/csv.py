"""CSV output: one row per finding (a row per report without findings)."""

from __future__ import annotations

import csv
import io

from gxaudit.audit.findings import ReportResult
from gxaudit.report.labels import source_line, source_text
from gxaudit.report.run import Run

CSV_HEADERS = [
    "rank",
    "path",
    "status",
    "organ",
    "year",
    "format",
    "score",
    "grade",
    "coverage",
    "grade_note",
    "rule",
    "category",
    "severity",
    "line",
    "place",
    "section",
    "table",
    "row",
    "column",
    "message",
    "expected",
    "actual",
    "deduction",
    "fingerprint",
    "waived",
    "error",
]


def render_csv(results: list[ReportResult]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for r in results:
        base = [
            r.rank or "",
            r.path,
            r.status,
            r.organ or "",
            r.year or "",
            r.format or "",
            "" if r.score is None else r.score,
            r.grade or "",
            r.coverage_text,
            r.grade_note or "",
        ]
        if not r.findings:
            writer.writerow(base + [""] * 14 + [r.error or ""])
        for f in r.findings:
            d = f.to_dict()
            loc = f.location
            writer.writerow(
                base
                + [
                    f.rule,
                    f.category,
                    f.severity,
                    source_line(loc) or "",
                    source_text(loc.get("source")),
                    loc.get("section") or "",
                    loc.get("table") or "",
                    loc.get("row") or "",
                    loc.get("column") or "",
                    f.message,
                    "" if d["expected"] is None else d["expected"],
                    "" if d["actual"] is None else d["actual"],
                    f.deduction,
                    f.fingerprint,
                    f.waiver["reason"] if f.waived else "",
                    "",
                ]
            )
    return buffer.getvalue()


def render(run: Run) -> str:
    return render_csv(run.results)
