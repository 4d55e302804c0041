"""Auditing many files: which ones (inputs), where (backends: this process, or N
worker processes that survive a worker's death), under which limits (time,
memory, size), and their results kept on disk until the outputs read them.

    inputs.py    the files of a batch, and what was skipped and why
    setup.py     what a worker needs to build its Auditor; the default limits
    limits.py    time and memory limits, dying with the parent, SIGTERM as Ctrl-C
    work.py      the worker function and the compact result it returns (Done)
    pool.py      local worker processes that survive their workers' deaths
    backends.py  the seam where another backend (Dask) plugs in
    cluster/     the Dask backend (--dask, --parts): only it imports dask and pyarrow
    spill.py     results on disk: cross-year pairing, ranking, reading back
    runner.py    one run: audit, pair, rank, read back
"""

from __future__ import annotations

import importlib

# what is imported from where, loaded on first use: `limits` (standard library only)
# is imported by every command without paying for the auditor behind the rest
_EXPORTS = {
    "REPORT_SUFFIXES": "inputs",
    "Inputs": "inputs",
    "gather_inputs": "inputs",
    "BatchRun": "runner",
    "apply_cross_year": "runner",
    "default_jobs": "runner",
    "run_batch": "runner",
    "DEFAULT_FILE_TIMEOUT": "setup",
    "DEFAULT_MEMORY_LIMIT_MB": "setup",
    "AuditSetup": "setup",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"gxaudit.audit.batch.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = list(_EXPORTS)
