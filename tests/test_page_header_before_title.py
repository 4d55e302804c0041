"""A web page's header before the title: the site's or organ's name, the page's date and
fields, its buttons ("X人民政府 2022-01-20 14:30 来源：县政府办 【字体：大 中 小】"), then the
report's title on the same line, or the whole page flattened onto one line.

Before, a flattened page starting so had no title found (the title was looked for only
right at the start or inside a breadcrumb); the line was then taken whole for the title, its
header's name for the organ ("X人民政府 2022-01-20 14:30 来源：县政府办 Y局") and, with a
date written 2022年01月20日, its year for the report's. Now the header is cut off: the title,
organ and year are the report's own, and the findings those of the page without a header.

Negative cases: a title with a space after its organ, a name not followed by a date or a
field, a sentence with a date in it, are no header; the title stays as written.
"""

from __future__ import annotations

import pytest
from conftest import audit_to_json, findings_by_place, organs_and_years

from gxaudit.formats.grammar import is_title_end, page_header_end
from gxaudit.parse.document import _find_title

HEADERS = [
    "{site} {next}-01-20 14:30 来源：{site}办公室",
    "{site} {next}年01月20日 来源：{site}办公室 浏览次数：321",
    "{site}门户网站 发布时间：{next}-01-20 10:00 【字体：大 中 小】 【打印】",
    "{site} {next}.1.20 信息来源：本站 [关闭]",
]


@pytest.mark.parametrize(
    ("line", "title"),
    [
        (
            "某县人民政府 2022-01-20 14:30 来源：县政府办 某镇2021年政府信息公开工作年度报告",
            "某镇2021年政府信息公开工作年度报告",
        ),
        (
            "某县人民政府 2022年01月20日 来源：县政府办 某镇2021年政府信息公开工作年度报告",
            "某镇2021年政府信息公开工作年度报告",
        ),
        (
            "某县门户网站 发布时间：2022-01-20 【字体：大 中 小】 某局2021年度政府信息公开工作年度报告",
            "某局2021年度政府信息公开工作年度报告",
        ),
        ("发布日期：2022-01-20 某局2021年政府信息公开工作年度报告", "某局2021年政府信息公开工作年度报告"),
        # no header: the line as written
        ("某县人民政府 2021年度政府信息公开工作年度报告", "某县人民政府 2021年度政府信息公开工作年度报告"),
        ("某县 人民政府2021年政府信息公开工作年度报告", "某县 人民政府2021年政府信息公开工作年度报告"),
        (
            "某县人民政府 【打印】 某镇2021年政府信息公开工作年度报告",
            "某县人民政府 【打印】 某镇2021年政府信息公开工作年度报告",
        ),
        (
            "某县人民政府办公室关于 2022年1月20日印发的2021年政府信息公开工作年度报告",
            "某县人民政府办公室关于 2022年1月20日印发的2021年政府信息公开工作年度报告",
        ),
    ],
)
def test_the_title_after_a_page_header_on_its_line(line, title):
    assert _find_title([line, "一、总体情况"]) == (title, 1)


def test_a_name_alone_is_no_header():
    assert page_header_end("某县人民政府 某镇2021年政府信息公开工作年度报告") == 0
    assert page_header_end("某县人民政府 2021年度政府信息公开工作年度报告") == 0
    assert page_header_end("2021年，我镇认真贯彻落实") == 0


@pytest.mark.parametrize("flat", [False, True])
def test_a_page_header_changes_nothing_read(tmp_path_factory, tmp_path, flat):
    pairs = []
    for k, (path, organ, year) in enumerate(organs_and_years(tmp_path_factory, tmp_path, 6, 581 + flat)):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        title = next((n for n, line in enumerate(lines[:8]) if is_title_end(line)), None)
        if title is None:
            continue  # no title line of its own to put the header before
        header = HEADERS[k % len(HEADERS)].format(site=f"某某{'市县区'[k % 3]}人民政府", next=year + 1)
        body = lines[title + 1 :]
        join = " " if flat else "\n"
        plain = tmp_path / f"{path.stem}.plain.txt"
        plain.write_text(join.join([lines[title], *body]) + "\n", encoding="utf-8")
        headed = tmp_path / f"{path.stem}.header.txt"
        headed.write_text(join.join([header + " " + lines[title], *body]) + "\n", encoding="utf-8")
        pairs.append((plain, headed, organ, year))
    assert len(pairs) >= 5
    plain_doc = audit_to_json([p for p, *_ in pairs], tmp_path / "plain.json")
    headed_doc = audit_to_json([h for _, h, *_ in pairs], tmp_path / "headed.json")
    headed_read = {r["path"]: r for r in headed_doc["reports"]}
    plain_places, headed_places = findings_by_place(plain_doc), findings_by_place(headed_doc)
    for plain, headed, organ, year in pairs:
        report = headed_read[str(headed)]
        assert (report["organ"], report["year"]) == (organ, year), headed.name
        assert headed_places[str(headed)] == plain_places[str(plain)], headed.name
