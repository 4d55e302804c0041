"""The share of a text copied from another (a report against last year's)."""

from __future__ import annotations

import re

from gxaudit.formats.text import fold
from gxaudit.regex import on_use

_SPLIT = on_use(r"[。！？!?；;\r\n]+")
_YEAR = on_use(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _normalise_sentence(sentence: str) -> str:
    text = re.sub(r"\s+", "", fold(sentence))
    return _YEAR.sub("#", text)


def copied_share(current: str, previous: str, min_chars: int = 12) -> tuple[float, list[str]]:
    """The share (by characters) of `current`'s sentences found word for word in `previous`.

    Sentences end at 。！？； and at line breaks; they are compared without
    spaces, with full-width ASCII folded, and with every year (19xx, 20xx)
    replaced by one placeholder, so "2023年…" and "2024年…" compare equal.
    Sentences shorter than `min_chars` (after normalising) are ignored. Returns
    the share (0.0 when the current text has no sentence long enough) and up to
    five copied sentences, as written in `current`.
    """
    seen = {_normalise_sentence(s) for s in _SPLIT.split(previous or "")}
    total = copied = 0
    examples: list[str] = []
    for sentence in _SPLIT.split(current or ""):
        key = _normalise_sentence(sentence)
        if len(key) < min_chars:
            continue
        total += len(key)
        if key in seen:
            copied += len(key)
            shown = sentence.strip()
            if len(examples) < 5 and shown not in examples:
                examples.append(shown)
    return (copied / total if total else 0.0), examples
