"""The check kinds: what facts a rule's check draws from a report's AST.

One module per kind; this module is their registry. Kinds and the properties
their facts carry:

| kind          | one fact per                          | properties |
|---------------|---------------------------------------|------------|
| report        | report                                | year, format, expected_format, has_title, has_year, has_organ, has_period, period_start, period_end |
| sections      | part the format requires (一…六)      | number, expected_id, present, id_matches, count, in_order, variant |
| presence      | block / row / cell, expected or found | expected, present, in_order |
| cells         | selected cell                         | kind, value, unit, integer, known_unit, inferred, unreadable, table, row, column, block |
| equation      | binding of the for_each variables     | v0, v1, … (the operand cells) |
| year_mentions | "2020年" in the named sections         | year, report_year, delta, plan, comparison |
| pattern       | named section                         | present, matched, empty, length |
| readings      | table row of a flattened report       | status (inferred, ambiguous, unsatisfiable), table, row, block |
| cross_year    | column / item1 row / part vs last year | this_carried_over, last_carried_forward, last_in_force, issued, repealed, in_force, share, percent |
| text_figures  | figure the text states                | measure, stated, table, scope, has_table |
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gxaudit.rules.kinds.base import (
    LAZY,
    TABLE_NAME,
    TABLE_SECTION,
    CheckError,
    Env,
    Fact,
    Labels,
    lookup,
    set_members,
)
from gxaudit.rules.kinds.cells import cell_selector, check_cells
from gxaudit.rules.kinds.cross_year import check_cross_year
from gxaudit.rules.kinds.equation import check_equation, expand
from gxaudit.rules.kinds.pattern import check_pattern
from gxaudit.rules.kinds.presence import check_presence
from gxaudit.rules.kinds.readings import check_readings
from gxaudit.rules.kinds.report import check_report
from gxaudit.rules.kinds.sections import check_sections
from gxaudit.rules.kinds.text_figures import check_text_figures
from gxaudit.rules.kinds.year_mentions import check_year_mentions

__all__ = [
    "KINDS",
    "KIND_PARAMS",
    "KIND_PROPERTIES",
    "REQUIRED_PARAMS",
    "LAZY",
    "TABLE_NAME",
    "TABLE_SECTION",
    "CheckError",
    "Env",
    "Fact",
    "Labels",
    "cell_selector",
    "expand",
    "lookup",
    "set_members",
]


KINDS: dict[str, Callable[[Env, dict[str, Any]], list[Fact]]] = {
    "report": check_report,
    "sections": check_sections,
    "presence": check_presence,
    "cells": check_cells,
    "equation": check_equation,
    "year_mentions": check_year_mentions,
    "pattern": check_pattern,
    "readings": check_readings,
    "cross_year": check_cross_year,
    "text_figures": check_text_figures,
}

# The parameters each kind takes (besides `kind` and `assert`), for validation.
KIND_PARAMS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "report": {"locate": str},
    "sections": {},
    "presence": {"of": str, "table": str},
    "cells": {"select": (str, list)},
    "equation": {"for_each": dict, "tolerance": (int, float)},
    "year_mentions": {"sections": list},
    "pattern": {"section": str, "regex": str},
    "readings": {},
    "cross_year": {"compare": str, "sections": list},
    "text_figures": {"sections": list},
}
REQUIRED_PARAMS = {
    "cross_year": ("compare",),
    "presence": ("of", "table"),
    "cells": ("select",),
    "equation": ("assert",),
    "year_mentions": ("sections",),
    "pattern": ("section", "regex"),
}
# The properties an `assert` may name, per kind (equations name cells instead).
KIND_PROPERTIES: dict[str, set[str]] = {
    "report": {
        "year",
        "format",
        "expected_format",
        "has_title",
        "has_year",
        "has_organ",
        "has_period",
        "period_start",
        "period_end",
    },
    "sections": {"number", "expected_id", "present", "id_matches", "count", "in_order", "variant"},
    "presence": {"expected", "present", "in_order", "item", "missing"},
    "cells": {
        "kind",
        "value",
        "unit",
        "integer",
        "known_unit",
        "inferred",
        "unreadable",
        "table",
        "block",
        "row",
        "column",
    },
    "equation": set(),
    "year_mentions": {"year", "report_year", "delta", "plan", "comparison"},
    "pattern": {"present", "matched", "empty", "length"},
    "readings": {"status", "table", "row", "block"},
    "cross_year": {
        "this_carried_over",
        "last_carried_forward",
        "last_in_force",
        "issued",
        "repealed",
        "in_force",
        "share",
        "percent",
    },
    "text_figures": {"measure", "stated", "table", "scope", "has_table"},
}
