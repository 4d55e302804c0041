"""The condition dialect shared by both engines, its validator and builders.

A condition is a dict in durable-rules' JSON form, over the properties of a
single fact.  Spelling (what ``ruleset(...).define()`` of a decorator ruleset
produces for ``m.a == 1``, ``m.a < m.b + 2``, ``+m.a``, ``(x) & (y)``, and
what the C engine was measured to accept)::

    COND  := {PROP: EXPR}                       equality (durable's own spelling)
           | {"$eq": {PROP: EXPR}}              equality (also accepted by durable)
           | {"$neq"|"$lt"|"$lte"|"$gt"|"$gte": {PROP: EXPR}}
           | {"$ex": {PROP: 1}}                 PROP is present (and not None)
           | {"$nex": {PROP: 1}}                PROP is absent (or None)
           | {"$and": [COND, ...]}              at least one COND
           | {"$or":  [COND, ...]}              at least one COND
    EXPR  := CONST
           | {"$m": PROP}                       another property of the same fact
           | {"$add"|"$sub"|"$mul": {"$l": EXPR, "$r": EXPR}}
    CONST := str | int (in int64) | float (finite) | bool
    PROP  := a non-empty name of Unicode word characters (``\\w+``, so Chinese
             works; no ``.``, ``#`` or ``$``), at most 128 characters

Every dict has exactly one key (durable silently uses only one key of
``{"a": 1, "b": 2}``).  Bool constants only with equality and ``$neq``;
arithmetic operands are numbers (not bools), references or arithmetic.
``$div``, ``$mt`` (regex), references to other facts and ``x$not`` are not
part of the dialect.

Semantics (identical in both engines, and tested against each other):

* A property that is absent or None is *missing*.  ``$ex``/``$nex`` test
  exactly this.
* Values have three kinds: number (int or float, not bool), string, bool.
* A comparison (equality, ``$neq``, ``$lt`` ...) holds only if its property
  and every property it references are present and both sides have the same
  kind; otherwise it is false.  So ``$neq`` is *not* the negation of
  equality: with a missing property or a kind mismatch both are false.
  (Raw durable-rules would compare ``1 == "1"`` and ``1 == true`` as true,
  ``{"$neq": {"a": {"$m": "b"}}}`` with ``b`` missing as true, and
  ``$lte``/``$gte`` between bools as always true; the durable engine encodes
  facts so that none of this can happen.)
* Ordering (``$lt $lte $gt $gte``) holds only between numbers or between
  strings; with bools it is false.
* Numbers: int with int compares exactly (int64); if either side is a float
  both are compared as IEEE doubles (so ``2**53 + 1 == float(2**53)`` holds),
  as the C engine does.
* Arithmetic: only over numbers (a string or bool operand, or a missing
  reference, makes the comparison false).  int with int gives an int64 with
  two's-complement wraparound; otherwise a double (which may overflow to
  inf).  Arithmetic over constants only is folded when the condition is
  parsed (durable itself never matches it); a folded value must be finite.
* Strings: equality is exact.  Ordering compares the JSON-escaped text
  (``json.dumps(s, ensure_ascii=False)``) byte by byte as UTF-8, which is
  code-point order unless a string contains ``"``, ``\\`` or a control
  character (durable compares the escaped JSON text with strcmp).

Size limits (durable-rules limits, checked here so that both engines accept
the same conditions): nesting depth at most :data:`MAX_DEPTH`; at most
:data:`MAX_BRANCHES` alternatives after distributing ``$or`` over ``$and``
(each alternative becomes one durable rule, and the C engine walks the
matching ones with a fixed stack of 64 entries); at most
:data:`MAX_SPECIAL_PROPS` distinct properties used in ``$ex``/``$nex`` or in
a comparison between two properties (the durable engine adds helper
properties to the facts for these, and durable allows 254 per fact).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Union

__all__ = [
    "validate_condition",
    "parse_condition",
    "condition_cost",
    "special_props",
    "props_of",
    "is_valid_prop_name",
    "kind_of",
    "c_arith",
    "string_key",
    "eq",
    "neq",
    "lt",
    "lte",
    "gt",
    "gte",
    "cmp",
    "exists",
    "not_exists",
    "and_",
    "or_",
    "ref",
    "add",
    "sub",
    "mul",
    "Cost",
    "Cmp",
    "And",
    "Or",
    "Ex",
    "Nex",
    "Const",
    "Ref",
    "Arith",
    "COMPARISONS",
    "ORDERINGS",
    "MAX_BRANCHES",
    "MAX_SPECIAL_PROPS",
    "MAX_DEPTH",
]

#: Comparison operators of the dialect ("$eq" is also spelled {PROP: EXPR}).
COMPARISONS = ("$eq", "$neq", "$lt", "$lte", "$gt", "$gte")
#: The ordering operators (numbers and strings only).
ORDERINGS = ("$lt", "$lte", "$gt", "$gte")
_ARITH = ("$add", "$sub", "$mul")

MAX_DEPTH = 32
MAX_BRANCHES = 60
MAX_SPECIAL_PROPS = 40
MAX_PROP_NAME = 128

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_PROP_RE = re.compile(r"\w+")


# --------------------------------------------------------------------------
# Parsed form (used by both engines)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Const:
    value: Union[str, int, float, bool]


@dataclass(frozen=True)
class Ref:
    prop: str


@dataclass(frozen=True)
class Arith:
    op: str  # "$add" | "$sub" | "$mul"
    left: "Expr"
    right: "Expr"


Expr = Union[Const, Ref, Arith]


@dataclass(frozen=True)
class Cmp:
    op: str  # one of COMPARISONS
    prop: str
    expr: Expr


@dataclass(frozen=True)
class Ex:
    prop: str


@dataclass(frozen=True)
class Nex:
    prop: str


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


Node = Union[Cmp, Ex, Nex, And, Or]


@dataclass(frozen=True)
class Cost:
    branches: int  # alternatives after distributing $or over $and (= durable rules)
    special_props: int  # distinct properties in $ex/$nex or property-to-property comparisons


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------


def is_valid_prop_name(name: Any) -> bool:
    """A property name of the dialect (and of facts): ``\\w+``, <= 128 chars."""
    return (
        type(name) is str
        and 0 < len(name) <= MAX_PROP_NAME
        and _PROP_RE.fullmatch(name) is not None
    )


def kind_of(value: Any) -> str | None:
    """"n" (int/float), "s" (str), "b" (bool) or None (missing/unsupported)."""
    t = type(value)
    if t is bool:
        return "b"
    if t is int or t is float:
        return "n"
    if t is str:
        return "s"
    return None


def _wrap64(x: int) -> int:
    return ((x + 2**63) % 2**64) - 2**63


def c_arith(op: str, a: int | float, b: int | float) -> int | float:
    """``a op b`` as the C engine computes it (int64 wraparound, else double)."""
    if type(a) is int and type(b) is int:
        if op == "$add":
            return _wrap64(a + b)
        if op == "$sub":
            return _wrap64(a - b)
        return _wrap64(a * b)
    fa = float(a)
    fb = float(b)
    if op == "$add":
        return fa + fb
    if op == "$sub":
        return fa - fb
    return fa * fb


def string_key(s: str) -> str:
    """The text durable orders strings by: the JSON-escaped form."""
    return json.dumps(s, ensure_ascii=False)[1:-1]


def _check_prop(name: Any, where: str) -> str:
    if not is_valid_prop_name(name):
        raise ValueError(f"{where}: invalid property name {name!r}")
    return name


def _check_const(value: Any, where: str) -> Const:
    t = type(value)
    if t is bool:
        return Const(value)
    if t is int:
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise ValueError(f"{where}: integer {value} is outside int64")
        return Const(value)
    if t is float:
        if not math.isfinite(value):
            raise ValueError(f"{where}: number {value!r} is not finite")
        return Const(value)
    if t is str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{where}: string {value!r} is not valid Unicode") from None
        return Const(value)
    raise ValueError(f"{where}: unsupported constant {value!r} ({t.__name__})")


def _single(d: Any, where: str) -> tuple[Any, Any]:
    if type(d) is not dict:
        raise ValueError(f"{where}: expected a dict, got {d!r}")
    if len(d) != 1:
        raise ValueError(f"{where}: expected a dict with exactly one key, got {sorted(map(str, d))}")
    return next(iter(d.items()))


# --------------------------------------------------------------------------
# Parsing / validation
# --------------------------------------------------------------------------


def _parse_expr(expr: Any, where: str, depth: int) -> Expr:
    if depth > MAX_DEPTH:
        raise ValueError(f"{where}: nested deeper than {MAX_DEPTH}")
    if type(expr) is not dict:
        return _check_const(expr, where)
    key, val = _single(expr, where)
    if key == "$m":
        return Ref(_check_prop(val, where))
    if key in _ARITH:
        if type(val) is not dict or set(val) != {"$l", "$r"}:
            raise ValueError(f"{where}: {key} needs {{'$l': ..., '$r': ...}}")
        left = _parse_expr(val["$l"], where, depth + 1)
        right = _parse_expr(val["$r"], where, depth + 1)
        for side in (left, right):
            if isinstance(side, Const) and kind_of(side.value) != "n":
                raise ValueError(f"{where}: arithmetic on a non-number {side.value!r}")
        if isinstance(left, Const) and isinstance(right, Const):
            folded = c_arith(key, left.value, right.value)
            if isinstance(folded, float) and not math.isfinite(folded):
                raise ValueError(f"{where}: constant arithmetic gives {folded!r}")
            return Const(folded)
        return Arith(key, left, right)
    raise ValueError(f"{where}: unknown expression operator {key!r}")


def _parse(cond: Any, depth: int) -> Node:
    where = "condition"
    if depth > MAX_DEPTH:
        raise ValueError(f"{where}: nested deeper than {MAX_DEPTH}")
    key, val = _single(cond, where)
    if key in ("$and", "$or"):
        if type(val) is not list or not val:
            raise ValueError(f"{where}: {key} needs a non-empty list")
        items = tuple(_parse(c, depth + 1) for c in val)
        return And(items) if key == "$and" else Or(items)
    if key in ("$ex", "$nex"):
        prop, one = _single(val, f"{where} {key}")
        _check_prop(prop, f"{where} {key}")
        if one != 1 or type(one) is not int:
            raise ValueError(f"{where}: {key} is spelled {{{key!r}: {{prop: 1}}}}")
        return Ex(prop) if key == "$ex" else Nex(prop)
    if key in COMPARISONS:
        prop, expr = _single(val, f"{where} {key}")
        op = key
    elif type(key) is str and key.startswith("$"):
        raise ValueError(f"{where}: unsupported operator {key!r}")
    else:
        prop, expr, op = key, val, "$eq"
    _check_prop(prop, f"{where} {op}")
    parsed = _parse_expr(expr, f"{where} {op} {prop}", depth + 1)
    if isinstance(parsed, Const) and type(parsed.value) is bool and op in ORDERINGS:
        raise ValueError(f"{where}: {op} with a bool constant")
    return Cmp(op, prop, parsed)


def _branches(node: Node) -> int:
    if isinstance(node, (Cmp, Ex, Nex)):
        return 1
    counts = [_branches(i) for i in node.items]
    if isinstance(node, And):
        b = 1
        for k in counts:
            b = min(b * k, 10**9)
        return b
    return min(sum(counts), 10**9)


def special_props(node: Node) -> tuple[set[str], set[str]]:
    """(props of $ex/$nex, props on either side of a comparison with a bare $m)."""
    flags: set[str] = set()
    tags: set[str] = set()

    def walk(n: Node) -> None:
        if isinstance(n, (Ex, Nex)):
            flags.add(n.prop)
        elif isinstance(n, Cmp):
            if isinstance(n.expr, Ref):
                tags.add(n.prop)
                tags.add(n.expr.prop)
        else:
            for i in n.items:
                walk(i)

    walk(node)
    return flags, tags


def _cost(node: Node) -> Cost:
    flags, tags = special_props(node)
    return Cost(_branches(node), len(flags | tags))


def parse_condition(cond: Any) -> Node:
    """Validate ``cond`` and return its parsed form; raise ValueError.

    Arithmetic over constants only is folded into a constant.
    """
    node = _parse(cond, 0)
    cost = _cost(node)
    if cost.branches > MAX_BRANCHES:
        raise ValueError(
            f"condition has {cost.branches} alternatives after expanding $or, "
            f"more than {MAX_BRANCHES}"
        )
    if cost.special_props > MAX_SPECIAL_PROPS:
        raise ValueError(
            f"condition uses {cost.special_props} properties in $ex/$nex or in comparisons "
            f"between properties, more than {MAX_SPECIAL_PROPS}"
        )
    return node


def validate_condition(cond: Any) -> None:
    """Raise ValueError unless ``cond`` is a condition of the dialect."""
    parse_condition(cond)


def condition_cost(cond: Any) -> Cost:
    """How many alternatives / durable rules ``cond`` expands to."""
    return _cost(parse_condition(cond))


def props_of(node: Node | Expr) -> set[str]:
    """Every property a parsed condition or expression names."""
    if isinstance(node, Const):
        return set()
    if isinstance(node, Ref):
        return {node.prop}
    if isinstance(node, Arith):
        return props_of(node.left) | props_of(node.right)
    if isinstance(node, Cmp):
        return {node.prop} | props_of(node.expr)
    if isinstance(node, (Ex, Nex)):
        return {node.prop}
    out: set[str] = set()
    for item in node.items:
        out |= props_of(item)
    return out


# --------------------------------------------------------------------------
# Builders (return plain dicts of the dialect)
# --------------------------------------------------------------------------

_OP_ALIASES = {
    "==": "$eq",
    "!=": "$neq",
    "<": "$lt",
    "<=": "$lte",
    ">": "$gt",
    ">=": "$gte",
}


def ref(prop: str) -> dict:
    """``{"$m": prop}``: the value of another property of the same fact."""
    _check_prop(prop, "ref")
    return {"$m": prop}


def _operand(x: Any) -> Any:
    if isinstance(x, dict):
        return x
    return _check_const(x, "arithmetic").value


def _arith(op: str, left: Any, right: Any) -> Any:
    left, right = _operand(left), _operand(right)
    for side in (left, right):
        if not isinstance(side, dict) and kind_of(side) != "n":
            raise ValueError(f"arithmetic on a non-number {side!r}")
    if not isinstance(left, dict) and not isinstance(right, dict):
        return c_arith(op, left, right)  # folded, as parse_condition would
    return {op: {"$l": left, "$r": right}}


def add(left: Any, right: Any) -> Any:
    return _arith("$add", left, right)


def sub(left: Any, right: Any) -> Any:
    return _arith("$sub", left, right)


def mul(left: Any, right: Any) -> Any:
    return _arith("$mul", left, right)


def cmp(prop: str, op: str, expr: Any) -> dict:
    """``prop op expr``; op is one of == != < <= > >= or $eq $neq $lt ..."""
    op = _OP_ALIASES.get(op, op)
    if op not in COMPARISONS:
        raise ValueError(f"unknown comparison {op!r}")
    _check_prop(prop, "cmp")
    if op == "$eq":
        cond = {prop: expr}
    else:
        cond = {op: {prop: expr}}
    validate_condition(cond)
    return cond


def eq(prop: str, expr: Any) -> dict:
    return cmp(prop, "$eq", expr)


def neq(prop: str, expr: Any) -> dict:
    return cmp(prop, "$neq", expr)


def lt(prop: str, expr: Any) -> dict:
    return cmp(prop, "$lt", expr)


def lte(prop: str, expr: Any) -> dict:
    return cmp(prop, "$lte", expr)


def gt(prop: str, expr: Any) -> dict:
    return cmp(prop, "$gt", expr)


def gte(prop: str, expr: Any) -> dict:
    return cmp(prop, "$gte", expr)


def exists(prop: str) -> dict:
    _check_prop(prop, "exists")
    return {"$ex": {prop: 1}}


def not_exists(prop: str) -> dict:
    _check_prop(prop, "not_exists")
    return {"$nex": {prop: 1}}


def _junction(key: str, conds: tuple) -> dict:
    if not conds:
        raise ValueError(f"{key} of nothing")
    items: list = []
    for c in conds:
        if type(c) is dict and len(c) == 1 and key in c:
            items.extend(c[key])  # flatten nested $and/$and, $or/$or
        else:
            items.append(c)
    if len(items) == 1:
        return items[0]
    return {key: items}


def and_(*conds: dict) -> dict:
    return _junction("$and", conds)


def or_(*conds: dict) -> dict:
    return _junction("$or", conds)
