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
