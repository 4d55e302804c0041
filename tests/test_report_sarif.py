"""The SARIF 2.1.0 log: valid against the official schema, located, stable fingerprints.

tests/data/sarif-schema-2.1.0.json is the SARIF 2.1.0 JSON schema as shipped by
Microsoft's SARIF SDK in the npm package @microsoft/sarif-multitool-linux 5.7.0
(file package/sarif-2.1.0.json, byte for byte; sha256
1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c). It declares
JSON Schema 2020-12. No PyPI package ships the schema file.
"""
import json
from pathlib import Path

import pytest

import jsonschema

from conftest import CORPUS, REPORTS
from gxaudit import __version__
from gxaudit.audit.ranking import rank
from gxaudit.audit.batch import AuditSetup, run_batch
from gxaudit.report.sarif import artifact_uri, render_sarif, rule_name
from gxaudit.rules.load import builtin_rules_dir, load_rules

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
REPO = REPORTS.parent
PRE_2019 = CORPUS / "016_pingtan_2018_pre_template_control.txt"


def audit(paths):
    setup = AuditSetup(rule_dirs=(str(builtin_rules_dir()),), scoring_path=None, engine="durable")
    return rank(run_batch([str(p) for p in paths], setup, jobs=1, progress=False))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sarif")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.md").write_text("# 会议纪要\n\n没有标题也没有表格。\n", encoding="utf-8")
    paths = sorted(REPORTS.glob("*.txt")) + [folder / "empty.txt", folder / "notes.md"]
    if PRE_2019.exists():
        paths.append(PRE_2019)
    return paths


@pytest.fixture(scope="module")
def rules():
    return load_rules([builtin_rules_dir()])


@pytest.fixture(scope="module")
def results(inputs):
    return audit(inputs)


@pytest.fixture(scope="module")
def log(results, rules):
    return render_sarif(results, rules[0], rules[1], base=REPO)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)       # the draft the schema declares
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_vendored_schema_is_the_sarif_2_1_0_schema():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_log_validates_against_the_sarif_schema(log, validator):
    text = json.dumps(log, ensure_ascii=False)           # JSON all the way (no tuples, Decimals)
    errors = sorted(validator.iter_errors(json.loads(text)), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_schema_catches_a_broken_log(log, validator):
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(broken)


def test_tool_and_rules(log, rules):
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gxaudit" and driver["version"] == __version__
    assert [d["id"] for d in driver["rules"]] == [r.id for r in rules[0]]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for descriptor, rule in zip(driver["rules"], rules[0]):
        assert descriptor["name"] == rule_name(rule.id)
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["fullDescription"]["text"] == (rule.description or rule.title)
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.severity]
        assert descriptor["properties"]["category"] == rule.category
        assert descriptor["properties"]["weight"] == rule.weight
    assert rule_name("GX-BAL-003") == "GxBal003"
    assert run["properties"]["rulesVersion"] == rules[1]


def test_results_carry_physical_and_logical_locations(log, results):
    run = log["runs"][0]
    # findings as listed: repeated ones of a rule on one row or table are one result
    findings = [(r, f) for r in results for f in r.shown_findings()]
    assert findings and len(run["results"]) == len(findings)
    grouped = [(sarif, f) for sarif, (_, f) in zip(run["results"], findings) if f.items]
    assert grouped, "the samples have repeated findings"
    for sarif, f in grouped:                                      # each item a related location
        assert [x["message"]["text"] for x in sarif["relatedLocations"]] == [i.message for i in f.items]
        assert sarif["properties"]["items"] == [i.fingerprint for i in f.items]
    descriptors = run["tool"]["driver"]["rules"]
    for sarif, (report, f) in zip(run["results"], findings):
        assert sarif["ruleId"] == f.rule and descriptors[sarif["ruleIndex"]]["id"] == f.rule
        assert sarif["message"]["text"] == f.message
        assert sarif["partialFingerprints"] == {"gxaudit/v1": f.fingerprint}
        assert sarif["properties"]["deduction"] == f.deduction
        assert (sarif["properties"]["organ"], sarif["properties"]["year"]) == (report.organ, report.year)
        [location] = sarif["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert uri == Path(report.path).relative_to(REPO).as_posix()     # relative to the base
        assert run["artifacts"][physical["artifactLocation"]["index"]]["location"]["uri"] == uri
        if f.location.get("line"):
            assert physical["region"]["startLine"] == f.location["line"]
        [logical] = location["logicalLocations"]
        assert logical["name"] and logical["fullyQualifiedName"] and logical["kind"]
        if f.location.get("table"):
            parts = [f.location[k] for k in ("table", "row", "column") if f.location.get(k)]
            assert logical["fullyQualifiedName"] == "/".join(parts)
        elif f.location.get("section"):
            assert (logical["fullyQualifiedName"], logical["kind"]) == (f.location["section"], "section")
    kinds = {loc["logicalLocations"][0]["kind"] for res in run["results"] for loc in res["locations"]}
    assert "cell" in kinds and "section" in kinds
    assert any(res["locations"][0]["physicalLocation"].get("region") for res in run["results"])


def test_reports_are_artifacts_with_their_score(log, results):
    run = log["runs"][0]
    assert len(run["artifacts"]) == len(results)
    for artifact, r in zip(run["artifacts"], results):
        props = artifact["properties"]
        assert (props["rank"], props["score"], props["grade"], props["status"]) == (
            r.rank, r.score, r.grade, r.status)
    ranking = run["properties"]["ranking"]
    assert [entry["rank"] for entry in ranking] == [r.rank for r in results]


def test_files_that_could_not_be_processed_are_notifications(log, results):
    [invocation] = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    errors = [n for n in notes if n["level"] == "error"]
    broken = [r for r in results if r.status == "error"]
    assert len(errors) == len(broken) == 1       # notes.md is not a report: a note, not an error
    for note, r in zip(errors, broken):
        assert r.error in note["message"]["text"]
        uri = note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == artifact_uri(r.path, REPO)
    assert any("文件为空" in n["message"]["text"] for n in errors)
    assert [n["level"] for n in notes if "notes.md" in n["message"]["text"]] == ["note"]
    if PRE_2019.exists():
        assert [n["level"] for n in notes if "016_pingtan" in n["message"]["text"]] == ["note"]


def test_fingerprints_are_stable_across_runs(inputs, rules, log, tmp_path):
    again = render_sarif(audit(inputs), rules[0], rules[1], base=REPO)
    first = [r["partialFingerprints"]["gxaudit/v1"] for r in log["runs"][0]["results"]]
    second = [r["partialFingerprints"]["gxaudit/v1"] for r in again["runs"][0]["results"]]
    assert first == second
    assert json.dumps(again, ensure_ascii=False) == json.dumps(log, ensure_ascii=False)


def test_fingerprints_survive_a_line_shift_and_a_move(rules, tmp_path):
    source = REPORTS / "003_51b21fc9b3159953.txt"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    moved = tmp_path / "其他目录" / "新青镇.txt"
    moved.parent.mkdir()
    # two blank lines after the opening paragraph (the title spans lines 1-2)
    moved.write_text("".join(lines[:3]) + "\n\n" + "".join(lines[3:]), encoding="utf-8")
    before = render_sarif(audit([source]), rules[0], rules[1], base=REPO)["runs"][0]["results"]
    after = render_sarif(audit([moved]), rules[0], rules[1], base=tmp_path)["runs"][0]["results"]
    assert before
    assert ([r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after])
    shifted = [(b["locations"][0]["physicalLocation"]["region"]["startLine"],
                a["locations"][0]["physicalLocation"]["region"]["startLine"])
               for b, a in zip(before, after) if "region" in b["locations"][0]["physicalLocation"]]
    assert shifted and all(new == old + 2 for old, new in shifted)
    assert after[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "%E5%85%B6%E4%BB%96%E7%9B%AE%E5%BD%95/%E6%96%B0%E9%9D%92%E9%95%87.txt"


def test_waived_findings_are_external_suppressions(results, rules, validator):
    report = next(r for r in results if r.shown_findings() and not r.shown_findings()[0].items)
    finding = report.shown_findings()[0]
    saved = finding.waiver
    try:
        finding.waiver = {"reason": "已核实，系填报笔误", "by": "张三", "until": "2027-06-30"}
        log = render_sarif(results, rules[0], rules[1], base=REPO)
    finally:
        finding.waiver = saved
    assert validator.is_valid(log)
    sarif = next(r for r in log["runs"][0]["results"]
                 if r["partialFingerprints"]["gxaudit/v1"] == finding.fingerprint)
    [suppression] = sarif["suppressions"]
    assert suppression["kind"] == "external" and suppression["justification"] == "已核实，系填报笔误"
    assert suppression["properties"] == {"by": "张三", "until": "2027-06-30"}
    others = [r for r in log["runs"][0]["results"] if r is not sarif]
    assert not any("suppressions" in r for r in others)


def test_artifact_uri(tmp_path):
    assert artifact_uri("reports/a b.txt") == "reports/a%20b.txt"
    assert artifact_uri(str(tmp_path / "报告.txt"), tmp_path) == "%E6%8A%A5%E5%91%8A.txt"
    outside = artifact_uri("/elsewhere/报告.txt", tmp_path)
    assert outside == "file:///elsewhere/%E6%8A%A5%E5%91%8A.txt"
