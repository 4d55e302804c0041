"""Titles printed in other shapes than "X2021年政府信息公开工作年度报告": in book-title marks
("《…年度报告》"), as a notice ("X关于公布2021年政府信息公开工作年度报告的通知"), with the
year after the report's name ("X政府信息公开工作2021年度报告"), or with the year on the next
line ("X政府信息公开工作年度报告" over "（2021年度）").

Before: the first two were no title (GX-STR-007 "报告中没有标题", the organ unread when the
report has no signature); the third gave the organ "X政府信息公开工作" (a county's
government then judged by a department's deadline: a false GX-TIM-001); the fourth lost
the organ. Now each reads the organ and the year of the plain title, on lines and on a
flattened page, and the findings are those of the plain title.
"""

from __future__ import annotations

import pytest
from conftest import audit_to_json, findings_by_place, organs_and_years

from gxaudit.formats.grammar import is_title_end, title_year
from gxaudit.parse.document import _find_title
from gxaudit.parse.metadata import organ_of_title

SHAPES = {
    "marks": ["《{organ}{year}年政府信息公开工作年度报告》"],
    "notice": ["{organ}关于公布{year}年政府信息公开工作年度报告的通知"],
    "year_after_name": ["{organ}政府信息公开工作{year}年度报告"],
    "year_below": ["{organ}政府信息公开工作年度报告", "（{year}年度）"],
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_organ_and_year_of_each_shape(shape):
    lines = [line.format(organ="某县人民政府", year=2021) for line in SHAPES[shape]] + ["一、总体情况"]
    title, line = _find_title(lines)
    assert line == 1
    year, position = title_year(title)
    assert (organ_of_title(title, position), year) == ("某县人民政府", 2021)


@pytest.mark.parametrize(
    "lines",
    [
        ["某县人民政府政府信息公开工作年度报告", "2021年工作总结如下"],  # no year alone below
        ["某县人民政府政府信息公开工作年度报告", "一、总体情况"],
        ["《某县人民政府2021年政府信息公开工作年度报告》解读", "一、总体情况"],  # not a title
    ],
)
def test_what_is_not_such_a_title(lines):
    title, _line = _find_title(lines)
    assert title is None or title_year(title)[0] is None or "解读" not in title
    if title is not None and "解读" not in lines[0]:
        assert title == lines[0]


@pytest.mark.parametrize("flat", [False, True])
def test_each_shape_reads_as_the_plain_title(tmp_path_factory, tmp_path, flat):
    pairs = []
    shapes = sorted(SHAPES)
    for k, (path, organ, year) in enumerate(organs_and_years(tmp_path_factory, tmp_path, 8, 611 + flat)):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        title = next((n for n, line in enumerate(lines[:8]) if is_title_end(line)), None)
        if title is None or not organ:
            continue
        shape = shapes[k % len(shapes)]
        if flat and shape == "year_below":
            shape = "marks"  # on a flattened page the year below is the title's line
        body = lines[title + 1 :]
        join = " " if flat else "\n"
        plain = tmp_path / f"{path.stem}.plain.txt"
        plain.write_text(
            join.join([f"{organ}{year}年政府信息公开工作年度报告", *body]) + "\n", encoding="utf-8"
        )
        shaped = tmp_path / f"{path.stem}.{shape}.txt"
        head = [line.format(organ=organ, year=year) for line in SHAPES[shape]]
        shaped.write_text(join.join([*head, *body]) + "\n", encoding="utf-8")
        pairs.append((plain, shaped, shape))
    assert len(pairs) >= 8 and len({s for *_, s in pairs}) >= 3
    plain_doc = audit_to_json([p for p, *_ in pairs], tmp_path / "plain.json")
    shaped_doc = audit_to_json([s for _, s, _ in pairs], tmp_path / "shaped.json")
    plain_read = {r["path"]: r for r in plain_doc["reports"]}
    shaped_read = {r["path"]: r for r in shaped_doc["reports"]}
    plain_places, shaped_places = findings_by_place(plain_doc), findings_by_place(shaped_doc)
    for plain, shaped, shape in pairs:
        want, got = plain_read[str(plain)], shaped_read[str(shaped)]
        assert (got["organ"], got["year"]) == (want["organ"], want["year"]), (shape, shaped.name)
        assert shaped_places[str(shaped)] == plain_places[str(plain)], (shape, shaped.name)
