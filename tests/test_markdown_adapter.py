"""Markdown adapter: 014 (PDF extracted to Markdown) against hand-read values,
plain Markdown renderings of the seeds, and fragmented tables built from them.

The expected values of 014 live in ``golden_markdown.py`` (read from the
file by a person, not produced by the adapter).
"""
from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import CORPUS, SEEDS  # noqa: E402
from golden_markdown import GOLDEN  # noqa: E402
from test_golden_seeds import TABLE_DEPTH, compare_table  # noqa: E402

from gxaudit.formats import grammar  # noqa: E402
from gxaudit.read.markdown import (  # noqa: E402
    convert_markdown, looks_like_markdown, markdown_to_text)
from gxaudit.formats.text import split_lines, squeeze  # noqa: E402
from gxaudit.parse.document import parse_text  # noqa: E402

MD_014 = "014_shanghai_kewei_2024_pdf2md.md"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


@functools.lru_cache(maxsize=None)
def _source(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def _converted(name: str):
    return convert_markdown(_source(name))


@functools.lru_cache(maxsize=None)
def _document(name: str) -> dict:
    return parse_text(_converted(name).text, name, input_kind="markdown").to_dict()


# ------------------------------------------------------------------ helpers

def _without_positions(value):
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if k not in ("line", "column")}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    return value


# ------------------------------------------------------------- 014, golden

FIELDS = [
    "title",
    "organ",
    "year",
    "format",
]


@pytest.mark.parametrize("field", FIELDS)
def test_014_metadata(field):
    expected = GOLDEN[MD_014][field]
    actual = _document(MD_014).get(field)
    assert actual == expected and type(actual) is type(expected), f"{field}: expected {expected!r}, got {actual!r}"


def test_014_headings_keep_their_markdown_lines():
    expected = GOLDEN[MD_014]["headings"]
    actual = [(s["number"], s["heading"], s["line"]) for s in _document(MD_014)["sections"]]
    assert actual == expected


@pytest.mark.parametrize("table_id", list(TABLE_DEPTH))
def test_014_table(table_id):
    compare_table(MD_014, table_id, GOLDEN[MD_014][table_id], _document(MD_014)["tables"])


def test_014_golden_is_complete():
    g = GOLDEN[MD_014]
    assert list(g["proactive"]) == ["item1", "item5", "item6", "item8"]
    assert len(g["applications"]) == 25
    assert all(len(cols) == 7 for cols in g["applications"].values())
    assert sum(len(b) for b in g["review_litigation"].values()) == 15


def test_014_unplaced_content_is_reported():
    unplaced = [(n.line, re.search(r"“(.*)”", n.message).group(1)) for n in _converted(MD_014).unplaced]
    assert unplaced == GOLDEN[MD_014]["unplaced"]


def test_014_lines_outside_tables_keep_their_numbers():
    source = split_lines(_source(MD_014))
    converted = split_lines(_converted(MD_014).text)
    assert len(converted) == len(source)
    for number in (1, 2, 3, 13, 73, 91, 180, 192, 205, 207):
        assert converted[number - 1] == source[number - 1].lstrip("# ")


def test_014_rebuilt_tables_read_as_rows():
    lines = split_lines(_converted(MD_014).text)
    assert "信息内容\t本年制发件数\t本年废止件数\t现行有效件数" in lines
    assert "行政许可\t97" in lines
    assert "信息内容\t本年收费金额（单位：万元）" in lines          # written as in the source
    assert "三、本年度办理结果\t（一）予以公开\t9\t0\t0\t0\t0\t0\t9" in lines
    assert ("（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
            "\t8\t2\t0\t0\t0\t0\t10") in lines
    assert "2.没有现成信息需要另行制作\t6\t0\t0\t0\t0\t0\t6" in lines
    assert "1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0" in lines
    assert not any(line.startswith("#") or "|" in line for line in lines)


def test_014_rebuilt_tables_two_and_three_read_cleanly():
    """No diagnostic inside tables two and three (l.73-179).  (Today the parser's one
    diagnostic is l.192: （一）主要问题 follows table four without a part heading and
    is read as a 16th cell of it.)"""
    diagnostics = _document(MD_014)["diagnostics"]
    assert not [d for d in diagnostics if 73 <= d["line"] < 180], diagnostics


# ------------------------------------------------------------ generic Markdown

def test_pipe_table_headings_and_emphasis():
    md = "\n".join([
        "# **2020年某镇政府信息公开工作年度报告**",
        "",
        "## 一、总体情况",
        "",
        "本镇认真落实*条例*要求，详见[网站](http://example.gov.cn/a_b)。",
        "",
        "| 信息内容 | 本年新制作数量 | 本年新公开数量 |",
        "|:---|---:|:---:|",
        "| 规章 | 0 | 0 |",
        "| 规范性文件 | 1 |  |",
        "| a \\| b | `2` | 3<br>万元 |",
    ])
    assert looks_like_markdown(md)
    lines = split_lines(markdown_to_text(md))
    assert lines[:9] == [
        "2020年某镇政府信息公开工作年度报告", "", "一、总体情况", "",
        "本镇认真落实条例要求，详见网站。", "",
        "信息内容\t本年新制作数量\t本年新公开数量", "", "规章\t0\t0"]
    assert lines[9] == "规范性文件\t1\t"
    assert lines[10] == "a | b\t2\t3 万元"


def test_rows_without_outer_pipes():
    md = "信息内容 | 本年制发件数\n--- | ---\n规章 | 0\n"
    assert split_lines(markdown_to_text(md))[:3] == ["信息内容\t本年制发件数", "", "规章\t0"]


def test_grid_table_rows_are_joined():
    md = "\n".join([
        "## 二、主动公开政府信息情况",
        "+----------+--------+--------+",
        "| 信息内容 | 本年新 | 本年新 |",
        "|          | 制作数量 | 公开数量 |",
        "+==========+========+========+",
        "| 规章     | 0      | 0      |",
        "+----------+--------+--------+",
        "| 规范性   | 12     | 3      |",
        "| 文件     |        |        |",
        "+----------+--------+--------+",
    ])
    lines = split_lines(markdown_to_text(md))
    assert [l for l in lines if l] == ["二、主动公开政府信息情况", "信息内容\t本年新制作数量\t本年新公开数量",
                                       "规章\t0\t0", "规范性文件\t12\t3"]
    assert len(lines) == len(split_lines(md))


def test_html_table_inside_markdown():
    md = "\n".join([
        "## 四、政府信息公开行政复议、行政诉讼情况",
        "<table><tr><td colspan=\"2\">行政复议</td><td>行政诉讼</td></tr>",
        "<tr><td>1</td><td>0</td><td>2</td></tr></table>",
        "## 五、存在的主要问题及改进情况",
    ])
    assert [l for l in split_lines(markdown_to_text(md)) if l] == [
        "四、政府信息公开行政复议、行政诉讼情况", "行政复议\t\t行政诉讼", "1\t0\t2", "五、存在的主要问题及改进情况"]


@pytest.mark.parametrize("name", SEED_FILES)
def test_plain_text_is_not_markdown(name):
    assert not looks_like_markdown((SEEDS / name).read_text(encoding="utf-8"))


def test_html_is_not_markdown():
    assert not looks_like_markdown("<!DOCTYPE html><html><body><h1># 标题</h1>\n# a\n# b</body></html>")


def test_014_is_markdown():
    assert looks_like_markdown(_source(MD_014))


def test_page_footer_lines_are_dropped():
    md = ("| 规章 | 0 |\n|---|---|\n- 3 -\n| 规范性文件 | 5 |\n\n12\n\n| 行政许可 | 7 |\n"
          "第 4 页 共 9 页\n正文继续。")
    result = convert_markdown(md)
    assert [l for l in split_lines(result.text) if l] == [
        "规章\t0", "规范性文件\t5", "行政许可\t7", "正文继续。"]
    assert {n.message for n in result.notes} >= {"页眉页脚“- 3 -”已删除", "页眉页脚“12”已删除"}
    assert len(split_lines(result.text)) == len(split_lines(md))


# ------------------------------------------------------ the seeds as Markdown

def seed_to_markdown(text: str) -> str:
    """A seed as plain Markdown: part headings as ##, each block of tab rows a pipe table."""
    out: list[str] = []
    block: list[list[str]] = []

    def flush() -> None:
        if not block:
            return
        width = max(len(r) for r in block)
        for index, row in enumerate(block):
            cells = [c.replace("|", "\\|") for c in row] + [""] * (width - len(row))
            out.append("| " + " | ".join(cells) + " |")
            if index == 0:
                out.append("|" + "---|" * width)
        block.clear()

    for line in split_lines(text):
        if "\t" in line:
            block.append(line.split("\t"))
            continue
        flush()
        out.append("## " + line if grammar.parse_heading(line) else line)
    flush()
    return "\n".join(out)


def _compared(doc: dict) -> dict:
    doc = _without_positions(doc)
    return {k: doc[k] for k in ("title", "organ", "year", "format", "sections", "tables")}


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_as_markdown_parses_like_text(name):
    text = (SEEDS / name).read_text(encoding="utf-8")
    md = seed_to_markdown(text)
    assert looks_like_markdown(md)
    converted = convert_markdown(md)
    assert not converted.unplaced
    expected = _compared(parse_text(text, name).to_dict())
    actual = _compared(parse_text(converted.text, name + ".md").to_dict())
    for key in expected:
        assert actual[key] == expected[key], f"{name}: {key} differs"


# ------------------------------------------- fragmented tables built from seeds

def _fragmented_table_three(text: str, footer: bool) -> str:
    """Table three as a PDF extractor leaves it: rows whose label wraps lose it
    to loose lines between pipe fragments (wrapped every 9 characters, group
    label included), their numbers staying as label-less rows; captions and
    page footers between the fragments."""
    lines = split_lines(text)
    start = next(i for i, l in enumerate(lines) if grammar.parse_heading(l)
                 and grammar.parse_heading(l).number == "三")
    end = next(i for i, l in enumerate(lines) if i > start and grammar.parse_heading(l))
    rows = [l.split("\t") for l in lines[start + 1:end] if "\t" in l]
    first_data = next(i for i, r in enumerate(rows)
                      if any(c and grammar.opens_applications(c) for c in r))
    out = lines[:start + 1]
    header = rows[:first_data]
    width = max(len(r) for r in header)
    for index, row in enumerate(header):
        out.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")
        if index == 0:
            out.append("|" + "---|" * width)
    fragment: list[str] = []
    orphans = 0

    def close(chunk: list[str]) -> None:
        if fragment:
            out.append(fragment[0])
            out.append("|" + "---|" * (fragment[0].count("|") - 1))
            out.extend(fragment[1:])
            fragment.clear()
            if footer:                            # "- 3 -", "4", "第 5 页": the page's footer
                page = len(out) % 7 + 2
                out.extend(["", (f"- {page} -", f"{page}", f"第 {page} 页")[page % 3], ""])
                out.append("## 表三（续）")
        out.append("")
        out.extend(chunk)

    for row in rows[first_data:]:
        texts = [c for c in row if c.strip() and not grammar.is_value_text(c)]
        first_value = next(i for i, c in enumerate(row) if c.strip() and grammar.is_value_text(c))
        values = row[first_value:]
        while values and not values[-1].strip():
            values.pop()
        label = texts[-1]
        if len(squeeze(label)) > 10 and not grammar.opens_applications(label):
            loose = [t for t in texts]
            chunk = [piece for t in loose for piece in (t[i:i + 9] for i in range(0, len(t), 9))]
            orphans += 1
            if orphans % 2:                       # label lines before the numbers
                close(chunk)
                fragment.append("| " + " | ".join(values) + " |")
            else:                                 # label lines after the numbers
                fragment.append("| " + " | ".join(values) + " |")
                close(chunk)
        else:
            fragment.append("| " + " | ".join(row) + " |")
    close([])
    out.extend(lines[end:])
    return "\n".join(out)


@pytest.mark.parametrize("footer", [False, True], ids=["plain", "footers"])
@pytest.mark.parametrize("name", ["000_f29079d135fdfab1.txt", "002_44a23edc808f0eac.txt"])
def test_fragmented_table_three_is_rebuilt(name, footer):
    text = (SEEDS / name).read_text(encoding="utf-8")
    md = _fragmented_table_three(text, footer)
    assert md.count("|---|") > 5
    converted = convert_markdown(md)
    assert not converted.unplaced, converted.unplaced
    expected = _without_positions(parse_text(text, name).to_dict())["tables"]
    actual = _without_positions(parse_text(converted.text, name + ".md").to_dict())["tables"]
    for table_id in TABLE_DEPTH:
        assert actual[table_id] == expected[table_id], table_id
