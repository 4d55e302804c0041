"""Evaluation layer: run compiled rules over the facts of one report.

Two interchangeable engines share one interface and one semantics:

* ``"reference"`` -- a plain-Python evaluator (:mod:`gxaudit.engine.reference`);
* ``"durable"``   -- the durable-rules Rete engine (:mod:`gxaudit.engine.durable_engine`).

A compiled rule is ``CompiledRule(rule_id, condition)``; ``condition`` is a
dict in the single-fact dialect documented in :mod:`gxaudit.engine.conditions`.
A fact is a plain dict with at least ``"rule"`` (the route it is meant for) and
``"id"`` (unique within the report).  A rule matches a fact when
``fact["rule"]`` is the rule's route (by default its id) and the condition
holds on the fact.

``Engine.evaluate(report_key, facts)`` returns the matches sorted by
``(rule_id, fact_id)`` without duplicates, or raises :class:`EngineError`: an
internal error for that one report, which the caller must record as an error,
never as "no finding".  Both engines raise it for the same invalid inputs
(see :func:`check_facts`); the durable engine raises it also for failures of
the C engine itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Protocol, Sequence

__all__ = [
    "CompiledRule",
    "Match",
    "EngineError",
    "Engine",
    "make_engine",
    "check_facts",
    "check_rules",
    "ENGINE_NAMES",
    "MAX_FACTS_PER_REPORT",
    "MAX_FACT_PROPERTIES",
    "MAX_DURABLE_RULES",
]

#: Engine names accepted by :func:`make_engine`.
ENGINE_NAMES = ("durable", "reference")

#: Facts per report.  The durable engine names its messages "0", "1", ...;
#: durable finds messages by a 32-bit FNV-1a hash of that name only, and the
#: decimal names below this bound were checked to have distinct hashes.
MAX_FACTS_PER_REPORT = 100_000

#: Properties per fact, "rule" and "id" included.  durable-rules rejects a
#: message with 255 properties or more (error 302); the durable engine adds 5
#: of its own and at most 3 per "special" property of the fact's rule (at most
#: conditions.MAX_SPECIAL_PROPS = 40): 5 + 120 + 120 < 255.
MAX_FACT_PROPERTIES = 120

#: Total durable rules (alternatives after expanding ``$or``, see
#: conditions.py) in one engine.  durable-rules allows 4,096 per ruleset.
MAX_DURABLE_RULES = 4000

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class CompiledRule:
    """One rule as the engines see it: an id and a single-fact condition.

    ``route`` names the facts the rule reads: a fact goes to every rule whose
    route equals its ``"rule"`` property, so several rules can share one
    stream of facts (one fact per table cell, not one per cell and rule).
    An empty route means the rule's own id.
    """

    rule_id: str
    condition: dict
    route: str = ""

    @property
    def fact_route(self) -> str:
        return self.route or self.rule_id


@dataclass(frozen=True, order=True)
class Match:
    """Rule ``rule_id`` holds on the fact whose ``"id"`` is ``fact_id``."""

    rule_id: str
    fact_id: str


class EngineError(Exception):
    """An internal error while evaluating one report.

    The caller marks that report as an error (never as clean).  The engine
    stays usable for the following reports.
    """


class Engine(Protocol):
    name: str

    def evaluate(self, report_key: str, facts: list[dict]) -> list[Match]: ...


# --------------------------------------------------------------------------
# Validation shared by both engines, so that they accept and reject the same
# inputs.
# --------------------------------------------------------------------------

_valid_prop_names: set[str] = set()


def _check_prop_name(name: Any) -> bool:
    if name in _valid_prop_names:
        return True
    from gxaudit.engine.conditions import is_valid_prop_name

    if is_valid_prop_name(name):
        if len(_valid_prop_names) < 100_000:
            _valid_prop_names.add(name)
        return True
    return False


def _utf8_ok(s: str) -> bool:
    if s.isascii():
        return True
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return True


def check_facts(facts: Any, report_key: str = "?") -> None:
    """Raise :class:`EngineError` unless ``facts`` is a valid list of facts.

    A valid fact is a dict whose keys are property names of the dialect
    (see :func:`gxaudit.engine.conditions.is_valid_prop_name`), with a str
    ``"rule"`` and a non-empty str ``"id"`` unique within the report, at most
    :data:`MAX_FACT_PROPERTIES` properties, and values that are None, bool,
    int within int64, finite float or str (valid Unicode, no lone
    surrogates).  Both engines call this first.
    """
    if not isinstance(facts, list):
        raise EngineError(f"{report_key}: facts must be a list, not {type(facts).__name__}")
    if len(facts) > MAX_FACTS_PER_REPORT:
        raise EngineError(
            f"{report_key}: {len(facts)} facts, more than {MAX_FACTS_PER_REPORT} per report"
        )
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
                f"{report_key}: fact {fid!r} has {len(fact)} properties, "
                f"more than {MAX_FACT_PROPERTIES}"
            )
        for key, value in fact.items():
            if key not in names and not _check_prop_name(key):
                raise EngineError(f"{report_key}: fact {fid!r}: invalid property name {key!r}")
            t = type(value)
            if t is str:
                if not value.isascii() and not _utf8_ok(value):
                    raise EngineError(
                        f"{report_key}: fact {fid!r}: property {key!r} is not valid Unicode"
                    )
            elif t is int:
                if not _INT64_MIN <= value <= _INT64_MAX:
                    raise EngineError(
                        f"{report_key}: fact {fid!r}: property {key!r} is outside int64"
                    )
            elif t is float:
                if value - value != 0.0:  # inf or nan
                    raise EngineError(
                        f"{report_key}: fact {fid!r}: property {key!r} is not a finite number"
                    )
            elif value is None or t is bool:
                pass
            else:
                raise EngineError(
                    f"{report_key}: fact {fid!r}: property {key!r} has unsupported type "
                    f"{t.__name__}"
                )


def check_rules(rules: Iterable[CompiledRule]) -> list[CompiledRule]:
    """Validate a rule list for :func:`make_engine`; raise ValueError.

    Rule ids must be unique non-empty strings not starting with ``"$"``
    (reserved for the engine's own facts); every condition must pass
    :func:`gxaudit.engine.conditions.validate_condition`; the whole set must
    fit in :data:`MAX_DURABLE_RULES` durable rules.
    """
    from gxaudit.engine.conditions import condition_cost, validate_condition

    out: list[CompiledRule] = []
    seen: set[str] = set()
    total = 0
    for rule in rules:
        if not isinstance(rule, CompiledRule):
            raise ValueError(f"not a CompiledRule: {rule!r}")
        rid = rule.rule_id
        if type(rid) is not str or not rid or rid.startswith("$") or not _utf8_ok(rid):
            raise ValueError(f"invalid rule id {rid!r}")
        if rid in seen:
            raise ValueError(f"duplicate rule id {rid!r}")
        seen.add(rid)
        try:
            validate_condition(rule.condition)
        except ValueError as exc:
            raise ValueError(f"rule {rid!r}: {exc}") from None
        total += condition_cost(rule.condition).branches
        out.append(rule)
    if total > MAX_DURABLE_RULES:
        raise ValueError(
            f"the rules expand to {total} durable rules, more than {MAX_DURABLE_RULES}"
        )
    return out


def make_engine(name: str, rules: Sequence[CompiledRule]) -> Engine:
    """Build the engine ``name`` ("durable" or "reference") for ``rules``.

    Raises ValueError for an unknown name or invalid rules (the same rules are
    rejected by both engines).  The durable ruleset is registered once per
    process and per distinct rule set: a second call with the same rules
    reuses it.
    """
    checked = check_rules(rules)
    if name == "reference":
        from gxaudit.engine.reference import ReferenceEngine

        return ReferenceEngine(checked)
    if name == "durable":
        from gxaudit.engine.durable.engine import DurableEngine

        return DurableEngine(checked)
    raise ValueError(f"unknown engine {name!r}; expected one of {ENGINE_NAMES}")
