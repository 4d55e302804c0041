"""Table two's block headings written otherwise: "第二十条第一项" (no brackets), "第20条第(1)项",
"第20条第1项", "第二十条 第（一）项", "《条例》第二十条第（一）项". Each is the block it names:
the report reads as with "第二十条第（一）项" (the whole table two was lost: 表二缺少… for
every block). A sentence that cites the article ("根据《条例》第二十条第（一）项的规定，…")
is no heading: it opened an empty block, and the real one was "重复出现，已忽略".

Variants made here from the tab-row seeds, generated text and web-page reports.
"""

from __future__ import annotations

import re

import pytest
from conftest import audit_to_json, generated_reports, tab_row_reports

from gxaudit.formats import grammar

_HEADING = re.compile(r"第二十条第[（(]([一二三四五六七八九十]+)[）)]项")
_ARABIC = {n: str(i) for i, n in enumerate("一二三四五六七八九十", start=1)}
WRITINGS = [
    lambda n: f"第二十条第{n}项",
    lambda n: f"第20条第({_ARABIC[n]})项",
    lambda n: f"第20条第{_ARABIC[n]}项",
    lambda n: f"第二十条 第（{n}）项",
    lambda n: f"《条例》第二十条第（{n}）项",
    lambda n: f"《中华人民共和国政府信息公开条例》第二十条第（{n}）项",
    lambda n: f"**第二十条第（{n}）项**",
]
CITING = "根据《条例》第二十条第（一）项的规定，本机关主动公开了规章和规范性文件。"


def _findings(document: dict) -> dict[str, set[tuple]]:
    return {
        r["path"]: {(f["rule"], f["location"].get("line"), f["message"]) for f in r["findings"]}
        for r in document["reports"]
    }


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    text = tab_row_reports(tmp_path_factory, 8, 81)
    pages = sorted(generated_reports(tmp_path_factory.mktemp("pages"), 6, 82, "html").glob("*.html"))
    files = [p for p in text + pages if _HEADING.search(p.read_text(encoding="utf-8"))]
    assert len(files) >= 10
    return files, _findings(audit_to_json(files, tmp_path_factory.mktemp("before") / "before.json"))


def test_block_headings_written_otherwise_are_the_blocks(originals, tmp_path):
    files, before = originals
    made = []
    for index, path in enumerate(files):
        writing = WRITINGS[index % len(WRITINGS)]
        text = _HEADING.sub(lambda m, w=writing: w(m.group(1)), path.read_text(encoding="utf-8"))
        target = tmp_path / f"{path.stem}.w{index % len(WRITINGS)}{path.suffix}"
        target.write_text(text, encoding="utf-8")
        made.append((path, target))
    after = _findings(audit_to_json([t for _p, t in made], tmp_path / "after.json"))
    for path, target in made:
        assert after[str(target)] == before[str(path)], target.name


def test_a_sentence_citing_the_article_is_no_heading(originals, tmp_path):
    files, before = originals
    made = []
    for path in files:
        if path.suffix != ".txt":
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        # the first paragraph of prose after the first part heading: the sentence added to it
        at = next(i for i, line in enumerate(lines) if line.startswith("一、"))
        at = next(i for i in range(at + 1, len(lines)) if len(lines[i]) > 30 and "\t" not in lines[i])
        lines[at] += CITING
        target = tmp_path / f"{path.stem}.cites.txt"
        target.write_text("\n".join(lines), encoding="utf-8")
        made.append((path, target))
    assert len(made) >= 8
    after = _findings(audit_to_json([t for _p, t in made], tmp_path / "after.json"))
    for path, target in made:
        assert after[str(target)] == before[str(path)], target.name


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("第二十条第（一）项", "一"),
        ("第20条第(5)项", "五"),
        ("第二十条第八项", "八"),
        ("第 20 条 第 9 项", "九"),
        ("政府信息公开条例第二十条第（六）项", "六"),
        (CITING, None),
        ("第二十一条第（一）项", None),
        ("《中华人民共和国政府信息公开条例》第二十条第（一）项", "一"),
        ("第二十条第（一）项：主动公开规章情况", "一"),
        ("1. 第二十条第（五）项", "五"),
        ("按照《条例》第二十条第一项规定：", None),
        ("第十二条第（一）项", None),
    ],
)
def test_block_heading_item(text, item):
    assert grammar.block_heading_item(text) == item


def test_a_heading_and_its_header_on_one_line_and_a_citing_line_before_the_table(originals, tmp_path):
    """ "第二十条第（一）项\t信息内容\t本年制发件数…" (heading and header in one row) opens the
    block; "按照《条例》第二十条第一项规定：" on the line before the table does not."""
    files, before = originals
    made = []
    for path in files:
        if path.suffix != ".txt":
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        at = next(i for i, line in enumerate(lines) if _HEADING.match(line.strip()))
        header = lines[at + 1]
        if not header.startswith("信息内容"):
            continue
        joined = lines[:at] + [lines[at].rstrip("\t") + "\t" + header, ""] + lines[at + 2 :]
        target = tmp_path / f"{path.stem}.joined.txt"
        target.write_text("\n".join(joined), encoding="utf-8")
        made.append((path, target, "joined"))
        prose = lines[: at - 1] + ["按照《条例》第二十条第一项规定："] + lines[at:]
        target = tmp_path / f"{path.stem}.prose.txt"
        target.write_text("\n".join(prose), encoding="utf-8")
        made.append((path, target, "prose"))
    assert len(made) >= 8
    after = _findings(audit_to_json([t for _p, t, _k in made], tmp_path / "after.json"))
    for path, target, _kind in made:
        # the same lines: a line replaced by one, or a blank line by one
        assert {(r, m) for r, _l, m in after[str(target)]} == {(r, m) for r, _l, m in before[str(path)]}, (
            target.name
        )
