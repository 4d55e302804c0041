""".docx adapter: the seed reports as Word documents parse as their text does.

Each seed text is turned into a .docx here, with python-docx: a paragraph
per prose line and a real Word table per block of consecutive
tab-separated lines (one row per line, one cell per tab-separated field).
Optionally, the spans the text shows are merged (a label followed by empty
cells, a first-column label over the sub-rows below it), which must not
change what the adapter renders: a merged cell's text appears once and the
positions it covers are empty cells.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest

docx = pytest.importorskip("docx")

from conftest import SEEDS  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from gxaudit.read.docx import (  # noqa: E402
    MAX_ENTRIES, check_container, docx_to_text, looks_like_docx)
from gxaudit.errors import InputError  # noqa: E402
from gxaudit.formats.text import split_lines  # noqa: E402
from gxaudit.parse.document import parse_text  # noqa: E402

SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))
COMPARED = ("title", "organ", "year", "format", "sections", "tables")


# --------------------------------------------------------------- building .docx

def _merge_spans(table, block: list[list[str]], width: int) -> None:
    """Merge what the text shows as spans; rendering must not change."""
    vertical_starts = set()
    # a first-column label over sub-rows whose first cell is empty
    r = 0
    while r < len(block):
        row = block[r]
        if row[0].strip() and len(row) > 1 and row[1].strip():
            end = r
            while (end + 1 < len(block) and not block[end + 1][0].strip()
                   and len(block[end + 1]) > 1 and block[end + 1][1].strip()):
                end += 1
            if end > r:
                table.cell(r, 0).merge(table.cell(end, 0))
                vertical_starts.update(range(r, end + 1))
            r = end + 1
        else:
            r += 1
    # a label followed by empty cells up to the next filled cell or the row end
    for r, row in enumerate(block):
        cells = row + [""] * (width - len(row))
        c = 0
        while c < width:
            if cells[c].strip() and not (c == 0 and r in vertical_starts):
                end = c
                while end + 1 < width and not cells[end + 1].strip():
                    end += 1
                if end > c and not any(ch.isdigit() for ch in cells[c]):
                    table.cell(r, c).merge(table.cell(r, end))
                c = end + 1
            else:
                c += 1


def text_to_docx(text: str, merge: bool = False) -> bytes:
    document = docx.Document()
    lines = split_lines(text)
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            document.add_paragraph(lines[i])
            i += 1
            continue
        block = []
        while i < len(lines) and "\t" in lines[i]:
            block.append(lines[i].split("\t"))
            i += 1
        width = max(len(row) for row in block)
        table = document.add_table(rows=len(block), cols=width)
        for row, table_row in zip(block, table.rows):
            cells = table_row.cells          # once per row: table.cell() walks the whole grid
            for c, value in enumerate(row):
                if value:
                    cells[c].text = value
        if merge:
            _merge_spans(table, block, width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _without_positions(value):
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if k not in ("line", "column")}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    return value


def _compared(report) -> dict:
    doc = _without_positions(report.to_dict())
    return {key: doc[key] for key in COMPARED}


# ------------------------------------------------------------------- the seeds

@pytest.mark.parametrize("merge", [False, True], ids=["plain", "merged"])
@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_as_docx_parses_like_text(name, merge):
    text = (SEEDS / name).read_text(encoding="utf-8")
    data = text_to_docx(text, merge=merge)
    assert looks_like_docx(data)
    converted = docx_to_text(data, name + ".docx")
    expected = _compared(parse_text(text, name))
    actual = _compared(parse_text(converted, name + ".docx"))
    for key in COMPARED:
        assert actual[key] == expected[key], f"{name} ({'merged' if merge else 'plain'}): {key} differs"


def _word_export_to_docx(text: str) -> bytes:
    """Seed 003 as the Word document it was exported from: in the export each
    cell is a line after a tab (a cell's second paragraph follows without a
    tab), a blank line ends a row and two blank lines end the table."""
    document = docx.Document()
    lines = split_lines(text)
    i = 0
    while i < len(lines):
        if not lines[i].startswith("\t"):
            document.add_paragraph(lines[i])
            i += 1
            continue
        rows: list[list[list[str]]] = []
        row: list[list[str]] = []
        while i < len(lines):
            line = lines[i]
            if line.startswith("\t"):
                row.append([line[1:]])
            elif not line.strip():
                if row:
                    rows.append(row)
                    row = []
                if i + 1 < len(lines) and not lines[i + 1].strip() and "\t" not in lines[i + 1]:
                    i += 1
                    break
            elif len(line.strip()) <= 8 and row:
                row[-1].append(line.strip())         # "商业" / "企业": one cell, two paragraphs
            else:
                break
            i += 1
        if row:
            rows.append(row)
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for cells, table_row in zip(rows, table.rows):
            targets = table_row.cells
            for c, paragraphs in enumerate(cells):
                targets[c].text = paragraphs[0]
                for paragraph in paragraphs[1:]:
                    targets[c].add_paragraph(paragraph)
        document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_tables_of_a_one_cell_per_line_export():
    """003 came from Word as one cell per line; as real Word tables (one row per
    table row, cells of two paragraphs) it parses to the same report."""
    name = "003_51b21fc9b3159953.txt"
    text = (SEEDS / name).read_text(encoding="utf-8")
    converted = docx_to_text(_word_export_to_docx(text), name + ".docx")
    assert "信息内容\t本年度制作数量\t本年新公开数量\t对外公开总数量" in split_lines(converted)
    assert _compared(parse_text(converted, name + ".docx")) == _compared(parse_text(text, name))


def test_seed_count():
    assert len(SEED_FILES) == 5


@pytest.mark.parametrize("merge", [False, True], ids=["plain", "merged"])
def test_table_rows_render_as_tab_rows(merge):
    """Every tab row of seed 000 comes back with its cells as written (spaces inside an
    all-Chinese cell are dropped, as the HTML adapter does). Data rows are written as
    their label and one cell per header column (read/columns.py), so the padding of
    spanned positions is not compared: runs of tabs are."""
    text = (SEEDS / "000_f29079d135fdfab1.txt").read_text(encoding="utf-8")
    converted = split_lines(docx_to_text(text_to_docx(text, merge=merge), "000.docx"))
    rows = [line for line in split_lines(text) if "\t" in line]
    out_rows = [line for line in converted if "\t" in line]
    assert len(out_rows) == len(rows)
    for source, rendered in zip(rows, out_rows):
        def cells(line):
            return re.sub("\t+", "\t", line.strip("\t").replace(" ", ""))
        assert cells(rendered) == cells(source)


# -------------------------------------------------------------- document order

def test_paragraphs_and_tables_in_document_order():
    document = docx.Document()
    document.add_paragraph("一、总体情况")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "规章"
    table.cell(0, 1).text = "0"
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "行政许可"
    table.cell(0, 1).text = "5"
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [l for l in split_lines(docx_to_text(buffer.getvalue(), "order.docx")) if l]
    assert lines == ["一、总体情况", "规章\t0", "二、主动公开政府信息情况", "行政许可\t5"]


def test_merged_cells_appear_once():
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).text = "行政复议"
    table.cell(0, 0).merge(table.cell(0, 2))          # gridSpan 3
    table.cell(0, 3).text = "行政诉讼"
    table.cell(1, 0).text = "三、本年度办理结果"
    table.cell(1, 0).merge(table.cell(2, 0))          # vMerge over two rows
    for r in (1, 2):
        for c in (1, 2, 3):
            table.cell(r, c).text = str(r * 10 + c)
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [l for l in split_lines(docx_to_text(buffer.getvalue(), "merged.docx")) if l]
    assert lines == ["行政复议\t\t\t行政诉讼",
                     "三、本年度办理结果\t11\t12\t13",
                     "\t21\t22\t23"]


def test_table_inside_a_layout_table_keeps_its_rows():
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.text = "三、收到和处理政府信息公开申请情况"
    inner = cell.add_table(rows=2, cols=3)
    for c, value in enumerate(["一、本年新收政府信息公开申请数量", "1", "1"]):
        inner.cell(0, c).text = value
    for c, value in enumerate(["二、上年结转政府信息公开申请数量", "0", "0"]):
        inner.cell(1, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [l for l in split_lines(docx_to_text(buffer.getvalue(), "nested.docx")) if l]
    assert lines == ["三、收到和处理政府信息公开申请情况",
                     "一、本年新收政府信息公开申请数量\t1\t1",
                     "二、上年结转政府信息公开申请数量\t0\t0"]


def test_cell_paragraphs_are_joined():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "本年新"
    table.cell(0, 0).add_paragraph("制作数量")
    table.cell(0, 1).text = "24575.93"
    table.cell(0, 1).add_paragraph("万元")
    table.cell(0, 2).text = "a\tb"
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [l for l in split_lines(docx_to_text(buffer.getvalue(), "cells.docx")) if l]
    assert lines == ["本年新制作数量\t24575.93 万元\ta b"]


_NUMBERING = (
    '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'w:abstractNumId="90">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="（%2）"/></w:lvl>'
    '</w:abstractNum>')


def test_automatic_numbering_is_rendered():
    """Word-generated "一、" in front of a heading is text the grammar needs."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    abstract = parse_xml(_NUMBERING)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(
        '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
        '<w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        p = document.add_paragraph(text)
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("总体情况", 0)
    numbered("主动公开情况", 1)
    numbered("依申请公开情况", 1)
    numbered("主动公开政府信息情况", 0)
    numbered("规章", 1)
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [l for l in split_lines(docx_to_text(buffer.getvalue(), "numbered.docx")) if l]
    assert lines == ["一、总体情况", "（一）主动公开情况", "（二）依申请公开情况",
                     "二、主动公开政府信息情况", "（一）规章"]


def test_tabs_used_as_layout_in_paragraphs():
    document = docx.Document()
    document.add_paragraph("一、\t总体情况")
    document.add_paragraph("\t二、主动公开政府信息情况\t")
    document.add_paragraph("规章\t0\t0\t0")
    document.add_paragraph("\t\t0\t0")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [l for l in split_lines(docx_to_text(buffer.getvalue(), "tabs.docx")) if l]
    assert lines == ["一、总体情况", "二、主动公开政府信息情况", "规章\t0\t0\t0", "\t\t0\t0"]


# ------------------------------------------------------------------ bad input

def _sample_docx() -> bytes:
    text = (SEEDS / "000_f29079d135fdfab1.txt").read_text(encoding="utf-8")
    return text_to_docx(text)


def _assert_input_error(data: bytes, *words: str) -> InputError:
    with pytest.raises(InputError) as caught:
        docx_to_text(data, "bad.docx")
    error = caught.value
    assert error.path == "bad.docx"
    assert "\n" not in str(error) and "Traceback" not in str(error)
    for word in words:
        assert word in error.reason, error.reason
    return error


def _patch_central_sizes(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a member declares, in both of its headers."""
    buf = bytearray(data)
    name = member.encode()
    start = 0
    while True:
        central = buf.find(b"PK\x01\x02", start)
        if central < 0:
            break
        name_len = struct.unpack_from("<H", buf, central + 28)[0]
        if bytes(buf[central + 46:central + 46 + name_len]) == name:
            struct.pack_into("<I", buf, central + 24, size)
            local = struct.unpack_from("<I", buf, central + 42)[0]
            struct.pack_into("<I", buf, local + 22, size)
        start = central + 4
    return bytes(buf)


@pytest.fixture
def members_opened(monkeypatch) -> list[str]:
    """The zip members opened for reading while the test runs: a bomb must be refused from
    its headers, before any member is inflated (a time limit would say the same, on a quiet
    machine only)."""
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spying_open(self, name, *args, **kwargs):
        opened.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spying_open)
    return opened


def test_declared_huge_member_is_refused_before_inflating(members_opened):
    data = _patch_central_sizes(_sample_docx(), "word/document.xml", 0xFFFF0000)
    members_opened.clear()  # making the sample opened its members
    _assert_input_error(data, "压缩炸弹")
    assert members_opened == []


def test_highly_compressible_300mb_member_is_refused(tmp_path, members_opened):
    path = tmp_path / "bomb.docx"
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(chunk)
    data = path.read_bytes()
    assert len(data) < 2 * 1024 * 1024
    members_opened.clear()  # writing the bomb opened it
    _assert_input_error(data, "压缩炸弹")
    assert members_opened == []


def test_member_larger_than_declared_is_refused():
    """A member that inflates beyond its declared size is cut there and fails its CRC."""
    original = _sample_docx()
    data = _patch_central_sizes(original, "word/document.xml", 100)
    _assert_input_error(data, "无法读取 .docx")


def test_too_many_entries_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(MAX_ENTRIES + 1):
            archive.writestr(f"x/{i}", b"")
    _assert_input_error(buffer.getvalue(), "个条目")


def test_random_zip_is_not_a_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("hello.txt", "你好" * 1000)
        archive.writestr("data/numbers.csv", "1,2,3\n")
    data = buffer.getvalue()
    assert not looks_like_docx(data)
    _assert_input_error(data, "word/document.xml")


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.999])
def test_truncated_docx(fraction):
    data = _sample_docx()
    _assert_input_error(data[: int(len(data) * fraction)])


def test_not_a_zip_at_all():
    _assert_input_error("半坡镇人民政府2020年政府信息公开工作年度报告".encode(), "不是 .docx 文件")
    _assert_input_error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "不是 .docx 文件")   # old .doc


def test_damaged_document_xml():
    original = _sample_docx()
    source = zipfile.ZipFile(io.BytesIO(original))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = content[: len(content) // 2]
            target.writestr(info, content)
    _assert_input_error(buffer.getvalue(), "无法读取 .docx")


def test_container_check_accepts_a_real_docx():
    archive = check_container(_sample_docx(), "ok.docx")
    assert "word/document.xml" in archive.namelist()


def _with_hidden_runs(data: bytes) -> bytes:
    """The document with a hidden run (<w:vanish/>) after the text of every table cell and
    paragraph that has text: what Word keeps but does not show (a figure typed over, a note)."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for paragraph in paragraphs:
        if paragraph.text.strip():
            run = paragraph.add_run("99")
            run.font.hidden = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name", SEED_FILES)
def test_hidden_text_is_not_read(name):
    # "28" shown and "99" hidden in a cell was read 2899: false imbalances (helper-25)
    text = (SEEDS / name).read_text(encoding="utf-8")
    converted = docx_to_text(_with_hidden_runs(text_to_docx(text)), name + ".docx")
    expected = _compared(parse_text(text, name))
    actual = _compared(parse_text(converted, name + ".docx"))
    for key in COMPARED:
        assert actual[key] == expected[key], f"{name}: {key} differs"
