"""Word's automatic paragraph numbers ("一、", "（一）", "1.") rendered as text.

Part headings are recognised by their numeral; a numeral Word generates is
not in the paragraph's text, so it is rendered in front of it.
"""

from __future__ import annotations

import contextlib
import re

from gxaudit.formats.grammar import chinese_numeral
from gxaudit.read.docx.ooxml import val, w

_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _roman(n: int) -> str:
    out = []
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "ideographDigital",
        "japaneseCounting",
        "taiwaneseCounting",
    ):
        return chinese_numeral(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _ZODIAC[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class Numbering:
    """Renders Word's automatic list numbers ("一、", "（一）", "1.")."""

    def __init__(self, document) -> None:
        self.nums: dict[str, tuple[str | None, dict[int, int]]] = {}
        self.abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.style_based_on: dict[str, str] = {}
        try:
            numbering = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing is numbered
            numbering = None
        if numbering is not None:
            for abstract in numbering.iterchildren(w("abstractNum")):
                levels = {}
                for lvl in abstract.iterchildren(w("lvl")):
                    try:
                        ilvl = int(lvl.get(w("ilvl"), "0"))
                        start = int(val(lvl, "start", "1"))
                    except ValueError:
                        continue
                    levels[ilvl] = (start, val(lvl, "numFmt", "decimal"), val(lvl, "lvlText", ""))
                self.abstract[abstract.get(w("abstractNumId"))] = levels
            for num in numbering.iterchildren(w("num")):
                overrides = {}
                for override in num.iterchildren(w("lvlOverride")):
                    start = val(override, "startOverride")
                    if start is not None:
                        with contextlib.suppress(ValueError):
                            overrides[int(override.get(w("ilvl"), "0"))] = int(start)
                self.nums[num.get(w("numId"))] = (val(num, "abstractNumId"), overrides)
        try:
            styles = document.styles.element
        except Exception:
            styles = None
        if styles is not None:
            for style in styles.iterchildren(w("style")):
                style_id = style.get(w("styleId"))
                based = val(style, "basedOn")
                if based:
                    self.style_based_on[style_id] = based
                numpr = style.find(f"{w('pPr')}/{w('numPr')}")
                if numpr is not None:
                    ilvl = val(numpr, "ilvl")
                    self.style_numpr[style_id] = (val(numpr, "numId"), int(ilvl) if ilvl else None)

    def _paragraph_numpr(self, p) -> tuple[str | None, int]:
        ppr = p.find(w("pPr"))
        num_id, ilvl = None, None
        numpr = ppr.find(w("numPr")) if ppr is not None else None
        if numpr is not None:
            num_id = val(numpr, "numId")
            level = val(numpr, "ilvl")
            ilvl = int(level) if level and level.isdigit() else None
        style = val(ppr, "pStyle") if ppr is not None else None
        seen = set()
        while num_id is None and style and style not in seen:
            seen.add(style)
            style_num, style_lvl = self.style_numpr.get(style, (None, None))
            num_id = style_num
            if ilvl is None:
                ilvl = style_lvl
            style = self.style_based_on.get(style)
        return num_id, ilvl or 0

    def prefix(self, p) -> str:
        if not self.nums:
            return ""
        num_id, ilvl = self._paragraph_numpr(p)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id or "", {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = overrides.get(ilvl, levels[ilvl][0])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _start, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return ""

        def level_number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            if level not in levels:
                return ""
            value = counters.get(level, overrides.get(level, levels[level][0]))
            return _format_number(value, levels[level][1])

        return re.sub(r"%(\d)", level_number, text or "")
