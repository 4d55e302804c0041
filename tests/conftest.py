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
