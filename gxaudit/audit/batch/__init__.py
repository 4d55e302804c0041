"""Auditing many files: which ones (inputs), where (backends: this process, or N
worker processes that survive a worker's death), under which limits (time,
memory, size), and their results kept on disk until the outputs read them.

    inputs.py    the files of a batch, and what was skipped and why
    setup.py     what a worker needs to build its Auditor; the default limits
    limits.py    time and memory limits, dying with the parent, SIGTERM as Ctrl-C
    work.py      the worker function and the compact result it returns (Done)
    pool.py      local worker processes that survive their workers' deaths
    backends.py  the seam where another backend (Dask) plugs in
    spill.py     results on disk: cross-year pairing, ranking, reading back
    runner.py    one run: audit, pair, rank, read back
"""

from gxaudit.audit.batch.inputs import REPORT_SUFFIXES, Inputs, gather_inputs
from gxaudit.audit.batch.runner import BatchRun, apply_cross_year, default_jobs, run_batch
from gxaudit.audit.batch.setup import DEFAULT_FILE_TIMEOUT, DEFAULT_MEMORY_LIMIT_MB, AuditSetup
from gxaudit.audit.batch.work import audit_guarded


def audit_one(auditor, path: str, timeout: int, keep_source: bool = False):
    """One file under the time limit (as a worker audits it); the ReportResult."""
    setup = AuditSetup(
        rule_dirs=(), scoring_path=None, engine="", file_timeout=timeout, keep_source=keep_source
    )
    return audit_guarded(auditor, path, setup)[0]


__all__ = [
    "DEFAULT_FILE_TIMEOUT",
    "DEFAULT_MEMORY_LIMIT_MB",
    "REPORT_SUFFIXES",
    "AuditSetup",
    "BatchRun",
    "Inputs",
    "apply_cross_year",
    "audit_one",
    "default_jobs",
    "gather_inputs",
    "run_batch",
]
