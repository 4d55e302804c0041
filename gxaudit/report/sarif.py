"""SARIF 2.1.0 log of an audit, for code-scanning viewers and CI.

One run, tool `gxaudit`. Every rule is a reportingDescriptor; every finding a
result with its physical location (the report file, the line when known), its
logical location (`applications/new/total`, kind `cell`), the stable
fingerprint as `partialFingerprints["gxaudit/v1"]` and, when waived, an
external suppression. Each report is an artifact whose properties carry its
score, grade, rank and status; a file that could not be processed is a
tool-execution notification of level error (a report older than the 2019
format, one of level note). Nothing in the log depends on the time of the run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from gxaudit import __version__
from gxaudit.audit.findings import STATUS_AUDITED, STATUS_ERROR, Finding, ReportResult
from gxaudit.report.labels import source_line
from gxaudit.report.run import Run
from gxaudit.rules.model import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "gxaudit/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
NOTIFICATION_FILE_ERROR = "GX-FILE-ERROR"
NOTIFICATION_NOT_APPLICABLE = "GX-NOT-APPLICABLE"


def _json(value: Any) -> Any:
    """A value JSON can hold (Decimal, dates and tuples from the facts included)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def rule_name(rule_id: str) -> str:
    """An identifier-like name from the id: GX-BAL-003 → GxBal003."""
    return "".join(
        part[:1].upper() + part[1:].lower() for part in re.split(r"[^A-Za-z0-9]+", rule_id) if part
    )


def artifact_uri(path: str, base: str | Path | None = None) -> str:
    """The report's path as a URI reference: relative to base (default: the
    working directory) when it lies below it, else an absolute file: URI;
    non-ASCII characters (Chinese file names) percent-encoded."""
    candidate = Path(path)
    if not candidate.is_absolute():
        posix = PurePosixPath(*candidate.parts).as_posix() if candidate.parts else path
        return quote(_bytes(posix), safe="/")
    root = Path(base) if base is not None else Path.cwd()
    try:
        relative = Path(os.path.abspath(candidate)).relative_to(os.path.abspath(root))
    except ValueError:
        return Path(os.path.abspath(candidate)).as_uri()
    return quote(_bytes(relative.as_posix()), safe="/")


def _bytes(path: str) -> bytes:
    """The path's bytes: a file name that is not UTF-8 is percent-encoded byte for byte."""
    return path.encode("utf-8", "surrogateescape")


def _descriptor(
    rule_id: str, title: str, category: str, severity: str, weight: float, description: str = ""
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "name": rule_name(rule_id),
        "shortDescription": {"text": title},
        "fullDescription": {"text": description or title},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": {
            "category": category,
            "severity": severity,
            "weight": _json(weight),
            "tags": [category],
        },
    }


def _logical_location(location: dict[str, Any]) -> dict[str, Any]:
    """Where in the report's structure: table/row/column, else the part, else the report."""
    table, row, column = location.get("table"), location.get("row"), location.get("column")
    if table:
        parts = [str(p) for p in (table, row, column) if p]
        kind = "cell" if row and column else "row" if row else "column" if column else "table"
    elif location.get("section"):
        parts, kind = [str(location["section"])], "section"
    else:
        parts, kind = ["report"], "document"
    return {"name": parts[-1], "fullyQualifiedName": "/".join(parts), "kind": kind}


def _result(
    f: Finding, report: ReportResult, rule_index: int, uri: str, artifact_index: int
) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": artifact_index}}
    line = source_line(f.location)  # the line of the file itself (none for a PDF page)
    if isinstance(line, int) and line >= 1:
        physical["region"] = {"startLine": line}
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": physical, "logicalLocations": [_logical_location(f.location)]}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "deduction": _json(f.deduction),
            "expected": _json(f.expected),
            "actual": _json(f.actual),
            "organ": report.organ,
            "year": report.year,
            "category": f.category,
            "title": f.title,
            "location": {k: _json(v) for k, v in f.location.items() if v is not None},
        },
    }
    if f.items:  # a grouped finding: each item is a related location with its own message
        related = []
        for number, item in enumerate(f.items, start=1):
            where: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": artifact_index}}
            item_line = source_line(item.location)
            if isinstance(item_line, int) and item_line >= 1:
                where["region"] = {"startLine": item_line}
            related.append(
                {
                    "id": number,
                    "physicalLocation": where,
                    "logicalLocations": [_logical_location(item.location)],
                    "message": {"text": item.message},
                }
            )
        out["relatedLocations"] = related
        out["properties"]["count"] = len(f.items)
        out["properties"]["items"] = [item.fingerprint for item in f.items]
        if f.waived_items:
            out["properties"]["waivedItems"] = f.waived_items
    if f.waiver is not None:
        suppression: dict[str, Any] = {
            "kind": "external",
            "status": "accepted",
            "justification": str(f.waiver.get("reason") or ""),
        }
        extra = {k: _json(v) for k, v in f.waiver.items() if k != "reason" and v is not None}
        if extra:
            suppression["properties"] = extra
        out["suppressions"] = [suppression]
    return out


def _artifact(report: ReportResult, uri: str) -> dict[str, Any]:
    props = {
        "status": report.status,
        "rank": report.rank,
        "score": _json(report.score),
        "grade": report.grade,
        "gradeNote": report.grade_note,
        "coverage": report.coverage_text or None,
        "error": report.error,
        "organ": report.organ,
        "year": report.year,
        "format": report.format,
        "errors": report.count("error"),
        "warnings": report.count("warning"),
        "infos": report.count("info"),
    }
    if report.status == STATUS_AUDITED:
        props["mainProblem"] = report.main_problem or None
        props["deductionsByCategory"] = report.deductions_by_category
    return {"location": {"uri": uri}, "roles": ["analysisTarget"], "properties": props}


def _notification(report: ReportResult, uri: str, artifact_index: int) -> dict[str, Any]:
    error = report.status == STATUS_ERROR
    return {
        "level": "error" if error else "note",
        "descriptor": {"id": NOTIFICATION_FILE_ERROR if error else NOTIFICATION_NOT_APPLICABLE},
        "message": {"text": f"{report.path}: {report.error or report.status}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": artifact_index}}}],
    }


def render(run: Run) -> str:
    return (
        json.dumps(render_sarif(run.results, run.rules, run.rules_version), ensure_ascii=False, indent=2)
        + "\n"
    )


def render_sarif(
    results: list[ReportResult], rules: list[Rule], rules_version: str, base: str | Path | None = None
) -> dict[str, Any]:
    """The SARIF log (a dict; json.dumps it with ensure_ascii=False).

    `base` is the folder report paths are made relative to (default: the
    working directory).
    """
    descriptors = [_descriptor(r.id, r.title, r.category, r.severity, r.weight, r.description) for r in rules]
    index = {r.id: i for i, r in enumerate(rules)}
    for report in results:  # a rule seen only in findings still gets a descriptor
        for f in report.findings:
            if f.rule not in index:
                index[f.rule] = len(descriptors)
                descriptors.append(_descriptor(f.rule, f.title, f.category, f.severity, f.weight))

    artifacts, sarif_results, notifications = [], [], []
    for artifact_index, report in enumerate(results):
        uri = artifact_uri(report.path, base)
        artifacts.append(_artifact(report, uri))
        if report.status != STATUS_AUDITED:
            notifications.append(_notification(report, uri, artifact_index))
        for f in report.shown_findings():  # repeated findings on a row or table: one result
            sarif_results.append(_result(f, report, index[f.rule], uri, artifact_index))

    driver = {
        "name": "gxaudit",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": descriptors,
        "notifications": [
            {
                "id": NOTIFICATION_FILE_ERROR,
                "name": "FileNotProcessed",
                "shortDescription": {"text": "文件无法处理（无法读取、不是年度报告或超出限制）"},
                "defaultConfiguration": {"level": "error"},
            },
            {
                "id": NOTIFICATION_NOT_APPLICABLE,
                "name": "ReportNotApplicable",
                "shortDescription": {"text": "报告早于2019年格式，不按现行格式审查"},
                "defaultConfiguration": {"level": "note"},
            },
        ],
        "properties": {"rulesVersion": rules_version},
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "language": "zh-CN",
        "artifacts": artifacts,
        "results": sarif_results,
        "properties": {
            "rulesVersion": rules_version,
            "ranking": [
                {
                    "artifactIndex": i,
                    "rank": r.rank,
                    "score": _json(r.score),
                    "grade": r.grade,
                    "coverage": r.coverage_text or None,
                    "status": r.status,
                }
                for i, r in enumerate(results)
            ],
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
