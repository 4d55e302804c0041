"""benchmarks/instructions.py: the instructions a report of a worker's audit and of the
floor, counted by callgrind (the figures benchmarks/README.md gives as "instructions a
report"). The work each child does is checked without valgrind; one real count of the
floor, the lighter child, runs under valgrind when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, generated_reports

SCRIPT = REPO / "benchmarks" / "instructions.py"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "GXAUDIT_CACHE_DIR": "off"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    return generated_reports(tmp_path_factory.mktemp("instructions"), 4, 11, shapes="text")


@pytest.mark.parametrize(
    ("what", "says"), [("worker", "worker audited 3 files"), ("floor", "floor read 3 files")]
)
def test_each_child_does_its_work_on_the_first_files(made, tmp_path, what, says):
    run = _run("--child", what, str(made), "--files", "3", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == says


def test_too_few_files_is_said_not_counted(made, tmp_path):
    run = _run(str(made), "--warm", "3", "--count", "2", cwd=tmp_path)
    assert run.returncode == 2
    assert "has 4 report files, fewer than --warm 3 + --count 2" in run.stderr


def test_an_unknown_measure_is_refused(made, tmp_path):
    run = _run(str(made), "--what", "parent", cwd=tmp_path)
    assert run.returncode == 2
    assert "--what: parent" in run.stderr


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_the_floor_is_counted_under_callgrind(made, tmp_path):
    run = _run(str(made), "--what", "floor", "--warm", "1", "--count", "2", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    line = next(line for line in run.stdout.splitlines() if line.strip().startswith("floor:"))
    per_report = float(line.split()[1]) * 1e6
    # reading one made report (a few kB: decode, split, a regex a cell) takes thousands of
    # instructions at least, and far fewer than the interpreter's start (which cancels out)
    assert 10_000 < per_report < 50_000_000


def test_the_total_is_read_from_callgrinds_file(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from instructions import total_instructions
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    out = tmp_path / "callgrind.out"
    out.write_text("# callgrind format\nversion: 1\nevents: Ir\nsummary: 123456\ntotals: 123456\n")
    assert total_instructions(str(out)) == 123456
    out.write_text("events: Ir\n")
    with pytest.raises(ValueError, match="no summary line"):
        total_instructions(str(out))
