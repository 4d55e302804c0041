"""Compiling rules into engine conditions over shared streams of facts.

A rule's `assert` says what must hold; the engine is given its violation
(negation pushed down to the comparisons), so a match is a finding.

Rules of the same check kind and parameters read the same facts: they share
a *route* (one fact per table cell for all cell rules, one per part for all
section rules). Each rule of a shared route is gated by a flag property on
the fact, set when the rule applies to the report (format, years) and, for
cell rules, selects that cell; the rule's condition is `flag and violation`.
An equation's cells are numbered per format (its sets may differ by format):
it compiles to one condition per format, named `ID@FORMAT`, on a route of its own.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gxaudit.engine import CompiledRule
from gxaudit.engine.conditions import MAX_BRANCHES, condition_cost
from gxaudit.formats.load import load_formats
from gxaudit.rules import expr as E
from gxaudit.rules.kinds import expand, set_members
from gxaudit.rules.load import Rule

# Shared routes are cut into pieces so that a fact keeps few properties and
# the rules of one route stay within the engine's alternatives per fact.
MAX_RULES_PER_ROUTE = 40


@dataclass
class RouteRule:
    rule: Rule
    engine_id: str
    format: str | None
    flag: str | None            # the gating property on shared routes


@dataclass
class Route:
    name: str
    kind: str
    params: dict[str, Any]
    rules: list[RouteRule] = field(default_factory=list)
    alternatives: int = 0

    @property
    def shared(self) -> bool:
        return self.rules[0].flag is not None


def violation(rule: Rule, fmt: str | None) -> dict[str, Any]:
    tree = E.parse(rule.check["assert"])
    if rule.check["kind"] != "equation":
        return E.to_condition(tree, negate=True)
    variables = rule.check.get("for_each") or {}
    # the numbering does not depend on the variables' values: bind each to its own name
    substituted, _refs = expand(tree, {n: n for n in variables}, functools.partial(set_members, rule.sets, format_id=fmt))
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


def _shared_key(rule: Rule) -> str | None:
    """Rules with the same key read the same facts; None: a route of its own."""
    kind = rule.check["kind"]
    if kind in ("equation", "pattern"):
        return None
    params = {k: v for k, v in rule.check.items()
              if k not in ("assert", "sets") and not (kind == "cells" and k == "select")}
    return kind + ":" + json.dumps(params, sort_keys=True, ensure_ascii=False)


def compile_rules(rules: list[Rule]) -> tuple[list[CompiledRule], list[Route]]:
    """Engine rules, and the routes that say which facts to draw for them."""
    compiled: list[CompiledRule] = []
    routes: list[Route] = []
    open_routes: dict[str, Route] = {}
    for rule in rules:
        if not rule.enabled:
            continue
        kind = rule.check["kind"]
        key = _shared_key(rule)
        if key is None:
            formats = list(load_formats()) if kind == "equation" else [None]
            for fmt in formats:
                if fmt is not None and rule.formats is not None and fmt not in rule.formats:
                    continue
                name = engine_id(rule, fmt)
                compiled.append(CompiledRule(name, violation(rule, fmt), route=name))
                routes.append(Route(name, kind, rule.check, [RouteRule(rule, name, fmt, None)]))
            continue
        condition = violation(rule, None)
        cost = condition_cost(condition).branches
        route = open_routes.get(key)
        if route is None or len(route.rules) >= MAX_RULES_PER_ROUTE \
                or route.alternatives + cost > MAX_BRANCHES:
            route = Route(f"{kind}{len(routes)}", kind, rule.check)
            open_routes[key] = route
            routes.append(route)
        flag = f"on{len(route.rules)}"
        route.rules.append(RouteRule(rule, rule.id, None, flag))
        route.alternatives += cost
        compiled.append(CompiledRule(rule.id, {"$and": [{flag: True}, condition]}, route=route.name))
    return compiled, routes
