"""HTML tables read by their grid: variants of corpus 012 whose rows are misaligned the
ways Word-exported pages are (issue 8, part 2), with the cells a person reads in
each written out by hand.

Every variant changes one or a few `<tr>` of 012 (read exactly in
test_html_adapter.py). A cell comes out with the printed value in its column,
or unreadable (``"unreadable": true`` and a reading with the reason) where two
placements remain possible: a printed number never comes out as an empty cell
and never lands in another column.
"""

from __future__ import annotations

import re

import pytest

from conftest import CORPUS
from gxaudit.errors import InputError
from gxaudit.parse.document import parse_source
from gxaudit.read.html import read_html

PAGE_012 = (CORPUS / "012_shuyang_fgj_2023.html").read_text(encoding="utf-8")
COLUMNS = ("natural_person", "commercial", "research", "social", "legal", "other", "total")
BLANK = ("empty", None)
UNREADABLE = "unreadable"


def row_012(label: str) -> str:
    """The `<tr>` of 012 whose text starts with `label`."""
    match = re.search(r"<tr>(?:(?!</tr>).)*?>" + re.escape(label) + r".*?</tr>", PAGE_012)
    assert match, label
    return match.group(0)


def variant(*replacements: tuple[str, str]) -> dict:
    page = PAGE_012
    for old, new in replacements:
        assert page.count(old) == 1, old
        page = page.replace(old, new)
    report = parse_source(read_html(page, "variant.html"), "variant.html")
    return report


def cells(report, table: str, row: str, block: str | None = None) -> dict:
    if table == "applications":
        source = report.tables.applications[row].cells
    elif table == "review_litigation":
        source = report.tables.review_litigation[row].cells
    else:
        source = report.tables.proactive[block].rows[row].cells
    return {
        column: UNREADABLE if cell.unreadable else (cell.kind, cell.value) for column, cell in source.items()
    }


def application_row(*values) -> dict:
    out = {}
    for column, value in zip(COLUMNS, values):
        out[column] = value if value in (UNREADABLE, BLANK) else ("number", value)
    return out


def assert_clean_elsewhere(report, *changed: str) -> None:
    """Rows the variant did not touch read as in 012; no structure diagnostics."""
    for row_id, row in report.tables.applications.items():
        if row_id in changed:
            continue
        assert not any(c.unreadable for c in row.cells.values()), row_id
        assert row.cells["commercial"].kind == "empty", row_id
    assert len(report.tables.applications) == 25
    assert not [d for d in report.diagnostics if "单元格" in d.message and "无法可靠" not in d.message]


def test_012_itself_has_no_unreadable_cell():
    report = variant()
    assert not report.readings
    assert cells(report, "applications", "new") == application_row(26, BLANK, BLANK, BLANK, BLANK, BLANK, 26)


# ------------------------------------------------------------ table three


def test_value_cell_spanning_two_header_columns_is_unreadable_there():
    old = row_012("一、本年新收")
    new = (
        '<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td colspan="2">26</td>'
        "<td> </td><td> </td><td> </td><td> </td><td>26</td></tr>"
    )
    report = variant((old, new))
    # 26 stands under 自然人 and 商业企业 alike; the rest of the row is where it is printed
    assert cells(report, "applications", "new") == application_row(
        UNREADABLE, UNREADABLE, BLANK, BLANK, BLANK, BLANK, 26
    )
    reading = next(r for r in report.readings if r.row == "new")
    assert "跨越" in reading.reason and "26" in reading.raw
    assert_clean_elsewhere(report, "new")


def test_header_spanning_two_value_cells_one_of_them_blank():
    # 自然人 spans two grid columns in the header, and every data row has a cell under each
    header = '<td rowspan="2"><p> </p><p>自然人</p></td>'
    wide_header = '<td rowspan="2" colspan="2"><p> </p><p>自然人</p></td>'
    report_page = PAGE_012.replace(header, wide_header).replace(
        '<td colspan="7">申请人情况</td>', '<td colspan="8">申请人情况</td>'
    )
    report_page = re.sub(
        r"(<tr><td[^>]*>[^<]*(?:</td><td[^>]*>[^<]*)*?</td>)(<td>(\d+)</td>)(<td> </td><td> </td><td> </td><td> </td><td> </td><td>\d+</td></tr>)",
        lambda m: m.group(1) + m.group(2) + "<td>&nbsp;</td>" + m.group(4),
        report_page,
    )
    assert report_page.count("<td>&nbsp;</td>") == 25
    report = parse_source(read_html(report_page, "v.html"), "v.html")
    assert cells(report, "applications", "new") == application_row(26, BLANK, BLANK, BLANK, BLANK, BLANK, 26)
    assert cells(report, "applications", "results_total") == application_row(
        26, BLANK, BLANK, BLANK, BLANK, BLANK, 26
    )
    assert not report.readings
    assert_clean_elsewhere(report)


def test_two_printed_values_under_one_header_column():
    header = '<td rowspan="2"><p> </p><p>自然人</p></td>'
    page = PAGE_012.replace(header, header.replace('rowspan="2"', 'rowspan="2" colspan="2"'))
    page = page.replace('<td colspan="7">申请人情况</td>', '<td colspan="8">申请人情况</td>')
    old = row_012("一、本年新收")
    new = (
        '<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>20</td><td>6</td>'
        "<td> </td><td> </td><td> </td><td> </td><td> </td><td>26</td></tr>"
    )
    page = page.replace(old, new)
    report = parse_source(read_html(page, "v.html"), "v.html")
    # 20 and 6 both stand under 自然人: which is it? The other columns are where they are printed.
    assert cells(report, "applications", "new") == application_row(
        UNREADABLE, BLANK, BLANK, BLANK, BLANK, BLANK, 26
    )


def test_row_label_one_column_narrower_is_read_by_count():
    old = row_012("四、结转下年度继续办理")
    new = (
        '<tr><td colspan="2">四、结转下年度继续办理</td><td>3</td><td> </td><td> </td><td> </td>'
        "<td> </td><td> </td><td>3</td></tr>"
    )
    report = variant((old, new))
    # every value one grid column to the left; seven value cells for seven columns: in order
    assert cells(report, "applications", "carried_forward") == application_row(
        3, BLANK, BLANK, BLANK, BLANK, BLANK, 3
    )
    assert not report.readings
    assert_clean_elsewhere(report, "carried_forward")


def test_row_label_narrower_and_a_cell_fewer_is_unreadable():
    old = row_012("四、结转下年度继续办理")
    new = (
        '<tr><td colspan="2">四、结转下年度继续办理</td><td>3</td><td> </td><td> </td><td> </td>'
        "<td> </td><td>3</td></tr>"
    )
    report = variant((old, new))
    # six value cells for seven columns, shifted: no column can be told
    assert cells(report, "applications", "carried_forward") == application_row(*[UNREADABLE] * 7)
    reading = next(r for r in report.readings if r.row == "carried_forward")
    assert "6 个数值单元格" in reading.reason


def test_row_with_one_cell_fewer_than_its_neighbours_is_unreadable():
    old = row_012("二、上年结转")
    new = (
        '<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>4</td><td> </td><td> </td>'
        "<td> </td><td> </td><td>4</td></tr>"
    )
    report = variant((old, new))
    # 4 … 4 in six cells under seven columns: 总计 has no cell; the second 4 could be 其他 or 总计
    assert cells(report, "applications", "carried_over") == application_row(*[UNREADABLE] * 7)


def test_blank_cells_written_as_nbsp_and_br():
    old = row_012("二、上年结转")
    new = (
        '<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>0</td><td>&nbsp;</td><td><br></td>'
        "<td><p>&nbsp;</p></td><td><br/>&nbsp;</td><td>\u3000</td><td>0</td></tr>"
    )
    report = variant((old, new))
    assert cells(report, "applications", "carried_over") == application_row(
        0, BLANK, BLANK, BLANK, BLANK, BLANK, 0
    )
    assert_clean_elsewhere(report)


def test_two_numbers_in_one_cell_are_never_joined():
    old = row_012("二、上年结转")
    new = old.replace("<td>0</td>", "<td>2<br>0</td>", 1)
    report = variant((old, new))
    # "2" and "0" on two lines of one cell: neither 20 nor a guess between them
    cell = report.tables.applications["carried_over"].cells["natural_person"]
    assert cell.unreadable and cell.kind == "empty"
    assert "2 0" in next(r for r in report.readings if r.row == "carried_over").raw


def test_value_merged_over_two_rows_is_unreadable_in_the_second():
    granted, partial = row_012("（一）予以公开"), row_012("（二）部分公开")
    report = variant(
        (granted, granted.replace("<td>26</td>", '<td rowspan="2">26</td>', 1)),
        (partial, partial.replace("<td>0</td>", "", 1)),
    )
    assert cells(report, "applications", "granted") == application_row(
        26, BLANK, BLANK, BLANK, BLANK, BLANK, 26
    )
    partial = cells(report, "applications", "partial")
    assert partial["natural_person"] == UNREADABLE
    assert partial["total"] == ("number", 0)


# ------------------------------------------------------------ table two


def test_item1_value_spanning_two_columns():
    old = "<tr><td>规范性文件</td><td>8</td><td>0</td><td>18</td></tr>"
    new = '<tr><td>规范性文件</td><td colspan="2">8</td><td>18</td></tr>'
    report = variant((old, new))
    assert cells(report, "proactive", "normative_docs", "item1") == {
        "issued": UNREADABLE,
        "repealed": UNREADABLE,
        "in_force": ("number", 18),
    }
    assert cells(report, "proactive", "rules", "item1") == {
        "issued": ("number", 0),
        "repealed": ("number", 0),
        "in_force": ("number", 0),
    }


def test_item5_header_spanning_three_value_cells():
    old = '<tr><td>行政许可</td><td colspan="3">0</td></tr>'
    new = "<tr><td>行政许可</td><td>&nbsp;</td><td>5</td><td>&nbsp;</td></tr>"
    report = variant((old, new))
    assert cells(report, "proactive", "licensing", "item5") == {"decisions": ("number", 5)}
    assert not report.readings


def test_item6_two_numbers_under_one_column_is_unreadable():
    old = '<tr><td>行政处罚</td><td colspan="3">0</td></tr>'
    new = "<tr><td>行政处罚</td><td>3</td><td>4</td><td>&nbsp;</td></tr>"
    report = variant((old, new))
    assert cells(report, "proactive", "penalty", "item6") == {"decisions": UNREADABLE}
    assert cells(report, "proactive", "enforcement", "item6") == {"decisions": ("number", 0)}


def test_item8_label_spanning_into_the_value_column_read_by_count():
    old = '<tr><td>行政事业性收费</td><td colspan="3">0</td></tr>'
    new = '<tr><td colspan="2">行政事业性收费</td><td colspan="2">1.5</td></tr>'
    report = variant((old, new))
    # one value cell for one column: by count
    cell = report.tables.proactive["item8"].rows["fees"].cells["amount"]
    assert (cell.kind, str(cell.value), cell.unreadable) == ("number", "1.5", False)


# ------------------------------------------------------------ table four


def _review(report) -> list:
    out = []
    for block in ("review", "litigation_direct", "litigation_after_review"):
        row = report.tables.review_litigation[block].cells
        out += [UNREADABLE if c.unreadable else c.value for c in row.values()]
    return out


def test_table_four_leading_blank_cell_is_read_by_count():
    old = "<tr><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td>"
    new = "<tr><td>&nbsp;</td><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td>"
    report = variant((old, new))
    assert _review(report) == [0, 0, 0, 1, 1] + [0] * 10


def test_table_four_with_a_cell_missing_is_unreadable():
    old = "<tr><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td>"
    new = "<tr><td>0</td><td>0</td><td>1</td><td>1</td>"
    report = variant((old, new))
    assert _review(report) == [UNREADABLE] * 15
    assert not [s for s in report.sections if s.id is None]


# ------------------------------------------------------------ bounds


def test_span_bomb_is_refused_quickly():
    cells_html = '<td colspan="100" rowspan="100">1</td>' * 100
    page = "<html><body><table>" + f"<tr>{cells_html}</tr>" * 100 + "</table></body></html>"
    with pytest.raises(InputError) as info:
        read_html(page, "bomb.html")
    assert "超过" in info.value.reason and info.value.path == "bomb.html"


def test_tables_nested_too_deep_are_refused():
    page = "<html><body>" + "<table><tr><td>" * 1000 + "x" + "</td></tr></table>" * 1000
    with pytest.raises(InputError) as info:
        read_html(page, "deep.html")
    assert "嵌套" in info.value.reason


def test_a_table_inside_a_layout_table_keeps_its_rows():
    inner = PAGE_012[PAGE_012.index("<table") : PAGE_012.index("</table>") + 8]
    page = PAGE_012.replace(
        inner, f"<table><tr><td>左栏导航</td><td><p>正文前</p>{inner}<p>正文后</p></td></tr></table>"
    )
    report = parse_source(read_html(page, "frame.html"), "frame.html")
    assert cells(report, "proactive", "normative_docs", "item1") == {
        "issued": ("number", 8),
        "repealed": ("number", 0),
        "in_force": ("number", 18),
    }
