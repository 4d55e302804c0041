"""Figures the text states for one kind of applicant of the received applications:
"共收到政府信息公开申请65件，其中自然人申请60件，法人或其他组织申请5件".

A figure is read as such only where nothing else can be meant: it follows, in the same
sentence (or in a sentence that opens with 其中 right after), a received figure the
text states of the whole organ, or another such breakdown of it; and the words before
it are an applicant and at most a verb of asking ("其中自然人申请", "公民提出的申请",
"、法人和其他组织", "涉及商业企业"). It is compared with the columns of the rows its
received figure is compared with (本年新收, or 本年新收 + 上年结转), and only when that
figure agrees with the table (else the received figure is the finding, once).

Anything else said of an applicant ("自然人申请中予以公开3件", "收到自然人提出的申请10件"
without a total before, "自然人约占九成", "法人5件") stays what scope.py makes of it.
"""

from __future__ import annotations

from gxaudit.regex import on_use
from gxaudit.rules.narrative import vocabulary as V
from gxaudit.rules.narrative.model import FIGURE, RECEIVED_BY_APPLICANT, Mention

_RECEIVED = ("new", "new_and_carried_over")
_BY_APPLICANT = set(RECEIVED_BY_APPLICANT) | set(RECEIVED_BY_APPLICANT.values())


def applicant_named(lead: str) -> str | None:
    """The kind of applicant whose applications the words before a number count, when
    they say nothing else ("其中自然人申请" → natural_person), else None."""
    lead = V.BREAKDOWN_JOINT.sub("", lead)
    found = V.APPLICANT_BREAKDOWN.fullmatch(lead) or V.APPLICANT_INVOLVED.fullmatch(lead)
    if found is None:
        return None
    return next(kind for kind, _ in V.APPLICANT_KINDS if found.group(kind))


def _received_base(mention: Mention) -> Mention | None:
    """The received figure a statement is, or is a breakdown of (whole, a number)."""
    if mention.measure in _BY_APPLICANT:
        return mention.basis[0]
    if mention.measure in _RECEIVED and mention.claim == FIGURE and mention.scope == "whole":
        return mention
    return None


def broken_down(
    earlier: list[Mention], previous: list[Mention], sentence_before: str, last_number_end: int
) -> Mention | None:
    """The received figure a breakdown stated now divides: the last statement of the
    sentence (`earlier`), or of the sentence before when this one opens with 其中, and the
    last number written before it (`last_number_end`: "收到65件，其中网上申请60件，自然人
    50件" may be 50 of the 60); a received figure said to include 上年结转 ("共收到75件
    （含上年结转1件），其中…") too."""
    if not earlier and V.PART_OF.match(sentence_before):
        earlier = previous
    if not earlier or earlier[-1].end != last_number_end:
        return None
    last = earlier[-1]
    if last.measure == "carried_over" and len(earlier) > 1 and earlier[-2].includes_carried_over:
        last = earlier[-2]
    return _received_base(last)


def applicant_measure(kind: str, base: Mention) -> tuple[str, bool]:
    """The measure of a breakdown of `base` and whether it is ambiguous (as `base` is:
    收到 without 新收 may be 本年新收 or 本年新收 + 上年结转)."""
    new = f"new_{kind}"
    if base.measure == "new_and_carried_over" or base.includes_carried_over:
        return RECEIVED_BY_APPLICANT[new], False
    return new, base.ambiguous


def applicant_of(measure: str) -> str:
    """The kind of applicant whose received applications a measure counts, or ""."""
    if measure not in _BY_APPLICANT:
        return ""
    return measure.removeprefix("new_and_carried_over_").removeprefix("new_")


# a cheap guard: most words before a number name no applicant
_ANY_KIND = on_use(r"自然人|公民|个人|法人|企业|科研机构|社会公益组织|法律服务机构")
# the longest words NUMBER_FIRST_LEAD takes before a number (a cheap guard as well)
_NUMBER_FIRST_LEAD_CHARS = 32


def applicant_after(lead: str, tail: str) -> str | None:
    """The kind of applicant of a breakdown written number first ("其中60件为自然人申请":
    lead "其中", tail "为自然人申请"): the words after the number name an applicant and
    nothing else, and those before it no more than 其中, a joint or the breakdown before it
    ("、5件为法人或其他组织申请"); else None."""
    if not _ANY_KIND.search(tail) or V.NUMBER_FIRST_LEAD.fullmatch(lead) is None:
        return None
    found = V.APPLICANT_AFTER.fullmatch(tail.rstrip("、和及与"))
    if found is None:
        return None
    return next(kind for kind, _ in V.APPLICANT_KINDS if found.group(kind))


def breakdown(
    lead: str,
    earlier: list[Mention],
    previous: list[Mention],
    sentence_before: str,
    last_number_end: int,
    tail: str = "",
) -> tuple[str, Mention] | None:
    """The kind of applicant and the received figure of a breakdown ("共收到申请65件，其中
    自然人申请60件", "…，其中60件为自然人申请": natural_person and the 65), or None.
    `earlier`: the statements of the sentence before the number; `previous`: those of the
    sentence right before it; `last_number_end`: where the number written before this one
    ends; `tail`: the words after the number, to its clause's end or the next number."""
    if not (earlier or previous):
        return None
    kind = applicant_named(lead) if _ANY_KIND.search(lead) else None
    if kind is None and len(lead) <= _NUMBER_FIRST_LEAD_CHARS:
        kind = applicant_after(lead, tail)
    if kind is None:
        return None
    base = broken_down(earlier, previous, sentence_before, last_number_end)
    return None if base is None else (kind, base)
