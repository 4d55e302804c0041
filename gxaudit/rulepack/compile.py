"""Compiling rules into engine conditions over facts.

A rule's `assert` says what must hold; the engine is given its violation
(negation pushed down to the comparisons), so a match is a finding. An
equation's cells are numbered per format (its sets may differ by format):
it compiles to one condition per format, named `ID@FORMAT`.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..engine import CompiledRule
from ..formats import load_formats
from . import expr as E
from .checks import expand
from .loader import Rule


@dataclass(frozen=True)
class Variant:
    rule: Rule
    engine_id: str        # the `rule` property of this rule's facts
    format: str | None


def _sets_for(rule: Rule, fmt: str):
    def members(name: str) -> list[str] | None:
        value = rule.sets.get(name)
        if isinstance(value, dict):
            value = value.get(fmt) or value.get("default")
        return list(value) if value is not None else None
    return members


def violation(rule: Rule, fmt: str | None) -> dict[str, Any]:
    tree = E.parse(rule.check["assert"])
    if rule.check["kind"] != "equation":
        return E.to_condition(tree, negate=True)
    variables = rule.check.get("for_each") or {}
    # the numbering does not depend on the variables' values: bind each to its own name
    substituted, _refs = expand(tree, {n: n for n in variables}, _sets_for(rule, fmt or ""))
    tolerance = rule.check.get("tolerance") or 0
    if tolerance and substituted.op == "==":
        tol = E.Const(Decimal(str(tolerance)))
        left, right = substituted.left, substituted.right
        substituted = E.BoolOp("and", (
            E.Compare(">=", left, E.Arith("-", right, tol)),
            E.Compare("<=", left, E.Arith("+", right, tol))))
    return E.to_condition(substituted, negate=True)


def engine_id(rule: Rule, fmt: str | None) -> str:
    return f"{rule.id}@{fmt}" if rule.check["kind"] == "equation" else rule.id


def compile_rules(rules: list[Rule]) -> tuple[list[CompiledRule], dict[str, Variant]]:
    """Engine rules for every rule (and every format, for equations)."""
    compiled: list[CompiledRule] = []
    variants: dict[str, Variant] = {}
    for rule in rules:
        if not rule.enabled:
            continue
        formats = list(load_formats()) if rule.check["kind"] == "equation" else [None]
        for fmt in formats:
            if fmt is not None and rule.formats is not None and fmt not in rule.formats:
                continue
            name = engine_id(rule, fmt)
            compiled.append(CompiledRule(name, violation(rule, fmt)))
            variants[name] = Variant(rule, name, fmt)
    return compiled, variants
