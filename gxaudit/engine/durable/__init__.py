"""The durable-rules adapter: translates gxaudit's conditions to durable-rules and
holds every workaround for its limits and traps.

Nothing outside this package knows durable's dict ("JSON") form or its
limits.  Modules, in the order a rule travels:

* ``translate``: one condition as durable tests (kinds, no ``$nex``/``$or``);
* ``layout``: all rules as one ruleset (buckets, routes, helper properties),
  and what in it durable cannot take, per rule (``limits``: the numbers and
  why);
* ``jsonform``: JSON as the C parser wants it, and durable's name hash;
* ``host``: the library, imported on first use, and one quiet Host;
* ``engine``: asserting a report's facts in a session.
"""

from __future__ import annotations

from gxaudit.engine.contract import CompiledRule, Problem, RouteCapacity
from gxaudit.engine.durable import limits
from gxaudit.engine.durable.engine import DurableEngine, laid_out, prepared_layouts, take_layouts

__all__ = ["ENGINE", "ROUTE_CAPACITY", "DurableEngine", "prepared", "problems", "take_prepared"]

ENGINE = DurableEngine
ROUTE_CAPACITY = RouteCapacity(
    rules=limits.MAX_RULES_PER_ROUTE,
    alternatives=limits.MAX_ALTERNATIVES_PER_ROUTE,
    in_all=limits.MAX_DURABLE_RULES,
)


def problems(rules: list[CompiledRule]) -> list[Problem]:
    """What in ``rules`` (valid in the model) durable-rules cannot take."""
    return list(laid_out(rules).problems)


def prepared() -> dict:
    """What this process laid out (see gxaudit.engine.prepared_state)."""
    return prepared_layouts()


def take_prepared(state: dict) -> None:
    take_layouts(state)
