"""The worker function: audit files with one Auditor, return compact results.

Every backend runs this same code: in the main process (one file), in the
local worker processes (--jobs), or in a process kept by a Dask worker. A
result travels as a `Done`: the ReportResult already pickled (the parent
stores the bytes without unpickling them) and, apart, the figures that
cross-year checks read, with the year and organ key they are looked up by.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.batch.limits import FileTimeout, memory_reason, time_limit, timeout_reason
from gxaudit.audit.batch.setup import AuditSetup
from gxaudit.audit.findings import STATUS_ERROR, ReportResult

PICKLE = pickle.HIGHEST_PROTOCOL

# Test-only hooks, read from the environment of a worker process when it starts
# (never from a report): the value is one file's path exactly as the batch names
# it. The tests use them to make a worker die, or run out of memory, on that file.
KILL_HOOK = "GXAUDIT_TEST_KILL_WORKER_ON"
MEMORY_HOOK = "GXAUDIT_TEST_EXHAUST_MEMORY_ON"
# "<n>:<folder>": only the first n workers of a run to finish starting go on; any
# later one kills itself before it is ready (a worker takes a start by creating
# one of the files 0 .. n-1 in the folder): the tests of a pool whose workers can
# no longer start.
START_HOOK = "GXAUDIT_TEST_START_ONLY"


class Summary(NamedTuple):
    """What ranking and the exit code read of a result (no need to unpickle it)."""

    status: str
    score: float | None
    errors: int  # findings by severity, waived ones not counted
    warnings: int
    organ: str | None
    path: str
    severities: str  # the severities of the findings not waived, e.g. "error warning"
    # the waivers (by place) that were for this report, and those it used (waivers.py):
    # a few numbers, most often none
    waivers_for: tuple[int, ...] = ()
    waivers_used: tuple[int, ...] = ()

    @classmethod
    def of(cls, result: ReportResult) -> Summary:
        severities = {f.severity for f in result.findings if not f.waived}
        return cls(
            result.status,
            result.score,
            result.count("error"),
            result.count("warning"),
            result.organ,
            result.path,
            " ".join(sorted(severities)),
            result.waivers_for,
            result.waivers_used,
        )


class Done(NamedTuple):
    """One file's result as it travels from a worker to the parent."""

    number: int  # the file's place in the batch (its index)
    result: bytes  # the pickled ReportResult, without its AST and figures
    summary: Summary
    figures: bytes | None  # the pickled figures next year's report is checked against
    year: int | None  # the figures' year and organ key (what cross-year looks up)
    organ_key: str | None
    # the worker's state is suspect after this file (a time-out or MemoryError
    # interrupted the engine mid-way): it is replaced before auditing more
    recycle: bool = False


def error_result(path: str, reason: str) -> ReportResult:
    return ReportResult(path=path, status=STATUS_ERROR, error=reason)


def audit_guarded(auditor: Auditor, path: str, setup: AuditSetup, before=None) -> tuple[ReportResult, bool]:
    """Audit one file under the time limit; (result, whether the worker's state is suspect)."""
    suspect = False
    try:
        with time_limit(setup.file_timeout):
            if before is not None:
                before(path)
            result = auditor.audit_file(path)
    except FileTimeout:
        result, suspect = error_result(path, timeout_reason(setup.file_timeout)), True
    except MemoryError:
        result, suspect = error_result(path, memory_reason(setup.memory_limit_mb)), True
    if setup.keep_source and result.report is not None:
        result.source_lines = result.report.lines
        if result.report.origins:
            result.source_origins = [o.to_dict() for o in result.report.origins]
        result.original_lines = result.report.original_lines
    result.report = None  # the AST stays in the worker: results travel light
    return result, suspect


def compact(index: int, result: ReportResult, recycle: bool = False) -> Done:
    """The Done of a result (its figures travel apart, see Done)."""
    figures = result.figures
    result.figures = None
    try:
        blob = pickle.dumps(result, PICKLE)
    finally:
        result.figures = figures
    summary = Summary.of(result)
    if not figures:
        return Done(index, blob, summary, None, None, None, recycle)
    return Done(
        index,
        blob,
        summary,
        pickle.dumps(figures, PICKLE),
        figures.get("year"),
        figures.get("organ_key"),
        recycle,
    )


def expand(done: Done) -> ReportResult:
    """The ReportResult of a Done, figures attached."""
    result = pickle.loads(done.result)
    if done.figures is not None:
        result.figures = pickle.loads(done.figures)
    return result


class WorkerState:
    """One Auditor (one engine) for the life of a process, built once."""

    def __init__(
        self,
        setup: AuditSetup,
        auditor: Auditor | None = None,
        hooks: bool = False,
        prepared: tuple | None = None,
    ):
        """`prepared`: the rules as the parent read and compiled them (Auditor.prepared),
        else read and compiled here."""
        self.setup = setup
        self.auditor = auditor or setup.build(*(prepared or ()))
        self.auditor.build_engine()  # now, before the worker settles (audit/collector.py)
        self.before = _test_hooks(setup) if hooks else None

    def audit(self, index: int, path: str) -> Done:
        result, suspect = audit_guarded(self.auditor, path, self.setup, self.before)
        return compact(index, result, recycle=suspect)

    def audit_chunk(self, items: Iterable[tuple[int, str]]) -> Iterator[Done]:
        for index, path in items:
            yield self.audit(index, path)


def _test_hooks(setup: AuditSetup):
    kill_on = os.environ.get(KILL_HOOK)
    exhaust_on = os.environ.get(MEMORY_HOOK)
    if not kill_on and not exhaust_on:
        return None

    def before(path: str) -> None:
        if path == kill_on:
            os.kill(os.getpid(), signal.SIGKILL)
        if path == exhaust_on:
            _exhaust_memory(setup.memory_limit_mb)

    return before


def start_hook() -> None:
    """The START_HOOK test hook, called by a worker just before it says it is ready."""
    value = os.environ.get(START_HOOK)
    if not value:
        return
    count, folder = value.split(":", 1)
    for slot in range(int(count)):
        try:
            os.close(os.open(os.path.join(folder, str(slot)), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue
        return
    os.kill(os.getpid(), signal.SIGKILL)


def _exhaust_memory(limit_mb: int) -> None:
    """Allocate until MemoryError; never past twice the limit (a limit not applied
    must fail the test, not take the machine)."""
    if limit_mb <= 0:
        raise RuntimeError("memory hook without a memory limit")
    held = []
    for _ in range(2 * limit_mb // 16 + 1):
        held.append(bytearray(16 * 1024 * 1024))
    raise RuntimeError(f"memory limit of {limit_mb} MiB not applied")
