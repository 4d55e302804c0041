"""Every phrasing supervisors meet, in wordings the corpus does not contain (issue 8, part 6).

For each phrasing: variants that must be read (other verbs, Chinese numerals,
条 vs 件, sentences wrapped over lines as PDF and Markdown extractions wrap them,
scope words) and variants that must not (comparisons, other periods, other
organs, topics), first as statements read from the text, then as findings of
the audit against hand-written tables (tests/narrative_reports.py).
"""
import pytest

from narrative_reports import report
from gxaudit.audit.auditor import Auditor
from gxaudit.audit.scoring import load_scoring
from gxaudit.parse.document import parse_document
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.rules.narrative.mentions import extract_mentions, prepare


@pytest.fixture(scope="module", params=["durable", "reference"])
def auditor(request):
    # both engines: the claims give facts with properties others lack (table_low…)
    rules, version = load_rules([builtin_rules_dir()])
    return Auditor(rules, load_scoring(), engine=request.param, rules_version=version)


def said(text, organ="某区人民政府", year=2023, section="overview"):
    """(measure, claim, stated, scope) of every statement of a text."""
    return [(m.measure, m.claim, m.stated, m.scope)
            for m in extract_mentions(text, organ, year=year, section=section)]


def wrapped(*lines, organ="某区人民政府", year=2023, section="overview"):
    """The same, for lines as an extraction wraps them (numbered from 10)."""
    text, written, where = prepare(list(enumerate(lines, start=10)))
    return [(m.measure, m.claim, m.stated, m.scope, where[m.start])
            for m in extract_mentions(text, organ, written, year, section)]


def findings(auditor, text):
    """(rule, severity, row, column, actual, expected) of the narrative findings."""
    result = auditor.audit_report(parse_document(text, "t"))
    return [(f.rule, f.severity, f.location.get("row"), f.location.get("column"), f.actual, f.expected)
            for f in result.findings if f.category == "narrative"]


W, P = "whole", "partial"


# ------------------------------------------------------------ 接到/收到/受理…申请N件

@pytest.mark.parametrize("text, expected", [
    ("2023年，我局共接到政府信息公开申请二十三件。", [("new", "figure", 23, W)]),
    ("全年共受理依申请公开事项15条，均按时答复。",
     [("new", "figure", 15, W), ("concluded_or_carried_forward", "all_answered", 15, W)]),
    ("本年度共登记政府信息公开申请1,204件。", [("new", "figure", 1204, W)]),
    ("收悉政府信息公开申请两件。", [("new", "figure", 2, W)]),
    ("本年度新收政府信息公开申请8件，上年结转2件，共计10件。",
     [("new", "figure", 8, W), ("carried_over", "figure", 2, W), ("new_and_carried_over", "figure", 10, W)]),
    ("全年接收申请12件（其中上年结转2件）。", [("new", "figure", 12, W), ("carried_over", "figure", 2, W)]),
    # scope
    ("区教育局受理政府信息公开申请5件。", [("new", "figure", 5, P)]),
    ("收到涉及征地拆迁的政府信息公开申请4件。", [("new", "figure", 4, P)]),
    ("收到自然人提出的政府信息公开申请10件。", [("new", "figure", 10, P)]),
    ("县政府办公室代表县政府受理政府信息公开申请6件。", [("new", "figure", 6, P)]),
])
def test_received(text, expected):
    assert said(text, organ="某区人民政府" if "县" not in text else "某县人民政府") == expected


@pytest.mark.parametrize("text", [
    "较上年收到政府信息公开申请增加5件。",
    "2022年收到政府信息公开申请25件。",
    "自2019年以来累计受理政府信息公开申请200件。",
    "全年收到群众来信12件。",
    "受理网络问政留言30条。",
    "受理行政许可申请1200件，办结1198件。",
    "收到政府信息公开申请100余件。",
    "于2023年3月5日前在3个工作日内答复申请人。",
])
def test_not_received(text):
    assert said(text) == []


def test_received_wrapped_over_lines_as_extractions_write_it():
    assert wrapped("2023年，全区共收到政府信息公开", "申请 12", "件，上年结转 2 件。") == [
        ("new", "figure", 12, W, 11), ("carried_over", "figure", 2, W, 12)]


def test_received_and_the_201_shape(auditor):
    # corpus 201's wording: the received figure equals 新收, the table's 总计 is 0
    text = report(overview="接到依申请公开2件，全部在规定时限内予以答复。",
                  rows={"new": 2, "granted": 2, "results_total": 0})
    assert findings(auditor, text) == [("GX-NAR-001", "error", "results_total", "total", 2, 0)]
    # not against 新收, which is 2
    assert not [f for f in findings(auditor, text) if f[2] == "new"]


@pytest.mark.parametrize("stated, new, carried, fires", [
    (12, 12, 0, False),
    (12, 10, 2, False),     # 新收 + 结转, the sentence does not say so: either reading
    (12, 9, 2, True),
])
def test_received_against_the_table(auditor, stated, new, carried, fires):
    text = report(overview=f"全年共受理政府信息公开申请{stated}件。",
                  rows={"new": new, "carried_over": carried, "granted": new + carried})
    assert bool(findings(auditor, text)) is fires


def test_received_said_to_include_carried_over_is_compared_with_both(auditor):
    text = report(overview="共收到政府信息公开申请12件（含上年结转2件）。",
                  rows={"new": 12, "carried_over": 2, "granted": 14})
    assert findings(auditor, text) == [("GX-NAR-001", "error", "new", "total", 12, 14)]


# ------------------------------------------------------------ 收到申请：N件, 共有N个申请

@pytest.mark.parametrize("text, expected", [
    ("2023年，收到政府信息公开申请：161件。", [("new", "figure", 161, W)]),
    ("全年收到政府信息公开申请数：161件。", [("new", "figure", 161, W)]),
    ("全年新收申请数量：161件；上年结转：0件；办结：151件。",
     [("new", "figure", 161, W), ("carried_over", "figure", 0, W), ("results_total", "figure", 151, W)]),
    ("2023年，我区共收到政府信息公开申请151件，办结：141件。",
     [("new", "figure", 151, W), ("results_total", "figure", 141, W)]),
    ("全年受理依申请公开事项：十二件。", [("new", "figure", 12, W)]),
    ("政府信息公开行政复议：2件。", [("review", "figure", 2, W)]),
    ("2023年，共有161个政府信息公开申请。", [("new", "figure", 161, W)]),
    ("全年总共有12件依申请公开申请，均已答复。",
     [("new", "figure", 12, W), ("concluded_or_carried_forward", "all_answered", 12, W)]),
])
def test_a_figure_after_a_colon_or_after_there_are(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text", [
    "申请人：3人。",
    "答复期限：15个工作日。",
    "办理结果：予以公开63件、部分公开15件。",       # (no received figure: the words say no application)
    "共有3个单位的政府信息公开申请被退回。",
    "共有5个部门受理政府信息公开申请。",
    "依申请公开工作情况：\n本单位持续推进依申请公开规范化建设。",
])
def test_not_a_figure_after_a_colon_or_after_there_are(text):
    assert said(text) == []


def test_a_list_after_a_colon_keeps_its_own_words():
    assert said("收到政府信息公开申请151件，办理结果如下：60件予以公开，91件不予公开。") == [
        ("new", "figure", 151, W), ("granted", "figure", 60, W), ("denied", "figure", 91, W)]
    assert said("全年共收到政府信息公开申请10件，其中：自然人8件，法人或其他组织2件。") == [
        ("new", "figure", 10, W), ("new_natural_person", "figure", 8, W), ("new_legal_or_other", "figure", 2, W)]


def test_a_figure_after_a_colon_against_the_table(auditor):
    text = report(overview="2023年，收到政府信息公开申请：7件。", rows={"new": 6, "granted": 6})
    assert findings(auditor, text) == [("GX-NAR-001", "error", "new", "total", 7, 6)]
    assert findings(auditor, report(overview="2023年，收到政府信息公开申请：6件。", rows={"new": 6, "granted": 6})) == []


# ------------------------------------------------------------ a part of the year, one channel

@pytest.mark.parametrize("text", [
    "2023年上半年，我区共收到政府信息公开申请70件。",
    "2023年下半年共受理政府信息公开申请81件。",
    "2023年第四季度，我区收到政府信息公开申请40件。",
    "前三季度，全区共接到政府信息公开申请九十件。",
    "截至2023年11月底，我区共收到政府信息公开申请139件。",
    "截止11月30日，共收到政府信息公开申请139件。",
    "截至目前，共收到政府信息公开申请12件。",
    "12月份收到政府信息公开申请20件。",
    "2023年3月，我区共收到政府信息公开申请6件。",
    "“十三五”期间，我区共受理政府信息公开申请612件。",
    "自新修订《条例》施行以来，我区累计收到政府信息公开申请420件。",
    "2021年至今，共收到政府信息公开申请300件。",
    "上半年未收到政府信息公开申请。",
    "第一季度未发生政府信息公开行政复议、行政诉讼。",
])
def test_a_figure_of_a_part_of_the_year_or_of_several_years_is_not_read(text):
    assert said(text) == []


@pytest.mark.parametrize("text, expected", [
    ("2023年上半年，我区共收到政府信息公开申请70件；全年共收到政府信息公开申请151件。",
     [("new", "figure", 151, W)]),
    ("截至2023年12月31日，我区共收到政府信息公开申请139件。", [("new", "figure", 139, W)]),
    ("2023年1月1日至12月31日，我区共收到政府信息公开申请139件。", [("new", "figure", 139, W)]),
    ("2023年1-12月，我区共收到政府信息公开申请139件。", [("new", "figure", 139, W)]),
    ("2023年1月1日至2023年12月31日期间，我区共收到政府信息公开申请139件。", [("new", "figure", 139, W)]),
    ("截至年底，共收到政府信息公开申请12件。", [("new", "figure", 12, W)]),
    ("今年以来，我区共收到政府信息公开申请139件。", [("new", "figure", 139, W)]),
    ("2023年以来，我区共收到政府信息公开申请139件。", [("new", "figure", 139, W)]),
    ("全年累计收到政府信息公开申请139件。", [("new", "figure", 139, W)]),
    ("2023年，我区共收到政府信息公开申请151件，3个月内全部办结。", [("new", "figure", 151, W)]),
    # documents in force are counted at a date
    ("截至2023年11月底，全区现行有效规范性文件45件。", [("in_force_normative_docs", "figure", 45, W)]),
])
def test_the_whole_year_is_still_read(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2023年，我区共收到政府信息公开申请151件。通过邮寄方式收到政府信息公开申请53件。",
     [("new", "figure", 151, W), ("new", "figure", 53, P)]),
    ("2023年，我区共收到政府信息公开申请151件。其中，依申请公开网上平台共收到政府信息公开申请98件。",
     [("new", "figure", 151, W), ("new", "figure", 98, P)]),
    ("通过政府网站在线申请系统收到政府信息公开申请98件。", [("new", "figure", 98, P)]),
    ("我区经由电子邮件受理政府信息公开申请4件。", [("new", "figure", 4, P)]),
    ("区政府办公室作为区政府依申请公开受理机构，共受理政府信息公开申请98件。", [("new", "figure", 98, P)]),
    # several channels, every channel, the organ itself: the whole
    ("我县通过各种渠道共收到政府信息公开申请12件。", [("new", "figure", 12, W)]),
    ("我局通过网站、信函等途径收到政府信息公开申请12件。", [("new", "figure", 12, W)]),
    ("全区网上平台和线下窗口共收到政府信息公开申请12件。", [("new", "figure", 12, W)]),
    ("本局作为政府信息公开责任主体，全年共收到政府信息公开申请5件。", [("new", "figure", 5, W)]),
])
def test_one_channel_or_an_office_acting_as_receiver_is_a_partial_scope(text, expected):
    assert said(text, organ="某区人民政府") == expected


def test_parts_of_the_year_and_channels_against_the_table(auditor):
    text = report(overview="2023年上半年，我区共收到政府信息公开申请2件。截至11月底，共收到政府信息公开申请5件。"
                           "2023年，我区共收到政府信息公开申请6件。通过邮寄方式收到政府信息公开申请1件。",
                  rows={"new": 6, "granted": 6})
    assert [f[:2] for f in findings(auditor, text)] == [("GX-NAR-003", "info")]
    wrong = report(overview="2023年上半年，我区共收到政府信息公开申请2件。全年共收到政府信息公开申请7件。",
                   rows={"new": 6, "granted": 6})
    assert findings(auditor, wrong) == [("GX-NAR-001", "error", "new", "total", 7, 6)]


# ------------------------------------------------------------ 未收到申请

@pytest.mark.parametrize("text, expected", [
    ("2023年，我局未收到政府信息公开申请。", [("new", "none", 0, W)]),
    ("本年度没有收到依申请公开申请。", [("new", "none", 0, W)]),
    ("全年无政府信息公开申请，也无上年结转的申请。", [("new", "none", 0, W), ("carried_over", "none", 0, W)]),
    ("本年度无依申请公开事项。", [("new", "none", 0, W)]),
    ("区教育局未收到政府信息公开申请。", [("new", "none", 0, P)]),
])
def test_no_application(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text", [
    "目前未收到该申请人提交的补正材料。",
    "对无法提供的申请，均告知申请人理由。",
    "无正当理由大量反复申请的，不予处理。",
    "未收到需要延期答复的申请。",
    "未收到行政许可申请。",
    "2019年，未收到公民提出的公开政府信息申请。",   # 107: 公民 narrows it; not read
    "2022年未收到政府信息公开申请。",
])
def test_not_a_statement_of_no_application(text):
    assert said(text) == []


# words after the noun that keep the denial whole, and words that narrow it (what is denied
# is something about applications, not the applications themselves)
@pytest.mark.parametrize("text, expected", [
    ("全年未收到政府信息公开申请书。", [("new", "none", 0, W)]),
    ("本年度无政府信息公开申请事项发生。", [("new", "none", 0, W)]),
    ("本年度未发生政府信息公开申请的情况。", [("new", "none", 0, W)]),
    ("2023年，我局未收到政府信息公开申请，未发生行政复议。", [("new", "none", 0, W), ("review", "none", 0, W)]),
    ("2023年，我局未收到政府信息公开申请也未发生行政复议。", [("new", "none", 0, W)]),
])
def test_no_application_with_words_after_the_noun(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text", [
    "全年未发生政府信息公开申请超期答复情况。",
    "未收到政府信息公开申请相关的投诉。",
    "全年未收到政府信息公开申请方面的投诉举报。",
    "本年度没有政府信息公开申请被撤回。",
    "全年无政府信息公开申请逾期未办结情况。",
    "本年度未发生依申请公开收取信息处理费情况。",
    "未发生政府信息公开申请收费情况。",
    "未发生政府信息公开申请泄密事件。",
    "未收到政府信息公开申请的咨询电话。",
    "未受理政府信息公开申请以外的其他事项。",
    "全年未发生政府信息公开申请被确认违法的情况。",
    "全年未收到政府信息公开申请纸质件。",
    "未出现政府信息公开申请答复超出法定期限的情况。",
    "本年度无依申请公开延期答复事项。",
])
def test_a_denial_narrowed_after_the_noun_is_not_no_application(text):
    assert said(text) == []


def test_no_application_against_the_table(auditor):
    text = report(overview="2023年，我区未收到政府信息公开申请。", rows={"new": 3, "granted": 3})
    assert findings(auditor, text) == [("GX-NAR-001", "error", "new", "total", 0, 3)]
    assert findings(auditor, report(overview="2023年，我区未收到政府信息公开申请。")) == []


# ------------------------------------------------------------ 均已答复

@pytest.mark.parametrize("text, expected", [
    ("收到申请3件，均已按时答复。", 3),
    ("全年收到政府信息公开申请5件，上年结转1件，已全部办结。", 6),
    ("全年收到政府信息公开申请5件。上述申请均已在法定期限内答复完毕。", 5),
    ("本年度收到依申请公开事项1项，已在规定时限内答复并办结。", 1),
    ("收到政府信息公开申请七件，都已依法予以答复。", 7),
])
def test_all_answered(text, expected):
    claims = [m for m in said(text) if m[1] == "all_answered"]
    assert claims == [("concluded_or_carried_forward", "all_answered", expected, W)]


@pytest.mark.parametrize("text", [
    "收到申请3件，其中2件已答复。",
    "收到申请3件，均已受理。",
    "收到申请3件，部分已答复。",
    "收到申请3件，尚未答复。",
    "收到申请3件，办结2件，均在法定期限内答复。",   # the figure 2 is compared, not the claim
    "行政复议1件，均已办结。",
])
def test_not_all_answered(text):
    assert [m for m in said(text) if m[1] == "all_answered"] == []


@pytest.mark.parametrize("results, forward, fires", [(3, 0, False), (2, 1, False), (1, 0, True)])
def test_all_answered_against_the_table(auditor, results, forward, fires):
    text = report(overview="全年收到政府信息公开申请3件，均已按时答复。",
                  rows={"new": 3, "granted": results, "carried_forward": forward})
    assert bool(findings(auditor, text)) is fires


# ------------------------------------------------------------ 未发生行政复议、行政诉讼

@pytest.mark.parametrize("text, expected", [
    ("2023年，未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。",
     [("review", "none", 0, W), ("litigation", "none", 0, W)]),
    ("本年度无政府信息公开行政复议、行政诉讼案件。", [("review", "none", 0, W), ("litigation", "none", 0, W)]),
    ("全区未因政府信息公开被申请行政复议或提起行政诉讼。",
     [("review", "none", 0, W), ("litigation", "none", 0, W)]),
    # 本机关 in a government's report may be the government alone, not the region of its tables
    ("本机关未因政府信息公开被申请行政复议或提起行政诉讼。",
     [("review", "none", 0, P), ("litigation", "none", 0, P)]),
    ("没有发生政府信息公开方面的行政复议和行政诉讼。",
     [("review", "none", 0, W), ("litigation", "none", 0, W)]),
    ("全年政府信息公开零复议、零诉讼。", [("review", "none", 0, W), ("litigation", "none", 0, W)]),
    ("本年度政府信息公开行政复议、行政诉讼案件均为零。",
     [("review", "none", 0, W), ("litigation", "none", 0, W)]),
    ("政府信息公开行政诉讼案件数为0。", [("litigation", "none", 0, W)]),
    ("未发生政府信息公开行政复议案件。", [("review", "none", 0, W)]),
    # the outcome, not the cases
    ("未发生因政府信息公开行政复议被纠错的情况。", [("review_corrected", "not_corrected", 0, W)]),
    ("未出现政府信息公开行政诉讼败诉案件。", [("litigation_corrected", "not_corrected", 0, W)]),
    # another organ, a narrower kind of case: a hint at most
    ("区教育局未发生政府信息公开行政复议。", [("review", "none", 0, P)]),
    ("未发生因征地拆迁信息公开引起的行政复议。", [("review", "none", 0, P)]),
    ("未发生新的政府信息公开行政复议。", [("review", "none", 0, P)]),
])
def test_no_cases(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text", [
    "有效降低行政复议、行政诉讼发生率和纠错率。",
    "避免发生政府信息公开行政复议、行政诉讼。",
    "连续三年未发生政府信息公开行政复议、行政诉讼。",
    "2022年未发生政府信息公开行政复议、行政诉讼。",
    "未发生政府信息公开行政复议被驳回的情况。",
])
def test_not_a_statement_of_no_cases(text):
    assert said(text) == []


@pytest.mark.parametrize("text, expected", [
    ("未发生行政复议、行政诉讼。", [("review", "none", 0, W), ("litigation", "none", 0, W)]),
    ("无因政府信息公开被申请行政复议和提起行政诉讼的情况。",
     [("review", "none", 0, W), ("litigation", "none", 0, W)]),
    ("未发生因政府信息公开被申请行政复议、提起行政诉讼的情形。",
     [("review", "none", 0, W), ("litigation", "none", 0, W)]),
    ("没有发生政府信息公开方面的行政复议和行政诉讼案件。",
     [("review", "none", 0, W), ("litigation", "none", 0, W)]),
    ("本年度无政府信息公开行政诉讼案件发生。", [("litigation", "none", 0, W)]),
])
def test_no_cases_with_words_after_the_noun(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text", [
    "未发生行政复议、行政诉讼案件超期答辩情况。",
    "未出现行政复议、行政诉讼应诉材料逾期提交情况。",
    "没有行政诉讼案件进入二审程序。",
    "无行政诉讼案件开庭审理情况。",
    "未发生政府信息公开行政复议决定不履行的情况。",
])
def test_a_denial_narrowed_after_the_noun_is_not_no_cases(text):
    assert said(text) == []


def test_denials_narrowed_after_the_noun_against_the_tables(auditor):
    text = report(overview="2023年，我区共收到政府信息公开申请3件。全年未发生政府信息公开申请超期答复情况。"
                           "全年发生政府信息公开行政复议1件，未发生行政复议案件超期答辩情况。",
                  rows={"new": 3, "granted": 3}, cases={"review": {"upheld": 1}})
    assert findings(auditor, text) == []


def test_no_cases_wrapped_over_lines():
    assert wrapped("2023年，本局未发生因政府信息公开工作被申请行政", "复议、提起行政诉讼的情况。",
                   organ="某区发展和改革局") == [
        ("review", "none", 0, W, 10), ("litigation", "none", 0, W, 10)]


def test_no_cases_against_table_four(auditor):
    text = report(overview="2023年，本区未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。",
                  cases={"review": {"upheld": 1, "corrected": 1}})
    assert findings(auditor, text) == [("GX-NAR-004", "warning", "review", "total", 0, 2)]
    in_part_four = report(review_text="本年度行政复议、行政诉讼均为零。",
                          cases={"litigation_after_review": {"pending": 1}})
    assert findings(auditor, in_part_four) == [
        ("GX-NAR-004", "warning", "litigation_direct", "total", 0, 1)]
    assert findings(auditor, report(overview="本年度未发生政府信息公开行政复议、行政诉讼。")) == []


# ------------------------------------------------------------ 复议N件，诉讼M件，均获维持

@pytest.mark.parametrize("text, expected", [
    ("因政府信息公开被申请行政复议2件，被提起行政诉讼1件，均获维持。",
     [("review", "figure", 2, W), ("litigation", "figure", 1, W),
      ("review_corrected", "all_upheld", 0, W), ("review_pending", "all_upheld", 0, W),
      ("litigation_corrected", "all_upheld", 0, W), ("litigation_pending", "all_upheld", 0, W)]),
    ("政府信息公开行政复议两件，维持原行政行为。",
     [("review", "figure", 2, W), ("review_corrected", "all_upheld", 0, W),
      ("review_pending", "all_upheld", 0, W)]),
    ("政府信息公开复议3件，诉讼1件，均已结案。",
     [("review", "figure", 3, W), ("litigation", "figure", 1, W),
      ("review_pending", "all_settled", 0, W), ("litigation_pending", "all_settled", 0, W)]),
    ("2023年有1件涉及政府信息公开工作的行政复议，该行政复议件未被复议审查机关纠错。",
     [("review", "figure", 1, W), ("review_corrected", "not_corrected", 0, W)]),
    ("政府信息公开行政复议3件，其中维持2件、纠正1件。",
     [("review", "figure", 3, W), ("review_upheld", "figure", 2, W), ("review_corrected", "figure", 1, W)]),
    ("政府信息公开行政复议3件，其中2件维持原决定。",
     [("review", "figure", 3, W), ("review_upheld", "figure", 2, W)]),
    ("因政府信息公开被申请行政复议、提起行政诉讼各1件。",
     [("review", "figure", 1, W), ("litigation", "figure", 1, W)]),
])
def test_cases_and_outcomes(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text", [
    "政府信息公开行政复议2件，部分维持。",
    "政府信息公开行政复议2件，未获维持。",
    "较上年政府信息公开行政复议减少2件。",
    "检察公益诉讼3件。",
])
def test_no_outcome_claim(text):
    assert [m for m in said(text) if m[1] != "figure"] == []
    assert [m for m in said(text) if m[0] == "litigation"] == []


def test_outcomes_against_table_four(auditor):
    text = report(overview="2023年，因政府信息公开被申请行政复议2件，被提起行政诉讼1件，均获维持。",
                  cases={"review": {"upheld": 1, "corrected": 1}, "litigation_direct": {"pending": 1}})
    assert findings(auditor, text) == [
        ("GX-NAR-005", "warning", "review", "corrected", 0, 1),
        ("GX-NAR-005", "warning", "litigation_direct", "pending", 0, 1)]
    # 其他结果 (驳回起诉…) is not charged against 均获维持
    other = report(overview="2023年，因政府信息公开被提起行政诉讼2件，均获维持。",
                   cases={"litigation_direct": {"upheld": 1, "other": 1}})
    assert findings(auditor, other) == []
    counted = report(overview="2023年，政府信息公开行政复议3件，其中结果维持3件。",
                     cases={"review": {"upheld": 2, "corrected": 1}})
    assert findings(auditor, counted) == [("GX-NAR-002", "warning", "review", "upheld", 3, 2)]


# ------------------------------------------------------------ 办理结果与占比

@pytest.mark.parametrize("text, expected", [
    ("办结的申请中，予以公开及部分公开8件。", [("granted_and_partial", "figure", 8, W)]),
    ("办结的申请中予以公开（含部分公开）8件。", [("granted_and_partial", "figure", 8, W)]),
    ("对申请同意公开12件、部分公开3件、不予公开1件、无法提供4件、不予处理0件、其他处理2件。",
     [("granted", "figure", 12, W), ("partial", "figure", 3, W), ("denied", "figure", 1, W),
      ("unable", "figure", 4, W), ("rejected", "figure", 0, W), ("other_results", "figure", 2, W)]),
    ("办结申请10件，其中予以公开6件，占60%。",
     [("results_total", "figure", 10, W), ("granted", "figure", 6, W), ("granted", "share", 60, W)]),
    ("办结的申请中，部分公开的占比为33.3%。", [("partial", "share", 33.3, W)]),
    ("办结的申请中，予以公开的占百分之六十。", [("granted", "share", 60, W)]),
    ("自然人申请中予以公开3件。", [("granted", "figure", 3, P)]),
])
def test_result_categories(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text", [
    "主动予以公开规范性文件12件。",
    "因本机关不掌握相关政府信息无法提供4件。",   # a row of 无法提供, not its total
    "对不予公开的申请，均依法说明理由。",
    "全年主动公开政府信息152条，其中规范性文件2条。",
    "办结率100%。",
])
def test_not_a_result_category(text):
    assert [m for m in said(text) if m[0] in ("granted", "partial", "granted_and_partial", "denied",
                                                "unable", "rejected", "other_results")] == []


def test_result_categories_against_table_three(auditor):
    rows = {"new": 10, "granted": 5, "partial": 2, "unable_not_held": 2, "unable_unclear": 1}
    good = report(applications_text="办结的申请中，予以公开及部分公开7件，无法提供3件，予以公开占50%。",
                  rows=rows)
    assert findings(auditor, good) == []
    bad = report(applications_text="办结的申请中，予以公开及部分公开8件，无法提供2件，予以公开占60%。",
                 rows=rows)
    assert findings(auditor, bad) == [
        ("GX-NAR-006", "warning", "granted", "total", 8, 7),
        ("GX-NAR-006", "warning", "unable_not_held", "total", 2, 3),
        ("GX-NAR-007", "warning", "granted", "total", 60, 50)]


@pytest.mark.parametrize("year, other_rows", [
    (2020, {"other_handling": 2}),                       # format 2019: one row
    (2023, {"other_no_correction": 1, "other_misc": 1}),  # format 2021: three rows
])
def test_other_handling_by_format(auditor, year, other_rows):
    rows = {"new": 2, **other_rows}
    assert findings(auditor, report(year=year, applications_text="办结的申请中其他处理2件。", rows=rows)) == []
    assert findings(auditor, report(year=year, applications_text="办结的申请中其他处理3件。", rows=rows)) == [
        ("GX-NAR-006", "warning", next(iter(other_rows)), "total", 3, 2)]


@pytest.mark.parametrize("percent, fires", [("66.7%", False), ("66.6%", False), ("67%", False),
                                             ("66%", False), ("70%", True), ("66.8%", True)])
def test_shares_are_cut_or_rounded(auditor, percent, fires):
    text = report(overview=f"办结政府信息公开申请3件，其中予以公开2件，占{percent}。",
                  rows={"new": 3, "granted": 2, "unable_not_held": 1})
    assert bool(findings(auditor, text)) is fires


def test_share_of_the_received_applications(auditor):
    # 2 of 4 received (3 concluded, 1 carried forward): 50% of the received is right
    text = report(overview="收到政府信息公开申请4件，予以公开的占收到申请总数的50%。",
                  rows={"new": 4, "granted": 2, "unable_not_held": 1, "carried_forward": 1})
    assert findings(auditor, text) == []


# ------------------------------------------------------------ 现行有效

@pytest.mark.parametrize("text, expected", [
    ("截至年底，全区现行有效的规范性文件共计45件。", [("in_force_normative_docs", "figure", 45, W)]),
    ("现行有效规章2件，行政规范性文件15件。",
     [("in_force_rules", "figure", 2, W), ("in_force_normative_docs", "figure", 15, W)]),
    ("集中公开现行有效规章和规范性文件共十七件。", [("in_force", "figure", 17, W)]),
    ("区司法局现行有效规范性文件12件。", [("in_force_normative_docs", "figure", 12, P)]),
])
def test_in_force(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text", ["较上年现行有效规范性文件增加3件。", "对现行有效的规范性文件进行清理。"])
def test_not_in_force(text):
    assert said(text) == []


def test_in_force_against_table_two(auditor):
    text = report(overview="截至年底，全区现行有效行政规范性文件共45件。", in_force=(0, 40))
    assert findings(auditor, text) == [("GX-NAR-002", "warning", "normative_docs", "in_force", 45, 40)]
    assert findings(auditor, report(overview="截至年底，全区现行有效行政规范性文件共40件。", in_force=(0, 40))) == []
    # format 2019 has no 现行有效 column: nothing to compare with
    assert findings(auditor, report(year=2020, overview="全区现行有效规范性文件共45件。")) == []


# ------------------------------------------------------------ a paragraph read as a whole

def test_figures_of_a_paragraph_about_applications_are_read_past_its_first_sentence():
    text = ("2023年，全县共收到政府信息公开申请46件，其中网上申请30件、信函申请16件；上年结转3件。"
            "已办结47件，其中予以公开20件，部分公开8件；结转下年度继续办理2件。")
    assert said(text, organ="某县人民政府") == [
        ("new", "figure", 46, W), ("carried_over", "figure", 3, W), ("results_total", "figure", 47, W),
        ("granted", "figure", 20, W), ("partial", "figure", 8, W), ("carried_forward", "figure", 2, W)]


def test_a_sentence_without_a_subject_speaks_of_the_subject_before_it():
    text = "县政府办公室共收到政府信息公开申请46件；上年结转3件。已办结47件，未发生政府信息公开行政复议。"
    assert [m[3] for m in said(text, organ="某县人民政府")] == [P, P, P, P]
    # a 其中 part is not passed on; a subject of its own is not overridden
    assert said("全县共收到政府信息公开申请30件，其中县教育局受理12件；办结30件。", organ="某县人民政府") == [
        ("new", "figure", 30, W), ("new", "figure", 12, P), ("results_total", "figure", 30, W)]
    assert [m[3] for m in said("县教育局收到政府信息公开申请5件。全县办结政府信息公开申请9件。",
                               organ="某县人民政府")] == [P, W]


def test_outcomes_and_requests_inside_lawsuits_are_not_counts_of_cases():
    text = "因政府信息公开被提起行政诉讼2件，一审判决驳回原告诉讼请求2件。"
    assert said(text) == [("litigation", "figure", 2, W)]


def test_a_remark_after_the_count_can_say_the_cases_concern_disclosure():
    assert said("年内共发生行政复议案件3件（均为政府信息公开类），均已审结。") == [
        ("review", "figure", 3, W), ("review_pending", "all_settled", 0, W)]


def test_every_kind_of_applicant_named_as_the_law_names_them_is_the_whole():
    text = ("全市办理公民、法人或其他组织通过网站、信函等途径提出的政府信息公开申请合计12件，"
            "已全部按期限答复办结。")
    assert said(text, organ="某市人民政府") == [("results_total", "figure", 12, W)]
    # an applicant kind does not pass on to the next statement
    assert said("收到自然人申请10件，未发生政府信息公开行政复议。") == [
        ("new", "figure", 10, P), ("review", "none", 0, W)]


def test_licence_applications_beside_information_applications():
    assert said("全年未收到行政许可申请；全年未接到信息公开申请；网站刊发文稿44篇。") == [
        ("new", "none", 0, W)]


def test_received_answered_in_time_but_the_table_says_more(auditor):
    # a shape seen on real pages: the text says 2 received, table three's 新收 is 3
    text = report(overview="本年度，共受理政府信息公开申请2件，都在法定期限内予以答复。",
                  rows={"new": 3, "granted": 3})
    assert findings(auditor, text) == [("GX-NAR-001", "error", "new", "total", 2, 3)]


def test_lawsuits_as_the_reviewing_body_are_not_in_table_four():
    text = "本机关作为复议机关与原行政机关被列为共同被告的政府信息公开行政诉讼3件。"
    assert said(text, organ="某市司法局") == [("litigation", "figure", 3, P)]
