"""Pages made ready for reading: turned upright, glyphs printed twice counted once,
running headers, footers and page numbers dropped; free text cut into lines
whose words are set apart by wide gaps (the rows of a table without rulings).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from gxaudit.read.pdf.model import MARGIN_ZONE, WIDE_GAP, Glyph, PageLayout, Rule, printable
from gxaudit.read.pdf.text import join_glyphs
from gxaudit.regex import on_use

_PAGE_NUMBER = on_use(
    r"^[\s\-—–－_·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－_·•]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    chunks: list[tuple[float, float, str]]  # (x0, x1, text) separated by wide gaps

    @property
    def text(self) -> str:
        return "".join(t for _, _, t in self.chunks)


def make_line(page: int, glyphs: list[Glyph]) -> Line:
    shown_glyphs = [g for g in glyphs if printable(g)]
    sizes = sorted(g.size for g in shown_glyphs) or [10.0]
    size = sizes[len(sizes) // 2]
    chunks: list[list[Glyph]] = []
    for g in glyphs:
        if g.text.isspace():
            if chunks:
                chunks[-1].append(g)
            continue
        if chunks:
            previous = next((p for p in reversed(chunks[-1]) if not p.text.isspace()), None)
            if previous is not None and g.x0 - previous.x1 > WIDE_GAP * size:
                chunks.append([g])
                continue
            chunks[-1].append(g)
        else:
            chunks.append([g])
    parts = []
    for chunk in chunks:
        shown = [g for g in chunk if not g.text.isspace()]
        parts.append((shown[0].x0, shown[-1].x1, join_glyphs(chunk).strip()))
    return Line(
        page,
        min(g.top for g in shown_glyphs),
        max(g.bottom for g in shown_glyphs),
        min(g.x0 for g in shown_glyphs),
        max(g.x1 for g in shown_glyphs),
        size,
        parts,
    )


def strip_margins(lines_by_page: dict[int, list[Line]], pages: list[PageLayout]) -> None:
    """Drop page numbers, running headers and footers (in place)."""
    height = {p.number: p.height for p in pages}

    def zone(line: Line) -> str | None:
        h = height[line.page]
        centre = (line.top + line.bottom) / 2
        if centre < h * MARGIN_ZONE:
            return "head"
        if centre > h * (1 - MARGIN_ZONE):
            return "foot"
        return None

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))

    seen: dict[tuple[str, str], set[int]] = {}
    for number, lines in lines_by_page.items():
        for line in lines:
            z = zone(line)
            if z:
                seen.setdefault((z, key(line)), set()).add(number)
    repeated_on = max(2, (len(pages) + 1) // 2)
    for number, lines in lines_by_page.items():
        kept = []
        for line in lines:
            z = zone(line)
            if z and (
                _PAGE_NUMBER.match(line.text.strip())
                or (len(pages) >= 2 and len(seen.get((z, key(line)), ())) >= repeated_on)
            ):
                continue
            kept.append(line)
        lines_by_page[number] = kept


def loose_table(lines: list[Line]) -> list[tuple[str, Line]]:
    """Rows of a table without rulings: columns from the x ranges of the words; each with its line."""
    bands: list[list[float]] = []
    for line in lines:
        for x0, x1, _ in line.chunks:
            bands.append([x0, x1])
    bands.sort()
    merged: list[list[float]] = []
    for x0, x1 in bands:
        if merged and x0 <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    starts = [a for a, _ in merged]
    out = []
    for line in lines:
        cells = [""] * len(merged)
        clash = False
        for x0, x1, text in line.chunks:
            centre = (x0 + x1) / 2
            i = bisect_right(starts, centre + 0.5) - 1
            column = i if i >= 0 and merged[i][0] - 0.5 <= centre <= merged[i][1] + 0.5 else None
            if column is None or cells[column]:
                clash = True
                break
            cells[column] = text
        out.append(("\t".join(t for _, _, t in line.chunks) if clash else "\t".join(cells), line))
    return out


def _printed_before(seen: dict[tuple[str, int, int], list[Glyph]], g: Glyph) -> bool:
    """The same character already printed at (almost) the same place."""
    bx, by, limit = int(g.x0 // 4), int(g.top // 4), 0.2 * g.size
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for o in seen.get((g.text, bx + dx, by + dy), ()):
                if abs(o.x0 - g.x0) < limit and abs(o.top - g.top) < limit:
                    return True
    return False


def without_doubles(page: PageLayout) -> PageLayout:
    """The page without glyphs printed twice at (almost) the same place
    (fake bold, shadows): each would otherwise be read twice."""
    kept: list[Glyph] = []
    seen: dict[tuple[str, int, int], list[Glyph]] = {}
    for g in page.glyphs:
        if g.text.isspace():
            kept.append(g)
            continue
        if _printed_before(seen, g):
            continue
        seen.setdefault((g.text, int(g.x0 // 4), int(g.top // 4)), []).append(g)
        kept.append(g)
    if len(kept) == len(page.glyphs):
        return page
    return PageLayout(page.number, page.width, page.height, kept, page.rules)


def turn_upright(page: PageLayout) -> PageLayout:
    """The page turned the way its text reads, as a person turns a sideways page.

    A landscape page, or a page whose /Rotate shows its text sideways or upside
    down, is turned so that most of its glyphs are upright."""
    counts = {0: 0, 1: 0, -1: 0, 2: 0}
    for g in page.glyphs:
        if printable(g):
            counts[g.vertical] = counts.get(g.vertical, 0) + 1
    way = max(counts, key=lambda k: (counts[k], k == 0))
    if way == 0 or counts[way] <= counts[0]:
        return page
    w, h = page.width, page.height
    if way == 1:  # reads top to bottom: turn counter-clockwise
        point, size = (lambda x, y: (y, w - x)), (h, w)
        after = {0: -1, 1: 0, -1: 2, 2: 1}
    elif way == -1:  # reads bottom to top: turn clockwise
        point, size = (lambda x, y: (h - y, x)), (h, w)
        after = {0: 1, -1: 0, 1: 2, 2: -1}
    else:  # upside down
        point, size = (lambda x, y: (w - x, h - y)), (w, h)
        after = {0: 2, 2: 0, 1: -1, -1: 1}

    def box(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        ax, ay = point(x0, top)
        bx, by = point(x1, bottom)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    turned = PageLayout(page.number, *size)
    for g in page.glyphs:
        vertical = after.get(g.vertical, 0)
        x0, top, x1, bottom = box(g.x0, g.top, g.x1, g.bottom)
        turned.glyphs.append(Glyph(g.text, x0, top, x1, bottom, g.size, vertical))
    for r in page.rules:
        turned.rules.append(Rule(*box(r.x0, r.top, r.x1, r.bottom)))
    return turned
