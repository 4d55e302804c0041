"""What runs on each Dask worker: one audit process per worker thread, and the task.

Dask runs tasks in threads, where the per-file time limit (SIGALRM) cannot
work and durable-rules' state must not be shared. So each Dask worker keeps,
per thread, a `Lane`: a thread of its own that lives as long as the plugin and
owns a `WorkerPool(setup, jobs=1)` (pool.py), whose one spawned process builds
the engine once and audits every chunk the lane is given, under the time and
memory limits, exactly as under --jobs. The pool is driven only from its
lane's thread: the kernel's parent-death signal (PR_SET_PDEATHSIG) fires when
the thread that started a process ends, so a task thread (which Dask may end)
must never start one. The Dask worker must not be a daemon process (it starts
children): `distributed.worker.daemon: False`.

A lane whose process cannot start fails its task with LaneCannotStart, naming
this worker: the client leaves the worker out and runs the task elsewhere.

The plugin is registered per run (its name carries the run's id) and removed
at the end, which stops the audit processes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
from concurrent.futures import Future
from dataclasses import replace

import dask
from distributed import WorkerPlugin, get_worker

from gxaudit import __version__
from gxaudit.audit.batch.pool import Item, StartFailed, WorkerPool
from gxaudit.audit.batch.setup import AuditSetup
from gxaudit.audit.batch.work import Done
from gxaudit.errors import GxauditError
from gxaudit.rules.load import builtin_rules_dir, load_rules

# the client's built-in rule folder, named so that each worker uses its own installed copy
BUILTIN_RULES = "<gxaudit:builtin-rules>"
# Test-only hook, read from a Dask worker's environment (never from a report): the
# Dask worker process itself is killed (SIGKILL) before auditing a chunk holding
# this path, every time, as a file that crashes the worker outright would.
DASK_KILL_HOOK = "GXAUDIT_TEST_KILL_DASK_WORKER_ON"
IDLE_SECONDS = 300  # a lane's audit process stopped after this long without a chunk (restarted on demand)


def for_workers(setup: AuditSetup) -> AuditSetup:
    """The setup as a worker elsewhere reads it: the built-in rules by name, other files absolute."""
    builtin = os.path.realpath(builtin_rules_dir())

    def where(path: str | None) -> str | None:
        return None if path is None else os.path.abspath(path)

    rule_dirs = tuple(
        BUILTIN_RULES if os.path.realpath(d) == builtin else os.path.abspath(d) for d in setup.rule_dirs
    )
    return replace(
        setup,
        rule_dirs=rule_dirs,
        scoring_path=where(setup.scoring_path),
        waivers_path=where(setup.waivers_path),
        units_path=where(setup.units_path),
    )


def on_this_worker(setup: AuditSetup) -> AuditSetup:
    """The setup with this worker's own built-in rule folder."""
    here = str(builtin_rules_dir())
    return replace(setup, rule_dirs=tuple(here if d == BUILTIN_RULES else d for d in setup.rule_dirs))


def versions(setup: AuditSetup, cwd: str) -> dict:
    """What the client compares: this worker's gxaudit and rules versions (the rules as
    selected, hashed as the Auditor's rules_version), and what it can do."""
    try:
        _rules, version = load_rules(list(on_this_worker(setup).rule_dirs))
        rules_version = setup.selection.version(version)
    except Exception as exc:  # a rule folder missing or different here: said by the client
        rules_version = f"（无法载入规则：{type(exc).__name__}: {exc}）"
    return {
        "gxaudit": __version__,
        "rules": rules_version,
        "daemon": bool(multiprocessing.current_process().daemon),
        "cwd": os.path.isdir(cwd),
    }


class Lane:
    """A thread that owns one WorkerPool(jobs=1) and runs the chunks handed to it."""

    def __init__(self, setup: AuditSetup, cwd: str):
        self.pool = WorkerPool(setup, 1, keep_workers=True, cwd=cwd)
        self.requests: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._serve, name="gxaudit-lane", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            while True:
                try:
                    request = self.requests.get(timeout=IDLE_SECONDS)
                except queue.Empty:  # a client gone without ending its run: no process left idle
                    self.pool.close()
                    continue
                if request is None:
                    return
                chunk, future = request
                try:
                    future.set_result(list(self.pool.run(chunk)))
                except BaseException as exc:
                    future.set_exception(exc)
        finally:
            self.pool.close()

    def run(self, chunk: list[Item]) -> list[Done]:
        future: Future = Future()
        self.requests.put((chunk, future))
        return future.result()

    def close(self) -> None:
        self.requests.put(None)
        self.thread.join(10)


class AuditPlugin(WorkerPlugin):
    """Registered once per run: the run's setup, and a lane per worker thread."""

    def __init__(self, setup: AuditSetup, cwd: str, expected: dict, parts: str | None):
        self.audit_setup = setup  # as for_workers made it
        self.cwd = cwd
        self.expected = expected  # the client's gxaudit and rules versions
        self.parts = parts
        self.lanes: queue.SimpleQueue | None = None
        self._all: list[Lane] = []
        self._checked: str | None = None  # "" once checked and equal, else why not

    def setup(self, worker) -> None:  # type: ignore[override]
        _without_dask_malloc_setting()
        self.lanes = queue.SimpleQueue()
        local = on_this_worker(self.audit_setup)
        for _ in range(max(1, worker.state.nthreads)):
            lane = Lane(local, self.cwd)
            self._all.append(lane)
            self.lanes.put(lane)

    def teardown(self, worker) -> None:  # type: ignore[override]
        for lane in self._all:
            lane.close()
        self._all = []

    def check(self) -> None:
        """A worker that joined after the client's check is checked before its first chunk."""
        if self._checked is None:
            mine = versions(self.audit_setup, self.cwd)
            differ = [k for k in ("gxaudit", "rules") if mine[k] != self.expected[k]]
            self._checked = version_problem(differ, mine, self.expected) if differ else ""
        if self._checked:
            raise GxauditError(self._checked)

    def audit(self, chunk: list[Item]) -> list[Done]:
        assert self.lanes is not None
        lane = self.lanes.get()
        try:
            return lane.run(chunk)
        finally:
            self.lanes.put(lane)


class LaneCannotStart(GxauditError):
    """A task's audit process could not start on this Dask worker (pool.StartFailed): the
    client leaves the worker out and runs the task elsewhere. `worker` is its address."""

    def __init__(self, message: str, worker: str):
        super().__init__(message)
        self.worker = worker

    def __reduce__(self):  # sent to the client: both fields, not str(self) alone
        return (LaneCannotStart, (self.message, self.worker))


def _without_dask_malloc_setting() -> None:
    """The audit processes start without the glibc setting a nanny gives its worker.

    Dask's nanny starts a worker with MALLOC_TRIM_THRESHOLD_=65536 (its
    pre-spawn-environ), which children inherit: memory handed back to the system
    after every report. Measured on 2,000 generated reports under --jobs 2, 12.1 s
    of CPU without it, 14.2 s with it (sys 0.2 -> 2.3 s).
    """
    given = dask.config.get("distributed.nanny.pre-spawn-environ", {}).get("MALLOC_TRIM_THRESHOLD_")
    if given is not None and os.environ.get("MALLOC_TRIM_THRESHOLD_") == str(given):
        del os.environ["MALLOC_TRIM_THRESHOLD_"]


def version_problem(differ: list[str], worker: dict, client: dict, name: str = "") -> str:
    shown = {"gxaudit": "gxaudit 版本", "rules": "规则版本"}
    parts = [f"{shown[k]} {worker[k]}（本机 {client[k]}）" for k in differ]
    who = f" {name}" if name else ""
    return (
        f"Dask 工作进程{who}与本机不一致：{'；'.join(parts)}。请在每个工作节点安装相同版本的 gxaudit 和规则"
    )


def audit_chunk(plugin_name: str, chunk: list[Item]) -> list[Done]:
    """The task: audit a chunk in this worker's audit process; its Dones, compact
    (with --parts, the results are written to a part and the Dones only point to it)."""
    plugin: AuditPlugin = get_worker().plugins[plugin_name]  # type: ignore[assignment]
    plugin.check()
    _test_kill_hook(chunk)
    try:
        dones = plugin.audit(chunk)
    except StartFailed as exc:
        raise LaneCannotStart(exc.message, get_worker().address) from None
    if plugin.parts is None:
        return dones
    from gxaudit.audit.batch.cluster.parts import part_name, write_part

    return write_part(plugin.parts, part_name(chunk), dones)


def _test_kill_hook(chunk: list[Item]) -> None:
    deadly = os.environ.get(DASK_KILL_HOOK)
    if deadly and any(path == deadly for _index, path in chunk):
        with contextlib.suppress(OSError):
            os.kill(os.getpid(), signal.SIGKILL)
