"""Golden tests: the parser against hand-read expectations for the seed reports.

The expected values live in ``golden_seeds.py`` (written by reading the
reports, not by running the parser).  The seeds are looked up in
``<shared>/seeds`` where ``<shared>`` is ``$GXAUDIT_SHARED`` if set, else the
``shared`` directory next to the repository.
"""

from __future__ import annotations

import functools
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_seeds import GOLDEN  # noqa: E402


def _shared_dir() -> Path:
    override = os.environ.get("GXAUDIT_SHARED")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "shared"


SEEDS = _shared_dir() / "seeds"
FILES = sorted(GOLDEN)

# How many dict levels lie above the cells of each table.
TABLE_DEPTH = {
    "proactive": 3,  # block -> row -> column
    "applications": 2,  # row -> column
    "review_litigation": 2,  # block -> column
}


@functools.lru_cache(maxsize=None)
def _document(name: str) -> dict:
    """Parse one seed (once per session) and return ``report.to_dict()``."""
    from gxaudit.parse.document import parse_file

    path = SEEDS / name
    assert path.is_file(), f"{name}: seed file not found at {path}"
    doc = parse_file(str(path)).to_dict()
    assert isinstance(doc, dict), f"{name}: to_dict() returned {type(doc).__name__}"
    return doc


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def _expected_cell(v) -> tuple:
    """Normalise a golden V to (kind, value, unit)."""
    if isinstance(v, bool):
        raise TypeError(f"bool is not a valid golden cell: {v!r}")
    if isinstance(v, int):
        return ("number", v, None)
    if isinstance(v, tuple) and len(v) == 3:
        return v
    raise TypeError(f"invalid golden cell: {v!r}")


def _flatten_expected(table: dict, depth: int, prefix=()) -> dict:
    out = {}
    for key, sub in table.items():
        path = prefix + (key,)
        if len(path) == depth:
            out[path] = _expected_cell(sub)
        else:
            out.update(_flatten_expected(sub, depth, path))
    return out


def _flatten_actual(table, depth: int, prefix=(), problems=None) -> dict:
    """Flatten the parser's table into {path: CELL}; shape errors go to problems."""
    out = {}
    if table is None:
        return out
    if not isinstance(table, dict):
        problems.append(f"{'/'.join(prefix) or '<table>'}: expected an object, got {table!r}")
        return out
    for key, sub in table.items():
        path = prefix + (key,)
        if len(path) == depth:
            out[path] = sub
        else:
            out.update(_flatten_actual(sub, depth, path, problems))
    return out


def _value_matches(exp_kind, exp_value, actual_value) -> bool:
    if exp_value is None:
        return actual_value is None
    if isinstance(exp_value, str):  # a decimal written as a string
        if actual_value is None or isinstance(actual_value, bool):
            return False
        try:
            return Decimal(str(actual_value)) == Decimal(exp_value)
        except (InvalidOperation, ValueError):
            return False
    # an integer
    if isinstance(actual_value, bool) or not isinstance(actual_value, (int, float)):
        return False
    return actual_value == exp_value


def _describe(cell) -> str:
    if not isinstance(cell, dict):
        return repr(cell)
    return (
        f"kind={cell.get('kind')!r} value={cell.get('value')!r} unit={cell.get('unit')!r}"
        f" (raw={cell.get('raw')!r}, line={cell.get('line')}, column={cell.get('column')})"
    )


def compare_table(label: str, table_id: str, expected_table, tables) -> None:
    """Assert that a parsed table holds exactly the expected cells (shared by the golden tests)."""
    depth = TABLE_DEPTH[table_id]
    expected = _flatten_expected(expected_table, depth)
    problems: list[str] = []
    actual = _flatten_actual((tables or {}).get(table_id), depth, (), problems)

    def where(path):
        return f"{label} / {table_id} / " + " / ".join(path)

    for path in sorted(set(expected) - set(actual)):
        problems.append(f"{where(path)}: missing cell, expected {expected[path]!r}")
    for path in sorted(set(actual) - set(expected)):
        problems.append(f"{where(path)}: unexpected cell {_describe(actual[path])}")
    for path in sorted(set(expected) & set(actual)):
        exp_kind, exp_value, exp_unit = expected[path]
        cell = actual[path]
        ok = (isinstance(cell, dict) and cell.get("kind") == exp_kind and cell.get("unit") == exp_unit
              and _value_matches(exp_kind, exp_value, cell.get("value")))
        if not ok:
            problems.append(f"{where(path)}: expected kind={exp_kind!r} value={exp_value!r} "
                            f"unit={exp_unit!r}, got {_describe(cell)}")
    assert not problems, f"{len(problems)} problem(s) in {label} {table_id}:\n  " + "\n  ".join(problems)


def _check_table(name: str, table_id: str) -> None:
    compare_table(name, table_id, GOLDEN[name][table_id], _document(name).get("tables"))


# --------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("field", ["title", "organ", "year", "format"])
def test_metadata(name, field):
    doc = _document(name)
    expected = GOLDEN[name][field]
    actual = doc.get(field)
    assert actual == expected and type(actual) is type(expected), (
        f"{name}: {field} expected {expected!r}, got {actual!r}"
    )


@pytest.mark.parametrize("name", FILES)
def test_sections(name):
    doc = _document(name)
    expected = [tuple(s) for s in GOLDEN[name]["sections"]]
    actual = [
        (s.get("number"), s.get("id"), s.get("line")) for s in (doc.get("sections") or [])
    ]
    if actual != expected:
        lines = [f"{name}: sections differ (numeral, id, line)"]
        for i in range(max(len(expected), len(actual))):
            e = expected[i] if i < len(expected) else None
            a = actual[i] if i < len(actual) else None
            mark = "  " if e == a else "!!"
            lines.append(f"  {mark} #{i}: expected {e!r}, got {a!r}")
        pytest.fail("\n".join(lines))


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("table_id", list(TABLE_DEPTH))
def test_table(name, table_id):
    _check_table(name, table_id)


def test_golden_data_is_well_formed():
    """Sanity checks on the golden data itself (no parser involved)."""
    assert len(GOLDEN) == 5
    for name, g in GOLDEN.items():
        assert (SEEDS / name).is_file(), f"{name}: no such seed in {SEEDS}"
        fmt = g["format"]
        # table two shape
        blocks = {"2019": ["item1", "item5", "item6", "item8", "item9"],
                  "2021": ["item1", "item5", "item6", "item8"]}[fmt]
        assert list(g["proactive"]) == blocks, name
        # table three: 23 rows (2019) or 25 rows (2021), seven columns each
        rows = g["applications"]
        assert len(rows) == (23 if fmt == "2019" else 25), name
        for row, cols in rows.items():
            assert len(cols) == 7, (name, row)
        # table four: 15 cells
        assert sum(len(b) for b in g["review_litigation"].values()) == 15, name
        # the identities printed on table three hold for these seeds
        for col in ("natural_person", "commercial", "research", "social", "legal", "other", "total"):
            v = {r: c[col] for r, c in rows.items()}
            results = sum(x for r, x in v.items() if r not in (
                "new", "carried_over", "results_total", "carried_forward"))
            assert results == v["results_total"], (name, col)
            assert v["new"] + v["carried_over"] == v["results_total"] + v["carried_forward"], (name, col)
        for row, cols in rows.items():
            assert sum(cols[c] for c in list(cols)[:6]) == cols["total"], (name, row)
