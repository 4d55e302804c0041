"""The PDF adapter against hand-read expectations of the three PDF reports.

Expected values live in ``golden_pdf.py`` (read from the rendered pages by a
person, not produced by the adapter).  The PDFs are looked up in
``<shared>/corpus`` (``$GXAUDIT_SHARED`` or the ``shared`` directory next to
the repository).  The comparison helpers are those of the seed golden tests.
"""

from __future__ import annotations

import functools
import re
import sys
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_pdf import GOLDEN  # noqa: E402
from test_golden_seeds import (  # noqa: E402
    TABLE_DEPTH,
    _shared_dir,
    compare_table,
)

from gxaudit.read.pdf import pdf_to_text  # noqa: E402
from gxaudit.errors import InputError  # noqa: E402
from gxaudit.parse.document import parse_text  # noqa: E402

CORPUS = _shared_dir() / "corpus"
FILES = sorted(GOLDEN)


def _bytes(name: str) -> bytes:
    path = CORPUS / name
    assert path.is_file(), f"{name}: corpus file not found at {path}"
    return path.read_bytes()


@functools.lru_cache(maxsize=None)
def _text(name: str) -> str:
    return pdf_to_text(_bytes(name), name)


@functools.lru_cache(maxsize=None)
def _document(name: str) -> dict:
    doc = parse_text(_text(name), name, input_kind="pdf").to_dict()
    assert isinstance(doc, dict)
    return doc


def _check_table(name: str, table_id: str) -> None:
    compare_table(name, table_id, GOLDEN[name][table_id], _document(name).get("tables"))


# --------------------------------------------------------------------------- the three reports

@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("field", ["title", "organ", "year", "format"])
def test_metadata(name, field):
    expected = GOLDEN[name][field]
    actual = _document(name).get(field)
    assert actual == expected and type(actual) is type(expected), (
        f"{name}: {field} expected {expected!r}, got {actual!r}")


@pytest.mark.parametrize("name", FILES)
def test_sections(name):
    sections = _document(name).get("sections") or []
    actual = [(s.get("number"), s.get("id"), s.get("heading")) for s in sections]
    assert actual == [tuple(s) for s in GOLDEN[name]["sections"]]
    lines = [s.get("line") for s in sections]
    assert lines == sorted(lines) and len(set(lines)) == len(lines), lines


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("table_id", list(TABLE_DEPTH))
def test_table(name, table_id):
    _check_table(name, table_id)


@pytest.mark.parametrize("name", FILES)
def test_no_diagnostics(name):
    """The tables come out whole: no stray, missing or extra cell anywhere."""
    assert _document(name).get("diagnostics") == []


def test_golden_data_is_well_formed():
    """Sanity checks on the hand-read data itself (no adapter involved)."""
    assert len(GOLDEN) == 3
    for name, g in GOLDEN.items():
        assert (CORPUS / name).is_file(), name
        assert list(g["proactive"]) == ["item1", "item5", "item6", "item8"], name
        rows = g["applications"]
        assert len(rows) in (23, 25), name
        assert all(len(cols) == 7 for cols in rows.values()), name
        assert sum(len(b) for b in g["review_litigation"].values()) == 15, name
        for row, cols in rows.items():          # every row's applicant columns add up
            assert sum(list(cols.values())[:6]) == cols["total"], (name, row)
        for col in rows["new"]:                 # 勾稽: 新收 + 结转 = 办结 + 结转下年
            assert rows["new"][col] + rows["carried_over"][col] == \
                rows["results_total"][col] + rows["carried_forward"][col], (name, col)
            results = sum(v[col] for r, v in rows.items()
                          if r not in ("new", "carried_over", "results_total", "carried_forward"))
            assert results == rows["results_total"][col], (name, col)
    # 010 balances as the corpus README says
    apps = GOLDEN["010_huaian_shi_2024.pdf"]["applications"]
    assert (apps["new"]["total"], apps["carried_over"]["total"],
            apps["results_total"]["total"], apps["carried_forward"]["total"]) == (3119, 34, 3050, 103)
    # 008 table four keeps the printed defects: totals 0 although 10 + 1 and 5
    review = GOLDEN["008_huaian_hongzequ_2023.pdf"]["review_litigation"]
    assert review["review"]["total"] == 0 and review["review"]["upheld"] + review["review"]["corrected"] == 11
    assert review["litigation_after_review"]["total"] == 0 and review["litigation_after_review"]["upheld"] == 5


# --------------------------------------------------------------------------- text shapes

def test_008_defects_are_kept_as_printed():
    review = _document("008_huaian_hongzequ_2023.pdf")["tables"]["review_litigation"]
    assert review["review"]["upheld"]["value"] == 10 and review["review"]["corrected"]["value"] == 1
    assert review["review"]["total"]["raw"] == "0"
    assert review["litigation_after_review"]["upheld"]["value"] == 5
    assert review["litigation_after_review"]["total"]["raw"] == "0"


@pytest.mark.parametrize("name", ["008_huaian_hongzequ_2023.pdf", "009_huaian_hongzequ_2024.pdf"])
def test_truncated_label_is_denied_law(name):
    report = parse_text(_text(name), name, input_kind="pdf")
    assert "其他法律行政止公开" in report.tables.applications["denied_law"].label


@pytest.mark.parametrize("name", FILES)
def test_vertical_label_is_one_cell(name):
    """三、本年度办理结果 is printed one character per line: it comes out joined."""
    lines = _text(name).splitlines()
    assert any(line.startswith("三、本年度办理结果\t") for line in lines)


def test_label_cut_by_page_break_is_joined():
    """010: the group label （四）无法提供 is cut by the page break after its first row."""
    text = _text("010_huaian_shi_2024.pdf")
    assert "\t（四）无法提供\t1.本机关不掌握相关政府信息\t746\t12\t0\t0\t10\t1\t769" in text
    assert "法提供" not in text.replace("无法提供", "")


@pytest.mark.parametrize("name", FILES)
def test_tables_continue_across_pages(name):
    """Each table is one block of tab rows, whatever page breaks cut it."""
    blocks = [b for b in _text(name).split("\n\n") if "\t" in b]
    assert len(blocks) == 3, [b[:40] for b in blocks]
    assert blocks[0].startswith("第二十条第（一）项")
    assert "第二十条第（八）项" in blocks[0]
    assert blocks[1].count("\n") + 1 >= 26           # 3 header rows + 23/25 rows
    assert blocks[2].startswith("行政复议")


@pytest.mark.parametrize("name", FILES)
def test_page_numbers_dropped(name):
    for line in _text(name).splitlines():
        assert not re.fullmatch(r"[-\s]*\d+[-\s]*", line), repr(line)


@pytest.mark.parametrize("name", FILES)
def test_numbers_never_split_or_merged(name):
    """Every value cell of the three tables holds exactly one printed number."""
    for block in _text(name).split("\n\n"):
        if "\t" not in block:
            continue
        for line in block.splitlines():
            for cell in line.split("\t"):
                if re.search(r"\d", cell) and not re.search(r"[\u4e00-\u9fff]", cell):
                    assert re.fullmatch(r"\d+(?:\.\d+)?", cell), (line, cell)


# --------------------------------------------------------------------------- bad input

def _pdf(*objects: bytes) -> bytes:
    """A PDF from its numbered objects (1 0 obj is the catalog), with a valid xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(content)
    return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


def _scanned_pdf() -> bytes:
    """One A4 page that only paints an image (what a scanner produces)."""
    pixels = bytes((x * 7 + y * 3) % 256 for y in range(32) for x in range(32))
    return _pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        _stream(pixels, b"/Type /XObject /Subtype /Image /Width 32 /Height 32 "
                        b"/ColorSpace /DeviceGray /BitsPerComponent 8 "),
    )


def _text_pdf(*contents: bytes) -> bytes:
    """A4 pages drawing `contents` with Helvetica as /F1."""
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(_stream(content))
    return _pdf(*objects)


def _words(words) -> bytes:
    return b"BT /F1 11 Tf " + b" ".join(b"1 0 0 1 %d %d Tm (%s) Tj" % (x, y, w) for x, y, w in words) + b" ET"


def _grid(xs, ys) -> bytes:
    lines = [b"%d %d m %d %d l S" % (xs[0], y, xs[-1], y) for y in ys]
    lines += [b"%d %d m %d %d l S" % (x, ys[0], x, ys[-1]) for x in xs]
    return b"0.8 w " + b" ".join(lines) + b" "


def test_scanned_pdf_has_no_text_layer():
    with pytest.raises(InputError) as info:
        pdf_to_text(_scanned_pdf(), "scan.pdf")
    assert info.value.path == "scan.pdf"
    assert info.value.reason == "PDF 没有文字层（扫描件？），读不出文字"


def test_blank_page_has_no_text_layer():
    blank = _pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
    with pytest.raises(InputError, match="PDF 没有文字层"):
        pdf_to_text(blank, "blank.pdf")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_truncated_pdf_is_an_input_error(keep):
    data = _bytes("008_huaian_hongzequ_2023.pdf")
    cut = data[: int(len(data) * keep)]
    with pytest.raises(InputError) as info:
        pdf_to_text(cut, "008_truncated.pdf")
    assert info.value.path == "008_truncated.pdf"
    assert "不完整或已损坏" in info.value.reason


@pytest.mark.parametrize("data, reason", [
    (b"", "文件为空"),
    (b"hello, not a pdf at all\n%%EOF\n", "不是 PDF 文件"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\nstartxref\n0\n%%EOF\n", "无法打开 PDF"),
])
def test_damaged_pdf_is_an_input_error(data, reason):
    with pytest.raises(InputError) as info:
        pdf_to_text(data, "bad.pdf")
    assert reason in info.value.reason


def test_corrupted_middle_is_an_input_error_or_text():
    """Garbage in the middle of a real report: one clear error or some text, never a traceback."""
    data = bytearray(_bytes("008_huaian_hongzequ_2023.pdf"))
    data[2000:60000] = b"\x00" * 58000
    try:
        text = pdf_to_text(bytes(data), "008_damaged.pdf")
    except InputError as exc:
        assert exc.path == "008_damaged.pdf"
    else:
        assert isinstance(text, str)


# --------------------------------------------------------------------------- geometry without rulings

def test_table_without_rulings_is_aligned_by_columns():
    """Words separated by wide gaps become cells; a missing cell stays empty."""
    rows = [(700, [(72, b"Item"), (250, b"Made"), (350, b"Repealed"), (450, b"InForce")]),
            (680, [(72, b"Rules"), (250, b"12"), (350, b"3"), (450, b"45")]),
            (660, [(72, b"Docs"), (250, b"7"), (450, b"9")])]
    content = _words([(x, y, word) for y, words in rows for x, word in words])
    prose = b" BT /F1 11 Tf 1 0 0 1 72 760 Tm (Annual report of the organ, a line of prose.) Tj ET"
    text = pdf_to_text(_text_pdf(content + prose), "loose.pdf")
    lines = text.splitlines()
    assert lines[0] == "Annual report of the organ, a line of prose."
    assert "Item\tMade\tRepealed\tInForce" in lines
    assert "Rules\t12\t3\t45" in lines
    assert "Docs\t7\t\t9" in lines


def test_ruled_table_with_spans():
    """A grid drawn with lines: a missing inner line makes a spanned cell."""
    # 3 columns x 3 rows; the first row is one cell across the three columns
    xs, ys = (72, 200, 300, 400), (700, 680, 660, 640)
    lines = [b"%d %d m %d %d l S" % (xs[0], y, xs[-1], y) for y in ys]
    lines += [b"%d %d m %d %d l S" % (x, ys[0], x, ys[-1]) for x in (xs[0], xs[-1])]
    lines += [b"%d %d m %d %d l S" % (x, ys[1], x, ys[-1]) for x in xs[1:-1]]
    words = [(76, 686, b"Heading across"), (76, 666, b"Rules"), (204, 666, b"10"), (304, 666, b"2"),
             (76, 646, b"Docs"), (204, 646, b"0"), (304, 646, b"31")]
    content = b"0.8 w " + b" ".join(lines) + b" BT /F1 11 Tf " + b" ".join(
        b"1 0 0 1 %d %d Tm (%s) Tj" % (x, y, w) for x, y, w in words) + b" ET"
    content += b" BT /F1 11 Tf 1 0 0 1 72 760 Tm (A report with one small ruled table in it.) Tj ET"
    text = pdf_to_text(_text_pdf(content), "grid.pdf")
    assert "Heading across\t\t" in text.splitlines()
    assert "Rules\t10\t2" in text.splitlines()
    assert "Docs\t0\t31" in text.splitlines()


def test_table_across_a_page_break():
    """A ruled table cut by a page break: one table; the header repeated on the
    new page is dropped, the row cut in two is joined, running header and page
    numbers are gone."""
    xs = (72, 250, 350, 450, 550)
    head = [(76, 800, b"Annual report 2024 of the organ"), (280, 30, b"- %d -")]
    page1 = _grid(xs, (200, 180, 160, 140)) + _words(
        [(x, y, w % 1 if b"%d" in w else w) for x, y, w in head]
        + [(72, 600, b"Some prose before the table, long enough to be a paragraph line.")]
        + [(76, 186, b"Item"), (254, 186, b"Made"), (354, 186, b"Repealed"),
           (76, 166, b"Rules"), (254, 166, b"12"), (354, 166, b"3"), (454, 166, b"45"),
           (76, 146, b"Docs issued by"), (254, 146, b"7"), (354, 146, b"0"), (454, 146, b"9")])
    page2 = _grid(xs, (760, 740, 720, 700)) + _words(
        [(x, y, w % 2 if b"%d" in w else w) for x, y, w in head]
        + [(76, 746, b"Item"), (254, 746, b"Made"), (354, 746, b"Repealed"),
           (76, 726, b"the office"),
           (76, 706, b"Fees"), (254, 706, b"1"), (354, 706, b"2"), (454, 706, b"3")]
        + [(72, 600, b"Prose after the table.")])
    lines = pdf_to_text(_text_pdf(page1, page2), "two_pages.pdf").splitlines()
    assert lines == [
        "Some prose before the table, long enough to be a paragraph line.",
        "",
        "Item\tMade\tRepealed\t",
        "Rules\t12\t3\t45",
        "Docs issued by the office\t7\t0\t9",
        "Fees\t1\t2\t3",
        "",
        "Prose after the table.",
    ], lines


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_page_shown_sideways_reads_the_same(rotation):
    """/Rotate shows the pages sideways or upside down: turned back, same text."""
    import io

    import pypdfium2

    data = _bytes("010_huaian_shi_2024.pdf")
    document = pypdfium2.PdfDocument(data)
    for page in document:
        page.set_rotation(rotation)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    assert pdf_to_text(buffer.getvalue(), "rotated.pdf") == _text("010_huaian_shi_2024.pdf")


def test_text_printed_twice_is_read_once():
    """Fake bold (the same glyphs drawn again slightly shifted) is one text."""
    line = b"The organ published 1136 items this year, see table two."
    content = _words([(72, 700, line)]) + b" " + _words([(72, 700, line)]).replace(
        b"1 0 0 1 72 700", b"1 0 0 1 72.4 700.3")
    assert pdf_to_text(_text_pdf(content), "bold.pdf").splitlines() == [line.decode()]


def test_page_break_never_joins_text_to_a_number():
    """A header row starting the next page is not the rest of the value row above it."""
    xs = (72, 250, 550)
    page1 = _grid(xs, (200, 180, 160)) + _words(
        [(72, 600, b"Prose before the table on the first page.")]
        + [(76, 186, b"Info"), (254, 186, b"Decisions"), (76, 166, b"Licensing"), (254, 166, b"550")])
    page2 = _grid(xs, (760, 740, 720)) + _words(
        [(76, 746, b"Info"), (254, 746, b"Made this year"), (76, 726, b"Penalty"), (254, 726, b"4119")])
    lines = pdf_to_text(_text_pdf(page1, page2), "break.pdf").splitlines()
    assert lines[2:] == ["Info\tDecisions", "Licensing\t550", "Info\tMade this year", "Penalty\t4119"], lines
