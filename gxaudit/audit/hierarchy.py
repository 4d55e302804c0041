"""The hierarchy stage of a batch: each parent's report against its children's.

The units file names each unit's parent (column `parent`, 上级 or 上级单位);
after the batch, every audited report whose unit is some units' parent is
checked, by the rules of kind `hierarchy`, against the figures of its
children's reports of the same year. Which children have no report at all is
listed by `Units.missing` (未提交), not here.
"""

from __future__ import annotations

from gxaudit.audit.crossyear import organ_key, same_organ
from gxaudit.audit.findings import STATUS_AUDITED


def _names(parent_value: str, key: str, organ: str | None) -> bool:
    """Does a child's parent column name this unit (its key in the units file, or its organ)?"""
    value = parent_value.strip()
    if not value:
        return False
    if value == key:
        return True
    return same_organ(organ_key(value), organ_key(key)) or same_organ(organ_key(value), organ_key(organ))


def apply_hierarchy(auditor, results, units) -> int:
    """Check each parent's report against its children's; returns how many parents were checked."""
    if units is None or units.parent_column is None:
        return 0
    column = units.parent_column
    rows = {id(r): units.row_of(r) for r in results}
    checked = 0
    for parent in results:
        row = rows[id(parent)]
        if parent.status != STATUS_AUDITED or parent.figures is None or row is None:
            continue
        key = row[units.key_column]
        children = [
            r.figures
            for r in results
            if r is not parent
            and r.status == STATUS_AUDITED
            and r.figures is not None
            and r.year == parent.year
            and rows[id(r)] is not None
            and _names(rows[id(r)].get(column) or "", key, parent.organ)
        ]
        if children:
            auditor.audit_hierarchy(parent, children)
            checked += 1
    return checked
