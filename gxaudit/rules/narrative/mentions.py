"""The figures a report's text states, and their scope.

The check kind `text_figures` draws one fact per figure *mention* in the body
text: "受理政府信息公开申请17件", "答复3050件", "行政复议351件", "现行有效
行政规范性文件698件". Each mention says which measure it states, the number,
the table's value for that measure, and whether the sentence speaks of the
whole organ or of a part of it (scope).

Scope matters (lessons, point 4): "区政府办代表区政府受理…17件" in a district
government's report is the government office's own share, not the district's
table; a rule must not call that an error. A mention is "partial" when

- an office acts for the organ ("…代表区政府受理");
- the subject is a department, township or office other than the report's organ
  ("区教育局受理申请5件" in a district report), or "本机关/本级" in a
  county-level (or higher) government's report;
- it is a "其中/含/包括" part of a figure of the same measure stated before it;
- the applications are narrowed to a topic ("涉及征地拆迁的申请").

"收到/受理 N 件" without "新收" is ambiguous: reports write it for 本年新收 and
for 新收 + 上年结转 alike. The measure is whichever of the two the table
matches (new first); when neither does, 本年新收, unless the sentence says the
figure includes 上年结转 ("共收到75件（含上年结转1件）").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gxaudit.formats.load import measures
from gxaudit.formats.text import fold
from gxaudit.rules.narrative.numbers import chinese_number

# ------------------------------------------------------------------ measures

# the measures the text may state (formats/common.yaml), by id: their Chinese names
MEASURES: dict[str, str] = {mid: m.label for mid, m in measures().items()}
APPLICATION_MEASURES = tuple(
    mid for mid, m in measures().items() if all(c.table == "applications" for c in m.cells)
)

# ("100余件", "近百件") are not statements of a number and are skipped.
_NUMBER = re.compile(
    r"(?P<num>\d+(?:,\d{3})*|[零〇一二两三四五六七八九十百千万]+)"
    r"(?P<approx>多|余)?(?P<unit>件|起|宗|例|条|个|份|项|次|篇)?"
)
_STRONG_UNITS = {"件", "起", "宗", "例"}
# after the unit: not a count of applications ("一件事", "3个工作日", "2个月")
_NOT_A_COUNT_AFTER = re.compile(r"^(?:事|工作日|月|季度|百分点|小时|年)")
# before the number: document numbers 〔2023〕, ordinals 第3件, decimals
_NOT_A_COUNT_BEFORE = re.compile(r"(?:[〔\[第.]|\d)$")
# Chinese numerals that are part of words, not numbers
_CN_WORD_BEFORE = re.compile(r"[之统唯逐单专同初进划]$")

_SENTENCE_END = "。！？!?；;\n"
_CLAUSE_END = _SENTENCE_END + "，,：:（）()"

# ------------------------------------------------------------------ keywords

_CARRIED_FORWARD = re.compile(
    r"(?:结转|转入|转至|转到|转|顺延|延至|延期|留待|移至|延续)(?:到|至|入)?(?:下一?个?年度?|次年)"
    r"|下一?年度?继续办理"
)
_CARRIED_OVER = re.compile(r"上一?个?年度?(?:结转|转结|遗留|未办结|转入)|结转上一?年|往年结转")
_REVIEW = re.compile(r"行政复议")
_LITIGATION = re.compile(r"行政诉讼|行政应诉|提起诉讼|起诉|被诉")
_BOTH_CASES = re.compile(r"行政复议[、和及与或]行政诉讼|行政诉讼[、和及与或]行政复议|复议[、和及与或]诉讼")
_IN_FORCE = re.compile(r"现行有效")
_IN_FORCE_NEXT = re.compile(r"^[、，,和及与]?(?:政府|行政)?(?:规章|规范性文件)")
_RECEIVE = re.compile(r"新收|新增|收到|受理|接收|接到|收悉|登记")
_RESULT = re.compile(r"办结|答复|回复|办理完毕|办理完成|处理完毕|处理完成|办理")
# a result verb right after a result category is that category, not the total
_RESULT_QUALIFIED = re.compile(r"(?:公开|提供|不予处理|其他处理|告知|同意)$")
_APPLICATION = re.compile(r"申请")
# other things organs receive and answer (网络问政, 信访…): not applications
_OTHER_OBJECTS = re.compile(r"问政|诉求|信访|来信|来电|留言|咨询|建议|提案|投诉|举报|热线")
# a change or a comparison, not a count: "较上年增加5件", "同比下降"
_COMPARISON = re.compile(r"较|同比|环比|相比|比上年|比去年|增加|减少|增长|下降|上升|持平|多出|减至|增至")
# another period: "2019年以来", "历年", "上年收到…" (not 上年结转, a measure of its own)
_OTHER_PERIOD = re.compile(
    r"以来|历年|近[两二三四五十]年|累计至|上一?年(?!度?(?:结转|转结|遗留|未办结|转入))|去年"
)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})年(?!\d{1,2}月)")
# results of reviews and lawsuits, not their number: "行政复议被纠错1件"
_CASE_RESULT = re.compile(r"维持|纠正|纠错|撤销|驳回|审结|败诉|胜诉|确认违法|结果|改变|调解|撤回|终止")
_EXPLICIT_NEW = re.compile(r"新收|新增|本年度?新")
_INCLUDES_CARRIED = re.compile(r"^(?:含|包括|包含)")

# scope
_ACTING_FOR = re.compile(r"代表|代为|代区|代县|代市")
_PART_OF = re.compile(r"其中|含|包括|包含")
_TOPIC = re.compile(r"(?:涉及|关于)(?!的)(?!(?:政府)?信息公开|政务公开|依申请)")
_WHOLE_SUBJECT = re.compile(r"全|各|所有|我|本(?!机关|级|单位)")
_OWN_LEVEL = re.compile(r"本机关|本级|本单位")
_ORGAN_WORD = re.compile(
    r"[\u4e00-\u9fff]{0,10}?(?:政府办公室|政府办|办公室|局|委员会|委|办|中心|街道|"
    r"镇|乡|部门|单位|公司|厅|署|所|队)"
)
_GOVERNMENT = re.compile(r"(?:省|市|区|县|旗|州|盟)(?:人民)?政府$|综合实验区|新区$")
_YEAR_PREFIX = re.compile(
    r"^(?:(?:\d{4}|[〇零一二三四五六七八九]{4})年度?|本年度?|全年|今年|年度|以来|[，,])+"
)


@dataclass
class Mention:
    """One figure the text states."""

    measure: str
    stated: int
    scope: str  # "whole" or "partial"
    start: int  # offsets in the text searched
    end: int
    snippet: str
    scope_reason: str = ""
    ambiguous: bool = False  # 收到/受理 without 新收: new, or new + carried over
    handled: bool = False  # 办理 N 件: concluded, or (less often) received
    includes_carried_over: bool = False  # the sentence says so (含上年结转…)


def _is_government(organ: str | None) -> bool:
    return bool(organ and _GOVERNMENT.search(organ) and not re.search(r"[镇乡]|街道", organ))


def _own_organ(word: str, organ: str | None) -> bool:
    """Whether an organ word of the text ("市科委", "我局") is the report's own organ."""
    if not organ:
        return False
    core = re.sub(r"人民政府$", "政府", organ)
    tail = word[-2:]
    return tail in core or word in core


def _nearest(pattern: re.Pattern, text: str) -> re.Match | None:
    last = None
    for m in pattern.finditer(text):
        last = m
    return last


def _classify(lead: str, sentence_before: str, tail: str, after_new: bool = False) -> tuple[str, int] | None:
    """The measure a count states, from the words before it (lead) or after it (tail).

    Returns (measure, where its keyword starts in the lead, or -1 when the
    words after the number said it) or None. `after_new`: the sentence stated
    a received figure before ("收到申请20件，其中区教育局受理12件").
    """
    about_applications = bool(_APPLICATION.search(sentence_before) or _APPLICATION.search(tail))
    for text, in_lead in ((lead, True), (tail, False)):

        def at(match: re.Match, in_lead: bool = in_lead) -> int:
            return match.start() if in_lead else -1

        found = _CARRIED_FORWARD.search(text)
        if found:
            return ("carried_forward", at(found)) if about_applications else None
        found = _CARRIED_OVER.search(text)
        if found:
            return ("carried_over", at(found)) if about_applications else None
        if _BOTH_CASES.search(text):
            return None  # 行政复议、行政诉讼共3件: not one measure
        review, litigation = _nearest(_REVIEW, text), _nearest(_LITIGATION, text)
        if not in_lead:
            review = next(_REVIEW.finditer(text), None)
            litigation = next(_LITIGATION.finditer(text), None)
        if review and litigation:
            # the nearer one (lead: the last; tail: the first)
            pick_review = (
                (review.end() > litigation.end()) if in_lead else (review.start() < litigation.start())
            )
            return ("review", at(review)) if pick_review else ("litigation", at(litigation))
        if review or litigation:
            return ("review", at(review)) if review else ("litigation", at(litigation))
        found = _IN_FORCE.search(text)
        if found:
            return "in_force", at(found)
        if _OTHER_OBJECTS.search(lead):
            return None
        if in_lead:
            receive, result = _nearest(_RECEIVE, text), _nearest(_RESULT, text)
        else:
            receive = next(_RECEIVE.finditer(text), None)
            result = next(_RESULT.finditer(text), None)
        verbs = [v for v in (receive, result) if v is not None]
        if not verbs:
            continue
        verb = max(verbs, key=lambda m: m.end()) if in_lead else min(verbs, key=lambda m: m.start())
        if verb is result:
            if _RESULT_QUALIFIED.search(text[: verb.start()]):
                return None  # 同意公开答复9件: a result category
            if not about_applications:
                return None
            return "results_total", at(verb)
        if not (
            _APPLICATION.search(lead)
            or _APPLICATION.search(tail)
            or (_APPLICATION.search(sentence_before) and (_PART_OF.match(lead) or after_new))
        ):
            return None  # 其中区教育局受理17件: the 申请 was said before
        return "new", at(verb)
    return None


def _scope(
    measure: str,
    lead: str,
    verb_at: int,
    tail: str,
    sentence_before: str,
    sentence_start: int,
    earlier: list[Mention],
    organ: str | None,
) -> tuple[str, str]:
    """("whole"|"partial", reason)."""
    acting = _ACTING_FOR.search(lead)
    if acting:
        subject = _YEAR_PREFIX.sub("", lead[: acting.start()])
        verb = _RECEIVE.search(lead, acting.end()) or _RESULT.search(lead, acting.end())
        principal = lead[acting.end() : verb.start()] if verb else ""
        if subject and principal:
            return "partial", (
                f"说的是{subject}代表{principal}{verb.group()}的申请，不一定是本报告表格统计的全部申请"
            )
        return "partial", f"“{lead[acting.start() :]}…”说的是代为办理的部分"
    # a 其中/含 part of a figure of the same measure said before it in the sentence
    part = _nearest(_PART_OF, sentence_before)
    if part is not None:
        after_part = sentence_before[part.end() :]
        same = [
            m for m in earlier if m.start < sentence_start + part.start() and _related(m.measure, measure)
        ]
        if same and not (
            measure == "carried_over" and _INCLUDES_CARRIED.match(sentence_before[part.start() :])
        ):
            return "partial", f"“{part.group()}{after_part[:12]}…”是前面数字的一部分"
    topic = _TOPIC.search(lead) or _TOPIC.search(tail)
    if topic is not None:
        return "partial", "只说了涉及某一类事项的申请"
    subject = lead[:verb_at] if verb_at >= 0 else lead
    # who, not how: "我县通过政务服务中心窗口收到…" is 我县
    subject = _YEAR_PREFIX.sub("", re.split(r"通过|经由|依托|利用", subject)[0]).lstrip("，,")
    if subject and not _WHOLE_SUBJECT.search(subject):
        own = _OWN_LEVEL.search(subject)
        if own and _is_government(organ):
            return "partial", f"“{own.group()}”可能只是{organ}本级，表格是全辖区的数字"
        word = _ORGAN_WORD.search(subject)
        if word and not own and not _own_organ(word.group(), organ):
            return "partial", f"主语“{word.group()}”不是报告机关本身"
    return "whole", ""


def _related(a: str, b: str) -> bool:
    group = {"new", "new_and_carried_over"}
    return a == b or (a in group and b in group)


def _snippet(text: str, written: str, start: int, end: int, sentence: tuple[int, int]) -> str:
    """At most 40 characters of the sentence around the number, the words before it first."""
    clause_end = min([i for i in (text.find(c, end) for c in "，,；;。（(") if i >= 0] or [len(text)])
    hi = min(sentence[1], clause_end, end + 10)
    lo = max(sentence[0], hi - 40)
    return written[lo:hi].strip("，,；;。 \n")


def extract_mentions(
    text: str, organ: str | None = None, written: str | None = None, year: int | None = None
) -> list[Mention]:
    """Every figure `text` states about a measure of the tables, in order.

    `text` is folded and free of spaces (see `prepare`), "\\n" ends a
    paragraph; `written` is the same characters as written, for snippets.
    Plain sentences can be given as they are. With the report's `year`, a
    figure of a sentence about another year ("2022年收到…") is not a mention.
    """
    if written is None:
        written = text
        text = re.sub(r"\s", "", fold(text))
        written = "".join(c for c in written if not fold(c).isspace())
    mentions: list[Mention] = []
    counts = []  # (start, end) of every number token
    for m in _NUMBER.finditer(text):
        counts.append(m)
    sentence_start = 0
    earlier: list[Mention] = []  # mentions of the current sentence
    prev_end = 0
    for index, m in enumerate(counts):
        start, end = m.start(), m.end()
        counted = m.group("unit") is not None or m.group("num")[0] in "0123456789"
        # the sentence and clause the number stands in
        s_lo = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
        if s_lo != sentence_start:
            sentence_start, earlier = s_lo, []
        c_lo = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
        lead_start = max(c_lo, prev_end)
        if counted:
            prev_end = end  # a number ends the lead of the next (not 一 of 统一)
        unit, num = m.group("unit"), m.group("num")
        if unit is None or m.group("approx"):
            continue
        before = text[max(0, start - 1) : start]
        if _NOT_A_COUNT_BEFORE.search(before):
            continue
        if num[0] not in "0123456789":
            if _CN_WORD_BEFORE.search(before):
                continue
            value = chinese_number(num)
        else:
            value = int(num.replace(",", ""))
        if value is None:
            continue
        after = text[end : end + 4]
        if _NOT_A_COUNT_AFTER.match(after):
            continue
        lead = text[lead_start:start]
        s_hi = min([i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0] or [len(text)])
        c_hi = min([i for i in (text.find(c, end) for c in _CLAUSE_END) if i >= 0] or [len(text)])
        next_number = counts[index + 1].start() if index + 1 < len(counts) else len(text)
        tail = text[end : min(c_hi, next_number, end + 24)]
        sentence_before = text[sentence_start:start]
        if _COMPARISON.search(lead) or _OTHER_PERIOD.search(lead):
            continue
        years = _YEAR_IN_TEXT.findall(sentence_before)
        if year is not None and years and int(years[-1]) != year:
            continue  # "2022年收到申请60件" in a 2023 report
        found = _classify(lead, sentence_before, tail, after_new=any(e.measure == "new" for e in earlier))
        if (
            found is None
            and earlier
            and earlier[-1].measure.startswith("in_force")
            and _IN_FORCE_NEXT.match(lead)
        ):
            found = ("in_force", -1)  # 现行有效规章1件、规范性文件20件
        if found is None:
            continue
        measure, verb_at = found
        if measure in ("review", "litigation") and (
            _CASE_RESULT.search(lead[max(verb_at, 0) :]) or _CASE_RESULT.match(tail[:6].lstrip("已均"))
        ):
            continue  # 行政复议被纠错1件: a result, not the number
        if unit not in _STRONG_UNITS:
            # 条/个/次…: counts of other things, unless the wording says applications
            wording = sentence_before + tail
            if measure in APPLICATION_MEASURES and not _APPLICATION.search(wording):
                continue
            if measure in ("review", "litigation") and not re.search(r"案|申请", wording):
                continue
        scope, reason = _scope(measure, lead, verb_at, tail, sentence_before, sentence_start, earlier, organ)
        mention = Mention(
            measure=measure,
            stated=value,
            scope=scope,
            scope_reason=reason,
            start=start,
            end=end,
            snippet=_snippet(text, written, start, end, (sentence_start, s_hi)),
        )
        if measure == "new":
            mention.ambiguous = not _EXPLICIT_NEW.search(lead)
        if measure == "results_total":
            verb = _nearest(_RESULT, lead) if verb_at >= 0 else None
            mention.handled = bool(verb and verb.group() == "办理")
        if measure == "in_force":
            rules_named = "规章" in lead
            docs_named = "规范性文件" in lead
            if rules_named and not docs_named:
                mention.measure = "in_force_rules"
            elif docs_named and not rules_named:
                mention.measure = "in_force_normative_docs"
        # "收到75件（含上年结转1件）": the received figure includes the carried-over
        if (
            measure == "carried_over"
            and _INCLUDES_CARRIED.match(text[lead_start:start])
            and earlier
            and earlier[-1].measure == "new"
            and earlier[-1].ambiguous
        ):
            earlier[-1].includes_carried_over = True
        earlier.append(mention)
        mentions.append(mention)
    return mentions


# ------------------------------------------------------------ report text

_HEADING_START = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]+[）)、.．]|[（(]\d+[）)]|\d+[、.．](?!\d)|第[一二三四五六七八九十])"
)
_ENDS_SENTENCE = re.compile(r"[。！？!?；;：:]$")


def prepare(lines: list[tuple[int, str]]) -> tuple[str, str, list[int]]:
    """A section's body lines as one searchable text.

    Returns the text searched (folded to half width, without spaces: PDF and
    Markdown extractions write "申请 34 件"), the same characters as written
    (for snippets), and the line of each character. Lines wrapped in the middle
    of a sentence (PDF, Markdown) are joined; a line that ends a sentence, a
    heading line and a short line end a paragraph ("\\n").
    """
    folded: list[str] = []
    written: list[str] = []
    where: list[int] = []
    previous = ""
    for line_no, raw in lines:
        kept = [(f, c) for f, c in zip(fold(raw), raw) if not f.isspace()]
        text = "".join(f for f, _ in kept)
        if not text:
            continue
        if folded and (
            _ENDS_SENTENCE.search(previous)
            or _HEADING_START.match(text)
            or _HEADING_START.match(previous)
            or len(previous) <= 12
        ):
            folded.append("\n")
            written.append("\n")
            where.append(where[-1])
        for f, c in kept:
            folded.append(f)
            written.append(c)
            where.append(line_no)
        previous = text
    return "".join(folded), "".join(written), where
