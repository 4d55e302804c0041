"""The check kinds: what facts a rule's check draws from a report's AST.

One module per kind, each defining `KIND` (its parameters, the properties of
its facts, the placeholders its messages may use, its own validation, its
documentation and an example); this module is their registry. The rule-file
schema (rules/schema.py), the kinds' reference (docs/check-kinds.md) and
`gxaudit rules show` are made from it. A new kind is a new module here plus
one line in KINDS.
"""

from __future__ import annotations

from gxaudit.rules.kinds import (
    cells,
    cross_year,
    deadline,
    equation,
    hierarchy,
    identity,
    pattern,
    presence,
    readings,
    report,
    sections,
    text_figures,
    year_mentions,
)
from gxaudit.rules.kinds.base import (
    LAZY,
    TABLE_NAME,
    TABLE_SECTION,
    CheckError,
    Env,
    Fact,
    Labels,
    set_members,
)
from gxaudit.rules.kinds.cells import cell_selector
from gxaudit.rules.kinds.equation import expand
from gxaudit.rules.kinds.kind import Kind

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        report.KIND,
        sections.KIND,
        presence.KIND,
        cells.KIND,
        equation.KIND,
        identity.KIND,
        year_mentions.KIND,
        pattern.KIND,
        readings.KIND,
        cross_year.KIND,
        text_figures.KIND,
        deadline.KIND,
        hierarchy.KIND,
    )
}

__all__ = [
    "KINDS",
    "LAZY",
    "TABLE_NAME",
    "TABLE_SECTION",
    "CheckError",
    "Env",
    "Fact",
    "Kind",
    "Labels",
    "cell_selector",
    "expand",
    "set_members",
]
