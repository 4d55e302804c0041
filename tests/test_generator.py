"""The benchmark generator (benchmarks/generate.py): clean reports parse with
complete tables whose identities hold, and the manifest is consistent."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from gxaudit.parse.document import parse_file
from gxaudit.rules.load import builtin_rules_dir, load_rules

REPO = Path(__file__).resolve().parent.parent
SEED = 5
COUNT = 12


def _load_generator():
    spec = importlib.util.spec_from_file_location("gxaudit_bench_generate", REPO / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    manifest = gen.generate(out, COUNT, SEED, gen.SHAPES)
    return out, manifest


def _number(cell) -> int:
    assert cell.kind == "number", f"{cell.raw!r} at line {cell.line} is {cell.kind}"
    assert cell.value == int(cell.value) and cell.value >= 0
    return int(cell.value)


def test_manifest_is_consistent(generated):
    out, manifest = generated
    rules = {r.id for r in load_rules([builtin_rules_dir()])[0]}
    entries = manifest["reports"]
    assert len(entries) == COUNT and manifest["seed"] == SEED
    assert sorted(p.name for p in out.iterdir() if p.name != "manifest.json") == sorted(e["file"] for e in entries)
    for index, e in enumerate(entries):
        assert e["shape"] == gen.SHAPES[index % 3]
        assert e["file"].endswith(".html" if e["shape"] == "html" else ".txt")
        assert 2019 <= e["year"] <= 2024
        assert e["year_format"] == ("2019" if e["year"] <= 2020 else "2021")
        kinds = [d["defect"] for d in e["defects"]]
        assert len(kinds) <= 3 and len(set(kinds)) == len(kinds)
        assert e["format"] == ("2019" if "old_format" in kinds else e["year_format"])
        assert e["expected"] == [x for d in e["defects"] for x in d["expected"]]
        assert bool(e["expected"]) == bool(e["defects"])
        for x in e["expected"]:
            assert x["rule"] in rules
            assert set(x) <= {"rule", "table", "row", "column", "section"}
        if "t2_change_word" in kinds:
            assert e["format"] == "2019"
        if "six_wu" in kinds:
            assert e["format"] == "2021" and "drop_part6" not in kinds
    clean = [e for e in entries if not e["expected"]]
    assert clean and len(clean) < COUNT
    assert {e["shape"] for e in clean} == set(gen.SHAPES)


def test_generation_is_deterministic(generated, tmp_path):
    out, manifest = generated
    again = gen.generate(tmp_path, COUNT, SEED, gen.SHAPES)
    assert again == manifest
    for e in manifest["reports"]:
        assert (tmp_path / e["file"]).read_bytes() == (out / e["file"]).read_bytes()


def test_clean_reports_parse_complete(generated):
    out, manifest = generated
    for e in manifest["reports"]:
        report = parse_file(out / e["file"])           # every report parses, defects or not
        if e["expected"]:
            continue
        where = e["file"]
        assert report.year == e["year"] and report.organ == e["organ"], where
        assert report.format == e["format"], where
        assert [s.id for s in report.sections] == ["overview", "proactive", "applications",
                                                    "review_litigation", "problems", "other_matters"], where
        assert not report.diagnostics, (where, report.diagnostics)
        fmt = e["format"]
        tables = report.tables
        # table two: the format's blocks and rows, every cell read
        for block, _item, rows, columns in gen.T2_BLOCKS[fmt]:
            assert block in tables.proactive, (where, block)
            for row, _label in rows:
                cells = tables.proactive[block].rows[row].cells
                assert set(cells) == {c for c, _l in columns}, (where, block, row)
                assert all(c.kind in ("number", "number_with_unit") for c in cells.values()), (where, row)
        # table three: 23 or 25 rows of 7 non-negative integers, identities hold
        t3 = tables.applications
        assert list(t3) == gen.T3_ROWS[fmt] and len(t3) == (23 if fmt == "2019" else 25), where
        values = {}
        for row_id, row in t3.items():
            assert list(row.cells) == gen.T3_COLUMNS, (where, row_id)
            values[row_id] = {c: _number(cell) for c, cell in row.cells.items()}
            assert values[row_id]["total"] == sum(values[row_id][c] for c in gen.APPLICANTS), (where, row_id)
        for c in gen.T3_COLUMNS:
            assert values["results_total"][c] == sum(values[r][c] for r in gen.RESULT_ROWS[fmt]), (where, c)
            assert values["new"][c] + values["carried_over"][c] == \
                values["results_total"][c] + values["carried_forward"][c], (where, c)
        # table four: 15 cells, each block's results add up to its total
        t4 = tables.review_litigation
        assert list(t4) == gen.T4_BLOCKS, where
        for block, row in t4.items():
            assert list(row.cells) == gen.T4_COLUMNS, (where, block)
            v = {c: _number(cell) for c, cell in row.cells.items()}
            assert v["total"] == v["upheld"] + v["corrected"] + v["other"] + v["pending"], (where, block)
        assert sum(len(r.cells) for r in t4.values()) == 15


def test_injected_cells_reach_the_parser(generated):
    """A blanked table-four cell and a word in 本年增/减 are read where they were put."""
    out, manifest = generated
    extra = gen.generate(out.parent / "more", 60, SEED + 1, gen.SHAPES)
    seen = 0
    for base, m in ((out, manifest), (out.parent / "more", extra)):
        for e in m["reports"]:
            report = parse_file(base / e["file"])
            for d in e["defects"]:
                if d["defect"] == "t2_change_word":
                    cell = report.tables.proactive[d["block"]].rows[d["row"]].cells["change"]
                    assert cell.raw == d["raw"] and cell.kind == "text", e["file"]
                    seen += 1
                elif d["defect"] == "t3_dash":
                    cell = report.tables.applications[d["row"]].cells[d["column"]]
                    assert cell.raw == d["raw"] and cell.kind == "dash", e["file"]
                    seen += 1
    assert seen
