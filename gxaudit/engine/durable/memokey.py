"""What of a fact decides durable's answer: the key the engine remembers matches by.

The engine remembers which rules matched each distinct fact (engine.py). A fact
is keyed by the values of the properties its route's rules test, with their
types. A number, though, is often only compared with constants ("value < 0",
"value > 100"): then what decides every comparison is where the number stands
against those constants, not the number itself, and two rows of different
counts (a report's own figures, which never repeat) are the same fact for
durable. Per route, :func:`thresholds` finds the properties compared with
numeric constants only (no arithmetic, no other property), and
:func:`standing` is the part of the key such a number gives.

Exactness (the model's semantics, engine/model.py): comparisons of numbers are
exact between ints and as doubles when a float takes part. For ints and
constants below 2**53 in size both agree with Python's comparison, so the standing
below is what any engine keeping the model computes. A larger int, or a
constant beyond that, keeps the exact value in the key.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from gxaudit.engine.model import AllOf, AnyOf, Arith, Compare, Condition, Const, Prop

EXACT_BELOW = 2**53  # ints and constants smaller in size compare alike as ints and as doubles


def _props_in(expr) -> Iterable[str]:
    if isinstance(expr, Prop):
        yield expr.name
    elif isinstance(expr, Arith):
        yield from _props_in(expr.left)
        yield from _props_in(expr.right)


def thresholds(conditions: Iterable[Condition]) -> dict[str, tuple[int | float, ...]]:
    """The properties whose numbers the conditions only compare with numeric constants,
    each with those constants (sorted, without repeats). A property compared with a
    string or a bool constant keeps its place here: a number never equals nor orders
    against those (the comparison is false whatever the number)."""
    found: dict[str, set[int | float]] = {}
    exact: set[str] = set()

    def visit(condition) -> None:
        if isinstance(condition, (AllOf, AnyOf)):
            for item in condition.items:
                visit(item)
            return
        if not isinstance(condition, Compare):
            return  # Present / Missing: the type, in the key, decides them
        left, right = condition.left, condition.right
        pair = (left, right) if isinstance(left, Prop) else (right, left)
        prop, other = pair
        if isinstance(prop, Prop) and isinstance(other, Const):
            value = other.value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if abs(value) < EXACT_BELOW:
                    found.setdefault(prop.name, set()).add(value)
                else:
                    exact.add(prop.name)
            else:
                found.setdefault(prop.name, set())
            return
        exact.update(_props_in(left))
        exact.update(_props_in(right))

    for condition in conditions:
        visit(condition)
    return {name: tuple(sorted(consts)) for name, consts in found.items() if name not in exact}


def standing(value: int | float, constants: tuple[int | float, ...]) -> tuple[int, int] | None:
    """Where a number stands against the constants (sorted, without repeats), or None when
    its exact value must be kept (an int of 2**53 or more in size).

    It is (how many constants are below it, how many are below or equal): the two
    numbers say for each constant whether the value is below, equal or above it, as
    Python compares them (exactly, int with float too), and nothing more. An infinite
    or NaN float is kept too: the engine refuses it when it is encoded, and NaN would
    stand as if equal to every constant."""
    if type(value) is int and not -EXACT_BELOW < value < EXACT_BELOW:
        return None
    if type(value) is float and value - value != 0.0:
        return None
    return bisect_left(constants, value), bisect_right(constants, value)


def stand_numbers(parts: list, places: tuple[tuple[int, tuple[int | float, ...]], ...]) -> None:
    """Replace in `parts`, at each (place, constants) of `places`, a number by its
    standing against the constants: :func:`standing`, written out in the loop (it runs
    for every number of every fact; a call for each cost a quarter of the key).

    Against one constant c (most places: "value > 0"), the standing is read from two
    comparisons, as bisect finds it: (0, 0) below c, (0, 1) equal, (1, 1) above (NaN,
    which is neither, is kept). The tuples are shared: equal keys compare at once."""
    for i, constants in places:
        value = parts[i]
        t = type(value)
        if (t is int and -EXACT_BELOW < value < EXACT_BELOW) or (t is float and value - value == 0.0):
            if len(constants) == 1:
                c = constants[0]
                parts[i] = _BELOW if value < c else _ABOVE if value > c else _AT
            else:
                parts[i] = (bisect_left(constants, value), bisect_right(constants, value))


_BELOW, _AT, _ABOVE = (0, 0), (0, 1), (1, 1)
