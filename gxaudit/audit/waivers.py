"""Waivers: a supervisor's decisions that findings were reviewed.

A waiver file (YAML, read with safe_load):

    waivers:
      - fingerprint: 3f2a…            # one finding, as fingerprinted by gxaudit (a grouped
                                     # finding's fingerprint covers each of its items)
        reason: 已核实，系填报笔误，已责令更正
        by: 张三
        until: 2027-06-30            # optional; after this day the waiver no longer applies
      - rule: GX-CEL-001             # or: a rule for one organ and year
        organ: 新青镇
        year: 2020
        reason: …
        by: …

A waived finding is shown as waived and costs no score; fingerprints are
stable, so it stays waived when the same report is audited again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gxaudit.audit.crossyear import organ_key, same_organ
from gxaudit.audit.grouping import group_fingerprints
from gxaudit.errors import ConfigError

KEYS = {"fingerprint", "rule", "organ", "year", "reason", "by", "until"}


@dataclass(frozen=True)
class Waiver:
    reason: str
    by: str
    until: dt.date | None
    fingerprint: str | None = None
    rule: str | None = None
    organ: str | None = None
    year: int | None = None

    def matches(self, finding, organ: str | None, year: int | None, groups: tuple[str, ...] = ()) -> bool:
        """`groups`: the fingerprints of the grouped findings this finding is an item of."""
        if self.fingerprint is not None:
            return finding.fingerprint == self.fingerprint or self.fingerprint in groups
        return (
            finding.rule == self.rule
            and same_organ(organ_key(self.organ), organ_key(organ))
            and (self.year is None or self.year == year)
        )

    def record(self) -> dict[str, Any]:
        return {"reason": self.reason, "by": self.by, "until": self.until.isoformat() if self.until else None}


class Waivers:
    def __init__(self, waivers: list[Waiver], today: dt.date | None = None):
        self.today = today or dt.date.today()
        self.all = waivers
        self.active = [w for w in waivers if w.until is None or w.until >= self.today]

    def apply(self, result) -> None:
        for finding in result.findings:
            if finding.waiver is not None:
                continue
            # a waiver naming a grouped finding (one row, one table) covers each of its items
            groups = tuple(group_fingerprints(finding, result.organ, result.year, result.path))
            for waiver in self.active:
                if waiver.matches(finding, result.organ, result.year, groups):
                    finding.waiver = waiver.record()
                    break


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: until must be a date YYYY-MM-DD, not {value!r}") from None


def load_waivers(path: str | Path, today: dt.date | None = None) -> Waivers:
    name = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"{name}: cannot read waiver file ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise ConfigError(f"{where}: invalid YAML in waiver file") from None
    items = data.get("waivers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(f"{name}: a waiver file is a mapping with a 'waivers' list")
    waivers = []
    for index, item in enumerate(items, start=1):
        where = f"{name}: waiver {index}"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: must be a mapping")
        unknown = set(item) - KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown keys {sorted(unknown)} (allowed: {', '.join(sorted(KEYS))})")
        if not item.get("reason") or not item.get("by"):
            raise ConfigError(f"{where}: 'reason' and 'by' are required (who decided, and why)")
        if not item.get("fingerprint") and not (item.get("rule") and item.get("organ")):
            raise ConfigError(f"{where}: give a 'fingerprint', or a 'rule' with an 'organ' (and 'year')")
        year = item.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise ConfigError(f"{where}: year must be a number")
        waivers.append(
            Waiver(
                reason=str(item["reason"]),
                by=str(item["by"]),
                until=_date(item.get("until"), where),
                fingerprint=str(item["fingerprint"]) if item.get("fingerprint") else None,
                rule=item.get("rule"),
                organ=item.get("organ"),
                year=year,
            )
        )
    return Waivers(waivers, today)
