"""What durable-rules can take, measured on durable-rules 2.0.28.

Each limit below is one the C engine fails on *silently or late*: it loops
for ever, crashes, or rejects the ruleset only when it is built.  The layout
(:mod:`gxaudit.engine.durable.layout`) checks every one of them before a
ruleset is built, and :func:`gxaudit.engine.check_rules` reports them per
rule, so that ``rules validate`` can refuse what the audit could not run.

Alternatives (per rule and per route)
    The C engine walks the alpha nodes a fact matches with a fixed stack of
    64 entries (error 303 beyond).  Every alternative of a condition is its
    own durable rule, and tests with a ``$m`` right side are never shared, so
    each alternative may hold a stack entry; a fact reaches only the rules of
    its route.  At most 60 alternatives per route keeps the stack below 64.
    A rule of more than 60 alternatives is refused before it is expanded
    (an OR of ANDs can have 2**20 of them).

Rules per route
    Each alpha node keeps its children in a 512-slot open-addressing table;
    when it is full the engine loops for ever while matching.  All rule tests
    ``rule == X`` would be children of the root, so rules are grouped by 64
    under a ``bkt == b`` test first, and the rules of one route stay in one
    bucket.

Durable rules in all
    A ruleset holds at most 4,096 actions; the engine adds one rule of its own
    (the document marker).

What a compiler of rules may rely on
    ``ROUTE_CAPACITY`` offers three of these limits to whoever lays rules out
    over facts (``gxaudit.engine.route_capacity``): rules per route, alternatives
    per route, and alternatives in all (``in_all``: MAX_DURABLE_RULES).  One
    fact may serve several rules by giving each its own properties (the cell
    rules read a table row as one fact, one rule per rule and column): such a
    layout must keep each route within the first two, every fact within
    MAX_FACT_PROPERTIES, and the rule set within ``in_all``, or fall back to a
    layout that does, so that a rule set is never refused for the shape of
    its facts.

Properties per fact
    durable rejects a message of 255 properties or more (error 302).  A fact
    has at most MAX_FACT_PROPERTIES of its own (checked for every engine),
    the adapter adds 5 (sid, id, bkt, rule, fid) and the helpers of the
    fact's route (a flag per ``Present``/``Missing`` property, a kind tag and
    a value per property compared with another property, a constant per
    number compared with arithmetic).

Property names
    durable finds a property by a 32-bit hash of its name only
    (:func:`~gxaudit.engine.durable.jsonform.fnv1a32`): two names with the
    same hash are confused, so a rule on one matches a fact that has only the
    other.  The names the rules read must have distinct hashes.

Messages
    durable finds messages by the same hash of their id, so facts are
    asserted with ids "0", "1", ... whose hashes are distinct below
    MAX_FACTS_PER_REPORT (checked in the tests).

The condition model itself keeps constants within int64 and finite doubles
(what the C JSON parser takes) and nesting within ``model.MAX_DEPTH``.
"""

from __future__ import annotations

from gxaudit.engine.contract import MAX_FACT_PROPERTIES

MAX_ALTERNATIVES_PER_ROUTE = 60
MAX_ALTERNATIVES_PER_RULE = MAX_ALTERNATIVES_PER_ROUTE
RULES_PER_BUCKET = 64
MAX_RULES_PER_ROUTE = RULES_PER_BUCKET
MAX_DURABLE_RULES = 4000

MAX_MESSAGE_PROPERTIES = 254
OWN_PROPERTIES = ("sid", "id", "bkt", "rule", "fid")
MAX_HELPER_PROPERTIES = MAX_MESSAGE_PROPERTIES - len(OWN_PROPERTIES) - MAX_FACT_PROPERTIES
