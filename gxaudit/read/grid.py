"""A table's cells laid on their grid: what spans cover, bounded in size.

Web pages and Word documents describe a table as rows of cells, each cell
spanning columns (colspan, gridSpan) and rows (rowspan, vMerge). `build_grid`
lays them out as the page shows them: every grid position holds the cell that
covers it, so a spanned cell is one object at several positions, and a row
with fewer cells than its neighbours simply ends early.

The size of a grid is what a page costs to read, not the bytes it takes: 100
cells of colspan=rowspan=100 are a million positions in 40 KB. `GridBudget`
counts the positions of every table of a file before any is laid out and
refuses the file beyond `MAX_GRID_CELLS` (issue 11: a 390 KB page passed 6 GB).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxaudit.errors import InputError
from gxaudit.read.source import Origin

# The largest spans the HTML standard allows; Word's grid is far smaller.
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534
# Positions of all tables of one file once spans are laid out. A report's
# tables have about 500; a long report with layout tables a few thousand.
MAX_GRID_CELLS = 200_000


@dataclass(eq=False, slots=True)
class GridCell:
    """One cell as written: its text and how many columns and rows it covers."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    filler: bool = False  # a position Word leaves empty before or after a row (gridBefore/After)
    several: bool = False  # values on separate lines of one cell ("26<br>5"): not one number
    # where it lands once laid out (set by build_grid)
    top: int = -1
    left: int = -1

    @property
    def right(self) -> int:
        return self.left + self.colspan - 1


@dataclass
class TableRow:
    cells: list[GridCell]
    origin: Origin


@dataclass
class Table:
    """A table as written (rows of spanned cells), with where each row comes from."""

    rows: list[TableRow] = field(default_factory=list)


def clamp_span(value: object, largest: int) -> int:
    """A span attribute as a count: at least 1, at most `largest`; junk is 1."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, largest))


class GridBudget:
    """The positions a file's tables may take in total, counted before laying out."""

    def __init__(self, name: str, limit: int = MAX_GRID_CELLS):
        self.name = name
        self.limit = limit
        self.used = 0

    def add(self, positions: int) -> None:
        """Count `positions` more; InputError once past the limit."""
        self.used += positions
        if self.used > self.limit:
            raise InputError(
                self.name,
                f"表格合并单元格展开后超过 {self.limit} 个单元格（colspan/rowspan 过大），"
                "不是正常的年度报告表格",
            )

    def charge(self, table: Table) -> None:
        """Count every position of a table as written (rowspans cut at its last row)."""
        rows = len(table.rows)
        for index, row in enumerate(table.rows):
            self.add(sum(cell.colspan * min(cell.rowspan, rows - index) for cell in row.cells))


def build_grid(table: Table, budget: GridBudget | None) -> list[list[GridCell | None]]:
    """Each grid row as a list of the cells covering its positions (None: nothing there).

    A cell is placed at the first position of its row not covered by a cell
    from a row above; its rowspan is cut at the table's last row. `budget`: the
    positions are counted first (None: the caller counted them while reading)."""
    if budget is not None:
        budget.charge(table)
    count = len(table.rows)
    covered: list[dict[int, GridCell]] = [{} for _ in range(count)]
    grid: list[list[GridCell | None]] = []
    for r, row in enumerate(table.rows):
        line: list[GridCell | None] = []
        below = covered[r]
        column = 0
        for cell in row.cells:
            while column in below:
                line.append(below[column])
                column += 1
            cell.top, cell.left = r, column
            line.extend([cell] * cell.colspan)
            for down in range(r + 1, min(count, r + cell.rowspan)):
                rows_below = covered[down]
                for across in range(column, column + cell.colspan):
                    rows_below[across] = cell
            column += cell.colspan
        for extra in sorted(c for c in below if c >= column):
            line.extend([None] * (extra - column))
            line.append(below[extra])
            column = extra + 1
        grid.append(line)
    return grid


def expanded_texts(line: list[GridCell | None], r: int) -> list[str]:
    """A grid row as tab cells: a cell's text at its first position, empty elsewhere."""
    return [
        cell.text if cell is not None and cell.top == r and (i == 0 or line[i - 1] is not cell) else ""
        for i, cell in enumerate(line)
    ]
