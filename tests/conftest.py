import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GXAUDIT_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
REPORTS = REPO / "reports"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def reports_dir() -> Path:
    return REPORTS


@pytest.fixture
def runs():
    """Start `gxaudit` commands as separate processes (batch_processes.Run); each is
    cleaned up (killed if still running, its processes reaped) after the test."""
    from batch_processes import Run

    started: list[Run] = []

    def start(args, env=None) -> Run:
        started.append(Run(args, env))
        return started[-1]

    yield start
    for run in started:
        run.cleanup()
