"""A page half flattened: its paragraphs kept their own lines, its tables did not (table
three run together on one line). Before, the line-by-line reader read 0 of 200 cells and
the report got GX-STR-001 ×5 ("缺少第一部分"…) and a row missing for every row; now it is
read as the flattened page it mostly is: as the same report all on one line.

Variants made here of every flattened corpus report: a line break after each sentence
that a space follows ("。 "), and after every sentence ("。"), in the prose only as a
page would keep them (the tables' runs of digits stay on their lines).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, audit_to_json

from gxaudit.read.flattened.text import is_flattened


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    out = tmp_path_factory.mktemp("half")
    found = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if not is_flattened(text):
            continue
        for how, split in (("space", text.replace("。 ", "。\n")), ("every", text.replace("。", "。\n"))):
            if split.count("\n") < 5:
                continue
            target = out / f"{path.stem}.{how}.txt"
            target.write_text(split, encoding="utf-8")
            found.append((path, target))
    assert len(found) >= 9
    return found


def test_read_as_the_same_report_on_one_line(variants, tmp_path):
    before = audit_to_json(sorted({o for o, _v in variants}), tmp_path / "before.json")
    after = audit_to_json([v for _o, v in variants], tmp_path / "after.json")
    by_name = {Path(r["path"]).stem: r for r in before["reports"]}
    for report in after["reports"]:
        original = by_name[Path(report["path"]).stem.rsplit(".", 1)[0]]
        assert report.get("coverage") == original.get("coverage"), report["path"]
        assert sorted(f["rule"] for f in report["findings"]) == sorted(f["rule"] for f in original["findings"])
        assert not {"GX-STR-001", "GX-SUB-004", "GX-SUB-005"} & {f["rule"] for f in report["findings"]}
