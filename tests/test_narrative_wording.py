"""What a supervisor reads of a narrative finding: the quoted words start and end where the
report's words do (a clause's edge, or "…" where a clause had to be cut: never "021年" or
"…信息处理费情"), and a grouped finding says which figure is the table's and which the text's."""
import re

import pytest

from narrative_reports import report
from gxaudit.audit.auditor import Auditor
from gxaudit.audit.grouping import group_findings
from gxaudit.audit.scoring import load_scoring
from gxaudit.parse.document import parse_document
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.rules.narrative.mentions import extract_mentions

EDGE = "，,；;。（(：:"


@pytest.fixture(scope="module")
def auditor():
    rules, version = load_rules([builtin_rules_dir()])
    return Auditor(rules, load_scoring(), rules_version=version)


def _sentence_of(text, quoted):
    return next(s for s in re.split("[。；\n]", text) if quoted in s)


@pytest.mark.parametrize("text", [
    "2023年，我区共收到政府信息公开申请151件，其中予以公开63件、部分公开15件。",
    "2023年，我区各级行政机关共收到公民、法人和其他组织提出的政府信息公开申请1204件，办结1190件。",
    "本年度我局在市委市政府的坚强领导下认真贯彻落实条例规定共计收到政府信息公开申请二十三件并全部依法答复。",
    "全年未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况，也未收到政府信息公开申请方面的投诉。",
    "本年度我区在全面梳理政府信息公开工作台账并逐一核对各类登记材料后确认未收到政府信息公开申请。",
    "2023年，本区发生政府信息公开行政复议3件，复议机关经审查后均维持原行政行为并已全部结案归档。",
])
def test_a_quote_starts_and_ends_at_the_edge_of_the_reports_words(text):
    mentions = extract_mentions(text, "某区人民政府", year=2023, section="overview")
    assert mentions
    for m in mentions:
        quoted = m.snippet
        core = quoted.removeprefix("…").removesuffix("…")
        sentence = _sentence_of(text, core)
        at = sentence.index(core)
        # the start: the sentence's, a clause edge's, or "…"
        assert quoted.startswith("…") or at == 0 or sentence[at - 1] in EDGE, quoted
        # the end: the sentence's, a clause edge's, or "…"
        after = at + len(core)
        assert quoted.endswith("…") or after == len(sentence) or sentence[after] in EDGE, quoted


def test_a_grouped_finding_names_the_tables_figure_and_the_texts(auditor):
    text = report(overview="2023年，我区共收到政府信息公开申请5件，其中自然人申请3件，法人或其他组织申请2件。",
                  rows={"new": 5, "granted": 5})
    result = auditor.audit_report(parse_document(text, "t"))
    narrative = [f for f in result.findings if f.rule == "GX-NAR-001"]
    assert len(narrative) == 2
    (grouped,) = group_findings(narrative, result.organ, result.year, "t")
    assert "自然人（表格 5，正文 3）、法人或其他组织（表格 0，正文 2）" in grouped.message
    assert "商业企业" not in grouped.message and "应为" not in grouped.message


def test_a_grouped_outcome_finding_names_the_tables_figure_and_the_texts(auditor):
    text = report(overview="2023年，我区发生政府信息公开行政复议3件，均维持原行政行为。",
                  cases={"review": {"upheld": 1, "corrected": 1, "pending": 1}})
    result = auditor.audit_report(parse_document(text, "t"))
    narrative = [f for f in result.findings if f.rule == "GX-NAR-005"]
    assert len(narrative) == 2
    (grouped,) = group_findings(narrative, result.organ, result.year, "t")
    assert "结果纠正（表格 1，正文 0）、尚未审结（表格 1，正文 0）" in grouped.message
