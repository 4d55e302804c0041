"""A web page saved as one file (Word's "单个文件网页" .mht, a browser's .mhtml): read as the
web page it holds. Before, it was set aside as "不是年度报告，未审查" (its MIME text has no
report in it, only quoted-printable bytes).

Variants made here from generated web pages: the page in a MIME message, quoted-printable
in UTF-8 (Word's way), base64 in GB18030, and after a browser's headers; each reads the
same tables and findings as the page itself. A message with no page in it is a clear
error naming the file; a text report whose first line happens to be "MIME…" is a text.
"""

from __future__ import annotations

import base64
import quopri
import subprocess
import sys

import pytest
from conftest import audit_to_json, findings_by_place, generated_reports

from gxaudit.parse.document import parse_file
from gxaudit.read.mhtml import looks_like_mhtml


def _mhtml(html: str, how: str) -> bytes:
    if how == "quoted-printable":
        charset, body = "utf-8", quopri.encodestring(html.encode("utf-8")).decode("ascii")
    else:
        charset, body = "gb18030", base64.encodebytes(html.encode("gb18030")).decode("ascii")
    head = "From: <Saved by Blink>\nSubject: report\n" if how == "browser" else ""
    encoding = "quoted-printable" if how == "quoted-printable" else "base64"
    return (
        f"{head}MIME-Version: 1.0\n"
        'Content-Type: multipart/related; boundary="----=_NextPart_01D8"\n\n'
        "This document is a Single File Web Page, also known as a Web Archive file.\n\n"
        "------=_NextPart_01D8\n"
        "Content-Location: file:///C:/report.htm\n"
        f"Content-Transfer-Encoding: {encoding}\n"
        f'Content-Type: text/html; charset="{charset}"\n\n'
        f"{body}\n"
        "------=_NextPart_01D8\n"
        "Content-Location: file:///C:/report.files/image001.png\n"
        "Content-Transfer-Encoding: base64\n"
        "Content-Type: image/png\n\n"
        "iVBORw0KGgo=\n"
        "------=_NextPart_01D8--\n"
    ).encode("ascii")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = generated_reports(tmp_path_factory.mktemp("made"), 9, 404, "html")
    out = tmp_path_factory.mktemp("mht")
    pairs = []
    for k, page in enumerate(sorted(folder.glob("*.html"))):
        how = ("quoted-printable", "base64", "browser")[k % 3]
        target = out / f"{page.stem}.mht"
        target.write_bytes(_mhtml(page.read_text(encoding="utf-8"), how))
        pairs.append((page, target))
    assert len(pairs) >= 6
    return pairs


def _cells(path):
    report = parse_file(path)
    rows = report.tables.applications
    return (
        report.organ,
        report.year,
        {(r, c): x.value for r, row in rows.items() for c, x in row.cells.items()},
    )


def test_the_page_in_a_single_file_is_read_as_the_page(pages, tmp_path):
    for page, mht in pages:
        assert looks_like_mhtml(mht.read_bytes())
        assert _cells(mht) == _cells(page), mht.name
    before = findings_by_place(audit_to_json([p for p, _m in pages], tmp_path / "pages.json"))
    after = findings_by_place(audit_to_json([m for _p, m in pages], tmp_path / "mht.json"))
    for page, mht in pages:
        assert after[str(mht)] == before[str(page)], mht.name


def test_a_message_without_a_page_is_a_clear_error(tmp_path):
    target = tmp_path / "empty.mht"
    target.write_bytes(_mhtml("", "quoted-printable").replace(b"text/html", b"text/plain"))
    run = subprocess.run(
        [sys.executable, "-m", "gxaudit", "audit", str(target), "--no-progress"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert str(target) in run.stderr + run.stdout and "MHT" in run.stderr + run.stdout


def test_a_text_starting_with_mime_is_a_text():
    assert not looks_like_mhtml("MIME类型说明\n某镇2020年政府信息公开工作年度报告\n".encode())
    assert not looks_like_mhtml(b"MIME-Version: 1.0\nContent-Type: text/plain\n\nhello\n")


def test_a_folder_of_single_file_pages_is_audited(pages, tmp_path):
    folder = pages[0][1].parent
    document = audit_to_json([folder], tmp_path / "folder.json")
    audited = {r["path"] for r in document["reports"] if r["status"] == "audited"}
    assert audited == {str(m) for _p, m in pages}
