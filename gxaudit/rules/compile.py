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

Cell rules read a table row as one fact (row groups, below): each rule is
compiled once per column slot, `ID|TABLE.SLOT`, over the slot's properties.
The findings are those of one fact per cell, in the same order.

A shared route carries at most what every engine takes on one route
(gxaudit.engine.route_capacity), so the routes, and with them the order of the
findings, are the same on every engine. `problems` says what in a rule set an
engine cannot run, rule by rule, for `rules validate`.
"""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gxaudit.engine import MAX_FACT_PROPERTIES, CompiledRule, RouteCapacity, check_rules, route_capacity
from gxaudit.engine.model import AllOf, Compare, Condition, Const, Prop, alternatives, props_of, rename
from gxaudit.engine.reference import compile_predicate
from gxaudit.errors import RuleError
from gxaudit.formats.load import load_formats
from gxaudit.rules import expr as E
from gxaudit.rules.kinds import expand, set_members
from gxaudit.rules.kinds.cells import row_flag, row_width, slot_flag, slot_name
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


@dataclass(frozen=True)
class RowGroup:
    """Cell rules read as one fact per table row: the column slots `slots` of `table`.

    The fact carries, for each slot j, the cell properties the group's rules
    read, named `<prop>_<j>`, and the flags of the rules that select that cell
    (kinds/cells.py). Each (rule, slot) is its own engine rule, so a match
    names the row fact and the slot.
    """

    name: str  # the engine route of these facts
    table: str
    slots: tuple[int, ...]
    props: tuple[str, ...]  # the cell properties the group's rules read
    whole: frozenset[int]  # rules (index in Route.rules) gated by one flag a row
    rules: dict[str, tuple[int, int]]  # engine rule id -> (index in Route.rules, slot)
    # the fact's property names, made once: slot -> ((prop, "prop_slot"), …); (rule, slot) -> its flag
    names: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    flags: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class Route:
    name: str
    kind: str
    params: dict[str, Any]
    rules: list[RouteRule] = field(default_factory=list)
    alternatives: int = 0
    rows: tuple[RowGroup, ...] = ()  # cell rules: the facts are rows (no facts of route `name`)

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
    violations: dict[str, Condition] = {}  # cell rules by id, for their row rules
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
        violations[rule.id] = condition
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
        flag = sys.intern(f"on{len(route.rules)}")  # interned: see kinds/cells.py
        route.rules.append(RouteRule(rule, rule.id, None, flag))
        route.alternatives += cost
        gate = Compare("==", Prop(flag), Const(True))
        compiled.append(CompiledRule(rule.id, AllOf((gate, condition)), route=route.name))
    rows: dict[str, list[CompiledRule]] = {}
    for route in routes:
        if route.kind == "cells" and route.shared:
            rows[route.name] = _row_rules(route, violations, capacity)
    _fit_in_all(rows, routes, compiled, capacity)
    if not rows:
        return compiled, routes
    # each cells route's rules give way to its row rules, where the route's first rule was
    row_routes = set(rows)
    out: list[CompiledRule] = []
    for compiled_rule in compiled:
        if compiled_rule.route not in row_routes:
            out.append(compiled_rule)
        elif compiled_rule.route in rows:
            out.extend(rows.pop(compiled_rule.route))
    return out, routes


# ------------------------------------------------------------------ row facts
#
# One fact per table cell made a report's ~200 cell facts the bulk of the
# engine's work, and 99.7 % of them match nothing: the cells of a row are one
# fact instead (issue 10, benchmarks/SPEED-PLAN.md section 4). A row group
# holds as many column slots as one route of every engine takes: rules x
# slots <= route_capacity().rules, alternatives x slots <= .alternatives, and
# the fact's properties within MAX_FACT_PROPERTIES (limits the durable adapter
# declares in engine/durable/limits.py and check_rules reports per rule).

_CELL_TABLES = ("proactive", "applications", "review_litigation")


def _selects(rule: Rule) -> list[E.CellRef]:
    select = rule.check.get("select")
    refs = [E.parse(text) for text in ([select] if isinstance(select, str) else list(select or []))]
    return [ref for ref in refs if isinstance(ref, E.CellRef)]


def _fit_in_all(
    rows: dict[str, list[CompiledRule]],
    routes: list[Route],
    compiled: list[CompiledRule],
    capacity: RouteCapacity,
) -> None:
    """Keep one fact per cell for the routes whose row rules would pass the engines' total.

    Row rules multiply a cell rule by the columns it may read; where that
    passes `capacity.in_all`, the routes that add the most go back to one fact
    per cell (their compiled rules are still in `compiled`), largest first.
    """
    if capacity.in_all is None or not rows:
        return
    cell_cost = dict.fromkeys(rows, 0)
    total = 0
    for rule in compiled:
        cost = alternatives(rule.condition)
        total += cost
        if rule.route in cell_cost:
            cell_cost[rule.route] += cost
    added = {
        name: sum(alternatives(r.condition) for r in rules) - cell_cost[name] for name, rules in rows.items()
    }
    total += sum(added.values())
    by_name = {route.name: route for route in routes}
    for name in sorted(added, key=lambda n: (-added[n], n)):
        if total <= capacity.in_all:
            break
        total -= added[name]
        del rows[name]
        by_name[name].rows = ()


def _row_rules(route: Route, violations: dict[str, Condition], capacity: RouteCapacity) -> list[CompiledRule]:
    """The engine rules of a cells route read as row facts: one per (rule, column slot)."""
    conditions = [violations[rr.rule.id] for rr in route.rules]
    groups: list[RowGroup] = []
    out: list[CompiledRule] = []
    for table in _CELL_TABLES:
        members = [k for k, rr in enumerate(route.rules) if any(r.table == table for r in _selects(rr.rule))]
        if not members:
            continue
        props = sorted(set().union(*(props_of(conditions[k]) for k in members)))
        # one flag a row for a rule that selects every cell of the table, unless its
        # violation holds where a slot has no cell at all (no properties)
        whole = frozenset(
            k
            for k in members
            if any(
                r.table == table and all(key == "*" for key in r.keys) for r in _selects(route.rules[k].rule)
            )
            and not compile_predicate(conditions[k])({})
        )
        per_slot_props = len(props) + len(members) - len(whole)
        fit = min(
            row_width(table),
            capacity.rules // len(members),
            capacity.alternatives // max(1, sum(alternatives(conditions[k]) for k in members)),
            (MAX_FACT_PROPERTIES - 2 - len(whole)) // max(1, per_slot_props),
        )
        width = row_width(table)
        for number, start in enumerate(range(0, width, max(1, fit))):
            slots = tuple(range(start, min(width, start + max(1, fit))))
            name = f"{route.name}.{table}.{number}"
            ids: dict[str, tuple[int, int]] = {}
            for k in members:
                for j in slots:
                    rule_id = f"{route.rules[k].engine_id}|{table}.{j}"
                    ids[rule_id] = (k, j)
                    flag = row_flag(k) if k in whole else slot_flag(k, j)
                    renamed = rename(conditions[k], functools.partial(slot_name, slot=j))
                    # the flag last: the value tests are the selective ones (durable scans
                    # every property of a fact at each node the fact reaches)
                    gate = Compare("==", Prop(flag), Const(True))
                    out.append(CompiledRule(rule_id, AllOf((renamed, gate)), route=name))
            names = {j: tuple((p, slot_name(p, j)) for p in props) for j in slots}
            flags = {(k, j): row_flag(k) if k in whole else slot_flag(k, j) for k in members for j in slots}
            groups.append(RowGroup(name, table, slots, tuple(props), whole, ids, names, flags))
    route.rows = tuple(groups)
    return out


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
            f"规则 {self.rule.id}：{self.message}{more}",
            path=self.rule.source or None,
            line=self.rule.line,
            column=self.rule.column or None,
        )


def problems(rules: list[Rule], engine: str) -> list[RuleProblem]:
    """Everything in `rules` that `engine` cannot run, each naming its rule.

    What `compile_rules` would raise for, and what the engine would refuse
    (gxaudit.engine.check_rules: constants outside int64, too many
    alternatives, too many rules, …). The rules are checked together, as the
    audit runs them (they share routes).
    """
    found: list[RuleProblem] = []
    try:  # the usual case, compiled once (thousands of rules: each expression parsed once)
        compiled, routes = compile_rules(rules)
    except (ValueError, RuleError):  # ExprError, CheckError, …: find every rule at fault
        compilable = []
        for rule in rules:
            try:
                compile_rules([rule])
            except (ValueError, RuleError) as exc:
                found.append(RuleProblem(rule, str(exc)))
                continue
            compilable.append(rule)
        compiled, routes = compile_rules(compilable)
    by_engine_id = {rr.engine_id: rr.rule for route in routes for rr in route.rules}
    for route in routes:
        for group in route.rows:
            by_engine_id |= {rule_id: route.rules[k].rule for rule_id, (k, _j) in group.rules.items()}
    for problem in check_rules(compiled, engine):
        found.append(RuleProblem(by_engine_id.get(problem.rule_id), problem.message))
    return found


def check(rules: list[Rule], engine: str) -> None:
    """Raise RuleError for the first thing in `rules` that `engine` cannot run."""
    found = problems(rules, engine)
    if found:
        raise found[0].error(others=len(found) - 1)
