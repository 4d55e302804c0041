"""The organ and the year of a report that has no usable title line.

Real pages often lack the title line ("本报告根据…" is their first sentence), or
bury it in the page chrome, or are written as a cover letter. The evidence,
strongest first:

* organ: the title (before its year; a cover letter's "X关于报送…的函" is X),
  the signature at the end (organ name, optional seal, date), the page's
  breadcrumb ("当前位置：首页 > … > X > 政府信息公开年报"), the preamble naming
  whose work the report sums up ("汇总X各有关单位…", "本报告由X编制");
* year: the title, the statistics period ("统计期限自2023年1月1日…"), the
  preamble naming the report ("编制了2019年度政府信息公开年度报告"), the
  overview's first words ("一、总体情况 2021年，我局…"). The signature's date is
  when the report was signed (usually the next year), never its year.
"""

from __future__ import annotations

import datetime as dt
import re

from gxaudit.formats import grammar
from gxaudit.formats.text import fold
from gxaudit.regex import on_use

# How an organ's name ends (longest first where one is the end of another).
ORGAN_ENDINGS = (
    "人民政府办公室",
    "人民政府办公厅",
    "人民政府",
    "管理委员会",
    "街道办事处",
    "委员会",
    "管委会",
    "办事处",
    "办公室",
    "办公厅",
    "管理局",
    "管理处",
    "服务中心",
    "中心",
    "政府",
    "局",
    "委",
    "厅",
    "办",
    "院",
    "署",
    "处",
    "所",
    "站",
    "队",
    "街道",
    "镇",
    "乡",
)
# A region's name ends like this (the first part of an organ split over two lines).
REGION_ENDINGS = (
    "省",
    "市",
    "区",
    "县",
    "州",
    "盟",
    "旗",
    "镇",
    "乡",
    "街道",
    "自治区",
    "实验区",
    "新区",
    "开发区",
)

_HAN = r"[\u4e00-\u9fff（）()]"
_NUMERAL_DATE = grammar.NUMERAL_DATE
_DIGIT_DATE = grammar.DIGIT_DATE
# chrome a page may end with after the signature (its brackets folded too: 【 is [ then)
_TAIL_CHROME = (
    r"(?:\s*(?:附件下载|附件[:：]?|[【\[]?打印(?:本页)?[】\]]?|[【\[]?关闭(?:窗口)?[】\]]?|分享到[:：]?"
    r"|扫一扫[^\s]*|返回顶部))*"
)
_SEAL = r"(?:\s*[（(]\s*(?:盖章|印章|公章|章)\s*[)）])?"
_SIGNATURE = on_use(rf"(?P<before>.{{0,80}}?)(?P<date>{_DIGIT_DATE}|{_NUMERAL_DATE}){_TAIL_CHROME}\s*$", re.S)
_DATE_AT_END = on_use(rf"(?P<date>{_DIGIT_DATE}|{_NUMERAL_DATE}){_TAIL_CHROME}\s*$", re.S)
# leading words that end the text before a signature ("六、其他需要报告的事项暂无X局")
_FILLER = on_use(r"^(?:暂无|暂未|没有|无)")
_BOUNDARY = on_use(r"[。；！？：:，,、\s]|事项|特此报告|特此函告|此函")

# "…汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成", "本报告由X编制"
_SUMMED_UP = on_use(
    rf"(?:汇总|汇集|综合)(?P<organ>{_HAN}{{2,30}}?)(?:各有关单位|各单位|各部门|所属各|下属各|各级|各乡镇|各街道)"
    rf"|本(?:年度)?报告由(?P<organ2>{_HAN}{{2,30}}?)(?:负责)?(?:编制|编写|制作|发布)"
)
# "编制了2019年度政府信息公开年度报告", "现公布…2020年信息公开工作年度报告"
_REPORT_NAMED = on_use(
    r"(?P<year>(?:19|20)\d\d)\s*年度?\s*(?:的)?(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)"
)
_OVERVIEW_YEAR = on_use(r"^\s*(?P<year>(?:19|20)\d\d)\s*年度?(?!\d*月)")


# what may stand between the organ and the year in a title: the report's name, whole
# ("X政府信息公开工作年度报告（2021年度）") or in part ("X政府信息公开工作2021年度报告")
_NAME_BEFORE_YEAR = on_use(
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度报告|工作报告|年报)?\s*[（(]?\s*$"
)


def organ_of_title(title: str, year_position: int | None) -> str | None:
    """The organ a title names: before its year, without the report's name it may print
    before the year; a cover letter's "X关于…" is X."""
    if year_position is None:
        return None
    organ = title[:year_position].strip()
    organ = re.split(r"关于", organ, maxsplit=1)[0].strip()
    organ = _NAME_BEFORE_YEAR.sub("", organ).strip()
    return organ or grammar.organ_after_year(title)


def _is_organ(name: str) -> bool:
    return 3 <= len(name) <= 40 and name.endswith(ORGAN_ENDINGS)


def _last_lines(lines: list[str], count: int = 4) -> list[tuple[int, str]]:
    """The last `count` non-blank lines, stripped, with their 1-based numbers, in order:
    where a signature and its date stand."""
    tail: list[tuple[int, str]] = []
    for number in range(len(lines), 0, -1):
        if lines[number - 1].strip():
            tail.insert(0, (number, lines[number - 1].strip()))
            if len(tail) == count:
                break
    return tail


def _end_before_page_fields(lines: list[str]) -> int:
    """How many lines there are before the page fields a page may end with ("发布日期：
    2022-02-15", "主办：X  技术支持：Y  更新时间：2022-03-01") and blank lines."""
    end = len(lines)
    while end and (not lines[end - 1].strip() or grammar.holds_page_field(lines[end - 1])):
        end -= 1
    return end


def _signature_lines(lines: list[str]) -> list[tuple[int, str]]:
    """The last lines where a signature stands: those before the page fields a page ends with."""
    return _last_lines(lines[: _end_before_page_fields(lines)])


# the label a signature's date may carry on its own line ("X局" / "日期：2022年1月20日")
_SIGNATURE_DATE_LABEL = on_use(r"(?:^|\s)(?:落款|签发)?日期\s*[:：]\s*$")


def _signed_after(before: str) -> bool:
    """A date after these words is a signature's: it stands on a line of its own, after white
    space or a seal, or right after an organ's name ("X局2022年1月7日"); not a field's value
    ("完成时间：2022年6月30日") nor the end of a sentence ("将于2022年6月30日")."""
    before = _SIGNATURE_DATE_LABEL.sub(" ", before)
    if not before or before[-1].isspace():
        return True
    unsealed = re.sub(_SEAL + "$", "", before)
    return unsealed != before or _last_name(unsealed) is not None


def _signature_match(text: str) -> tuple[int, str, str] | None:
    """What _SIGNATURE.search(text) finds: (its start, group "before", group "date").

    _SIGNATURE is the definition; searched as written it tries up to 80 lazy
    lengths of "before" at every position (0.1 ms a report when the text does
    not end with a date). Its leftmost match starts 80 characters (or fewer,
    at the start of the text) before the first position a date-to-the-end
    matches, and its groups are that date's: found by one search for the date
    (tests/test_metadata_regex.py holds both to it).
    """
    found = _DATE_AT_END.search(text)
    if found is None:
        return None
    start = max(0, found.start() - 80)
    return start, text[start : found.start()], found.group("date")


def _signature_at_end(text: str) -> tuple[int, str, str] | None:
    """_signature_match on the last 160 characters of `text`, folded (a date in full-width
    digits, "２０２３年１月２０日", is read as the ASCII one): its start, the words before the
    date as written, and the date folded."""
    end = text[-160:]
    m = _signature_match(fold(end))
    if m is None:
        return None
    at, before, date = m
    return at, end[at : at + len(before)], date


def signature(lines: list[str]) -> tuple[str | None, int | None]:
    """The organ of the signature the report ends with ("X局 2022年1月7日"), and its line."""
    tail = _signature_lines(lines)
    if not tail:
        return None, None
    text = " ".join(t for _, t in tail)
    m = _signature_at_end(text)
    if m is None or not _signed_after(m[1]):
        return None, None
    at, before, _ = m
    before = re.sub(_SEAL + r"\s*$", "", before).rstrip()
    organ = _last_name(before)
    if organ is None:
        return None, None
    others = "\n".join(lines[: tail[0][0] - 1]) + text[: max(0, len(text) - 160 + at)]
    filler = _FILLER.match(organ)
    if filler and organ not in others and _is_organ(organ[filler.end() :]):
        organ = organ[filler.end() :]  # "暂无X局": the text before the signature
    line = next((n for n, t in tail if organ[-4:] in t), tail[-1][0])
    return organ, line


def _last_name(before: str) -> str | None:
    """The organ name that ends `before`: after the last boundary, joined with a region name
    written before it on its own ("平潭综合实验区 公安局")."""
    cuts = list(_BOUNDARY.finditer(before))
    start = cuts[-1].end() if cuts else 0
    name = before[start:].strip()
    if cuts and cuts[-1].group().isspace():
        previous = before[: cuts[-1].start()].rstrip()
        earlier = list(_BOUNDARY.finditer(previous))
        region = previous[earlier[-1].end() if earlier else 0 :]
        if region.endswith(REGION_ENDINGS) and 2 <= len(region) <= 20 and _is_organ(region + name):
            name = region + name
    return name if _is_organ(name) else None


def organ_from_chrome(lines: list[str]) -> str | None:
    """The organ named in a page's breadcrumb ("… > X > 政府信息公开年报")."""
    for line in lines[:3]:
        if not grammar.is_page_chrome(line):
            continue
        crumbs = re.split(r"[>›»/|\s]+", grammar.PAGE_CHROME.sub("", fold(line)))
        for crumb in reversed(crumbs):
            name = re.sub(r"(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:年度报告|年报)$", "", crumb)
            name = re.sub(r"^(?:首页)?(?:政务公开|政府信息公开|信息公开)+", "", name)
            if _is_organ(name):
                return name
    return None


def organ_summed_up(lines: list[str], first_heading: int) -> str | None:
    """The organ whose work the preamble says the report sums up."""
    for line in lines[: max(1, first_heading - 1)]:
        m = _SUMMED_UP.search(line)
        if m:
            organ = m.group("organ") or m.group("organ2")
            if organ and (_is_organ(organ) or organ.endswith(REGION_ENDINGS)):
                return organ
    return None


def year_named_in_preamble(lines: list[str], first_heading: int) -> int | None:
    """The year of "编制了2019年度政府信息公开年度报告" before the first part heading."""
    for line in lines[: max(1, first_heading - 1)]:
        m = _REPORT_NAMED.search(fold(line))
        if m:
            return int(m.group("year"))
    return None


def year_opening_overview(text: str) -> int | None:
    """The year the overview starts with ("2021年，我局…")."""
    m = _OVERVIEW_YEAR.match(fold(text))
    return int(m.group("year")) if m else None


# ○ (a circle) and 0 (a digit) stand for 〇 in dates (一 … 三十一, 二0二二)
_NUMERALS = {**grammar.CHINESE_DIGITS, "○": 0, "0": 0}


def _numeral(text: str) -> int:
    """一 … 三十一 (a month or a day), 二〇二二 digit by digit (a year), or digits (a date that
    writes only its month as 元月)."""
    text = re.sub(r"\s", "", text)
    if text.isascii() and text.isdigit():
        return int(text)
    if "十" not in text:
        return grammar.digits_one_by_one(text.replace("0", "〇"))
    tens, _, ones = text.partition("十")
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[ones] if ones else 0)


def _date_of(text: str) -> dt.date | None:
    """2022年1月7日, 2022-01-07, 2022.1.7, 二〇二二年一月七日, 2022年元月7日 (folded) → a date
    that exists, else None."""
    digits = re.findall(r"\d+", text)
    try:
        if len(digits) == 3:
            return dt.date(*(int(d) for d in digits))
        parts = re.split(r"[年月日]", re.sub(r"\s", "", text))
        if len(parts) >= 3:
            month = 1 if parts[1] == "元" else _numeral(parts[1])  # 元月: January
            return dt.date(_numeral(parts[0]), month, _numeral(parts[2]))
    except (KeyError, ValueError):
        return None
    return None


# a publication date a page prints with the report: "发布日期：2022-02-15", "发布时间：2022-01-20 14:30"
_PUBLISHED = on_use(rf"(?:^|\s)(?:发布|公开|公布)(?:日期|时间)\s*:\s*(?P<date>{_DIGIT_DATE}|{_NUMERAL_DATE})")
# how many of a report's first lines may hold its page's fields (around the title)
_HEAD_LINES = 8


def printed_publication_date(lines: list[str]) -> tuple[dt.date, int] | None:
    """The publication date printed among the page's fields around the title (the first
    lines) or after the report's end, and its line; None when none is printed or it is not
    a date that exists."""
    head = [n for n, line in enumerate(lines[: _HEAD_LINES * 4], start=1) if line.strip()][:_HEAD_LINES]
    tail = range(_end_before_page_fields(lines) + 1, len(lines) + 1)
    for number in [*head, *tail]:
        text = lines[number - 1]
        if not grammar.holds_page_field(text):
            continue
        found = _PUBLISHED.search(fold(text))
        date = _date_of(found.group("date")) if found else None
        if date is not None:
            return date, number
    return None


def signature_date(lines: list[str]) -> tuple[dt.date, int] | None:
    """The date the report is signed with at its end ("X局 2022年1月7日"), and its line.

    None when the report does not end with a date, or the date does not exist
    (2022年2月30日): never guessed.
    """
    tail = _signature_lines(lines)
    text = " ".join(t for _, t in tail)
    m = _signature_at_end(text)
    if m is None or not _signed_after(m[1]):
        return None
    written = m[2]
    date = _date_of(written)
    if date is None:
        return None
    line = next((n for n, t in reversed(tail) if written[:6] in fold(t)), tail[-1][0])
    return date, line
