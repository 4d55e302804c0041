"""Part headings written otherwise than "三、收到和处理政府信息公开申请情况" alone on its line:
numbered "（三）", "(三)", "三 ", "三，", or followed on the same line by the part's text
("一、总体情况 本机关…"). Each is the same part as the usual heading, with the same
findings: never "缺少第三部分" for a part that is there (grammar.parse_loose_heading).

Variants made here of the seeds and of the corpus's text reports, every part heading
rewritten in each style; and the lines that must stay what they are: part 一's sub-items
that name another part in its variant words ("（二）主动公开情况"), a sentence that
starts with a part's title ("一、总体情况良好。"), a table row "三、本年度办理结果".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS, audit_to_json, generated_reports

from gxaudit.parse.document import parse_file
from gxaudit.parse.scan import part_heading

STYLES = {
    "full_paren": lambda n, title, _text: f"（{n}）{title}",
    "ascii_paren": lambda n, title, _text: f"({n}) {title}",
    "space": lambda n, title, _text: f"{n} {title}",
    "comma": lambda n, title, _text: f"{n}，{title}",
    "inline": lambda n, title, text: f"{n}、{title} {text}",
    "inline_colon": lambda n, title, text: f"{n}、{title}：{text}",
}


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
    for report in after["reports"]:
        stem = Path(report["path"]).stem.rsplit(".", 1)[0]
        assert sorted(f["rule"] for f in report["findings"]) == rules[stem], report["path"]


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
    assert not [f for f in report["findings"] if f["rule"].startswith("GX-STR")], report["findings"]
