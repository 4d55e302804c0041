"""What every engine takes and gives: compiled rules, facts, matches, errors.

A compiled rule is ``CompiledRule(rule_id, condition, route)`` with a
condition of :mod:`gxaudit.engine.model`.  A fact is a plain dict with at
least ``"rule"`` (the route it is meant for) and ``"id"`` (unique within the
report).  A rule matches a fact when ``fact["rule"]`` is the rule's route (by
default its id) and the condition holds on the fact.

``Engine.evaluate(report_key, facts)`` returns the matches sorted by
``(rule_id, fact_id)`` without duplicates, or raises :class:`EngineError`: an
internal error for that one report (:class:`gxaudit.errors.EngineError`), which
the caller must record as an error, never as "no finding"; the engine stays
usable for the following reports.  Every engine calls :func:`check_facts` first, so all
reject the same facts.

``evaluate(report_key, facts, trusted=True)`` is for facts gxaudit's check
kinds built: their names, ids and types are right by construction, so
:func:`check_facts` (a third of the engine's own time) is skipped.  Nor do
they hold a number the engines cannot compute with: a cell beyond int64 is
unreadable and a figure in the text beyond it is not a figure, and the tests
run check_facts on every fact drawn from the seeds and the corpus.  The
durable engine still refuses such a number where it meets one (its encoder
checks every number it sends, at no cost), with check_facts' error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from gxaudit.engine.model import (
    INT64_MAX,
    INT64_MIN,
    Condition,
    condition_problem,
    is_valid_prop_name,
)
from gxaudit.errors import EngineError

#: Facts per report; every engine must take this many.
MAX_FACTS_PER_REPORT = 100_000

#: Properties per fact, "rule" and "id" included; every engine must take
#: this many (the durable adapter adds its own helper properties to these).
MAX_FACT_PROPERTIES = 120


@dataclass(frozen=True)
class CompiledRule:
    """One rule as the engines see it: an id and a single-fact condition.

    ``route`` names the facts the rule reads: a fact goes to every rule whose
    route equals its ``"rule"`` property, so several rules can share one
    stream of facts (one fact per table cell, not one per cell and rule).
    An empty route means the rule's own id.
    """

    rule_id: str
    condition: Condition
    route: str = ""

    @property
    def fact_route(self) -> str:
        return self.route or self.rule_id


@dataclass(frozen=True, order=True)
class Match:
    """Rule ``rule_id`` holds on the fact whose ``"id"`` is ``fact_id``."""

    rule_id: str
    fact_id: str


@dataclass(frozen=True)
class RouteCapacity:
    """How much one route (a stream of facts read by several rules) may carry."""

    rules: int
    alternatives: int  # model.alternatives() summed over the route's rules
    # model.alternatives() summed over every rule of the set (None: no limit)
    in_all: int | None = None


@dataclass(frozen=True)
class Problem:
    """Why a rule set cannot run on an engine.

    ``rule_id`` names the compiled rule the problem is found at (for a limit
    of the whole set: the rule that goes past it), so that the caller can
    point at the rule's file, line and column.
    """

    rule_id: str
    message: str

    def __str__(self) -> str:
        return f"rule {self.rule_id}: {self.message}"


class Engine(Protocol):
    name: str

    def evaluate(self, report_key: str, facts: list[dict], trusted: bool = False) -> list[Match]: ...


# --------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------


def _utf8_ok(s: str) -> bool:
    if s.isascii():
        return True
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return True


def rule_problems(rules: Iterable[Any]) -> list[Problem]:
    """What makes a rule list invalid for every engine.

    Rule ids must be unique non-empty strings not starting with ``"$"``
    (reserved for the engines' own use); conditions must be valid
    (:func:`gxaudit.engine.model.condition_problem`).
    """
    problems: list[Problem] = []
    seen: set[str] = set()
    for rule in rules:
        if not isinstance(rule, CompiledRule):
            problems.append(Problem(repr(rule)[:60], "not a CompiledRule"))
            continue
        rid = rule.rule_id
        if type(rid) is not str or not rid or rid.startswith("$") or not _utf8_ok(rid):
            problems.append(Problem(rid if type(rid) is str else repr(rid), "invalid rule id"))
            continue
        if rid in seen:
            problems.append(Problem(rid, "duplicate rule id"))
        seen.add(rid)
        route = rule.fact_route
        if type(route) is not str or route.startswith("$") or not _utf8_ok(route):
            problems.append(Problem(rid, f"invalid route {route!r}"))
        problem = condition_problem(rule.condition)
        if problem:
            problems.append(Problem(rid, problem))
    return problems


# --------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------

_valid_prop_names: set[str] = set()


def _check_prop_name(name: Any) -> bool:
    if name in _valid_prop_names:
        return True
    if is_valid_prop_name(name):
        if len(_valid_prop_names) < 100_000:
            _valid_prop_names.add(name)
        return True
    return False


def check_facts(facts: Any, report_key: str = "?") -> None:
    """Raise :class:`EngineError` unless ``facts`` is a valid list of facts.

    A valid fact is a dict whose keys are property names of the model
    (:func:`gxaudit.engine.model.is_valid_prop_name`), with a str ``"rule"``
    and a non-empty str ``"id"`` unique within the report, at most
    :data:`MAX_FACT_PROPERTIES` properties, and values that are None, bool,
    int within int64, finite float or str (valid Unicode, no lone
    surrogates).
    """
    if not isinstance(facts, list):
        raise EngineError(f"{report_key}: facts must be a list, not {type(facts).__name__}")
    if len(facts) > MAX_FACTS_PER_REPORT:
        raise EngineError(f"{report_key}: {len(facts)} facts, more than {MAX_FACTS_PER_REPORT} per report")
    seen: set[str] = set()
    names = _valid_prop_names
    for index, fact in enumerate(facts):
        if type(fact) is not dict:
            raise EngineError(f"{report_key}: fact #{index} is not a dict")
        rule = fact.get("rule")
        fid = fact.get("id")
        if type(rule) is not str or not _utf8_ok(rule):
            raise EngineError(f"{report_key}: fact #{index} has no str 'rule'")
        if type(fid) is not str or not fid or not _utf8_ok(fid):
            raise EngineError(f"{report_key}: fact #{index} has no non-empty str 'id'")
        if fid in seen:
            raise EngineError(f"{report_key}: duplicate fact id {fid!r}")
        seen.add(fid)
        if len(fact) > MAX_FACT_PROPERTIES:
            raise EngineError(
                f"{report_key}: fact {fid!r} has {len(fact)} properties, more than {MAX_FACT_PROPERTIES}"
            )
        for key, value in fact.items():
            if key not in names and not _check_prop_name(key):
                raise EngineError(f"{report_key}: fact {fid!r}: invalid property name {key!r}")
            t = type(value)
            if t is str:
                if not value.isascii() and not _utf8_ok(value):
                    raise EngineError(f"{report_key}: fact {fid!r}: property {key!r} is not valid Unicode")
            elif t is int:
                if not INT64_MIN <= value <= INT64_MAX:
                    raise EngineError(f"{report_key}: fact {fid!r}: property {key!r} is outside int64")
            elif t is float:
                if value - value != 0.0:  # inf or nan
                    raise EngineError(f"{report_key}: fact {fid!r}: property {key!r} is not a finite number")
            elif value is None or t is bool:
                pass
            else:
                raise EngineError(
                    f"{report_key}: fact {fid!r}: property {key!r} has unsupported type {t.__name__}"
                )
