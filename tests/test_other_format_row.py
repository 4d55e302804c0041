"""A 2021 report whose table three prints the 2019 row "(六) 其他处理" in place of the three
rows 2021 splits it into: one defect, said once (GX-SUB-006: a row the format does not have),
not three times more as missing rows (GX-SUB-005, 9 points). A 2021 row left out without it,
or a missing row that is no result row (总计), is still missing.

Variants made here from generated reports written a table row a line.
"""

from __future__ import annotations

import re

import pytest
from conftest import audit_to_json, generated_reports

# the three 2021 rows of 其他处理, as the generator writes them on tab rows
_THREE = re.compile(
    r"^(?P<lead>\t*)(?P<group>[(（]六[)）]\s*其他处理)\t+1\..*\n\t*2\..*\n\t*3\s*[.．]\s*其他(?P<cells>(?:\t+\S+)+)\t*\n",
    re.M,
)
_MISC = re.compile(r"^\t*3\s*[.．]\s*其他(?:\t+\S+)+\t*\n", re.M)
_TOTAL = re.compile(r"^\t*[(（]七[)）]\s*总\s*计(?:\t+\S+)+\t*\n", re.M)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = generated_reports(tmp_path_factory.mktemp("made"), 30, 23, "text")
    return [p for p in sorted(folder.glob("*.txt")) if _THREE.search(p.read_text(encoding="utf-8"))]


def _rules(document: dict) -> dict[str, list[tuple[str, str | None]]]:
    return {
        r["path"]: sorted(
            (f["rule"], f["location"].get("row")) for f in r["findings"] if "SUB-00" in f["rule"]
        )
        for r in document["reports"]
    }


def _write(tmp_path, path, text: str, tag: str):
    target = tmp_path / f"{path.stem}.{tag}.txt"
    target.write_text(text, encoding="utf-8")
    return target


def test_the_2019_row_in_place_of_the_three_is_one_finding(made, tmp_path):
    assert len(made) >= 5
    targets = []
    for path in made:
        text = path.read_text(encoding="utf-8")
        one = _THREE.sub(lambda m: f"{m['lead']}{m['group']}\t{m['cells']}\n", text, count=1)
        targets.append(_write(tmp_path, path, one, "2019row"))
    found = _rules(audit_to_json(targets, tmp_path / "out.json"))
    for target in targets:
        assert found[str(target)] == [("GX-SUB-006", "other_handling")], target.name


def test_a_row_left_out_without_the_2019_row_is_still_missing(made, tmp_path):
    targets = []
    for path in made:
        text = path.read_text(encoding="utf-8")
        targets.append(_write(tmp_path, path, _MISC.sub("", text, count=1), "nomisc"))
    found = _rules(audit_to_json(targets, tmp_path / "out.json"))
    for target in targets:
        assert found[str(target)] == [("GX-SUB-005", "other_misc")], target.name


def test_a_missing_total_after_the_2019_row_is_still_missing(made, tmp_path):
    targets = []
    for path in made:
        text = path.read_text(encoding="utf-8")
        one = _THREE.sub(lambda m: f"{m['lead']}{m['group']}\t{m['cells']}\n", text, count=1)
        targets.append(_write(tmp_path, path, _TOTAL.sub("", one, count=1), "nototal"))
    found = _rules(audit_to_json(targets, tmp_path / "out.json"))
    for target in targets:
        expected = [("GX-SUB-005", "results_total"), ("GX-SUB-006", "other_handling")]
        assert found[str(target)] == expected, target.name
