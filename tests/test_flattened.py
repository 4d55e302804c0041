"""Flattened reports (whole page on one line, table cells run together).

The expected tables below were written by reading the corpus files by hand
(001: "予以公开7000007" is 7,0,0,0,0,0,7 …), not produced by the code under
test. Where the format gives no way to decide a split (table two has no sums),
the expectation is that no number is written and the cells are reported
"ambiguous".
"""
from __future__ import annotations

import functools

import pytest

from conftest import CORPUS, SEEDS
from gxaudit.parse.document import parse_text
from gxaudit.parse.readings import annotate
from gxaudit.read.flattened import AMBIGUOUS, INFERRED, UNSATISFIABLE, is_flattened, unflatten

COLUMNS = ["natural_person", "commercial", "research", "social", "legal", "other", "total"]
REVIEW_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
Z = [0, 0, 0, 0, 0, 0, 0]

F001 = "001_pingtan_2019_zfxxgk_nb.txt"
F004 = "004_pingtan_2022_zfxxgk_nb.txt"
F016 = "016_pingtan_2018_pre_template_control.txt"


@functools.lru_cache(maxsize=None)
def _converted(name: str):
    text = (CORPUS / name).read_text(encoding="utf-8")
    out, inferences = unflatten(text)
    return text, out, inferences, parse_text(out, name)


def _applications(report) -> dict[str, list]:
    return {rid: [row.cells[c].value if c in row.cells else None for c in COLUMNS]
            for rid, row in report.tables.applications.items()}


def _review(report) -> dict[str, list]:
    return {bid: [row.cells[c].value if c in row.cells else None for c in REVIEW_COLUMNS]
            for bid, row in report.tables.review_litigation.items()}


def _statuses(inferences, table: str) -> dict[tuple[str, str], set[str]]:
    """(block, row) -> statuses of its cells."""
    out: dict[tuple[str, str], set[str]] = {}
    for inf in inferences:
        if inf.table == table:
            out.setdefault((inf.block, inf.row), set()).add(inf.status)
    return out


def _no_numbers(report, block: str, row: str) -> bool:
    """An undecided row: absent, or written with empty cells only."""
    found = report.tables.proactive.get(block)
    if found is None or row not in found.rows:
        return True
    return all(cell.kind == "empty" for cell in found.rows[row].cells.values())


# ------------------------------------------------------------------ detection

@pytest.mark.parametrize("name", [F001, F004, F016])
def test_corpus_files_are_flattened(name):
    assert is_flattened((CORPUS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_line_shaped_seeds_are_not_flattened(path):
    assert not is_flattened(path.read_text(encoding="utf-8"))


def test_short_text_is_not_flattened():
    assert not is_flattened("一、总体情况 本年度无。")


# ------------------------------------------------------------------ 001 (format 2019)

EXPECTED_001_APPLICATIONS = {
    "new": [23, 0, 0, 0, 0, 0, 23],
    "carried_over": Z,
    "granted": [7, 0, 0, 0, 0, 0, 7],
    "partial": [1, 0, 0, 0, 0, 0, 1],
    "denied_secret": Z, "denied_law": Z, "denied_security": Z, "denied_third_party": Z,
    "denied_internal": Z, "denied_process": Z, "denied_case_file": Z, "denied_query": Z,
    "unable_not_held": [7, 0, 0, 0, 0, 0, 7],
    "unable_need_create": Z,
    "unable_unclear": [5, 0, 0, 0, 0, 0, 5],
    "rejected_petition": Z,
    "rejected_repeat": [3, 0, 0, 0, 0, 0, 3],
    "rejected_publication": Z, "rejected_mass": Z, "rejected_confirm": Z,
    "other_handling": Z,
    "results_total": [23, 0, 0, 0, 0, 0, 23],
    "carried_forward": Z,
}


def test_001_identity():
    _, _, _, report = _converted(F001)
    assert report.title == "平潭综合实验区2019年政府信息公开工作年度报告"
    assert report.organ == "平潭综合实验区"
    assert report.year == 2019
    assert report.format == "2019"


def test_001_sections():
    _, _, _, report = _converted(F001)
    assert [(s.number, s.id, s.heading, s.variant) for s in report.sections] == [
        ("一", "overview", "总体情况", False),
        ("二", "proactive", "主动公开政府信息情况", False),
        ("三", "applications", "收到和处理政府信息公开申请情况", False),
        ("四", "review_litigation", "政府信息公开行政复议、行政诉讼情况", False),
        ("五", "problems", "存在的主要问题及改进情况", False),
        ("六", "other_matters", "其他需要报告的事项", False),
    ]


def test_001_table_three():
    _, _, inferences, report = _converted(F001)
    assert _applications(report) == EXPECTED_001_APPLICATIONS
    # every row's digits ran together ("230 000023", "0 0 00 00 0"): all inferred
    statuses = _statuses(inferences, "applications")
    assert set(statuses) == {("", rid) for rid in EXPECTED_001_APPLICATIONS}
    assert all(s == {INFERRED} for s in statuses.values())
    assert all(report.tables.applications[rid].cells[c].kind == "number"
               for rid in EXPECTED_001_APPLICATIONS for c in COLUMNS)


def test_001_table_four():
    _, _, inferences, report = _converted(F001)
    assert _review(report) == {"review": [0] * 5, "litigation_direct": [0] * 5,
                               "litigation_after_review": [0] * 5}
    statuses = _statuses(inferences, "review_litigation")
    assert len([i for i in inferences if i.table == "review_litigation"]) == 15
    assert set().union(*statuses.values()) == {INFERRED}


def test_001_table_two():
    _, _, inferences, report = _converted(F001)
    rules = report.tables.proactive["item1"].rows["rules"]
    assert {c: (cell.kind, cell.value) for c, cell in rules.cells.items()} == {
        "made": ("number", 0), "published": ("number", 0), "total_public": ("number", 0)}
    # "规范性文件898989", "行政许可3960181", "其他对外管理服务事项100153",
    # "行政处罚26480430", "行政强制126025", "行政事业性收费350" (3/50 or 35/0),
    # "政府集中采购13575394432.52元": table two has no sums, so no split can be chosen
    undecided = [("item1", "normative_docs"), ("item5", "licensing"), ("item5", "other_services"),
                 ("item6", "penalty"), ("item6", "enforcement"), ("item8", "fees"),
                 ("item9", "procurement")]
    assert _statuses(inferences, "proactive") == {
        ("item1", "rules"): {INFERRED}, **{key: {AMBIGUOUS} for key in undecided}}
    for block, row in undecided:
        assert _no_numbers(report, block, row), (block, row)
    fees = [i for i in inferences if i.row == "fees"]
    assert [i.raw for i in fees] == ["350", "350"]
    assert "2 种" in fees[0].reason and "3/50" in fees[0].reason and "35/0" in fees[0].reason


# ------------------------------------------------------------------ 004 (format 2021)

EXPECTED_004_APPLICATIONS = {
    "new": [71, 3, 0, 0, 0, 0, 74],
    "carried_over": [1, 0, 0, 0, 0, 0, 1],
    "granted": [21, 0, 0, 0, 0, 0, 21],
    "partial": [8, 1, 0, 0, 0, 0, 9],
    "denied_secret": Z, "denied_law": Z, "denied_security": Z, "denied_third_party": Z,
    "denied_internal": [1, 0, 0, 0, 0, 0, 1],
    "denied_process": [2, 0, 0, 0, 0, 0, 2],
    "denied_case_file": [1, 0, 0, 0, 0, 0, 1],
    "denied_query": Z,
    "unable_not_held": [37, 0, 0, 0, 0, 0, 37],
    "unable_need_create": Z, "unable_unclear": Z,
    "rejected_petition": Z, "rejected_repeat": Z, "rejected_publication": Z,
    "rejected_mass": Z, "rejected_confirm": Z,
    "other_no_correction": [2, 0, 0, 0, 0, 0, 2],
    "other_no_fee": Z,
    "other_misc": [0, 2, 0, 0, 0, 0, 2],
    "results_total": [72, 3, 0, 0, 0, 0, 75],
    "carried_forward": Z,
}


def test_004_identity():
    _, _, _, report = _converted(F004)
    assert report.format == "2021"
    # the page has no title; its preamble says it sums up the work of 平潭综合实验区's units
    # ("汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成")
    assert report.title is None and report.organ == "平潭综合实验区"


def test_004_year():
    _, _, _, report = _converted(F004)
    assert report.year == 2022


def test_004_sections():
    _, _, _, report = _converted(F004)
    assert [(s.number, s.id, s.heading, s.variant) for s in report.sections] == [
        ("一", "overview", "总体情况", False),
        ("二", "proactive", "主动公开政府信息情况", False),
        ("三", "applications", "收到和处理政府信息公开申请情况", False),
        ("四", "review_litigation", "政府信息公开行政法复议、行政诉讼情况", True),
        ("五", "problems", "存在的主要问题及改进情况", False),
        ("六", "other_matters", "其他需要报告的事项", False),
    ]


def test_004_table_three():
    _, _, inferences, report = _converted(F004)
    assert _applications(report) == EXPECTED_004_APPLICATIONS
    statuses = _statuses(inferences, "applications")
    assert set(statuses) == {("", rid) for rid in EXPECTED_004_APPLICATIONS}
    assert all(s == {INFERRED} for s in statuses.values())


def test_004_table_four_is_read_directly():
    # "0 1 1 0 2 1 0 0 0 1 0 0 0 0 0": fifteen separate numbers, nothing to split
    _, _, inferences, report = _converted(F004)
    assert _review(report) == {"review": [0, 1, 1, 0, 2], "litigation_direct": [1, 0, 0, 0, 1],
                               "litigation_after_review": [0, 0, 0, 0, 0]}
    assert not [i for i in inferences if i.table == "review_litigation"]


def test_004_table_two():
    _, _, inferences, report = _converted(F004)
    blocks = report.tables.proactive
    assert {c: cell.value for c, cell in blocks["item1"].rows["rules"].cells.items()} == {
        "issued": 0, "repealed": 0, "in_force": 0}
    # "行政规范性文件8855698": the table alone cannot tell, the prose does ("现行有效行政规范性文件
    # 698件", "本年度制发的规范性文件88件"): 88/55/698 (issue 8: figures stated in the text)
    assert [blocks["item1"].rows["normative_docs"].cells[c].value
            for c in ("issued", "repealed", "in_force")] == [88, 55, 698]
    assert blocks["item5"].rows["licensing"].cells["decisions"].value == 10690
    assert blocks["item6"].rows["penalty"].cells["decisions"].value == 2113
    assert blocks["item6"].rows["enforcement"].cells["decisions"].value == 0
    fees = blocks["item8"].rows["fees"].cells["amount"]
    assert (fees.raw, str(fees.value)) == ("9116.36", "9116.36")
    assert _statuses(inferences, "proactive") == {
        ("item1", "rules"): {INFERRED}, ("item1", "normative_docs"): {INFERRED}}


# ------------------------------------------------------------------ 016 (2018)

def test_016_is_pre_2019():
    _, out, inferences, report = _converted(F016)
    assert report.title == "平潭综合实验区2018年度政府信息公开工作年度报告"
    assert report.organ == "平潭综合实验区"
    assert report.year == 2018
    assert report.format == "pre-2019"
    assert inferences == []
    assert [(s.number, s.heading) for s in report.sections] == [
        ("一", "概述"),
        ("二", "主动公开政府信息情况"),
        ("三", "政府信息依申请公开工作情况"),
        ("四", "因政府信息公开申请行政复议、提起行政诉讼的情况"),
        ("五", "主要问题和改进措施"),
        ("六", "政府信息公开情况统计表"),
    ]
    t = report.tables
    assert not t.proactive and not t.applications and not t.review_litigation


# ------------------------------------------------------------------ positions, text kept

@pytest.mark.parametrize("name", [F001, F004])
def test_inference_positions_name_the_parsed_cells(name):
    _, out, inferences, report = _converted(name)
    lines = out.split("\n")
    cells = {}
    for block in report.tables.proactive.values():
        for row in block.rows.values():
            for column, cell in row.cells.items():
                cells[(cell.line, cell.column)] = ("proactive", block.id, row.id, column, cell)
    for row in report.tables.applications.values():
        for column, cell in row.cells.items():
            cells[(cell.line, cell.column)] = ("applications", "", row.id, column, cell)
    for row in report.tables.review_litigation.values():
        for column, cell in row.cells.items():
            cells[(cell.line, cell.column)] = ("review_litigation", row.id, "", column, cell)
    for inf in inferences:
        line = lines[inf.line - 1]
        before = line[:inf.column - 1]
        assert before == "" or before.endswith("\t"), inf
        if inf.status == INFERRED:
            assert line[inf.column - 1:].split("\t")[0] == inf.raw
            table, block, row, column, cell = cells[(inf.line, inf.column)]
            assert (table, block, row, column) == (inf.table, inf.block, inf.row, inf.cell)
            assert cell.raw == inf.raw
        else:
            assert line[inf.column - 1:].split("\t")[0] == ""


@pytest.mark.parametrize("name", [F001, F004, F016])
def test_prose_is_kept(name):
    text, out, _, _ = _converted(name)
    # every sentence of the prose survives (white space aside)
    squeeze = lambda s: "".join(s.split())   # noqa: E731
    flat = squeeze(out)
    for sentence in text.split("。")[:-1]:
        if not any(ch.isdigit() for ch in sentence[-40:]):
            assert squeeze(sentence[-40:]) in flat


def test_annotate_marks_cells_and_reports_undecided_rows():
    _, out, inferences, _ = _converted(F001)
    report = parse_text(out, F001)
    annotate(report, inferences)
    assert report.tables.applications["granted"].cells["total"].inferred
    assert report.tables.proactive["item1"].rows["rules"].cells["made"].inferred
    messages = [d.message for d in report.diagnostics]
    assert sum("“898989”" in m for m in messages) == 1
    assert sum("“350”" in m for m in messages) == 1          # one diagnostic per row


# ------------------------------------------------------------------ synthetic

HEAD = ("某县人民政府2020年政府信息公开工作年度报告 本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。"
        "一、总体情况 本年度工作正常开展。二、主动公开政府信息情况 第二十条第（一）项信息内容本年新制作数量"
        "本年新公开数量对外公开总数量规章000规范性文件000"
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")
ZERO_ROWS = ("（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”0000000"
             "4.保护第三方合法权益00000005.属于三类内部事务信息00000006.属于四类过程性信息0000000"
             "7.属于行政执法案卷00000008.属于行政查询事项0000000（四）无法提供1.本机关不掌握相关政府信息0000000"
             "2.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请0000000"
             "2.重复申请00000003.要求提供公开出版物00000004.无正当理由大量反复申请0000000"
             "5.要求行政机关确认或重新出具已获取信息0000000（六）其他处理0000000")
TAIL = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉"
        "复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计000000000000000"
        "五、存在的主要问题及改进情况 无。六、其他需要报告的事项 无。")


def _synthetic(new: str, granted: str, partial: str, total: str) -> str:
    return (HEAD + f"一、本年新收政府信息公开申请数量{new}二、上年结转政府信息公开申请数量0000000"
            f"三、本年度办理结果（一）予以公开{granted}（二）部分公开（区分处理的，只计这一情形，不计其他情形）{partial}"
            + ZERO_ROWS + f"（七）总计{total}四、结转下年度继续办理0000000" + TAIL)


def test_synthetic_two_readings_satisfy_everything_is_ambiguous():
    # 予以公开 and 部分公开 both read "110000011": 11,0,0,0,0,0,11 or 1,10,0,0,0,0,11.
    # 总计 is 12,10,…,22 (written with spaces: read directly). 11+1 and 1+11 both give 12,
    # 0+10 and 10+0 both give 10: two combinations satisfy row sums and column identities.
    text = _synthetic("12 10 0 0 0 0 22", "110000011", "110000011", "12 10 0 0 0 0 22")
    out, inferences = unflatten(text)
    statuses = _statuses(inferences, "applications")
    assert statuses[("", "granted")] == {AMBIGUOUS}
    assert statuses[("", "partial")] == {AMBIGUOUS}
    assert statuses[("", "denied_secret")] == {INFERRED}
    assert ("", "new") not in statuses and ("", "results_total") not in statuses   # read directly
    granted = [i for i in inferences if i.row == "granted"]
    assert len(granted) == 7 and all(i.raw == "110000011" for i in granted)
    assert "2 种" in granted[0].reason and "无法确定" in granted[0].reason
    report = parse_text(out)
    assert report.format == "2019" and report.year == 2020
    for rid in ("granted", "partial"):
        row = report.tables.applications.get(rid)
        assert row is None or all(c.kind == "empty" for c in row.cells.values())
    assert report.tables.applications["results_total"].cells["total"].value == 22


def test_synthetic_identities_decide_between_readings():
    # the same "110000011" (11,0,…,11 or 1,10,…,11 by its row sum), with 部分公开 all 0 and
    # 总计 1,10,0,0,0,0,11: only 1,10,0,0,0,0,11 keeps 总计 = the sum of the result rows
    text = _synthetic("1 10 0 0 0 0 11", "110000011", "0000000", "1 10 0 0 0 0 11")
    out, inferences = unflatten(text)
    statuses = _statuses(inferences, "applications")
    assert statuses[("", "granted")] == {INFERRED}
    report = parse_text(out)
    assert [report.tables.applications["granted"].cells[c].value for c in COLUMNS] == \
        [1, 10, 0, 0, 0, 0, 11]


def test_synthetic_seven_digits_are_read_though_the_row_sum_fails():
    # "1000003" can only be 1,0,0,0,0,0,3 (seven digits, seven cells): that is the reading,
    # and 1 ≠ 3 is the report's own defect for the balance rules (issue 8, corpus 103)
    text = _synthetic("1 0 0 0 0 0 1", "1000003", "0000000", "1 0 0 0 0 0 1")
    out, inferences = unflatten(text)
    statuses = _statuses(inferences, "applications")
    assert statuses[("", "granted")] == {INFERRED}
    reason = next(i.reason for i in inferences if i.row == "granted")
    assert "“1000003”" in reason and "数字个数" in reason and "行合计" in reason and "不成立" in reason
    assert statuses[("", "partial")] == {INFERRED}
    row = parse_text(out).tables.applications["granted"]
    assert [row.cells[c].value for c in COLUMNS] == [1, 0, 0, 0, 0, 0, 3]


def test_synthetic_column_identities_unsatisfiable():
    # "110000011" has two readings by its row sum, but 总计 says 5,0,…,5: neither fits
    text = _synthetic("5 0 0 0 0 0 5", "110000011", "0000000", "5 0 0 0 0 0 5")
    _, inferences = unflatten(text)
    granted = [i for i in inferences if i.row == "granted"]
    assert {i.status for i in granted} == {UNSATISFIABLE}
    assert "勾稽" in granted[0].reason or "之和" in granted[0].reason


def _review_text(digits: str) -> str:
    return _synthetic("0000000", "0000000", "0000000", "0000000").replace(
        "总计000000000000000五、", f"总计{digits}五、")


def test_synthetic_table_four_inferred():
    # sixteen digits for fifteen cells: only 3,2,1,4,10 | 0… | 0… adds up
    # (32,1,4,1,0 / 3,21,4,1,0 / … / 3,2,1,4,1 all break 总计 = 维持+纠正+其他+尚未审结)
    out, inferences = unflatten(_review_text("3214100000000000"))
    four = [i for i in inferences if i.table == "review_litigation"]
    assert len(four) == 15 and {i.status for i in four} == {INFERRED}
    assert _review(parse_text(out)) == {"review": [3, 2, 1, 4, 10], "litigation_direct": [0] * 5,
                                        "litigation_after_review": [0] * 5}


def test_synthetic_table_four_fifteen_digits_are_read():
    # fifteen digits, fifteen cells: 1,0,0,0,0 — 总计 0 is not 1, the report's own defect
    out, inferences = unflatten(_review_text("100000000000000"))
    four = [i for i in inferences if i.table == "review_litigation"]
    assert len(four) == 15 and {i.status for i in four} == {INFERRED}
    assert _review(parse_text(out)) == {"review": [1, 0, 0, 0, 0], "litigation_direct": [0] * 5,
                                        "litigation_after_review": [0] * 5}
