"""Every finding says where it is in the file a person opens (issue 12), checked through the CLI:
a PDF page, a Markdown line, a web page's table and row (and the <tr>'s line), a Word table and
row, a text line, a place in a page flattened to one line; and the HTML report shows the text
of the original file, digit runs that could not be split included.

What each finding is expected to point at is checked against the file itself (its lines, the
PDF page's own text, the Word document's own table), never against gxaudit's output.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import CORPUS, SEEDS
from gxaudit.cli import main

docx = pytest.importorskip("docx")
pdfium = pytest.importorskip("pypdfium2")


def audit_json(capsys, *paths) -> dict:
    main(["audit", *map(str, paths), "--format", "json", "--no-progress", "--jobs", "1"])
    return {r["path"]: r for r in json.loads(capsys.readouterr().out)["reports"]}


def finding(report: dict, rule: str, **where) -> dict:
    hits = [
        f
        for f in report["findings"]
        if f["rule"] == rule and all(f["location"].get(k) == v for k, v in where.items())
    ]
    assert len(hits) >= 1, (rule, where, [(f["rule"], f["location"]) for f in report["findings"]])
    return hits[0]


def table_output(capsys, path) -> str:
    main(["audit", str(path), "--no-progress", "--jobs", "1"])
    return capsys.readouterr().out


# ------------------------------------------------------------------ PDF: the page


def test_pdf_finding_names_its_page(capsys):
    path = CORPUS / "008_huaian_hongzequ_2023.pdf"
    report = audit_json(capsys, path)[str(path)]
    broken = finding(report, "GX-BAL-004", table="review_litigation", row="review")
    source = broken["location"]["source"]
    # table four is printed on that page (the page's own text layer says so)
    page = pdfium.PdfDocument(str(path))[source["page"] - 1]
    text = "".join(page.get_textpage().get_text_range().split())
    assert "行政复议" in text and "尚未审结" in text and "101000000005" in text
    assert 0 < source["y"] < page.get_height() and 0 <= source["x"] < page.get_width()
    assert "line" not in source  # a PDF has pages, not lines
    assert f"第{source['page']}页" in table_output(capsys, path)


# ------------------------------------------------------------------ Markdown: the file's line


def test_markdown_finding_names_the_line_of_the_file(capsys):
    path = CORPUS / "014_shanghai_kewei_2024_pdf2md.md"
    report = audit_json(capsys, path)[str(path)]
    blank = finding(report, "GX-CEL-001", row="carried_forward", column="total")
    # the row is on line 178 of the Markdown file (the rebuilt text has it on line 124)
    assert blank["location"]["source"] == {"line": 178}
    assert "四、结转下年度继续办理" in path.read_text(encoding="utf-8").splitlines()[177]
    assert "第178行" in table_output(capsys, path)


# ------------------------------------------------------------------ web page: table, row, <tr> line


def test_html_finding_names_table_row_and_source_line(capsys):
    path = CORPUS / "012_shuyang_fgj_2023.html"
    report = audit_json(capsys, path)[str(path)]
    blank = finding(report, "GX-CEL-001", row="new", column="commercial")
    source = blank["location"]["source"]
    page = path.read_text(encoding="utf-8")
    # the table-th table of the page, its row-th <tr>, written on that line of the file
    table = re.findall(r"<table.*?</table>", page, flags=re.S)[source["table"] - 1]
    row = re.findall(r"<tr>.*?</tr>", table, flags=re.S)[source["row"] - 1]
    assert "一、本年新收" in row
    assert (
        "<tr>" in page.splitlines()[source["line"] - 1]
        and "一、本年新收" in page.splitlines()[source["line"] - 1]
    )
    assert f"第{source['table']}个表格第{source['row']}行" in table_output(capsys, path)


# ------------------------------------------------------------------ Word: table and row


def test_docx_finding_names_table_and_row(capsys, tmp_path):
    from test_docx_adapter import text_to_docx

    # seed 001's table four leaves the five 行政复议 cells blank
    text = (SEEDS / "001_0843dfdf5e1a4b6d.txt").read_text(encoding="utf-8")
    path = tmp_path / "001.docx"
    path.write_bytes(text_to_docx(text, merge=True))
    report = audit_json(capsys, path)[str(path)]
    blank = finding(report, "GX-CEL-001", row="review", column="upheld")
    source = blank["location"]["source"]
    table = docx.Document(str(path)).tables[source["table"] - 1]
    assert table.rows[0].cells[0].text == "行政复议"
    cells = [c.text for c in table.rows[source["row"] - 1].cells]
    assert cells[:5] == [""] * 5 and cells[5:15] == ["0"] * 10
    assert f"第{source['table']}个表格第{source['row']}行" in table_output(capsys, path)


def test_docx_paragraph_finding_names_the_paragraph(capsys, tmp_path):
    from test_docx_adapter import text_to_docx

    text = (SEEDS / "003_51b21fc9b3159953.txt").read_text(encoding="utf-8")
    path = tmp_path / "003.docx"
    path.write_bytes(text_to_docx(text))
    report = audit_json(capsys, path)[str(path)]
    heading = finding(report, "GX-STR-005")  # part five titled with a variant wording
    number = heading["location"]["source"]["paragraph"]
    paragraph = docx.Document(str(path)).paragraphs[number - 1].text
    assert paragraph.startswith("五、") and "存在问题" in paragraph


# ------------------------------------------------------------------ text and flattened text


def test_text_finding_names_its_own_line(capsys):
    path = SEEDS / "003_51b21fc9b3159953.txt"
    report = audit_json(capsys, path)[str(path)]
    word = finding(report, "GX-CEL-002", row="licensing")
    line = word["location"]["source"]["line"]
    assert word["location"]["line"] == line
    assert "增" in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_flattened_finding_names_where_its_row_starts_on_the_one_line(capsys):
    path = CORPUS / "103_pingtan_zrz_2023.txt"
    report = audit_json(capsys, path)[str(path)]
    line = path.read_text(encoding="utf-8").splitlines()[0]  # the whole page on one line
    # 部分公开 printed "8100008": read as 8,1,0,0,0,0,8, and its sum is the report's defect
    broken = finding(report, "GX-BAL-001", row="partial")
    source = broken["location"]["source"]
    assert source["line"] == 1 and "部分公开" in line[source["column"] - 1 : source["column"] + 10]
    assert "8100008" in line[source["column"] - 1 : source["column"] + 60]
    # 行政规范性文件 printed "2135" for three cells: not split, and said where
    unread = finding(report, "GX-CEL-008", row="normative_docs")
    source = unread["location"]["source"]
    assert line[source["column"] - 1 :].startswith("行政规范性文件2135")
    assert f"第1行第{source['column']}字" in table_output(capsys, path)


# ------------------------------------------------------------------ the HTML report's drill-down


def html_report(capsys, tmp_path, *paths) -> str:
    out = tmp_path / "report.html"
    main(
        ["audit", *map(str, paths), "--format", "html", "--output", str(out), "--no-progress", "--jobs", "1"]
    )
    capsys.readouterr()
    return out.read_text(encoding="utf-8")


def test_drill_down_shows_the_original_markdown_line(capsys, tmp_path):
    page = html_report(capsys, tmp_path, CORPUS / "014_shanghai_kewei_2024_pdf2md.md")
    hit = re.search(
        r'<tr class="hit" data-line="\d+"><td class="ln">178</td><td class="tx"><mark>(.*?)</mark>', page
    )
    assert hit, "line 178 of the file is the highlighted line"
    assert "| 四、结转下年度继续办理 | 1 |" in hit.group(1)  # the Markdown as written, pipes and all


def test_drill_down_shows_the_digit_run_that_could_not_be_split(capsys, tmp_path):
    page = html_report(capsys, tmp_path, CORPUS / "103_pingtan_zrz_2023.txt")
    marks = re.findall(
        r'<tr class="hit"[^>]*><td class="ln">[^<]*</td><td class="tx"><mark>(.*?)</mark>', page
    )
    assert any("行政规范性文件2135" in m for m in marks)  # the run as printed, not the empty cells read


def test_drill_down_labels_pdf_lines_with_their_page(capsys, tmp_path):
    page = html_report(capsys, tmp_path, CORPUS / "008_huaian_hongzequ_2023.pdf")
    assert re.search(r'<tr class="hit"[^>]*><td class="ln">第4页</td>', page)


# ------------------------------------------------------------------ messages quote cells where they stand

QUOTED = re.compile(r"([^、（]+?)/([^=/]+)=([^（]+)（(第[^）]+)）")


def test_a_message_quoting_flattened_cells_says_where_each_stands_on_the_one_line(capsys):
    """A message quoted the parser's own line numbers ("总计/自然人=1（行49）") for a file of
    one line: each quoted cell must say where its row stands in the file."""
    for name, rule in (
        ("102_pingtan_gaj_2021.txt", "GX-BAL-003"),
        ("103_pingtan_zrz_2023.txt", "GX-BAL-001"),
    ):
        path = CORPUS / name
        line = path.read_text(encoding="utf-8").splitlines()[0]
        report = audit_json(capsys, path)[str(path)]
        checked = 0
        for f in (f for f in report["findings"] if f["rule"] == rule):
            assert "（行" not in f["message"]
            for row_label, _column, value, place in QUOTED.findall(f["message"]):
                column = int(re.fullmatch(r"第1行第(\d+)字", place).group(1))
                there = line[column - 1 : column - 1 + len(row_label) + 12]
                assert row_label[:6] in there, (place, row_label, there)
                assert value in line[column - 1 : column - 1 + len(row_label) + 40]
                checked += 1
        assert checked >= 4, name


def test_a_message_quoting_pdf_cells_names_their_page(capsys):
    path = CORPUS / "008_huaian_hongzequ_2023.pdf"
    report = audit_json(capsys, path)[str(path)]
    broken = finding(report, "GX-BAL-004", table="review_litigation", row="review")
    places = {place for *_cell, place in QUOTED.findall(broken["message"])}
    assert places == {f"第{broken['location']['source']['page']}页"}


def test_a_message_quoting_text_cells_names_the_files_line(capsys, tmp_path):
    """A text report (a variant of seed 000, not in the samples) whose 勾稽 fails: each cell
    quoted names the line of the file it is on."""
    text = (SEEDS / "000_f29079d135fdfab1.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, t in enumerate(lines) if "本年新收" in t and "\t" in t)
    cells = lines[at].split("\t")
    last = max(i for i, c in enumerate(cells) if c.strip().isdigit())
    cells[last] = str(int(cells[last]) + 5)  # the total of 本年新收 no longer balances
    lines[at] = "\t".join(cells)
    path = tmp_path / "variant.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = audit_json(capsys, path)[str(path)]
    quoted = [
        q for f in report["findings"] if f["rule"].startswith("GX-BAL") for q in QUOTED.findall(f["message"])
    ]
    assert quoted
    for row_label, _column, value, place in quoted:
        number = int(re.fullmatch(r"第(\d+)行", place).group(1))
        assert row_label[:4] in lines[number - 1] and value in lines[number - 1].split("\t"), place


# ------------------------------------------------------------------ table four read as one run


def _table_four_reading(finding: dict) -> bool:
    return finding["rule"] == "GX-CEL-007" and finding["location"]["table"] == "review_litigation"


def test_table_four_read_as_one_run_shows_each_rows_reading(capsys, tmp_path):
    """ "全部各行 … 读作 0 0 0 0 0" showed the first row for all three: 103 has 1 0 0 0 1 in its
    second row. A variant with every row different, not in the corpus, reads each back."""
    path = CORPUS / "103_pingtan_zrz_2023.txt"
    report = audit_json(capsys, path)[str(path)]
    whole = next(f for f in report["findings"] if _table_four_reading(f))
    assert (
        "行政复议 0 0 0 0 0；行政诉讼 未经复议直接起诉 1 0 0 0 1；行政诉讼 复议后起诉 0 0 0 0 0"
        in whole["message"]
    )
    # the finding speaks of the table's rows, not of one row ("“全部各行”一行" before)
    assert whole["message"].startswith("表四（行政复议、行政诉讼）各行的数字连在一起")
    text = path.read_text(encoding="utf-8")
    assert text.count("00 0 0 01 0 0 0 1 0 0 0 00") == 1
    variant = tmp_path / "variant.txt"
    variant.write_text(
        text.replace("00 0 0 01 0 0 0 1 0 0 0 00", "10 0 0 11 1 0 0 2 2 0 0 02"), encoding="utf-8"
    )
    report = audit_json(capsys, variant)[str(variant)]
    whole = next(f for f in report["findings"] if _table_four_reading(f))
    assert (
        "行政复议 1 0 0 0 1；行政诉讼 未经复议直接起诉 1 1 0 0 2；行政诉讼 复议后起诉 2 0 0 0 2"
        in whole["message"]
    )
    assert (
        whole["actual"]
        == "行政复议 1 0 0 0 1；行政诉讼 未经复议直接起诉 1 1 0 0 2；行政诉讼 复议后起诉 2 0 0 0 2"
    )


# ------------------------------------------------------------------ a quoted sentence on a one-line page


def test_a_statement_on_a_flattened_page_is_located_at_the_sentence_not_its_paragraph(capsys):
    path = CORPUS / "201_pingtan_junshan_2020.txt"
    line = path.read_text(encoding="utf-8").splitlines()[0]
    report = audit_json(capsys, path)[str(path)]
    said = finding(report, "GX-NAR-001")
    column = said["location"]["source"]["column"]
    assert line[column - 1 :].startswith("接到依申请公开2件")  # the paragraph starts 540 characters before


def test_a_year_mention_on_a_flattened_page_is_located_at_its_words(capsys, tmp_path):
    """A variant of 102 (not in the corpus): its overview names a later year mid-paragraph."""
    text = (CORPUS / "102_pingtan_gaj_2021.txt").read_text(encoding="utf-8")
    assert text.count("规范化水平。2021年，我局收到") == 1
    path = tmp_path / "variant.txt"
    path.write_text(
        text.replace("规范化水平。2021年，我局收到", "规范化水平。2023年，我局收到"), encoding="utf-8"
    )
    report = audit_json(capsys, path)[str(path)]
    year = next(f for f in report["findings"] if f["rule"] == "GX-YEAR-002" and "2023" in f["message"])
    column = year["location"]["source"]["column"]
    assert "2023年，我局收到" in path.read_text(encoding="utf-8")[column - 1 : column + 30]
    assert f"第1行第{column}字" in table_output(capsys, path)


def test_a_message_quoting_web_page_cells_names_their_table_and_row(capsys, tmp_path):
    """A variant of 012 (not in the corpus): 本年新收's total printed 27 for 26 natural persons.
    The cells the balance message quotes name the page's table and row, and that row of
    that table holds the label and the figure."""
    import html.parser

    text = (CORPUS / "012_shuyang_fgj_2023.html").read_text(encoding="utf-8")
    row = "一、本年新收政府信息公开申请数量</td><td>26</td>"
    assert text.count(row) == 1
    start = text.index(row)
    end = text.index("</tr>", start)
    changed = text[start:end].rsplit("<td>26</td>", 1)
    variant_text = text[:start] + "<td>27</td>".join(changed) + text[end:]
    path = tmp_path / "variant.html"
    path.write_text(variant_text, encoding="utf-8")
    report = audit_json(capsys, path)[str(path)]

    class Rows(html.parser.HTMLParser):
        """The text of each row of each table, in order (tables counted from 1)."""

        def __init__(self):
            super().__init__()
            self.tables: list[list[str]] = []

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
            elif tag == "tr":
                self.tables[-1].append("")

        def handle_data(self, data):
            if self.tables and self.tables[-1]:
                self.tables[-1][-1] += data.strip()

    rows = Rows()
    rows.feed(variant_text)
    quoted = [
        q for f in report["findings"] if f["rule"] == "GX-BAL-003" for q in QUOTED.findall(f["message"])
    ]
    assert len(quoted) == 4  # 本年新收 + 上年结转 against 总计 + 结转下年度, column 总计
    for row_label, _column, value, place in quoted:
        table, number = map(int, re.fullmatch(r"第(\d+)个表格第(\d+)行", place).groups())
        there = rows.tables[table - 1][number - 1]
        assert row_label[:6] in there and value in there, (place, row_label, there)
    # the text-versus-table finding quotes the changed cell the same way
    said = finding(report, "GX-NAR-001")
    table, number = map(int, re.search(r"”27（第(\d+)个表格第(\d+)行）", said["message"]).groups())
    assert "本年新收" in rows.tables[table - 1][number - 1] and "27" in rows.tables[table - 1][number - 1]
