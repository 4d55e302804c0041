"""The body of a Word document: paragraphs and tables in document order, each line with its origin.

The body's children are walked in order (a paragraph, a table, a paragraph
…), not `doc.paragraphs` then `doc.tables`, so a table stays under the part
heading it belongs to. A table is laid out on its grid (read/grid.py: a
horizontal ``gridSpan`` spans columns, a vertical ``vMerge`` continuation
extends the cell above, ``gridBefore``/``gridAfter`` are empty positions) and
its data rows are placed against the header's columns (read/columns.py), as
for a web page. A one-column table around the content is a layout frame: its
cells are read as blocks.

Each line keeps where it is in the document: a paragraph its number (第n段),
a table row the table's number and the row's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxaudit.errors import InputError
from gxaudit.formats import grammar
from gxaudit.read.columns import Memory, lay_out
from gxaudit.read.docx.numbering import Numbering
from gxaudit.read.docx.ooxml import MC_NS, val, w
from gxaudit.read.grid import GridBudget, GridCell, Table, TableRow, build_grid
from gxaudit.read.source import Origin, SourceLine, Unplaced
from gxaudit.regex import on_use

SPACES = on_use(r"[ \t\r\n\u00a0\u3000]+")
# "一、", "（一）", "1." at the start of a paragraph, followed by a tab (Word's list layout)
_LEADING_ENUMERATOR_TAB = on_use(
    r"^(\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]))\t+"
)
# Word's own grid is at most 63 columns; a larger span is junk, clamped before the grid budget
MAX_GRID_SPAN = 1000
# Tables inside table cells, inside table cells …: a report has one or two levels
MAX_NESTING = 30
_SKIPPED = (
    "del",
    "moveFrom",
    "delText",
    "instrText",
    "pPr",
    "rPr",
    "footnoteReference",
    "endnoteReference",
    "commentReference",
)
_SKIPPED_TAGS = frozenset(w(t) for t in _SKIPPED)


@dataclass
class Body:
    """What the walk collects: the lines, the cells it could not place, counters for origins."""

    name: str
    numbering: Numbering | None
    budget: GridBudget
    lines: list[SourceLine] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0
    memory: Memory = field(default_factory=Memory)  # what earlier tables say about the next


# ------------------------------------------------------------------ text


def _children(element):
    """Block-level children, looking through content controls and custom XML."""
    for child in element.iterchildren():
        if child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _children(content)
        elif child.tag == w("customXml"):
            yield from _children(child)
        else:
            yield child


def _run_text(element, out: list[str], boxes: list, depth: int = 0) -> None:
    """Text of a paragraph's inline content, in order; text boxes are set aside."""
    if depth > MAX_NESTING:
        return  # runs nested this deep hold no report text
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == w("t"):
            out.append(child.text or "")
        elif tag == w("tab"):
            out.append("\t")
        elif tag in (w("br"), w("cr")):
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
        elif tag in _SKIPPED_TAGS or tag == f"{{{MC_NS}}}Fallback":  # Fallback: mc:Choice for old readers
            continue
        elif tag == w("r") and _hidden(child):
            continue  # hidden text (w:vanish): not on the page a reader sees
        elif tag == w("txbxContent"):
            boxes.append(child)
        else:
            _run_text(child, out, boxes, depth + 1)


def _hidden(run) -> bool:
    """A run formatted as hidden text (<w:vanish/>, not <w:vanish w:val="0"/>)."""
    properties = run.find(w("rPr"))
    if properties is None or properties.find(w("vanish")) is None:
        return False
    return val(properties, "vanish", "1") not in ("0", "false", "off")


def _paragraph_text(p, numbering: Numbering | None) -> tuple[str, list]:
    out: list[str] = []
    boxes: list = []
    _run_text(p, out, boxes)
    text = "".join(out)
    if numbering is not None:
        prefix = numbering.prefix(p)
        if prefix:
            text = prefix + text.lstrip()
    return text, boxes


def _is_cjk_only(text: str) -> bool:
    stripped = SPACES.sub("", text)
    return bool(stripped) and all("\u4e00" <= ch <= "\u9fff" or ch in "（）()、，：:" for ch in stripped)


def _cell_text(tc, body: Body, depth: int) -> tuple[str, bool]:
    """A cell's text, and whether it holds several values on separate lines ("26" / "5")."""
    parts: list[str] = []
    for child in _children(tc):
        if child.tag == w("p"):
            text, boxes = _paragraph_text(child, body.numbering)
            parts.append(text)
            for box in boxes:
                parts.extend(_cell_text(box, body, depth + 1)[0].split("\n"))
        elif child.tag == w("tbl"):
            if depth >= MAX_NESTING:
                raise InputError(body.name, f"表格嵌套超过 {MAX_NESTING} 层，不是正常的年度报告文档")
            for row in _rows_of(child):
                parts.append(" ".join(_cell_text(c, body, depth + 1)[0] for c in _cells_of(row)))
    pieces = [p for p in "\n".join(parts).split("\n") if SPACES.sub("", p)]
    joined = "\n".join(parts)
    several = len(pieces) > 1 and all(_is_value(p) for p in pieces)
    # a cell broken over paragraphs ("本年新" / "制作数量") is one label: as in the HTML adapter
    if _is_cjk_only(joined):
        return SPACES.sub("", joined), several
    return SPACES.sub(" ", joined).strip(), several


def _is_value(text: str) -> bool:
    return grammar.is_value_text(text)


# ------------------------------------------------------------------ tables


def _int_attr(element, tag: str, default: int) -> int:
    value = val(element, tag)
    try:
        return max(0, min(int(value), MAX_GRID_SPAN)) if value is not None else default
    except ValueError:
        return default


def _cells_of(tr):
    for child in tr.iterchildren():
        if child.tag == w("tc"):
            yield child
        elif child.tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if content is not None:
                yield from _cells_of(content)


def _rows_of(tbl):
    for child in tbl.iterchildren():
        if child.tag == w("tr"):
            yield child
        elif child.tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if content is not None:
                yield from _rows_of(content)


def _grid_table(tbl, body: Body, depth: int) -> Table:
    """The table as rows of spanned cells: vMerge continuations extend the cell above."""
    table = Table()
    above: dict[int, GridCell] = {}  # grid column -> the cell of the row above starting there
    for index, tr in enumerate(_rows_of(tbl)):
        trpr = tr.find(w("trPr"))
        cells: list[GridCell] = []
        here: dict[int, GridCell] = {}
        column = _int_attr(trpr, "gridBefore", 0)
        body.budget.add(column + _int_attr(trpr, "gridAfter", 0))
        if column:
            cells.append(GridCell("", colspan=column, filler=True))
        for tc in _cells_of(tr):
            tcpr = tc.find(w("tcPr"))
            span = max(1, _int_attr(tcpr, "gridSpan", 1))
            body.budget.add(span)  # counted before the cell is read: a gridSpan bomb stops here
            vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
            continued = vmerge is not None and vmerge.get(w("val"), "continue") == "continue"
            if continued and column in above:
                origin = above[column]
                origin.rowspan += 1  # the merged cell reaches down into this row
                here[column] = origin
            else:
                text, several = _cell_text(tc, body, depth)
                cell = GridCell("" if continued else text, colspan=span, several=several and not continued)
                cells.append(cell)
                here[column] = cell
            column += span
        after = _int_attr(trpr, "gridAfter", 0)
        if after:
            cells.append(GridCell("", colspan=after, filler=True))
        table.rows.append(TableRow(cells, Origin(row=index + 1)))
        above = here
    return table


def _is_wrapper(tbl) -> bool:
    """A table of one column that holds a table: unwrapping it loses nothing (a
    one-cell row has no tab), and the table inside keeps its grid."""
    rows = list(_rows_of(tbl))
    if not rows or any(len(list(_cells_of(tr))) > 1 for tr in rows):
        return False
    return any(tc.find(w("tbl")) is not None for tr in rows for tc in _cells_of(tr))


def _add_table(tbl, body: Body, depth: int) -> None:
    body.tables += 1
    number = body.tables
    grid = build_grid(_grid_table(tbl, body, depth), None)  # counted while read
    rows, unplaced = lay_out(grid, body.memory)
    at_row: dict[int, int] = {}
    for r, texts in enumerate(rows):
        at_row[r] = len(body.lines)
        body.lines.append(SourceLine("\t".join(texts), Origin(table=number, row=r + 1)))
    for cells in unplaced:
        body.unplaced.append(Unplaced(at_row[cells.row], cells.positions, cells.reason, cells.raw))


# ------------------------------------------------------------------ paragraphs


def _prose_lines(text: str) -> list[str]:
    lines = []
    for line in text.split("\n"):
        # Word puts a tab between an automatic/typed list number and the text:
        # "一、\t总体情况" is a heading, not a two-cell row
        line = _LEADING_ENUMERATOR_TAB.sub(r"\1", line)
        if "\t" not in line.strip("\t"):
            line = line.strip("\t")  # tabs used as indentation: "\t一、总体情况" is a heading
        lines.append(line)
    return lines


def walk(container, body: Body, depth: int = 0) -> None:
    """Paragraphs and tables of `container`, in order, into body.lines."""
    if depth > MAX_NESTING:
        raise InputError(body.name, f"表格嵌套超过 {MAX_NESTING} 层，不是正常的年度报告文档")
    for child in _children(container):
        if child.tag == w("p"):
            body.paragraphs += 1
            origin = Origin(paragraph=body.paragraphs)
            text, boxes = _paragraph_text(child, body.numbering)
            body.lines.extend(SourceLine(line, origin) for line in _prose_lines(text))
            for box in boxes:
                walk(box, body, depth + 1)
        elif child.tag == w("tbl"):
            if _is_wrapper(child):
                # a one-column layout table around the content: its cells are blocks
                for tr in _rows_of(child):
                    for tc in _cells_of(tr):
                        walk(tc, body, depth + 1)
            else:
                _add_table(child, body, depth)
