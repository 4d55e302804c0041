"""Waiver, scoring and units files and `diff` inputs are checked when loaded (issue 11).

Every mistake is one line naming the file, the key (and for YAML the line
and column), exit 2, before any report is audited: the audits below would
take seconds, the errors come back at once.
"""
import json
import time

import pytest

from conftest import SEEDS
from gxaudit.cli import main

S001 = str(SEEDS / "001_0843dfdf5e1a4b6d.txt")
FINGERPRINT = "0123456789abcdef0123"


def audit_error(capsys, *args):
    start = time.monotonic()
    code = main(["audit", S001, "--no-progress", "--jobs", "1", "--format", "json", *args])
    captured = capsys.readouterr()
    assert captured.out == ""                       # nothing was audited
    assert "Traceback" not in captured.err
    return code, captured.err.strip().splitlines(), time.monotonic() - start


def waiver_file(tmp_path, body):
    path = tmp_path / "waivers.yaml"
    path.write_text(body, encoding="utf-8")
    return path


VALID_WAIVER = f"  - fingerprint: {FINGERPRINT}\n    reason: 已核实\n    by: 张三\n"


@pytest.mark.parametrize("body, where, words", [
    # an impossible date, unquoted (YAML reads it as a date) and quoted
    ("waivers:\n" + VALID_WAIVER + "    until: 2020-02-30\n", "5:12", "不是有效的日期：'2020-02-30'"),
    ("waivers:\n" + VALID_WAIVER + "    until: '2021-13-01'\n", "5:12",
     "waivers[1].until：应为存在的日期 YYYY-MM-DD"),
    ("waivers:\n" + VALID_WAIVER + "    year: 二〇二〇\n", "5:11", "waivers[1].year：应为整数"),
    ("waivers:\n" + VALID_WAIVER + "    year: 20200\n", "5:11", "waivers[1].year：不能大于 2200"),
    ("waivers:\n" + VALID_WAIVER + "    colour: red\n", "5:5", "waivers[1].colour：未知的键 'colour'"),
    ("waivers:\n  - rule: GX-BAL-003\n    reason: 已核实\n    by: 张三\n", "2:5",
     "waivers[1]：需要 fingerprint，或者 rule 加 organ"),
    ("waivers:\n  - rule: gx-bal\n    organ: 某镇\n    reason: 已核实\n    by: 张三\n", "2:11",
     "waivers[1].rule：'gx-bal' 不是规则编号"),
    ("waivers:\n" + VALID_WAIVER.replace("张三", "''"), "4:9", "waivers[1].by：不能为空"),
    ("waivers:\n  reason: not a list\n", "2:3", "waivers：应为列表"),
    ("waivers: [" * 60 + "]" * 60 + "\n", "1:", "嵌套超过 50 层"),
    ("- just a list\n", "1:1", "应为映射"),
    # a key named twice: PyYAML kept the second organ and the waiver silently waived nothing
    ("waivers:\n  - rule: GX-CEL-001\n    organ: 新青镇\n    organ: 建塘镇\n    reason: 已核实\n    by: 张三\n",
     "4:5", "YAML 键 'organ' 重复（第 3 行第 5 列已有）"),
])
def test_waiver_file_mistakes(tmp_path, capsys, body, where, words):
    path = waiver_file(tmp_path, body)
    code, err, elapsed = audit_error(capsys, "--waivers", str(path))
    assert code == 2 and len(err) == 1, err
    assert f"{path}:{where}" in err[0] and words in err[0], err
    assert elapsed < 5


def test_an_empty_waiver_file_waives_nothing(tmp_path, capsys):
    path = waiver_file(tmp_path, "# no decisions yet\n")
    code = main(["audit", S001, "--no-progress", "--jobs", "1", "--format", "json", "--waivers", str(path)])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and not any(f.get("waived") for f in doc["reports"][0]["findings"])


def test_an_expired_waiver_is_said_once_and_applies_no_more(tmp_path, capsys):
    """A waiver past its `until` waived nothing without a word: a supervisor rerunning a year
    later did not learn why a finding came back. One warning names it; the others apply."""
    body = (
        "waivers:\n"
        "  - {rule: GX-CEL-001, organ: 新青镇, year: 2020, reason: 已核实, by: 张三, until: 2020-01-01}\n"
        "  - {rule: GX-CEL-002, organ: 新青镇, reason: 已核实, by: 张三, until: 2999-12-31}\n"
    )
    path = waiver_file(tmp_path, body)
    code = main(["audit", S001, "--no-progress", "--jobs", "1", "--format", "json", "--waivers", str(path)])
    captured = capsys.readouterr()
    warned = [line for line in captured.err.splitlines() if "到期" in line]
    assert code in (0, 1)
    assert len(warned) == 1 and "GX-CEL-001 新青镇 2020年" in warned[0] and "2020-01-01" in warned[0], warned
    assert str(path) in warned[0]


SCORING = """start: 100
severity_factor: {error: 1.0, warning: 0.5, info: 0.0}
cap_per_rule: 15
cap_per_category: {balance: 30}
grades:
  - {min: 90, grade: 优秀}
  - {min: 0, grade: 不合格}
"""


@pytest.mark.parametrize("old, new, where, words", [
    ("error: 1.0", "error: .nan", "2:26", "severity_factor.error：应为数字"),
    ("cap_per_rule: 15", "cap_per_rule: .inf", "3:15", "cap_per_rule：应为数字"),
    ("cap_per_rule: 15", "cap_per_rule: -1", "3:15", "cap_per_rule：不能小于 0"),
    ("{balance: 30}", "{balence: 30}", "4:20", "cap_per_category.balence：未知的键"),
    ("info: 0.0}", "info: 0.0, fatal: 2}", "2:56", "severity_factor.fatal：未知的键"),
    ("start: 100", "begin: 100", "1:1", "begin：未知的键 'begin'"),
    ("  - {min: 0, grade: 不合格}", "  - {min: 0}", "7:5", "grades[2]：缺少必需的键 'grade'"),
    ("cap_per_rule: 15", "cap_per_rule: 15\ncap_per_rule: 40", "4:1", "YAML 键 'cap_per_rule' 重复"),
    ("{balance: 30}", "{balance: 30, balance: 5}", "4:33", "YAML 键 'balance' 重复（第 4 行第 20 列已有）"),
])
def test_scoring_file_mistakes(tmp_path, capsys, old, new, where, words):
    path = tmp_path / "scoring.yaml"
    assert old in SCORING
    path.write_text(SCORING.replace(old, new), encoding="utf-8")
    code, err, _ = audit_error(capsys, "--scoring", str(path))
    assert code == 2 and len(err) == 1, err
    assert f"{path}:{where}" in err[0] and words in err[0], err


def test_a_valid_scoring_file_is_used(tmp_path, capsys):
    path = tmp_path / "scoring.yaml"
    path.write_text(SCORING.replace("start: 100", "start: 50"), encoding="utf-8")
    main(["audit", S001, "--no-progress", "--jobs", "1", "--format", "json", "--scoring", str(path)])
    doc = json.loads(capsys.readouterr().out)
    assert doc["reports"][0]["score"] < 50


@pytest.mark.parametrize("text, where, words", [
    ("", ":1", "单位文件为空"),
    ("unit,region,,level\n某镇,甲区,,乡镇\n", ":1", "表头第 3 列没有名称"),
    ("unit,region,region\n某镇,甲区,乙区\n", ":1", "列名 'region' 重复"),
    ("unit,region\n某镇,甲区,多余\n", ":2", "这一行有 3 列，表头有 2 列"),
    ("unit,region\n某镇,甲区\n某镇,乙区\n", ":3", "'某镇' 与第 2 行重复"),
    ("unit,region\n,甲区\n", ":2", "第一列（unit）为空"),
    ("unit,published_date\n某镇,2020-02-30\n", ":2", "published_date：'2020-02-30' 不是存在的日期"),
    ("unit,发布日期\n某镇,2024年2月30日\n", ":2", "发布日期：'2024年2月30日' 不是存在的日期"),
    ("unit,region\n某镇,\"甲区\n", ":2", "CSV 格式错误"),
])
def test_units_file_mistakes(tmp_path, capsys, text, where, words):
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    code, err, _ = audit_error(capsys, "--units", str(path))
    assert code == 2 and len(err) == 1, err
    assert f"{path}{where}" in err[0] and words in err[0], err


def test_units_dates_that_exist_are_accepted(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text("unit,region,published_date\n新青镇,甲区,2021-01-31\n某镇,乙区,2024/2/29\n",
                    encoding="utf-8")
    code = main(["audit", S001, "--no-progress", "--jobs", "1", "--format", "json",
                 "--units", str(path), "--group-by", "region"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["reports"][0]["group"] == "甲区"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_a_units_file_excel_saved_is_read_in_its_encoding(tmp_path, capsys, encoding):
    """Excel on Chinese Windows saves a CSV in GBK (and "Unicode 文本" as UTF-16 with its
    mark): read as such, the groups as in UTF-8 (a GBK file was refused as not UTF-8)."""
    path = tmp_path / "units.csv"
    path.write_text("unit,region,published_date\n新青镇,甲区,2021-01-31\n", encoding=encoding)
    code = main(["audit", S001, "--no-progress", "--jobs", "1", "--format", "json",
                 "--units", str(path), "--group-by", "region"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["reports"][0]["group"] == "甲区"


def test_a_units_file_of_another_encoding_is_still_refused(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_bytes(b"unit,region\n\x00\xff\xfe\x00,\x81\n")
    code, err, _ = audit_error(capsys, "--units", str(path))
    assert code == 2 and "不是 UTF-8" in err[0], err


def audit_document(tmp_path, capsys):
    path = tmp_path / "run.json"
    main(["audit", S001, "--no-progress", "--jobs", "1", "--format", "json", "--output", str(path)])
    capsys.readouterr()
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_diff_inputs_are_checked(tmp_path, capsys):
    good, doc = audit_document(tmp_path, capsys)
    cases = []
    wrong = json.loads(json.dumps(doc))
    wrong["reports"][0]["findings"][2]["fingerprint"] = 42
    cases.append((wrong, "reports[1].findings[3].fingerprint：应为文本"))
    wrong = json.loads(json.dumps(doc))
    wrong["reports"][0]["year"] = "2020"
    cases.append((wrong, "reports[1].year：应为整数或空值"))
    wrong = json.loads(json.dumps(doc))
    del wrong["reports"][0]["path"]
    cases.append((wrong, "reports[1]：缺少必需的键 'path'"))
    cases.append(({"schema_version": 2, "reports": []}, "schema_version：应为 1 之一"))
    cases.append(([1, 2, 3], "应为映射"))
    for document, words in cases:
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(document), encoding="utf-8")
        assert main(["diff", str(good), str(bad)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and str(bad) in err[0] and words in err[0], err
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1,\n "reports": [}', encoding="utf-8")
    assert main(["diff", str(good), str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:2:14" in err and "不是审查结果 JSON" in err
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["diff", str(good), str(deep)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert main(["diff", "1", str(good)]) == 2
    assert "请加 --store" in capsys.readouterr().err


def test_diff_reads_result_files_of_any_size(tmp_path, capsys):
    """A result file is some 25 KB a real report: a batch of a few hundred reports is over the
    10 MB bound of settings files, and diff must still compare it with the next run."""
    from gxaudit.formats.nodes import MAX_FILE_BYTES

    _path, doc = audit_document(tmp_path, capsys)
    (report,) = doc["reports"]
    copies = MAX_FILE_BYTES // len(json.dumps(report, ensure_ascii=False, indent=2)) + 100
    doc["reports"] = [dict(report, path=f"{i}/{report['path']}", organ=f"{i}{report['organ']}")
                      for i in range(copies)]
    big = tmp_path / "big.json"
    big.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    assert big.stat().st_size > MAX_FILE_BYTES
    assert main(["diff", str(big), str(big), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    changes = json.loads(captured.out)["reports"]
    assert len(changes) == copies and all(c["status"] == "compared" and not c["new"] for c in changes)
    assert len(changes[-1]["unchanged"]) == len(report["findings"]) > 0
    # written with a BOM (as by an editor) it is read as before; bytes that are not UTF-8 are named
    bom = tmp_path / "bom.json"
    bom.write_bytes("\ufeff".encode() + big.read_bytes())
    assert main(["diff", str(big), str(bom)]) == 0
    assert capsys.readouterr().out.count("\n") > copies
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"schema_version": 1, "reports": [{"path": "caf\xe9"}]}')
    assert main(["diff", str(big), str(latin)]) == 2
    assert capsys.readouterr().err.strip().endswith(f"gxaudit: 错误: {latin}: 审查结果文件不是 UTF-8 文本（第 47 字节无法解码）")


def test_settings_files_keep_their_size_bound(tmp_path, capsys):
    from gxaudit.formats.nodes import MAX_FILE_BYTES

    path = waiver_file(tmp_path, "waivers: []\n" + "#" * MAX_FILE_BYTES + "\n")
    code, err, _ = audit_error(capsys, "--waivers", str(path))
    assert code == 2 and len(err) == 1 and str(path) in err[0] and "豁免文件过大" in err[0], err


def test_diff_calls_an_absent_report_not_audited(tmp_path, capsys):
    old, doc = audit_document(tmp_path, capsys)
    assert doc["reports"][0]["findings"]
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps(dict(doc, reports=[])), encoding="utf-8")
    assert main(["diff", str(old), str(empty), "--format", "json"]) == 0
    (change,) = json.loads(capsys.readouterr().out)["reports"]
    assert change["status"] == "not audited" and change["fixed"] == []
    # the same when the newer run could not read the report
    failed = json.loads(json.dumps(doc))
    failed["reports"][0].update(status="error", error="文件为空", findings=[], score=None)
    (tmp_path / "failed.json").write_text(json.dumps(failed), encoding="utf-8")
    assert main(["diff", str(old), str(tmp_path / "failed.json")]) == 0
    out = capsys.readouterr().out
    assert "未审计" in out and "已整改 GX" not in out
