"""A number a report prints that the engines cannot compute with (beyond int64) is not a figure.

In a cell, the cell is unreadable (kind empty, value None, `unreadable`), its
row gets one reading finding that says why, and the rest of the report is
audited as usual: never an internal engine error for the whole report (issue
11). In the text, it is not a figure the narrative rules compare. So the facts
gxaudit builds never carry a number the engines cannot take, and the engines
may skip checking them (issue 10: `evaluate(..., trusted=True)`); where a
trusted fact holds one anyway, durable refuses it with check_facts' error.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import SEEDS

from gxaudit.cli import main
from gxaudit.engine import CompiledRule, EngineError, Match, check_facts, make_engine
from gxaudit.engine import model as M
from gxaudit.formats import grammar
from gxaudit.parse.document import parse_document
from gxaudit.rules.narrative.figures import extract_figures

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


# ------------------------------------------------------------------ figures in the text

SENTENCE = "2020年，本机关共收到政府信息公开申请{}件。"


@pytest.mark.parametrize("figure", ["99999999999999999999", "9" * 400 + ".5", "9" * 5000])
def test_a_figure_in_the_text_beyond_int64_is_not_a_figure(figure):
    assert [m.stated for m in extract_figures(SENTENCE.format(12), SENTENCE.format(12), year=2020)] == [12]
    text = SENTENCE.format(figure)
    assert extract_figures(text, text, year=2020) == []


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_a_report_stating_a_figure_beyond_int64_is_audited(tmp_path, capsys, engine):
    text = SEED.read_text(encoding="utf-8").replace(
        "共收到政府信息公开申请1件", "共收到政府信息公开申请99999999999999999999件"
    )
    assert "99999999999999999999" in text
    path = tmp_path / "prose.txt"
    path.write_text(text, encoding="utf-8")
    main(["audit", str(path), "--format", "json", "--engine", engine, "--no-progress"])
    (result,) = json.loads(capsys.readouterr().out)["reports"]
    assert result["status"] == "audited", result["error"]


# ------------------------------------------------------------------ trusted facts

RULES = [CompiledRule("big", M.gt("n", 5)), CompiledRule("named", M.eq("s", "甲"))]


@pytest.mark.parametrize(
    "bad",
    [
        {"rule": "big", "id": "b", "n": 2**63},
        {"rule": "big", "id": "b", "n": -(2**63) - 1},
        {"rule": "big", "id": "b", "n": float("inf")},
        {"rule": "big", "id": "b", "n": float("nan")},
        {"rule": "named", "id": "b", "s": "甲\udc80"},
    ],
)
def test_durable_refuses_a_trusted_fact_it_cannot_take_with_check_facts_error(bad):
    engine = make_engine("durable", RULES)
    good = [{"rule": "big", "id": "a", "n": 6}, {"rule": "named", "id": "c", "s": "甲"}]
    with pytest.raises(EngineError) as expected:
        check_facts([*good, bad], "k")
    for trusted in (False, True):
        with pytest.raises(EngineError) as raised:
            engine.evaluate("k", [*good, bad], trusted=trusted)
        assert str(raised.value) == str(expected.value)
    # the engine stays usable, and trusted facts give the same matches
    assert engine.evaluate("k2", good, trusted=True) == [Match("big", "a"), Match("named", "c")]
    assert engine.evaluate("k3", good) == engine.evaluate("k4", good, trusted=True)
