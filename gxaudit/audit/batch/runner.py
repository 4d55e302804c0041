"""One audit run over many files: audited by a backend, kept on disk, paired, ranked, read back.

    with BatchRun(setup, auditor, jobs) as run:
        run.audit(gather_inputs(paths))    # results spilled as they arrive
        run.cross_year(store)              # last year's report: this batch, else the store
        run.rank(group_of)
        for result in run.results(): ...   # ranked order, one at a time

Every file named or found ends in the results: audited, not applicable, an
error with its reason, or skipped with its reason (inputs.py). The output is
the same for every --jobs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import overload

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.batch.backends import Backend, make_backend
from gxaudit.audit.batch.inputs import Inputs
from gxaudit.audit.batch.setup import AuditSetup
from gxaudit.audit.batch.spill import RankedResults, Spill
from gxaudit.audit.batch.work import compact, error_result, expand
from gxaudit.audit.crossyear import PreviousIndex
from gxaudit.audit.findings import STATUS_SKIPPED, ReportResult


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _progress(total: int, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="份", desc="审查", file=sys.stderr, leave=False)


class Numbered(Sequence[tuple[int, str]]):
    """(index, path) for each file, made when asked for (a batch's list of pairs
    would cost the parent ~90 bytes a file)."""

    def __init__(self, files: Sequence[str]):
        self.files = files

    def __len__(self) -> int:
        return len(self.files)

    @overload
    def __getitem__(self, index: int) -> tuple[int, str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, str]]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(zip(range(len(self.files))[index], self.files[index]))
        if index < 0:
            index += len(self.files)
        return index, self.files[index]


class BatchRun:
    """The results of one batch, on disk (spill.py) from the moment they arrive."""

    def __init__(
        self,
        setup: AuditSetup,
        auditor: Auditor,
        jobs: int = 1,
        progress: bool = False,
        backend: Backend | None = None,
    ):
        self.setup = setup
        self.auditor = auditor  # the parent's: cross-year checks, and a single file
        self.jobs = max(1, jobs)
        self.progress = progress
        # a backend opened by the caller (a Dask cluster), used for every file and
        # closed by the caller; None: this process or --jobs worker processes
        self.backend = backend
        self.spill = Spill()
        # --parts: the results stay in the parts, read back from there
        self.spill.parts = getattr(backend, "parts_reader", None)

    def __enter__(self) -> BatchRun:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        self.spill.close()

    def audit(self, inputs: Inputs, rename: Callable[[str], str] | None = None) -> None:
        """Audit every file; what was named but unreadable, or skipped, is listed after them.
        `rename(path)`: the name a result is shown under (standard input's temporary copy)."""
        items = Numbered(inputs.files)
        backend = self.backend or make_backend(self.setup, self.jobs, len(items), self.auditor)
        bar = _progress(len(items), self.progress)
        waivers = self.auditor.waivers
        try:
            for done in backend.run(items):
                if waivers is not None and done.summary.waivers_for:
                    waivers.merge(done.summary.waivers_for, done.summary.waivers_used)
                if rename is not None and rename(done.summary.path) != done.summary.path:
                    if self.spill.parts is not None:
                        done = done._replace(result=self.spill.parts.blob(done.result, done.number))
                    result = expand(done)
                    result.path = rename(result.path)
                    done = compact(done.number, result)
                self.spill.add(done)
                if bar:
                    bar.update(1)
        finally:
            if backend is not self.backend:
                backend.close()
            if bar:
                bar.close()
        index = len(items)
        for path, reason in inputs.errors:
            self.spill.add_result(index, error_result(path, reason))
            index += 1
        for path, reason, _quiet in inputs.skipped:
            self.spill.add_result(index, ReportResult(path=path, status=STATUS_SKIPPED, error=reason))
            index += 1
        self.spill.flush()

    def cross_year(self, store=None) -> int:
        return self.spill.cross_year(self.auditor, store)

    def rank(self, group_of: Callable[[ReportResult], str] | None = None) -> None:
        self.spill.rank(group_of)

    def results(self) -> Sequence[ReportResult]:
        """The ranked results (after `rank`), read back one at a time as they are iterated."""
        return RankedResults(self.spill)

    def in_input_order(self) -> list[ReportResult]:
        """Every result in memory, in input order, figures attached: what the in-memory
        stages (apply_cross_year, apply_hierarchy, ranking.rank) take."""
        return list(self.spill.in_input_order())

    def with_status(self, *statuses: str) -> Iterator[ReportResult]:
        """The results of these statuses (e.g. "error"), in ranked order."""
        return self.spill.with_status(*statuses)

    def has_error(self) -> bool:
        return self.spill.has_error()

    def severities(self) -> set[str]:
        return self.spill.severities()


def run_batch(
    paths: list[str], setup: AuditSetup, jobs: int = 1, progress: bool = True, auditor: Auditor | None = None
) -> list[ReportResult]:
    """Audit every path; results in input order, in memory, figures attached (for
    callers that want the results themselves; the CLI keeps them on disk)."""
    items = list(enumerate(paths))
    backend = make_backend(setup, jobs, len(items), auditor, isolate=False)
    bar = _progress(len(items), progress)
    found: dict[int, ReportResult] = {}
    try:
        for done in backend.run(items):
            found[done.number] = expand(done)
            if bar:
                bar.update(1)
    finally:
        backend.close()
        if bar:
            bar.close()
    return [found[i] for i in range(len(items))]


def apply_cross_year(auditor: Auditor, results: list[ReportResult], store=None) -> int:
    """Check each report against last year's of the same organ: from these results,
    else from the store. Returns how many reports had a previous year. (In memory;
    BatchRun.cross_year does the same on disk.)"""
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
