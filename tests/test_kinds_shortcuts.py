"""The kinds' shortcuts give what the long way gives.

* grammar.year_mentions tries its pattern only before each 年, where a scan of the
  whole text finds the same mentions;
* mentions.prepare asks each line once what joining it needs (remembered for a short
  line), and gives the line of a character from where each line starts;
* vocabulary.approximate searches its words only where a character next to the figure
  may be one of theirs;
* figures.extract_figures finds the sentence of a count, and the clause end after it, again
  only past the last ones found (a token holds no sentence mark);
"""

from __future__ import annotations

import random
import re

import pytest
from conftest import generated_reports, sample_reports

from gxaudit.formats import grammar
from gxaudit.formats.text import fold
from gxaudit.parse.document import parse_file
from gxaudit.rules.narrative import mentions
from gxaudit.rules.narrative import vocabulary as V


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list:
    """The seeds, the corpus, reports/ and 60 generated reports, parsed."""
    made = generated_reports(tmp_path_factory.mktemp("made"), 60, 26)
    parsed = []
    for path in sample_reports(made):
        try:
            parsed.append(parse_file(path))
        except Exception:  # not a report (the samples hold a few): nothing to compare
            continue
    return parsed


@pytest.fixture(scope="module")
def lines(reports) -> list[str]:
    """Every line of the reports."""
    return [line for report in reports for line in report.lines]


def _altered(lines: list[str], seed: int, count: int) -> list[str]:
    """Lines cut, joined and with the characters that matter put in at random."""
    rng = random.Random(seed)
    pieces = list("0123456789年度 \u3000\t\n〔〕[](（）一二〇零○三九十《》较至截转月日") + [
        "2020",
        "二〇二一",
        "年度",
    ]
    out = []
    for _ in range(count):
        line = rng.choice(lines)
        cut = rng.randint(0, len(line))
        line = line[:cut] + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) + line[cut:]
        out.append(line + rng.choice(lines)[: rng.randint(0, 20)])
    return out


def _year_mentions_long_way(text: str) -> list[tuple[int, int, int]]:
    """grammar.year_mentions as it was: a scan of the whole text (the specification)."""
    return [
        (int(m["year"]) if m["year"] else grammar.digits_one_by_one(m["written"]), m.start(), m.end())
        for m in grammar._YEAR_MENTION.re.finditer(fold(text))
    ]


def test_year_mentions_are_those_of_a_scan_of_the_whole_text(lines):
    rng = random.Random(7)
    alphabet = list("2019年度 一二〇零○三九\u3000\t\n〔[(0１２２０年度年")
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    texts = lines + _altered(lines, 3, 20000) + made
    assert sum(bool(_year_mentions_long_way(t)) for t in texts) > 1000
    for text in texts:
        assert grammar.year_mentions(text) == _year_mentions_long_way(text), text


def _prepare_long_way(lines: list[tuple[int, str]]) -> tuple[str, str, list[int]]:
    """mentions.prepare as it was (the specification): every test made of the lines joined,
    the line of every character listed."""
    folded: list[str] = []
    written: list[str] = []
    where: list[int] = []
    previous = ""
    for line_no, raw in lines:
        line = fold(raw)
        keep = [i for i, f in enumerate(line) if not f.isspace()]
        text, as_written = "".join(line[i] for i in keep), "".join(raw[i] for i in keep)
        if not text:
            continue
        if (
            folded
            and not mentions._CONTINUES.match(text)
            and (
                previous[-1] in mentions._SENTENCE_ENDS
                or mentions._HEADING_START.match(text)
                or mentions._HEADING_START.match(previous)
                or len(previous) <= 12
            )
        ):
            folded.append("\n")
            written.append("\n")
            where.append(where[-1])
        folded.append(text)
        written.append(as_written)
        where.extend([line_no] * len(text))
        previous = text
    return "".join(folded), "".join(written), where


def test_prepared_texts_are_those_of_every_test_made(reports, lines):
    bodies = [section.body_lines for report in reports for section in report.sections]
    rng = random.Random(13)
    altered = _altered(lines, 17, 6000) + ["", " ", "（一）", "1.", "件，", "十二、", "短行"]
    for _ in range(3000):
        count = rng.randint(0, 8)
        bodies.append([(rng.randint(1, 900), rng.choice(altered)) for _ in range(count)])
    joined = 0
    for body in bodies:
        text, written, where = mentions.prepare(body)
        expected = _prepare_long_way(body)
        assert (text, written) == expected[:2], body
        assert [where[i] for i in range(len(text))] == expected[2], body
        joined += "\n" not in text and len(body) > 1
    assert joined > 100


def _approximate_long_way(text: str, start: int, end: int) -> bool:
    """vocabulary.approximate as it was (the specification): every pattern searched."""
    if V._APPROX_BEFORE.search(text, max(0, start - 3), start) or V._APPROX_AFTER.match(text, end):
        return True
    return text[start - 1 : start] == "上" and text[start : start + 1] in "百千万"


def test_approximate_figures_are_those_every_search_finds(lines):
    rng = random.Random(19)
    words = [
        "大约",
        "约",
        "将近",
        "接近",
        "近",
        "超过",
        "超",
        "逾",
        "不足",
        "不到",
        "不少于",
        "不超过",
        "至少",
    ]
    words += ["最多", "左右", "上下", "以上", "以下", "之多", "上", "\n", "，", "收到"]
    made = []
    for _ in range(20000):
        number = rng.choice(["170件", "百件", "3个", "千件", "12%"])
        made.append(rng.choice(words) + rng.choice(["", "\n", " "]) + number + rng.choice(words))
    texts = [fold(line) for line in lines] + _altered(lines, 23, 10000) + made
    approximate = 0
    for text in texts:
        for m in V.NUMBER.finditer(text):
            expected = _approximate_long_way(text, m.start(), m.end())
            approximate += expected
            assert V.approximate(text, m.start(), m.end()) == expected, (text, m.span())
    assert approximate > 1000


def test_a_number_token_holds_no_sentence_mark(lines):
    """What extract_figures' sentence look-ups rely on."""
    rng = random.Random(29)
    alphabet = list("0123456789,.%件条个余多百分之十二三点零\n。；;!?！？，")
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 20))) for _ in range(20000)]
    for text in [fold(line) for line in lines] + made:
        for m in V.NUMBER.finditer(text):
            assert not set(m.group()) & set(V.SENTENCE_END), text


def test_number_tokens_after_a_skip_are_those_of_number(lines):
    """extract_figures reads NUMBER's tokens from NUMBER_AFTER_SKIP (each after the run of
    characters that start none): the same tokens, spans and groups, in order."""
    rng = random.Random(31)
    alphabet = list("0123456789,.%件条个余多百分之千万十二三点零〇两\n。，：的收到申请年a ٣३") + [
        "百分之",
        "12件",
    ]
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(20000)]
    texts = [fold(line) for line in lines] + _altered(lines, 37, 10000) + made
    tokens = 0
    for text in texts:
        expected = [(m.span(), m.lastgroup, m.groupdict()) for m in V.NUMBER.finditer(text)]
        found = []
        for m in V.NUMBER_AFTER_SKIP.finditer(text):
            if m.lastgroup is None:
                assert m.end() == len(text)  # only the characters after the last token
                continue
            groups = m.groupdict()
            assert groups.pop("at") == ""
            found.append(((m.start("at"), m.end()), m.lastgroup, groups))
        assert found == expected, text
        tokens += len(found)
    assert tokens > 50000


def test_a_claim_hint_is_found_where_one_of_its_words_stands(lines):
    """claims._HINT (a character set first) finds a hint in a text, or in a part of it, where
    one of the words stands."""
    from gxaudit.rules.narrative import claims

    words = re.compile(r"(?:[未没无零〇均都皆已]|为0|全部|全数|悉数|一律|维持|纠|败诉|结案|审结|不存在|空白)")
    rng = random.Random(41)
    alphabet = list("未没无零〇均都皆已为全悉一维纠败结审不空0部数律持诉案结存在白的。") + ["不存在", "为0"]
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    texts = [fold(line) for line in lines] + _altered(lines, 43, 10000) + made
    found = 0
    for text in texts:
        for lo, hi in ((0, len(text)), (len(text) // 3, len(text) - 1), (1, len(text) // 2)):
            expected = words.search(text, lo, hi) is not None
            assert (claims._HINT.search(text, lo, hi) is not None) == expected, (text, lo, hi)
            found += expected
    assert found > 10000


def test_fold_is_the_table_of_every_character(lines):
    """formats.text.fold replaces each kind of character that folds (str.replace): the same
    text as the table applied to every character (str.translate), same length."""
    from gxaudit.formats import text as T

    rng = random.Random(47)
    alphabet = [chr(c) for c in T._FOLD_SAME_WIDTH] + list("，。、（）：；０１２abc 中文\n\t") + ["\U0001f600"]
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(20000)]
    for text in lines + _altered(lines, 53, 10000) + made + ["", "a", "".join(alphabet)]:
        expected = text.translate(T._FOLD_SAME_WIDTH)
        assert T.fold.__wrapped__(text) == expected, text
        assert T.fold(text) == expected and len(expected) == len(text)
