"""Table four of a flattened page: fifteen counts after the header."""

from __future__ import annotations

import re

from gxaudit.formats.load import common, format_for_year, load_formats
from gxaudit.read.flattened.model import Cell
from gxaudit.read.flattened.runs import sum_ok, to_int, value_chunks
from gxaudit.read.flattened.solve import Unit, instances, solve, unit_cells
from gxaudit.read.flattened.text import loose, split_words
from gxaudit.read.flattened.two import Context

# ------------------------------------------------------------------ table four


def table_four_start(folded: str, start: int, end: int) -> int | None:
    for m in re.finditer(loose("行政复议"), folded[:end]):
        if m.start() < start:
            continue
        window = folded[m.start() : min(end, m.start() + 120)]
        first_digit = re.search(r"[0-9]", window)
        if re.search(loose("结果维持"), window[: first_digit.start() if first_digit else None]):
            return m.start()
    return None


def _values_start(folded: str, start: int, end: int, header_words: list[str]) -> int:
    """Where the counts after the header start: the first digit, or a run of dashes before
    it (every cell written "—") that no header word follows ("行政诉讼——未经复议直接起诉"
    is the header's); `end` if neither."""
    digit = re.search(r"[0-9]", folded[start:end])
    first_digit = start + digit.start() if digit else end
    header_word = re.compile(r"\s*(?:" + "|".join(loose(w) for w in header_words) + ")")
    for dash in re.finditer(r"[—\-/\\]", folded[start:first_digit]):
        at = start + dash.start()
        _chunks, run_end = value_chunks(folded, folded, at, first_digit, money=False, words=False)
        if run_end > at and not header_word.match(folded, run_end, end):
            return at
    return first_digit


def table_four(text: str, folded: str, start: int, end: int, ctx: Context) -> int:
    out = ctx.out
    config = common()["review_litigation"]
    blocks = [b["id"] for b in config["blocks"]]
    columns = [c["id"] for c in config["columns"]]
    width = len(blocks) * len(columns)
    header_end = _values_start(folded, start, end, config["header_cells"])
    header = split_words(text[start:header_end], config["header_cells"])
    out.row([Cell(c) for c in header])
    if header_end == end:
        return end
    chunks, value_end = value_chunks(text, folded, header_end, end, money=False, words=False)
    if not chunks:
        out.row([])
        return value_end
    per = len(columns)

    def blocks_hold(cells: list[str], _complete: bool) -> bool:
        """Each finished block's total holds (prunes the search of long runs)."""
        if len(cells) % per:
            return True
        values = [to_int(c) for c in cells[-per:]]
        return sum_ok(values[:-1], values[-1])

    unit = Unit(
        where=f"表四的数字串“{' '.join(c.raw for c in chunks)}”",
        keys=[(b, c) for b in blocks for c in columns],
        chunks=chunks,
        prune=blocks_hold,
    )
    fmt = format_for_year(ctx.year) if ctx.year is not None else None
    fmt = fmt or list(load_formats().values())[-1]
    identities = [i for i in fmt.identities if i.table == "review_litigation"]
    block_labels = {b["id"]: b["label"] for b in config["blocks"]}
    found = instances(identities, blocks, columns, lambda _each, key: f"“{block_labels[key]}”一栏")
    solve([unit], found, width)
    out.row(unit_cells(unit, lambda key: {"table": "review_litigation", "block": key[0], "cell": key[1]}))
    return value_end
