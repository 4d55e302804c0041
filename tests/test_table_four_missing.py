"""A report whose part four has no table four (only "本年度未发生行政复议、行政诉讼", or
nothing) gets GX-SUB-010 at the part's heading: the format asks for the table, with 0
where there were no cases. Never when we could not make the table out (its headers
printed, rows of figures, an unreadable table), nor when part four itself is missing
(GX-STR-001 says so).

Variants made here from the tab-row seeds, generated text and web-page reports: part
four's table replaced by one of several sentences or by nothing; its header lines taken
away (rows of figures left); the part taken away whole.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import audit_to_json, generated_reports, tab_row_reports

RULE = "GX-SUB-010"
_PART_FOUR = re.compile(r"^\s*(?:<p>)?四[、.．]\s*政府信息公开行政复议")
_PART_FIVE = re.compile(r"^\s*(?:<p>)?五[、.．]")
SAID_INSTEAD = [
    "本年度未发生政府信息公开行政复议、行政诉讼。",
    "2023年，本机关未发生因政府信息公开引起的行政复议和行政诉讼案件。",
    "无。",
    "",
    # sub-headings alone on their lines ("行政诉讼" opens table four when it is a table's)
    "行政复议\n本年度未发生政府信息公开行政复议案件。\n行政诉讼\n本年度未发生政府信息公开行政诉讼案件。",
]


def _part_four(lines: list[str]) -> tuple[int, int] | None:
    """(heading index, next part's index) of part four."""
    start = next((i for i, line in enumerate(lines) if _PART_FOUR.match(line)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _PART_FIVE.match(lines[i])), None)
    return (start, end) if end is not None else None


def _rules(document: dict) -> dict[str, dict[str, list[int]]]:
    out: dict[str, dict[str, list[int]]] = {}
    for r in document["reports"]:
        found = out.setdefault(r["path"], {})
        for f in r["findings"]:
            where = f["location"].get("source") or {}  # the line in the file as it is opened
            found.setdefault(f["rule"], []).append(where.get("line"))
    return out


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    text = tab_row_reports(tmp_path_factory, 10, 61)
    pages = sorted(generated_reports(tmp_path_factory.mktemp("pages"), 6, 62, "html").glob("*.html"))
    files = [p for p in text + pages if _part_four(p.read_text(encoding="utf-8").split("\n"))]
    assert len(files) >= 12
    before = _rules(audit_to_json(files, tmp_path_factory.mktemp("before") / "before.json"))
    assert not any(RULE in found for found in before.values())
    return files, before


def _variants(files, out: Path, change) -> list[tuple[Path, Path, int]]:
    rng = random.Random(20261204)
    made = []
    for path in files:
        lines = path.read_text(encoding="utf-8").split("\n")
        start, end = _part_four(lines)
        changed = change(lines, start, end, rng, path.suffix == ".html")
        target = out / f"{path.stem}.v{path.suffix}"
        target.write_text("\n".join(changed), encoding="utf-8")
        made.append((path, target, start + 1))
    return made


def test_a_part_four_without_its_table(originals, tmp_path):
    files, before = originals

    def replace(lines, start, end, rng, html):
        said = rng.choice(SAID_INSTEAD)
        written = [f"<p>{line}</p>" if html else line for line in said.split("\n")] if said else []
        return lines[: start + 1] + written + lines[end:]

    variants = _variants(files, tmp_path, replace)
    after = _rules(audit_to_json([v for _o, v, _l in variants], tmp_path / "after.json"))
    for original, variant, heading in variants:
        found = after[str(variant)]
        assert found.get(RULE) == [heading], (variant.name, found)
        # nothing new besides, and no finding about cells of a table that is not there
        assert set(found) - set(before[str(original)]) == {RULE}, variant.name


def test_rows_of_figures_without_headers_are_not_a_missing_table(originals, tmp_path):
    files, _before = originals

    def headers_away(lines, start, end, rng, html):
        keep = [
            line for line in lines[start + 1 : end] if len(re.findall(r"(?<![\w.])\d+(?![\w.])", line)) >= 3
        ]
        return lines[: start + 1] + keep + lines[end:]

    variants = _variants([f for f in files if f.suffix == ".txt"], tmp_path, headers_away)
    after = _rules(audit_to_json([v for _o, v, _l in variants], tmp_path / "after.json"))
    assert not [v.name for _o, v, _l in variants if RULE in after[str(v)]]


def test_a_missing_part_four_is_the_structure_rules(originals, tmp_path):
    files, _before = originals
    variants = _variants(files, tmp_path, lambda lines, start, end, rng, html: lines[:start] + lines[end:])
    after = _rules(audit_to_json([v for _o, v, _l in variants], tmp_path / "after.json"))
    for _original, variant, _heading in variants:
        assert RULE not in after[str(variant)] and "GX-STR-001" in after[str(variant)], variant.name
