"""What the text says of a measure without writing a number.

- "未发生因政府信息公开被申请行政复议、提起行政诉讼的情况", "行政复议、行政诉讼
  均为零", "未收到政府信息公开申请", "也无上年结转的申请": the measure is 0;
- "收到申请2件，全部在规定时限内予以答复": every application received was
  concluded (or, at most, carried forward to next year);
- "行政复议2件、行政诉讼1件，均获维持": none of those cases was corrected or is
  pending; "均已结案": none is pending; "未被复议机关纠错": none was corrected.

A clause that writes a count ("行政复议3件") is a figure (figures.py), not a claim.
A negative statement whose words narrow what is denied ("未发生因征地拆迁引起的
行政复议", "未收到需要延期答复的申请") is not read: what it denies is not the
table's measure, and guessing would charge the report for our reading.
"""

from __future__ import annotations

import bisect
import functools
import re

from gxaudit.regex import on_use
from gxaudit.rules.narrative import vocabulary as V
from gxaudit.rules.narrative.figures import about_other_year, cases_in, snippet
from gxaudit.rules.narrative.model import (
    ALL_ANSWERED,
    ALL_SETTLED,
    ALL_UPHELD,
    FIGURE,
    NONE,
    NOT_CORRECTED,
    Mention,
)
from gxaudit.rules.narrative.scope import PARTIAL, WHOLE, inherited, nearest, own_organ, subject_scope

# clauses for claims: a colon does not end one ("行政复议、行政诉讼情况：无")
_CLAUSE = on_use("[^" + re.escape(V.SENTENCE_END + "，,（）()") + "]+")
_SENTENCE = on_use("[^" + re.escape(V.SENTENCE_END) + "]+")
# a sentence without any of these words makes no claim: not read further
_HINT = on_use(
    # the hint's first character, then the rest of its word (after a look-behind naming that
    # character): a pattern that starts with a character set is scanned for it without a match
    # tried at every position (about 40 % fewer instructions than a look-ahead)
    r"[未没无零〇均都皆已纠为全悉一维败结审不空]"
    r"(?:(?<=[未没无零〇均都皆已纠])|(?<=为)0|(?<=全)[部数]|(?<=悉)数|(?<=一)律|(?<=维)持|(?<=败)诉"
    r"|(?<=结)案|(?<=审)结|(?<=不)存在|(?<=空)白)"
)
# each run of numerals tried from its start only (from every position of a long run it is quadratic)
_COUNTED = on_use(
    r"(?:(?<!\d)\d+|(?<![零〇一二两三四五六七八九十百千])[零〇一二两三四五六七八九十百千]+)"
    r"(?:件|起|宗|例|条|个|份|项|次|篇)"
)

# ---------------------------------------------------------------- negative statements

# a negation that can deny cases or applications, and what may follow it
_NEGATION = on_use(
    r"(?:未曾?发生|没有发生|未曾?出现|没有出现|未产生|不存在|未曾?收到|没有收到|未曾?接到|没有接到"
    r"|未曾?受理|没有受理|未接收|未收悉|未有|"
    r"未曾?(?=因|被|涉及|遭|引起|引发|有|就)|"
    r"没有(?=因|被|涉及|针对|有关|关于|任何|政府信息公开|信息公开|依申请|行政复议|行政诉讼|复议|诉讼|申请|上一?年|结转|人)|"
    r"无(?=因|涉及|有关|关于|针对|任何|政府信息公开|信息公开|依申请|行政复议|行政诉讼|复议|诉讼|被申请|"
    r"申请|人申请|人提出|上一?年|结转|新收|新增)|"
    r"零(?=行政复议|行政诉讼|复议|诉讼))"
)
# the words allowed between the negation and what it denies: they do not narrow it
_CASE_FILLER = on_use(
    r"因|由于|被|申请|提起|提出|涉及|有关|关于|针对|就|对|政府信息公开|政府信息|信息公开|政务公开|"
    r"依申请公开|工作|方面|事项|问题|事宜|引起|引发|产生|导致|而|的|相关|任何|过|发生|出现|"
    r"一例|一起|一件|[、和或及与]"
)
_APPLICATION_FILLER = on_use(
    r"任何|相关|有关|关于|过|政府信息公开|信息公开|依申请公开|依申请|公开|政府信息|的|人|提出|提交|新的?|"
    r"本年度?|今年|全年|发生|产生"
)
# an organ named in the denied words ("针对市公安局申请行政复议")
_ORGAN_IN_FILLER = on_use(
    r"[\u4e00-\u9fff]{0,8}?(?:人民政府|政府|办公室|局|委员会|委|办|中心|街道|镇|乡|部门|单位|厅|署|所|队)"
)
_OWN_FILLER = on_use(r"本机关|本单位|本部门|我(?:局|委|办|县|区|市|镇|乡|单位|部门|机关|厅|中心)")
# the case nouns first, the negation last ("行政复议、行政诉讼案件均为零")
_NEGATION_LAST = on_use(
    r"(?:案件|情况|数量?|件数|总数)?(?:均|都|皆|也|全部|总计|合计)?"
    r"(?:未曾?发生|没有发生|未出现|没有出现|为零|为0|为〇|是零|无|没有|空白)"
    r"(?:情况|案件|记录|发生)?$"
)
# "行政复议未被纠错", "无败诉", "纠错率为零"
_NOT_CORRECTED = on_use(
    r"(?:未|没有|无|均未|零|不存在)(?:被)?(?:复议机关|复议审查机关|上级机关|人民法院|法院|审查机关)?"
    r"(?:依法)?(?:纠错|纠正|撤销|确认违法|败诉)"
    r"|(?:纠错|纠正|败诉)(?:率|数|案件|情况)?(?:均)?(?:为零|为0|为〇)$"
)
_ALL_UPHELD = on_use(
    r"(?:均|全部|都|皆|全数|一律)(?:已经?)?(?:获得?|被|予以|得到|获)?(?:复议机关|法院|人民法院)?(?:依法)?维持"
    r"|维持原(?:具体)?(?:行政)?(?:行为|决定|答复)|结果(?:均|都)?(?:为|是)维持"
)
_ALL_SETTLED = on_use(
    r"(?:均|全部|都|皆|全数)(?:已经?|已)?(?:依法)?(?:结案|审结|终结|审理终结|办结|处理完毕|办理完毕)"
)
_ALL_ANSWERED = on_use(
    r"(?:均|全部|都|皆|全数|悉数|一律|已)[^,;。\d]{0,15}?"
    r"(?:答复|办结|回复|办理完毕|办理完成|处理完毕|处理完成)"
)
# What may follow the denied noun for a negative statement to deny the whole measure: the
# clause ends, or only words that keep the meaning whole ("的情况", "案件", "事项发生").
# Anything else narrows it ("申请超期答复情况", "申请被撤回", "案件进入二审程序"): not read.
# A second negation joined on ("…申请，也无…", "…申请也未发生…") starts a statement of its own.
_NEXT_NEGATION = on_use(r"(?:[、和及与并而且]|也|亦|同时)*(?:未|没有|无|零)")
_WHOLE_AFTER_CASES = on_use(r"(?:案件|案例|案)?(?:的|等)?(?:情况|情形|现象|事件|事项|记录)?(?:发生)?")
_WHOLE_AFTER_APPLICATION = on_use(
    r"(?:公开)?(?:的)?(?:申请)?(?:书|表)?(?:事项|件)?(?:的|等)?(?:情况|情形|现象|记录|事项)?(?:发生)?"
)


def _whole_after(tail: str, whole: re.Pattern) -> bool:
    """Whether the words after a denied noun (to the clause's end) keep the denial whole."""
    found = _NEXT_NEGATION.search(tail)
    return whole.fullmatch(tail[: found.start()] if found else tail) is not None


# after the case nouns of a negative statement: it denies corrections, not cases
_CORRECTED_AFTER = on_use(r"^(?:案件|案)?(?:被|遭)?(?:依法)?(?:纠错|纠正|撤销|确认违法|败诉)")
# a clause that none of these match makes no claim: negation, case_outcome and answered
# read nothing else first (so the other tests of the clause are not needed)
_ANY_CLAIM = on_use(
    "|".join(
        f"(?:{p.pattern})"
        for p in (_NEGATION, _NEGATION_LAST, _NOT_CORRECTED, _ALL_UPHELD, _ALL_SETTLED, _ALL_ANSWERED)
    )
)
_NOT_ALL = on_use(r"未|尚|正在|部分|不|没有|其中|大部分|多数")
_BACK_REFERENCE = on_use(r"上述|以上|这些|所有|全部|前述")


@functools.lru_cache(maxsize=4096)
def _may_claim(clause: str) -> bool:
    """Whether a clause may make a claim: it writes no count ("行政复议3件" is a figure)
    and has the words of one. Clauses repeat across reports ("全年未发生…")."""
    return not _COUNTED.search(clause) and _ANY_CLAIM.search(clause) is not None


def _clauses(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [m.span() for m in _CLAUSE.finditer(text, lo, hi)]


def _sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SENTENCE.finditer(text)]


def _narrowing(filler: str, allowed: re.Pattern, organ: str | None, topic: bool) -> tuple[str, str] | None:
    """The scope the words between a negation and what it denies give. Words that
    narrow it (a topic, "新的") make it partial when `topic` (cases: a hint is
    harmless), else None: not read ("未收到需要延期答复的申请" says nothing of 新收)."""
    rest = _OWN_FILLER.sub("", filler)
    named = _ORGAN_IN_FILLER.search(allowed.sub("", rest))
    if named is not None:
        if own_organ(named.group(), organ):
            rest = rest.replace(named.group(), "")
        else:
            if allowed.sub("", rest.replace(named.group(), "")):
                return None
            return PARTIAL, f"说的是“{named.group()}”，不一定是报告机关本身"
    narrowed = allowed.sub("", rest)
    if narrowed:
        return (PARTIAL, f"否定的只是“{narrowed}”一类") if topic else None
    return WHOLE, ""


class _Reader:
    def __init__(self, text: str, written: str, figures: list[Mention], organ, year, section):
        self.text, self.written, self.figures = text, written, figures
        self.organ, self.year, self.section = organ, year, section
        self.out: list[Mention] = []

    def add(self, measure, claim, stated, at, end, sentence, scope=(WHOLE, ""), basis=None) -> None:
        mention = Mention(
            measure=measure,
            stated=stated,
            scope=scope[0],
            scope_reason=scope[1],
            start=at,
            end=end,
            snippet=snippet(self.text, self.written, at, end, sentence),
            claim=claim,
            basis=basis or [],
        )
        self.out.append(mention)

    def subject(self, clause_lo: int, at: int) -> tuple[str, str]:
        paragraph_start = self.text.rfind("\n", 0, at) + 1
        before = [m for m in self.figures if paragraph_start <= m.start < at]
        subject = self.text[clause_lo:at]
        return inherited(subject, before) or subject_scope(subject, self.organ)

    # ------------------------------------------------------------ the sentence

    def read(self) -> list[Mention]:
        if _HINT.search(self.text) is None:
            return self.out  # no sentence has a hint: none makes a claim
        starts = [m.start for m in self.figures]
        sentences = _sentences(self.text)
        sentence_starts = [lo for lo, _ in sentences]
        hint = _HINT.search
        for s_lo, s_hi in sentences:
            # only a sentence with a hint is read (a hint holds no sentence mark: it stands
            # in one sentence); one search a sentence, not a match object per hint
            if hint(self.text, s_lo, s_hi) is None:
                continue
            first = bisect.bisect_left(starts, s_lo)
            figures = self.figures[first : bisect.bisect_left(starts, s_hi)]
            # the figures of the last sentence before this one that has any
            previous: list[Mention] = []
            if first:
                last = sentences[bisect.bisect_right(sentence_starts, starts[first - 1]) - 1]
                previous = self.figures[bisect.bisect_left(starts, last[0]) : first]
            for c_lo, c_hi in _clauses(self.text, s_lo, s_hi):
                clause = self.text[c_lo:c_hi]
                if not _may_claim(clause):
                    continue
                before = self.text[s_lo:c_hi]
                if about_other_year(before, self.year):
                    continue
                if V.COMPARISON.search(clause) or V.OTHER_PERIOD.search(clause):
                    continue
                if V.part_of_year(before, self.year):
                    continue  # "上半年未收到…": not the year
                if self.negation(c_lo, c_hi, (s_lo, s_hi)):
                    continue
                self.case_outcome(c_lo, c_hi, (s_lo, s_hi), figures)
                self.answered(c_lo, c_hi, (s_lo, s_hi), figures, previous)
        return self.out

    def negation(self, c_lo: int, c_hi: int, sentence: tuple[int, int]) -> bool:
        clause = self.text[c_lo:c_hi]
        if _NOT_CORRECTED.search(clause):
            return False  # "未被纠错": an outcome (case_outcome)
        for neg in _NEGATION.finditer(clause):
            window = clause[neg.end() : neg.end() + 40]
            cases = [(k, m) for k, m in cases_in(window)]
            # (not 行政许可申请 and other applications that are not for information)
            application = V.APPLICATION.search(
                V.OTHER_APPLICATIONS.sub(lambda m: "#" * len(m.group()), window)
            )
            at = c_lo + neg.start()
            if cases and (application is None or cases[0][1].start() <= application.start() + 2):
                first = cases[0][1]
                scope = _narrowing(window[: first.start()], _CASE_FILLER, self.organ, topic=True)
                after = window[cases[-1][1].end() :][:10]
                if scope is None:
                    return True
                scope = self._and_subject(scope, c_lo, at)
                kinds = dict.fromkeys(k for k, _ in cases)
                end = c_lo + neg.end() + cases[-1][1].end()
                if _CORRECTED_AFTER.match(after):
                    # "未发生行政复议被纠错的情况", "未出现行政诉讼败诉案件": none corrected
                    for kind in kinds:
                        self.add(f"{kind}_corrected", NOT_CORRECTED, 0, at, end, sentence, scope)
                    return True
                if V.CASE_RESULT.search(after) or "维持" in after:
                    return True  # an outcome we do not compare ("未发生行政复议被驳回")
                if not _whole_after(clause[neg.end() + cases[-1][1].end() :], _WHOLE_AFTER_CASES):
                    return True  # "…行政诉讼案件超期答辩情况": not the cases themselves
                for kind in kinds:
                    self.add(kind, NONE, 0, at, end, sentence, scope)
                return True
            if application is not None:
                filler = window[: application.start()]
                measure = "new"
                if V.CARRIED_OVER.search("上年" + filler if filler.startswith("年") else filler) or re.match(
                    r"上一?年|结转(?!下)", filler
                ):
                    measure = "carried_over"
                    filler = re.sub(r"上一?个?年度?|结转|转结", "", filler)
                elif V.CARRIED_FORWARD.search(window[: application.start() + 8]):
                    return True  # 无结转下年度…: rare, and 下年度 wording varies; not read
                if V.OTHER_OBJECTS.search(filler):
                    return True
                if not _whole_after(clause[neg.end() + application.end() :], _WHOLE_AFTER_APPLICATION):
                    return True  # "…申请超期答复情况", "…申请被撤回": not the applications
                scope = _narrowing(filler, _APPLICATION_FILLER, self.organ, topic=False)
                if scope is None:
                    return True
                scope = self._and_subject(scope, c_lo, at)
                self.add(measure, NONE, 0, at, c_lo + neg.end() + application.end(), sentence, scope)
                return True
        # the nouns first: "行政复议、行政诉讼案件均为零"
        last = _NEGATION_LAST.search(clause)
        if last is not None:
            cases = list(cases_in(clause[: last.start()]))
            if cases:
                words = clause[: last.start()]
                first = cases[0][1]
                scope = self.subject(c_lo, c_lo + first.start())
                filler = re.sub(r"案件|案|情况|数量?|件数|总数", "", words[first.start() :])
                for _, m in cases:
                    filler = filler.replace(m.group(), "")
                if _CASE_FILLER.sub("", filler):
                    return True
                for kind in dict.fromkeys(k for k, _ in cases):
                    self.add(kind, NONE, 0, c_lo + first.start(), c_hi, sentence, scope)
                return True
        return False

    def _and_subject(self, scope: tuple[str, str], c_lo: int, at: int) -> tuple[str, str]:
        if scope[0] == PARTIAL:
            return scope
        return self.subject(c_lo, at)

    # ------------------------------------------------------------ outcomes of cases

    def _cases_before(self, c_lo: int, c_hi: int, sentence: tuple[int, int], figures) -> list[str]:
        """The kinds of cases a clause's outcome is said of: named in the clause, else
        counted or named earlier in the sentence."""
        own = cases_in(self.text[c_lo:c_hi])
        if own:
            return list(dict.fromkeys(k for k, _ in own))
        counted = [m.measure for m in figures if m.start < c_lo and m.measure in ("review", "litigation")]
        if counted:
            return list(dict.fromkeys(counted))
        earlier = cases_in(self.text[sentence[0] : c_lo])
        return list(dict.fromkeys(k for k, _ in earlier))

    def _last_is_case(self, c_lo: int, sentence: tuple[int, int], figures) -> bool:
        """Whether the nearest thing before a clause is a case, not an application."""
        before = self.text[sentence[0] : c_lo]
        cases = cases_in(before)
        if not cases:
            return False
        application = nearest(V.APPLICATION, before)
        return application is None or cases[-1][1].start() > application.start()

    def case_outcome(self, c_lo: int, c_hi: int, sentence: tuple[int, int], figures) -> None:
        clause = self.text[c_lo:c_hi]
        found = _NOT_CORRECTED.search(clause)
        claims: list[tuple[str, str]] = []
        if found:
            claims = [(NOT_CORRECTED, "corrected")]
        else:
            found = _ALL_UPHELD.search(clause)
            if found and not re.search(r"(?:未|没有|不|部分)$", clause[: found.start()]):
                claims = [(ALL_UPHELD, "corrected"), (ALL_UPHELD, "pending")]
            else:
                found = _ALL_SETTLED.search(clause)
                if found and (
                    cases_in(clause[: found.start()]) or self._last_is_case(c_lo, sentence, figures)
                ):
                    claims = [(ALL_SETTLED, "pending")]
        if not claims or found is None:
            return
        kinds = self._cases_before(c_lo, c_hi, sentence, figures)
        if not kinds:
            return
        scope = self.subject(c_lo, c_lo + found.start())
        counted = [m for m in figures if m.start < c_lo and m.measure in ("review", "litigation")]
        if any(m.scope == PARTIAL for m in counted):
            partial = next(m for m in counted if m.scope == PARTIAL)
            scope = (PARTIAL, partial.scope_reason)
        for kind in kinds:
            for claim, column in claims:
                self.add(
                    f"{kind}_{column}", claim, 0, c_lo + found.start(), c_lo + found.end(), sentence, scope
                )

    # ------------------------------------------------------------ all answered

    def answered(self, c_lo: int, c_hi: int, sentence: tuple[int, int], figures, previous) -> None:
        clause = self.text[c_lo:c_hi]
        found = _ALL_ANSWERED.search(clause)
        if found is None or _NOT_ALL.search(found.group()) or _NOT_ALL.search(clause[: found.start()]):
            return
        before = [m for m in figures if m.start < c_lo]
        if self._last_is_case(c_lo, sentence, figures):
            return
        if any(
            m.measure in ("results_total", "carried_forward", "concluded_or_carried_forward") for m in before
        ):
            return  # the sentence writes how many were concluded: that figure is compared
        if not before and _BACK_REFERENCE.search(clause[: found.start()]):
            before = [m for m in previous if m.measure != "results_total"]
            if any(m.measure in ("results_total", "carried_forward") for m in previous):
                return
        received = [m for m in before if m.claim == FIGURE and m.measure in ("new", "new_and_carried_over")]
        if not received:
            return
        first = received[0]
        stated = first.stated
        basis = [first]
        if not first.includes_carried_over:
            for m in before:
                if m.claim == FIGURE and m.measure == "carried_over" and m.start > first.start:
                    stated += m.stated
                    basis.append(m)
        scope = (first.scope, first.scope_reason)
        at = c_lo + found.start()
        self.add(
            "concluded_or_carried_forward",
            ALL_ANSWERED,
            stated,
            at,
            c_lo + found.end(),
            sentence,
            scope,
            basis,
        )


def extract_claims(
    text: str,
    written: str,
    figures: list[Mention],
    organ: str | None = None,
    year: int | None = None,
    section: str | None = None,
) -> list[Mention]:
    """Every statement of `text` about a measure that writes no number (see the module)."""
    return _Reader(text, written, figures, organ, year, section).read()
