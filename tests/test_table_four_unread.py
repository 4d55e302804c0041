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
