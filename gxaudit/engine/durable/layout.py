"""A whole rule set as one durable ruleset, and what in it durable cannot take.

Every compiled rule becomes durable rules ``"r<i>_<j>"`` (one per
alternative) of the form ``{"all": [{"m": {"$and": [{"bkt": b}, {"rule":
route}, test, ...]}}]}``; the rules of a route share a bucket ``b`` (see
limits.py).  The layout also says, per route, which helper properties its
facts carry, and which names the rules read (their hashes must differ).

:func:`lay_out` never raises for a rule set the model accepts: what durable
cannot take is collected as problems naming a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxaudit.engine.contract import CompiledRule, Problem
from gxaudit.engine.durable import limits
from gxaudit.engine.durable.jsonform import fnv1a32
from gxaudit.engine.durable.translate import Needs, name, names_read, translate
from gxaudit.engine.model import alternatives

MARKER_RULE = "$document"  # the route of the marker fact (rule ids never start with "$")
MARKER_BUCKET = -1


@dataclass(frozen=True)
class RouteInfo:
    """How the facts of one route are asserted."""

    bucket: int
    flags: tuple[tuple[str, str], ...]  # (prop, "prop#e")
    tags: tuple[tuple[str, str, str], ...]  # (prop, "prop#t", "prop#v")
    consts: tuple[tuple[str, int | float], ...]  # ("k..#c", value)
    # the fact properties the route's rules test, and the names they test them under, by the
    # value's kind: {"n": "prop#n", ...}. Nothing else of a fact is sent (the C engine's cost
    # grows with every property of a fact, at every node the fact reaches).
    reads: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Layout:
    rules: list[tuple[str, str, list[dict]]] = field(default_factory=list)  # (name, rule_id, tests)
    routes: dict[str, RouteInfo] = field(default_factory=dict)
    read_hashes: dict[int, str] = field(default_factory=dict)  # hash -> the name the rules read
    problems: list[Problem] = field(default_factory=list)

    @property
    def read_names(self) -> frozenset[str]:
        return frozenset(self.read_hashes.values())

    @property
    def durable_rules(self) -> int:
        return len(self.rules)

    def marker_tests(self) -> list[dict]:
        return [{"bkt": MARKER_BUCKET}, {"rule": MARKER_RULE}]


def _by_route(rules: list[CompiledRule]) -> dict[str, list[CompiledRule]]:
    grouped: dict[str, list[CompiledRule]] = {}
    for rule in sorted(rules, key=lambda r: (r.fact_route, r.rule_id)):
        grouped.setdefault(rule.fact_route, []).append(rule)
    return grouped


def lay_out(rules: list[CompiledRule]) -> Layout:
    """The durable ruleset of ``rules`` (valid in the model) and its problems."""
    out = Layout()
    names: dict[int, str] = {fnv1a32(n): n for n in limits.OWN_PROPERTIES}
    expanded: dict[str, int] = {}  # rule id -> its durable rules
    bucket, in_bucket = 0, 0
    for route, group in _by_route(rules).items():
        if in_bucket + len(group) > limits.RULES_PER_BUCKET:
            bucket, in_bucket = bucket + 1, 0
        in_bucket += len(group)
        _lay_out_route(out, route, group, bucket, names, expanded)
    # the rule, in the order given, past which the ruleset holds too many
    total = 0
    for rule in rules:
        total += expanded.get(rule.rule_id, 0)
        if total > limits.MAX_DURABLE_RULES:
            out.problems.append(
                _past(
                    rule,
                    f"the rules expand to more than {limits.MAX_DURABLE_RULES} durable rules (one per alternative)",
                    limits.MAX_DURABLE_RULES,
                )
            )
            break
    out.read_hashes = names
    return out


def _past(rule: CompiledRule, what: str, limit: int) -> Problem:
    return Problem(rule.rule_id, f"{what}; durable-rules takes at most {limit}")


def _lay_out_route(
    out: Layout,
    route: str,
    group: list[CompiledRule],
    bucket: int,
    names: dict[int, str],
    expanded: dict[str, int],
) -> None:
    """The durable rules of one route's rules, its helpers, and their problems."""
    if len(group) > limits.MAX_RULES_PER_ROUTE:
        rule = group[limits.MAX_RULES_PER_ROUTE]
        out.problems.append(
            _past(rule, f"route {route!r} has {len(group)} rules", limits.MAX_RULES_PER_ROUTE)
        )
    needs = Needs()
    route_alternatives = 0
    head: list[dict] = [{"bkt": bucket}, {"rule": route}]
    tested: set[str] = set()
    for rule in group:
        count = alternatives(rule.condition)
        if count > limits.MAX_ALTERNATIVES_PER_RULE:
            what = f"the condition has {count} alternatives (an 'or' of 'and's multiplies out)"
            out.problems.append(_past(rule, what, limits.MAX_ALTERNATIVES_PER_RULE))
            continue  # never expanded
        tests_of, rule_needs = translate(rule.condition)
        before = needs.count
        needs.update(rule_needs)
        if needs.count > limits.MAX_HELPER_PROPERTIES >= before:
            what = (
                f"the rules of route {route!r} need {needs.count} helper properties per fact "
                "(for present/missing tests and comparisons between properties)"
            )
            out.problems.append(_past(rule, what, limits.MAX_HELPER_PROPERTIES))
        route_alternatives += len(tests_of)
        if route_alternatives > limits.MAX_ALTERNATIVES_PER_ROUTE >= route_alternatives - len(tests_of):
            what = f"the rules of route {route!r} have {route_alternatives} alternatives"
            out.problems.append(_past(rule, what, limits.MAX_ALTERNATIVES_PER_ROUTE))
        number = len(expanded)
        expanded[rule.rule_id] = len(tests_of)
        for j, tests in enumerate(tests_of):
            out.rules.append((f"r{number}_{j}", rule.rule_id, head + tests))
            _check_names(tests, names, rule.rule_id, out.problems)
            names_read(tests, tested)
    consts = sorted(needs.consts.items())
    _check_names([dict(consts)], names, group[0].rule_id, out.problems)
    out.routes[route] = RouteInfo(
        bucket,
        tuple((p, name(p, "e")) for p in sorted(needs.flags)),
        tuple((p, name(p, "t"), name(p, "v")) for p in sorted(needs.tags)),
        tuple(consts),
        _reads(tested),
    )


def _reads(tested: set[str]) -> dict[str, dict[str, str]]:
    """The fact properties tested by value (kinds n, s, b; helpers aside), with their names."""
    by_prop: dict[str, dict[str, str]] = {}
    for tested_name in sorted(tested):
        prop, _, kind = tested_name.rpartition("#")
        if kind in ("n", "s", "b"):
            by_prop.setdefault(prop, {})[kind] = tested_name
    return by_prop


def _check_names(tests: list[dict], names: dict[int, str], rule_id: str, problems: list[Problem]) -> None:
    """Record the names ``tests`` read; a hash shared with another name is a problem."""
    read: set[str] = set()
    names_read(tests, read)
    for n in sorted(read):
        h = fnv1a32(n)
        other = names.setdefault(h, n)
        if other != n:
            problems.append(
                Problem(
                    rule_id,
                    f"property names {_shown(other)!r} and {_shown(n)!r} have the same 32-bit hash "
                    "in durable-rules, which would confuse them; rename one",
                )
            )


def _shown(durable_name: str) -> str:
    """A durable name as the rule wrote it (without the kind suffix)."""
    return durable_name.split("#", 1)[0]
