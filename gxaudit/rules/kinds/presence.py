"""Kind `presence`: one fact per expected or found table-two block, row, or table-three/four row of cells."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from gxaudit.formats.load import Format
from gxaudit.formats.model import per_format
from gxaudit.formats.text import squeeze
from gxaudit.parse import ast
from gxaudit.regex import on_use
from gxaudit.rules.kinds.base import TABLE_NAME, TABLE_SECTION, CheckError, Env, Fact, _location
from gxaudit.rules.kinds.kind import Kind, Param, Problems, Prop


def _unreadable(env: Env) -> Callable[[str, str | None, str], bool] | None:
    """Whether a row (or a whole table: row "") could not be read: then it is not absent.
    None when there is no coverage or no row was left unread (most reports): nothing is
    unreadable then."""
    coverage = env.report.coverage
    if coverage is None or not coverage.unreadable_rows:
        return None
    return coverage.is_unreadable


class _Ids(NamedTuple):
    """The ids a format gives, in its order: the same for every report of that format."""

    blocks: tuple[str, ...]
    rows: dict[str, tuple[str, ...]]  # table-two block -> its rows (the first block of an id)
    application_rows: tuple[str, ...]
    application_columns: tuple[str, ...]
    review_blocks: tuple[str, ...]
    review_columns: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]  # table-two block -> its columns (the first block of an id)
    # table four's column names but 总计: three of them in its part are its headers printed
    review_headers: tuple[str, ...]


@per_format
def _ids(fmt: Format) -> _Ids:
    """The ids of a format, made once per format."""
    rows: dict[str, tuple[str, ...]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    for spec in fmt.blocks:
        rows.setdefault(spec.id, tuple(row.id for row in spec.rows))  # as Format.block finds it
        columns.setdefault(spec.id, tuple(c.id for c in spec.columns))
    ids = _Ids(
        tuple(b.id for b in fmt.blocks),
        rows,
        tuple(row.id for row in fmt.application_rows),
        tuple(c.id for c in fmt.application_columns),
        tuple(b.id for b in fmt.review_blocks),
        tuple(c.id for c in fmt.review_columns),
        columns,
        tuple(squeeze(c.label) for c in fmt.review_columns if c.id != "total"),
    )
    return ids


def _presence_facts(
    expected: tuple[str, ...],
    found: list[tuple[str, int]],
    where: Callable[[str], dict],
    describe: Callable[[str], str],
    unreadable: Callable[[str], bool] | None = None,
) -> list[Fact]:
    """`present` is true for an item found, or one the reader could not read (not absent)."""
    found_lines = dict(found)
    facts = []
    for item, props in _order_props(expected, tuple([f for f, _ in found])):
        if unreadable is not None and not props["present"] and unreadable(item):
            props = props | {"present": True}
        # the context is only the explain function: the item is a property (a finding's
        # context has the fact's properties)
        facts.append(Fact.explained(props, _explain, item, where, describe, found_lines))
    return facts


@functools.lru_cache(maxsize=4096)
def _order_props(expected: tuple[str, ...], found_ids: tuple[str, ...]) -> tuple[tuple[str, dict], ...]:
    """The properties of each item's fact, `present` being whether it was found (_order):
    the same for every report that has the same items in the same order, so the dicts are
    shared by their facts (nothing changes a fact's properties: the engines get a copy).
    They hold no None and no Decimal: nothing for engine_props to convert."""
    found = set(found_ids)
    return tuple(
        (item, {"expected": is_expected, "present": item in found, "in_order": in_order, "item": item})
        for item, is_expected, in_order in _order(expected, found_ids)
    )


def _order(expected: tuple[str, ...], found_ids: tuple[str, ...]) -> tuple[tuple[str, bool, bool], ...]:
    """Each item expected or found, in that order, with whether it is expected and whether it
    was found in order (remembered by _order_props)."""
    rank: dict[str, int] = {}  # an expected item's place in the format (its first)
    for place, item in enumerate(expected):
        rank.setdefault(item, place)
    # per expected item found, the highest place of those found before it (its first time)
    highest_before: dict[str, int] = {}
    highest = -1
    for item in found_ids:
        if item in rank:
            highest_before.setdefault(item, highest)
            highest = max(highest, rank[item])
    found = set(found_ids)
    out = []
    for item in dict.fromkeys(expected + found_ids):
        is_expected = item in rank
        # in order: every expected item found before it comes before it in the format
        in_order = not (is_expected and item in found) or highest_before[item] < rank[item]
        out.append((item, is_expected, in_order))
    return tuple(out)


def _explain(
    item: str, where: Callable[[str], dict], describe: Callable[[str], str], found_lines: dict[str, int]
) -> dict[str, Any]:
    """Where an item is and what it is called: built only when its fact becomes a finding."""
    context = where(item)
    if context.get("line") is None:
        context["line"] = found_lines.get(item)
    return {"item_label": describe(item), **context}


def _row_of_block(block: ast.Block, rid: str) -> dict[str, Any]:
    """Where a table-two row is (or would be): its line, else its block's."""
    line = block.rows[rid].line if rid in block.rows else block.line
    return _location(line, "proactive", "proactive", rid, None) | {"block": block.id}


def _label_in_block(env: Env, block: ast.Block, rid: str) -> str:
    labels = env.labels.cell("proactive", block.id, rid, None)
    return labels["block_label"] + labels["row_label"]


def check_presence(env: Env, params: dict[str, Any]) -> list[Fact]:
    if env.fmt is None:
        return []
    of, table = str(params.get("of")), str(params.get("table"))
    draw = _DRAW.get((of, table))
    if draw is None:
        raise CheckError(f"presence: unsupported of={of!r} table={table!r}")
    return draw(env, table)


def _table_line(env: Env, table: str) -> int | None:
    """Where a table is, or would be: its first line, else its part's heading."""
    return env.report.tables.lines.get(table) or _part_line(env.report, table)


def _part_line(report: ast.Report, table: str) -> int | None:
    """The line of the heading of a table's part, if the report has that part."""
    return next((s.line for s in report.sections if s.id == TABLE_SECTION.get(table)), None)


def _blocks_of_table_two(env: Env, table: str) -> list[Fact]:
    r, fmt, t = env.report, env.fmt, env.report.tables
    assert fmt is not None
    table_line = _table_line(env, table)
    found = sorted(((b.id, b.line) for b in t.proactive.values()), key=lambda x: x[1])
    unreadable = r.coverage.unreadable_rows if r.coverage is not None else ()
    return _presence_facts(
        _ids(fmt).blocks,
        found,
        lambda b: (
            _location(
                t.proactive[b].line if b in t.proactive else table_line, "proactive", "proactive", None, None
            )
            | {"block": b}
        ),
        lambda b: env.labels.cell("proactive", b, None, None)["block_label"],
        (lambda b: any(k[0] == "proactive" and k[1] in (b, None) for k in unreadable))
        if unreadable
        else None,
    )


def _rows_of_table_three(env: Env, table: str) -> list[Fact]:
    fmt, t = env.fmt, env.report.tables
    assert fmt is not None
    table_line = _table_line(env, table)
    gone = _unreadable(env)
    found = sorted(((row.id, row.line) for row in t.applications.values()), key=lambda x: x[1])
    return _presence_facts(
        _ids(fmt).application_rows,
        found,
        lambda rid: _location(
            t.applications[rid].line if rid in t.applications else table_line,
            "applications",
            "applications",
            rid,
            None,
        ),
        lambda rid: env.labels.cell("applications", None, rid, None)["row_label"],
        functools.partial(gone, "applications", None) if gone is not None else None,
    )


def _rows_of_table_two(env: Env, table: str) -> list[Fact]:
    fmt = env.fmt
    assert fmt is not None
    gone = _unreadable(env)
    rows_of = _ids(fmt).rows
    facts = []
    for block in env.report.tables.proactive.values():
        expected = rows_of.get(block.id)
        if expected is None:
            continue
        found = sorted(((row.id, row.line) for row in block.rows.values()), key=lambda x: x[1])
        facts += _presence_facts(
            expected,
            found,
            functools.partial(_row_of_block, block),
            functools.partial(_label_in_block, env, block),
            functools.partial(gone, "proactive", block.id) if gone is not None else None,
        )
    return facts


def _cells_of_rows(env: Env, table: str) -> list[Fact]:
    """One fact per row of table three (table four: per block), naming the columns it lacks."""
    fmt, t = env.fmt, env.report.tables
    assert fmt is not None
    ids = _ids(fmt)
    gone = _unreadable(env)
    rows = t.applications if table == "applications" else t.review_litigation
    if table == "applications":
        row_ids = [rid for rid in ids.application_rows if rid in rows]
        columns = ids.application_columns
    else:
        row_ids = list(ids.review_blocks)
        columns = ids.review_columns
    if table == "review_litigation" and (
        table not in t.lines
        or (gone is not None and gone(table, None, ""))
        or (not rows and not _review_headers_printed(env.report, ids.review_headers))
    ):
        # no table four at all (the sections rules speak of part 四; a line "行政复议"
        # heading its text is no table), or its figures printed and not read (one reading
        # finding): no "missing cells". Its headers without a figure: every cell missing.
        return []
    table_line = _table_line(env, table)
    width = len(columns)
    every = _column_set(columns)
    facts = []
    for rid in row_ids:
        row = rows.get(rid)
        if gone is not None and gone(table, None, rid):
            continue  # an unreadable row: one reading finding, never "missing cells"
        missing: Sequence[str]
        if row is not None and row.cells.keys() >= every:
            missing = ()  # (most rows: every column there, tested at once)
        else:
            missing = [c for c in columns if row is None or c not in row.cells]
        line = row.line if row is not None else table_line
        facts.append(
            Fact.explained(
                _cells_props(rid, len(missing)), _missing_cells, env, table, rid, missing, line, width
            )
        )
    return facts


@functools.lru_cache(maxsize=64)
def _column_set(columns: tuple[str, ...]) -> frozenset[str]:
    return frozenset(columns)


@functools.lru_cache(maxsize=4096)
def _cells_props(rid: str, missing: int) -> dict[str, Any]:
    """The properties of a row's cells fact, shared by the facts of every report (nothing
    changes a fact's properties: the engines get a copy). They hold no None and no Decimal:
    nothing for engine_props to convert."""
    return {"expected": True, "present": not missing, "in_order": True, "item": rid, "missing": missing}


def _cells_of_table_two(env: Env, table: str) -> list[Fact]:
    """One fact per row read in a table-two block, naming the columns it lacks (a row not
    there at all is the rows rule's; an unreadable row, one reading finding)."""
    fmt = env.fmt
    assert fmt is not None
    gone = _unreadable(env)
    columns_of = _ids(fmt).columns
    facts = []
    for block in env.report.tables.proactive.values():
        columns = columns_of.get(block.id)
        if columns is None:
            continue
        every = _column_set(columns)
        for rid, row in block.rows.items():
            if gone is not None and gone(table, block.id, rid):
                continue
            missing: Sequence[str] = (
                () if row.cells.keys() >= every else [c for c in columns if c not in row.cells]
            )
            facts.append(
                Fact.explained(
                    _cells_props(rid, len(missing)),
                    _missing_cells_of_block,
                    env,
                    block,
                    rid,
                    missing,
                    len(columns),
                )
            )
    return facts


def _missing_cells_of_block(
    env: Env, block: ast.Block, rid: str, missing: Sequence[str], width: int
) -> dict[str, Any]:
    """Where a table-two row stands, its label and the columns it lacks: built only for a finding."""
    return {
        **_row_of_block(block, rid),
        "item": rid,
        "expected": width,
        "actual": width - len(missing),
        "item_label": _label_in_block(env, block, rid),
        "missing_columns": "、".join(
            env.labels.cell("proactive", block.id, rid, c)["column_label"] for c in missing
        ),
    }


def _review_headers_printed(report: ast.Report, headers: tuple[str, ...], start: int | None = None) -> bool:
    """Table four's column headers (three of `headers` or more) stand in its part, from
    where it opened (or from `start`) to the next part."""
    start = start or report.tables.lines.get("review_litigation")
    if start is None:
        return False
    text = squeeze("".join(report.lines[start - 1 : report.part_end(start) - 1]))
    return sum(word in text for word in headers) >= 3


# a figure standing alone (a table's cell), not one in a sentence ("2件", "2023年")
_FIGURE_ALONE = on_use(r"(?<![\w.,，、])[0-9]+(?![\w.,，、%％])")


def _figures_set_apart(report: ast.Report, start: int) -> bool:
    """A line of three figures standing alone or more in the part from `start`: a table's
    row we could not make out (never said to be missing)."""
    lines = report.lines[start - 1 : report.part_end(start) - 1]
    return any(len(_FIGURE_ALONE.findall(line)) >= 3 for line in lines)


def _table_four(env: Env, table: str) -> list[Fact]:
    """One fact when table four's part is in the report: whether the table is there at all
    (a cell read, its headers printed, left unreadable, or rows of figures we could not make
    out; a sub-heading "行政诉讼" over a sentence is no table). A part that is not there is
    the structure rules' (GX-STR-001)."""
    r, fmt = env.report, env.fmt
    assert fmt is not None
    heading = _part_line(r, table)
    if heading is None:
        return []
    gone = _unreadable(env)
    present = bool(
        r.tables.review_litigation
        or (gone is not None and gone(table, None, ""))
        or _review_headers_printed(r, _ids(fmt).review_headers, heading)
        or _figures_set_apart(r, heading)
    )
    where = _location(heading, TABLE_SECTION[table], table, None, None)
    return [
        Fact(
            {"expected": True, "present": present, "in_order": True, "item": table},
            {**where, "item": table, "item_label": TABLE_NAME[table]},
        )
    ]


def _missing_cells(
    env: Env, table: str, rid: str, missing: Sequence[str], line: int | None, width: int
) -> dict[str, Any]:
    """Where the row stands, its label and the columns it lacks: built only when its fact
    becomes a finding."""
    return {
        **_location(line, TABLE_SECTION[table], table, rid),
        "item": rid,
        "expected": width,
        "actual": width - len(missing),
        "item_label": env.labels.cell(table, None, rid, None)["row_label"],
        "missing_columns": "、".join(env.labels.cell(table, None, rid, c)["column_label"] for c in missing),
    }


# (of, table) -> how its facts are drawn
_DRAW: dict[tuple[str, str], Callable[[Env, str], list[Fact]]] = {
    ("blocks", "proactive"): _blocks_of_table_two,
    ("rows", "proactive"): _rows_of_table_two,
    ("cells", "proactive"): _cells_of_table_two,
    ("rows", "applications"): _rows_of_table_three,
    ("cells", "applications"): _cells_of_rows,
    ("cells", "review_litigation"): _cells_of_rows,
    ("table", "review_litigation"): _table_four,
}


# the (of, table) pairs the kind draws facts for
SUPPORTED = set(_DRAW)


def _validate(params: dict[str, Any], problems: Problems) -> None:
    pair = (params.get("of"), params.get("table"))
    if None not in pair and pair not in SUPPORTED:
        shown = ", ".join(f"{o}/{t}" for o, t in sorted(SUPPORTED))
        problems.add("of", f"不支持 presence of {pair[0]} in {pair[1]}（支持的：{shown}）")


KIND = Kind(
    name="presence",
    one_fact_per="expected or found item: a table-two block or row, a table-three row, a "
    "table-two/three/four row's cells, or (of: table) table four as a whole",
    doc="Whether each item the format expects is present and in order, and whether a found item is "
    "one the format expects. With `of: cells`, one fact per row naming how many of its cells are "
    "missing. With `of: table` (table four), one fact when the table's part is in the report: whether "
    "the table is there at all.",
    params=(
        Param("of", {"enum": ["blocks", "rows", "cells", "table"]}, "what is looked for", required=True),
        Param(
            "table",
            {"enum": ["proactive", "applications", "review_litigation"]},
            "in which table",
            required=True,
        ),
    ),
    properties=(
        Prop("expected", "boolean", "the format expects this item"),
        Prop("present", "boolean", "the item was found (of: cells — no cell of the row is missing)"),
        Prop("in_order", "boolean", "found in the order the format gives"),
        Prop("item", "string", "the item's id"),
        Prop("missing", "number", "of: cells — how many cells of the row are missing"),
    ),
    placeholders=("item_label", "block", "missing_columns", "expected", "actual"),
    draw=check_presence,
    validate=_validate,
    example="""
- id: USR-SUB-001
  title: 表三缺少规定的行
  category: subsections
  severity: error
  weight: 4
  check:
    kind: presence
    of: rows
    table: applications
    assert: not expected or present
  message: 表三缺少“{item_label}”一行。
""",
)
