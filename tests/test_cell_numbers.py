"""A number a cell prints that the engines cannot compute with (beyond int64) is not a figure.

The cell is unreadable (kind empty, value None, `unreadable`), its row gets one
reading finding that says why, and the rest of the report is audited as usual:
never an internal engine error for the whole report (issue 11), and the facts
gxaudit builds never carry a number the durable engine cannot take (issue 10).
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import SEEDS

from gxaudit.cli import main
from gxaudit.formats import grammar
from gxaudit.parse.document import parse_document

SEED = SEEDS / "000_f29079d135fdfab1.txt"
INT64_MAX = 2**63 - 1


@pytest.mark.parametrize(
    "raw,kind,value",
    [
        (str(INT64_MAX), "number", INT64_MAX),
        (str(-INT64_MAX), "number", -INT64_MAX),
        ("9,223,372,036,854,775,807", "number", INT64_MAX),
        ("0000000000000000000000000042", "number", 42),  # leading zeros are not magnitude
        ("12.5万元", "number_with_unit", None),
        (str(INT64_MAX + 1), "empty", None),
        ("-9223372036854775809", "empty", None),
        ("99999999999999999999", "empty", None),
        ("99,999,999,999,999,999,999", "empty", None),
        ("99999999999999999999.5", "empty", None),
        ("9" * 5000, "empty", None),  # refused before int(): no digit-limit error, no slow conversion
        ("9" * 30 + "万元", "empty", None),
    ],
)
def test_a_cell_number_beyond_int64_is_unreadable(raw, kind, value):
    cell = grammar.classify_cell(raw)
    assert cell.kind == kind
    if kind == "empty":
        assert cell.unreadable and cell.value is None and cell.unit is None
        assert grammar.is_value_text(raw)  # still a value in the table, not a row label
    else:
        assert not cell.unreadable
        if value is not None:
            assert cell.value == value


def _with_new_applications(first: str) -> str:
    """Seed 000 with the first figure of table three's 本年新收 row replaced."""
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if "本年新收政府信息公开申请数量" in line)
    lines[index] = re.sub(r"\t\d+\t", f"\t{first}\t", lines[index], count=1)
    assert lines[index] != text.split("\n")[index]
    return "\n".join(lines)


def test_the_row_of_a_too_large_cell_is_read_except_that_cell():
    report = parse_document(_with_new_applications("99999999999999999999"), "big.txt")
    row = report.tables.applications["new"]
    big = next(c for c in row.cells.values() if c.raw == "99999999999999999999")
    assert big.kind == "empty" and big.value is None and big.unreadable
    assert sum(c.kind == "number" for c in row.cells.values()) == len(row.cells) - 1
    gaps = [g for g in report.coverage.unreadable if g.row == "new"]
    assert len(gaps) == 1 and len(gaps[0].columns) == 1


@pytest.mark.parametrize("engine", ["durable", "reference"])
@pytest.mark.parametrize("figure", ["99999999999999999999", "-9223372036854775809", "9" * 5000])
def test_a_too_large_cell_is_one_reading_finding_not_an_engine_error(tmp_path, capsys, engine, figure):
    path = tmp_path / "big.txt"
    path.write_text(_with_new_applications(figure), encoding="utf-8")
    main(["audit", str(path), "--format", "json", "--engine", engine, "--no-progress"])
    (result,) = json.loads(capsys.readouterr().out)["reports"]
    assert result["status"] == "audited", result["error"]
    assert result["coverage"]["unreadable"] == 1
    reading = [f for f in result["findings"] if f["rule"] == "GX-CEL-008"]
    assert len(reading) == 1
    assert "无法可靠读出" in reading[0]["message"] and "超出可读范围" in reading[0]["message"]
    assert reading[0]["location"]["row"] == "new"
