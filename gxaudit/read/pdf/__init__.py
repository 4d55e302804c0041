"""PDF reports: the text layer laid out again from the page geometry.

A PDF has no tables, only glyphs and strokes at positions. This adapter
rebuilds what a reader sees and writes it in the line shape the grammar reads
(one table row per line, tab-separated cells, a spanned position an empty
cell; prose as one paragraph per line), each line with its page and place:

* `backend`: glyphs and ruling segments of every page, read with PDFium;
* `model`: the page model the layout code reads (another backend can be
  measured against it: benchmarks/pdf_libraries.py);
* `text`: glyphs to lines and text (spaces only between Latin words);
* `pages`: pages turned upright, glyphs printed twice counted once, running
  headers, footers and page numbers dropped, wide gaps as cell boundaries;
* `tables`: ruled tables from the rulings, across page breaks;
* `layout`: everything in reading order, paragraphs joined, origins kept.

What cannot be read raises InputError(name, reason), never a traceback: not a
PDF, a file cut short, a PDF PDFium cannot open, more pages than a report has,
and a PDF without a text layer (a scan: "PDF 没有文字层（扫描件？），读不出文字").
"""

from __future__ import annotations

from gxaudit.errors import InputError
from gxaudit.read.pdf.backend import MAX_PAGES, check_pdf_bytes, read_layout
from gxaudit.read.pdf.layout import pages_to_lines, pages_to_text
from gxaudit.read.pdf.model import THIN, Glyph, PageLayout, Rule, printable
from gxaudit.read.source import SourceText

__all__ = [
    "MAX_PAGES",
    "THIN",
    "Glyph",
    "PageLayout",
    "Rule",
    "check_pdf_bytes",
    "pages_to_text",
    "pdf_to_text",
    "read_layout",
    "read_pdf",
]

# A page with fewer printable characters than this has no usable text layer.
MIN_GLYPHS_PER_PAGE = 20


def read_pdf(data: bytes, name: str) -> SourceText:
    """The lines of a PDF with a text layer, each with its page and place; InputError otherwise."""
    check_pdf_bytes(data, name)
    try:
        pages = read_layout(data, name)
        if all(sum(1 for g in p.glyphs if printable(g)) < MIN_GLYPHS_PER_PAGE for p in pages):
            raise InputError(name, "PDF 没有文字层（扫描件？），读不出文字")
        lines = pages_to_lines(pages)
    except InputError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise InputError(name, f"PDF 版面过于复杂，无法排出文字（{type(exc).__name__}）") from None
    except Exception as exc:  # a layout step failing on a strange page: that file's error, not a crash
        raise InputError(name, f"PDF 版面无法排出文字（{type(exc).__name__}: {exc}）") from None
    return SourceText.from_lines(lines, final_newline=True, kind="pdf", encoding="pdf")


def pdf_to_text(data: bytes, name: str) -> str:
    """The report text of a PDF with a text layer; InputError for anything else."""
    return read_pdf(data, name).text
