"""A digit run shorter than its row: the page left cells blank, even when which ones
cannot be told (GX-CEL-010). Corpus 205 prints 结转下年度继续办理 "000000" for seven
cells (the original page shows 商业企业 blank); variants of 102, not in the corpus,
leave one and two digits out of a row whose other figures do not place the blank.
"""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, findings_of

from gxaudit.parse.document import parse_file


def test_corpus_205_a_blank_cell_that_cannot_be_placed_is_reported(capsys):
    path = CORPUS / "205_pingtan_jinjing_2023.txt"
    reading = next(r for r in parse_file(path).readings if r.row == "carried_forward")
    assert (reading.status, reading.raw, reading.blank) == ("ambiguous", "000000", 1)
    found = [f for f in findings_of(capsys, path) if f["rule"] == "GX-CEL-010"]
    assert len(found) == 1
    assert found[0]["severity"] == "error" and found[0]["location"]["row"] == "carried_forward"
    assert "“000000”比单元格少 1 位" in found[0]["message"]
    # the row is still said to be unreadable (its values are not guessed)
    assert any(
        f["rule"] == "GX-CEL-008" and f["location"]["row"] == "carried_forward"
        for f in findings_of(capsys, path)
    )


@pytest.mark.parametrize(
    ("printed", "blank"),
    [
        ("0000000", 0),  # seven digits, seven cells: read, no blank
        ("000000", 1),  # one short: one blank, any of seven places
        ("00000", 2),  # two short: two blanks
    ],
)
def test_variants_of_102_with_a_short_run(capsys, tmp_path, printed, blank):
    text = (CORPUS / "102_pingtan_gaj_2021.txt").read_text(encoding="utf-8")
    marker = "二、上年结转政府信息公开申请数量0000000三、"
    assert text.count(marker) == 1
    path = tmp_path / "variant.txt"
    path.write_text(text.replace(marker, f"二、上年结转政府信息公开申请数量{printed}三、"), encoding="utf-8")
    reading = next(r for r in parse_file(path).readings if r.row == "carried_over")
    assert reading.blank == blank
    found = [f for f in findings_of(capsys, path) if f["rule"] == "GX-CEL-010"]
    if blank:
        assert [f["location"]["row"] for f in found] == ["carried_over"]
        assert f"比单元格少 {blank} 位" in found[0]["message"]
    else:
        assert found == []


def test_a_blank_the_identities_place_is_the_blank_cells_finding_not_this_one(capsys):
    """107: 本年新收 one digit short, the identities put the blank at 商业企业: GX-CEL-001 there."""
    path = CORPUS / "107_pingtan_gaj_2019.txt"
    findings = findings_of(capsys, path)
    assert not [f for f in findings if f["rule"] == "GX-CEL-010"]
    assert any(
        f["rule"] == "GX-CEL-001"
        and f["location"]["row"] == "new"
        and f["location"]["column"] == "commercial"
        for f in findings
    )


def test_table_four_one_run_a_digit_short_has_one_blank_for_the_table(capsys, tmp_path):
    """A variant of 103 (not in the corpus): table four's fifteen cells printed as fourteen
    digits with no gap. Its three rows are one run: one finding for the table's blank, not
    one a row (a row of five zeros is not itself short)."""
    text = (CORPUS / "103_pingtan_zrz_2023.txt").read_text(encoding="utf-8")
    assert text.count("00 0 0 01 0 0 0 1 0 0 0 00") == 1
    path = tmp_path / "variant.txt"
    path.write_text(text.replace("00 0 0 01 0 0 0 1 0 0 0 00", "00000100010000"), encoding="utf-8")
    found = [
        f
        for f in findings_of(capsys, path)
        if f["rule"] == "GX-CEL-010" and f["location"]["table"] == "review_litigation"
    ]
    assert len(found) == 1
    assert found[0]["message"].startswith("表四（行政复议、行政诉讼）各行的数字串“00000100010000”比单元格少 1 位")


def test_every_row_of_table_three_short_counts_each_rows_blank(capsys, tmp_path):
    """A variant of 102 (not in the corpus): every row of table three printed with six digits
    for seven cells. All rows are left unread, so the table gets one reading finding; its
    blank cells are one a row, 25 in all (the first row's one was said for the table)."""
    text = (CORPUS / "102_pingtan_gaj_2021.txt").read_text(encoding="utf-8")
    start, end = text.index("一、本年新收政府信息公开申请数量"), text.index("四、政府信息公开行政复议")
    # each row's seven digits (some followed by the next row's "2." enumerator) made six
    table, runs = re.subn(r"(?<!\d)\d{7}(?=\d\.|(?!\d))", "000000", text[start:end])
    assert runs == 25
    path = tmp_path / "variant.txt"
    path.write_text(text[:start] + table + text[end:], encoding="utf-8")
    readings = [r for r in parse_file(path).readings if r.table == "applications"]
    assert len(readings) == 25 and {(r.status, r.raw, r.blank) for r in readings} == {("unsatisfiable", "000000", 1)}
    found = [
        f
        for f in findings_of(capsys, path)
        if f["rule"] == "GX-CEL-010" and f["location"]["table"] == "applications"
    ]
    assert len(found) == 1
    message = found[0]["message"]
    assert message.startswith("表三（依申请公开）各行的数字串“本年新收政府信息公开申请数量 000000；上年结转")
    assert "比单元格少 25 位：报告中有 25 个单元格是空白的" in message
    assert message.count(" 000000") == 25  # each row named with its run


def test_a_reading_shows_the_blank_it_placed_as_blank(capsys):
    """107: the identities put 本年新收's blank at 商业企业; the row's reading showed it as an
    empty string between two spaces ("实为 0  0 0 0 0 0"); it says （空白） as the reasons do."""
    path = CORPUS / "107_pingtan_gaj_2019.txt"
    reading = next(r for r in parse_file(path).readings if r.row == "new")
    assert reading.raw == "0 （空白） 0 0 0 0 0"
    (found,) = [
        f
        for f in findings_of(capsys, path)
        if f["rule"] == "GX-CEL-007" and f["location"]["row"] == "new"
    ]
    assert found["message"].endswith("唯一推定读作 0 （空白） 0 0 0 0 0，请核对。")
    assert found["actual"] == "0 （空白） 0 0 0 0 0"  # what the grouped line shows ("读作 …")


@pytest.mark.parametrize("blank_at", [0, 3, 6])
def test_a_row_read_with_its_blank_first_inside_or_last(blank_at):
    """Rows the corpus does not have: the blank first, inside, last; a row not read keeps its
    digit run as printed (its blank cells are not placed)."""
    from gxaudit.parse.readings import _readings
    from gxaudit.read.flattened import INFERRED, Inference

    values = ["1", "0", "0", "0", "0", "0", "1"]
    values[blank_at] = ""
    cells = [
        Inference(1, 10 + k, v, INFERRED, "", table="applications", row="new", cell=f"c{k}", decided_by="勾稽关系")
        for k, v in enumerate(values)
    ]
    unread = [Inference(2, 5, "000000", "ambiguous", "r", table="applications", row="carried_over", cell="c0")]
    read, not_read = _readings(cells + unread)
    shown = ["（空白）" if v == "" else v for v in values]
    assert read.raw == " ".join(shown) and "  " not in read.raw
    assert not_read.raw == "000000"
