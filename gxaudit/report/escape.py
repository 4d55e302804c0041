"""What each output does to text from reports and file names so that it stays inert.

* terminal (table): no escape sequences or control characters (formats/printable.py);
* Markdown: | and Markdown syntax backslash-escaped, so an organ named "**x** | y"
  is shown as written and cannot add a column, a link or HTML;
* CSV and XLSX: a cell starting with = + - @ (or a tab or carriage return) is never
  a formula in a spreadsheet (OWASP "CSV injection"): in CSV it is prefixed with
  an apostrophe, in XLSX too (a text cell: it stays inert when saved again as CSV);
* every output: bytes of a file name that are not UTF-8 are written as \\xNN.
"""

from __future__ import annotations

from typing import Any

from gxaudit.formats.printable import escape_surrogates, printable
from gxaudit.regex import on_use

__all__ = ["csv_cell", "escape_surrogates", "formula_like", "markdown", "printable", "terminal"]

# characters that mean something in Markdown (CommonMark allows a backslash before any of them)
_MARKDOWN = on_use(r"([\\`*_\[\]<>#|~!&{}])")
_LEADING_MARK = on_use(r"^(\s*)([-+=]|\d+[.)])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = on_use(r"^[-+]?\d+(?:\.\d+)?$")


def terminal(value: Any) -> str:
    """One line of text for a terminal table."""
    return printable(value)


def markdown(value: Any) -> str:
    """Text for a Markdown table cell or heading, shown as written."""
    text = printable(value)
    text = _MARKDOWN.sub(r"\\\1", text)
    # a leading "- ", "+ ", "1. " or "=" would start a list or a heading underline
    return _LEADING_MARK.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def formula_like(text: str) -> bool:
    """Would a spreadsheet read this cell as a formula (and not as a plain number)?"""
    return text.startswith(_FORMULA_START) and not _NUMBER.match(text)


def csv_cell(value: Any) -> Any:
    """A CSV cell: numbers as they are; text that a spreadsheet would run as a formula
    gets a leading apostrophe; undecodable file-name bytes as \\xNN."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = escape_surrogates(str(value))
    return "'" + text if formula_like(text) else text
