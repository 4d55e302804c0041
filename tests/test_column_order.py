"""Table three whose header prints the columns of 法人或其他组织 in another order than the
format (科研机构 before 商业企业): each figure is read into the column its header names.
Before, the figures were read in the format's order: 商业企业's figure became 科研机构's,
and the next year's report was charged a false change (GX-XYR-001) in both columns.

A header that does not name every column of the group, or names one twice, is read in
the format's order as before (which column is missing cannot be told).

Variants made here from generated text reports and web pages. So that the columns carry
figures, the 自然人 and 商业企业 figures of every row are exchanged first (sums unchanged):
that report, written in the format's order, is the original; the variant prints
科研机构 before 商业企业 in its header and in every row.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import audit_to_json, findings_by_place, generated_reports

from gxaudit.parse.document import parse_file

_TEXT_HEADER = "商业企业\t科研机构"
_HTML_HEADER = "<td><p>商业</p><p>企业</p></td><td><p>科研</p><p>机构</p></td>"
_CELL = r"(?:\d+|[—/／\-－–]+|无)"  # a figure or a dash (no blank: it would shift the match)
_TEXT_ROW = re.compile(rf"^(?P<head>.*?\t)(?P<cells>{_CELL}(?:\t{_CELL}){{6}})(?P<tail>\t*)$")
_HTML_ROW = re.compile(rf"^(?P<head><tr>.*?)(?P<cells>(?:<td>{_CELL}</td>){{7}})(?P<tail></tr>)$")


def _swap(cells: list[str], a: int, b: int) -> list[str]:
    cells = list(cells)
    cells[a], cells[b] = cells[b], cells[a]
    return cells


def _rewritten(text: str, html: bool, exchange: tuple[int, int], header: bool) -> str:
    """Table three's rows with two figures exchanged; its header's two names too if `header`."""
    row, sep = (_HTML_ROW, "") if html else (_TEXT_ROW, "\t")
    start = text.index("三、收到和处理")
    end = re.compile(r"\n[^\n]*四、[^\n]*行政复议").search(text, start).start()
    lines = text[start:end].split("\n")
    for i, line in enumerate(lines):
        m = row.match(line)
        if m is None:
            continue
        cells = re.findall(rf"<td>{_CELL}</td>", m.group("cells")) if html else m.group("cells").split("\t")
        lines[i] = m.group("head") + sep.join(_swap(cells, *exchange)) + m.group("tail")
    body = "\n".join(lines)
    if header:
        old = _HTML_HEADER if html else _TEXT_HEADER
        new = (
            _HTML_HEADER[: _HTML_HEADER.index("<td><p>科研")],
            _HTML_HEADER[_HTML_HEADER.index("<td><p>科研") :],
        )
        swapped = new[1] + new[0] if html else "科研机构\t商业企业"
        assert body.count(old) == 1
        body = body.replace(old, swapped)
    return text[:start] + body + text[end:]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = generated_reports(tmp_path_factory.mktemp("made"), 24, 707, "text,html")
    originals, variants = tmp_path_factory.mktemp("originals"), tmp_path_factory.mktemp("variants")
    pairs = []
    for path in sorted(folder.glob("0*")):
        text, html = path.read_text(encoding="utf-8"), path.suffix == ".html"
        if (_HTML_HEADER if html else _TEXT_HEADER) not in text:
            continue
        original = _rewritten(text, html, (0, 1), header=False)  # 商业企业 gets figures
        (originals / path.name).write_text(original, encoding="utf-8")
        (variants / path.name).write_text(_rewritten(original, html, (1, 2), header=True), encoding="utf-8")
        pairs.append((originals / path.name, variants / path.name))
    assert len(pairs) >= 12 and any(p.suffix == ".html" for p, _v in pairs)
    return pairs


def _cells(path: Path) -> dict:
    rows = parse_file(path).tables.applications
    return {(r, c): (cell.kind, cell.value) for r, row in rows.items() for c, cell in row.cells.items()}


def test_each_figure_is_read_into_the_column_its_header_names(made):
    moved = 0
    for original, variant in made:
        before, after = _cells(original), _cells(variant)
        assert after == before, variant.name
        moved += sum(1 for (r, c), (_k, v) in before.items() if c == "commercial" and v)
    assert moved, "no figure under 商业企业: the exchange is untested"


def test_the_same_findings_as_in_the_formats_order(made, tmp_path):
    before = findings_by_place(audit_to_json([o for o, _v in made], tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([v for _o, v in made], tmp_path / "after.json"))
    for original, variant in made:
        assert after[str(variant)] == before[str(original)], variant.name


def test_a_header_that_leaves_a_column_out_is_read_in_the_formats_order(made, tmp_path):
    original, variant = next((o, v) for o, v in made if o.suffix == ".txt")
    text = variant.read_text(encoding="utf-8").replace("\t其他\t", "\t\t", 1)
    target = tmp_path / variant.name
    target.write_text(text, encoding="utf-8")
    cells, printed = _cells(target), _cells(variant)
    # read as printed, in the format's order: 商业企业 takes the second printed figure
    assert [cells[(r, "commercial")] for r in ("new", "granted")] == [
        printed[(r, "research")] for r in ("new", "granted")
    ]


def _with_subtotal(text: str, every_row: bool) -> str:
    """Table three with a 小计 column after 其他 in its header and, in every row (or every
    other row), the group's subtotal printed after its 其他 figure."""
    start = text.index("三、收到和处理")
    end = re.compile(r"\n[^\n]*四、[^\n]*行政复议").search(text, start).start()
    lines = text[start:end].split("\n")
    done = 0
    for i, line in enumerate(lines):
        if "\t其他\t" in line and "商业企业" in line:
            lines[i] = line.replace("\t其他\t", "\t其他\t小计\t", 1)
            continue
        m = _TEXT_ROW.match(line)
        if m is None or not all(c.isdigit() for c in m.group("cells").split("\t")):
            continue
        done += 1
        if not every_row and done % 2:
            continue
        cells = m.group("cells").split("\t")
        subtotal = str(sum(int(c) for c in cells[1:6]))
        lines[i] = m.group("head") + "\t".join(cells[:6] + [subtotal] + cells[6:]) + m.group("tail")
    return text[:start] + "\n".join(lines) + text[end:]


@pytest.mark.parametrize("every_row", [True, False])
def test_a_subtotal_column_is_no_column(made, tmp_path, every_row):
    """A 小计 after 法人或其他组织's columns: its figure is none of the format's cells (it was
    read as 总计, and the row's 总计 dropped: false GX-BAL-001 in every row)."""
    texts = [o for o, _v in made if o.suffix == ".txt"]
    variants = []
    for original in texts:
        target = tmp_path / original.name
        target.write_text(_with_subtotal(original.read_text(encoding="utf-8"), every_row), encoding="utf-8")
        variants.append(target)
    assert any("\t小计\t" in v.read_text(encoding="utf-8") for v in variants)
    before = findings_by_place(audit_to_json(texts, tmp_path / "before.json"))
    after = findings_by_place(audit_to_json(variants, tmp_path / "after.json"))
    for original, variant in zip(texts, variants):
        assert _cells(variant) == _cells(original), variant.name
        assert after[str(variant)] == before[str(original)], variant.name


def _page_with_subtotal(text: str) -> str:
    """A web page's table three with a 小计 column after 其他 (header spans widened) and the
    group's subtotal in every row."""
    start = text.index("三、收到和处理")
    end = text.index("行政复议", start)
    table = text[start:end]
    table = re.sub(r'colspan="7"(><p>申请人情况)', r'colspan="8"\1', table)
    table = re.sub(r'colspan="5"(><p>法人)', r'colspan="6"\1', table)
    table = table.replace("<td>其他</td></tr>", "<td>其他</td><td>小计</td></tr>", 1)

    def with_subtotal(m: re.Match[str]) -> str:
        cells = re.findall(r"<td>(\d+)</td>", m.group("cells"))
        cells = cells[:6] + [str(sum(int(c) for c in cells[1:6]))] + cells[6:]
        return m.group("head") + "".join(f"<td>{c}</td>" for c in cells) + m.group("tail")

    table = re.sub(
        r"(?P<head><tr>[^\n]*?)(?P<cells>(?:<td>\d+</td>){7})(?P<tail></tr>)", with_subtotal, table
    )
    return text[:start] + table + text[end:]


def test_a_subtotal_column_of_a_web_page_is_no_column(made, tmp_path):
    """The same on a web page: the cells under the header's 小计 are left out (the whole
    table three was unreadable: its rows had a figure under no column)."""
    pages = [o for o, _v in made if o.suffix == ".html"]
    variants = []
    for original in pages:
        target = tmp_path / original.name
        target.write_text(_page_with_subtotal(original.read_text(encoding="utf-8")), encoding="utf-8")
        assert "<td>小计</td>" in target.read_text(encoding="utf-8")
        variants.append(target)
    before = findings_by_place(audit_to_json(pages, tmp_path / "before.json"))
    after = findings_by_place(audit_to_json(variants, tmp_path / "after.json"))
    for original, variant in zip(pages, variants):
        assert _cells(variant) == _cells(original), variant.name
        assert after[str(variant)] == before[str(original)], variant.name


_GROUP = ("commercial", "research", "nonprofit", "legal", "other")  # the printed places 1..5


def _without_column(text: str, html: bool, place: int) -> str:
    """Table three with one column of 法人或其他组织 (`place`, 1 to 5) not printed: neither
    its name in the header nor a cell in any row."""
    start = text.index("三、收到和处理")
    end = re.compile(r"\n[^\n]*四、[^\n]*行政复议").search(text, start).start()
    lines = text[start:end].split("\n")
    row = _HTML_ROW if html else _TEXT_ROW
    for i, line in enumerate(lines):
        if "商业" in line and "科研" in line:  # the group's header line
            names = re.findall(r"<td>.*?</td>", line) if html else line.split("\t")
            if html:
                lines[i] = line.replace(names[place - 1], "", 1)
            else:
                at = names.index("商业企业") + place - 1
                lines[i] = "\t".join(names[:at] + names[at + 1 :])
            continue
        if html:
            line = line.replace('colspan="7"><p>申请人情况', 'colspan="6"><p>申请人情况')
            lines[i] = line = line.replace('colspan="5"><p>法人或', 'colspan="4"><p>法人或')
        m = row.match(line)
        if m is None:
            continue
        cells = re.findall(rf"<td>{_CELL}</td>", m.group("cells")) if html else m.group("cells").split("\t")
        del cells[place]
        lines[i] = m.group("head") + ("" if html else "\t").join(cells) + m.group("tail")
    return text[:start] + "\n".join(lines) + text[end:]


@pytest.mark.parametrize("place", [5, 2])
def test_a_column_the_table_leaves_out_is_missing_not_the_first_one_blank(made, tmp_path, place):
    """A table three that prints neither 其他 (or 科研机构) in its header nor a cell for it in
    any row: each figure is read into the column its header names, and the rows lack that
    column (GX-SUB-007). Before, the rows' figures were put one column to the right: 自然人
    was read blank in every row (a false GX-CEL-001 ×23) and every figure was in the wrong
    column (false balance findings naming the wrong columns)."""
    originals = [o for o, _v in made][:8]
    variants = []
    for original in originals:
        target = tmp_path / original.name
        text = original.read_text(encoding="utf-8")
        target.write_text(_without_column(text, original.suffix == ".html", place), encoding="utf-8")
        variants.append(target)
    left_out = _GROUP[place - 1]
    assert any(v.suffix == ".html" for v in variants) and any(v.suffix == ".txt" for v in variants)
    before = findings_by_place(audit_to_json(originals, tmp_path / "before.json"))
    after = findings_by_place(audit_to_json(variants, tmp_path / "after.json"))
    for original, variant in zip(originals, variants):
        expected = {k: v for k, v in _cells(original).items() if k[1] != left_out}
        assert _cells(variant) == expected, variant.name
        # the cells findings are the original's, but for the column left out
        cells = [f for f in after[str(variant)] if f[0].startswith("GX-CEL")]
        assert cells == [f for f in before[str(original)] if f[0].startswith("GX-CEL") and f[3] != left_out]
        assert any(f[0] == "GX-SUB-007" and f[1] == "applications" for f in after[str(variant)]), variant.name


def test_a_header_naming_two_of_the_group_is_read_in_the_formats_order(made, tmp_path):
    """A header that names only two of the group's five columns is no reading of the columns
    (more likely a header we could not read than a table of four columns)."""
    original = next(o for o, _v in made if o.suffix == ".txt")
    text = original.read_text(encoding="utf-8")
    target = tmp_path / original.name
    target.write_text(text.replace("\t社会公益组织\t法律服务机构\t其他\t", "\t\t\t\t", 1), encoding="utf-8")
    assert _cells(target) == _cells(original)
