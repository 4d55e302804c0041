"""HTML reports: paragraphs to lines, tables to tab rows with spans expanded.

The standard library's tolerant HTMLParser is enough for the organs' pages
(Word-exported, often unbalanced); page chrome (scripts, styles, navigation,
headers and footers) is skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "section",
    "article",
    "br",
    "blockquote",
    "pre",
    "title",
    "tr",
    "caption",
}
SKIP = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "select", "button", "head"}
SPACES = re.compile(r"[ \t\r\n\u00a0\u3000]+")


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[tuple[str, int, int]]] = []  # (text, colspan, rowspan)

    def grid(self) -> list[list[str]]:
        """Rows of cell texts; positions covered by a span are empty."""
        out: list[list[str]] = []
        pending: dict[tuple[int, int], str] = {}
        for r, row in enumerate(self.rows):
            line: list[str] = []
            c = 0
            for text, colspan, rowspan in row:
                while (r, c) in pending:
                    line.append(pending.pop((r, c)))
                    c += 1
                line.append(text)
                line.extend([""] * (colspan - 1))
                for down in range(1, rowspan):
                    for across in range(colspan):
                        pending[(r + down, c + across)] = ""
                c += colspan
            while (r, c) in pending:
                line.append(pending.pop((r, c)))
                c += 1
            out.append(line)
        return out


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.text: list[str] = []
        self.skip_depth = 0
        self.tables: list[_Table] = []
        self.cell: list[str] | None = None
        self.cell_spans = (1, 1)

    def _flush(self) -> None:
        text = SPACES.sub(" ", "".join(self.text)).strip()
        self.text = []
        if text:
            self.lines.append(text)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIP:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        attributes = dict(attrs)
        if tag == "table":
            if self.cell is None:
                self._flush()
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []
            self.cell_spans = (_span(attributes.get("colspan")), _span(attributes.get("rowspan")))
        elif tag in BLOCK and self.cell is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag in ("td", "th") and self.tables and self.cell is not None:
            text = (
                SPACES.sub("", "".join(self.cell))
                if _is_cjk_only("".join(self.cell))
                else SPACES.sub(" ", "".join(self.cell)).strip()
            )
            if not self.tables[-1].rows:
                self.tables[-1].rows.append([])
            self.tables[-1].rows[-1].append((text, *self.cell_spans))
            self.cell = None
        elif tag == "table" and self.tables:
            table = self.tables.pop()
            self.lines.extend("\t".join(row) for row in table.grid() if any(row))
        elif tag in BLOCK and self.cell is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.text.append(data)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _is_cjk_only(text: str) -> bool:
    """Cell text broken over paragraphs ("商业</p><p>企业"): join without spaces."""
    stripped = SPACES.sub("", text)
    return bool(stripped) and all("\u4e00" <= ch <= "\u9fff" or ch in "（）()、，：:" for ch in stripped)


def html_to_text(html: str) -> str:
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n".join(parser.lines) + "\n"


def looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or ("<table" in text.lower() and "<td" in text.lower())
