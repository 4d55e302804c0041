"""Ranking audited reports by score, and the JSON document of a run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from gxaudit import __version__
from gxaudit.audit.findings import STATUS_AUDITED, ReportResult


def rank(results: list[ReportResult], group_of=None) -> list[ReportResult]:
    """Audited reports by score; the rest after.

    Equal scores share a rank and the next rank skips (1, 1, 3): a rank says
    how many reports scored better, nothing else. Within a shared rank the
    order is fewer errors, fewer warnings, organ, path (for a stable listing).
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
    previous: dict[str | None, ReportResult] = {}
    for result in audited:
        counters[result.group] = counters.get(result.group, 0) + 1
        before = previous.get(result.group)
        if before is not None and before.score == result.score:
            result.rank = before.rank  # a tie: the same rank
        else:
            result.rank = counters[result.group]
        previous[result.group] = result
    others.sort(key=lambda r: (r.group or "", r.status, r.path))
    return audited + others


@dataclass(frozen=True)
class GroupSummary:
    """One group of a --group-by run, as its summary line shows it."""

    group: str
    reports: int  # reports in the run that belong to the group (any status)
    audited: int
    mean_score: float | None
    errors: int  # error findings, waived ones not counted
    errors_listed: int  # the same as the outputs list them (repeated ones of a rule on a row or table: one)
    missing: int  # units of the group with no report (未提交)
    top_problem: str  # the rule title most reports of the group have a costly finding of
    top_problem_reports: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "reports": self.reports,
            "audited": self.audited,
            "mean_score": self.mean_score,
            "errors": self.errors,
            "errors_listed": self.errors_listed,
            "missing": self.missing,
            "top_problem": self.top_problem or None,
            "top_problem_reports": self.top_problem_reports,
        }


def group_summaries(results: list[ReportResult], missing: list | None = None) -> list[GroupSummary]:
    """Per group, in the order the groups are ranked (groups with only missing units last)."""
    missing = missing or []
    names = list(dict.fromkeys([r.group or "" for r in results] + [m.group or "" for m in missing]))
    out = []
    for name in names:
        members = [r for r in results if (r.group or "") == name]
        audited = [r for r in members if r.status == STATUS_AUDITED and r.score is not None]
        problems: Counter[str] = Counter()
        cost: dict[str, float] = {}
        for r in audited:
            costly = [f for f in r.findings if f.severity != "info" and not f.waived]
            problems.update({f.title for f in costly})
            for f in costly:
                cost[f.title] = cost.get(f.title, 0.0) + f.deduction
        # most reports first; then the costliest; then name order (deterministic)
        top = (
            min(problems.items(), key=lambda kv: (-kv[1], -cost.get(kv[0], 0.0), kv[0]))
            if problems
            else ("", 0)
        )
        out.append(
            GroupSummary(
                group=name,
                reports=len(members),
                audited=len(audited),
                mean_score=round(sum(r.score or 0.0 for r in audited) / len(audited), 2) if audited else None,
                errors=sum(r.count("error") for r in members),
                errors_listed=sum(r.shown_count("error") for r in members),
                missing=sum(1 for m in missing if (m.group or "") == name),
                top_problem=top[0],
                top_problem_reports=top[1],
            )
        )
    return out


def document(
    results: list[ReportResult],
    rules_version: str,
    missing: list | None = None,
    summaries: list[GroupSummary] | None = None,
    unused_waivers: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "schema_version": 1,
        "tool": {"name": "gxaudit", "version": __version__},
        "rules_version": rules_version,
        "reports": [r.to_dict() for r in results],
    }
    if missing:
        out["missing"] = [m.to_dict() for m in missing]
    if summaries:
        out["groups"] = [s.to_dict() for s in summaries]
    if unused_waivers:
        out["unused_waivers"] = unused_waivers
    return out
