"""Cells are read by regular expressions written from the pyparsing grammar
(formats/grammar.py: _cell_grammar stays the definition, classify_cell_grammar reads
with it). Both must read every cell text alike: the same kind, value and unit, and the
same "too large to be a figure". A cell read otherwise changes a table's figures.
"""

from __future__ import annotations

import random
from pathlib import Path

from conftest import generated_reports, sample_reports

from gxaudit.formats.grammar import classify_cell, classify_cell_grammar
from gxaudit.formats.load import common
from gxaudit.formats.text import split_lines
from gxaudit.read.files import read_report_text

NUMBERS = [
    "0",
    "7",
    "12",
    "007",
    "1,234",
    "12,34",
    "1,2345",
    "1234,567",
    "3.5",
    "3.",
    ".5",
    "1,234.50",
    "-3",
    "+4",
    "- 3",
    "１２",
    "9" * 19,
    "9223372036854775807",
    "9223372036854775808",
    "1e5",
    "0x1F",
]
AROUND = [
    "",
    " ",
    "\t",
    "\u3000",
    "\xa0",
    "\u200b",
    "件",
    "万元",
    "万 元",
    "元整",
    "个项",
    "次。",
    "（",
    "）",
    "%",
    "年",
    "-",
    "—",
    "/",
    "无",
    "a",
    "1",
]


def _real_cells(generated: Path) -> list[str]:
    cells: list[str] = []
    for path in sample_reports(generated):
        for line in split_lines(read_report_text(path)[0]):
            cells.append(line)  # a line without tabs is asked about whole
            cells += line.split("\t")
    return cells


def _made_cells(rng: random.Random) -> list[str]:
    shapes = common()["cells"]
    pieces = NUMBERS + AROUND + shapes["units"] + shapes["dash"]
    out = [f"{a}{n}{b}" for n in NUMBERS + shapes["dash"] for a in AROUND for b in AROUND + shapes["units"]]
    for _ in range(50_000):
        out.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))))
    return out


def test_the_regex_reads_every_cell_as_the_grammar_does(tmp_path):
    generated_reports(tmp_path, 100, 5, "text,cells,html")
    cells = _real_cells(tmp_path) + _made_cells(random.Random(20261201))
    kinds: dict[str, int] = {}
    for raw in cells:
        expected = classify_cell_grammar(raw)
        assert classify_cell.__wrapped__(raw) == expected, repr(raw)
        kinds[expected.kind] = kinds.get(expected.kind, 0) + 1
        kinds["unreadable"] = kinds.get("unreadable", 0) + expected.unreadable
    # every reading was met, many times
    assert len(cells) > 100_000
    assert all(
        kinds.get(k, 0) > 100 for k in ("number", "number_with_unit", "dash", "text", "empty", "unreadable")
    )


def test_a_table_cell_keeps_every_field_of_its_token_and_reading():
    # make_cell (through scan.cell_at) builds ast.Cell positionally (speed): each field must
    # land in its place
    from gxaudit.parse import ast
    from gxaudit.parse.scan import Token
    from gxaudit.parse.tables import make_cell

    cell = make_cell(Token("12件", 3, 7, "value"))
    assert (cell.raw, cell.kind, cell.value, cell.unit, cell.line, cell.column) == (
        "12件",
        "number_with_unit",
        12,
        "件",
        3,
        7,
    )
    assert (cell.inferred, cell.unreadable) == (False, False)
    too_large = make_cell(Token("9" * 30, 5, 2, "value"))
    assert (too_large.kind, too_large.value, too_large.unreadable, too_large.line, too_large.column) == (
        ast.EMPTY,
        None,
        True,
        5,
        2,
    )
    # the scanner makes a value cell as the AST cell itself: the same fields
    from gxaudit.parse.scan import split_cells

    assert split_cells("\t12件\t" + "9" * 30, 3)[1:] == [
        make_cell(Token("12件", 3, 2, "value")),
        make_cell(Token("9" * 30, 3, 6, "value")),
    ]
