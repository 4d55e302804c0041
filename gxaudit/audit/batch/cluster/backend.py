"""The client side: a batch's files audited on a Dask cluster, one Done per file.

- `local:N` starts a LocalCluster of N worker processes (one thread each) in
  this process; `tcp://HOST:PORT` connects to a running scheduler.
- Before anything is audited every worker reports its gxaudit and rules
  versions; one that differs from the client's stops the run (exit 2).
- Files go in chunks of CHUNK_FILES per task (one file per task costs the
  scheduler about ten times more per file); at most a few chunks per worker
  thread are in flight, more are submitted as results come back, and each
  result is released as soon as it is read: the client holds no more than the
  spill does, whatever the batch's size.
- A worker that dies (killed, out of memory) has its chunk retried by Dask on
  another worker; a chunk whose workers keep dying (distributed's
  allowed-failures, then KilledWorker) is split into one-file tasks, and a
  file whose own task ends in KilledWorker twice becomes that file's error.
  A file reported twice (a chunk retried after it had partly been seen) is
  kept once. (The bookkeeping is schedule.py's.)
- A Dask worker whose audit process cannot start (pool.StartFailed: an install
  or a memory limit that does not work on that machine) is left out: its task
  runs again on the others, and later tasks are sent to them. When every
  worker is left out, the run stops with the reason, as --jobs does.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import signal
import threading
import uuid
from collections.abc import Iterator, Sequence

import dask
from dask.utils import parse_timedelta
from distributed import Client, KilledWorker, LocalCluster, as_completed

from gxaudit import __version__
from gxaudit.audit.batch.cluster import local_workers
from gxaudit.audit.batch.cluster.plugin import (
    AuditPlugin,
    LaneCannotStart,
    audit_chunk,
    for_workers,
    version_problem,
    versions,
)
from gxaudit.audit.batch.cluster.schedule import Schedule
from gxaudit.audit.batch.pool import Item
from gxaudit.audit.batch.setup import AuditSetup
from gxaudit.audit.batch.work import Done, compact, error_result
from gxaudit.errors import ConfigError, GxauditError

CHUNK_FILES = 50  # files per task: measured, 2.6 ms of scheduler time per task
IN_FLIGHT_PER_THREAD = 3  # chunks submitted ahead per worker thread


def worker_died_reason(tries: int) -> str:
    return f"审计该文件时 Dask 工作进程反复异常退出（{tries} 次）"


def start_local_cluster(workers: int) -> LocalCluster:
    """`--dask local:N`: N worker processes of one thread each, on free ports.

    Started with SIGINT ignored, which the processes it starts keep (Python leaves an
    ignored SIGINT ignored): a terminal's Ctrl-C reaches the whole process group, and
    only this process should answer it (it closes the cluster; the one line it prints
    is the run's), not every nanny and worker with its traceback."""
    if threading.current_thread() is not threading.main_thread():  # signals are the main thread's
        return _local_cluster(workers)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return _local_cluster(workers)
    finally:
        signal.signal(signal.SIGINT, previous)


def _local_cluster(workers: int) -> LocalCluster:
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        scheduler_port=0,
        dashboard_address=":0",
        memory_limit=0,  # each file is under gxaudit's own memory limit (--memory-limit)
        silence_logs=logging.CRITICAL,  # a lost worker is handled here, not logged
    )


class DaskBackend:
    """A Dask cluster as a batch backend (see backends.Backend)."""

    def __init__(
        self,
        address: str,
        setup: AuditSetup,
        rules_version: str,
        parts: str | None = None,
        say=None,
        chunk_files: int = CHUNK_FILES,
    ):
        self.say = say or (lambda _message: None)
        self.chunk_files = chunk_files
        self.run_id = uuid.uuid4().hex[:12]
        self.plugin_name = f"gxaudit-{self.run_id}"
        self.cwd = os.getcwd()
        self.setup = for_workers(setup)
        self.expected = {"gxaudit": __version__, "rules": rules_version}
        self.parts = os.path.abspath(parts) if parts else None
        self.cluster: LocalCluster | None = None
        self.client: Client | None = None
        self.registered = False
        try:
            client = self._connect(address)
            self._check_workers(client)
            client.register_plugin(
                AuditPlugin(self.setup, self.cwd, self.expected, self.parts), name=self.plugin_name
            )
            self.registered = True
        except BaseException:
            self.close()
            raise

    # -- the cluster
    def _connect(self, address: str) -> Client:
        # a Dask worker starts the audit processes (plugin.py): it must not be a daemon
        dask.config.set({"distributed.worker.daemon": False})
        # how long to wait for the scheduler, then for a worker: Dask's connect time-out
        # (30 s; DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT)
        timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), "s")
        workers = local_workers(address)
        if workers is not None:
            # one task at a time per worker thread: when a worker dies, only the task it
            # was running counts towards KilledWorker, not one merely queued behind it
            dask.config.set({"distributed.scheduler.worker-saturation": 1.0})
            self.cluster = start_local_cluster(workers)
            client = self.client = Client(self.cluster)
        else:
            try:
                client = self.client = Client(address, timeout=timeout)
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"--dask：无法连接 Dask 调度器 {address}（{exc}）") from None
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise ConfigError(
                f"--dask：调度器 {address} 在 {timeout:g} 秒内没有可用的工作进程（dask worker）"
            ) from None
        self.say(f"Dask 调度器 {client.scheduler.address}，控制面板 {self.dashboard()}")
        return client

    def dashboard(self) -> str:
        """The dashboard's address; Dask serves it only where bokeh is installed (here,
        for local:N; on the scheduler's machine otherwise, which the client cannot see)."""
        assert self.client is not None
        if self.cluster is not None and importlib.util.find_spec("bokeh") is None:
            return "未启用（需要安装 bokeh）"
        try:
            return self.client.dashboard_link
        except (KeyError, AttributeError):
            return "未启用"

    def _check_workers(self, client: Client) -> None:
        """Every worker's gxaudit and rules versions equal the client's; each can start processes."""
        found = client.run(versions, self.setup, self.cwd)
        for name, mine in sorted(found.items()):
            differ = [k for k in ("gxaudit", "rules") if mine[k] != self.expected[k]]
            if differ:
                raise ConfigError(version_problem(differ, mine, self.expected, name))
            if mine["daemon"]:
                raise ConfigError(
                    f"Dask 工作进程 {name} 是守护进程，不能启动审查进程："
                    "启动 dask worker 前设置环境变量 DASK_DISTRIBUTED__WORKER__DAEMON=False"
                )
            if not mine["cwd"]:
                self.say(f"警告：Dask 工作进程 {name} 上没有当前文件夹 {self.cwd}，相对路径的报告将无法读取")
        self.threads = max(1, sum(client.nthreads().values()))

    def close(self) -> None:
        if self.client is not None:
            if self.registered:
                with contextlib.suppress(Exception):
                    self.client.unregister_worker_plugin(self.plugin_name)
            with contextlib.suppress(Exception):
                self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()
        self.client = self.cluster = None

    @property
    def parts_reader(self):
        """Where the outputs read results back from (--parts), else None."""
        if self.parts is None:
            return None
        from gxaudit.audit.batch.cluster.parts import PartsReader

        return PartsReader(self.parts)

    # -- the batch
    def run(self, items: Sequence[Item]) -> Iterator[Done]:
        assert self.client is not None
        client = self.client
        schedule = Schedule(len(items), self.chunk_files)
        spans: dict = {}  # future -> (first index, files)
        completed = as_completed()
        window = IN_FLIGHT_PER_THREAD * self.threads
        # deaths of a file's worker before it is its error: allowed-failures + 1, its task run twice
        deaths = 2 * (int(dask.config.get("distributed.scheduler.allowed-failures")) + 1)
        left_out: dict[str, str] = {}  # Dask workers whose audit process cannot start -> why
        tries = 0  # tasks submitted (each key is new: a task run again is another task)

        def usable() -> list[str] | None:
            """The workers tasks are sent to: all (None) but those left out; when none is
            left, the run stops with the reason."""
            if not left_out:
                return None
            found = [address for address in client.nthreads() if address not in left_out]
            if not found:
                why = next(reversed(left_out.values()))
                who = "Dask 工作进程" if len(left_out) == 1 else f"{len(left_out)} 个 Dask 工作进程都"
                raise GxauditError(f"{who}无法启动审计进程：{why}")
            return found

        def top_up() -> None:
            nonlocal tries
            while len(spans) < window and schedule.has_work():
                workers = usable()
                start, count = schedule.next_task()
                chunk = list(items[start : start + count])
                tries += 1
                # preferred, not required: a worker restarted elsewhere (a new address)
                # takes the task rather than leaving it waiting for one that is gone
                future = client.submit(
                    audit_chunk,
                    self.plugin_name,
                    chunk,
                    key=f"{self.plugin_name}-{start}-{count}-{tries}",
                    workers=workers,
                    allow_other_workers=workers is not None,
                )
                spans[future] = (start, count)
                completed.add(future)

        top_up()
        for future in completed:
            start, count = spans.pop(future)
            try:
                dones = future.result()
            except KilledWorker:
                dones = []
                failed = schedule.lost(start, count)
                if failed is not None:
                    index, path = items[failed]
                    dones = [compact(index, error_result(path, worker_died_reason(deaths)))]
            except LaneCannotStart as exc:
                dones = []
                if exc.worker not in left_out:
                    left_out[exc.worker] = exc.message
                    usable()  # the run stops here when no worker is left
                    self.say(
                        f"警告：Dask 工作进程 {exc.worker} 无法启动审计进程（{exc.message}），"
                        "它的任务改由其余工作进程审计"
                    )
                schedule.again(start, count)
            except GxauditError:
                raise
            except Exception as exc:
                raise GxauditError(f"Dask 任务失败：{type(exc).__name__}: {exc}") from None
            finally:
                future.release()
            yield from schedule.fresh(dones)
            del dones
            top_up()
