"""PDF reports: the text layer laid out again from the page geometry.

A PDF has no tables, only glyphs and strokes at positions. This adapter
rebuilds what a reader sees and writes it in the text shape the grammar reads
(one table row per line, tab-separated cells, a spanned position an empty
cell; prose as one paragraph per line):

* ruled tables: the stroked ruling lines (and thin filled bars) of a table
  give its column and row boundaries; a boundary missing between two grid
  cells makes them one spanned cell. Every glyph belongs to the cell its
  centre lies in, so a number is never split or merged across cells. The text
  of a cell is read line by line (a label printed one character per line,
  such as 三、本年度办理结果, becomes one label);
* a table that ends a page and one that starts the next page with the same
  outer edges are one table: their rows are joined and a label cut by the page
  break ("（四）无" / "法提供") is joined again;
* tables without rulings: lines whose words are separated by wide gaps
  become tab rows, their columns aligned on the x positions of the words;
* page headers, footers and page numbers (text in the top or bottom margin
  that is a page number or repeats on the pages) are dropped;
* prose lines wrapped by the layout are joined into paragraphs; a heading
  or a new paragraph starts where a line is indented or the line before it
  stops short of the right margin;
* a page shown sideways or upside down (/Rotate, landscape scans of text) is
  turned the way its text reads; glyphs printed twice (fake bold) count once.

What cannot be read raises InputError(name, reason), never a traceback: not a
PDF, a file cut short (no %%EOF at its end), a PDF PDFium cannot open
(damaged, password-protected), and a PDF without a text layer (a scan:
"no text layer (scanned PDF?)").

The glyphs and strokes are read with pypdfium2 (PDFium, BSD-3/Apache-2.0);
the layout code below only sees `PageLayout` objects, so another backend can
be measured against it (benchmarks/pdf_libraries.py).
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field

from gxaudit.errors import InputError

# A page with fewer printable characters than this has no usable text layer.
MIN_GLYPHS_PER_PAGE = 20
# Refuse documents longer than any annual report rather than run for minutes.
MAX_PAGES = 400

# Geometry tolerances, in PDF points (1/72 inch).
SNAP = 3.5  # two boundaries closer than this are one
TOUCH = 2.5  # a ruling reaching this close to another touches it
COVER = 0.6  # share of a cell edge a ruling must cover to separate two cells
EDGE_MATCH = 4.0  # outer edges of a table continued on the next page
THIN = 2.6  # a filled rectangle thinner than this is a ruling
MARGIN_ZONE = 0.085  # share of the page height where headers and footers live
WIDE_GAP = 1.6  # a gap wider than this many character sizes separates cells

_NUMBER = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?[%％]?$")
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－_·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－_·•]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
# The start of a label of its own (not the rest of a label cut by a page break).
_ENUMERATOR = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]"
    r"|\d+\s*[、.．)）]|第[一二三四五六七八九十\d])"
)


# ------------------------------------------------------------------ page model


@dataclass
class Glyph:
    """One character in top-down page coordinates (y grows downwards)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    vertical: int = 0  # 0 upright; 1 rotated, read top to bottom; -1 bottom to top; 2 upside down

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Rule:
    """A ruling segment, horizontal (top == bottom) or vertical (x0 == x1)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


# ------------------------------------------------------------------ pdfium backend

_PDFIUM_ERRORS = {
    1: "unknown error",
    2: "file not found or could not be opened",
    3: "not a PDF or corrupted",
    4: "encrypted PDF (password required)",
    5: "unsupported security scheme",
    6: "page not found or content error",
}


def _import_pdfium():
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError:  # pragma: no cover - packaging
        return None, None
    return pdfium, raw


def _matrix(raw, handle) -> tuple[float, ...]:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(handle, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying `inner` first, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


class _Space:
    """PDF user space to top-down display coordinates (crop box, /Rotate)."""

    def __init__(self, left: float, bottom: float, right: float, top: float, rotation: int):
        self.left, self.bottom = left, bottom
        self.w, self.h = right - left, top - bottom
        self.rotation = rotation % 360
        if self.rotation in (90, 270):
            self.width, self.height = self.h, self.w
        else:
            self.width, self.height = self.w, self.h

    def point(self, x: float, y: float) -> tuple[float, float]:
        x, y = x - self.left, y - self.bottom
        if self.rotation == 90:
            return y, x
        if self.rotation == 180:
            return self.w - x, y
        if self.rotation == 270:
            return self.h - y, self.w - x
        return x, self.h - y

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        ax, ay = self.point(x0, y0)
        bx, by = self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _pdfium_glyphs(raw, textpage, space: _Space) -> list[Glyph]:
    glyphs: list[Glyph] = []
    count = raw.FPDFText_CountChars(textpage)
    left, right = ctypes.c_double(), ctypes.c_double()
    bottom, top = ctypes.c_double(), ctypes.c_double()
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    index = 0
    while index < count:
        code = raw.FPDFText_GetUnicode(textpage, index)
        current = index
        index += 1
        if raw.FPDFText_IsGenerated(textpage, current) == 1:
            continue  # spaces and line breaks PDFium guessed
        if 0xD800 <= code < 0xDC00 and index < count:
            low = raw.FPDFText_GetUnicode(textpage, index)
            if 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                index += 1
        if code in (0, 0xFFFE, 0xFFFF) or code in (0x0A, 0x0D, 0x02) or 0xD800 <= code < 0xE000:
            continue  # controls, lone surrogates: not text
        text = chr(code)
        # the em size of the glyph: font size times the scale of its text matrix
        raw.FPDFText_GetMatrix(textpage, current, ctypes.byref(matrix))
        em = raw.FPDFText_GetFontSize(textpage, current) * math.sqrt(
            abs(matrix.a * matrix.d - matrix.b * matrix.c)
        )
        box = None
        if raw.FPDFText_GetLooseCharBox(textpage, current, ctypes.byref(rect)):
            box = (rect.left, rect.bottom, rect.right, rect.top)
            if em > 0 and max(box[2] - box[0], box[3] - box[1]) > 1.6 * em:
                box = None  # a box stretched by the layout: not the glyph
        if box is None and raw.FPDFText_GetCharBox(
            textpage,
            current,
            ctypes.byref(left),
            ctypes.byref(right),
            ctypes.byref(bottom),
            ctypes.byref(top),
        ):
            box = (left.value, bottom.value, right.value, top.value)
            if (
                em > 0
                and abs(matrix.b) < 1e-6
                and abs(matrix.c) < 1e-6
                and raw.FPDFText_GetCharOrigin(textpage, current, ctypes.byref(ox), ctypes.byref(oy))
            ):
                # upright: the ink box across, the em box from the baseline upwards
                box = (box[0], oy.value - 0.14 * em, box[2], oy.value + 0.86 * em)
        if box is None:
            continue
        x0, y0, x1, y1 = space.box(*box)
        angle = raw.FPDFText_GetCharAngle(textpage, current)
        turn = 0
        if angle is not None and angle >= 0:
            # the baseline's direction on the displayed page, counter-clockwise
            degrees = (math.degrees(angle) - space.rotation) % 360
            if 45 <= degrees < 135:
                turn = -1  # baseline points up: read bottom to top
            elif 135 <= degrees < 225:
                turn = 2  # upside down
            elif 225 <= degrees < 315:
                turn = 1
        size = (x1 - x0) if turn in (1, -1) else (y1 - y0)
        if size <= 0:
            size = max(x1 - x0, y1 - y0, 1.0)
        glyphs.append(Glyph(text, x0, y0, x1, y1, size, turn))
    return glyphs


def _path_rules(raw, handle, matrix, space: _Space, out: list[Rule]) -> None:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(handle, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return
    stroked, filled = bool(stroke.value), fill_mode.value != 0
    if not stroked and not filled:
        return  # a clipping path: invisible
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    # white on white, or transparent: not a visible line or fill
    if (
        stroked
        and raw.FPDFPageObj_GetStrokeColor(handle, *(ctypes.byref(v) for v in (r, g, b, a)))
        and (a.value == 0 or min(r.value, g.value, b.value) >= 235)
    ):
        stroked = False
    if (
        filled
        and raw.FPDFPageObj_GetFillColor(handle, *(ctypes.byref(v) for v in (r, g, b, a)))
        and (a.value == 0 or min(r.value, g.value, b.value) >= 235)
    ):
        filled = False
    if not stroked and not filled:
        return
    width = ctypes.c_float(1.0)
    raw.FPDFPageObj_GetStrokeWidth(handle, ctypes.byref(width))
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float, bool]]] = []  # points, "drawn to" flag
    for i in range(raw.FPDFPath_CountSegments(handle)):
        segment = raw.FPDFPath_GetPathSegment(handle, i)
        if not segment or not raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        kind = raw.FPDFPathSegment_GetType(segment)
        px, py = space.point(*_apply(matrix, x.value, y.value))
        if kind == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([(px, py, False)])
        else:
            subpaths[-1].append((px, py, kind == raw.FPDF_SEGMENT_LINETO))
        if raw.FPDFPathSegment_GetClose(segment) and len(subpaths[-1]) > 1:
            sx, sy, _ = subpaths[-1][0]
            subpaths[-1].append((sx, sy, True))
    for points in subpaths:
        if stroked:
            for (ax, ay, _), (bx, by, drawn) in zip(points, points[1:]):
                if not drawn:
                    continue
                if abs(ay - by) <= 1.0 and abs(ax - bx) >= 2:
                    yy = (ay + by) / 2
                    out.append(Rule(min(ax, bx), yy, max(ax, bx), yy))
                elif abs(ax - bx) <= 1.0 and abs(ay - by) >= 2:
                    xx = (ax + bx) / 2
                    out.append(Rule(xx, min(ay, by), xx, max(ay, by)))
        elif filled and len(points) >= 3:
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            w, h = max(xs) - min(xs), max(ys) - min(ys)
            if h <= THIN and w >= 2:  # a thin bar drawn as a filled rectangle
                yy = (max(ys) + min(ys)) / 2
                out.append(Rule(min(xs), yy, max(xs), yy))
            elif w <= THIN and h >= 2:
                xx = (max(xs) + min(xs)) / 2
                out.append(Rule(xx, min(ys), xx, max(ys)))


def _walk_objects(raw, count, get, matrix, space: _Space, out: list[Rule], depth: int = 0) -> None:
    for i in range(count):
        handle = get(i)
        if not handle:
            continue
        kind = raw.FPDFPageObj_GetType(handle)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            _path_rules(raw, handle, _compose(_matrix(raw, handle), matrix), space, out)
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            inner = _compose(_matrix(raw, handle), matrix)
            _walk_objects(
                raw,
                raw.FPDFFormObj_CountObjects(handle),
                lambda j, h=handle: raw.FPDFFormObj_GetObject(h, j),
                inner,
                space,
                out,
                depth + 1,
            )


def read_layout(data: bytes, name: str) -> list[PageLayout]:
    """Glyphs and rulings of every page, read with PDFium; InputError when unreadable."""
    pdfium, raw = _import_pdfium()
    if pdfium is None:  # pragma: no cover - packaging
        raise InputError(name, "PDF input needs the pypdfium2 package (pip install pypdfium2)")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = raw.FPDF_GetLastError()
        raise InputError(name, f"cannot open PDF: {_PDFIUM_ERRORS.get(code, str(exc))}") from None
    pages: list[PageLayout] = []
    try:
        total = len(document)
        if total == 0:
            raise InputError(name, "PDF has no pages")
        if total > MAX_PAGES:
            raise InputError(name, f"PDF has {total} pages; more than {MAX_PAGES} is not an annual report")
        for number in range(total):
            try:
                page = document[number]
            except pdfium.PdfiumError:
                raise InputError(name, f"page {number + 1} of the PDF cannot be read") from None
            try:
                space = _Space(*page.get_cropbox(), page.get_rotation())
                layout = PageLayout(number + 1, space.width, space.height)
                textpage = page.get_textpage()
                try:
                    layout.glyphs = _pdfium_glyphs(raw, textpage.raw, space)
                finally:
                    textpage.close()
                _walk_objects(
                    raw,
                    raw.FPDFPage_CountObjects(page.raw),
                    lambda j, h=page.raw: raw.FPDFPage_GetObject(h, j),
                    (1.0, 0.0, 0.0, 1.0, 0.0, 0.0),
                    space,
                    layout.rules,
                )
                pages.append(layout)
            except pdfium.PdfiumError as exc:
                raise InputError(name, f"page {number + 1} of the PDF cannot be read ({exc})") from None
            finally:
                page.close()
    finally:
        document.close()
    return pages


# ------------------------------------------------------------------ checks


def check_pdf_bytes(data: bytes, name: str) -> None:
    """Refuse what is not a whole PDF before handing it to a parser."""
    if not data:
        raise InputError(name, "empty file")
    if b"%PDF-" not in data[:1024]:
        raise InputError(name, "not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-4096:]:
        raise InputError(name, "truncated or damaged PDF: the file does not end with %%EOF")


def _printable(glyph: Glyph) -> bool:
    return not glyph.text.isspace() and glyph.text not in "\ufffd\u0000"


# ------------------------------------------------------------------ text of glyphs


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%.,:/@-_+#&")


def _join_glyphs(glyphs: list[Glyph]) -> str:
    """Glyphs of one line, left to right: a space only between Latin words/numbers."""
    out: list[str] = []
    prev: Glyph | None = None
    pending_space = False
    for g in glyphs:
        if g.text.isspace():
            pending_space = True
            continue
        if prev is not None and _is_ascii_word(prev.text[-1]) and _is_ascii_word(g.text[0]):
            gap = (
                (g.top - prev.bottom)
                if g.vertical == 1
                else (prev.top - g.bottom)
                if g.vertical == -1
                else (g.x0 - prev.x1)
            )
            if pending_space or gap > 0.18 * max(g.size, prev.size):
                out.append(" ")
        out.append(g.text)
        prev = g
        pending_space = False
    return "".join(out)


def _join_lines(parts: list[str]) -> str:
    """Lines of one cell or paragraph: no separator in Chinese text."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if (
            text
            and _is_ascii_word(text[-1])
            and part[0].isascii()
            and part[0].isalnum()
            and not (text[-1].isdigit() and part[0].isdigit())
            and text[-1] not in "-/@"
        ):
            text += " "  # Latin words across a line break
        text += part
    return text


def _join_lines_spaced(parts: list[str]) -> str:
    """Words of one line set apart by wide gaps: a space only between Latin words."""
    text = ""
    for part in parts:
        if text and _is_ascii_word(text[-1]) and _is_ascii_word(part[0]):
            text += " "
        text += part
    return text


def _line_clusters(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into text lines, top to bottom, each left to right.

    Rotated glyphs (a label printed sideways) form columns read along the
    rotation; each such column counts as a line."""
    upright = [g for g in glyphs if g.vertical not in (1, -1)]
    turned = [g for g in glyphs if g.vertical in (1, -1)]
    lines: list[list[Glyph]] = []
    for g in sorted(upright, key=lambda g: (g.cy, g.x0)):
        if lines:
            last = lines[-1]
            ref = last[0]
            if abs(g.cy - ref.cy) <= 0.45 * max(ref.size, g.size) or (
                g.top < ref.bottom - 0.6 * min(ref.size, g.size) and g.bottom > ref.top
            ):
                last.append(g)
                continue
        lines.append([g])
    for line in lines:
        line.sort(key=lambda g: g.x0)
    if turned:
        columns: list[list[Glyph]] = []
        for g in sorted(turned, key=lambda g: (g.cx, g.top)):
            if columns and abs(g.cx - columns[-1][0].cx) <= 0.45 * max(g.size, columns[-1][0].size):
                columns[-1].append(g)
            else:
                columns.append([g])
        for column in columns:
            column.sort(key=lambda g: g.top, reverse=column[0].vertical < 0)
        # read sideways columns left to right (or right to left for bottom-to-top text)
        columns.sort(key=lambda c: c[0].cx, reverse=columns[0][0].vertical > 0)
        lines.extend(columns)
    return lines


# ------------------------------------------------------------------ rulings to tables


def _cluster(values: list[float], tolerance: float) -> list[float]:
    """Sorted representative positions: values closer than `tolerance` are one."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def _merge_rules(rules: list[Rule]) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical rulings, collinear pieces joined."""
    horizontal = sorted((r for r in rules if r.horizontal), key=lambda r: (r.top, r.x0))
    vertical = sorted((r for r in rules if not r.horizontal), key=lambda r: (r.x0, r.top))

    def merge(items: list[Rule], along_h: bool) -> list[Rule]:
        merged: list[Rule] = []
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
            merged.append(Rule(start, pos, end, pos) if along_h else Rule(pos, start, pos, end))
            merged.sort(key=(lambda r: (r.top, r.x0)) if along_h else (lambda r: (r.x0, r.top)))
        return merged

    return merge(horizontal, True), merge(vertical, False)


@dataclass
class _Cell:
    text: str = ""
    numeric: bool = False


@dataclass
class _TablePart:
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
    rows: list[list[_Cell]] = field(default_factory=list)


def _table_parts(page: PageLayout) -> list[_TablePart]:
    """Connected groups of rulings that form a grid of at least two cells."""
    horizontal, vertical = _merge_rules(page.rules)
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
        xs = _cluster([r.x0 for r in vs] + [x0, x1], SNAP)
        parts.append(_TablePart(page.number, x0, top, x1, bottom, hs, vs, xs))
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


def _build_rows(part: _TablePart, xs: list[float]) -> None:
    """Fill part.rows: one list of cells per grid row, spans sharing one _Cell."""
    ys = _cluster([r.top for r in part.horizontal] + [part.top, part.bottom], SNAP)
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

    for r in range(nrows):
        for c in range(ncols):
            if c + 1 < ncols and not _covered(part.vertical, xs[c + 1], ys[r], ys[r + 1], False):
                parent[find(ids[r][c + 1])] = find(ids[r][c])
            if r + 1 < nrows and not _covered(part.horizontal, ys[r + 1], xs[c], xs[c + 1], True):
                parent[find(ids[r + 1][c])] = find(ids[r][c])
    members: dict[int, list[Glyph]] = {}
    for g in part.glyphs:
        r = _index(ys, g.cy)
        c = _index(xs, g.cx)
        members.setdefault(find(ids[r][c]), []).append(g)
    cells: dict[int, _Cell] = {}
    part.rows = []
    for r in range(nrows):
        row = []
        for c in range(ncols):
            root = find(ids[r][c])
            cell = cells.get(root)
            if cell is None:
                text = _join_lines([_join_glyphs(line) for line in _line_clusters(members.get(root, []))])
                cell = cells[root] = _Cell(text, bool(_NUMBER.match(text.replace(" ", ""))))
            row.append(cell)
        part.rows.append(row)


def _index(bounds: list[float], value: float) -> int:
    """The interval of sorted `bounds` holding value (clamped to the ends)."""
    for i in range(1, len(bounds) - 1):
        if value < bounds[i]:
            return i - 1
    return len(bounds) - 2


def _render_rows(rows: list[list[_Cell]]) -> list[str]:
    """Tab rows: a spanned cell's text at its first position, empty elsewhere."""
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
            out.append("\t".join(t.replace("\t", " ") for t in texts))
    return out


def _row_texts(row: list[_Cell]) -> list[str]:
    return [c.text for c in row]


def _shape(row: list[_Cell]) -> list[bool]:
    """Which positions of a row continue the cell on their left (a column span)."""
    return [i > 0 and row[i] is row[i - 1] for i in range(len(row))]


def _join_continuation(first: list[list[_Cell]], rest: list[list[_Cell]]) -> list[list[_Cell]]:
    """Rows of a table continued on the next page, after the page break is repaired.

    A header row repeated on the new page is dropped; a row whose label was cut
    by the page break (no value, no enumerator of its own) is joined to the row
    above; a group label cut by the break ("（四）无" / "法提供") is joined."""
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
    rest = rest[k:]
    if not rest or not first:
        return first + rest
    last, nxt = first[-1], rest[0]
    if len(last) != len(nxt):
        return first + rest
    texts = [c for c in nxt if c.text]
    if (
        texts
        and _shape(last) == _shape(nxt)
        and not any(c.numeric for c in texts)
        and not any(_ENUMERATOR.match(c.text) for c in texts)
        and not any(cell.text and last[c].numeric for c, cell in enumerate(nxt))
    ):
        # the rest of the previous row: join cell by cell
        for c, cell in enumerate(nxt):
            if cell.text and last[c] is not cell:
                last[c].text = _join_lines([last[c].text, cell.text])
                cell.text = ""
        return first + rest
    numeric_from = next((c for c, cell in enumerate(nxt) if cell.numeric), None)
    if numeric_from is None:
        return first + rest  # not a data row: nothing cut
    for c in range(numeric_from):
        below, above = nxt[c], last[c]
        if not below.text or not above.text or above.numeric or below.numeric:
            continue
        if last[c + 1] is above or nxt[c + 1] is below:
            continue  # spans across: not a group column
        if _ENUMERATOR.match(below.text):
            continue
        # only a group label (a label column with another label to its right)
        if not any(nxt[k].text and not nxt[k].numeric for k in range(c + 1, numeric_from)):
            continue
        above.text = _join_lines([above.text, below.text])
        below.text = ""
        # the joined cell continues downwards: share it with the rows it spans
        for row in rest:
            if row[c] is below:
                row[c] = above
    return first + rest


# ------------------------------------------------------------------ page blocks


@dataclass
class _Line:
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


def _make_line(page: int, glyphs: list[Glyph]) -> _Line:
    printable = [g for g in glyphs if _printable(g)]
    sizes = sorted(g.size for g in printable) or [10.0]
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
        parts.append((shown[0].x0, shown[-1].x1, _join_glyphs(chunk).strip()))
    return _Line(
        page,
        min(g.top for g in printable),
        max(g.bottom for g in printable),
        min(g.x0 for g in printable),
        max(g.x1 for g in printable),
        size,
        parts,
    )


def _strip_margins(lines_by_page: dict[int, list[_Line]], pages: list[PageLayout]) -> None:
    """Drop page numbers, running headers and footers (in place)."""
    height = {p.number: p.height for p in pages}

    def zone(line: _Line) -> str | None:
        h = height[line.page]
        centre = (line.top + line.bottom) / 2
        if centre < h * MARGIN_ZONE:
            return "head"
        if centre > h * (1 - MARGIN_ZONE):
            return "foot"
        return None

    def key(line: _Line) -> str:
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


def _loose_table(lines: list[_Line]) -> list[str]:
    """Rows of a table without rulings: columns from the x ranges of the words."""
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
    out = []
    for line in lines:
        cells = [""] * len(merged)
        clash = False
        for x0, x1, text in line.chunks:
            centre = (x0 + x1) / 2
            column = next((i for i, (a, b) in enumerate(merged) if a - 0.5 <= centre <= b + 0.5), None)
            if column is None or cells[column]:
                clash = True
                break
            cells[column] = text
        out.append("\t".join(t for _, _, t in line.chunks) if clash else "\t".join(cells))
    return out


def _without_doubles(page: PageLayout) -> PageLayout:
    """The page without glyphs printed twice at (almost) the same place
    (fake bold, shadows): each would otherwise be read twice."""
    kept: list[Glyph] = []
    seen: dict[tuple[str, int, int], list[Glyph]] = {}
    for g in page.glyphs:
        if g.text.isspace():
            kept.append(g)
            continue
        cell = (g.text, int(g.x0 // 4), int(g.top // 4))
        near = [
            o
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for o in seen.get((g.text, cell[1] + dx, cell[2] + dy), ())
        ]
        if any(abs(o.x0 - g.x0) < 0.2 * g.size and abs(o.top - g.top) < 0.2 * g.size for o in near):
            continue
        seen.setdefault(cell, []).append(g)
        kept.append(g)
    if len(kept) == len(page.glyphs):
        return page
    return PageLayout(page.number, page.width, page.height, kept, page.rules)


def _turn_upright(page: PageLayout) -> PageLayout:
    """The page turned the way its text reads, as a person turns a sideways page.

    A landscape page, or a page whose /Rotate shows its text sideways or upside
    down, is turned so that most of its glyphs are upright."""
    counts = {0: 0, 1: 0, -1: 0, 2: 0}
    for g in page.glyphs:
        if _printable(g):
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


def pages_to_text(pages: list[PageLayout]) -> str:
    """The report text of laid-out pages (tables as tab rows, prose as paragraphs)."""
    pages = [_turn_upright(_without_doubles(page)) for page in pages]
    blocks: list[tuple[int, float, object]] = []  # (page, top, _Line | _TablePart)
    lines_by_page: dict[int, list[_Line]] = {}
    for page in pages:
        parts = _table_parts(page)
        free: list[Glyph] = []
        for g in page.glyphs:
            if not _printable(g) and not g.text.isspace():
                continue
            host = next(
                (p for p in parts if p.x0 - 1 <= g.cx <= p.x1 + 1 and p.top - 1 <= g.cy <= p.bottom + 1), None
            )
            if host is not None:
                host.glyphs.append(g)
            else:
                free.append(g)
        lines = [
            _make_line(page.number, line) for line in _line_clusters(free) if any(_printable(g) for g in line)
        ]
        lines_by_page[page.number] = lines
        for part in parts:
            _build_rows(part, part.xs)
            if (
                any(any(c.text for c in row) for row in part.rows)
                and len({id(c) for row in part.rows for c in row}) >= 2
            ):
                blocks.append((page.number, part.top, part))
            else:  # a frame around text: prose
                lines_by_page[page.number] += [
                    _make_line(page.number, line)
                    for line in _line_clusters(part.glyphs)
                    if any(_printable(g) for g in line)
                ]
    _strip_margins(lines_by_page, pages)
    for number, lines in lines_by_page.items():
        blocks.extend((number, line.top, line) for line in lines)
    blocks.sort(key=lambda b: (b[0], b[1]))

    # tables continued from one page to the next
    merged: list[object] = []
    for index, (number, _top, block) in enumerate(blocks):
        if isinstance(block, _TablePart) and merged and isinstance(merged[-1], list):
            previous: list[_TablePart] = merged[-1]
            tail = previous[-1]
            is_first = index == 0 or blocks[index - 1][0] != number
            if (
                is_first
                and tail.page == number - 1
                and abs(tail.x0 - block.x0) <= EDGE_MATCH
                and abs(tail.x1 - block.x1) <= EDGE_MATCH
            ):
                previous.append(block)
                continue
        merged.append([block] if isinstance(block, _TablePart) else block)

    # left and right text margins per page, for joining wrapped prose lines
    margins: dict[int, tuple[float, float]] = {}
    for number, lines in lines_by_page.items():
        wide = [ln for ln in lines if len(ln.chunks) == 1]
        if not wide:
            continue
        widest = max(ln.x1 - ln.x0 for ln in wide)
        body = [ln for ln in wide if ln.x1 - ln.x0 >= 0.6 * widest] or wide
        margins[number] = (min(ln.x0 for ln in body), max(ln.x1 for ln in body))

    out: list[str] = []
    paragraph: list[str] = []
    last_line: _Line | None = None

    def flush() -> None:
        nonlocal paragraph, last_line
        if paragraph:
            out.append(_join_lines(paragraph))
        paragraph, last_line = [], None

    pending_loose: list[_Line] = []

    def flush_loose() -> None:
        nonlocal pending_loose
        if len(pending_loose) == 1 and not any(
            _NUMBER.match(t.replace(" ", "")) for _, _, t in pending_loose[0].chunks
        ):
            # one spaced-out line (a signature, a distributed heading): prose
            out.append(_join_lines_spaced([t for _, _, t in pending_loose[0].chunks]))
        elif pending_loose:
            out.extend(_loose_table(pending_loose))
        pending_loose = []

    for block in merged:
        if isinstance(block, list):
            flush()
            flush_loose()
            out.append("")
            out.extend(_render_table(block))
            out.append("")
            continue
        line: _Line = block
        if len(line.chunks) > 1:
            flush()
            pending_loose.append(line)
            continue
        flush_loose()
        if last_line is not None and _continues(last_line, line, margins):
            paragraph.append(line.text)
            last_line = line
            continue
        flush()
        paragraph, last_line = [line.text], line
    flush()
    flush_loose()
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n"


def _continues(previous: _Line, line: _Line, margins: dict[int, tuple[float, float]]) -> bool:
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


def _render_table(parts: list[_TablePart]) -> list[str]:
    xs = _cluster([x for p in parts for x in p.xs], SNAP) if len(parts) > 1 else parts[0].xs
    rows: list[list[_Cell]] = []
    for index, part in enumerate(parts):
        _build_rows(part, xs)
        rows = part.rows if index == 0 else _join_continuation(rows, part.rows)
    return _render_rows(rows)


# ------------------------------------------------------------------ entry point


def pdf_to_text(data: bytes, name: str) -> str:
    """The report text of a PDF with a text layer; InputError for anything else."""
    check_pdf_bytes(data, name)
    try:
        pages = read_layout(data, name)
        if all(sum(1 for g in p.glyphs if _printable(g)) < MIN_GLYPHS_PER_PAGE for p in pages):
            raise InputError(name, "no text layer (scanned PDF?)")
        return pages_to_text(pages)
    except InputError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise InputError(name, f"PDF too complex to lay out ({type(exc).__name__})") from None
    except Exception as exc:
        raise InputError(name, f"PDF could not be laid out ({type(exc).__name__}: {exc})") from None


def read_pdf(data: bytes, name: str):
    """Temporary: the text without origins."""
    from gxaudit.read.source import SourceText

    return SourceText.plain(pdf_to_text(data, name), "pdf", "pdf")
