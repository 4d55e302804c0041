"""The output never destroys what the run reads, and the exit code survives a reader that
leaves early.

* `--output` naming a report to audit (named, or found in an audited folder: an earlier
  run's output written into it), the store, the units, waivers or settings file: refused
  before anything is audited (exit 2), the file untouched. Before, the file was replaced
  by the output: the store's earlier runs were lost.
* `gxaudit audit … --format json | head`: the run's exit code (1 findings, 2 an error), not
  0 because the pipe closed.
* A store this run cannot write (read-only file, or its folder): refused before the batch,
  one line, exit 2. Before, the whole batch ran and the store failed at its end.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SEEDS

SEED = sorted(SEEDS.glob("*.txt"))[0]


def gxaudit(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`gxaudit ARGS` in its own process (from the checkout: its code is the one run)."""
    command = [*prefix, sys.executable, "-m", "gxaudit", *args, "--no-progress"]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", cwd=REPO)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    shutil.copy(SEED, work / "report.txt")
    shutil.copy(sorted(SEEDS.glob("*.txt"))[1], work / "other.txt")
    return work


@pytest.mark.parametrize("how", ["named", "in the folder"])
def test_an_output_that_is_a_report_to_audit_is_refused(folder, how):
    target = folder / "report.txt"
    before = digest(target)
    inputs = [str(target)] if how == "named" else [str(folder)]
    proc = gxaudit("audit", *inputs, "--format", "json", "-o", str(target))
    assert proc.returncode == 2
    assert "输出文件也是本次要审查的文件" in proc.stderr and "Traceback" not in proc.stderr
    assert digest(target) == before


def test_an_earlier_output_in_the_audited_folder_is_refused_not_audited(folder):
    first = gxaudit("audit", str(folder), "--format", "markdown", "-o", str(folder / "result.md"))
    assert first.returncode == 1, first.stderr
    again = gxaudit("audit", str(folder), "--format", "markdown", "-o", str(folder / "result.md"))
    assert again.returncode == 2 and "输出文件也是本次要审查的文件" in again.stderr


@pytest.mark.parametrize("option", ["--store", "--units", "--waivers"])
def test_an_output_that_is_a_file_the_run_reads_is_refused(folder, tmp_path, option):
    read = tmp_path / {"--store": "s.db", "--units": "units.csv", "--waivers": "waivers.yaml"}[option]
    if option == "--store":
        assert gxaudit("audit", str(SEED), "--store", str(read)).returncode in (0, 1)
    elif option == "--units":
        read.write_text(f"file,region\n{SEED},东\n", encoding="utf-8")
    else:
        read.write_text("waivers: []\n", encoding="utf-8")
    before = digest(read)
    proc = gxaudit("audit", str(SEED), option, str(read), "--format", "json", "-o", str(read))
    assert proc.returncode == 2 and "输出文件就是本次运行要读取的" in proc.stderr, proc.stderr
    assert digest(read) == before


@pytest.mark.parametrize(("broken", "code"), [(False, 1), (True, 2)])
def test_a_reader_that_leaves_early_keeps_the_exit_code(tmp_path, broken, code):
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, tmp_path / seed.name)
    if broken:
        (tmp_path / "empty.txt").write_bytes(b"")
    command = [sys.executable, "-m", "gxaudit", "audit", str(tmp_path), "--format", "json", "--no-progress"]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=REPO)
    assert run.stdout is not None
    run.stdout.read(10)  # the reader takes a little and leaves
    run.stdout.close()
    assert run.wait(timeout=300) == code


SETPRIV = shutil.which("setpriv")
# as root, permissions apply only without the capability to override them
NO_OVERRIDE = (SETPRIV, "--bounding-set", "-dac_override,-dac_read_search", "--")


@pytest.mark.skipif(
    os.geteuid() == 0 and SETPRIV is None, reason="root without setpriv: permissions do not apply"
)
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_store_the_run_cannot_write_is_refused_before_the_batch(tmp_path, what):
    prefix = NO_OVERRIDE if os.geteuid() == 0 else ()
    store = tmp_path / ("s.db" if what == "file" else "ro/new.db")
    if what == "file":
        assert gxaudit("audit", str(SEED), "--store", str(store)).returncode in (0, 1)
        store.chmod(0o444)
    else:
        store.parent.mkdir()
        store.parent.chmod(0o555)
    out = tmp_path / "out.json"
    try:
        proc = gxaudit(
            "audit",
            str(SEED),
            "--store",
            str(store),
            "--format",
            "json",
            "-o",
            str(out),
            prefix=prefix,
        )
    finally:
        store.parent.chmod(0o755)
    assert proc.returncode == 2
    assert ("存储文件不可写" if what == "file" else "不可写（权限不足）") in proc.stderr, proc.stderr
    assert not out.exists()  # refused before the batch: nothing audited, nothing written


def test_an_output_replaced_keeps_its_mode(tmp_path):
    """An output file written again keeps its permissions (a read-only result stays read-only;
    it came back 0644)."""
    from gxaudit.report.files import write_atomic

    target = tmp_path / "result.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o440)
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o440


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="no /proc")
def test_a_folder_that_takes_no_new_file_is_said_so():
    """-o /proc/version: the folder exists, it takes no new file (it said the folder does not exist)."""
    proc = gxaudit("audit", str(SEED), "--format", "json", "-o", "/proc/version")
    assert proc.returncode == 2 and "不能在其中新建文件" in proc.stderr, proc.stderr
