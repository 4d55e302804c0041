"""Two numbers in one cell, set apart by a space ("60 1": the tab between two cells lost
in an extraction): never read as one figure (601), never placed so that a blank cell
appears where there was none. The row is unreadable: GX-CEL-008 ("…连在一起…，请人工核对")
at its line, and nothing the file without the fault does not have.

Variants made here from the tab-row seeds and generated reports (figures of every size):
in each of a few table rows, one tab between two numbers becomes a space (or an
ideographic space). "1 234" (digits in thousands) stays one number, as before.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import audit_to_json, tab_row_reports

from gxaudit.formats import grammar

READING = "GX-CEL-008"
# two numbers side by side in a tab row
_PAIR = re.compile(r"(?<=[\t])([-+]?\d+)\t([-+]?\d+)(?=\t|$)")


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    files = tab_row_reports(tmp_path_factory, 16, 23)
    out = tmp_path_factory.mktemp("joined")
    rng = random.Random(20261203)
    found = []
    for path in files:
        lines = path.read_text(encoding="utf-8").split("\n")
        rows = [i for i, line in enumerate(lines) if len(_PAIR.findall(line)) >= 1 and line.count("\t") >= 2]
        for index in rng.sample(rows, min(3, len(rows))):
            pairs = list(_PAIR.finditer(lines[index]))
            pair = rng.choice(pairs)
            space = rng.choice([" ", "\u3000", "  "])
            changed = lines[:]
            changed[index] = (
                lines[index][: pair.start()]
                + pair.group(1)
                + space
                + pair.group(2)
                + lines[index][pair.end() :]
            )
            target = out / f"{path.stem}.L{index + 1}.txt"
            target.write_text("\n".join(changed), encoding="utf-8")
            found.append((path, target, index + 1, f"{pair.group(1)}{space}{pair.group(2)}"))
    assert len(found) > 40
    return found


def test_the_row_is_unreadable_and_nothing_else_is_said(variants, tmp_path):
    originals = sorted({o for o, *_ in variants})
    before = audit_to_json(originals, tmp_path / "before.json")
    after = audit_to_json([v for _o, v, _l, _c in variants], tmp_path / "after.json")
    rules = {Path(r["path"]).stem: {f["rule"] for f in r["findings"]} for r in before["reports"]}
    by_path = {r["path"]: r for r in after["reports"]}
    said = 0
    for original, variant, line, joined in variants:
        report = by_path[str(variant)]
        new = {f["rule"] for f in report["findings"]} - rules[original.stem] - {READING}
        assert not new, (variant.name, sorted(new))
        readings = [f for f in report["findings"] if f["rule"] == READING and f["location"]["line"] == line]
        if readings:  # a row the format has (a header or a table-four line may be grouped elsewhere)
            assert "连在一起" in readings[0]["message"] or "无法可靠对应" in readings[0]["message"], readings[
                0
            ]
            said += 1
        # never a figure read from the two numbers ("填报 601"): only the reading quotes the cell
        figure = joined.replace(" ", "").replace("\u3000", "")
        assert not [f for f in report["findings"] if f["rule"] != READING and figure in f["message"]]
    assert said > len(variants) // 2


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1 234", 1234),
        ("12 345", 12345),
        ("1 234 567", 1234567),
        ("60 1", None),
        ("0 0", None),
        ("5 6 7", None),
        ("+3 1234", None),
    ],
)
def test_digits_apart_are_one_number_only_in_thousands(raw, value):
    read = grammar.classify_cell(raw)
    assert read == grammar.classify_cell_grammar(raw)
    assert read.value == value and read.unreadable == (value is None)


# a figure of two digits or more in a cell of a table-three row, in a tab row or a web page
_TAB_FIGURE = re.compile(r"(?<=\t)(\d)(\d+)(?=\t|$)")
_WEB_FIGURE = re.compile(r"(?<=<td>)(\d)(\d+)(?=</td>)")


def _cells_of(path: Path) -> dict:
    from gxaudit.parse.document import parse_file

    rows = parse_file(path).tables.applications
    return {
        (r, c): (cell.kind, cell.value, cell.unreadable)
        for r, row in rows.items()
        for c, cell in row.cells.items()
    }


@pytest.fixture(scope="module")
def spaced_in_full_rows(tmp_path_factory):
    """Reports whose table three has, in one row that prints a cell in every column, a
    figure written with a space inside ("2 6" for 26): text (tab rows) and web pages."""
    from conftest import generated_reports

    made = generated_reports(tmp_path_factory.mktemp("made"), 16, 31, "text,html")
    out = tmp_path_factory.mktemp("spaced")
    found = []
    for path in sorted(made.glob("0*")):
        text = path.read_text(encoding="utf-8")
        start = text.index("三、收到和处理")
        end = text.index("行政复议", start)
        figure = _WEB_FIGURE if path.suffix == ".html" else _TAB_FIGURE
        lines = text[start:end].split("\n")
        for i, line in enumerate(lines):
            cells = line.split("\t") if path.suffix == ".txt" else re.findall(r"<td>[^<]*</td>", line)
            figures = [c for c in cells if re.fullmatch(r"(<td>)?\d+(</td>)?", c)]
            m = figure.search(line)
            if m is None or len(figures) != 7:
                continue
            lines[i] = line[: m.start()] + f"{m.group(1)} {m.group(2)}" + line[m.end() :]
            target = out / path.name
            target.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")
            found.append((path, target))
            break
    assert len(found) >= 8 and any(p.suffix == ".html" for p, _t in found)
    return found


def test_a_spaced_figure_in_a_full_row_is_the_only_cell_unread(spaced_in_full_rows, tmp_path):
    """The row's other cells are read where they stand (its columns are certain: every column
    prints a cell); only the cell "2 6" is unreadable, and its reading names the column.
    Before, the whole row was unreadable (its seven cells)."""
    originals = [o for o, _v in spaced_in_full_rows]
    before = audit_to_json(originals, tmp_path / "before.json")
    after = audit_to_json([v for _o, v in spaced_in_full_rows], tmp_path / "after.json")
    rules = {Path(r["path"]).name: {f["rule"] for f in r["findings"]} for r in before["reports"]}
    by_path = {r["path"]: r for r in after["reports"]}
    for original, variant in spaced_in_full_rows:
        was, now = _cells_of(original), _cells_of(variant)
        changed = [k for k in was if was[k] != now[k]]
        assert len(changed) == 1 and now[changed[0]][2], (variant.name, changed)
        report = by_path[str(variant)]
        assert not {f["rule"] for f in report["findings"]} - rules[original.name] - {READING}, variant.name
        readings = [f["message"] for f in report["findings"] if f["rule"] == READING]
        assert any("一格写作" in m and "其他单元格照常读出" in m for m in readings), readings
