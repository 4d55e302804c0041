"""Table four printed in parts: a 行政复议 table (its header, five figures) and a 行政诉讼
table (its header, ten figures), in either order. Each part's figures are its blocks':
the report reads as with one table. Before, the first part's figures were lost and the
rest were read from the first block on (false "缺少单元格", a real imbalance missed).
A part whose figures do not make its blocks' count: every cell is unreadable (GX-CEL-008),
nothing else said of table four.

Variants made here from the tab-row seeds and generated text reports whose table four
is one line of fifteen figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import audit_to_json, findings_by_place, tab_row_reports

_PART_FOUR = re.compile(r"^\s*四[、.．]\s*政府信息公开行政复议")
_PART_FIVE = re.compile(r"^\s*五[、.．]")
_FIFTEEN = re.compile(r"^\t*(\d+)(?:\t+(\d+)){14}\t*$")
COLUMNS = "结果维持\t结果纠正\t其他结果\t尚未审结\t总计"
REVIEW_TABLE = "行政复议\t\t\t\t\n" + COLUMNS + "\n{review}"
LITIGATION_TABLE = (
    "行政诉讼\t\t\t\t\t\t\t\t\t\n未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t\n"
    + COLUMNS
    + "\t"
    + COLUMNS
    + "\n{litigation}"
)


def _table_four(lines: list[str]) -> tuple[int, int, list[str]] | None:
    """(first line of the table, its figures' line, the fifteen figures) of table four."""
    start = next((i for i, line in enumerate(lines) if _PART_FOUR.match(line)), None)
    if start is None:
        return None
    for i in range(start + 1, len(lines)):
        if _PART_FIVE.match(lines[i]):
            return None
        if _FIFTEEN.match(lines[i]):
            return start + 1, i, re.findall(r"\d+", lines[i])
    return None


def _in_parts(path: Path, out: Path, litigation_first: bool, review_figures=None) -> Path | None:
    lines = path.read_text(encoding="utf-8").split("\n")
    found = _table_four(lines)
    if found is None:
        return None
    first, last, figures = found
    review = REVIEW_TABLE.format(review="\t".join(review_figures or figures[:5]))
    litigation = LITIGATION_TABLE.format(litigation="\t".join(figures[5:]))
    parts = [litigation, "", review] if litigation_first else [review, "", litigation]
    target = out / f"{path.stem}.{'lr' if litigation_first else 'rl'}{'.bad' if review_figures else ''}.txt"
    target.write_text("\n".join(lines[:first] + ["\n".join(parts)] + lines[last + 1 :]), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    files = [
        p
        for p in tab_row_reports(tmp_path_factory, 12, 101)
        if _table_four(p.read_text(encoding="utf-8").split("\n"))
    ]
    assert len(files) >= 10
    return files, findings_by_place(audit_to_json(files, tmp_path_factory.mktemp("before") / "before.json"))


@pytest.mark.parametrize("litigation_first", [False, True])
def test_table_four_in_two_parts_reads_as_one(originals, tmp_path, litigation_first):
    files, before = originals
    made = [(p, _in_parts(p, tmp_path, litigation_first)) for p in files]
    after = findings_by_place(audit_to_json([t for _p, t in made], tmp_path / "after.json"))
    for path, target in made:
        assert after[str(target)] == before[str(path)], target.name


def test_a_part_short_of_figures_makes_table_four_unreadable(originals, tmp_path):
    files, before = originals
    made = [(p, _in_parts(p, tmp_path, False, review_figures=["0", "0", "0", "0"])) for p in files]
    after = findings_by_place(audit_to_json([t for _p, t in made], tmp_path / "after.json"))
    for path, target in made:
        found = after[str(target)]
        assert ("GX-CEL-008", "review_litigation") in {f[:2] for f in found}, target.name
        # nothing else of table four: no balance, no missing cell, no blank
        assert [f for f in found if f[1] == "review_litigation" and f[0] != "GX-CEL-008"] == [], target.name
        others = [f for f in found if f[1] != "review_litigation"]
        assert others == [f for f in before[str(path)] if f[1] != "review_litigation"], target.name


TRANSPOSED_NAMES = [
    ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"),
    ("行政复议", "未经复议直接起诉", "复议后起诉"),
    ("行政复议", "行政诉讼-未经复议直接起诉", "行政诉讼-复议后起诉"),
]


@pytest.mark.parametrize("with_header", [True, False])
def test_table_four_a_block_a_line(originals, tmp_path, with_header):
    """Table four transposed: its columns' names on the first line, a block a line under them
    ("行政诉讼（未经复议直接起诉）\\t4\\t0\\t0\\t0\\t4"): the block names were read as headers and
    the next names as figures (\"应为数字\")."""
    files, before = originals
    made = []
    for k, path in enumerate(files):
        lines = path.read_text(encoding="utf-8").split("\n")
        first, last, figures = _table_four(lines)
        names = TRANSPOSED_NAMES[k % len(TRANSPOSED_NAMES)]
        block_lines = ["\t".join([name, *figures[5 * b : 5 * b + 5]]) for b, name in enumerate(names)]
        table = (["\t" + COLUMNS] if with_header else []) + block_lines
        target = tmp_path / f"{path.stem}.blocks.txt"
        target.write_text("\n".join(lines[:first] + table + lines[last + 1 :]), encoding="utf-8")
        made.append((path, target))
    after = findings_by_place(audit_to_json([t for _p, t in made], tmp_path / "after.json"))
    for path, target in made:
        assert after[str(target)] == before[str(path)], target.name
