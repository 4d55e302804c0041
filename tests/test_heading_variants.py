"""Part headings written otherwise than "三、收到和处理政府信息公开申请情况" alone on its line:
numbered "（三）", "(三)", "三 ", "三，", "第三部分", "3、", "3.", "三､" (U+FF64), in bold
("**三、…**", a PDF converter's Markdown), or followed on the same line by the part's text
("一、总体情况 本机关…"). Each is the same part as the usual heading, with the same
findings: never "缺少第三部分" for a part that is there (grammar.parse_loose_heading), and
a note (GX-STR-009) where the numbering is not the format's "三、".

Variants made here of the seeds and of the corpus's text reports, every part heading
rewritten in each style; and the lines that must stay what they are: part 一's sub-items
that name another part in its variant words ("（二）主动公开情况"), a sentence that
starts with a part's title ("一、总体情况良好。"), a table row "三、本年度办理结果".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS, audit_to_json, generated_reports

from gxaudit.formats.grammar import NUMERAL_VALUE
from gxaudit.parse.document import parse_file
from gxaudit.parse.scan import part_heading

STYLES = {
    "full_paren": lambda n, title, _text: f"（{n}）{title}",
    "ascii_paren": lambda n, title, _text: f"({n}) {title}",
    "space": lambda n, title, _text: f"{n} {title}",
    "comma": lambda n, title, _text: f"{n}，{title}",
    "inline": lambda n, title, text: f"{n}、{title} {text}",
    "inline_colon": lambda n, title, text: f"{n}、{title}：{text}",
    "chapter": lambda n, title, _text: f"第{n}部分 {title}",
    "chapter_colon": lambda n, title, _text: f"第{n}部分：{title}",
    "arabic": lambda n, title, _text: f"{NUMERAL_VALUE[n]}、{title}",
    "arabic_dot": lambda n, title, _text: f"{NUMERAL_VALUE[n]}.{title}",
    "arabic_fullwidth": lambda n, title, _text: f"{chr(0xFF10 + NUMERAL_VALUE[n])}．{title}",
    "halfwidth_comma": lambda n, title, _text: f"{n}､{title}",
    "bold": lambda n, title, _text: f"**{n}、{title}**",
    "bold_chapter": lambda n, title, _text: f"**第{n}部分 {title}**",
}
# numbered as the format numbers the parts ("三、"; "三､" is the same comma, half-width): no note
FORMAT_NUMBERING = {"inline", "inline_colon", "halfwidth_comma", "bold"}


def _usual_files(made: Path) -> list[Path]:
    """Text reports whose six parts are headed the usual way, each with its title alone:
    of the seeds, the corpus and generated reports (`made`)."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt")) + sorted(made.glob("*.txt")):
        report = parse_file(str(path))
        if report.lines != path.read_text(encoding="utf-8").split("\n"):
            continue  # read otherwise (a flattened page): its lines are not the file's
        parts = [s for s in report.sections if s.id and not s.variant]
        if len(parts) == 6 and len({s.number for s in parts}) == 6:
            found.append(path)
    return found


def _rewrite(path: Path, style: str) -> tuple[str, set[int]]:
    """The report with each part heading written in `style` (inline: the part's first line
    of text moved up onto the heading's line), and the headings' lines that got text."""
    lines = path.read_text(encoding="utf-8").split("\n")
    inline = set()
    for section in parse_file(str(path)).sections:
        if not section.id:
            continue
        text = ""
        if style.startswith("inline") and section.body_lines:
            first, text = section.body_lines[0]
            text = text.strip()
            if text and lines[first - 1].strip() == text:
                lines[first - 1] = ""  # moved onto the heading's line (the line stays: positions hold)
                inline.add(section.line)
            else:
                text = ""
        if style.startswith("inline") and not text:
            continue  # nothing to move up: the heading stays as it was
        lines[section.line - 1] = STYLES[style](section.number, section.heading, text)
    return "\n".join(lines), inline


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    out = tmp_path_factory.mktemp("headings")
    made = []
    files = _usual_files(generated_reports(tmp_path_factory.mktemp("made"), 12, 7, "text,cells"))
    assert len(files) >= 10, files
    for path in files:
        for style in STYLES:
            target = out / f"{path.stem}.{style}.txt"
            text, inline = _rewrite(path, style)
            target.write_text(text, encoding="utf-8")
            made.append((path, target, style, inline))
    return made


def _parts_headed(path: Path) -> int:
    return sum(1 for s in parse_file(str(path)).sections if s.id)


def test_every_part_is_found_under_each_way_of_writing_its_heading(variants):
    moved = 0
    for original, variant, style, inline in variants:
        before = [(s.number, s.id, s.line) for s in parse_file(str(original)).sections]
        after = parse_file(str(variant))
        assert [(s.number, s.id, s.line) for s in after.sections] == before, (variant.name, style)
        # the text on the heading's line is the part's own
        assert {s.line for s in after.sections if s.body_lines and s.body_lines[0][0] == s.line} == inline
        moved += len(inline)
    assert moved > 50


def test_the_same_findings_under_each_way_of_writing_the_headings(variants, tmp_path):
    originals = sorted({o for o, _v, _s, _i in variants})
    before = audit_to_json(originals, tmp_path / "before.json")
    after = audit_to_json([v for _o, v, _s, _i in variants], tmp_path / "after.json")
    rules = {Path(r["path"]).stem: sorted(f["rule"] for f in r["findings"]) for r in before["reports"]}
    assert any(rules.values())  # the reports' own findings are there to compare
    originals_of = {v.name: o for o, v, _s, _i in variants}
    noted = 0
    for report in after["reports"]:
        path = Path(report["path"])
        stem, style = path.stem.rsplit(".", 1)
        found = sorted(f["rule"] for f in report["findings"])
        notes = [f for f in report["findings"] if f["rule"] == "GX-STR-009"]
        # a note for each part numbered otherwise, nothing else changed
        expected = 0 if style in FORMAT_NUMBERING else _parts_headed(originals_of[path.name])
        assert len(notes) == expected, (report["path"], notes)
        assert [r for r in found if r != "GX-STR-009"] == rules[stem], report["path"]
        noted += len(notes)
    assert noted > 100


@pytest.mark.parametrize(
    "line",
    [
        "（二）主动公开情况",  # a sub-item of part 一, in part 二's variant words
        "（一）主动公开政府信息情况",  # part 二's title under the numeral of part 一: a sub-item
        "（三）依申请公开办理情况",
        "一、总体情况良好，各项工作有序推进，全年主动公开政府信息1200条，依申请公开办理及时规范，未发生复议诉讼。",
        "一是主动公开政府信息情况良好",
        "三、本年度办理结果",
        "（三）不予公开",
        "三、收到和处理政府信息公开申请情况\t1\t2",  # a table's cells
    ],
)
def test_lines_that_are_not_part_headings_stay_so(line):
    assert part_heading(line) is None


def test_a_sub_item_named_like_a_part_is_not_a_second_part(tmp_path):
    """Parts headed "（一）…（六）" and, inside part 一, the sub-items "（二）主动公开情况"
    and "（二）主动公开政府信息情况" (usual in 总体情况): one part 二, no GX-STR-003."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    lines = _rewrite(seed, "full_paren")[0].split("\n")
    overview = next(s for s in parse_file(str(seed)).sections if s.id == "overview")
    lines[overview.line] = "（二）主动公开情况"  # the blank line after the heading
    target = tmp_path / "sub_items.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    sections = parse_file(str(target)).sections
    assert [s.number for s in sections if s.id] == ["一", "二", "三", "四", "五", "六"]
    report = audit_to_json([target], tmp_path / "r.json")["reports"][0]
    structure = [f["rule"] for f in report["findings"] if f["rule"].startswith("GX-STR")]
    assert structure == ["GX-STR-009"] * 6, report["findings"]  # numbered "（N）": a note each


ITEMS = {
    # part 一's items numbered with digits, in part 二's and 三's variant words, by their numbers
    "variant_words": ["1.加强组织领导", "2.主动公开情况", "3.依申请公开情况"],
    # … and in their own words
    "own_words": ["1、加强组织领导", "2、主动公开政府信息情况", "3、收到和处理政府信息公开申请情况"],
}


@pytest.mark.parametrize("items", sorted(ITEMS))
@pytest.mark.parametrize("style", ["usual", "full_paren", "chapter", "arabic", "arabic_dot", "bold"])
def test_items_numbered_with_digits_are_never_parts(style, items, tmp_path):
    """Part 一's items "1.…" "2.主动公开情况" "3.…", on lines of their own, in a report whose
    parts are headed in `style`: never a part. Where the parts are numbered with digits too
    and an item is in a part's own words, the part and the item cannot be told apart: that
    part has no heading rather than the item's."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    lines = (_rewrite(seed, style)[0] if style != "usual" else seed.read_text(encoding="utf-8")).split("\n")
    overview = next(s for s in parse_file(str(seed)).sections if s.id == "overview")
    lines[overview.line : overview.line] = ITEMS[items]
    target = tmp_path / f"{style}.{items}.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    item_lines = set(range(overview.line + 1, overview.line + 1 + len(ITEMS[items])))
    after = parse_file(str(target)).sections
    assert not [s for s in after if s.line in item_lines], (style, items)
    expected = ["一", "二", "三", "四", "五", "六"]
    if style.startswith("arabic") and items == "own_words":
        expected = ["一", "四", "五", "六"]
    assert [s.number for s in after if s.id] == expected
    assert all(item in after[0].text for item in ITEMS[items])


def test_a_lone_item_numbered_with_a_digit_is_no_part(tmp_path):
    """Part 二's heading left out, "2、主动公开政府信息情况" an item of part 一: part 二 has
    no heading (GX-STR-001), the item stays part 一's text."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    lines = seed.read_text(encoding="utf-8").split("\n")
    sections = parse_file(str(seed)).sections
    two = next(s for s in sections if s.number == "二")
    lines[two.line - 1] = ""
    lines[sections[0].line] = "2、主动公开政府信息情况"  # the blank line after part 一's heading
    target = tmp_path / "lone.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    assert [s.number for s in parse_file(str(target)).sections] == ["一", "三", "四", "五", "六"]


@pytest.mark.parametrize(
    "line, number, numbering",
    [
        ("第一部分 总体情况", "一", "第一部分"),
        ("第三部分：收到和处理政府信息公开申请情况", "三", "第三部分"),
        ("第二部分、主动公开情况", "二", "第二部分"),
        ("**第五部分 存在的主要问题及改进情况**", "五", "第五部分"),
        ("1、总体情况", "一", "1、"),
        ("6.其他需要报告的事项", "六", "6."),
        ("４．政府信息公开行政复议、行政诉讼情况", "四", "４．"),
        ("（三）收到和处理政府信息公开申请情况", "三", "（三）"),
        ("一､总体情况", "一", ""),
        ("**一、总体情况**", "一", ""),
        ("__二、主动公开政府信息情况__", "二", ""),
        ("**三、收到和处理政府信息公开申请情况。**", "三", ""),
    ],
)
def test_part_headings_written_otherwise(line, number, numbering):
    heading = part_heading(line)
    assert heading is not None and heading.number == number and heading.numbering == numbering
    assert "*" not in heading.text and "_" not in heading.text and "部分" not in heading.text


@pytest.mark.parametrize(
    "line",
    [
        "1.主动公开政府信息情况",  # part 二's title under number 1: an item of part 一
        "2.依申请公开情况",
        "1.总体情况：本年度我局认真贯彻落实《条例》。",  # a digit and text after the title: an item
        "1、总体情况良好",
        "7、其他需要报告的事项",
        "第一部分总体情况良好，各项工作有序推进。",
        "第七部分 其他需要报告的事项",
        "3、收到和处理政府信息公开申请情况\t1",
        "2021.主动公开政府信息情况",
    ],
)
def test_lines_numbered_with_digits_that_are_not_part_headings(line):
    assert part_heading(line) is None


def test_a_pdf_converters_bold_title_and_headings(tmp_path):
    """"**…年度报告**" and "**一、总体情况**" in a text file (a PDF converter's Markdown
    without a table or a "#"): the title and the parts, the seed's findings (none)."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    lines = _rewrite(seed, "bold")[0].split("\n")
    report = parse_file(str(seed))
    lines[report.title_line - 1] = f"**{lines[report.title_line - 1].strip()}**"
    target = tmp_path / "bold.txt"
    target.write_text("\n".join(lines), encoding="utf-8")
    after = parse_file(str(target))
    assert (after.title, after.organ, after.year) == (report.title, report.organ, report.year)
    assert [(s.number, s.id, s.heading) for s in after.sections] == [
        (s.number, s.id, s.heading) for s in report.sections
    ]
    assert audit_to_json([target], tmp_path / "r.json")["reports"][0]["findings"] == []
