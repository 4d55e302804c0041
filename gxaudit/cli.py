"""The command line: `gxaudit parse`, `gxaudit audit`, `gxaudit rules …`.

Each command imports the stages it needs when it runs, so that a command pays
only for its own start-up (the parse command never loads the rule engine).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gxaudit import __version__
from gxaudit.errors import GxauditError
from gxaudit.rules.load import RuleFileError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _error(message: str) -> None:
    print(f"gxaudit: error: {message}", file=sys.stderr)


def cmd_parse(args: argparse.Namespace) -> int:
    from gxaudit.parse.document import parse_file
    from gxaudit.parse.tree import render

    report = parse_file(args.file)
    if args.format == "json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    else:
        text = render(report)
    sys.stdout.write(text + "\n")
    return EXIT_OK


REPORT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".shtml", ".pdf", ".docx"}


def collect_inputs(paths: list[str]) -> list[str]:
    """Files named, and report files found under folders named (sorted, stable)."""
    files: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            try:
                found = sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not p.name.startswith(".")
                )
            except OSError as exc:  # an unreadable folder: say so, go on
                _error(f"{name}: cannot list folder ({exc.strerror or exc})")
                found = []
            files.extend(str(p) for p in found)
        else:
            files.append(name)  # a missing file is reported as an error result
    return files


def _rule_dirs(args: argparse.Namespace) -> list[str]:
    from gxaudit.rules.load import builtin_rules_dir

    directories = [] if getattr(args, "no_builtin", False) else [str(builtin_rules_dir())]
    return directories + [str(d) for d in (getattr(args, "rules", None) or [])]


def _load_pack(args: argparse.Namespace):
    from gxaudit.rules.load import load_rules

    return load_rules(_rule_dirs(args))


def _print_rule_issues(exc) -> None:
    for issue in exc.issues:
        print(str(issue), file=sys.stderr)


def cmd_audit(args: argparse.Namespace) -> int:
    from gxaudit.audit.batch import AuditSetup, apply_cross_year, default_jobs, run_batch
    from gxaudit.audit.ranking import document, rank
    from gxaudit.audit.store import Store
    from gxaudit.audit.units import load_units
    from gxaudit.report.files import write_atomic
    from gxaudit.report.outputs import render
    from gxaudit.report.run import Run

    rules, version = _load_pack(args)  # validate rule and input files before any work
    units = load_units(args.units) if args.units else None
    if args.group_by and units is None:
        _error("--group-by needs --units FILE")
        return EXIT_ERROR
    if args.format == "xlsx" and not args.output:
        _error("--format xlsx needs --output FILE")
        return EXIT_ERROR
    inputs = collect_inputs(args.paths or ["reports"])
    if not inputs:
        _error(f"no report files found in {' '.join(args.paths or ['reports'])}")
        return EXIT_ERROR
    setup = AuditSetup(
        rule_dirs=tuple(_rule_dirs(args)),
        scoring_path=args.scoring,
        engine=args.engine,
        file_timeout=args.timeout,
        keep_source=args.format == "html",
        waivers_path=args.waivers,
    )
    auditor = setup.build((rules, version))  # also checks the scoring and waiver files
    jobs = args.jobs if args.jobs else default_jobs()
    results = run_batch(
        inputs, setup, jobs=jobs, progress=not args.no_progress, auditor=auditor if jobs == 1 else None
    )
    store = Store(args.store) if args.store else None
    try:
        apply_cross_year(auditor, results, store)
        group_of = units.grouper(args.group_by) if args.group_by else None
        results = rank(results, group_of)
        if store is not None:
            store.record(results, document(results, version))
    finally:
        if store is not None:
            store.close()
    run = Run(
        results,
        version,
        rules,
        grouped=bool(group_of),
        missing=units.missing(results, args.group_by) if units is not None else [],
        group_by=args.group_by,
        csv_headers=args.csv_headers,
    )
    output = render(args.format, run)
    if args.output:
        write_atomic(args.output, output)
    elif isinstance(output, bytes):
        sys.stdout.buffer.write(output)
    else:
        sys.stdout.write(output)
    for r in results:
        if r.status == "error":
            _error(f"{r.path}: {r.error}")
    order = {"error": 0, "warning": 1, "info": 2}
    if any(r.status == "error" for r in results):
        return EXIT_ERROR
    if any(order[f.severity] <= order[args.fail_on] and not f.waived for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from gxaudit.audit.diff import diff_documents, load_side, render_diff
    from gxaudit.audit.store import Store

    store = Store(args.store) if args.store else None
    try:
        old = load_side(args.old, store)
        new = load_side(args.new, store)
    finally:
        if store is not None:
            store.close()
    changes = diff_documents(old, new)
    sys.stdout.write(render_diff(changes, args.format))
    return EXIT_OK


def cmd_rules_list(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    rules, version = _load_pack(args)
    rows = [[r.id, r.category, r.severity, f"{r.weight:g}", r.title] for r in rules]
    print(tabulate(rows, headers=["id", "category", "severity", "weight", "title"], disable_numparse=True))
    print(f"\n{len(rules)} rules, rules_version {version}")
    return EXIT_OK


def cmd_rules_show(args: argparse.Namespace) -> int:
    import yaml

    rules, _version = _load_pack(args)
    rule = next((r for r in rules if r.id == args.id), None)
    if rule is None:
        _error(f"no rule with id {args.id}")
        return EXIT_ERROR
    applies = []
    if rule.formats:
        applies.append("格式 " + "、".join(rule.formats))
    if rule.years != (None, None):
        applies.append(f"年度 {rule.years[0] or ''}–{rule.years[1] or ''}")
    out = [
        f"{rule.id}  {rule.title}",
        f"  类别: {rule.category}   级别: {rule.severity}   权重: {rule.weight:g}",
        f"  适用: {'；'.join(applies) or '所有格式和年度'}",
        f"  定义于: {rule.source}:{rule.line}",
    ]
    if rule.description:
        out.append(f"  说明: {rule.description}")
    out.append(f"  提示信息: {rule.message}")
    out.append("  检查:")
    out += [
        "    " + line
        for line in yaml.safe_dump(rule.written_check or rule.check, allow_unicode=True, sort_keys=False)
        .rstrip()
        .splitlines()
    ]
    if rule.written_check:
        out.append("  等同于:")
        out += [
            "    " + line
            for line in yaml.safe_dump(rule.check, allow_unicode=True, sort_keys=False).rstrip().splitlines()
        ]
    from gxaudit.rules.kinds import KINDS

    kind = KINDS[(rule.written_check or rule.check)["kind"]]
    out.append(f"  检查类型 {kind.name}: one fact per {kind.one_fact_per}.")
    if kind.properties:
        out.append("    properties: " + ", ".join(p.name for p in kind.properties))
    offered = sorted(kind.offered_placeholders(rule.check))
    out.append("    placeholders: " + ", ".join("{" + n + "}" for n in offered))
    for title, examples in (("应触发的示例", rule.trigger_examples), ("不应触发的示例", rule.pass_examples)):
        for example in examples:
            out.append(f"  {title} ({example.name}):")
            out += ["    " + line for line in example.text.rstrip().splitlines()]
    print("\n".join(out))
    return EXIT_OK


def cmd_rules_validate(args: argparse.Namespace) -> int:
    from gxaudit.engine import DEFAULT_ENGINE
    from gxaudit.rules.compile import problems
    from gxaudit.rules.load import load_rules

    rules, _version = load_rules(args.paths)
    found = problems(rules, DEFAULT_ENGINE)  # what the audit could not run
    for problem in found:
        print(problem.error(), file=sys.stderr)
    if found:
        return EXIT_ERROR
    print(f"{len(rules)} rules OK")
    return EXIT_OK


def cmd_rules_schema(_args: argparse.Namespace) -> int:
    from gxaudit.rules.schema import rule_file_schema

    sys.stdout.write(json.dumps(rule_file_schema(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def cmd_rules_kinds(_args: argparse.Namespace) -> int:
    from gxaudit.rules.reference import kinds_markdown

    sys.stdout.write(kinds_markdown())
    return EXIT_OK


def cmd_rules_test(args: argparse.Namespace) -> int:
    from gxaudit.audit.auditor import Auditor
    from gxaudit.audit.rule_examples import run_examples
    from gxaudit.audit.scoring import load_scoring
    from gxaudit.rules.load import builtin_rules_dir, load_rules

    tested, _version = load_rules(args.paths or [builtin_rules_dir()])
    # user rules are tried together with the built-in pack (unless --no-builtin)
    everything = tested
    if args.paths:
        everything, _version = _load_pack(argparse.Namespace(rules=args.paths, no_builtin=args.no_builtin))
    auditor = Auditor(everything, load_scoring(), engine=args.engine)
    results = run_examples(tested, auditor)
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(
            f"FAIL {r.rule} {r.example.name} ({r.example.source}:{r.example.line}): {r.why}", file=sys.stderr
        )
        for message in r.messages:
            print(f"     {message}", file=sys.stderr)
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return EXIT_FINDINGS if failed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gxaudit", description="政府信息公开工作年度报告合规审查工具")
    parser.add_argument("--version", action="version", version=f"gxaudit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse one report and print its AST")
    p.add_argument("file")
    p.add_argument("--format", choices=["json", "tree"], default="tree")
    p.set_defaults(func=cmd_parse)

    a = sub.add_parser("audit", help="audit reports and print a ranked compliance table")
    a.add_argument("paths", nargs="*", help="report files or folders (default: reports/)")
    a.add_argument(
        "--format", choices=["table", "markdown", "csv", "json", "html", "xlsx", "sarif"], default="table"
    )
    a.add_argument("--output", help="write to this file (atomically) instead of stdout")
    a.add_argument(
        "--fail-on",
        choices=["error", "warning", "info"],
        default="error",
        help="exit 1 when a finding of this severity or worse is found",
    )
    a.add_argument(
        "--rules",
        action="append",
        metavar="DIR",
        help="a folder (or file) of user rules, added to the built-in pack",
    )
    a.add_argument(
        "--no-builtin", action="store_true", help="use only the --rules given, not the built-in pack"
    )
    a.add_argument("--engine", choices=["durable", "reference"], default="durable")
    a.add_argument("--scoring", help="a scoring YAML file (default: rules/scoring.yaml)")
    a.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        help="worker processes (default: all cores); results are the same for any N",
    )
    a.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    a.add_argument("--timeout", type=int, default=60, help="seconds allowed per file (default 60)")
    a.add_argument(
        "--store",
        metavar="DB",
        help="SQLite store: record this run; read last year's "
        "figures from earlier runs for the cross-year rules",
    )
    a.add_argument("--waivers", metavar="FILE", help="YAML file of reviewed findings (waived: no score cost)")
    a.add_argument("--units", metavar="CSV", help="units file: file or organ → region, level, parent")
    a.add_argument("--group-by", metavar="COLUMN", help="rank within each value of this units column")
    a.add_argument(
        "--csv-headers",
        choices=["zh", "en"],
        default="zh",
        help="CSV 表头：zh 中文（带 BOM，供 Excel 打开），en 英文字段名（供脚本读取）",
    )
    a.set_defaults(func=cmd_audit)

    d = sub.add_parser("diff", help="findings new, fixed and unchanged between two audits")
    d.add_argument("old", help="an audit JSON file, or a run id of --store")
    d.add_argument("new", help="an audit JSON file, or a run id of --store")
    d.add_argument("--store", metavar="DB")
    d.add_argument("--format", choices=["table", "json"], default="table")
    d.set_defaults(func=cmd_diff)

    r = sub.add_parser("rules", help="list, show, validate and test rules")
    rsub = r.add_subparsers(dest="rules_command", required=True)
    rl = rsub.add_parser("list", help="list every rule")
    rs = rsub.add_parser("show", help="explain one rule with its examples")
    rs.add_argument("id")
    for q in (rl, rs):
        q.add_argument("--rules", action="append", metavar="DIR")
        q.add_argument("--no-builtin", action="store_true")
    rl.set_defaults(func=cmd_rules_list)
    rs.set_defaults(func=cmd_rules_show)
    rv = rsub.add_parser("validate", help="check rule files against the schema")
    rv.add_argument("paths", nargs="+")
    rv.set_defaults(func=cmd_rules_validate)
    rt = rsub.add_parser("test", help="run every rule's examples")
    rt.add_argument("paths", nargs="*", help="rule files or folders (default: the built-in pack)")
    rt.add_argument("--no-builtin", action="store_true")
    rt.add_argument("--engine", choices=["durable", "reference"], default="durable")
    rt.set_defaults(func=cmd_rules_test)
    rsub.add_parser("schema", help="print the rule-file JSON Schema").set_defaults(func=cmd_rules_schema)
    rsub.add_parser("kinds", help="print the check kinds' reference (Markdown)").set_defaults(
        func=cmd_rules_kinds
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except RuleFileError as exc:  # one "file:line:column: message" line per issue
        _print_rule_issues(exc)
        return EXIT_ERROR
    except GxauditError as exc:
        _error(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
