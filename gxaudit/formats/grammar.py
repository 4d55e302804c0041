"""The pyparsing grammar of a report's text shapes, built from formats/*.yaml.

This is the only module that knows what the text looks like: a part heading,
a 第二十条 block heading, a title, the statistics-period sentence, a cell
value, a label. Every terminal is a `Regex` (the notes measured `Word` over
the Chinese character set as far slower); labels are matched tolerantly
(white space, full/half width, enumerators and small typos) to canonical ids.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyparsing as pp

from gxaudit.formats.load import Label, common, load_formats
from gxaudit.formats.text import fold, match_key, remembered_when_short, squeeze
from gxaudit.regex import on_use

NUMERALS = "一二三四五六七八九十"
# Chinese digits written one by one (二〇二二); each reader adds its own variants
# (a date's ○, a count's 两)
CHINESE_DIGITS = {"〇": 0, "零": 0, **{d: i + 1 for i, d in enumerate("一二三四五六七八九")}}
# a year's or a date's digits: ○ (a circle) stands for 〇 there
_YEAR_DIGITS = {**CHINESE_DIGITS, "○": 0}


def digits_one_by_one(text: str) -> int:
    """二〇二二 → 2022: Chinese digits written one by one (KeyError for any other character)."""
    return int("".join(str(_YEAR_DIGITS[ch]) for ch in text))


def chinese_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (1 … 99); any other number as digits."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if not tens:
        return _NUMERAL_DIGITS[ones]
    return ("" if tens == 1 else _NUMERAL_DIGITS[tens]) + "十" + (_NUMERAL_DIGITS[ones] if ones else "")


_NUMERAL_DIGITS = "零一二三四五六七八九"

# Cell kinds. A cell is never silently turned into 0: EMPTY, DASH and TEXT
# carry value None and each rule decides what they mean for it.
NUMBER = "number"
NUMBER_WITH_UNIT = "number_with_unit"
EMPTY = "empty"
DASH = "dash"
TEXT = "text"
CELL_KINDS = (NUMBER, NUMBER_WITH_UNIT, EMPTY, DASH, TEXT)

# A line without tabs this short inside a table is a cell (or the rest of the
# cell above, as in "本年新\n制作数量"), not prose.
MAX_CELL_LINE = 24
NUMERAL_VALUE = {n: i + 1 for i, n in enumerate(NUMERALS)}


# --------------------------------------------------------------------------- cells


@dataclass(frozen=True)
class CellValue:
    kind: str
    value: int | Decimal | None
    unit: str | None
    # a number is printed here that cannot be taken as a figure (kind EMPTY, value None)
    unreadable: bool = False


# The largest figure a report may state: what the rule engines compute with (int64).
# A number beyond it is printed but not read (an unreadable cell), never a figure.
MAX_FIGURE = 2**63 - 1
_MAX_DIGITS = len(str(MAX_FIGURE))
TOO_LARGE = CellValue(EMPTY, None, None, unreadable=True)
# numbers set apart by white space in one cell ("60 1", "0  +2"): two cells whose tab was
# lost, not one figure; printed, not read (only "1 234", digits in thousands, is one)
RUN_TOGETHER = CellValue(EMPTY, None, None, unreadable=True)
# each number ends with a digit: "661. 3120" (a decimal point, then a space) and "1, 151"
# (a thousands comma, then a space) are one number written loosely, as before
_NUMBERS_APART = on_use(r"[+-]?\d(?:[\d,.]*\d)?(?:\s+[+-]?\d(?:[\d,.]*\d)?)+")
_THOUSANDS_APART = on_use(r"[+-]?\d{1,3}(?:\s\d{3})+(?:\.\d+)?")


def run_together(raw: str) -> bool:
    """Numbers set apart by white space, and nothing else ("60 1", "0  +2"): two cells
    whose tab was lost; not digits in thousands ("1 234"), which are one number."""
    folded = fold(raw).strip()
    return _NUMBERS_APART.fullmatch(folded) is not None and _THOUSANDS_APART.fullmatch(folded) is None


# a row label with the row's first figure(s) in its cell ("(一) 予以公开 60": the tab
# between them lost): no label of either format ends with a digit
_FIGURES_AFTER_LABEL = on_use(
    r"(?P<label>.*[^\s\d.,，、])[ \t\u00a0\u3000]*(?P<figures>\d+(?:\.\d+)?(?:\s+\d+(?:\.\d+)?)*)\s*"
)


def figures_after_label(text: str) -> tuple[str, str, int] | None:
    """(label, figures, where the figures start) of a label cell that ends with figures, else None."""
    if not text[-1:].isdigit():
        return None
    m = _FIGURES_AFTER_LABEL.fullmatch(text)
    if m is None or not any(ch.isalpha() for ch in m["label"]):
        return None
    return m["label"].rstrip(), m["figures"], m.start("figures")


def _to_number(text: str) -> int | Decimal | None:
    """The number a cell writes, or None when it is beyond MAX_FIGURE."""
    text = text.replace(",", "")
    whole = text.lstrip("+-").partition(".")[0].lstrip("0")
    if len(whole) > _MAX_DIGITS:  # before int(): thousands of digits are slow, or refused
        return None
    if "." in text:
        decimal = Decimal(text)
        return decimal if abs(decimal) <= MAX_FIGURE else None
    value = int(text)
    return value if abs(value) <= MAX_FIGURE else None


# digits in thousands, "1,234" (folded text): one number in a cell, and in a flattened
# table's run of digits
THOUSANDS = r"\d{1,3}(?:,\d{3})+"
_NUMBER = rf"[+-]?(?:{THOUSANDS}|\d+)(?:\.\d+)?"


def _cell_words() -> tuple[str, str]:
    """The units and the dashes a cell may hold (formats/common.yaml), each as one regex
    alternation, longest first (so 万元 is tried before 元)."""
    shapes = common()["cells"]

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return alternation(shapes["units"]), alternation(shapes["dash"])


@functools.lru_cache(maxsize=1)
def _cell_grammar() -> pp.ParserElement:
    units, dashes = _cell_words()
    number = pp.Regex(_NUMBER)("number")
    unit = pp.Regex(units)("unit")
    dash = pp.Regex(dashes)("dash")
    return (number + pp.Opt(unit) + pp.StringEnd()) | (dash + pp.StringEnd())


@functools.lru_cache(maxsize=1)
def _cell_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The number, unit and dash of _cell_grammar as plain regular expressions."""
    units, dashes = _cell_words()
    return re.compile(_NUMBER), re.compile(units), re.compile(dashes)


def _cell_shape(text: str) -> tuple[str, str | None] | None:
    """What _cell_grammar reads in a squeezed cell text, read as pyparsing reads it.

    ("number text", unit or None) for a number, (DASH, None) for a dash, None
    for anything else.  pyparsing matches each Regex at its position without
    backtracking into it, and squeezed text holds no white space to skip, so
    matching the same expressions one after another with re is the same
    reading; tests/test_cell_regex.py holds both to it on every cell of the
    samples and on perturbed cells.
    """
    number, unit, dash = _cell_patterns()
    found = number.match(text)
    if found is not None:
        end = found.end()
        if end == len(text):
            return found.group(), None
        after = unit.match(text, end)
        if after is not None and after.end() == len(text):
            return found.group(), after.group()
    found = dash.match(text)
    if found is not None and found.end() == len(text):
        return DASH, None
    return None


def _cell_value(number: str, unit: str | None) -> CellValue:
    try:
        value = _to_number(number)
    except (InvalidOperation, ValueError):
        return CellValue(TEXT, None, None)
    if value is None:
        return TOO_LARGE
    if unit is not None:
        return CellValue(NUMBER_WITH_UNIT, value, unit)
    return CellValue(NUMBER, value, None)


@functools.lru_cache(maxsize=4096)
def classify_cell(raw: str) -> CellValue:
    """Kind, value and unit of one table cell's text (cached: cell texts repeat).

    Read by the regular expressions of _cell_grammar (:func:`_cell_shape`): the
    grammar stays the definition (:func:`classify_cell_grammar`), the regular
    expressions are 30x faster on the prose lines the scanner asks about.
    """
    text = squeeze(raw)
    if not text:
        return CellValue(EMPTY, None, None)
    if text != raw and run_together(raw):
        return RUN_TOGETHER
    shape = _cell_shape(text)
    if shape is None:
        return CellValue(TEXT, None, None)
    if shape[0] == DASH:
        return CellValue(DASH, None, None)
    return _cell_value(*shape)


def classify_cell_grammar(raw: str) -> CellValue:
    """classify_cell read by the pyparsing grammar itself (the tests' oracle)."""
    text = squeeze(raw)
    if not text:
        return CellValue(EMPTY, None, None)
    if run_together(raw):
        return RUN_TOGETHER
    try:
        result = _cell_grammar().parse_string(text, parse_all=True)
    except pp.ParseException:
        return CellValue(TEXT, None, None)
    if "dash" in result:
        return CellValue(DASH, None, None)
    return _cell_value(result["number"], result.get("unit"))


@functools.lru_cache(maxsize=1)
def _value_starts() -> frozenset[str]:
    """What a value's squeezed text may start with besides a digit: a sign, or a dash's
    first character (folded, as the cell patterns read it)."""
    return frozenset({"+", "-", *(fold(d)[:1] for d in common()["cells"]["dash"])})


def may_be_value(text: str) -> bool:
    """False when a stripped cell text is surely no value (classify_cell: TEXT) though not
    blank: its first character, folded, starts no number, no dash and no numbers run
    together. A zero-width first character (folded to a space) is not judged: True."""
    first = text[:1]
    if not first or first in "\u200b\ufeff":
        return True
    first = fold(first)
    return first.isdigit() or first in _value_starts()  # isdigit: every \d, and more


def is_value_text(raw: str) -> bool:
    """A cell that holds a value (number, dash, unit amount), not a label."""
    cell = classify_cell(raw)
    return cell.kind in (NUMBER, NUMBER_WITH_UNIT, DASH) or cell.unreadable


# ------------------------------------------------------------------------ headings


@dataclass(frozen=True)
class Heading:
    number: str
    text: str
    column: int  # 1-based column of the numeral in the raw line
    # numbered otherwise than "N、" (parse_loose_heading): kept only where no heading of
    # the same number is read the usual way (parse/document.py)
    loose: bool = False
    rest: str = ""  # what follows the part's title on its line: the start of its text
    # the numbering as written where it is not the format's "N、" ("第一部分", "（三）", "1、"):
    # the part is read all the same (a note, GX-STR-009); empty for "N、"
    numbering: str = ""
    arabic: bool = False  # numbered with a digit ("1、总体情况"): a part only in its order


@functools.lru_cache(maxsize=1)
def _heading_grammar() -> pp.ParserElement:
    artefacts = common()["heading_artefacts"]
    artefact = pp.Regex("|".join(artefacts))
    numeral = pp.Regex(f"[{NUMERALS}]{{1,2}}")("number")
    # the text of a part heading: short, no sentence end inside
    text = pp.Regex(r"[^\t。；;]{2,40}?(?=[。.]?\s*$)")("text")
    grammar = (
        pp.Suppress(pp.ZeroOrMore(artefact))
        + pp.Located(numeral)("loc")
        + pp.Suppress(pp.Regex(r"\s*[、.．]\s*"))
        + pp.Located(text)("text_loc")
    )
    grammar.set_whitespace_chars(" \t")
    grammar.parse_with_tabs()  # keep columns: pyparsing expands tabs by default
    return grammar


@functools.lru_cache(maxsize=1)
def _not_heading_keys() -> tuple[str, ...]:
    return tuple(common()["not_headings"])


# cheap guard: a heading has a numeral and 、 near the start (after an artefact)
_MAYBE_HEADING = on_use(r"^\s*(?:\[[^\]]*\]\s*)*[一二三四五六七八九十]{1,2}\s*[、.．]")
# _MAYBE_HEADING on the line before folding (fold() maps U+3000 and the like to a space, the
# zero-width characters to a space, ［】 and full-width dots to ASCII, ､ to 、) and before the
# emphasis around it is blanked (without_emphasis): every line it would match then matches
# here, so a line failing this is not folded at all (most lines)
_MAYBE_HEADING_RAW = on_use(
    r"^[\s\u200b\ufeff]*(?:(?:\*{1,3}|_{2,3})[\s\u200b\ufeff]*)?(?:[\[［【][^\]］】]*[\]］】][\s\u200b\ufeff]*)*"
    r"[一二三四五六七八九十]{1,2}[\s\u200b\ufeff]*[、.．､]"
)
# the emphasis a converter wraps a heading in ("**一、总体情况**", "__一、总体情况__"): its
# marks where they open the line and where they close it (before a full stop or a colon)
_EMPHASIS_OPENS = on_use(r"^\s*(\*{1,3}|_{2,3})")
_EMPHASIS_CLOSES = on_use(r"(\*{1,3}|_{2,3})[\s。.:：]*$")


def without_emphasis(line: str) -> str:
    """The line with the emphasis marks that open it, and close it, blanked (a space for
    each: columns stay); a line not opening with one as it is."""
    if "*" not in line and "_" not in line:
        return line
    opens = _EMPHASIS_OPENS.match(line)
    if opens is None:
        return line
    start, end = opens.span(1)
    line = line[:start] + " " * (end - start) + line[end:]
    closes = _EMPHASIS_CLOSES.search(line, end)
    if closes is not None:
        start, end = closes.span(1)
        line = line[:start] + " " * (end - start) + line[end:]
    return line


def parse_heading(line: str) -> Heading | None:
    """A top-level part heading ("三、收到和处理…"), or None.

    Read with _heading_regex, the grammar of _heading_grammar written as one
    regular expression (ten times faster: every line of every report is
    tried); tests/test_heading_regex.py checks that both read every line of
    the seeds, the corpus, generated reports and their perturbations alike.
    """
    folded = _heading_candidate(line)
    if folded is None:
        return None
    match = _heading_regex().match(folded)
    if match is None:
        return None
    return _heading(line, match.group("number"), match.start("number"), *match.span("text"))


def parse_heading_grammar(line: str) -> Heading | None:
    """parse_heading by the pyparsing grammar itself (the definition the regex is checked against)."""
    folded = _heading_candidate(line)
    if folded is None:
        return None
    try:
        result = _heading_grammar().parse_string(folded)
    except pp.ParseException:
        return None
    text_start, _tokens, text_end = result["text_loc"]
    return _heading(line, result["loc"][1][0], result["loc"][0], text_start, text_end)


def _heading_candidate(line: str) -> str | None:
    """The folded line, if it may be a heading (a numeral and 、 near the start, no tab inside)."""
    if not _MAYBE_HEADING_RAW.match(line):
        return None
    folded = without_emphasis(fold(line))
    if not _MAYBE_HEADING.match(folded):
        return None
    stripped = folded.strip()
    # a line that starts with a tab, or holds one, is a table cell, not a heading
    if not stripped or "\t" in folded.rstrip():
        return None
    return folded


def _heading(line: str, number: str, number_start: int, text_start: int, text_end: int) -> Heading | None:
    text = line[text_start:text_end].strip()  # as written (raw, not folded)
    key = squeeze(text)
    # a table-three row's label ("三、本年度办理结果"), or the start of one cut over two
    # lines ("一、本年" / "新收政府信息公开申请数量…")
    if any(k in key or k.startswith(key) for k in _not_heading_keys()):
        return None
    return Heading(number=number, text=text, column=number_start + 1)


# pyparsing skips " \t" before the grammar, then " \t\r\n" before each element; it
# never backtracks into an element once matched (possessive quantifiers, atomic groups)
_SKIP = r"[ \t\r\n]*+"


@functools.lru_cache(maxsize=1)
def _heading_regex() -> re.Pattern[str]:
    """_heading_grammar as one regular expression: the same lines, the same spans."""
    artefacts = "|".join(common()["heading_artefacts"])
    return re.compile(
        rf"^(?>{_SKIP}(?:{artefacts}))*+{_SKIP}(?P<number>[{NUMERALS}]{{1,2}}+)"
        rf"{_SKIP}\s*+[、.．]\s*+{_SKIP}(?P<text>[^\t。；;]{{2,40}}?)(?=[。.]?\s*$)"
    )


# A part heading written otherwise, read on the folded line: "（三）收到和处理…", "三 收到和
# 处理…", "三，…", "第三部分 收到和处理…", "3、收到和处理…", or "一、总体情况 本机关…" (the
# title, then the part's text on the same line)
_LOOSE_HEADING = on_use(
    r"^\s*(?P<numbering>"
    r"\(\s*(?P<paren>[一二三四五六])\s*\)"
    r"|第\s*(?P<chapter>[一二三四五六1-6])\s*部分\s*[、.,:]?"
    r"|(?P<arabic>[1-6])\s*[、.]"
    r"|(?P<number>[一二三四五六])\s*(?:(?P<usual>[、.])|[,:]|(?=\s))"
    r")\s*(?P<text>\S.*)$"
)
# after a title, what a heading's line goes on with: not a comma (a sentence goes on)
_TITLE_ENDS = (" ", "\u3000", "\u00a0", "：", ":", "。")
_AFTER_TITLE = " \u3000\u00a0。：:"


def _numbering(written: str, form: str) -> str:
    """A loose heading's numbering as written ("（三）", "3、", "三，"); "第三部分" without the
    colon or comma after it."""
    written = written.strip()
    return written.rstrip("、.．,，:：").strip() if form == "chapter" else written


@remembered_when_short(80, maxsize=4096)  # sub-items such as "（一）主动公开" repeat across reports
def parse_loose_heading(line: str) -> Heading | None:
    """A part heading written otherwise than "N、title" alone on its line, recognised only
    by one of the six parts' titles (or their variants) right after its own number:

    * "（三）…", "三 …", "三，…": the title (not a variant wording) of the part of that
      number ("（一）主动公开" or "（二）主动公开情况", sub-items of part 一, name no part);
    * "第三部分 …", "第三部分：…": the title or a variant;
    * "3、…", "3.…": the title or a variant, alone on its line (Arabic numbers number
      the sub-items of a part: "1.主动公开情况" under 总体情况 names part 二 by number 1, and
      is none), and a part only where no heading numbered with a numeral has its number
      and where it stands in order (parse/document.py);
    * "一、总体情况 本机关…": the title (or a variant) of the part of that number, then
      white space, a colon or 。, then the part's text (Heading.rest).

    Either is `loose`: kept only where no heading of its number is read the usual way
    (a numbered item "三、依申请公开情况：…" of part 五 then stays text). Emphasis around
    the line ("**第一部分 总体情况**") is no part of it.

    None for every other line (parse_heading reads the usual headings)."""
    if "\t" in line:
        return None
    folded = without_emphasis(fold(line))  # as long as the line: a place in one is one in the other
    match = _LOOSE_HEADING.match(folded)
    if match is None:
        return None
    usual = match.group("usual") is not None
    arabic = match.group("arabic") is not None
    group = next(g for g in ("paren", "chapter", "arabic", "number") if match.group(g) is not None)
    written = match.group(group)
    number = NUMERALS[int(written) - 1] if written.isdigit() else written
    # the title or a variant where the numbering leaves no doubt that a part is meant
    variants = usual or arabic or match.group("chapter") is not None
    text_start = match.start("text")
    folded_text = squeeze(match.group("text"))
    best: tuple[int, Label] | None = None
    for label in _section_labels():
        if label.get("number") != number:
            continue  # a numbered item of a part's text names another part ("一、主动公开情况，…")
        # numbered otherwise, only the title itself: part 一's sub-items name the other
        # parts in their variant words ("（二）主动公开情况" under 总体情况)
        for title in label.texts if variants else (label.label,):
            key = squeeze(title)
            if folded_text.startswith(key) and (best is None or len(key) > best[0]):
                best = (len(key), label)
    if best is None:
        return None
    # the title's end in the text as written (white space inside it skipped)
    end, seen = text_start, 0
    while seen < best[0]:
        if not folded[end].isspace():
            seen += 1
        end += 1
    after = folded[end:]
    if after and not after.startswith(_TITLE_ENDS):
        return None  # "一、总体情况良好": a sentence that starts with a title's words
    alone = not after.strip(_AFTER_TITLE)
    if usual and alone:
        return None  # "N、title" alone: parse_heading's, not this
    if arabic and not alone:
        return None  # "1.总体情况：…": an item of a list, not a part
    return Heading(
        number=number,
        text=line[text_start:end].strip(),
        column=match.start(group) + 1,
        loose=True,
        rest="" if alone else line[end:].strip(" \u3000\u00a0：:。，,；"),
        numbering="" if usual else _numbering(line[match.start("numbering") : text_start], group),
        arabic=arabic,
    )


# a run of part headings this long, as many of its parts headed again after it: a contents
# list (parse/document.py; read/flattened/text.py keeps the headings after it)
CONTENTS_RUN = 3
# a contents list's entry: dot leaders, then its page's number ("一、总体情况……1", "一、总体
# 情况 ........ 1", "一、总体情况·····1"), on the folded line
_PAGE_LEADER = on_use(r"(?:[.…⋯·・•‧_\-—–─][ ]*){2,}\d{1,3}[ ]*$")
_LEADER_ALONE = on_use(r"[.…⋯·・•‧_\-—–─ ]*\d{1,3}")


def ends_with_page_leader(line: str) -> bool:
    """A line that ends like an entry of a contents list: dot leaders and a page number.

    (A tab before the page number, "一、总体情况\t1", makes the line a row of cells: no
    heading is read on it at all.)"""
    if not _may_end_with_digit(line):
        return False
    text = fold(line).rstrip()
    # ends with its page's number: a line ending otherwise (most) is not searched
    return text[-1:].isdigit() and _PAGE_LEADER.search(text) is not None


def is_leader_alone(line: str) -> bool:
    """A line that holds no more than an entry's leader and page number ("……3", "3"): what
    stands between two entries of a contents list once a flattened page is cut into lines."""
    return _may_end_with_digit(line) and _LEADER_ALONE.fullmatch(fold(line).strip()) is not None


def _may_end_with_digit(line: str) -> bool:
    """False when the line, folded and white space stripped, surely does not end with a
    digit: its last character before white space is none (folding makes no digit of any
    other character), nor a zero-width one (folded to a space). Most lines: not folded."""
    last = line.rstrip()[-1:]
    return not last or last in "\u200b\ufeff" or last.isdigit()


# ---------------------------------------------------------------- title and years


@functools.lru_cache(maxsize=1)
def _year_regex() -> re.Pattern[str]:
    return re.compile(common()["title"]["year"])


# a year written in Chinese digits one by one ("二〇二二年", "二零二二年度", "二○二二年")
_CHINESE_YEAR = on_use(r"(?P<year>[一二][〇零○一二三四五六七八九]{3})\s*年")


def title_year(title: str) -> tuple[int | None, int | None]:
    """The year of a title and where its digits start (0-based), or (None, None)."""
    match = _year_regex().search(fold(title))
    if match:
        return int(match.group("year")), match.start("year")
    written = _CHINESE_YEAR.search(title)
    if written:
        year = digits_one_by_one(written["year"])
        if 1900 <= year <= 2099:
            return year, written.start("year")
    return None, None


_ORGAN_AFTER_YEAR = on_use(r"(?:19|20)\d\d\s*年度?\s*(?P<organ>.+?)\s*(?:政府信息公开|政务公开|信息公开)")


def organ_after_year(title: str) -> str | None:
    """The organ of a title that starts with its year: "2024 年上海市科委政府信息公开…"."""
    match = _ORGAN_AFTER_YEAR.search(title)
    return match.group("organ").strip() or None if match else None


# A date as a report or its page writes one (in a folded text): 2022年1月20日, 2022-01-20,
# 2022.1.20, 2022/1/20, 二〇二二年一月二十日 (its 〇 often typed 0: 二0二二年); January may be
# 元月 (正月, the lunar month, is not a date of the calendar a deadline is counted in)
DIGIT_DATE = r"(?:19|20)\d\d\s*(?:年\s*(?:\d{1,2}|元)\s*月\s*\d{1,2}\s*日|[-./]\d{1,2}[-./]\d{1,2})"
NUMERAL_DATE = r"[〇○零0一二三四五六七八九]{4}\s*年\s*(?:[一二三四五六七八九十]{1,3}|元)\s*月\s*[一二三四五六七八九十]{1,3}\s*日"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
# a document number: "焦政〔2022〕5号", "某办发[2022]12号"
_DOCUMENT_NUMBER = r"[\u4e00-\u9fff]{1,16}[〔\[(]\s*(?:19|20)\d\d\s*[〕\])]\s*第?\s*\d{1,5}\s*号"
# a date alone on its line, perhaps with a time or in brackets ("（2022年1月20日）", "2022-01-20 14:30")
_DATED = rf"[(\[]?\s*(?:{DIGIT_DATE}|{NUMERAL_DATE})(?:\s*{_TIME})?\s*[)\]]?"
_DATE_LINE = on_use(_DATED)
_DOCUMENT_NUMBER_LINE = on_use(_DOCUMENT_NUMBER)


def _page_field_labels() -> str:
    """The labels of formats/common.yaml page_fields as alternatives, the longest first."""
    return "|".join(map(re.escape, sorted(common()["page_fields"], key=len, reverse=True)))


@functools.lru_cache(maxsize=1)
def _page_field() -> re.Pattern[str]:
    """A page field's label and its colon (formats/common.yaml page_fields), at the start of
    a line or after white space."""
    return re.compile(rf"(?:^|\s)(?:{_page_field_labels()})\s*:")


def holds_page_field(text: str) -> bool:
    """A line that prints a page's or a filed document's fields ("发布日期：…", "索引号：…",
    "X人民政府 2022-01-20 来源：党政办", "主办：X  更新时间：2022-03-01")."""
    return ":" in (folded := fold(text)) and _page_field().search(folded) is not None


def is_date_line(text: str) -> bool:
    """A line that is a date and nothing else (perhaps a time, or brackets around it)."""
    return _DATE_LINE.fullmatch(fold(text).strip()) is not None


def is_metadata_line(text: str) -> bool:
    """A line that tells about the report (its date, its fields, its document number),
    never a part of its title: a date alone, page fields, a document number alone."""
    return (
        is_date_line(text)
        or holds_page_field(text)
        or _DOCUMENT_NUMBER_LINE.fullmatch(squeeze(text)) is not None
    )


@functools.lru_cache(maxsize=1)
def _leading_metadata() -> re.Pattern[str]:
    """Dates, document numbers and page fields at the start of a folded text, each followed
    by white space (a field's value runs to it; a date or a number may touch what follows)."""
    labels = _page_field_labels()
    dated = rf"(?:(?:{labels})\s*:\s*)?(?:{_DATED}|{_DOCUMENT_NUMBER})"
    return re.compile(rf"\s*(?:{dated}\s*|(?:{labels})\s*:\s*\S*\s+)+")


def leading_metadata_end(text: str) -> int:
    """Where the dates, document numbers and page fields a flattened page starts with end, 0
    when it starts with none ("发布日期：2022-01-20 索引号：…/2022-00002 TITLE…")."""
    found = _leading_metadata().match(fold(text[:400]))
    return found.end() if found else 0


# the name a page's header line starts with, before its date and fields ("X人民政府 2022-01-20
# 14:30 来源：…", "X门户网站 发布时间：…"): one word, no digit (never a title's year) nor colon
_HEADER_NAME = on_use(r"\s*[^\s\d:]{2,30}\s+")
# the page's buttons after its fields: "【字体：大 中 小】", "【打印】", "[关闭]"
_HEADER_BUTTONS = on_use(r"(?:\s*[【\[][^【】\[\]]{1,20}[】\]])+\s*")


def page_header_end(text: str) -> int:
    """Where the header a web page's text starts with ends: its dates, document numbers and
    page fields (leading_metadata_end), perhaps after the site's or organ's name, and the
    page's buttons after them; 0 when it starts with none. ("X人民政府 2022-01-20 14:30
    来源：县政府办 X2021年…年度报告": the title follows.) A name alone, or not followed by
    a date or a field that white space ends, is no header."""
    end = leading_metadata_end(text)
    if not end:
        named = _HEADER_NAME.match(fold(text[:40]))
        start = named.end() if named else 0
        after = leading_metadata_end(text[start:]) if start else 0
        if not after or not text[start + after - 1].isspace():
            return 0  # "X关于 2022年1月20日印发的…": a sentence, not a header
        end = start + after
    buttons = _HEADER_BUTTONS.match(fold(text[end : end + 200]))
    return end + buttons.end() if buttons else end


# Page chrome: the breadcrumb a web page starts with ("当前位置：首页 > 政务公开 > …").
PAGE_CHROME = on_use(
    r"^\s*(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|您当前的位置|所在位置|当前页面)\s*[:：]?"
)


def is_page_chrome(text: str) -> bool:
    """A line that starts with a web page's breadcrumb."""
    return bool(PAGE_CHROME.match(fold(text)))


# a page's number as a printed page carries it into the text ("第 3 页", "第3页 共5页",
# "- 3 -", "— 2 —", "3 / 5"): a page break, wherever it falls
_PAGE_NUMBER = on_use(
    r"第\d{1,4}页(?:[,，/、]?共\d{1,4}页)?|[-—–]{1,2}\d{1,4}[-—–]{1,2}|共\d{1,4}页第\d{1,4}页"
    r"|(?P<page>\d{1,3})/(?P<pages>\d{1,3})"
)


# the same "第N页 (共M页)" run into a text, white space in it (a flattened page)
PAGE_NUMBER_IN_TEXT = on_use(
    r"第[ \u3000]*\d{1,4}[ \u3000]*页(?:[ \u3000]*[,，/、]?[ \u3000]*共[ \u3000]*\d{1,4}[ \u3000]*页)?"
)


def is_page_number(text: str) -> bool:
    """A line that is a page's number and nothing else (a bare "3" is not: it is a cell)."""
    found = _PAGE_NUMBER.fullmatch(squeeze(text))
    if found is None:
        return False
    return found.group("page") is None or 0 < int(found.group("page")) <= int(found.group("pages"))


# what a notice's title ends with after the report's name ("X关于公布…年度报告的通知"), and
# a cover letter's or a notice's ("X关于报送…年度报告的函")
NOTICE_TITLE_ENDINGS = ("的通知", "的公告")
TITLE_COVER_ENDINGS = ("的函", *NOTICE_TITLE_ENDINGS)


def is_title_end(text: str) -> bool:
    """A title ends "…年度报告" (or a cover letter's or notice's "…年度报告的函/的通知"),
    perhaps in book-title marks ("《…年度报告》")."""
    key = squeeze(text).removesuffix("》")
    for ending in TITLE_COVER_ENDINGS:
        key = key.removesuffix(ending)
    return any(key.endswith(e) for e in common()["title"]["endings"])


def is_notice_title(text: str) -> bool:
    """A notice's title ("X关于公布/报送…年度报告的通知"): the title of a report published
    under it, but alone (a notice asking organs to report) no sign of a report."""
    return squeeze(text).removesuffix("》").endswith(NOTICE_TITLE_ENDINGS)


def without_title_marks(text: str) -> str:
    """A title without the book-title marks it may be printed in ("《X2021年…年度报告》")."""
    if text.startswith("《") and text.endswith("》") and "《" not in text[1:-1]:
        return text[1:-1].strip()
    return text


# a year alone on the line after a title that has none ("（2021年度）", "2021年")
_YEAR_ALONE = on_use(r"[（(]?\s*(?:19|20)\d\d\s*年度?\s*[）)]?")


def is_year_alone(text: str) -> bool:
    return _YEAR_ALONE.fullmatch(fold(text).strip()) is not None


@functools.lru_cache(maxsize=1)
def _period_grammar() -> pp.Regex:
    return pp.Regex(common()["period"])


def statistics_period(line: str) -> list[tuple[int, int]]:
    """Years named by a statistics-period sentence, with their column (1-based)."""
    years: list[tuple[int, int]] = []
    if "统计" not in line:  # cheap guard before the grammar
        return years
    # the terminal's compiled pattern gives the groups' positions in one pass
    folded = fold(line)
    for match in _period_grammar().re.finditer(folded):
        years.append((_period_year(match["start"]), match.start("start") + 1))
        # "2020年1月1日起至12月31日止": the end's year left out is the start's
        group = "end" if match["end"] else "start"
        years.append((_period_year(match[group]), match.start(group) + 1))
    if not years:  # "统计时段为2020年度": one whole year, its start and its end
        for m in _whole_year().finditer(folded):
            years += [(_period_year(m["year"]), m.start("year") + 1)] * 2
    return years


@functools.lru_cache(maxsize=1)
def _whole_year() -> re.Pattern[str]:
    return re.compile(common()["period_year"])


def _period_year(text: str) -> int:
    """2020, or 二〇二〇 written digit by digit."""
    return int(text) if text.isdigit() else digits_one_by_one(text)


def statistics_periods(lines: list[str]) -> list[tuple[int, int]]:
    """(year, line number) of every year the statistics-period sentences of these lines name.

    statistics_period on every line, its cheap guard tested here first (one call per
    line holding 统计, not per line: every line of every report is looked at)."""
    return [
        (year, number)
        for number, line in enumerate(lines, start=1)
        if "统计" in line
        for year, _column in statistics_period(line)
    ]


# ------------------------------------------------------------------- table marks


@functools.lru_cache(maxsize=1)
def _block_heading_grammar() -> pp.ParserElement:
    return pp.Regex(common()["proactive"]["block_heading"])


BLOCK_HEADING_WORD = "条"  # every block heading of table two names the article (第二十条, 第20条)
_ARTICLE = on_use(r"第(?:二十|20)条")  # in squeezed text: most lines with 条 name 条例, not it
# characters every text holds as written where block_heading_item finds a heading (_ARTICLE's
# 第 and 条: folding makes neither)
BLOCK_HEADING_CHARS = "第" + BLOCK_HEADING_WORD
# what may stand before a block heading in its cell: the statute's name ("《条例》",
# "《中华人民共和国政府信息公开条例》"); anything else ("根据《条例》…", "按照…") is a
# sentence that cites the article, not a heading
_BEFORE_BLOCK_HEADING = on_use(
    r"[*#>\-]*(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.]?)?[*#>\-]*"
    r"《?(?:中华人民共和国)?(?:政府信息公开)?(?:条例)?》?[*]*"
)
# after it, a short title at most ("：主动公开规章情况"), never a sentence's words
_AFTER_BLOCK_HEADING = 12
_SENTENCE_WORDS = on_use(r"[,，。；;]|规定|要求|的")


def block_item(match: re.Match | pp.ParseResults) -> str:
    """The item of a block heading's match as the formats name it (一, 五, 十一…)."""
    item = match["item"] or match["bare"]
    if item.isdigit() and 1 <= int(item) <= 19:
        return chinese_numeral(int(item))
    return item  # no format has it: said so where the block is read


@functools.lru_cache(maxsize=4096)
def block_heading_item(text: str) -> str | None:
    """The item numeral of a 第二十条第（X）项 block heading, or None (also for a sentence
    that cites the article)."""
    key = squeeze(text)
    if BLOCK_HEADING_WORD not in key or _ARTICLE.search(key) is None:  # cheap guards before the grammar
        return None
    for tokens, start, end in _block_heading_grammar().scan_string(key, max_matches=1):
        after = key[end:]
        if not _BEFORE_BLOCK_HEADING.fullmatch(key[:start]) or len(after) > _AFTER_BLOCK_HEADING:
            return None
        if _SENTENCE_WORDS.search(after):
            return None
        return block_item(tokens)
    return None


def applications_markers() -> list[str]:
    """The words that mark table three's header in any format (formats/common.yaml)."""
    return common()["applications"]["markers"]


def is_applications_marker(text: str) -> bool:
    key = squeeze(text)
    return any(m in key for m in applications_markers())


def is_proactive_header_marker(text: str) -> bool:
    return squeeze(text) == common()["proactive"]["header_marker"]


# ------------------------------------------------------------------------ labels

_ENUMERATOR = on_use(r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|\d+[.、)]|\(\d+\))+")


# not remembered: its callers remember their own results, so it saw only their misses
# (3 % of its calls found the text again over 5,000 reports) and kept 4,096 texts for it
def strip_enumerator(text: str) -> str:
    """A label without its leading "三、", "(一)", "1." and the like."""
    key = squeeze(text)
    previous = None
    while previous != key:
        previous = key
        key = _ENUMERATOR.sub("", key)
    return key


class LabelSet(tuple):
    """Labels kept as long as the formats (made once by their user): match_label's cache
    keys them by identity. Hashing a tuple of Label dataclasses, field by field, on every
    look-up cost more than most look-ups."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other


def match_label(text: str, labels: tuple[Label, ...] | list[Label], cutoff: float = 0.72) -> Label | None:
    """The label a cell's text names (see _match_label); cached, labels repeat."""
    return _match_label(text, labels if type(labels) is LabelSet else tuple(labels), cutoff)


@functools.lru_cache(maxsize=8192)
def _match_label(text: str, labels: tuple[Label, ...], cutoff: float) -> Label | None:
    """The label a cell's text names, tolerating white space, width, typos.

    Exact key matches win; then a label's distinctive `keys`; then a label
    the text starts with; then the closest wording above `cutoff` (difflib ratio on the punctuation-free key).
    """
    key = match_key(strip_enumerator(text))
    if not key:
        return None
    for label in labels:
        if any(match_key(t) == key for t in label.texts):
            return label
    for label in labels:
        if any(k and k in key for k in label.keys):
            return label
    # a label followed by a note in brackets: "采购总金额(单位:万元,保留4位小数)"
    for label in labels:
        if any(len(match_key(t)) >= 4 and key.startswith(match_key(t)) for t in label.texts):
            return label
    best, best_ratio = None, cutoff
    for label in labels:
        for candidate in label.texts:
            ratio = difflib.SequenceMatcher(None, key, match_key(candidate)).ratio()
            if ratio > best_ratio:
                best, best_ratio = label, ratio
    return best


@functools.lru_cache(maxsize=1)
def _section_labels() -> tuple[Label, ...]:
    # every format shares the six parts: take them from the newest format
    formats = list(load_formats().values())
    return LabelSet(formats[-1].sections)


def match_section(heading_text: str) -> tuple[str | None, bool]:
    """(section id, is a variant wording) for a heading's text."""
    key = match_key(heading_text)
    for label in _section_labels():
        if match_key(label.label) == key:
            return label.id, False
    variant = match_label(heading_text, _section_labels(), cutoff=0.6)
    if variant is None:
        return None, False
    return variant.id, True


# ------------------------------------------------------------------ year mentions

_YEAR_MENTION = pp.Regex(
    r"(?<![\d〔\[(〇零○一二三四五六七八九十])"
    r"(?:(?P<year>(?:19|20)\d\d)|(?P<written>[一二][〇零○][〇零○一二三四五六七八九]{2}))\s*(?:年|年度)"
)


def year_mentions(text: str) -> list[tuple[int, int, int]]:
    """(year, start, end) offsets of each "2020年" or "二〇二〇年" in a text (document numbers
    excluded)."""
    # The terminal's own compiled pattern (scan_string would retry the Regex at every position
    # of every line: measured 7 ms per report), tried only where a mention can start. Every
    # mention ends with the first 年 after its four digits and their white space, and no two
    # overlap: the mentions are those of the text's 年, each with its four characters before
    # (and white space) matched there, as a scan from the start finds them (about 2.5 times
    # faster than a scan trying the pattern at every character of a line).
    line = fold(text)
    match = _YEAR_MENTION.re.match
    found = []
    at = line.find("年")
    while at >= 0:
        start = at
        while start and line[start - 1].isspace():  # (\s is what str.isspace says)
            start -= 1
        m = match(line, start - 4) if start >= 4 else None
        if m is not None:
            found.append(
                (int(m["year"]) if m["year"] else digits_one_by_one(m["written"]), m.start(), m.end())
            )
        at = line.find("年", at + 1)
    return found


@functools.lru_cache(maxsize=1)
def applications_openings() -> tuple[str, ...]:
    """What the name of table three's first row starts with, however it is worded (本年新收,
    本年度新收, 本年收到…): that row's keys (formats/common.yaml)."""
    first = next(r for r in common()["applications"]["rows"] if r["id"] == "new")
    return tuple(squeeze(k) for k in first["keys"])


# a sentence, not a row's name ("本年度收到申请12件，均已办结。")
_SENTENCE_MARKS = on_use(r"[，。；;]|,(?!\d)")  # "1,234": a figure's comma


@functools.lru_cache(maxsize=4096)  # label texts repeat across reports
def starts_opening(text: str) -> bool:
    """The start of table three's first row label cut short ("一、本" of "一、本年新收…")."""
    key = strip_enumerator(text)
    return bool(key) and any(o.startswith(key) and key != o for o in applications_openings())


@functools.lru_cache(maxsize=4096)  # label texts repeat across reports
def opens_applications(text: str) -> bool:
    """A cell that starts table three's data: its first row's name (一、本年新收…, 一、本年度
    新收…, 一、本年收到…), not a sentence that starts with the same words."""
    key = strip_enumerator(text)
    return key.startswith(applications_openings()) and _SENTENCE_MARKS.search(key) is None


@functools.lru_cache(maxsize=1)
def _application_groups() -> tuple[str, ...]:
    return tuple(match_key(g) for g in common()["applications"]["groups"])


# a column a table-three header may add after 法人或其他组织's (their 小计): no column of the
# formats; its cells are no cells of theirs (match keys)
SUBTOTAL_COLUMNS = frozenset({"小计"})


@functools.lru_cache(maxsize=4096)  # label texts repeat across reports
def is_application_group(text: str) -> bool:
    """A label that groups table-three rows (三、本年度办理结果, (三)不予公开 …)."""
    return match_key(strip_enumerator(text)) in _application_groups()


@functools.lru_cache(maxsize=1)
def _review_header_keys() -> tuple[str, ...]:
    return tuple(match_key(h) for h in common()["review_litigation"]["header_cells"])


# a block of table four as headers name it besides the format's 行政复议 | 行政诉讼 (match
# keys): 复议, 行政复议情况, 行政复议案件, 行政诉讼数量, 政府信息公开行政复议, 行政复议（件）
# (one of REVIEW_BLOCK_WORDS is in every such name: the scanner's pre-test counts on it)
REVIEW_BLOCK_WORDS = ("复议", "诉讼")
_REVIEW_BLOCK_NAME = on_use(
    r"(?:政府信息公开)?(?:行政)?(?:" + "|".join(REVIEW_BLOCK_WORDS) + r")(?:案件)?(?:情况|数量|件数|数)?件?"
)


@functools.lru_cache(maxsize=4096)  # label texts repeat across reports
def is_review_header(text: str) -> bool:
    """A cell of table four's header as the format names it."""
    return match_key(text) in _review_header_keys()


@functools.lru_cache(maxsize=1)
def _review_column_keys() -> frozenset[str]:
    return frozenset(match_key(c["label"]) for c in common()["review_litigation"]["columns"])


def review_header_blocks() -> tuple[str, ...]:
    """The match keys of table four's header cells that name no column (行政复议, 复议后起诉…):
    a header cell that is not a column's is one of them, or a block name (_REVIEW_BLOCK_NAME)."""
    return tuple(k for k in _review_header_keys() if k not in _review_column_keys())


@functools.lru_cache(maxsize=4096)
def is_review_column(text: str) -> bool:
    """A cell naming one of table four's columns (结果维持 … 总计), not a block."""
    return match_key(text) in _review_column_keys()


@functools.lru_cache(maxsize=4096)
def is_review_header_cell(text: str) -> bool:
    """A cell of table four's header, its block named as the format does or otherwise
    (行政复议情况, 复议): only in a row of such cells is it a header's (a line alone
    "行政复议情况" is as likely a sub-heading over the part's text)."""
    key = match_key(text)
    return key in _review_header_keys() or _REVIEW_BLOCK_NAME.fullmatch(key) is not None
