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
from pathlib import Path

from gxaudit.audit.crossyear import organ_key, same_organ
from gxaudit.errors import ConfigError

UNGROUPED = "（未分组）"


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
