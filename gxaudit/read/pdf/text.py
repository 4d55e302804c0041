"""Glyphs to text: lines of glyphs, the text of a line, the text of a cell or paragraph.

Chinese is written without spaces; a space is kept only between Latin words
and numbers, where the gap between glyphs says there is one.
"""

from __future__ import annotations

from gxaudit.read.pdf.model import Glyph


def is_ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%.,:/@-_+#&")


def join_glyphs(glyphs: list[Glyph]) -> str:
    """Glyphs of one line, left to right: a space only between Latin words/numbers."""
    out: list[str] = []
    prev: Glyph | None = None
    pending_space = False
    for g in glyphs:
        if g.text.isspace():
            pending_space = True
            continue
        if prev is not None and is_ascii_word(prev.text[-1]) and is_ascii_word(g.text[0]):
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


def join_lines(parts: list[str]) -> str:
    """Lines of one cell or paragraph: no separator in Chinese text."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if (
            text
            and is_ascii_word(text[-1])
            and part[0].isascii()
            and part[0].isalnum()
            and not (text[-1].isdigit() and part[0].isdigit())
            and text[-1] not in "-/@"
        ):
            text += " "  # Latin words across a line break
        text += part
    return text


def join_lines_spaced(parts: list[str]) -> str:
    """Words of one line set apart by wide gaps: a space only between Latin words."""
    text = ""
    for part in parts:
        if text and is_ascii_word(text[-1]) and is_ascii_word(part[0]):
            text += " "
        text += part
    return text


def line_clusters(glyphs: list[Glyph]) -> list[list[Glyph]]:
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
