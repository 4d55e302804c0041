"""Waivers: a supervisor's decisions that findings were reviewed.

A waiver file (YAML, read by formats/nodes.py: safe, bounded, positioned):

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

The file is checked whole when it is loaded, before any report is audited:
keys, types, fingerprints, rule ids and dates (2020-02-30 does not exist).
A waived finding is shown as waived and costs no score; fingerprints are
stable, so it stays waived when the same report is audited again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from gxaudit.audit.crossyear import organ_key, same_organ
from gxaudit.audit.grouping import group_fingerprints
from gxaudit.errors import ConfigError
from gxaudit.formats import nodes
from gxaudit.formats.config_check import check, key_text, yaml_locator, zh
from gxaudit.rules.model import RULE_ID


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

    def described(self) -> str:
        """What the waiver covers, as a supervisor wrote it ("GX-CEL-001 新青镇 2020年")."""
        if self.fingerprint is not None:
            return f"指纹 {self.fingerprint}"
        year = f" {self.year}年" if self.year is not None else ""
        return f"{self.rule} {self.organ}{year}"


class Waivers:
    def __init__(self, waivers: list[Waiver], today: dt.date | None = None):
        self.today = today or dt.date.today()
        self.all = waivers
        self.active = [w for w in waivers if w.until is None or w.until >= self.today]
        # past their day: said once when a run starts, so that a lapsed waiver is not a surprise
        self.expired = [w for w in waivers if w.until is not None and w.until < self.today]

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


FINGERPRINT = r"^[0-9a-f]{8,64}$"
SCHEMA = zh(
    {
        "type": "object",
        "required": ["waivers"],
        "additionalProperties": False,
        "properties": {
            "waivers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["reason", "by"],
                    "additionalProperties": False,
                    "properties": {
                        "fingerprint": {
                            "type": "string",
                            "pattern": FINGERPRINT,
                            "x-pattern": "{value} 不是 gxaudit 给出的指纹（十六进制）",
                        },
                        "rule": {
                            "type": "string",
                            "pattern": RULE_ID.pattern,
                            "x-pattern": "{value} 不是规则编号（如 GX-BAL-003）",
                        },
                        "organ": {"type": "string"},
                        "year": {"type": "integer", "minimum": 1900, "maximum": 2200},
                        "reason": {"type": "string"},
                        "by": {"type": "string"},
                        "until": {},  # a date: checked below (YAML reads 2027-06-30 as a date)
                    },
                },
            }
        },
    }
)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def load_waivers(path: str | Path, today: dt.date | None = None) -> Waivers:
    """The waivers of a file, every entry checked; ConfigError naming the file, key and position."""
    name = str(path)
    text = nodes.read_text(path, "豁免文件")
    try:
        data, root = nodes.load(text)
    except nodes.NodeError as exc:
        raise ConfigError(exc.message, path=name, line=exc.line, column=exc.column) from None
    if data is None:  # an empty file: no decisions yet
        return Waivers([], today)
    locate = yaml_locator(root)
    check(data, SCHEMA, name, locate)

    def fail(where: tuple, message: str) -> NoReturn:
        line, column = locate(where, False) or (None, None)
        raise ConfigError(f"{key_text(where)}：{message}", path=name, line=line, column=column)

    waivers = []
    for index, item in enumerate(data["waivers"]):
        at = ("waivers", index)
        for key in ("reason", "by"):
            if not item[key].strip():
                fail((*at, key), "不能为空（写明谁决定、为什么）")
        if not item.get("fingerprint") and not (item.get("rule") and item.get("organ")):
            fail(at, "需要 fingerprint，或者 rule 加 organ（可再加 year）")
        until = item.get("until")
        if until is not None and _date(until) is None:
            fail((*at, "until"), f"应为存在的日期 YYYY-MM-DD，而不是 {until!r}")
        waivers.append(
            Waiver(
                reason=item["reason"],
                by=item["by"],
                until=_date(until),
                fingerprint=item.get("fingerprint"),
                rule=item.get("rule"),
                organ=item.get("organ"),
                year=item.get("year"),
            )
        )
    return Waivers(waivers, today)
