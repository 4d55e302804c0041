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
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_cells import TABLE_DEPTH, cell_matches  # noqa: E402
from golden_cells import describe as _describe  # noqa: E402
from golden_cells import flatten_actual as _flatten_actual  # noqa: E402
from golden_cells import flatten_expected as _flatten_expected  # noqa: E402,F401 (test_pdf_adapter)
from golden_seeds import GOLDEN  # noqa: E402


def _shared_dir() -> Path:
    override = os.environ.get("GXAUDIT_SHARED")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "shared"


SEEDS = _shared_dir() / "seeds"
FILES = sorted(GOLDEN)

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
# helpers (the cell encoding and comparison live in golden_cells.py)
# --------------------------------------------------------------------------


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
        if not cell_matches(expected[path], cell):
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
