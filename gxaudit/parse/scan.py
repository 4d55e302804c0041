"""Cutting a report's lines into prose, headings and table cells.

Two layouts reach us as text: one table row per line with tab-separated
cells, and one cell per line (Word exports: a leading tab, rows separated by
blank lines that are also found inside rows). Both become one stream of cells
per table, in reading order; the table assembler groups them into rows by
their labels, so the layout does not matter downstream.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gxaudit.formats import grammar
from gxaudit.formats.grammar import MAX_CELL_LINE
from gxaudit.formats.text import fold, remembered_when_short, squeeze
from gxaudit.parse import ast
from gxaudit.regex import on_use

PROACTIVE = "proactive"
APPLICATIONS = "applications"
REVIEW = "review_litigation"


@dataclass(slots=True)
class Token:
    """A text cell as the scanner read it (make_cell also takes a token of another kind)."""

    raw: str
    line: int
    column: int  # 1-based
    kind: str  # "text" (ast.EMPTY or "value" only when made by hand)


# A table cell as the scanner gives it. A value or a blank cell is read once, as the ast.Cell
# it becomes in a row (one object per cell, not a token and then a cell: a report has hundreds);
# a text cell stays a Token: it may be a label or go on on the next line ("商业\n企业"), and is
# made a cell only where it stands for a value. Either way `raw` is empty exactly for a blank
# cell and `kind` is "text" exactly for a text cell (no value cell is of kind ast.TEXT).
ScannedCell = Token | ast.Cell


@dataclass
class Scan:
    """What the line scanner found: headings, table cells, prose lines."""

    headings: list[tuple[int, grammar.Heading]] = field(default_factory=list)
    tables: dict[str, list[ScannedCell]] = field(default_factory=dict)
    table_lines: set[int] = field(default_factory=set)
    table_starts: dict[str, int] = field(default_factory=dict)
    # table lines whose cells were set apart by spaces, not tabs (spaced_cells)
    spaced_lines: set[int] = field(default_factory=set)


# a cell written longer than this (a line of prose the scanner looks at) is read each time
_CACHED_CELL = 80


def _read_cell(raw: str) -> tuple[str, int, str]:
    """(text, indent, kind) of a cell as written: its stripped text (empty for a blank
    cell), how far that text starts after the cell's start (0 for a blank cell) and its
    kind, ast.EMPTY, "value" or "text". Remembered: the labels, most of the cells that are
    not counts, repeat."""
    text = raw.strip()
    if not grammar.may_be_value(text):
        # most labels and lines of prose: not squeezed nor classified (its first
        # character is no white space: the cell is not blank)
        return text, len(raw) - len(raw.lstrip()), "text"
    if text.isdigit() and text.isascii():  # a count, a value without the grammar
        return text, len(raw) - len(raw.lstrip()), "value"
    if not squeeze(text):
        return "", 0, ast.EMPTY
    return text, len(raw) - len(raw.lstrip()), "value" if grammar.is_value_text(text) else "text"


# remembered: the labels, most of the cells that are not counts, repeat
_cell_remembered = functools.lru_cache(maxsize=8192)(_read_cell)


def _cell_of(raw: str) -> tuple[str, int, str]:
    """_read_cell, remembered for a cell of at most _CACHED_CELL characters."""
    return _cell_remembered(raw) if len(raw) <= _CACHED_CELL else _read_cell(raw)


def cell_at(text: str, line: int, column: int) -> ast.Cell:
    """The AST cell of a stripped cell text: its kind, value and unit read by the grammar."""
    value = grammar.classify_cell(text)
    # positional (raw, kind, value, unit, line, column, inferred, unreadable): faster than by
    # keyword (split_cells makes blank and digit cells the same way, in place)
    return ast.Cell(text, value.kind, value.value, value.unit, line, column, False, value.unreadable)


def _blank(line: int, column: int) -> ast.Cell:
    return ast.Cell("", ast.EMPTY, None, None, line, column, False, False)


def _cell(raw: str, line: int, column: int) -> ScannedCell:
    """The cell written `raw` (between two tabs, or a whole line) starting at `column`."""
    text, indent, kind = _cell_of(raw)
    if kind == "text":
        return Token(text, line, column + indent, kind)
    if kind == "value":
        return cell_at(text, line, column + indent)
    return _blank(line, column)


# classify_cell of the counts split_cells has seen ("0", "12"): one look-up a count instead of
# three calls; only counts (digits alone) are kept, and no more than _COUNTS_KEPT of them
_COUNTS: dict[str, grammar.CellValue] = {}
_COUNTS_KEPT = 4096


def split_cells(line: str, number: int) -> list[ScannedCell]:
    """The cells of a tab-separated line, with their columns."""
    cells: list[ScannedCell] = []
    append = cells.append
    cell, empty, classify, counts = ast.Cell, ast.EMPTY, grammar.classify_cell, _COUNTS
    column = 1
    # each cell made here as _cell makes it (through _blank, cell_at, Token), without a
    # call or two for each: a report has hundreds of cells
    for part in line.split("\t"):
        if not part:
            append(cell("", empty, None, None, number, column, False, False))
            column += 1
            continue
        value = counts.get(part)
        if value is None and part.isdigit() and part.isascii():  # a count, nothing around it
            value = classify(part)
            if len(counts) < _COUNTS_KEPT:
                counts[part] = value
        if value is not None:
            append(cell(part, value.kind, value.value, value.unit, number, column, False, value.unreadable))
        else:
            text, indent, kind = _cell_remembered(part) if len(part) <= _CACHED_CELL else _read_cell(part)
            if kind == "text":
                append(Token(text, number, column + indent, kind))
            elif kind == "value":
                append(cell_at(text, number, column + indent))
            else:
                append(cell("", empty, None, None, number, column, False, False))
        column += len(part) + 1
    return cells


# Between two cells of a line without tabs, as a PDF's text layout prints a table
# (pdftotext -layout) or a page puts cells apart: two spaces or more, or an ideographic
# or no-break space. One ASCII space is inside a cell ("(一) 予以公开").
_SPACED_GAP = on_use(r"(?<=\S)(?: {2,}|[ \u00a0\u3000]*[\u00a0\u3000][ \u00a0\u3000]*)(?=\S)")


def spaced_cells(line: str, number: int) -> list[ScannedCell] | None:
    """The cells of a line without tabs whose cells are set apart by spaces (_SPACED_GAP),
    with their columns; None for a line that is one cell (no such gap), a sentence (it
    ends with 。 or ；) or text that is no table row (no value, and not a header of three
    short names or more): prose, whatever its spaces."""
    if "  " not in line and "\u00a0" not in line and "\u3000" not in line:
        return None  # no gap can be there: most lines (the regex costs microseconds a line)
    gaps = list(_SPACED_GAP.finditer(line))
    if not gaps or line.rstrip(" \u00a0\u3000").endswith(("。", "；")):
        return None
    cells: list[ScannedCell] = []
    start = 0
    for gap in gaps:
        cells.append(_cell(line[start : gap.start()], number, start + 1))
        start = gap.end()
    cells.append(_cell(line[start:], number, start + 1))
    # a table's row holds a value ("行政许可  5  -2  0"), or is a header: three short names or
    # more, a header's marker, or table four's names only ("行政复议  行政诉讼"); anything else
    # is a line of text with wide spaces in it ("注：本表金额为全年合计数  单位：万元", "行政复议  本机关
    # 全年未发生…", "（一）　行政复议情况")
    if any(c.kind != "text" and c.raw for c in cells):
        return cells
    if len(cells) >= 3 and all(len(c.raw) <= MAX_CELL_LINE for c in cells):
        return cells  # a header: "信息内容  本年新制作数量  本年新公开数量  …"
    if any(_is_header_marker(c.raw) for c in cells) or all(
        grammar.is_review_header_cell(c.raw) for c in cells
    ):
        return cells  # "信息内容  本年收费金额（单位：万元，保留4位小数）", "行政复议  行政诉讼(情况)"
    return None


def _is_header_marker(text: str) -> bool:
    """A cell that only a table's header holds: "信息内容", "申请人情况", "本列数据的勾稽关系…"."""
    return grammar.is_proactive_header_marker(text) or grammar.is_applications_marker(text)


# the first cell of table four's header; 行政诉讼 when it is printed in parts, 行政诉讼's first
REVIEW_OPENINGS = ("行政复议", "行政诉讼")
_REVIEW_OPENING_FIRST = frozenset(word[:1] for word in REVIEW_OPENINGS)
# which tests of _opened_by to make on a line (_tests_to_make): the block heading's, a header
# marker's of table three, its first row's name, table four's names; by default every one
Tests = tuple[bool, bool, bool, bool]
_EVERY_TEST: Tests = (True, True, True, True)


def _witness(word: str) -> str:
    """The characters of a word that a text holding it (squeezed or by its match key) holds
    as written: not ASCII, nor 、 or 。 (folding makes no other character)."""
    return "".join(dict.fromkeys(c for c in squeeze(word) if not c.isascii() and c not in "、。"))


def _test_words() -> tuple[tuple[str, ...], ...]:
    """Per test of _opened_by, the words one of which a line passing it holds (squeezed), as
    the formats write them now: the block heading's characters (第, 条: _ARTICLE); table
    three's markers; its first row's openings; table four's: REVIEW_OPENINGS, the header
    cells that name no column, and the words every other block name holds."""
    return (
        (grammar.BLOCK_HEADING_CHARS,),
        tuple(grammar.applications_markers()),
        grammar.applications_openings(),
        (*REVIEW_OPENINGS, *grammar.review_header_blocks(), *grammar.REVIEW_BLOCK_WORDS),
    )


# what _witnesses gives: characters one of which a line that may open a table holds, and the
# witnesses of the tests' words, each with the test it is for
Witnesses = tuple[str, tuple[tuple[int, str], ...]]


@functools.lru_cache(maxsize=8)
def _witnesses(words: tuple[tuple[str, ...], ...]) -> Witnesses | None:
    """For _tests_to_make: per test, the witnesses (_witness) of its words, one of which a
    line that may pass it holds whole (a word holding another's witness is left out: that
    one is found first), as (test, characters); and a character of each witness (its last):
    a line holding none of them passes no test. None when a word has no witness: every
    line is tested then."""
    found: list[tuple[int, str]] = []
    last: set[str] = set()
    for test, test_words in enumerate(words):
        sets = {frozenset(w): w for w in map(_witness, test_words)}  # one witness a set of characters
        if frozenset() in sets:
            return None
        for key, word in sets.items():
            if not any(other < key for other in sets):
                found.append((test, word))
                last.add(word[-1])
    return "".join(sorted(last)), tuple(found)


@functools.lru_cache(maxsize=8)
def _witness_search(last: str) -> Callable[[str], re.Match[str] | None]:
    """A search for any of these characters (the witnesses' last ones): one call a line
    instead of a search for each."""
    return re.compile(f"[{re.escape(last)}]").search


def _tests_to_make(line: str, witnesses: Witnesses | None) -> Tests | None:
    """Which tests of _opened_by the line may pass: those one of whose words' witnesses it
    holds whole; None when it can pass none (most lines: scan looks for the witnesses' last
    characters first, and calls this only on a line holding one)."""
    if witnesses is None:
        return _EVERY_TEST
    tests = [False, False, False, False]
    for test, chars in witnesses[1]:
        if not tests[test]:
            for char in chars:  # plain searches (a set of the line's characters costs more)
                if char not in line:
                    break
            else:
                tests[test] = True
    return (tests[0], tests[1], tests[2], tests[3]) if True in tests else None


def _enters_table(line: str, cells: list[ScannedCell], mode: str | None) -> str | None:
    """The table a line opens, if it opens one (as scan reads it)."""
    tests = _tests_to_make(line, _witnesses(_test_words()))
    return None if tests is None else _opened_by(cells, mode, tests)


def _opened_by(cells: list[ScannedCell], mode: str | None, tests: Tests = _EVERY_TEST) -> str | None:
    """The table a line of these cells opens. Only the `tests` given are made (see
    _tests_to_make: the line lacks a word the others look for); by default, every one."""
    block, marker, opening, review = tests
    marker = marker and mode != APPLICATIONS
    text = " ".join(c.raw for c in cells if c.raw) if block or marker else ""
    # the heading's own cell ("第二十条第（一）项\t信息内容\t…" on one line), or the line (a
    # heading cut over cells: "第二十条\t第（一）项")
    if block and (
        grammar.block_heading_item(text)
        or (len(cells) > 1 and any(c.kind == "text" and grammar.block_heading_item(c.raw) for c in cells))
    ):
        return PROACTIVE
    if marker and grammar.is_applications_marker(text):
        return APPLICATIONS
    first = ""  # the first text cell's
    for cell in cells:
        if cell.kind == "text":
            first = cell.raw
            break
    if opening and mode != APPLICATIONS and first and grammar.opens_applications(first):
        return APPLICATIONS
    if review and mode != REVIEW and first and (_is_review_opening(first) or _review_header_row(cells)):
        return REVIEW
    return None


def _is_review_opening(text: str) -> bool:
    """A stripped text that is one of REVIEW_OPENINGS, squeezed. Its squeezed text starts
    with its first character folded (unless that is a zero-width one, folded to a space):
    a text starting otherwise than every opening (most) is not squeezed."""
    first = text[:1]
    if first not in "\u200b\ufeff" and fold(first) not in _REVIEW_OPENING_FIRST:
        return False
    return squeeze(text) in REVIEW_OPENINGS


def _review_header_row(cells: list[ScannedCell]) -> bool:
    """A row of table four's header that does not start with the format's 行政复议 (blocks
    named otherwise: "复议 | 行政诉讼", "行政复议情况 | 行政诉讼情况", "政府信息公开行政复议 |
    政府信息公开行政诉讼"; or the block names' row not printed: "结果维持 | … | 未经复议直接起诉
    | 复议后起诉"): two cells or more, every one a header's, one naming a block or a part of
    one (not only columns' names: a row of those opens nothing, as its words are none of
    the opening words; see _with_header_above). A sentence, or a sub-heading alone on its
    line ("行政复议情况" over the part's text), is no such row."""
    written = [c for c in cells if c.raw]
    return (
        len(written) >= 2
        and all(c.kind == "text" and grammar.is_review_header_cell(c.raw) for c in written)
        and any(not grammar.is_review_column(c.raw) for c in written)
    )


def _names_review_block_alone(cells: list[ScannedCell]) -> bool:
    """A line of one cell naming a block of table four otherwise than the format
    ("行政复议情况", "复议"): its header's first cell only if the next line is of its header."""
    return (
        len(cells) == 1
        and cells[0].kind == "text"
        and grammar.is_review_header_cell(cells[0].raw)
        and not grammar.is_review_header(cells[0].raw)
    )


def _of_review_header(line: str) -> bool:
    """A line whose every cell (one at least) is a cell of table four's header."""
    parts = [p for p in re.split(r"\t|[ \u00a0\u3000]{2,}", line) if p.strip(" \u00a0\u3000")]
    return bool(parts) and all(grammar.is_review_header_cell(p) for p in parts)


def _in_review_header(text: str, result: Scan) -> bool:
    """A line of one cell in table four is of its header: a cell the format names, or a
    block named otherwise before any figure ("行政诉讼情况" under "行政复议情况"; after the
    figures it is a sub-heading over the part's text)."""
    if grammar.is_review_header(text):
        return True
    return grammar.is_review_header_cell(text) and not any(
        c.raw and c.kind != "text" for c in result.tables.get(REVIEW, ())
    )


def part_heading(line: str) -> grammar.Heading | None:
    """The part heading a line holds: as parse_heading reads it, or written otherwise
    (grammar.parse_loose_heading: "（三）收到和处理…"; "一、总体情况 本机关…", where
    parse_heading would take the part's first words for its title)."""
    heading = grammar.parse_heading(line)
    if heading is None:
        return grammar.parse_loose_heading(line)  # remembered; a line with a tab: None at once
    if any(c in heading.text for c in _INLINE_TEXT_SIGNS):
        loose = grammar.parse_loose_heading(line)
        if loose is not None and loose.rest:
            return loose
    return heading


# what every part heading starts with, read either way: a numeral and its separator, after
# white space, emphasis ("**"), a converter's [artefact] or an opening bracket ("一是…" is not
# one); or "第N部分"; or a digit and 、 or a dot. One test of most lines, in C (they start
# otherwise), before the Python calls of part_heading
_NUMERAL_FIRST = on_use(
    r"[\s\u200b\ufeff]*(?:(?:\*{1,3}|_{2,3})[\s\u200b\ufeff]*)?"
    r"(?:[\[［【][^\]］】]*[\]］】][\s\u200b\ufeff]*)*[（(]?[\s\u3000]*"
    r"(?:[一二三四五六七八九十]{1,2}[\s\u3000\u200b\ufeff]*[、.．，,：:）)\s\u3000､]"
    r"|第[\s\u3000]*[一二三四五六1-6１-６][\s\u3000]*部分"
    r"|[1-6１-６][\s\u3000]*[、.．､])"
)
# _NUMERAL_FIRST.match is slow (microseconds a line): a line after the white space most
# written before a heading must start with one of these for it to match (a line that
# starts with any other white space is matched as it is)
_LEADING_SPACE = " \t\u3000\u00a0\u200b\ufeff"
_HEADING_STARTS = "*_[［【（(一二三四五六七八九十第123456１２３４５６"
_HEADING_OR_SPACE = _HEADING_STARTS + _LEADING_SPACE


# what part_heading takes for blank after a line's last tab: white space, the zero-width
# characters (folded to spaces) and emphasis marks (blanked at the line's end)
_BLANKED_AFTER_TAB = "\u200b\ufeff*_"
_BLANK_AFTER_TAB = str.maketrans(dict.fromkeys(_BLANKED_AFTER_TAB, " "))


def _may_be_heading(line: str) -> bool:
    """False when part_heading surely finds no heading in the line: _NUMERAL_FIRST cannot
    match it (its first written character is none of those a heading starts with), or a
    tab stands before written text (a row of cells: parse_heading and parse_loose_heading
    both read none on such a line)."""
    last = line[-1:]
    if not (last.isspace() or last in _BLANKED_AFTER_TAB) and "\t" in line:
        return False  # most table rows: their last character is written after the last tab
    first = line.lstrip(_LEADING_SPACE)[:1]
    if not (first in _HEADING_STARTS or first.isspace()):
        return False
    tab = line.rfind("\t")
    return tab < 0 or not line[tab + 1 :].translate(_BLANK_AFTER_TAB).strip()


@remembered_when_short(80, maxsize=4096)  # headings and sub-headings repeat across reports
def _heading_of(line: str) -> grammar.Heading | None:
    """The part heading of a line that may hold one (_may_be_heading)."""
    return part_heading(line) if _NUMERAL_FIRST.match(line) else None


_INLINE_TEXT_SIGNS = (" ", "\u3000", "\u00a0", "：", ":", "，", ",")
# what a blank line holds: a line of these alone gives no cell (but its tabs', in a table)
_BLANK = " \u00a0\u3000\t"


def scan(lines: list[str]) -> Scan:
    result = Scan()
    # made once a report, from the formats as they are (see _opening_chars, _word_witnesses)
    witnesses = _witnesses(_test_words())
    holds_witness = _witness_search(witnesses[0]) if witnesses is not None else None
    mode: str | None = None
    last_single: ScannedCell | None = None  # the previous one-cell line, for continuations
    # a line alone naming a block of table four otherwise than the format ("行政复议情况"): a
    # sub-heading over the part's text, or the first cell of its header (a cell a line) when
    # the next line is of its header too; its number and cells until that line is seen
    held: tuple[int, list[ScannedCell]] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip(_BLANK):
            if "\t" in line and mode:
                # a bare tab: an empty cell; a row of tabs (a table row left empty because it
                # could not be read): one empty cell per tab-separated position
                empties = split_cells(line, number) if line.count("\t") > 1 else [_blank(number, 1)]
                result.tables[mode].extend(empties)
                result.table_lines.add(number)
                last_single = None
            continue
        first = line[0]  # most lines start with a character no heading starts with: no call
        heading = (
            _heading_of(line)
            if (first in _HEADING_OR_SPACE or first.isspace()) and _may_be_heading(line)
            else None
        )
        if heading:
            result.headings.append((number, heading))
            mode, last_single, held = None, None, None
            continue
        if held is not None:
            if mode is None and _of_review_header(line):  # table four's header, a cell a line
                mode, last_single = REVIEW, None
                result.tables.setdefault(REVIEW, []).extend(held[1])
                result.table_starts.setdefault(REVIEW, held[0])
                result.table_lines.add(held[0])
            held = None
        # the tests the line may pass to open a table (None: it opens none): most lines hold
        # none of the witnesses' last characters, found by one search of the line
        if holds_witness is None:
            tests: Tests | None = _EVERY_TEST
        else:
            tests = _tests_to_make(line, witnesses) if holds_witness(line) is not None else None
        if mode is None and tests is None:
            continue  # outside the tables, a line that opens none has nothing to give
        tab = "\t" in line
        if mode is not None and not tab and grammar.is_page_number(line):
            result.table_lines.add(number)
            continue  # a page break inside a table: the table goes on after it
        spaced = None if tab else spaced_cells(line, number)
        has_tab = spaced is not None or tab  # a row of cells, not a line of text
        if spaced is not None:
            cells = spaced
            result.spaced_lines.add(number)
        else:
            cells = split_cells(line, number) if has_tab else [_cell(line, number, 1)]
        single = None  # the line's only written cell, if it has one only
        for cell in cells:
            if cell.raw:
                if single is not None:
                    single = None
                    break
                single = cell
        if single is not None and single is cells[-1]:
            # one cell per line (Word export): the tabs before it are indentation
            cells = [single]
        opened = _opened_by(cells, mode, tests) if tests is not None else None  # as _enters_table
        if mode is None and not opened and _names_review_block_alone(cells):
            held = (number, cells)
            continue
        if opened:
            mode = opened
            result.tables.setdefault(mode, [])
            result.table_starts.setdefault(mode, number)
        elif mode and not has_tab:
            stripped = line.strip()
            if len(stripped) > MAX_CELL_LINE or stripped.endswith(("。", "；")):
                mode, last_single = None, None  # prose: the table has ended
                continue
            if last_single is not None and last_single.kind == "text" and cells[0].kind == "text":
                last_single.raw += stripped  # "商业\n企业": one cell on two lines
                result.table_lines.add(number)
                continue
            if mode == REVIEW and cells[0].kind == "text" and not _in_review_header(stripped, result):
                mode, last_single = None, None  # a sub-heading after table four
                continue
        if not mode:
            continue
        result.tables[mode].extend(cells)
        result.table_lines.add(number)
        last_single = single
    if REVIEW in result.table_starts:
        _with_header_above(lines, result)
    return result


def _with_header_above(lines: list[str], result: Scan) -> None:
    """Table four opened on a line naming a block ("行政复议\t2\t1…", a block a line) under a
    row of its columns' names that opened nothing ("\t结果维持\t结果纠正\t尚未审结…": none of
    the opening words in it): that row is the table's header, the order of its columns."""
    above = result.table_starts[REVIEW] - 1
    while above >= 1 and not lines[above - 1].strip(" \u00a0\u3000\t"):
        above -= 1
    if above < 1 or above in result.table_lines or not _of_review_header(lines[above - 1]):
        return
    line = lines[above - 1]
    cells = split_cells(line, above) if "\t" in line else spaced_cells(line, above)
    if cells is None or sum(1 for c in cells if c.raw) < 2:
        return
    result.tables[REVIEW][:0] = cells
    result.table_starts[REVIEW] = above
    result.table_lines.add(above)
