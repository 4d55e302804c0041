"""A flattened page rewritten into lines: title, parts, prose and the three tables."""

from __future__ import annotations

import re

from gxaudit.formats import grammar
from gxaudit.formats.text import fold
from gxaudit.read.flattened.four import table_four, table_four_start
from gxaudit.read.flattened.model import Inference, Out
from gxaudit.read.flattened.text import find_headings, find_title
from gxaudit.read.flattened.three import table_three, table_three_start
from gxaudit.read.flattened.two import Context, block_headings, table_two
from gxaudit.regex import on_use

# ------------------------------------------------------------------ sections


def _body(text: str, folded: str, start: int, end: int, ctx: Context) -> None:
    """A part's body: prose, and any of the three tables found in it."""
    pos = start
    while pos < end:
        two = next(iter(block_headings(folded, pos, end)), None)
        three = table_three_start(folded, pos, end)
        four = table_four_start(folded, pos, end)
        found = [
            (p, kind)
            for p, kind in ((two.start() if two else None, 2), (three, 3), (four, 4))
            if p is not None
        ]
        if not found:
            break
        at, kind = min(found)
        ctx.out.prose(text[pos:at])
        if kind == 2:
            stop = table_two(text[:end], folded[:end], at, ctx)
        elif kind == 3:
            stop = table_three(text, folded, at, end, ctx)
        else:
            stop = table_four(text, folded, at, end, ctx)
        if stop <= at:  # nothing taken: move on
            ctx.out.prose(text[at : at + 1])
            stop = at + 1
        pos = stop
    ctx.out.prose(text[pos:end])


# "- 3 -", "— 12 —" after a table's figures and before the next label ("（三）…", "3.危及…",
# "五、…"): a printed page's number run into the digits
_DASHED_PAGE_NUMBER = on_use(
    r"(?<=\d)\s+([-－—–])\s*[1-9]\d{0,2}\s*\1(?=\s*(?:[^\d\s\-－—–/／.．、]|\d{1,2}[.．、][^\d.．、]))"
)
# the figures before it, back to the label
_FIGURES_BEFORE = on_use(r"[\d\s\-－—–/／]*$")


def _blank_page_number(m: re.Match[str]) -> str:
    """The page number blanked (a space for each character), unless the figures before it
    write a blank cell with a dash: then "— 3 —" may be three cells, and stays."""
    figures = _FIGURES_BEFORE.search(m.string, max(0, m.start() - 400), m.start())
    if figures is not None and re.search(r"[-－—–/／]", figures.group()):
        return m.group()
    return " " * len(m.group())


def unflatten(text: str) -> tuple[str, list[Inference]]:
    """Rewrite a flattened report into lines; return the text and the inferred cells."""
    flat = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ").replace("\t", " ")
    # a page's number run into the text ("第 3 页", "第3页 共5页"), in a table's digits too:
    # blanked, each character by a space (the places of the rest stay)
    flat = grammar.PAGE_NUMBER_IN_TEXT.sub(lambda m: " " * len(m.group()), flat)
    flat = _DASHED_PAGE_NUMBER.sub(_blank_page_number, flat)
    folded = fold(flat)
    out = Out()
    pos = 0
    year = None
    title = find_title(flat)
    if title:
        out.text(flat[: title[1]])  # the page chrome before a title found inside it
        out.text(title[0])
        pos = title[2]
        year, _ = grammar.title_year(title[0])
    if year is None:
        years = grammar.year_mentions(flat[:600])
        year = years[0][0] if years else None
    ctx = Context(year, out, flat)
    headings = find_headings(flat, folded, pos)
    bounds = [h.start for h in headings] + [len(flat)]
    _body(flat, folded, pos, bounds[0], ctx)
    for index, heading in enumerate(headings):
        out.text(flat[heading.start : heading.end])
        _body(flat, folded, heading.end, bounds[index + 1], ctx)
    return "\n".join(out.lines) + "\n", out.inferences
