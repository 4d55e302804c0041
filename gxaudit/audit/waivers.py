"""Waivers: a supervisor's decisions that findings were reviewed.

A waiver file (YAML, read by formats/nodes.py: safe, bounded, positioned):

    waivers:
      - fingerprint: 3f2a…            # one finding, as fingerprinted by gxaudit (a grouped
                                     # finding's fingerprint covers each of its items)
        reason: 已核实，系填报笔误，已责令更正
        by: 张三
        until: 2027-06-30            # optional; after this day the waiver no longer applies
        organ: 新青镇                # optional beside a fingerprint: its report (then a
        year: 2020                   # fingerprint that matches nothing any more is said)
      - rule: GX-CEL-001             # or: a rule for one organ and year
        organ: 新青镇
        year: 2020
        reason: …
        by: …

The file is checked whole when it is loaded, before any report is audited:
keys, types, fingerprints, rule ids and dates (2020-02-30 does not exist).
A waived finding is shown as waived and costs no score; fingerprints are
stable, so it stays waived when the same report is audited again.

A waiver that matched no finding of a report it is for is said after the run
(`Waivers.unused`): its finding was fixed, or it is mistyped (a rule id that
does not exist is said; a mistyped organ names no report audited). A waiver
is for a report audited in this run when it could have matched there: a
waiver by rule names the report's organ (and year) and its rule ran on it
(selected, applying to the report's format and year; a cross-year rule only
where last year's report was found), or no rule loaded has its id; a waiver
by fingerprint only when it also names its organ (and year): a fingerprint
alone does not say which report it is from, and a waiver for a report this
run did not audit is not stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from functools import cached_property
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
    line: int | None = field(default=None, compare=False)  # where it starts in its file

    def matches(self, finding, organ: str | None, year: int | None, groups: tuple[str, ...] = ()) -> bool:
        """`groups`: the fingerprints of the grouped findings this finding is an item of."""
        if self.fingerprint is not None:
            return finding.fingerprint == self.fingerprint or self.fingerprint in groups
        return (
            finding.rule == self.rule
            and same_organ(organ_key(self.organ), organ_key(organ))
            and (self.year is None or self.year == year)
        )

    @cached_property
    def key(self) -> str | None:
        """The organ's key (organ_key), worked out once."""
        return organ_key(self.organ)

    def is_for(
        self, key: str | None, year: int | None, fmt: str | None, rules: Mapping[str, Any], known: Set[str]
    ) -> bool:
        """Whether this waiver is for the report of this organ key, year and format, audited
        by `rules` (the rules that ran on it, by id): it could have matched a finding there.
        A rule id not `known` (loaded) at all is a typo: the waiver is for the organ's report."""
        if self.organ is None or (self.year is not None and self.year != year):
            return False  # a fingerprint alone does not say which report it is from
        if self.fingerprint is None and self.rule in known:
            rule = rules.get(self.rule or "")
            if rule is None or fmt is None or not rule.applies_to(fmt, year):
                return False
        return same_organ(self.key, key)

    def record(self) -> dict[str, Any]:
        return {"reason": self.reason, "by": self.by, "until": self.until.isoformat() if self.until else None}

    def described(self) -> str:
        """What the waiver covers, as a supervisor wrote it ("GX-CEL-001 新青镇 2020年")."""
        year = f" {self.year}年" if self.year is not None else ""
        if self.fingerprint is not None:
            return f"指纹 {self.fingerprint}" + (f"，{self.organ}{year}" if self.organ else "")
        return f"{self.rule} {self.organ}{year}"


class Waivers:
    def __init__(self, waivers: list[Waiver], today: dt.date | None = None, path: str | None = None):
        self.today = today or dt.date.today()
        self.path = path  # the file they were read from
        self.all = waivers
        self.active = [w for w in waivers if w.until is None or w.until >= self.today]
        # past their day: said once when a run starts, so that a lapsed waiver is not a surprise
        self.expired = [w for w in waivers if w.until is not None and w.until < self.today]
        # the active ones by their place in the file: what a result names them by
        self._numbered = [(i, w) for i, w in enumerate(waivers) if w.until is None or w.until >= self.today]
        # in this process, and what the workers' results brought (`merge`): the waivers (by
        # place) that were for a report audited, and those that matched a finding
        self.were_for: set[int] = set()
        self.used: set[int] = set()

    def apply(self, result, rules: Mapping[str, Any] | None = None, known: Set[str] = frozenset()) -> None:
        """Waive the findings that a waiver matches. `rules`: the rules that ran on the
        report (by id), `known` every rule id loaded, for saying which waivers were for it
        (see the module's note); the waivers for it and those used are added to the
        result's (they travel with it)."""
        used = set()
        for finding in result.findings:
            if finding.waiver is not None:
                continue
            # a waiver naming a grouped finding (one row, one table) covers each of its items
            groups = tuple(group_fingerprints(finding, result.organ, result.year, result.path))
            for index, waiver in self._numbered:
                if waiver.matches(finding, result.organ, result.year, groups):
                    finding.waiver = waiver.record()
                    used.add(index)
                    break
        were_for = set()
        if rules is not None:
            key = organ_key(result.organ)
            were_for = {
                i for i, w in self._numbered if w.is_for(key, result.year, result.format, rules, known)
            }
        if not were_for and not used:
            return
        self.merge(were_for | used, used)
        result.waivers_for = tuple(sorted(set(result.waivers_for) | were_for | used))
        result.waivers_used = tuple(sorted(set(result.waivers_used) | used))

    def merge(self, were_for: Iterable[int], used: Iterable[int]) -> None:
        """Add what one result says (audited in a worker) to this run's."""
        self.were_for.update(were_for)
        self.used.update(used)

    def unused(self) -> list[Waiver]:
        """The waivers, in file order, that were for a report audited and matched nothing."""
        return [self.all[i] for i in sorted(self.were_for - self.used)]

    def unused_records(self) -> list[dict[str, Any]]:
        """The unused waivers as the JSON output lists them."""
        return [
            {
                "file": self.path,
                "line": w.line,
                "fingerprint": w.fingerprint,
                "rule": w.rule,
                "organ": w.organ,
                "year": w.year,
                "reason": w.reason,
                "by": w.by,
                "until": w.until.isoformat() if w.until else None,
            }
            for w in self.unused()
        ]


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
        return Waivers([], today, name)
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
                line=(locate(at, False) or (None, None))[0],
            )
        )
    return Waivers(waivers, today, name)
