"""Statements that rightly name the next year give no year finding (issue 8, part 6):
"结转至2026年", "截至2026年1月20日", "2026年工作计划" in part 五 of a 2025 report;
the same years elsewhere still do. And a figure carried to next year is still read."""
import pytest
from conftest import audit_to_json, findings_by_place, tab_row_reports, unsigned_text

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.scoring import load_scoring
from gxaudit.formats import grammar
from gxaudit.parse.document import parse_document
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.rules.narrative.mentions import extract_mentions


@pytest.fixture(scope="module", params=["durable", "reference"])
def auditor(request):
    # both engines: the claims give facts with properties others lack (table_low…)
    rules, version = load_rules([builtin_rules_dir()])
    return Auditor(rules, load_scoring(), engine=request.param, rules_version=version)


def year_findings(auditor, overview="", problems="", signature=()):
    text = "\n".join(["某区2025年政府信息公开工作年度报告", "一、总体情况", overview or "本年度工作有序开展。",
                      "五、存在的主要问题及改进情况", problems or "公开的及时性有待提高。", *signature])
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


# A full date of the next year no later than the signing date (none read: 1月31日) is a time
# point before publication: "本报告已经2026年1月18日…审议通过", "根据…2026年1月5日印发的通知".
# Before, each was a GX-YEAR-002. A month alone, a date after the signing, or (unsigned) after
# 1月31日 still fires.
SIGNED = ("某区人民政府", "2026年1月20日")


@pytest.mark.parametrize(("overview", "signature"), [
    ("本报告已经2026年1月18日区政府常务会议审议通过。", SIGNED),
    ("根据区政务公开办2026年1月5日印发的通知要求，编制本报告。", SIGNED),
    ("本报告已经2026年1月20日审议通过。", SIGNED),
    ("本报告已经2026年1月18日审议通过。", ()),
    ("本报告于2026年3月2日经审议通过。", ("某区人民政府", "2026年3月5日")),
])
def test_a_time_point_before_the_signing_in_part_one(auditor, overview, signature):
    assert year_findings(auditor, overview=overview, signature=signature) == []


@pytest.mark.parametrize(("overview", "signature"), [
    ("2026年3月10日，我区组织开展了政务公开培训。", SIGNED),     # after the signing
    ("2026年1月，我区组织开展了政务公开培训。", SIGNED),         # a month, not a date
    ("2026年2月10日，我区组织开展了政务公开培训。", ()),         # unsigned: after 1月31日
    ("2027年1月5日，上述申请已办结。", SIGNED),                  # two years on
    ("2026年2月30日，我区组织开展了政务公开培训。", ()),         # not a date that exists
])
def test_a_later_date_in_part_one_still_fires(auditor, overview, signature):
    assert year_findings(auditor, overview=overview, signature=signature) == [("GX-YEAR-002", 3)]


def test_time_points_before_the_signing_in_real_reports(tmp_path_factory, tmp_path):
    """Seeds and generated reports, signed on 1月20日 of the next year; their overview then
    opens with the date it was approved on and the notice it follows: findings as before."""
    made = []
    for path in tab_row_reports(tmp_path_factory, 8, 771):
        text = unsigned_text(path)
        lines = text.split("\n")
        title_year = grammar.title_year(next(line for line in lines if line.strip()))[0]
        at = next((i for i, line in enumerate(lines) if line.strip().startswith("一、总体情况")), None)
        if title_year is None or at is None:
            continue
        signed = f"{text.rstrip()}\n某某人民政府\n{title_year + 1}年1月20日\n"
        dated = (f"本报告已经{title_year + 1}年1月18日审议通过。"
                 f"根据县政务公开办{title_year + 1}年1月5日印发的通知要求编制。")
        with_dates = signed.split("\n")
        with_dates.insert(at + 1, dated)
        original, variant = tmp_path / f"{path.stem}.signed.txt", tmp_path / f"{path.stem}.dated.txt"
        original.write_text(signed, encoding="utf-8")
        variant.write_text("\n".join(with_dates), encoding="utf-8")
        made.append((original, variant))
    assert len(made) >= 6
    before = findings_by_place(audit_to_json([o for o, _ in made], tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([v for _, v in made], tmp_path / "after.json"))
    for original, variant in made:
        assert after[str(variant)] == before[str(original)], variant.name


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
