"""The one cell that would explain a table's broken identities, when there is one.

A single mistyped figure breaks every identity it stands in: a 总计 cell of table
three typed 128 for 129 makes its row's applicants, its column's results and the
printed 勾稽 relation all fail, and each balance rule says so. A supervisor wants
the cell to correct. A cell is the suspect of a broken equation when

- it is one of the equation's cells and stands in another broken identity the
  format declares (formats/common.yaml), so two failures point at it;
- every broken identity it stands in asks the same value of it (changing it to
  that value mends them all), and it stands in no identity that holds (which
  the change would break);
- no other cell of the equation is such a cell.

Only the format's identities are the evidence; the suspect is named in the
finding's message ({suspect}) and the finding points at its line. Nothing is
said when the evidence does not single out one cell.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any, NamedTuple

from gxaudit.formats.model import Identity
from gxaudit.rules.kinds.base import Env

Key = tuple[str, ...]  # (table, row, column) as equation operands name cells


class _Relation(NamedTuple):
    signs: dict[Key, int]  # +1 left side, -1 right side
    difference: Any  # left - right


def _relations(env: Env, values: dict[Key, Any]) -> tuple[list[_Relation], set[Key]]:
    """The format's identities over this report: (broken ones, the cells of those that hold).
    An identity with a cell that is not a number is neither (the cells rules speak of it)."""
    memo = env.memo.get("identity relations")
    if memo is not None:
        return memo
    broken: list[_Relation] = []
    holding: set[Key] = set()
    fmt, tables = env.fmt, env.report.tables
    if fmt is None:
        return [], set()
    for identity in fmt.identities:
        table = identity.table
        if identity.each == "column":
            members = [c.id for c in fmt.application_columns] if table == "applications" else []
        else:
            members = list(
                (tables.applications if table == "applications" else tables.review_litigation).keys()
            )
        for member in members:
            signs: dict[Key, int] = {}
            total = 0
            for key, sign in _signed_terms(identity, member):
                value = values.get(key)  # (no value is None: only numbers are given)
                if value is None:
                    break
                signs[key] = sign
                total += sign * value
            else:
                if total:
                    broken.append(_Relation(signs, total))
                else:
                    holding.update(signs)
    env.memo["identity relations"] = memo = (broken, holding)
    return memo


@functools.lru_cache(maxsize=1024)
def _signed_terms(identity: Identity, member: str) -> tuple[tuple[Key, int], ...]:
    """The cells of an identity for one row, column or block, as values key them, each with
    its side's sign (+1 left, -1 right), left then right: the same for every report."""
    left, right = identity.terms(member)
    table = identity.table
    return tuple(((table, row, column), 1) for row, column in left) + tuple(
        ((table, row, column), -1) for row, column in right
    )


def suspect(env: Env, cells: tuple[Key, ...], values: dict[Key, Any]) -> tuple[Key, Any] | None:
    """(the cell, the value it should hold) that alone explains the equation of `cells`
    being broken along with the format's other broken identities; None if none does."""
    broken, holding = _relations(env, values)
    own = set(cells)
    if not any(own == set(r.signs) for r in broken):
        return None  # not an identity of the format that is broken here
    found = []
    for key in dict.fromkeys(cells):
        if key in holding:
            continue
        asked = {values[key] - r.signs[key] * r.difference for r in broken if key in r.signs}
        standing = sum(1 for r in broken if key in r.signs)
        if standing >= 2 and len(asked) == 1:
            value = asked.pop()
            if value >= 0:
                found.append((key, value))
    return found[0] if len(found) == 1 else None


def shown_value(value: Any) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
