"""Figures the report's own text states about a table-two row: evidence for a split.

"集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件" states
现行有效 = 698 and 制发 = 88 for the row 行政规范性文件. A clause (between
punctuation) that names one row of the block, one column by its words and one
count ("N件") states that cell. A split of the row's digits that agrees with
every stated cell, when it is the only one, is the reading; a statement the
table contradicts decides nothing (no guess).
"""

from __future__ import annotations

import functools

from gxaudit.formats.load import BlockSpec
from gxaudit.formats.text import fold, match_key
from gxaudit.regex import on_use

# the words a sentence uses for a table-two column (by column id)
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "issued": ("制发", "印发", "出台"),
    "repealed": ("废止",),
    "in_force": ("现行有效",),
    "made": ("新制作", "制作"),
    "published": ("新公开",),
    "decisions": ("处理决定", "作出决定"),
}
_CLAUSE = on_use(r"[^。；，,;！？!?]+")
_COUNT = on_use(r"([0-9]+)\s*(?:件|个|项|部)")


@functools.lru_cache(maxsize=4)
def _counting_clauses(text: str) -> tuple[tuple[str, str, list[str]], ...]:
    """The page's clauses that state a count: (clause, its match key, the counts)."""
    out = []
    for clause in _CLAUSE.findall(fold(text)):
        counts = _COUNT.findall(clause)
        if counts:
            out.append((clause, match_key(clause), counts))
    return tuple(out)


def stated(text: str, spec: BlockSpec, row_id: str) -> dict[str, int]:
    """Column id → the count the text states for this row of the block."""
    row = next((r for r in spec.rows if r.id == row_id), None)
    if row is None:
        return {}
    others = [r for r in spec.rows if r.id != row_id]
    own = [match_key(t) for t in row.texts if t.strip()]
    out: dict[str, int] = {}
    conflicting: set[str] = set()
    for clause, key, counts in _counting_clauses(text):
        if not any(k in key for k in own):
            continue
        if any(
            match_key(t) in key and not any(match_key(t) in k for k in own) for r in others for t in r.texts
        ):
            continue  # names another row of the block too
        columns = [c.id for c in spec.columns if any(w in clause for w in COLUMN_WORDS.get(c.id, ()))]
        if len(columns) != 1 or len(counts) != 1:
            continue
        column, value = columns[0], int(counts[0])
        if out.get(column, value) != value:
            conflicting.add(column)
        out[column] = value
    return {c: v for c, v in out.items() if c not in conflicting}


def agreeing(
    splits: list[tuple[str, ...]], columns: list[str], figures: dict[str, int]
) -> list[tuple[str, ...]]:
    """The splits whose cells equal every stated figure."""
    index = {c: i for i, c in enumerate(columns)}
    wanted = [(index[c], v) for c, v in figures.items() if c in index]
    if not wanted:
        return []
    return [s for s in splits if all(s[i].isdigit() and int(s[i]) == v for i, v in wanted)]
