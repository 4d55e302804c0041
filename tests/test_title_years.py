"""A title whose year is written in Chinese digits ("桃柳青县二〇二二年政府信息公开工作年度报告",
"二零二二年度", "二○二二年"): its organ and year are read as from "2022年". The organ was
"（未识别）", which broke cross-year pairing and grouping by organ.

Variants made here from the tab-row seeds and generated text reports: the title's year
rewritten in Chinese digits; organ, year and findings must be the original's.
"""

from __future__ import annotations

import re

import pytest
from conftest import audit_to_json, tab_row_reports

from gxaudit.formats import grammar

_DIGITS = "〇一二三四五六七八九"


def _chinese(year: str, zero: str) -> str:
    return "".join(_DIGITS[int(d)] for d in year).replace("〇", zero)


def test_a_title_year_in_chinese_digits(tmp_path_factory, tmp_path):
    originals = tab_row_reports(tmp_path_factory, 8, 121)
    made = []
    for k, path in enumerate(originals):
        lines = path.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if line.strip())
        zero = "〇零○"[k % 3]
        lines[at] = re.sub(
            r"((?:19|20)\d\d)(?=\s*年)", lambda m, zero=zero: _chinese(m.group(1), zero), lines[at], count=1
        )
        target = tmp_path / f"{path.stem}.cn.txt"
        target.write_text("\n".join(lines), encoding="utf-8")
        made.append((path, target))
    before = {r["path"]: r for r in audit_to_json(originals, tmp_path / "before.json")["reports"]}
    after = {r["path"]: r for r in audit_to_json([t for _p, t in made], tmp_path / "after.json")["reports"]}
    for path, target in made:
        a, b = before[str(path)], after[str(target)]
        assert (b["organ"], b["year"]) == (a["organ"], a["year"]), target.name
        assert sorted(f["message"] for f in b["findings"]) == sorted(f["message"] for f in a["findings"])


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("某县二〇二二年政府信息公开工作年度报告", 2022),
        ("某局二零二一年度政府信息公开工作年度报告", 2021),
        ("某局二○二三年政府信息公开工作年度报告", 2023),
        ("某县2022年政府信息公开工作年度报告", 2022),
        ("某县政府信息公开工作年度报告", None),
    ],
)
def test_title_year(title, year):
    assert grammar.title_year(title)[0] == year
