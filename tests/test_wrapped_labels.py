"""A row's label wrapped onto the next line, its cells following there ("1.本机关不掌握相关" /
"政府信息\\t\\t0\\t0…"): the end of the label, not the row's first cell (which made
GX-CEL-002 '填写为“政府信息”，应为数字' and shifted every cell after it).

Variants made here from the tab-row seeds and generated reports: in a few rows of tables
two and three, the label cut at a random place, its end starting the next line with the
row's cells. A word in a cell on the label's own line, or alone on its line (one cell a
line), stays a value and a finding.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import SEEDS, audit_to_json, tab_row_reports

from gxaudit.parse.document import parse_file


def _rows(report) -> dict[tuple, dict[str, tuple]]:
    t = report.tables
    rows = {(b, r): row for b, block in t.proactive.items() for r, row in block.rows.items()}
    rows |= {(None, r): row for r, row in t.applications.items()}
    return {k: {c: (cell.kind, cell.value) for c, cell in row.cells.items()} for k, row in rows.items()}


def _wrap(line: str, rng: random.Random) -> list[str] | None:
    """The row `line` with its label cell cut in two, the end starting the next line."""
    cells = line.split("\t")
    labels = [i for i, c in enumerate(cells) if len(c.strip()) >= 6 and not c.strip()[-1].isdigit()]
    if not labels or not any(c.strip().isdigit() for c in cells[labels[-1] + 1 :]):
        return None
    i = labels[-1]
    text = cells[i].strip()
    k = rng.randint(3, len(text) - 2)
    return ["\t".join([*cells[:i], text[:k]]), "\t".join([text[k:], *cells[i + 1 :]])]


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    out = tmp_path_factory.mktemp("wrapped")
    rng = random.Random(20261205)
    found = []
    for path in tab_row_reports(tmp_path_factory, 12, 41):
        lines = path.read_text(encoding="utf-8").split("\n")
        report = parse_file(str(path))
        rows = [row.line for row in report.tables.applications.values()]
        rows += [row.line for block in report.tables.proactive.values() for row in block.rows.values()]
        wrappable = [n for n in sorted(set(rows)) if _wrap(lines[n - 1], random.Random(0))]
        for n in rng.sample(wrappable, min(3, len(wrappable))):
            changed = lines[: n - 1] + _wrap(lines[n - 1], rng) + lines[n:]
            target = out / f"{path.stem}.L{n}.txt"
            target.write_text("\n".join(changed), encoding="utf-8")
            found.append((path, target))
    assert len(found) > 30
    return found


def test_the_rows_read_as_before(variants):
    for original, variant in variants:
        assert _rows(parse_file(str(variant))) == _rows(parse_file(str(original))), variant.name


def test_the_same_findings(variants, tmp_path):
    before = audit_to_json(sorted({o for o, _v in variants}), tmp_path / "before.json")
    after = audit_to_json([v for _o, v in variants], tmp_path / "after.json")
    rules = {Path(r["path"]).stem: sorted(f["rule"] for f in r["findings"]) for r in before["reports"]}
    for report in after["reports"]:
        assert (
            sorted(f["rule"] for f in report["findings"])
            == rules[Path(report["path"]).stem.rsplit(".", 1)[0]]
        )


@pytest.mark.parametrize(
    "row",
    [
        "三、本年度办理结果\t(一) 予以公开\t不适用\t0\t0\t0\t0\t0\t0",  # on the label's own line
        "三、本年度办理结果\t(一) 予以公开\n\t不适用\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0",  # alone on its line
    ],
)
def test_a_word_in_a_cell_stays_a_value(tmp_path, row):
    seed = SEEDS / "000_f29079d135fdfab1.txt"
    lines = seed.read_text(encoding="utf-8").split("\n")
    assert lines[61].startswith("三、本年度办理结果\t(一) 予以公开")
    lines[61] = row
    target = tmp_path / "word.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    cell = parse_file(str(target)).tables.applications["granted"].cells["natural_person"]
    assert (cell.kind, cell.raw) == ("text", "不适用")
