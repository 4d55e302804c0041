"""The limits a file is audited (or parsed) under, and a process's life tied to its parent's.

- Time: SIGALRM per file. `FileTimeout` derives from BaseException so that a
  reader's `except Exception` cannot turn a time-out into another, false reason
  ("the PDF could not be laid out").
- Memory: RLIMIT_AS, the address space a process may map; past it allocations
  fail with MemoryError, which ends as that file's error.
- Parent death: on Linux a worker asks the kernel for SIGKILL when its parent
  dies (PR_SET_PDEATHSIG), so a parent killed with SIGKILL leaves no worker.
- SIGTERM is handled like Ctrl-C: a clean stop, no partial output.

Only the standard library here: the limits are set before anything heavy runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

try:
    import resource
except ImportError:  # not on Windows: no memory limit there
    resource = None  # type: ignore[assignment]

MIB = 1024 * 1024


class FileTimeout(BaseException):
    """The time limit for one file ran out (a BaseException: see the module's note)."""


def timeout_reason(seconds: int) -> str:
    return f"超过单个文件时限（{seconds} 秒）"


def memory_reason(limit_mb: int) -> str:
    if limit_mb > 0:
        return f"审计该文件时内存不足（每个进程上限 {limit_mb} MiB）"
    return "审计该文件时内存不足"


def _on_alarm(_signum, _frame):
    raise FileTimeout()


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise FileTimeout in this (main) thread after `seconds`; 0 or no SIGALRM: no limit.

    Signals reach only the main thread: elsewhere (a thread of a Dask worker)
    the limit must come from a process that runs the file (see backends.py).
    """
    usable = (
        seconds > 0 and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def set_memory_limit(limit_mb: int) -> tuple[int, int] | None:
    """Limit this process's address space to `limit_mb` MiB (never above the hard limit
    it already has); returns the previous (soft, hard) limits, or None when nothing was set."""
    if resource is None or limit_mb <= 0:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = limit_mb * MIB
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        return None  # already as strict (a caller's own limit wins)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    return soft, hard


@contextlib.contextmanager
def memory_limit(limit_mb: int) -> Iterator[None]:
    """The memory limit for a stretch of work in this process, lifted afterwards."""
    previous = set_memory_limit(limit_mb)
    try:
        yield
    finally:
        if previous is not None:
            resource.setrlimit(resource.RLIMIT_AS, previous)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), and leave
    at once if the parent is already gone (it died before the request was made)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (Ctrl-C or SIGTERM)."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signum)
        self.signal_name = signal.Signals(signum).name


def _interrupt(signum, _frame):
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM (and SIGINT) raise Interrupted in the main thread: the run unwinds
    through its `finally` blocks (workers stopped, temporary files removed)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _interrupt) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
