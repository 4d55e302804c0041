"""A signed cell (本年增/减) written with the minus signs reports really use."""

from __future__ import annotations

import pytest
from conftest import SEEDS, audit_to_json

from gxaudit.parse.document import parse_file


@pytest.mark.parametrize(
    ("written", "kind", "value"),
    [
        ("−2", "number", -2),
        ("–3", "number", -3),
        ("－4", "number", -4),
        ("-5", "number", -5),
        ("−", "dash", None),
    ],
)
def test_the_minus_sign_and_the_en_dash_in_a_signed_cell(tmp_path, written, kind, value):
    """本年增/减 written with U+2212 (a PDF's minus sign) or U+2013 (Word's dash for it):
    a negative number as "-" and "－" are, not a text cell ("应为数字"); alone, a dash."""
    seed = SEEDS / "000_f29079d135fdfab1.txt"
    lines = seed.read_text(encoding="utf-8").split("\n")
    assert lines[40] == "行政许可\t0\t0\t0"
    lines[40] = f"行政许可\t5\t{written}\t0"
    target = tmp_path / "signed.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    cell = parse_file(str(target)).tables.proactive["item5"].rows["licensing"].cells["change"]
    assert (cell.kind, cell.value) == (kind, value)
    report = audit_to_json([target], tmp_path / "r.json")["reports"][0]
    cells_said = {f["rule"] for f in report["findings"] if f["rule"].startswith("GX-CEL")}
    assert cells_said == ({"GX-CEL-003"} if kind == "dash" else set()), report[
        "findings"
    ]  # a dash, as "-" is
