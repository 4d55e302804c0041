"""Part headings are read by a regular expression written from the pyparsing grammar
(formats/grammar.py: _heading_grammar stays the definition; parse_heading_grammar reads
with it). Both must read every line alike: the same heading or none, the same numeral,
text and column. A heading missed or invented moves every part of a report.
"""

from __future__ import annotations

import random
from pathlib import Path

from conftest import generated_reports, mutations, sample_reports

from gxaudit.formats.grammar import _MAYBE_HEADING, parse_heading, parse_heading_grammar
from gxaudit.formats.text import fold, split_lines
from gxaudit.read.files import read_report_text

SPACES = [" ", "\t", "\r", "\n", "\u3000", "\xa0", "  ", " \t", "\t\r", "\x0b", "\x0c"]
SEPARATORS = ["、", ".", "．", "，", ",", ":", "", "、、", " 、", "、 ", "\t、", "\r、", "､"]
ARTEFACTS = ["[bookmark: a]", "[bookmark:_Toc1]", "[bookmark: x] ", "[b]", "[bookmark:]", "[bookmark: a"]
# a converter's emphasis around the heading ("**一、总体情况**"), and marks that are none
EMPHASES = ["**", "__", "*", "***", "_", "** ", "****"]
ENDS = ["", "。", ".", "。。", " 。", "。 ", "\r", " \t", "；", "\t", "\n", "。\n", "？", "**", "**。", "。**", "__", "*"]
NUMERALS = ["一", "三", "六", "十", "十一", "二十", "十十十", "7", "(一)", "（二）", "第一"]
TEXTS = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
    "本年新收政府信息公开申请数量",
    "略",
    "公开",
    "x" * 39,
    "x" * 40,
    "x" * 41,
    "甲" * 60,
    "总体情况。本年度",
    "总体；情况",
    "总体\t情况",
    "总体 情况 ",
    "2020年度",
]


def _real_lines(generated: Path) -> list[str]:
    lines: list[str] = []
    for path in sample_reports(generated):
        text = read_report_text(path)[0]
        lines += split_lines(text)
        lines += text.split("\n")  # raw, with what split_lines would have cut at
    return lines


def _made_lines(rng: random.Random) -> list[str]:
    out = []
    for number in NUMERALS:
        for sep in SEPARATORS:
            for text in TEXTS:
                for end in rng.sample(ENDS, 3):
                    lead = (
                        rng.choice(["", *SPACES])
                        + rng.choice(["", "", "", *EMPHASES])
                        + rng.choice(["", "", *ARTEFACTS])
                        + rng.choice(["", *SPACES])
                    )
                    out.append(
                        f"{lead}{number}{rng.choice(['', *SPACES])}{sep}{rng.choice(['', *SPACES])}{text}{end}"
                    )
    return out


def _mutations(lines: list[str], rng: random.Random, count: int) -> list[str]:
    """Heading-like lines with characters inserted, deleted or replaced at random places."""
    alphabet = SPACES + ["、", ".", "。", "；", ";", "一", "十", "[", "]", "x", "情", "\t", "：", "\u200b", "*", "_", "､"]
    heading_like = [line for line in lines if _MAYBE_HEADING.match(fold(line))] or lines
    return mutations(heading_like, rng, count, alphabet)


def test_the_regex_reads_every_line_as_the_grammar_does(tmp_path):
    generated_reports(tmp_path, 150, 3, "text,cells,html")
    rng = random.Random(20260401)
    real = _real_lines(tmp_path)
    lines = real + _made_lines(rng) + _mutations(real, rng, 100_000)
    headings = 0
    for line in lines:
        expected = parse_heading_grammar(line)
        assert parse_heading(line) == expected, repr(line)
        headings += expected is not None
    assert len(lines) > 150_000 and headings > 5_000


def test_the_raw_guard_lets_through_every_line_the_folded_guard_would(tmp_path):
    """_heading_candidate skips folding a line that fails _MAYBE_HEADING_RAW: that must
    never skip a line whose folded form passes _MAYBE_HEADING (the test above cannot see
    it: the grammar and the regex share the guard)."""
    from gxaudit.formats.grammar import _MAYBE_HEADING_RAW, without_emphasis

    generated_reports(tmp_path, 40, 4, "text,cells,html")
    rng = random.Random(20261202)
    real = _real_lines(tmp_path)
    wide = ["\u3000", "\xa0", "\u2002", "\u2003", "\u200b", "\ufeff", "【", "】", "［", "］", "．", "。", "[", "]"]
    wide += ["､", "*", "**", "_", "__"]  # folded to 、; emphasis, blanked where it wraps the line
    lines = real + _made_lines(rng)
    for _ in range(60_000):
        line = list(rng.choice(lines))
        for _ in range(rng.randint(1, 4)):
            line.insert(rng.randint(0, min(len(line), 6)), rng.choice(wide + ["一", "、", " ", "x"]))
        lines.append("".join(line))
    passing = 0
    for line in lines:
        if _MAYBE_HEADING.match(without_emphasis(fold(line))):  # as _heading_candidate reads it
            passing += 1
            assert _MAYBE_HEADING_RAW.match(line), repr(line)
    assert passing > 5_000
