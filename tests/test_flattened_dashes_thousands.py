"""A flattened page (a report run together on one line) whose table cells are written with
em-dashes or with thousands separators.

Dashes: "本年新收…1—————1" is seven cells, five of them "—". Before, the dashes were cut
longest first ("——" "——" "—": three values), so the row had "5 digits for 7 cells":
GX-CEL-010 (blank cells charged to the report) and GX-CEL-008; a table four written with
fifteen "—" was not read at all (its values were taken for the header): 3× GX-SUB-008
("缺少单元格"). Now a run of dashes without white space is one or more dash cells, as many
as the row needs ("——" is one cell or two); where the count of cells does not decide, or
readings put the dashes in different cells, the row is unreadable (GX-CEL-008), never
blank or missing cells.

Thousands: "1,234000001,234" is 1234 0 0 0 0 0 1234 (a cell holding a comma takes exactly
three digits after it; no cell starts after one), read as tab and HTML tables read "1,234".
Before: the run stopped at the comma ("1": GX-CEL-010, six blank cells; the comma a cell:
GX-CEL-002). A comma that is no thousands separator ("1,23", "0,123") makes the row
unreadable, never a blank or a "," cell.

Variants made here of every flattened report of the corpus, compared with the same report
written with plain figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CORPUS, audit_to_json

from gxaudit.parse.document import parse_text
from gxaudit.read.flattened import AMBIGUOUS, INFERRED, UNSATISFIABLE, unflatten
from gxaudit.read.flattened.runs import Chunk, count_ok, no_prefix, split_run, value_chunks
from gxaudit.read.flattened.text import is_flattened

COLUMNS = ["natural_person", "commercial", "research", "social", "legal", "other", "total"]
# what a misreading of dashes or commas was charged as
MISREAD = {"GX-CEL-010", "GX-CEL-002", "GX-SUB-008", "GX-CEL-008"}
# table three: from its first row to its last
_TABLE_THREE = re.compile(r"本年新收.*?结转下年度继续办理.{0,40}")
# a table-three row whose seven cells are one digit each: the label's end, then seven digits
# (white space between some), then the next label (or its enumerator "3.")
_SINGLE_DIGIT_ROW = re.compile(
    r"(?<=[\u4e00-\u9fff）)”])(?P<digits>(?:\s*\d){7})(?=\s*(?:[\u4e00-\u9fff（(]|\d[.．、]\D))"
)
# table four: fifteen digits after its header, before part five
_TABLE_FOUR = re.compile(r"(?<=总计)(?P<digits>(?:\s*\d){15})(?=\s*五[、.．])")
_CARRIED_OVER = "上年结转政府信息公开申请数量"


def _flattened() -> list[Path]:
    found = [p for p in sorted(CORPUS.glob("*.txt")) if is_flattened(p.read_text(encoding="utf-8"))]
    assert len(found) >= 5
    return found


def _dash_zeros(digits: str, columns: range) -> tuple[str, int]:
    """The digits with each "0" of the given cells (0-based) written "—"; how many."""
    out, cell, dashed = [], 0, 0
    for ch in digits:
        if ch.isdigit():
            if cell in columns and ch == "0":
                ch, dashed = "—", dashed + 1
            cell += 1
        out.append(ch)
    return "".join(out), dashed


def _with_dashes(text: str) -> tuple[str, int]:
    """Zeros of table three's middle columns, and of table four, written "—"."""
    dashed = 0
    table = _TABLE_THREE.search(text)
    if table:

        def row(m: re.Match[str]) -> str:
            nonlocal dashed
            new, count = _dash_zeros(m["digits"], range(1, 6))
            dashed += count
            return new

        text = text[: table.start()] + _SINGLE_DIGIT_ROW.sub(row, table.group()) + text[table.end() :]

    def four(m: re.Match[str]) -> str:
        nonlocal dashed
        new, count = _dash_zeros(m["digits"], range(15))
        dashed += count
        return new

    return _TABLE_FOUR.sub(four, text), dashed


def _rules(report: dict, ignore: set[str] = frozenset()) -> list[str]:
    return sorted(f["rule"] for f in report["findings"] if f["rule"] not in ignore)


def _by_name(document: dict) -> dict[str, dict]:
    return {Path(r["path"]).name: r for r in document["reports"]}


@pytest.fixture(scope="module")
def dashed(tmp_path_factory):
    out = tmp_path_factory.mktemp("dashed")
    found = []
    for path in _flattened():
        text, count = _with_dashes(path.read_text(encoding="utf-8"))
        if count:
            (out / path.name).write_text(text, encoding="utf-8")
            found.append((path, out / path.name, count))
    assert len(found) >= 5 and sum(c for _p, _v, c in found) >= 100
    return found


def test_dash_cells_read_as_dashes_and_nothing_else_is_said(dashed, tmp_path):
    """Each "—" is a dash cell (GX-CEL-003: "没有发生的应填0"), the rest reads as the plain
    report: no blank, missing or unreadable cell; the sums a dash makes uncheckable aside."""
    plain = _by_name(audit_to_json([p for p, _v, _c in dashed], tmp_path / "plain.json"))
    variants = _by_name(audit_to_json([v for _p, v, _c in dashed], tmp_path / "dashed.json"))
    for path, _variant, count in dashed:
        before, after = plain[path.name], variants[path.name]
        ignore = {"GX-CEL-003", "GX-CEL-007", "GX-BAL-001", "GX-BAL-002", "GX-BAL-003", "GX-BAL-004"}
        assert _rules(after, ignore) == _rules(before, ignore), path.name
        added = [f for f in after["findings"] if f["rule"] == "GX-CEL-003"]
        was = [f for f in before["findings"] if f["rule"] == "GX-CEL-003"]
        assert len(added) - len(was) == count, path.name
        assert not MISREAD & {f["rule"] for f in after["findings"]} - {f["rule"] for f in before["findings"]}
        assert after["coverage"] == before["coverage"], path.name


def test_dash_cells_keep_the_other_cells_values(dashed):
    for path, variant, _count in dashed:
        plain = parse_text(unflatten(path.read_text(encoding="utf-8"))[0])
        text, _ = unflatten(variant.read_text(encoding="utf-8"))
        read = parse_text(text)
        for rid, row in plain.tables.applications.items():
            for column in ("natural_person", "total"):  # never dashed
                assert read.tables.applications[rid].cells[column].value == row.cells[column].value


def _replace_row(text: str, label: str, digits: str) -> str:
    """The run after `label` (table three) replaced by `digits`."""
    new, count = re.subn(rf"(?<={label})[\s\d]+(?=\s*[\u4e00-\u9fff（(])", digits, text, count=1)
    assert count == 1
    return new


def _row_inferences(text: str, row: str):
    return [i for i in unflatten(text)[1] if i.table == "applications" and i.row == row]


@pytest.mark.parametrize(
    ("digits", "cells"),
    [
        ("0—————0", ["0", "—", "—", "—", "—", "—", "0"]),
        ("——————0", ["—", "—", "—", "—", "—", "—", "0"]),
        ("0———————", ["0", "——", "—", "—", "—", "—", "—"]),  # eight dashes, six cells
        ("0——00000", ["0", "——", "0", "0", "0", "0", "0"]),  # "——" one cell: the count decides
        ("0——0000", ["0", "—", "—", "0", "0", "0", "0"]),  # "——" two cells
        ("0—/—00000", ["0", "—/—", "0", "0", "0", "0", "0"]),
    ],
)
def test_a_dash_run_is_as_many_cells_as_the_row_needs(digits, cells):
    for path in _flattened():
        text = path.read_text(encoding="utf-8")
        if _CARRIED_OVER not in text:
            continue
        found = _row_inferences(_replace_row(text, _CARRIED_OVER, digits), "carried_over")
        assert {i.status for i in found} == {INFERRED}, path.name
        assert [i.raw for i in found] == cells, path.name


def _variants(folder: Path, label: str, digits: str) -> list[Path]:
    """Every flattened report with the run after `label` replaced by `digits`."""
    found = []
    for path in _flattened():
        text = path.read_text(encoding="utf-8")
        if label in text:
            (folder / path.name).write_text(_replace_row(text, label, digits), encoding="utf-8")
            found.append(folder / path.name)
    assert len(found) >= 5
    return found


def _said_about(report: dict, label: str) -> set[str]:
    return {f["rule"] for f in report["findings"] if label in f["message"]}


@pytest.mark.parametrize("digits", ["10————10", "0———0——0", "———11———", "12—————12"])
def test_dashes_in_different_cells_by_the_reading_are_unreadable(digits, tmp_path):
    """Several readings put the dashes in different cells: no sum can tell them apart (a dash
    takes part in none), the row is unreadable; no blank cell is charged."""
    variants = _variants(tmp_path, _CARRIED_OVER, digits)
    for variant in variants:
        found = _row_inferences(variant.read_text(encoding="utf-8"), "carried_over")
        assert len(found) == 7 and {i.status for i in found} == {AMBIGUOUS}, variant.name
        assert all(i.blank == 0 for i in found)
    for report in audit_to_json(variants, tmp_path / "out.json")["reports"]:
        said = _said_about(report, "上年结转")
        assert "GX-CEL-008" in said and not {"GX-CEL-010", "GX-CEL-002", "GX-CEL-003"} & said, report["path"]


def test_a_table_four_of_dashes_only_is_read():
    """Fifteen "—" after table four's header: fifteen dash cells, not a header without values."""
    for path in _flattened():
        text = path.read_text(encoding="utf-8")
        m = _TABLE_FOUR.search(text)
        if m is None:
            continue
        out, inferences = unflatten(text[: m.start()] + "—" * 15 + text[m.end() :])
        four = [i for i in inferences if i.table == "review_litigation"]
        assert [i.raw for i in four] == ["—"] * 15 and {i.status for i in four} == {INFERRED}
        review = parse_text(out).tables.review_litigation
        assert len(review) == 3 and all(c.kind == "dash" for r in review.values() for c in r.cells.values())


def test_a_dash_inside_table_fours_header_is_the_headers():
    """ "行政诉讼——未经复议直接起诉": the dashes are followed by a header word, the counts
    start at the digits."""
    for path in _flattened():
        text = path.read_text(encoding="utf-8")
        m = _TABLE_FOUR.search(text)
        if m is None or "未经复议直接起诉" not in text[: m.start()]:
            continue
        plain = unflatten(text)[0]
        variant = text[: m.start()].replace("未经复议直接起诉", "——未经复议直接起诉") + text[m.start() :]
        assert parse_text(unflatten(variant)[0]).tables.review_litigation.keys() == (
            parse_text(plain).tables.review_litigation.keys()
        )
        for bid, row in parse_text(plain).tables.review_litigation.items():
            read = parse_text(unflatten(variant)[0]).tables.review_litigation[bid]
            assert {c: v.value for c, v in read.cells.items()} == {c: v.value for c, v in row.cells.items()}


# ---------------------------------------------------------------------- thousands

NEW = "本年新收政府信息公开申请数量"


@pytest.fixture(scope="module", params=["1,234000001,234", "1，234000001，234", "1,234 0 0 0 0 0 1,234"])
def thousands(tmp_path_factory, request):
    """The row 本年新收 of every flattened report as 1234 … 1234: written plainly (white space
    between the cells) and with thousands separators."""
    out = tmp_path_factory.mktemp("thousands")
    found = []
    for path in _flattened():
        text = path.read_text(encoding="utf-8")
        if NEW not in text:
            continue
        plain, grouped = out / f"plain_{path.name}", out / path.name
        plain.write_text(_replace_row(text, NEW, "1234 0 0 0 0 0 1234"), encoding="utf-8")
        grouped.write_text(_replace_row(text, NEW, request.param), encoding="utf-8")
        found.append((plain, grouped))
    assert len(found) >= 5
    return found


def test_thousands_read_as_the_plain_figures(thousands, tmp_path):
    plain = _by_name(audit_to_json([p for p, _g in thousands], tmp_path / "plain.json"))
    grouped = _by_name(audit_to_json([g for _p, g in thousands], tmp_path / "grouped.json"))
    for plain_path, grouped_path in thousands:
        before, after = plain[plain_path.name], grouped[grouped_path.name]
        assert _rules(after, {"GX-CEL-007"}) == _rules(before, {"GX-CEL-007"}), grouped_path.name
        assert after["coverage"] == before["coverage"]
        values = parse_text(unflatten(grouped_path.read_text(encoding="utf-8"))[0]).tables.applications
        assert [values["new"].cells[c].value for c in COLUMNS] == [1234, 0, 0, 0, 0, 0, 1234]


@pytest.mark.parametrize("digits", ["1,23 0 0 0 0 0 1", "0,123000000", "1,0,0,0,0,0,1", "1,2340 0 0 0 0 0 1"])
def test_a_comma_that_is_no_thousands_separator_makes_the_row_unreadable(digits, tmp_path):
    variants = _variants(tmp_path, NEW, digits)
    for variant in variants:
        found = _row_inferences(variant.read_text(encoding="utf-8"), "new")
        assert len(found) == 7 and {i.status for i in found} == {UNSATISFIABLE}, variant.name
        assert all(i.blank == 0 for i in found)
    for report in audit_to_json(variants, tmp_path / "out.json")["reports"]:
        said = _said_about(report, "本年新收")
        assert "GX-CEL-008" in said and not {"GX-CEL-010", "GX-CEL-002"} & said, report["path"]


def test_a_cell_never_starts_after_a_separator():
    """ "12,3450": 12345, 0 — or 1, 2345, 0 — never 12 and 3450 or 2 and 345."""
    chunks, _ = value_chunks("12,3450", "12,3450", 0, 7, money=False, words=False)
    splits, _ = split_run(chunks, 2, count_ok, no_prefix)
    assert splits == [("12,345", "0")]
    splits, _ = split_run(chunks, 3, count_ok, no_prefix)
    assert splits == [("1", "2,345", "0")]
    assert split_run(chunks, 4, count_ok, no_prefix)[0] == []


def test_a_dash_run_splits_into_dash_cells_only():
    chunk = Chunk(dash="—————")
    assert (chunk.fewest_cells, chunk.most_cells) == (3, 5)
    for k in (3, 4, 5):
        splits, _ = split_run([chunk], k, count_ok, no_prefix)
        assert len(splits) == 1 and "".join(splits[0]) == "—————" and len(splits[0]) == k
    assert split_run([chunk], 2, count_ok, no_prefix)[0] == []
    assert split_run([chunk], 6, count_ok, no_prefix)[0] == []
