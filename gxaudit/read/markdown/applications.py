"""Table three in fragments, rebuilt in the format's row order.

Markdown extracted from a PDF (corpus 014) has table three in pieces: its rows
split into several pipe tables, the label cells that wrapped over lines printed
as loose text between them, the row labels of a group printed vertically
("本年/度办/理结/果") mixed into those lines. The region is rebuilt from what the
format says the table is:

* rows with a label are anchors in the format's row order;
* rows of numbers without a label fill the gaps between anchors in order (a
  gap's size must equal the number of such rows), and take their label from the
  loose label lines (joined where they wrapped);
* the pieces of vertical group labels are taken out of those lines and rebuilt
  as the group label of the group's first row.

Nothing is invented: a repair only moves text that is in the file. What cannot
be placed (a lone number between fragments, a label that fits no gap) is left
out of the table and reported (`Context.leave_out`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gxaudit.formats import grammar
from gxaudit.formats.load import Format, common, load_formats
from gxaudit.formats.text import match_key
from gxaudit.read.markdown.items import FOOTER, PIPE, TEXT, Item, is_value, text_row
from gxaudit.read.markdown.regions import LABEL_START, Context, captions, catalogue, emit, row_parts
from gxaudit.read.source import SourceLine
from gxaudit.regex import on_use

# Groups of table-three rows, and the first row of each (by id prefix).
ROW_GROUPS = {
    "本年度办理结果": "granted",
    "不予公开": "denied_",
    "无法提供": "unable_",
    "不予处理": "rejected_",
    "其他处理": "other_",
}
_ROW_ENUMERATOR = on_use(r"\d{1,2}\s*[.．、]")
_GROUP_ENUMERATOR = on_use(
    r"^(?P<enum>(?:[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)\s*)?(?P<rest>.*)$"
)


@dataclass
class _Piece:
    position: int
    line: int
    kind: str  # "row", "text", "loose"
    cells: list[str] = field(default_factory=list)
    text: str = ""
    item: Item | None = None


@dataclass
class _Group:
    words: list[str]  # candidate group words until a continuation decides
    enumerator: str
    consumed: int
    vertical: bool  # started without an enumerator ("本年")
    strips: list[tuple[int, str]] = field(default_factory=list)  # (piece index, text taken out)
    complete: bool = False
    line: int = 0

    @property
    def word(self) -> str:
        return self.words[0]

    @property
    def text(self) -> str:
        return self.enumerator + self.word


@dataclass
class _Fit:
    """How the unlabelled rows fit one format: the row id of each, and how well."""

    order: list[str]
    assigned: dict[int, str]  # orphan position -> row id
    by_label: dict[int, tuple[str | None, str]]  # orphan position -> (label's row id, label text)
    label_ids: list[str | None]
    score: int


def _column_keys() -> set[str]:
    fmt = list(load_formats().values())[-1]
    keys = {match_key(c.label) for c in fmt.application_columns}
    return keys | {match_key(g) for g in common()["applications"]["groups"]}


# ------------------------------------------------------------------ loose lines


def _continue_group(pending: list[_Group], text: str, index: int) -> str:
    """The next characters of a group label printed over several lines, taken out of `text`."""
    best, best_k, best_word = None, 0, None
    for group in pending:
        for word in group.words:
            rest = word[group.consumed :]
            k = 0
            while k < len(rest) and k < len(text) and text[k] == rest[k]:
                k += 1
            if k > best_k:
                best, best_k, best_word = group, k, word
    if best is None or best_word is None:
        return text
    best.words = [best_word]
    best.consumed += best_k
    best.strips.append((index, text[:best_k]))
    if best.consumed == len(best.word):
        best.complete = True
        pending.remove(best)
    return text[best_k:]


def _start_group(text: str, index: int, line: int, column_keys: set[str]) -> tuple[_Group | None, str]:
    """The start of a group label ("（三）不", "（五）不予处理", "本年"), taken out of `text`."""
    match = _GROUP_ENUMERATOR.match(text)
    if match is None:
        return None, text
    enumerator, rest = match.group("enum") or "", match.group("rest")
    row_start = _ROW_ENUMERATOR.search(rest)
    head = rest[: row_start.start()] if row_start else rest
    if not head or not (
        enumerator or (head == text and len(head) >= 2 and match_key(head) not in column_keys)
    ):
        return None, text
    words = [w for w in ROW_GROUPS if w.startswith(head)]
    if not words:
        return None, text
    group = _Group(words=words, enumerator=enumerator, consumed=len(head), vertical=not enumerator, line=line)
    group.strips.append((index, text[: len(enumerator) + len(head)]))
    group.complete = len(head) == len(words[0]) and len(words) == 1
    return group, text[len(enumerator) + len(head) :]


def _track_groups(pieces: list[_Piece], texts: dict[int, str], ctx: Context) -> list[_Group]:
    """Find vertical / wrapped group labels in the loose lines and take them out of the lines."""
    column_keys = _column_keys()
    groups: list[_Group] = []
    pending: list[_Group] = []
    for index, piece in enumerate(pieces):
        if piece.kind != "text":
            continue
        text = texts[index].strip()
        if (
            pending
            and not LABEL_START.match(text)
            and grammar.match_label(text, catalogue(), cutoff=0.9) is None
        ):
            text = _continue_group(pending, text, index)
        group, text = _start_group(text, index, piece.line, column_keys)
        if group is not None:
            groups.append(group)
            if not group.complete:
                pending.append(group)
        texts[index] = text
    kept = []
    for group in groups:
        if group.vertical and not group.complete:
            # a line that only looked like the start of a vertical label: put it back
            for index, removed in group.strips:
                texts[index] = removed + texts[index]
            continue
        if not group.complete:
            ctx.note(group.line, f"表三：分组标签“{group.text}”不完整")
        kept.append(group)
    return kept


def _labels(pieces: list[_Piece], texts: dict[int, str], start: int) -> list[tuple[int, int, str]]:
    """Row labels in the loose lines after `start`: (position, line, text), wrapped lines joined."""
    labels: list[list] = []
    open_label = False
    for index, piece in enumerate(pieces):
        if index < start:
            continue
        if piece.kind != "text":
            open_label = False if piece.kind == "row" else open_label
            continue
        text = texts[index].strip()
        if not text:
            continue
        if LABEL_START.match(text) or not open_label:
            labels.append([piece.position, piece.line, text])
            open_label = True
        else:
            labels[-1][2] += text
    return [tuple(entry) for entry in labels]


# ------------------------------------------------------------------ fitting the format


def _by_gap(order: list[str], anchors, orphans) -> dict[int, str]:
    """Unlabelled rows between two anchors fill the format's rows between them, when as many."""
    index = {row_id: i for i, row_id in enumerate(order)}
    by_gap: dict[int, str] = {}
    bounds = [(-1, -1)] + [(a[0], index[a[1]]) for a in anchors] + [(10**9, len(order))]
    for (left_pos, left_idx), (right_pos, right_idx) in zip(bounds, bounds[1:]):
        slots = order[left_idx + 1 : right_idx]
        inside = [o for o in orphans if left_pos < o < right_pos]
        if inside and len(inside) == len(slots):
            by_gap.update(zip(inside, slots))
    return by_gap


def _fit(fmt: Format, anchors, orphans: list[int], labels) -> _Fit | None:
    """Row ids for the unlabelled rows, by the gaps between anchors and by the loose labels;
    None when the anchors are not in the format's order."""
    order = [r.id for r in fmt.application_rows]
    index = {row_id: i for i, row_id in enumerate(order)}
    if any(a[1] not in index for a in anchors):
        return None
    positions = [index[a[1]] for a in anchors]
    if positions != sorted(positions) or len(set(positions)) != len(positions):
        return None
    by_gap = _by_gap(order, anchors, orphans)
    label_ids = []
    for _pos, _line, text in labels:
        label = grammar.match_label(text, catalogue())
        label_ids.append(label.id if label is not None and label.id in index else None)
    by_label: dict[int, tuple[str | None, str]] = {}
    if len(labels) == len(orphans):
        for orphan, label_id, label in zip(orphans, label_ids, labels):
            by_label[orphan] = (label_id, label[2])
    assigned: dict[int, str] = {}
    conflicts = 0
    used: set[str] = {a[1] for a in anchors}
    for orphan in orphans:
        gap_id = by_gap.get(orphan)
        label_id = by_label.get(orphan, (None, ""))[0]
        if gap_id and label_id and gap_id != label_id:
            conflicts += 1
        chosen = gap_id or label_id
        if chosen and chosen not in used:
            assigned[orphan] = chosen
            used.add(chosen)
    others = [o for o in load_formats().values() if o.id != fmt.id]
    exclusive = sum(
        1 for row_id in used if all(row_id not in [r.id for r in o.application_rows] for o in others)
    )
    return _Fit(order, assigned, by_label, label_ids, len(assigned) - 2 * conflicts + exclusive)


# ------------------------------------------------------------------ the repair


def _pieces(items: list[Item], ctx: Context) -> list[_Piece]:
    pieces: list[_Piece] = []
    for item in items:
        position = len(pieces)
        if item.kind == PIPE:
            pieces.append(_Piece(position, item.line, "row", cells=list(item.cells), item=item))
        elif item.kind == TEXT:
            row = text_row(item.text)
            values = [c for c in row or [] if is_value(c)]
            if row and (len(row) > len(values) or len(values) >= 6):
                pieces.append(_Piece(position, item.line, "row", cells=row, item=item))
            elif row:
                pieces.append(_Piece(position, item.line, "loose", text=item.text, item=item))
            else:
                pieces.append(_Piece(position, item.line, "text", text=item.text, item=item))
        elif item.kind == FOOTER:
            ctx.note(item.line, f"页眉页脚“{item.text}”已删除")
    return pieces


def _anchors(pieces: list[_Piece], start: int):
    """(anchors, orphans): rows named by their label, and rows of numbers without one; None when a
    row has a label that names no row or too few numbers to be a row (not a table we can rebuild)."""
    anchors, orphans = [], []
    for piece in pieces[start:]:
        if piece.kind != "row":
            continue
        _groups, label, values = row_parts(piece.cells)
        if label is None:
            if len([v for v in values if v]) < 6:
                return None
            orphans.append(piece)
            continue
        found = grammar.match_label(label, catalogue())
        if found is None:
            return None
        anchors.append((piece.position, found.id, piece))
    return anchors, orphans


def _label_orphans(fmt, fit: _Fit, orphans, labels, groups, rows, ctx: Context) -> set[str]:
    """Each unlabelled row under its row id, with the loose label that names it."""
    used_labels = set()
    for piece in orphans:
        row_id = fit.assigned.get(piece.position)
        if row_id is None:
            ctx.leave_out(piece.line, "表三：无标签的数据行“" + " ".join(piece.cells) + "”无法确定所属行")
            continue
        label_id, label_text = fit.by_label.get(piece.position, (None, ""))
        if label_id != row_id:
            label_text = next((lab[2] for lab, lid in zip(labels, fit.label_ids) if lid == row_id), "")
        if not label_text and row_id == "other_handling":
            # format 2019: （六）其他处理 is a row, its loose label was read as a group label
            group = next((g for g in groups if g.word == "其他处理" and g.complete), None)
            if group is not None:
                label_text = group.text
                groups.remove(group)
        if not label_text:
            label_text = next(r.label for r in fmt.application_rows if r.id == row_id)
            ctx.note(piece.line, f"表三：第{piece.line}行的数据未找到行标签，按格式补作“{label_text}”")
        used_labels.add(label_text)
        rows[row_id] = ([label_text, *piece.cells], piece)
        ctx.note(piece.line, f"表三：第{piece.line}行的数据归入“{label_text}”（{row_id}）")
    return used_labels


def _attach_groups(groups: list[_Group], order: list[str], rows, ctx: Context) -> None:
    """A rebuilt group label in front of its group's first row."""
    for group in groups:
        prefix = ROW_GROUPS[group.word]
        first = next((r for r in order if r.startswith(prefix) and r in rows), None)
        if first is None or (group.word == "其他处理" and first == "other_handling"):
            if first is None:
                ctx.leave_out(group.line, f"表三：分组标签“{group.text}”无对应行")
            continue
        cells, piece = rows[first]
        group_cells, _label, _values = row_parts(cells)
        if group_cells:
            bare = next(
                (
                    i
                    for i, c in enumerate(cells)
                    if c and c in group_cells and not grammar.strip_enumerator(c)
                ),
                None,
            )
            if bare is not None:
                cells[bare] = cells[bare] + group.text
            continue
        rows[first] = ([group.text, *cells], piece)


def _data_start(pieces: list[_Piece]) -> int | None:
    """Where table three's data begins: the row 一、本年新收…."""
    for piece in pieces:
        if piece.kind == "row" and grammar.opens_applications(row_parts(piece.cells)[1] or ""):
            return piece.position
    return None


def _best_fit(anchors, orphans: list[_Piece], labels) -> tuple[Format, _Fit] | None:
    """The format whose row order the anchors follow and the unlabelled rows fit best."""
    best: tuple[Format, _Fit] | None = None
    for fmt in load_formats().values():
        fit = _fit(fmt, [(a[0], a[1]) for a in anchors], [o.position for o in orphans], labels)
        if fit is not None and (best is None or fit.score > best[1].score):
            best = (fmt, fit)
    return best


def _leave_out_unused(pieces, start, labels, used_labels, anchors, ctx: Context) -> None:
    """Loose labels that named no row, and loose content between fragments: reported, not placed."""
    anchored = {a[1] for a in anchors}
    for _position, line, text in labels:
        label = grammar.match_label(text, catalogue())
        if text not in used_labels and not (label is not None and label.id in anchored):
            ctx.leave_out(line, f"表三：标签“{text}”无对应数据行")
    for piece in pieces[start:]:
        if piece.kind == "loose":
            ctx.leave_out(piece.line, f"表三：表格片段之间的孤立内容“{piece.text}”未归入任何单元格")


def _render(items, pieces, start, texts, order, rows) -> list[SourceLine]:
    """Captions, what precedes the data as it was, then the rows in the format's order."""
    out = captions(items)
    for piece in pieces[:start]:
        if piece.kind == "row":
            out.append(emit("\t".join(piece.cells), piece.line, piece.item))
        elif piece.kind == "text" and texts.get(piece.position, "").strip():
            out.append(emit(texts[piece.position], piece.line, piece.item))
        elif piece.kind == "loose":
            out.append(emit(piece.text, piece.line, piece.item))
    for row_id in order:
        if row_id in rows:
            cells, piece = rows[row_id]
            out.append(emit("\t".join(cells), piece.line, piece.item))
    return out


def repair_applications(items: list[Item], ctx: Context) -> list[SourceLine] | None:
    """Table three's region rebuilt in the format's row order; None when it is whole (or cannot be)."""
    pieces = _pieces(items, ctx)
    start = _data_start(pieces)
    found = _anchors(pieces, start) if start is not None else None
    if found is None or start is None:
        return None
    anchors, orphans = found
    if not orphans and not any(p.kind in ("text", "loose") for p in pieces[start:]):
        return None  # a whole table: nothing to rebuild
    texts = {i: p.text for i, p in enumerate(pieces) if p.kind == "text"}
    groups = _track_groups(pieces, texts, ctx)
    labels = _labels(pieces, texts, start)
    best = _best_fit(anchors, orphans, labels)
    if best is None:
        return None
    fmt, fit = best
    rows: dict[str, tuple[list[str], _Piece]] = {row_id: (list(p.cells), p) for _pos, row_id, p in anchors}
    used_labels = _label_orphans(fmt, fit, orphans, labels, groups, rows, ctx)
    _leave_out_unused(pieces, start, labels, used_labels, anchors, ctx)
    _attach_groups(groups, fit.order, rows, ctx)
    return _render(items, pieces, start, texts, fit.order, rows)
