"""What the text of a report states about a measure of the tables: a `Mention`."""

from __future__ import annotations

from dataclasses import dataclass, field

from gxaudit.formats.load import measures
from gxaudit.rules.narrative.vocabulary import APPLICANT_KINDS

# the measures the text may state (formats/*.yaml `measures`), by id: their Chinese names
MEASURES: dict[str, str] = {mid: m.label for mid, m in measures().items()}
APPLICATION_MEASURES = tuple(
    mid for mid, m in measures().items() if all(c.table == "applications" for c in m.cells)
)
CASE_MEASURES = tuple(mid for mid, m in measures().items() if m.cells[0].table == "review_litigation")
# one kind of applicant's received applications, 本年新收 and 本年新收 + 上年结转 (the columns
# of table three: formats/common.yaml `measures`): "其中自然人申请60件"
RECEIVED_BY_APPLICANT = {f"new_{kind}": f"new_and_carried_over_{kind}" for kind, _ in APPLICANT_KINDS}

# What a mention claims of its measure (the rules compare accordingly):
FIGURE = "figure"  # a number: "收到申请12件" — the table holds the same number
NONE = "none"  # a negative statement: "未发生行政复议" — the table holds 0
ALL_ANSWERED = "all_answered"  # "收到12件，均已答复": concluded + carried forward >= 12
ALL_UPHELD = "all_upheld"  # "均获维持": no 纠正 and no 尚未审结 (the measure is one of them)
ALL_SETTLED = "all_settled"  # "均已审结": no 尚未审结
NOT_CORRECTED = "not_corrected"  # "未被纠错": no 纠正
SHARE = "share"  # a percentage: "予以公开…占60%" — of the concluded (or received) applications
CLAIMS = (FIGURE, NONE, ALL_ANSWERED, ALL_UPHELD, ALL_SETTLED, NOT_CORRECTED, SHARE)


@dataclass
class Mention:
    """One statement of the text about a measure of the tables."""

    measure: str
    stated: int | float  # the number stated (0 for a negative statement; a percentage for SHARE)
    scope: str  # "whole" or "partial"
    start: int  # offsets in the text searched
    end: int
    snippet: str
    scope_reason: str = ""
    ambiguous: bool = False  # 收到/受理 without 新收: new, or new + carried over
    handled: bool = False  # 办理 N 件: concluded, or (less often) received
    includes_carried_over: bool = False  # the sentence says so (含上年结转…)
    claim: str = FIGURE
    decimals: int = 0  # SHARE: the decimals printed ("66.7%": 1)
    by_subject: bool = False  # partial because of who the sentence speaks of (passed on to the next)
    # ALL_ANSWERED: the received figures it is said of (checked only when they agree with the table)
    basis: list[Mention] = field(default_factory=list)
