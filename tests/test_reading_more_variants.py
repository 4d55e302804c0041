"""More shapes than tests/data/variants holds (issue 8, parts 2 and 3): each a seed written as
Markdown or Word, damaged one way, with the cells a person reads written out by hand.

* Markdown: a value moved out of a row with two blank cells (its column is not known: both
  unreadable, never a guess); with one blank cell (put back); an HTML table inside Markdown
  whose value cell spans two columns; a header row repeated with different words (kept: only an
  identical repeat is evidence); a row label cut over two rows whose tail is itself a label
  (not joined).
* Word: a value cell merged over two header columns (gridSpan), a value merged down over two
  rows (vMerge): unreadable there, read everywhere else.
"""

from __future__ import annotations

import io

import pytest

from conftest import SEEDS
from gxaudit.parse.document import parse_source
from gxaudit.read.docx import read_docx
from gxaudit.read.markdown import read_markdown

docx = pytest.importorskip("docx")

SEED_002 = (SEEDS / "002_44a23edc808f0eac.txt").read_text(encoding="utf-8")
UNREADABLE = "unreadable"


def _markdown(text: str) -> str:
    from test_markdown_adapter import seed_to_markdown

    return seed_to_markdown(text)


def _cells(report, table: str, *keys: str) -> dict:
    if table == "proactive":
        block, row = keys
        cells = report.tables.proactive[block].rows[row].cells
    elif table == "applications":
        cells = report.tables.applications[keys[0]].cells
    else:
        cells = report.tables.review_litigation[keys[0]].cells
    return {c: UNREADABLE if cell.unreadable else cell.value for c, cell in cells.items()}


def parse_md(md: str):
    return parse_source(read_markdown(md, "v.md"), "v.md")


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# ------------------------------------------------------------------ Markdown


def test_loose_value_under_a_row_with_one_blank_is_put_back():
    md = replace_once(
        _markdown(SEED_002),
        "| 行政规范性文件 | 455 | 0 | 455 |",
        "| 行政规范性文件 |  | 0 | 455 |\n455（其中修订 3 件）",
    )
    report = parse_md(md)
    assert _cells(report, "proactive", "item1", "normative_docs") == {
        "issued": 455,
        "repealed": 0,
        "in_force": 455,
    }


def test_loose_value_under_a_row_with_two_blanks_leaves_both_unreadable():
    md = replace_once(
        _markdown(SEED_002),
        "| 行政规范性文件 | 455 | 0 | 455 |",
        "| 行政规范性文件 |  |  | 455 |\n455（其中修订 3 件）",
    )
    report = parse_md(md)
    # 455 is printed for 本年制发件数 or 本年废止件数: the file does not say which
    assert _cells(report, "proactive", "item1", "normative_docs") == {
        "issued": UNREADABLE,
        "repealed": UNREADABLE,
        "in_force": 455,
    }
    assert any(r.row == "normative_docs" for r in report.readings)
    # the rest of table two is untouched
    assert _cells(report, "proactive", "item1", "rules") == {"issued": 0, "repealed": 0, "in_force": 0}


def test_header_repeated_with_other_words_is_not_taken_for_a_repeat():
    md = _markdown(SEED_002)
    lines = md.split("\n")
    start = next(i for i, line in enumerate(lines) if "5.属于三类内部事务信息" in line)
    # the header printed again after a page break, its columns renamed: not identical, so kept
    # (the parser reads it as a header or rows; it never shifts the numbers of the data rows)
    header = [line for line in lines if "商业企业" in line][0].replace("商业企业", "数据2")
    lines.insert(start + 1, header)
    report = parse_md("\n".join(lines))
    assert _cells(report, "applications", "denied_process")["natural_person"] in (0, UNREADABLE)
    assert _cells(report, "applications", "new")["total"] == 0


def test_a_label_tail_that_is_a_label_itself_is_not_joined():
    md = _markdown(SEED_002)
    report = parse_md(md)
    # 2.重复申请 follows 1.信访举报投诉类申请: two rows, never one label
    assert {"rejected_petition", "rejected_repeat"} <= set(report.tables.applications)


def test_html_table_inside_markdown_is_placed_by_its_columns():
    md = "\n".join(
        [
            "# 某局2023年政府信息公开工作年度报告",
            "## 二、主动公开政府信息情况",
            "<table>",
            '<tr><td colspan="4">第二十条第（一）项</td></tr>',
            "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>",
            "<tr><td>规章</td><td>1</td><td>0</td><td>2</td></tr>",
            '<tr><td>行政规范性文件</td><td colspan="2">3</td><td>9</td></tr>',
            "</table>",
        ]
    )
    source = read_markdown(md, "v.md")
    report = parse_source(source, "v.md")
    assert _cells(report, "proactive", "item1", "rules") == {"issued": 1, "repealed": 0, "in_force": 2}
    assert _cells(report, "proactive", "item1", "normative_docs") == {
        "issued": UNREADABLE,
        "repealed": UNREADABLE,
        "in_force": 9,
    }
    # the row keeps the line of its <tr> in the Markdown file, and its table and row
    row_line = report.tables.proactive["item1"].rows["normative_docs"].line
    assert report.origin(row_line) == {"line": 7, "table": 1, "row": 4}


# ------------------------------------------------------------------ Word


def _seed_docx(merge) -> bytes:
    """Seed 002 as Word, with `merge(document)` applied to its tables."""
    from test_docx_adapter import text_to_docx

    document = docx.Document(io.BytesIO(text_to_docx(SEED_002)))
    merge(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table_with(document, label: str):
    for table in document.tables:
        for r, row in enumerate(table.rows):
            texts = [c.text for c in row.cells]
            if label in texts:
                return table, r, texts.index(label)
    raise AssertionError(label)


def test_word_value_merged_over_two_columns_is_unreadable_there():
    def merge(document):
        table, r, c = _table_with(document, "规章")
        table.cell(r, c + 2).text = ""
        table.cell(r, c + 1).merge(table.cell(r, c + 2))  # 本年制发件数 and 本年废止件数 as one cell

    report = parse_source(read_docx(_seed_docx(merge), "v.docx"), "v.docx")
    assert _cells(report, "proactive", "item1", "rules") == {
        "issued": UNREADABLE,
        "repealed": UNREADABLE,
        "in_force": 0,
    }
    assert _cells(report, "proactive", "item1", "normative_docs") == {
        "issued": 455,
        "repealed": 0,
        "in_force": 455,
    }


def test_word_value_merged_down_two_rows_is_unreadable_in_the_second():
    def merge(document):
        table, r, c = _table_with(document, "一、本年新收政府信息公开申请数量")
        first = next(k for k in range(c + 1, len(table.rows[r].cells)) if table.cell(r, k).text)
        table.cell(r + 1, first).text = ""
        table.cell(r, first).merge(table.cell(r + 1, first))  # 自然人 of 新收 over 结转

    report = parse_source(read_docx(_seed_docx(merge), "v.docx"), "v.docx")
    new, carried = _cells(report, "applications", "new"), _cells(report, "applications", "carried_over")
    assert new["natural_person"] == 0 and new["total"] == 0  # seed 002 received no application
    assert carried["natural_person"] == UNREADABLE and carried["total"] == 0
