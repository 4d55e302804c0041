"""durable-rules and the reference evaluator give identical findings on every real report."""
import random

import pytest
from conftest import CORPUS, REPORTS, SEEDS

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.crossyear import extract_figures
from gxaudit.audit.scoring import load_scoring
from gxaudit.parse import ast
from gxaudit.parse.document import parse_file
from gxaudit.rules.load import builtin_rules_dir, load_rules

FILES = sorted(REPORTS.glob("*.txt")) + sorted(SEEDS.glob("*.txt")) + sorted(
    p for p in CORPUS.iterdir() if p.name != "README.md")


@pytest.fixture(scope="module")
def auditors():
    rules, _ = load_rules([builtin_rules_dir()])
    return {name: Auditor(rules, load_scoring(), engine=name) for name in ("durable", "reference")}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_same_findings(auditors, path):
    results = {name: auditor.audit_file(path) for name, auditor in auditors.items()}
    durable, reference = results["durable"], results["reference"]
    assert durable.status == reference.status
    assert [f.to_dict() for f in durable.findings] == [f.to_dict() for f in reference.findings]
    assert durable.score == reference.score
    if durable.status == "audited":
        assert durable.facts > 0


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_facts_gxaudit_draws_are_valid_so_the_engines_may_trust_them(auditors, path):
    """The auditor evaluates with trusted=True (no check_facts): every fact it draws must pass it."""
    from gxaudit.engine import check_facts

    report = parse_file(path)
    if report.format == ast.FORMAT_PRE_2019:
        pytest.skip("not audited")
    figures = extract_figures(report)
    facts, _ = auditors["durable"].facts_for(report, report.format, report.year, figures=figures)
    check_facts(facts, path.name)
    # and the cross-year facts, the report paired with itself as last year
    cross, _ = auditors["durable"].facts_for(
        None, report.format, report.year, figures=figures, previous=figures, only_kind="cross_year"
    )
    check_facts(cross, path.name)
    assert facts and cross


def test_corpus_is_all_audited_or_not_applicable(auditors):
    statuses = {p.name: auditors["durable"].audit_file(p).status for p in FILES}
    assert statuses["016_pingtan_2018_pre_template_control.txt"] == "not_applicable"
    assert {s for n, s in statuses.items() if not n.startswith("016")} == {"audited"}


def test_builtin_rules_are_model_conditions_both_engines_take(auditors):
    from gxaudit.engine import check_rules, model
    from gxaudit.rules.compile import compile_rules

    compiled, _routes = compile_rules(auditors["durable"].rules)
    assert all(model.condition_problem(r.condition) is None for r in compiled)
    assert check_rules(compiled, "durable") == [] and check_rules(compiled, "reference") == []


def _perturbed(fact: dict, rnd: random.Random) -> dict:
    """The fact with some values moved to a near miss (gating flags kept)."""
    out = dict(fact)
    for key, value in fact.items():
        if key in ("rule", "id") or key.startswith("on") or rnd.random() > 0.3:
            continue
        if type(value) is bool:
            out[key] = not value
        elif type(value) in (int, float):
            out[key] = rnd.choice([value + 1, value - 1, value * 1.5, 0, -value, None, str(value)])
        elif type(value) is str:
            out[key] = rnd.choice(["", value + "x", "number", "text", "empty", "2021", None, 1])
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_same_matches_on_near_misses_of_real_facts(auditors, path):
    """The built-in rules over each real report's facts, nudged: durable == reference."""
    report = parse_file(path)
    if report.format == ast.FORMAT_PRE_2019:
        pytest.skip("not audited")
    facts, _ = auditors["reference"].facts_for(report, report.format, report.year,
                                               figures=extract_figures(report))
    rnd = random.Random(path.name)
    nudged = [_perturbed(f, rnd) for f in facts]
    durable = auditors["durable"].engine.evaluate(f"nudged-{path.name}", nudged)
    reference = auditors["reference"].engine.evaluate(f"nudged-{path.name}", nudged)
    assert durable == reference
    assert durable != auditors["reference"].engine.evaluate(path.name, facts)  # the nudges matter


def test_every_fact_asserted_in_shared_sessions_gives_the_reference_findings(auditors, monkeypatch):
    """The durable engine's memory set aside (every fact of every report asserted), reports
    share durable sessions, each closed after 1,000 facts: every report still gets exactly
    the reference engine's findings (engine/durable/engine.py, "Sessions")."""
    from gxaudit.engine.durable import engine as durable_engine
    from gxaudit.rules.compile import compile_rules

    monkeypatch.setattr(durable_engine, "SESSION_FACTS", 1000)
    asserting = Auditor(auditors["durable"].rules, load_scoring(), engine="durable")
    asserting.engine = durable_engine.DurableEngine(compile_rules(asserting.rules)[0], memo_size=0)
    asserting.engine.close()  # a session left open by other tests of these rules
    registered = asserting.engine._reg
    first_sid = next(registered._sid_counter)
    for path in FILES:
        got, expected = asserting.audit_file(path), auditors["reference"].audit_file(path)
        assert [f.to_dict() for f in got.findings] == [f.to_dict() for f in expected.findings], path.name
    sessions = next(registered._sid_counter) - first_sid - 1
    assert 1 < sessions < len(FILES) - 1  # sessions were shared by reports, and closed when full
    asserting.engine.close()
    assert registered.leaked_sessions == 0
