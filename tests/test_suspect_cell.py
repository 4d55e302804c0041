"""One mistyped figure of table three breaks every identity it stands in (its row's
applicants, its column's results, the printed 勾稽 relation): each balance finding then
names that cell and the value the identities ask of it ("…很可能是这一格填错"), and
points at its line. Never a cell that was not changed, never a wrong value.

Variants made here from the tab-row seeds and generated text reports whose table three
balances: one figure of table three changed (any row, any column), or two figures in
different rows and columns changed by different amounts.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import audit_to_json, tab_row_reports

BALANCE = ("GX-BAL-001", "GX-BAL-002", "GX-BAL-003")
SUSPECT = re.compile(
    r"“(?P<name>.+?)”（第(?P<line>\d+)行）填报 (?P<raw>\d+)，与它有关的各项勾稽关系都要求它为 (?P<value>\d+)：很可能是这一格填错"
)
# a row of table three: its label, then seven figures (a merged label column may come first)
_ROW = re.compile(r"^(?P<label>[^\t]*\S[^\t]*)(?P<cells>(?:\t+\d+){7})\t*$")


def _table_three_figures(lines: list[str]) -> list[tuple[int, int]]:
    """(line index, cell index among the row's seven figures) of every figure of table three."""
    start = next((i for i, line in enumerate(lines) if "本年新收" in line and _ROW.match(line)), None)
    if start is None:
        return []
    out = []
    for i in range(start, len(lines)):
        if "结转下年度" in lines[i] and _ROW.match(lines[i]):
            return out + [(i, k) for k in range(7)]
        if _ROW.match(lines[i]):
            out += [(i, k) for k in range(7)]
    return []


def _change(line: str, k: int, by: int) -> tuple[str, int]:
    """The line with its k-th figure of the seven changed by `by` (kept ≥ 0), and that figure."""
    parts = line.split("\t")
    figures = [j for j, p in enumerate(parts) if p.isdigit()][-7:]
    at = figures[k]
    old = int(parts[at])
    parts[at] = str(old + by if old + by >= 0 else old - by)
    return "\t".join(parts), old


@pytest.fixture(scope="module")
def balanced(tmp_path_factory):
    files = tab_row_reports(tmp_path_factory, 24, 71)
    before = audit_to_json(files, tmp_path_factory.mktemp("before") / "before.json")
    clean = {r["path"] for r in before["reports"] if not any(f["rule"] in BALANCE for f in r["findings"])}
    chosen = [
        p
        for p in files
        if str(p) in clean and _table_three_figures(p.read_text(encoding="utf-8").split("\n"))
    ]
    assert len(chosen) >= 12
    return chosen


def _made(balanced, out: Path, changes: int) -> list[tuple[Path, dict[int, tuple[int, int]]]]:
    """Variants with `changes` figures changed: path, {line number: (cell index, figure before)}."""
    rng = random.Random(20261202 + changes)
    made = []
    for path in balanced:
        lines = path.read_text(encoding="utf-8").split("\n")
        figures = _table_three_figures(lines)
        for n in range(3):
            picked: list[tuple[int, int]] = []
            for index, k in rng.sample(figures, len(figures)):
                if all(index != i and k != j for i, j in picked):
                    picked.append((index, k))
                if len(picked) == changes:
                    break
            changed, was = lines[:], {}
            for step, (index, k) in enumerate(picked):
                changed[index], old = _change(changed[index], k, step + rng.randint(1, 9))
                was[index + 1] = (k, old)
            target = out / f"{path.stem}.{changes}.{n}.txt"
            target.write_text("\n".join(changed), encoding="utf-8")
            made.append((target, was))
    return made


def test_one_changed_figure_is_named_with_the_value_it_should_hold(balanced, tmp_path):
    made = _made(balanced, tmp_path, 1)
    document = audit_to_json([p for p, _ in made], tmp_path / "after.json")
    by_path = {r["path"]: r for r in document["reports"]}
    for path, was in made:
        ((line, (_k, old)),) = was.items()
        findings = [f for f in by_path[str(path)]["findings"] if f["rule"] in BALANCE]
        assert len(findings) >= 2, (path.name, line)  # a figure stands in two identities at least
        for f in findings:
            named = SUSPECT.search(f["message"])
            assert named, (path.name, f["message"])
            assert (int(named["line"]), int(named["value"])) == (line, old), (path.name, f["message"])
            assert f["location"]["line"] == line


def test_two_changed_figures_never_name_another_cell(balanced, tmp_path):
    made = _made(balanced, tmp_path, 2)
    document = audit_to_json([p for p, _ in made], tmp_path / "after.json")
    by_path = {r["path"]: r for r in document["reports"]}
    named_any = 0
    for path, was in made:
        for f in by_path[str(path)]["findings"]:
            named = SUSPECT.search(f["message"]) if f["rule"] in BALANCE else None
            if named:
                named_any += 1
                line = int(named["line"])
                assert line in was and int(named["value"]) == was[line][1], (path.name, f["message"])
    assert named_any  # each changed figure alone in its row still explains that row
