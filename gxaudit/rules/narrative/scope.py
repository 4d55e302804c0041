"""Whether a statement of the text speaks of the whole organ or of a part of it.

Scope matters (lessons, point 4): "区政府办代表区政府受理…17件" in a district
government's report is the government office's own share, not the district's
table; a rule must not call that an error. A statement is "partial" when

- an office acts for the organ ("…代表区政府受理");
- the subject is a department, township or office other than the report's organ
  ("区教育局受理申请5件" in a district report), or "本机关/本级" in a
  county-level (or higher) government's report;
- the subject is several organs together ("全县各级行政机关", "各部门");
- the subject is an area wider than the organ ("全县" in a township's or a
  county department's report: "全县…1300件，其中本机关130件");
- it is a "其中/含/包括" part of a figure of the same measure stated before it;
- the applications are narrowed to a topic ("涉及征地拆迁的申请") or to a kind of
  applicant ("自然人申请中予以公开3件");
- it counts cases (行政复议、行政诉讼) in a paragraph that does not say they concern
  information disclosure (an organ's whole caseload is not table four).
"""

from __future__ import annotations

import functools
import re

from gxaudit.regex import on_use
from gxaudit.rules.narrative import vocabulary as V
from gxaudit.rules.narrative.model import APPLICATION_MEASURES, CASE_MEASURES, Mention

WHOLE = "whole"
PARTIAL = "partial"


_TOWNSHIP = on_use(r"[镇乡]|街道")
_PEOPLES_GOVERNMENT = on_use(r"人民政府$")
_MEANS = on_use(r"通过|经由|依托|利用")


def is_government(organ: str | None) -> bool:
    return bool(organ and V.GOVERNMENT.search(organ) and not _TOWNSHIP.search(organ))


def own_organ(word: str, organ: str | None) -> bool:
    """Whether an organ word of the text ("市科委", "我局") is the report's own organ."""
    if not organ:
        return False
    core = _PEOPLES_GOVERNMENT.sub("政府", organ)
    tail = word[-2:]
    return tail in core or word in core


def nearest(pattern: re.Pattern, text: str) -> re.Match | None:
    last = None
    for m in pattern.finditer(text):
        last = m
    return last


def related(a: str, b: str) -> bool:
    group = {"new", "new_and_carried_over"}
    return a == b or (a in group and b in group)


@functools.lru_cache(maxsize=4096)
def _who(subject: str) -> str:
    # who, not how: "我县通过政务服务中心窗口收到…" is 我县 (a statement's scope reads it
    # three times or more, and the words before a verb repeat across reports: remembered)
    return V.YEAR_PREFIX.sub("", _MEANS.split(subject, maxsplit=1)[0]).lstrip("，,")


def names_a_subject(subject: str) -> bool:
    """The words before the verb name who did it ("全区", "我局", "区教育局", "本机关")."""
    who = _who(subject)
    return bool(who and (V.WHOLE_SUBJECT.search(who) or V.OWN_LEVEL.search(who) or V.ORGAN_WORD.search(who)))


# the organ speaking of itself: "我镇", "我局", "我委", "本机关", "本单位"
_OWN_ORGAN = on_use(r"(?:我|本)(?:镇|乡|街道|局|委|办|厅|署|中心|单位|机关|院|所)")


def names_own_organ(subject: str, organ: str | None) -> bool:
    """The words name the report's own organ, and no government's 本级 (a government's
    table is its whole area's): "其中我镇收到", "其中本机关", "其中区教育局" in its own report."""
    who = _who(subject)
    if _OWN_ORGAN.match(who):
        return not (V.OWN_LEVEL.match(who) and is_government(organ))
    word = V.ORGAN_WORD.match(who)
    return bool(word and own_organ(word.group(), organ))


def _one_channel(subject: str) -> str | None:
    """The one channel the words before the verb name ("通过邮寄方式", "网上平台"), if only one."""
    means = V.CHANNEL_MEANS.search(subject)
    words = means["via"] if means is not None else _who(subject)
    if not words or V.SEVERAL_CHANNELS.search(words):
        return None
    if means is None and not V.CHANNEL_NOUN.search(words):
        return None
    return words


def inherited(subject: str, before: list[Mention]) -> tuple[str, str] | None:
    """A statement without a subject of its own speaks of the subject of the statement
    before it in the paragraph: "区政府办代表区政府受理申请17件；办结17件" (partial)."""
    if names_a_subject(subject) or not before or not before[-1].by_subject:
        return None
    return PARTIAL, before[-1].scope_reason


def own_area(level: str, organ: str) -> bool:
    """Whether "全<level>" ("全县") is the report's own organ's area: a government (or an
    area's administration) of that level ("某县人民政府", "某新区管委会", "某街道办事处")."""
    return V.ORGAN_OF_AREA.sub("", organ).endswith(level)


def subject_scope(subject: str, organ: str | None) -> tuple[str, str]:
    """The scope the subject of a statement gives ("区教育局", "本机关", "全区", "")."""
    subject = _who(subject)
    several = V.SEVERAL_ORGANS.search(subject)
    if several:
        return PARTIAL, f"“{subject[: several.end()]}”说的是多个机关的合计，表格只统计本机关"
    area = V.AREA.match(subject)
    if area and organ and not own_area(area["level"], organ):
        # "全县共收到…1300件，其中本机关130件" in a township's or a department's report
        return PARTIAL, f"“{area.group()}”的数字可能不只是{organ}的，表格只统计本机关"
    if subject and not V.WHOLE_SUBJECT.search(subject):
        own = V.OWN_LEVEL.search(subject)
        if own and is_government(organ):
            return PARTIAL, f"“{own.group()}”可能只是{organ}本级，表格是全辖区的数字"
        word = V.ORGAN_WORD.search(subject)
        if word and not own and not own_organ(word.group(), organ):
            return PARTIAL, f"主语“{word.group()}”不是报告机关本身"
    return WHOLE, ""


def scope_of(
    measure: str,
    lead: str,
    verb_at: int,
    tail: str,
    sentence_before: str,
    sentence_start: int,
    earlier: list[Mention],
    organ: str | None,
    paragraph_before: str = "",
    section: str | None = None,
    sentence_after: str = "",
    paragraph: list[Mention] | None = None,
) -> tuple[str, str, bool]:
    """("whole"|"partial", reason, by_subject) of a statement: `lead` is the words of
    its clause before the number (or the claim), `verb_at` where the word saying what
    is counted starts in it (-1: after the number); `paragraph` the statements before
    it in its paragraph. `by_subject`: the scope comes from who the sentence speaks of,
    and passes on to the next statement without a subject."""
    paragraph = paragraph or []
    acting = V.ACTING_FOR.search(lead)
    if acting:
        subject = V.YEAR_PREFIX.sub("", lead[: acting.start()])
        verb = V.RECEIVE.search(lead, acting.end()) or V.RESULT.search(lead, acting.end())
        principal = lead[acting.end() : verb.start()] if verb else ""
        if subject and principal and verb is not None:
            return (
                PARTIAL,
                f"说的是{subject}代表{principal}{verb.group()}的申请，不一定是本报告表格统计的全部申请",
                True,
            )
        return PARTIAL, f"“{lead[acting.start() :]}…”说的是代为办理的部分", True
    # a 其中/含 part of a figure of the same measure said before it in the sentence
    part = nearest(V.PART_OF, sentence_before)
    if part is not None:
        after_part = sentence_before[part.end() :]
        same = [m for m in earlier if m.start < sentence_start + part.start() and related(m.measure, measure)]
        if not same and not sentence_before[: part.start()].strip(",，"):
            # "…共收到申请151件。其中，网上平台收到98件": a part of the sentence before's figure
            same = [m for m in paragraph if related(m.measure, measure)]
        if same and not (
            measure == "carried_over" and V.INCLUDES_CARRIED.match(sentence_before[part.start() :])
        ):
            if all(m.scope == PARTIAL and m.by_subject for m in same) and names_own_organ(after_part, organ):
                # "全县共收到…1300件，其中我镇收到9件": a wider total, then the organ's own figure
                return WHOLE, "", False
            return PARTIAL, f"“{part.group()}{after_part.lstrip(',，')[:12]}…”是前面数字的一部分", False
    topic = V.TOPIC.search(lead) or V.TOPIC.search(tail)
    if topic is not None:
        return PARTIAL, "只说了涉及某一类事项的申请或案件", False
    if measure in APPLICATION_MEASURES:
        applicant = V.APPLICANT.search(V.ALL_APPLICANTS.sub("", lead))
        if applicant is not None:
            return PARTIAL, f"只说了“{applicant.group()}”一类申请人的申请", False
        channel = _one_channel(lead[:verb_at] if verb_at >= 0 else lead)
        if channel is not None:
            return PARTIAL, f"只说了通过“{channel}”收到的申请，不一定是全部申请", False
    if measure in CASE_MEASURES and V.JOINT_DEFENDANT.search(sentence_before + tail):
        return PARTIAL, "作为复议机关被共同起诉的案件不计入表四（只计原行为机关的案件）", False
    if (
        measure in CASE_MEASURES
        and section != "review_litigation"
        and not V.DISCLOSURE.search(paragraph_before + lead + tail + sentence_after)
    ):
        return PARTIAL, "句子没有说明是因政府信息公开引起的行政复议、行政诉讼，可能是本机关全部案件", False
    subject = lead[:verb_at] if verb_at >= 0 else lead
    acting_as = V.ACTING_AS.match(_who(sentence_before))
    if acting_as is not None and not names_a_subject(subject):
        # "区政府办公室作为…受理机构，共受理…": the subject of the sentence's first words
        scope, reason = subject_scope(acting_as["who"], organ)
        if scope == PARTIAL:
            return scope, reason, True
    passed_on = inherited(subject, paragraph)
    if passed_on is not None:
        return (*passed_on, True)
    scope, reason = subject_scope(subject, organ)
    return scope, reason, scope == PARTIAL
