"""Markdown reports: pipe tables to tab rows, headings and emphasis to plain text.

Two kinds of Markdown reach us. Hand-written or exported Markdown has whole
pipe tables (``| a | b |`` with a ``|---|`` separator row): each row becomes
a tab row, the separator an empty line, a heading its plain text. Markdown
extracted from a PDF (014_shanghai_kewei_2024_pdf2md.md) has tables in
fragments: a table's rows are split into several pipe tables, the label
cells that wrapped over lines are printed as loose text between them, the
row labels of a group printed vertically ("本年/度办/理结/果") are mixed
into those lines, a block of table two is moved after the others, and a
table-four header is scattered over text lines. Such a table region is
rebuilt from what the format says the table is:

* table two: a pipe fragment sitting in a block it does not belong to is
  moved to the empty 第二十条 block whose rows it has; "行政许可 97" written
  as text becomes a row;
* table three: rows with a label are anchors in the format's row order;
  rows of numbers without a label fill the gaps between anchors in order
  (the gap's size must equal the number of such rows), and they take their
  label from the loose label lines (joined where they wrapped, with the
  fragments of vertical group labels taken out and rebuilt as the group
  label);
* table four: a header whose scattered pieces hold exactly the characters
  of the official header is re-laid out as the official header.

Page footers ("- 3 -", "第 3 页", a bare page number between two pieces of
a table) are dropped. Grid tables (``+---+`` borders, cells wrapping over
lines) and HTML tables written inside the Markdown are read too.

Nothing is invented: a repair only moves text that is in the file. What
cannot be placed (a lone number between fragments, a label that fits no
gap) is left out of the tables and reported by `convert_markdown` in
`unplaced`. Lines outside rebuilt regions keep their line numbers, and a
rebuilt region is padded with empty lines to its original length, so
positions after it still point at the Markdown file.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from gxaudit.formats import grammar
from gxaudit.formats.grammar import MAX_CELL_LINE
from gxaudit.formats.load import Format, Label, common, load_formats
from gxaudit.formats.text import match_key, split_lines, squeeze
from gxaudit.read.html import html_to_text

PIPE, SEP, TEXT, HEADING, BLANK, FOOTER = "pipe", "sep", "text", "heading", "blank", "footer"

# Groups of table-three rows, and the first row of each (by id prefix).
ROW_GROUPS = {
    "本年度办理结果": "granted",
    "不予公开": "denied_",
    "无法提供": "unable_",
    "不予处理": "rejected_",
    "其他处理": "other_",
}

_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|(?=[^#\s]))(.*?)(?:\s+#+)?\s*$")
_SEPARATOR_CELL = re.compile(r"^\s*:?-+:?\s*$")
_THEMATIC = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_GRID_BORDER = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_BLOCKQUOTE = re.compile(r"^\s{0,3}>\s?")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(?=\S)")
_FOOTERS = (
    re.compile(r"^[-—–－~－\s]*[-—–－~]\s*\d{1,4}\s*[-—–－~][-—–－~\s]*$"),  # - 3 -, — 12 —
    re.compile(r"^第\s*\d{1,4}\s*页\s*(?:[,，/／]?\s*共\s*\d{1,4}\s*页)?$"),  # 第3页 共5页
    re.compile(r"^\d{1,4}\s*[/／]\s*\d{1,4}$"),  # 3/5
    re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE),
)
# A row label or header line, not prose, even when long: "1.申请人无正当理由逾期不补正…"
_LABEL_START = re.compile(
    r"^\s*(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)"
)
_ROW_ENUMERATOR = re.compile(r"\d{1,2}\s*[.．、]")
_GROUP_ENUMERATOR = re.compile(
    r"^(?P<enum>(?:[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)\s*)?(?P<rest>.*)$"
)
_SPACES = re.compile(r"[ \t\r\n\u00a0\u3000]+")


@dataclass
class Note:
    line: int  # 1-based line of the Markdown file
    message: str


@dataclass
class MarkdownConversion:
    text: str
    notes: list[Note] = field(default_factory=list)  # repairs made
    unplaced: list[Note] = field(default_factory=list)  # table text left out of every cell


@dataclass
class _Item:
    line: int
    kind: str
    text: str = ""
    cells: list[str] = field(default_factory=list)


# ------------------------------------------------------------------- inline


def _inline(text: str) -> str:
    """Markdown inline syntax to plain text."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\((?:[^)(]|\([^)]*\))*\)", r"\1", text)  # links
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
    text = re.sub(r"</?[a-zA-Z][^>\n]*>", "", text)  # other tags
    text = re.sub(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![*A-Za-z0-9])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*A-Za-z0-9])", r"\1", text)
    text = re.sub(r"`+([^`]*)`+", r"\1", text)
    text = text.replace("**", "")
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1", text)
    return html.unescape(text)


def _is_cjk_only(text: str) -> bool:
    stripped = _SPACES.sub("", text)
    return bool(stripped) and all("\u4e00" <= ch <= "\u9fff" or ch in "（）()、，：:" for ch in stripped)


def _cell_text(raw: str) -> str:
    text = _inline(raw.replace("\\|", "|"))
    # a cell broken over lines ("本年新<br>制作数量") is one label, as in the HTML adapter
    if _is_cjk_only(text):
        return _SPACES.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _split_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [_cell_text(c) for c in re.split(r"(?<!\\)\|", body)]


def _is_separator(line: str) -> bool:
    if "|" not in line or "-" not in line:
        return False
    cells = _split_row(line)
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells if c) and any(cells)


def _is_footer(text: str) -> bool:
    text = text.strip()
    return bool(text) and any(p.match(text) for p in _FOOTERS)


def _classify(lines: list[str]) -> list[_Item]:
    items: list[_Item] = []
    separators = {i for i, line in enumerate(lines) if _is_separator(line)}
    piped: set[int] = set()
    run: list[int] = []  # a table's rows: the run of lines with pipes around a separator
    for i, line in enumerate([*lines, ""]):
        if "|" in line and line.strip():
            run.append(i)
            continue
        if any(j in separators for j in run):
            piped.update(run)
        run = []
    i = 0
    while i < len(lines):
        number = i + 1
        line = lines[i].replace("\f", "")
        stripped = line.strip()
        i += 1
        if "<table" in line.lower():
            # an HTML table inside the Markdown (some PDF extractors write them): the HTML adapter
            end = next((j for j in range(i - 1, len(lines)) if "</table>" in lines[j].lower()), None)
            if end is not None:
                rows = [r for r in split_lines(html_to_text("\n".join(lines[i - 1 : end + 1]))) if r.strip()]
                items.extend(_Item(number, TEXT, text=r) for r in rows)
                items.extend(_Item(number, BLANK) for _ in range(end + 2 - i - len(rows)))
                i = end + 1
                continue
        if _GRID_BORDER.match(line):
            items.append(_Item(number, SEP, text="grid"))
        elif i - 1 in separators:
            items.append(_Item(number, SEP))
        elif stripped.startswith("|") or (i - 1 in piped and not stripped.startswith("#")):
            items.append(_Item(number, PIPE, cells=_split_row(line)))
        elif not stripped or _THEMATIC.match(line):
            items.append(_Item(number, BLANK))
        elif _is_footer(stripped):
            items.append(_Item(number, FOOTER, text=stripped))
        else:
            heading = _ATX.match(line)
            if heading:
                items.append(_Item(number, HEADING, text=_SPACES.sub(" ", _inline(heading.group(2))).strip()))
                continue
            while _BLOCKQUOTE.match(line):
                line = _BLOCKQUOTE.sub("", line, count=1)
            line = _BULLET.sub("", line)
            # tabs are kept: a tab-separated row among Markdown is still a row for the grammar
            text = _inline(line).replace("\n", " ").rstrip(" \r\u00a0\u3000")
            items.append(_Item(number, TEXT, text=text) if text.strip() else _Item(number, BLANK))
    _merge_grid_rows(items)
    # a bare page number between two pieces of a table ("| … |", "12", "## 表三（续）")
    solid = [i for i, item in enumerate(items) if item.kind != BLANK]
    for before, here, after in zip(solid, solid[1:], solid[2:]):
        item = items[here]
        if (
            item.kind == TEXT
            and re.fullmatch(r"\d{1,4}", item.text.strip())
            and items[before].kind in (PIPE, SEP, FOOTER)
            and items[after].kind in (PIPE, SEP, FOOTER, HEADING)
        ):
            item.kind = FOOTER
    return items


def _merge_grid_rows(items: list[_Item]) -> None:
    """Grid tables (+---+ borders): the lines between two borders are one row whose
    cells wrap; join them cell by cell when every line has the same cells."""
    index = 0
    while index < len(items):
        if not (items[index].kind == SEP and items[index].text == "grid"):
            index += 1
            continue
        end = index + 1
        while end < len(items) and items[end].kind == PIPE:
            end += 1
        rows = items[index + 1 : end]
        if (
            len(rows) > 1
            and end < len(items)
            and items[end].kind == SEP
            and items[end].text == "grid"
            and len({len(r.cells) for r in rows}) == 1
        ):
            joined = ["\n".join(p for p in parts if p) for parts in zip(*(r.cells for r in rows))]
            rows[0].cells = [
                _SPACES.sub("", c) if _is_cjk_only(c) else _SPACES.sub(" ", c).strip() for c in joined
            ]
            for row in rows[1:]:
                row.kind, row.cells = BLANK, []
        index = end


def looks_like_markdown(text: str) -> bool:
    """Pipe tables with a separator row, or ATX headings: Markdown, not plain text or HTML."""
    head = text[:4096].lower()
    if "<html" in head or "<!doctype html" in head:
        return False
    lines = split_lines(text)
    headings = sum(
        1
        for line in lines
        if _ATX.match(line) and line.lstrip().startswith("#") and not line.lstrip().startswith("#!")
    )
    pipes = sum(1 for line in lines if line.strip().startswith("|") and line.strip().endswith("|"))
    if any(_is_separator(line) for line in lines if "|" in line):
        return True
    return headings >= 2 or (headings >= 1 and pipes >= 2)


# ------------------------------------------------------------------- regions


def _is_break(item: _Item) -> bool:
    """A line that ends a table region: a part heading or a line of prose."""
    if item.kind not in (TEXT, HEADING):
        return False
    text = item.text.strip()
    if grammar.parse_heading(text):
        # a wrapped row label of table three ("四、结转下年度继续" / "办理") is not a part heading
        return not _names_application_row(text)
    if item.kind == HEADING:
        return False  # a caption or sub-heading among fragments
    if "\t" in item.text:
        return False  # a tab-separated row
    if grammar.is_applications_marker(text):
        return False  # table three's header note is long, not prose
    if text.endswith(("。", "；", ";")):
        return True
    return len(text) > MAX_CELL_LINE and not _LABEL_START.match(text)


def _names_application_row(text: str) -> bool:
    key = match_key(text)
    return any(k and match_key(k) in key for row in _catalogue() for k in row.keys)


def _regions(items: list[_Item]):
    """(start, end) index ranges of table regions: runs of non-prose lines with pipe rows."""
    start = 0
    bounds = []
    for index in range(len(items) + 1):
        if index == len(items) or _is_break(items[index]):
            run = range(start, index)
            pipes = [i for i in run if items[i].kind == PIPE]
            if pipes:
                first = next(i for i in run if items[i].kind not in (BLANK, FOOTER, SEP))
                bounds.append((first, pipes[-1] + 1))
            start = index + 1
    return bounds


def _is_value(text: str) -> bool:
    return bool(text) and grammar.is_value_text(text)


def _text_row(text: str) -> list[str] | None:
    """ "行政许可 97" or "0 0 1": a table row written as text, split into cells."""
    if "\t" in text:
        return text.split("\t")  # already a tab-separated row
    tokens = text.split()
    if not tokens:
        return None
    k = len(tokens)
    while k > 0 and _is_value(tokens[k - 1]):
        k -= 1
    if k == len(tokens):
        return None
    if k == 0:
        return tokens
    # the label is the text before the first value, as written
    position = 0
    for token in tokens[:k]:
        position = text.index(token, position) + len(token)
    label = text[:position].strip()
    if not re.search(r"[\u4e00-\u9fff]", label):
        return None
    return [label, *tokens[k:]]


class _Context:
    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.unplaced: list[Note] = []

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(line, message))

    def leave_out(self, line: int, message: str) -> None:
        self.unplaced.append(Note(line, message))


def _captions(items: list[_Item]) -> list[str]:
    """Headings among a table's fragments ("表三：…", "表三（续）"): once each, before the table."""
    return list(dict.fromkeys(i.text for i in items if i.kind == HEADING))


def _render_generic(items: list[_Item], ctx: _Context) -> list[str]:
    """Row for row, line for line; captions first; text rows split at their values."""
    out = _captions(items)
    for item in items:
        if item.kind == PIPE:
            out.append("\t".join(item.cells))
        elif item.kind == TEXT:
            row = _text_row(item.text)
            if not row or len(row) < 2:
                row = _split_header(item.text)
            out.append("\t".join(row))
        elif item.kind == FOOTER:
            ctx.note(item.line, f"页眉页脚“{item.text}”已删除")
            out.append("")
        elif item.kind != HEADING:
            out.append("")
    return out


# ------------------------------------------------------------------ table two


def _block_specs() -> dict[str, list]:
    specs: dict[str, list] = {}
    for fmt in load_formats().values():
        for block in fmt.blocks:
            specs.setdefault(block.item, []).append(block)
    return specs


def _split_header(text: str) -> list[str]:
    """ "信息内容本年处理决定数量" -> ["信息内容", "本年处理决定数量"] (known column labels only)."""
    marker = squeeze(common()["proactive"]["header_marker"])
    raw = _SPACES.sub("", text)  # cut the text as written: squeeze() also folds widths
    key = squeeze(raw)  # same length as raw (folding keeps every position)
    if len(key) != len(raw) or not key.startswith(marker) or key == marker:
        return [text]
    labels = sorted(
        {squeeze(t) for specs in _block_specs().values() for b in specs for c in b.columns for t in c.texts},
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


def _repair_proactive(items: list[_Item], ctx: _Context) -> list[str] | None:
    captions = _captions(items)
    # entries: (item line, cells, fragment id or None for text)
    entries: list[tuple[int, list[str], int | None]] = []
    fragment, previous_pipe = 0, False
    for item in items:
        if item.kind == PIPE:
            if not previous_pipe:
                fragment += 1
            entries.append((item.line, item.cells, fragment))
            previous_pipe = True
        elif item.kind == SEP:
            continue
        else:
            previous_pipe = False
            if item.kind == TEXT:
                row = _text_row(item.text)
                cells = row if row and len(row) > 1 else _split_header(item.text)
                entries.append((item.line, cells, None))
            elif item.kind == FOOTER:
                ctx.note(item.line, f"页眉页脚“{item.text}”已删除")
    specs = _block_specs()
    blocks: list[dict] = []
    preamble: list[tuple[int, list[str], int | None]] = []
    for entry in entries:
        first = next((c for c in entry[1] if c), "")
        item = grammar.block_heading_item(first) if first else None
        if item:
            blocks.append({"item": item, "heading": entry, "entries": []})
        elif blocks:
            blocks[-1]["entries"].append(entry)
        else:
            preamble.append(entry)

    def has_values(block: dict) -> bool:
        return any(_is_value(c) for _l, cells, _f in block["entries"] for c in cells)

    def fits(cells_list: list[list[str]], item: str) -> int:
        rows = [r for b in specs.get(item, []) for r in b.rows]
        score = 0
        for cells in cells_list:
            label = next((c for c in cells if c and not _is_value(c)), "")
            if label and rows and grammar.match_label(label, rows, cutoff=0.9) is not None:
                score += 1
        return score

    moved = False
    for block in blocks:
        fragments: dict[int, list] = {}
        for entry in block["entries"]:
            if entry[2] is not None:
                fragments.setdefault(entry[2], []).append(entry)
        for fragment_entries in fragments.values():
            cells_list = [e[1] for e in fragment_entries]
            if fits(cells_list, block["item"]):
                continue
            targets = [
                b for b in blocks if b is not block and not has_values(b) and fits(cells_list, b["item"])
            ]
            if len(targets) != 1:
                continue
            target = targets[0]
            block["entries"] = [e for e in block["entries"] if e not in fragment_entries]
            target["entries"] = fragment_entries + target["entries"]
            ctx.note(
                fragment_entries[0][0],
                f"表二：第{fragment_entries[0][0]}行起的表格片段移入“{target['heading'][1][0]}”",
            )
            moved = True
    out = list(captions)
    for _line, cells, _f in preamble:
        out.append("\t".join(cells))
    for block in blocks:
        out.append("\t".join(block["heading"][1]))
        out.extend("\t".join(cells) for _l, cells, _f in block["entries"])
    if not moved:
        return None  # nothing to repair: keep the lines where they are
    return out


# ---------------------------------------------------------------- table three


@dataclass
class _Piece:
    position: int
    line: int
    kind: str  # "row", "text", "loose"
    cells: list[str] = field(default_factory=list)
    text: str = ""


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


def _catalogue() -> list[Label]:
    rows: dict[str, Label] = {}
    for fmt in load_formats().values():
        for row in fmt.application_rows:
            rows.setdefault(row.id, row)
    return list(rows.values())


def _column_keys() -> set[str]:
    fmt = list(load_formats().values())[-1]
    keys = {match_key(c.label) for c in fmt.application_columns}
    return keys | {match_key(g) for g in common()["applications"]["groups"]}


def _row_parts(cells: list[str]) -> tuple[list[str], str | None, list[str]]:
    """(group cells, label cell, value cells) of a table-three row."""
    first_value = next((i for i, c in enumerate(cells) if _is_value(c)), len(cells))
    texts = [c for c in cells[:first_value] if c]
    values = cells[first_value:]
    label = texts[-1] if texts else None
    return texts[:-1], label, values


def _track_groups(pieces: list[_Piece], texts: dict[int, str], ctx: _Context) -> list[_Group]:
    """Find vertical / wrapped group labels in the loose lines and take them out of the lines."""
    catalogue = _catalogue()
    column_keys = _column_keys()
    groups: list[_Group] = []
    pending: list[_Group] = []
    for index, piece in enumerate(pieces):
        if piece.kind != "text":
            continue
        text = texts[index].strip()
        # 1. the next characters of a group label printed over several lines
        if pending and not _LABEL_START.match(text):
            protected = grammar.match_label(text, catalogue, cutoff=0.9) is not None
            best, best_k, best_word = None, 0, None
            for group in pending:
                for word in group.words:
                    rest = word[group.consumed :]
                    k = 0
                    while k < len(rest) and k < len(text) and text[k] == rest[k]:
                        k += 1
                    if k > best_k:
                        best, best_k, best_word = group, k, word
            if best is not None and not protected:
                best.words = [best_word]
                best.consumed += best_k
                best.strips.append((index, text[:best_k]))
                text = text[best_k:]
                if best.consumed == len(best.word):
                    best.complete = True
                    pending.remove(best)
        # 2. the start of a group label: "（三）不", "（五）不予处理", "本年"
        match = _GROUP_ENUMERATOR.match(text)
        enumerator, rest = match.group("enum") or "", match.group("rest")
        row_start = _ROW_ENUMERATOR.search(rest)
        head = rest[: row_start.start()] if row_start else rest
        if head and (enumerator or (head == text and len(head) >= 2 and match_key(head) not in column_keys)):
            words = [w for w in ROW_GROUPS if w.startswith(head)]
            if words:
                group = _Group(
                    words=words,
                    enumerator=enumerator,
                    consumed=len(head),
                    vertical=not enumerator,
                    line=piece.line,
                )
                group.strips.append((index, text[: len(enumerator) + len(head)]))
                text = text[len(enumerator) + len(head) :]
                if len(head) == len(words[0]) and len(words) == 1:
                    group.complete = True
                else:
                    pending.append(group)
                groups.append(group)
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
        if _LABEL_START.match(text) or not open_label:
            labels.append([piece.position, piece.line, text])
            open_label = True
        else:
            labels[-1][2] += text
    return [tuple(entry) for entry in labels]


def _fit(fmt: Format, anchors, orphans, labels, catalogue) -> dict:
    """Row ids for the unlabelled rows, by the gaps between anchors and by the loose labels."""
    order = [r.id for r in fmt.application_rows]
    index = {row_id: i for i, row_id in enumerate(order)}
    if any(a[1] not in index for a in anchors):
        return {"ok": False}
    positions = [index[a[1]] for a in anchors]
    if positions != sorted(positions) or len(set(positions)) != len(positions):
        return {"ok": False}
    by_gap: dict[int, str] = {}
    bounds = [(-1, -1)] + [(a[0], index[a[1]]) for a in anchors] + [(10**9, len(order))]
    for (left_pos, left_idx), (right_pos, right_idx) in zip(bounds, bounds[1:]):
        slots = order[left_idx + 1 : right_idx]
        inside = [o for o in orphans if left_pos < o[0] < right_pos]
        if inside and len(inside) == len(slots):
            for orphan, slot in zip(inside, slots):
                by_gap[orphan[0]] = slot
    label_ids = []
    for _pos, _line, text in labels:
        label = grammar.match_label(text, catalogue)
        label_ids.append(label.id if label is not None and label.id in index else None)
    by_label: dict[int, tuple[str | None, str]] = {}
    if len(labels) == len(orphans):
        for orphan, (label_id, label) in zip(orphans, zip(label_ids, labels)):
            by_label[orphan[0]] = (label_id, label[2])
    assigned: dict[int, str] = {}
    conflicts = 0
    used: set[str] = {a[1] for a in anchors}
    for orphan in orphans:
        gap_id = by_gap.get(orphan[0])
        label_id = by_label.get(orphan[0], (None, ""))[0]
        if gap_id and label_id and gap_id != label_id:
            conflicts += 1
        chosen = gap_id or label_id
        if chosen and chosen not in used:
            assigned[orphan[0]] = chosen
            used.add(chosen)
    exclusive = sum(
        1
        for row_id in used
        if all(
            row_id not in [r.id for r in other.application_rows]
            for other in load_formats().values()
            if other.id != fmt.id
        )
    )
    return {
        "ok": True,
        "assigned": assigned,
        "by_label": by_label,
        "label_ids": label_ids,
        "conflicts": conflicts,
        "score": len(assigned) - 2 * conflicts + exclusive,
        "order": order,
    }


def _repair_applications(items: list[_Item], ctx: _Context) -> list[str] | None:
    captions = _captions(items)
    pieces: list[_Piece] = []
    for item in items:
        position = len(pieces)
        if item.kind == PIPE:
            pieces.append(_Piece(position, item.line, "row", cells=list(item.cells)))
        elif item.kind == TEXT:
            row = _text_row(item.text)
            values = [c for c in row or [] if _is_value(c)]
            if row and len(row) > len(values) or row and len(values) >= 6:
                pieces.append(_Piece(position, item.line, "row", cells=row))
            elif row:
                pieces.append(_Piece(position, item.line, "loose", text=item.text))
            else:
                pieces.append(_Piece(position, item.line, "text", text=item.text))
        elif item.kind == FOOTER:
            ctx.note(item.line, f"页眉页脚“{item.text}”已删除")
    start = next(
        (
            p.position
            for p in pieces
            if p.kind == "row"
            and (_row_parts(p.cells)[1] or "")
            and grammar.opens_applications(_row_parts(p.cells)[1])
        ),
        None,
    )
    if start is None:
        return None
    catalogue = _catalogue()
    anchors, orphans = [], []
    for piece in pieces[start:]:
        if piece.kind != "row":
            continue
        groups, label, values = _row_parts(piece.cells)
        filled = [v for v in values if v]
        if label is None:
            if len(filled) >= 6:
                orphans.append((piece.position, piece))
            else:
                return None
            continue
        found = grammar.match_label(label, catalogue)
        if found is None:
            return None  # a row we cannot name: leave the table as it is
        anchors.append((piece.position, found.id, piece))
    if not orphans and not any(p.kind in ("text", "loose") for p in pieces[start:]):
        return None  # a whole table: nothing to rebuild
    texts = {i: p.text for i, p in enumerate(pieces) if p.kind == "text"}
    groups = _track_groups(pieces, texts, ctx)
    labels = _labels(pieces, texts, start)
    best = None
    for fmt in load_formats().values():
        fit = _fit(fmt, [(a[0], a[1]) for a in anchors], [(o[0],) for o in orphans], labels, catalogue)
        if fit["ok"] and (best is None or fit["score"] > best[1]["score"]):
            best = (fmt, fit)
    if best is None:
        return None
    fmt, fit = best
    order = fit["order"]
    rows: dict[str, list[str]] = {}
    for _pos, row_id, piece in anchors:
        rows[row_id] = list(piece.cells)
    used_labels = set()
    for position, piece in orphans:
        row_id = fit["assigned"].get(position)
        if row_id is None:
            ctx.leave_out(piece.line, "表三：无标签的数据行“" + " ".join(piece.cells) + "”无法确定所属行")
            continue
        label_id, label_text = fit["by_label"].get(position, (None, ""))
        if label_id != row_id:
            label_text = next((lab[2] for lab, lid in zip(labels, fit["label_ids"]) if lid == row_id), "")
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
        rows[row_id] = [label_text, *piece.cells]
        ctx.note(piece.line, f"表三：第{piece.line}行的数据归入“{label_text}”（{row_id}）")
    for _position, line, text in labels:
        if text not in used_labels and not any(
            grammar.match_label(text, catalogue) and grammar.match_label(text, catalogue).id == a[1]
            for a in anchors
        ):
            ctx.leave_out(line, f"表三：标签“{text}”无对应数据行")
    for piece in pieces[start:]:
        if piece.kind == "loose":
            ctx.leave_out(piece.line, f"表三：表格片段之间的孤立内容“{piece.text}”未归入任何单元格")
    for group in groups:
        prefix = ROW_GROUPS[group.word]
        first = next((r for r in order if r.startswith(prefix) and r in rows), None)
        if first is None or (group.word == "其他处理" and first == "other_handling"):
            if first is None:
                ctx.leave_out(group.line, f"表三：分组标签“{group.text}”无对应行")
            continue
        cells = rows[first]
        group_cells, label, _values = _row_parts(cells)
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
        rows[first] = [group.text, *cells]
    out = list(captions)
    for piece in pieces[:start]:
        if piece.kind == "row":
            out.append("\t".join(piece.cells))
        elif piece.kind == "text" and texts.get(piece.position, "").strip():
            out.append(texts[piece.position])
        elif piece.kind == "loose":
            out.append(piece.text)
    out.extend("\t".join(rows[row_id]) for row_id in order if row_id in rows)
    return out


# ----------------------------------------------------------------- table four


def _review_header() -> list[list[str]]:
    fmt = list(load_formats().values())[-1]
    columns = [c.label for c in fmt.review_columns]
    n = len(columns)
    parts = [b.label.split() for b in fmt.review_blocks]  # ["行政复议"], ["行政诉讼", "未经复议直接起诉"], …
    top, middle, bottom = [], [], []
    for words in parts:
        if len(words) == 1:
            top += [words[0]] + [""] * (n - 1)
            middle += columns
            bottom += [""] * n
        else:
            top += ([words[0]] if words[0] not in top else [""]) + [""] * (n - 1)
            middle += [words[1]] + [""] * (n - 1)
            bottom += columns
    return [top, middle, bottom]


def _repair_review(items: list[_Item], ctx: _Context) -> list[str] | None:
    opener = match_key(list(load_formats().values())[-1].review_blocks[0].label)
    pieces: list[str] = []
    values: list[str] = []
    for item in items:
        cells = (
            item.cells
            if item.kind == PIPE
            else ((_text_row(item.text) or [item.text]) if item.kind == TEXT else [])
        )
        if any(match_key(c) == opener for c in cells):
            return None  # the parser finds this table as it is
        if cells and all(_is_value(c) or not c for c in cells) and any(cells):
            values.extend(cells)
        elif not values:
            pieces.extend(c for c in cells if c)
        elif cells:
            return None  # text after the data: not a table we understand
    header = _review_header()
    if not values or not pieces:
        return None
    if Counter(match_key("".join(pieces))) != Counter(match_key("".join(c for r in header for c in r))):
        ctx.note(items[0].line, "表四：表头碎片与格式表头的文字不一致，未重排")
        return None
    ctx.note(items[0].line, "表四：表头碎片按格式表头重排（文字完全一致）")
    captions = _captions(items)
    return captions + ["\t".join(row) for row in header] + ["\t".join(values)]


# ------------------------------------------------------------------- convert


def _region_kind(items: list[_Item]) -> str:
    texts = [c for i in items for c in (i.cells if i.kind == PIPE else [i.text]) if c]
    if any(grammar.block_heading_item(t) for t in texts):
        return "proactive"
    for item in items:
        cells = item.cells if item.kind == PIPE else (_text_row(item.text) or [item.text])
        label = _row_parts(cells)[1] if cells else None
        if label and grammar.opens_applications(label):
            return "applications"
    first = next((i for i in items if i.kind in (TEXT, PIPE)), None)
    if first is not None:
        text = first.text if first.kind == TEXT else next((c for c in first.cells if c), "")
        if squeeze(text).startswith("行政复议"):
            return "review"
    return "generic"


def convert_markdown(text: str) -> MarkdownConversion:
    """The report text for the grammar, with what was repaired and what was left out."""
    items = _classify(split_lines(text))
    ctx = _Context()
    out: list[str] = []
    position = 0
    repairs = {"proactive": _repair_proactive, "applications": _repair_applications, "review": _repair_review}
    for start, end in _regions(items):
        out.extend(_render_plain(items[position:start], ctx))
        region = items[start:end]
        kind = _region_kind(region)
        rendered = None
        if kind in repairs:
            saved = (len(ctx.notes), len(ctx.unplaced))
            rendered = repairs[kind](region, ctx)
            if rendered is None:  # no repair: drop what the attempt noted
                del ctx.notes[saved[0] :], ctx.unplaced[saved[1] :]
        if rendered is None:
            rendered = _render_generic(region, ctx)
        out.extend(rendered)
        out.extend([""] * (len(region) - len(rendered)))
        position = end
    out.extend(_render_plain(items[position:], ctx))
    return MarkdownConversion("\n".join(out), ctx.notes, ctx.unplaced)


def _render_plain(items: list[_Item], ctx: _Context) -> list[str]:
    out = []
    for item in items:
        if item.kind in (TEXT, HEADING):
            out.append(item.text)
        elif item.kind == FOOTER:
            ctx.note(item.line, f"页眉页脚“{item.text}”已删除")
            out.append("")
        elif item.kind == PIPE:
            out.append("\t".join(item.cells))
        else:
            out.append("")
    return out


def markdown_to_text(text: str) -> str:
    return convert_markdown(text).text


def read_markdown(text: str, name: str = "<markdown>", encoding: str = "utf-8"):
    """Temporary: the text without origins."""
    from gxaudit.read.source import SourceText

    return SourceText.plain(markdown_to_text(text), "markdown", encoding)
