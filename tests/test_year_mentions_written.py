"""Years written in Chinese digits in the text ("二〇二一年，我镇…"): mentions as "2021年" is.

Before, only "2021年" was a mention: a 2020 report whose overview says "二〇二一年，我镇主动
公开…" had no GX-YEAR-002, and a plan "二〇二〇年，我镇将…" (the report's own year) in
part 五 no GX-YEAR-003. Made from seed 000 (半坡镇人民政府, 2020).
"""

from __future__ import annotations

import pytest
from conftest import SEEDS, audit_to_json

from gxaudit.formats.grammar import year_mentions

SEED = SEEDS / "000_f29079d135fdfab1.txt"
OVERVIEW = "2020年，半坡镇人民政府共收到政府信息公开申请1件。"
PLAN = "针对这些问题，下一步半坡镇政府将做好以下工作："


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("二〇二一年，我镇主动公开政府信息", [2021]),
        ("二零二一年度，我镇", [2021]),
        ("二○二○年至二〇二一年", [2020, 2021]),
        ("2021年和二〇二二年", [2021, 2022]),
        # no year: a count, a larger number, a date's month
        ("共一二三四年", []),
        ("十二〇二一年", []),
        ("二〇年", []),
    ],
)
def test_year_mentions_written_in_chinese_digits(text, years):
    assert [y for y, _s, _e in year_mentions(text)] == years


def _audited(tmp_path, old: str, new: str) -> set[str]:
    text = SEED.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / "variant.txt"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    document = audit_to_json([target], tmp_path / "out.json")
    return {f["rule"] for f in document["reports"][0]["findings"]}


@pytest.mark.parametrize("written", ["二〇二一年", "二零二一年", "2021年"])
def test_a_later_year_in_the_overview(tmp_path, written):
    rules = _audited(tmp_path, OVERVIEW, OVERVIEW + f"{written}，我镇主动公开政府信息25条。")
    assert "GX-YEAR-002" in rules


@pytest.mark.parametrize("written", ["二〇二〇年", "2020年"])
def test_a_plan_for_the_reports_own_year(tmp_path, written):
    rules = _audited(tmp_path, PLAN, f"{written}，我镇将做好以下工作：")
    assert "GX-YEAR-003" in rules
