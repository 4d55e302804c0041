"""Plain-Python evaluator of the condition dialect (see conditions.py).

Each condition is compiled once into nested closures; a report is one pass
over its facts.  This is the specification the durable engine is tested
against, so it follows the documented semantics literally.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from gxaudit.engine import CompiledRule, EngineError, Match, check_facts
from gxaudit.engine.conditions import (
    And,
    Arith,
    Cmp,
    Const,
    Ex,
    Nex,
    Or,
    Ref,
    c_arith,
    parse_condition,
    string_key,
)

Fact = dict
Pred = Callable[[Fact], bool]
# An expression evaluates to (kind, value) or None when undefined.
ExprFn = Callable[[Fact], Any]

_OPS = {
    "$eq": operator.eq,
    "$neq": operator.ne,
    "$lt": operator.lt,
    "$lte": operator.le,
    "$gt": operator.gt,
    "$gte": operator.ge,
}
_ORDERING = {"$lt", "$lte", "$gt", "$gte"}


def _compare(op: str, left: Any, right: Any) -> bool:
    """Compare two present values under the dialect's semantics."""
    tl, tr = type(left), type(right)
    if tl is int or tl is float:
        if tr is int:
            if tl is int:
                return _OPS[op](left, right)
            return _OPS[op](left, float(right))
        if tr is float:
            return _OPS[op](float(left), right)
        return False
    if tl is str:
        if tr is not str:
            return False
        if op in _ORDERING:
            return _OPS[op](string_key(left), string_key(right))
        return _OPS[op](left, right)
    if tl is bool and tr is bool:
        if op in _ORDERING:
            return False
        return _OPS[op](left, right)
    return False


_MISSING = object()


def _compile_expr(expr) -> Callable[[Fact], Any]:
    """Return f(fact) -> value, or _MISSING when undefined."""
    if isinstance(expr, Const):
        value = expr.value
        return lambda fact: value
    if isinstance(expr, Ref):
        prop = expr.prop

        def get(fact: Fact) -> Any:
            v = fact.get(prop)
            return _MISSING if v is None else v

        return get
    assert isinstance(expr, Arith)
    left = _compile_expr(expr.left)
    right = _compile_expr(expr.right)
    op = expr.op

    def arith(fact: Fact) -> Any:
        a = left(fact)
        ta = type(a)
        if ta is not int and ta is not float:  # also _MISSING, str, bool
            return _MISSING
        b = right(fact)
        tb = type(b)
        if tb is not int and tb is not float:
            return _MISSING
        return c_arith(op, a, b)

    return arith


def compile_predicate(node) -> Pred:
    """Compile a parsed condition into a predicate over one fact."""
    if isinstance(node, Cmp):
        prop, op = node.prop, node.op
        if isinstance(node.expr, Const):
            const = node.expr.value

            def cmp_const(fact: Fact) -> bool:
                v = fact.get(prop)
                return v is not None and _compare(op, v, const)

            return cmp_const
        rhs = _compile_expr(node.expr)

        def cmp_expr(fact: Fact) -> bool:
            v = fact.get(prop)
            if v is None:
                return False
            r = rhs(fact)
            return r is not _MISSING and _compare(op, v, r)

        return cmp_expr
    if isinstance(node, Ex):
        prop = node.prop
        return lambda fact: fact.get(prop) is not None
    if isinstance(node, Nex):
        prop = node.prop
        return lambda fact: fact.get(prop) is None
    preds = tuple(compile_predicate(i) for i in node.items)
    if isinstance(node, And):
        return lambda fact: all(p(fact) for p in preds)
    assert isinstance(node, Or)
    return lambda fact: any(p(fact) for p in preds)


class ReferenceEngine:
    """The plain-Python engine (name "reference")."""

    name = "reference"

    def __init__(self, rules: list[CompiledRule]):
        self._preds: dict[str, list[tuple[str, Pred]]] = {}
        for r in rules:
            self._preds.setdefault(r.fact_route, []).append(
                (r.rule_id, compile_predicate(parse_condition(r.condition))))

    def evaluate(self, report_key: str, facts: list[dict]) -> list[Match]:
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
