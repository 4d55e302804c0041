"""Auditing many files: in-process or in N worker processes, each with its own engine.

Results come back in input order whatever N is, so the output is identical
for every --jobs. A file that breaks, hangs or is too large ends as an error
result with its reason; it never stops the batch.
"""

from __future__ import annotations

import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

from gxaudit.audit import collector
from gxaudit.audit.auditor import STATUS_ERROR, Auditor, ReportResult
from gxaudit.audit.crossyear import PreviousIndex
from gxaudit.audit.scoring import load_scoring
from gxaudit.audit.selection import RuleSelection
from gxaudit.audit.units import load_units
from gxaudit.audit.waivers import load_waivers
from gxaudit.rules.load import load_rules

# A report is parsed and audited in well under a second; a file that takes
# this long is pathological (or an attack) and is given up on.
DEFAULT_FILE_TIMEOUT = 60


@dataclass(frozen=True)
class AuditSetup:
    """What a worker needs to build its own Auditor (picklable)."""

    rule_dirs: tuple[str, ...]
    scoring_path: str | None
    engine: str
    file_timeout: int = DEFAULT_FILE_TIMEOUT
    keep_source: bool = False  # send the source lines back (HTML output shows them)
    waivers_path: str | None = None
    # select / ignore / severity from the settings file and the command line
    selection: RuleSelection = RuleSelection()
    units_path: str | None = None  # the units file: its rows reach the checks (publication dates)

    def build(self, loaded: tuple[list, str] | None = None) -> Auditor:
        """An Auditor for these settings; `loaded` (rules, version) saves reading the files again."""
        rules, version = loaded or load_rules(list(self.rule_dirs))
        waivers = load_waivers(self.waivers_path) if self.waivers_path else None
        units = load_units(self.units_path) if self.units_path else None
        return Auditor(
            self.selection.apply(rules),
            load_scoring(self.scoring_path),
            engine=self.engine,
            rules_version=self.selection.version(version),
            waivers=waivers,
            units=units,
        )


class FileTimeout(BaseException):
    """The per-file time limit: a BaseException, so that no reader's catch-all (a PDF "could not
    be laid out", an "internal parser error") turns it into another reason."""


def _on_alarm(_signum, _frame):
    raise FileTimeout()


def audit_one(auditor: Auditor, path: str, timeout: int, keep_source: bool = False) -> ReportResult:
    """Audit one file under a time limit (SIGALRM, where the platform has it)."""
    use_alarm = timeout > 0 and hasattr(signal, "SIGALRM")
    previous = signal.signal(signal.SIGALRM, _on_alarm) if use_alarm else None
    if use_alarm:
        signal.alarm(timeout)
    try:
        result = auditor.audit_file(path)
    except FileTimeout:
        result = ReportResult(path=path, status=STATUS_ERROR, error=f"超过单个文件时限（{timeout} 秒）")
    except MemoryError:
        result = ReportResult(path=path, status=STATUS_ERROR, error="out of memory reading this file")
    finally:
        if use_alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    if keep_source and result.report is not None:
        result.source_lines = result.report.lines
        if result.report.origins:
            result.source_origins = [o.to_dict() for o in result.report.origins]
        result.original_lines = result.report.original_lines
    result.report = None  # the AST stays in the worker: results travel light
    return result


_worker_auditor: Auditor | None = None
_worker_setup: AuditSetup | None = None


def _init_worker(setup: AuditSetup) -> None:
    global _worker_auditor, _worker_setup
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _worker_auditor = setup.build()
    _worker_setup = setup
    collector.settle()


def _work(path: str) -> ReportResult:
    assert _worker_auditor is not None and _worker_setup is not None
    return audit_one(_worker_auditor, path, _worker_setup.file_timeout, _worker_setup.keep_source)


def _progress(total: int, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="份", desc="审查", file=sys.stderr, leave=False)


def run_batch(
    paths: list[str], setup: AuditSetup, jobs: int = 1, progress: bool = True, auditor: Auditor | None = None
) -> list[ReportResult]:
    """Audit every path; results in input order."""
    jobs = max(1, min(jobs, len(paths) or 1))
    bar = _progress(len(paths), progress)
    results: list[ReportResult] = []
    try:
        if jobs == 1:
            own = auditor or setup.build()
            for path in paths:
                results.append(audit_one(own, path, setup.file_timeout, setup.keep_source))
                if bar:
                    bar.update(1)
        else:
            # spawn: a fresh interpreter per worker, so no engine state (threads,
            # registered rulesets) is inherited from the parent
            with ProcessPoolExecutor(
                max_workers=jobs, mp_context=get_context("spawn"), initializer=_init_worker, initargs=(setup,)
            ) as pool:
                chunk = max(1, min(64, len(paths) // (jobs * 8) or 1))
                for result in pool.map(_work, paths, chunksize=chunk):
                    results.append(result)
                    if bar:
                        bar.update(1)
    finally:
        if bar:
            bar.close()
    return results


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def apply_cross_year(auditor: Auditor, results: list[ReportResult], store=None) -> int:
    """Check each report against last year's of the same organ: from this batch,
    else from the store. Returns how many reports had a previous year."""
    index = PreviousIndex([r.figures for r in results if r.figures])
    paired = 0
    for result in results:
        if result.figures is None:
            continue
        previous = index.find(result.figures)
        if previous is None and store is not None:
            previous = store.previous_figures(result.figures)
        if previous is not None:
            auditor.audit_cross_year(result, previous)
            paired += 1
    return paired
