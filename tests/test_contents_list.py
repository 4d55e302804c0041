"""A contents list (目录) before the parts lists their headings; it is no heading.

Made here of the seeds, the corpus's text reports and generated reports: a contents list
put before the first part in each way a report prints one (dot leaders and page numbers, as
"……1", " ........ 1", "·····1", a tab, page numbers alone, no page numbers, with its
sub-items), and of the flattened corpus page 004 with a contents list run into it. Each
is read as the report without it: the same parts at the same lines (shifted), the same
findings (was: "编号“一、”的一级标题出现了 2 次" ×6, a variant-title note per entry, and
part 六 read from the list: GX-CON-001).

And what stays as it was: a heading followed by a page number where no list is
(a printed page's number run into it), a part headed twice (GX-STR-003), a list whose
parts are not headed again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS, audit_to_json, generated_reports

from gxaudit.parse.document import parse_file

TITLES = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
]
NUMERALS = "一二三四五六"


def _entries(style: str) -> list[str]:
    out = []
    for index, title in enumerate(TITLES):
        heading, page = f"{NUMERALS[index]}、{title}", index + 1
        out += {
            "ellipsis": [f"{heading}{'…' * 12}{page}"],
            "dots": [f"{heading} {'.' * 20} {page}"],
            "middle_dots": [f"{heading}{'·' * 10}{page}"],
            "tab": [f"{heading}\t{page}"],
            "pages": [f"{heading}  {page}"],
            "plain": [heading],
            "blank_lines": [heading, ""],
            "sub_items": [f"{heading}{'…' * 8}{page}", f"（一）某项工作{'…' * 8}{page}"],
            # sub-entries without leaders (under the "目  录" line)
            "plain_sub_items": [heading, "（一）某项工作", "（二）另一项工作"],
            "sub_items_unlettered": [f"{heading}……{page}", "某项工作", "（一）某项工作……"],
            "digit_sub_items": [heading, "1.某项工作", "2、另一项工作"],
            "sub_item_naming_a_part": [heading, *(["（二）主动公开政府信息情况"] if index == 0 else [])],
        }[style]
    return out


STYLES = [
    "ellipsis",
    "dots",
    "middle_dots",
    "tab",
    "pages",
    "plain",
    "blank_lines",
    "sub_items",
    "plain_sub_items",
    "sub_items_unlettered",
    "digit_sub_items",
    "sub_item_naming_a_part",
]


def _usual_files(made: Path) -> list[Path]:
    """Text reports read line for line with their six parts (the list goes before them)."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt")) + sorted(made.glob("*.txt")):
        report = parse_file(str(path))
        if report.lines != path.read_text(encoding="utf-8").split("\n"):
            continue
        if len({s.number for s in report.sections if s.id}) == 6:
            found.append(path)
    return found


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    out = tmp_path_factory.mktemp("contents")
    files = _usual_files(generated_reports(tmp_path_factory.mktemp("made"), 8, 11, "text,cells"))
    assert len(files) >= 8, files
    made = []
    for path in files:
        lines = path.read_text(encoding="utf-8").split("\n")
        at = parse_file(str(path)).sections[0].line - 1  # after the title and what follows it
        for style in STYLES:
            added = ["目  录", *_entries(style), ""]
            target = out / f"{path.stem}.{style}.txt"
            target.write_text("\n".join(lines[:at] + added + lines[at:]), encoding="utf-8")
            made.append((path, target, style, len(added)))
    return made


def test_the_parts_are_read_as_without_the_list(listed):
    for original, variant, style, shift in listed:
        before = [(s.number, s.id, s.line + shift, s.text) for s in parse_file(str(original)).sections]
        after = [(s.number, s.id, s.line, s.text) for s in parse_file(str(variant)).sections]
        assert after == before, (variant.name, style)


def test_the_same_findings_as_without_the_list(listed, tmp_path):
    originals = sorted({o for o, _v, _s, _n in listed})
    before = audit_to_json(originals, tmp_path / "before.json")
    after = audit_to_json([v for _o, v, _s, _n in listed], tmp_path / "after.json")
    rules = {Path(r["path"]).stem: sorted(f["rule"] for f in r["findings"]) for r in before["reports"]}
    assert any(rules.values())
    for report in after["reports"]:
        stem = Path(report["path"]).stem.rsplit(".", 1)[0]
        assert sorted(f["rule"] for f in report["findings"]) == rules[stem], report["path"]


FLAT = "004_pingtan_2022_zfxxgk_nb.txt"
FLAT_LISTS = {
    "run_together": "目录" + "".join(f"{NUMERALS[i]}、{t}" for i, t in enumerate(TITLES)),
    "ellipsis": "目录 " + " ".join(f"{NUMERALS[i]}、{t}……{i + 1}" for i, t in enumerate(TITLES)),
    "dots": "目 录 " + " ".join(f"{NUMERALS[i]}、{t} ........ {i + 1}" for i, t in enumerate(TITLES)),
    "pages": "目录 " + " ".join(f"{NUMERALS[i]}、{t} {i + 1}" for i, t in enumerate(TITLES)),
    "plain_sub_items": "目录 "
    + " ".join(f"{NUMERALS[i]}、{t} （一）某项工作 （二）另一项工作" for i, t in enumerate(TITLES)),
}


@pytest.mark.parametrize("style", sorted(FLAT_LISTS))
def test_a_flattened_page_with_a_contents_list(style, tmp_path):
    """Corpus 004 (a whole page on one line) with a contents list before its parts (was:
    the list's entries the parts, the parts' own headings text of part 六)."""
    text = (CORPUS / FLAT).read_text(encoding="utf-8")
    at = text.index("。 一、总体情况") + 2
    target = tmp_path / f"004.{style}.txt"
    target.write_text(text[:at] + FLAT_LISTS[style] + " " + text[at:], encoding="utf-8")
    before = parse_file(str(CORPUS / FLAT))
    after = parse_file(str(target))
    assert [(s.number, s.id, s.text) for s in after.sections] == [
        (s.number, s.id, s.text) for s in before.sections
    ]
    rules = [
        sorted(f["rule"] for f in r["findings"])
        for r in audit_to_json([CORPUS / FLAT, target], tmp_path / "r.json")["reports"]
    ]
    assert rules[0] == rules[1]


def _seed_lines() -> tuple[list[str], list]:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    return seed.read_text(encoding="utf-8").split("\n"), parse_file(str(seed)).sections


def _audit(lines: list[str], tmp_path: Path) -> dict:
    target = tmp_path / "made.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    return audit_to_json([target], tmp_path / "r.json")["reports"][0]


def test_a_heading_with_a_page_number_and_no_list_is_a_heading(tmp_path):
    """A printed page's number run into a part's heading ("三、收到和处理…  3"): the part."""
    lines, sections = _seed_lines()
    for section in sections[2:4]:
        lines[section.line - 1] += f"  {section.line}"
    target = tmp_path / "numbered.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    assert [(s.number, s.id, s.line) for s in parse_file(str(target)).sections] == [
        (s.number, s.id, s.line) for s in sections
    ]


def test_a_part_headed_twice_is_still_charged(tmp_path):
    """Parts five and six headed twice in a row: no list (too short), GX-STR-003 twice."""
    lines, sections = _seed_lines()
    five = next(s for s in sections if s.number == "五")
    lines[five.line - 1 : five.line - 1] = ["五、存在的主要问题及改进情况", "六、其他需要报告的事项", ""]
    report = _audit(lines, tmp_path)
    assert sorted(f["rule"] for f in report["findings"] if f["rule"] == "GX-STR-003") == ["GX-STR-003"] * 2


def test_a_list_whose_parts_are_not_headed_again_is_read_as_headings(tmp_path):
    """Three headings in a row and never again: the report's parts (its own findings),
    not a list."""
    lines = [
        "某镇2020年政府信息公开工作年度报告",
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
    ]
    target = tmp_path / "short.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    assert [s.number for s in parse_file(str(target)).sections] == ["一", "二", "三"]


def test_a_part_left_out_after_a_list_is_missing_not_repeated(tmp_path):
    """The list names six parts, the report heads five: part 六 is missing (GX-STR-001),
    and nothing is headed twice."""
    lines, sections = _seed_lines()
    six = next(s for s in sections if s.number == "六")
    lines[six.line - 1] = ""
    lines[sections[0].line - 1 : sections[0].line - 1] = ["目录", *_entries("plain"), ""]
    structure = sorted(
        f["rule"] for f in _audit(lines, tmp_path)["findings"] if f["rule"].startswith("GX-STR")
    )
    assert structure == ["GX-STR-001"]


def _parts(lines: list[str], tmp_path: Path) -> list[tuple[str, str | None, int]]:
    target = tmp_path / "parts.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    return [(s.number, s.id, s.line) for s in parse_file(str(target)).sections]


def test_a_body_under_a_contents_title_is_read_as_the_parts(tmp_path):
    """A "目录" line right before the parts themselves, each with sub-headings and text: the
    parts, where they stand (a sentence is no sub-entry)."""
    lines, sections = _seed_lines()
    at = sections[0].line - 1
    made = [*lines[:at], "目录", *lines[at:]]
    assert _parts(made, tmp_path) == [(s.number, s.id, s.line + 1) for s in sections]


def test_a_skeleton_under_a_contents_title_not_headed_again_is_the_parts(tmp_path):
    """Parts with only short sub-headings under them ("（一）主动公开情况", "无") after a
    "目录" line, and never headed again: the report's parts, not a list."""
    lines = ["某镇2020年政府信息公开工作年度报告", "目录"]
    for index, title in enumerate(TITLES):
        lines += [f"{NUMERALS[index]}、{title}", "（一）主动公开情况", "无"]
    parts = _parts(lines, tmp_path)
    assert [n for n, _i, _l in parts] == list(NUMERALS)
    assert [line for _n, _i, line in parts] == [3 + 3 * k for k in range(6)]


def test_sub_entries_without_a_contents_title_are_no_list(tmp_path):
    """Without a "目录" line, headings with short lines between them followed by the parts
    again are not guessed to be a list: read as written (GX-STR-003 says so)."""
    lines, sections = _seed_lines()
    at = sections[0].line - 1
    listing = [line for k, t in enumerate(TITLES) for line in (f"{NUMERALS[k]}、{t}", "（一）某项工作")]
    report = _audit([*lines[:at], *listing, "", *lines[at:]], tmp_path)
    assert [f["rule"] for f in report["findings"] if f["rule"] == "GX-STR-003"]


def test_a_sentence_between_entries_under_a_contents_title_is_no_list(tmp_path):
    """Under "目录", a sentence between two headings ends the run: three entries before it
    are too few, so the headings are read as written."""
    lines, sections = _seed_lines()
    at = sections[0].line - 1
    listing = [
        "目录",
        "一、总体情况",
        "二、主动公开政府信息情况",
        "本年度，我镇认真贯彻落实条例。",
        "三、收到和处理政府信息公开申请情况",
    ]
    parts = _parts([*lines[:at], *listing, *lines[at:]], tmp_path)
    assert [n for n, _i, _l in parts][:3] == ["一", "二", "三"]
    assert parts[0][2] == at + 2
