"""Auditing: report AST → facts → engine → located, explained, scored findings."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from gxaudit.audit.crossyear import extract_figures
from gxaudit.audit.findings import (
    STATUS_AUDITED,
    STATUS_ERROR,
    STATUS_NOT_A_REPORT,
    STATUS_NOT_APPLICABLE,
    Finding,
    ReportResult,
    fingerprint,
    render_message,
)
from gxaudit.audit.scoring import SEVERITY_ORDER, Scoring
from gxaudit.engine import Engine, EngineError, engine_maker
from gxaudit.errors import InputError, NotAReportError
from gxaudit.formats.load import load_formats
from gxaudit.parse import ast
from gxaudit.parse.document import parse_file
from gxaudit.rules.compile import check as check_rules
from gxaudit.rules.compile import compile_rules
from gxaudit.rules.kinds import KINDS, LAZY, CheckError, Env, Labels, cell_selector
from gxaudit.rules.kinds.cells import draw_rows
from gxaudit.rules.model import Rule

# what a grouped finding lists its items by, and how it names their `actual` (grouping.py)
LABEL_KEYS = (
    "table_label",
    "block_label",
    "row_label",
    "column_label",
    "item_label",
    "block",
    "actual_label",
    "expected_label",
)

__all__ = [
    "STATUS_AUDITED",
    "STATUS_ERROR",
    "STATUS_NOT_APPLICABLE",
    "STATUS_NOT_A_REPORT",
    "Auditor",
    "Finding",
    "ReportResult",
]


class Auditor:
    """Holds the compiled rules and one engine; audits report after report."""

    def __init__(
        self,
        rules: list[Rule],
        scoring: Scoring,
        engine: str = "durable",
        rules_version: str = "",
        waivers=None,
        units=None,
        compiled: tuple | None = None,
    ):
        """`compiled`: another Auditor's `compiled` (its rules, compiled): used when its rules
        equal these (a worker process given its parent's), else these rules are compiled."""
        self.rules = [r for r in rules if r.enabled]
        # every rule id loaded, run or not: a waiver naming none of them has a typo (waivers.py)
        self.known_rules = frozenset(r.id for r in rules)
        self.waivers = waivers
        self.units = units  # the units file: each report's row reaches the checks (Env.unit)
        self.scoring = scoring
        self.rules_version = rules_version
        if compiled is not None and compiled[0] == self.rules:
            # the same rules: theirs are taken, so that the routes hold this Auditor's rules
            self.rules, engine_rules, self.routes = compiled
        else:
            engine_rules, self.routes = compile_rules(self.rules)
        self.compiled = (self.rules, engine_rules, self.routes)
        # what AuditSetup.build made this Auditor from, the rules as read (before the selection)
        # and their version, `compiled`, and what the engine prepared (its layout): worker
        # processes build theirs from it (batch/pool.py) rather than read the rule files,
        # compile them and lay them out again
        self.prepared: tuple | None = None
        try:
            # checked now, built when first used (`engine`): a batch's parent rarely evaluates
            self._make_engine = engine_maker(engine, engine_rules)
        except ValueError:
            check_rules(self.rules, engine)  # a RuleError naming the rule's file and line
            raise
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        # the rules each stage runs, by id (a waiver by rule is for a report only where its
        # rule ran on it): built when first asked
        self._stage_rules: dict[str, dict[str, Rule]] = {}
        self._count = 0
        self._selectors: dict[tuple, Any] = {}
        # (route, format, the rules that apply) -> (table, block, row, column) -> the rules
        # (by index) selecting that cell
        self._cell_rules: dict[tuple, dict[tuple, tuple[int, ...]]] = {}
        # the same key -> (group, block, row, columns) -> the row's flags and read slots
        self._row_plans: dict[tuple, dict[tuple, Any]] = {}
        # (route, format, year) -> what drawing the route's facts needs (_drawing)
        self._drawings: dict[tuple, tuple | None] = {}
        # (format, year, the kinds drawn) -> the routes drawn with their _drawing (_routes_drawn)
        self._routes_of: dict[tuple, list[tuple[Any, tuple]]] = {}
        # route -> the ids of its facts, by index
        self._ids: dict[str, tuple[str, ...]] = {}
        # (route, format, year, the report's format) -> what drawing a cells route's rows needs
        # (_row_setup: the rules' cell selections are the report's format's)
        self._row_setups: dict[tuple, tuple] = {}

    @property
    def engine(self) -> Engine:
        """The engine, built on first use (the rules were checked when the Auditor was made)."""
        return self._engine if self._engine is not None else self.build_engine()

    @engine.setter
    def engine(self, engine: Engine) -> None:
        self._engine = engine

    def build_engine(self) -> Engine:
        """The engine, built now if it was not yet."""
        with self._engine_lock:
            if self._engine is None:
                self._engine = self._make_engine()
            return self._engine

    def _selector(self, rr, report: ast.Report, fmt, labels):
        """A cell rule's selection, built once per rule and format (sets may differ by format)."""
        key = (rr.flag, rr.engine_id, report.format)
        if key not in self._selectors:
            self._selectors[key] = cell_selector(Env(report, fmt, labels, rr.rule.sets), rr.rule.check)
        return self._selectors[key]

    # -- facts
    def facts_for(
        self,
        report: ast.Report | None,
        format_id: str,
        year: int | None,
        figures: dict | None = None,
        previous: dict | None = None,
        only_kind: str | None = None,
        unit: dict | None = None,
        children: list[dict] | None = None,
    ) -> tuple[list[dict], dict[str, tuple[Any, dict]]]:
        """The facts of every route that has a rule applying to this report.

        Cross-year routes are drawn only when last year's figures are given;
        `only_kind` restricts to one kind (the cross-year stage of a batch).
        Returns the facts and, per fact id, its context and the rules (by
        engine id) that may match it.
        """
        fmt = load_formats().get(format_id)
        labels = Labels(fmt)
        facts: list[dict] = []
        contexts: dict[str, tuple[Any, dict]] = {}  # fact id -> (its context, the rules by engine id)
        memo: dict = {}  # shared by the routes of this report (Env.memo)
        # the routes' Env by the sets of their first applying rule (the sets a kind reads): by
        # id (the sets are the rules'), and one Env for every route whose first rule names no
        # set (most: each rule has its own empty sets). An Env's fields are never reassigned.
        envs: dict[int | None, Env] = {}
        for route, drawing in self._routes_drawn(
            format_id, year, only_kind, previous is None, children is None
        ):
            active, by_id, every_flag, tail = drawing
            sets = active[0].rule.sets
            sets_key = id(sets) if sets else None
            env = envs.get(sets_key)
            if env is None:
                env = envs[sets_key] = Env(
                    report,
                    fmt,
                    labels,
                    sets,
                    figures=figures,
                    previous=previous,
                    unit=unit,
                    children=children,
                    memo=memo,
                )
            if route.rows:
                key = (route.name, format_id, year, env.report.format)
                setup = self._row_setups.get(key)
                if setup is None:
                    setup = self._row_setups[key] = self._row_setup(route, active, env)
                self._draw_rows(route, setup, env, facts, contexts)
                continue
            if route.kind != "cells":
                drawn = KINDS[route.kind].draw(env, route.params)
                if tail is None:
                    continue  # no rule reads these facts
                for fact, fact_id in zip(drawn, self._fact_ids(route.name, len(drawn))):
                    props = fact.props | tail  # a copy: the fact's own properties stay as drawn
                    props["id"] = fact_id
                    facts.append(props)
                    contexts[fact_id] = (fact, by_id)  # explained only if it becomes a finding
                continue
            drawn = KINDS[route.kind].draw(env, {k: v for k, v in route.params.items() if k != "select"})
            # flag -> the rule's cell selection
            selectors = {rr.flag: self._selector(rr, env.report, fmt, labels) for rr in active}
            shared = route.shared
            for index, fact in enumerate(drawn):
                props = dict(fact.props)
                if shared:
                    flags = [
                        flag for flag in every_flag if flag not in selectors or selectors[flag](fact.context)
                    ]
                    if not flags:
                        continue  # no rule reads this fact
                    for flag in flags:
                        props[flag] = True
                fact_id = f"{route.name}#{index}"
                props["rule"] = route.name
                props["id"] = fact_id
                facts.append(props)
                contexts[fact_id] = (fact, by_id)  # explained only if it becomes a finding
        return facts, contexts

    def _routes_drawn(
        self, format_id: str, year: int | None, only_kind: str | None, no_previous: bool, no_children: bool
    ) -> list[tuple[Any, tuple]]:
        """The routes facts_for draws, in order, each with its _drawing (remembered: the same
        for every report of this format and year)."""
        key = (format_id, year, only_kind, no_previous, no_children)
        found = self._routes_of.get(key)
        if found is None:
            found = []
            for route in self.routes:
                if only_kind is not None and route.kind != only_kind:
                    continue
                if route.kind == "cross_year" and no_previous:
                    continue
                if route.kind == "hierarchy" and no_children:
                    continue  # drawn after the batch, with the children's figures
                drawing = self._drawing(route, format_id, year)
                if drawing is not None:
                    found.append((route, drawing))
            self._routes_of[key] = found
        return found

    def _drawing(self, route, format_id: str, year: int | None) -> tuple | None:
        """What drawing `route`'s facts for a report of this format and year needs (remembered):
        None when no rule of it applies, else its rules that apply, those rules by engine id,
        their flags, and what every fact gets after its own properties when no rule selects
        cells (the flags of a shared route, the route's name; None when a shared route has no
        flag: no rule reads its facts)."""
        key = (route.name, format_id, year)
        if key not in self._drawings:
            active = [
                rr
                for rr in route.rules
                if rr.rule.applies_to(format_id, year) and (rr.format is None or rr.format == format_id)
            ]
            found = None
            if active:
                every_flag = [rr.flag for rr in active if rr.flag is not None]
                tail = None  # a shared route without a flag: no rule reads its facts
                if not route.shared:
                    tail = {"rule": route.name}
                elif every_flag:
                    tail = dict.fromkeys(every_flag, True) | {"rule": route.name}
                found = (active, {rr.engine_id: rr.rule for rr in active}, every_flag, tail)
            self._drawings[key] = found
        return self._drawings[key]

    def _fact_ids(self, route: str, count: int) -> tuple[str, ...]:
        """The ids "<route>#<index>" of at least a route's first `count` facts (made once each).
        The tuple is replaced whole, never grown in place: threads sharing an auditor may make
        the same ids twice, but never see a list half made."""
        ids = self._ids.get(route, ())
        if len(ids) < count:
            ids = self._ids[route] = (*ids, *(f"{route}#{index}" for index in range(len(ids), count)))
        return ids

    def _draw_rows(self, route, setup: tuple, env: Env, facts: list[dict], contexts: dict) -> None:
        """The row facts of a cells route (rules/compile.py: RowGroup; kinds/cells.py: draw_rows),
        with what drawing them needs (`setup`: _row_setup)."""
        selection, selectors, by_id, tables = setup
        cache = self._cell_rules.setdefault(selection, {})
        plans = self._row_plans.setdefault(selection, {})

        def selecting(table: str, block: str | None, row: str, column: str) -> tuple[int, ...]:
            key = (table, block, row, column)
            found = cache.get(key)
            if found is None:
                context = {"table": table, "block": block, "row": row, "column": column}
                found = cache[key] = tuple(sorted(k for k, selected in selectors if selected(context)))
            return found

        counters: dict[str, int] = {}
        # each group's ids "<group>#<index>", made once (_fact_ids), grown when a report has more rows
        ids: dict[str, tuple[str, ...]] = {}
        for table, groups in tables:
            for group, props, row in draw_rows(env, table, groups, selecting, plans):
                name = group.name
                number = counters.get(name, 0)
                counters[name] = number + 1
                known = ids.get(name, ())
                if number >= len(known):
                    known = ids[name] = self._fact_ids(name, max(number + 1, 64))
                fact_id = known[number]
                props["rule"] = name
                props["id"] = fact_id
                facts.append(props)
                contexts[fact_id] = (row, by_id)  # a cell is explained only if it becomes a finding

    def _row_setup(self, route, active, env: Env) -> tuple[tuple, list, dict, tuple]:
        """What drawing a cells route's rows needs besides the report, the same for every
        report of this format with these rules applying (`active`): the selection keying the
        caches, each active rule's cell selection (by its index in the route), the row
        facts' rules by engine id (the route rule and the slot), and the route's tables with
        their groups."""
        index = {id(rr): k for k, rr in enumerate(route.rules)}
        selectors = [(index[id(rr)], self._selector(rr, env.report, env.fmt, env.labels)) for rr in active]
        # which rules select a cell depends on the format and on the rules that apply to this
        # report (a rule may apply from a year on, or to one format): both key the cache
        selection = (route.name, env.report.format, frozenset(index[id(rr)] for rr in active))
        by_id = {
            rule_id: (route.rules[k], j) for group in route.rows for rule_id, (k, j) in group.rules.items()
        }
        tables = tuple(
            (table, [group for group in route.rows if group.table == table])
            for table in dict.fromkeys(group.table for group in route.rows)
        )
        return selection, selectors, by_id, tables

    def _evaluate(self, result: ReportResult, facts: list[dict], contexts: dict) -> bool:
        """Run the engine; add the findings to result. False on an engine error."""
        start = time.perf_counter()
        self._count += 1
        try:
            # the kinds build valid facts (tests/test_engines_agree.py): no check_facts
            matches = self.engine.evaluate(f"r{self._count}", facts, trusted=True)
        except EngineError as exc:
            # an internal engine error is never a clean result
            result.status, result.error = STATUS_ERROR, f"internal engine error: {exc}"
            result.findings = []
            return False
        result.timings["engine"] = result.timings.get("engine", 0.0) + time.perf_counter() - start
        if not matches:
            return True
        order = {fact_id: index for index, fact_id in enumerate(contexts)}

        def position(match) -> tuple[int, int, str]:
            """Where the facts were drawn: a row fact's matches in its cells' order, as cell facts were."""
            target = contexts[match.fact_id][1][match.rule_id]
            if type(target) is tuple:  # (RouteRule, slot) of a row fact
                return order[match.fact_id], target[1], target[0].engine_id
            return order[match.fact_id], -1, match.rule_id

        for match in sorted(matches, key=position):
            fact, rules = contexts[match.fact_id]
            rule = rules[match.rule_id]
            if type(rule) is tuple:  # a row fact: the matched cell's own fact
                route_rule, slot = rule
                rule, fact = route_rule.rule, fact.cell_fact(slot)
            context = fact.context | {k: v for k, v in fact.props.items() if k not in fact.context}
            explain = context.pop(LAZY, None)
            if explain is not None:
                context |= explain()
            context = {
                "format": result.format,
                "organ": result.organ or "",
                "report_year": result.year,
                "year": result.year,
            } | context
            location = {k: context.get(k) for k in ("line", "section", "table", "row", "column")}
            source = None
            if result.report is not None:
                snippet = context.get("snippet")  # a quoted sentence: where it stands, not its paragraph
                source = (
                    result.report.origin_of_text(location["line"], snippet.lstrip("…"))
                    if isinstance(snippet, str) and snippet
                    else result.report.origin(location["line"])
                )
            if source:
                location["source"] = source  # where a person finds it in the original file
            result.findings.append(
                Finding(
                    rule=rule.id,
                    category=rule.category,
                    severity=rule.severity,
                    title=rule.title,
                    message=render_message(rule.message, context),
                    location=location,
                    expected=context.get("expected"),
                    actual=context.get("actual"),
                    weight=rule.weight,
                    fingerprint=fingerprint(rule.id, result.organ, result.year, result.path, context),
                    labels={k: context[k] for k in LABEL_KEYS if context.get(k)},
                )
            )
        return True

    def _rules_of_stage(self, stage: str) -> dict[str, Rule]:
        """The rules a stage runs, by id. `stage`: a kind drawn after the batch (cross_year,
        hierarchy); "report", a report's own audit (every other kind); "report+cross_year",
        one given last year's figures as well."""
        rules = self._stage_rules.get(stage)
        if rules is None:
            if stage in ("report", "report+cross_year"):
                skipped = {"hierarchy"} if stage == "report+cross_year" else {"cross_year", "hierarchy"}
                rules = {r.id: r for r in self.rules if r.check.get("kind") not in skipped}
            else:
                rules = {r.id: r for r in self.rules if r.check.get("kind") == stage}
            self._stage_rules[stage] = rules
        return rules

    def finish(self, result: ReportResult, stage: str = "report") -> None:
        """Apply waivers, order the findings, score. `stage`: which rules ran (_rules_of_stage)."""
        start = time.perf_counter()
        if self.waivers is not None:
            self.waivers.apply(result, self._rules_of_stage(stage), self.known_rules)
        # stable: by severity, then line; ties keep the order the facts were drawn in
        result.findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.location.get("line") or 0))
        result.score = self.scoring.apply(result.findings)
        read, unreadable, _expected = result.coverage or (0, 0, 0)
        result.grade, result.grade_note = self.scoring.capped_grade(result.score, read, unreadable)
        result.timings["score"] = time.perf_counter() - start

    # -- one report
    def audit_report(
        self, report: ast.Report, previous: dict | None = None, unit: dict | None = None
    ) -> ReportResult:
        """`unit`: the report's row of the units file (else looked up in the auditor's units)."""
        result = ReportResult(
            path=report.path,
            status=STATUS_AUDITED,
            organ=report.organ,
            year=report.year,
            format=report.format,
            title=report.title,
            report=report,
            input_kind=report.input_kind,
        )
        if report.coverage is not None and report.coverage.expected:
            cov = report.coverage
            unread = sum(len(g.columns) for g in cov.unreadable)
            result.coverage = (cov.read, unread, cov.expected)
        if report.format == ast.FORMAT_PRE_2019:
            result.status = STATUS_NOT_APPLICABLE
            result.error = f"{report.year}年度报告早于2019年试行格式，不按现行格式审查"
            return result
        result.figures = extract_figures(report)
        start = time.perf_counter()
        try:
            if unit is None and self.units is not None:
                unit = self.units.lookup(report.path, report.organ)
            facts, contexts = self.facts_for(
                report, report.format, report.year, figures=result.figures, previous=previous, unit=unit
            )
        except CheckError as exc:
            result.status, result.error = STATUS_ERROR, f"rule check failed: {exc}"
            return result
        result.facts = len(facts)
        result.timings["facts"] = time.perf_counter() - start
        if previous is not None:
            result.previous = {k: previous.get(k) for k in ("path", "organ", "year")}
        if self._evaluate(result, facts, contexts):
            self.finish(result, "report+cross_year" if previous is not None else "report")
        return result

    def audit_cross_year(self, result: ReportResult, previous: dict) -> None:
        """Add the cross-year findings of an audited report, given last year's figures."""
        if self._audit_from_figures(result, "cross_year", previous=previous):
            result.previous = {k: previous.get(k) for k in ("path", "organ", "year")}

    def audit_hierarchy(self, result: ReportResult, children: list[dict]) -> None:
        """Add the findings of a parent's report against its children's figures (kind hierarchy)."""
        if children:
            self._audit_from_figures(result, "hierarchy", children=children)

    def _audit_from_figures(self, result: ReportResult, kind: str, **given: Any) -> bool:
        """The checks of one kind drawn after the batch, from an audited report's figures
        (its AST is gone) and what `given` brings; their findings added to `result`.
        False when the report was not audited or the kind's facts could not be drawn."""
        if result.status != STATUS_AUDITED or result.figures is None or result.format is None:
            return False
        try:
            facts, contexts = self.facts_for(
                None, result.format, result.year, figures=result.figures, only_kind=kind, **given
            )
        except CheckError as exc:
            result.status, result.error = STATUS_ERROR, f"rule check failed: {exc}"
            return False
        if facts:
            result.facts += len(facts)
            if self._evaluate(result, facts, contexts):
                self.finish(result, kind)
        return True

    def audit_file(self, path: str | Path) -> ReportResult:
        start = time.perf_counter()
        try:
            report = parse_file(path)
        except NotAReportError as exc:
            return ReportResult(path=str(path), status=STATUS_NOT_A_REPORT, error=exc.reason)
        except InputError as exc:
            return ReportResult(path=str(path), status=STATUS_ERROR, error=exc.reason)
        except MemoryError:  # the batch says so with the memory limit (not a parser bug)
            raise
        except Exception as exc:  # a parser bug must not take the batch down
            return ReportResult(
                path=str(path),
                status=STATUS_ERROR,
                error=f"internal parser error: {type(exc).__name__}: {exc}",
            )
        parse_time = time.perf_counter() - start
        result = self.audit_report(report)
        result.timings["parse"] = parse_time
        return result
