"""Ranking audited reports by score, and the JSON document of a run."""

from __future__ import annotations

from typing import Any

from gxaudit import __version__
from gxaudit.audit.findings import STATUS_AUDITED, ReportResult


def rank(results: list[ReportResult], group_of=None) -> list[ReportResult]:
    """Audited reports by score (then fewer errors, organ, path); the rest after.

    With `group_of` (result -> group name), ranks run within each group and
    the groups follow each other in name order.
    """
    for result in results:
        result.group = group_of(result) if group_of else None
    audited = [r for r in results if r.status == STATUS_AUDITED]
    others = [r for r in results if r.status != STATUS_AUDITED]
    audited.sort(
        key=lambda r: (
            r.group or "",
            -(r.score or 0),
            r.count("error"),
            r.count("warning"),
            r.organ or "",
            r.path,
        )
    )
    counters: dict[str | None, int] = {}
    for result in audited:
        counters[result.group] = counters.get(result.group, 0) + 1
        result.rank = counters[result.group]
    others.sort(key=lambda r: (r.group or "", r.status, r.path))
    return audited + others


def document(results: list[ReportResult], rules_version: str) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "tool": {"name": "gxaudit", "version": __version__},
        "rules_version": rules_version,
        "reports": [r.to_dict() for r in results],
    }
