"""One condition of the model as durable-rules tests.

durable-rules takes rules as data, in its dict ("JSON") form: a test is
``{name: value}`` (equality), ``{"$neq"|"$lt"|"$lte"|"$gt"|"$gte": {name:
expr}}`` or ``{"$ex": {name: 1}}``; ``expr`` is a constant, ``{"$m": name}``
(another property of the same fact) or ``{"$add"|"$sub"|"$mul": {"$l": expr,
"$r": expr}}``.  A condition becomes a list of *alternatives*, each a list of
tests that must all hold; every alternative becomes its own durable rule.

Kinds
    Raw durable compares across types (``1 == "1"``, ``1 == true``, ``0 ==
    ""``), treats a missing reference as null (``a != $m b`` holds when ``b``
    is missing) and makes ``$lte``/``$gte`` between bools always true.  So a
    fact property ``p`` is asserted under a name that carries its kind:
    ``p#n`` (int/float), ``p#s`` (str), ``p#b`` (bool); None is left out.  A
    comparison with a constant tests the one name of the constant's kind;
    arithmetic uses ``#n`` names only (each referenced name guarded by
    ``$ex``).  For a comparison between two properties, the facts of that
    rule's route also carry ``p#t`` (the kind: "n", "s" or "b") and ``p#v``
    (the value, any kind): the rule tests ``p#t == q#t`` before ``p#v op
    q#v``.  Two values of different kinds are never compared.

No ``$nex`` and no ``$or``
    ``$nex`` at the top of a rule or inside an ``$or`` sends the C engine into
    an endless loop (100% CPU, holding the GIL).  ``Present``/``Missing``
    become a flag property ``p#e`` (true/false) that the engine adds to the
    facts of the routes that need it.  ``AnyOf`` is expanded: a condition is
    put in disjunctive form (deduplicated) and each alternative is its own
    durable rule, so durable only ever sees ``$and``.

A constant on the left
    durable compares a *property* with an expression.  A constant compared
    with a property is mirrored (``1 < p`` is ``p > 1``); a number compared
    with arithmetic tests a helper property ``k<number>#c`` holding that
    number, added to the facts of the routes that need it.  A comparison
    whose outcome is known without a fact (two constants; a string or bool
    against arithmetic) is decided here: an alternative that can never hold
    is dropped, a test that always holds is left out.  durable never matches
    arithmetic over constants only, so that is folded first.

Sharing
    Tests compared with a constant are shared between rules (durable merges
    equal ones into one alpha node); a test whose right side is a ``$m``
    reference is never merged (durable compares string-pool offsets), so
    those come last in an alternative.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, cast

from gxaudit.engine.durable.jsonform import dumps
from gxaudit.engine.model import (
    MIRRORED,
    ORDERINGS,
    AllOf,
    AnyOf,
    Arith,
    Compare,
    Const,
    Missing,
    Present,
    Prop,
    arith_values,
    compare_values,
    kind_of,
)

_DURABLE_OP = {"==": "$eq", "!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_DURABLE_ARITH = {"+": "$add", "-": "$sub", "*": "$mul"}


def name(prop: str, kind: str) -> str:
    """The name a fact property (or a helper) is asserted under."""
    return f"{prop}#{kind}"


def const_name(value: int | float) -> str:
    """The helper property holding a number compared with arithmetic."""
    token = repr(value).replace("-", "m").replace(".", "p").replace("+", "P")
    return name(f"k{token}", "c")


@dataclass
class Needs:
    """The helper properties a route's facts must carry for its rules."""

    flags: set[str] = field(default_factory=set)  # p -> p#e
    tags: set[str] = field(default_factory=set)  # p -> p#t, p#v
    consts: dict[str, int | float] = field(default_factory=dict)  # k..#c -> value

    def update(self, other: Needs) -> None:
        self.flags |= other.flags
        self.tags |= other.tags
        self.consts.update(other.consts)

    @property
    def count(self) -> int:
        """How many helper properties a fact gets for these needs."""
        return len(self.flags) + 2 * len(self.tags) + len(self.consts)


def _test(op: str, lhs: str, value: Any) -> dict:
    return {lhs: value} if op == "==" else {_DURABLE_OP[op]: {lhs: value}}


def fold(expr: Any) -> Any:
    """Arithmetic over constants only, computed (durable never matches it)."""
    if not isinstance(expr, Arith):
        return expr
    left, right = fold(expr.left), fold(expr.right)
    if isinstance(left, Const) and isinstance(right, Const):
        # a valid condition does arithmetic on numbers only (model.validate)
        return Const(arith_values(expr.op, cast(int | float, left.value), cast(int | float, right.value)))
    return Arith(expr.op, left, right)


def _arith(expr: Any, refs: list[str]) -> Any:
    """An arithmetic expression over #n names; collects the referenced names."""
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Prop):
        ref = name(expr.name, "n")
        refs.append(ref)
        return {"$m": ref}
    return {_DURABLE_ARITH[expr.op]: {"$l": _arith(expr.left, refs), "$r": _arith(expr.right, refs)}}


_ALWAYS: list = [([], [])]  # one alternative without tests
_NEVER: list = []  # no alternative


def _compare(cond: Compare, needs: Needs) -> list:
    """The alternatives of one comparison: _ALWAYS, _NEVER or one (shared, refs)."""
    op, left, right = cond.op, cond.left, fold(cond.right)
    if isinstance(left, Const):
        if isinstance(right, Const):
            return _ALWAYS if compare_values(op, left.value, right.value) else _NEVER
        if isinstance(right, Prop):
            return _compare(Compare(MIRRORED[op], right, left), needs)
        if kind_of(left.value) != "n":
            return _NEVER  # arithmetic is a number when defined
        number = cast(int | float, left.value)
        lhs = const_name(number)
        needs.consts[lhs] = number
    else:
        prop = left.name
        if isinstance(right, Const):
            # a valid condition's constants are numbers, strings or booleans: never kind None
            return [([_test(op, name(prop, cast(str, kind_of(right.value))), right.value)], [])]
        if isinstance(right, Prop):
            # both kinds tagged: p#t / q#t hold "n", "s" or "b"; p#v / q#v the value
            other = right.name
            needs.tags.update((prop, other))
            shared: list[dict] = [{"$ex": {name(prop, "t"): 1}}, {"$ex": {name(other, "t"): 1}}]
            if op in ORDERINGS:
                shared.append({"$neq": {name(prop, "t"): "b"}})
            refs = [
                {name(prop, "t"): {"$m": name(other, "t")}},
                _test(op, name(prop, "v"), {"$m": name(other, "v")}),
            ]
            return [(shared, refs)]
        lhs = name(prop, "n")
    names: list[str] = []
    durable_expr = _arith(right, names)
    shared = [{"$ex": {n: 1}} for n in dict.fromkeys(names)]
    return [(shared, [_test(op, lhs, durable_expr)])]


def _walk(cond: Any, needs: Needs) -> list:
    if isinstance(cond, Present):
        needs.flags.add(cond.prop)
        return [([{name(cond.prop, "e"): True}], [])]
    if isinstance(cond, Missing):
        needs.flags.add(cond.prop)
        return [([{name(cond.prop, "e"): False}], [])]
    if isinstance(cond, Compare):
        return _compare(cond, needs)
    parts = [_walk(i, needs) for i in cond.items]
    if isinstance(cond, AnyOf):
        return [alt for part in parts for alt in part]
    assert isinstance(cond, AllOf)
    return [
        ([t for s, _ in combo for t in s], [t for _, r in combo for t in r])
        for combo in itertools.product(*parts)
    ]


def translate(cond: Any) -> tuple[list[list[dict]], Needs]:
    """The durable alternatives of a valid condition, and the helpers they need.

    The caller bounds the condition's alternatives first
    (:func:`gxaudit.engine.model.alternatives`): they are expanded here.
    """
    needs = Needs()
    result = []
    seen: set[str] = set()
    for shared, refs in _walk(cond, needs):
        unique: dict[str, dict] = {}
        for t in shared + refs:
            unique.setdefault(dumps(t), t)
        key = "\x1f".join(unique)
        if key not in seen:
            seen.add(key)
            result.append(list(unique.values()))
    return result, needs


def names_read(obj: Any, out: set[str]) -> None:
    """Every property name durable tests read (added to ``out``)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "$m":
                out.add(v)
            elif not k.startswith("$"):
                out.add(k)
            names_read(v, out)
    elif isinstance(obj, list):
        for v in obj:
            names_read(v, out)
