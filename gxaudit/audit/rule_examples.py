"""`gxaudit rules test`: every rule's examples must (not) trigger it, and where
an example pins its findings (`expect`, `count`), they must be exactly those.

In an example, "|" between cells stands for a tab, so that table rows can be
written in YAML readably. An example that cannot be audited (the report text
is not a report, the engine fails) is a failure, never a fired rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.crossyear import extract_figures
from gxaudit.audit.findings import STATUS_AUDITED, Finding
from gxaudit.parse.document import parse_document, parse_source
from gxaudit.read.files import read_decoded
from gxaudit.rules.model import LOCATION_KEYS, Example, Rule


@dataclass
class ExampleResult:
    rule: str
    example: Example
    expect_trigger: bool
    triggered: bool
    messages: list[str]
    why: str = ""  # empty when the example passed
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.why


def example_text(example: Example) -> str:
    return example.text.replace("|", "\t")


def _where(finding: Finding) -> dict[str, Any]:
    location = dict(finding.location)
    return {k: location.get(k) for k in LOCATION_KEYS}


def _pinned(example: Example, own: list[Finding]) -> str:
    """Why the findings differ from what the example pins ("" when they do not)."""
    if example.count is not None and len(own) != example.count:
        return f"应有 {example.count} 条发现，实有 {len(own)} 条"
    if example.expect is None:
        return ""
    if len(own) != len(example.expect):
        return f"应在 {example.expect} 有 {len(example.expect)} 条发现，实有 {len(own)} 条"
    for index, (want, finding) in enumerate(zip(example.expect, own), start=1):
        got = _where(finding)
        wrong = {k: (v, got.get(k)) for k, v in want.items() if got.get(k) != v}
        if wrong:
            shown = "，".join(f"{k} 应为 {v!r}，实为 {g!r}" for k, (v, g) in wrong.items())
            return f"第 {index} 条发现：{shown}"
    return ""


def _judge(expect_trigger: bool, example: Example, own: list[Finding]) -> str:
    if expect_trigger and not own:
        return "应触发，但没有触发"
    if not expect_trigger and own:
        return "不应触发，但触发了"
    return _pinned(example, own) if expect_trigger else ""


def run_examples(rules: list[Rule], auditor: Auditor) -> list[ExampleResult]:
    """Run each rule's examples through `auditor` (which holds all the rules)."""
    results = []
    for rule in rules:
        cases = [(e, True) for e in rule.trigger_examples] + [(e, False) for e in rule.pass_examples]
        for example, expect in cases:
            where = f"{rule.source}:{example.line}"
            # an example may be a web page or Markdown: read it as a file of that kind would be
            report = parse_source(read_decoded(example_text(example), where), where)
            previous = None
            if example.previous is not None:
                last = parse_document(example.previous.replace("|", "\t"), f"{where}:previous")
                previous = extract_figures(last)
            audited = auditor.audit_report(report, previous=previous, unit=example.unit)
            if example.children and audited.status == STATUS_AUDITED:
                children = [
                    extract_figures(parse_document(text.replace("|", "\t"), f"{where}:child{index}"))
                    for index, text in enumerate(example.children, start=1)
                ]
                auditor.audit_hierarchy(audited, children)
            if audited.status != STATUS_AUDITED:
                results.append(
                    ExampleResult(
                        rule.id,
                        example,
                        expect,
                        False,
                        [],
                        f"示例无法审查：{audited.error}",
                    )
                )
                continue
            own = [f for f in audited.findings if f.rule == rule.id]
            results.append(
                ExampleResult(
                    rule.id,
                    example,
                    expect,
                    bool(own),
                    [f.message for f in own],
                    _judge(expect, example, own),
                    own,
                )
            )
    return results
