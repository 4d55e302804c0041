"""`gxaudit audit` on the sample reports: the findings issue 3 asks for, exactly."""
import json
import textwrap
from collections import Counter

import pytest

from conftest import REPORTS, SEEDS
from gxaudit.audit.auditor import Auditor
from gxaudit.cli import main
from gxaudit.parse.document import parse_text
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.audit.scoring import load_scoring

S000, S001, S002, S003, S004 = (SEEDS / n for n in (
    "000_f29079d135fdfab1.txt", "001_0843dfdf5e1a4b6d.txt", "002_44a23edc808f0eac.txt",
    "003_51b21fc9b3159953.txt", "004_e00e53dea6302a83.txt"))


@pytest.fixture(scope="module")
def auditor():
    rules, version = load_rules([builtin_rules_dir()])
    return Auditor(rules, load_scoring(), engine="durable", rules_version=version)


def findings(auditor, path):
    result = auditor.audit_file(path)
    assert result.status == "audited", result.error
    return result.findings


def by_rule(found):
    return Counter(f.rule for f in found)


def test_000_has_no_error(auditor):
    found = findings(auditor, S000)
    assert [f for f in found if f.severity == "error"] == []


def test_002_no_error_and_a_fee_warning(auditor):
    found = findings(auditor, S002)
    assert [f for f in found if f.severity == "error"] == []
    fee = [f for f in found if f.rule == "GX-CON-001"]
    assert len(fee) == 1 and fee[0].category == "content" and fee[0].severity == "warning"
    assert fee[0].location["section"] == "other_matters" and "信息处理费" in fee[0].message


def test_001_structure_and_empty_review_cells(auditor):
    found = findings(auditor, S001)
    wrong_part = [f for f in found if f.rule == "GX-STR-002"]
    assert len(wrong_part) == 1 and wrong_part[0].location["line"] == 21
    assert "第二部分应为“主动公开政府信息情况”" in wrong_part[0].message
    missing = [f.message for f in found if f.rule == "GX-STR-001"]
    assert missing == ["缺少第五部分“存在的主要问题及改进情况”（报告中没有编号为“五、”的一级标题）。",
                       "缺少第六部分“其他需要报告的事项”（报告中没有编号为“六、”的一级标题）。"]
    assert {f.category for f in found if f.rule in ("GX-STR-001", "GX-STR-002")} == {"structure"}
    assert all(f.severity == "error" for f in found if f.rule in ("GX-STR-001", "GX-STR-002"))
    empty = [f for f in found if f.rule == "GX-CEL-001"]
    assert [(f.location["table"], f.location["row"], f.location["column"]) for f in empty] == [
        ("review_litigation", "review", c) for c in ("upheld", "corrected", "other", "pending", "total")]
    assert all(f.location["line"] == 80 and f.category == "cells" for f in empty)


def test_003_missing_six_variant_heading_and_word_cells(auditor):
    found = findings(auditor, S003)
    missing = [f for f in found if f.rule == "GX-STR-001"]
    assert len(missing) == 1 and "第六部分" in missing[0].message and missing[0].severity == "error"
    variant = [f for f in found if f.rule == "GX-STR-005"]
    assert len(variant) == 1 and variant[0].severity in ("warning", "info")
    assert variant[0].location["line"] == 399 and "存在问题及改进情况" in variant[0].message
    words = [f for f in found if f.rule == "GX-CEL-002"]
    assert [(f.location["row"], f.location["column"], f.location["line"], f.actual) for f in words] == [
        ("licensing", "change", 40, "增"), ("other_services", "change", 45, "增")]
    assert all(f.severity == "error" and f.category == "cells" for f in words)


def test_004_plan_for_own_year(auditor):
    found = findings(auditor, S004)
    plans = [f for f in found if f.category == "year"]
    assert len(plans) == 1 and plans[0].rule == "GX-YEAR-003"
    assert plans[0].location["line"] == 635 and "2020年工作计划" in plans[0].message


@pytest.mark.parametrize("path", [S000, S001, S002, S003, S004])
def test_no_balance_finding_on_samples(auditor, path):
    assert [f for f in findings(auditor, path) if f.category == "balance"] == []


def test_mutated_cell_gives_exact_balance_findings(auditor):
    # 000: 一、本年新收 natural_person 1 -> 2 (line 60); total stays 1
    lines = S000.read_text(encoding="utf-8").split("\n")
    assert lines[59].startswith("一、本年新收政府信息公开申请数量\t\t1\t")
    lines[59] = lines[59].replace("\t\t1\t", "\t\t2\t", 1)
    report = parse_text("\n".join(lines), "mutated-000.txt")
    result = auditor.audit_report(report)
    balance = [(f.rule, f.location["row"], f.location["column"], f.expected, f.actual)
               for f in result.findings if f.category == "balance"]
    assert sorted(balance) == sorted([
        # the row no longer adds up: printed total 1, applicants add up to 2
        ("GX-BAL-001", "new", "total", 2, 1),
        # 勾稽 in the natural-person column: 2 + 0 on the left, 1 + 0 on the right
        ("GX-BAL-003", "new", "natural_person", 1, 2),
    ])
    bal1 = next(f for f in result.findings if f.rule == "GX-BAL-001")
    assert "总计填报 1" in bal1.message and "之和为 2" in bal1.message and bal1.location["line"] == 60


def test_table_four_mutation(auditor):
    lines = S000.read_text(encoding="utf-8").split("\n")
    assert lines[88] == "\t".join(["0"] * 15)
    lines[88] = "\t".join(["10", "1", "0", "0", "0"] + ["0"] * 10)
    result = auditor.audit_report(parse_text("\n".join(lines), "mutated.txt"))
    balance = [(f.rule, f.location["row"], f.expected, f.actual) for f in result.findings
               if f.category == "balance"]
    assert balance == [("GX-BAL-004", "review", 11, 0)]


def test_user_rule_from_a_folder_fires(tmp_path, capsys):
    (tmp_path / "mine.yaml").write_text(textwrap.dedent("""\
        rules:
          - id: USR-APP-001
            title: 本年新收申请为零
            category: content
            severity: info
            weight: 0
            check:
              kind: cells
              select: applications[new][total]
              assert: kind != "number" or value > 0
            message: 本年没有收到政府信息公开申请（{row_label}/{column_label} = {raw}）。
            examples:
              trigger: ["某镇2020年政府信息公开工作年度报告\\n一、本年新收政府信息公开申请数量|0|0|0|0|0|0|0"]
              pass: ["某镇2020年政府信息公开工作年度报告\\n一、本年新收政府信息公开申请数量|1|0|0|0|0|0|1"]
        """), encoding="utf-8")
    code = main(["audit", str(S002), "--rules", str(tmp_path), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    mine = [f for f in doc["reports"][0]["findings"] if f["rule"] == "USR-APP-001"]
    # an info finding does not fail the run at the default --fail-on error
    assert len(mine) == 1 and mine[0]["location"]["line"] == 43 and code == 0
    assert mine[0]["message"] == "本年没有收到政府信息公开申请（本年新收政府信息公开申请数量/总计 = 0）。"
    # replacing the pack: only the user rule runs
    main(["audit", str(S002), "--rules", str(tmp_path), "--no-builtin", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert {f["rule"] for f in doc["reports"][0]["findings"]} == {"USR-APP-001"}
    assert main(["rules", "test", str(tmp_path)]) == 0


def test_main_command_prints_ranked_table(capsys):
    code = main(["audit", str(REPORTS)])
    out = capsys.readouterr().out
    assert code == 1        # the samples have errors
    assert out.startswith("合规排名")
    for organ in ("半坡镇人民政府", "新青镇", "焦虎镇", "建塘镇人民政府", "景泰县"):
        assert organ in out
    header = next(line for line in out.splitlines() if line.startswith("排名"))
    assert header.split() == ["排名", "机关", "年度", "格式", "得分", "等级", "读出", "错误", "警告", "提示",
                              "扣分构成", "主要问题"]


def test_json_document_shape(capsys):
    main(["audit", str(REPORTS), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema_version"] == 1 and doc["tool"]["name"] == "gxaudit" and doc["rules_version"]
    ranks = [r["rank"] for r in doc["reports"]]
    scores = [r["score"] for r in doc["reports"]]
    assert scores == sorted(scores, reverse=True)
    # equal scores share a rank (1, 2, 2, 4, 5): 1 + how many scored better
    assert ranks == [1 + sum(o > s for o in scores) for s in scores]
    finding = doc["reports"][-1]["findings"][0]
    assert set(finding) >= {"rule", "category", "severity", "message", "location", "expected", "actual",
                            "deduction", "fingerprint"}
    assert set(finding["location"]) == {"line", "section", "table", "row", "column", "source"}
    assert finding["location"]["source"] == {"line": finding["location"]["line"]}  # a text file: its own lines


def test_builtin_examples_pass_on_both_engines():
    from gxaudit.audit.rule_examples import run_examples
    import dataclasses
    rules, _ = load_rules([builtin_rules_dir()])
    rules = [dataclasses.replace(r, enabled=True) for r in rules]    # off by default, tested all the same
    for engine in ("durable", "reference"):
        results = run_examples(rules, Auditor(rules, load_scoring(), engine=engine))
        failed = [(r.rule, r.example.name, r.messages) for r in results if not r.ok]
        assert failed == [], engine
        assert len(results) >= 2 * len(rules)
