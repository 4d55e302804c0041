"""The text functions remember short texts only (formats/text.py): labels, cells and headings
repeat across reports; whole lines of prose seldom do, and keeping them made a worker's memory
grow for tens of thousands of reports. What they return does not depend on the cache."""

from __future__ import annotations

import pytest
from conftest import SEEDS

from gxaudit.formats import grammar
from gxaudit.formats.text import _CACHED_TEXT, fold, match_key, remembered_when_short, squeeze


def _lines():
    for path in sorted(SEEDS.glob("*.txt")):
        yield from path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("function", [fold, squeeze, match_key])
def test_only_short_texts_are_remembered(function):
    function.cache_clear()
    lines = list(_lines())
    long_lines = [line for line in lines if len(line) > _CACHED_TEXT]
    short_lines = {line for line in lines if len(line) <= _CACHED_TEXT}
    assert long_lines and short_lines  # the seeds have both
    for line in long_lines:
        function(line)
    assert function.cache_info().currsize == 0
    for line in short_lines:
        function(line)
    assert function.cache_info().currsize == len(short_lines)


@pytest.mark.parametrize("function", [fold, squeeze, match_key])
def test_results_do_not_depend_on_the_cache(function):
    plain = function.__wrapped__
    for line in _lines():
        for text in (line, line[:_CACHED_TEXT], line[: _CACHED_TEXT + 1]):
            assert function(text) == plain(text)
            assert function(text) == plain(text)  # remembered or not, the same


def test_remembered_when_short_reads_a_long_text_each_time():
    calls = []

    @remembered_when_short(4, maxsize=8)
    def read(text: str) -> int:
        calls.append(text)
        return len(text)

    assert [read("一二三四"), read("一二三四"), read("一二三四五"), read("一二三四五")] == [4, 4, 5, 5]
    assert calls == ["一二三四", "一二三四五", "一二三四五"]


def test_strip_enumerator_keeps_nothing_between_calls():
    assert grammar.strip_enumerator("（三）主动公开") == grammar.strip_enumerator("三、主动公开") == "主动公开"
    assert not hasattr(grammar.strip_enumerator, "cache_info")
