"""A date or a page's fields printed on the line above the title ("2022年1月20日",
"发布日期：2022年1月20日", "索引号：014314799/2022-00002", "焦政〔2022〕5号", "生成日期：…",
"二〇二二年一月二十日"): not the first half of a title split over two lines.

Before, such a line was joined to the title below it: the title became "2022年1月20日焦虎镇
2021年…年度报告", its year 2022 (a false GX-YEAR-001 "标题为2022年度报告，但统计期限写的是
2021年至2021年") or its organ "索引号：014314799/2022-00002焦虎镇". A flattened page (the whole
report on one line) read the same date into its title, or found no title after a field.

Variants made here from the tab-row seeds and generated text reports: such a line put above
the title, and the same flattened; organ, year and findings (by place) must be the original's.
A title really split over two lines ("X人民政府" / "2021年…年度报告") is still joined.
"""

from __future__ import annotations

import pytest
from conftest import audit_to_json, findings_by_place, tab_row_reports

from gxaudit.formats import grammar
from gxaudit.parse.document import _find_title

ABOVE_TITLE = [
    "2022年1月20日",
    "2022-01-20",
    "（2022年1月20日）",
    "二〇二二年一月二十日",
    "发布日期：2022年1月20日",
    "发布时间：2022-01-20 14:30",
    "索引号：014314799/2022-00002",
    "焦政〔2022〕5号",
    "生成日期：2022-01-20",
    "索引号：014314799/2022-00002\t发布机构：某某人民政府",
    "某某人民政府 2022-01-20 14:30 来源：党政办",
]


def _with_line_above_title(path, extra: str) -> str:
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip())
    return "\n".join([*lines[:at], *extra.split("\n"), *lines[at:]])


def _compare(tmp_path, made):
    before = audit_to_json([p for p, _ in made], tmp_path / "before.json")
    after = audit_to_json([t for _, t in made], tmp_path / "after.json")
    a_reports = {r["path"]: r for r in before["reports"]}
    b_reports = {r["path"]: r for r in after["reports"]}
    a_places, b_places = findings_by_place(before), findings_by_place(after)
    for original, variant in made:
        a, b = a_reports[str(original)], b_reports[str(variant)]
        assert (b["organ"], b["year"]) == (a["organ"], a["year"]), variant.name
        assert b_places[str(variant)] == a_places[str(original)], variant.name


def test_a_date_or_page_fields_above_the_title(tmp_path_factory, tmp_path):
    originals = tab_row_reports(tmp_path_factory, 11, 431)
    made = []
    for k, path in enumerate(originals):
        target = tmp_path / f"{path.stem}.above.txt"
        target.write_text(_with_line_above_title(path, ABOVE_TITLE[k % len(ABOVE_TITLE)]), encoding="utf-8")
        made.append((path, target))
    _compare(tmp_path, made)


def test_a_flattened_page_that_starts_with_a_date_or_fields(tmp_path_factory, tmp_path):
    originals = tab_row_reports(tmp_path_factory, 6, 432)
    made = []
    for k, path in enumerate(originals):
        flat = tmp_path / f"{path.stem}.flat.txt"
        flat.write_text(" ".join(path.read_text(encoding="utf-8").split()), encoding="utf-8")
        extra = ABOVE_TITLE[k % 9]  # the fields a page may start with, one by one
        target = tmp_path / f"{path.stem}.flat-above.txt"
        target.write_text(extra + " " + flat.read_text(encoding="utf-8"), encoding="utf-8")
        made.append((flat, target))
    _compare(tmp_path, made)


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (["2022年1月20日", "某镇2021年政府信息公开工作年度报告"], "某镇2021年政府信息公开工作年度报告"),
        (
            ["发布日期：2022年1月20日", "某镇2021年政府信息公开", "工作年度报告"],
            "某镇2021年政府信息公开工作年度报告",
        ),
        # a title really split over two lines is still joined
        (["某县人民政府", "2021年政府信息公开工作年度报告"], "某县人民政府2021年政府信息公开工作年度报告"),
        (["某镇2021年政府信息公开", "工作年度报告"], "某镇2021年政府信息公开工作年度报告"),
    ],
)
def test_find_title(lines, title):
    assert _find_title(lines)[0] == title


@pytest.mark.parametrize(
    ("text", "metadata"),
    [
        ("2022年1月20日", True),
        ("2022.1.20", True),
        ("二○二二年一月二十日", True),
        ("索引号：014314799/2022-00002", True),
        ("来源：党政办  发布时间：2022-01-20", True),
        ("某办发[2022]12号", True),
        # parts of a title, or text: not metadata
        ("某县人民政府", False),
        ("2021年政府信息公开工作", False),
        ("某镇2021年政府信息公开", False),
        ("2021年度", False),
        ("信息来源于各部门的统计", False),
        ("关于报送2021年度报告的函", False),
    ],
)
def test_is_metadata_line(text, metadata):
    assert grammar.is_metadata_line(text) is metadata
