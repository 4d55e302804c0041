"""Inputs that would cost the readers more than any report (issue 11): refused early with the
reason, or read in time linear in their size. The time itself is measured in
benchmarks/adapter_speed.py, never asserted here; these tests check the outcome and the
reason, and that a flood is not cut into a million table cells.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from gxaudit.errors import InputError
from gxaudit.read.files import read_bytes, read_source
from gxaudit.read.markdown.items import PIPE, TEXT, classify

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as info:
        read_bytes(fifo)  # opening a FIFO for reading would wait for a writer for ever
    assert "不是普通文件" in info.value.reason


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device_is_refused():
    with pytest.raises(InputError) as info:
        read_bytes("/dev/zero")  # its size says 0; reading it never ends
    assert "不是普通文件" in info.value.reason


def test_docx_grid_span_bomb_is_refused(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.oxml.ns import qn

    document = docx.Document()
    table = document.add_table(rows=30, cols=30)
    for row in table.rows:
        for tc in row._tr.tc_lst:
            props = tc.get_or_add_tcPr()
            props.append(props.makeelement(qn("w:gridSpan"), {qn("w:val"): "1000"}))
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError) as info:
        read_source(path)
    assert "合并单元格展开后超过" in info.value.reason


def test_pdf_longer_than_a_report_is_refused_before_layout(tmp_path):
    pytest.importorskip("pypdfium2")
    from adapter_speed import flood_pdf_pages

    path = tmp_path / "long.pdf"
    path.write_bytes(flood_pdf_pages(201))
    with pytest.raises(InputError) as info:
        read_source(path)
    assert "201 页" in info.value.reason


def test_a_megabyte_of_pipes_is_text_not_a_million_cells():
    items = classify(["# 标题", "|a|b|", "|---|---|", "|" * (1024 * 1024)])
    assert [i.kind for i in items[1:3]] == [PIPE, "sep"]
    assert items[3].kind == TEXT and not items[3].cells


def test_unclosed_emphasis_marks_are_read_as_text():
    from gxaudit.read.markdown.syntax import inline

    line = "**未闭合 " * 20_000  # 20,000 of these took 41 s before the patterns were bounded
    assert inline(line).startswith("未闭合")


def test_word_body_larger_than_a_report_is_refused_before_loading(tmp_path, monkeypatch):
    docx = pytest.importorskip("docx")
    from gxaudit.read.docx import container

    document = docx.Document()
    for index in range(200):
        document.add_paragraph(f"第{index}段正文，用来让正文 XML 超过测试用的上限。")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "long.docx"
    path.write_bytes(buffer.getvalue())
    monkeypatch.setattr(container, "MAX_DOCUMENT_XML", 10_000)  # the real limit is 25 MB
    with pytest.raises(InputError) as info:
        read_source(path)
    assert "正文 XML" in info.value.reason
