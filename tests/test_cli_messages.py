"""Every line gxaudit writes on stderr has one form: `gxaudit: 错误|警告|说明: [place: ]message`
(a detail under an error is indented; argparse's usage precedes its error). Exit codes kept."""

import re

import pytest

from conftest import SEEDS
from gxaudit.cli import main

FORM = re.compile(r"^gxaudit: (错误|警告|说明): \S")

# a rule whose trigger example does not trigger it (its examples fail `rules test`)
FAILING_EXAMPLE = """\
rules:
  - id: USR-MSG-001
    title: 表三自然人申请数大于总计
    category: balance
    severity: error
    weight: 4
    check:
      kind: equation
      for_each: {r: applications.rows}
      assert: applications[r][natural_person] <= applications[r][total]
    message: 表三“{row_label}”一行：自然人 {actual} 件，大于总计 {expected} 件。
    examples:
      trigger:
        - |
          某镇2020年政府信息公开工作年度报告
          一、本年新收政府信息公开申请数量|2|0|0|0|0|0|2
"""


def _lines(err: str) -> list[str]:
    """stderr's message lines: argparse's usage and indented details left out."""
    return [line for line in err.splitlines() if line and not line.startswith(("用法：", " "))]


def test_a_failed_rule_example_is_an_error_at_its_place(tmp_path, capsys):
    rules = tmp_path / "r.yaml"
    rules.write_text(FAILING_EXAMPLE, encoding="utf-8")
    assert main(["rules", "test", str(rules), "--no-builtin"]) == 1
    captured = capsys.readouterr()
    (line,) = _lines(captured.err)
    assert line.startswith(f"gxaudit: 错误: {rules}:14: 未通过 USR-MSG-001 "), line
    assert "示例通过 0 个，未通过 1 个" in captured.out


def test_a_rule_file_problem_names_its_place_and_is_inert(tmp_path, capsys):
    rules = tmp_path / "r\x1b[2Jx.yaml"  # an escape sequence in a file name reaches no terminal
    rules.write_text("rules:\n  - id: USR-MSG-002\n    colour: red\n", encoding="utf-8")
    assert main(["rules", "validate", str(rules)]) == 2
    lines = _lines(capsys.readouterr().err)
    assert lines and all(line.startswith("gxaudit: 错误: ") for line in lines), lines
    assert not any("\x1b" in line for line in lines), lines
    assert any(":3:5: " in line and "'colour'" in line for line in lines), lines


@pytest.mark.parametrize(
    "args, code",
    [
        (["audit", "--format", "pdf"], 2),  # argparse's own error
        (["audit", "--jobs", "0"], 2),
        (["parse", "/no/such/report.txt"], 2),  # a located error
        (["audit", str(SEEDS / "001_0843dfdf5e1a4b6d.txt"), "--no-progress", "--select", "GX-NOPE"], 2),
        (["rules", "show", "GX-NOPE-001"], 2),
        (["diff", "/no/such/old.json", "/no/such/new.json"], 2),
    ],
)
def test_every_error_line_has_the_one_form(args, code, capsys):
    assert main(args) == code
    lines = _lines(capsys.readouterr().err)
    assert lines and all(FORM.match(line) for line in lines), lines


def test_warnings_and_errors_of_an_audit_share_the_form(tmp_path, capsys):
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - {rule: GX-BAL-001, organ: 新青镇, reason: 旧, by: 张三, until: 2001-01-01}\n"
        "  - {rule: GX-BAL-001, organ: 新青镇, reason: 旧, by: 张三}\n",
        encoding="utf-8",
    )
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code = main(["audit", str(SEEDS / "001_0843dfdf5e1a4b6d.txt"), str(empty), "--waivers", str(waivers),
                 "--no-progress", "--jobs", "1", "--format", "json", "--verbose"])
    assert code == 2
    lines = _lines(capsys.readouterr().err)
    assert any(line.startswith(f"gxaudit: 警告: {waivers}:2: ") for line in lines)  # expired
    assert any(line.startswith(f"gxaudit: 警告: {waivers}:3: ") for line in lines)  # matched nothing
    assert any(line.startswith(f"gxaudit: 错误: {empty}: ") for line in lines)
    assert any(line.startswith("gxaudit: 说明: ") for line in lines)
    assert all(FORM.match(line) for line in lines), lines
