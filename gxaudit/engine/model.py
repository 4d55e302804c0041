"""The condition model: what a rule asks of one fact, and what that means.

A condition is a tree of the frozen dataclasses below, over the properties of
a single fact (a dict of name -> value)::

    Condition := Compare(op, left, right)   op: == != < <= > >=
               | Present(prop)              the property has a value
               | Missing(prop)              the property is absent or None
               | AllOf((Condition, ...))    every item holds (empty: true)
               | AnyOf((Condition, ...))    some item holds (empty: false)
    left      := Prop(name) | Const(value)
    Expr      := Const(value) | Prop(name) | Arith(op, Expr, Expr)   op: + - *
    value     := str | int (in int64) | float (finite) | bool
    name      := word characters (``\\w+``, so Chinese works), at most 128

This is the normative semantics; the reference evaluator
(:mod:`gxaudit.engine.reference`) implements it literally and every other
engine is tested against it.

* A property that is absent or None is *missing*.  ``Present``/``Missing``
  test exactly this.
* Values have three kinds: number (int or float, not bool), string, bool.
* ``Compare`` holds only if its left side and every property of its right
  side are present, the right side is defined, and both sides have the same
  kind; otherwise it is false.  So ``!=`` is *not* the negation of ``==``:
  with a missing property or a kind mismatch both are false.
* Ordering (``< <= > >=``) holds only between numbers or between strings;
  between bools it is false.
* Numbers: int with int compares exactly; if either side is a float both are
  compared as IEEE doubles (so ``2**53 + 1 == float(2**53)`` holds).
* ``Arith`` is defined only over numbers (a string or bool operand, or a
  missing property, leaves it undefined).  int with int gives an int64 with
  two's-complement wraparound; otherwise a double (which may overflow to inf).
* Strings: equality is exact.  Ordering compares the *escaped text*
  (:func:`string_key`: ``"``, ``\\`` and control characters written as JSON
  escapes, the rest as is) byte by byte as UTF-8, which is code-point order
  for ordinary text.

A condition is valid (:func:`condition_problems` returns nothing) when its
names and constants are as above, arithmetic has number operands and
constant-only arithmetic gives a finite number, no ordering has a bool
constant, and it is nested at most :data:`MAX_DEPTH` deep.  Engines may take
less than every valid condition; they say what in their ``problems``
(see :func:`gxaudit.engine.check_rules`).
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from gxaudit.regex import on_use

#: Comparison operators, and which of them are orderings.
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
ORDERINGS = ("<", "<=", ">", ">=")
#: ``a op b`` holds exactly when ``b MIRRORED[op] a`` does.
MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
ARITHMETIC = ("+", "-", "*")

MAX_DEPTH = 32
MAX_PROP_NAME = 128
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

_PROP_RE = on_use(r"\w+")


# --------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Const:
    value: str | int | float | bool


@dataclass(frozen=True)
class Prop:
    name: str


@dataclass(frozen=True)
class Arith:
    op: str  # one of ARITHMETIC
    left: Expr
    right: Expr


Expr = Const | Prop | Arith


@dataclass(frozen=True)
class Compare:
    op: str  # one of COMPARISONS
    left: Prop | Const
    right: Expr


@dataclass(frozen=True)
class Present:
    prop: str


@dataclass(frozen=True)
class Missing:
    prop: str


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


Condition = Compare | Present | Missing | AllOf | AnyOf


# --------------------------------------------------------------------------
# Values: the semantics of comparison and arithmetic
# --------------------------------------------------------------------------


def kind_of(value: Any) -> str | None:
    """ "n" (int/float), "s" (str), "b" (bool) or None (missing/unsupported)."""
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


def arith_values(op: str, a: int | float, b: int | float) -> int | float:
    """``a op b`` for two numbers: int64 wraparound for two ints, else doubles."""
    if type(a) is int and type(b) is int:
        if op == "+":
            return _wrap64(a + b)
        if op == "-":
            return _wrap64(a - b)
        return _wrap64(a * b)
    fa, fb = float(a), float(b)
    if op == "+":
        return fa + fb
    if op == "-":
        return fa - fb
    return fa * fb


def string_key(s: str) -> str:
    """The text strings are ordered by: ``"``, ``\\`` and controls escaped."""
    return json.dumps(s, ensure_ascii=False)[1:-1]


_OPS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compare_values(op: str, left: Any, right: Any) -> bool:
    """``left op right`` for two present values (a kind mismatch is false)."""
    tl, tr = type(left), type(right)
    if tl is int or tl is float:
        if tr is int:
            if tl is int:
                return _OPS[op](left, right)
            return _OPS[op](left, float(right))
        if tr is float:
            return _OPS[op](float(left), right)
        return False
    if tl is str:
        if tr is not str:
            return False
        if op in ORDERINGS:
            return _OPS[op](string_key(left), string_key(right))
        return _OPS[op](left, right)
    if tl is bool and tr is bool:
        if op in ORDERINGS:
            return False
        return _OPS[op](left, right)
    return False


def is_valid_prop_name(name: Any) -> bool:
    """A property name of conditions and facts: ``\\w+``, at most 128 chars."""
    return type(name) is str and 0 < len(name) <= MAX_PROP_NAME and _PROP_RE.fullmatch(name) is not None


def constant_problem(value: Any) -> str | None:
    """Why ``value`` cannot be a constant (or a fact's value), or None."""
    t = type(value)
    if t is bool:
        return None
    if t is int:
        if not INT64_MIN <= value <= INT64_MAX:
            return f"整数 {value} 超出 int64 的范围"
        return None
    if t is float:
        return None if math.isfinite(value) else f"数 {value!r} 不是有限的数"
    if t is str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"字符串 {value!r} 不是有效的 Unicode"
        return None
    return f"不支持的常量 {value!r}（{t.__name__}）"


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


class _Invalid(Exception):
    pass


def _check_name(name: Any) -> None:
    if not is_valid_prop_name(name):
        raise _Invalid(f"invalid property name {name!r}")


def _check_const(node: Const) -> None:
    problem = constant_problem(node.value)
    if problem:
        raise _Invalid(problem)


def _check_expr(expr: Any, depth: int) -> int | float | None:
    """Check an expression; its value if it is constant arithmetic, else None."""
    if depth > MAX_DEPTH:
        raise _Invalid(f"nested deeper than {MAX_DEPTH}")
    if isinstance(expr, Const):
        _check_const(expr)
        return None
    if isinstance(expr, Prop):
        _check_name(expr.name)
        return None
    if not isinstance(expr, Arith):
        raise _Invalid(f"not an expression: {expr!r}")
    if expr.op not in ARITHMETIC:
        raise _Invalid(f"unknown arithmetic operator {expr.op!r}")
    values: list[int | float | None] = []
    for side in (expr.left, expr.right):
        folded = _check_expr(side, depth + 1)
        if isinstance(side, Const):
            if kind_of(side.value) != "n":
                raise _Invalid(f"arithmetic on a non-number {side.value!r}")
            folded = cast(int | float, side.value)
        values.append(folded)
    if values[0] is None or values[1] is None:
        return None
    result = arith_values(expr.op, values[0], values[1])
    if isinstance(result, float) and not math.isfinite(result):
        raise _Invalid(f"constant arithmetic gives {result!r}")
    return result


def _check(cond: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise _Invalid(f"nested deeper than {MAX_DEPTH}")
    if isinstance(cond, (AllOf, AnyOf)):
        if not isinstance(cond.items, tuple):
            raise _Invalid(f"{type(cond).__name__} needs a tuple of conditions")
        for item in cond.items:
            _check(item, depth + 1)
    elif isinstance(cond, (Present, Missing)):
        _check_name(cond.prop)
    elif isinstance(cond, Compare):
        if cond.op not in COMPARISONS:
            raise _Invalid(f"unknown comparison {cond.op!r}")
        if not isinstance(cond.left, (Prop, Const)):
            raise _Invalid("the left side of a comparison must be a property or a constant")
        _check_expr(cond.left, depth + 1)
        _check_expr(cond.right, depth + 1)
        if cond.op in ORDERINGS:
            for side in (cond.left, cond.right):
                if isinstance(side, Const) and type(side.value) is bool:
                    raise _Invalid(f"{cond.op} with a bool constant")
    else:
        raise _Invalid(f"not a condition: {cond!r}")


def condition_problem(cond: Any) -> str | None:
    """Why ``cond`` is not a valid condition of the model, or None."""
    try:
        _check(cond, 0)
    except _Invalid as exc:
        return str(exc)
    return None


# --------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------

_CAP = 10**9


def alternatives(cond: Condition) -> int:
    """How many alternatives ``cond`` has once AnyOf is distributed over AllOf.

    The disjunctive normal form is never built: the count is computed (and
    capped at 10**9), so that a huge condition is measured before any engine
    tries to expand it.
    """
    if isinstance(cond, AllOf):
        count = 1
        for item in cond.items:
            count = min(count * alternatives(item), _CAP)
        return count
    if isinstance(cond, AnyOf):
        return min(sum(alternatives(i) for i in cond.items), _CAP)
    return 1


def props_of(node: Any) -> set[str]:
    """Every property a condition or expression names."""
    if isinstance(node, Const):
        return set()
    if isinstance(node, Prop):
        return {node.name}
    if isinstance(node, Arith):
        return props_of(node.left) | props_of(node.right)
    if isinstance(node, Compare):
        return props_of(node.left) | props_of(node.right)
    if isinstance(node, (Present, Missing)):
        return {node.prop}
    out: set[str] = set()
    for item in node.items:
        out |= props_of(item)
    return out


def rename(node: Any, new_name: Callable[[str], str]) -> Any:
    """A condition or expression with every property ``p`` named ``new_name(p)``."""
    if isinstance(node, Const):
        return node
    if isinstance(node, Prop):
        return Prop(new_name(node.name))
    if isinstance(node, Arith):
        return Arith(node.op, rename(node.left, new_name), rename(node.right, new_name))
    if isinstance(node, Compare):
        return Compare(node.op, rename(node.left, new_name), rename(node.right, new_name))
    if isinstance(node, Present):
        return Present(new_name(node.prop))
    if isinstance(node, Missing):
        return Missing(new_name(node.prop))
    return type(node)(tuple(rename(item, new_name) for item in node.items))


# --------------------------------------------------------------------------
# Builders: a property is named by a str on the left, by prop() elsewhere;
# any other plain value is a constant.
# --------------------------------------------------------------------------


def prop(name: str) -> Prop:
    return Prop(name)


def _expr(x: Any) -> Expr:
    return x if isinstance(x, (Const, Prop, Arith)) else Const(x)


def _left(x: Any) -> Prop | Const:
    if isinstance(x, str):
        return Prop(x)
    if isinstance(x, (Prop, Const)):
        return x
    raise ValueError(f"the left side of a comparison must be a property or a constant, not {x!r}")


def compare(left: Any, op: str, right: Any) -> Compare:
    if op not in COMPARISONS:
        raise ValueError(f"unknown comparison {op!r}")
    return Compare(op, _left(left), _expr(right))


def eq(left: Any, right: Any) -> Compare:
    return compare(left, "==", right)


def ne(left: Any, right: Any) -> Compare:
    return compare(left, "!=", right)


def lt(left: Any, right: Any) -> Compare:
    return compare(left, "<", right)


def le(left: Any, right: Any) -> Compare:
    return compare(left, "<=", right)


def gt(left: Any, right: Any) -> Compare:
    return compare(left, ">", right)


def ge(left: Any, right: Any) -> Compare:
    return compare(left, ">=", right)


def add(left: Any, right: Any) -> Arith:
    return Arith("+", _expr(left), _expr(right))


def sub(left: Any, right: Any) -> Arith:
    return Arith("-", _expr(left), _expr(right))


def mul(left: Any, right: Any) -> Arith:
    return Arith("*", _expr(left), _expr(right))


def present(name: str) -> Present:
    return Present(name)


def missing(name: str) -> Missing:
    return Missing(name)


def _junction(cls: type[AllOf] | type[AnyOf], conds: tuple) -> Condition:
    items: list = []
    for c in conds:
        items.extend(c.items if isinstance(c, cls) else (c,))
    if len(items) == 1:
        return items[0]
    return cls(tuple(items))


def all_of(*conds: Condition) -> Condition:
    """Every condition holds (nested AllOf flattened; one item is itself)."""
    return _junction(AllOf, conds)


def any_of(*conds: Condition) -> Condition:
    """Some condition holds (nested AnyOf flattened; one item is itself)."""
    return _junction(AnyOf, conds)
