"""Rule files: schema validation with file:line:column errors, and the expression language."""
import textwrap

import pytest

from gxaudit.cli import main
from gxaudit.engine import model as M
from gxaudit.rules import expr as E
from gxaudit.rules.load import RuleFileError, builtin_rules_dir, load_rule_file, load_rules

GOOD = """\
rules:
  - id: USR-TEST-001
    title: 测试
    category: cells
    severity: warning
    weight: 1
    check:
      kind: cells
      select: applications[*][*]
      assert: kind != "empty"
    message: "{row_label}为空"
"""


def write(tmp_path, text, name="r.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def issues_of(path):
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    return [str(i) for i in info.value.issues]


def test_builtin_pack_is_valid_and_ids_are_unique():
    rules, version = load_rules([builtin_rules_dir()])
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids)) and len(ids) >= 30
    assert {r.category for r in rules} >= {"structure", "subsections", "cells", "balance", "year", "content"}
    assert all(r.trigger_examples and r.pass_examples for r in rules), "every rule has examples"
    assert len(version) == 12


def test_good_file_loads(tmp_path):
    rules = load_rule_file(write(tmp_path, GOOD))
    assert rules[0].id == "USR-TEST-001" and rules[0].weight == 1.0


def test_unknown_key_is_located(tmp_path):
    path = write(tmp_path, GOOD.replace("    weight: 1\n", "    weight: 1\n    wieght: 2\n"))
    assert issues_of(path) == [f"{path}:7:5: 未知的键 'wieght'（可用的键：applies, category, check, "
                               "description, enabled, examples, id, message, severity, title, weight）"]


def test_id_that_yaml_reads_as_a_number(tmp_path):
    path = write(tmp_path, GOOD.replace("id: USR-TEST-001", "id: 2021"))
    (issue,) = issues_of(path)
    assert issue == f"{path}:2:9: id 应为字符串；YAML 把 '2021' 读成了 int：请加引号"


def test_wrong_types(tmp_path):
    path = write(tmp_path, GOOD.replace("weight: 1", "weight: heavy").replace("severity: warning", "severity: fatal"))
    found = issues_of(path)
    assert f"{path}:5:15: severity 应为以下之一：error, warning, info" in found
    assert f"{path}:6:13: weight 应为不小于 0 的数" in found


def test_bad_expression_points_at_the_column(tmp_path):
    path = write(tmp_path, GOOD.replace('assert: kind != "empty"', 'assert: kind != "empty" and and'))
    (issue,) = issues_of(path)
    # the second "and" stands at column 35 of line 10
    assert issue == f"{path}:10:35: assert: 无法解析表达式，第 21 列：不应出现 'and'"


def test_unknown_property_for_the_kind(tmp_path):
    path = write(tmp_path, GOOD.replace('kind != "empty"', 'colour == "red"'))
    (issue,) = issues_of(path)
    assert "cells 检查没有属性 ['colour']" in issue and issue.startswith(f"{path}:10:")


def test_invalid_yaml_is_located(tmp_path):
    path = write(tmp_path, "rules:\n  - id: [unclosed\n")
    (issue,) = issues_of(path)
    assert issue.startswith(f"{path}:3:1: YAML 语法错误")


def test_duplicate_ids_across_files(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(RuleFileError, match="duplicate rule id USR-TEST-001"):
        load_rules([tmp_path])


def test_yaml_is_never_executed(tmp_path):
    path = write(tmp_path, "rules: !!python/object/apply:os.system ['echo pwned']\n")
    (issue,) = issues_of(path)
    assert "不允许的 YAML 标签 'tag:yaml.org,2002:python/object/apply:os.system'" in issue


def test_validate_cli_reports_every_error(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("category: cells", "category: colours").replace("weight: 1", "weight: -1"))
    assert main(["rules", "validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"gxaudit: 错误: {path}:4:15: category 应为以下之一：structure, subsections, cells, reading, balance, year, "
                   "content, narrative, cross_year, timeliness, hierarchy",
                   f"gxaudit: 错误: {path}:6:13: weight 应为不小于 0 的数"]


def test_validate_cli_ok(capsys):
    assert main(["rules", "validate", str(builtin_rules_dir())]) == 0
    assert "规则文件有效" in capsys.readouterr().out


@pytest.mark.parametrize("text, props, holds", [
    ('kind == "number" and integer and value >= 0', {"kind": "number", "integer": True, "value": 3}, True),
    ('kind == "number" and integer and value >= 0', {"kind": "number", "integer": True, "value": -3}, False),
    ("not present or id_matches", {"present": False}, True),
    ("year > report_year + 1", {"year": 2023, "report_year": 2020}, True),
    ('kind in ["empty", "dash"]', {"kind": "dash"}, True),
    ("a * 2 - b == 0", {"a": 2, "b": 4}, True),
])
def test_expression_evaluation(text, props, holds):
    assert E.evaluate(E.parse(text), props) is holds


def test_expression_tree_of_an_equation():
    tree = E.parse("applications[new][c] + applications[carried_over][c] == applications[results_total][c]")
    assert isinstance(tree, E.Compare) and tree.op == "=="
    assert [r.keys for r in E.cell_refs(tree)] == [("new", "c"), ("carried_over", "c"), ("results_total", "c")]


def test_violation_pushes_negation_down():
    tree = E.parse('kind == "number" and value >= 0')
    assert E.to_condition(tree, negate=True) == M.any_of(M.ne("kind", "number"), M.lt("value", 0))


def test_no_eval_anywhere_in_the_package():
    import pathlib
    import re
    package = pathlib.Path(E.__file__).resolve().parents[1]
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])(eval|exec)\(", text), source
        assert "yaml.load(" not in text and "unsafe_load" not in text, source
