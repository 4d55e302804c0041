"""The scanner skips the table-opening tests on a line not holding all the characters of
one of their words (parse/scan.py: _tests_to_make). The skip must never change which table a
line opens: checked against the full tests (_opened_by) on every line of the sample reports,
generated reports in three shapes, made lines (spaced, full-width, split over
cells) and random mutations of the lines that do open a table.
"""

from __future__ import annotations

import random

import pytest
from conftest import generated_reports, mutations, sample_reports

from gxaudit.formats import grammar
from gxaudit.formats.text import split_lines
from gxaudit.parse import scan as S
from gxaudit.read.files import read_report_text

MODES = (None, S.PROACTIVE, S.APPLICATIONS, S.REVIEW)


def _cells(line: str, number: int = 1):
    return S.split_cells(line, number) if "\t" in line else [S._cell(line, number, 1)]


def _made_lines(rng: random.Random) -> list[str]:
    words = [
        *(word for test in S._test_words() for word in test),
        "行政复议情况\t行政诉讼情况",
        "结果维持\t结果纠正\t未经复议直接起诉\t复议后起诉",
        "复议\t诉讼",
        "本年度收到申请",
        "第二十条第（一）项",
        "（一）本年新收政府信息公开申请数量",
        "一、本年新收政府信息公开申请数量",
        "行政复议\t行政诉讼",
        "申请人情况\t自然人",
    ]
    out = []
    for word in words:
        for _ in range(40):
            text = word
            if rng.random() < 0.5:  # white space between the characters: squeezed away
                text = rng.choice([" ", "\u3000", "\xa0", "  "]).join(text)
            if rng.random() < 0.3:  # full-width brackets and digits around it
                text = rng.choice(["（", "(", "１．", "1.", "["]) + text
            if rng.random() < 0.5:
                text = rng.choice(["", "\t", "12\t", "规章\t"]) + text + rng.choice(["", "\t3", "\t\t", "。"])
            out.append(text)
    return out


def test_the_skip_never_changes_the_table_a_line_opens(tmp_path):
    generated_reports(tmp_path, 60, 5, "text,cells,html")
    rng = random.Random(20261201)
    real = [line for path in sample_reports(tmp_path) for line in split_lines(read_report_text(path)[0])]
    made = _made_lines(rng)
    opening = [line for line in real + made if any(S._enters_table(line, _cells(line), m) for m in MODES)]
    lines = (
        real
        + made
        + mutations(
            opening,
            rng,
            20_000,
            [" ", "\t", "\u3000", "条", "收", "议", "列", "人", "第", "x", "1", "（", "\u200b"]
            + ["复", "诉", "讼", "本", "年", "新", "到", "况", "情", "申"],
        )
    )
    opened = 0
    for line in lines:
        if not line.strip():
            continue
        cells = _cells(line)
        for mode in MODES:
            expected = S._opened_by(cells, mode)
            assert S._enters_table(line, cells, mode) == expected, (repr(line), mode)
            opened += expected is not None
    assert len(opening) > 300 and opened > 1_000


def test_an_ascii_marker_turns_the_skip_off(monkeypatch):
    """A marker a format writes in ASCII only has no character the raw line must hold."""
    monkeypatch.setattr(grammar, "applications_markers", lambda: ["ABC"])
    S._witnesses.cache_clear()
    try:
        assert S._witnesses(S._test_words()) is None
        line = "ＡＢＣ\t1"  # full-width: squeezed, it is the marker
        assert S._enters_table(line, _cells(line), None) == S.APPLICATIONS
    finally:
        S._witnesses.cache_clear()


@pytest.mark.parametrize(
    "line", ["本 年 新 收\t1\t2", "第 二 十 条 第（一）项", "行\u3000政\u3000复\u3000议"]
)
def test_spaced_opening_words_still_open(line):
    assert S._enters_table(line, _cells(line), None) is not None
