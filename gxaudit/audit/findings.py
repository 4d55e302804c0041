"""What an audit says of one report: its findings and its result.

A finding is located (line, section, table, row, column), explained in Chinese
(the rule's message with its placeholders filled), scored, and fingerprinted
stably across re-runs and line shifts so that a supervisor's decision survives.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from gxaudit.audit.grouping import group_findings
from gxaudit.audit.scoring import SEVERITY_ORDER
from gxaudit.parse import ast
from gxaudit.rules.model import PLACEHOLDER

STATUS_AUDITED, STATUS_NOT_APPLICABLE, STATUS_ERROR = "audited", "not_applicable", "error"
# a readable file that is not an annual report (a README, an attachment in the folder)
STATUS_NOT_A_REPORT = "not_a_report"
# found in a folder but not audited, with the reason (hidden, a broken link, not a regular file…)
STATUS_SKIPPED = "skipped"


@dataclass
class Finding:
    rule: str
    category: str
    severity: str
    title: str
    message: str
    location: dict[str, Any]
    expected: Any
    actual: Any
    weight: float
    fingerprint: str
    deduction: float = 0.0
    # a supervisor's decision that this finding was reviewed: {"reason", "by", "until"}
    waiver: dict[str, Any] | None = None
    # the Chinese names of where it is (table_label, block_label, row_label, column_label)
    # and the block id: what a grouped finding lists its cells by; actual_label and
    # expected_label: what `actual` and `expected` are, where its kind says (see actual_name)
    labels: dict[str, Any] = field(default_factory=dict, repr=False)
    # a grouped finding (see grouping.py): the findings it stands for, in order
    items: list[Finding] = field(default_factory=list, repr=False)
    # a grouped finding with some of its items waived: how many
    waived_items: int = 0

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    @property
    def actual_name(self) -> str:
        """How outputs name `actual`: 实为 (the value found), unless the finding's kind says
        otherwise: a digit run that could not be read is no value (数字串), a row read by
        inference is what it was read as (读作)."""
        return self.labels.get("actual_label") or "实为"

    @property
    def expected_name(self) -> str:
        """How outputs name `expected`: 应为, unless the finding's kind says otherwise (a
        statement of the text compared with a table: 表格, and its `actual` 正文)."""
        return self.labels.get("expected_label") or "应为"

    @property
    def count(self) -> int:
        """How many findings this one stands for (a grouped finding: its items)."""
        return len(self.items) or 1

    def to_dict(self) -> dict[str, Any]:
        out = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "location": self.location,
            "expected": json_value(self.expected),
            "actual": json_value(self.actual),
            "deduction": self.deduction,
            "fingerprint": self.fingerprint,
        }
        if self.waiver is not None:
            out["waived"] = True
            out["waiver"] = self.waiver
        if self.items:
            out["count"] = len(self.items)
            out["items"] = [i.fingerprint for i in self.items]
            if self.waived_items:
                out["waived_items"] = self.waived_items
        return out


@dataclass
class ReportResult:
    path: str
    status: str
    error: str | None = None
    organ: str | None = None
    year: int | None = None
    format: str | None = None
    title: str | None = None
    score: float | None = None
    grade: str | None = None
    rank: int | None = None
    findings: list[Finding] = field(default_factory=list)
    facts: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    report: ast.Report | None = field(default=None, repr=False)
    # the lines the grammar read (kept for outputs that show findings in context)
    source_lines: list[str] | None = field(default=None, repr=False)
    # where each of those lines is in the original file, and the file's own lines when it is text
    source_origins: list[dict[str, Any]] | None = field(default=None, repr=False)
    original_lines: list[str] | None = field(default=None, repr=False)
    input_kind: str | None = None
    # what next year's report is checked against (see crossyear.py)
    figures: dict[str, Any] | None = field(default=None, repr=False)
    # last year's report this one was compared with: {"path", "organ", "year"}
    previous: dict[str, Any] | None = None
    group: str | None = None  # --group-by: the unit's region, level, …
    # shown_findings' last answer and the state it was computed for
    _shown: Any = field(default=None, repr=False, compare=False)
    # template cells (read, unreadable, expected): see parse/coverage.py
    coverage: tuple[int, int, int] | None = None
    # why the grade was capped (too few template cells read), else None
    grade_note: str | None = None
    # the waivers (by their place in the waiver file) that were for this report, and those
    # that matched a finding of it: the run says which matched nothing (waivers.py)
    waivers_for: tuple[int, ...] = ()
    waivers_used: tuple[int, ...] = ()

    @property
    def coverage_text(self) -> str:
        """ "186/200": template cells read of those the format expects ("" when not measured)."""
        return f"{self.coverage[0]}/{self.coverage[2]}" if self.coverage else ""

    def count(self, severity: str) -> int:
        """Findings of a severity, waived ones not counted."""
        return sum(1 for f in self.findings if f.severity == severity and not f.waived)

    def shown_findings(self) -> list[Finding]:
        """The findings as outputs list them: repeated findings of one rule on one table row
        (or one table) become one (see grouping.py); `findings` keeps the detail."""
        # outputs ask many times (counts per severity, rows, cards): grouped once per state
        state = (
            self.organ,
            self.year,
            self.path,
            tuple((id(f), f.waiver is not None, f.deduction) for f in self.findings),
        )
        if self._shown is None or self._shown[0] != state:
            self._shown = (state, group_findings(self.findings, self.organ, self.year, self.path))
        return self._shown[1]

    def shown_count(self, severity: str) -> int:
        """Findings of a severity as listed (a grouped one counts once), waived ones not counted."""
        return sum(1 for f in self.shown_findings() if f.severity == severity and not f.waived)

    @property
    def deductions_by_category(self) -> dict[str, float]:
        """Points deducted per rule category, largest first (categories with none left out)."""
        total: dict[str, float] = {}
        for f in self.findings:
            if f.deduction:
                total[f.category] = total.get(f.category, 0.0) + f.deduction
        return {c: round(v, 2) for c, v in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))}

    @property
    def main_problem(self) -> str:
        if self.status != STATUS_AUDITED:
            return self.error or ""
        costly = [f for f in self.findings if f.severity != "info" and not f.waived]
        if not costly:
            return ""
        top = max(costly, key=lambda f: (f.deduction, -SEVERITY_ORDER[f.severity]))
        return top.title

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "status": self.status,
            "error": self.error,
            "organ": self.organ,
            "year": self.year,
            "format": self.format,
            "score": self.score,
            "grade": self.grade,
            "rank": self.rank,
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.status == STATUS_AUDITED:
            out["deductions_by_category"] = self.deductions_by_category
            # the findings as the other outputs list them; each grouped one names its items
            out["finding_groups"] = [f.to_dict() for f in self.shown_findings() if f.items]
        if self.coverage is not None:
            read, unreadable, expected = self.coverage
            out["coverage"] = {"read": read, "unreadable": unreadable, "expected": expected}
        if self.grade_note:
            out["grade_note"] = self.grade_note
        if self.previous is not None:
            out["previous"] = self.previous
        if self.group is not None:
            out["group"] = self.group
        return out


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def shown(value: Any) -> str:
    value = json_value(value)
    if value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(shown(v) for v in value)
    return str(value)


def render_message(template: str, context: dict[str, Any]) -> str:
    """Fill {name} placeholders; never str.format (no attribute or index access)."""
    return PLACEHOLDER.sub(
        lambda m: shown(context[m.group(1)]) if m.group(1) in context else m.group(0), template
    )


def fingerprint(rule_id: str, organ: str | None, year: int | None, path: str, context: dict[str, Any]) -> str:
    """Stable across re-runs and line shifts: rule, organ, year and logical location."""
    who = organ or Path(path).name
    parts = [
        rule_id,
        who,
        str(year),
        str(context.get("section")),
        str(context.get("table")),
        str(context.get("row")),
        str(context.get("column")),
        str(context.get("block") or ""),
        str(context.get("number") or ""),
        str(context.get("item") or ""),
        str(context.get("snippet") or ""),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
