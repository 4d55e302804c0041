"""What every output renders: the ranked results of one audit run and the rules behind them."""

from __future__ import annotations

from dataclasses import dataclass, field

from gxaudit.audit.findings import ReportResult
from gxaudit.rules.model import Rule


@dataclass(frozen=True)
class Run:
    results: list[ReportResult]
    rules_version: str
    rules: list[Rule] = field(default_factory=list)
    grouped: bool = False  # --group-by: results carry their group
