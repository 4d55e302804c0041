"""`gxaudit rules test`: every rule's examples must (not) trigger it.

In an example, "|" between cells stands for a tab, so that table rows can be
written in YAML readably.
"""

from __future__ import annotations

from dataclasses import dataclass

from gxaudit.audit.crossyear import extract_figures
from gxaudit.parse.document import parse_document
from gxaudit.rules.load import Example, Rule


@dataclass
class ExampleResult:
    rule: str
    example: Example
    expect_trigger: bool
    triggered: bool
    messages: list[str]

    @property
    def ok(self) -> bool:
        return self.triggered == self.expect_trigger


def example_text(example: Example) -> str:
    return example.text.replace("|", "\t")


def run_examples(rules: list[Rule], auditor) -> list[ExampleResult]:
    """Run each rule's examples through `auditor` (which holds all the rules)."""
    results = []
    for rule in rules:
        cases = [(e, True) for e in rule.trigger_examples] + [(e, False) for e in rule.pass_examples]
        for example, expect in cases:
            report = parse_document(example_text(example), f"{rule.source}:{example.line}")
            previous = None
            if example.previous is not None:
                last = parse_document(
                    example.previous.replace("|", "\t"), f"{rule.source}:{example.line}:previous"
                )
                previous = extract_figures(last)
            audited = auditor.audit_report(report, previous=previous)
            own = [f.message for f in audited.findings if f.rule == rule.id]
            if audited.status == "error":
                own = [f"error: {audited.error}"]
            results.append(ExampleResult(rule.id, example, expect, bool(own), own))
    return results
