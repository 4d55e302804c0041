"""Digit runs: the values after a label, cut into chunks at white space, and split into cells."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from gxaudit.formats.load import common

# Bound of the split enumeration of one run (the real strings are far below it).
MAX_SPLITS_PER_ROW = 5000

# ------------------------------------------------------------------ digit runs


@functools.lru_cache(maxsize=1)
def money_units() -> tuple[str, ...]:
    return tuple(sorted(common()["cells"]["units"], key=len, reverse=True))


@dataclass
class Chunk:
    """A piece of a digit run between white space: sign, digits, decimals/unit, or a dash."""

    sign: str = ""
    digits: str = ""
    tail: str = ""  # ".52元": belongs to the last cell cut from the digits
    dash: str = ""

    @property
    def raw(self) -> str:
        return self.dash or (self.sign + self.digits + self.tail)


@functools.cache
def _value_pattern(money: bool, words: bool) -> re.Pattern[str]:
    """A value: a number (signed, with decimals and a unit where money is allowed) or a dash."""
    units = "|".join(re.escape(u) for u in money_units())
    dashes = [d for d in common()["cells"]["dash"] if words or not re.search(r"\w", d)]
    dash_re = "|".join(re.escape(d) for d in sorted(dashes, key=len, reverse=True))
    if money:
        number = rf"([+\-]?)([0-9]+)((?:\.[0-9]+)?(?:{units})?)"
    else:
        number = r"()([0-9]+)()"
    return re.compile(rf"\s*(?:{number}|({dash_re}))")


def value_chunks(
    original: str, folded: str, pos: int, end: int, *, money: bool = True, words: bool = True
) -> tuple[list[Chunk], int]:
    """The value chunks from `pos`, up to the first text that is not a value; and where
    they end. For tables three and four (money=False, words=False) only digits and
    dash symbols are values."""
    pattern = _value_pattern(money, words)
    chunks: list[Chunk] = []
    last_end = pos
    while pos < end:
        m = pattern.match(folded, pos, end)
        if not m or m.end() == m.start() or not (m.group(2) or m.group(4)):
            break
        if m.group(2) is not None and m.group(2):
            s2, e2 = m.span(2)
            chunks.append(
                Chunk(
                    sign=original[m.start(1) : m.end(1)],
                    digits=original[s2:e2],
                    tail=original[m.start(3) : m.end(3)],
                )
            )
        else:  # a dash cell ("-262" was taken as a signed number above)
            chunks.append(Chunk(dash=original[m.start(4) : m.end(4)]))
        pos = last_end = m.end()
    return chunks, last_end


def split_run(
    chunks: list[Chunk],
    k: int,
    cell_ok: Callable[[int, str], bool],
    prefix_ok: Callable[[list[str], bool], bool],
    limit: int = MAX_SPLITS_PER_ROW,
) -> tuple[list[tuple[str, ...]], bool]:
    """Every way to cut the chunks into k cells (a cell never spans chunks; no
    leading zeros except "0"), each cell accepted by `cell_ok(index, text)`, each
    prefix and the whole accepted by `prefix_ok(cells, complete)`. Returns the
    splits and whether the search stopped at `limit`."""
    n = len(chunks)
    capacity = [0] * (n + 1)  # most cells the chunks from i on can give
    for i in range(n - 1, -1, -1):
        capacity[i] = capacity[i + 1] + (1 if chunks[i].dash else len(chunks[i].digits))
    out: list[tuple[str, ...]] = []
    cells: list[str] = []
    stopped = False

    def rec(ci: int, pos: int) -> None:
        nonlocal stopped
        if len(out) >= limit:
            stopped = True
            return
        if ci == n:
            if len(cells) == k and prefix_ok(cells, True):
                out.append(tuple(cells))
            return
        chunk = chunks[ci]
        left_after = k - len(cells) - 1
        if chunk.dash:
            if not (n - ci - 1 <= left_after <= capacity[ci + 1]):
                return
            if cell_ok(len(cells), chunk.dash):
                cells.append(chunk.dash)
                if prefix_ok(cells, False):
                    rec(ci + 1, 0)
                cells.pop()
            return
        digits = chunk.digits
        for length in range(1, len(digits) - pos + 1):
            piece = digits[pos : pos + length]
            if length > 1 and piece[0] == "0":
                break
            stop = pos + length
            last = stop == len(digits)
            low = n - ci - 1 if last else n - ci
            high = capacity[ci + 1] + (len(digits) - stop)
            if not (low <= left_after <= high):
                continue
            text = (chunk.sign if pos == 0 else "") + piece + (chunk.tail if last else "")
            if not cell_ok(len(cells), text):
                continue
            cells.append(text)
            if prefix_ok(cells, False):
                rec(ci + 1, 0) if last else rec(ci, stop)
            cells.pop()

    rec(0, 0)
    return out, stopped


def to_int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def count_ok(_index: int, text: str) -> bool:
    """A table-three/four cell: a count (digits) or a dash."""
    return text.isdigit() or not any(ch.isdigit() for ch in text)


def no_prefix(_cells: list[str], _complete: bool) -> bool:
    return True


def sum_ok(values: list[int | None], total: int | None) -> bool:
    if total is None or any(v is None for v in values):
        return True  # a dash: the sum cannot be checked
    return sum(values) == total  # type: ignore[arg-type]


@dataclass
class Run:
    start: int
    end: int
    chunks: list[Chunk]

    @property
    def raw(self) -> str:
        return " ".join(c.raw for c in self.chunks)


def find_runs(text: str, folded: str, start: int, end: int) -> list[Run]:
    """Digit runs (digits and dash symbols, white space between) in text[start:end],
    without the enumerator digit a run ends with ("00000002.其他法律…": the 2 is the
    next label's)."""
    runs: list[Run] = []
    chunk_start = re.compile(r"[0-9/／—–]")
    pos = start
    while (m := chunk_start.search(folded, pos, end)) is not None:
        chunks, run_end = value_chunks(text, folded, m.start(), end, money=False, words=False)
        if not chunks:
            pos = m.start() + 1
            continue
        if chunks[-1].digits and re.match(r"[.．、][^0-9]", folded[run_end : run_end + 2]):
            # the label after the run starts with an enumerator ("2." "2、"): not a value
            chunks[-1].digits = chunks[-1].digits[:-1]
            run_end -= 1
            if not chunks[-1].digits:
                chunks.pop()
            while run_end > m.start() and folded[run_end - 1].isspace():
                run_end -= 1
        if chunks:
            runs.append(Run(m.start(), run_end, chunks))
        pos = max(run_end, m.start() + 1) if chunks else run_end + 1
    return runs
