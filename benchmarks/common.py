"""What several benchmark scripts of this folder need alike (they import it as a
sibling module: run them as `python benchmarks/NAME.py`)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def gxaudit_command() -> list[str]:
    """The installed `gxaudit` beside this interpreter, else the one on PATH, else -m."""
    script = Path(sys.executable).parent / "gxaudit"
    if script.exists():
        return [str(script)]
    found = shutil.which("gxaudit")
    return [found] if found else [sys.executable, "-m", "gxaudit"]


def status_kb(pid: int, field: str) -> int:
    """A kB field of /proc/PID/status (VmHWM, VmRSS); 0 once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def batch_worker(engine: str):
    """A WorkerState as a worker of `gxaudit audit` holds it once it is ready: the built-in
    rules, the batch's default settings (the per-file time limit armed), the engine built
    and the collector settled (audit/collector.py). gxaudit is imported here, not with this
    module: floor.py's pass must not pay for it."""
    from gxaudit.audit import collector
    from gxaudit.audit.batch import AuditSetup
    from gxaudit.audit.batch.work import WorkerState
    from gxaudit.rules.load import builtin_rules_dir

    state = WorkerState(AuditSetup((str(builtin_rules_dir()),), None, engine))
    collector.settle()
    return state
