"""The page model every step reads: glyphs and rulings in top-down page coordinates.

A backend (backend.py, PDFium) fills `PageLayout` objects; the layout code
only sees these, so another library can be measured against it
(benchmarks/pdf_libraries.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Geometry tolerances, in PDF points (1/72 inch).
SNAP = 3.5  # two boundaries closer than this are one
TOUCH = 2.5  # a ruling reaching this close to another touches it
COVER = 0.6  # share of a cell edge a ruling must cover to separate two cells
EDGE_MATCH = 4.0  # outer edges of a table continued on the next page
THIN = 2.6  # a filled rectangle thinner than this is a ruling
MARGIN_ZONE = 0.085  # share of the page height where headers and footers live
WIDE_GAP = 1.6  # a gap wider than this many character sizes separates cells


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


def printable(glyph: Glyph) -> bool:
    return not glyph.text.isspace() and glyph.text not in "\ufffd\u0000"
