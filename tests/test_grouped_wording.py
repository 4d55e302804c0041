"""How a grouped finding names each item's `actual`: a value found is 实为; a digit run
that could not be read is no value (数字串); a row read by inference is what it was read
as (读作). The kind that draws the fact says which (Finding.actual_name)."""

from __future__ import annotations

import pytest
from conftest import CORPUS

from gxaudit.cli import main

HEAD = "某区2019年政府信息公开工作年度报告 一、总体情况 本年度……。"
TAIL = (
    " 三、收到和处理政府信息公开申请情况 本年度无。四、政府信息公开行政复议、行政诉讼情况 本年度无。"
    "五、存在的主要问题及改进情况 一是公开内容不够全面，下一步将加强培训，提升工作人员业务水平，"
    "确保政府信息公开工作依法依规开展，持续改进。六、其他需要报告的事项 无。"
)


def printed(capsys, *paths, fmt: str = "table") -> str:
    main(["audit", *map(str, paths), "--no-progress", "--jobs", "1", "--format", fmt])
    return capsys.readouterr().out


def test_corpus_001_rows_not_read_are_digit_runs_and_rows_inferred_are_readings(capsys):
    out = printed(capsys, CORPUS / "001_pingtan_2019_zfxxgk_nb.txt")
    line = next(x for x in out.splitlines() if "处无法可靠读出的表格行" in x)
    assert "“第二十条第（一）项规范性文件”（数字串 898989）" in line
    assert "“第二十条第（九）项政府集中采购”（数字串 13575394432.52元）" in line
    assert "实为" not in line  # 898989 is no value the report gave
    line = next(x for x in out.splitlines() if "表三（依申请公开）23 处数字连在一起" in x)
    assert "“本年新收政府信息公开申请数量”（读作 23 0 0 0 0 0 23）" in line
    assert "实为" not in line


def test_corpus_102_a_value_found_is_still_what_the_report_has(capsys):
    out = printed(capsys, CORPUS / "102_pingtan_gaj_2021.txt")
    assert "一行 2 处表三勾稽关系不平衡：自然人（应为 2，实为 1）、总计（应为 2，实为 1）。" in out


@pytest.mark.parametrize(
    "rows, names",
    [
        # runs the corpus does not have: four digits in three cells (each split without a leading
        # zero), six digits, seven
        ("规章 1234 规范性文件 576576", ["规章”（数字串 1234）", "规范性文件”（数字串 576576）"]),
        ("规章 2468 规范性文件 3141592", ["规章”（数字串 2468）", "规范性文件”（数字串 3141592）"]),
    ],
)
def test_variants_two_rows_not_read_in_table_two(capsys, tmp_path, rows, names):
    path = tmp_path / "flat.txt"
    path.write_text(
        f"{HEAD}二、主动公开政府信息情况 第二十条第（一）项 信息内容 本年新制作数量 本年新公开数量 对外公开总数量 "
        f"{rows}{TAIL}",
        encoding="utf-8",
    )
    out = printed(capsys, path)
    line = next(x for x in out.splitlines() if "2 处无法可靠读出的表格行" in x)
    for name in names:
        assert name in line
    assert "实为" not in line


def test_html_names_a_digit_run_as_such(capsys, tmp_path):
    html = printed(capsys, CORPUS / "001_pingtan_2019_zfxxgk_nb.txt", fmt="html")
    assert "<span>数字串 <b>898989</b></span>" in html
    assert "<span>实为 <b>898989</b></span>" not in html
