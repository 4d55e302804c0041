"""Ruled tables: the stroked ruling lines of a page give a table's grid.

A boundary missing between two grid cells makes them one spanned cell. Every
glyph belongs to the cell its centre lies in, so a number is never split or
merged across cells. The text of a cell is read line by line (a label printed
one character per line, such as 三、本年度办理结果, becomes one label). A table
that ends a page and one that starts the next page with the same outer edges
are one table: their rows are joined and a label cut by the page break
("（四）无" / "法提供") is joined again.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from dataclasses import dataclass, field

from gxaudit.read.pdf.model import COVER, EDGE_MATCH, SNAP, TOUCH, Glyph, PageLayout, Rule
from gxaudit.read.pdf.text import join_glyphs, join_lines, line_clusters
from gxaudit.regex import on_use

# A table of a report has a few hundred ruling segments; a page with more is a drawing.
MAX_RULES_PER_PAGE = 2000

NUMBER = on_use(r"^[+\-]?\d[\d,]*(?:\.\d+)?[%％]?$")
# The start of a label of its own (not the rest of a label cut by a page break).
_ENUMERATOR = on_use(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]"
    r"|\d+\s*[、.．)）]|第[一二三四五六七八九十\d])"
)


def cluster(values: list[float], tolerance: float) -> list[float]:
    """Sorted representative positions: values closer than `tolerance` are one."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def merge_rules(rules: list[Rule]) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical rulings, collinear pieces joined."""
    horizontal = sorted((r for r in rules if r.horizontal), key=lambda r: (r.top, r.x0))
    vertical = sorted((r for r in rules if not r.horizontal), key=lambda r: (r.x0, r.top))

    def merge(items: list[Rule], along_h: bool) -> list[Rule]:
        merged: list[Rule] = []
        order = (lambda r: (r.top, r.x0)) if along_h else (lambda r: (r.x0, r.top))
        for rule in items:
            pos = rule.top if along_h else rule.x0
            start, end = (rule.x0, rule.x1) if along_h else (rule.top, rule.bottom)
            for other in reversed(merged[-12:]):
                opos = other.top if along_h else other.x0
                ostart, oend = (other.x0, other.x1) if along_h else (other.top, other.bottom)
                if abs(opos - pos) <= 1.2 and start <= oend + TOUCH and end >= ostart - TOUCH:
                    start, end = min(start, ostart), max(end, oend)
                    merged.remove(other)
                    pos = (pos + opos) / 2
            insort(merged, Rule(start, pos, end, pos) if along_h else Rule(pos, start, pos, end), key=order)
        return merged

    return merge(horizontal, True), merge(vertical, False)


@dataclass
class _Cell:
    text: str = ""
    numeric: bool = False


@dataclass
class TablePart:
    """One page's piece of a ruled table."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    horizontal: list[Rule]
    vertical: list[Rule]
    xs: list[float]
    glyphs: list[Glyph] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def table_parts(page: PageLayout) -> list[TablePart]:
    """Connected groups of rulings that form a grid of at least two cells.

    A page with more ruling segments than any table has is a drawing (a chart, a
    scanned form traced in vectors): its text is read as text, without tables."""
    if len(page.rules) > MAX_RULES_PER_PAGE:
        return []
    horizontal, vertical = merge_rules(page.rules)
    rules = horizontal + vertical
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    nh = len(horizontal)
    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical, start=nh):
            if h.x0 - TOUCH <= v.x0 <= h.x1 + TOUCH and v.top - TOUCH <= h.top <= v.bottom + TOUCH:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(rules)):
        groups.setdefault(find(i), []).append(i)
    parts = []
    for members in groups.values():
        hs = [rules[i] for i in members if i < nh]
        vs = [rules[i] for i in members if i >= nh]
        if len(hs) < 2 or len(vs) < 2:
            continue
        x0 = min(min(r.x0 for r in hs), min(r.x0 for r in vs))
        x1 = max(max(r.x1 for r in hs), max(r.x1 for r in vs))
        top = min(min(r.top for r in vs), min(r.top for r in hs))
        bottom = max(max(r.bottom for r in vs), max(r.bottom for r in hs))
        if x1 - x0 < 20 or bottom - top < 8:
            continue
        xs = cluster([r.x0 for r in vs] + [x0, x1], SNAP)
        parts.append(TablePart(page.number, x0, top, x1, bottom, hs, vs, xs))
    parts.sort(key=lambda p: p.top)
    return parts


def _covered(rules: list[Rule], fixed: float, start: float, end: float, along_h: bool) -> bool:
    """Whether rulings at `fixed` cover most of the edge start..end."""
    length = end - start
    if length <= 0:
        return True
    spans = []
    for r in rules:
        pos = r.top if along_h else r.x0
        if abs(pos - fixed) > SNAP:
            continue
        a, b = (r.x0, r.x1) if along_h else (r.top, r.bottom)
        a, b = max(a, start), min(b, end)
        if b > a:
            spans.append((a, b))
    total, reach = 0.0, start
    for a, b in sorted(spans):
        if b <= reach:
            continue
        total += b - max(a, reach)
        reach = b
    return total >= COVER * length


def build_rows(part: TablePart, xs: list[float]) -> None:
    """Fill part.rows: one list of cells per grid row, spans sharing one _Cell."""
    ys = cluster([r.top for r in part.horizontal] + [part.top, part.bottom], SNAP)
    ys = [y for y in ys if part.top - SNAP <= y <= part.bottom + SNAP]
    xs = [x for x in xs if part.x0 - EDGE_MATCH <= x <= part.x1 + EDGE_MATCH] or [part.x0, part.x1]
    nrows, ncols = len(ys) - 1, len(xs) - 1
    if nrows < 1 or ncols < 1:
        part.rows = []
        return
    ids = [[r * ncols + c for c in range(ncols)] for r in range(nrows)]
    parent = list(range(nrows * ncols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # the rulings along each inner boundary, looked up once per boundary (not once per cell)
    at_x = [[v for v in part.vertical if abs(v.x0 - x) <= SNAP] for x in xs]
    at_y = [[h for h in part.horizontal if abs(h.top - y) <= SNAP] for y in ys]
    for r in range(nrows):
        for c in range(ncols):
            if c + 1 < ncols and not _covered(at_x[c + 1], xs[c + 1], ys[r], ys[r + 1], False):
                parent[find(ids[r][c + 1])] = find(ids[r][c])
            if r + 1 < nrows and not _covered(at_y[r + 1], ys[r + 1], xs[c], xs[c + 1], True):
                parent[find(ids[r + 1][c])] = find(ids[r][c])
    members: dict[int, list[Glyph]] = {}
    for g in part.glyphs:
        r = _index(ys, g.cy)
        c = _index(xs, g.cx)
        members.setdefault(find(ids[r][c]), []).append(g)
    cells: dict[int, _Cell] = {}
    part.rows = []
    for r in range(nrows):
        row = Row([], part.page, ys[r], xs[0])
        for c in range(ncols):
            root = find(ids[r][c])
            cell = cells.get(root)
            if cell is None:
                text = join_lines([join_glyphs(line) for line in line_clusters(members.get(root, []))])
                cell = cells[root] = _Cell(text, bool(NUMBER.match(text.replace(" ", ""))))
            row.append(cell)
        part.rows.append(row)


def _index(bounds: list[float], value: float) -> int:
    """The interval of sorted `bounds` holding value (clamped to the ends)."""
    return min(max(bisect_right(bounds, value, 1, len(bounds) - 1) - 1, 0), len(bounds) - 2)


class Row(list):
    """A table row's cells (a spanned cell is one object at several positions), with where
    the row is: its page and the top of its band."""

    __slots__ = ("page", "top", "x0")

    def __init__(self, cells, page: int, top: float, x0: float):
        super().__init__(cells)
        self.page, self.top, self.x0 = page, top, x0


def _render_rows(rows: list[Row]) -> list[tuple[str, Row]]:
    """Tab rows: a spanned cell's text at its first position, empty elsewhere; with their row."""
    seen: set[int] = set()
    out = []
    for row in rows:
        texts = []
        for cell in row:
            if id(cell) in seen:
                texts.append("")
            else:
                seen.add(id(cell))
                texts.append(cell.text)
        if any(texts):
            out.append(("\t".join(t.replace("\t", " ") for t in texts), row))
    return out


def render_table(parts: list[TablePart]) -> list[tuple[str, Row]]:
    """The rows of a table over one or more pages, each with the row it was read from."""
    if len(parts) == 1:
        return _render_rows(parts[0].rows)  # laid out on its own columns already
    xs = cluster([x for p in parts for x in p.xs], SNAP)
    rows: list[Row] = []
    for index, part in enumerate(parts):
        build_rows(part, xs)
        rows = part.rows if index == 0 else _join_continuation(rows, part.rows)
    return _render_rows(rows)


def _row_texts(row: list[_Cell]) -> list[str]:
    return [c.text for c in row]


def _shape(row: list[_Cell]) -> list[bool]:
    """Which positions of a row continue the cell on their left (a column span)."""
    return [i > 0 and row[i] is row[i - 1] for i in range(len(row))]


def _without_repeated_header(first: list[Row], rest: list[Row]) -> list[Row]:
    """The new page's rows without the header rows it prints again (same texts, no number)."""
    rest = [row for row in rest if any(c.text for c in row)]
    head = [row for row in first if any(c.text for c in row)]
    k = 0
    while (
        k < len(rest)
        and k < len(head)
        and _row_texts(rest[k]) == _row_texts(head[k])
        and not any(c.numeric for c in rest[k])
    ):
        k += 1
    return rest[k:]


def _join_cut_row(last: Row, nxt: Row) -> bool:
    """A row whose label the page break cut (no value, no enumerator of its own, the same
    shape): joined cell by cell to the row above. True when joined."""
    texts = [c for c in nxt if c.text]
    if (
        not texts
        or _shape(last) != _shape(nxt)
        or any(c.numeric for c in texts)
        or any(_ENUMERATOR.match(c.text) for c in texts)
        or any(cell.text and last[c].numeric for c, cell in enumerate(nxt))
    ):
        return False
    for c, cell in enumerate(nxt):
        if cell.text and last[c] is not cell:
            last[c].text = join_lines([last[c].text, cell.text])
            cell.text = ""
    return True


def _is_cut_group_label(last: Row, nxt: Row, c: int, numeric_from: int) -> bool:
    """Column c of the first data row after the break holds the rest of a group label cut by
    it ("（四）无" / "法提供"): text under text, no span across, no enumerator of its own, and
    another label to its right (a label column, not the row's own label)."""
    below, above = nxt[c], last[c]
    if not below.text or not above.text or above.numeric or below.numeric:
        return False
    if last[c + 1] is above or nxt[c + 1] is below or _ENUMERATOR.match(below.text):
        return False
    return any(nxt[k].text and not nxt[k].numeric for k in range(c + 1, numeric_from))


def _join_continuation(first: list[Row], rest: list[Row]) -> list[Row]:
    """Rows of a table continued on the next page, after the page break is repaired.

    A header row repeated on the new page is dropped; a row whose label was cut
    by the page break (no value, no enumerator of its own) is joined to the row
    above; a group label cut by the break ("（四）无" / "法提供") is joined."""
    rest = _without_repeated_header(first, rest)
    if not rest or not first or len(first[-1]) != len(rest[0]):
        return first + rest
    last, nxt = first[-1], rest[0]
    if _join_cut_row(last, nxt):
        return first + rest
    numeric_from = next((c for c, cell in enumerate(nxt) if cell.numeric), None)
    if numeric_from is None:
        return first + rest  # not a data row: nothing cut
    for c in range(numeric_from):
        if not _is_cut_group_label(last, nxt, c, numeric_from):
            continue
        above, below = last[c], nxt[c]
        above.text = join_lines([above.text, below.text])
        below.text = ""
        # the joined cell continues downwards: share it with the rows it spans
        for row in rest:
            if row[c] is below:
                row[c] = above
    return first + rest
