"""Glyphs and rulings of every page, read with PDFium (pypdfium2, BSD-3/Apache-2.0).

What cannot be read raises InputError(name, reason): not a PDF, a file cut
short (no %%EOF at its end), a PDF PDFium cannot open (damaged,
password-protected), more pages than an annual report has.
"""

from __future__ import annotations

import ctypes
import math

from gxaudit.errors import InputError
from gxaudit.read.pdf.model import THIN, Glyph, PageLayout, Rule

# Refuse documents longer than any annual report (a few to a few dozen pages) before
# laying out a page: reading costs about 30 ms of CPU per page.
MAX_PAGES = 200
# A dense page holds about 3,000 characters; a report a few tens of thousands.
MAX_CHARACTERS = 600_000
# Page objects looked at for ruling lines; a page with more is a drawing, whose lines
# are not a table's (tables.MAX_RULES_PER_PAGE stops well before).
MAX_OBJECTS_PER_PAGE = 20_000


_PDFIUM_ERRORS = {
    1: "未知错误",
    2: "文件不存在或无法打开",
    3: "不是 PDF 或文件已损坏",
    4: "PDF 已加密（需要密码）",
    5: "不支持的加密方式",
    6: "页面不存在或内容有误",
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


def _visible(raw, handle) -> tuple[bool, bool]:
    """(stroked, filled) as the page shows the path: white on white or transparent is not."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(handle, ctypes.byref(fill_mode), ctypes.byref(stroke)):
        return False, False
    stroked, filled = bool(stroke.value), fill_mode.value != 0  # neither: a clipping path
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    channels = [ctypes.byref(v) for v in (r, g, b, a)]

    def shows() -> bool:
        return a.value != 0 and min(r.value, g.value, b.value) < 235

    if stroked and raw.FPDFPageObj_GetStrokeColor(handle, *channels) and not shows():
        stroked = False
    if filled and raw.FPDFPageObj_GetFillColor(handle, *channels) and not shows():
        filled = False
    return stroked, filled


def _subpaths(raw, handle, matrix, space: _Space) -> list[list[tuple[float, float, bool]]]:
    """The path's points on the page, per subpath: (x, y, drawn to from the point before)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float, bool]]] = []
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
    return subpaths


def _stroked_rules(points: list[tuple[float, float, bool]], out: list[Rule]) -> None:
    """Straight horizontal and vertical strokes of a subpath."""
    for (ax, ay, _), (bx, by, drawn) in zip(points, points[1:]):
        if not drawn:
            continue
        if abs(ay - by) <= 1.0 and abs(ax - bx) >= 2:
            yy = (ay + by) / 2
            out.append(Rule(min(ax, bx), yy, max(ax, bx), yy))
        elif abs(ax - bx) <= 1.0 and abs(ay - by) >= 2:
            xx = (ax + bx) / 2
            out.append(Rule(xx, min(ay, by), xx, max(ay, by)))


def _filled_rule(points: list[tuple[float, float, bool]], out: list[Rule]) -> None:
    """A thin bar drawn as a filled rectangle is a ruling."""
    if len(points) < 3:
        return
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    if h <= THIN and w >= 2:
        yy = (max(ys) + min(ys)) / 2
        out.append(Rule(min(xs), yy, max(xs), yy))
    elif w <= THIN and h >= 2:
        xx = (max(xs) + min(xs)) / 2
        out.append(Rule(xx, min(ys), xx, max(ys)))


def _path_rules(raw, handle, matrix, space: _Space, out: list[Rule]) -> None:
    """The ruling lines a path draws: its straight strokes, or a thin filled bar."""
    stroked, filled = _visible(raw, handle)
    if not stroked and not filled:
        return
    for points in _subpaths(raw, handle, matrix, space):
        if stroked:
            _stroked_rules(points, out)
        elif filled:
            _filled_rule(points, out)


def _walk_objects(
    raw, count, get, matrix, space: _Space, out: list[Rule], budget: list[int], depth: int = 0
) -> None:
    """Ruling lines of the page objects (into forms, 8 levels deep), at most budget[0] objects."""
    for i in range(count):
        budget[0] -= 1
        if budget[0] < 0:
            return
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
                budget,
                depth + 1,
            )


def read_layout(data: bytes, name: str) -> list[PageLayout]:
    """Glyphs and rulings of every page, read with PDFium; InputError when unreadable."""
    pdfium, raw = _import_pdfium()
    if pdfium is None:  # pragma: no cover - packaging
        raise InputError(name, "读取 PDF 需要 pypdfium2 包（pip install pypdfium2）")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = raw.FPDF_GetLastError()
        raise InputError(name, f"无法打开 PDF：{_PDFIUM_ERRORS.get(code, str(exc))}") from None
    pages: list[PageLayout] = []
    characters = 0
    try:
        total = len(document)
        if total == 0:
            raise InputError(name, "PDF 没有页面")
        if total > MAX_PAGES:
            raise InputError(name, f"PDF 有 {total} 页，超过 {MAX_PAGES} 页，不是一份年度报告")
        for number in range(total):
            try:
                page = document[number]
            except pdfium.PdfiumError:
                raise InputError(name, f"PDF 第 {number + 1} 页无法读取") from None
            try:
                left, bottom, right, top = page.get_cropbox()
                space = _Space(left, bottom, right, top, page.get_rotation())
                layout = PageLayout(number + 1, space.width, space.height)
                textpage = page.get_textpage()
                try:
                    characters += raw.FPDFText_CountChars(textpage.raw)
                    if characters > MAX_CHARACTERS:
                        raise InputError(
                            name,
                            f"PDF 的文字超过 {MAX_CHARACTERS} 个字符（到第 {number + 1} 页），不是一份年度报告",
                        )
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
                    [MAX_OBJECTS_PER_PAGE],
                )
                pages.append(layout)
            except pdfium.PdfiumError as exc:
                raise InputError(name, f"PDF 第 {number + 1} 页无法读取（{exc}）") from None
            finally:
                page.close()
    finally:
        document.close()
    return pages


def check_pdf_bytes(data: bytes, name: str) -> None:
    """Refuse what is not a whole PDF before handing it to a parser."""
    if not data:
        raise InputError(name, "文件为空")
    if b"%PDF-" not in data[:1024]:
        raise InputError(name, "不是 PDF 文件（没有 %PDF- 文件头）")
    if b"%%EOF" not in data[-4096:]:
        raise InputError(name, "PDF 文件不完整或已损坏：文件末尾没有 %%EOF")
