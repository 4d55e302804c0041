"""Where the files of a batch are audited.

A backend runs the worker function (work.WorkerState: one Auditor per
process, built once) somewhere and yields one `Done` per file, in whatever
order files finish; the batch stores each by its index, so the order never
shows in the output.

- InlineBackend: this process (a single file: no process worth starting).
- ProcessBackend: `--jobs N` local worker processes (pool.WorkerPool), which
  survive a worker's death and keep each worker under the memory limit.

How the Dask backend (issue 13, cluster/) plugs in:

- a WorkerPlugin gives each Dask worker process a `WorkerPool(setup, jobs=1)`:
  one spawned process per Dask worker, so the per-file time limit (SIGALRM,
  main thread only: Dask runs tasks in threads) and the memory limit hold and
  durable-rules' state lives in one process, exactly as under --jobs (set
  `distributed.worker.daemon: False` so a Dask worker may start it; start it
  from a thread that lives as long as the Dask worker, since the kernel's
  parent-death signal fires when the thread that started a child ends);
- `DaskBackend.run(items)` submits chunks of about 50 items as tasks that
  return `list(plugin.pool.run(chunk))` (the Dones are compact: pickled bytes)
  and yields their Dones from `distributed.as_completed`, releasing each
  future as it is read, so the client holds no more than the spill does;
- a chunk retried after its Dask worker died may report an index twice: the
  backend drops indices already seen. A file that kills its process twice is
  already that file's error inside the pool; a chunk whose Dask worker itself
  keeps dying is split into one-file tasks.

It is opened by the caller (the cluster is started, or reached, and its
workers' versions checked before anything is audited) and handed to
BatchRun(backend=...); with --parts the spill reads results back from the
workers' Parquet parts (cluster/parts.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.batch.limits import memory_limit
from gxaudit.audit.batch.setup import AuditSetup
from gxaudit.audit.batch.work import Done, WorkerState

if TYPE_CHECKING:
    from gxaudit.audit.batch.pool import Item


class Backend(Protocol):
    def run(self, items: Sequence[Item]) -> Iterator[Done]:
        """One Done per item, in any order."""
        ...

    def close(self) -> None: ...


class InlineBackend:
    """This process, one Auditor; each file under the memory limit, lifted after it."""

    def __init__(self, setup: AuditSetup, auditor: Auditor | None = None):
        self.setup = setup
        self.state = WorkerState(setup, auditor)

    def run(self, items: Sequence[Item]) -> Iterator[Done]:
        for index, path in items:
            with memory_limit(self.setup.memory_limit_mb):
                done = self.state.audit(index, path)
            yield done

    def close(self) -> None:
        pass


class ProcessBackend:
    """`jobs` local worker processes (see pool.py)."""

    def __init__(self, setup: AuditSetup, jobs: int, prepared: tuple | None = None):
        # imported here: a single file, audited in this process, needs no pool (nor
        # multiprocessing: ~6 % of the imports of a one-PDF command)
        from gxaudit.audit.batch.pool import WorkerPool

        self.pool = WorkerPool(setup, jobs, prepared=prepared)

    def run(self, items: Sequence[Item]) -> Iterator[Done]:
        return self.pool.run(items)

    def close(self) -> None:
        self.pool.close()
        _stop_resource_tracker()


def _stop_resource_tracker() -> None:
    """Stop multiprocessing's resource tracker (started for the spawned workers) now,
    rather than let it outlive the command by a moment: a run leaves no process behind.
    It is started again if another pool needs it. `_stop` is private (3.8+): if it is
    gone, the tracker ends by itself when this process exits, as before."""
    from multiprocessing import resource_tracker

    stop = getattr(getattr(resource_tracker, "_resource_tracker", None), "_stop", None)
    if stop is not None:
        with contextlib.suppress(Exception):
            stop()


def make_backend(
    setup: AuditSetup, jobs: int, files: int, auditor: Auditor | None = None, isolate: bool = True
) -> Backend:
    """A single file is audited here (no process start-up to pay); more go to workers,
    even with --jobs 1, so that no file can take the batch down with it. Without
    `isolate` (a caller that wants the results in memory, run_batch), --jobs 1 audits
    here too."""
    if files <= 1 or (not isolate and jobs <= 1):
        return InlineBackend(setup, auditor)
    # the workers take the rules this process read and compiled (Auditor.prepared)
    return ProcessBackend(setup, min(jobs, files), auditor.prepared if auditor is not None else None)
