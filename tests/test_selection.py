"""Rule selection as ruff does it: layers, specificity, rules off by default, severity overrides."""
import pytest

from gxaudit.audit.batch import AuditSetup
from gxaudit.audit.selection import Layer, RuleSelection, unknown
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.rules.model import Rule


def rule(rule_id, category="cells", enabled=True, severity="error"):
    return Rule(id=rule_id, title="t", category=category, severity=severity, weight=1, check={}, message="m",
                enabled=enabled)


RULES = [rule("GX-CEL-001"), rule("GX-CEL-002"), rule("GX-BAL-001", "balance"),
         rule("GX-HIE-002", "structure", enabled=False)]


def on(selection):
    return [r.id for r in selection.apply(RULES) if r.enabled]


@pytest.mark.parametrize("layers, expected", [
    ((), ["GX-CEL-001", "GX-CEL-002", "GX-BAL-001"]),
    ((Layer(select=("GX-CEL",)),), ["GX-CEL-001", "GX-CEL-002"]),
    ((Layer(select=("cells",), ignore=("GX-CEL-002",)),), ["GX-CEL-001"]),
    ((Layer(select=("GX-CEL-002",), ignore=("cells",)),), ["GX-CEL-002"]),         # more specific wins
    ((Layer(select=("GX-CEL",), ignore=("GX-CEL",)),), []),                         # a tie: ignore wins
    ((Layer(ignore=("cells",)), Layer(extend_select=("GX-CEL-001",))), ["GX-CEL-001", "GX-BAL-001"]),
    ((Layer(ignore=("cells",)), Layer(select=("ALL",))), ["GX-CEL-001", "GX-CEL-002", "GX-BAL-001"]),
    ((Layer(select=("ALL",)),), ["GX-CEL-001", "GX-CEL-002", "GX-BAL-001"]),        # not the one off
    ((Layer(extend_select=("GX-HIE",)),), ["GX-CEL-001", "GX-CEL-002", "GX-BAL-001"]),
    ((Layer(extend_select=("gx-hie-002",)),), ["GX-CEL-001", "GX-CEL-002", "GX-BAL-001", "GX-HIE-002"]),
])
def test_layers(layers, expected):
    assert on(RuleSelection(layers)) == expected


def test_severity_overrides_most_specific_first():
    selection = RuleSelection(severity=(("GX-CEL-001", "info"), ("cells", "warning"), ("ALL", "error")))
    assert {r.id: r.severity for r in selection.apply(RULES)} == {
        "GX-CEL-001": "info", "GX-CEL-002": "warning", "GX-BAL-001": "error", "GX-HIE-002": "error"}


def test_unknown_selectors():
    assert unknown(["GX-CEL", "cells", "ALL", "GX-CELL", "celss"], RULES) == ["GX-CELL", "celss"]


def test_the_auditor_runs_the_selected_rules_and_names_the_selection():
    rules, version = load_rules([builtin_rules_dir()])
    plain = AuditSetup(rule_dirs=(str(builtin_rules_dir()),), scoring_path=None, engine="reference")
    chosen = AuditSetup(rule_dirs=plain.rule_dirs, scoring_path=None, engine="reference",
                        selection=RuleSelection((Layer(select=("balance",)),)))
    everything, some = plain.build((rules, version)), chosen.build((rules, version))
    on = [r for r in rules if r.enabled]                          # GX-HIE-001 is off by default
    assert {r.category for r in some.rules} == {"balance"} and len(everything.rules) == len(on)
    assert everything.rules_version == version and some.rules_version != version
