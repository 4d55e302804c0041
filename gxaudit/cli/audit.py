"""`gxaudit audit`: every setting checked first, then the batch, then the outputs.

Order matters: the settings file, options, rule files, selectors, scoring,
waivers and units files, the output destination and the store are all
checked before the first report is audited, so that a mistake in any of
them costs a second, not a batch.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from gxaudit.cli import engines
from gxaudit.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Context, rule_dirs, stdout_to_devnull
from gxaudit.cli.console import paint_table
from gxaudit.cli.inputs import collect
from gxaudit.cli.options import check_selectors
from gxaudit.errors import ConfigError, GxauditError

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
# files with one and the same error past this many: a line at the end says how many (a
# batch whose workers could no longer start lists every file it did not audit)
SAME_ERROR_SUMMARY = 5
STATUS_NOT_A_REPORT = "not_a_report"


def _check_options(o) -> None:
    if o.group_by and not o.units:
        raise ConfigError("--group-by 需要单位文件（--units FILE 或配置文件的 units）")
    if o.format == "xlsx" and not o.output:
        raise ConfigError("--format xlsx 需要 --output FILE（XLSX 不能写到终端）")


def _check_dask(o, args) -> None:
    """--dask's address (where it was written), dask installed, --parts' folder usable."""
    if o.parts and o.dask is None:
        raise ConfigError("--parts 需要 --dask（结果分块由 Dask 工作进程写出）")
    if o.dask is None:
        return
    from gxaudit.audit.batch.cluster import address_problem, is_part, require_dask

    problem = address_problem(o.dask)
    if problem:
        if getattr(args, "dask", None) is None:  # from the settings file
            raise o.settings.error(problem, "dask")
        raise ConfigError(f"--dask：{problem}")
    require_dask()
    if o.parts:
        try:
            os.makedirs(o.parts, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"--parts：无法创建文件夹（{exc.strerror or exc}）", path=o.parts) from None
        if not os.access(o.parts, os.W_OK):
            raise ConfigError("--parts：文件夹不可写", path=o.parts)
        if any(map(is_part, os.listdir(o.parts))):
            # parts are named by their place in the batch: another run's would mix with this one's
            raise ConfigError(
                "--parts：文件夹中已有上一次运行写下的结果分片（part-*.parquet），请换一个空文件夹或先清空",
                path=o.parts,
            )


def _files_read(o, ctx: Context) -> dict[str, str]:
    """The files a run reads besides the reports, by what they are (the output must be none)."""
    named = {
        "存储文件（--store）": o.store,
        "单位名册（--units）": o.units,
        "豁免文件（--waivers）": o.waivers,
        "评分文件（--scoring）": o.scoring,
        "设置文件": ctx.options.settings.path,
    }
    return {what: str(path) for what, path in named.items() if path}


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): the same only by name
        return os.path.realpath(a) == os.path.realpath(b)


def _not_a_file_it_reads(output: str, files: dict[str, str]) -> None:
    """ConfigError when the output names a file the run reads: writing it would destroy it
    (the store's earlier runs, the units file …), before the run has read it."""
    for what, path in files.items():
        if _same_file(output, path):
            raise ConfigError(
                f"输出文件就是本次运行要读取的{what}，写入会毁掉它；请换一个输出文件名", path=output
            )


def _not_a_report_audited(output: str, files) -> None:
    """ConfigError when the output is one of the files to audit (named, or found in a folder:
    a report, or the output an earlier run wrote into the audited folder)."""
    if not os.path.exists(output):
        return
    name = os.path.basename(output)
    for path in files:  # only a file of the same name can be it (a link aside): few stat calls
        if os.path.basename(path) == name and _same_file(output, path):
            raise ConfigError(
                "输出文件也是本次要审查的文件（写入会覆盖它，下次运行又会把结果当作报告审查）；"
                "请把输出写到审查的文件和文件夹之外",
                path=output,
            )


def run(ctx: Context) -> int:
    from gxaudit.audit import collector
    from gxaudit.audit.batch import AuditSetup, BatchRun, apply_cross_year, default_jobs
    from gxaudit.audit.hierarchy import apply_hierarchy
    from gxaudit.audit.ranking import document, rank
    from gxaudit.audit.store import Store
    from gxaudit.audit.units import load_units
    from gxaudit.report.files import check_destination, write_atomic_chunks
    from gxaudit.report.outputs import render_chunks, streams
    from gxaudit.report.run import Run
    from gxaudit.rules.load import load_rules

    o, console, args = ctx.options, ctx.console, ctx.args
    _check_options(o)
    _check_dask(o, args)
    if o.output:
        check_destination(o.output)
        _not_a_file_it_reads(o.output, _files_read(o, ctx))
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
        memory_limit_mb=o.memory_limit,
        selection=o.selection,
        units_path=o.units,
    )
    console.current = o.waivers or o.scoring
    auditor = setup.build((rules, version))  # also checks the scoring and waiver files
    console.current = None
    for waiver in auditor.waivers.expired if auditor.waivers is not None else ():
        console.warning(
            f"{_at(o.waivers, waiver)}: 豁免（{waiver.described()}）已于 {waiver.until} 到期，本次不再适用"
        )
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
    cluster = None
    thresholds = collector.settle()  # the Auditor lives as long as the run
    try:
        paths = o.paths or ["reports"]
        inputs = collect(paths, o.exclusions, getattr(args, "stdin_filename", None))
        for path, reason, quiet in inputs.skipped:
            if not quiet:
                console.warning(f"{path}: {reason}，未审查")
        for path in inputs.excluded:
            console.note(f"已排除 {path}")
        if not inputs.files and not inputs.errors and not inputs.skipped:
            raise ConfigError(f"在 {' '.join(paths)} 中没有找到报告文件")
        if o.output:
            _not_a_report_audited(o.output, inputs.files)
        jobs = o.jobs or default_jobs()
        if o.dask is not None:
            from gxaudit.audit.batch.cluster import open_backend

            console.note(f"审查 {len(inputs.files)} 个文件，Dask 集群 {o.dask}")
            cluster = open_backend(o.dask, setup, auditor.rules_version, parts=o.parts, say=console.tell)
        else:
            console.note(f"审查 {len(inputs.files)} 个文件，{jobs} 个进程")
        # results go to disk as they arrive (audit/batch/spill.py)
        progress = o.progress and not console.quiet
        with BatchRun(setup, auditor, jobs=jobs, progress=progress, backend=cluster) as batch:
            batch.audit(inputs, rename=inputs.shown_path)
            if cluster is not None:  # every file is audited: the cluster's work is done
                cluster.close()
            streamed = streams(o.format) and units is None and store is None
            if streamed:
                # paired, ranked and read back from disk one at a time: memory stays flat
                batch.cross_year()
                batch.rank()
                results = batch.results()
                outcome = _Outcome(batch.with_status("error", STATUS_NOT_A_REPORT), batch.severities())
            else:
                # the units (hierarchy, missing units, groups), the store and the outputs
                # written whole take every result in memory, as they come in input order
                results = batch.in_input_order()
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
                unused_waivers=auditor.waivers.unused_records() if auditor.waivers is not None else [],
            )
            chunks = render_chunks(o.format, run_)
            if o.output:
                write_atomic_chunks(o.output, chunks)
            else:
                try:
                    _print(chunks, o, console)
                except BrokenPipeError:  # `… | head`: the reader left; the run's outcome stands
                    stdout_to_devnull()
            stored_error: GxauditError | None = None
            if store is not None:
                try:
                    run_id = store.record(results, document(results, auditor.rules_version))
                    console.note(f"已记入存储 {o.store}，运行编号 {run_id}")
                except GxauditError as exc:  # the output is written: say it, exit 2
                    stored_error = exc
            if not streamed:
                outcome = _Outcome.of(results)
            _say_unused_waivers(auditor, o, console)
            code = _finish(outcome, o, console, stored_error)
    finally:
        if cluster is not None:
            cluster.close()
        collector.release(thresholds)
        if store is not None:
            store.close()
        if inputs is not None:
            inputs.cleanup()
    if not inputs.files and not inputs.errors:  # all skipped: listed, but nothing was audited
        console.error(f"在 {' '.join(paths)} 中没有找到报告文件")
        return EXIT_ERROR
    return code


def _at(path: str, waiver) -> str:
    """Where a waiver is: its file and line."""
    return f"{path}:{waiver.line}" if waiver.line else path


def _say_unused_waivers(auditor, o, console) -> None:
    """Each waiver for a report of this run that matched none of its findings: stale (the
    finding was fixed) or mistyped, said so that it is not kept for years."""
    if auditor.waivers is None:
        return
    for waiver in auditor.waivers.unused():
        why = (
            f"规则 {waiver.rule} 不在本次加载的规则中，编号写错了？"
            if waiver.rule and waiver.fingerprint is None and waiver.rule not in auditor.known_rules
            else "问题已整改，或豁免写错了"
        )
        console.warning(
            f"{_at(o.waivers, waiver)}: 豁免（{waiver.described()}）在本次审查的报告中没有匹配到任何问题"
            f"（{why}），请核对后删除或更正"
        )


def _print(chunks, o, console) -> None:
    if o.format == "table":  # painted whole (one piece: the table has no `chunks`)
        sys.stdout.write(paint_table("".join(chunks), console, sys.stdout))
    else:
        for chunk in chunks:
            if isinstance(chunk, bytes):
                sys.stdout.buffer.write(chunk)
            else:
                sys.stdout.write(chunk)
    sys.stdout.flush()


@dataclass
class _Outcome:
    """What the exit code reads: the results that are errors or not reports (ranked
    order), and the severities of the findings not waived."""

    flagged: Iterable
    severities: set[str]

    @classmethod
    def of(cls, results) -> _Outcome:
        flagged = [r for r in results if r.status in ("error", STATUS_NOT_A_REPORT)]
        return cls(flagged, {f.severity for r in results for f in r.findings if not f.waived})


def _finish(outcome: _Outcome, o, console, stored_error) -> int:
    failed = False
    same: dict[str, int] = {}
    for r in outcome.flagged:
        if r.status == "error":
            console.error(f"{r.path}: {r.error}")
            same[r.error] = same.get(r.error, 0) + 1
            failed = True
        elif o.strict:
            console.error(f"{r.path}: 不是年度报告（--strict）")
            failed = True
        else:
            console.warning(f"{r.path}: 不是年度报告，未审查")
    for reason, count in same.items():
        if count > SAME_ERROR_SUMMARY:
            console.error(f"以上 {count} 个文件同为：{reason}")
    if stored_error is not None:
        console.error(str(stored_error))
        failed = True
    if failed:
        return EXIT_ERROR
    limit = SEVERITY_RANK[o.fail_on]
    if any(SEVERITY_RANK[s] <= limit for s in outcome.severities):
        return EXIT_FINDINGS
    return EXIT_OK
