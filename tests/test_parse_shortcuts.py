"""The parser's shortcuts (issue 10) read what the long way reads.

* a cell of ASCII digits is a value without the cell grammar;
* detect_format scores a text by a table made once per set of formats, not by a
  walk over every column of every format per text;
* label sets made once are matched by identity in the cache, with the same
  answers as plain tuples and lists.
"""

from __future__ import annotations

import contextlib
import random

import pytest
from conftest import CORPUS, SEEDS

from gxaudit.formats import grammar
from gxaudit.formats.load import load_formats
from gxaudit.formats.text import match_key
from gxaudit.parse import scan, tables
from gxaudit.parse.document import parse_file


@pytest.mark.parametrize("raw", ["0", "7", "12", " 345 ", "\t6", "0007", "9" * 19, "9" * 25, "  12  "])
def test_a_cell_of_digits_is_the_value_the_grammar_reads(raw):
    cell = scan._cell(raw, 3, 5)
    text = raw.strip()
    assert (cell.raw, cell.line, cell.column) == (text, 3, 5 + len(raw) - len(raw.lstrip()))
    assert grammar.is_value_text(text)
    assert cell == tables.make_cell(scan.Token(text, 3, cell.column, "value"))


def _scores_the_long_way(keys: list[str]) -> dict[str, int]:
    """detect_format's scores as they were computed before the table (the specification)."""
    formats = load_formats()
    scores = dict.fromkeys(formats, 0)
    for key in keys:
        for fid, fmt in formats.items():
            for block in fmt.blocks:
                for column in block.columns:
                    if match_key(column.label) == key:
                        scores[fid] += 2
                    elif any(match_key(v) == key for v in column.variants):
                        scores[fid] += 1
    return scores


def test_the_format_score_table_adds_what_the_walk_over_the_columns_added():
    formats = load_formats()
    texts = [
        text
        for fmt in formats.values()
        for block in fmt.blocks
        for column in block.columns
        for text in (column.label, *column.variants)
    ]
    texts += ["本年制发件数", "无关的文字", "", "现行有效件数", "处理决定数量"]
    points = tables._column_points(formats)
    for text in texts:
        key = match_key(text)
        assert {fid: points[fid].get(key, 0) for fid in formats} == _scores_the_long_way([key]), text
    rng = random.Random(5)
    for _ in range(200):
        keys = [match_key(rng.choice(texts)) for _ in range(rng.randint(1, 30))]
        expected = _scores_the_long_way(keys)
        assert {fid: sum(points[fid].get(k, 0) for k in keys) for fid in formats} == expected


def test_label_sets_match_as_tuples_do():
    rows = [r for fmt in load_formats().values() for b in fmt.blocks for r in b.rows]
    texts = [t for r in rows for t in (r.label, *r.variants)] + [
        "行政法规",
        "规 章",
        "其他对外管理服务事项",
        "无",
    ]
    once = grammar.LabelSet(rows)
    again = grammar.LabelSet(rows)
    assert once != again and once == once and hash(once) == id(once)  # identity, not content
    for text in texts:
        expected = grammar.match_label(text, list(rows))
        assert grammar.match_label(text, once) == expected == grammar.match_label(text, tuple(rows))


@pytest.mark.parametrize(
    "path", sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name
)
def test_reports_read_the_same_twice(path):
    """The caches made while reading one report do not change how the next one is read."""
    first = parse_file(path).to_dict()
    assert parse_file(path).to_dict() == first


def test_split_cells_makes_each_cell_as_the_general_path_does():
    # split_cells makes blank and digit cells in place (speed): each must equal what _cell
    # (through _blank, cell_at, Token) makes of the same text at the same column
    parts = [
        "",
        "12",
        " 345 ",
        "０７",
        "12件",
        "—",
        "9" * 30,
        "商业企业",
        "\u3000",
        "  ",
        "0007",
        "1,234",
        "",
    ]
    cells = scan.split_cells("\t".join(parts), 4)
    column = 1
    for part, cell in zip(parts, cells, strict=True):
        assert cell == scan._cell(part, 4, column), repr(part)
        column += len(part) + 1
    # a line longer than the cells the scanner remembers is read all the same
    prose = " 本机关" * 40 + "行政复议"
    assert scan._cell(prose, 9, 1) == scan.Token(prose.strip(), 9, 2, "text")


def test_what_is_made_per_format_is_made_once_per_format_object():
    # per_format remembers by the format object: the same object gives the same value,
    # another format (or the same loaded again) its own
    import copy

    from gxaudit.formats.load import load_formats
    from gxaudit.formats.model import per_format

    made = []

    @per_format
    def sections_of(fmt):
        made.append(fmt.id)
        return [s.id for s in fmt.sections]

    older, newer = load_formats()["2019"], load_formats()["2021"]
    assert sections_of(older) is sections_of(older) and made == ["2019"]
    assert sections_of(newer) == [s.id for s in newer.sections] and made == ["2019", "2021"]
    again = copy.deepcopy(older)
    again.sections = again.sections[:-1]  # loaded again, from another file: fewer parts
    assert sections_of(again) == [s.id for s in older.sections][:-1] and len(made) == 3


def test_a_text_is_remembered_only_when_short():
    # remembered_when_short: short texts worked out once, longer ones each time, the same answer
    from gxaudit.formats.text import remembered_when_short

    calls = []

    @remembered_when_short(10, maxsize=4)
    def shout(text):
        calls.append(text)
        return text.upper()

    assert [shout("short"), shout("short"), shout("a" * 11), shout("a" * 11)] == ["SHORT", "SHORT"] + [
        "A" * 11
    ] * 2
    assert calls == ["short", "a" * 11, "a" * 11]
    assert shout("x" * 10) == "X" * 10 and shout("x" * 10) and calls.count("x" * 10) == 1


def test_fold_replaces_exactly_what_the_table_maps():
    # fold finds the characters that fold by a regular expression instead of translating
    # every character: the same text, character for character, on the reports' lines and on
    # random texts mixing ASCII, CJK, full-width forms and the spaces and dashes it maps
    from gxaudit.formats.text import _FOLD_SAME_WIDTH, fold

    def by_table(text):
        return text.translate(_FOLD_SAME_WIDTH)

    lines = [
        line
        for path in [*sorted(SEEDS.glob("*.txt")), *sorted(CORPUS.glob("*.txt"))]
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    ]
    assert lines and any(by_table(line) != line for line in lines)
    pool = [chr(c) for c in (*range(0x20, 0x7F), *range(0x2000, 0x2020), 0x2212, 0x3000, 0x3001, 0x3010)]
    pool += [chr(c) for c in (*range(0xFF00, 0xFF70), 0xFEFF, 0x00A0, 0x4E00, 0x5E74)]
    rng = random.Random(7)
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    for text in lines + texts:
        assert fold.__wrapped__(text) == by_table(text)


def _may_be_heading_the_long_way(line: str) -> bool:
    """scan._may_be_heading as it was before its test of the line's last character (the
    specification): the first written character, then what stands after the last tab."""
    first = line.lstrip(scan._LEADING_SPACE)[:1]
    if not (first in scan._HEADING_STARTS or first.isspace()):
        return False
    tab = line.rfind("\t")
    return tab < 0 or not line[tab + 1 :].translate(scan._BLANK_AFTER_TAB).strip()


def test_the_heading_pre_test_reads_as_the_long_way(tmp_path):
    # a line with a tab whose last character is written is a row (False at once): the same
    # answer as the full test on every line of the samples, of generated reports in three
    # shapes, and of random alterations of them around tabs, blanks and emphasis
    from conftest import generated_reports, mutations, sample_reports

    from gxaudit.formats.text import split_lines
    from gxaudit.read.files import read_report_text

    generated_reports(tmp_path, 40, 9, "text,cells,html")
    lines = sorted(
        {line for path in sample_reports(tmp_path) for line in split_lines(read_report_text(path)[0])}
    )
    alphabet = ["\t", " ", "\u3000", "\u200b", "\ufeff", "*", "_", "0", "一", "、", "（", "x", "\u00a0"]
    altered = mutations([line for line in lines if line], random.Random(11), 20_000, alphabet)
    tabbed = 0
    for line in (
        lines + altered + ["", "\t", "一、总体情况\t", "一、总体情况\t**", "\t一、总体情况", "1、\t0"]
    ):
        assert scan._may_be_heading(line) == _may_be_heading_the_long_way(line), repr(line)
        tabbed += "\t" in line
    assert tabbed > 1_000


def _value_columns_the_long_way(segments, width):
    """tables._value_columns as it was (the specification): each cell's place counted in a
    dictionary of the lines, cell by cell."""
    from collections import Counter

    positions, on_line = {}, {}
    for seg in segments:
        for cell in (*seg.tokens, *seg.values):
            place = on_line.get(cell.line, 0)
            positions[id(cell)] = place
            on_line[cell.line] = place + 1
    starts = Counter()
    for seg in segments:
        filled = seg.filled
        if seg.label is not None and len(filled) == width and filled[0].line == filled[-1].line:
            starts[positions[id(filled[0])]] += 1
    if not starts:
        return positions, 0
    start, rows = starts.most_common(1)[0]
    return positions, (start if rows >= 3 and rows * 2 > sum(starts.values()) else 0)


def test_the_places_of_cells_on_their_lines_are_counted_as_the_long_way(tmp_path, monkeypatch):
    # _value_columns counts a line's cells while the cells stay on it (most do), the same
    # places as a dictionary of every line: on every call made reading the samples and
    # generated reports, and on segments whose cells go back and forth between lines
    from conftest import generated_reports, sample_reports

    fast = tables._value_columns
    calls = []

    def both(segments, width):
        calls.append(1)
        found = fast(segments, width)
        assert found == _value_columns_the_long_way(segments, width)
        return found

    monkeypatch.setattr(tables, "_value_columns", both)
    generated_reports(tmp_path, 40, 13, "text,cells,html")
    for path in sample_reports(tmp_path):
        # a file that is no report: its reading is not what is tested here
        with contextlib.suppress(Exception):
            parse_file(path)
    assert calls
    rng = random.Random(3)
    for _ in range(300):
        segments = []
        for _ in range(rng.randint(1, 8)):
            cells = [scan.Token("x", rng.randint(0, 4), 1, "text") for _ in range(rng.randint(0, 5))]
            seg = tables._Segment(None if rng.random() < 0.2 else object(), cells[:1])
            seg.values = cells[1:]
            segments.append(seg)
        width = rng.randint(1, 4)
        assert fast(segments, width) == _value_columns_the_long_way(segments, width)
