"""The figures the text writes: every number that counts a measure of the tables.

"受理政府信息公开申请17件", "答复3050件", "行政复议351件，其中结果维持72件",
"同意公开答复9件", "予以公开及部分公开12件", "无法提供的10件", "占60%",
"现行有效行政规范性文件698件". What a number counts is read from the words
before it in its clause (the lead), else from the words after it (the tail).

"收到/受理 N 件" without "新收" is ambiguous: reports write it for 本年新收 and
for 新收 + 上年结转 alike; measures.resolve decides by the table, unless the
sentence says the figure includes 上年结转 ("共收到75件（含上年结转1件）").
"""

from __future__ import annotations

import bisect
import functools
import re

from gxaudit.formats.grammar import MAX_FIGURE
from gxaudit.regex import on_use
from gxaudit.rules.narrative import vocabulary as V
from gxaudit.rules.narrative.applicants import applicant_measure, breakdown
from gxaudit.rules.narrative.model import APPLICATION_MEASURES, CASE_MEASURES, SHARE, Mention
from gxaudit.rules.narrative.numbers import chinese_number
from gxaudit.rules.narrative.scope import WHOLE, nearest, scope_of

# a result verb right after these words is a way of answering, not the total
_RESULT_QUALIFIED = on_use(r"(?:公开|提供|处理|告知|同意)$")
_YEAR_TOKEN = on_use(r"(?:19|20)\d{2}年")
_CASE_WORDS = {"review": V.REVIEW, "litigation": V.LITIGATION}


# The three look-ups below read only the words given; the same words come back often
# (a lead or a tail of one template: 97 % of the calls on generated reports), so each
# remembers its last answers. Their answers are never changed by the callers.
@functools.lru_cache(maxsize=4096)
def cases_in(text: str) -> tuple[tuple[str, re.Match], ...]:
    """The kinds of cases a text names, with where (行政复议 / 行政诉讼)."""
    found = []
    for case, pattern in _CASE_WORDS.items():
        for m in pattern.finditer(text):
            if case == "litigation" and V.NOT_OUR_LITIGATION.search(text[max(0, m.start() - 2) : m.end()]):
                continue
            found.append((case, m))
    return tuple(sorted(found, key=lambda cm: cm[1].start()))


@functools.lru_cache(maxsize=4096)
def _column_match(text: str) -> tuple[str, re.Match] | None:
    """The table-four column a result word names ("维持" → upheld), if any."""
    for column, pattern in V.CASE_COLUMNS:
        found = pattern.search(text)
        if found:
            return column, found
    return None


@functools.lru_cache(maxsize=4096)
def _category(text: str) -> tuple[str, re.Match] | None:
    """The table-three result category the words name, the one nearest their end."""
    best = None
    for measure, pattern in V.CATEGORIES:
        found = nearest(pattern, text)
        if found is not None and (best is None or found.end() > best[1].end()):
            best = (measure, found)
    return best


def _classify(
    lead: str, sentence_before: str, tail: str, after_new: bool = False, paragraph_before: str = ""
) -> tuple[list[str], int] | None:
    """The measures a count states, from the words before it (lead) or after it (tail).

    Returns (measures, where the keyword starts in the lead, or -1 when the
    words after the number said it) or None. One number can state two measures
    ("行政复议、行政诉讼均为0件"). `after_new`: the sentence stated a received
    figure before ("收到申请20件，其中区教育局受理12件").
    """
    outcome, measures, at, words_say_applications = _reading(lead, tail)
    if outcome == _NOTHING:
        return None
    if outcome == _FIXED:
        return list(measures), at
    if outcome == _IF_ABOUT:
        # the paragraph says so: "收到申请46件；上年结转3件。已办结47件…"
        if V.about_applications(paragraph_before or sentence_before) or V.about_applications(tail):
            return list(measures), at
        return None
    if outcome == _COLUMN:
        # the case is named earlier in the sentence ("行政复议351件，其中结果维持72件")
        named = cases_in(sentence_before)
        if not named:
            return None
        return [f"{named[-1][0]}_{measures[0]}"], at
    # _NEW: the 申请 may have been said before ("其中区教育局受理17件")
    if words_say_applications or (
        (after_new or V.PART_OF.match(lead)) and V.about_applications(sentence_before)
    ):
        return ["new"], at
    return None


# How the words of a count decide its measures (_reading), and what else _classify reads:
_NOTHING = "nothing"  # no measure
_FIXED = "fixed"  # these measures
_IF_ABOUT = "if_about"  # these measures if the paragraph (or the tail) speaks of applications
_COLUMN = "column"  # a column of table four (measures[0]) of the case named last in the sentence
_NEW = "new"  # new, if the words speak of applications, or a 其中 part / a figure after a
# received one in a sentence that does


# "共有161个政府信息公开申请": the number before the applications it counts
_ORGANS_COUNTED = on_use(r"(?:行政)?(?:部门|单位|机关|乡镇|街道|镇|乡|科室|窗口)(?:共|均|都)?")
_THERE_ARE = on_use(r"(?:共|总共|共计|合计)有$")
_APPLICATIONS_FIRST = on_use(r"(?:政府信息公开|信息公开|依申请公开)?申请(?!人)")


@functools.lru_cache(maxsize=4096)
def _reading(lead: str, tail: str) -> tuple[str, tuple[str, ...], int, bool]:
    """What the words of a count's clause say by themselves: (outcome, measures, where
    the keyword starts in the lead or -1, whether the words speak of applications).
    _classify completes it with the sentence and paragraph (their words vary with the
    figures they hold; a lead and tail seldom do: 93 % of the calls on generated reports
    repeat one)."""
    there_are = _THERE_ARE.search(lead)
    if there_are is not None and _APPLICATIONS_FIRST.match(tail):
        return _NEW, ("new",), there_are.start(), True  # "共有161个政府信息公开申请"
    for text, in_lead in ((lead, True), (tail, False)):

        def at(match: re.Match, in_lead: bool = in_lead) -> int:
            return match.start() if in_lead else -1

        found = V.CARRIED_FORWARD.search(text)
        if found:
            return _IF_ABOUT, ("carried_forward",), at(found), False
        found = V.CARRIED_OVER.search(text)
        if found:
            return _IF_ABOUT, ("carried_over",), at(found), False
        cases = cases_in(text)
        category = _category(text)
        if category is not None and not cases:
            measure, where = category
            if V.PROACTIVE.search(text[: where.start()]):
                return _NOTHING, (), 0, False  # 主动予以公开: not a result of applications
            if V.CATEGORY_ROWS.search(text):
                return _NOTHING, (), 0, False  # a row inside the category, not its total
            return _IF_ABOUT, (measure,), at(where), False
        both = V.BOTH_CASES.search(text)
        if both:
            words = text[both.end() :] if in_lead else text
            if V.CASES_EACH.search(words):
                return _FIXED, ("review", "litigation"), at(both), False
            if V.CASES_TOGETHER.search(text):
                return _FIXED, ("review_and_litigation",), at(both), False
            return _NOTHING, (), 0, False  # 行政复议、行政诉讼3件: which?
        column = _column_match(text)
        if column is not None:
            if not cases:  # the case is named earlier in the sentence
                return _COLUMN, (column[0],), at(column[1]), False
            case, where = cases[0] if not in_lead else cases[-1]
            return _FIXED, (f"{case}_{column[0]}",), at(where), False
        if cases:
            case, where = cases[-1] if in_lead else cases[0]
            return _FIXED, (case,), at(where), False
        found = V.IN_FORCE.search(text)
        if found:
            return _FIXED, ("in_force",), at(found), False
        if V.OTHER_OBJECTS.search(lead) or V.OTHER_APPLICATIONS.search(lead + tail):
            return _NOTHING, (), 0, False
        if in_lead:
            receive, result = nearest(V.RECEIVE, text), nearest(V.RESULT, text)
        else:
            receive = next(V.RECEIVE.finditer(text), None)
            result = next(V.RESULT.finditer(text), None)
        verbs = [v for v in (receive, result) if v is not None]
        if not verbs:
            continue
        verb = max(verbs, key=lambda m: m.end()) if in_lead else min(verbs, key=lambda m: m.start())
        if not in_lead and _ORGANS_COUNTED.fullmatch(text[: verb.start()]):
            return _NOTHING, (), 0, False  # "共有5个部门受理申请": a count of organs
        if verb is result:
            if _RESULT_QUALIFIED.search(text[: verb.start()]):
                return _NOTHING, (), 0, False  # 告知答复9件: a way of answering, not the total
            return _IF_ABOUT, ("results_total",), at(verb), False
        words_say_applications = V.about_applications(lead) or V.about_applications(tail)
        return _NEW, ("new",), at(verb), words_say_applications
    return _NOTHING, (), 0, False


class Marks:
    """Where the sentences and clauses of a text end, for quick look-ups (bisect)."""

    def __init__(self, text: str):
        self.text = text
        # every sentence mark is a clause mark: the text is scanned once
        self.clause_ends = list(map(re.Match.start, _CLAUSE_MARK.finditer(text)))
        self.sentence_ends = [i for i in self.clause_ends if text[i] in _SENTENCE_MARKS]

    @staticmethod
    def _before(marks: list[int], at: int) -> int:
        i = bisect.bisect_left(marks, at)
        return marks[i - 1] if i else -1

    @staticmethod
    def _after(marks: list[int], at: int, default: int) -> int:
        i = bisect.bisect_left(marks, at)
        return marks[i] if i < len(marks) else default

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return self._before(self.sentence_ends, start) + 1, self._after(
            self.sentence_ends, end, len(self.text)
        )

    def clause_end(self, at: int) -> int:
        return self._after(self.clause_ends, at, len(self.text))

    def clause_start(self, at: int) -> int:
        """Where the clause of the number at `at` starts. A remark in brackets right
        before the number is part of its words ("予以公开（含部分公开）8件")."""
        lo = self._before(self.clause_ends, at) + 1
        if lo >= 1 and self.text[lo - 1] == ")" and lo == at:
            opened = self.text.rfind("(", 0, lo - 1)
            if opened >= 0 and lo - opened <= 20:
                return self._before(self.clause_ends, opened) + 1
        return lo


_SENTENCE_MARKS = frozenset(V.SENTENCE_END)
_CLAUSE_MARK = on_use("[" + re.escape(V.CLAUSE_END) + "]")


_SNIPPET_END = on_use("[，,；;。（(]")


def snippet(text: str, written: str, start: int, end: int, sentence: tuple[int, int]) -> str:
    """About 40 characters of the sentence around a statement, the words before it first.
    It starts and ends at a clause's edge where one is near; where it must cut a clause,
    "…" says so (a cut "021年" or "…情" would read as a misquote)."""
    s_lo, s_hi = sentence
    clause_end = _SNIPPET_END.search(text, end, s_hi)
    if clause_end is not None and clause_end.start() - end <= 20:
        hi, cut_end = clause_end.start(), False  # (a clause ending further changes nothing)
    else:
        hi = min(s_hi, end + 10)
        cut_end = hi < s_hi and (clause_end is None or clause_end.start() != hi)
    lo = min(max(s_lo, hi - 40), start)
    cut_start = False
    if lo > s_lo:
        edge = _SNIPPET_END.search(text, lo - 1, start)  # the first clause edge in the window
        if edge is not None and edge.start() >= lo - 1:
            lo = edge.end()
        else:
            cut_start = True
    quoted = written[lo:hi].strip("，,；;。 \n")
    return ("…" if cut_start else "") + quoted + ("…" if cut_end else "")


def about_other_year(sentence_before: str, year: int | None) -> bool:
    """The sentence is about another year ("2022年收到申请60件" in a 2023 report); a
    year named as where work goes next ("结转至2024年") is not another period."""
    if year is None or "年" not in sentence_before:
        return False  # (most sentences: no year named)
    last = None
    for m in V.YEAR_IN_TEXT.finditer(sentence_before):
        if int(m.group(1)) == year + 1 and V.YEAR_FORWARD.search(sentence_before[: m.start()]):
            continue
        last = m
    return last is not None and int(last.group(1)) != year


_MAX_DIGITS = len(str(MAX_FIGURE))


def _value(m: re.Match) -> tuple[int | float | None, int]:
    """The number of a token, and its decimals."""
    if m.group("cn_percent"):
        whole, _, fraction = m.group("cn_percent").partition("点")
        value = chinese_number(whole)
        if value is None:
            return None, 0
        if fraction:
            digits = "".join(str(chinese_number(c)) for c in fraction)
            return float(f"{value}.{digits}"), len(digits)
        return value, 0
    num = m.group("num")
    if num[0] in "0123456789":
        plain = num.replace(",", "")
        whole, _, fraction = plain.partition(".")
        if len(whole.lstrip("0")) > _MAX_DIGITS:  # beyond any figure (before int(): 5,000 digits raise)
            return None, 0
        number = float(plain) if fraction else int(plain)
        return (number, len(fraction)) if abs(number) <= MAX_FIGURE else (None, 0)
    return chinese_number(num), 0


def extract_figures(
    text: str,
    written: str,
    organ: str | None = None,
    year: int | None = None,
    section: str | None = None,
) -> list[Mention]:
    """Every figure `text` writes about a measure of the tables, in order.

    `text` is folded and free of spaces, "\\n" ends a paragraph; `written` is
    the same characters as written, for snippets. With the report's `year`, a
    figure of a sentence about another year ("2022年收到…") is not a mention.
    """
    mentions: list[Mention] = []
    if not V.MAY_COUNT.search(text):
        return mentions  # no count and no percentage (most parts of a report): nothing is read below
    # V.NUMBER's tokens (a token starts at m.start("at"))
    tokens = [m for m in V.NUMBER_AFTER_SKIP.finditer(text) if m.lastgroup is not None]
    marks = None  # built at the first count (many parts write none)
    sentence_start = 0
    sentence_end = -1
    earlier: list[Mention] = []  # mentions of the current sentence
    previous: list[Mention] = []  # those of the sentence right before it in its paragraph
    prev_end = 0  # where the last counted number ends: the next number's words start after it
    clause_end = -1  # where the clause of the last count's tail ends (the first clause mark after it)
    for index, m in enumerate(tokens):
        if m.lastgroup == "num":
            # a number alone (no unit, %, 余 after it: most tokens), as the lines below read it:
            # digits but a year end the words of the next count; a Chinese numeral, nothing
            num = m["num"]
            if num[0] in _DIGITS and not (num[0] in "12" and _YEAR_TOKEN.match(text, m.start("at"))):
                prev_end = m.end()
            continue
        cn_percent, num, approx, percent_sign, unit = m.group(
            "cn_percent", "num", "approx", "percent", "unit"
        )
        percent = bool(percent_sign or cn_percent)
        if not percent and unit is None and num[0] not in _DIGITS:
            continue  # a Chinese numeral inside a word (一 of 统一): no count, and it ends no words
        start, end = m.start("at"), m.end()
        words_after = prev_end
        if not (num and num[0] in "12" and _YEAR_TOKEN.match(text, start)):
            # a count, a percentage or digits end the lead of the next; a year (19xx年,
            # 20xx年) does not: "结转至2026年继续办理1件"
            prev_end = end
        if not percent and (unit is None or approx):
            continue  # not a count (only counts and percentages are read below)
        if not percent and V.approximate(text, start, end):
            continue  # about so many: not a statement of the number
        # the sentence and clause the number stands in
        if marks is None:
            marks = Marks(text)
        if start > sentence_end:
            # a count after the end of the last one's sentence (one before it stands in that
            # sentence: a token holds no sentence mark)
            s_lo, s_hi = marks.sentence(start, end)
            if s_lo != sentence_start:
                follows = s_lo == sentence_end + 1 and text[sentence_end] != "\n"
                previous = earlier if follows else []
                sentence_start, earlier = s_lo, []
            sentence_end = s_hi
        lead_start = max(marks.clause_start(start), words_after)
        lead = text[lead_start:start]
        next_number = tokens[index + 1].start("at") if index + 1 < len(tokens) else len(text)
        if end > clause_end:  # (else no clause mark stands between the last count's end and it)
            clause_end = marks.clause_end(end)
        tail = text[end : min(clause_end, next_number, end + 24)]
        if not lead and not tail and text[start - 1 : start] == ":" and start - 1 > words_after:
            # "收到申请:161件", "办结:151件": the number alone after a colon has the words
            # before the colon (not "办理结果:60件予以公开", nor a list after "情况:")
            lead_start = max(marks.clause_start(start - 1), words_after)
            lead = text[lead_start : start - 1]
        sentence_before = text[sentence_start:start]
        found_breakdown = None  # (kind of applicant, received figure): "其中自然人申请60件"
        if not percent and unit in V.STRONG_UNITS:
            found_breakdown = breakdown(lead, earlier, previous, sentence_before, words_after, tail)
        if found_breakdown is None and not percent and not earlier and _reading(lead, tail)[0] == _NOTHING:
            continue  # what _measures finds at once: no measure, and no figure before to go on from
        paragraph_start = text.rfind("\n", 0, start) + 1
        found = None
        if not percent and found_breakdown is None:
            # first what the words count (mostly nothing, and cached), then whether the
            # token is a figure and of this year; all are pure tests: their order changes nothing
            paragraph_before = text[paragraph_start:start]
            found = _measures(unit, lead, sentence_before, tail, paragraph_before, earlier)
            if found is None:
                continue
        value, decimals = _count_value(m, start, end, text, percent)
        if value is None:
            continue
        if V.COMPARISON.search(lead) or V.OTHER_PERIOD.search(lead):
            continue
        if V.part_of_year(sentence_before, year) and not (found and found[0][0].startswith("in_force")):
            # "2021年上半年，…70件", "截至11月底，…": not the year's figure (documents in
            # force are a count at a date: "截至…" is how they are written)
            continue
        if about_other_year(sentence_before, year):
            continue
        context = {
            "paragraph": [e for e in mentions if e.start >= paragraph_start],
            "text": text,
            "written": written,
            "start": start,
            "end": end,
            "lead": lead,
            "tail": tail,
            "sentence": (sentence_start, sentence_end),
            "earlier": earlier,
            "organ": organ,
            "section": section,
        }
        if found_breakdown is not None:
            mention = _applicant_mention(*found_breakdown, value, context)
            earlier.append(mention)
            mentions.append(mention)
            continue
        if found is not None:
            _add_figure_mentions(*found, value, context, mentions)
            continue
        share = _share(value, decimals, **context)
        if share is not None:
            earlier.append(share)
            mentions.append(share)
    return mentions


_DIGITS = "0123456789"


def _count_value(
    m: re.Match, start: int, end: int, text: str, percent: bool
) -> tuple[int | float | None, int]:
    """The value of a count or percentage token (text[start:end]) and its decimals; None where
    the words around it say it is not a figure (a code, an ordinal, 一 of 统一, 3.5件)."""
    before = text[max(0, start - 1) : start]
    if V.NOT_A_COUNT_BEFORE.search(before):
        return None, 0
    if m.group("num") and m.group("num")[0] not in "0123456789" and V.CN_WORD_BEFORE.search(before):
        return None, 0
    value, decimals = _value(m)
    if value is None or (decimals and not percent):
        return None, 0
    if not percent and V.NOT_A_COUNT_AFTER.match(text[end : end + 4]):
        return None, 0
    return value, decimals


def _measures(
    unit: str | None,
    lead: str,
    sentence_before: str,
    tail: str,
    paragraph_before: str,
    earlier: list[Mention],
) -> tuple[list[str], int] | None:
    """The measures a count states and where its keyword is in the lead (see _classify),
    with what the sentence said before; None when it states none of the tables'."""
    found = _classify(lead, sentence_before, tail, any(e.measure == "new" for e in earlier), paragraph_before)
    if (
        found is None
        and earlier
        and earlier[-1].measure.startswith("in_force")
        and V.IN_FORCE_NEXT.match(lead)
    ):
        found = (["in_force"], -1)  # 现行有效规章1件、规范性文件20件
    if found is None and V.SUM_WORD.match(lead) and {e.measure for e in earlier} >= {"new", "carried_over"}:
        found = (["new_and_carried_over"], 0)  # 新收10件，上年结转2件，共计12件
    if found is None:
        return None
    measures = found[0]
    if any(mm in ("review", "litigation") for mm in measures) and (
        V.CASE_RESULT.search(lead) or V.CASE_RESULT.match(tail[:6].lstrip("已均"))
    ):
        return None  # 行政复议被驳回1件: an outcome, not the number
    if unit not in V.STRONG_UNITS:
        # 条/个/次…: counts of other things, unless the wording says applications or cases
        wording = paragraph_before + tail
        if measures[0] in APPLICATION_MEASURES and not V.about_applications(wording):
            return None
        if measures[0] in CASE_MEASURES and not _CASE_OR_APPLICATION.search(wording):
            return None
    return found


_CASE_OR_APPLICATION = on_use(r"案|申请")


def _applicant_mention(kind: str, base: Mention, value: int | float, context: dict) -> Mention:
    """A breakdown's statement: of the whole organ, as its received figure is."""
    measure, ambiguous = applicant_measure(kind, base)
    text, start, end = context["text"], context["start"], context["end"]
    return Mention(
        measure=measure,
        stated=value,
        scope=WHOLE,
        start=start,
        end=end,
        snippet=snippet(text, context["written"], start, end, context["sentence"]),
        ambiguous=ambiguous,
        basis=[base],
    )


def _add_figure_mentions(
    measures: list[str], verb_at: int, value: int | float, context: dict, mentions: list[Mention]
) -> None:
    """The mentions of one count, a measure each, added to the sentence's (context["earlier"],
    which the next measure's scope reads) and to `mentions`; marks a received figure said to
    include the carried-over one ("收到75件（含上年结转1件）")."""
    lead, earlier = context["lead"], context["earlier"]
    for measure in measures:
        mention = _mention(measure, value, verb_at, **context)
        if measure == "new":
            mention.ambiguous = not V.EXPLICIT_NEW.search(lead)
        if measure == "results_total":
            verb = nearest(V.RESULT, lead) if verb_at >= 0 else None
            mention.handled = bool(verb and verb.group() == "办理")
        if measure == "in_force":
            rules_named = "规章" in lead
            docs_named = "规范性文件" in lead
            if rules_named and not docs_named:
                mention.measure = "in_force_rules"
            elif docs_named and not rules_named:
                mention.measure = "in_force_normative_docs"
        if (
            measure == "carried_over"
            and V.INCLUDES_CARRIED.match(lead)
            and earlier
            and earlier[-1].measure == "new"
            and earlier[-1].ambiguous
        ):
            earlier[-1].includes_carried_over = True
        earlier.append(mention)
        mentions.append(mention)


def _mention(measure: str, value: int | float, verb_at: int, **c) -> Mention:
    text, start = c["text"], c["start"]
    sentence_start = c["sentence"][0]
    sentence_before = text[sentence_start:start]
    paragraph_before = text[text.rfind("\n", 0, start) + 1 : start]
    scope, reason, by_subject = scope_of(
        measure,
        c["lead"],
        verb_at,
        c["tail"],
        sentence_before,
        sentence_start,
        c["earlier"],
        c["organ"],
        paragraph_before,
        c["section"],
        text[c["end"] : c["sentence"][1]],
        c["paragraph"],
    )
    return Mention(
        measure=measure,
        stated=value,
        scope=scope,
        scope_reason=reason,
        start=start,
        end=c["end"],
        snippet=snippet(text, c["written"], start, c["end"], c["sentence"]),
        by_subject=by_subject,
    )


_SHARE_WORD = on_use(r"(?:占|比例|比重|占比)(?:总数|全部|办结|答复|收到|受理|申请|总量|量|数|的|为|达|约)*$")


def _share(value: int | float, decimals: int, **c) -> Mention | None:
    """A percentage of a result category ("予以公开12件，占60%", "部分公开的占比为15%")."""
    lead = c["lead"]
    word = _SHARE_WORD.search(lead)
    if word is None:
        return None
    category = _category(lead[: word.start()])
    if category is not None:
        measure = category[0]
        if V.CATEGORY_ROWS.search(lead) or V.PROACTIVE.search(lead):
            return None
    else:
        # the category of the figure just before, in the same sentence ("…12件，占60%")
        if lead[: word.start()].strip(",，") != "" or not c["earlier"]:
            return None
        measure = c["earlier"][-1].measure
        if measure not in {m for m, _ in V.CATEGORIES}:
            return None
    paragraph_before = c["text"][c["text"].rfind("\n", 0, c["start"]) + 1 : c["start"]]
    if not V.about_applications(paragraph_before + c["tail"]):
        return None
    mention = _mention(measure, value, 0, **c)
    mention.claim = SHARE
    mention.decimals = decimals
    return mention
