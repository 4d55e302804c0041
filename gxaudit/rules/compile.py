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

A shared route carries at most what every engine takes on one route
(gxaudit.engine.route_capacity), so the routes, and with them the order of the
findings, are the same on every engine. `problems` says what in a rule set an
engine cannot run, rule by rule, for `rules validate`.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gxaudit.engine import CompiledRule, check_rules, route_capacity
from gxaudit.engine.model import AllOf, Compare, Condition, Const, Prop, alternatives
from gxaudit.errors import RuleError
from gxaudit.formats.load import load_formats
from gxaudit.rules import expr as E
from gxaudit.rules.kinds import expand, set_members
from gxaudit.rules.model import Rule

# Each rule of a shared route adds its gating flag to the route's facts: at most
# this many rules per route keeps a fact's properties few.
MAX_RULES_PER_ROUTE = 40


@dataclass
class RouteRule:
    rule: Rule
    engine_id: str
    format: str | None
    flag: str | None  # the gating property on shared routes


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


def violation(rule: Rule, fmt: str | None) -> Condition:
    tree = E.parse(rule.check["assert"])
    if rule.check["kind"] != "equation":
        return E.to_condition(tree, negate=True)
    variables = rule.check.get("for_each") or {}
    # the numbering does not depend on the variables' values: bind each to its own name
    substituted, _refs = expand(
        tree, {n: n for n in variables}, functools.partial(set_members, rule.sets, format_id=fmt)
    )
    tolerance = rule.check.get("tolerance") or 0
    if tolerance and substituted.op == "==":
        tol = E.Const(Decimal(str(tolerance)))
        left, right = substituted.left, substituted.right
        substituted = E.BoolOp(
            "and",
            (
                E.Compare(">=", left, E.Arith("-", right, tol)),
                E.Compare("<=", left, E.Arith("+", right, tol)),
            ),
        )
    return E.to_condition(substituted, negate=True)


def engine_id(rule: Rule, fmt: str | None) -> str:
    return f"{rule.id}@{fmt}" if rule.check["kind"] == "equation" else rule.id


def _shared_key(rule: Rule) -> str | None:
    """Rules with the same key read the same facts; None: a route of its own."""
    kind = rule.check["kind"]
    if kind in ("equation", "pattern"):
        return None
    params = {
        k: v
        for k, v in rule.check.items()
        if k not in ("assert", "sets") and not (kind == "cells" and k == "select")
    }
    return kind + ":" + json.dumps(params, sort_keys=True, ensure_ascii=False)


def compile_rules(rules: list[Rule]) -> tuple[list[CompiledRule], list[Route]]:
    """Engine rules, and the routes that say which facts to draw for them."""
    capacity = route_capacity()
    max_rules = min(MAX_RULES_PER_ROUTE, capacity.rules)
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
        cost = alternatives(condition)
        route = open_routes.get(key)
        if (
            route is None
            or len(route.rules) >= max_rules
            or route.alternatives + cost > capacity.alternatives
        ):
            route = Route(f"{kind}{len(routes)}", kind, rule.check)
            open_routes[key] = route
            routes.append(route)
        flag = f"on{len(route.rules)}"
        route.rules.append(RouteRule(rule, rule.id, None, flag))
        route.alternatives += cost
        gate = Compare("==", Prop(flag), Const(True))
        compiled.append(CompiledRule(rule.id, AllOf((gate, condition)), route=route.name))
    return compiled, routes


@dataclass(frozen=True)
class RuleProblem:
    """Why the audit cannot run `rule` (on the engine asked about)."""

    rule: Rule | None  # None: a problem of no one rule (not expected from compiled rules)
    message: str

    def error(self, others: int = 0) -> RuleError:
        """As an error naming the rule's file and line (and how many other problems)."""
        more = f" (and {others} more problems)" if others else ""
        if self.rule is None:
            return RuleError(self.message + more)
        return RuleError(
            f"rule {self.rule.id}: {self.message}{more}", path=self.rule.source or None, line=self.rule.line
        )


def problems(rules: list[Rule], engine: str) -> list[RuleProblem]:
    """Everything in `rules` that `engine` cannot run, each naming its rule.

    What `compile_rules` would raise for, and what the engine would refuse
    (gxaudit.engine.check_rules: constants outside int64, too many
    alternatives, too many rules, …). The rules are checked together, as the
    audit runs them (they share routes).
    """
    found: list[RuleProblem] = []
    compilable = []
    for rule in rules:
        try:
            compile_rules([rule])
        except (ValueError, RuleError) as exc:  # ExprError, CheckError, …
            found.append(RuleProblem(rule, str(exc)))
            continue
        compilable.append(rule)
    compiled, routes = compile_rules(compilable)
    by_engine_id = {rr.engine_id: rr.rule for route in routes for rr in route.rules}
    for problem in check_rules(compiled, engine):
        found.append(RuleProblem(by_engine_id.get(problem.rule_id), problem.message))
    return found


def check(rules: list[Rule], engine: str) -> None:
    """Raise RuleError for the first thing in `rules` that `engine` cannot run."""
    found = problems(rules, engine)
    if found:
        raise found[0].error(others=len(found) - 1)
