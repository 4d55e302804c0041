"""Check kinds: what facts a rule's check draws from a report's AST.

Each kind is one small function that turns the AST into facts. A fact is a
pair: `props`, the flat properties the engine sees (the rule's `assert` is
compiled into a condition over them), and `context`, what the finding needs
to be located and explained (line, section, table, row, column, labels,
expected and actual values). The engine decides; the context explains.

Kinds and the properties their facts carry:

| kind          | one fact per                          | properties |
|---------------|---------------------------------------|------------|
| report        | report                                | year, format, expected_format, has_title, has_year, has_organ, has_period, period_start, period_end |
| sections      | part the format requires (一…六)      | number, expected_id, present, id_matches, count, in_order, variant |
| presence      | block / row / cell, expected or found | expected, present, in_order |
| cells         | selected cell                         | kind, value, unit, integer, known_unit, inferred, unreadable, table, row, column, block |
| equation      | binding of the for_each variables     | v0, v1, … (the operand cells) |
| year_mentions | "2020年" in the named sections         | year, report_year, delta, plan, comparison |
| pattern       | named section                         | present, matched, empty, length |
| readings      | table row of a flattened report       | status (inferred, ambiguous, unsatisfiable), table, row, block |
"""
from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from gxaudit.parse import ast
from gxaudit.formats.grammar import year_mentions
from gxaudit.formats.load import Format, all_application_rows, common, load_formats
from gxaudit.formats.text import fold
from gxaudit.rules import expr as E

TABLE_SECTION = {"proactive": "proactive", "applications": "applications",
                 "review_litigation": "review_litigation"}
TABLE_NAME = {"proactive": "表二（主动公开）", "applications": "表三（依申请公开）",
              "review_litigation": "表四（行政复议、行政诉讼）"}


@dataclass
class Fact:
    props: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)


class CheckError(ValueError):
    """A check's parameters are wrong (reported by `rules validate`)."""


def _engine_value(value: Any) -> Any:
    """Numbers for the engine: Decimal becomes float (the C engine knows no Decimal)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _fact(props: dict[str, Any], **context: Any) -> Fact:
    clean = {k: (_engine_value(v) if type(v) is Decimal else v)
             for k, v in props.items() if v is not None}
    return Fact(clean, context)


# A context entry under this key is a function returning more context; it is
# called only when the fact becomes a finding (most facts never do).
LAZY = "_explain"


def _location(line: int | None, section: str | None = None, table: str | None = None,
              row: str | None = None, column: str | None = None) -> dict[str, Any]:
    return {"line": line, "section": section, "table": table, "row": row, "column": column}


# ------------------------------------------------------------------ labels

def _labels(fmt: Format | None) -> dict[str, str]:
    """Chinese labels of every id, for messages."""
    formats = list(load_formats().values())
    if fmt is not None:
        formats = [f for f in formats if f is not fmt] + [fmt]   # the report's own wins
    out: dict[str, str] = {}
    for f in formats:
        for s in f.sections:
            out[f"section:{s.id}"] = s.label
        for b in f.blocks:
            out[f"block:{b.id}"] = b.label
            for r in b.rows:
                out[f"row:{b.id}:{r.id}"] = r.label
            for c in b.columns:
                out[f"column:{b.id}:{c.id}"] = c.label
        for c in f.application_columns:
            out[f"column:applications:{c.id}"] = c.label
        for b in f.review_blocks:
            out[f"block:review_litigation:{b.id}"] = b.label
        for c in f.review_columns:
            out[f"column:review_litigation:{c.id}"] = c.label
    for r in all_application_rows().values():
        out[f"row:applications:{r.id}"] = r.label
    return out


@functools.lru_cache(maxsize=None)
def _labels_of(format_id: str | None) -> dict[str, str]:
    return _labels(load_formats().get(format_id) if format_id else None)


class Labels:
    def __init__(self, fmt: Format | None):
        self._map = _labels_of(fmt.id if fmt else None)

    def section(self, sid: str | None) -> str:
        return self._map.get(f"section:{sid}", sid or "")

    def cell(self, table: str, block: str | None, row: str | None, column: str | None) -> dict[str, str]:
        if table == "proactive":
            return {"block_label": self._map.get(f"block:{block}", block or ""),
                    "row_label": self._map.get(f"row:{block}:{row}", row or ""),
                    "column_label": self._map.get(f"column:{block}:{column}", column or "")}
        if table == "applications":
            return {"block_label": "", "row_label": self._map.get(f"row:applications:{row}", row or ""),
                    "column_label": self._map.get(f"column:applications:{column}", column or "")}
        # table four: its "rows" are the three blocks (行政复议, 行政诉讼 未经复议直接起诉…)
        return {"block_label": "",
                "row_label": self._map.get(f"block:review_litigation:{row}", row or ""),
                "column_label": self._map.get(f"column:review_litigation:{column}", column or "")}


# --------------------------------------------------------- the cells of a report

@dataclass(frozen=True)
class CellAt:
    table: str
    block: str | None     # table two block (None elsewhere)
    row: str              # row id (table four: block id)
    column: str
    cell: ast.Cell


def iter_cells(report: ast.Report):
    t = report.tables
    for block in t.proactive.values():
        for row in block.rows.values():
            for column, cell in row.cells.items():
                yield CellAt("proactive", block.id, row.id, column, cell)
    for row in t.applications.values():
        for column, cell in row.cells.items():
            yield CellAt("applications", None, row.id, column, cell)
    for row in t.review_litigation.values():
        for column, cell in row.cells.items():
            yield CellAt("review_litigation", None, row.id, column, cell)


def lookup(report: ast.Report, table: str, keys: tuple[str, ...]) -> ast.Cell | None:
    t = report.tables
    try:
        if table == "proactive":
            block, row, column = keys
            return t.proactive[block].rows[row].cells[column]
        row, column = keys
        source = t.applications if table == "applications" else t.review_litigation
        return source[row].cells[column]
    except (KeyError, ValueError):
        return None


# ------------------------------------------------------------------- context

@dataclass
class Env:
    """What every check kind may read: the report, its format, labels, sets;
    for cross-year checks, this year's and last year's figures."""
    report: ast.Report | None
    fmt: Format | None
    labels: Labels
    sets: dict[str, list[str]]
    figures: dict[str, Any] | None = None
    previous: dict[str, Any] | None = None

    def set_members(self, name: str) -> list[str] | None:
        return set_members(self.sets, name, self.report.format if self.report else None)


def set_members(sets: dict[str, Any], name: str, format_id: str | None) -> list[str] | None:
    """The ids a named set stands for: a list, or a list per format (else "default")."""
    value = sets.get(name)
    if isinstance(value, dict):
        value = value.get(format_id) or value.get("default")
    return list(value) if value is not None else None


def _expand_key(env: Env, key: str, domain: list[str]) -> list[str]:
    if key == "*":
        return domain
    members = env.set_members(key)
    return members if members is not None else [key]


# ---------------------------------------------------------------- the kinds

def check_report(env: Env, params: dict[str, Any]) -> list[Fact]:
    r = env.report
    expected = None
    if r.year is not None:
        for fid, fmt in load_formats().items():
            if fmt.applies_to_year(r.year):
                expected = fid
    starts = [y for y, _ in r.period_years[0::2]]
    ends = [y for y, _ in r.period_years[1::2]]
    period_line = r.period_years[0][1] if r.period_years else None
    props = {"year": r.year, "format": r.format, "expected_format": expected,
             "has_title": r.title is not None, "has_year": r.year is not None,
             "has_organ": r.organ is not None, "has_period": bool(r.period_years),
             "period_start": starts[0] if starts else None, "period_end": ends[0] if ends else None}
    line = period_line if params.get("locate") == "period" and period_line else r.title_line
    return [_fact(props, **_location(line or 1), title=r.title or "", year=r.year,
                  format=r.format, expected_format=expected,
                  period_start=props["period_start"], period_end=props["period_end"],
                  expected=r.year, actual=props["period_start"])]


def check_sections(env: Env, params: dict[str, Any]) -> list[Fact]:
    r = env.report
    fmt = env.fmt or list(load_formats().values())[-1]
    facts = []
    written = [s.number for s in r.sections if s.number]
    last_line = len(r.lines) or 1
    for index, part in enumerate(fmt.sections):
        number = part.get("number")
        found = [s for s in r.sections if s.number == number]
        first = found[0] if found else None
        # out of order: a part numbered later stands before this one
        position = written.index(number) if number in written else None
        later = {p.get("number") for p in fmt.sections[index + 1:]}
        in_order = position is None or not any(n in later for n in written[:position])
        if first:
            line = first.line
        else:
            following = [s.line for s in r.sections
                         if s.number in later]
            line = min(following) if following else last_line
        props = {"number": number, "expected_id": part.id, "present": first is not None,
                 "id_matches": bool(first and first.id == part.id), "count": len(found),
                 "in_order": in_order, "variant": bool(first and first.id == part.id and first.variant)}
        facts.append(_fact(props, **_location(line, first.id if first else part.id),
                           number=number, expected_heading=part.label,
                           heading=first.heading if first else "",
                           found_heading=env.labels.section(first.id) if first and first.id else
                           (first.heading if first else ""),
                           count=len(found), expected=part.label,
                           actual=first.heading if first else None))
    return facts


def _presence_facts(expected: list[str], found: list[tuple[str, int]], where: Callable[[str], dict],
                    describe: Callable[[str], str]) -> list[Fact]:
    facts = []
    found_ids = [f for f, _ in found]
    found_lines = dict(found)
    expected_found = [f for f in found_ids if f in expected]
    for item in dict.fromkeys(expected + found_ids):
        is_expected = item in expected
        present = item in found_lines
        in_order = True
        if is_expected and present:
            rank = expected.index(item)
            seen_before = expected_found[:expected_found.index(item)]
            in_order = all(expected.index(f) < rank for f in seen_before)
        context = where(item)
        if context.get("line") is None:
            context["line"] = found_lines.get(item)
        facts.append(_fact({"expected": is_expected, "present": present, "in_order": in_order,
                            "item": item}, item=item, item_label=describe(item), **context))
    return facts


def check_presence(env: Env, params: dict[str, Any]) -> list[Fact]:
    r, fmt = env.report, env.fmt
    if fmt is None:
        return []
    of, table = params.get("of"), params.get("table")
    t = r.tables
    table_line = t.lines.get(table) or next(
        (s.line for s in r.sections if s.id == TABLE_SECTION.get(table)), None)
    if of == "blocks" and table == "proactive":
        expected = [b.id for b in fmt.blocks]
        found = sorted(((b.id, b.line) for b in t.proactive.values()), key=lambda x: x[1])
        return _presence_facts(
            expected, found,
            lambda b: _location(t.proactive[b].line if b in t.proactive else table_line,
                                "proactive", "proactive", None, None) | {"block": b},
            lambda b: env.labels.cell("proactive", b, None, None)["block_label"])
    if of == "rows" and table == "applications":
        expected = [row.id for row in fmt.application_rows]
        found = sorted(((row.id, row.line) for row in t.applications.values()), key=lambda x: x[1])
        return _presence_facts(
            expected, found,
            lambda rid: _location(t.applications[rid].line if rid in t.applications else table_line,
                                  "applications", "applications", rid, None),
            lambda rid: env.labels.cell("applications", None, rid, None)["row_label"])
    if of == "rows" and table == "proactive":
        facts = []
        for block in t.proactive.values():
            spec = fmt.block(block.id)
            if spec is None:
                continue
            expected = [row.id for row in spec.rows]
            found = sorted(((row.id, row.line) for row in block.rows.values()), key=lambda x: x[1])
            facts += _presence_facts(
                expected, found,
                lambda rid, b=block: _location(b.rows[rid].line if rid in b.rows else b.line,
                                               "proactive", "proactive", rid, None) | {"block": b.id},
                lambda rid, b=block: env.labels.cell("proactive", b.id, rid, None)["block_label"]
                + env.labels.cell("proactive", b.id, rid, None)["row_label"])
        return facts
    if of == "cells" and table in ("applications", "review_litigation"):
        # one fact per row (table four: per block), naming the columns it lacks
        rows = t.applications if table == "applications" else t.review_litigation
        if table == "applications":
            row_ids = [row.id for row in fmt.application_rows if row.id in rows]
            columns = [c.id for c in fmt.application_columns]
        else:
            row_ids = [b.id for b in fmt.review_blocks]
            columns = [c.id for c in fmt.review_columns]
        if table == "review_litigation" and not rows:
            return []          # no table four at all: the sections and rows rules say so
        facts = []
        for rid in row_ids:
            row = rows.get(rid)
            missing = [c for c in columns if row is None or c not in row.cells]
            labels = env.labels.cell(table, None, rid, None)
            line = row.line if row is not None else table_line
            missing_labels = "、".join(env.labels.cell(table, None, rid, c)["column_label"] for c in missing)
            facts.append(_fact({"expected": True, "present": not missing, "in_order": True,
                                "item": rid, "missing": len(missing)},
                               **_location(line, TABLE_SECTION[table], table, rid, None),
                               item=rid, item_label=labels["row_label"], missing_columns=missing_labels,
                               expected=len(columns), actual=len(columns) - len(missing)))
        return facts
    raise CheckError(f"presence: unsupported of={of!r} table={table!r}")


def _cell_props(at: CellAt, fmt: Format | None) -> dict[str, Any]:
    cell = at.cell
    money_units = common()["cells"]["money_units"]
    column_spec = None
    if at.table == "proactive" and fmt is not None and fmt.block(at.block or ""):
        column_spec = next((c for c in fmt.block(at.block).columns if c.id == at.column), None)
    unit = cell.unit or (column_spec.get("default_unit") if column_spec else None)
    integer = cell.value is not None and (isinstance(cell.value, int) or
                                          cell.value == cell.value.to_integral_value())
    return {"kind": cell.kind, "value": cell.value, "unit": unit, "integer": integer,
            "known_unit": unit in money_units if unit else False,
            "inferred": cell.inferred, "unreadable": cell.unreadable,
            "table": at.table, "block": at.block or "", "row": at.row, "column": at.column}


def cell_selector(env: Env, params: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """Whether a cell fact (by its context: table, block, row, column) is selected."""
    selectors = params.get("select")
    selectors = [selectors] if isinstance(selectors, str) else list(selectors or [])
    wanted = []
    for text in selectors:
        node = E.parse(text)
        if not isinstance(node, E.CellRef):
            raise CheckError(f"select: {text!r} is not a cell selector")
        wanted.append((node.table, [None if k == "*" else set(_expand_key(env, k, [k]))
                                    for k in node.keys]))

    @functools.lru_cache(maxsize=1024)
    def selected_key(table: str, keys: tuple) -> bool:
        return any(sel_table == table and len(options) == len(keys)
                   and all(o is None or key in o for o, key in zip(options, keys))
                   for sel_table, options in wanted)

    def selected(context: dict[str, Any]) -> bool:
        table = context["table"]
        keys = ((context["block"], context["row"], context["column"]) if table == "proactive"
                else (context["row"], context["column"]))
        return selected_key(table, keys)
    return selected


def check_cells(env: Env, params: dict[str, Any]) -> list[Fact]:
    """One fact per cell of the report; `select` picks which ones a rule reads."""
    facts = []
    for at in iter_cells(env.report):
        facts.append(_fact(_cell_props(at, env.fmt),
                           **_location(at.cell.line, TABLE_SECTION[at.table], at.table,
                                       at.row, at.column),
                           block=at.block, raw=at.cell.raw, kind=at.cell.kind,
                           actual=at.cell.raw, table_label=TABLE_NAME[at.table],
                           column_number=at.cell.column,
                           **{LAZY: lambda at=at: env.labels.cell(at.table, at.block, at.row, at.column)}))
    if "select" in params:
        keep = cell_selector(env, params)
        facts = [f for f in facts if keep(f.context)]
    return facts


def _domain(env: Env, spec: Any) -> list[str]:
    """The values a for_each variable takes: `applications.rows`, a set name, or a list."""
    fmt = env.fmt
    if isinstance(spec, list):
        return [str(s) for s in spec]
    members = env.set_members(str(spec))
    if members is not None:
        return members
    table, _, what = str(spec).partition(".")
    if fmt is None:
        return []
    if table == "applications" and what == "rows":
        return [row.id for row in fmt.application_rows]
    if table == "applications" and what == "columns":
        return [c.id for c in fmt.application_columns]
    if table == "review_litigation" and what == "blocks":
        return [b.id for b in fmt.review_blocks]
    if table == "review_litigation" and what == "columns":
        return [c.id for c in fmt.review_columns]
    if table == "proactive" and what == "blocks":
        return [b.id for b in fmt.blocks]
    raise CheckError(f"for_each: unknown domain {spec!r}")


def expand(tree: Any, binding: dict[str, str], set_members: Callable[[str], list[str] | None]
           ) -> tuple[Any, list[E.CellRef]]:
    """The equation with its cells replaced by properties v0, v1, … (and those cells).

    `sum(table[set][c])` becomes v_i + v_j + …; the numbering depends only on
    the tree, the binding's shape and the sets, so the compiled condition of a
    format and the facts drawn from a report of that format agree.
    """
    refs: list[E.CellRef] = []

    def resolve(ref: E.CellRef) -> list[tuple[str, ...]]:
        keys = [binding.get(k, k) for k in ref.keys]
        return list(itertools.product(*[set_members(k) or [k] for k in keys]))

    def name_for(ref: E.CellRef) -> E.Name:
        refs.append(ref)
        return E.Name(f"v{len(refs) - 1}")

    def replace(node: Any) -> Any:
        if isinstance(node, E.CellRef):
            keys = resolve(node)
            if len(keys) != 1:
                raise CheckError("a set of cells can only be used inside sum(…)")
            return name_for(E.CellRef(node.table, keys[0]))
        if isinstance(node, E.Sum):
            out = None
            for keys in resolve(node.ref):
                term = name_for(E.CellRef(node.ref.table, keys))
                out = term if out is None else E.Arith("+", out, term)
            return out
        return None

    return E.substitute(tree, replace), refs


@functools.lru_cache(maxsize=4096)
def _expanded(assert_text: str, binding: tuple[tuple[str, str], ...], sets_json: str,
              format_id: str) -> tuple[Any, list[E.CellRef]]:
    """expand(), cached: the same rule, binding and sets give the same tree."""
    members = functools.partial(set_members, json.loads(sets_json), format_id=format_id)
    return expand(E.parse(assert_text), dict(binding), members)


def check_equation(env: Env, params: dict[str, Any]) -> list[Fact]:
    variables = params.get("for_each") or {}
    names = list(variables)
    domains = [_domain(env, variables[n]) for n in names]
    sets_json = json.dumps(env.sets, sort_keys=True, ensure_ascii=False)
    facts = []
    for values in itertools.product(*domains):
        binding = dict(zip(names, values))
        substituted, refs = _expanded(params["assert"], tuple(binding.items()), sets_json,
                                      env.report.format)
        cells = [lookup(env.report, ref.table, ref.keys) for ref in refs]
        if not refs or any(cell is None or not cell.is_number for cell in cells):
            continue        # an absent or non-numeric operand: the cells/presence rules report it
        props = {f"v{i}": cell.value for i, cell in enumerate(cells)}
        props[E.ZERO] = 0
        first_ref, first_cell = refs[0], cells[0]
        table = first_ref.table
        row, column = first_ref.keys[-2], first_ref.keys[-1]

        def explain(substituted=substituted, props=props, refs=refs, cells=cells) -> dict[str, Any]:
            ref = refs[0]
            block = ref.keys[0] if ref.table == "proactive" else None
            left = E.evaluate(substituted.left, props)
            right = E.evaluate(substituted.right, props)
            cells_text = "、".join(f"{_ref_label(env, r)}={c.raw}（行{c.line}）" for r, c in zip(refs, cells))
            return {"left": left, "right": right, "actual": left, "expected": right,
                    "difference": left - right, "cells": cells_text,
                    **env.labels.cell(ref.table, block, ref.keys[-2], ref.keys[-1])}
        facts.append(_fact(props, **_location(first_cell.line, TABLE_SECTION[table], table, row, column),
                           **{LAZY: explain}, **binding))
    return facts


def _ref_label(env: Env, ref: E.CellRef) -> str:
    block = ref.keys[0] if ref.table == "proactive" else None
    labels = env.labels.cell(ref.table, block, ref.keys[-2], ref.keys[-1])
    return f"{labels['row_label']}/{labels['column_label']}"


# words right after a year that make it a plan ("2021年工作计划"), and words in
# the rest of the clause that do ("2021年，我镇将…")
_PLAN_AFTER = re.compile(r"^\s*(?:年度?)?\s*(?:工作)?(?:计划|打算|工作要点|工作安排|重点工作|工作思路)")
_PLAN_CLAUSE = re.compile(r"将|计划|打算|拟|力争|预计")
_COMPARISON_BEFORE = re.compile(r"(?:较|比|与|同比|相比|对比|和)\s*$")


def _mention_context(line: str, start: int, end: int) -> tuple[bool, bool, bool]:
    """(plan, comparison, ignored) for a year mention in a line of text."""
    before = line[max(0, start - 6):start]
    after = line[end:]
    clause = re.split(r"[。；;]", after, maxsplit=1)[0][:30]
    plan = bool(_PLAN_AFTER.match(after) or _PLAN_CLAUSE.search(clause))
    comparison = bool(_COMPARISON_BEFORE.search(before)) or after[:3].lstrip("度，, ").startswith("较")
    # inside a title 《…》: not a statement about the year
    opened_title = line.rfind("《", 0, start) > line.rfind("》", 0, start)
    return plan, comparison, opened_title


def check_year_mentions(env: Env, params: dict[str, Any]) -> list[Fact]:
    r = env.report
    if r.year is None:
        return []
    wanted = params.get("sections") or []
    facts = []
    for section in r.sections:
        if section.id not in wanted:
            continue
        for line_no, text in section.body_lines:
            for year, offset, match_end in year_mentions(text):
                plan, comparison, ignored = _mention_context(fold(text), offset, match_end)
                if ignored:
                    continue
                snippet = text[max(0, offset - 8):offset + 16].strip()
                facts.append(_fact({"year": year, "report_year": r.year, "delta": year - r.year,
                                    "plan": plan, "comparison": comparison},
                                   **_location(line_no, section.id),
                                   year=year, report_year=r.year, snippet=snippet,
                                   section_label=env.labels.section(section.id),
                                   expected=r.year + 1 if plan else r.year, actual=year,
                                   column_number=offset + 1))
    return facts


def check_pattern(env: Env, params: dict[str, Any]) -> list[Fact]:
    section_id = params.get("section")
    regex = re.compile(params["regex"])
    section = env.report.section(section_id)
    if section is None:
        return [_fact({"present": False, "matched": False, "empty": True, "length": 0},
                      **_location(None, section_id), section_label=env.labels.section(section_id),
                      text="")]
    body = section.text.strip()
    match = regex.search(fold(body)) if body else None
    line = section.line
    if match:
        upto = fold(body)[:match.start()].count("\n")
        line = section.body_lines[upto][0] if upto < len(section.body_lines) else section.line
    excerpt = body[:40].replace("\n", " ")
    return [_fact({"present": True, "matched": match is not None, "empty": not body,
                   "length": len(body)},
                  **_location(line, section_id), section_label=env.labels.section(section_id),
                  heading=section.heading, number=section.number, text=excerpt,
                  actual=excerpt or "（空）")]


def check_readings(env: Env, params: dict[str, Any]) -> list[Fact]:
    """Rows of a flattened report whose run-together digits were split (or not)."""
    facts = []
    for reading in env.report.readings:
        labels = env.labels.cell(reading.table, reading.block, reading.row, None)
        facts.append(_fact({"status": reading.status, "table": reading.table, "row": reading.row,
                            "block": reading.block or ""},
                           **_location(reading.line, TABLE_SECTION.get(reading.table), reading.table,
                                       reading.row, None),
                           block=reading.block, reason=reading.reason, raw=reading.raw,
                           actual=reading.raw, table_label=TABLE_NAME.get(reading.table, reading.table),
                           **labels))
    return facts


def check_cross_year(env: Env, params: dict[str, Any]) -> list[Fact]:
    """This year's figures against last year's report of the same organ.

    compare: carried  — per column, 上年结转 (this year) and 结转下年度 (last year);
             in_force — per item1 row, last year's 现行有效 and this year's 制发/废止/现行有效;
             copied   — per part, the share of this year's sentences found in last year's text.
    """
    this, last = env.figures, env.previous
    if this is None or last is None:
        return []
    compare = params.get("compare")
    where = {"last_year": last.get("year"), "last_path": last.get("path"),
             "last_organ": last.get("organ")}
    facts = []
    if compare == "carried":
        now = this["applications"].get("carried_over") or {}
        before = last["applications"].get("carried_forward") or {}
        line = this.get("lines", {}).get("carried_over")
        for column, value in now.items():
            if value is None or before.get(column) is None:
                continue
            labels = env.labels.cell("applications", None, "carried_over", column)
            facts.append(_fact({"this_carried_over": value, "last_carried_forward": before[column]},
                               **_location(line, "applications", "applications", "carried_over", column),
                               expected=before[column], actual=value, **labels, **where))
    elif compare == "in_force":
        for row, cells in (this.get("item1") or {}).items():
            before = (last.get("item1") or {}).get(row) or {}
            values = {"last_in_force": before.get("in_force"), "issued": cells.get("issued"),
                      "repealed": cells.get("repealed"), "in_force": cells.get("in_force")}
            if any(v is None for v in values.values()):
                continue
            labels = env.labels.cell("proactive", "item1", row, "in_force")
            line = this.get("lines", {}).get(f"item1.{row}")
            expected = values["last_in_force"] + values["issued"] - values["repealed"]
            facts.append(_fact(values, **_location(line, "proactive", "proactive", row, "in_force"),
                               block="item1", expected=expected, actual=values["in_force"],
                               **labels, **values, **where))
    elif compare == "copied":
        from gxaudit.rules.kinds.text_figures import copied_share
        wanted = params.get("sections") or list(this.get("sections") or {})
        for section_id in wanted:
            now = (this.get("sections") or {}).get(section_id)
            before = (last.get("sections") or {}).get(section_id)
            if not now or not before:
                continue
            share, examples = copied_share(now, before)
            percent = round(share * 100)
            numeral = {"overview": "一部分", "proactive": "二部分", "applications": "三部分",
                       "review_litigation": "四部分", "problems": "五部分", "other_matters": "六部分"}
            facts.append(_fact({"share": float(share), "percent": percent},
                               **_location(this.get("lines", {}).get(f"section.{section_id}"), section_id),
                               section_label=env.labels.section(section_id),
                               number_label=numeral.get(section_id, ""),
                               examples="；".join(examples[:2]), percent=percent,
                               actual=percent, **where))
    else:
        raise CheckError(f"cross_year: compare must be carried, in_force or copied, not {compare!r}")
    return facts


from gxaudit.rules.kinds.text_figures import check_text_figures  # noqa: E402  (narrative reads checks lazily)

KINDS: dict[str, Callable[[Env, dict[str, Any]], list[Fact]]] = {
    "report": check_report,
    "sections": check_sections,
    "presence": check_presence,
    "cells": check_cells,
    "equation": check_equation,
    "year_mentions": check_year_mentions,
    "pattern": check_pattern,
    "readings": check_readings,
    "cross_year": check_cross_year,
    "text_figures": check_text_figures,
}

# The parameters each kind takes (besides `kind` and `assert`), for validation.
KIND_PARAMS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "report": {"locate": str},
    "sections": {},
    "presence": {"of": str, "table": str},
    "cells": {"select": (str, list)},
    "equation": {"for_each": dict, "tolerance": (int, float)},
    "year_mentions": {"sections": list},
    "pattern": {"section": str, "regex": str},
    "readings": {},
    "cross_year": {"compare": str, "sections": list},
    "text_figures": {"sections": list},
}
REQUIRED_PARAMS = {"cross_year": ("compare",), "presence": ("of", "table"), "cells": ("select",), "equation": ("assert",),
                   "year_mentions": ("sections",), "pattern": ("section", "regex")}
# The properties an `assert` may name, per kind (equations name cells instead).
KIND_PROPERTIES: dict[str, set[str]] = {
    "report": {"year", "format", "expected_format", "has_title", "has_year", "has_organ",
               "has_period", "period_start", "period_end"},
    "sections": {"number", "expected_id", "present", "id_matches", "count", "in_order", "variant"},
    "presence": {"expected", "present", "in_order", "item", "missing"},
    "cells": {"kind", "value", "unit", "integer", "known_unit", "inferred", "unreadable", "table",
              "block", "row", "column"},
    "equation": set(),
    "year_mentions": {"year", "report_year", "delta", "plan", "comparison"},
    "pattern": {"present", "matched", "empty", "length"},
    "readings": {"status", "table", "row", "block"},
    "cross_year": {"this_carried_over", "last_carried_forward", "last_in_force", "issued", "repealed",
                   "in_force", "share", "percent"},
    "text_figures": {"measure", "stated", "table", "scope", "has_table"},
}
