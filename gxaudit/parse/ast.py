"""The report AST: plain dataclasses that every later stage consumes.

Nothing downstream of the parser touches pyparsing results; it reads these.
Ids (sections, blocks, rows, columns) are the canonical ids of the format
files in formats/ (which follow shared/TEMPLATES.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

SCHEMA_VERSION = 1

# Cell kinds: see formats/grammar.py, which classifies cell text.
from gxaudit.formats.grammar import CELL_KINDS, DASH, EMPTY, NUMBER, NUMBER_WITH_UNIT, TEXT  # noqa: E402,F401
from gxaudit.formats.places import source_text  # noqa: E402
from gxaudit.read.source import Origin, find_in_line  # noqa: E402

# Report formats (see formats/*.yaml).
FORMAT_PRE_2019 = "pre-2019"
FORMAT_UNKNOWN = "unknown"


# the kinds of a cell that holds a number (with its value: Cell.is_number)
NUMBER_KINDS = (NUMBER, NUMBER_WITH_UNIT)


# slots: a report has hundreds of cells; a cell with slots is smaller and made a little
# faster (189 -> 165 ns measured); none but these fields is ever set on a cell
@dataclass(slots=True)
class Cell:
    raw: str
    kind: str
    value: int | Decimal | None
    unit: str | None
    line: int
    column: int
    # True when the value was recovered by inference (e.g. digits of a
    # flattened report split by the table's identities), not read directly.
    inferred: bool = False
    # True when the source has a value here that could not be read with
    # certainty (the cell is then EMPTY, but it was not blank in the report)
    unreadable: bool = False

    @property
    def is_number(self) -> bool:
        return self.kind in NUMBER_KINDS and self.value is not None

    def to_dict(self) -> dict[str, Any]:
        value: Any = self.value
        if isinstance(value, Decimal):
            # JSON has no decimal: keep integral decimals as int, others as float
            value = int(value) if value == value.to_integral_value() else float(value)
        out = {
            "raw": self.raw,
            "kind": self.kind,
            "value": value,
            "unit": self.unit,
            "line": self.line,
            "column": self.column,
        }
        if self.inferred:
            out["inferred"] = True
        if self.unreadable:
            out["unreadable"] = True
        return out


@dataclass
class Section:
    number: str | None  # the numeral as written (一, 二, …), None if absent
    id: str | None  # canonical section id, None if not recognised
    heading: str  # heading text after the numeral, as written
    line: int
    variant: bool = False  # a known variant wording of the canonical heading
    # numbered otherwise than the format's "N、" ("第一部分", "（三）", "1、"): as written
    numbering: str = ""
    text: str = ""  # body text (headings, tables excluded) for text rules
    body_lines: list[tuple[int, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "id": self.id,
            "heading": self.heading,
            "line": self.line,
            "variant": self.variant,
        }


@dataclass
class Row:
    """A table row: its id, the label as written, and its cells by column id."""

    id: str
    label: str
    line: int
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass
class Block:
    """A group of rows: a 第二十条 item of table two, or a table-four block."""

    id: str
    label: str
    line: int
    rows: dict[str, Row] = field(default_factory=dict)


@dataclass
class Diagnostic:
    line: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


@dataclass
class Reading:
    """How one table row of a flattened report was read: its digits were run
    together and split by the format's identities ("inferred"), or could not be
    split with certainty ("ambiguous", "unsatisfiable") and were left empty."""

    table: str
    block: str | None
    row: str
    status: str
    reason: str
    raw: str
    line: int
    decided_by: str = ""  # the constraint that decided a reading, in Chinese
    # not read: how many cells of the row's digit run were certainly blank on the page
    # (fewer digits than cells), though which ones cannot be told
    blank: int = 0

    def to_dict(self) -> dict[str, Any]:
        out = {
            "table": self.table,
            "block": self.block,
            "row": self.row,
            "status": self.status,
            "reason": self.reason,
            "raw": self.raw,
            "line": self.line,
        }
        if self.decided_by:
            out["decided_by"] = self.decided_by
        if self.blank:
            out["blank"] = self.blank
        return out


@dataclass
class Tables:
    # table two: block id -> row id -> Row
    proactive: dict[str, Block] = field(default_factory=dict)
    # table three: row id -> Row
    applications: dict[str, Row] = field(default_factory=dict)
    # table four: block id -> Row (a single row of five cells per block)
    review_litigation: dict[str, Row] = field(default_factory=dict)
    # where each table starts (1-based line), for locating findings
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    path: str
    title: str | None
    organ: str | None
    year: int | None
    format: str
    sections: list[Section]
    tables: Tables
    diagnostics: list[Diagnostic]
    title_line: int | None = None
    # years read from the statistics period sentence ("统计期限…"), with line
    period_years: list[tuple[int, int]] = field(default_factory=list)
    # the normalised source lines (1-based: lines[0] is line 1)
    lines: list[str] = field(default_factory=list)
    input_kind: str = "text"
    # rows whose cells were recovered from run-together digits (flattened text), or
    # could not be read (any reader)
    readings: list[Reading] = field(default_factory=list)
    # read / absent / unreadable for every template cell (parse/coverage.py), once parsed
    coverage: Any = None
    # where each line comes from in the file a person opens (read/source.py), one per
    # line; empty: line n is line n of the file
    origins: list[Origin] = field(default_factory=list)
    # the file's own lines when it is text (text, Markdown): to show the original text
    original_lines: list[str] | None = None

    def part_end(self, line: int) -> int:
        """The line after the part that holds `line`: the next part heading's, or past the
        last line (a table's part, say, from where the table opened)."""
        return min((s.line for s in self.sections if s.line > line), default=len(self.lines) + 1)

    def origin(self, line: int | None) -> dict[str, Any] | None:
        """Where a parsed line is in the original file: {"line": 178}, {"page": 3, …}, …"""
        if not isinstance(line, int) or line < 1:
            return None
        if not self.origins:
            return {"line": line}
        if line > len(self.origins):
            return None
        return self.origins[line - 1].to_dict() or None

    def origin_of_text(self, line: int | None, text: str) -> dict[str, Any] | None:
        """origin(line), with the column where `text` (a quoted snippet) stands when the
        line is a piece of a longer line of the file (a page flattened into one line: the
        piece's column is where it starts, a paragraph may be hundreds of characters)."""
        origin = self.origin(line)
        if not origin or not origin.get("column") or not origin.get("line") or not self.original_lines:
            return origin
        if origin["line"] > len(self.original_lines):
            return origin
        column = find_in_line(self.original_lines[origin["line"] - 1], text, origin["column"])
        return origin if column is None else {**origin, "column": column}

    def place(self, line: int | None) -> str:
        """Where a parsed line is, in words a person finds it by in the original file
        (第178行, 第1行第1140字, 第3页, 第2个表格第5行): never the parser's own line number
        when the file was rebuilt into lines (a page, a PDF, a one-line text)."""
        return source_text(self.origin(line))

    def cell(self, table: str, keys: tuple[str, ...]) -> Cell | None:
        """A cell by its ids: (block, row, column) in table two, (row, column) elsewhere."""
        t = self.tables
        try:
            if table == "proactive":
                block, row, column = keys
                return t.proactive[block].rows[row].cells[column]
            row, column = keys
            source = t.applications if table == "applications" else t.review_litigation
            return source[row].cells[column]
        except (KeyError, ValueError):
            return None

    def section(self, section_id: str) -> Section | None:
        for section in self.sections:
            if section.id == section_id:
                return section
        return None

    def to_dict(self) -> dict[str, Any]:
        tables = self.tables
        return {
            "schema_version": SCHEMA_VERSION,
            "path": self.path,
            "title": self.title,
            "organ": self.organ,
            "year": self.year,
            "format": self.format,
            "sections": [s.to_dict() for s in self.sections],
            "tables": {
                "proactive": {
                    block_id: {
                        row_id: {c: cell.to_dict() for c, cell in row.cells.items()}
                        for row_id, row in block.rows.items()
                    }
                    for block_id, block in tables.proactive.items()
                },
                "applications": {
                    row_id: {c: cell.to_dict() for c, cell in row.cells.items()}
                    for row_id, row in tables.applications.items()
                },
                "review_litigation": {
                    block_id: {c: cell.to_dict() for c, cell in row.cells.items()}
                    for block_id, row in tables.review_litigation.items()
                },
            },
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            **({"readings": [r.to_dict() for r in self.readings]} if self.readings else {}),
            **({"coverage": self.coverage.to_dict()} if self.coverage is not None else {}),
        }
