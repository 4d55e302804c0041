"""The terminal table: a report's findings in columns (level, rule, place, deduction),
each explanation whole on the line below its finding, as the JSON has it."""

from __future__ import annotations

import subprocess
import sys

from conftest import CORPUS, SEEDS, audit_to_json

from gxaudit.report.labels import SEVERITY_ZH


def _gxaudit(*args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "gxaudit", "audit", *args, "--no-progress", "--isolated"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def test_each_explanation_is_whole_on_the_line_below_its_finding(tmp_path):
    inputs = [str(CORPUS), str(SEEDS)]
    table = _gxaudit(*inputs, "--format", "table").splitlines()
    reports = audit_to_json(inputs, tmp_path / "run.json", "--isolated")["reports"]
    shown = 0
    for report in reports:
        for group in report.get("finding_groups") or report["findings"]:
            message = group["message"]
            below = [
                i
                for i, line in enumerate(table)
                if line == f"  {message}" or line.startswith(f"  {message}〔")
            ]
            assert below, message
            # the line above names the finding: its level and rule, in columns
            above = table[below[0] - 1].split()
            assert above[0].startswith(SEVERITY_ZH[group["severity"]]) and above[1] == group["rule"]
            shown += 1
    assert shown > 20
    # the columns stay narrow whatever the explanations' length
    for i, line in enumerate(table):
        if line.startswith("级别"):
            assert len(line) < 80 and len(table[i + 1]) < 80
    assert max(len(line) for line in table) > 300  # long explanations were there


def test_markdown_keeps_the_explanation_as_a_column():
    text = _gxaudit(str(CORPUS / "009_huaian_hongzequ_2024.pdf"), "--format", "markdown")
    assert "| 级别 " in text and " 说明 " in text


def test_a_file_that_is_not_a_report_says_so_once(tmp_path):
    (tmp_path / "notes.txt").write_text("会议纪要\n今天讨论了三件事。\n", encoding="utf-8")
    (tmp_path / "old.txt").write_bytes((CORPUS / "016_pingtan_2018_pre_template_control.txt").read_bytes())
    lines = _gxaudit(str(tmp_path), "--format", "table").splitlines()
    assert "不是年度报告：没有标题、部分标题或表格" in lines
    assert not any("不是年度报告：不是年度报告" in line for line in lines)
    assert any(
        line.startswith("不适用：2018年度报告早于") for line in lines
    )  # other statuses keep their label
