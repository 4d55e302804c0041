"""A page break inside table three, as a printed report carried into text: a page number
line ("第 3 页", "- 3 -", "3/5", "第3页 共5页"), the column headers printed again
("申请人情况 / 自然人 法人或其他组织 / 商业企业 科研机构 … 总计"), or both. The table
reads as without the break: the header's 总计 is not the 总计 row, its column names are
not that row's cells, a page number is not a cell.

Variants made here from the seeds and generated reports, in both layouts (one row a
line; one cell a line, as Word exports): a break before a random row of table three.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import SEEDS, audit_to_json, generated_reports

from gxaudit.parse.document import parse_file

FOOTERS = ["第 3 页", "- 3 -", "— 2 —", "3/5", "第3页 共5页", "第 2 页，共 6 页"]


def _rows(report) -> dict[str, dict[str, tuple]]:
    return {
        r: {c: (cell.kind, cell.value) for c, cell in row.cells.items()}
        for r, row in report.tables.applications.items()
    }


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    made = generated_reports(tmp_path_factory.mktemp("made"), 12, 31, "text,cells")
    out = tmp_path_factory.mktemp("breaks")
    rng = random.Random(20261204)
    found = []
    for path in sorted(SEEDS.glob("*.txt")) + sorted(made.glob("*.txt")):
        report = parse_file(str(path))
        lines = path.read_text(encoding="utf-8").split("\n")
        rows = sorted(row.line for row in report.tables.applications.values())
        start = report.tables.lines.get("applications")
        if report.lines != lines or start is None or len(rows) < 10:
            continue  # a file read otherwise (its lines are not the file's), or no table three
        header = lines[start - 1 : rows[0] - 1]
        for style in ("footer", "header", "both"):
            before = rng.choice(rows[1:])  # a row boundary inside the table
            inserted = [rng.choice(FOOTERS)] if style != "header" else []
            if style != "footer":
                inserted += header
            changed = lines[: before - 1] + inserted + lines[before - 1 :]
            target = out / f"{path.stem}.{style}.txt"
            target.write_text("\n".join(changed), encoding="utf-8")
            found.append((path, target, style))
    assert len(found) >= 30 and {s for *_x, s in found} == {"footer", "header", "both"}
    return found


def test_table_three_reads_as_without_the_break(variants):
    for original, variant, style in variants:
        assert _rows(parse_file(str(variant))) == _rows(parse_file(str(original))), (variant.name, style)


def test_the_same_findings_as_without_the_break(variants, tmp_path):
    before = audit_to_json(sorted({o for o, _v, _s in variants}), tmp_path / "before.json")
    after = audit_to_json([v for _o, v, _s in variants], tmp_path / "after.json")
    rules = {Path(r["path"]).stem: sorted(f["rule"] for f in r["findings"]) for r in before["reports"]}
    for report in after["reports"]:
        stem = Path(report["path"]).stem.rsplit(".", 1)[0]
        assert sorted(f["rule"] for f in report["findings"]) == rules[stem], report["path"]


@pytest.mark.parametrize("text", ["3", "2020/2021", "12", "第三页", "共计3页的材料"])
def test_what_is_not_a_page_number(text):
    from gxaudit.formats import grammar

    assert not grammar.is_page_number(text)
