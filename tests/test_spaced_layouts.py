"""Tables whose cells are set apart by spaces instead of tabs (a PDF's text layout, as
pdftotext -layout prints it; a page copied as text): read as the tab layout reads them,
or said unreadable; never a row called missing, never a number under another column.

The variants are made here from the seeds with tab rows and from generated reports
(text shape: tab rows, figures of every size, blank cells): every run of tabs becomes a
gap of two to six spaces, of ideographic spaces, of no-break spaces, or a mix (a run of
blank cells closes up into one gap, as on a page). A gap of one space cannot be told from
the space inside "(一) 予以公开": such a row is not cut, and a row whose name and figures
are printed is unreadable (GX-CEL-008), never absent.

For every variant, against the file it was made from:
* every row read there is read here with the same cells, or is unreadable (a row whose
  blank cells closed up has fewer numbers than columns): never absent, never moved;
* no finding here that is not there, but GX-CEL-008 (the reading finding).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import SEEDS, audit_to_json, tab_row_reports

from gxaudit.parse.document import parse_file

GAPS = {
    "spaces": lambda rng: " " * rng.randint(2, 6),
    "ideographic": lambda rng: "\u3000" * rng.randint(1, 2),
    "no_break": lambda rng: "\u00a0" * rng.randint(1, 3),
    "mixed": lambda rng: rng.choice([" " * rng.randint(2, 5), "\u3000", " \u3000 ", "\u00a0 "]),
}
READING = "GX-CEL-008"


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    """(original, variant, gap) for every tab-row file and gap style, written to disk."""
    out = tmp_path_factory.mktemp("spaced")
    rng = random.Random(20261202)
    found = []
    for path in tab_row_reports(tmp_path_factory, 24, 11):
        text = path.read_text(encoding="utf-8")
        for gap, make in GAPS.items():
            spaced = re.sub(r"(?<=\S)\t+(?=\S)", lambda _m, make=make: make(rng), text)
            spaced = spaced.replace("\t", " ")  # leading and trailing tabs: indentation
            target = out / f"{path.stem}.{gap}.txt"
            target.write_text(spaced, encoding="utf-8")
            found.append((path, target, gap))
    return found


def _rows(report) -> dict[tuple, dict[str, tuple]]:
    t = report.tables
    rows = {("proactive", b, r): row for b, block in t.proactive.items() for r, row in block.rows.items()}
    rows |= {("applications", None, r): row for r, row in t.applications.items()}
    rows |= {("review_litigation", None, r): row for r, row in t.review_litigation.items()}
    return {
        key: {c: (cell.kind, cell.value, cell.unreadable) for c, cell in row.cells.items()}
        for key, row in rows.items()
    }


def test_every_row_read_with_the_same_cells_or_said_unreadable(variants):
    read_alike = unreadable = 0
    for original, variant, gap in variants:
        before, after = parse_file(str(original)), parse_file(str(variant))
        rows_before, rows_after = _rows(before), _rows(after)
        for key, cells in rows_before.items():
            table, block, row = key
            got = rows_after.get(key)
            assert got is not None, f"{variant.name}: row {key} read in the original is absent"
            if any(unread for _kind, _value, unread in got.values()):
                assert all(unread for _kind, _value, unread in got.values()), (variant.name, key, got)
                assert after.coverage.is_unreadable(table, block, row), (variant.name, key)
                unreadable += 1
            else:
                assert got == cells, f"{variant.name} ({gap}): row {key} read otherwise: {got} != {cells}"
                read_alike += 1
        assert not after.coverage.absent or after.coverage.absent == before.coverage.absent, variant.name
    # most rows have no blank cell: read alike; rows with blank cells closed up: unreadable
    assert read_alike > 20 * unreadable > 0, (read_alike, unreadable)


def test_no_finding_that_the_tab_layout_does_not_have(variants, tmp_path):
    originals = sorted({o for o, _v, _g in variants})
    spaced = [v for _o, v, _g in variants]
    before = audit_to_json(originals, tmp_path / "before.json")
    after = audit_to_json(spaced, tmp_path / "after.json")
    findings = {Path(r["path"]).stem: {f["rule"] for f in r["findings"]} for r in before["reports"]}
    readings = 0
    for report in after["reports"]:
        stem = Path(report["path"]).stem.rsplit(".", 1)[0]
        new = {f["rule"] for f in report["findings"]} - findings[stem] - {READING}
        assert not new, f"{report['path']}: {sorted(new)}"
        assert report["status"] == "audited"
        readings += any(f["rule"] == READING for f in report["findings"])
    assert readings > 0  # the closed-up blank cells are said, not hidden


@pytest.mark.parametrize("gap", [" ", "\u3000 "])
def test_rows_that_cannot_be_cut_are_unreadable_never_missing(tmp_path, gap):
    """One space between the cells (or a gap on a table-three row only): the name and the
    figures are printed, the row cannot be cut into columns: GX-CEL-008, no GX-SUB-*."""
    seed = SEEDS / "000_f29079d135fdfab1.txt"
    lines = seed.read_text(encoding="utf-8").split("\n")
    table_three = range(59, 82)  # its rows: 本年新收 … 结转下年度 (lines 60-82 of the file)
    made = [
        re.sub(r"(?<=\S)\t+(?=\S)", " ", line).strip() if i in table_three else line
        for i, line in enumerate(lines)
    ]
    if gap != " ":  # one row cut by a gap, the others by a single space
        made[61] = lines[61].replace("\t\t\t", gap).replace("\t", gap).strip()
    target = tmp_path / "one_space.txt"
    target.write_text("\n".join(made), encoding="utf-8")
    report = audit_to_json([target], tmp_path / "r.json")["reports"][0]
    rules = [f["rule"] for f in report["findings"]]
    assert set(rules) == {READING}, rules  # the seed has no finding: only the reading is said
    reading = next(f for f in report["findings"] if f["rule"] == READING)
    assert "无法可靠读出" in reading["message"] and "请人工核对" in reading["message"]
    assert reading["location"]["line"] == 60
