"""Plain-Python evaluator of the condition model (see model.py).

Each condition is compiled once into nested closures; a report is one pass
over its facts.  This is the specification every other engine is tested
against, so it follows the documented semantics literally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gxaudit.engine.contract import CompiledRule, EngineError, Match, Problem, RouteCapacity, check_facts
from gxaudit.engine.model import (
    AllOf,
    AnyOf,
    Arith,
    Compare,
    Const,
    Missing,
    Present,
    Prop,
    arith_values,
    compare_values,
)

Fact = dict
Pred = Callable[[Fact], bool]

_UNDEFINED = object()


def _compile_expr(expr: Any) -> Callable[[Fact], Any]:
    """Return f(fact) -> value, or _UNDEFINED (a missing property, bad operands)."""
    if isinstance(expr, Const):
        value = expr.value
        return lambda fact: value
    if isinstance(expr, Prop):
        name = expr.name

        def get(fact: Fact) -> Any:
            v = fact.get(name)
            return _UNDEFINED if v is None else v

        return get
    assert isinstance(expr, Arith)
    left = _compile_expr(expr.left)
    right = _compile_expr(expr.right)
    op = expr.op

    def arith(fact: Fact) -> Any:
        a = left(fact)
        ta = type(a)
        if ta is not int and ta is not float:  # also _UNDEFINED, str, bool
            return _UNDEFINED
        b = right(fact)
        tb = type(b)
        if tb is not int and tb is not float:
            return _UNDEFINED
        return arith_values(op, a, b)

    return arith


def compile_predicate(cond: Any) -> Pred:
    """Compile a (valid) condition into a predicate over one fact."""
    if isinstance(cond, Compare):
        op = cond.op
        if isinstance(cond.left, Prop) and isinstance(cond.right, Const):
            # the most common test, kept to one dict lookup
            name, const = cond.left.name, cond.right.value

            def prop_const(fact: Fact) -> bool:
                v = fact.get(name)
                return v is not None and compare_values(op, v, const)

            return prop_const
        left = _compile_expr(cond.left)
        if isinstance(cond.right, Const):
            const = cond.right.value

            def cmp_const(fact: Fact) -> bool:
                v = left(fact)
                return v is not _UNDEFINED and compare_values(op, v, const)

            return cmp_const
        right = _compile_expr(cond.right)

        def cmp_expr(fact: Fact) -> bool:
            v = left(fact)
            if v is _UNDEFINED:
                return False
            r = right(fact)
            return r is not _UNDEFINED and compare_values(op, v, r)

        return cmp_expr
    if isinstance(cond, Present):
        name = cond.prop
        return lambda fact: fact.get(name) is not None
    if isinstance(cond, Missing):
        name = cond.prop
        return lambda fact: fact.get(name) is None
    preds = tuple(compile_predicate(i) for i in cond.items)
    if isinstance(cond, AllOf):
        return lambda fact: all(p(fact) for p in preds)
    assert isinstance(cond, AnyOf)
    return lambda fact: any(p(fact) for p in preds)


def problems(rules: list[CompiledRule]) -> list[Problem]:
    """The reference evaluator takes every valid rule set."""
    return []


#: Any number of rules and alternatives on a route.
ROUTE_CAPACITY: RouteCapacity | None = None


class ReferenceEngine:
    """The plain-Python engine (name "reference"); rules already checked."""

    name = "reference"

    def __init__(self, rules: list[CompiledRule]):
        self._preds: dict[str, list[tuple[str, Pred]]] = {}
        for r in rules:
            self._preds.setdefault(r.fact_route, []).append((r.rule_id, compile_predicate(r.condition)))

    def evaluate(self, report_key: str, facts: list[dict], trusted: bool = False) -> list[Match]:
        if not trusted:
            check_facts(facts, report_key)
        preds = self._preds
        found: set[tuple[str, str]] = set()
        try:
            for fact in facts:
                for rule_id, pred in preds.get(fact["rule"], ()):
                    if pred(fact):
                        found.add((rule_id, fact["id"]))
        except Exception as exc:  # a bug here must not pass for "no finding"
            raise EngineError(f"{report_key}: reference engine failed: {exc!r}") from exc
        return [Match(r, f) for r, f in sorted(found)]


ENGINE = ReferenceEngine
