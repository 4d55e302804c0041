"""Running `gxaudit audit` as a user would (a separate process) and finding its processes.

Every run carries a mark in its environment, inherited by its workers and
multiprocessing's resource tracker, so that whatever it leaves alive is found
even after it was re-parented, and killed at the end of the test.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

MARK = "GXAUDIT_TEST_RUN_MARK"
TRACEBACK = "Traceback (most recent call last)"


def processes_marked(mark: str) -> list[int]:
    """Live processes (not zombies) whose environment carries this mark."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read().split(b"\0")
            with open(f"/proc/{entry}/stat", "rb") as handle:
                state = handle.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state != b"Z" and needle in environ:
            found.append(int(entry))
    return found


def workers_of(parent: int) -> list[int]:
    """The worker processes (multiprocessing spawn) of a gxaudit process."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read()
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != b"Z" and b"spawn_main" in command:
            found.append(int(entry))
    return found


class Run:
    """One `gxaudit ARGS` in its own process; `finish` waits for it."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None):
        self.mark = uuid.uuid4().hex
        environment = dict(os.environ)
        environment.update({MARK: self.mark, "PYTHONIOENCODING": "utf-8"})
        environment.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gxaudit", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            cwd=cwd,
        )
        self.stdout = self.stderr = ""

    def finish(self, within: float = 120) -> int:
        out, err = self.proc.communicate(timeout=within)
        self.stdout, self.stderr = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
        return self.proc.returncode

    def busy_workers(self, count: int = 1, within: float = 60) -> list[int]:
        """Workers that have started auditing (past their start-up: they used some CPU)."""
        deadline = time.monotonic() + within
        tick = os.sysconf("SC_CLK_TCK")
        while time.monotonic() < deadline and self.proc.poll() is None:
            busy = []
            for pid in workers_of(self.proc.pid):
                with contextlib.suppress(OSError):
                    with open(f"/proc/{pid}/stat", "rb") as handle:
                        fields = handle.read().rsplit(b")", 1)[1].split()
                    if (int(fields[11]) + int(fields[12])) / tick >= 0.6:
                        busy.append(pid)
            if len(busy) >= count:
                return busy
            time.sleep(0.02)
        return []

    def leftovers(self, within: float = 5) -> list[int]:
        """Processes of this run still alive after `within` seconds."""
        deadline = time.monotonic() + within
        left = processes_marked(self.mark)
        while left and time.monotonic() < deadline:
            time.sleep(0.1)
            left = processes_marked(self.mark)
        return left

    def cleanup(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.communicate(timeout=10)
        for pid in processes_marked(self.mark):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def by_name(doc: dict) -> dict[str, dict]:
    return {Path(r["path"]).name: r for r in doc["reports"]}
