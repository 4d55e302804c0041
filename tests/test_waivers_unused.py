"""Waivers that matched no finding of a report they are for: said once after the run
(stderr, one line each with the file and line) and listed in the JSON (`unused_waivers`),
the same under --jobs 1 and 2; a waiver for a report the run did not audit, for a rule
that did not run on it, or past its day is not said so."""

import copy
import json

import pytest

from conftest import CORPUS, SEEDS
from gxaudit.audit.auditor import Auditor
from gxaudit.audit.crossyear import extract_figures
from gxaudit.audit.scoring import load_scoring
from gxaudit.audit.waivers import load_waivers
from gxaudit.cli import main
from gxaudit.parse.document import parse_file
from gxaudit.rules.load import builtin_rules_dir, load_rules

P008, P009 = CORPUS / "008_huaian_hongzequ_2023.pdf", CORPUS / "009_huaian_hongzequ_2024.pdf"
UNUSED = "在本次审查的报告中没有匹配到任何问题"


def audit(capsys, *args):
    code = main(["audit", *map(str, args), "--format", "json", "--no-progress"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


@pytest.fixture(scope="module")
def seeds_doc():
    """The seeds' findings without waivers: the waivers below are written from them."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["audit", str(SEEDS), "--format", "json", "--no-progress", "--jobs", "1"])
    return {r["organ"]: r for r in json.loads(out.getvalue())["reports"]}


def _waivers(tmp_path, seeds_doc):
    """Seven waivers, each starting at a known line: used, stale, for a report not audited,
    a rule id that does not exist, a stale fingerprint naming its organ, a fingerprint alone,
    expired."""
    xinqing, banpo, jiaohu = seeds_doc["新青镇"], seeds_doc["半坡镇人民政府"], seeds_doc["焦虎镇"]
    used = next(f for f in xinqing["findings"] if f["rule"] == "GX-STR-002")
    assert all(f["rule"] != "GX-BAL-001" for f in banpo["findings"])  # stale: nothing to match
    assert jiaohu["year"] == 2021 and banpo["year"] == 2020
    fingerprints = {f["fingerprint"] for r in seeds_doc.values() for f in r["findings"]}
    assert not {"0123456789abcdef0123", "fedcba9876543210fedc"} & fingerprints
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n"
        f"  - fingerprint: {used['fingerprint']}\n"  # line 2
        "    reason: 已核实\n"
        "    by: 张三\n"
        "  - rule: GX-BAL-001\n"  # line 5
        "    organ: 半坡镇人民政府\n"
        "    year: 2020\n"
        "    reason: 旧决定\n"
        "    by: 李四\n"
        "  - rule: GX-CEL-001\n"  # line 10: no report of this organ in the run
        "    organ: 某某县\n"
        "    year: 2020\n"
        "    reason: 别的报告\n"
        "    by: 王五\n"
        "  - rule: GX-CEL-0O1\n"  # line 15: no such rule
        "    organ: 新青镇\n"
        "    reason: 笔误\n"
        "    by: 赵六\n"
        "  - fingerprint: 0123456789abcdef0123\n"  # line 19
        "    organ: 焦虎镇\n"
        "    year: 2021\n"
        "    reason: 已整改\n"
        "    by: 钱七\n"
        "  - fingerprint: fedcba9876543210fedc\n"  # line 24: which report, cannot be told
        "    reason: 不知哪份\n"
        "    by: 孙八\n"
        "  - rule: GX-BAL-001\n"  # line 27: expired (said at the start only)
        "    organ: 半坡镇人民政府\n"
        "    reason: 过期\n"
        "    by: 周九\n"
        "    until: 2020-01-01\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_stale_waivers_are_said_once_with_their_line(tmp_path, capsys, seeds_doc, jobs):
    waivers = _waivers(tmp_path, seeds_doc)
    code, doc, err = audit(capsys, SEEDS, "--waivers", waivers, "--jobs", jobs)
    assert code == 1
    said = [line for line in err.splitlines() if UNUSED in line]
    assert said == [
        f"gxaudit: 警告: {waivers}:5: 豁免（GX-BAL-001 半坡镇人民政府 2020年）{UNUSED}"
        "（问题已整改，或豁免写错了），请核对后删除或更正",
        f"gxaudit: 警告: {waivers}:15: 豁免（GX-CEL-0O1 新青镇）{UNUSED}"
        "（规则 GX-CEL-0O1 不在本次加载的规则中，编号写错了？），请核对后删除或更正",
        f"gxaudit: 警告: {waivers}:19: 豁免（指纹 0123456789abcdef0123，焦虎镇 2021年）{UNUSED}"
        "（问题已整改，或豁免写错了），请核对后删除或更正",
    ]
    # the expired one: said at the start, once
    assert [line for line in err.splitlines() if f"{waivers}:27" in line] == [
        f"gxaudit: 警告: {waivers}:27: 豁免（GX-BAL-001 半坡镇人民政府）已于 2020-01-01 到期，本次不再适用"
    ]
    listed = doc["unused_waivers"]
    assert [(w["file"], w["line"], w["rule"], w["fingerprint"], w["organ"]) for w in listed] == [
        (str(waivers), 5, "GX-BAL-001", None, "半坡镇人民政府"),
        (str(waivers), 15, "GX-CEL-0O1", None, "新青镇"),
        (str(waivers), 19, None, "0123456789abcdef0123", "焦虎镇"),
    ]
    assert listed[0] == {
        "file": str(waivers),
        "line": 5,
        "fingerprint": None,
        "rule": "GX-BAL-001",
        "organ": "半坡镇人民政府",
        "year": 2020,
        "reason": "旧决定",
        "by": "李四",
        "until": None,
    }
    # the used one did waive its finding
    xinqing = next(r for r in doc["reports"] if r["organ"] == "新青镇")
    assert [f["rule"] for f in xinqing["findings"] if f.get("waived")] == ["GX-STR-002"]


def test_jobs_one_and_two_write_the_same_document(tmp_path, capsys, seeds_doc):
    waivers = _waivers(tmp_path, seeds_doc)
    one, two = tmp_path / "1.json", tmp_path / "2.json"
    for jobs, output in (("1", one), ("2", two)):
        main(["audit", str(SEEDS), "--waivers", str(waivers), "--format", "json", "--output", str(output),
              "--no-progress", "--jobs", jobs])
    capsys.readouterr()
    assert one.read_bytes() == two.read_bytes()
    assert len(json.loads(one.read_text(encoding="utf-8"))["unused_waivers"]) == 3


def test_a_waiver_for_a_rule_that_did_not_run_is_not_said(tmp_path, capsys, seeds_doc):
    waivers = tmp_path / "w.yaml"
    assert seeds_doc["新青镇"]["format"] == "2019" and seeds_doc["半坡镇人民政府"]["year"] == 2020
    waivers.write_text(
        "waivers:\n"
        "  - {rule: GX-BAL-001, organ: 半坡镇人民政府, reason: 旧决定, by: 李四}\n"
        # GX-CON-001 applies to the 2021 format, GX-STR-006 from 2021: neither ran on these
        "  - {rule: GX-CON-001, organ: 新青镇, year: 2020, reason: 不适用, by: 李四}\n"
        "  - {rule: GX-STR-006, organ: 半坡镇人民政府, reason: 不适用, by: 李四}\n",
        encoding="utf-8",
    )
    _, doc, err = audit(capsys, SEEDS, "--waivers", waivers, "--jobs", "1")
    assert [w["line"] for w in doc["unused_waivers"]] == [2]
    assert [line.split(": ")[2] for line in err.splitlines() if UNUSED in line] == [f"{waivers}:2"]
    # switched off: GX-BAL-001 did not run, so its waiver could not have matched
    _, doc, err = audit(capsys, SEEDS, "--waivers", waivers, "--jobs", "1", "--ignore", "GX-BAL")
    assert "unused_waivers" not in doc and UNUSED not in err


def test_no_stale_waiver_no_member(tmp_path, capsys, seeds_doc):
    used = next(f for f in seeds_doc["新青镇"]["findings"] if f["rule"] == "GX-STR-002")
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        f"waivers:\n  - {{fingerprint: {used['fingerprint']}, organ: 新青镇, reason: 已核实, by: 张三}}\n"
        "  - {rule: GX-CEL-001, organ: 新青镇, year: 2020, reason: 已核实, by: 张三}\n",
        encoding="utf-8",
    )
    _, doc, err = audit(capsys, SEEDS, "--waivers", waivers, "--jobs", "2")
    assert "unused_waivers" not in doc and UNUSED not in err
    waived = {f["rule"] for r in doc["reports"] for f in r["findings"] if f.get("waived")}
    assert waived == {"GX-STR-002", "GX-CEL-001"}


def _auditor(waivers) -> Auditor:
    rules, _ = load_rules([builtin_rules_dir()])
    return Auditor(rules, load_scoring(), engine="durable", waivers=waivers)


def test_cross_year_waivers_count_only_where_last_year_was_found(tmp_path):
    """Cross-year findings are added after the batch (in the parent): a waiver for one is
    used there, and it is for the report only when last year's report was found."""
    path = tmp_path / "w.yaml"
    path.write_text(
        "waivers:\n"
        "  - {rule: GX-XYR-002, organ: 洪泽区人民政府, year: 2024, reason: 已核实, by: 张三}\n"
        "  - {rule: GX-XYR-003, organ: 洪泽区人民政府, year: 2024, reason: 旧决定, by: 张三}\n",
        encoding="utf-8",
    )
    waivers = load_waivers(path)
    auditor = _auditor(waivers)
    result = auditor.audit_file(P009)
    assert result.organ.endswith("洪泽区人民政府") and result.year == 2024
    # no last year's report yet: the cross-year rules did not run, nothing is stale
    assert waivers.unused() == [] and result.waivers_for == ()
    last = extract_figures(parse_file(P008))
    bad = copy.deepcopy(last)
    bad["item1"]["normative_docs"]["in_force"] += 2  # GX-XYR-002 fires (see test_decisions)
    auditor.audit_cross_year(result, bad)
    assert [f.rule for f in result.findings if f.waived] == ["GX-XYR-002"]
    assert [w.rule for w in waivers.unused()] == ["GX-XYR-003"]
    assert result.waivers_for == (0, 1) and result.waivers_used == (0,)


def test_what_travels_with_a_result_is_the_waivers_places(tmp_path):
    """A worker's result carries the waivers for its report and those it used; the parent
    merges them (a waiver used by one report of an organ is not stale for another year's)."""
    from gxaudit.audit.batch.work import Summary

    path = tmp_path / "w.yaml"
    path.write_text(
        "waivers:\n"
        "  - {rule: GX-XYR-002, organ: 某县, reason: 别的单位, by: 张三}\n"
        "  - {rule: GX-STR-002, organ: 新青镇, reason: 每年都缺第二部分, by: 张三}\n"
        "  - {rule: GX-BAL-001, organ: 新青镇, reason: 旧决定, by: 张三}\n",
        encoding="utf-8",
    )
    worker = load_waivers(path)
    result = _auditor(worker).audit_file(SEEDS / "001_0843dfdf5e1a4b6d.txt")
    summary = Summary.of(result)
    assert (summary.waivers_for, summary.waivers_used) == ((1, 2), (1,))
    parent = load_waivers(path)
    parent.merge(summary.waivers_for, summary.waivers_used)
    assert [w.line for w in parent.unused()] == [4]
    parent.merge((2,), (2,))  # another report of the organ used it
    assert parent.unused() == []
