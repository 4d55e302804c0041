"""Count cells written with a count unit: "71件", "0件", "3个". The number is read and takes
part in every check as it would printed bare; the unit is a defect of form, one warning
per cell (GX-CEL-011). Before, every such cell was an error "应为数字" (GX-CEL-002), as if
nothing were written there.

Variants made here from the tab-row seeds and generated text reports (some carry
injected imbalances): every figure of tables three and four written with "件".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import audit_to_json, findings_by_place, tab_row_reports

_PART_THREE = re.compile(r"^\s*三[、.．]\s*收到和处理")
_PART_FIVE = re.compile(r"^\s*五[、.．]")
_FIGURE = re.compile(r"(?<=\t)(\d+)(?=\t|$)")


def _with_units(path: Path, out: Path) -> tuple[Path, int] | None:
    """The report with every figure of parts three and four written "N件"; how many."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next((i for i, line in enumerate(lines) if _PART_THREE.match(line)), None)
    end = next((i for i, line in enumerate(lines) if _PART_FIVE.match(line)), None)
    if start is None or end is None:
        return None
    count = 0
    for i in range(start, end):
        lines[i], n = _FIGURE.subn(r"\1件", lines[i])
        count += n
    target = out / path.name
    target.write_text("\n".join(lines), encoding="utf-8")
    return target, count


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("units")
    pairs = [(p, _with_units(p, out)) for p in tab_row_reports(tmp_path_factory, 16, 611)]
    pairs = [(p, v) for p, v in pairs if v is not None and v[1] >= 100]
    assert len(pairs) >= 10
    return pairs


def test_a_count_with_its_unit_reads_as_the_count(made, tmp_path):
    before = findings_by_place(audit_to_json([p for p, _v in made], tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([v for _p, (v, _n) in made], tmp_path / "after.json"))
    balance = 0
    for original, (variant, count) in made:
        found = after[str(variant)]
        assert sum(1 for f in found if f[0] == "GX-CEL-011") == count, variant.name
        assert [f for f in found if f[0] != "GX-CEL-011"] == before[str(original)], variant.name
        balance += sum(1 for f in found if f[0].startswith("GX-BAL"))
    assert balance, "no imbalance among the variants: the figures' use in the checks is untested"


def test_a_money_unit_in_a_count_cell_stays_an_error(made, tmp_path):
    """ "5万元" in a count cell is no count: GX-CEL-002 as before."""
    variant, _n = made[0][1]
    text = variant.read_text(encoding="utf-8")
    target = tmp_path / variant.name
    target.write_text(re.sub(r"(?<=\t)(\d+)件", r"\1万元", text, count=1), encoding="utf-8")
    found = audit_to_json([target], tmp_path / "out.json")["reports"][0]["findings"]
    assert [f for f in found if f["rule"] == "GX-CEL-002" and "万元" in f["message"]]
