"""Markdown syntax: inline marks to plain text, pipe rows to cells, separators, page footers.

Every pattern here runs in time linear in its line: emphasis is looked for
within `EMPHASIS_SPAN` characters, and a row with more than `MAX_ROW_CELLS`
pipes is not a table row of a report (1 MB of "|" is text, not a million cells).
"""

from __future__ import annotations

import html
import re

from gxaudit.formats.text import split_lines
from gxaudit.regex import on_use

# A report's widest table (table four) has 15 value columns and a label or two.
MAX_ROW_CELLS = 64
# Emphasis (**…**, *…*) spans at most this many characters: a lone mark never scans a whole line.
EMPHASIS_SPAN = 200

ATX = on_use(r"^\s{0,3}(#{1,6})(?:\s+|(?=[^#\s]))(.*?)(?:\s+#+)?\s*$")

_SEPARATOR_CELL = on_use(r"^\s*:?-+:?\s*$")

THEMATIC = on_use(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")

GRID_BORDER = on_use(r"^\s*\+(?:[-=:]+\+)+\s*$")


BULLET = on_use(r"^\s{0,3}[-*+]\s+(?=\S)")

_FOOTERS = (
    on_use(r"^[-—–－~－\s]*[-—–－~]\s*\d{1,4}\s*[-—–－~][-—–－~\s]*$"),  # - 3 -, — 12 —
    on_use(r"^第\s*\d{1,4}\s*页\s*(?:[,，/／]?\s*共\s*\d{1,4}\s*页)?$"),  # 第3页 共5页
    on_use(r"^\d{1,4}\s*[/／]\s*\d{1,4}$"),  # 3/5
    on_use(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE),
)

SPACES = on_use(r"[ \t\r\n\u00a0\u3000]+")


_IMAGE = on_use(r"!\[([^\]\n]{0,500})\]\([^)\n]{0,500}\)")
_LINK = on_use(r"\[([^\]\n]{1,500})\]\((?:[^)(\n]|\([^)\n]{0,500}\)){0,500}\)")
_BREAK = on_use(r"<br\s*/?>", re.IGNORECASE)
_TAG = on_use(r"</?[a-zA-Z][^>\n]{0,500}>")
_STRONG = on_use(rf"(\*\*|__|~~)(?=\S)(.{{1,{EMPHASIS_SPAN}}}?)(?<=\S)\1")
_EMPHASIS = on_use(rf"(?<![*A-Za-z0-9])\*(?=[^\s*])(.{{1,{EMPHASIS_SPAN}}}?)(?<=[^\s*])\*(?![*A-Za-z0-9])")
_CODE = on_use(r"`+([^`\n]{0,500})`+")
_ESCAPE = on_use(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def inline(text: str) -> str:
    """Markdown inline syntax to plain text (each pattern bounded: linear in the line)."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = text.replace("**", "")
    text = _ESCAPE.sub(r"\1", text)
    return html.unescape(text)


def is_cjk_only(text: str) -> bool:
    stripped = SPACES.sub("", text)
    return bool(stripped) and all("\u4e00" <= ch <= "\u9fff" or ch in "（）()、，：:" for ch in stripped)


def cell_text(raw: str) -> str:
    text = inline(raw.replace("\\|", "|"))
    # a cell broken over lines ("本年新<br>制作数量") is one label, as in the HTML adapter
    if is_cjk_only(text):
        return SPACES.sub("", text)
    return SPACES.sub(" ", text).strip()


def is_pipe_row(line: str) -> bool:
    """A line that can be a table row: pipes, but not more than a report's table has cells."""
    return "|" in line and line.count("|") <= MAX_ROW_CELLS + 1


def split_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell_text(c) for c in re.split(r"(?<!\\)\|", body)]


def is_separator(line: str) -> bool:
    if "-" not in line or not is_pipe_row(line):
        return False
    cells = split_row(line)
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells if c) and any(cells)


def is_footer(text: str) -> bool:
    text = text.strip()
    return bool(text) and any(p.match(text) for p in _FOOTERS)


# pipe rows ("| 规章 | 0 | 0 | 6 |") enough to be a table
_PIPE_ROWS = 3
_HTML_TABLE = on_use(r"<table\b.*?</table\s*>", re.S)
# what a web page's text is written in, outside its tables
_HTML_TEXT_TAG = on_use(r"<(?:p|div|br|h[1-6]|li|ul|ol|body|section|article|head|meta|span|font)\b")


def _text_with_html_tables(text: str) -> bool:
    """Lines of text holding HTML tables and no HTML paragraph (PDF-to-Markdown converters
    write tables so): its lines are lines, not a web page whose line breaks are spaces."""
    lowered = text.lower()
    if "<table" not in lowered:
        return False
    return _HTML_TEXT_TAG.search(_HTML_TABLE.sub("", lowered)) is None


def looks_like_markdown(text: str) -> bool:
    """Pipe tables (three pipe rows, or a separator row), ATX headings, or lines of text with
    HTML tables: Markdown, not plain text or a web page."""
    # no "<" in the head: neither tag there (lowering never makes a "<"), nothing to lower
    if "<" in text[:4096]:
        head = text[:4096].lower()
        if "<html" in head or "<!doctype html" in head:
            return False
    if "<" in text and _text_with_html_tables(text):
        return True
    if "|" not in text and "#" not in text:
        return False  # no pipe row and no ATX heading can be in it (most plain-text reports)
    lines = split_lines(text)
    headings = sum(
        1
        for line in lines
        if ATX.match(line) and line.lstrip().startswith("#") and not line.lstrip().startswith("#!")
    )
    pipes = sum(1 for line in lines if line.strip().startswith("|") and line.strip().endswith("|"))
    if any(is_separator(line) for line in lines):
        return True
    # pipe rows without a separator row (a converter that leaves it out): plain text has none
    return headings >= 2 or (headings >= 1 and pipes >= 2) or pipes >= _PIPE_ROWS
