"""Scores and grades, as defined in rules/scoring.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gxaudit.errors import ConfigError
from gxaudit.formats import nodes
from gxaudit.formats.config_check import check, yaml_locator, zh
from gxaudit.rules.load import builtin_rules_dir
from gxaudit.rules.model import CATEGORIES

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Scoring:
    start: float
    severity_factor: dict[str, float]
    cap_per_rule: float
    cap_per_category: dict[str, float]
    grades: list[tuple[float, str]] = field(default_factory=list)
    # below this share of printed template cells read, the grade is at best `max_grade`
    min_coverage: float = 0.0
    max_grade: str = ""

    def grade(self, score: float) -> str:
        for minimum, grade in self.grades:
            if score >= minimum:
                return grade
        return self.grades[-1][1] if self.grades else ""

    def capped_grade(self, score: float, read: int, unreadable: int) -> tuple[str, str | None]:
        """The grade, and why it was capped: a report mostly unreadable is not graded as clean."""
        grade = self.grade(score)
        printed = read + unreadable
        share = read / printed if printed else 1.0
        order = [g for _, g in self.grades]
        if share >= self.min_coverage or self.max_grade not in order or grade not in order:
            return grade, None
        if order.index(grade) >= order.index(self.max_grade):
            return grade, None
        note = (
            f"模板单元格只可靠读出 {read}/{printed}（{share:.0%}），低于 {self.min_coverage:.0%}，"
            f"等级最高为{self.max_grade}"
        )
        return self.max_grade, note

    def apply(self, findings: list[Any]) -> float:
        """Set each finding's deduction (caps applied in order); return the score."""
        per_rule: dict[str, float] = {}
        per_category: dict[str, float] = {}
        total = 0.0
        for finding in findings:
            wanted = finding.weight * self.severity_factor.get(finding.severity, 0.0)
            if finding.waived:
                wanted = 0.0
            rule_room = self.cap_per_rule - per_rule.get(finding.rule, 0.0)
            category_cap = self.cap_per_category.get(finding.category, self.start)
            category_room = category_cap - per_category.get(finding.category, 0.0)
            deduction = max(0.0, min(wanted, rule_room, category_room))
            finding.deduction = round(deduction, 2)
            per_rule[finding.rule] = per_rule.get(finding.rule, 0.0) + deduction
            per_category[finding.category] = per_category.get(finding.category, 0.0) + deduction
            total += deduction
        return round(max(0.0, self.start - total), 2)


SCHEMA = zh(
    {
        "type": "object",
        "required": ["start", "severity_factor", "grades"],
        "additionalProperties": False,
        "properties": {
            "start": {"type": "number", "minimum": 1, "maximum": 1_000_000},
            "severity_factor": {
                "type": "object",
                "required": list(SEVERITY_ORDER),
                "additionalProperties": False,
                "properties": {s: {"type": "number", "minimum": 0, "maximum": 1000} for s in SEVERITY_ORDER},
            },
            "cap_per_rule": {"type": "number", "minimum": 0, "maximum": 1_000_000},
            "cap_per_category": {
                "type": "object",
                "additionalProperties": False,
                "properties": {c: {"type": "number", "minimum": 0, "maximum": 1_000_000} for c in CATEGORIES},
            },
            "coverage": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "min_share": {"type": "number", "minimum": 0, "maximum": 1},
                    "max_grade": {"type": "string"},
                },
            },
            "grades": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["min", "grade"],
                    "additionalProperties": False,
                    "properties": {
                        "min": {"type": "number", "minimum": 0, "maximum": 1_000_000},
                        "grade": {"type": "string"},
                    },
                },
            },
        },
    }
)


def load_scoring(path: str | Path | None = None) -> Scoring:
    """The scoring file (default: the built-in rules/scoring.yaml), checked whole.

    Numbers are finite (.nan and .inf are refused) and not negative; a
    mistake is a ConfigError naming the file, the key, its line and column.
    """
    own = builtin_rules_dir() / "scoring.yaml"
    path = Path(path) if path else own
    name = str(path)
    text = nodes.read_text(path, "评分文件")
    try:
        data, root = nodes.load(text, trusted=path.resolve() == own.resolve())
    except nodes.NodeError as exc:
        raise ConfigError(exc.message, path=name, line=exc.line, column=exc.column) from None
    locate = yaml_locator(root)
    check(data, SCHEMA, name, locate)
    start = float(data["start"])
    grades = sorted(((float(g["min"]), g["grade"]) for g in data["grades"]), reverse=True)
    return Scoring(
        start=start,
        severity_factor={k: float(v) for k, v in data["severity_factor"].items()},
        cap_per_rule=float(data.get("cap_per_rule", start)),
        cap_per_category={k: float(v) for k, v in (data.get("cap_per_category") or {}).items()},
        grades=grades,
        min_coverage=float((data.get("coverage") or {}).get("min_share", 0.0)),
        max_grade=str((data.get("coverage") or {}).get("max_grade", "")),
    )
