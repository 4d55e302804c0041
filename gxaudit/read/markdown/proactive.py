"""Table two in fragments: rows under the wrong 第二十条 block, a block heading dropped,
header words run together.

* a pipe fragment sitting in a block it does not belong to is moved to the
  empty 第二十条 block whose rows it has;
* a row that belongs to a block whose heading is not in the file at all
  (行政处罚 can only be item6) gets that heading back, before it and the header
  row above it: the format says which block each row is in, so nothing is
  guessed;
* "信息内容本年处理决定数量" written as one text line is cut at the known
  column labels; "行政许可 97" written as text is a row.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from gxaudit.formats import grammar
from gxaudit.formats.load import BlockSpec, common, load_formats
from gxaudit.formats.text import squeeze
from gxaudit.read.markdown.items import FOOTER, PIPE, SEP, TEXT, Item, is_value, text_row
from gxaudit.read.markdown.regions import Context, captions, emit
from gxaudit.read.markdown.syntax import SPACES
from gxaudit.read.source import SourceLine


@dataclass
class _Entry:
    line: int
    cells: list[str]
    fragment: int | None  # the pipe table it belongs to; None for a text line
    item: Item | None = None


@dataclass
class _Block:
    item: str  # 一, 五, 六 …
    heading: _Entry
    entries: list[_Entry] = field(default_factory=list)


@functools.cache
def block_specs() -> dict[str, tuple[BlockSpec, ...]]:
    """The blocks of every format, by 第二十条 item."""
    specs: dict[str, list[BlockSpec]] = {}
    for fmt in load_formats().values():
        for block in fmt.blocks:
            specs.setdefault(block.item, []).append(block)
    return {item: tuple(blocks) for item, blocks in specs.items()}


def split_header(text: str) -> list[str]:
    """ "信息内容本年处理决定数量" -> ["信息内容", "本年处理决定数量"] (known column labels only)."""
    marker = squeeze(common()["proactive"]["header_marker"])
    raw = SPACES.sub("", text)  # cut the text as written: squeeze() also folds widths
    key = squeeze(raw)  # same length as raw (folding keeps every position)
    if len(key) != len(raw) or not key.startswith(marker) or key == marker:
        return [text]
    labels = sorted(
        {squeeze(t) for specs in block_specs().values() for b in specs for c in b.columns for t in c.texts},
        key=len,
        reverse=True,
    )
    cells = [raw[: len(marker)]]
    position = len(marker)
    while position < len(key):
        label = next((w for w in labels if key.startswith(w, position)), None)
        if label is None:
            return [raw[: len(marker)], raw[len(marker) :]]
        cells.append(raw[position : position + len(label)])
        position += len(label)
    return cells


def _entries(items: list[Item], ctx: Context) -> list[_Entry]:
    entries: list[_Entry] = []
    fragment, previous_pipe = 0, False
    for item in items:
        if item.kind == PIPE:
            if not previous_pipe:
                fragment += 1
            entries.append(_Entry(item.line, item.cells, fragment, item))
            previous_pipe = True
        elif item.kind == SEP:
            continue
        else:
            previous_pipe = False
            if item.kind == TEXT:
                row = text_row(item.text)
                cells = row if row and len(row) > 1 else split_header(item.text)
                entries.append(_Entry(item.line, cells, None, item))
            elif item.kind == FOOTER:
                ctx.note(item.line, f"页眉页脚“{item.text}”已删除")
    return entries


def _label(cells: list[str]) -> str:
    return next((c for c in cells if c and not is_value(c)), "")


def _items_of_row(label: str) -> set[str]:
    """The 第二十条 items whose blocks have a row named `label` (in any format)."""
    return {
        item
        for item, specs in block_specs().items()
        if grammar.match_label(label, [r for b in specs for r in b.rows], cutoff=0.9) is not None
    }


def _fits(cells_list: list[list[str]], item: str) -> int:
    """How many of the rows name a row of `item`'s block."""
    return sum(1 for cells in cells_list if _label(cells) and item in _items_of_row(_label(cells)))


def _move_fragments(blocks: list[_Block], ctx: Context) -> bool:
    """A pipe fragment under a block it does not belong to, moved to the one empty block it fits."""
    moved = False
    for block in blocks:
        fragments: dict[int, list[_Entry]] = {}
        for entry in block.entries:
            if entry.fragment is not None:
                fragments.setdefault(entry.fragment, []).append(entry)
        for fragment_entries in fragments.values():
            cells_list = [e.cells for e in fragment_entries]
            if _fits(cells_list, block.item):
                continue
            targets = [
                b
                for b in blocks
                if b is not block
                and not any(is_value(c) for e in b.entries for c in e.cells)
                and _fits(cells_list, b.item)
            ]
            if len(targets) != 1:
                continue
            target = targets[0]
            block.entries = [e for e in block.entries if e not in fragment_entries]
            target.entries = fragment_entries + target.entries
            first = fragment_entries[0].line
            ctx.note(first, f"表二：第{first}行起的表格片段移入“{target.heading.cells[0]}”")
            moved = True
    return moved


def _restore_headings(blocks: list[_Block], ctx: Context) -> bool:
    """Rows of a block whose heading was dropped: the heading put back before them."""
    restored = False
    index = 0
    while index < len(blocks):
        block = blocks[index]
        present = {b.item for b in blocks}
        for position, entry in enumerate(block.entries):
            label = _label(entry.cells)
            owners = (
                _items_of_row(label) if label and not grammar.is_proactive_header_marker(label) else set()
            )
            if len(owners) != 1 or block.item in owners or next(iter(owners)) in present:
                continue
            item = next(iter(owners))
            start = position
            # the header row just above belongs to the new block too
            if start > 0 and grammar.is_proactive_header_marker(_label(block.entries[start - 1].cells)):
                start -= 1
            heading_text = block_specs()[item][0].label
            line = block.entries[start].line
            heading = _Entry(line, [heading_text], None)
            blocks.insert(index + 1, _Block(item, heading, block.entries[start:]))
            block.entries = block.entries[:start]
            ctx.note(line, f"表二：第{line}行的“{label}”只属于{heading_text}，补上该栏目标题")
            restored = True
            break
        index += 1
    return restored


def repair_proactive(items: list[Item], ctx: Context) -> list[SourceLine] | None:
    """Table two's region with its blocks put right; None when nothing needed repair."""
    preamble: list[_Entry] = []
    blocks: list[_Block] = []
    for entry in _entries(items, ctx):
        first = next((c for c in entry.cells if c), "")
        item = grammar.block_heading_item(first) if first else None
        if item:
            blocks.append(_Block(item, entry))
        elif blocks:
            blocks[-1].entries.append(entry)
        else:
            preamble.append(entry)
    moved = _move_fragments(blocks, ctx)
    restored = _restore_headings(blocks, ctx)
    if not moved and not restored:
        return None  # nothing to repair: keep the lines where they are
    out = captions(items)
    out += [emit("\t".join(e.cells), e.line, e.item) for e in preamble]
    for block in blocks:
        out.append(emit("\t".join(block.heading.cells), block.heading.line, block.heading.item))
        out += [emit("\t".join(e.cells), e.line, e.item) for e in block.entries]
    return out
