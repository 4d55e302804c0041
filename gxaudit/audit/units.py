"""The optional units file: which region, level and parent each report's organ belongs to.

CSV with a header; the first column names a report (its file path or file
name) or an organ (as written in the title; 人民政府 and higher levels may be
left out), the others are free attributes such as region, level, parent:

    unit,region,level,parent
    半坡镇人民政府,伊川县,乡镇,伊川县人民政府
    reports/003_51b21fc9b3159953.txt,香格里拉市,乡镇,香格里拉市人民政府

The file is checked whole when it is loaded, before any report is audited:
every row has the header's columns, no unit is named twice, and a column
whose name ends in `date` or `日期` holds dates that exist.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from gxaudit.audit.crossyear import organ_key, same_organ
from gxaudit.errors import ConfigError
from gxaudit.formats import nodes
from gxaudit.regex import on_use

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
    def __init__(
        self,
        rows: list[dict[str, str]],
        key_column: str,
        path: str | None = None,
        columns: list[str] | None = None,
    ):
        self.rows = rows
        self.key_column = key_column
        self.path = path  # the units file, named in errors
        self.columns = columns or (list(rows[0]) if rows else [key_column])
        # indexes, so that a batch of thousands of reports against thousands of units stays linear:
        # keys as written (a file), and every ending of three or more characters of an organ's name
        self._by_key: dict[str, int] = {}
        self._by_organ: dict[str, list[int]] = {}
        self._by_ending: dict[str, list[int]] = {}
        for index, row in enumerate(rows):
            key = row[key_column]
            if not key:
                continue
            self._by_key.setdefault(key, index)
            name = organ_key(key)
            if name:
                self._by_organ.setdefault(name, []).append(index)
                for start in range(0, max(1, len(name) - 2)):
                    self._by_ending.setdefault(name[start:], []).append(index)

    def lookup(self, path: str, organ: str | None) -> dict[str, str] | None:
        """The row naming this report's file (that wins), else the first naming its organ
        with or without higher levels (same_organ)."""
        named = [self._by_key[k] for k in (path, Path(path).name) if k in self._by_key]
        if named:
            return self.rows[min(named)]
        name = organ_key(organ)
        if not name:
            return None
        found: set[int] = set()
        found.update(self._by_organ.get(name, []))
        if len(name) >= 3:  # rows whose organ ends with this name (淮安市洪泽区 for 洪泽区)
            found.update(self._by_ending.get(name, []))
        for start in range(1, max(1, len(name) - 2)):  # rows whose organ this name ends with
            found.update(self._by_organ.get(name[start:], []))
        matches = [i for i in found if same_organ(organ_key(self.rows[i][self.key_column]), name)]
        return self.rows[min(matches)] if matches else None

    def grouper(self, column: str) -> Callable:
        if column not in self.columns:
            raise ConfigError(
                f"--group-by {column}：单位文件的表头没有这一列（有：{'、'.join(self.columns)}）",
                path=self.path,
                line=1 if self.path else None,
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


# a column whose name ends like these holds dates (e.g. published_date, 发布日期)
DATE_COLUMN = on_use(r"(?:date|日期)$", re.IGNORECASE)
DATE_VALUE = on_use(r"^(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$")


def parse_date(text: str) -> dt.date | None:
    """2024-01-31, 2024/1/31 or 2024年1月31日; None when it is not a date that exists."""
    match = DATE_VALUE.match(text.strip())
    if not match:
        return None
    year, *rest = match.groups()
    month, day = [int(v) for v in rest if v is not None]
    try:
        return dt.date(int(year), month, day)
    except ValueError:
        return None


def load_units(path: str | Path) -> Units:
    """The units file, checked whole: header, columns per row, keys, dates.

    A mistake is a ConfigError naming the file and line (and the column's name).
    """
    name = str(path)
    text = nodes.read_text(path, "单位文件", excel=True)  # often saved by Excel: GBK or UTF-16 too

    def fail(line: int, message: str) -> NoReturn:
        raise ConfigError(message, path=name, line=line)

    if "\x00" in text:  # csv would read it as a character of a name: not a text file
        fail(text.count("\n", 0, text.index("\x00")) + 1, "含有 NUL 字节：单位文件应为文本格式的 CSV")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            fail(1, "单位文件为空：第一行应为表头，如 unit,region,level,parent")
        header = [h.strip() for h in header]
        for index, column in enumerate(header):
            if not column:
                fail(1, f"表头第 {index + 1} 列没有名称")
            if column in header[:index]:
                fail(1, f"表头中列名 {column!r} 重复")
        date_columns = [c for c in header if DATE_COLUMN.search(c)]
        rows: list[dict[str, str]] = []
        first_line: dict[str, int] = {}
        for fields in reader:
            line = reader.line_num
            if not fields or not any(f.strip() for f in fields):
                continue  # a blank line
            if len(fields) != len(header):
                fail(line, f"这一行有 {len(fields)} 列，表头有 {len(header)} 列")
            row = {column: value.strip() for column, value in zip(header, fields)}
            key = row[header[0]]
            if not key:
                fail(line, f"第一列（{header[0]}）为空：应写报告文件名或机关名称")
            if key in first_line:
                fail(line, f"{key!r} 与第 {first_line[key]} 行重复")
            first_line[key] = line
            for column in date_columns:
                if row[column] and parse_date(row[column]) is None:
                    fail(line, f"{column}：{row[column]!r} 不是存在的日期（应为 YYYY-MM-DD）")
            rows.append(row)
    except csv.Error as exc:
        raise ConfigError(f"CSV 格式错误（{exc}）", path=name, line=reader.line_num) from None
    return Units(rows, header[0], path=name, columns=header)
