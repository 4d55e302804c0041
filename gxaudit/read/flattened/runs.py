"""Digit runs: the values after a label, cut into chunks at white space, and split into cells."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from gxaudit.formats import grammar
from gxaudit.formats.load import common
from gxaudit.formats.text import fold
from gxaudit.regex import on_use

# Bound of the split enumeration of one run (the real strings are far below it).
MAX_SPLITS_PER_ROW = 5000

# ------------------------------------------------------------------ digit runs


@functools.lru_cache(maxsize=1)
def money_units() -> tuple[str, ...]:
    return tuple(sorted(common()["cells"]["units"], key=len, reverse=True))


# a thousands separator inside a run: a comma between a digit and three digits, read as
# the cells of tab and HTML tables read it ("1,234" is one number)
_THOUSANDS = on_use(grammar.THOUSANDS)
_SEPARATOR = on_use(r"[,，]")


def in_thousands(text: str) -> bool:
    """A count written in thousands, without a leading zero: "1,234", "12，345,678"."""
    return text[:1] != "0" and _THOUSANDS.fullmatch(fold(text)) is not None


@dataclass
class Chunk:
    """A piece of a digit run between white space: sign, digits, decimals/unit, or a dash.

    `digits` may hold commas ("1,234000001,234"): thousands separators, a cell holding one
    takes exactly three digits after it. `dash` is a run of dash symbols without white space
    ("—————"), one cell or several (`dash_readings`)."""

    sign: str = ""
    digits: str = ""
    tail: str = ""  # ".52元": belongs to the last cell cut from the digits
    dash: str = ""

    @property
    def raw(self) -> str:
        return self.dash or (self.sign + self.digits + self.tail)

    @property
    def grouped(self) -> bool:
        """The digits hold a thousands separator."""
        return _SEPARATOR.search(self.digits) is not None

    @property
    def fewest_cells(self) -> int:
        return min(dash_readings(self.dash)) if self.dash else 1

    @property
    def most_cells(self) -> int:
        """The most cells the chunk can give (for grouped digits, an upper bound)."""
        if self.dash:
            return max(dash_readings(self.dash))
        separators = len(_SEPARATOR.findall(self.digits))
        # each separator and its three digits join a cell
        return max(len(self.digits) - 4 * separators, 1)

    @property
    def one_cell(self) -> bool:
        """The chunk read as a single cell is a cell's shape."""
        if self.dash:
            return 1 in dash_readings(self.dash)
        return not self.grouped or in_thousands(self.digits)


@functools.cache
def _dash_words() -> tuple[str, ...]:
    return tuple(sorted(common()["cells"]["dash"], key=len, reverse=True))


@functools.lru_cache(maxsize=1024)
def dash_readings(run: str) -> dict[int, tuple[str, ...]]:
    """The ways to read a run of dash symbols written without white space as cells, one per
    number of cells: "——" is one cell or two, "—————" three to five. Every cut gives dash
    cells only, so the cells a reading has are all that tell readings apart."""
    folded = fold(run)
    # readings[i]: the readings of folded[i:], by number of cells
    readings: list[dict[int, tuple[str, ...]]] = [{} for _ in range(len(run))] + [{0: ()}]
    for i in range(len(run) - 1, -1, -1):
        for word in _dash_words():
            if folded.startswith(word, i):
                for count, rest in readings[i + len(word)].items():
                    readings[i].setdefault(count + 1, (run[i : i + len(word)], *rest))
    return readings[0]


@functools.cache
def _value_pattern(money: bool, words: bool) -> re.Pattern[str]:
    """A value: a number (signed, with decimals and a unit where money is allowed; with
    thousands separators) or a run of dashes."""
    units = "|".join(re.escape(u) for u in money_units())
    dashes = [d for d in common()["cells"]["dash"] if words or not re.search(r"\w", d)]
    dash_re = "|".join(re.escape(d) for d in sorted(dashes, key=len, reverse=True))
    # "1,234000001,234": a comma between digits stays in the run, read only as a thousands
    # separator by the split (a row "1,23 0 …" is unreadable, not a cell "1" and a cell ",")
    digits = r"[0-9]+(?:,[0-9]+)*"
    if money:
        number = rf"([+\-]?)({digits})((?:\.[0-9]+)?(?:{units})?)"
        # a dash run does not take the sign of a number after it ("—-262")
        dash_run = rf"(?:(?![+\-][0-9])(?:{dash_re}))+"
    else:
        number = rf"()({digits})()"
        dash_run = rf"(?:{dash_re})+"
    return re.compile(rf"\s*(?:{number}|({dash_run}))")


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
        else:  # a dash run ("-262" was taken as a signed number above)
            chunks.append(Chunk(dash=original[m.start(4) : m.end(4)]))
        pos = last_end = m.end()
    return chunks, last_end


def _cell_piece(piece: str) -> bool:
    """A piece of grouped digits that can be a cell: a thousands separator only inside
    "1,234" (three digits after each, none at an end; so no cell starts after one)."""
    return _SEPARATOR.search(piece) is None or in_thousands(piece)


def split_run(
    chunks: list[Chunk],
    k: int,
    cell_ok: Callable[[int, str], bool],
    prefix_ok: Callable[[list[str], bool], bool],
    limit: int = MAX_SPLITS_PER_ROW,
) -> tuple[list[tuple[str, ...]], bool]:
    """Every way to cut the chunks into k cells (a cell never spans chunks; no
    leading zeros except "0"; a dash run cut into one or more dash cells), each cell
    accepted by `cell_ok(index, text)`, each prefix and the whole accepted by
    `prefix_ok(cells, complete)`. Returns the splits and whether the search stopped
    at `limit`."""
    n = len(chunks)
    fewest = [0] * (n + 1)  # fewest and most cells the chunks from i on can give
    most = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        fewest[i] = fewest[i + 1] + chunks[i].fewest_cells
        most[i] = most[i + 1] + chunks[i].most_cells
    out: list[tuple[str, ...]] = []
    cells: list[str] = []
    stopped = False

    def take(pieces: tuple[str, ...]) -> int:
        """Append the pieces as cells while each is accepted with the cells before it; how
        many were appended (all of them: go on)."""
        added = 0
        for piece in pieces:
            if not cell_ok(len(cells), piece):
                break
            cells.append(piece)
            added += 1
            if not prefix_ok(cells, False):
                break
        return added

    # rec() calls itself once a cell, and no other function between: the depth of a long
    # run (a table's rows read as one unit: 175 cells) stays in the interpreter's limit
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
        if chunk.dash:
            for count, dashes in dash_readings(chunk.dash).items():
                if fewest[ci + 1] <= k - len(cells) - count <= most[ci + 1]:
                    added = take(dashes)
                    if added == count and prefix_ok(cells, False):
                        rec(ci + 1, 0)
                    del cells[len(cells) - added :]
            return
        left_after = k - len(cells) - 1
        digits, grouped = chunk.digits, chunk.grouped
        for length in range(1, len(digits) - pos + 1):
            piece = digits[pos : pos + length]
            if length > 1 and piece[0] == "0":
                break
            if grouped and not _cell_piece(piece):
                continue
            stop = pos + length
            last = stop == len(digits)
            low = fewest[ci + 1] if last else fewest[ci + 1] + 1
            high = most[ci + 1] + (len(digits) - stop)
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


def count_digits(text: str) -> str:
    """A count's digits without its thousands separators ("1,234" → "1234")."""
    if "," not in text and "，" not in text:  # the usual cell: nothing to do
        return text
    return _SEPARATOR.sub("", text) if in_thousands(text) else text


def to_int(text: str) -> int | None:
    text = count_digits(text)
    return int(text) if text.isdigit() else None


def count_ok(_index: int, text: str) -> bool:
    """A table-three/four cell: a count (digits, maybe in thousands) or a dash."""
    return count_digits(text).isdigit() or not any(ch.isdigit() for ch in text)


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
