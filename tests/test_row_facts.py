"""Cell rules are read as one fact per table row (issue 10): the findings are those of one
fact per cell, in the same order.

The oracle here evaluates each cell rule on each cell's own fact with the
reference predicate (kinds/cells.py cell_fact, cell_selector), without the
row machinery; the auditor's findings of cell rules must be exactly those,
on real reports, on reports with short, long and repeated rows, and with
user rules that hold where a cell is absent or fill a route to capacity.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import CORPUS, SEEDS, audit_to_json

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.findings import ReportResult
from gxaudit.audit.scoring import load_scoring
from gxaudit.engine import check_rules, route_capacity
from gxaudit.engine.durable.jsonform import fnv1a32
from gxaudit.engine.model import alternatives
from gxaudit.engine.reference import compile_predicate
from gxaudit.formats.load import load_formats
from gxaudit.parse import ast
from gxaudit.parse.document import parse_document, parse_file
from gxaudit.rules.compile import MAX_RULES_PER_ROUTE, compile_rules, violation
from gxaudit.rules.kinds import Env, Labels, cell_selector
from gxaudit.rules.kinds.base import iter_cells
from gxaudit.rules.kinds.cells import KIND as CELLS
from gxaudit.rules.kinds.cells import cell_fact, row_flag, row_width, slot_flag, slot_name
from gxaudit.rules.load import builtin_rules_dir, load_rule_file, load_rules

USER_RULES = """
rules:
  - id: USR-ROW-001
    title: 每个单元格（恒成立的违反条件：缺少单元格的位置不得命中）
    category: cells
    severity: info
    weight: 0
    check:
      kind: cells
      select: applications[*][*]
      assert: "false"
    message: "{row_label} {column_label}"
  - id: USR-ROW-002
    title: 表二空单元格
    category: cells
    severity: info
    weight: 0
    check:
      kind: cells
      select: proactive[*][*][*]
      assert: kind != "empty" or unreadable
    message: "{row_label} {column_label}"
  - id: USR-ROW-003
    title: 表四大数
    category: cells
    severity: info
    weight: 0
    check:
      kind: cells
      select: review_litigation[*][*]
      assert: kind != "number" or value < 3
    message: "{row_label} {column_label}"
  - id: USR-ROW-004
    title: 表三新收列名
    category: cells
    severity: info
    weight: 0
    check:
      kind: cells
      select:
        - "applications[new][*]"
        - "applications[granted][*]"
      assert: column != "natural" and row != "granted"
    message: "{row_label} {column_label}"
"""


def _many_rules(count: int) -> str:
    """`count` rules on every table-three cell, each with two alternatives."""
    rules = [
        f"""  - id: USR-MANY-{i:03d}
    title: 多条规则 {i}
    category: cells
    severity: info
    weight: 0
    check:
      kind: cells
      select: applications[*][*]
      assert: kind != "number" or (value != {i} and value != {i + 100})
    message: "{{row_label}}"
"""
        for i in range(count)
    ]
    return "rules:\n" + "".join(rules)


def _all_tables_rules(count: int) -> str:
    """`count` rules on every cell of the three tables, each with two alternatives: as row rules
    (one per column) they would pass durable's rules in all."""
    rules = [
        f"""  - id: USR-ALL-{i:03d}
    title: 全部表格 {i}
    category: cells
    severity: info
    weight: 0
    check:
      kind: cells
      select:
        - "proactive[*][*][*]"
        - "applications[*][*]"
        - "review_litigation[*][*]"
      assert: kind != "number" or (value != {i} and value != {i + 1000})
    message: "{{row_label}}"
"""
        for i in range(count)
    ]
    return "rules:\n" + "".join(rules)


def _auditor(tmp_path, extra: str | None, engine: str) -> Auditor:
    rules, _ = load_rules([builtin_rules_dir()])
    if extra is not None:
        path = tmp_path / "user.yaml"
        path.write_text(extra, encoding="utf-8")
        rules += load_rule_file(path)
    return Auditor(rules, load_scoring(), engine=engine)


def _cell_findings(auditor: Auditor, report: ast.Report) -> list[tuple]:
    """The auditor's findings of cell rules, in the order it made them (before scoring sorts)."""
    result = ReportResult(path=report.path, status="audited", format=report.format, year=report.year)
    facts, contexts = auditor.facts_for(report, report.format, report.year)
    assert auditor._evaluate(result, facts, contexts)
    cell_rules = {r.id for r in auditor.rules if r.check["kind"] == "cells"}
    return [
        (f.rule, f.location["table"], f.location["row"], f.location["column"], f.location["line"])
        for f in result.findings
        if f.rule in cell_rules
    ]


def _oracle(auditor: Auditor, report: ast.Report) -> list[tuple]:
    """One fact per cell, each cell rule's violation evaluated on it: route by route (rules
    sharing a stream of facts, as compiled), then cell order, then rule id."""
    fmt = load_formats().get(report.format)
    labels = Labels(fmt)
    env = Env(report, fmt, labels, {})
    out = []
    for route in auditor.routes:
        if route.kind != "cells":
            continue
        rules = sorted(
            (rr.rule for rr in route.rules if rr.rule.applies_to(report.format, report.year)),
            key=lambda r: r.id,
        )
        checks = [
            (
                rule.id,
                cell_selector(Env(report, fmt, labels, rule.sets), rule.check),
                compile_predicate(violation(rule, None)),
            )
            for rule in rules
        ]
        for at in iter_cells(report):
            fact = cell_fact(env, at)
            for rule_id, selected, holds in checks:
                if selected(fact.context) and holds(fact.props):
                    out.append((rule_id, at.table, at.row, at.column, at.cell.line))
    return out


def _variants(text: str) -> list[str]:
    """The report with rows of table three short of a cell, one cell too many, repeated, and with
    a table-four block one cell short."""
    lines = text.split("\n")
    out = []
    rows = [i for i, line in enumerate(lines) if line.count("\t") >= 6 and re.search(r"\t\d+", line)]
    if not rows:
        return out
    short = list(lines)
    for i in rows[::2]:
        label, *cells = [c for c in short[i].split("\t") if c.strip()]
        short[i] = "\t".join([label, *cells[:-1]])  # the last figure gone, nothing in its place
    out.append("\n".join(short))
    long = list(lines)
    for i in rows[1::3]:
        long[i] = long[i].rstrip("\t") + "\t7\t8"
    out.append("\n".join(long))
    repeated = list(lines)
    repeated.insert(rows[0] + 1, lines[rows[0]].replace("\t1\t", "\t9\t"))
    out.append("\n".join(repeated))
    return out


REPORTS = sorted(SEEDS.glob("*.txt")) + sorted(
    p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".html", ".pdf") and p.name != "README.md"
)


@pytest.fixture(scope="module")
def auditors(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rules")
    return {
        (engine, which): _auditor(tmp / f"{engine}-{which}", extra, engine)
        for engine in ("durable", "reference")
        for which, extra in (
            ("builtin", None),
            ("user", USER_RULES),
            ("many", _many_rules(34)),
            ("all-tables", _all_tables_rules(150)),
        )
        if (tmp / f"{engine}-{which}").mkdir(parents=True) is None
    }


@pytest.mark.parametrize("which", ["builtin", "user", "many", "all-tables"])
@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_row_facts_find_what_cell_facts_find_in_the_same_order(auditors, engine, which):
    auditor = auditors[(engine, which)]
    compared = found = 0
    for path in REPORTS:
        original = parse_file(path)
        if original.format not in load_formats():
            continue
        texts = _variants(path.read_text(encoding="utf-8")) if path.suffix == ".txt" else []
        for report in [original] + [parse_document(t, path.name) for t in texts]:
            if report.format not in load_formats():
                continue
            expected = _oracle(auditor, report)
            assert _cell_findings(auditor, report) == expected, path.name
            compared += 1
            found += len(expected)
    assert compared >= 20 and found > 0


def test_the_user_rules_fire_where_they_should(auditors):
    """The oracle is not vacuous: the user rules find cells, and a rule that holds on every cell
    fires once per cell of table three that is there (never for a slot a short row lacks)."""
    auditor = auditors[("durable", "user")]
    report = parse_file(SEEDS / "000_f29079d135fdfab1.txt")
    found = Counter(rule for rule, *_ in _cell_findings(auditor, report))
    cells = sum(len(row.cells) for row in report.tables.applications.values())
    assert found["USR-ROW-001"] == cells > 0
    assert found["USR-ROW-004"] > 0
    short = parse_document(_variants((SEEDS / "000_f29079d135fdfab1.txt").read_text(encoding="utf-8"))[0])
    cells_short = sum(len(row.cells) for row in short.tables.applications.values())
    assert cells_short < cells
    assert Counter(rule for rule, *_ in _cell_findings(auditor, short))["USR-ROW-001"] == cells_short


def test_row_groups_fit_every_engine_route():
    """34 user rules on table three (+ the built-in ones) are cut into groups of slots that fit a
    route of every engine; every durable name is distinct in durable's 32-bit hash."""
    capacity = route_capacity()
    rules, _ = load_rules([builtin_rules_dir()])
    compiled, routes = compile_rules(rules)
    assert check_rules(compiled, "durable") == []
    groups = [g for r in routes for g in r.rows]
    assert {g.table for g in groups} == {"proactive", "applications", "review_litigation"}
    for route in routes:
        for group in route.rows:
            rules_here = [c for c in compiled if c.route == group.name]
            assert len(rules_here) == len(group.rules) <= capacity.rules
            covered = sorted(j for g in route.rows if g.table == group.table for j in g.slots)
            assert covered == list(range(row_width(group.table)))


def test_every_name_a_row_fact_may_carry_has_its_own_hash():
    width = max(row_width(t) for t in ("proactive", "applications", "review_litigation"))
    names = {slot_name(p.name, j) for p in CELLS.properties for j in range(width)}
    names |= {slot_flag(k, j) for k in range(MAX_RULES_PER_ROUTE) for j in range(width)}
    names |= {row_flag(k) for k in range(MAX_RULES_PER_ROUTE)}
    encoded = {f"{n}#{kind}" for n in names for kind in ("n", "s", "b", "e", "t", "v")}
    assert len({fnv1a32(n) for n in encoded}) == len(encoded)


def test_row_rules_past_the_engines_total_keep_one_fact_per_cell_for_some_routes(tmp_path):
    """150 rules on every cell: one fact per cell, 300 alternatives; as row rules, 5,400 (durable
    takes 4,000): the routes that add the most keep one fact per cell, and the set still runs."""
    path = tmp_path / "all.yaml"
    path.write_text(_all_tables_rules(150), encoding="utf-8")
    rules, _ = load_rules([builtin_rules_dir()])
    compiled, routes = compile_rules(rules + load_rule_file(path))
    assert check_rules(compiled, "durable") == []
    cells = [r for r in routes if r.kind == "cells"]
    assert any(r.rows for r in cells) and any(not r.rows for r in cells)
    total = sum(alternatives(c.condition) for c in compiled)
    assert total <= route_capacity().in_all


YEARS_RULE = """rules:
  - id: USR-CEL-900
    title: 表三新收一行的数值（2020年起）
    category: cells
    severity: info
    weight: 0
    applies:
      years: {from: 2020}
    check:
      kind: cells
      select: applications[new][*]
      assert: kind != "number"
    message: "表三“{row_label}”的“{column_label}”是数字。"
"""


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_a_rule_that_applies_from_a_year_on_fires_after_a_report_it_did_not_apply_to(tmp_path, engine):
    # which rules select a cell is remembered per worker: it must depend on the rules
    # that apply to each report, not on the first report of the format (a 2019 report
    # first, then a 2020 one of the same format, audited by one worker)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "years.yaml").write_text(YEARS_RULE, encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_bytes((CORPUS / "001_pingtan_2019_zfxxgk_nb.txt").read_bytes())
    (reports / "b.txt").write_bytes((SEEDS / "000_f29079d135fdfab1.txt").read_bytes())

    def fired(*paths):
        options = ("--rules", str(tmp_path / "rules"), "--jobs", "1", "--engine", engine)
        doc = audit_to_json(paths, tmp_path / "out.json", *options)
        return {r["year"]: sum(f["rule"] == "USR-CEL-900" for f in r["findings"]) for r in doc["reports"]}

    alone = fired(reports / "b.txt")
    assert alone == {2020: 7}  # the seven cells of 本年新收 are numbers
    assert fired(reports) == {2019: 0, 2020: 7}


FORMAT_SET_RULE = """rules:
  - id: USR-CEL-901
    title: 表三中按格式选定的一行
    category: cells
    severity: info
    weight: 0
    check:
      kind: cells
      sets:
        chosen: {"2019": [new], "2021": [carried_over]}
      select: applications[chosen][*]
      assert: kind != "number"
    message: "表三“{row_label}”的“{column_label}”是数字。"
"""


def test_drawing_rows_for_another_format_first_leaves_the_report_formats_own_facts(tmp_path):
    # what drawing a route's rows needs is remembered per list of applying rules (found per
    # route, format and year) and per report format: rows drawn for a report under another
    # format's rules first must not leave their cell selections to that format's reports
    newer = parse_file(SEEDS / "002_44a23edc808f0eac.txt")  # format 2021
    older = parse_file(SEEDS / "000_f29079d135fdfab1.txt")  # format 2019
    assert (newer.format, older.format) == ("2021", "2019")
    expected, _ = _auditor(tmp_path, FORMAT_SET_RULE, "durable").facts_for(older, older.format, older.year)
    used = _auditor(tmp_path, FORMAT_SET_RULE, "durable")
    used.facts_for(newer, "2019", older.year)  # the 2021 report under the 2019 lists of rules
    got, _ = used.facts_for(older, older.format, older.year)
    assert got == expected
    fresh_newer, _ = _auditor(tmp_path, FORMAT_SET_RULE, "durable").facts_for(newer, newer.format, newer.year)
    assert fresh_newer != _auditor(tmp_path, FORMAT_SET_RULE, "durable").facts_for(newer, "2019", newer.year)[0]


def test_fact_ids_are_made_once_and_never_changed_in_place():
    # a route's fact ids are remembered; a longer run replaces the tuple, so ids handed out
    # before (to a report being drawn, perhaps in another thread) never change under it
    auditor = Auditor(load_rules([builtin_rules_dir()])[0], load_scoring())
    first = auditor._fact_ids("r", 3)
    assert first == ("r#0", "r#1", "r#2")
    longer = auditor._fact_ids("r", 5)
    assert longer == ("r#0", "r#1", "r#2", "r#3", "r#4") and first == ("r#0", "r#1", "r#2")
    assert auditor._fact_ids("r", 2) is longer and auditor._fact_ids("other", 1) == ("other#0",)
