"""The signature at a report's end is found by one search for the date
(parse/metadata.py: _signature_match); _SIGNATURE, the lazy "up to 80 characters
before a date that ends the text", stays the definition. Both must find the same
start, the same words before the date and the same date, on every report's last
lines and on made and perturbed endings.
"""

from __future__ import annotations

import random

from conftest import sample_reports

from gxaudit.formats.text import split_lines
from gxaudit.parse.metadata import _SIGNATURE, _last_lines, _signature_match
from gxaudit.read.files import read_report_text

DATES = [
    "2022年1月7日",
    "2022 年 1 月 7 日",
    "2022-01-07",
    "2022.1.7",
    "2022/1/7",
    "二〇二二年一月七日",
    "二○二二年十二月三十一日",
    "2022年13月40日",
    "1999年9月9日",
    "2100年1月1日",
    "2022年1月",
    "22年1月7日",
]
CHROME = [
    "",
    " ",
    "\n",
    "附件下载",
    "【打印本页】",
    "【关闭窗口】",
    "分享到：",
    "扫一扫二维码",
    "返回顶部",
    " 附件:",
]
WORDS = [
    "",
    "X局",
    "平潭综合实验区 公安局",
    "（盖章）",
    "特此报告。",
    "暂无",
    "本报告",
    "。",
    "，",
    " ",
    "甲" * 30,
    "乙" * 90,
    "2021",
    "1",
    "年",
    "二〇二二",
]


def _endings(rng: random.Random) -> list[str]:
    out = []
    for path in sample_reports():
        lines = split_lines(read_report_text(path)[0])
        out.append(" ".join(t for _, t in _last_lines(lines)))
    for _ in range(30_000):
        parts = [rng.choice(WORDS) for _ in range(rng.randint(0, 4))]
        parts += [rng.choice(DATES)] if rng.random() < 0.8 else []
        parts += [rng.choice(CHROME) for _ in range(rng.randint(0, 3))]
        parts += [rng.choice(WORDS)] if rng.random() < 0.3 else []
        if rng.random() < 0.5:
            parts.insert(rng.randint(0, len(parts)), rng.choice(DATES))
        out.append("".join(parts))
    return out


def test_one_search_finds_what_the_signature_pattern_finds():
    found = 0
    for text in _endings(random.Random(20261201)):
        for tail in (text[-160:], text):
            m = _SIGNATURE.search(tail)
            expected = None if m is None else (m.start(), m.group("before"), m.group("date"))
            assert _signature_match(tail) == expected, repr(tail)
            found += m is not None and m.start() > 0
    assert found > 2_000  # dates far enough into the text that "before" is cut at 80
