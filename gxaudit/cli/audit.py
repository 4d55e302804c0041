"""`gxaudit audit`: every setting checked first, then the batch, then the outputs.

Order matters: the settings file, options, rule files, selectors, scoring,
waivers and units files, the output destination and the store are all
checked before the first report is audited, so that a mistake in any of
them costs a second, not a batch.
"""

from __future__ import annotations

import sys

from gxaudit.cli import engines
from gxaudit.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Context, rule_dirs
from gxaudit.cli.console import paint_table
from gxaudit.cli.inputs import collect
from gxaudit.cli.options import check_selectors
from gxaudit.errors import ConfigError, GxauditError

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
STATUS_NOT_A_REPORT = "not_a_report"


def _check_options(o) -> None:
    if o.group_by and not o.units:
        raise ConfigError("--group-by 需要单位文件（--units FILE 或配置文件的 units）")
    if o.format == "xlsx" and not o.output:
        raise ConfigError("--format xlsx 需要 --output FILE（XLSX 不能写到终端）")


def run(ctx: Context) -> int:
    from gxaudit.audit import collector
    from gxaudit.audit.batch import AuditSetup, apply_cross_year, default_jobs, run_batch
    from gxaudit.audit.hierarchy import apply_hierarchy
    from gxaudit.audit.ranking import document, rank
    from gxaudit.audit.store import Store
    from gxaudit.audit.units import load_units
    from gxaudit.report.files import check_destination, write_atomic
    from gxaudit.report.outputs import render
    from gxaudit.report.run import Run
    from gxaudit.rules.load import load_rules

    o, console, args = ctx.options, ctx.console, ctx.args
    _check_options(o)
    if o.output:
        check_destination(o.output)
    engine = engines.choose(o.engine, console)
    directories = rule_dirs(o)
    rules, version = load_rules(directories)
    check_selectors(o, args, rules)
    units = None
    if o.units:
        console.current = o.units
        units = load_units(o.units)
    group_of = units.grouper(o.group_by) if units is not None and o.group_by else None
    setup = AuditSetup(
        rule_dirs=tuple(directories),
        scoring_path=o.scoring,
        engine=engine,
        file_timeout=o.timeout,
        keep_source=o.format == "html",
        waivers_path=o.waivers,
        selection=o.selection,
        units_path=o.units,
    )
    console.current = o.waivers or o.scoring
    auditor = setup.build((rules, version))  # also checks the scoring and waiver files
    console.current = None
    enabled = len(auditor.rules)
    console.note(f"规则 {enabled} 条（共 {len(rules)} 条，引擎 {engine}）")
    if enabled == 0:
        console.warning("选择后没有任何规则启用（检查 select / ignore）")
    store = None
    if o.store:
        console.current = o.store
        store = Store(o.store)
        store.reserve()  # the write lock for the whole run: no other writer in between
        console.current = None
    inputs = None
    thresholds = collector.settle()  # the Auditor lives as long as the run
    try:
        paths = o.paths or ["reports"]
        inputs = collect(paths, o.exclusions, getattr(args, "stdin_filename", None))
        for folder, reason in inputs.unreadable:
            console.warning(f"{folder}: 无法列出文件夹（{reason}），其中的文件未审查")
        for path in inputs.excluded:
            console.note(f"已排除 {path}")
        if not inputs.files:
            raise ConfigError(f"在 {' '.join(paths)} 中没有找到报告文件")
        jobs = o.jobs or default_jobs()
        console.note(f"审查 {len(inputs.files)} 个文件，{jobs} 个进程")
        results = run_batch(
            inputs.files,
            setup,
            jobs=jobs,
            progress=o.progress and not console.quiet,
            auditor=auditor if jobs == 1 else None,
        )
        for result in results:
            result.path = inputs.shown_path(result.path)
        console.current = o.store
        apply_cross_year(auditor, results, store)
        apply_hierarchy(auditor, results, units)
        if store is not None:
            for warning in store.warnings:
                console.warning(warning)
        results = rank(results, group_of)
        console.current = o.output or "标准输出"
        run_ = Run(
            results,
            auditor.rules_version,
            auditor.rules,
            grouped=bool(group_of),
            missing=units.missing(results, o.group_by) if units is not None else [],
            group_by=o.group_by,
            csv_headers=o.csv_headers,
        )
        output = render(o.format, run_)
        if o.output:
            write_atomic(o.output, output)
        elif isinstance(output, bytes):
            sys.stdout.buffer.write(output)
        else:
            if o.format == "table":
                output = paint_table(output, console, sys.stdout)
            sys.stdout.write(output)
            sys.stdout.flush()
        stored_error: GxauditError | None = None
        if store is not None:
            try:
                run_id = store.record(results, document(results, auditor.rules_version))
                console.note(f"已记入存储 {o.store}，运行编号 {run_id}")
            except GxauditError as exc:  # the output is written: say it, exit 2
                stored_error = exc
    finally:
        collector.release(thresholds)
        if store is not None:
            store.close()
        if inputs is not None:
            inputs.cleanup()
    return _finish(results, o, console, stored_error)


def _finish(results, o, console, stored_error) -> int:
    failed = False
    for r in results:
        if r.status == "error":
            console.error(f"{r.path}: {r.error}")
            failed = True
        elif r.status == STATUS_NOT_A_REPORT:
            if o.strict:
                console.error(f"{r.path}: 不是年度报告（--strict）")
                failed = True
            else:
                console.warning(f"{r.path}: 不是年度报告，未审查")
    if stored_error is not None:
        console.error(str(stored_error))
        failed = True
    if failed:
        return EXIT_ERROR
    limit = SEVERITY_RANK[o.fail_on]
    if any(SEVERITY_RANK[f.severity] <= limit and not f.waived for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK
