"""The optional units file: which region, level and parent each report's organ belongs to.

CSV with a header; the first column names a report (its file path or file
name) or an organ (as written in the title; 人民政府 and higher levels may be
left out), the others are free attributes such as region, level, parent:

    unit,region,level,parent
    半坡镇人民政府,伊川县,乡镇,伊川县人民政府
    reports/003_51b21fc9b3159953.txt,香格里拉市,乡镇,香格里拉市人民政府
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gxaudit.audit.crossyear import organ_key, same_organ
from gxaudit.errors import ConfigError

UNGROUPED = "（未分组）"
# the column that names a unit's parent (the hierarchy: who should have reported to whom)
PARENT_COLUMNS = ("parent", "上级", "上级单位")


@dataclass(frozen=True)
class MissingUnit:
    """A unit of the units file with no report in the run (未提交)."""

    unit: str  # the first column as written: a file name or an organ
    group: str | None  # its value of the --group-by column
    parent: str | None  # its parent, when the units file names one
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "group": self.group, "parent": self.parent, "reason": self.reason}


class Units:
    def __init__(self, rows: list[dict[str, str]], key_column: str):
        self.rows = rows
        self.key_column = key_column
        self.columns = list(rows[0]) if rows else [key_column]

    def lookup(self, path: str, organ: str | None) -> dict[str, str] | None:
        for row in self.rows:  # a file named explicitly wins
            key = row[self.key_column]
            if key and (path == key or Path(path).name == key):
                return row
        for row in self.rows:
            if organ and same_organ(organ_key(row[self.key_column]), organ_key(organ)):
                return row
        return None

    def grouper(self, column: str) -> Callable:
        if column not in self.columns:
            raise ConfigError(
                f"--group-by {column}: the units file has no such column (it has {', '.join(self.columns)})"
            )

        def group_of(result) -> str:
            row = self.lookup(result.path, result.organ)
            return (row or {}).get(column) or UNGROUPED

        return group_of

    @property
    def parent_column(self) -> str | None:
        return next((c for c in PARENT_COLUMNS if c in self.columns), None)

    def row_of(self, result) -> dict[str, str] | None:
        return self.lookup(result.path, result.organ)

    def missing(self, results, group_column: str | None = None) -> list[MissingUnit]:
        """Units no report of `results` belongs to, in the units file's order.

        A report that could not be audited still counts as submitted (it is
        listed with its reason); only a unit with no file at all is missing.
        """
        matched = set()
        for result in results:
            row = self.row_of(result)
            if row is not None:
                matched.add(id(row))
        parent = self.parent_column
        out = []
        for row in self.rows:
            if id(row) in matched:
                continue
            above = (row.get(parent) or None) if parent else None
            reason = "未提交年度报告" + (f"（上级：{above}）" if above else "")
            out.append(
                MissingUnit(
                    unit=row[self.key_column],
                    group=(row.get(group_column) or UNGROUPED) if group_column else None,
                    parent=above,
                    reason=reason,
                )
            )
        return out


def load_units(path: str | Path) -> Units:
    name = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                raise ConfigError(f"{name}: empty units file")
            rows = [dict(row) for row in reader]
    except OSError as exc:
        raise ConfigError(f"{name}: cannot read units file ({exc.strerror or exc})") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: invalid units file ({exc})") from None
    return Units(rows, reader.fieldnames[0])
