"""Flattened reports: a whole web page on one line, table cells run together.

Some organs' pages reach us as text with no line breaks at all, and the
numbers of adjacent table cells written with nothing between them
("予以公开6000017" is 6, 0, 0, 0, 0, 1, 7). `unflatten` rewrites such a text
into the line shape the parser reads best (title line, part headings on their
own lines, prose paragraphs, one table row per line with tab-separated
cells) and recovers the cells by what the format knows:

* how many cells a row has (table two: per block; table three: 7; table four: 15);
* that a cell is a count written without leading zeros ("0" itself excepted),
  that only 本年增/减 is signed and only money columns carry decimals;
* the identities of the tables: the six applicant columns add up to 总计;
  results_total = the sum of the result rows, and new + carried_over =
  results_total + carried_forward, per column; in table four, 总计 = 维持 +
  纠正 + 其他 + 尚未审结 per block.

White space inside a digit run is taken as a cell boundary (the page had a
separate cell there). Every split of a digit run into the row's cells is
enumerated (the strings are short), pruned by the row's own constraints,
then the rows of table three are combined and filtered by the column
identities. When exactly one reading survives, its cells are written and
reported as "inferred"; when several survive ("ambiguous") or none does
("unsatisfiable"), the cells are written empty and the reason is reported:
a value is never guessed.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gxaudit.formats import grammar
from gxaudit.formats.load import BlockSpec, Format, Label, common, format_for_year, load_formats
from gxaudit.formats.text import fold, match_key

INFERRED = "inferred"
AMBIGUOUS = "ambiguous"
UNSATISFIABLE = "unsatisfiable"

# A text is flattened when one line holds most of a long text.
FLAT_MIN_CHARS = 1000
FLAT_LINE_SHARE = 0.6

# Bounds of the exact search (the real strings are far below them).
MAX_SPLITS_PER_ROW = 5000
MAX_COMBINATIONS = 200_000

# A table-three label piece longer than this, or one holding a full stop, is prose.
MAX_LABEL_PIECE = 60

NUMERALS = grammar.NUMERALS
HEADING_ENDINGS = ("情况", "措施", "事项", "概述", "统计表", "问题")


@dataclass
class Inference:
    """One table cell whose value had to be recovered from run-together digits.

    `line`/`column` are 1-based positions of the cell in the text `unflatten`
    returns (the column is where the cell's text starts, as the parser counts
    it). `raw` is the cell's digits when inferred, else the whole digit string
    of the row. The last four fields say which cell it is (table id, block id
    for tables two and four, row id, column id).
    """

    line: int
    column: int
    raw: str
    status: str  # INFERRED | AMBIGUOUS | UNSATISFIABLE
    reason: str  # in Chinese, for the supervisor
    table: str = ""
    block: str = ""
    row: str = ""
    cell: str = ""


# ------------------------------------------------------------------ detection

_PART_ON_LINE = re.compile(
    r"[一二三四五六]、\s*(?:总体情况|主动公开|收到和处理|政府信息公开行政|"
    r"存在的主要问题|存在问题|其他需要报告)"
)


def is_flattened(text: str) -> bool:
    """A text most of which sits on one line: long, or holding three part headings."""
    stripped = text.strip()
    longest = max((line.strip() for line in stripped.splitlines()), key=len, default="")
    if len(longest) < FLAT_LINE_SHARE * len(stripped):
        return False
    return len(longest) >= FLAT_MIN_CHARS or len(_PART_ON_LINE.findall(longest)) >= 3


# ------------------------------------------------------------------ output


@dataclass
class _Cell:
    text: str
    inference: tuple[str, str, str, dict] | None = None  # raw, status, reason, ids


class _Out:
    """The lines being written, and the inferences with their positions."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.inferences: list[Inference] = []

    def text(self, line: str) -> None:
        line = line.replace("\t", " ").strip()
        if line:
            self.lines.append(line)

    def prose(self, text: str) -> None:
        for paragraph in _paragraphs(text):
            self.text(paragraph)

    def row(self, cells: list[_Cell]) -> None:
        line_no = len(self.lines) + 1
        column = 1
        for cell in cells:
            text = cell.text.replace("\t", " ")
            if cell.inference is not None:
                raw, status, reason, ids = cell.inference
                self.inferences.append(Inference(line_no, column, raw, status, reason, **ids))
            column += len(text) + 1
        self.lines.append("\t".join(c.text.replace("\t", " ") for c in cells))


# ------------------------------------------------------------------ helpers

_WS = re.compile(r"\s+")


def _loose(text: str) -> str:
    """A regex for a label, on folded text, allowing white space between characters."""
    return r"\s*".join(re.escape(ch) for ch in fold(text) if not ch.isspace())


def _find_all(
    folded: str, texts: Iterable[tuple[str, object]], start: int = 0, end: int | None = None
) -> list[tuple[int, int, object]]:
    """Non-overlapping occurrences of labels: earliest first, longest at a position."""
    end = len(folded) if end is None else end
    hits: list[tuple[int, int, object]] = []
    for text, payload in texts:
        if not text.strip():
            continue
        for m in re.finditer(_loose(text), folded[:end]):
            if m.start() >= start:
                hits.append((m.start(), m.end(), payload))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    chosen: list[tuple[int, int, object]] = []
    for hit in hits:
        if chosen and hit[0] < chosen[-1][1]:
            continue
        chosen.append(hit)
    return chosen


def _split_words(original: str, words: Iterable[str]) -> list[str]:
    """Cut a header text into known words; unknown text between them is a cell too."""
    folded = fold(original)
    patterns = [re.compile(_loose(w)) for w in sorted(set(words), key=len, reverse=True) if w.strip()]
    cells: list[str] = []
    pending_start = None
    i = 0
    while i < len(folded):
        if folded[i].isspace():
            if pending_start is not None:
                cells.append(original[pending_start:i])
                pending_start = None
            i += 1
            continue
        match = next((m for p in patterns if (m := p.match(folded, i))), None)
        if match:
            if pending_start is not None:
                cells.append(original[pending_start:i])
                pending_start = None
            cells.append(original[i : match.end()])
            i = match.end()
            continue
        if pending_start is None:
            pending_start = i
        i += 1
    if pending_start is not None:
        cells.append(original[pending_start:])
    return [_WS.sub("", c) if len(_WS.sub("", c)) <= 12 else c.strip() for c in cells if c.strip()]


_SUBHEADING = re.compile(r"^[(（][一二三四五六七八九十]+[)）][^，。；,;]{1,24}$")
_SUBHEADING_START = re.compile(r"[(（][一二三四五六七八九十]+[)）]")


def _paragraphs(text: str) -> list[str]:
    """Prose cut into paragraphs: after a sentence end followed by white space, after a
    short "（一）…" subheading followed by white space, and before a "（一）" that follows
    a full stop."""
    out: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            before = text[start:i].strip()
            if before and (before[-1] in "。；！？：:" or _SUBHEADING.match(before)):
                out.append(before)
                start = j
            i = j
            continue
        if ch in "(（" and i > start and text[i - 1] == "。" and _SUBHEADING_START.match(text, i):
            out.append(text[start:i].strip())
            start = i
        i += 1
    out.append(text[start:].strip())
    return [p for p in out if p]


# ------------------------------------------------------------------ title, headings


def _find_title(text: str) -> tuple[str, int] | None:
    """The title at the very start, and where it ends."""
    endings = "|".join(re.escape(e) for e in common()["title"]["endings"])
    m = re.match(rf"\s*([^，。；：,;:]{{4,60}}?(?:{endings}))", text)
    if not m or not re.search(r"(?:19|20)\d\d", fold(m.group(1))):
        return None
    return m.group(1).strip(), m.end()


@dataclass
class _Heading:
    start: int
    end: int
    number: int


def _section_texts() -> list[str]:
    texts: list[str] = []
    for fmt in load_formats().values():
        for label in fmt.sections:
            texts.extend(label.texts)
    return sorted(set(texts), key=len, reverse=True)


def _find_headings(text: str, folded: str, start: int) -> list[_Heading]:
    """Part headings "一、总体情况": a known wording (any format, any variant) after the
    numeral; else, after a sentence end, a short text ending like a heading does."""
    known = [re.compile(_loose(t)) for t in _section_texts()]
    not_headings = [match_key(k) for k in common()["not_headings"]]
    found: list[_Heading] = []
    last = 0
    for m in re.finditer(rf"([{NUMERALS}]{{1,2}})\s*[、.．]\s*", folded):
        if m.start() < start:
            continue
        value = _numeral_value(m.group(1))
        if value is None or value <= last:
            continue
        end = None
        for pattern in known:
            hit = pattern.match(folded, m.end())
            if hit:
                end = hit.end()
                break
        if end is None:
            before = folded[m.start() - 1] if m.start() > 0 else "。"
            if not (before.isspace() or before in "。；！？;!?"):
                continue
            region = re.match(r"[^，。；：,;:!?！？\s\d(（“\"]{2,40}", folded[m.end() :])
            if not region:
                continue
            words = region.group(0)
            cut = max((words.rfind(e) + len(e) for e in HEADING_ENDINGS if e in words), default=-1)
            if cut < 2:
                continue
            end = m.end() + cut
        heading_key = match_key(folded[m.end() : end])
        if any(k in heading_key for k in not_headings):
            continue
        following = folded[end : end + 3].lstrip()[:1]
        if following and following in "，；、,;":
            continue  # an item of a list ("包括：一、总体情况；二、…"), not a heading
        found.append(_Heading(m.start(), end, value))
        last = value
    return found


def _numeral_value(numeral: str) -> int | None:
    values = {n: i + 1 for i, n in enumerate(NUMERALS)}
    if len(numeral) == 1:
        return values.get(numeral)
    if numeral[0] == "十":
        return 10 + values.get(numeral[1], 0) if numeral[1] != "十" else None
    if numeral[1] == "十":
        return values[numeral[0]] * 10
    return None


# ------------------------------------------------------------------ digit runs


@functools.lru_cache(maxsize=1)
def _units() -> tuple[str, ...]:
    return tuple(sorted(common()["cells"]["units"], key=len, reverse=True))


@dataclass
class _Chunk:
    """A piece of a digit run between white space: sign, digits, decimals/unit, or a dash."""

    sign: str = ""
    digits: str = ""
    tail: str = ""  # ".52元": belongs to the last cell cut from the digits
    dash: str = ""

    @property
    def raw(self) -> str:
        return self.dash or (self.sign + self.digits + self.tail)


def _value_chunks(
    original: str, folded: str, pos: int, end: int, *, money: bool = True, words: bool = True
) -> tuple[list[_Chunk], int]:
    """The value chunks from `pos`, up to the first text that is not a value; and where
    they end. For tables three and four (money=False, words=False) only digits and
    dash symbols are values."""
    units = "|".join(re.escape(u) for u in _units())
    dashes = [d for d in common()["cells"]["dash"] if words or not re.search(r"\w", d)]
    dash_re = "|".join(re.escape(d) for d in sorted(dashes, key=len, reverse=True))
    if money:
        number = rf"([+\-]?)([0-9]+)((?:\.[0-9]+)?(?:{units})?)"
    else:
        number = r"()([0-9]+)()"
    pattern = re.compile(rf"\s*(?:{number}|({dash_re}))")
    chunks: list[_Chunk] = []
    last_end = pos
    while pos < end:
        m = pattern.match(folded, pos, end)
        if not m or m.end() == m.start() or not (m.group(2) or m.group(4)):
            break
        if m.group(2) is not None and m.group(2):
            s2, e2 = m.span(2)
            chunks.append(
                _Chunk(
                    sign=original[m.start(1) : m.end(1)],
                    digits=original[s2:e2],
                    tail=original[m.start(3) : m.end(3)],
                )
            )
        else:  # a dash cell ("-262" was taken as a signed number above)
            chunks.append(_Chunk(dash=original[m.start(4) : m.end(4)]))
        pos = last_end = m.end()
    return chunks, last_end


def _splits(
    chunks: list[_Chunk],
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


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _count_ok(_index: int, text: str) -> bool:
    """A table-three/four cell: a count (digits) or a dash."""
    return text.isdigit() or not any(ch.isdigit() for ch in text)


def _no_prefix(_cells: list[str], _complete: bool) -> bool:
    return True


def _sum_ok(values: list[int | None], total: int | None) -> bool:
    if total is None or any(v is None for v in values):
        return True  # a dash: the sum cannot be checked
    return sum(values) == total  # type: ignore[arg-type]


# ------------------------------------------------------------------ table two


def _block_heading_re() -> re.Pattern[str]:
    return re.compile(common()["proactive"]["block_heading"])


@dataclass
class _Context:
    year: int | None
    out: _Out


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


def _table_two(text: str, folded: str, start: int, ctx: _Context) -> int:
    """Write table two from the first block heading at `start`; return where it ends."""
    heads = list(_block_heading_re().finditer(folded, start))
    out = ctx.out
    end_of_table = start
    for index, head in enumerate(heads):
        block_end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        item = head.group("item")
        specs = [b for f in load_formats().values() for b in f.blocks if b.item == item]
        out.text(text[head.start() : head.end()])
        pos = head.end()
        marker = re.match(r"\s*" + _loose(common()["proactive"]["header_marker"]), folded[pos:block_end])
        header_cells: list[str] = []
        if marker:
            header_cells.append(text[pos : pos + marker.end()].strip())
            pos += marker.end()
        rows = _find_all(folded, [(t, r) for s in specs for r in s.rows for t in r.texts], pos, block_end)
        first_row = rows[0][0] if rows else block_end
        column_words = [t for s in specs for c in s.columns for t in c.texts]
        header_cells += _split_words(text[pos:first_row], column_words)
        spec = _spec_for(item, header_cells, ctx.year)
        if header_cells:
            out.row([_Cell(c) for c in header_cells])
        end_of_table = first_row
        if spec is None:
            continue
        for r_index, (r_start, r_end, row_label) in enumerate(rows):
            next_start = rows[r_index + 1][0] if r_index + 1 < len(rows) else block_end
            chunks, value_end = _value_chunks(text, folded, r_end, next_start)
            label_text = text[r_start:r_end]
            cells = _resolve_simple(label_text, chunks, spec, row_label.id, item)
            leftover = text[value_end:next_start].strip()
            last_block = index + 1 == len(heads)
            if leftover and not last_block:
                cells.append(_Cell(leftover))  # not a value: left for the parser to flag
                value_end = next_start
            out.row([_Cell(_WS.sub("", label_text))] + cells)
            end_of_table = value_end
            if leftover and last_block:
                break  # prose after the table
    return end_of_table


def _resolve_simple(label: str, chunks: list[_Chunk], spec: BlockSpec, row_id: str, item: str) -> list[_Cell]:
    """The cells of a table-two row: no sums to use, only the shape of each column."""
    columns = spec.columns
    k = len(columns)
    raw = " ".join(c.raw for c in chunks)
    ids = {"table": "proactive", "block": spec.id, "row": row_id}
    if len(chunks) == k or not chunks:
        cells = [_Cell(c.raw) for c in chunks]
        return cells

    def cell_ok(index: int, text: str) -> bool:
        column = columns[index]
        if text[:1] in "+-＋－" and not column.get("signed"):
            return False
        return not ("." in text and not column.get("money"))

    label_key = _bare(label)
    where = f"表二第二十条第（{item}）项‘{label_key}’一行"
    if len(chunks) > k:
        splits: list[tuple[str, ...]] = []
        stopped = False
    else:
        splits, stopped = _splits(chunks, k, cell_ok, _no_prefix)
    if len(splits) == 1:
        reason = f"{where}的数字串“{raw}”拆成 {k} 个单元格只有 1 种读法（不带前导零{_shape_note(columns)}）"
        return [_Cell(v, (v, INFERRED, reason, {**ids, "cell": c.id})) for v, c in zip(splits[0], columns)]
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
    return [_Cell("", (raw, status, reason, {**ids, "cell": c.id})) for c in columns]


def _shape_note(columns: tuple[Label, ...]) -> str:
    notes = []
    if not any(c.get("signed") for c in columns):
        notes.append("不带正负号")
    if not any(c.get("money") for c in columns):
        notes.append("不带小数")
    return "、" + "、".join(notes) if notes else ""


# ------------------------------------------------------------------ table three

_ENUM = re.compile(r"[一二三四五六七八九十]+\s*、|[(（]\s*[一二三四五六七八九十]+\s*[)）]|[0-9]+\s*[.．、]")


_LEADING_ENUMS = re.compile(
    r"^(?:\s*(?:[一二三四五六七八九十]+\s*[、.]|\(?\s*[一二三四五六七八九十]+\s*\)|[0-9]+\s*[.、)]|\([0-9]+\)))+\s*"
)


def _bare(label: str) -> str:
    """A label as written, without its leading enumerators ("（一）予以公开" → "予以公开")."""
    m = _LEADING_ENUMS.match(fold(label))
    return (label[m.end() :] if m else label).strip() or label.strip()


def _label_pieces(text: str) -> list[str]:
    """A label region cut before each enumerator: "三、本年度办理结果（一）予以公开"
    gives "三、本年度办理结果", "（一）予以公开"."""
    folded = fold(text)
    starts = sorted({m.start() for m in _ENUM.finditer(folded)} | {0})
    pieces = [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]
    return [p for p in pieces if p]


@dataclass
class _Run:
    start: int
    end: int
    chunks: list[_Chunk]

    @property
    def raw(self) -> str:
        return " ".join(c.raw for c in self.chunks)


def _runs(text: str, folded: str, start: int, end: int) -> list[_Run]:
    """Digit runs (digits and dash symbols, white space between) in text[start:end],
    without the enumerator digit a run ends with ("00000002.其他法律…": the 2 is the
    next label's)."""
    runs: list[_Run] = []
    chunk_start = re.compile(r"[0-9/／—–]")
    pos = start
    while (m := chunk_start.search(folded, pos, end)) is not None:
        chunks, run_end = _value_chunks(text, folded, m.start(), end, money=False, words=False)
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
            runs.append(_Run(m.start(), run_end, chunks))
        pos = max(run_end, m.start() + 1) if chunks else run_end + 1
    return runs


@dataclass
class _T3Row:
    label_cells: list[str]
    label: Label | None
    run: _Run | None
    candidates: list[tuple[str, ...]] = field(default_factory=list)
    direct: bool = False
    stopped: bool = False
    status: str | None = None
    reason: str = ""

    @property
    def id(self) -> str | None:
        return self.label.id if self.label else None

    @property
    def name(self) -> str:
        return _bare(self.label_cells[-1]) if self.label_cells else "?"


def _application_labels() -> list[Label]:
    labels: dict[str, Label] = {}
    for fmt in reversed(list(load_formats().values())):
        for row in fmt.application_rows:
            labels.setdefault(row.id, row)
    return list(labels.values())


def _table_three_start(folded: str, start: int, end: int) -> int | None:
    marks = [re.compile(r"[(（]?\s*" + _loose(m)) for m in common()["applications"]["markers"]]
    marks.append(re.compile(r"[一1]\s*[、.．]\s*本\s*年\s*新\s*收"))
    hits = [m.start() for p in marks if (m := p.search(folded, start, end))]
    return min(hits) if hits else None


def _table_three(text: str, folded: str, start: int, end: int, ctx: _Context) -> int:
    """Write table three found at `start`; return where it ends."""
    out = ctx.out
    labels = _application_labels()
    runs = _runs(text, folded, start, end)
    # label regions: before each run
    regions: list[tuple[int, int, _Run | None]] = []
    pos = start
    for run in runs:
        regions.append((pos, run.start, run))
        pos = run.end
    regions.append((pos, end, None))
    rows: list[_T3Row] = []
    table_end = start
    header: list[str] = []
    opened = False
    for r_start, r_end, run in regions:
        region = text[r_start:r_end]
        pieces = _label_pieces(region)
        if not opened:
            first = next((i for i, p in enumerate(pieces) if grammar.opens_applications(p)), None)
            if first is None:
                if run is None:
                    break
                header.append(region)  # digits inside the header? keep as header
                header.append(run.raw)
                continue
            header.append("".join(pieces[:first]) if first else "")
            pieces = pieces[first:]
            opened = True
        prose = any("。" in p or len(p) > MAX_LABEL_PIECE for p in pieces)
        if run is None:
            # the end of the part: a last label without numbers, or prose
            label = grammar.match_label(pieces[-1], labels) if pieces and not prose else None
            if label is not None:
                rows.append(_T3Row(pieces, label, None))
                table_end = r_end
            break
        if prose:
            break  # prose after the table
        label = grammar.match_label(pieces[-1], labels) if pieces else None
        rows.append(_T3Row(pieces, label, run))
        table_end = run.end if run else r_end
        if label is not None and label.id == "carried_forward":
            break
    if not opened:
        return start
    _write_header_three(out, "".join(header))
    _resolve_three(rows)
    columns = [c["id"] for c in common()["applications"]["columns"]]
    for row in rows:
        cells = [_Cell(_WS.sub("", p) if len(p) <= 12 else p) for p in row.label_cells]
        if row.run is None:
            out.row(cells)
            continue
        if row.direct or row.status is None:
            values = [_Cell(c.raw) for c in row.run.chunks]
        elif row.status == INFERRED:
            ids = {"table": "applications", "row": row.id or ""}
            values = [
                _Cell(v, (v, INFERRED, row.reason, {**ids, "cell": c}))
                for v, c in zip(row.candidates[0], columns)
            ]
        else:
            ids = {"table": "applications", "row": row.id or ""}
            values = [_Cell("", (row.run.raw, row.status, row.reason, {**ids, "cell": c})) for c in columns]
        out.row(cells + values)
    return table_end


def _write_header_three(out: _Out, header: str) -> None:
    folded = fold(header)
    note = re.search(r"[(（]?\s*本列数据的勾稽关系[^)）]*[)）]?", folded)
    rest = header
    if note:
        out.text(header[note.start() : note.end()])
        rest = header[: note.start()] + " " + header[note.end() :]
    words = [c["label"] for c in common()["applications"]["columns"]]
    words += ["申请人情况", "法人或其他组织"]
    cells = _split_words(rest, words)
    if cells:
        out.row([_Cell(c) for c in cells])


def _row_constraint(cells: list[str], complete: bool) -> bool:
    if not complete:
        return True
    values = [_int(c) for c in cells]
    return _sum_ok(values[:6], values[6])


def _resolve_three(rows: list[_T3Row]) -> None:
    """Candidates per row (cell count, row sum), then the column identities."""
    k = len(common()["applications"]["columns"])
    for row in rows:
        if row.run is None:
            continue
        chunks = row.run.chunks
        if len(chunks) == k:
            row.direct = True
            row.candidates = [tuple(c.raw for c in chunks)]
            continue
        if len(chunks) > k:
            row.status = UNSATISFIABLE
            row.reason = (
                f"‘{row.name}’一行的数字串“{row.run.raw}”有 {len(chunks)} 段，"
                f"多于表三每行的 {k} 个单元格，数值未填"
            )
            continue
        row.candidates, row.stopped = _splits(chunks, k, _count_ok, _row_constraint)
        if not row.candidates:
            row.status = UNSATISFIABLE
            row.reason = (
                f"‘{row.name}’一行的数字串“{row.run.raw}”没有任何拆成 {k} 个单元格的读法"
                f"能满足行合计（六类申请人之和等于总计），数字可能有误或缺失，数值未填"
            )
    usable = {r.id: r for r in rows if r.id and r.candidates and r.status is None}
    identities = _identities(usable, {r.id for r in rows if r.id})
    # rows whose reading the identities can decide
    involved = sorted(
        {rid for ident in identities for rid in _ident_rows(ident)},
        key=lambda rid: [r.id for r in rows].index(rid),
    )
    open_rows = [rid for rid in involved if len(usable[rid].candidates) > 1]
    fixed = {rid: usable[rid].candidates[0] for rid in involved if rid not in open_rows}
    survivors: list[dict[str, tuple[str, ...]]] = []
    too_many = False
    product = 1
    for rid in open_rows:
        product *= len(usable[rid].candidates)
    if product > MAX_COMBINATIONS:
        too_many = True
    elif identities:
        for combo in itertools.product(*(usable[rid].candidates for rid in open_rows)):
            reading = dict(fixed)
            reading.update(zip(open_rows, combo))
            if all(_holds(ident, reading) for ident in identities):
                survivors.append({rid: reading[rid] for rid in open_rows})
    names = "、".join(_IDENTITY_NAMES[i[0]] for i in identities)
    for row in rows:
        if row.run is None or row.direct or row.status is not None:
            continue
        raw = row.run.raw
        n = len(row.candidates)
        counted = f"至少 {n}" if row.stopped else f"{n}"
        where = f"‘{row.name}’一行的数字串“{raw}”"
        if row.id not in involved or too_many:
            if n == 1:
                row.status = INFERRED
                row.reason = f"{where}拆成 {k} 个单元格，只有 1 种读法满足行合计（六类申请人之和等于总计）"
                if row.id in involved and too_many:
                    row.reason += "；列勾稽关系因组合过多未核对"
            else:
                row.status = AMBIGUOUS
                why = "且各行组合过多，未能用列勾稽关系排除" if too_many else "且没有可用的列勾稽关系"
                row.reason = f"{where}有 {counted} 种拆分都满足行合计，{why}，无法确定，数值未填"
            continue
        if row.id not in open_rows:
            row.status = INFERRED
            row.reason = f"{where}拆成 {k} 个单元格，只有 1 种读法满足行合计（六类申请人之和等于总计）"
            if identities and not survivors:
                row.reason += f"；但{names}在任何读法下都不成立，报告中的数字可能有误"
            else:
                row.reason += f"，{names}也成立"
            continue
        readings = {s[row.id] for s in survivors}
        if len(readings) == 1:
            row.status = INFERRED
            row.candidates = [next(iter(readings))]
            row.reason = f"{where}有 {counted} 种拆分满足行合计，只有 1 种同时满足{names}"
        elif readings:
            row.status = AMBIGUOUS
            row.reason = (
                f"{where}有 {len(readings)} 种拆分都满足行合计和{names}"
                f"（如 {'、'.join('/'.join(r) for r in sorted(readings)[:3])}），无法确定，数值未填"
            )
        else:
            row.status = UNSATISFIABLE
            row.reason = (
                f"{where}有 {counted} 种拆分满足行合计，但没有一种能与其他行一起满足{names}，数值未填"
            )


_IDENTITY_NAMES = {
    "results": "“办理结果总计等于各办理结果之和”",
    "balance": "“第一项加第二项之和等于第三项加第四项之和”",
}


def _ident_rows(ident: tuple) -> list[str]:
    if ident[0] == "results":
        return [ident[1], *ident[2]]
    return list(ident[1]) + list(ident[2])


def _identities(usable: dict[str, _T3Row], present: set[str]) -> list[tuple]:
    """The column identities whose rows are all present and readable."""
    identities: list[tuple] = []
    special = {"new", "carried_over", "results_total", "carried_forward"}
    for fmt in reversed(list(load_formats().values())):
        result_rows = [r.id for r in fmt.application_rows if r.id not in special]
        if (
            "results_total" in usable
            and all(r in usable for r in result_rows)
            and not (present - special - set(result_rows))
        ):
            identities.append(("results", "results_total", tuple(result_rows)))
            break
    if all(r in usable for r in special):
        identities.append(("balance", ("new", "carried_over"), ("results_total", "carried_forward")))
    return identities


def _holds(ident: tuple, reading: dict[str, tuple[str, ...]]) -> bool:
    columns = len(next(iter(reading.values())))
    if ident[0] == "results":
        left_rows, right_rows = [ident[1]], list(ident[2])
    else:
        left_rows, right_rows = list(ident[1]), list(ident[2])
    for c in range(columns):
        left = [_int(reading[r][c]) for r in left_rows]
        right = [_int(reading[r][c]) for r in right_rows]
        if any(v is None for v in left + right):
            continue  # a dash: this column cannot be checked
        if sum(left) != sum(right):  # type: ignore[arg-type]
            return False
    return True


# ------------------------------------------------------------------ table four


def _table_four_start(folded: str, start: int, end: int) -> int | None:
    for m in re.finditer(_loose("行政复议"), folded[:end]):
        if m.start() < start:
            continue
        window = folded[m.start() : min(end, m.start() + 120)]
        first_digit = re.search(r"[0-9]", window)
        if re.search(_loose("结果维持"), window[: first_digit.start() if first_digit else None]):
            return m.start()
    return None


def _table_four(text: str, folded: str, start: int, end: int, ctx: _Context) -> int:
    out = ctx.out
    config = common()["review_litigation"]
    blocks = [b["id"] for b in config["blocks"]]
    columns = [c["id"] for c in config["columns"]]
    width = len(blocks) * len(columns)
    digit = re.search(r"[0-9]", folded[start:end])
    header_end = start + digit.start() if digit else end
    header = _split_words(text[start:header_end], config["header_cells"])
    out.row([_Cell(c) for c in header])
    if not digit:
        return end
    chunks, value_end = _value_chunks(text, folded, header_end, end, money=False, words=False)
    raw = " ".join(c.raw for c in chunks)
    per = len(columns)

    def blocks_ok(cells: list[str], complete: bool) -> bool:
        if len(cells) % per:
            return True
        values = [_int(c) for c in cells[-per:]]
        return _sum_ok(values[:-1], values[-1])

    if len(chunks) == width or not chunks:
        out.row([_Cell(c.raw) for c in chunks])
        return value_end
    splits, stopped = ([], False) if len(chunks) > width else _splits(chunks, width, _count_ok, blocks_ok)
    labels = [c["label"] for c in config["blocks"]]
    where = f"表四的数字串“{raw}”"
    if len(splits) == 1:
        reason = (
            f"{where}拆成 {width} 个单元格，只有 1 种读法满足各栏“总计等于维持、纠正、其他、尚未审结之和”"
        )
        cells = [
            _Cell(
                v,
                (
                    v,
                    INFERRED,
                    reason,
                    {"table": "review_litigation", "block": blocks[i // per], "cell": columns[i % per]},
                ),
            )
            for i, v in enumerate(splits[0])
        ]
    else:
        if splits:
            status = AMBIGUOUS
            count = f"至少 {len(splits)}" if stopped else f"{len(splits)}"
            reason = (
                f"{where}有 {count} 种拆成 {width} 个单元格的读法都满足各栏总计"
                f"（{'、'.join(labels)}），无法确定，数值未填"
            )
        else:
            status = UNSATISFIABLE
            reason = (
                f"{where}没有任何拆成 {width} 个单元格的读法能满足各栏“总计等于维持、纠正、其他、"
                f"尚未审结之和”，数值未填"
            )
        cells = [
            _Cell(
                "",
                (
                    raw,
                    status,
                    reason,
                    {"table": "review_litigation", "block": blocks[i // per], "cell": columns[i % per]},
                ),
            )
            for i in range(width)
        ]
    out.row(cells)
    return value_end


# ------------------------------------------------------------------ sections


def _body(text: str, folded: str, start: int, end: int, ctx: _Context) -> None:
    """A part's body: prose, and any of the three tables found in it."""
    pos = start
    while pos < end:
        two = _block_heading_re().search(folded, pos, end)
        three = _table_three_start(folded, pos, end)
        four = _table_four_start(folded, pos, end)
        found = [
            (p, kind)
            for p, kind in ((two.start() if two else None, 2), (three, 3), (four, 4))
            if p is not None
        ]
        if not found:
            break
        at, kind = min(found)
        ctx.out.prose(text[pos:at])
        if kind == 2:
            stop = _table_two(text[:end], folded[:end], at, ctx)
        elif kind == 3:
            stop = _table_three(text, folded, at, end, ctx)
        else:
            stop = _table_four(text, folded, at, end, ctx)
        if stop <= at:  # nothing taken: move on
            ctx.out.prose(text[at : at + 1])
            stop = at + 1
        pos = stop
    ctx.out.prose(text[pos:end])


def unflatten(text: str) -> tuple[str, list[Inference]]:
    """Rewrite a flattened report into lines; return the text and the inferred cells."""
    flat = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ").replace("\t", " ")
    folded = fold(flat)
    out = _Out()
    pos = 0
    year = None
    title = _find_title(flat)
    if title:
        out.text(title[0])
        pos = title[1]
        year, _ = grammar.title_year(title[0])
    if year is None:
        years = grammar.year_mentions(flat[:600])
        year = years[0][0] if years else None
    ctx = _Context(year, out)
    headings = _find_headings(flat, folded, pos)
    bounds = [h.start for h in headings] + [len(flat)]
    _body(flat, folded, pos, bounds[0], ctx)
    for index, heading in enumerate(headings):
        out.text(flat[heading.start : heading.end])
        _body(flat, folded, heading.end, bounds[index + 1], ctx)
    return "\n".join(out.lines) + "\n", out.inferences
