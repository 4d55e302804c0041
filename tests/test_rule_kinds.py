"""Check kinds as units: the registry makes the published schema and reference,
`rules validate` refuses what would silently do nothing, examples pin results."""

from __future__ import annotations

import json
import textwrap

import jsonschema
import pytest
import yaml
from conftest import REPO

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.rule_examples import run_examples
from gxaudit.audit.scoring import load_scoring
from gxaudit.cli import main
from gxaudit.rules.kinds import KINDS
from gxaudit.rules.load import RuleFileError, builtin_rules_dir, load_rule_file, load_rules, rule_files
from gxaudit.rules.reference import kinds_markdown
from gxaudit.rules.schema import rule_file_schema, schema_problems

RULE = """\
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


def issues_of(path) -> list[str]:
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path)
    return [str(i) for i in caught.value.issues]


# ------------------------------------------------------- published documents


def test_published_schema_is_the_generated_one():
    published = json.loads((REPO / "docs" / "rule-schema.json").read_text(encoding="utf-8"))
    assert published == rule_file_schema(), "run: gxaudit rules schema > docs/rule-schema.json"


def test_published_reference_is_the_generated_one():
    published = (REPO / "docs" / "check-kinds.md").read_text(encoding="utf-8")
    assert published == kinds_markdown(), "run: gxaudit rules kinds > docs/check-kinds.md"


def test_schema_is_valid_json_schema_and_accepts_the_builtin_pack():
    jsonschema.Draft202012Validator.check_schema(rule_file_schema())
    validator = jsonschema.Draft202012Validator(rule_file_schema())
    for path in rule_files(builtin_rules_dir()):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(document)), path
        assert schema_problems(document) == [], path


BAD = {
    "unknown key": ("weight: 1", "wieght: 1"),
    "unknown kind": ("kind: cells", "kind: cellz"),
    "param of another kind": ("select: applications[*][*]", "select: applications[*][*]\n      of: rows"),
    "wrong type": ("weight: 1", "weight: heavy"),
    "infinite weight": ("weight: 1", "weight: .inf"),
    "not a number weight": ("weight: 1", "weight: .nan"),
    "enum": ("severity: warning", "severity: fatal"),
    "missing required": ("    title: 测试\n", ""),
    "bad id": ("id: USR-TEST-001", "id: usr_test"),
    "missing select": ("      select: applications[*][*]\n", ""),
    "example of a wrong shape": ('message: "{row_label}为空"', 'message: "{row_label}为空"\n    examples: {trigger: [{txt: a}]}'),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_our_validator_and_json_schema_agree_on_invalid_files(case):
    old, new = BAD[case]
    text = RULE.replace(old, new)
    assert text != RULE
    document = yaml.safe_load(text)
    ours = schema_problems(document)
    theirs = list(jsonschema.Draft202012Validator(rule_file_schema()).iter_errors(document))
    if case == "not a number weight":  # JSON has no NaN: JSON Schema cannot say it; we refuse it
        assert ours
        return
    if case == "infinite weight":
        assert ours
        return
    assert ours, case
    assert theirs, case


def test_every_kind_example_is_a_valid_rule(tmp_path):
    for kind in KINDS.values():
        path = write(tmp_path, "rules:\n" + textwrap.indent(textwrap.dedent(kind.example).strip(), "  ") + "\n",
                     f"{kind.name}.yaml")
        (rule,) = load_rule_file(path)
        assert (rule.written_check or rule.check)["kind"] == kind.name


def test_every_builtin_message_uses_offered_placeholders():
    rules, _ = load_rules([builtin_rules_dir()])
    assert len(rules) >= 38  # loading checks it; the count keeps the test honest


# -------------------------------------------------------- semantic problems


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ('message: "{row_label}为空"', 'message: "{row_lable}为空"', 11,
         "cells 检查不提供占位符 {row_lable}"),
        ("select: applications[*][*]", "select: applications[new_applications][*]", 9,
         "未知的行 'new_applications'"),
        ("select: applications[*][*]", "select: applications[*][natural]", 9, "未知的列 'natural'"),
        ("select: applications[*][*]", "select: proactive[*][*]", 9, "proactive 需要 3 个键"),
        ("select: applications[*][*]", "select: tables[*][*]", 9, "select 'tables[*][*]'：无法解析"),
        ("select: applications[*][*]", "select: applications[result_rows][*]", 9,
         "未知的行 'result_rows'"),
    ],
)
def test_ids_and_placeholders_the_formats_do_not_have(tmp_path, old, new, line, message):
    path = write(tmp_path, RULE.replace(old, new))
    (issue,) = issues_of(path)
    assert issue.startswith(f"{path}:{line}:"), issue
    assert message in issue


def test_a_set_whose_members_no_format_has(tmp_path):
    text = "sets:\n  my_rows: [new, nwe]\n" + RULE.replace("applications[*][*]", "applications[my_rows][*]")
    (issue,) = issues_of(write(tmp_path, text))
    assert "集合 'my_rows' 含有任何格式都没有的行：nwe" in issue


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ("kind: presence\n      of: blocks\n      table: applications\n      assert: present",
         "不支持 presence of blocks in applications"),
        ("kind: year_mentions\n      sections: [overveiw]\n      assert: delta == 0", "未知的部分 'overveiw'"),
        ("kind: pattern\n      section: problems\n      regex: '(unclosed'\n      assert: matched", "regex:"),
        ("kind: equation\n      for_each: {c: applications.colums}\n      assert: applications[new][c] == 0",
         "未知的取值范围 'applications.colums'"),
        ("kind: cross_year\n      compare: carried\n      sections: [overview]\n      assert: share < 1",
         "sections 只在 compare: copied 时使用"),
    ],
)
def test_parameter_combinations_and_ids_per_kind(tmp_path, check, message):
    text = RULE.replace('kind: cells\n      select: applications[*][*]\n      assert: kind != "empty"', check)
    text = text.replace('"{row_label}为空"', "测试")
    found = issues_of(write(tmp_path, text))
    assert any(message in issue for issue in found), found


def test_a_user_rule_that_duplicates_a_builtin_names_both_files(tmp_path):
    path = write(tmp_path, RULE.replace("USR-TEST-001", "GX-BAL-003"))
    with pytest.raises(RuleFileError) as caught:
        load_rules([builtin_rules_dir(), path])
    (issue,) = [str(i) for i in caught.value.issues]
    assert str(path) in issue and "balance.yaml" in issue and "duplicate rule id GX-BAL-003" in issue


def test_validate_cli_exit_code_and_position(tmp_path, capsys):
    path = write(tmp_path, RULE.replace("{row_label}", "{row_lable}"))
    assert main(["rules", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:11:" in err and "row_lable" in err


# ------------------------------------------------------------ pinned examples

PINNED = """\
rules:
  - id: USR-BAL-009
    title: 行合计
    category: balance
    severity: error
    weight: 1
    check:
      kind: equation
      for_each: {r: applications.rows}
      assert: applications[r][total] == applications[r][natural_person] + applications[r][commercial]
    message: "{row_label}"
    examples:
      trigger:
        - text: |
            某镇2020年政府信息公开工作年度报告
            一、本年新收政府信息公开申请数量|1|0|0|0|0|0|2
          expect:
            - {line: 2, table: applications, row: new, column: total}
"""


def _run(tmp_path, text):
    rules = load_rule_file(write(tmp_path, text))
    everything, _ = load_rules([builtin_rules_dir()])
    return run_examples(rules, Auditor(everything + rules, load_scoring(), engine="reference"))


def test_an_example_pins_where_its_finding_lands(tmp_path):
    (result,) = _run(tmp_path, PINNED)
    assert result.ok, result.why
    (moved,) = _run(tmp_path, PINNED.replace("line: 2", "line: 3"))
    assert not moved.ok and "line 应为 3，实为 2" in moved.why
    (counted,) = _run(tmp_path, PINNED.replace("expect:\n            - {line: 2, table: applications, row: new, column: total}", "count: 2"))
    assert not counted.ok and "应有 2 条发现，实有 1 条" in counted.why


def test_an_example_that_cannot_be_audited_fails(tmp_path):
    broken = PINNED.replace("某镇2020年政府信息公开工作年度报告", "某镇2017年政府信息公开工作年度报告")
    (result,) = _run(tmp_path, broken)
    assert not result.ok and "示例无法审查" in result.why


# ------------------------------------------------------------- identity kind

OLD_BALANCE = {  # the equations balance.yaml spelled out before the formats declared them
    "GX-BAL-001": ("r", "applications.rows", "applications[r][total] == sum(applications[r][applicant_columns])"),
    "GX-BAL-002": ("c", "applications.columns", "applications[results_total][c] == sum(applications[result_rows][c])"),
    "GX-BAL-003": ("c", "applications.columns", "applications[new][c] + applications[carried_over][c] == "
                   "applications[results_total][c] + applications[carried_forward][c]"),
    "GX-BAL-004": ("b", "review_litigation.blocks", "review_litigation[b][total] == sum(review_litigation[b][review_results])"),
}
OLD_SETS = {
    "applicant_columns": ["natural_person", "commercial", "research", "social", "legal", "other"],
    "review_results": ["upheld", "corrected", "other", "pending"],
    "result_rows": {
        "2019": ["granted", "partial", "denied_secret", "denied_law", "denied_security", "denied_third_party",
                 "denied_internal", "denied_process", "denied_case_file", "denied_query", "unable_not_held",
                 "unable_need_create", "unable_unclear", "rejected_petition", "rejected_repeat",
                 "rejected_publication", "rejected_mass", "rejected_confirm", "other_handling"],
        "2021": ["granted", "partial", "denied_secret", "denied_law", "denied_security", "denied_third_party",
                 "denied_internal", "denied_process", "denied_case_file", "denied_query", "unable_not_held",
                 "unable_need_create", "unable_unclear", "rejected_petition", "rejected_repeat",
                 "rejected_publication", "rejected_mass", "rejected_confirm", "other_no_correction",
                 "other_no_fee", "other_misc"],
    },
}


def test_identity_rules_compile_to_the_equations_they_replace():
    """The balance rules read their identities from the formats; the engine gets the same conditions."""
    import dataclasses

    from gxaudit.rules.compile import compile_rules

    rules, _ = load_rules([builtin_rules_dir()])
    balance = [r for r in rules if r.id in OLD_BALANCE]
    assert len(balance) == 4 and all(r.written_check["kind"] == "identity" for r in balance)
    old = [dataclasses.replace(r, check={"kind": "equation", "for_each": {OLD_BALANCE[r.id][0]: OLD_BALANCE[r.id][1]},
                                         "assert": OLD_BALANCE[r.id][2]}, sets=OLD_SETS) for r in balance]
    assert compile_rules(balance)[0] == compile_rules(old)[0]


def test_an_identity_no_format_declares(tmp_path):
    text = RULE.replace('kind: cells\n      select: applications[*][*]\n      assert: kind != "empty"',
                        "kind: identity\n      table: applications\n      identity: columns_sum")
    (issue,) = issues_of(write(tmp_path, text))
    assert "没有格式声明 applications 的恒等关系 'columns_sum'（已声明的：balance, results, row_sums）" in issue


def test_an_equations_bindings_follow_the_format_object_not_only_its_id():
    """The bindings are made once per format (rules/kinds/equation.py): formats loaded again
    from other files (GXAUDIT_FORMATS) are other objects with the same ids, and a rule
    running over `applications.rows` must run over the rows of the one the report has."""
    import dataclasses

    from conftest import SEEDS

    from gxaudit.formats.load import load_formats
    from gxaudit.parse.document import parse_file
    from gxaudit.rules.kinds import equation
    from gxaudit.rules.kinds.base import Env, Labels

    report = parse_file(sorted(SEEDS.glob("*.txt"))[0])
    fmt = load_formats()[report.format]
    fewer = dataclasses.replace(fmt, application_rows=fmt.application_rows[:-2])  # same id
    params = {
        "assert": "applications[r][total] == sum(applications[r][applicant_columns])",
        "for_each": {"r": "applications.rows"},
    }
    sets = {"applicant_columns": ["natural_person", "commercial", "research", "social", "legal", "other"]}
    counts = [len(equation._bindings(Env(report, f, Labels(f), sets), params)) for f in (fmt, fewer, fmt)]
    assert counts == [len(fmt.application_rows), len(fmt.application_rows) - 2, len(fmt.application_rows)]


def test_a_long_line_gives_the_year_mentions_a_short_one_gives():
    # short lines are read once and remembered, longer ones (paragraphs) each time: the same reading
    from gxaudit.rules.kinds import year_mentions as Y

    short = "2021年工作计划：将继续推进公开；截至2021年1月20日，较2019年增加。《2018年条例》"
    long = "本机关" * 60 + short
    assert len(short) <= Y._CACHED_LINE < len(long)
    shift = len(long) - len(short)
    got_short, got_long = Y._mentions(short), Y._mentions(long)
    assert [m.year for m in got_short] == [2021, 2021, 2019]  # the title's 2018 left out
    assert [m._replace(column_number=m.column_number - shift, snippet="") for m in got_long] == [
        m._replace(snippet="") for m in got_short
    ]
    assert [(m.plan, m.as_of, m.comparison) for m in got_short] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
