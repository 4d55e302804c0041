"""The statistics period written otherwise than "2020年1月1日至2020年12月31日": the end's year
left out ("2020年1月1日起至12月31日止", "2020年1月至12月"), ISO or dotted dates
("2020-01-01至2020-12-31", "2020.1.1-2020.12.31"), Chinese digits ("二〇二〇年一月一日至…").

Before, the period was read only when both years were written "YYYY年": a 2021 report whose
period says 2020 in one of these shapes had no GX-YEAR-001. Now each is read (the left-out
end year is the start's).

Variants made here from the tab-row seeds and generated text reports that state a period:
the period rewritten in each shape with the report's year (findings as the original's) and
with the year before (GX-YEAR-001 names it). A period that is one whole year
("统计时段为2020年度", "统计期限：2021年全年") is that year (stop 24: a 2021 report saying
2020 had no GX-YEAR-001). Negative cases: a date the statistics are written as of
("统计时间截至2022年1月20日"), one day, a year in a sentence ("本年度统计2020年…") is no period.
"""

from __future__ import annotations

import re

import pytest
from conftest import audit_to_json, findings_by_place, tab_row_reports

from gxaudit.formats import grammar

_PERIOD = re.compile(r"(?P<year>(?:19|20)\d\d)年1月1日起?至(?P=year)年12月31日")
_DIGITS = "〇一二三四五六七八九"


def _chinese(year: int) -> str:
    return "".join(_DIGITS[int(d)] for d in str(year))


SHAPES = [
    lambda y: f"{y}年1月1日起至12月31日止",
    lambda y: f"{y}年1月至12月",
    lambda y: f"{y}-01-01至{y}-12-31",
    lambda y: f"{y}.1.1-{y}.12.31",
    lambda y: f"{_chinese(y)}年一月一日至{_chinese(y)}年十二月三十一日",
    lambda y: f"{y}年1月1日—12月31日",
    lambda y: f"{y}年度",
]


def _variants(tmp_path_factory, tmp_path, shift: int):
    made = []
    for path in tab_row_reports(tmp_path_factory, 30, 661):
        text = path.read_text(encoding="utf-8")
        found = _PERIOD.search(text)
        title = next(line for line in text.split("\n") if line.strip())
        if found is None or grammar.title_year(title)[0] != int(found["year"]):
            continue  # no period, or one already of another year (a generated defect)
        shape = SHAPES[len(made) % len(SHAPES)]
        year = int(found["year"]) + shift
        target = tmp_path / f"{path.stem}.period{shift}.txt"
        target.write_text(text[: found.start()] + shape(year) + text[found.end() :], encoding="utf-8")
        made.append((path, target, year))
    assert len(made) >= len(SHAPES) * 2
    return made


def test_the_period_in_other_shapes_is_read_as_written_usually(tmp_path_factory, tmp_path):
    made = _variants(tmp_path_factory, tmp_path, 0)
    before = findings_by_place(audit_to_json([p for p, _, _ in made], tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([t for _, t, _ in made], tmp_path / "after.json"))
    for original, variant, _year in made:
        assert after[str(variant)] == before[str(original)], variant.name


def test_a_period_of_the_year_before_in_other_shapes_is_found(tmp_path_factory, tmp_path):
    made = _variants(tmp_path_factory, tmp_path, -1)
    document = audit_to_json([t for _, t, _ in made], tmp_path / "after.json")
    reports = {r["path"]: r for r in document["reports"]}
    for _original, variant, year in made:
        report = reports[str(variant)]
        messages = [f["message"] for f in report["findings"] if f["rule"] == "GX-YEAR-001"]
        assert messages == [f"标题为{year + 1}年度报告，但统计期限写的是{year}年至{year}年。"], variant.name


@pytest.mark.parametrize(
    ("line", "years"),
    [
        ("本报告统计期限自2021年1月1日起至12月31日止。", [2021, 2021]),
        ("统计期限为二〇二一年一月至十二月。", [2021, 2021]),
        ("统计期限：2021.1.1-2021.12.31。", [2021, 2021]),
        ("统计期限为2021-01-01至2021-12-31", [2021, 2021]),
        ("统计时间为2021年1月至2022年1月", [2021, 2022]),
        # one whole year: its start and its end
        ("统计期限为2021年度", [2021, 2021]),
        ("本报告所列数据统计时段为2020年度。", [2020, 2020]),
        ("统计期限：2021年全年", [2021, 2021]),
        ("统计时间为二〇二一年度", [2021, 2021]),
        # no period: a date the statistics are as of, a comparison, a year in a sentence
        ("本报告统计时间截至2022年1月20日", []),
        ("统计时间截至2021年12月31日，较2020年增长", []),
        ("统计时间为2021年1月1日", []),
        ("本年度统计2020年共收到申请12件", []),
    ],
)
def test_statistics_period(line, years):
    assert [y for y, _column in grammar.statistics_period(line)] == years
