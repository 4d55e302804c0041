"""GX-SUB-009: a table-two row short of cells ("行政许可\\t5\\t-2", its 处理决定数量 not
written) is said, as GX-SUB-007 says it of table three; it was silent.

Variants made here from the tab-row seeds and generated reports: the last cell of a
random table-two row dropped. Both engines.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import audit_to_json, tab_row_reports

from gxaudit.parse.document import parse_file


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    out = tmp_path_factory.mktemp("two")
    rng = random.Random(20261207)
    found = []
    for path in tab_row_reports(tmp_path_factory, 10, 61):
        report = parse_file(str(path))
        lines = path.read_text(encoding="utf-8").split("\n")
        rows = [
            (block, row)
            for block in report.tables.proactive.values()
            for row in block.rows.values()
            if len(row.cells) >= 2 and lines[row.line - 1].rstrip("\t").count("\t") == len(row.cells)
        ]
        if not rows:
            continue
        block, row = rng.choice(rows)
        changed = lines[:]
        changed[row.line - 1] = lines[row.line - 1].rstrip("\t").rsplit("\t", 1)[0]  # its last cell not written
        target = out / f"{path.stem}.L{row.line}.txt"
        target.write_text("\n".join(changed), encoding="utf-8")
        found.append((path, target, row.line, list(row.cells)[-1]))
    assert len(found) >= 12
    return found


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_a_row_short_of_its_last_cell_is_said_and_nothing_else(variants, tmp_path, engine):
    before = audit_to_json(sorted({o for o, *_ in variants}), tmp_path / "before.json", "--engine", engine)
    after = audit_to_json([v for _o, v, *_ in variants], tmp_path / "after.json", "--engine", engine)
    rules = {Path(r["path"]).stem: sorted(f["rule"] for f in r["findings"]) for r in before["reports"]}
    by_path = {r["path"]: r for r in after["reports"]}
    for original, variant, line, _column in variants:
        findings = by_path[str(variant)]["findings"]
        new = [f for f in findings if f["rule"] == "GX-SUB-009"]
        assert [f["location"]["line"] for f in new] == [line], (variant.name, new)
        assert "缺少单元格" in new[0]["message"] and "只有" in new[0]["message"]
        assert sorted(f["rule"] for f in findings if f["rule"] != "GX-SUB-009") == rules[original.stem]
