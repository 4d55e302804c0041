""".docx reports: paragraphs to lines, tables laid out on their grid, in document order.

* `container`: the zip is checked before python-docx opens it (entries, sizes,
  compression ratio, the Word parts): zip bombs are refused;
* `numbering`: Word's automatic paragraph numbers are rendered ("一、" is how
  a part heading is recognised);
* `body`: paragraphs and tables in document order; tables on their grid
  (read/grid.py), values placed by the header's columns (read/columns.py).

Each line keeps where it is in the document (第n段, 第n个表格第m行). Every
failure is an ``InputError(name, reason)``.
"""

from __future__ import annotations

from gxaudit.errors import InputError
from gxaudit.read.docx.body import Body, walk
from gxaudit.read.docx.container import MAX_ENTRIES, check_container, open_document
from gxaudit.read.docx.numbering import Numbering
from gxaudit.read.grid import GridBudget
from gxaudit.read.source import SourceText

__all__ = ["MAX_ENTRIES", "check_container", "docx_to_text", "looks_like_docx", "read_docx"]


def read_docx(data: bytes, name: str) -> SourceText:
    """The lines of a .docx report for the parser, each with its origin; InputError if it is not one."""
    document = open_document(data, name)
    try:
        body = Body(name, Numbering(document), GridBudget(name))
        walk(document.element.body, body)
    except InputError:
        raise
    except Exception as exc:  # malformed XML inside a well-formed package
        reason = " ".join(str(exc).split())[:200]
        raise InputError(name, f"无法读取 .docx 的内容：{type(exc).__name__}: {reason}") from None
    source = SourceText.from_lines(body.lines, final_newline=True, kind="docx", encoding="docx")
    source.unplaced = body.unplaced
    return source


def docx_to_text(data: bytes, name: str) -> str:
    """The text of a .docx report for the grammar; InputError if it is not one."""
    return read_docx(data, name).text


def looks_like_docx(data: bytes) -> bool:
    """A zip container that names a Word main document (cheap: no inflation)."""
    return data.startswith(b"PK\x03\x04") and b"word/document.xml" in data
