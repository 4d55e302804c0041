"""Running one fuzz case through the CLI, as a user would, under time and memory limits.

A case's build function (generators.py) lays out its files in a work folder
and returns an `Invocation`: the arguments after `python -m gxaudit` and
what the documented behaviour lets us expect. `run` starts the CLI in its
own process group with an address-space limit, kills the whole group at the
wall-time limit, and returns an `Outcome`. `problems` lists every way the
outcome breaks the documented contract (README: exit codes 0 ok, 1 findings,
2 error; bad input is one line naming the file, never a traceback; every
file ends in the result with a status). The test module and the soak
benchmark share these two functions, so both judge a run the same way.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("GXAUDIT_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"

WALL_LIMIT = 8.0  # seconds a case may run before its process group is killed
MEMORY_LIMIT = 2 * 1024**3  # RLIMIT_AS of the CLI process (inherited by its workers)
ANY_CODE = frozenset({0, 1, 2})
# Marks every process of one run (inherited by workers), so a leftover can be found
# even after it was re-parented.
RUN_MARK = "GXAUDIT_FUZZ_RUN"


@dataclass
class Invocation:
    """One CLI run and what its documented behaviour lets us expect."""

    argv: list[str | bytes]  # after `python -m gxaudit`
    cwd: Path
    codes: frozenset[int] = ANY_CODE  # the exit codes the documentation allows for this input
    # audit: tokens of the input files (a unique part of each file name) that must each
    # appear exactly once in the JSON result, with a status
    inputs: tuple[str, ...] = ()
    result: Path | None = None  # the JSON result file (--output); None: JSON on stdout
    json_result: bool = False  # the run prints (or writes) an audit JSON document
    names_file: str | None = None  # exit 2 must name this (a token of the file's name)
    stderr_must: tuple[str, ...] = ()  # regexes stderr must match
    checks: tuple[Callable[[Outcome], str | None], ...] = ()  # case-specific: a problem or None
    prefix: tuple[str, ...] = ()  # a command in front (unshare for a private mount)
    env: dict[str, str] = field(default_factory=dict)
    fsize_limit: int | None = None  # RLIMIT_FSIZE: writes beyond it fail (a full disk)
    background: list[subprocess.Popen] = field(default_factory=list)  # killed after the run
    wall: float = WALL_LIMIT


@dataclass
class Outcome:
    code: int | None  # exit code; None when killed (by a signal or by our limit)
    signal: int | None
    timed_out: bool
    wall: float
    cpu: float
    maxrss_kb: int
    stdout: bytes
    stderr: bytes
    leftover: list[int]
    invocation: Invocation
    result: dict | None = None
    result_error: str | None = None

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")


def gxaudit_command() -> list[str]:
    return [sys.executable, "-m", "gxaudit"]


def _limits(inv: Invocation) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        if inv.fsize_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond it fails with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (inv.fsize_limit, inv.fsize_limit))

    return apply


def processes_marked(mark: str) -> list[int]:
    """Live processes (not zombies) whose environment carries this run's mark."""
    needle = f"{RUN_MARK}={mark}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read()
            with open(f"/proc/{entry}/stat", "rb") as handle:
                state = handle.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state != b"Z" and needle in environ.split(b"\0"):
            found.append(int(entry))
    return found


def kill_marked(mark: str) -> list[int]:
    """SIGKILL every live process of this run; returns those that were there."""
    pids = processes_marked(mark)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids


def environment(mark: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({RUN_MARK: mark, "PYTHONDONTWRITEBYTECODE": "1"})
    for name in ("PYTHONWARNINGS", "PYTHONIOENCODING"):  # the CLI as a user runs it
        env.pop(name, None)
    env.update(extra or {})
    return env


def run(inv: Invocation) -> Outcome:
    """Run the CLI for one invocation, within the wall-time and memory limits."""
    mark = uuid.uuid4().hex
    argv = [*inv.prefix, *gxaudit_command(), *inv.argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(
            argv,
            cwd=inv.cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=environment(mark, inv.env),
            preexec_fn=_limits(inv),
            start_new_session=True,
        )
        timed_out = False
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > inv.wall:
                timed_out = True
                with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                    os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = 0  # reaped above; keep Popen from waiting again
        wall = time.monotonic() - started
        for child in inv.background:
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                child.kill()
                child.wait(5)
        time.sleep(0.05)
        leftover = kill_marked(mark)  # a run must leave no process behind
        out.seek(0)
        err.seek(0)
        outcome = Outcome(
            code=os.WEXITSTATUS(status) if os.WIFEXITED(status) and not timed_out else None,
            signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) and not timed_out else None,
            timed_out=timed_out,
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime if usage else 0.0,
            maxrss_kb=usage.ru_maxrss if usage else 0,
            stdout=out.read(),
            stderr=err.read(),
            leftover=leftover,
            invocation=inv,
        )
    if inv.json_result:
        _read_result(outcome)
    return outcome


def _read_result(outcome: Outcome) -> None:
    inv = outcome.invocation
    try:
        raw = inv.result.read_bytes() if inv.result is not None else outcome.stdout
    except OSError as exc:
        outcome.result_error = f"no result file ({exc.strerror})"
        return
    try:
        outcome.result = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        outcome.result_error = f"result is not a JSON document ({str(exc)[:80]})"


TRACEBACK = "Traceback (most recent call last)"
_MEMORY = re.compile(r"MemoryError|out of memory|Cannot allocate memory|内存不足")


def outcome_kind(o: Outcome) -> str:
    """One word for the soak table: how the run ended."""
    if o.timed_out:
        return "timeout"
    if o.signal is not None:
        return f"signal {o.signal}"
    if _MEMORY.search(o.err):
        return "memory"
    if TRACEBACK in o.err:
        return "traceback"
    return f"exit {o.code}"


def last_error_line(o: Outcome) -> str:
    lines = [line for line in o.err.splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


def problems(o: Outcome) -> list[str]:
    """Every way this run breaks the documented contract (empty: it keeps it)."""
    inv = o.invocation
    found: list[str] = []
    if o.timed_out:
        return [f"no exit within {inv.wall:.0f} s (killed)"]
    if o.signal is not None:
        return [f"killed by signal {o.signal}"]
    if o.code not in ANY_CODE:
        found.append(f"exit code {o.code} (documented: 0, 1, 2)")
    elif o.code not in inv.codes:
        found.append(f"exit {o.code}, expected {'/'.join(map(str, sorted(inv.codes)))}")
    if TRACEBACK in o.err:
        found.append(f"traceback: {last_error_line(o)}")
    elif _MEMORY.search(o.err):
        found.append(f"memory limit hit: {last_error_line(o)}")
    if o.leftover:
        found.append(f"{len(o.leftover)} process(es) left running after exit")
    for pattern in inv.stderr_must:
        if not re.search(pattern, o.err):
            found.append(f"stderr lacks /{pattern}/: {last_error_line(o)!r}")
    if inv.names_file and o.code == 2 and inv.names_file not in o.err:
        found.append(f"error does not name the file ({inv.names_file}): {last_error_line(o)!r}")
    if inv.argv[:1] == ["parse"] and o.code == 2 and TRACEBACK not in o.err:
        lines = [line for line in o.err.splitlines() if line.strip()]
        if len(lines) != 1:  # README: one line on stderr naming the file and the reason
            found.append(f"parse error is {len(lines)} lines, expected one")
    if inv.json_result:
        found += _result_problems(o)
    for check in inv.checks:
        problem = check(o)
        if problem:
            found.append(problem)
    return found


def _result_problems(o: Outcome) -> list[str]:
    inv = o.invocation
    if o.result is None:
        return [o.result_error or "no result"]
    reports = o.result.get("reports")
    if not isinstance(reports, list):
        return ["result has no reports list"]
    found = []
    for token in inv.inputs:
        mine = [r for r in reports if token in str(r.get("path"))]
        if len(mine) != 1:
            found.append(f"{token}: {len(mine)} entries in the result (expected 1)")
            continue
        entry = mine[0]
        status, reason = entry.get("status"), entry.get("error")
        if not status:
            found.append(f"{token}: no status")
        elif status != "audited" and not reason and status != "not_applicable":
            found.append(f"{token}: status {status} without a reason")
        if status == "error" and token not in o.err:
            found.append(f"{token}: error not reported on stderr")
        if isinstance(reason, str) and "\n" in reason.strip():
            found.append(f"{token}: reason is more than one line")
    return found


def status_of(o: Outcome, token: str) -> tuple[str | None, str | None]:
    """(status, reason) of the one result entry whose path holds token."""
    for entry in (o.result or {}).get("reports") or []:
        if token in str(entry.get("path")):
            return entry.get("status"), entry.get("error")
    return None, None


def is_root() -> bool:
    return os.geteuid() == 0


# Root reads and writes anything; without these two capabilities it meets permission
# errors like any user (CI runs as root).
NO_DAC_OVERRIDE = ("setpriv", "--bounding-set=-dac_override,-dac_read_search")


def permission_prefix() -> tuple[str, ...]:
    """The command prefix under which mode bits are obeyed (none needed when not root)."""
    return NO_DAC_OVERRIDE if is_root() else ()


def can_meet_permission_errors() -> bool:
    if not is_root():
        return True
    try:
        probe = subprocess.run(
            [*NO_DAC_OVERRIDE, *gxaudit_command(), "--version"], capture_output=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0


def can_unshare_mounts() -> bool:
    """A private mount namespace (root): a read-only or full file system for one run."""
    if not is_root():
        return False
    try:
        probe = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "true"], capture_output=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


_REQUIREMENTS: dict[str, bool] = {}


def missing_requirement(needs: str | None) -> str | None:
    """Why a case cannot run on this machine (None: it can)."""
    if needs is None:
        return None
    if needs not in _REQUIREMENTS:
        _REQUIREMENTS[needs] = {
            "root": is_root,
            "nonroot": lambda: not is_root(),
            "permissions": can_meet_permission_errors,
            "unshare": can_unshare_mounts,
        }[needs]()
    if _REQUIREMENTS[needs]:
        return None
    return {
        "root": "needs root (mknod)",
        "nonroot": "root reads anything",
        "permissions": "root without setpriv: permission bits cannot be met",
        "unshare": "needs root to mount a private file system (unshare -m)",
    }[needs]
