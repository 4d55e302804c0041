"""What a check kind is: one unit holding its parameters, its facts, its
message placeholders, its semantic validation and its documentation.

Each kind module (report.py, cells.py, …) defines one `KIND = Kind(...)`; the
registry (kinds/__init__.py) collects them. From the registry come the
rule-file JSON Schema (rules/schema.py, published as docs/rule-schema.json),
the kinds' reference (docs/check-kinds.md) and the `rules show` text, so a new
kind is one new module plus one line in the registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gxaudit.formats.ids import Ids
from gxaudit.rules.kinds.base import Env, Fact

# JSON Schema fragments for parameter values
STRING: dict[str, Any] = {"type": "string"}
STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}, "minItems": 1}
SECTION_IDS = STRINGS

# Placeholders every message may use, whatever the kind: the report's own
# metadata and the finding's location.
COMMON_PLACEHOLDERS = ("format", "organ", "report_year", "year", "line", "section", "table", "row", "column")


@dataclass(frozen=True)
class Param:
    """A parameter of a check (a key of `check:` besides kind, assert and sets)."""

    name: str
    schema: dict[str, Any]
    doc: str
    required: bool = False


@dataclass(frozen=True)
class Prop:
    """A property of the kind's facts, which `assert` may name."""

    name: str
    type: str  # number, string, boolean
    doc: str


# the kinds of id a key names, as messages say them
_WHAT = {"row": "行", "column": "列", "block": "栏目", "section": "部分", "table": "表", "key": "键"}


class Problems:
    """Semantic problems of one check, each naming the parameter it is about
    (the loader turns the parameter into a file:line:column)."""

    def __init__(self, ids: Ids, sets: dict[str, Any]):
        self.ids = ids
        self.sets = sets
        self.found: list[tuple[str | None, str]] = []

    def add(self, param: str | None, message: str) -> None:
        self.found.append((param, message))

    def is_set(self, name: str) -> bool:
        return name in self.sets

    def set_members(self, name: str) -> set[str]:
        """Every id a named set may stand for (in any format)."""
        value = self.sets.get(name)
        if isinstance(value, dict):
            return {m for members in value.values() if isinstance(members, list) for m in members}
        return set(value) if isinstance(value, list) else set()

    def check_regex(self, param: str, where: str, text: str) -> None:
        """A regular expression a check will search with must compile."""
        try:
            re.compile(text)
        except re.error as exc:
            self.add(param, f"{where}: {exc}")

    def check_ids(self, param: str, what: str, given: str, known: frozenset[str] | set[str]) -> None:
        """`given` must be a known id, a named set whose members are known, or `*`."""
        if given == "*":
            return
        if self.is_set(given):
            unknown = sorted(self.set_members(given) - set(known))
            if unknown:
                self.add(
                    param, f"集合 {given!r} 含有任何格式都没有的{_WHAT.get(what, what)}：{', '.join(unknown)}"
                )
            return
        if given not in known:
            self.add(param, f"未知的{_WHAT.get(what, what)} {given!r}（已知的：{', '.join(sorted(known))}）")

    def check_cell_ref(
        self,
        param: str,
        table: str,
        keys: tuple[str, ...],
        variables: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        """A cell reference `table[k1][k2]…`: the table exists, it has that many keys, and each key is
        an id of its kind, a named set, `*`, or one of the `variables` (an equation's for_each)."""
        if table not in self.ids.tables:
            self.add(param, f"未知的表 {table!r}（已知的表：{', '.join(sorted(self.ids.tables))}）")
            return
        wanted = self.ids.keys_of(table)
        if len(keys) != len(wanted):
            self.add(
                param,
                f"{table} 需要 {len(wanted)} 个键（{', '.join(w for w, _ in wanted)}），不是 {len(keys)} 个",
            )
            return
        for key, (what, known) in zip(keys, wanted):
            if key not in variables:
                self.check_ids(param, what, key, known)


def no_extra_checks(_params: dict[str, Any], _problems: Problems) -> None:
    """A kind whose parameters the schema alone checks."""


@dataclass(frozen=True)
class Kind:
    name: str
    one_fact_per: str
    doc: str
    params: tuple[Param, ...]
    properties: tuple[Prop, ...]
    # context names a message may use besides the properties and COMMON_PLACEHOLDERS
    placeholders: tuple[str, ...]
    draw: Callable[[Env, dict[str, Any]], list[Fact]]
    example: str
    validate: Callable[[dict[str, Any], Problems], None] = field(default=no_extra_checks)
    # "properties": assert is a condition over the facts' properties;
    # "cells": assert is an equation over table cells (the equation kind);
    # "identity": no assert, the format declares the equation (the identity kind)
    asserts_on: str = "properties"
    # a kind that stands for another: the check it becomes when the rule file is loaded
    rewrite: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    @property
    def property_names(self) -> set[str]:
        return {p.name for p in self.properties}

    def offered_placeholders(self, params: dict[str, Any]) -> set[str]:
        """Every {name} a message of a check of this kind may use."""
        names = set(COMMON_PLACEHOLDERS) | self.property_names | set(self.placeholders)
        if self.asserts_on == "cells":  # the for_each variables name their binding
            names |= set((params.get("for_each") or {}) if isinstance(params.get("for_each"), dict) else ())
        return names
