"""The text's applicant breakdown of the received applications against table three:
"共收到政府信息公开申请65件，其中自然人申请60件，法人或其他组织申请5件" is checked for 60
and 5 too (the 本年新收 row's 自然人 column; 法人或其他组织 is its five columns), in the rows
the received figure is read against. Before, only the 65 was compared: an applicant word
made any figure a part (scope.py). What is not plainly such a breakdown stays silent.
"""

import re

import pytest
from conftest import CORPUS, tab_row_reports

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.scoring import load_scoring
from gxaudit.parse.document import parse_document
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.rules.narrative.mentions import extract_mentions, prepare


@pytest.fixture(scope="module", params=["durable", "reference"])
def auditor(request):
    rules, version = load_rules([builtin_rules_dir()])
    return Auditor(rules, load_scoring(), engine=request.param, rules_version=version)


def said(text, organ="某区人民政府"):
    """(measure, stated, scope) of every statement of a text."""
    return [(m.measure, m.stated, m.scope) for m in extract_mentions(text, organ, year=2023)]


NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"


def cells(values):
    """A table-three row's seven cells: the six applicants' and their total."""
    return "\t".join(str(v) for v in (*values, sum(values)))


def report(overview, new=(60, 2, 1, 0, 1, 1), carried=(0, 0, 0, 0, 0, 0)):
    """A report whose table three's 本年新收 and 上年结转 are the given applicants' figures
    (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他); the text on line 3."""
    return "\n".join(
        [
            "某区2023年政府信息公开工作年度报告",
            "一、总体情况",
            overview,
            "三、收到和处理政府信息公开申请情况",
            f"{NEW}\t{cells(new)}",
            f"{CARRIED}\t{cells(carried)}",
        ]
    )


def findings(auditor, text):
    """(rule, line, row, column, actual, expected) of the narrative findings."""
    result = auditor.audit_report(parse_document(text, "t"))
    return [
        (
            f.rule,
            f.location.get("line"),
            f.location.get("row"),
            f.location.get("column"),
            f.actual,
            f.expected,
        )
        for f in result.findings
        if f.category == "narrative"
    ]


# ------------------------------------------------------------ what is read


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "2023年，共收到政府信息公开申请65件，其中自然人申请60件，法人或其他组织申请5件。",
            [("new", 65), ("new_natural_person", 60), ("new_legal_or_other", 5)],
        ),
        (
            "全年受理政府信息公开申请65件，其中自然人提出60件、法人和其他组织提出5件。",
            [("new", 65), ("new_natural_person", 60), ("new_legal_or_other", 5)],
        ),
        (
            "本年度新收政府信息公开申请65件，公民申请60件，企业申请2件。",
            [("new", 65), ("new_natural_person", 60), ("new_commercial", 2)],
        ),
        (
            "全年共收到政府信息公开申请65件。其中，自然人申请60件，法人或其他组织申请5件。",
            [("new", 65), ("new_natural_person", 60), ("new_legal_or_other", 5)],
        ),
        (
            "全区收到申请75件，涉及自然人72件、商业企业3件。",
            [("new", 75), ("new_natural_person", 72), ("new_commercial", 3)],
        ),
        (
            "共收到政府信息公开申请65件，其中个人申请60件，科研机构申请1件，法律服务机构申请1件。",
            [("new", 65), ("new_natural_person", 60), ("new_research", 1), ("new_legal", 1)],
        ),
        ("共收到申请65件，其中收到自然人提出的申请60件。", [("new", 65), ("new_natural_person", 60)]),
        # said to include 上年结转: the columns of both rows
        (
            "全区共收到政府信息公开申请75件（含上年结转1件），其中自然人72件。",
            [("new", 75), ("carried_over", 1), ("new_and_carried_over_natural_person", 72)],
        ),
        (
            "新收申请10件，上年结转2件，共计12件，其中自然人11件。",
            [
                ("new", 10),
                ("carried_over", 2),
                ("new_and_carried_over", 12),
                ("new_and_carried_over_natural_person", 11),
            ],
        ),
    ],
)
def test_breakdowns_of_the_received_figure(text, expected):
    assert [(m, v) for m, v, _ in said(text)] == expected
    assert {scope for _, _, scope in said(text)} == {"whole"}


@pytest.mark.parametrize(
    "text",
    [
        "自然人申请中予以公开3件。",  # a result, not received
        "共收到申请65件，自然人申请中予以公开3件。",
        "收到自然人提出的政府信息公开申请10件。",  # no total it divides
        "共收到申请65件，办结60件，其中自然人申请55件。",  # a part of 办结
        "共收到申请65件，上年结转2件，其中自然人申请2件。",  # of 结转?
        "共收到申请65件，其中网上申请60件，自然人申请50件。",  # of the 60?
        "共收到申请65件，其中自然人申请近60件，法人或其他组织申请5件。",  # after an approximation
        "共收到申请65件，其中自然人约60件，法人或其他组织近5件。",  # about so many
        "共收到申请65件，其中自然人申请60余件。",
        "共收到申请65件，其中自然人申请占92%。",  # a percentage
        "共收到申请65件，其中自然人60人。",  # persons, not applications
        "共收到申请65件，其中法人5件。",  # 法人 alone: not the group
        "共收到申请65件，其中个人信息类3件。",  # 个人 in another sense
        "共收到申请65件，其中涉及企业3件。",  # 涉及企业: may be a topic
        "共收到申请65件，其中其他组织3件。",
        "共收到申请65件，其中自然人申请较上年增加5件。",  # a comparison
        "区教育局收到申请5件，其中自然人申请5件。",  # a part of the organ
        "全县各级行政机关共收到申请1300件，其中自然人申请1200件。",  # several organs
        "2022年收到申请60件，其中自然人申请55件。",  # another year
        "共收到申请65件。全年办理及时。其中自然人申请60件。",  # not the sentence right after
    ],
)
def test_not_a_breakdown_of_the_received_figure(text):
    assert not [m for m, _, _ in said(text) if "natural" in m or "legal" in m or "commercial" in m]


# ------------------------------------------------------------ written number first


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "共收到政府信息公开申请65件，其中60件为自然人申请、5件为法人或其他组织申请。",
            [("new", 65), ("new_natural_person", 60), ("new_legal_or_other", 5)],
        ),
        (
            "全年受理申请65件，其中60件由自然人提出，5件由法人或其他组织提出。",
            [("new", 65), ("new_natural_person", 60), ("new_legal_or_other", 5)],
        ),
        (
            "全年新收政府信息公开申请65件。其中，60件来自公民，3件来自商业企业。",
            [("new", 65), ("new_natural_person", 60), ("new_commercial", 3)],
        ),
        ("共收到申请65件，60件是自然人提出的。", [("new", 65), ("new_natural_person", 60)]),
        (
            "共收到申请65件，其中1件系科研机构申请，2件属于法律服务机构申请。",
            [("new", 65), ("new_research", 1), ("new_legal", 2)],
        ),
        (
            "共收到申请75件（含上年结转1件），其中72件为自然人提出的政府信息公开申请。",
            [("new", 75), ("carried_over", 1), ("new_and_carried_over_natural_person", 72)],
        ),
    ],
)
def test_breakdowns_written_number_first(text, expected):
    assert [(m, v) for m, v, _ in said(text)] == expected
    assert {scope for _, _, scope in said(text)} == {"whole"}


@pytest.mark.parametrize(
    "text",
    [
        "共收到申请65件，其中60余件为自然人申请。",  # about so many
        "共收到申请65件，其中约60件为自然人申请。",
        "共收到申请65件，其中近60件为自然人申请、5件为法人或其他组织申请。",  # after an approximation
        "共收到申请65件，其中予以公开的60件为自然人申请。",  # a result by applicant
        "共收到申请65件，其中60件为自然人申请中予以公开的。",
        "共收到申请65件，办结60件，其中55件为自然人申请。",  # a part of 办结
        "共收到申请65件，予以公开60件，其中60件为自然人申请。",  # of 予以公开
        "共收到申请65件，其中网上申请60件，50件为自然人申请。",  # of the 60?
        "区教育局收到申请5件，其中5件为自然人申请。",  # a part of the organ
        "全县各级行政机关共收到申请1300件，其中1200件为自然人申请。",  # several organs
        "2022年收到申请60件，其中55件为自然人申请。",  # another year
        "共收到申请65件，其中60件为法人申请。",  # 法人 alone: not the group
        "共收到申请65件，其中3件为个人信息。",  # 个人 in another sense
        "共收到申请65件，其中3件涉及企业。",  # a topic
        "共收到申请65件，其中60人为自然人。",  # persons
        "共收到申请65件，其中92%为自然人申请。",  # a percentage
        "共收到申请65件，较上年增加5件为自然人申请。",  # a comparison
        "共收到申请65件，上年结转2件，其中2件为自然人申请。",  # of 结转?
        "共收到申请65件。全年办理及时。其中60件为自然人申请。",  # not the sentence right after
        "共收到申请65件，其中60件的申请人为自然人。",  # other words between
    ],
)
def test_not_a_breakdown_written_number_first(text):
    assert not [m for m, _, _ in said(text) if "natural" in m or "legal" in m or "commercial" in m]


def test_a_breakdown_opening_another_paragraph_is_not_read():
    def measures(*lines):
        text, written, _ = prepare(list(enumerate(lines, start=1)))
        return [m.measure for m in extract_mentions(text, "某区人民政府", written, 2023)]

    assert measures("全年共收到政府信息公开申请65件，其中", "自然人申请60件。") == [
        "new",
        "new_natural_person",
    ]
    assert measures("全年共收到政府信息公开申请65件。", "其中，自然人申请60件。") == ["new"]


# ------------------------------------------------------------ findings (both engines)


@pytest.mark.parametrize(
    "overview",
    [
        "2023年，全区共收到政府信息公开申请65件，其中自然人申请60件，法人或其他组织申请5件。",
        "全年受理政府信息公开申请65件，其中自然人提出60件、法人和其他组织提出5件。",
        "本年度新收政府信息公开申请65件，公民申请60件，企业申请2件，科研机构申请1件。",
        "全年共收到政府信息公开申请65件。其中，自然人申请60件，法人或其他组织申请5件。",
        "全区收到申请65件，涉及自然人60件、商业企业2件。",
        "全年共收到政府信息公开申请65件，其中60件为自然人申请、5件为法人或其他组织申请。",
        "全年受理申请65件，其中60件由自然人提出，2件来自商业企业，1件系科研机构申请。",
    ],
)
def test_breakdown_agreeing_with_table_three(auditor, overview):
    assert findings(auditor, report(overview)) == []


@pytest.mark.parametrize(
    "overview, column, stated, table",
    [
        (
            "2023年，全区共收到政府信息公开申请65件，其中自然人申请61件，法人或其他组织申请5件。",
            "natural_person",
            61,
            60,
        ),
        (
            "全年受理政府信息公开申请65件，其中自然人提出60件、法人和其他组织提出4件。",
            "commercial",
            4,
            5,
        ),  # the group's first column is where it points
        ("本年度新收政府信息公开申请65件，公民申请60件，企业申请3件。", "commercial", 3, 2),
        ("全年共收到政府信息公开申请65件。其中，自然人申请59件。", "natural_person", 59, 60),
        ("全区收到申请65件，涉及自然人60件、商业企业1件。", "commercial", 1, 2),
        ("全年共收到申请65件，其中61件为自然人申请、5件为法人或其他组织申请。", "natural_person", 61, 60),
        ("全年共收到申请65件，其中60件由自然人提出，4件由法人或其他组织提出。", "commercial", 4, 5),
        ("全年共收到申请65件。其中，3件来自商业企业。", "commercial", 3, 2),
    ],
)
def test_breakdown_disagreeing_with_table_three(auditor, overview, column, stated, table):
    assert findings(auditor, report(overview)) == [("GX-NAR-001", 3, "new", column, stated, table)]


def test_message_names_the_applicant_and_both_rows(auditor):
    # 收到 66 is 新收 65 + 结转 1; 63 is neither 60 nor 61: compared as the 66 is read
    text = report(
        "全年收到政府信息公开申请66件，其中自然人申请63件，法人或其他组织申请5件。",
        new=(60, 2, 1, 0, 1, 1),
        carried=(1, 0, 0, 0, 0, 0),
    )
    [finding] = [
        f for f in auditor.audit_report(parse_document(text, "t")).findings if f.category == "narrative"
    ]
    assert (finding.rule, finding.actual, finding.expected) == ("GX-NAR-001", 63, 61)
    assert "其中自然人申请63件" in finding.message
    assert "收到自然人申请数（本年新收与上年结转之和）为63件" in finding.message
    assert "“本年新收·自然人”60" in finding.message and "“上年结转·自然人”1" in finding.message
    assert "（表三本年新收自然人60件，新收与上年结转之和61件）" in finding.message


def test_received_with_carried_over_compares_both_rows(auditor):
    # 收到 66 is 新收 65 + 结转 1: the applicants' figures may be either row's, or both rows'
    carried = (1, 0, 0, 0, 0, 0)
    for ok in ("其中自然人申请61件，法人或其他组织申请5件", "其中自然人申请60件，法人或其他组织申请5件"):
        text = report(f"全年收到政府信息公开申请66件，{ok}。", carried=carried)
        assert findings(auditor, text) == [], ok
    text = report("全年收到政府信息公开申请66件，其中自然人申请62件。", carried=carried)
    assert findings(auditor, text) == [("GX-NAR-001", 3, "new", "natural_person", 62, 61)]
    # the total read as 本年新收 (65): its breakdown too, when it matches neither row
    text = report("全年收到政府信息公开申请65件，其中自然人申请62件。", carried=carried)
    assert findings(auditor, text) == [("GX-NAR-001", 3, "new", "natural_person", 62, 60)]
    # said to include 上年结转: both rows only
    text = report("全年收到政府信息公开申请66件（含上年结转1件），其中自然人申请60件。", carried=carried)
    assert findings(auditor, text) == [("GX-NAR-001", 3, "new", "natural_person", 60, 61)]


def test_a_wrong_total_is_the_finding_once(auditor):
    text = report("2023年，全区共收到政府信息公开申请70件，其中自然人申请66件，法人或其他组织申请4件。")
    assert findings(auditor, text) == [("GX-NAR-001", 3, "new", "total", 70, 65)]


@pytest.mark.parametrize(
    "overview",
    [
        "共收到政府信息公开申请65件，自然人申请中予以公开3件。",
        "收到自然人提出的政府信息公开申请10件。",  # a hint (GX-NAR-003), as before
        "共收到政府信息公开申请65件，其中自然人约50件，法人或其他组织近10件。",
        "共收到政府信息公开申请65件，其中自然人申请占90%。",
        "共收到政府信息公开申请65件，其中法人9件。",
        "全县各级行政机关共收到政府信息公开申请1300件，其中自然人申请1200件。",
        "区教育局代表区政府受理政府信息公开申请17件，其中自然人申请15件。",
        "共收到政府信息公开申请65件，其中约50件为自然人申请，近10件为法人或其他组织申请。",
        "共收到政府信息公开申请65件，其中予以公开的50件为自然人申请。",
        "区教育局代表区政府受理政府信息公开申请17件，其中15件为自然人申请。",
        "全县各级行政机关共收到政府信息公开申请1300件，其中1200件由自然人提出。",
    ],
)
def test_no_error_where_the_breakdown_is_not_plain(auditor, overview):
    assert [f for f in findings(auditor, report(overview)) if f[0] != "GX-NAR-003"] == []


# ------------------------------------------------------------ seeds and generated reports

NEW_ROW = re.compile(r"^[一1][、.．]?\s*本年新收")
KINDS = ("natural_person", "commercial", "research", "social", "legal", "other")


def _originals(tmp_path_factory):
    """(name, text, 本年新收 by applicant) of the seeds and generated reports whose table
    three's 本年新收 was read and is not 0."""
    found = []
    for path in tab_row_reports(tmp_path_factory, 24, 4471):
        text = path.read_text(encoding="utf-8")
        parsed = parse_document(text, path.name)
        row = [parsed.cell("applications", ("new", kind)) for kind in KINDS]
        if any(c is None or not c.is_number or c.value is None for c in row):
            continue
        values = [int(c.value) for c in row]
        if sum(values) > 0:
            found.append((path.name, text, values))
    return found


def _with_overview(text, sentence):
    """The report with `sentence` as the first line of its 总体情况; that line's number."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("一、总体情况"))
    return "\n".join([*lines[: at + 1], sentence, *lines[at + 1 :]]), at + 2


PHRASINGS = (
    "本年度共新收政府信息公开申请{total}件，其中自然人申请{natural}件，法人或其他组织申请{groups}件。",
    "本年度新收政府信息公开申请{total}件。其中，公民提出{natural}件，法人和其他组织提出{groups}件。",
    "本年度共新收政府信息公开申请{total}件，其中{natural}件为自然人申请、{groups}件为法人或其他组织申请。",
    "本年度新收政府信息公开申请{total}件，{natural}件由自然人提出，{groups}件由法人或其他组织提出。",
)


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    made = _originals(tmp_path_factory)
    assert len(made) >= 8
    return made


def narrative_places(auditor, text):
    result = auditor.audit_report(parse_document(text, "t"))
    return sorted(
        (f.rule, f.location.get("row"), f.location.get("column"), f.actual, f.expected)
        for f in result.findings
        if f.category == "narrative"
    )


@pytest.mark.parametrize("phrasing", PHRASINGS)
def test_seeds_and_generated_reports_with_a_breakdown(auditor, originals, phrasing):
    """The table's own figures written into the text: the findings of the report; one
    applicant's figure one too many: GX-NAR-001 at that line, that column, besides."""
    for name, text, values in originals:
        before = narrative_places(auditor, text)
        figures = {"total": sum(values), "natural": values[0], "groups": sum(values[1:])}
        right, _ = _with_overview(text, phrasing.format(**figures))
        assert narrative_places(auditor, right) == before, name
        wrong, line = _with_overview(text, phrasing.format(**{**figures, "natural": values[0] + 1}))
        result = auditor.audit_report(parse_document(wrong, "t"))
        added = [
            f
            for f in result.findings
            if f.category == "narrative" and f.location.get("column") == "natural_person"
        ]
        assert [(f.rule, f.location["line"], f.location["row"], f.actual, f.expected) for f in added] == [
            ("GX-NAR-001", line, "new", values[0] + 1, values[0])
        ], name


C004 = CORPUS / "004_pingtan_2022_zfxxgk_nb.txt"


@pytest.mark.skipif(not C004.is_file(), reason="corpus not available")
def test_corpus_004_breakdown(auditor, tmp_path):
    # "全区收到政府信息公开申请75件，涉及自然人72件、商业企业3件": 75 is 新收 74 + 结转 1, and
    # 72 is 自然人 71 + 1, 3 the 商业企业 column: no finding; a wrong 72 is one
    text = C004.read_text(encoding="utf-8")
    assert "涉及自然人72件、商业企业3件" in text
    for wording, expected in (
        ("涉及自然人72件、商业企业3件", []),
        ("涉及自然人73件、商业企业3件", [("GX-NAR-001", "new", "natural_person", 73, 72)]),
        ("涉及自然人72件、商业企业2件", [("GX-NAR-001", "new", "commercial", 2, 3)]),
    ):
        path = tmp_path / f"{wording}.txt"
        path.write_text(text.replace("涉及自然人72件、商业企业3件", wording), encoding="utf-8")
        result = auditor.audit_file(path)
        found = [
            (f.rule, f.location["row"], f.location["column"], f.actual, f.expected)
            for f in result.findings
            if f.category == "narrative"
        ]
        assert found == expected, wording
