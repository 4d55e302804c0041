"""A rule as gxaudit holds it once its file was read and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gxaudit.errors import RuleError

CATEGORIES = (
    "structure",
    "subsections",
    "cells",
    "reading",
    "balance",
    "year",
    "content",
    "narrative",
    "cross_year",
    "timeliness",
    "hierarchy",
)
SEVERITIES = ("error", "warning", "info")
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# where a finding is: what an example may pin
LOCATION_KEYS = ("line", "section", "table", "block", "row", "column")


@dataclass
class RuleIssue:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class RuleFileError(RuleError):
    """Every problem found in the rule files given: one `file:line:column: message` each."""

    def __init__(self, issues: list[RuleIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class Example:
    """A report text a rule must (trigger) or must not (pass) find something in.

    `expect`, when given, pins the findings of the rule on this example: one
    mapping of location keys (line, section, table, block, row, column) per
    finding, in the order the audit gives them; `count` pins only how many.
    """

    text: str
    name: str
    line: int
    previous: str | None = None  # last year's report, for cross-year rules
    children: list[str] | None = None  # children's reports of the same year, for hierarchy rules
    unit: dict[str, str] | None = None  # the report's row of the units file (its columns and values)
    expect: list[dict[str, Any]] | None = None
    count: int | None = None
    source: str = ""  # the rule file


@dataclass
class Rule:
    id: str
    title: str
    category: str
    severity: str
    weight: float
    check: dict[str, Any]  # as the engine runs it (an identity check becomes its equation)
    message: str
    description: str = ""
    written_check: dict[str, Any] | None = None  # as the rule file says, where it differs
    formats: tuple[str, ...] | None = None
    years: tuple[int | None, int | None] = (None, None)
    sets: dict[str, Any] = field(default_factory=dict)
    trigger_examples: list[Example] = field(default_factory=list)
    pass_examples: list[Example] = field(default_factory=list)
    source: str = ""
    line: int = 0
    column: int = 0  # where the rule's mapping starts in its file
    enabled: bool = True

    def applies_to(self, fmt: str, year: int | None) -> bool:
        if self.formats is not None and fmt not in self.formats:
            return False
        low, high = self.years
        if year is None:
            return low is None and high is None
        return (low is None or year >= low) and (high is None or year <= high)
