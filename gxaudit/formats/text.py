"""Normalising text for matching, without moving any character.

The parser keeps every raw line for positions and raw cell text; matching is
done on a folded copy in which full-width ASCII becomes half-width one
character for one character, so a column in the folded line is the same
column in the raw line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TypeVar

from gxaudit.regex import on_use

T = TypeVar("T")

_FOLD: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update(
    {
        0x3000: 0x20,
        0x00A0: 0x20,
        0x2002: 0x20,
        0x2003: 0x20,
        0x200B: None,
        0xFEFF: None,
        0x3010: ord("["),
        0x3011: ord("]"),
        # the minus sign and the en dash Word writes for it ("−2", "–3" in 本年增/减):
        # a minus, as "-" and "－" are; alone, a dash cell, as "-" is
        0x2212: ord("-"),
        0x2013: ord("-"),
        # the half-width ideographic comma and full stop ("一､总体情况"): the comma and the
        # full stop every other text writes
        0xFF64: 0x3001,
        0xFF61: 0x3002,
    }
)
# zero-width characters are removed, which would shift columns: replace by a space instead
_FOLD_SAME_WIDTH = dict(_FOLD)
_FOLD_SAME_WIDTH.update({0x200B: 0x20, 0xFEFF: 0x20})

_SPACE = on_use(r"\s+")
_PUNCT = on_use(r"[\s()\[\]:：,，.。、;；\"'“”‘’《》<>·•_\-—/]+")


# Bounded caches: labels and short cells repeat across lines and reports; a
# bound keeps memory flat over a batch of any size.
# str.translate looks every character up in the table; a regular expression finds the few
# that fold, and each of them (a line holds a few kinds: "，", "（", "）", "：") is replaced
# with str.replace (3x faster than translate on the report's lines; a replacement called
# for each character found cost twice the instructions). No character folds into one that
# folds again: the order of the replacements changes nothing.
_FOLDED = {chr(k): chr(v) for k, v in _FOLD_SAME_WIDTH.items() if v is not None}
_FOLDABLE = on_use("[" + re.escape("".join(_FOLDED)) + "]")


def remembered_when_short(longest: int, maxsize: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """A function of a text, remembered (an lru_cache of `maxsize`) for texts of at most
    `longest` characters: labels, headings and set phrases repeat across reports. A longer
    text (a paragraph of a PDF or a web page) is worked out each time: it seldom repeats,
    and the cache would keep whole paragraphs."""

    def wrap(read: Callable[[str], T]) -> Callable[[str], T]:
        cached = functools.lru_cache(maxsize=maxsize)(read)

        @functools.wraps(read)
        def remembered(text: str) -> T:
            return cached(text) if len(text) <= longest else read(text)

        remembered.cache_info = cached.cache_info  # type: ignore[attr-defined]
        remembered.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return remembered

    return wrap


# The longest text fold, squeeze and match_key remember: labels, cells, headings and the
# template's set sentences are shorter and repeat across reports; a paragraph of a PDF or a
# web page seldom repeats, and remembering every text kept up to 16,384 whole lines a cache,
# filling over tens of thousands of reports (a worker's memory grew for as long). 4,096
# texts each. Measured over the generated set: at most 160 characters, the caches hold
# 15.6 MiB at 2,500 reports and 23.2 at 20,000 (at most 64: 15.2 and 22.9), and a report
# costs 1.6 % fewer instructions than at 64 (repeated long lines found again).
_CACHED_TEXT = 160


@remembered_when_short(_CACHED_TEXT, maxsize=4096)
def fold(text: str) -> str:
    """Full-width to half-width, same length as the input."""
    if text.isascii():
        return text
    for folds in set(_FOLDABLE.findall(text)):
        text = text.replace(folds, _FOLDED[folds])
    return text


def split_lines(text: str) -> list[str]:
    """Lines of a text, whatever the line endings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


@remembered_when_short(_CACHED_TEXT, maxsize=4096)
def squeeze(text: str) -> str:
    """Folded text with all white space removed (for label matching)."""
    return _SPACE.sub("", fold(text))


@remembered_when_short(_CACHED_TEXT, maxsize=4096)
def match_key(text: str) -> str:
    """Folded text without white space and punctuation: the key labels are compared on."""
    return _PUNCT.sub("", fold(text))
