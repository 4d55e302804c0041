"""Table three of the 2021 format with its group label "(六) 其他处理" alone on its line (or
its web-page row), the three 其他处理 rows under it: a heading, as "(三) 不予公开" alone is.
It was read as the 2019 format's row 其他处理: "表三出现了2021年格式没有的行" (GX-SUB-006)
and its blank cells "单元格为空" (GX-CEL-001). The same words with figures in a 2021
report are still the 2019 row (GX-SUB-006), and a 2019 report's 其他处理 left blank is
still blank (GX-CEL-001).

Variants made here from the tab-row seeds and generated text reports.
"""

from __future__ import annotations

import re

import pytest
from conftest import audit_to_json, findings_by_place, tab_row_reports

# "\t(六) 其他处理\t1.申请人无正当理由逾期不补正…\t0\t…": the group label and its first row
_GROUP_AND_ROW = re.compile(r"^(?P<lead>\t*)(?P<group>[(（]六[)）]\s*其他处理)\t+(?P<row>1\..*)$", re.M)
_OTHER_2019 = re.compile(
    r"^(?P<lead>\t*)(?P<group>[(（]六[)）]\s*其他处理)(?P<cells>(?:\t+\d+){7})\t*$", re.M
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return tab_row_reports(tmp_path_factory, 16, 91)


def test_the_group_label_alone_on_its_line_heads_its_rows(reports, tmp_path):
    made = []
    for path in reports:
        text = path.read_text(encoding="utf-8")
        if _GROUP_AND_ROW.search(text):
            split = _GROUP_AND_ROW.sub(
                lambda m: f"{m['lead']}{m['group']}\n{m['lead']}\t{m['row']}", text, count=1
            )
            target = tmp_path / f"{path.stem}.group.txt"
            target.write_text(split, encoding="utf-8")
            made.append((path, target))
    assert len(made) >= 8
    before = findings_by_place(audit_to_json([p for p, _t in made], tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([t for _p, t in made], tmp_path / "after.json"))
    for path, target in made:
        assert after[str(target)] == before[str(path)], target.name


def test_the_2019_row_in_a_2021_report_and_a_blank_2019_row_are_still_said(reports, tmp_path):
    made_2021, made_2019 = [], []
    for path in reports:
        text = path.read_text(encoding="utf-8")
        if _GROUP_AND_ROW.search(text):  # 2021: the 2019 row, with figures, before the three
            used = _GROUP_AND_ROW.sub(
                lambda m: f"{m['lead']}{m['group']}\t0\t0\t0\t0\t0\t0\t0\n{m['lead']}\t{m['row']}",
                text,
                count=1,
            )
            target = tmp_path / f"{path.stem}.2019row.txt"
            target.write_text(used, encoding="utf-8")
            made_2021.append(target)
        elif _OTHER_2019.search(text):  # 2019: its 其他处理 row printed blank
            blank = _OTHER_2019.sub(lambda m: f"{m['lead']}{m['group']}" + "\t" * 7, text, count=1)
            target = tmp_path / f"{path.stem}.blank.txt"
            target.write_text(blank, encoding="utf-8")
            made_2019.append(target)
    assert made_2021 and made_2019
    found = findings_by_place(audit_to_json(made_2021 + made_2019, tmp_path / "after.json"))
    for target in made_2021:
        assert ("GX-SUB-006", "applications", "other_handling", None) in found[str(target)], target.name
    for target in made_2019:
        blanks = [f for f in found[str(target)] if f[0] == "GX-CEL-001" and f[2] == "other_handling"]
        assert len(blanks) == 7, target.name
