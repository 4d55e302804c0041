"""Table four of a web page whose colspan/rowspan a CMS stripped: its header prints 结果维持 …
总计 twice (or three times) on one row, under a row naming 行政复议 and 行政诉讼, and its
fifteen figures stand in fifteen cells. The header names every block of table four, so
the fifteen figures are the table's, in the format's order: the report reads as with its
spans. Before, the figures past the fifth were "not under any column" (GX-CEL-008) and
the two litigation blocks were missing (false GX-SUB-008 ×2).

A header that does not name every block (行政诉讼 missing), or a row of another count,
stays unreadable: nothing is guessed.

Variants made here from the corpus's web page (012) and generated web pages: spans
stripped from table four (colspan only, rowspan only, both), with and without a wrong
total.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CORPUS, audit_to_json, findings_by_place, generated_reports

_SPANS = {
    "nocol": re.compile(r'\s+colspan="?\d+"?'),
    "norow": re.compile(r'\s+rowspan="?\d+"?'),
    "none": re.compile(r'\s+(?:col|row)span="?\d+"?'),
}


def _table_four(text: str) -> tuple[int, int] | None:
    """(start, end) of table four's <table> element in a web page."""
    part = re.search(r"四、(?:政府信息公开)?行政复议", text)
    if part is None:
        return None
    start = text.find("<table", part.end())
    end = text.find("</table>", start)
    return (start, end) if start >= 0 and end >= 0 else None


def _wrong_review_total(table: str) -> str | None:
    """Table four with its first figure row's fifth cell (行政复议·总计) one more."""
    for row in re.findall(r"<tr>.*?</tr>", table, re.S):
        cells = re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", row)
        if len(cells) == 15:
            parts = re.split(r"(<td[^>]*>\s*\d+\s*</td>)", row)
            figures = [i for i, p in enumerate(parts) if re.fullmatch(r"<td[^>]*>\s*\d+\s*</td>", p)]
            k = figures[4]
            parts[k] = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), parts[k])
            return table.replace(row, "".join(parts), 1)
    return None


def _variant(path: Path, out: Path, spans: str, wrong: bool) -> Path | None:
    text = path.read_text(encoding="utf-8")
    found = _table_four(text)
    if found is None:
        return None
    start, end = found
    table = text[start:end]
    if wrong:
        table = _wrong_review_total(table)
        if table is None:
            return None
    if spans != "keep":
        table = _SPANS[spans].sub("", table)
    target = out / f"{path.stem}.{spans}{'.wrong' if wrong else ''}.html"
    target.write_text(text[:start] + table + text[end:], encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    made = generated_reports(tmp_path_factory.mktemp("pages"), 24, 404, "html")
    files = [CORPUS / "012_shuyang_fgj_2023.html", *sorted(made.glob("*.html"))]
    return [p for p in files if p.exists() and _table_four(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("wrong", [False, True])
def test_table_four_without_spans_reads_as_with_them(pages, tmp_path, wrong):
    originals = [_variant(p, tmp_path, "keep", wrong) for p in pages]
    originals = [p for p in originals if p is not None]
    assert len(originals) >= 10
    before = findings_by_place(audit_to_json(originals, tmp_path / "before.json"))
    if wrong:  # the wrong total is found in every original
        assert all(
            any(f[0].startswith("GX-BAL") and f[1] == "review_litigation" for f in v) for v in before.values()
        )
    for spans in ("nocol", "norow", "none"):
        (tmp_path / spans).mkdir()
        made = [(p, _variant(p, tmp_path / spans, spans, False)) for p in originals]
        after = findings_by_place(audit_to_json([t for _p, t in made], tmp_path / f"{spans}.json"))
        for original, target in made:
            assert after[str(target)] == before[str(original)], (spans, target.name)


def test_a_header_not_naming_every_block_stays_unreadable(pages, tmp_path):
    """行政诉讼 and its two blocks' names left out of the stripped header: which figure is which
    block cannot be told; every cell is said unreadable, no block is said missing."""
    page = next(p for p in pages if p.name.startswith("00"))
    target = _variant(page, tmp_path, "none", False)
    text = target.read_text(encoding="utf-8")
    start, end = _table_four(text)
    table = re.sub(r"<td>(?:行政诉讼|未经复议直接起诉|复议后起诉)</td>", "<td></td>", text[start:end])
    target.write_text(text[:start] + table + text[end:], encoding="utf-8")
    findings = audit_to_json([target], tmp_path / "out.json")["reports"][0]["findings"]
    four = [f for f in findings if f["location"].get("table") == "review_litigation"]
    assert any(f["rule"] == "GX-CEL-008" for f in four), four
    assert not any(f["rule"].startswith(("GX-SUB", "GX-BAL")) for f in four), four
