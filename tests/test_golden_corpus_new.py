"""Issue 8: the parser against hand-read expectations for the flattened corpus reports.

The expected readings live in ``golden_corpus_new.py`` (written by reading
the files, not by running the parser) and the known defects in
``data/known_defects.yaml``.  Every cell must be read exactly or be marked
unreadable, never read wrong; metadata must be exact.  Cases the parser gets
wrong today are marked xfail with the cause (issue 8).
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import CORPUS, REPO, SEEDS
from golden_cells import (
    APPLICATION_COLUMNS,
    EMPTY,
    EXACT,
    FORMATS,
    REVIEW_BLOCKS,
    REVIEW_COLUMNS,
    SECTION_IDS,
    TABLE_DEPTH,
    UNREADABLE,
    Ambiguous,
    compare_tables,
    describe,
    expected_cell,
    flatten_expected,
    identity_failures,
)
from golden_corpus_new import GOLDEN

KNOWN_DEFECTS = REPO / "tests" / "data" / "known_defects.yaml"
NEW_SIX = ("102_pingtan_gaj_2021.txt", "103_pingtan_zrz_2023.txt", "107_pingtan_gaj_2019.txt",
           "201_pingtan_junshan_2020.txt", "202_pingtan_suping_2020.txt",
           "205_pingtan_jinjing_2023.txt")
FILES = sorted(GOLDEN)


def _parse(path: Path) -> dict:
    """The parser's reading of one file, as `gxaudit parse --format json` prints it.

    The only gxaudit import of this module: the package is being restructured."""
    from gxaudit.parse.document import parse_file
    return parse_file(str(path)).to_dict()


@functools.cache
def _document(name: str) -> dict:
    path = CORPUS / name
    assert path.is_file(), f"{name}: not found at {path}"
    return _parse(path)


# What the parser gets wrong today, per case (issue 8): nothing left.
XFAIL: dict[tuple, str] = {}


def _cases(*params):
    """pytest params, marked xfail where XFAIL names the case."""
    out = []
    for p in params:
        key = p if isinstance(p, tuple) else (p,)
        reason = XFAIL.get(key)
        marks = [pytest.mark.xfail(strict=False, reason=f"issue 8: {reason}")] if reason else []
        out.append(pytest.param(*key, marks=marks, id="-".join(str(k) for k in key)))
    return out


# ---------------------------------------------------------------- the parser


@pytest.mark.parametrize("name,field", _cases(*[(n, f) for n in FILES
                                                 for f in ("title", "organ", "year", "format")]))
def test_metadata(name, field):
    expected = GOLDEN[name][field]
    actual = _document(name).get(field)
    assert actual == expected and type(actual) is type(expected), (
        f"{name}: {field} expected {expected!r}, got {actual!r}")


@pytest.mark.parametrize("name", _cases(*FILES))
def test_sections(name):
    expected = [(num, sid, variant) for num, sid, _heading, variant in GOLDEN[name]["sections"]]
    actual = [(s.get("number"), s.get("id"), s.get("variant"))
              for s in _document(name).get("sections") or []]
    assert actual == expected, f"{name}: sections (numeral, id, variant) differ:\n" + "\n".join(
        f"  {'  ' if e == a else '!!'} expected {e!r}, got {a!r}"
        for e, a in zip(expected + [None] * len(actual), actual + [None] * len(expected))
        if e is not None or a is not None)


@pytest.mark.parametrize("name,table_id", _cases(*[(n, t) for n in FILES for t in TABLE_DEPTH]))
def test_table(name, table_id):
    """Every cell read exactly or marked unreadable; none wrong, missing or extra."""
    results = [r for r in compare_tables(GOLDEN[name], _document(name)) if r[0] == table_id]
    problems = [f"{'/'.join(path)}: {outcome}, expected {expected!r}, got {describe(cell)}"
                for _t, path, outcome, expected, cell in results
                if outcome not in (EXACT, UNREADABLE)]
    assert not problems, f"{len(problems)} problem(s) in {name} {table_id}:\n  " + "\n  ".join(problems)


def _determined_rows(golden: dict, table_id: str) -> dict[tuple, dict]:
    """Rows with neither an undecided split nor a blank cell: {row path: {column: cell}}."""
    depth = TABLE_DEPTH[table_id]
    rows: dict[tuple, dict] = {}
    for path, cell in flatten_expected(golden[table_id], depth).items():
        rows.setdefault(path[:-1], {})[path[-1]] = cell
    return {key: cells for key, cells in rows.items()
            if not any(isinstance(c, Ambiguous) or c == EMPTY for c in cells.values())}


@pytest.mark.parametrize("name,table_id,_kind", _cases(*[(n, t, "determined") for n in FILES
                                                         for t in TABLE_DEPTH]))
def test_determined_rows_are_read(name, table_id, _kind):
    """A row whose digits allow one reading (by count, row sum or column identities) is read,
    even when the report's own sums fail: that is the report's defect, not unreadable text."""
    determined = _determined_rows(GOLDEN[name], table_id)
    results = [r for r in compare_tables(GOLDEN[name], _document(name))
               if r[0] == table_id and r[1][:-1] in determined]
    problems = [f"{'/'.join(path)}: {outcome}, expected {expected!r}, got {describe(cell)}"
                for _t, path, outcome, expected, cell in results if outcome != EXACT]
    assert not problems, f"{len(problems)} cell(s) of determined rows not read in {name}:\n  " + \
        "\n  ".join(problems)


# ---------------------------------------------------------------- the golden data itself


def test_xfail_entries_name_real_cases():
    cases = ({(n, f) for n in FILES for f in ("title", "organ", "year", "format")}
             | {(n,) for n in FILES} | {(n, t) for n in FILES for t in TABLE_DEPTH}
             | {(n, t, "determined") for n in FILES for t in TABLE_DEPTH})
    assert set(XFAIL) <= cases, set(XFAIL) - cases


def test_golden_covers_the_six_new_reports():
    assert set(NEW_SIX) <= set(GOLDEN)
    for name in GOLDEN:
        assert (CORPUS / name).is_file(), name


@pytest.mark.parametrize("name", FILES)
def test_golden_data_is_well_formed(name):
    """Ids and shapes against the templates (no parser involved)."""
    g = GOLDEN[name]
    fmt = FORMATS[g["format"]]
    assert set(g) >= {"title", "organ", "year", "format", "sections", "proactive", "applications",
                      "review_litigation"}
    assert g["title"] is None or (isinstance(g["title"], str) and str(g["year"]) in g["title"])
    assert isinstance(g["organ"], str) and g["organ"]
    assert isinstance(g["year"], int) and (g["format"] == "2019") == (g["year"] in (2019, 2020))
    # sections: known ids, numerals in order, no duplicates
    numerals = "一二三四五六"
    assert [s[0] for s in g["sections"]] == list(numerals[:len(g["sections"])])
    assert all(s[1] in SECTION_IDS and isinstance(s[2], str) and isinstance(s[3], bool)
               for s in g["sections"])
    # table two: the format's blocks, rows and columns, in order
    assert list(g["proactive"]) == list(fmt["proactive"]), name
    for block_id, rows in g["proactive"].items():
        shape = fmt["proactive"][block_id]
        assert tuple(rows) == shape["rows"], (name, block_id)
        for row_id, cells in rows.items():
            assert tuple(cells) == shape["columns"], (name, block_id, row_id)
    # table three: 23 or 25 rows in the format's order, seven columns each
    rows = g["applications"]
    assert tuple(rows) == fmt["applications_rows"], name
    assert len(rows) == (23 if g["format"] == "2019" else 25)
    for row_id, cells in rows.items():
        assert tuple(cells) == APPLICATION_COLUMNS, (name, row_id)
    # table four: three blocks of five
    assert tuple(g["review_litigation"]) == REVIEW_BLOCKS
    assert all(tuple(b) == REVIEW_COLUMNS for b in g["review_litigation"].values())
    # every cell is a valid encoding; undecided splits only where no identity can decide
    for table_id, depth in TABLE_DEPTH.items():
        for path, cell in flatten_expected(g[table_id], depth).items():
            expected_cell(cell)
            if isinstance(cell, Ambiguous):
                assert table_id == "proactive" and cell.note, (name, path)


def _known_defects() -> dict:
    with open(KNOWN_DEFECTS, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _rule_severities() -> dict[str, str]:
    out = {}
    for path in sorted((REPO / "rules").glob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        for rule in (doc or {}).get("rules", []) if isinstance(doc, dict) else []:
            out[rule["id"]] = rule["severity"]
    return out


def test_known_defects_cover_every_report():
    doc = _known_defects()
    assert doc["schema_version"] == 1
    reports = doc["reports"]
    on_disk = {f"seeds/{p.name}" for p in SEEDS.iterdir() if p.name != "README.md"} | {
        f"corpus/{p.name}" for p in CORPUS.iterdir() if p.name != "README.md"}
    assert set(reports) == on_disk


def test_known_defects_are_well_formed():
    severities = _rule_severities()
    assert severities, "no rules found"
    location_keys = {"table", "block", "row", "column", "section", "line"}
    for report, entry in _known_defects()["reports"].items():
        assert set(entry) <= {"organ", "year", "status", "defects", "acceptable", "notes"}, report
        assert entry.get("status", "audited") in ("audited", "not_applicable"), report
        for kind in ("defects", "acceptable"):
            for key, item in (entry.get(kind) or {}).items():
                where = f"{report} {kind} {key}"
                assert item["rule"] in severities, f"{where}: unknown rule {item['rule']}"
                assert set(item.get("location") or {}) <= location_keys, where
                assert isinstance(item.get("note"), str) and item["note"], where
                if kind == "defects":
                    assert item["severity"] == severities[item["rule"]], where
                    assert isinstance(item.get("count", 1), int) and item.get("count", 1) >= 1, where


@pytest.mark.parametrize("name", FILES)
def test_printed_imbalances_are_the_known_defects(name):
    """The identities the golden (as printed) breaks are exactly the BAL defects listed."""
    entry = _known_defects()["reports"][f"corpus/{name}"]
    listed = set()
    for item in (entry.get("defects") or {}).values():
        if item["rule"].startswith("GX-BAL-"):
            loc = item["location"]
            if item["rule"] == "GX-BAL-001":
                listed.add((item["rule"], loc["row"], "total"))
            elif item["rule"] == "GX-BAL-002":
                listed.add((item["rule"], "results_total", loc["column"]))
            elif item["rule"] == "GX-BAL-003":
                listed.add((item["rule"], "", loc["column"]))
            else:
                listed.add((item["rule"], loc["block"], "total"))
    assert set(identity_failures(GOLDEN[name])) == listed
