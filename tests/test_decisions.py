"""Cross-year checks, the SQLite store, waivers that survive re-runs, diff, grouping."""
import copy
import json

import pytest

from conftest import CORPUS, SEEDS
from gxaudit.audit.auditor import Auditor
from gxaudit.audit.batch import apply_cross_year
from gxaudit.cli import main
from gxaudit.audit.crossyear import extract_figures, same_organ, organ_key
from gxaudit.parse.document import parse_file
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.audit.scoring import load_scoring

P008, P009 = CORPUS / "008_huaian_hongzequ_2023.pdf", CORPUS / "009_huaian_hongzequ_2024.pdf"
S001 = SEEDS / "001_0843dfdf5e1a4b6d.txt"


@pytest.fixture(scope="module")
def auditor():
    rules, _ = load_rules([builtin_rules_dir()])
    return Auditor(rules, load_scoring(), engine="durable")


def audit_json(capsys, *args):
    code = main(["audit", *args, "--format", "json", "--no-progress", "--jobs", "1"])
    return code, json.loads(capsys.readouterr().out)


def test_organ_names_across_years():
    assert organ_key("淮安市洪泽区人民政府") == "淮安市洪泽区"
    assert same_organ(organ_key("洪泽区人民政府"), organ_key("淮安市洪泽区人民政府"))
    assert not same_organ(organ_key("洪泽区人民政府"), organ_key("淮安市人民政府"))


def test_008_009_pair_is_checked(auditor):
    results = [auditor.audit_file(P008), auditor.audit_file(P009)]
    assert apply_cross_year(auditor, results) == 1
    later = results[1]
    assert later.previous == {"path": str(P008), "organ": "洪泽区人民政府", "year": 2023}
    # the real pair is consistent: 现行有效 5 + 3 − 0 = 8, and 上年结转 = 结转下年度
    assert [f for f in later.findings if f.category == "cross_year"] == []


def test_cross_year_findings_when_figures_disagree(auditor):
    last = extract_figures(parse_file(P008))
    bad = copy.deepcopy(last)
    bad["applications"]["carried_forward"] = {c: (v + 1 if c == "total" else v)
                                              for c, v in last["applications"]["carried_forward"].items()}
    bad["item1"]["normative_docs"]["in_force"] += 2
    result = auditor.audit_file(P009)
    auditor.audit_cross_year(result, bad)
    found = sorted((f.rule, f.location["row"], f.location["column"], f.expected, f.actual)
                   for f in result.findings if f.category == "cross_year")
    this_total = extract_figures(parse_file(P009))["applications"]["carried_over"]["total"]
    before_total = last["applications"]["carried_forward"]["total"]
    assert found == [
        ("GX-XYR-001", "carried_over", "total", before_total + 1, this_total),
        # 008 printed 现行有效 5 (raised to 7 here); 009 制发 3, 废止 0: 7 + 3 − 0 = 10, printed 8
        ("GX-XYR-002", "normative_docs", "in_force", 10, 8),
    ]
    xyr2 = next(f for f in result.findings if f.rule == "GX-XYR-002")
    assert xyr2.severity == "warning" and "上年现行有效 7 + 本年制发 3 − 本年废止 0 = 10" in xyr2.message


def test_store_gives_last_year_to_a_later_audit(tmp_path, capsys):
    store = tmp_path / "audits.db"
    audit_json(capsys, str(P008), "--store", str(store))
    _, doc = audit_json(capsys, str(P009), "--store", str(store))
    (report,) = doc["reports"]
    assert report["previous"] == {"path": str(P008), "organ": "洪泽区人民政府", "year": 2023}


def test_waiver_survives_reruns_and_expires(tmp_path, capsys):
    _, doc = audit_json(capsys, str(S001))
    target = next(f for f in doc["reports"][0]["findings"] if f["rule"] == "GX-STR-002")
    score_before = doc["reports"][0]["score"]
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        f"  - fingerprint: {target['fingerprint']}\n"
        "    reason: 已核实：第二部分内容并入其他部分，已责令明年更正\n"
        "    by: 张三\n"
        "    until: 2099-12-31\n"
        "  - rule: GX-STR-001\n"
        "    organ: 新青镇\n"
        "    year: 2020\n"
        "    reason: 过期的决定\n"
        "    by: 李四\n"
        "    until: 2001-01-01\n", encoding="utf-8")
    store = tmp_path / "audits.db"
    for _ in range(2):                           # the same decision on every re-run
        _, doc = audit_json(capsys, str(S001), "--waivers", str(waivers), "--store", str(store))
        findings = doc["reports"][0]["findings"]
        waived = [f for f in findings if f.get("waived")]
        assert [f["fingerprint"] for f in waived] == [target["fingerprint"]]
        assert waived[0]["deduction"] == 0 and waived[0]["waiver"]["by"] == "张三"
        assert doc["reports"][0]["score"] == score_before + target["deduction"]
        # the expired waiver does not apply
        assert all(not f.get("waived") for f in findings if f["rule"] == "GX-STR-001")
    import sqlite3
    rows = sqlite3.connect(store).execute(
        "SELECT run_id, waived FROM findings WHERE fingerprint = ?", (target["fingerprint"],)).fetchall()
    assert rows == [(1, 1), (2, 1)]


def test_bad_waiver_file_is_a_clear_error(tmp_path, capsys):
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers:\n  - fingerprint: 3f2a9c1d0e\n", encoding="utf-8")
    assert main(["audit", str(S001), "--waivers", str(waivers), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert f"gxaudit: 错误: {waivers}:2:5: waivers[1]：缺少必需的键 'reason'" in err


def test_diff_new_fixed_unchanged(tmp_path, capsys):
    original = SEEDS / "000_f29079d135fdfab1.txt"
    mutated = tmp_path / original.name
    lines = original.read_text(encoding="utf-8").split("\n")
    lines[59] = lines[59].replace("\t\t1\t", "\t\t2\t", 1)          # breaks two balances
    mutated.write_text("\n".join(lines), encoding="utf-8")
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    main(["audit", str(original), "--format", "json", "--output", str(old), "--no-progress"])
    main(["audit", str(mutated), "--format", "json", "--output", str(new), "--no-progress"])
    capsys.readouterr()
    # two new errors: exit 1, as an audit with errors, so that a script notices the regression
    assert main(["diff", str(old), str(new), "--format", "json"]) == 1
    (change,) = json.loads(capsys.readouterr().out)["reports"]   # matched by organ and year
    assert sorted(f["rule"] for f in change["new"]) == ["GX-BAL-001", "GX-BAL-003"]
    assert change["fixed"] == [] and change["status"] == "compared"
    assert main(["diff", str(new), str(old)]) == 0                 # only fixed ones
    out = capsys.readouterr().out
    assert "已整改 GX-BAL-001" in out and "半坡镇人民政府" in out
    # --fail-on as for audit: new findings below it do not count
    lowered = json.loads(new.read_text(encoding="utf-8"))
    for finding in lowered["reports"][0]["findings"]:
        if finding["fingerprint"] in {f["fingerprint"] for f in change["new"]}:
            finding["severity"] = "warning"
    (tmp_path / "lowered.json").write_text(json.dumps(lowered, ensure_ascii=False), encoding="utf-8")
    assert main(["diff", str(old), str(tmp_path / "lowered.json")]) == 0
    assert main(["diff", str(old), str(tmp_path / "lowered.json"), "--fail-on", "warning"]) == 1
    # nor do waived ones
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n" + "".join(
        f"  - {{fingerprint: {f['fingerprint']}, reason: 已核实, by: 张三}}\n" for f in change["new"]),
        encoding="utf-8")
    waived = tmp_path / "waived.json"
    main(["audit", str(mutated), "--format", "json", "--output", str(waived), "--no-progress",
          "--waivers", str(waivers)])
    capsys.readouterr()
    assert main(["diff", str(old), str(waived)]) == 0
    assert "新增  GX-BAL-001" in capsys.readouterr().out


def test_diff_of_stored_runs(tmp_path, capsys):
    store = tmp_path / "s.db"
    audit_json(capsys, str(S001), "--store", str(store))
    audit_json(capsys, str(S001), "--store", str(store))
    assert main(["diff", "1", "2", "--store", str(store), "--format", "json"]) == 0
    (change,) = json.loads(capsys.readouterr().out)["reports"]
    assert change["new"] == [] and change["fixed"] == [] and len(change["unchanged"]) == 8


def test_group_by_ranks_within_each_region(tmp_path, capsys):
    units = tmp_path / "units.csv"
    units.write_text("unit,region,level\n半坡镇人民政府,伊川县,乡镇\n新青镇,甲区,乡镇\n"
                     "焦虎镇,伊川县,乡镇\n" + f"{(SEEDS / '003_51b21fc9b3159953.txt').name},甲区,乡镇\n",
                     encoding="utf-8")
    _, doc = audit_json(capsys, str(SEEDS), "--units", str(units), "--group-by", "region")
    ranks = {(r["group"], r["organ"]): r["rank"] for r in doc["reports"]}
    assert ranks == {("伊川县", "半坡镇人民政府"): 1, ("伊川县", "焦虎镇"): 2,
                     ("甲区", "建塘镇人民政府"): 1, ("甲区", "新青镇"): 2, ("（未分组）", "景泰县"): 1}
    main(["audit", str(SEEDS), "--units", str(units), "--group-by", "region", "--no-progress"])
    assert "分组：伊川县" in capsys.readouterr().out
    assert main(["audit", str(SEEDS), "--units", str(units), "--group-by", "colour", "--no-progress"]) == 2


def test_previous_index_matches_like_find_previous():
    from gxaudit.audit.crossyear import PreviousIndex, find_previous
    pool = [{"organ_key": k, "year": y, "path": f"{k}{y}"} for k, y in [
        ("淮安市洪泽区", 2023), ("洪泽区", 2022), ("淮安市", 2023), ("新青镇", 2019), ("某某县新青镇", 2020)]]
    index = PreviousIndex(pool)
    for key, year in [("洪泽区", 2024), ("淮安市洪泽区", 2023), ("淮安市", 2024), ("新青镇", 2021),
                      ("某某县新青镇", 2020), ("青镇", 2020), ("无此机关", 2024)]:
        figures = {"organ_key": key, "year": year}
        assert index.find(figures) == find_previous(figures, pool), (key, year)
    assert index.find({"organ_key": "洪泽区", "year": 2024})["path"] == "淮安市洪泽区2023"
    assert index.find({"organ_key": "新青镇", "year": 2021})["path"] == "某某县新青镇2020"
