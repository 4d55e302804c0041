"""Flattened reports: a whole web page on one line, table cells run together.

Some organs' pages reach us as text with no line breaks at all, and the
numbers of adjacent table cells written with nothing between them
("予以公开6000017" is 6, 0, 0, 0, 0, 1, 7). `unflatten` rewrites such a text
into the line shape the parser reads best (title line, part headings on their
own lines, prose paragraphs, one table row per line with tab-separated
cells) and recovers the cells by what the format knows:

* how many cells a row has (table two: per block; table three: 7; table four: 15);
* that a cell is a count written without leading zeros ("0" itself excepted),
  that only 本年增/减 is signed and only money columns carry decimals;
* the identities the formats declare (`Format.identities`: row sums, the
  result rows' total, 勾稽, table four's totals): see `solve.py`.

White space inside a digit run is taken as a cell boundary (the page had a
separate cell there). A reading is certain (as many chunks as cells), forced
(one split only, by the digit count), inferred (exactly one reading keeps the
identities), least broken (no reading keeps them all, exactly one breaks just
one: read, and said so), or impossible (ambiguous, unsatisfiable): then the
cells are written empty and the reason is reported. A value is never guessed.

Modules: `text` (detection, labels, paragraphs, headings), `runs` (digit runs
and their splits), `solve` (the constraint reading), `two`, `three`, `four`
(the tables), `document` (the whole page), `model` (what is written).
"""

from typing import TYPE_CHECKING

from gxaudit.read.flattened.model import (
    AMBIGUOUS,
    BLANK_CELL,
    INFERRED,
    LEAST_BROKEN,
    UNSATISFIABLE,
    Inference,
)
from gxaudit.read.flattened.text import is_flattened, lines_flattened

if TYPE_CHECKING:
    from gxaudit.read.flattened.document import unflatten


def __getattr__(name: str):
    # the reader itself only when a page is flattened: every file asks whether it is,
    # few are, and the reader's modules are a twentieth of a single file's start-up
    if name == "unflatten":
        from gxaudit.read.flattened.document import unflatten

        return unflatten
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AMBIGUOUS",
    "BLANK_CELL",
    "INFERRED",
    "LEAST_BROKEN",
    "UNSATISFIABLE",
    "Inference",
    "is_flattened",
    "lines_flattened",
    "unflatten",
]
