"""A row's first figure written in its label's cell ("(一) 予以公开 60", the tab or the
table cell between them lost in an extraction): read as that row's first value when one
figure and the row's other cells make the format's count, so the report is read as it
was printed; otherwise the row is unreadable (GX-CEL-008 at its line), never shifted
one column to the left (a false blank total, GX-CEL-001, and false imbalances).

Variants made here from the tab-row seeds, generated text and web-page reports and the
corpus's web page: in a few clean rows, the cell boundary after the label becomes a
space, an ideographic space or nothing; or two figures go into the label's cell; or a
figure is added to a full row's label.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import CORPUS, audit_to_json, generated_reports, tab_row_reports

from gxaudit.formats import grammar

READING = "GX-CEL-008"
# a label cell (words, not a figure), the tabs after it, the row's first figure
_LABEL_THEN_FIGURE = re.compile(r"(?P<label>[^\t]*[^\t\d\s])\t+(?P<figure>\d+)(?=\t|$)")
# a web page's label cell followed by the cell of the row's first figure
_TD_LABEL_THEN_FIGURE = re.compile(
    r"(?P<open><td[^>]*>)(?P<label>[^<>]*[^<>\d\s])</td>\s*<td[^>]*>(?P<figure>\d+)</td>"
)


def _findings(document: dict) -> dict[str, set[tuple]]:
    return {
        r["path"]: {(f["rule"], f["location"].get("line"), f["message"]) for f in r["findings"]}
        for r in document["reports"]
    }


def _clean_rows(findings: set[tuple], lines: list[str], pattern: re.Pattern) -> list[int]:
    """Rows of the table with a label then figures on which the original has no finding."""
    charged = {line for _rule, line, _message in findings}
    return [i for i, line in enumerate(lines) if pattern.match(line) and i + 1 not in charged]


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    files = tab_row_reports(tmp_path_factory, 12, 41)
    out = tmp_path_factory.mktemp("originals")
    return files, _findings(audit_to_json(files, out / "before.json"))


def _variants(files, before, out: Path, change) -> list[tuple[Path, Path, int]]:
    rng = random.Random(20261202)
    made = []
    for path in files:
        lines = path.read_text(encoding="utf-8").split("\n")
        rows = _clean_rows(before[str(path)], lines, _LABEL_THEN_FIGURE)
        for index in rng.sample(rows, min(3, len(rows))):
            changed = lines[:]
            changed[index] = change(lines[index], rng)
            target = out / f"{path.stem}.L{index + 1}{path.suffix}"
            target.write_text("\n".join(changed), encoding="utf-8")
            made.append((path, target, index + 1))
    return made


def test_a_figure_run_into_its_label_is_read_as_the_rows_first_value(originals, tmp_path):
    files, before = originals

    def run_in(line: str, rng) -> str:
        m = _LABEL_THEN_FIGURE.match(line)
        return m["label"] + rng.choice([" ", "", "\u3000"]) + m["figure"] + line[m.end() :]

    variants = _variants(files, before, tmp_path, run_in)
    assert len(variants) > 30
    after = _findings(audit_to_json([v for _o, v, _l in variants], tmp_path / "after.json"))
    for original, variant, line in variants:
        assert after[str(variant)] == before[str(original)], (variant.name, line)


def test_a_digit_after_the_label_of_a_full_row_is_a_mark(originals, tmp_path):
    """ "（一）予以公开 1\t<every cell of the row>": a footnote's number (a PDF's superscript)
    glued to the label, not a cell; the row reads as printed, as before this reading."""
    files, before = originals

    def marked(line: str, rng) -> str:
        m = _LABEL_THEN_FIGURE.match(line)
        return m["label"] + rng.choice([" 1", "1", " 2"]) + line[m.end("label") :]

    variants = _variants(files, before, tmp_path, marked)
    assert len(variants) > 30
    after = _findings(audit_to_json([v for _o, v, _l in variants], tmp_path / "after.json"))
    for original, variant, line in variants:
        assert {(r, l) for r, l, _m in after[str(variant)]} == {
            (r, l) for r, l, _m in before[str(original)]
        }, (
            variant.name,
            line,
        )


def test_two_figures_in_a_label_make_the_row_unreadable(originals, tmp_path):
    files, before = originals

    def crowd(line: str, rng) -> str:
        m = _LABEL_THEN_FIGURE.match(line)
        rest = line[m.end() :].lstrip("\t").split("\t", 1)
        if rest[0].isdigit():  # the first two figures in the label's cell
            return m["label"] + " " + m["figure"] + " " + rest[0] + "\t" + (rest[1] if len(rest) > 1 else "")
        return m["label"] + " " + m["figure"] + " 7\t" + line[m.end() :].lstrip("\t")

    variants = _variants(files, before, tmp_path, crowd)
    assert len(variants) > 30
    after = audit_to_json([v for _o, v, _l in variants], tmp_path / "after.json")
    by_path = {r["path"]: r for r in after["reports"]}
    said = 0
    for original, variant, line in variants:
        report = by_path[str(variant)]
        old_rules = {rule for rule, *_ in before[str(original)]}
        new = {f["rule"] for f in report["findings"]} - old_rules - {READING}
        assert not new, (variant.name, sorted(new))
        readings = [f for f in report["findings"] if f["rule"] == READING and f["location"]["line"] == line]
        if readings:
            assert "请人工核对" in readings[0]["message"], readings[0]
            said += 1
    # a table-two row of one column with two figures, or a header row, may be read otherwise
    assert said > len(variants) * 3 // 4


def _page_variants(pages: list[Path], out: Path, rng) -> list[tuple[Path, Path, str]]:
    made = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        found = [
            m for m in _TD_LABEL_THEN_FIGURE.finditer(text) if grammar.figures_after_label(m["label"] + " 1")
        ]
        for m in rng.sample(found, min(4, len(found))):
            joined = m["open"] + m["label"] + rng.choice([" ", ""]) + m["figure"] + "</td>"
            target = out / f"{path.stem}.{m.start()}{path.suffix}"
            target.write_text(text[: m.start()] + joined + text[m.end() :], encoding="utf-8")
            made.append((path, target, m["label"]))
    return made


def test_a_web_pages_label_cell_with_the_first_figure(tmp_path_factory, tmp_path):
    made = generated_reports(tmp_path_factory.mktemp("pages"), 9, 43, "html")
    pages = sorted(made.glob("*.html")) + sorted(CORPUS.glob("*.html"))
    variants = _page_variants(pages, tmp_path, random.Random(7))
    assert len(variants) > 12
    before = _findings(audit_to_json(pages, tmp_path / "before.json"))
    after = _findings(audit_to_json([v for _o, v, _l in variants], tmp_path / "after.json"))
    for original, variant, label in variants:
        assert after[str(variant)] == before[str(original)], (variant.name, label)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("(一) 予以公开 60", ("(一) 予以公开", "60", 9)),
        ("（一）予以公开60", ("（一）予以公开", "60", 7)),
        ("行政处罚\u300012", ("行政处罚", "12", 5)),
        ("采购总金额 123.45", ("采购总金额", "123.45", 6)),
        ("(一) 予以公开 60 1", ("(一) 予以公开", "60 1", 9)),
        ("(一) 予以公开", None),
        ("60", None),
        ("1. 属于国家秘密", None),
        ("第二十条第(五)项", None),
    ],
)
def test_figures_after_a_label(text, found):
    assert grammar.figures_after_label(text) == found
