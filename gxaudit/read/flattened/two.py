"""Table two of a flattened page: 第二十条 blocks, rows found by their labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gxaudit.formats.grammar import block_item
from gxaudit.formats.load import BlockSpec, Format, Label, common, format_for_year, load_formats
from gxaudit.formats.text import match_key
from gxaudit.read.flattened.figures import agreeing, stated
from gxaudit.read.flattened.model import AMBIGUOUS, INFERRED, UNSATISFIABLE, Cell, Out
from gxaudit.read.flattened.runs import Chunk, no_prefix, split_run, value_chunks
from gxaudit.read.flattened.text import WS, bare, find_all, loose, split_words

# ------------------------------------------------------------------ table two


def block_heading_re() -> re.Pattern[str]:
    return re.compile(common()["proactive"]["block_heading"])


def block_headings(folded: str, start: int, end: int | None = None) -> list[re.Match[str]]:
    """The block headings of a flattened page from `start`: only those with the item in
    brackets (第二十条第（一）项, 第20条第(1)项). A page run together has no cells to tell a
    heading from a sentence citing the article, and "第二十条第一项" is mostly the latter."""
    found = block_heading_re().finditer(folded, start, len(folded) if end is None else end)
    return [m for m in found if m["bare"] is None]


@dataclass
class Context:
    year: int | None
    out: Out
    text: str = ""  # the whole page, for figures its prose states


def _spec_for(item: str, header: list[str], year: int | None) -> BlockSpec | None:
    """The block spec whose column labels the header names; else the year's format."""
    candidates: list[tuple[Format, BlockSpec]] = [
        (f, b) for f in load_formats().values() for b in f.blocks if b.item == item
    ]
    if not candidates:
        return None
    keys = [match_key(h) for h in header]

    def score(spec: BlockSpec) -> int:
        total = 0
        for key in keys:
            for column in spec.columns:
                if match_key(column.label) == key:
                    total += 2
                elif any(match_key(v) == key for v in column.variants):
                    total += 1
        return total

    scores = [(score(b), f, b) for f, b in candidates]
    best = max(s for s, _, _ in scores)
    leaders = [(f, b) for s, f, b in scores if s == best]
    fitting = format_for_year(year) if year is not None else None
    if len(leaders) > 1 and fitting is not None:
        for f, b in leaders:
            if f.id == fitting.id:
                return b
    return leaders[-1][1]


def table_two(text: str, folded: str, start: int, ctx: Context) -> int:
    """Write table two from the first block heading at `start`; return where it ends."""
    heads = block_headings(folded, start)
    out = ctx.out
    end_of_table = start
    for index, head in enumerate(heads):
        block_end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        item = block_item(head)
        specs = [b for f in load_formats().values() for b in f.blocks if b.item == item]
        out.text(text[head.start() : head.end()])
        pos = head.end()
        marker = re.match(r"\s*" + loose(common()["proactive"]["header_marker"]), folded[pos:block_end])
        header_cells: list[str] = []
        if marker:
            header_cells.append(text[pos : pos + marker.end()].strip())
            pos += marker.end()
        rows = find_all(folded, [(t, r) for s in specs for r in s.rows for t in r.texts], pos, block_end)
        first_row = rows[0][0] if rows else block_end
        column_words = [t for s in specs for c in s.columns for t in c.texts]
        header_cells += split_words(text[pos:first_row], column_words)
        spec = _spec_for(item, header_cells, ctx.year)
        if header_cells:
            out.row([Cell(c) for c in header_cells])
        end_of_table = first_row
        if spec is None:
            continue
        for r_index, (r_start, r_end, row_label) in enumerate(rows):
            next_start = rows[r_index + 1][0] if r_index + 1 < len(rows) else block_end
            chunks, value_end = value_chunks(text, folded, r_end, next_start)
            label_text = text[r_start:r_end]
            cells = _resolve_simple(label_text, chunks, spec, row_label.id, item, ctx.text)  # type: ignore[attr-defined]
            leftover = text[value_end:next_start].strip()
            last_block = index + 1 == len(heads)
            if leftover and not last_block:
                cells.append(Cell(leftover))  # not a value: left for the parser to flag
                value_end = next_start
            out.row([Cell(WS.sub("", label_text))] + cells)
            end_of_table = value_end
            if leftover and last_block:
                break  # prose after the table
    return end_of_table


def _resolve_simple(
    label: str, chunks: list[Chunk], spec: BlockSpec, row_id: str, item: str, page: str = ""
) -> list[Cell]:
    """The cells of a table-two row: no sums to use; the shape of each column, and figures
    the report's text states about the row."""
    columns = spec.columns
    k = len(columns)
    raw = " ".join(c.raw for c in chunks)
    ids = {"table": "proactive", "block": spec.id, "row": row_id}
    if not chunks or (len(chunks) == k and all(c.one_cell for c in chunks)):
        cells = [Cell(c.raw) for c in chunks]
        return cells

    def cell_ok(index: int, text: str) -> bool:
        column = columns[index]
        if text[:1] in "+-＋－" and not column.get("signed"):
            return False
        return not ("." in text and not column.get("money"))

    label_key = bare(label)
    where = f"表二第二十条第（{item}）项‘{label_key}’一行"
    if sum(c.fewest_cells for c in chunks) > k:
        splits: list[tuple[str, ...]] = []
        stopped = False
    else:
        splits, stopped = split_run(chunks, k, cell_ok, no_prefix)
    if len(splits) == 1:
        reason = f"{where}的数字串“{raw}”拆成 {k} 个单元格只有 1 种读法（不带前导零{_shape_note(columns)}）"
        ids["decided_by"] = "单元格格式（不带前导零）"
        return [Cell(v, (v, INFERRED, reason, {**ids, "cell": c.id})) for v, c in zip(splits[0], columns)]
    figures = stated(page, spec, row_id) if len(splits) > 1 and not stopped else {}
    agree = agreeing(splits, [c.id for c in columns], figures)
    if len(agree) == 1:
        told = "、".join(f"{c.label}{figures[c.id]}" for c in columns if c.id in figures)
        reason = (
            f"{where}的数字串“{raw}”有 {len(splits)} 种拆成 {k} 个单元格的读法，"
            f"只有 1 种与正文所述数字（{told}）一致"
        )
        ids["decided_by"] = f"正文所述数字（{told}）"
        return [Cell(v, (v, INFERRED, reason, {**ids, "cell": c.id})) for v, c in zip(agree[0], columns)]
    if splits:
        count = f"至少 {len(splits)}" if stopped else f"{len(splits)}"
        reason = (
            f"{where}的数字串“{raw}”有 {count} 种拆成 {k} 个单元格的读法"
            f"（如 {'、'.join('/'.join(s) for s in splits[:3])}），该栏目没有合计关系可用来确定，"
            f"数值未填"
        )
        status = AMBIGUOUS
    else:
        reason = (
            f"{where}的数字串“{raw}”无法拆成 {k} 个符合该栏格式的单元格"
            f"（{len(chunks)} 段，不带前导零{_shape_note(columns)}），数值未填"
        )
        status = UNSATISFIABLE
    return [Cell("", (raw, status, reason, {**ids, "cell": c.id})) for c in columns]


def _shape_note(columns: tuple[Label, ...]) -> str:
    notes = []
    if not any(c.get("signed") for c in columns):
        notes.append("不带正负号")
    if not any(c.get("money") for c in columns):
        notes.append("不带小数")
    return "、" + "、".join(notes) if notes else ""
