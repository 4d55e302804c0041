"""A flattened page (a report run together on one line) with page numbers run into it:
"第 3 页", "第3页 共5页" between a table's rows, inside a run of digits' neighbourhood, or in
the prose. The report reads as without them: before, "0000000 第 3 页 （四）无法提供" made
a row without a name whose digit run was "3" (GX-CEL-010, an error the report did not
deserve).

Variants made here of every flattened report of the corpus: page numbers put before a
few row labels of table three (after the digits of the row before) and into the prose.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import CORPUS, audit_to_json

from gxaudit.read.flattened.document import unflatten
from gxaudit.read.flattened.text import is_flattened

PAGES = ["第 3 页", "第3页", "第 2 页 共 5 页", "第4页，共9页"]
# a page's number framed by dashes, as a PDF's footer ("- 3 -"), set apart by white space
DASHED = ["- 3 -", "— 12 —", "－4－", "– 2 –", "-7-"]
# the start of a table-three row label right after a row's digits: a row boundary
_ROW_START = re.compile(r"(?<=\d)(?=\s*[（(][一二三四五六七]|\s*\d\.[^\d])")


@pytest.fixture(scope="module", params=["pages", "dashed"])
def variants(tmp_path_factory, request):
    out = tmp_path_factory.mktemp(request.param)
    pages = PAGES if request.param == "pages" else DASHED
    rng = random.Random(20261206)
    found = []
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if not is_flattened(text):
            continue
        places = [m.start() for m in _ROW_START.finditer(text)]
        places = rng.sample(places, min(3, len(places)))
        places += [m.end() for m in rng.sample(list(re.finditer("。", text)), 2)]
        places += [m.start() for m in re.finditer(r"(?<=\d)\s*五[、.．]", text)]  # after table four
        for at in sorted(places, reverse=True):
            text = text[:at] + " " + rng.choice(pages) + " " + text[at:]
        target = out / path.name
        target.write_text(text, encoding="utf-8")
        found.append((path, target))
    assert len(found) >= 5
    return found


def test_the_same_findings_as_without_the_page_numbers(variants, tmp_path):
    before = audit_to_json([o for o, _v in variants], tmp_path / "before.json")
    after = audit_to_json([v for _o, v in variants], tmp_path / "after.json")
    rules = {Path(r["path"]).name: sorted(f["rule"] for f in r["findings"]) for r in before["reports"]}
    cells = {Path(r["path"]).name: r.get("coverage") for r in before["reports"]}
    for report in after["reports"]:
        name = Path(report["path"]).name
        assert sorted(f["rule"] for f in report["findings"]) == rules[name], name
        assert report.get("coverage") == cells[name], name


def test_a_dash_framed_number_in_a_row_that_writes_blanks_with_dashes_stays():
    """A row writing its blank cells "—": "— 3 —" at its end may be three cells; it is not
    blanked as a page's number (the row reads, or is unreadable, as printed)."""
    row = "（一）予以公开 3 0 0 0 0 0 3 （二）部分公开 1 0 — 2 — 3 — （三）不予公开"
    text, _ = unflatten(row)
    assert "— 3 —" in re.sub(r"\s+", " ", text)
    text, _ = unflatten(row.replace("1 0 — 2", "1 0 0 2"))  # no dash cell: a page's number
    assert "— 3 —" not in re.sub(r"\s+", " ", text)
