"""Rules the audit cannot run are refused by `rules validate`, naming the rule.

The engine's limits themselves are tested in test_durable.py; here they are
reached from rule files, through rules.compile.problems and the command line.
"""

from __future__ import annotations

import pytest

from gxaudit.cli import main
from gxaudit.rules import expr as E
from gxaudit.rules.compile import problems
from gxaudit.rules.load import builtin_rules_dir, load_rule_file, load_rules

RULE = """\
  - id: USR-LIM-{n:03d}
    title: 测试
    category: structure
    severity: warning
    weight: 1
    check:
      kind: report
      assert: {assert_}
    message: 测试
"""


def _file(tmp_path, *asserts: str):
    path = tmp_path / "limits.yaml"
    path.write_text("rules:\n" + "".join(RULE.format(n=n, assert_=a) for n, a in enumerate(asserts, 1)),
                    encoding="utf-8")
    return path


def _problems(path) -> list[tuple[str, int, str]]:
    return [(p.rule.id, p.rule.line, p.message) for p in problems(load_rule_file(path), "durable")]


def test_builtin_pack_has_no_problem():
    rules, _ = load_rules([builtin_rules_dir()])
    assert problems(rules, "durable") == [] and problems(rules, "reference") == []


def test_each_problem_names_its_rule(tmp_path):
    and_61 = " and ".join(f"year != {i}" for i in range(61))  # its violation: 61 alternatives
    or_of_ands = " or ".join(f"(year == {i} and has_title)" for i in range(20))  # 2**20
    path = _file(tmp_path, "year != 2020", "year != 99999999999999999999", and_61, or_of_ands,
                 " and ".join(f"year != {i}" for i in range(60)))
    found = _problems(path)
    assert [(rule, line) for rule, line, _ in found] == [("USR-LIM-002", 11), ("USR-LIM-003", 20),
                                                         ("USR-LIM-004", 29)]
    assert "超出 int64 的范围" in found[0][2]
    assert "61 alternatives" in found[1][2]
    assert "1048576 alternatives" in found[2][2]
    # the reference evaluator takes any number of alternatives, not the constant
    reference = [p.rule.id for p in problems(load_rule_file(path), "reference")]
    assert reference == ["USR-LIM-002"]


def test_too_many_durable_rules_in_all(tmp_path):
    # 70 rules of 60 alternatives each: 4,200 durable rules; the 67th goes past 4,000
    sixty = " and ".join(f"year != {i}" for i in range(60))
    path = _file(tmp_path, *[sixty] * 70)
    found = _problems(path)
    assert [rule for rule, _, _ in found] == ["USR-LIM-067"]
    assert "more than 4000 durable rules" in found[0][2]


def test_rules_validate_exits_2_naming_file_line_and_column(tmp_path, capsys):
    path = _file(tmp_path, "year != 2020", "year != 99999999999999999999")
    assert main(["rules", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"gxaudit: 错误: {path}:11:5: 规则 USR-LIM-002：整数 99999999999999999999 超出 int64 的范围" in err
    good = _file(tmp_path, "year != 2020")
    assert main(["rules", "validate", str(good)]) == 0


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_audit_with_a_rule_it_cannot_run_exits_2_without_traceback(tmp_path, capsys, engine, seeds_dir):
    path = _file(tmp_path, "year != 99999999999999999999")
    code = main(["audit", str(seeds_dir), "--rules", str(path), "--engine", engine, "--no-progress", "-j", "1"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"gxaudit: 错误: {path}:2:5: 规则 USR-LIM-001：整数 99999999999999999999 超出 int64 的范围"
    ]


def test_nested_parentheses_are_refused_before_parsing():
    deep = "(" * E.MAX_NESTING + "year + 1" + ")" * E.MAX_NESTING + " == 2021"
    assert isinstance(E.parse(deep), E.Compare)
    too_deep = "not " + "(" * (E.MAX_NESTING + 1) + "year" + ")" * (E.MAX_NESTING + 1) + " == 1"
    with pytest.raises(E.ExprError, match="括号嵌套超过") as caught:
        E.parse(too_deep)
    assert caught.value.column == len("not ") + E.MAX_NESTING + 1
    # parentheses inside a string are text
    assert E.parse('format == "(((((((("').right == E.Const("((((((((")
    assert E.parse("format == '\\'(((((((('").right == E.Const("'((((((((")
