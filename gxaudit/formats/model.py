"""The official formats as gxaudit holds them: parts, tables, blocks, rows,
columns, the identities between cells and the measures the text refers to.

Built by formats/load.py from formats/*.yaml; nothing here reads files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

# A cell by its ids: (block, row, column) in table two, (row, column) in table
# three, (block, column) in table four.
CellKey = tuple[str, ...]


@dataclass(frozen=True)
class Label:
    id: str
    label: str
    variants: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.extra).get(name, default)

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class BlockSpec:
    id: str
    item: str
    label: str
    rows: tuple[Label, ...]
    columns: tuple[Label, ...]


@dataclass(frozen=True)
class TableSpec:
    id: str
    name: str  # in messages: 表三（依申请公开）
    short_name: str  # in the outputs' location column: 表四（复议诉讼）
    section: str  # the part the table stands in


@dataclass(frozen=True)
class Identity:
    """Sum of `left` == sum of `right`, for each row, column or block of a table.

    `left` and `right` are ids of the other dimension: column ids when `each`
    is "row" or "block", row ids when `each` is "column".
    """

    id: str
    table: str
    name: str
    each: str  # row, column or block
    left: tuple[str, ...]
    right: tuple[str, ...]

    def terms(self, key: str) -> tuple[list[CellKey], list[CellKey]]:
        """The cells of both sides for one row, column or block `key`."""
        if self.each == "column":
            return [(r, key) for r in self.left], [(r, key) for r in self.right]
        return [(key, c) for c in self.left], [(key, c) for c in self.right]

    @property
    def cells(self) -> tuple[str, ...]:
        """The ids of the other dimension the identity reads, left then right."""
        return (*self.left, *self.right)


@dataclass(frozen=True)
class MeasureCell:
    table: str
    keys: CellKey
    name: str  # 本年新收·总计


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    cells: tuple[MeasureCell, ...]


@dataclass
class Format:
    id: str
    issued_by: str
    first_year: int
    last_year: int | None
    sections: tuple[Label, ...]
    blocks: tuple[BlockSpec, ...]
    application_rows: tuple[Label, ...]
    application_columns: tuple[Label, ...]
    review_blocks: tuple[Label, ...]
    review_columns: tuple[Label, ...]
    tables: dict[str, TableSpec] = field(default_factory=dict)
    identities: tuple[Identity, ...] = ()
    measures: dict[str, Measure] = field(default_factory=dict)
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    def block(self, block_id: str) -> BlockSpec | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def section_label(self, section_id: str) -> Label | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def applies_to_year(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def identity(self, table: str, identity_id: str) -> Identity | None:
        return next((i for i in self.identities if i.table == table and i.id == identity_id), None)

    def domain(self, table: str, each: str) -> list[str]:
        """The ids an identity runs over: a table's rows, columns or blocks in this format."""
        if table == "applications":
            return (
                [r.id for r in self.application_rows]
                if each == "row"
                else [c.id for c in self.application_columns]
            )
        if table == "review_litigation":
            return (
                [b.id for b in self.review_blocks] if each == "block" else [c.id for c in self.review_columns]
            )
        raise KeyError((table, each))


T = TypeVar("T")


def per_format(make: Callable[[Format], T]) -> Callable[[Format], T]:
    """`make(fmt)` made once per format object and remembered (what every report of a
    format shares: its ids, its template rows, its parts). Keyed by the object's id, the
    object kept beside what was made from it so that its id is not reused meanwhile;
    formats loaded again (tests, GXAUDIT_FORMATS) are other objects, and past 64 of
    them all is forgotten."""
    made: dict[int, tuple[Format, T]] = {}

    @functools.wraps(make)
    def remembered(fmt: Format) -> T:
        known = made.get(id(fmt))
        if known is not None and known[0] is fmt:
            return known[1]
        if len(made) >= 64:
            made.clear()
        value = make(fmt)
        made[id(fmt)] = (fmt, value)
        return value

    return remembered
