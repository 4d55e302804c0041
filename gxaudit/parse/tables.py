"""Assembling table cells into the AST's rows and blocks.

The tokenizer gives each table as a stream of cells in reading order. Rows
are found by their labels (matched by the grammar to canonical ids); the
cells after a label up to the next label are its values. Layout artefacts
(the empty cell of a merged label column, stray trailing tabs) are trimmed
by what the format knows: how many columns a row has.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from gxaudit.formats import grammar
from gxaudit.formats.load import Format, Label, format_for_year, load_formats
from gxaudit.formats.text import match_key, squeeze
from gxaudit.parse import ast
from gxaudit.parse.scan import ScannedCell, Token, cell_at
from gxaudit.regex import on_use


def make_cell(token: Token) -> ast.Cell:
    return cell_at(token.raw, token.line, token.column)


def placed(cell: ScannedCell) -> ast.Cell:
    """The AST cell of a scanned cell put in a row: a value or a blank cell already is one."""
    return cell if isinstance(cell, ast.Cell) else make_cell(cell)


def trim(values: list[ScannedCell], width: int) -> list[ScannedCell]:
    """Drop layout empties while a row has more cells than the format: trailing
    ones (stray tabs), then leading ones (the merged label column). A blank
    cell inside a row of the right width is kept: empty is not zero."""
    start, end = 0, len(values)
    while end - start > width and not values[end - 1].raw:
        end -= 1
    while end - start > width and not values[start].raw:
        start += 1
    return values[start:end]


@dataclass
class _Segment:
    label: Label | None  # None: a group label, or a row whose name names no row (unnamed)
    tokens: list[ScannedCell]  # the label cell(s): text cells (Tokens)
    values: list[ScannedCell] = field(default_factory=list)
    unnamed: bool = False  # a row printed with figures under a name no format has

    @property
    def filled(self) -> list[ScannedCell]:
        return [v for v in self.values if v.raw]


def unplaced(columns: list[str], values: list[ScannedCell]) -> dict[str, ast.Cell]:
    """A row's cells when its values cannot be put in columns: one unreadable cell per column
    (something is printed, which column holds what is unknown), never an absent one."""
    line, column = (values[0].line, values[0].column) if values else (0, 0)
    raws = [v.raw for v in values] + [""] * max(0, len(columns) - len(values))
    return {
        c: ast.Cell(raw, ast.EMPTY, None, None, line, column, False, True) for c, raw in zip(columns, raws)
    }


class Assembler:
    def __init__(self, diagnostics: list[ast.Diagnostic], spaced: frozenset[int] | set[int] = frozenset()):
        self.diagnostics = diagnostics
        # lines whose cells were set apart by spaces (scan.spaced_cells): runs of blank cells
        # were closed up there, so a row of the wrong width cannot be put in its columns
        self.spaced = spaced
        # the ids of the table's cells of numbers run together ("60 1"): see(), per table
        self.run_together: set[int] = set()
        # table three: the rows of the report's format, and those of them no other format has
        self.own_rows: frozenset[str] = frozenset()
        self.only_own_rows: frozenset[str] = frozenset()

    def see(self, tokens: list[ScannedCell]) -> None:
        """Note the cells of a table that hold numbers run together (most tables: none)."""
        # such a cell is of kind EMPTY and not blank (grammar.RUN_TOGETHER)
        self.run_together = {
            id(t) for t in tokens if t.kind == ast.EMPTY and t.raw and grammar.run_together(t.raw)
        }

    def unplaceable(self, values: list[ScannedCell], width: int) -> str:
        """Why a row cannot be put in its columns ("" when it can, as a tab row short of its
        last cells is): one of its cells holds numbers run together ("60 1": a tab lost),
        or it is of the wrong width and its cells were set apart by spaces (blank cells
        closed up). A row that prints a cell in every column has its cells where they are,
        a cell of numbers run together too: that cell alone is unreadable ("2 6" in a web
        page's cell, 26 or two figures)."""
        if self.run_together and any(id(v) in self.run_together for v in values):
            if len(values) == width and all(v.raw for v in values):
                return ""
            # a blank cell that makes the width up is a layout artefact: the row is unreadable
            return "有几个数连在一个单元格里"
        if len(values) != width and self.spaced and any(v.line in self.spaced for v in values):
            return "以空格分隔"
        return ""

    def _heads_rows_of_its_own(self, row: str, values: list[ScannedCell], following: _Segment | None) -> bool:
        """Another format's row, nothing printed in it, over rows only this format has: the
        heading of those rows ("(六) 其他处理" over 2021's three 其他处理 rows), not that row."""
        return bool(
            self.own_rows
            and row not in self.own_rows
            and following is not None
            and following.label is not None
            and following.label.id in self.only_own_rows
            and not any(v.raw for v in values)
        )

    def note(self, line: int, message: str) -> None:
        self.diagnostics.append(ast.Diagnostic(line, message))

    def rows(self, segments: list[_Segment], columns: list[str], table: str) -> dict[str, ast.Row]:
        """Rows from label segments, each segment's values trimmed to the columns."""
        rows: dict[str, ast.Row] = {}
        previous: ast.Row | None = None
        layout: tuple[dict[int, int], int] | None = None  # made when a row is too wide (few are)
        for index, seg in enumerate(segments):
            label_text = seg.tokens[0].raw if len(seg.tokens) == 1 else "".join(t.raw for t in seg.tokens)
            if seg.label is None:
                if seg.unnamed:
                    self.note(
                        seg.tokens[0].line,
                        f"{table}: 行“{label_text}”的名称无法对应到模板的任何一行，其数字未读入",
                    )
                    continue
                if seg.filled:
                    self.note(seg.tokens[0].line, f"{table}: 分组标签“{label_text}”后有未归属的数值")
                continue
            if previous is not None and previous.id == seg.label.id and not seg.filled:
                previous.label += label_text  # a label continued on a later line
                continue
            values = seg.values
            in_label = _figures_in_label(seg)
            if in_label is not None:
                label_text = "".join(t.raw for t in seg.tokens[:-1]) + in_label[0]
            following = segments[index + 1] if index + 1 < len(segments) else None
            if following is not None and values and not values[-1].raw:
                values = _before_next_line(values, following.tokens[0].line)
            if not values and in_label is None and following is not None:
                continue  # a label that heads sub-rows
            if self._heads_rows_of_its_own(seg.label.id, values, following):
                continue
            # most rows start with a number: no label wrapped onto their line
            wrapped = (
                _wrapped_label(seg) if values and (values[0].kind == "text" or not values[0].raw) else None
            )
            if wrapped:
                label_text += wrapped.raw
                values = [v for v in values if v is not wrapped]
            # with every cell of the row printed besides, one digit after the label is a mark
            # (a footnote's number, "（一）予以公开 1"), not a cell: the row reads as printed
            figures = in_label[1] if in_label is not None else []
            if len(figures) == 1 and _full(values, len(columns)):
                figures = []
            if not figures:
                # blanks at both ends of a row too wide: which are layout, the table's full rows say
                if len(values) > len(columns) and not values[0].raw and not values[-1].raw:
                    layout = layout or _value_columns(segments, len(columns))
                    if layout[1]:
                        values = _without_label_columns(values, *layout, len(columns))
                values = trim(values, len(columns))
                why = self.unplaceable(values, len(columns))
            else:
                values = trim(values, len(columns) - len(figures))
                # one figure, and room for it before the row's cells: the cell the lost tab set apart
                fits = len(figures) == 1 and len(values) < len(columns)
                why = "" if fits else "的标签单元格里带有数字"
                values = figures + values
                why = why or self.unplaceable(values, len(columns))
            if why:
                self.note(
                    seg.tokens[0].line,
                    f"{table}: 行“{label_text}”{why}，有 {len(values)} 个单元格，格式要求 {len(columns)} 个：无法确定各数所在的列",
                )
                if seg.label.id not in rows:
                    row = ast.Row(seg.label.id, label_text, seg.tokens[0].line, unplaced(columns, values))
                    rows[row.id] = previous = row
                continue
            if len(values) > len(columns):
                extra = values[len(columns) :]
                self.note(extra[0].line, f"{table}: 行“{label_text}”多出 {len(extra)} 个单元格，未归入任何列")
                values = values[: len(columns)]
            if len(values) < len(columns):
                self.note(
                    seg.tokens[0].line,
                    f"{table}: 行“{label_text}”只有 {len(values)} 个单元格，格式要求 {len(columns)} 个",
                )
            if seg.label.id in rows:
                self.note(seg.tokens[0].line, f"{table}: 行“{label_text}”重复出现，已忽略")
                continue
            # placed() inline (a call a cell): a value or a blank cell already is an AST cell
            cells = {
                column: cell if cell.__class__ is ast.Cell else make_cell(cell)  # type: ignore[arg-type]
                for column, cell in zip(columns, values)
            }
            row = ast.Row(seg.label.id, label_text, seg.tokens[0].line, cells)  # (id, label, line, cells)
            rows[row.id] = row
            previous = row
        return rows


# ----------------------------------------------------------------- table two


def _block_specs(item: str, formats: list[Format]):
    return [b for f in formats for b in f.blocks if b.item == item]


def _spec_labels(specs: list) -> tuple[grammar.LabelSet, grammar.LabelSet]:
    """The rows and the columns of these block specs, as label sets made once."""
    key = tuple(map(id, specs))
    found = _DERIVED.get(("spec labels", key))
    if found is None:
        labels = (
            grammar.LabelSet(r for s in specs for r in s.rows),
            grammar.LabelSet(c for s in specs for c in s.columns),
        )
        found = _DERIVED[("spec labels", key)] = (list(specs), labels)
    return found[1]  # type: ignore[return-value]


# what the parser derives once from formats that live as long as the process (load_formats
# is cached): keyed by the objects' ids, which the stored objects keep from being reused
_DERIVED: dict[tuple, tuple[object, object]] = {}


def _derived(owner: object, what: str, make):
    key = (what, id(owner))
    found = _DERIVED.get(key)
    if found is None:
        found = _DERIVED[key] = (owner, make())
    return found[1]


def _column_points(formats: dict[str, Format]) -> dict[str, dict[str, int]]:
    """Per format, what a cell text (by its match key) adds to the format's score: 2 for each
    table-two column it names, 1 for each column one of whose variants it is."""
    points: dict[str, dict[str, int]] = {}
    for fid, fmt in formats.items():
        table = points[fid] = {}
        for block in fmt.blocks:
            for column in block.columns:
                label = match_key(column.label)
                table[label] = table.get(label, 0) + 2
                for variant in {match_key(v) for v in column.variants} - {label}:
                    table[variant] = table.get(variant, 0) + 1
    return points


def detect_format(tokens: list[ScannedCell], year: int | None) -> str:
    """The format whose table-two column labels the report uses; else by year."""
    formats = load_formats()
    scores = dict.fromkeys(formats, 0)
    points = _derived(formats, "points", lambda: _column_points(formats))
    for token in tokens:
        if token.kind != "text":
            continue
        key = match_key(token.raw)
        for fid in formats:
            scores[fid] += points[fid].get(key, 0)
    # labels both formats share score for both: only a difference decides
    best = max(scores.values(), default=0)
    leaders = [fid for fid, s in scores.items() if s == best]
    if best > 0 and len(leaders) == 1:
        return leaders[0]
    if year is not None:
        if year < min(f.first_year for f in formats.values()):
            return ast.FORMAT_PRE_2019
        fitting = format_for_year(year)
        if fitting is not None:
            return fitting.id
    return ast.FORMAT_UNKNOWN


def assemble_proactive(
    tokens: list[ScannedCell],
    fmt: Format | None,
    diagnostics: list[ast.Diagnostic],
    spaced: frozenset[int] | set[int] = frozenset(),
) -> dict[str, ast.Block]:
    assembler = Assembler(diagnostics, spaced)
    assembler.see(tokens)
    formats = list(load_formats().values())
    if fmt is not None:  # the report's own format is tried first
        formats.remove(fmt)
        formats.insert(0, fmt)
    blocks: dict[str, ast.Block] = {}
    # per block: (heading token, specs, header columns, segments)
    current: dict | None = None
    chunks: list[dict] = []
    for token in tokens:
        item = grammar.block_heading_item(token.raw) if token.kind == "text" else None
        if item:
            specs = _block_specs(item, formats)
            current = {"token": token, "item": item, "specs": specs, "header": [], "segments": []}
            current["labels"] = _spec_labels(specs)
            chunks.append(current)
            if not specs:
                assembler.note(token.line, f"第二十条第（{item}）项不属于任何已知格式")
            continue
        if current is None:
            if token.raw:
                assembler.note(token.line, f"表二：单元格“{token.raw}”不在任何第二十条栏目内")
            continue
        specs = current["specs"]
        if token.kind == "text":
            if grammar.is_proactive_header_marker(token.raw):
                continue
            rows, columns = current["labels"]
            row = grammar.match_label(token.raw, rows)
            column = None if row else grammar.match_label(token.raw, columns)
            if column is not None and not current["segments"]:
                current["header"].append(column)
                continue
            if row is not None:
                current["segments"].append(_Segment(row, [token]))
                continue
        if current["segments"]:
            current["segments"][-1].values.append(token)
        elif token.raw:
            assembler.note(token.line, f"表二：单元格“{token.raw}”无法归入行")
    for chunk in chunks:
        if not chunk["specs"]:
            continue
        spec = chunk["specs"][0]
        header_ids = []
        for column in chunk["header"]:
            if column.id not in header_ids:
                header_ids.append(column.id)
        columns = header_ids or [c.id for c in spec.columns]
        block = ast.Block(id=spec.id, label=chunk["token"].raw, line=chunk["token"].line)
        block.rows = assembler.rows(chunk["segments"], columns, f"表二{spec.label}")
        if spec.id in blocks:
            assembler.note(block.line, f"表二：{spec.label}重复出现，已忽略")
            continue
        blocks[spec.id] = block
    return blocks


# --------------------------------------------------------------- table three


def assemble_applications(
    tokens: list[ScannedCell],
    fmt: Format | None,
    diagnostics: list[ast.Diagnostic],
    spaced: frozenset[int] | set[int] = frozenset(),
) -> dict[str, ast.Row]:
    assembler = Assembler(diagnostics, spaced)
    assembler.see(tokens)
    formats = load_formats()
    reference = fmt or list(formats.values())[-1]
    columns = [c.id for c in reference.application_columns]
    labels = _derived(reference, "catalogue", lambda: _catalogue(reference, formats))
    assembler.own_rows, assembler.only_own_rows = _derived(
        reference, "own rows", lambda: _own_rows(reference, formats)
    )
    segments: list[_Segment] = []
    header: list[ScannedCell] = []
    in_data = False
    repeated = _repeated_headers(tokens, reference)
    joined_up_to = -1  # the end of a label cut over two lines, already taken
    for index, token in enumerate(tokens):
        if index <= joined_up_to or (repeated and index in repeated):
            continue
        if token.kind == "text":
            if not in_data:
                if not grammar.opens_applications(token.raw):
                    joined = (
                        _label_over_two_lines(tokens, index, labels)
                        if grammar.starts_opening(token.raw)
                        else None
                    )
                    if joined is None or not grammar.opens_applications(token.raw + tokens[joined[1]].raw):
                        if _first_row_otherwise(tokens, index, reference):
                            # the first row under a name that is not the first row's: the
                            # data start there, named or not
                            in_data = True
                            label = grammar.match_label(token.raw, labels)
                            segments.append(_Segment(label, [token], unnamed=label is None))
                            continue
                        header.append(token)
                        continue  # the column headers
                    in_data = True  # the first row's label, cut over two lines
                    segments.append(_Segment(joined[0], [token, tokens[joined[1]]]))
                    joined_up_to = joined[1]
                    continue
                in_data = True
            if grammar.is_application_group(token.raw):
                segments.append(_Segment(None, [token]))
                continue
            label = _row_label(token.raw, labels)
            if label is not None:
                segments.append(_Segment(label, [token]))
                continue
            joined = _label_over_two_lines(tokens, index, labels) if in_data else None
            if joined is not None:
                label, joined_up_to = joined
                segments.append(_Segment(label, [token, tokens[joined_up_to]]))
                continue
            if _unnamed_row(tokens, index, segments, len(columns)):
                segments.append(_Segment(None, [token], unnamed=True))
                continue
            if segments and segments[-1].label is None and not segments[-1].values:
                segments[-1].tokens.append(token)  # more of a group label
                continue
        if not in_data:
            continue
        if segments:
            segments[-1].values.append(token)
    if any(seg.unnamed for seg in segments):
        return _with_unnamed_rows(assembler, segments, header, reference, columns)
    return _rows_by_header(assembler, segments, header, reference, columns)


def _rows_by_header(
    assembler: Assembler,
    segments: list[_Segment],
    header: list[ScannedCell],
    reference: Format,
    columns: list[str],
) -> dict[str, ast.Row]:
    """Table three's rows, each printed cell in the column the header names."""
    printed = _printed_columns(header, reference)
    if printed is not None and len(printed) < len(columns) and not _rows_fit(segments, len(printed)):
        printed = None  # rows wider than the header: a name it leaves out is only not printed
    if printed is None:
        return assembler.rows(segments, columns, "表三")
    if _SUBTOTAL in printed:
        _without_subtotals(segments, printed.index(_SUBTOTAL), len(printed))
        printed.remove(_SUBTOTAL)
    # each printed place's cell to the column its header names
    return _in_format_order(assembler.rows(segments, printed, "表三"), columns)


def _in_format_order(rows: dict[str, ast.Row], columns: list[str]) -> dict[str, ast.Row]:
    """Rows read in the columns a header prints, their cells put in the format's order."""
    for row in rows.values():
        row.cells = {c: row.cells[c] for c in columns if c in row.cells}
    return rows


# a group's label and one of its rows in one cell ("（六）其他处理 3.其他", as a table with a
# 序号 column merges them): the row is named after the row's own enumerator
_GROUP_AND_ROW = on_use(
    r"\s*[（(]\s*[一二三四五六七八九十]{1,2}\s*[)）]\D+?(?P<row>\d{1,2}\s*[.、．]\s*\D.*)"
)


def _row_label(text: str, labels: grammar.LabelSet) -> Label | None:
    """The table-three row a label cell names; in a cell that holds a group's label and a row's,
    the row's (the 2019 row 其他处理 is the 2021 group of 3.其他)."""
    both = _GROUP_AND_ROW.fullmatch(text)
    row = grammar.match_label(both["row"], labels) if both is not None else None
    return row or grammar.match_label(text, labels)


def _figures_follow(tokens: list[ScannedCell], index: int) -> int:
    """How many written values follow a text cell before the next text cell."""
    count = 0
    for token in tokens[index + 1 :]:
        if token.kind == "text":
            break
        if token.raw:
            count += 1
    return count


def _first_written(tokens: list[ScannedCell], index: int) -> bool:
    """The cell is the first written cell of its line."""
    line = tokens[index].line
    before = index - 1
    while before >= 0 and tokens[before].line == line:
        if tokens[before].raw:
            return False
        before -= 1
    return True


def _unnamed_row(tokens: list[ScannedCell], index: int, segments: list[_Segment], width: int) -> bool:
    """A text cell in table three's data that names no row and starts one: words, first on
    its line, with figures after it (two at least), after a group's label or a row that has
    its cells ("二、上年度转入的申请  0  0 …" under "一、…  118  32 …"). Its figures are no
    cells of the row before; a word among a row's cells ("不适用") or the rest of a label
    (before its row's figures) is not such a row."""
    if not segments or not _is_words(tokens[index].raw) or not _first_written(tokens, index):
        return False
    before = segments[-1]
    if before.label is not None and len(before.values) < width - 1:
        return False
    return _figures_follow(tokens, index) >= 2


def _first_row_otherwise(tokens: list[ScannedCell], index: int, reference: Format) -> bool:
    """A cell of table three's header part that starts its data though it is not the first
    row's known name: words that are no column's name, first on their line, followed by
    the figures of a row (half the columns at least)."""
    token = tokens[index]
    words = _derived(reference, "header_words", lambda: _header_words(reference))
    if not _is_words(token.raw) or _header_word(token.raw, words) or grammar.is_application_group(token.raw):
        return False
    width = len(reference.application_columns)
    return _first_written(tokens, index) and _figures_follow(tokens, index) * 2 >= width


def _with_unnamed_rows(
    assembler: Assembler,
    segments: list[_Segment],
    header: list[ScannedCell],
    reference: Format,
    columns: list[str],
) -> dict[str, ast.Row]:
    """Table three's rows when some row is printed under a name no format has: the format's
    rows not read at that place (between the rows read before and after it) are printed,
    under another name, and could not be read: their cells unreadable, never absent (the
    report is not charged with a missing row for a name we do not know)."""
    rows = _rows_by_header(assembler, segments, header, reference, columns)
    order = [r.id for r in reference.application_rows]
    for k, seg in enumerate(segments):
        if not seg.unnamed:
            continue
        after = next((p for p in map(_place(order), reversed(segments[:k])) if p is not None), -1)
        upto = next((p for p in map(_place(order), segments[k + 1 :]) if p is not None), len(order))
        for row_id in order[after + 1 : upto]:
            if row_id not in rows:
                token = seg.tokens[0]
                rows[row_id] = ast.Row(row_id, token.raw, token.line, unplaced(columns, seg.filled))
    return rows


def _place(order: list[str]):
    """The place of a segment's row in the format's order (None: a group, an unnamed row or
    another format's row)."""

    def place(seg: _Segment) -> int | None:
        return order.index(seg.label.id) if seg.label is not None and seg.label.id in order else None

    return place


def _rows_fit(segments: list[_Segment], width: int) -> bool:
    """Whether table three's rows fit a header that leaves a column out: no row prints more
    figures than the header has places, and one prints as many."""
    widths = [len(seg.filled) for seg in segments if seg.label is not None and seg.filled]
    return bool(widths) and max(widths) <= width and width in widths


def _without_subtotals(segments: list[_Segment], at: int, width: int) -> None:
    """Each row's 小计 cell left out, in the rows that print one (as many printed cells as the
    header has places, subtotal included); a row of the format's width prints none."""
    for seg in segments:
        filled = seg.filled
        if seg.label is not None and len(filled) == width:
            subtotal = filled[at]
            seg.values = [v for v in seg.values if v is not subtotal]


# the place of a subtotal column (小计) among the printed columns
_SUBTOTAL = "subtotal"


def _printed_columns(header: list[ScannedCell], reference: Format) -> list[str] | None:
    """Table three's columns as its header prints them, when that is not the format's: the
    columns of 法人或其他组织 in another order (科研机构 before 商业企业), or followed by their
    小计 (a place that is no column: `_SUBTOTAL`), or leaving a column out (其他 not printed:
    the rows have no cell for it). The group's columns are named each once, by name or by
    the start of its name cut over two lines ("社会公益" / "组织"); all but two at most.
    None when the header follows the format or names too few of them."""
    group = reference.application_columns[1:-1]  # between 自然人 and 总计
    keys = [(c.id, match_key(c.label)) for c in group]
    found: list[str] = []
    subtotal = False
    for token in header:
        key = match_key(token.raw)
        if len(key) < 2:
            continue
        if key in grammar.SUBTOTAL_COLUMNS and len(found) == len(keys):
            subtotal = True
            continue
        named = [cid for cid, full in keys if full == key] or [
            cid for cid, full in keys if full.startswith(key)
        ]
        if len(named) == 1:
            if named[0] in found:
                return None  # a name printed twice: not one header line of the group
            found.append(named[0])
    in_order = found == [cid for cid, _ in keys]
    if len(found) < len(keys):
        # a header that names most of the group and leaves a column out ("其他" not printed):
        # its rows are read by it only if they agree (assemble_applications: _rows_fit)
        if len(found) < max(3, len(keys) - 2):
            return None
    elif in_order and not subtotal:
        return None
    columns = [c.id for c in reference.application_columns]
    return [columns[0], *found, *([_SUBTOTAL] if subtotal else []), columns[-1]]


def _repeated_headers(tokens: list[ScannedCell], reference: Format) -> set[int]:
    """The places of table three's column headers printed again inside the table (after a
    page break: "申请人情况 总计 / 自然人 法人或其他组织 / 商业企业 科研机构…"): a run of
    header words and blank cells holding at least three column names, or a header marker,
    after the first row. The header's 总计 would otherwise be read as the 总计 row and the
    column names as its cells. A row label followed by its numbers is never such a run."""
    words = _derived(reference, "header_words", lambda: _header_words(reference))
    started = next(
        (i for i, t in enumerate(tokens) if t.kind == "text" and grammar.opens_applications(t.raw)), None
    )
    if started is None:
        return set()
    found: set[int] = set()
    run: list[int] = []
    names: set[str] = set()
    marked = False

    def close() -> None:
        if len(names) >= 3 or (marked and names):
            found.update(run)

    for index in range(started + 1, len(tokens)):
        token = tokens[index]
        if not token.raw:
            if run:
                run.append(index)  # a blank cell inside the header's lines
            continue
        if token.kind == "text":  # most cells are numbers: no key made for them
            kind = _header_word(token.raw, words)
            if kind:
                run.append(index)
                if kind == _COLUMN:
                    names.add(match_key(token.raw))
                else:
                    marked = True
                continue
        if run:
            close()
            run, names, marked = [], set(), False
    close()  # a header at the table's very end
    return found


_COLUMN, _MARKER = 1, 2


@functools.lru_cache(maxsize=4096)  # the labels of table three repeat across reports
def _header_word(text: str, words: frozenset[str]) -> int:
    """_COLUMN for a column's name as the header prints it, _MARKER for a header marker, else 0."""
    if match_key(text) in words:
        return _COLUMN
    return _MARKER if grammar.is_applications_marker(text) else 0


def _header_words(reference: Format) -> frozenset[str]:
    """Table three's column names as the header prints them (and its 法人或其他组织 group)."""
    names = [c.label for c in reference.application_columns] + ["法人或其他组织"]
    return frozenset(match_key(n) for n in names)


def _label_over_two_lines(
    tokens: list[ScannedCell], index: int, labels: grammar.LabelSet
) -> tuple[Label, int] | None:
    """A row label cut over two lines where neither half names a row ("8. 属于行政" /
    "查询事项\t0\t0…"): the label both name together, and the place of the second half
    (the first written cell of the next line, the row's cells after it). None otherwise."""
    first = tokens[index]
    before = index - 1
    while before >= 0 and tokens[before].line == first.line:
        if tokens[before].raw and tokens[before].kind != "text":
            return None  # after a row's numbers: a word in its last cell ("暂无数据"), a value
        before -= 1
    following = index + 1
    while following < len(tokens) and not tokens[following].raw:
        following += 1
    if following >= len(tokens):
        return None
    second = tokens[following]
    if second.kind != "text" or second.line <= first.line:
        return None
    if not (_is_words(first.raw) and _is_words(second.raw)):
        return None  # a mark or a code ("〓" of a cell read as unreadable), not half a label
    if any(tokens[k].raw and tokens[k].line == second.line for k in range(index + 1, following)):
        return None  # not the first written cell of its line
    if following + 1 >= len(tokens) or tokens[following + 1].line != second.line:
        return None  # alone on its line: not a row's line
    label = grammar.match_label(first.raw + second.raw, labels)
    return (label, following) if label is not None else None


def _value_columns(segments: list[_Segment], width: int) -> tuple[dict[int, int], int]:
    """Each cell's place on its line (0: the line's first cell), and the place where the
    figures of the table's full rows (every cell printed, on one line) start, when most of
    them start alike (three rows at least); 0 when they do not."""
    positions: dict[int, int] = {}
    on_line: dict[int, int] = {}  # the cells counted on a line, but the one being counted
    line, place = 0, 0  # that line (0: none yet) and its cells counted so far
    for seg in segments:
        for cells in (seg.tokens, seg.values):
            for cell in cells:
                if cell.line != line:  # most cells are on the line of the cell before them
                    on_line[line] = place
                    line = cell.line
                    place = on_line.get(line, 0)
                positions[id(cell)] = place
                place += 1
    starts: Counter[int] = Counter()
    for seg in segments:
        filled = seg.filled
        if seg.label is not None and len(filled) == width and filled[0].line == filled[-1].line:
            starts[positions[id(filled[0])]] += 1
    if not starts:
        return positions, 0
    start, rows = starts.most_common(1)[0]
    return positions, (start if rows >= 3 and rows * 2 > sum(starts.values()) else 0)


def _without_label_columns(
    values: list[ScannedCell], positions: dict[int, int], first_value: int, width: int
) -> list[ScannedCell]:
    """A row wider than the format without the blank cells left of where the table's figures
    start (the merged label column): "结转下年度继续办理⇥⇥20⇥0⇥0⇥0⇥0⇥0⇥⇥" keeps its blank
    总计, where dropping the stray tab at the line's end first would blank 自然人."""
    k = 0
    while (
        len(values) - k > width
        and not values[k].raw
        and positions.get(id(values[k]), first_value) < first_value
    ):
        k += 1
    return values[k:]


def _full(values: list[ScannedCell], width: int) -> bool:
    """The row's cells, layout empties trimmed, are `width` printed cells."""
    cells = trim(values, width)
    return len(cells) == width and all(c.raw for c in cells)


def _before_next_line(values: list[ScannedCell], next_label_line: int) -> list[ScannedCell]:
    """A row's cells without the blank cells that open the next row's line (the merged label
    columns before "1.申请人无正当理由逾期不补正…" under a group label "(六) 其他处理" alone
    on its line): they are that row's layout, not this row's cells."""
    end = len(values)
    while end and not values[end - 1].raw and values[end - 1].line == next_label_line:
        end -= 1
    return values if end == len(values) else values[:end]


def _figures_in_label(seg: _Segment) -> tuple[str, list[ScannedCell]] | None:
    """(the label, its figures as cells) when the last cell of a row's label ends with
    figures ("(一) 予以公开 60") and the label without them still names the row."""
    token = seg.tokens[-1]
    found = grammar.figures_after_label(token.raw) if seg.label is not None else None
    if found is None or seg.label is None or grammar.match_label(found[0], (seg.label,)) is None:
        return None
    label, figures, start = found
    cells: list[ScannedCell] = []
    column = token.column + start
    for part in re.finditer(r"\S+", figures):
        cells.append(cell_at(part.group(), token.line, column + part.start()))
    return label, cells


def _is_words(text: str) -> bool:
    """Text with two letters at least (Chinese characters are letters): words, not a mark."""
    letters = 0
    for ch in text:  # stops at the second letter (most labels: their first two characters)
        if ch.isalpha():
            letters += 1
            if letters == 2:
                return True
    return False


def _wrapped_label(seg: _Segment) -> ScannedCell | None:
    """The rest of a row's label wrapped onto the next line ("1.本机关不掌握相关" / "政府信息
    \t\t0\t0…"): a text cell that is the first written cell of a line after the label's,
    before any of the row's numbers, with the row's cells after it on its line. A text cell
    on the label's own line, or alone on its line ("不适用"), stays a value, and a finding."""
    last_line = seg.tokens[-1].line
    for k, value in enumerate(seg.values):
        if not value.raw:
            continue  # a blank cell: the merged label column
        if value.kind != "text" or value.line <= last_line or not _is_words(value.raw):
            return None
        if any(v.raw for v in seg.values[:k] if v.line == value.line):
            return None
        if not any(v.line == value.line for v in seg.values[k + 1 :]):
            return None  # alone on its line (one cell a line): a value written in words
        return value
    return None


def _blocks_a_line_each(tokens: list[ScannedCell], reference: Format, width: int) -> dict | None:
    """Table four written a block a line ("行政复议\t\t0\t0\t0\t1\t1" / "行政诉讼\t未经复议
    直接起诉\t0…" / "\t复议后起诉\t0…"), as some pages lay it out: each block's cells by its
    id, when every block of the format is named on a line of its own that ends with exactly
    its `width` numbers; None for any other layout (the usual one: headers, then a line of
    fifteen)."""
    lines: dict[int, list[ScannedCell]] = {}
    for token in tokens:
        lines.setdefault(token.line, []).append(token)
    keys = {b.id: match_key(b.label) for b in reference.review_blocks}
    found: dict[str, list[ScannedCell]] = {}
    for cells in lines.values():
        words = [c for c in cells if c.kind == "text"]
        numbers = [c for c in cells if c.kind != "text" and c.raw]
        if not words or not numbers:
            continue
        if len(numbers) != width or cells[-width:] != numbers:
            return None  # a line of names and numbers, but not one block's
        name = match_key("".join(w.raw for w in words))
        block = next((b for b, key in keys.items() if name == key or key.endswith(name)), None)
        if block is None or block in found:
            return None
        found[block] = numbers
    return found if len(found) == len(keys) else None


def _review_rows(by_block: dict[str, list[ScannedCell]], columns: list[str]) -> dict[str, ast.Row]:
    """Table four's rows from each block's cells."""
    return {
        b: ast.Row(id=b, label=b, line=cells[0].line, cells={c: placed(v) for c, v in zip(columns, cells)})
        for b, cells in by_block.items()
    }


def _own_rows(reference: Format, formats: dict[str, Format]) -> tuple[frozenset[str], frozenset[str]]:
    """Table three's rows in the format, and those of them no other format has."""
    own = frozenset(r.id for r in reference.application_rows)
    others = {r.id for f in formats.values() if f is not reference for r in f.application_rows}
    return own, own - others


def _catalogue(reference: Format, formats: dict[str, Format]) -> grammar.LabelSet:
    """Every table-three row any format knows, the report's own format first."""
    catalogue: dict[str, Label] = {r.id: r for r in reference.application_rows}
    for other in formats.values():
        for r in other.application_rows:
            catalogue.setdefault(r.id, r)
    return grammar.LabelSet(catalogue.values())


# ---------------------------------------------------------------- table four


def assemble_review(
    tokens: list[ScannedCell],
    fmt: Format | None,
    diagnostics: list[ast.Diagnostic],
    spaced: frozenset[int] | set[int] = frozenset(),
) -> dict[str, ast.Row]:
    assembler = Assembler(diagnostics, spaced)
    assembler.see(tokens)
    reference = fmt or list(load_formats().values())[-1]
    columns = [c.id for c in reference.review_columns]
    # the columns in the order the header prints them, when it names them otherwise than the
    # format (结果维持 | 结果纠正 | 尚未审结 | 其他结果 | 总计; 其他结果 left out): each figure goes
    # to the column its header names, and the rows keep the format's order
    printed = _printed_review_columns(tokens, reference)
    if printed is not None:
        rows = _review_by(tokens, reference, printed, assembler)
        if rows is not None:
            return _in_format_order(rows, columns)
    return _review_by(tokens, reference, columns, assembler) or {}


def _review_by(
    tokens: list[ScannedCell], reference: Format, columns: list[str], assembler: Assembler
) -> dict[str, ast.Row] | None:
    """Table four read with these columns a block; None when they leave a column of the
    format out and the figures are not as many as they make (a name only not printed, or a
    header we could not read: the caller reads it in the format's order)."""
    blocks = [b.id for b in reference.review_blocks]
    width = len(blocks) * len(columns)
    narrow = len(columns) < len(reference.review_columns)
    # a block a line ("行政复议\t0\t3…", "行政诉讼（未经复议直接起诉）\t4…"), under the columns'
    # header or not: the block names read as headers would make the rest of a line figures
    by_block = _blocks_a_line_each(tokens, reference, len(columns))
    if by_block is not None:
        return _review_rows(by_block, columns)
    first_figure = next((i for i, t in enumerate(tokens) if t.raw and t.kind != "text"), len(tokens))
    last_header = max(
        (
            i
            for i, t in enumerate(tokens)
            if t.kind == "text"
            and (
                grammar.is_review_header(t.raw) or (i < first_figure and grammar.is_review_header_cell(t.raw))
            )
        ),
        default=-1,
    )
    # a stray tab at the end of a header line is not a data cell
    header_lines = {t.line for t in tokens[: last_header + 1] if t.kind == "text"}
    if any(t.raw and t.kind != "text" and t.line not in header_lines for t in tokens[:last_header]):
        # figures before the last header: table four printed in parts (行政复议's table, then
        # 行政诉讼's), each under its own header
        return _review_in_parts(tokens, header_lines, reference, columns, assembler, narrow)
    values = trim([t for t in tokens[last_header + 1 :] if t.line not in header_lines], width)
    if narrow and len(values) != width:
        return None  # not the header's count of figures: the rows do not agree with it
    if not values:
        if tokens:
            assembler.note(tokens[0].line, "表四：未找到数据单元格")
        return {}
    why = assembler.unplaceable(values, width)
    if why:
        assembler.note(
            values[0].line, f"表四{why}，有 {len(values)} 个单元格，格式要求 {width} 个：无法确定各数所在的列"
        )
        return _unplaced_review(blocks, columns, values, values[0].line)
    if len(values) > width:
        assembler.note(values[width].line, f"表四：多出 {len(values) - width} 个单元格，未归入任何列")
        values = values[:width]
    if len(values) < width:
        assembler.note(values[0].line, f"表四：只有 {len(values)} 个单元格，格式要求 {width} 个")
    rows: dict[str, ast.Row] = {}
    for index, token in enumerate(values):
        block = blocks[index // len(columns)]
        row = rows.get(block)
        if row is None:  # not setdefault: that would make a row for every cell
            row = rows[block] = ast.Row(id=block, label=block, line=token.line)
        row.cells[columns[index % len(columns)]] = placed(token)
    return rows


def _review_in_parts(
    tokens: list[ScannedCell],
    header_lines: set[int],
    reference: Format,
    columns: list[str],
    assembler: Assembler,
    narrow: bool = False,
) -> dict[str, ast.Row] | None:
    """Table four printed as two tables or more, each with its header and its figures: the
    figures under each header go to the blocks that header names, in the order it names
    them (行政复议; 未经复议直接起诉, 复议后起诉). When a part's figures do not make its
    blocks' count, or a header names no block, every cell is unreadable: never read from
    the start as one table (the first part's figures were lost and the rest shifted); or
    None, when `narrow` (columns fewer than the format's, to be read in its order then)."""
    words = [(b.id, squeeze(b.label.split()[-1])) for b in reference.review_blocks]
    parts: list[tuple[str, list[ScannedCell]]] = []
    header: list[str] = []
    values: list[ScannedCell] = []
    for token in tokens:
        if token.line in header_lines:
            if values:
                parts.append(("".join(header), values))
                header, values = [], []
            if token.kind == "text":
                header.append(squeeze(token.raw))
        else:
            values.append(token)
    if values:
        parts.append(("".join(header), values))
    by_block: dict[str, list[ScannedCell]] = {}
    for text, figures in parts:
        named = sorted((text.find(word), block) for block, word in words if word in text)
        width = len(named) * len(columns)
        figures = trim(figures, width)
        if (
            not named
            or len(figures) != width
            or assembler.unplaceable(figures, width)
            or any(block in by_block for _at, block in named)
        ):
            if narrow:
                return None
            assembler.note(
                figures[0].line if figures else tokens[0].line,
                f"表四分几部分印出，其中一部分有 {len(figures)} 个单元格，表头所列各组共要求 {width} 个："
                "无法确定各数所在的列",
            )
            blocks = [b.id for b in reference.review_blocks]
            figures_all = [t for t in tokens if t.line not in header_lines]
            return _unplaced_review(blocks, columns, figures_all, tokens[0].line)
        for k, (_at, block) in enumerate(named):
            by_block[block] = figures[k * len(columns) : (k + 1) * len(columns)]
    return _review_rows(by_block, columns)


def _printed_review_columns(tokens: list[ScannedCell], reference: Format) -> list[str] | None:
    """Table four's columns as its header prints them, when that is not the format's: in
    another order (尚未审结 before 其他结果), or leaving one column out (其他结果 not printed:
    the figures are four a block; `_review_by` reads by it only if they are as many). The
    column names are read in the order they are printed, once for every block (or once for
    all), each block's alike, each name once in a block. None when the header follows the
    format, or does not name the columns clearly (other names a block, two left out)."""
    keys = _derived(reference, "review column keys", lambda: _review_column_keys(reference))
    named = [keys[k] for t in tokens if t.kind == "text" and (k := match_key(t.raw)) in keys]
    columns = [c.id for c in reference.review_columns]
    if not named or named == columns * (len(named) // len(columns)):
        return None  # the format's order (the usual header), or no header read
    for repeat in (len(reference.review_blocks), 1):
        size, rest = divmod(len(named), repeat)
        if not rest and named == named[:size] * repeat:
            first = named[:size]
            break
    else:
        return None
    if len(set(first)) != len(first) or len(first) < len(columns) - 1:
        return None
    return first


def _review_column_keys(reference: Format) -> dict[str, str]:
    """The match key of every way the format names a column of table four -> its id."""
    return {match_key(text): c.id for c in reference.review_columns for text in c.texts}


def _unplaced_review(
    blocks: list[str], columns: list[str], values: list[ScannedCell], line: int
) -> dict[str, ast.Row]:
    """Table four's rows at `line` when its figures cannot be put in columns: every cell
    unreadable, what is printed kept in order (unplaced)."""
    cells = unplaced([f"{b}|{c}" for b in blocks for c in columns], values)
    return {
        b: ast.Row(id=b, label=b, line=line, cells={c: cells[f"{b}|{c}"] for c in columns}) for b in blocks
    }
