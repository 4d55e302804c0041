"""Finding a flattened page's parts: detection, labels, paragraphs, title and part headings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from gxaudit.formats import grammar
from gxaudit.formats.load import common, load_formats
from gxaudit.formats.text import fold, match_key
from gxaudit.regex import on_use

# A text is flattened when one line holds most of a long text.
FLAT_MIN_CHARS = 1000
FLAT_LINE_SHARE = 0.6

NUMERALS = grammar.NUMERALS
HEADING_ENDINGS = ("情况", "措施", "事项", "概述", "统计表", "问题")

# ------------------------------------------------------------------ detection

_PART_ON_LINE = on_use(
    r"[一二三四五六]、\s*(?:总体情况|主动公开|收到和处理|政府信息公开行政|"
    r"存在的主要问题|存在问题|其他需要报告)"
)


# table three run together on one line: its first row, results and last row in order,
# with figures between (a page whose paragraphs kept their lines and whose tables did not)
_TABLE_THREE_ON_LINE = on_use(r"本年新收.{0,80}?\d.{0,400}?予以公开.{0,2000}?不予处理.{0,2000}?结转下年度")


def is_flattened(text: str) -> bool:
    """A text most of which sits on one line (long, or holding three part headings), or
    whose table three sits on one line (its paragraphs kept their lines: they are read
    as well run together)."""
    stripped = text.strip()
    lines = stripped.splitlines()
    # no line, even unstripped, is long enough (most texts): no need to strip each one
    longest_length = max(map(len, lines), default=0)
    if longest_length >= FLAT_LINE_SHARE * len(stripped):
        longest = max((line.strip() for line in lines), key=len, default="")
        if len(longest) >= FLAT_LINE_SHARE * len(stripped) and (
            len(longest) >= FLAT_MIN_CHARS or len(_PART_ON_LINE.findall(longest)) >= 3
        ):
            return True
    # a line long enough to hold table three's labels, and they are all on it
    return longest_length >= _TABLE_THREE_CHARS and _table_three_on_a_line(stripped)


def lines_flattened(lines: list[str]) -> bool:
    """is_flattened of the text of these lines, joined by line breaks. When no line is as
    long as a flattened text's longest (FLAT_LINE_SHARE of the text), its first test cannot
    hold (a line is_flattened reads is a piece of one of these: no longer), and the text is
    not split again unless table three stands on one line (most texts: neither)."""
    text = "\n".join(lines)
    longest = max(map(len, lines), default=0)
    stripped = text.strip()
    if longest >= FLAT_LINE_SHARE * len(stripped):
        return is_flattened(text)
    # its first test cannot hold: the second is table three on a line, long enough
    return longest >= _TABLE_THREE_CHARS and _table_three_on_a_line(stripped) and is_flattened(text)


def _table_three_on_a_line(text: str) -> bool:
    """Table three's first row and last row on one line (_TABLE_THREE_ON_LINE). Their words
    are Chinese, the same folded or not: found by plain search, and only the line that
    holds both is read by the expression (a report written a row a line has none)."""
    start = text.find("本年新收")
    while start != -1:
        end = text.find("结转下年度", start)
        if end == -1:
            return False
        if text.find("\n", start, end) == -1:  # both on one line
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            line = text[line_start : line_end if line_end != -1 else len(text)]
            if _TABLE_THREE_ON_LINE.search(fold(line)):
                return True
        start = text.find("本年新收", start + 1)
    return False


_TABLE_THREE_CHARS = 200  # table three's row labels alone are longer than this


# ------------------------------------------------------------------ helpers

WS = on_use(r"\s+")


def loose(text: str) -> str:
    """A regex for a label, on folded text, allowing white space between characters."""
    return r"\s*".join(re.escape(ch) for ch in fold(text) if not ch.isspace())


def find_all(
    folded: str, texts: Iterable[tuple[str, object]], start: int = 0, end: int | None = None
) -> list[tuple[int, int, object]]:
    """Non-overlapping occurrences of labels: earliest first, longest at a position."""
    end = len(folded) if end is None else end
    hits: list[tuple[int, int, object]] = []
    for text, payload in texts:
        if not text.strip():
            continue
        for m in re.finditer(loose(text), folded[:end]):
            if m.start() >= start:
                hits.append((m.start(), m.end(), payload))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    chosen: list[tuple[int, int, object]] = []
    for hit in hits:
        if chosen and hit[0] < chosen[-1][1]:
            continue
        chosen.append(hit)
    return chosen


def split_words(original: str, words: Iterable[str]) -> list[str]:
    """Cut a header text into known words; unknown text between them is a cell too."""
    folded = fold(original)
    patterns = [re.compile(loose(w)) for w in sorted(set(words), key=len, reverse=True) if w.strip()]
    cells: list[str] = []
    pending_start = None
    i = 0
    while i < len(folded):
        if folded[i].isspace():
            if pending_start is not None:
                cells.append(original[pending_start:i])
                pending_start = None
            i += 1
            continue
        match = next((m for p in patterns if (m := p.match(folded, i))), None)
        if match:
            if pending_start is not None:
                cells.append(original[pending_start:i])
                pending_start = None
            cells.append(original[i : match.end()])
            i = match.end()
            continue
        if pending_start is None:
            pending_start = i
        i += 1
    if pending_start is not None:
        cells.append(original[pending_start:])
    return [WS.sub("", c) if len(WS.sub("", c)) <= 12 else c.strip() for c in cells if c.strip()]


_SUBHEADING = on_use(r"^[(（][一二三四五六七八九十]+[)）][^，。；,;]{1,24}$")
_SUBHEADING_START = on_use(r"[(（][一二三四五六七八九十]+[)）]")


def _short_subheading(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (stripped) is a "（一）…" subheading: at most 30 characters."""
    while start < end and text[start].isspace():
        start += 1
    return end - start <= 30 and bool(_SUBHEADING.match(text[start:end]))


def paragraphs(text: str) -> list[str]:
    """Prose cut into paragraphs: after a sentence end followed by white space, after a
    short "（一）…" subheading followed by white space, and before a "（一）" that follows
    a full stop."""
    out: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            # the text since `start` ends at i - 1 (i starts a run of white space); it is a
            # paragraph when it ends a sentence, or is a short subheading. Looking only at
            # its last character (and at the text itself only when short enough to be a
            # subheading) keeps this linear on pages with no sentence end at all.
            if i > start and (text[i - 1] in "。；！？：:" or _short_subheading(text, start, i)):
                out.append(text[start:i].strip())
                start = j
            elif i == start:
                start = j
            i = j
            continue
        if ch in "(（" and i > start and text[i - 1] == "。" and _SUBHEADING_START.match(text, i):
            out.append(text[start:i].strip())
            start = i
        i += 1
    out.append(text[start:].strip())
    return [p for p in out if p]


# ------------------------------------------------------------------ title, headings


def find_title(text: str) -> tuple[str, int, int] | None:
    """The title, where it starts and where it ends: at the very start, or inside the
    page chrome a page starts with ("当前位置：首页…年报 TITLE 来源：…"). A cover letter's
    title keeps its "的函" ("X关于报送2020年度…年度报告的函")."""
    endings = "|".join(re.escape(e) for e in common()["title"]["endings"])
    covers = "|".join(map(re.escape, grammar.TITLE_COVER_ENDINGS))
    # a page's date, document number or fields before it ("2022年1月20日 X2021年…年度报告"),
    # perhaps after the site's name ("X人民政府 2022-01-20 14:30 来源：… X2021年…年度报告")
    skip = grammar.page_header_end(text)
    # in book-title marks or not; a cover letter's or a notice's ending kept
    m = re.compile(rf"\s*《?([^，。；：,;:《》]{{4,60}}?(?:{endings})(?:{covers})?)》?").match(text, skip)
    if m and re.search(r"(?:19|20)\d\d", fold(m.group(1))) and not grammar.is_page_chrome(m.group(1)):
        start = m.start(1) - (text[m.start(1) - 1 : m.start(1)] == "《")  # what is before: no mark
        return m.group(1).strip(), start, m.end()
    if not grammar.is_page_chrome(text[:40]):
        return None
    # in the chrome: a token holding a year and ending as a title does
    inside = re.compile(
        rf"(?:^|\s)([^\s，。；：,;:]{{2,40}}?\s?(?:19|20)\d\d\s?年[^\s，。；：,;:]{{0,40}}?(?:{endings})(?:的函)?)"
        r"(?=\s|来源|发布|时间|$)"
    )
    m = inside.search(text[:CHROME_TITLE_WINDOW])
    if not m:
        return None
    return m.group(1).strip(), m.start(1), m.end(1)


# How far into a page its chrome may hold the title.
CHROME_TITLE_WINDOW = 400


@dataclass
class _Heading:
    start: int
    end: int
    number: int
    known: bool = False  # in a part's known wording (not only shaped like a heading)


def _section_texts() -> list[str]:
    texts: list[str] = []
    for fmt in load_formats().values():
        for label in fmt.sections:
            texts.extend(label.texts)
    return sorted(set(texts), key=len, reverse=True)


# between two entries of a contents list: white space, dot leaders, page numbers
_BETWEEN_ENTRIES = on_use(r"[\s.…⋯·・•‧_\-—–─\d]*")


# under a "目录" word, also sub-entries between them: short, no sentence or clause in them
# ("目录 一、总体情况 （一）主动公开情况 二、…")
_SUB_ENTRIES = on_use(r"[^。；;！!？?，,：:]{0,80}")
_CONTENTS_TITLE_BEFORE = on_use(r"目\s*[录次]\s*$")


def _after_contents(found: list[_Heading], folded: str) -> bool:
    """The headings found last are a contents list ("目录 一、总体情况 二、主动公开…"):
    CONTENTS_RUN or more in a row, each in a part's known wording, nothing but leaders and
    page numbers between them, or after a "目录" word, sub-entries. The parts' own headings
    follow it, from 一 again."""
    return _listed_run(found, folded, _BETWEEN_ENTRIES, False) or _listed_run(
        found, folded, _SUB_ENTRIES, True
    )


def _listed_run(found: list[_Heading], folded: str, between: re.Pattern[str], titled: bool) -> bool:
    """_after_contents with `between` what may stand between two entries; `titled`: the
    first entry stands right after a "目录" word."""
    if not found or not found[-1].known:
        return False
    run, first = 0, found[-1]
    for later, earlier in zip(reversed(found), list(reversed(found))[1:]):
        if not (later.known and earlier.known and later.number == earlier.number + 1):
            break
        if between.fullmatch(folded, earlier.end, later.start) is None:
            break
        run, first = run + 1, earlier
    if run + 1 < grammar.CONTENTS_RUN:
        return False
    return (
        not titled or _CONTENTS_TITLE_BEFORE.search(folded, max(0, first.start - 8), first.start) is not None
    )


def find_headings(text: str, folded: str, start: int) -> list[_Heading]:
    """Part headings "一、总体情况": a known wording (any format, any variant) after the
    numeral; else, after a sentence end, a short text ending like a heading does. After a
    contents list the parts are headed again from 一: both are found (the list's entries,
    each then on a line of its own, are told from the parts' headings in parse/document.py)."""
    known = [re.compile(loose(t)) for t in _section_texts()]
    not_headings = [match_key(k) for k in common()["not_headings"]]
    found: list[_Heading] = []
    last = 0
    for m in re.finditer(rf"([{NUMERALS}]{{1,2}})\s*[、.．]\s*", folded):
        if m.start() < start:
            continue
        value = numeral_value(m.group(1))
        if value is None or (value <= last and not _after_contents(found, folded)):
            continue
        end = None
        for pattern in known:
            hit = pattern.match(folded, m.end())
            if hit:
                end = hit.end()
                break
        if value <= last and end is None:
            continue  # the parts' own headings after a contents list are in their wording
        known_wording = end is not None
        if end is None:
            before = folded[m.start() - 1] if m.start() > 0 else "。"
            if not (before.isspace() or before in "。；！？;!?"):
                continue
            region = re.match(r"[^，。；：,;:!?！？\s\d(（“\"]{2,40}", folded[m.end() :])
            if not region:
                continue
            words = region.group(0)
            cut = max((words.rfind(e) + len(e) for e in HEADING_ENDINGS if e in words), default=-1)
            if cut < 2:
                continue
            end = m.end() + cut
        heading_key = match_key(folded[m.end() : end])
        if any(k in heading_key for k in not_headings):
            continue
        following = folded[end : end + 3].lstrip()[:1]
        if following and following in "，；、,;":
            continue  # an item of a list ("包括：一、总体情况；二、…"), not a heading
        found.append(_Heading(m.start(), end, value, known_wording))
        last = value
    return found


def numeral_value(numeral: str) -> int | None:
    values = {n: i + 1 for i, n in enumerate(NUMERALS)}
    if len(numeral) == 1:
        return values.get(numeral)
    if numeral[0] == "十":
        return 10 + values.get(numeral[1], 0) if numeral[1] != "十" else None
    if numeral[1] == "十":
        return values[numeral[0]] * 10
    return None


_LEADING_ENUMS = on_use(
    r"^(?:\s*(?:[一二三四五六七八九十]+\s*[、.]|\(?\s*[一二三四五六七八九十]+\s*\)|[0-9]+\s*[.、)]|\([0-9]+\)))+\s*"
)


def bare(label: str) -> str:
    """A label as written, without its leading enumerators ("（一）予以公开" → "予以公开")."""
    m = _LEADING_ENUMS.match(fold(label))
    return (label[m.end() :] if m else label).strip() or label.strip()
