"""HTML reports: paragraphs to lines, tables laid out on their grid, values placed by column.

The standard library's tolerant HTMLParser is enough for the organs' pages
(Word-exported, often unbalanced); page chrome (scripts, styles, navigation,
headers and footers) is skipped. Each table is laid out on its grid (spans
expanded, read/grid.py) and its data rows are placed against the header's
columns (read/columns.py); a table holding another table is a layout frame,
whose cells are read as paragraphs.

Every line keeps where it comes from: a paragraph its source line, a table
row the table's number in the page, the row's number in the table and the
source line of its `<tr>`.

Bounds (InputError with the reason): positions of all tables once spans are
expanded (read/grid.py) and tables nested more than `MAX_TABLE_NESTING` deep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from gxaudit.errors import InputError
from gxaudit.formats import grammar
from gxaudit.read.columns import Memory, Unplaced, lay_out
from gxaudit.read.grid import MAX_COLSPAN, MAX_ROWSPAN, GridBudget, GridCell, TableRow, build_grid, clamp_span
from gxaudit.read.grid import Table as GridTable
from gxaudit.read.source import Origin, SourceLine, SourceText
from gxaudit.read.source import Unplaced as UnplacedCells
from gxaudit.regex import on_use

BLOCK = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "section",
    "article",
    "br",
    "blockquote",
    "pre",
    "title",
    "tr",
    "caption",
}
SKIP = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "select", "button", "head"}
SPACES = on_use(r"[ \t\r\n\u00a0\u3000\u2029]+")
# a line break inside a cell (<br>, <p>), told apart from white space in the source
CELL_BREAK = "\u2029"
# A report's tables sit one or two frames deep; deeper nesting is not a report page.
MAX_TABLE_NESTING = 30


@dataclass
class _OpenTable:
    """A table being read: its rows, the cell being filled, whether it is a layout frame."""

    order: int  # among all <table> tags of the page, in document order
    grid: GridTable = field(default_factory=GridTable)
    row_lines: list[int] = field(default_factory=list)  # source line of each <tr>
    cell: list[str] | None = None
    spans: tuple[int, int] = (1, 1)
    frame: bool = False  # holds a table: its cells are paragraphs, not table cells
    # where the text of the cell being filled starts, and each paragraph in it: (part, line)
    cell_lines: list[tuple[int, int]] = field(default_factory=list)
    # the table's first cell as read (its parts and their lines): a table of that one cell
    # only is a box around paragraphs, not a table
    first_cell: tuple[list[str], list[tuple[int, int]]] | None = None


@dataclass
class _Emitted:
    """Lines of one table, numbered once the page is read (frames are not counted)."""

    order: int
    lines: list[tuple[str, int, int]]  # (text, grid row, <tr> line)
    unplaced: list[Unplaced]


def _cell_text(parts: list[str]) -> str:
    """Cell text broken over paragraphs ("商业</p><p>企业") is joined without spaces."""
    joined = "".join(parts)
    if _is_cjk_only(joined):
        return SPACES.sub("", joined)
    return SPACES.sub(" ", joined).strip()


def _several_values(parts: list[str]) -> bool:
    """Two values on separate lines of one cell ("26<br>5"): not one number."""
    pieces = [p for p in "".join(parts).split(CELL_BREAK) if SPACES.sub("", p)]
    return len(pieces) > 1 and all(grammar.is_value_text(p) for p in pieces)


def _is_cjk_only(text: str) -> bool:
    stripped = SPACES.sub("", text)
    return bool(stripped) and all("\u4e00" <= ch <= "\u9fff" or ch in "（）()、，：:" for ch in stripped)


class _Extractor(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.budget = GridBudget(name)
        self.memory = Memory()  # what earlier tables say about the next (a repeated header)
        # the page in reading order: paragraph lines (text, line) and tables
        self.items: list[tuple[str, int] | _Emitted] = []
        self.text: list[str] = []
        self.text_line = 0
        self.skip_depth = 0
        self.tables: list[_OpenTable] = []
        self.table_count = 0

    # -- paragraphs
    def _flush(self) -> None:
        text = SPACES.sub(" ", "".join(self.text)).strip()
        self.text = []
        if text:
            self.items.append((text, self.text_line))

    def _in_cell(self) -> list[str] | None:
        """The text of the table cell being filled (innermost table, not a layout frame)."""
        if self.tables and self.tables[-1].cell is not None and not self.tables[-1].frame:
            return self.tables[-1].cell
        return None

    # -- tables
    def _open_table(self) -> None:
        if len(self.tables) >= MAX_TABLE_NESTING:
            raise InputError(self.name, f"表格嵌套超过 {MAX_TABLE_NESTING} 层，不是正常的年度报告网页")
        outer = self.tables[-1] if self.tables else None
        if outer is not None and outer.cell is not None and not outer.frame:
            self._become_frame(outer)
        self._flush()
        self.table_count += 1
        self.tables.append(_OpenTable(self.table_count))

    def _become_frame(self, table: _OpenTable) -> None:
        """A table holding a table lays out the page: what it holds so far becomes paragraphs."""
        table.frame = True
        for row, line in zip(table.grid.rows, table.row_lines):
            for cell in row.cells:
                if cell.text:
                    self.items.append((cell.text, line))
        table.grid.rows.clear()
        if table.cell is not None:
            self._paragraphs(table.cell, table.cell_lines)
            table.cell = []
            table.cell_lines = []

    def _paragraphs(self, parts: list[str], cell_lines: list[tuple[int, int]]) -> None:
        """A cell's text as the paragraphs it holds, each at its line (`cell_lines`: where the
        text of each part starts): the cell of a layout frame or of a one-cell box (an article
        in a layout table: its title, its headings, its text)."""
        starts = dict(cell_lines)
        piece: list[str] = []
        line = 0
        for index, part in enumerate(parts):
            if part == CELL_BREAK:
                self.text, self.text_line = piece, line
                self._flush()
                piece, line = [], 0
                continue
            piece.append(part)
            line = line or starts.get(index, 0)
        self.text, self.text_line = piece, line or self.getpos()[0]
        self._flush()

    def _close_cell(self, table: _OpenTable) -> None:
        if table.cell is None:
            return
        if table.frame:
            self._flush()
        else:
            if not table.grid.rows:
                self._start_row(table)
            colspan, rowspan = table.spans
            cell = GridCell(_cell_text(table.cell), colspan, rowspan, several=_several_values(table.cell))
            if table.first_cell is None:
                table.first_cell = (table.cell, table.cell_lines)
            table.grid.rows[-1].cells.append(cell)
        table.cell = None

    def _start_row(self, table: _OpenTable) -> None:
        table.grid.rows.append(TableRow([], Origin()))
        table.row_lines.append(self.getpos()[0])

    def _close_table(self) -> None:
        table = self.tables.pop()
        self._close_cell(table)
        if table.frame:
            self._flush()
            return
        if table.first_cell is not None and sum(len(row.cells) for row in table.grid.rows) == 1:
            # one cell only: a box around the page's text ("<table><tr><td><h1>…<p>…"), its
            # paragraphs are the page's
            self._flush()
            self._paragraphs(*table.first_cell)
            return
        grid = build_grid(table.grid, self.budget)
        rows, unplaced = lay_out(grid, self.memory)
        lines = [("\t".join(texts), r, table.row_lines[r]) for r, texts in enumerate(rows) if any(texts)]
        emitted = _Emitted(table.order, lines, unplaced)
        if self.tables and self.tables[-1].frame:
            self._flush()
        self.items.append(emitted)

    # -- HTMLParser events
    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIP:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        table = self.tables[-1] if self.tables else None
        if tag == "table":
            self._open_table()
        elif tag == "tr" and table is not None:
            self._close_cell(table)
            if table.frame:
                self._flush()
            else:
                self._start_row(table)
        elif tag in ("td", "th") and table is not None:
            self._close_cell(table)
            if table.frame:
                self._flush()
                table.cell = []
                return
            attributes = dict(attrs)
            table.cell = []
            table.cell_lines = []
            table.spans = (
                clamp_span(attributes.get("colspan"), MAX_COLSPAN),
                clamp_span(attributes.get("rowspan"), MAX_ROWSPAN),
            )
        elif tag in BLOCK:
            cell = self._in_cell()
            if cell is not None:
                cell.append(CELL_BREAK)  # "26<br>5" is two numbers, never 265
            else:
                self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        table = self.tables[-1] if self.tables else None
        if tag in ("td", "th") and table is not None:
            self._close_cell(table)
        elif tag == "table" and table is not None:
            self._close_table()
        elif tag in BLOCK:
            cell = self._in_cell()
            if cell is not None:
                cell.append(CELL_BREAK)
            else:
                self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        cell = self._in_cell()
        if cell is not None:
            if data.strip():
                lead = data[: len(data) - len(data.lstrip())]
                self.tables[-1].cell_lines.append((len(cell), self.getpos()[0] + lead.count("\n")))
            cell.append(data)
            return
        between_cells = self.tables and self.tables[-1].cell is None and not self.tables[-1].frame
        if between_cells and not data.strip():
            return  # white space between cells
        if data.strip() and not "".join(self.text).strip():
            lead = data[: len(data) - len(data.lstrip())]
            self.text_line = self.getpos()[0] + lead.count("\n")  # where the paragraph's text starts
        self.text.append(data)

    def finish(self) -> None:
        self.close()
        while self.tables:  # unclosed tables at the end of a page cut short
            if not self.tables[-1].frame:
                self.tables[-1].cell = None  # the cell the page was cut in: partial, not read
            self._close_table()
        self._flush()


def read_html(html: str, name: str = "<html>", encoding: str = "utf-8") -> SourceText:
    """The lines of a web page for the parser, each with where it is in the page."""
    parser = _Extractor(name)
    parser.feed(html)
    parser.finish()
    numbers = {
        item.order: n
        for n, item in enumerate(
            sorted((i for i in parser.items if isinstance(i, _Emitted)), key=lambda i: i.order), 1
        )
    }
    lines: list[SourceLine] = []
    unplaced: list[UnplacedCells] = []
    for item in parser.items:
        if isinstance(item, tuple):
            text, line = item
            lines.append(SourceLine(text, Origin(line=line or None)))
            continue
        number = numbers[item.order]
        at_row: dict[int, int] = {}
        for text, r, tr_line in item.lines:
            at_row[r] = len(lines)
            lines.append(SourceLine(text, Origin(line=tr_line, table=number, row=r + 1)))
        for cells in item.unplaced:
            if cells.row in at_row:
                unplaced.append(UnplacedCells(at_row[cells.row], cells.positions, cells.reason, cells.raw))
    source = SourceText.from_lines(lines, final_newline=True, kind="html", encoding=encoding)
    source.unplaced = unplaced
    return source


def html_to_text(html: str) -> str:
    return read_html(html).text


def looks_like_html(text: str) -> bool:
    if "<" not in text:  # no tag at all (lowering the text never makes a "<"): most reports
        return False
    head = text[:2048].lower()
    if "<html" in head or "<!doctype html" in head:
        return True
    lowered = text.lower()
    return "<table" in lowered and "<td" in lowered
