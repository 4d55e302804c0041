"""durable-rules and the reference evaluator give identical findings on every real report."""
import pytest

from conftest import CORPUS, REPORTS, SEEDS
from gxaudit.audit.auditor import Auditor
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.audit.scoring import load_scoring

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


def test_corpus_is_all_audited_or_not_applicable(auditors):
    statuses = {p.name: auditors["durable"].audit_file(p).status for p in FILES}
    assert statuses["016_pingtan_2018_pre_template_control.txt"] == "not_applicable"
    assert {s for n, s in statuses.items() if not n.startswith("016")} == {"audited"}
