"""What every check kind shares: the fact it draws, the environment it reads,
where a finding is located, and the cells of a report.

A fact is a pair: `props`, the flat properties the engine sees (the rule's
`assert` is compiled into a condition over them), and `context`, what the
finding needs to be located and explained (line, section, table, row, column,
labels, expected and actual values). The engine decides; the context explains.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gxaudit.errors import RuleError
from gxaudit.formats.load import Format, all_application_rows, load_formats, tables
from gxaudit.parse import ast

# table id -> the part it stands in, and its Chinese name in messages (formats/common.yaml)
TABLE_SECTION = {t: spec.section for t, spec in tables().items()}
TABLE_NAME = {t: spec.name for t, spec in tables().items()}


class Fact:
    """A fact: its properties and its context (see the module)."""

    __slots__ = ("props", "_context", "_explain", "_args")
    props: dict[str, Any]
    _context: dict[str, Any] | None  # None until asked for (explained)
    _explain: Callable[..., dict[str, Any]]
    _args: tuple[Any, ...]

    def __init__(self, props: dict[str, Any], context: dict[str, Any] | None = None):
        self.props = props
        self._context = {} if context is None else context

    @staticmethod
    def explained(props: dict[str, Any], explain: Callable[..., dict[str, Any]], *args: Any) -> Fact:
        """A fact whose whole context is given by `explain(*args)` (its LAZY entry), made only
        when the context is asked for: most facts never become a finding, and a report draws
        hundreds (no dict and no partial each until then). (A static method: no class is bound
        at each call; Fact has no subclass.)"""
        fact = _new_fact(Fact)
        fact.props = props
        fact._context = None
        fact._explain = explain
        fact._args = args
        return fact

    @property
    def context(self) -> dict[str, Any]:
        if self._context is None:
            self._context = {LAZY: functools.partial(self._explain, *self._args)}
        return self._context

    def __repr__(self) -> str:
        return f"Fact({self.props!r}, {self.context!r})"


_new_fact = Fact.__new__


class CheckError(RuleError, ValueError):
    """A check's parameters are wrong (reported by `rules validate`)."""


def _engine_value(value: Any) -> Any:
    """Numbers for the engine: Decimal becomes float (the C engine knows no Decimal)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _fact(props: dict[str, Any], **context: Any) -> Fact:
    return Fact(engine_props(props), context)


def engine_props(props: dict[str, Any]) -> dict[str, Any]:
    """A fact's properties as the engines take them: None left out, Decimal made a number."""
    if _CONVERTED.isdisjoint(map(type, props.values())):
        return dict(props)  # most facts: nothing to drop or convert (a copy in C)
    return {k: (_engine_value(v) if type(v) is Decimal else v) for k, v in props.items() if v is not None}


_CONVERTED = frozenset({Decimal, type(None)})


# A context entry under this key is a function returning more context; it is
# called only when the fact becomes a finding (most facts never do).
LAZY = "_explain"


def _location(
    line: int | None,
    section: str | None = None,
    table: str | None = None,
    row: str | None = None,
    column: str | None = None,
) -> dict[str, Any]:
    return {"line": line, "section": section, "table": table, "row": row, "column": column}


# ------------------------------------------------------------------ labels


def _labels(fmt: Format | None) -> dict[str, str]:
    """Chinese labels of every id, for messages."""
    formats = list(load_formats().values())
    if fmt is not None:
        formats = [f for f in formats if f is not fmt] + [fmt]  # the report's own wins
    out: dict[str, str] = {}
    for f in formats:
        for s in f.sections:
            out[f"section:{s.id}"] = s.label
            out[f"number:{s.id}"] = s.get("number") or ""
        for b in f.blocks:
            out[f"block:{b.id}"] = b.label
            for r in b.rows:
                out[f"row:{b.id}:{r.id}"] = r.label
            for c in b.columns:
                out[f"column:{b.id}:{c.id}"] = c.label
        for c in f.application_columns:
            out[f"column:applications:{c.id}"] = c.label
        for review_block in f.review_blocks:
            out[f"block:review_litigation:{review_block.id}"] = review_block.label
        for c in f.review_columns:
            out[f"column:review_litigation:{c.id}"] = c.label
    for r in all_application_rows().values():
        out[f"row:applications:{r.id}"] = r.label
    return out


@functools.cache
def _labels_of(format_id: str | None) -> dict[str, str]:
    return _labels(load_formats().get(format_id) if format_id else None)


class Labels:
    def __init__(self, fmt: Format | None):
        self._map = _labels_of(fmt.id if fmt else None)

    def section(self, sid: str | None) -> str:
        return self._map.get(f"section:{sid}", sid or "")

    def section_number(self, sid: str | None) -> str:
        """The numeral of a part (一 … 六), or "" for an unknown part."""
        return self._map.get(f"number:{sid}", "")

    def cell(self, table: str, block: str | None, row: str | None, column: str | None) -> dict[str, str]:
        if table == "proactive":
            return {
                "block_label": self._map.get(f"block:{block}", block or ""),
                "row_label": self._map.get(f"row:{block}:{row}", row or ""),
                "column_label": self._map.get(f"column:{block}:{column}", column or ""),
            }
        if table == "applications":
            return {
                "block_label": "",
                "row_label": self._map.get(f"row:applications:{row}", row or ""),
                "column_label": self._map.get(f"column:applications:{column}", column or ""),
            }
        # table four: its "rows" are the three blocks (行政复议, 行政诉讼 未经复议直接起诉…)
        return {
            "block_label": "",
            "row_label": self._map.get(f"block:review_litigation:{row}", row or ""),
            "column_label": self._map.get(f"column:review_litigation:{column}", column or ""),
        }

    def of_keys(self, table: str, keys: tuple[str, ...]) -> dict[str, str]:
        """cell() of a cell named by its keys as Report.cell takes them: (block, row, column)
        in table two, (row, column) elsewhere."""
        return self.cell(table, keys[0] if table == "proactive" else None, keys[-2], keys[-1])

    def cell_name(self, table: str, keys: tuple[str, ...]) -> str:
        """A cell named by its keys as a message lists it: “row/column”."""
        labels = self.of_keys(table, keys)
        return f"{labels['row_label']}/{labels['column_label']}"


# --------------------------------------------------------- the cells of a report


@dataclass(frozen=True)
class CellAt:
    table: str
    block: str | None  # table two block (None elsewhere)
    row: str  # row id (table four: block id)
    column: str
    cell: ast.Cell


def iter_cells(report: ast.Report):
    t = report.tables
    for block in t.proactive.values():
        for row in block.rows.values():
            for column, cell in row.cells.items():
                yield CellAt("proactive", block.id, row.id, column, cell)
    for row in t.applications.values():
        for column, cell in row.cells.items():
            yield CellAt("applications", None, row.id, column, cell)
    for row in t.review_litigation.values():
        for column, cell in row.cells.items():
            yield CellAt("review_litigation", None, row.id, column, cell)


# ------------------------------------------------------------------- context


@dataclass
class Env:
    """What every check kind may read: the report, its format, labels, sets;
    for cross-year checks, this year's and last year's figures."""

    maybe_report: ast.Report | None  # None only for the cross-year stage of a batch
    fmt: Format | None
    labels: Labels
    sets: dict[str, Any]
    figures: dict[str, Any] | None = None
    previous: dict[str, Any] | None = None
    # the report's row of the units file (region, level, parent, publication date …), if any
    unit: dict[str, str] | None = None
    # for a parent's report: the figures of its children's reports in this run (kind hierarchy)
    children: list[dict[str, Any]] | None = None
    # what a kind drew from this report, for the other routes of the same kind (facts are drawn
    # route by route; rules with other parameters read the same text): one dict per report
    memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def report(self) -> ast.Report:
        """The report being audited (every kind but cross_year reads one)."""
        if self.maybe_report is None:
            raise CheckError("this check needs the report itself, not only its figures")
        return self.maybe_report

    def set_members(self, name: str) -> list[str] | None:
        return set_members(self.sets, name, self.maybe_report.format if self.maybe_report else None)


def set_members(sets: dict[str, Any], name: str, format_id: str | None) -> list[str] | None:
    """The ids a named set stands for: a list, or a list per format (else "default")."""
    value = sets.get(name)
    if isinstance(value, dict):
        value = value.get(format_id) or value.get("default")
    return list(value) if value is not None else None


def expand_key(env: Env, key: str, domain: list[str]) -> list[str]:
    if key == "*":
        return domain
    members = env.set_members(key)
    return members if members is not None else [key]
