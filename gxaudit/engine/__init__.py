"""Evaluation: run compiled rules over the facts of one report.

* ``model``: the conditions and their semantics (normative);
* ``contract``: compiled rules, facts, matches, problems, errors;
* ``reference``: the plain-Python evaluator of the model;
* ``durable/``: the durable-rules engine (the default), translated from the
  model, with every workaround for durable's limits and traps.

:func:`check_rules` says what in a rule set an engine cannot run (for
``rules validate``); :func:`make_engine` builds one; both engines give the
same matches for the same rules and facts (tested against each other).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from gxaudit.engine import durable, reference
from gxaudit.engine.contract import (
    MAX_FACT_PROPERTIES,
    MAX_FACTS_PER_REPORT,
    CompiledRule,
    Engine,
    EngineError,
    Match,
    Problem,
    RouteCapacity,
    check_facts,
    rule_problems,
)

__all__ = [
    "CompiledRule",
    "Match",
    "Problem",
    "EngineError",
    "Engine",
    "make_engine",
    "engine_maker",
    "prepared_state",
    "take_prepared_state",
    "check_rules",
    "check_facts",
    "route_capacity",
    "RouteCapacity",
    "ENGINE_NAMES",
    "DEFAULT_ENGINE",
    "MAX_FACTS_PER_REPORT",
    "MAX_FACT_PROPERTIES",
]

DEFAULT_ENGINE = "durable"
# each engine module offers ENGINE (the class), problems(rules) and ROUTE_CAPACITY; and
# optionally prepared() / take_prepared(state) (prepared_state)
_ENGINES = {"durable": durable, "reference": reference}
#: Engine names accepted by :func:`make_engine`.
ENGINE_NAMES = tuple(_ENGINES)


def route_capacity() -> RouteCapacity:
    """What a route may carry on *every* engine.

    Rules that share a route must fit it on every engine, so that the routes,
    and so the order of the findings, are the same whichever engine runs.
    """
    capacities = [m.ROUTE_CAPACITY for m in _ENGINES.values() if m.ROUTE_CAPACITY is not None]
    in_all = [c.in_all for c in capacities if c.in_all is not None]
    return RouteCapacity(
        rules=min(c.rules for c in capacities),
        alternatives=min(c.alternatives for c in capacities),
        in_all=min(in_all) if in_all else None,
    )


def _engine(name: str):
    try:
        return _ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; expected one of {ENGINE_NAMES}") from None


def check_rules(rules: Iterable[CompiledRule], engine: str = DEFAULT_ENGINE) -> list[Problem]:
    """Everything in ``rules`` that engine ``engine`` cannot run, each naming a rule.

    First what is invalid on every engine (ids, conditions: see
    :func:`gxaudit.engine.contract.rule_problems`), then the engine's own
    limits for the rules that are valid.  An empty list: :func:`make_engine`
    will build the engine.
    """
    engine_problems = _engine(engine).problems
    rules = list(rules)
    problems = rule_problems(rules)
    invalid = {p.rule_id for p in problems}
    valid = [r for r in rules if isinstance(r, CompiledRule) and r.rule_id not in invalid]
    return problems + engine_problems(valid)


def make_engine(name: str, rules: Sequence[CompiledRule]) -> Engine:
    """Build the engine ``name`` ("durable" or "reference") for ``rules``.

    Raises ValueError for an unknown name or for rules the engine cannot run
    (see :func:`check_rules`).  The durable ruleset is registered once per
    process and per distinct rule set: a second call with the same rules
    reuses it.
    """
    return engine_maker(name, rules)()


def engine_maker(name: str, rules: Sequence[CompiledRule]) -> Callable[[], Engine]:
    """:func:`make_engine`'s checks now (the same ValueError), the engine when the function
    returned is called: a process that may never evaluate (a batch's parent, whose workers
    do) does not register the durable ruleset for nothing."""
    cls = _engine(name).ENGINE
    rules = list(rules)
    problems = check_rules(rules, name)
    if problems:
        shown = "; ".join(map(str, problems[:5]))
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ValueError(f"{name} engine cannot run these rules: {shown}{more}")
    return functools.partial(cls, rules)


def prepared_state(name: str) -> Any:
    """What engine ``name`` worked out in this process while checking and building engines
    (durable: the layouts of the rules), for another process to give
    :func:`take_prepared_state` rather than work it out again (a batch's workers); None
    when there is nothing."""
    get = getattr(_engine(name), "prepared", None)
    return get() if get is not None else None


def take_prepared_state(name: str, state: Any) -> None:
    """Take what :func:`prepared_state` gave in another process, for the same code."""
    take = getattr(_engine(name), "take_prepared", None)
    if take is not None and state is not None:
        take(state)
