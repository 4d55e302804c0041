"""Every id the formats know: sections, tables, blocks, rows, columns.

Rule files name these ids (in `select:`, `for_each:`, `sections:` …); a rule
that names an id no format has would silently do nothing, so `rules validate`
checks each name against this catalogue.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from gxaudit.formats.load import all_application_rows, load_formats

TABLES = ("proactive", "applications", "review_litigation")


@dataclass(frozen=True)
class Ids:
    sections: frozenset[str]
    tables: frozenset[str]
    blocks: dict[str, frozenset[str]]  # table -> block ids (table two, table four)
    rows: dict[str, frozenset[str]]  # table -> row ids (table two: every block's)
    columns: dict[str, frozenset[str]]  # table -> column ids
    formats: frozenset[str]

    def keys_of(self, table: str) -> list[tuple[str, frozenset[str]]]:
        """What each key of a cell reference `table[k1][k2]…` names, in order."""
        if table == "proactive":
            return [("block", self.blocks[table]), ("row", self.rows[table]), ("column", self.columns[table])]
        if table == "review_litigation":
            return [("block", self.blocks[table]), ("column", self.columns[table])]
        return [("row", self.rows[table]), ("column", self.columns[table])]


@functools.cache
def known_ids() -> Ids:
    formats = load_formats()
    sections = {s.id for f in formats.values() for s in f.sections}
    proactive_blocks = {b.id for f in formats.values() for b in f.blocks}
    proactive_rows = {r.id for f in formats.values() for b in f.blocks for r in b.rows}
    proactive_columns = {c.id for f in formats.values() for b in f.blocks for c in b.columns}
    return Ids(
        sections=frozenset(sections),
        tables=frozenset(TABLES),
        blocks={
            "proactive": frozenset(proactive_blocks),
            "review_litigation": frozenset(b.id for f in formats.values() for b in f.review_blocks),
        },
        rows={"proactive": frozenset(proactive_rows), "applications": frozenset(all_application_rows())},
        columns={
            "proactive": frozenset(proactive_columns),
            "applications": frozenset(c.id for f in formats.values() for c in f.application_columns),
            "review_litigation": frozenset(c.id for f in formats.values() for c in f.review_columns),
        },
        formats=frozenset(formats),
    )
