"""Markdown reports: pipe tables to tab rows, headings and emphasis to plain text.

Two kinds of Markdown reach us. Hand-written or exported Markdown has whole
pipe tables (``| a | b |`` with a ``|---|`` separator row): each row becomes a
tab row, the separator an empty line, a heading its plain text. Markdown
extracted from a PDF or by OCR (014_shanghai_kewei_2024_pdf2md.md) has its
tables damaged in the ways extractors damage them; a table region is read
back into the format where the file leaves one reading:

* `syntax`: inline marks, pipe rows, separators, page footers (linear time);
* `items`: the file's lines classified, grid tables joined, HTML tables inside;
* `regions`: table regions and what table each holds;
* `fixes`: a header repeated after a page break, a label split over two rows,
  a value moved out of its row (put back, or its candidate cells unreadable);
* `proactive`, `applications`, `review`: tables two, three and four rebuilt
  from fragments (rows in the wrong block, a dropped block heading, rows
  without labels between loose label lines, vertical group labels, a
  scattered table-four header);
* `convert`: the whole file, every line with its line in the Markdown file.

Page footers ("- 3 -", "第 3 页", a bare page number between two pieces of a
table) are dropped. Nothing is invented: a repair only moves text that is in
the file; what cannot be placed is reported in `unplaced`.
"""

from __future__ import annotations

from gxaudit.read.markdown.convert import (
    MarkdownConversion,
    convert_markdown,
    markdown_to_text,
    read_markdown,
)
from gxaudit.read.markdown.regions import Note
from gxaudit.read.markdown.syntax import looks_like_markdown

__all__ = [
    "MarkdownConversion",
    "Note",
    "convert_markdown",
    "looks_like_markdown",
    "markdown_to_text",
    "read_markdown",
]
