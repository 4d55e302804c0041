"""Repeated findings shown as one: one rule on one table row, or on one table.

A report that leaves 125 cells blank has 125 findings of one rule; a reader
wants "表三“本年新收…”一行 5 处统计单元格为空：商业企业、科研机构…", and the
ranking wants one line per problem. Outputs list the grouped findings;
`ReportResult.findings` (and the JSON) keep every detailed finding with its own
fingerprint, so diffs, the store and waivers by fingerprint work as before.

How findings are grouped (the same rule and severity, in the same table):

* findings on cells (a row and a column) of one row become one finding per row
  listing the columns — unless the rule has such findings in more than
  ROWS_PER_TABLE rows of that table: then one finding for the table, listing
  the rows and their columns;
* findings on rows (no column), or on columns (no row), become one finding per
  table listing them.

A grouped finding has its own fingerprint, derived from the rule, the organ,
the year and the row (or table) only, so it is as stable as the detailed ones;
a waiver may name it (see waivers.py), and then applies to every item.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

from gxaudit.formats.places import source_text
from gxaudit.rules.kinds import TABLE_NAME, Labels

# more rows than this with cell findings of one rule in one table: one finding for the table
ROWS_PER_TABLE = 3
LEVEL_ROW, LEVEL_TABLE = "row", "table"


def group_fingerprint(
    rule_id: str, organ: str | None, year: int | None, path: str, level: str, key: tuple
) -> str:
    """Stable like a finding's fingerprint: rule, organ, year and the row or table."""
    who = organ or Path(path).name
    parts = [rule_id, who, str(year), "group", level, *(str(k or "") for k in key)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def _row_key(f) -> tuple:
    loc = f.location
    return (loc.get("table"), f.labels.get("block"), loc.get("row"))


def _on_cell(f) -> bool:
    return bool(f.location.get("table") and f.location.get("row") and f.location.get("column"))


def group_fingerprints(f, organ: str | None, year: int | None, path: str) -> list[str]:
    """Every grouped finding's fingerprint that a finding can be an item of (row, then table)."""
    table = f.location.get("table")
    if not table:
        return []
    out = []
    if _on_cell(f):
        out.append(group_fingerprint(f.rule, organ, year, path, LEVEL_ROW, _row_key(f)))
    out.append(group_fingerprint(f.rule, organ, year, path, LEVEL_TABLE, (table,)))
    return out


def group_findings(findings: list, organ: str | None, year: int | None, path: str) -> list:
    """The findings as outputs list them, in the order of their first item."""
    buckets: dict[tuple, list] = {}
    for f in findings:
        table = f.location.get("table")
        key = (f.rule, f.severity, table) if table else ("single", id(f))
        buckets.setdefault(key, []).append(f)
    placed: dict[int, Any] = {}  # id of a group's first item -> the group (or the finding)
    for key, members in buckets.items():
        if key[0] == "single" or len(members) == 1:
            for f in members:
                placed[id(f)] = f
            continue
        rows = {_row_key(f) for f in members}
        if all(_on_cell(f) for f in members) and len(rows) <= ROWS_PER_TABLE:
            by_row: dict[tuple, list] = {}
            for f in members:
                by_row.setdefault(_row_key(f), []).append(f)
            for row_key, items in by_row.items():
                group = (
                    items[0] if len(items) == 1 else _grouped(items, LEVEL_ROW, row_key, organ, year, path)
                )
                placed[id(items[0])] = group
        else:
            table = members[0].location.get("table")
            placed[id(members[0])] = _grouped(members, LEVEL_TABLE, (table,), organ, year, path)
    return [placed[id(f)] for f in findings if id(f) in placed]


def _grouped(items: list, level: str, key: tuple, organ, year, path):
    first = items[0]
    waivers = [i.waiver for i in items]
    waived = sum(1 for w in waivers if w is not None)
    common = waivers[0] if waived == len(items) and all(w == waivers[0] for w in waivers) else None
    location = dict(first.location)
    # what the items share stays in the location; what differs is listed in the message
    for name in ("section", "row", "column"):
        if len({str(i.location.get(name)) for i in items}) > 1:
            location[name] = None
    lines = [i.location.get("line") for i in items if isinstance(i.location.get("line"), int)]
    location["line"] = min(lines) if lines else first.location.get("line")
    return dataclasses.replace(
        first,
        message=_message(items, level),
        location=location,
        expected=None,
        actual=None,
        deduction=round(sum(i.deduction for i in items), 2),
        fingerprint=group_fingerprint(first.rule, organ, year, path, level, key),
        waiver=common,
        items=list(items),
        waived_items=0 if common is not None else waived,
    )


def _detail(f) -> str:
    """What differs in one item, in brackets: expected and actual where the rule gives them
    (figures and text; a yes/no the rule checks says nothing the title does not)."""
    pairs = []
    for name, value in ((f.expected_name, f.expected), (f.actual_name, f.actual)):
        if value is not None and value != "" and not isinstance(value, (bool, list, tuple, dict)):
            pairs.append(f"{name} {_plain(value)}")
    return f"（{'，'.join(pairs)}）" if pairs else ""


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _catalogue(f) -> dict[str, str]:
    """The formats' names of the finding's row and column, for a kind that gives none."""
    loc = f.location
    if not loc.get("table") or not (loc.get("row") or loc.get("column")):
        return {}
    return _LABELS.cell(loc["table"], f.labels.get("block"), loc.get("row"), loc.get("column"))


_LABELS = Labels(None)  # every format's names (a report's own format is not needed for ids)


def _row_name(f) -> str:
    labels = f.labels
    name = f"{labels.get('block_label') or ''}{labels.get('row_label') or ''}" or labels.get("item_label")
    if not name and f.location.get("row"):
        known = _catalogue(f)
        name = f"{known.get('block_label') or ''}{known.get('row_label') or ''}"
    return name or str(f.location.get("row") or "")


def _column_name(f) -> str:
    if f.labels.get("column_label"):
        return f.labels["column_label"]
    if f.location.get("column"):
        return _catalogue(f).get("column_label") or str(f.location["column"])
    return ""


def _message(items: list, level: str) -> str:
    first = items[0]
    table_id = first.location.get("table") or ""
    table = first.labels.get("table_label") or TABLE_NAME.get(table_id, table_id)
    n = len(items)
    if level == LEVEL_ROW:
        cells = "、".join(_column_name(i) + _detail(i) for i in items)
        return f"{table}“{_row_name(first)}”一行 {n} 处{first.title}：{cells}。"
    parts: list[str] = []
    by_row: dict[tuple, list] = {}
    for i in items:
        by_row.setdefault(_row_key(i), []).append(i)
    # rows missing the same columns (and nothing else to say) are listed together
    same_columns: dict[tuple, list] = {}
    for row_items in by_row.values():
        if all(_on_cell(i) and not _detail(i) for i in row_items):
            same_columns.setdefault(tuple(_column_name(i) for i in row_items), []).append(row_items[0])
    said: set[int] = set()
    for row_items in by_row.values():
        head = row_items[0]
        if id(head) in said:
            continue
        columns = tuple(_column_name(i) for i in row_items)
        alike = (
            same_columns.get(columns, []) if all(_on_cell(i) and not _detail(i) for i in row_items) else []
        )
        if len(alike) > 1:
            said.update(id(h) for h in alike)
            rows = "、".join(f"“{_row_name(h)}”" for h in alike)
            parts.append(f"{len(alike)} 行的“{'、'.join(columns)}”：{rows}")
        elif _on_cell(head):
            parts.append(
                f"“{_row_name(head)}”（{'、'.join(_column_name(i) + _detail(i) for i in row_items)}）"
            )
        else:
            parts.extend(_item_name(i) + _detail(i) for i in row_items)
    return f"{table}{n} 处{first.title}：{'；'.join(parts)}。"


def _item_name(f) -> str:
    """A row, else a column, else the line: what tells one item of a table group from another."""
    if _row_name(f):
        return f"“{_row_name(f)}”"
    if _column_name(f):
        return f"“{_column_name(f)}”"
    place = source_text(f.location.get("source"))  # where it is in the file, not the parser's line
    return place or f.message
