"""Statements that rightly name the next year give no year finding (issue 8, part 6):
"结转至2026年", "截至2026年1月20日", "2026年工作计划" in part 五 of a 2025 report;
the same years elsewhere still do. And a figure carried to next year is still read."""
import pytest

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.scoring import load_scoring
from gxaudit.parse.document import parse_document
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.rules.narrative.mentions import extract_mentions


@pytest.fixture(scope="module", params=["durable", "reference"])
def auditor(request):
    # both engines: the claims give facts with properties others lack (table_low…)
    rules, version = load_rules([builtin_rules_dir()])
    return Auditor(rules, load_scoring(), engine=request.param, rules_version=version)


def year_findings(auditor, overview="", problems=""):
    text = "\n".join(["某区2025年政府信息公开工作年度报告", "一、总体情况", overview or "本年度工作有序开展。",
                      "五、存在的主要问题及改进情况", problems or "公开的及时性有待提高。"])
    result = auditor.audit_report(parse_document(text, "t"))
    return [(f.rule, f.location.get("line")) for f in result.findings if f.category == "year"]


@pytest.mark.parametrize("overview", [
    "全年收到政府信息公开申请12件，办结11件，另有1件结转至2026年继续办理。",
    "1件申请因需第三方意见，转入2026年办理。",
    "因补正延期的申请顺延到2026年度答复。",
    "1件申请延至2026年答复。",
    "截至2026年1月20日，上述结转申请已全部办结。",
    "截止2026年1月，全区现行有效规范性文件45件。",
    "2026年，我区将继续深化政务公开。",
    "全年主动公开政府信息1200条，较2024年增长10%。",
])
def test_next_year_named_rightly_in_part_one(auditor, overview):
    assert year_findings(auditor, overview=overview) == []


@pytest.mark.parametrize("overview", [
    "2026年，我区共主动公开政府信息1200条。",
    "2026年1月，我区组织开展了政务公开培训。",
    "2027年1月前，上述申请已办结。",           # two years on: not a carry to next year
])
def test_a_later_year_in_part_one_still_fires(auditor, overview):
    assert year_findings(auditor, overview=overview) == [("GX-YEAR-002", 3)]


@pytest.mark.parametrize("problems", [
    "（二）2026年工作计划",
    "（二）2026年工作打算",
    "2026年，我区将进一步规范依申请公开办理。",
    "结转至2026年的2件申请将依法按时答复。",
    "下一步，2026年重点做好政策解读工作。",
])
def test_next_year_in_part_five(auditor, problems):
    assert year_findings(auditor, problems=problems) == []


def test_a_plan_for_the_report_year_in_part_five_still_fires(auditor):
    assert year_findings(auditor, problems="（二）2025年工作计划") == [("GX-YEAR-003", 5)]


def test_figures_carried_to_next_year_are_read():
    said = [(m.measure, m.stated) for m in extract_mentions(
        "全年收到政府信息公开申请12件，办结11件，结转至2026年继续办理1件。", "某区人民政府", year=2025)]
    assert said == [("new", 12), ("results_total", 11), ("carried_forward", 1)]
    # but a sentence about another year is not this year's figure
    assert extract_mentions("2026年收到政府信息公开申请3件。", "某区人民政府", year=2025) == []
