"""Laid-out pages to the lines the parser reads, in reading order, each with its page and place.

Per page: glyphs inside a ruled table go to the table, the rest become lines;
running headers and footers are dropped. Then, over the document: tables
continued from one page to the next are joined; prose lines wrapped by the
layout are joined into paragraphs (a heading or a new paragraph starts where
a line is indented or the line before it stops short of the right margin);
lines whose words are set apart by wide gaps become the rows of a table
without rulings. Each output line has the origin a person finds it at: the
page and the position (points from the page's top-left corner) of the
paragraph's first line or of the table row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxaudit.read.pdf.model import EDGE_MATCH, Glyph, PageLayout, printable
from gxaudit.read.pdf.pages import Line, loose_table, make_line, strip_margins, turn_upright, without_doubles
from gxaudit.read.pdf.tables import NUMBER, TablePart, build_rows, render_table, table_parts
from gxaudit.read.pdf.text import join_lines, join_lines_spaced, line_clusters
from gxaudit.read.source import Origin, SourceLine

Block = Line | list[TablePart]  # a line of free text, or a table over one or more pages


def _origin(page: int, x: float, y: float) -> Origin:
    return Origin(page=page, x=x, y=y)


def _page_blocks(page: PageLayout) -> tuple[list[TablePart], list[Line]]:
    """The ruled tables of a page (with their glyphs) and its lines of free text."""
    parts = table_parts(page)
    free: list[Glyph] = []
    for g in page.glyphs:
        if not printable(g) and not g.text.isspace():
            continue
        host = next(
            (p for p in parts if p.x0 - 1 <= g.cx <= p.x1 + 1 and p.top - 1 <= g.cy <= p.bottom + 1), None
        )
        if host is not None:
            host.glyphs.append(g)
        else:
            free.append(g)
    lines = [make_line(page.number, line) for line in line_clusters(free) if any(printable(g) for g in line)]
    tables = []
    for part in parts:
        build_rows(part, part.xs)
        if (
            any(any(c.text for c in row) for row in part.rows)
            and len({id(c) for row in part.rows for c in row}) >= 2
        ):
            tables.append(part)
        else:  # a frame around text: prose
            lines += [
                make_line(page.number, line)
                for line in line_clusters(part.glyphs)
                if any(printable(g) for g in line)
            ]
    return tables, lines


def _reading_order(pages: list[PageLayout]) -> tuple[list[Block], dict[int, list[Line]]]:
    """Lines and tables of every page, top to bottom, a table continued on the next page joined."""
    ordered: list[tuple[int, float, Line | TablePart]] = []
    lines_by_page: dict[int, list[Line]] = {}
    for page in pages:
        tables, lines = _page_blocks(page)
        lines_by_page[page.number] = lines
        ordered.extend((page.number, part.top, part) for part in tables)
    strip_margins(lines_by_page, pages)
    for number, lines in lines_by_page.items():
        ordered.extend((number, line.top, line) for line in lines)
    ordered.sort(key=lambda b: (b[0], b[1]))
    blocks: list[Block] = []
    for index, (number, _top, block) in enumerate(ordered):
        if isinstance(block, TablePart) and blocks and isinstance(blocks[-1], list):
            tail = blocks[-1][-1]
            first_on_page = index == 0 or ordered[index - 1][0] != number
            if (
                first_on_page
                and tail.page == number - 1
                and abs(tail.x0 - block.x0) <= EDGE_MATCH
                and abs(tail.x1 - block.x1) <= EDGE_MATCH
            ):
                blocks[-1].append(block)
                continue
        blocks.append([block] if isinstance(block, TablePart) else block)
    return blocks, lines_by_page


def _text_margins(lines_by_page: dict[int, list[Line]]) -> dict[int, tuple[float, float]]:
    """Left and right text margins per page, for joining wrapped prose lines."""
    margins: dict[int, tuple[float, float]] = {}
    for number, lines in lines_by_page.items():
        wide = [ln for ln in lines if len(ln.chunks) == 1]
        if not wide:
            continue
        widest = max(ln.x1 - ln.x0 for ln in wide)
        body = [ln for ln in wide if ln.x1 - ln.x0 >= 0.6 * widest] or wide
        margins[number] = (min(ln.x0 for ln in body), max(ln.x1 for ln in body))
    return margins


def _continues(previous: Line, line: Line, margins: dict[int, tuple[float, float]]) -> bool:
    """Whether `line` is the wrapped rest of the paragraph `previous` belongs to."""
    if previous.page not in margins or line.page not in margins:
        return False
    _, right = margins[previous.page]
    left, _ = margins[line.page]
    if previous.x1 < right - 1.2 * previous.size:
        return False  # the previous line stops short
    if line.x0 > left + 0.8 * line.size:
        return False  # indented: a new paragraph
    if abs(line.size - previous.size) > 0.25 * max(line.size, previous.size):
        return False
    # a blank line between: a new paragraph
    return not (line.page == previous.page and line.top - previous.bottom > 2.5 * line.size)


@dataclass
class _Writer:
    """Output lines with origins; a paragraph and a run of spaced-out lines are held until they end."""

    margins: dict[int, tuple[float, float]]
    out: list[SourceLine] = field(default_factory=list)
    paragraph: list[Line] = field(default_factory=list)
    loose: list[Line] = field(default_factory=list)

    def blank(self) -> None:
        if self.out and self.out[-1].text:
            self.out.append(SourceLine("", self.out[-1].origin))

    def flush_paragraph(self) -> None:
        if self.paragraph:
            first = self.paragraph[0]
            text = join_lines([line.text for line in self.paragraph])
            self.out.append(SourceLine(text, _origin(first.page, first.x0, first.top)))
        self.paragraph = []

    def flush_loose(self) -> None:
        if len(self.loose) == 1 and not any(
            NUMBER.match(t.replace(" ", "")) for _, _, t in self.loose[0].chunks
        ):
            # one spaced-out line (a signature, a distributed heading): prose
            line = self.loose[0]
            text = join_lines_spaced([t for _, _, t in line.chunks])
            self.out.append(SourceLine(text, _origin(line.page, line.x0, line.top)))
        elif self.loose:
            self.out.extend(
                SourceLine(text, _origin(line.page, line.x0, line.top))
                for text, line in loose_table(self.loose)
            )
        self.loose = []

    def table(self, parts: list[TablePart]) -> None:
        self.flush_paragraph()
        self.flush_loose()
        self.blank()
        self.out.extend(
            SourceLine(text, _origin(row.page, row.x0, row.top)) for text, row in render_table(parts)
        )
        self.blank()

    def line(self, line: Line) -> None:
        if len(line.chunks) > 1:
            self.flush_paragraph()
            self.loose.append(line)
            return
        self.flush_loose()
        if self.paragraph and _continues(self.paragraph[-1], line, self.margins):
            self.paragraph.append(line)
            return
        self.flush_paragraph()
        self.paragraph = [line]

    def finish(self) -> list[SourceLine]:
        self.flush_paragraph()
        self.flush_loose()
        while self.out and not self.out[-1].text:
            self.out.pop()
        return self.out


def pages_to_lines(pages: list[PageLayout]) -> list[SourceLine]:
    """The report's lines (tables as tab rows, prose as paragraphs), each with its page and place."""
    pages = [turn_upright(without_doubles(page)) for page in pages]
    blocks, lines_by_page = _reading_order(pages)
    writer = _Writer(_text_margins(lines_by_page))
    for block in blocks:
        if isinstance(block, list):
            writer.table(block)
        else:
            writer.line(block)
    return writer.finish()


def pages_to_text(pages: list[PageLayout]) -> str:
    """The report text of laid-out pages (tables as tab rows, prose as paragraphs)."""
    return "\n".join(line.text for line in pages_to_lines(pages)) + "\n"
