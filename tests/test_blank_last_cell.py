"""A row of table three whose last cell (总计) is left blank, in a tab layout whose rows carry
layout blanks at both ends: the merged label column before the figures and a stray tab at
the line's end ("结转下年度继续办理⇥⇥20⇥0⇥0⇥0⇥0⇥0⇥⇥", seed 002's layout). The blank is 总计's:
one GX-CEL-001 there. Before, the stray tab was dropped first and the label column's blank
kept: the figures moved one column right, the blank was said to be 自然人's and a false
GX-BAL-003 followed.

The stray tab is layout only when most full rows of the table end with it; a row of a
table without one keeps its blank 总计 as before.

Variants made here from the tab-row seeds and generated text reports: the 总计 of one row
of table three blanked, the line's layout blanks kept as printed.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import audit_to_json, findings_by_place, tab_row_reports

# a table-three row: label cell(s), then seven figures, then what ends the line
_ROW = re.compile(r"^(?P<head>.*?\t)(?P<cells>\d+(?:\t\d+){6})(?P<tail>\t*)$")
_ROW_IDS = {
    "一、本年新收": "new",
    "二、上年结转": "carried_over",
    "（一）予以公开": "granted",
    "(一) 予以公开": "granted",
    "（二）部分公开": "partial",
    "(二) 部分公开": "partial",
    "（七）总计": "results_total",
    "(七) 总计": "results_total",
    "四、结转下年度": "carried_forward",
}


def _row_id(head: str) -> str | None:
    return next((rid for words, rid in _ROW_IDS.items() if words in head), None)


def _blank_total(path: Path, out: Path, rng: random.Random) -> tuple[Path, str] | None:
    lines = path.read_text(encoding="utf-8").split("\n")
    rows = [(i, _row_id(m.group("head"))) for i, line in enumerate(lines) if (m := _ROW.match(line))]
    rows = [(i, rid) for i, rid in rows if rid is not None]
    if not rows:
        return None
    i, rid = rng.choice(rows)
    m = _ROW.match(lines[i])
    cells = m.group("cells").split("\t")
    lines[i] = m.group("head") + "\t".join(cells[:6] + [""]) + m.group("tail")
    target = out / path.name
    target.write_text("\n".join(lines), encoding="utf-8")
    return target, rid


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    files = tab_row_reports(tmp_path_factory, 30, 515)
    out = tmp_path_factory.mktemp("blank-total")
    rng = random.Random(515)
    pairs = [(p, _blank_total(p, out, rng)) for p in files]
    pairs = [(p, v) for p, v in pairs if v is not None]
    assert len(pairs) >= 20
    with_tail = [p for p, (v, _r) in pairs if re.search(r"\d\t+\n", p.read_text(encoding="utf-8"))]
    assert with_tail, "no original with a stray tab at the end of its rows"
    return pairs


def test_the_blank_is_the_total_cell_and_nothing_moves(made, tmp_path):
    before = findings_by_place(audit_to_json([p for p, _v in made], tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([v for _p, (v, _r) in made], tmp_path / "after.json"))
    for original, (variant, row) in made:
        new = [f for f in after[str(variant)] if f not in before[str(original)]]
        assert ("GX-CEL-001", "applications", row, "total") in new, (variant.name, new)
        # nothing said of another column of that row, or of another row's cells
        moved = [f for f in new if f[1] == "applications" and f[3] not in (None, "total")]
        assert not moved, (variant.name, moved)
