"""Table four whose header does not print the format's columns, or names its blocks
otherwise: read by the header, never by position, never silently unread.

- columns in another order (结果维持 | 结果纠正 | 尚未审结 | 其他结果 | 总计): each figure
  read into the column its header names. Before, the format's order: 其他结果 and 尚未审结
  exchanged (a false GX-NAR-005 from a true sentence, balance findings on the wrong cells);
- a column left out (four figures a block, twelve in all, the header naming four): read by
  the header, that column missing (GX-SUB-008 names it in each block). Before, by position:
  false GX-BAL-004, GX-CEL-001, GX-SUB-008 "缺少单元格：总计";
- blocks named otherwise (复议, 行政复议情况, 行政复议案件, 行政复议数量, 政府信息公开行政复议 |
  政府信息公开行政诉讼): read. Before, the table never opened: nothing said (coverage 185/200,
  an imbalance missed). Sentences of part 四 naming the blocks so open no table;
- a header we cannot recognise over printed figures: a reading "无法可靠读出表四…" (GX-CEL-008),
  never silence.

A header whose rows do not agree with it (fifteen figures under four names a block), or
that names the columns otherwise in each block, is read in the format's order as before.

Variants made here from generated text, cell-a-line and web-page reports.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import audit_to_json, findings_by_place, generated_reports

from gxaudit.parse.document import parse_file

NAMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
IDS = ("upheld", "corrected", "other", "pending", "total")
_PART_FOUR = re.compile(r"^\s*(?:<p>)?四、政府信息公开行政复议")
_PART_FIVE = re.compile(r"^\s*(?:<p>)?五、")
_TEXT_FIGURE = re.compile(r"^\d+$")
_HTML_FIGURE = re.compile(r"<td>\d+</td>")
_HTML_NAME = re.compile(r"<td(?: [^>]*)?>(?:<p>)?(" + "|".join(NAMES) + r")(?:</p>)?</td>")


def _shape(path: Path) -> str:
    return "html" if path.suffix == ".html" else ("cells" if "_cells" in path.name else "text")


def _region(lines: list[str]) -> tuple[int, int]:
    start = next(i for i, line in enumerate(lines) if _PART_FOUR.match(line))
    end = next(i for i in range(start + 1, len(lines)) if _PART_FIVE.match(lines[i]))
    return start + 1, end


def _rewritten(text: str, shape: str, figures: list[int], printed: list[int], groups=(0, 1, 2)) -> str:
    """Table four with these fifteen figures (the format's order), printed in the columns
    `printed` (the format's places, in the order printed; one may be left out), the header's
    groups of names in `groups` printed so (the others as the format prints them)."""
    lines = text.split("\n")
    start, end = _region(lines)
    blocks = [figures[k * 5 : (k + 1) * 5] for k in range(3)]
    out = [str(blocks[b][p]) for b in range(3) for p in printed]
    group = 0
    if shape == "text":
        for i in range(start, end):
            cells = lines[i].split("\t")
            if sum(1 for c in cells if _TEXT_FIGURE.match(c)) == 15:
                at = [k for k, c in enumerate(cells) if _TEXT_FIGURE.match(c)]
                cells = cells[: at[0]] + out + cells[at[-1] + 1 :]
            k = 0
            while k + 5 <= len(cells):
                if tuple(cells[k : k + 5]) == NAMES:
                    names = [NAMES[p] for p in printed] if group in groups else list(NAMES)
                    cells[k : k + 5] = names
                    group += 1
                    k += len(names)
                else:
                    k += 1
            lines[i] = "\t".join(cells)
    elif shape == "html":
        for i in range(start, end):
            line = lines[i]
            tds = _HTML_FIGURE.findall(line)
            if len(tds) == 15:
                line = line.replace("".join(tds), "".join(f"<td>{f}</td>" for f in out))
            found = list(_HTML_NAME.finditer(line))
            for k in range(len(found) - 5, -1, -5):  # from the right: spans stay put
                run = found[k : k + 5]
                names = printed if group + k // 5 in groups else range(5)
                line = (
                    line[: run[0].start()] + "".join(run[p].group(0) for p in names) + line[run[-1].end() :]
                )
            group += len(found) // 5
            if len(printed) < 5:
                line = line.replace('colspan="5"', 'colspan="4"').replace('colspan="10"', 'colspan="8"')
            lines[i] = line
    else:  # a cell a line, blank lines between
        written = [i for i in range(start, end) if lines[i].strip()]
        numbers = [i for i in written if _TEXT_FIGURE.match(lines[i].strip())]
        names = [i for i in written if lines[i].strip() in NAMES]
        if len(numbers) != 15 or len(names) != 15:
            raise AssertionError("not table four as the format prints it")
        drop: list[int] = []
        for k, i in enumerate(numbers):
            lines[i] = f"\t{out[k]}" if k < len(out) else lines[i]
            drop += [] if k < len(out) else [i]
        for g in range(3):
            at = names[g * 5 : (g + 1) * 5]
            order = printed if g in groups else list(range(5))
            for k, i in enumerate(at):
                lines[i] = f"\t{NAMES[order[k]]}" if k < len(order) else lines[i]
                drop += [] if k < len(order) else [i]
        for i in sorted(drop, reverse=True):
            # the cell, and the blank line after it (not a blank cell: a tab)
            del lines[i : i + (2 if i + 1 < len(lines) and lines[i + 1] in ("", " ") else 1)]
    return "\n".join(lines)


def _figures(rng: random.Random) -> list[int]:
    """Fifteen figures, each block's total the sum of the other four, the four distinct."""
    figures = []
    for _ in range(3):
        four = rng.sample(range(0, 9), 4)
        figures += [*four, sum(four)]
    return figures


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Generated reports with table four as the format prints it, each given its own
    balanced figures (the originals)."""
    folder = generated_reports(tmp_path_factory.mktemp("made"), 24, 811, "text,cells,html")
    out = tmp_path_factory.mktemp("originals")
    rng = random.Random(811)
    reports = []
    for path in sorted(folder.glob("0*")):
        shape, figures = _shape(path), _figures(rng)
        try:
            text = _rewritten(path.read_text(encoding="utf-8"), shape, figures, [0, 1, 2, 3, 4])
        except (StopIteration, AssertionError):
            continue  # part four written otherwise, or table four not of the usual layout
        target = out / path.name
        target.write_text(text, encoding="utf-8")
        if _cells(target) == _as_read(figures):
            reports.append((target, shape, figures))
    assert sorted({s for _p, s, _f in reports}) == ["cells", "html", "text"]
    assert len(reports) >= 12
    return reports


def _as_read(figures: list[int]) -> dict:
    blocks = ("review", "litigation_direct", "litigation_after_review")
    return {(b, c): figures[k * 5 + p] for k, b in enumerate(blocks) for p, c in enumerate(IDS)}


def _cells(path: Path) -> dict:
    rows = parse_file(path).tables.review_litigation
    return {(b, c): cell.value for b, row in rows.items() for c, cell in row.cells.items()}


def _variants(made, folder: Path, make) -> list[tuple[Path, Path]]:
    pairs = []
    for original, shape, figures in made:
        target = folder / original.name
        target.write_text(make(original.read_text(encoding="utf-8"), shape, figures), encoding="utf-8")
        pairs.append((original, target))
    return pairs


@pytest.mark.parametrize("printed", [[0, 1, 3, 2, 4], [4, 0, 1, 2, 3]])
def test_columns_in_another_order_are_read_by_the_header(made, tmp_path, printed):
    pairs = _variants(made, tmp_path, lambda text, shape, f: _rewritten(text, shape, f, printed))
    before = findings_by_place(audit_to_json([o for o, _v in pairs], tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([v for _o, v in pairs], tmp_path / "after.json"))
    for original, variant in pairs:
        assert variant.read_text(encoding="utf-8") != original.read_text(encoding="utf-8")
        assert _cells(variant) == _cells(original), variant.name
        assert after[str(variant)] == before[str(original)], variant.name


def test_a_header_naming_the_columns_otherwise_in_each_block_is_read_in_the_formats_order(made, tmp_path):
    """Only 行政复议's columns printed in another order, the lawsuits' as the format: which
    order the figures follow cannot be told; read as before, in the format's order."""
    swapped = [0, 1, 3, 2, 4]
    pairs = _variants(made, tmp_path, lambda text, shape, f: _rewritten(text, shape, f, swapped, groups=(0,)))
    for original, variant in pairs:
        printed = _cells(original)
        # the figures as printed, in the format's places
        for b in ("review", "litigation_direct", "litigation_after_review"):
            printed[(b, "other")], printed[(b, "pending")] = printed[(b, "pending")], printed[(b, "other")]
        assert _cells(variant) == printed, variant.name


@pytest.mark.parametrize("left_out", [2, 0, 3])
def test_a_column_left_out_is_missing_in_each_block_and_the_rest_read_by_the_header(made, tmp_path, left_out):
    printed = [p for p in range(5) if p != left_out]
    pairs = _variants(made, tmp_path, lambda text, shape, f: _rewritten(text, shape, f, printed))
    before = audit_to_json([o for o, _v in pairs], tmp_path / "before.json")
    after = audit_to_json([v for _o, v in pairs], tmp_path / "after.json")
    by_path = {r["path"]: r for r in after["reports"]}
    earlier = findings_by_place(before)
    for original, variant in pairs:
        expected = {k: v for k, v in _cells(original).items() if k[1] != IDS[left_out]}
        assert _cells(variant) == expected, variant.name
        report = by_path[str(variant)]
        four = [f for f in report["findings"] if f["location"].get("table") == "review_litigation"]
        assert sorted(f["rule"] for f in four) == ["GX-SUB-008"] * 3, (variant.name, four)
        assert all(f"缺少单元格：{NAMES[left_out]}（" in f["message"] for f in four), four
        assert report["coverage"]["read"] == before_read(before, original) - 3
        rest = [f for f in findings_by_place(after)[str(variant)] if f[1] != "review_litigation"]
        assert rest == [f for f in earlier[str(original)] if f[1] != "review_litigation"], variant.name


def before_read(document: dict, path: Path) -> int:
    return next(r["coverage"]["read"] for r in document["reports"] if r["path"] == str(path))


def test_a_header_leaving_a_name_out_over_fifteen_figures_is_read_in_the_formats_order(made, tmp_path):
    """The header names four columns a block but the rows print five figures a block: the
    name is only not printed; read in the format's order, as before."""

    def make(text: str, shape: str, figures: list[int]) -> str:
        left = _rewritten(text, shape, figures, [0, 1, 3, 4])  # the header: 其他结果 left out
        full = _rewritten(text, shape, figures, [0, 1, 2, 3, 4])
        return _with_figures_of(left, full, shape)

    pairs = _variants([m for m in made if m[1] != "cells"], tmp_path, make)
    for original, variant in pairs:
        assert _cells(variant) == _cells(original), variant.name


def _with_figures_of(header_from: str, figures_from: str, shape: str) -> str:
    """The report `header_from` with the figures' line of `figures_from`."""
    a, b = header_from.split("\n"), figures_from.split("\n")
    pattern = _HTML_FIGURE if shape == "html" else re.compile(r"(?:^|\t)\d+(?=\t|$)")
    rows_a = [i for i, line in enumerate(a) if len(pattern.findall(line)) >= 12]
    rows_b = [i for i, line in enumerate(b) if len(pattern.findall(line)) == 15]
    start = _region(a)[0]
    i = next(i for i in rows_a if i > start)
    j = next(j for j in rows_b if j > start)
    a[i] = b[j]
    return "\n".join(a)


_BLOCK_LINES = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")


def _a_block_a_line(text: str, figures: list[int], printed: list[int]) -> str:
    """Table four as a row of its columns' names (`printed`, in that order) over a line a
    block: its name, then its figures in the printed columns."""
    lines = text.split("\n")
    start, end = _region(lines)
    table = ["\t" + "\t".join(NAMES[p] for p in printed)]
    for k, name in enumerate(_BLOCK_LINES):
        table.append(name + "\t" + "\t".join(str(figures[k * 5 + p]) for p in printed))
    return "\n".join(lines[:start] + table + lines[end:])


@pytest.mark.parametrize("printed", [[0, 1, 3, 2, 4], [0, 1, 3, 4]], ids=["reordered", "left_out"])
def test_a_block_a_line_under_its_columns_is_read_by_them(made, tmp_path, printed):
    """A block a line under a row of the columns' names that holds none of the words that
    open a table: the row is the header (before, it was not seen: the format's order)."""
    (tmp_path / "o").mkdir()
    (tmp_path / "v").mkdir()
    for original, shape, figures in made:
        if shape != "text":
            continue
        text = original.read_text(encoding="utf-8")
        control = tmp_path / "o" / original.name
        control.write_text(_a_block_a_line(text, figures, [0, 1, 2, 3, 4]), encoding="utf-8")
        variant = tmp_path / "v" / original.name
        variant.write_text(_a_block_a_line(text, figures, printed), encoding="utf-8")
        assert _cells(control) == _as_read(figures), control.name
        expected = {k: v for k, v in _as_read(figures).items() if IDS.index(k[1]) in printed}
        assert _cells(variant) == expected, variant.name


_BLOCK_NAMES = [
    ("复议", "行政诉讼"),
    ("行政复议情况", "行政诉讼情况"),
    ("行政复议案件", "行政诉讼"),
    ("行政复议数量", "行政诉讼数量"),
    ("政府信息公开行政复议", "政府信息公开行政诉讼"),
    ("行政复议（件）", "行政诉讼（件）"),
]


def _renamed(text: str, shape: str, review: str, litigation: str) -> str:
    lines = text.split("\n")
    start, end = _region(lines)
    for old, new in (("行政复议", review), ("行政诉讼", litigation)):
        for i in range(start, end):
            if shape == "html" and f">{old}<" in lines[i]:
                lines[i] = lines[i].replace(f">{old}<", f">{new}<", 1)
                break
            if shape != "html" and old in lines[i].split("\t"):
                cells = lines[i].split("\t")
                cells[cells.index(old)] = new
                lines[i] = "\t".join(cells)
                break
        else:
            raise AssertionError(f"no cell {old}")
    return "\n".join(lines)


@pytest.mark.parametrize("names", _BLOCK_NAMES, ids=lambda n: n[0])
def test_blocks_named_otherwise_are_read(made, tmp_path, names):
    """The block names' row written otherwise; 行政复议's total one more than its sum (a real
    imbalance, found as in the original)."""

    def unbalanced(text: str, shape: str, figures: list[int]) -> str:
        wrong = list(figures)
        wrong[4] += 1
        return _rewritten(text, shape, wrong, [0, 1, 2, 3, 4])

    (tmp_path / "o").mkdir()
    (tmp_path / "v").mkdir()
    pairs = []
    for _made, original in _variants(made, tmp_path / "o", unbalanced):
        variant = tmp_path / "v" / original.name
        renamed = _renamed(original.read_text(encoding="utf-8"), _shape(original), *names)
        variant.write_text(renamed, encoding="utf-8")
        pairs.append((original, variant))
    before = findings_by_place(audit_to_json([o for o, _v in pairs], tmp_path / "before.json"))
    after = findings_by_place(audit_to_json([v for _o, v in pairs], tmp_path / "after.json"))
    for original, variant in pairs:
        assert ("GX-BAL-004", "review_litigation", "review", "total") in before[str(original)]
        assert _cells(variant) == _cells(original), variant.name
        assert after[str(variant)] == before[str(original)], variant.name


def test_blocks_named_otherwise_in_a_spaced_layout_are_read(made, tmp_path):
    """The same on lines whose cells are set apart by spaces (a PDF's text layout)."""
    pairs = []
    for original, shape, _f in made:
        if shape != "text":
            continue
        lines = original.read_text(encoding="utf-8").split("\n")
        start, end = _region(lines)
        for i in range(start, end):
            lines[i] = re.sub(r"\t+", "    ", lines[i]).strip()
        spaced = tmp_path / f"s_{original.name}"
        spaced.write_text("\n".join(lines), encoding="utf-8")
        variant = tmp_path / f"v_{original.name}"
        renamed = "\n".join(lines).replace("行政复议    行政诉讼", "行政复议情况    行政诉讼情况", 1)
        assert renamed != "\n".join(lines)
        variant.write_text(renamed, encoding="utf-8")
        pairs.append((spaced, variant))
    assert pairs
    for spaced, variant in pairs:
        assert _cells(spaced) == _cells(variant) != {}, variant.name


_PROSE = [
    # a sub-heading alone over a sentence, a sub-heading and its sentence on one line, in cells
    "行政复议情况\n本年度本机关未发生政府信息公开行政复议案件\n行政诉讼情况\n本年度本机关未发生政府信息公开行政诉讼案件。",
    "行政复议情况\t本年度本机关未发生政府信息公开行政复议案件。\n复议  诉讼情况：均未发生。",
    "政府信息公开行政复议、行政诉讼情况\n本年度未发生行政复议、行政诉讼。\n行政复议数量\n0件。",
]


@pytest.mark.parametrize("prose", _PROSE, ids=range(len(_PROSE)))
def test_prose_naming_the_blocks_opens_no_table(made, tmp_path, prose):
    """Part 四 written in sentences whose sub-headings name the blocks otherwise ("行政复议情况",
    "行政复议数量"): no table four (GX-SUB-010 as for any such part), its text kept."""
    original = next(o for o, shape, _f in made if shape == "text")
    lines = original.read_text(encoding="utf-8").split("\n")
    start, end = _region(lines)
    target = tmp_path / original.name
    target.write_text("\n".join(lines[:start] + prose.split("\n") + lines[end:]), encoding="utf-8")
    report = parse_file(target)
    assert "review_litigation" not in report.tables.lines
    part = next(s for s in report.sections if s.id == "review_litigation")
    assert "未发生政府信息公开行政复议案件" in part.text or "未发生行政复议" in part.text
    document = audit_to_json([target], tmp_path / "out.json")
    four = sorted(
        f["rule"]
        for f in document["reports"][0]["findings"]
        if f["location"].get("table") == "review_litigation" or f["rule"].startswith("GX-SUB-01")
    )
    assert four == ["GX-SUB-010"], four


def _without_header(text: str, shape: str) -> str:
    """Table four's header made unrecognisable: its lines gone (a text row a line, a web
    page's rows), or its block names written as no header writes them (a cell a line)."""
    lines = text.split("\n")
    start, end = _region(lines)
    if shape == "cells":
        for i in range(start, end):
            if lines[i].strip() in ("行政复议", "行政诉讼"):
                lines[i] = lines[i].replace("行政", "行政案件结果统计：", 1)
        return "\n".join(lines)
    figures = _HTML_FIGURE if shape == "html" else re.compile(r"(?:^|\t)\d+(?=\t|$)")
    keep = [
        line
        for i, line in enumerate(lines)
        if not (start <= i < end and any(name in line for name in (*NAMES, "行政复议", "行政诉讼")))
        or len(figures.findall(line)) == 15
    ]
    return "\n".join(keep)


def test_figures_under_a_header_not_recognised_are_said_unread(made, tmp_path):
    """Table four's figures printed in its part, its header not recognised (the table never
    opened): one reading "无法可靠读出表四…，请人工核对" (GX-CEL-008), nothing said missing.
    Before, nothing at all was said."""
    pairs = _variants(made, tmp_path, lambda text, shape, _f: _without_header(text, shape))
    before = audit_to_json([o for o, _v in pairs], tmp_path / "before.json")
    after = audit_to_json([v for _o, v in pairs], tmp_path / "after.json")
    by_path = {r["path"]: r for r in after["reports"]}
    earlier = findings_by_place(before)
    for original, variant in pairs:
        assert "review_litigation" not in parse_file(variant).tables.lines, variant.name
        report = by_path[str(variant)]
        four = [f for f in report["findings"] if f["location"].get("table") == "review_litigation"]
        assert [f["rule"] for f in four] == ["GX-CEL-008"], (variant.name, four)
        assert "无法可靠读出表四" in four[0]["message"] and "请人工核对" in four[0]["message"]
        assert report["coverage"]["read"] == before_read(before, original) - 15
        rest = [f for f in findings_by_place(after)[str(variant)] if f[1] != "review_litigation"]
        assert rest == [f for f in earlier[str(original)] if f[1] != "review_litigation"], variant.name
