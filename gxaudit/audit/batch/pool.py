"""Worker processes that survive their workers' deaths.

concurrent.futures' pool breaks for good when one worker dies
(BrokenProcessPool) and every result is lost. Here each worker has its own
pipe: it is sent a chunk of (index, path) and sends back one Done per file as
soon as that file is finished, so the parent always knows which file a worker
was on. When a worker dies (kill -9, the kernel's OOM killer, a crash in a
C library):

- the files of its chunk that have no result yet go back to the queue;
- the file it was on gets a strike and is retried alone, after every other
  file; a file that kills its worker twice ends as that file's error
  ("审计该文件时进程异常退出");
- a new worker takes its place.

Workers that die before they are ready (START_FAILURES in a row) stop the
run with the reason when no worker was ready in it (an install or a memory
limit that cannot work: StartFailed; under Dask, that Dask worker is left out
and its task goes to the others). Once a worker of the run has been ready, the run
is not lost to that: no new worker is started until one is ready again, the
living ones go on, and when none is left each file not audited is its own
error ("审计进程无法再启动").

A worker whose state is suspect (a time-out or MemoryError interrupted its
engine) says so with that file's result and exits; it is replaced and nobody
is blamed. Workers are started with spawn (a fresh interpreter: no engine
state inherited), die with the parent (PR_SET_PDEATHSIG), run under the memory
limit, and ignore SIGINT (the parent handles Ctrl-C and SIGTERM and stops them).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing import connection, get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from gxaudit.audit import collector
from gxaudit.audit.batch.limits import die_with_parent, set_memory_limit
from gxaudit.audit.batch.setup import AuditSetup
from gxaudit.audit.batch.work import Done, WorkerState, compact, error_result, start_hook
from gxaudit.errors import GxauditError

Item = tuple[int, str]  # (index in the batch, path)

CRASH_STRIKES = 2  # deaths on one file before it is that file's error
START_FAILURES = 3  # workers dying before they are ready, in a row: none is started any more
STOP_WAIT = 5.0  # seconds a worker is given to exit when the batch ends


class StartFailed(GxauditError):
    """No worker of a run could start (an install or a memory limit that cannot work here):
    the run stops. Under Dask, that lane's Dask worker is left out and its task goes elsewhere."""


def ended_how(exitcode: int | None) -> str:
    """How a process ended, in words: 被信号 SIGKILL 终止, 退出码 1."""
    if exitcode is not None and exitcode < 0:
        try:
            return f"被信号 {signal.Signals(-exitcode).name} 终止"
        except ValueError:
            return f"被信号 {-exitcode} 终止"
    return f"退出码 {exitcode}"


def crash_reason(exitcode: int | None) -> str:
    """A file's error when it killed its worker CRASH_STRIKES times."""
    return f"审计该文件时进程异常退出（{CRASH_STRIKES} 次；最后一次{ended_how(exitcode)}）"


def start_reason(how: str) -> str:
    """Workers died before they were ready, START_FAILURES in a row; `how` the last one ended."""
    return f"审计进程启动后即退出（连续 {START_FAILURES} 次；最后一次{how}）"


def unstarted_reason(how: str, strikes: int = 0) -> str:
    """A file not audited because no worker could be started any more (see start_reason);
    `strikes`: the times it had killed its worker before."""
    reason = f"审计进程无法再启动（连续 {START_FAILURES} 个进程启动后即退出；最后一次{how}）"
    if strikes:
        return f"审计该文件时进程异常退出（{strikes} 次），重试时{reason}"
    return reason


def _out_of_memory(exc: BaseException) -> bool:
    """MemoryError, or ENOMEM from the system (listing a folder, mapping a library),
    anywhere in the chain of causes (a rule file error may wrap it)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, MemoryError) or (
            isinstance(current, OSError) and current.errno == errno.ENOMEM
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


# files in a chunk at most: ~0.3 s of work for a worker on generated reports
MOST_IN_A_CHUNK = 64


def chunk_size(left: int, jobs: int, most: int) -> int:
    """How many files the next chunk holds when `left` are not handed out yet: `most`, and
    as the batch ends a quarter of each worker's share of what is left, down to one file, so
    that the workers finish together (the last chunk of 64 kept one worker ~0.3 s alone)."""
    return max(1, min(most, -(-left // (jobs * 4))))


def _worker_main(
    conn, setup: AuditSetup, parent_pid: int, cwd: str | None = None, takes_prepared: bool = False
) -> None:
    """A worker process: build one Auditor (from the parent's rules when `takes_prepared`:
    its first message; reading and compiling the rule files again costs more than receiving
    them), then audit the chunks it is sent."""
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    set_memory_limit(setup.memory_limit_mb)
    try:
        # received under the memory limit, like everything the worker builds: a MemoryError
        # here is said as a start failure
        prepared = conn.recv() if takes_prepared else None
    except (EOFError, OSError):  # the parent is gone
        return
    except BaseException as exc:
        _say_start_failed(conn, exc)
        return
    try:
        if cwd is not None and os.path.isdir(cwd):  # under Dask: relative paths are the client's
            os.chdir(cwd)
        state = WorkerState(setup, hooks=True, prepared=prepared)
    except BaseException as exc:  # e.g. MemoryError under a tiny limit: say why, do not loop
        _say_start_failed(conn, exc)
        return
    collector.settle()  # the Auditor lives as long as this process (audit/collector.py)
    start_hook()
    conn.send(("ready", None))
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if chunk is None:
            return
        for index, path in chunk:
            done = state.audit(index, path)
            conn.send(done)
            if done.recycle:
                return  # the rest of the chunk goes back to the queue


def _say_start_failed(conn, exc: BaseException) -> None:
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    conn.send(("failed", ("memory" if _out_of_memory(exc) else "", detail)))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    start_error: str = ""  # what it said when it could not start (it exits next)
    retiring: bool = False  # announced it exits after its last result
    chunk: list[Item] = field(default_factory=list)  # sent, no result yet, in order


class WorkerPool:
    """`jobs` worker processes with one engine each; `run` yields one Done per item.

    `keep_workers`: the workers stay (idle, engine built) when a run ends well, for
    the next run, until `close` (a Dask worker's pool runs one chunk at a time).
    `cwd`: the folder the workers work in (the client's, under Dask). `prepared`: the rules
    as read and compiled for `setup` (Auditor.prepared), given to the workers; None: they
    read and compile them."""

    def __init__(
        self,
        setup: AuditSetup,
        jobs: int,
        chunk_size: int | None = None,
        keep_workers: bool = False,
        cwd: str | None = None,
        prepared: tuple | None = None,
    ):
        self.setup = setup
        self.prepared = prepared
        self.jobs = max(1, jobs)
        self.chunk_size = chunk_size
        self.keep_workers = keep_workers
        self.cwd = cwd
        self._context = get_context("spawn")
        self._workers: list[_Worker] = []

    # -- workers
    def _start(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        # the prepared rules (~160 KB) are sent on the pipe once the worker is one of ours, never
        # in the process's arguments: start() writes those whole before it returns, and a Ctrl-C
        # or SIGTERM while the new process reads them (it imports gxaudit first) left a process
        # started and unknown to the pool, which close() could not stop (the run hung)
        process = self._context.Process(
            target=_worker_main,
            args=(child, self.setup, os.getpid(), self.cwd, self.prepared is not None),
            name="gxaudit-worker",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._workers.append(worker)
        return worker

    def _send_prepared(self, workers: list[_Worker]) -> None:
        """Give the workers just started the prepared rules (after starting them all: a send
        waits until its worker reads, and they start side by side)."""
        if self.prepared is None:
            return
        for w in workers:
            with contextlib.suppress(OSError):  # it died starting: the run sees it end
                w.conn.send(self.prepared)

    def _stop_all(self, graceful: bool) -> None:
        workers, self._workers = self._workers, []
        for w in workers:
            if graceful:
                with contextlib.suppress(OSError, ValueError):
                    w.conn.send(None)
            else:
                with contextlib.suppress(OSError, ValueError):
                    w.process.kill()
        for w in workers:
            w.process.join(STOP_WAIT if graceful else None)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            with contextlib.suppress(OSError):
                w.conn.close()

    def close(self) -> None:
        self._stop_all(graceful=False)

    # -- the batch
    def run(self, items: Sequence[Item]) -> Iterator[Done]:
        """Audit every item; yields one Done per item, in the order they finish.

        Chunks are cut from `items` as workers ask for them (nothing is built per
        item in advance); what comes back from a dead worker is queued first, a file
        that killed its worker last."""
        most = self.chunk_size or max(1, min(MOST_IN_A_CHUNK, len(items) // (self.jobs * 8) or 1))
        queue: deque[list[Item]] = deque()  # chunks to run again, before new ones
        retries: deque[list[Item]] = deque()  # files that killed their worker, alone, after all
        cut = 0  # items[:cut] have been handed out
        remaining = len(items)
        strikes: dict[int, int] = {}
        start_failures = 0
        # a worker of this run has been ready: starting can work (kept workers count)
        started = any(w.ready for w in self._workers)
        stalled = ""  # how the last of START_FAILURES workers dying at start ended: none is started
        graceful = False

        def size_now() -> int:
            """The size of the next chunk cut from `items`."""
            return most if self.chunk_size else chunk_size(len(items) - cut, self.jobs, most)

        def pending() -> int:
            """Chunks not handed out yet."""
            return len(queue) + -(-(len(items) - cut) // size_now()) + len(retries)

        def next_chunk() -> list[Item]:
            nonlocal cut
            if queue:
                return queue.popleft()
            if cut == len(items):
                return retries.popleft()
            chunk = list(items[cut : cut + size_now()])
            cut += len(chunk)
            return chunk

        def assign(worker: _Worker) -> None:
            # a worker is sent its next chunk while it audits the last file of the one before,
            # so that it does not wait for the parent between chunks. What it holds stays in
            # order (worker.chunk): the first is the file it is on, whatever happens to it.
            if pending() and worker.ready and not worker.retiring and len(worker.chunk) <= 1:
                chunk = next_chunk()
                try:
                    worker.conn.send(chunk)
                except OSError:  # it has just died: its end is handled when seen
                    queue.appendleft(chunk)
                    worker.retiring = True
                else:
                    worker.chunk = worker.chunk + chunk if worker.chunk else chunk

        def staff() -> None:
            """Enough workers for the work left; idle ones given work."""
            busy = sum(1 for w in self._workers if w.chunk)
            started = []
            while not stalled and len(self._workers) < min(self.jobs, busy + pending()):
                started.append(self._start())
            self._send_prepared(started)
            for w in self._workers:
                assign(w)

        def unstaffed() -> Iterator[Done]:
            """No worker left and none can start: each file not audited is its own error."""
            nonlocal remaining
            while pending():
                for index, path in next_chunk():
                    remaining -= 1
                    reason = unstarted_reason(stalled, strikes.get(index, 0))
                    yield compact(index, error_result(path, reason))

        def receive(worker: _Worker, message) -> Done | None:
            nonlocal start_failures, started, stalled
            if isinstance(message, Done):
                worker.chunk = [item for item in worker.chunk if item[0] != message.number]
                worker.retiring |= message.recycle
                return message
            kind, detail = message
            if kind == "failed":
                cause, detail = detail
                hint = "（--memory-limit 太小？）" if cause == "memory" else ""
                if not started:
                    raise StartFailed(f"审计进程无法启动：{detail}{hint}")
                worker.start_error = f"进程报告无法启动：{detail}{hint}"  # it exits: a start failure
                return None
            worker.ready = started = True
            start_failures = 0
            stalled = ""  # starting works again
            return None

        try:
            staff()
            while remaining:
                waiting: dict[Any, _Worker] = {}  # its pipe and its process's sentinel (an fd)
                for w in self._workers:
                    waiting[w.conn] = w
                    waiting[w.process.sentinel] = w
                for ready in connection.wait(list(waiting)):
                    worker = waiting[ready]
                    if worker not in self._workers:
                        continue  # its end was handled with the other object of the pair
                    ended = ready is worker.process.sentinel
                    if not ended:
                        try:
                            message = worker.conn.recv()
                        except (EOFError, OSError):
                            ended = True
                        else:
                            done = receive(worker, message)
                            if not worker.retiring:
                                assign(worker)  # before the result is handed on: it need not wait
                            if done is not None:
                                remaining -= 1
                                yield done
                            continue
                    # the worker ended: first what it sent before it died
                    with contextlib.suppress(EOFError, OSError):
                        while worker.conn.poll():
                            done = receive(worker, worker.conn.recv())
                            if done is not None:
                                remaining -= 1
                                yield done
                    worker.process.join()
                    self._workers.remove(worker)
                    worker.conn.close()
                    if not worker.ready:
                        start_failures += 1
                        if start_failures >= START_FAILURES:
                            how = worker.start_error or ended_how(worker.process.exitcode)
                            if not started:
                                raise StartFailed(start_reason(how))
                            stalled = how
                    elif worker.chunk:
                        if worker.retiring:  # it left on its own: nobody to blame
                            queue.appendleft(worker.chunk)
                        else:
                            (index, path), rest = worker.chunk[0], worker.chunk[1:]
                            if rest:
                                queue.appendleft(rest)
                            strikes[index] = strikes.get(index, 0) + 1
                            if strikes[index] >= CRASH_STRIKES:
                                remaining -= 1
                                reason = crash_reason(worker.process.exitcode)
                                yield compact(index, error_result(path, reason))
                            else:
                                retries.append([(index, path)])  # alone, so a second death is its own
                    staff()
                    if stalled and not self._workers:
                        yield from unstaffed()
            graceful = True
        finally:
            if not (graceful and self.keep_workers):
                self._stop_all(graceful)
