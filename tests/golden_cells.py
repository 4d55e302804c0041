"""What every golden table shares: the shape of the two formats, the cell
encoding, the ``Ambiguous`` marker and the comparison of one expected cell
with the parser's JSON cell.

Plain Python, no pytest and no gxaudit import: the golden tests and
``benchmarks/accuracy.py`` (which only sees the CLI's JSON) both use it.

Cell encoding (as in ``golden_seeds.py``):
  * a plain ``int``           -> kind "number", that value, unit None
  * ``(kind, value, unit)``   -> anything else, e.g. ("empty", None, None),
                                 ("number", "9116.36", None) for a decimal
  * ``Ambiguous(V, note)``    -> the digits of a flattened report allow more
                                 than one split and nothing in the report
                                 settles it: the right answer is "unreadable";
                                 V (a cell as above, or None when no split is
                                 preferred) is what the person who read the
                                 file believes.  Any other value is wrong.

An outcome per cell:
  exact       the expected kind, value and unit
  unreadable  the parser says it could not read the cell (``"unreadable":
              true``, or the row has a reading that is not "inferred")
  missing     no such cell and no unreadable reading for its row
  wrong       a cell with another kind, value or unit
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

APPLICATION_COLUMNS = ("natural_person", "commercial", "research", "social", "legal", "other",
                       "total")
APPLICANT_COLUMNS = APPLICATION_COLUMNS[:6]
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_BLOCKS = ("review", "litigation_direct", "litigation_after_review")

# The canonical ids of ../shared/TEMPLATES.md, written out here so that the
# golden data is checked against the templates, not against the package.
_RESULT_ROWS_COMMON = (
    "granted", "partial",
    "denied_secret", "denied_law", "denied_security", "denied_third_party", "denied_internal",
    "denied_process", "denied_case_file", "denied_query",
    "unable_not_held", "unable_need_create", "unable_unclear",
    "rejected_petition", "rejected_repeat", "rejected_publication", "rejected_mass",
    "rejected_confirm",
)
FORMATS = {
    "2019": {
        "proactive": {
            "item1": {"rows": ("rules", "normative_docs"),
                      "columns": ("made", "published", "total_public")},
            "item5": {"rows": ("licensing", "other_services"),
                      "columns": ("prev_items", "change", "decisions")},
            "item6": {"rows": ("penalty", "enforcement"),
                      "columns": ("prev_items", "change", "decisions")},
            "item8": {"rows": ("fees",), "columns": ("prev_items", "change")},
            "item9": {"rows": ("procurement",), "columns": ("projects", "amount")},
        },
        "result_rows": _RESULT_ROWS_COMMON + ("other_handling",),
    },
    "2021": {
        "proactive": {
            "item1": {"rows": ("rules", "normative_docs"),
                      "columns": ("issued", "repealed", "in_force")},
            "item5": {"rows": ("licensing",), "columns": ("decisions",)},
            "item6": {"rows": ("penalty", "enforcement"), "columns": ("decisions",)},
            "item8": {"rows": ("fees",), "columns": ("amount",)},
        },
        "result_rows": _RESULT_ROWS_COMMON + ("other_no_correction", "other_no_fee", "other_misc"),
    },
}
for _shape in FORMATS.values():
    _shape["applications_rows"] = (("new", "carried_over") + _shape["result_rows"]
                                   + ("results_total", "carried_forward"))

SECTION_IDS = ("overview", "proactive", "applications", "review_litigation", "problems",
               "other_matters")

# How many dict levels lie above the cells of each table.
TABLE_DEPTH = {
    "proactive": 3,  # block -> row -> column
    "applications": 2,  # row -> column
    "review_litigation": 2,  # block -> column
}

EMPTY = ("empty", None, None)
TEXT = ("text", None, None)

EXACT, UNREADABLE, MISSING, WRONG = "exact", "unreadable", "missing", "wrong"
OUTCOMES = (EXACT, UNREADABLE, MISSING, WRONG)


@dataclass(frozen=True)
class Ambiguous:
    """A cell whose digits allow several splits that the report does not settle."""
    value: object  # the believed cell (int or (kind, value, unit)), or None
    note: str


def row(*values):
    """One table-three row, values in printed column order."""
    assert len(values) == len(APPLICATION_COLUMNS), values
    return dict(zip(APPLICATION_COLUMNS, values))


def block(*values):
    """One table-four block, values in printed column order."""
    assert len(values) == len(REVIEW_COLUMNS), values
    return dict(zip(REVIEW_COLUMNS, values))


def expected_cell(v):
    """A golden cell as (kind, value, unit), or an Ambiguous whose value is normalised."""
    if isinstance(v, Ambiguous):
        return Ambiguous(None if v.value is None else expected_cell(v.value), v.note)
    if isinstance(v, bool):
        raise TypeError(f"bool is not a valid golden cell: {v!r}")
    if isinstance(v, int):
        return ("number", v, None)
    if isinstance(v, tuple) and len(v) == 3:
        return v
    raise TypeError(f"invalid golden cell: {v!r}")


def plain_value(v):
    """The number a golden cell stands for (None for empty, text or an undecided Ambiguous)."""
    cell = expected_cell(v)
    if isinstance(cell, Ambiguous):
        cell = cell.value
    if cell is None or cell[0] not in ("number", "number_with_unit") or cell[1] is None:
        return None
    return Decimal(str(cell[1]))


def flatten_expected(table: dict, depth: int, prefix=()) -> dict:
    """{(block, row, column) or (row, column): normalised golden cell}."""
    out = {}
    for key, sub in table.items():
        path = prefix + (key,)
        if len(path) == depth:
            out[path] = expected_cell(sub)
        else:
            out.update(flatten_expected(sub, depth, path))
    return out


def flatten_actual(table, depth: int, prefix=(), problems=None) -> dict:
    """Flatten the parser's JSON table into {path: cell}; shape errors go to problems."""
    out = {}
    if table is None:
        return out
    if not isinstance(table, dict):
        if problems is not None:
            problems.append(f"{'/'.join(prefix) or '<table>'}: expected an object, got {table!r}")
        return out
    for key, sub in table.items():
        path = prefix + (key,)
        if len(path) == depth:
            out[path] = sub
        else:
            out.update(flatten_actual(sub, depth, path, problems))
    return out


def value_matches(exp_value, actual_value) -> bool:
    if exp_value is None:
        return actual_value is None
    if isinstance(actual_value, bool) or actual_value is None:
        return False
    if isinstance(exp_value, str):  # a decimal written as a string
        try:
            return Decimal(str(actual_value)) == Decimal(exp_value)
        except (InvalidOperation, ValueError):
            return False
    if not isinstance(actual_value, (int, float)):
        return False
    return actual_value == exp_value


def cell_matches(expected: tuple, cell) -> bool:
    exp_kind, exp_value, exp_unit = expected
    return (isinstance(cell, dict) and cell.get("kind") == exp_kind and cell.get("unit") == exp_unit
            and value_matches(exp_value, cell.get("value")))


def describe(cell) -> str:
    if not isinstance(cell, dict):
        return repr(cell)
    flags = "".join(f" {k}" for k in ("inferred", "unreadable") if cell.get(k))
    return (f"kind={cell.get('kind')!r} value={cell.get('value')!r} unit={cell.get('unit')!r}"
            f" (raw={cell.get('raw')!r}, line={cell.get('line')}, column={cell.get('column')}){flags}")


def unreadable_rows(doc: dict) -> set[tuple[str, str]]:
    """(table, row-or-block id) of every row a reading says could not be split."""
    out = set()
    for reading in doc.get("readings") or []:
        if reading.get("status") == "inferred":
            continue
        table = reading.get("table")
        for key in (reading.get("row"), reading.get("block")):
            if key:
                out.add((table, key))
    return out


def _row_key(table_id: str, path: tuple) -> str:
    # the id a reading names: table two's row, table three's row, table four's block
    return path[1] if table_id == "proactive" else path[0]


def classify(expected, cell, row_unreadable: bool) -> str:
    """One outcome (EXACT, UNREADABLE, MISSING, WRONG) for one expected cell."""
    if isinstance(cell, dict) and cell.get("unreadable"):
        return UNREADABLE
    if cell is None:
        return UNREADABLE if row_unreadable else MISSING
    if row_unreadable and isinstance(cell, dict) and cell.get("kind") == "empty":
        return UNREADABLE  # a row left empty because it could not be split
    if isinstance(expected, Ambiguous):
        return EXACT if expected.value is not None and cell_matches(expected.value, cell) else WRONG
    return EXACT if cell_matches(expected, cell) else WRONG


def compare_tables(golden: dict, doc: dict) -> list[tuple[str, tuple, str, object, object]]:
    """Every expected cell of the three tables: (table, path, outcome, expected, actual cell).

    Cells the parser has but the golden does not are listed with outcome "extra"."""
    tables = doc.get("tables") or {}
    bad_rows = unreadable_rows(doc)
    out = []
    for table_id, depth in TABLE_DEPTH.items():
        if table_id not in golden:
            continue
        expected = flatten_expected(golden[table_id], depth)
        actual = flatten_actual(tables.get(table_id), depth)
        for path, exp in expected.items():
            cell = actual.get(path)
            outcome = classify(exp, cell, (table_id, _row_key(table_id, path)) in bad_rows)
            out.append((table_id, path, outcome, exp, cell))
        for path in sorted(set(actual) - set(expected)):
            cell = actual[path]
            if isinstance(cell, dict) and cell.get("kind") == "empty" and (
                    cell.get("unreadable") or (table_id, _row_key(table_id, path)) in bad_rows):
                continue  # an unreadable placeholder is not an extra reading
            out.append((table_id, path, "extra", None, cell))
    return out


def identity_failures(golden: dict) -> list[tuple[str, str, str]]:
    """The table identities the golden (as printed) breaks: (rule, row or block, column).

    GX-BAL-001 row sums, GX-BAL-002 results total, GX-BAL-003 勾稽, GX-BAL-004 table four.
    An equation with an empty, text or undecided cell is skipped, as the rules do."""
    fmt = FORMATS[golden["format"]]
    apps = golden.get("applications") or {}
    out = []

    def num(row_id, column):
        return plain_value(apps[row_id][column]) if row_id in apps else None

    for row_id in apps:
        cells = [num(row_id, c) for c in APPLICATION_COLUMNS]
        if None not in cells and sum(cells[:6]) != cells[6]:
            out.append(("GX-BAL-001", row_id, "total"))
    result_rows = [r for r in fmt["result_rows"] if r in apps]
    for column in APPLICATION_COLUMNS:
        parts = [num(r, column) for r in result_rows]
        total = num("results_total", column)
        if apps and None not in parts and total is not None and sum(parts) != total:
            out.append(("GX-BAL-002", "results_total", column))
        four = [num(r, column) for r in ("new", "carried_over", "results_total", "carried_forward")]
        if apps and None not in four and four[0] + four[1] != four[2] + four[3]:
            out.append(("GX-BAL-003", "", column))
    for block_id, cells in (golden.get("review_litigation") or {}).items():
        values = [plain_value(cells[c]) for c in REVIEW_COLUMNS]
        if None not in values and sum(values[:4]) != values[4]:
            out.append(("GX-BAL-004", block_id, "total"))
    return out
