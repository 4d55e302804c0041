"""Narrative: figures stated in the text against the tables (rules/narrative.yaml)."""
import pytest

from conftest import CORPUS, REPORTS
from gxaudit.audit.auditor import Auditor
from gxaudit.parse.document import parse_document
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.rules.narrative.copied import copied_share
from gxaudit.rules.narrative.mentions import extract_mentions
from gxaudit.rules.narrative.numbers import chinese_number
from gxaudit.audit.scoring import load_scoring

C009 = CORPUS / "009_huaian_hongzequ_2024.pdf"
C201 = CORPUS / "201_pingtan_junshan_2020.txt"
# text and tables agree (checked by hand): 010 states 19 figures and outcomes of table four,
# 014 every result category and a 未被纠错, 004 均已结案, 102 没有…行政复议或行政诉讼
CLEAN_CORPUS = ["001_pingtan_2019_zfxxgk_nb.txt", "004_pingtan_2022_zfxxgk_nb.txt",
                "008_huaian_hongzequ_2023.pdf", "010_huaian_shi_2024.pdf",
                "012_shuyang_fgj_2023.html", "014_shanghai_kewei_2024_pdf2md.md",
                "102_pingtan_gaj_2021.txt", "103_pingtan_zrz_2023.txt", "107_pingtan_gaj_2019.txt",
                "202_pingtan_suping_2020.txt", "205_pingtan_jinjing_2023.txt"]


@pytest.fixture(scope="module")
def auditor():
    rules, version = load_rules([builtin_rules_dir()])
    return Auditor(rules, load_scoring(), engine="durable", rules_version=version)


def narrative(auditor, path):
    result = auditor.audit_file(path)
    assert result.status == "audited", result.error
    return [f for f in result.findings if f.category == "narrative"]


def mentions(text, organ="某区人民政府", year=None):
    return [(m.measure, m.stated, m.scope) for m in extract_mentions(text, organ, year=year)]


# ------------------------------------------------------------ the reports

@pytest.mark.skipif(not C009.is_file(), reason="corpus not available")
def test_009_office_acting_for_the_district_is_a_partial_scope_hint(auditor):
    found = narrative(auditor, C009)
    assert len(found) == 1
    f = found[0]
    assert (f.rule, f.severity) == ("GX-NAR-003", "info")
    source = f.location.pop("source")  # where it is in the PDF a person opens
    assert source["page"] == 1 and source["y"] > 0
    assert f.location == {"line": 7, "section": "overview", "table": "applications",
                          "row": "new", "column": "total"}
    assert (f.actual, f.expected) == (17, 95)
    assert "区政府办代表区政府受理" in f.message and "不按错误计" in f.message
    assert f.deduction == 0


@pytest.mark.skipif(not C201.is_file(), reason="corpus not available")
def test_201_answered_two_while_the_total_is_zero(auditor):
    # "接到依申请公开2件，全部在规定时限内予以答复": 新收 is 2 (no finding against it),
    # （七）总计 and 结转下年度 are printed 0: the two answered ones are in neither
    found = narrative(auditor, C201)
    assert [(f.rule, f.severity, f.location["row"], f.actual, f.expected) for f in found] == [
        ("GX-NAR-001", "error", "results_total", 2, 0)]
    # line 9 of the rebuilt page: the page chrome before the title is a line of its own (issue 8)
    assert found[0].location["line"] == 9
    assert "全部在规定时限内予以答复" in found[0].message


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_no_narrative_finding_on_the_seeds(auditor, path):
    assert narrative(auditor, path) == []


@pytest.mark.parametrize("name", CLEAN_CORPUS)
def test_no_narrative_finding_where_text_and_tables_agree(auditor, name):
    if not (CORPUS / name).is_file():
        pytest.skip("corpus not available")
    assert narrative(auditor, CORPUS / name) == []


def test_seed_004_states_10_and_the_table_says_10():
    text = ("2020年，我县通过邮寄和网站电子申请收到征地拆迁、环境保护和学术研究类依申请公开信息"
            "共10条，10条均已答复，同时，建立景泰县依申请公开台账。")
    assert mentions(text, "景泰县") == [("new", 10, "whole"), ("results_total", 10, "whole")]


# ------------------------------------------------------------ mentions

def test_every_mention_of_a_paragraph():
    text = ("2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，"
            "另有103件顺延到下年度答复），均在法定期限内予以答复。政府信息公开行政复议351件，"
            "其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件；"
            "政府信息公开行政诉讼46件，其中结果维持25件。")
    assert mentions(text, "淮安市人民政府") == [
        ("new", 3119, "whole"), ("results_total", 3050, "whole"), ("carried_over", 34, "whole"),
        ("carried_forward", 103, "whole"), ("review", 351, "whole"), ("review_upheld", 72, "whole"),
        ("review_corrected", 64, "whole"), ("review_other", 178, "whole"), ("review_pending", 37, "whole"),
        ("litigation", 46, "whole"), ("litigation_upheld", 25, "whole")]


def test_result_categories_and_applicant_breakdowns_are_their_own_measures_not_totals():
    text = ("全年收到政府信息公开申请34件，上年结转政府信息公开申请2件。所有办结的信息公开申请中"
            "同意公开答复9件，部分公开答复0件，不予公开答复2件，无法提供的10件，转下一年度办理答复的有1件。"
            "全区收到申请75件，涉及自然人72件、商业企业3件。")
    assert mentions(text) == [("new", 34, "whole"), ("carried_over", 2, "whole"),
                              ("granted", 9, "whole"), ("partial", 0, "whole"), ("denied", 2, "whole"),
                              ("unable", 10, "whole"), ("carried_forward", 1, "whole"), ("new", 75, "whole"),
                              ("new_natural_person", 72, "whole"), ("new_commercial", 3, "whole")]


def test_received_including_carried_over():
    [received, carried, answered] = extract_mentions("全区共收到政府信息公开申请75件（含上年结转1件），均已办结。")
    assert (received.measure, received.stated, received.ambiguous) == ("new", 75, True)
    assert received.includes_carried_over
    assert (carried.measure, carried.stated, carried.scope) == ("carried_over", 1, "whole")
    # 均已办结 is said of the 75 (which already include the 1)
    assert (answered.measure, answered.claim, answered.stated) == ("concluded_or_carried_forward",
                                                                   "all_answered", 75)


def test_received_without_new_is_resolved_by_the_table(auditor):
    def report(text_figure):
        return parse_document("\n".join([
            "某区2022年政府信息公开工作年度报告", "一、总体情况",
            f"2022年，全区收到政府信息公开申请{text_figure}件，均在法定期限内予以答复。",
            "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量\t74\t0\t0\t0\t0\t0\t74",
            "二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1"]), "t")
    ok = auditor.audit_report(report(75))            # 74 new + 1 carried over (corpus 004)
    assert [f for f in ok.findings if f.category == "narrative"] == []
    assert [f for f in auditor.audit_report(report(74)).findings if f.category == "narrative"] == []
    wrong = [f for f in auditor.audit_report(report(80)).findings if f.category == "narrative"]
    assert [(f.rule, f.severity, f.actual, f.expected) for f in wrong] == [
        ("GX-NAR-001", "error", 80, 74)]
    assert "新收与上年结转之和75件" in wrong[0].message


def test_partial_scopes():
    assert mentions("2024年，区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。",
                    "淮安市洪泽区人民政府") == [("new", 17, "partial"),
                                              ("concluded_or_carried_forward", 17, "partial")]
    assert mentions("本年共收到政府信息公开申请30件，其中区教育局受理12件。") == [
        ("new", 30, "whole"), ("new", 12, "partial")]
    assert mentions("收到涉及征地拆迁的政府信息公开申请4件。") == [("new", 4, "partial")]
    assert mentions("县教育局共收到政府信息公开申请5件。", "某县人民政府") == [("new", 5, "partial")]
    assert mentions("本机关共收到政府信息公开申请5件。", "某县人民政府") == [("new", 5, "partial")]
    # the report's own organ, the whole region, and 涉及政府信息公开 are the whole
    assert mentions("2023年度我局共收到依申请信息公开26件。", "沭阳县发展和改革局") == [("new", 26, "whole")]
    assert mentions("2024年市科委有1件涉及政府信息公开工作的行政复议。", "上海市科委") == [
        ("review", 1, "whole")]
    assert mentions("2023年全区受理政府信息公开申请21件。") == [("new", 21, "whole")]


@pytest.mark.parametrize(
    ("organ", "text", "scope"),
    [
        # an area wider than the organ: a township's or a department's report
        ("半坡镇人民政府", "2020年全县共收到政府信息公开申请1300件，其中本机关130件。", ["partial"]),
        ("某县教育局", "全县教育系统共受理政府信息公开申请86件。", ["partial"]),
        ("某市某区人民政府", "本年度，全市共收到政府信息公开申请900件。", ["partial"]),
        ("某县卫生健康委员会", "全县收到依申请公开12件，办结12件。", ["partial", "partial"]),
        # the organ's own area: the whole
        ("半坡镇人民政府", "2020年全镇共收到政府信息公开申请13件。", ["whole"]),
        ("某县人民政府", "全县共收到政府信息公开申请1300件，其中县政府本级受理130件。", ["whole", "partial"]),
        ("某经济技术开发区管理委员会", "全区共受理政府信息公开申请7件。", ["whole"]),
        ("某街道办事处", "全街道共收到政府信息公开申请3件。", ["whole"]),
        ("某自治区人民政府", "全区共收到政府信息公开申请3件。", ["whole"]),
        # no organ read: as before, the whole
        (None, "全县共收到政府信息公开申请1300件。", ["whole"]),
    ],
)
def test_an_area_wider_than_the_organ_is_a_partial_scope(organ, text, scope):
    assert [s for _m, _n, s in mentions(text, organ)] == scope


def test_the_organs_own_part_of_a_wider_total_is_compared():
    # "全县…1300件，其中我镇收到9件": the 1300 is a hint, the 9 is the township's own figure
    assert mentions("2024年，全县共收到政府信息公开申请1300件，其中我镇收到9件。", "半坡镇人民政府") == [
        ("new", 1300, "partial"), ("new", 9, "whole")]
    assert mentions("全市各部门共受理政府信息公开申请900件，其中本局受理40件。", "某市教育局") == [
        ("new", 900, "partial"), ("new", 40, "whole")]
    # a government's 本级 is a part of its area's table; a department is not the organ
    assert mentions("全县共收到政府信息公开申请1300件，其中县政府本级受理130件。", "某县人民政府")[1][2] == "partial"
    assert mentions("本年共收到政府信息公开申请30件，其中区教育局受理12件。")[1][2] == "partial"


def test_an_area_wider_than_the_organ_is_a_hint_not_an_error(auditor, tmp_path):
    """"全县…1300件，其中本机关130件" in a township's report whose table says 130: GX-NAR-003,
    never GX-NAR-001; the same words in the county's own report with a table of 130 are an error."""
    table = (
        "三、收到和处理政府信息公开申请情况\n"
        "一、本年新收政府信息公开申请数量\t130\t0\t0\t0\t0\t0\t130\n"
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
    )
    said = "一、总体情况\n2023年全县共收到政府信息公开申请1300件，其中本机关130件。\n"
    rules = {}
    for organ in ("某镇人民政府", "某县教育局", "某县人民政府"):
        path = tmp_path / f"{organ}.txt"
        path.write_text(f"{organ}2023年政府信息公开工作年度报告\n{said}{table}", encoding="utf-8")
        rules[organ] = sorted(f.rule for f in narrative(auditor, path))
    assert rules == {"某镇人民政府": ["GX-NAR-003"], "某县教育局": ["GX-NAR-003"], "某县人民政府": ["GX-NAR-001"]}


@pytest.mark.parametrize(
    "said",
    ["约170件", "大约170件", "近200件", "将近两百件", "接近170件", "超过160件", "逾百件", "不足170件",
     "不到170件", "至少160件", "上百件", "170件左右", "160件以上", "170件上下", "160余件", "一百多件"],
)
def test_a_figure_said_to_be_about_so_many_is_not_stated(said):
    # "收到申请超过160件" is true of 165: not a statement to compare with the table
    assert mentions(f"2022年共收到政府信息公开申请{said}，均已按时答复。") == []


def test_an_exact_figure_beside_an_approximate_one_is_still_read():
    assert mentions("2022年共收到政府信息公开申请170件，较上年增长约20件。") == [("new", 170, "whole")]
    assert mentions("近年来共收到政府信息公开申请170件。") == [("new", 170, "whole")]


@pytest.mark.parametrize(
    ("organ", "text"),
    [
        ("桃柳青县人民政府", "2022年，全县各级行政机关共收到政府信息公开申请1650件，本机关收到165件。"),
        ("某市人民政府", "全市各部门共受理政府信息公开申请900件。"),
        ("某市教育局", "全市教育系统共收到政府信息公开申请40件。"),
        ("某区人民政府", "区政府及所属部门共收到政府信息公开申请52件。"),
    ],
)
def test_several_organs_together_are_a_partial_scope(organ, text):
    assert mentions(text, organ)[0][2] == "partial"


def test_chinese_numerals():
    assert chinese_number("十七") == 17 and chinese_number("二十三") == 23
    assert chinese_number("一百零五") == 105 and chinese_number("三千一百一十九") == 3119
    assert chinese_number("两") == 2 and chinese_number("一万二千") == 12000
    assert mentions("本年度新收政府信息公开申请十五件，上年结转二件，办结十七件，结转下年度继续办理0件。") == [
        ("new", 15, "whole"), ("carried_over", 2, "whole"), ("results_total", 17, "whole"),
        ("carried_forward", 0, "whole")]


def test_numbers_about_other_things_are_ignored():
    text = ("根据国办公开办函〔2021〕30号文件，于2023年3月5日前，在3个工作日内答复申请人，"
            "办结率100%，收取信息处理费0元。全年受理网络问政182件。一件事一次办。"
            "较上年增加申请5件。2022年收到申请25件。自2019年以来累计受理申请200件。"
            "全年受理申请100余件。行政复议被驳回1件。")
    assert mentions(text, year=2023) == []


def test_case_outcomes_and_both_kinds_of_cases():
    # not said to concern information disclosure: counted, but only as a partial scope
    assert mentions("行政复议被纠错1件。行政复议、行政诉讼均为0件。", year=2023) == [
        ("review_corrected", 1, "partial"), ("review", 0, "partial"), ("litigation", 0, "partial")]
    assert mentions("政府信息公开行政复议被纠错1件。因政府信息公开被申请行政复议、提起行政诉讼共3件。") == [
        ("review_corrected", 1, "whole"), ("review_and_litigation", 3, "whole")]


def test_documents_in_force_per_row():
    assert mentions("截至2023年12月31日，现行有效规章2件、规范性文件15件。集中公开现行有效文件17件。") == [
        ("in_force_rules", 2, "whole"), ("in_force_normative_docs", 15, "whole"),
        ("in_force", 17, "whole")]


def test_sections_parameter_limits_the_text_read():
    from gxaudit.formats.load import load_formats
    from gxaudit.rules.kinds import Env, Labels
    from gxaudit.rules.kinds.text_figures import check_text_figures
    report = parse_document("\n".join([
        "某区2023年政府信息公开工作年度报告", "一、总体情况", "全区共收到政府信息公开申请12件。",
        "四、政府信息公开行政复议、行政诉讼情况", "全区行政复议2件。"]), "t")
    fmt = load_formats().get(report.format)
    env = Env(report, fmt, Labels(fmt), {})
    every = check_text_figures(env, {})
    assert [(f.props["measure"], f.context["section"], f.context["line"]) for f in every] == [
        ("new", "overview", 3), ("review", "review_litigation", 5)]
    assert all(not f.props["has_table"] and "table" not in f.props for f in every)
    only = check_text_figures(env, {"sections": ["review_litigation"]})
    assert [f.props["measure"] for f in only] == ["review"]


def test_pdf_lines_wrapped_mid_sentence_are_joined():
    from gxaudit.rules.narrative.mentions import prepare
    text, written, where = prepare([(42, "全年收到政府信息公开申请 34 件，上年结转政府信息公开"),
                                    (43, "申请 2 件，所有申请均已按要求办理完成。")])
    found = extract_mentions(text, None, written)
    assert [(m.measure, m.stated, where[m.start]) for m in found] == [
        ("new", 34, 42), ("carried_over", 2, 43), ("concluded_or_carried_forward", 36, 43)]
    assert found[1].snippet.endswith("上年结转政府信息公开申请2件")    # spaces dropped


# ------------------------------------------------------------ copied text

def test_copied_share_ignores_years_width_and_spaces():
    previous = "2023年，我镇共收到政府信息公开申请3件。加强政府网站和政务新媒体建设管理，提高政策知晓度。"
    current = ("2024年，我镇共收到政府信息公开申请３件。\n加强政府网站和政务新媒体 建设管理，提高政策知晓度！"
               "今年新开设了政务公开专区并组织了两次业务培训。短句。")
    share, examples = copied_share(current, previous)
    copied = len("#年，我镇共收到政府信息公开申请3件") + len("加强政府网站和政务新媒体建设管理，提高政策知晓度")
    total = copied + len("今年新开设了政务公开专区并组织了两次业务培训")
    assert share == pytest.approx(copied / total)
    assert examples == ["2024年，我镇共收到政府信息公开申请３件", "加强政府网站和政务新媒体 建设管理，提高政策知晓度"]


def test_copied_share_edge_cases():
    assert copied_share("", "任何文字都可以在这里出现。") == (0.0, [])
    assert copied_share("短句。也短。", "短句。也短。") == (0.0, [])
    same = "；".join(f"第{i}条措施是加强政务公开工作的组织领导" for i in range(8))
    share, examples = copied_share(same, same)
    assert share == 1.0 and len(examples) == 5
    assert copied_share(same, "完全不同的一段文字，不会与上文重复。")[0] == 0.0
    assert copied_share("本句长度超过十二个字符的一句话。", "本句长度超过十二个字符的一句话", min_chars=40)[0] == 0.0
