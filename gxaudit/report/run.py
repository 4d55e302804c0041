"""What every output renders: the ranked results of one audit run and the rules behind them.

A renderer is a function of a Run only (the batch may feed it results read back
from disk): everything it shows is here or derived from the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxaudit.audit.findings import ReportResult
from gxaudit.audit.ranking import GroupSummary, group_summaries
from gxaudit.audit.units import MissingUnit
from gxaudit.rules.model import Rule


@dataclass(frozen=True)
class Run:
    results: list[ReportResult]
    rules_version: str
    rules: list[Rule] = field(default_factory=list)
    grouped: bool = False  # --group-by: results carry their group
    # units of the units file with no report in this run ("未提交"), in the units file's order
    missing: list[MissingUnit] = field(default_factory=list)
    group_by: str | None = None  # the units column results are grouped by
    csv_headers: str = "zh"  # --csv-headers: zh (Excel) or en (scripts)
    # waivers that were for a report of this run and matched no finding (Waivers.unused_records)
    unused_waivers: list[dict] = field(default_factory=list)

    def summaries(self) -> list[GroupSummary]:
        """Per group (in ranking order): reports, mean score, errors, the most frequent problem."""
        return group_summaries(self.results, self.missing) if self.grouped else []
