"""Table four's headers printed and its figures not read: said, never silent.

- the figures are not in the text at all (a line lost, a table printed without its
  numbers): every cell of the three blocks is missing (GX-SUB-008, an error), before
  nothing was said (score 100, "未发现问题");
- the figures are printed in a shape that cannot be cut into cells (one space apart):
  unreadable (GX-CEL-008, "无法可靠读出…，请人工核对"), never missing.

Variants made here from the tab-row seeds and generated reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import audit_to_json, tab_row_reports

from gxaudit.parse.document import parse_file


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    out = tmp_path_factory.mktemp("four")
    found = []
    for path in tab_row_reports(tmp_path_factory, 8, 53):
        report = parse_file(str(path))
        figures = {row.line for row in report.tables.review_litigation.values()}
        if len(figures) != 1 or report.lines != path.read_text(encoding="utf-8").split("\n"):
            continue
        line = figures.pop()
        lines = report.lines
        for how in ("gone", "one_space"):
            changed = lines[:]
            changed[line - 1] = "" if how == "gone" else " ".join(lines[line - 1].split("\t"))
            target = out / f"{path.stem}.{how}.txt"
            target.write_text("\n".join(changed), encoding="utf-8")
            found.append((path, target, how))
    assert len(found) >= 16
    return found


def test_figures_lost_are_missing_figures_unread_are_unreadable(variants, tmp_path):
    before = audit_to_json(sorted({o for o, _v, _h in variants}), tmp_path / "before.json")
    after = audit_to_json([v for _o, v, _h in variants], tmp_path / "after.json")
    rules = {
        Path(r["path"]).stem: sorted(
            f["rule"] for f in r["findings"] if f["location"].get("table") != "review_litigation"
        )
        for r in before["reports"]
    }
    by_path = {r["path"]: r for r in after["reports"]}
    for original, variant, how in variants:
        findings = by_path[str(variant)]["findings"]
        said = sorted(f["rule"] for f in findings if f["location"].get("table") == "review_litigation")
        others = sorted(f["rule"] for f in findings if f["location"].get("table") != "review_litigation")
        assert others == rules[original.stem], variant.name  # the rest of the report as before
        if how == "gone":
            assert said == ["GX-SUB-008"] * 3, (variant.name, said)
        else:
            assert said == ["GX-CEL-008"], (variant.name, said)  # one, for the whole table
            assert all("请人工核对" in f["message"] for f in findings if f["rule"] == "GX-CEL-008")


def _four(report) -> dict[str, dict[str, tuple]]:
    return {
        b: {c: (x.kind, x.value) for c, x in row.cells.items()}
        for b, row in report.tables.review_litigation.items()
    }


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    """Table four written a block a line (read), and its columns a line each (not read)."""
    out = tmp_path_factory.mktemp("four_layouts")
    found = []
    for path in tab_row_reports(tmp_path_factory, 8, 59):
        report = parse_file(str(path))
        rows = report.tables.review_litigation
        start = report.tables.lines.get("review_litigation")
        if len(rows) != 3 or report.lines != path.read_text(encoding="utf-8").split("\n"):
            continue
        if any(x.value is None for row in rows.values() for x in row.cells.values()):
            continue  # blank cells: a block a line of them is not fifteen numbers
        line = next(iter(rows.values())).line
        values = {
            b: [str(x.value) if x.value is not None else "" for x in row.cells.values()]
            for b, row in rows.items()
        }
        names = {
            "review": "行政复议\t",
            "litigation_direct": "行政诉讼\t未经复议直接起诉",
            "litigation_after_review": "\t复议后起诉",
        }
        a_line_each = [names[b] + "\t" + "\t".join(values[b]) for b in names]
        columns = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        transposed = [f"{c}\t" + "\t".join(values[b][k] for b in names) for k, c in enumerate(columns)]
        for how, table in (("a_line_each", a_line_each), ("transposed", transposed)):
            changed = report.lines[: start - 1] + table + report.lines[line:]
            target = out / f"{path.stem}.{how}.txt"
            target.write_text("\n".join(changed), encoding="utf-8")
            found.append((path, target, how))
    assert len(found) >= 16
    return found


def test_a_block_a_line_is_read_other_layouts_are_never_missing(laid_out, tmp_path):
    for original, variant, how in laid_out:
        read = parse_file(str(variant))
        if how == "a_line_each":
            assert _four(read) == _four(parse_file(str(original))), variant.name
    after = audit_to_json([v for _o, v, h in laid_out if h == "transposed"], tmp_path / "after.json")
    for report in after["reports"]:
        said = [f["rule"] for f in report["findings"] if f["location"].get("table") == "review_litigation"]
        # printed, not read: at most a reading finding (where the table is found), never missing
        assert set(said) <= {"GX-CEL-008"}, (report["path"], said)
