"""Table three's rows printed under other names: common wordings of the format's rows, a
group's label and its row in one cell, and names no format has.

* Wordings of the same row ("一、本年度新收政府信息公开申请数量", "一、本年收到…", "二、上年度结转的
  申请", "（七）合计" / "（七）总数" / "（七）办理结果合计", "2.逾期未缴费", "2.逾期不缴纳信息处理费")
  read as that row: the cells and the findings are the original's. The first row's other
  wordings used to lose the whole table (its data open on that row), the others the row
  ("缺少…一行", GX-SUB-005), its figures put after the row before.
* "（六）其他处理 3.其他" in one cell (a table with a 序号 column merges them) is the 2021 row
  其他, not the 2019 row 其他处理 (GX-SUB-005 and GX-SUB-006 for nothing).
* A row printed with figures under a name no format has is never "缺少…一行": the format's
  row at its place is unreadable (GX-CEL-008, the printed name said), and its figures are no
  cells of the row before.
* A sentence or a sub-heading of the part that starts as the first row is named does not open
  the table.

Variants made here from generated reports of every shape (tab rows, one cell a line, web page)
and a flattened page of the corpus.
"""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, audit_to_json, findings_by_place, generated_reports

from gxaudit.parse.document import parse_file

_NEW = r"(?P<lead>一\s*[、.．]\s*)本年新收政府信息公开申请数量"
_CARRIED = r"(?P<lead>二\s*[、.．]\s*)上年结转政府信息公开申请数量"
_TOTAL = r"(?P<lead>[(（]\s*七\s*[)）]\s*)总\s*计"
_NO_FEE = r"(?P<lead>2\s*[.、．]\s*)申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
_PARTIAL = r"(?P<lead>[(（]\s*二\s*[)）]\s*)部分公开（区分处理的，只计这一情形，不计其他情形）"

# (the row, its name as the generator prints it, another wording of it)
WORDINGS = [
    ("new", _NEW, "本年度新收政府信息公开申请数量"),
    ("new", _NEW, "本年收到政府信息公开申请数量"),
    ("new", _NEW, "本年度新收到的申请数量"),
    ("carried_over", _CARRIED, "上年度结转的申请"),
    ("results_total", _TOTAL, "合计"),
    ("results_total", _TOTAL, "总数"),
    ("results_total", _TOTAL, "办理结果合计"),
    ("other_no_fee", _NO_FEE, "逾期未缴费"),
    ("other_no_fee", _NO_FEE, "逾期不缴纳信息处理费"),
]
# names no format has, for rows first, inside and last of the table
UNKNOWN = [
    ("new", _NEW, "新登记件数"),
    ("carried_over", _CARRIED, "以前年度转入"),
    ("partial", _PARTIAL, "区分处理"),
    ("other_no_fee", _NO_FEE, "欠费未办"),
    ("results_total", _TOTAL, "累积件数"),
]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = generated_reports(tmp_path_factory.mktemp("made"), 24, 17)
    return sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html"))


def _values(report) -> dict:
    return {
        row_id: {c: ("unreadable" if cell.unreadable else cell.value) for c, cell in row.cells.items()}
        for row_id, row in report.tables.applications.items()
    }


def _variants(made, folder, pattern: str, name: str, tag: str) -> list[tuple]:
    """(original, variant) of each made report that prints the row once, renamed."""
    out = []
    for path in made:
        text = path.read_text(encoding="utf-8")
        if len(re.findall(pattern, text)) != 1:
            continue
        target = folder / f"{path.stem}.{tag}{path.suffix}"
        target.write_text(re.sub(pattern, lambda m: m["lead"] + name, text), encoding="utf-8")
        out.append((path, target))
    return out


@pytest.mark.parametrize(("row", "pattern", "name"), WORDINGS, ids=[w[2] for w in WORDINGS])
def test_another_wording_of_a_row_reads_as_that_row(made, tmp_path, row, pattern, name):
    pairs = _variants(made, tmp_path, pattern, name, "wording")
    assert len({p.suffix for p, _t in pairs}) == 2 and len(pairs) >= 6  # tab rows, cells, pages
    for path, target in pairs:
        original, variant = parse_file(path), parse_file(target)
        assert row in original.tables.applications, path.name
        assert _values(variant) == _values(original), target.name
    before = findings_by_place(audit_to_json([p for p, _t in pairs], tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([t for _p, t in pairs], tmp_path / "after.json"))
    for path, target in pairs:
        assert after[str(target)] == before[str(path)], target.name


@pytest.mark.parametrize("name", ["本年度新收政府信息公开申请数量", "本年收到政府信息公开申请数量"])
def test_a_flattened_page_whose_first_row_is_worded_otherwise(tmp_path, name):
    path = CORPUS / "004_pingtan_2022_zfxxgk_nb.txt"  # a whole page on one line
    text = path.read_text(encoding="utf-8")
    assert text.count("一、本年新收政府信息公开申请数量") == 1
    target = tmp_path / path.name
    target.write_text(text.replace("本年新收政府信息公开申请数量", name), encoding="utf-8")
    original = _values(parse_file(path))
    assert len(original) == 25
    assert _values(parse_file(target)) == original


@pytest.mark.parametrize("total", ["总计", "合计"])
def test_results_that_do_not_add_up_are_said_under_either_name_of_the_total(tmp_path, total):
    text = _seed_like_report(total, granted=45)
    path = tmp_path / "v.txt"
    path.write_text(text, encoding="utf-8")
    document = audit_to_json([path], tmp_path / "out.json")
    findings = document["reports"][0]["findings"]
    rules = [f["rule"] for f in findings]
    assert "GX-BAL-002" in rules and "GX-SUB-005" not in rules


@pytest.mark.parametrize(("row", "pattern", "name"), UNKNOWN, ids=[u[2] for u in UNKNOWN])
def test_a_row_under_a_name_no_format_has_is_unreadable_never_missing(made, tmp_path, row, pattern, name):
    pairs = _variants(made, tmp_path, pattern, name, "unknown")
    assert len(pairs) >= 6
    document = audit_to_json([t for _p, t in pairs], tmp_path / "after.json")
    by_path = {r["path"]: r["findings"] for r in document["reports"]}
    for path, target in pairs:
        original, variant = parse_file(path), parse_file(target)
        values, before = _values(variant), _values(original)
        # the row is there, every cell unreadable; every other row is read as before
        assert set(values[row].values()) == {"unreadable"}, target.name
        assert {r: v for r, v in values.items() if r != row} == {
            r: v for r, v in before.items() if r != row
        }, target.name
        findings = by_path[str(target)]
        assert not [f for f in findings if f["rule"] == "GX-SUB-005"], target.name
        said = [f for f in findings if f["rule"] == "GX-CEL-008" and f["location"].get("row") == row]
        assert len(said) == 1 and name in said[0]["message"], target.name


# a row of 其他处理 as the generator prints it (a cell a line: a tab before each cell, kept)
_GROUP_THEN_ROW = {
    "3.其他": r"^(?P<lead>\t*)\t3\s*[.．]\s*其他(?=\t)",
    "1.申请人无正当理由逾期不补正": r"^(?P<lead>\t*)[(（]六[)）]\s*其他处理\t1\.申请人无正当理由逾期不补正",
    "2.申请人逾期未按收费通知": r"^(?P<lead>\t*)\t2\.申请人逾期未按收费通知",
}


@pytest.mark.parametrize("row", list(_GROUP_THEN_ROW))
@pytest.mark.parametrize("space", ["", " "])
def test_the_group_label_and_a_row_in_one_cell_name_the_row(made, tmp_path, row, space):
    pairs = []
    for path in made:
        text = path.read_text(encoding="utf-8")
        found = re.findall(_GROUP_THEN_ROW[row], text, flags=re.M)
        if path.suffix != ".txt" or len(found) != 1 or parse_file(path).format != "2021":
            continue
        target = tmp_path / f"{path.stem}.merged{path.suffix}"
        merged = re.sub(
            _GROUP_THEN_ROW[row],
            lambda m: (m["lead"] or "\t") + f"（六）其他处理{space}{row}",
            text,
            flags=re.M,
        )
        target.write_text(merged, encoding="utf-8")
        pairs.append((path, target))
    assert len(pairs) >= 3
    for path, target in pairs:
        assert _values(parse_file(target)) == _values(parse_file(path)), target.name
    before = findings_by_place(audit_to_json([p for p, _t in pairs], tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([t for _p, t in pairs], tmp_path / "after.json"))
    for path, target in pairs:
        assert after[str(target)] == before[str(path)], target.name


@pytest.mark.parametrize(
    "line",
    [
        "本年度收到政府信息公开申请12件，均已按时办结。",
        "（一）本年收到政府信息公开申请情况",
        "本年新收申请情况",
    ],
)
def test_a_sentence_or_a_sub_heading_that_starts_as_the_first_row_opens_nothing(made, tmp_path, line):
    pairs = []
    for path in made:
        text = path.read_text(encoding="utf-8")
        part = re.search(r"^三、收到和处理政府信息公开申请情况\s*$", text, flags=re.M)
        if path.suffix != ".txt" or part is None:
            continue
        target = tmp_path / f"{path.stem}.sentence{path.suffix}"
        target.write_text(text[: part.end()] + "\n\n" + line + "\n" + text[part.end() :], encoding="utf-8")
        pairs.append((path, target))
    assert len(pairs) >= 6
    for path, target in pairs:
        assert _values(parse_file(target)) == _values(parse_file(path)), target.name


def _seed_like_report(total: str, granted: int) -> str:
    """A 2021 report whose table three's 予以公开 is `granted` (41 adds up)."""
    header = "宁安市清青青区人民政府2021年政府信息公开工作年度报告\n\n一、总体情况\n\n本机关2021年依法做好政府信息公开工作。\n\n"
    rows = [
        ("一、本年新收政府信息公开申请数量", 118, 32, 150),
        ("二、上年结转政府信息公开申请数量", 0, 0, 0),
        ("\t（一）予以公开", granted, 12, granted + 12),
        ("\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 14, 1, 15),
        ("\t（三）不予公开\t1.属于国家秘密", 1, 0, 1),
        ("\t\t2.其他法律行政法规禁止公开", 3, 1, 4),
        ("\t\t3.危及“三安全一稳定”", 1, 1, 2),
        ("\t\t4.保护第三方合法权益", 5, 0, 5),
        ("\t\t5.属于三类内部事务信息", 2, 0, 2),
        ("\t\t6.属于四类过程性信息", 3, 1, 4),
        ("\t\t7.属于行政执法案卷", 0, 0, 0),
        ("\t\t8.属于行政查询事项", 0, 2, 2),
        ("\t（四）无法提供\t1.本机关不掌握相关政府信息", 28, 9, 37),
        ("\t\t2.没有现成信息需要另行制作", 4, 0, 4),
        ("\t\t3.补正后申请内容仍不明确", 1, 1, 2),
        ("\t（五）不予处理\t1.信访举报投诉类申请", 5, 0, 5),
        ("\t\t2.重复申请", 4, 1, 5),
        ("\t\t3.要求提供公开出版物", 0, 0, 0),
        ("\t\t4.无正当理由大量反复申请", 0, 0, 0),
        ("\t\t5.要求行政机关确认或重新出具已获取信息", 1, 1, 2),
        ("\t（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 3, 0, 3),
        ("\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 1, 0, 1),
        ("\t\t3.其他", 1, 2, 3),
        (f"\t（七）{total}", 118, 32, 150),
        ("四、结转下年度继续办理", 0, 0, 0),
    ]
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况",
        "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
    ]
    for label, person, company, all_ in rows:
        pad = "\t" * (3 - label.count("\t") - 1)
        lines.append(f"{label}{pad}\t{person}\t{company}\t0\t0\t0\t0\t{all_}")
    return (
        header
        + "\n".join(lines)
        + "\n\n四、政府信息公开行政复议、行政诉讼情况\n\n五、存在的主要问题及改进情况\n\n无。\n"
    )
