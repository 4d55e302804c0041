"""Issue 11, batches must survive: workers killed, files that kill their worker, the parent
killed or terminated, the memory limit. Each test runs `gxaudit audit` as a separate process
(as a user would) and checks its JSON result, its exit code and the processes it leaves.

Two hooks exist for these tests only (gxaudit/audit/batch/work.py): environment
variables naming one file's path, read by a worker process when it starts. A report's
content cannot set them; they make the worker kill itself (SIGKILL), or allocate memory
until the limit stops it, when it reaches that file.
"""

from __future__ import annotations

import os
import shutil
import signal

import pytest
from batch_processes import TRACEBACK, by_name, read_json
from conftest import SEEDS

CRASH = "审计该文件时进程异常退出"
# enough files that the workers are still auditing when a test kills one of them or the
# parent (a 2-core machine audits a few hundred seed copies a second)
LONG_BATCH = 1500


@pytest.fixture
def copies(tmp_path):
    """A folder of seed copies, each a distinct file name."""

    def make(count: int):
        folder = tmp_path / "in"
        folder.mkdir()
        seeds = sorted(SEEDS.glob("*.txt"))
        for i in range(count):
            shutil.copy(seeds[i % len(seeds)], folder / f"W{i:03d}_{seeds[i % len(seeds)].name}")
        return folder

    return make


def audit_args(folder, output, jobs="2"):
    return [
        "audit",
        str(folder),
        "--format",
        "json",
        "--output",
        str(output),
        "--no-progress",
        "--jobs",
        jobs,
    ]


def test_a_worker_killed_mid_batch_loses_nothing(copies, runs, tmp_path):
    folder = copies(LONG_BATCH)
    killed = runs(audit_args(folder, tmp_path / "killed.json"))
    victims = killed.busy_workers()
    assert victims, "the batch ended before a worker could be killed"
    os.kill(victims[0], signal.SIGKILL)
    code = killed.finish()
    assert TRACEBACK not in killed.stderr, killed.stderr[-800:]
    # killed once, the file it was on is audited again: the result is the same as undisturbed
    calm = runs(audit_args(folder, tmp_path / "calm.json", jobs="1"))
    assert calm.finish() == code
    assert (tmp_path / "killed.json").read_bytes() == (tmp_path / "calm.json").read_bytes()
    doc = read_json(tmp_path / "killed.json")
    assert len(doc["reports"]) == LONG_BATCH
    assert {r["status"] for r in doc["reports"]} == {"audited"}
    assert not killed.leftovers()


def test_a_file_that_always_kills_its_worker_is_that_files_error(copies, runs, tmp_path):
    folder = copies(12)
    deadly = sorted(folder.iterdir())[5]
    run = runs(audit_args(folder, tmp_path / "r.json"), env={"GXAUDIT_TEST_KILL_WORKER_ON": str(deadly)})
    assert run.finish() == 2  # a file could not be processed; the others were
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    reports = by_name(read_json(tmp_path / "r.json"))
    assert len(reports) == 12
    assert reports[deadly.name]["status"] == "error"
    assert CRASH in reports[deadly.name]["error"] and "SIGKILL" in reports[deadly.name]["error"]
    others = [r for name, r in reports.items() if name != deadly.name]
    assert {r["status"] for r in others} == {"audited"}
    assert f"{deadly}: {CRASH}" in run.stderr  # one line naming the file and the reason
    assert not run.leftovers()


def test_one_worker_replaced_and_the_batch_goes_on(copies, runs, tmp_path):
    """--jobs 1: the deadly file is the first; the only worker is replaced twice."""
    folder = copies(20)
    names = sorted(folder.iterdir())
    run = runs(
        audit_args(folder, tmp_path / "r.json", jobs="1"), env={"GXAUDIT_TEST_KILL_WORKER_ON": str(names[0])}
    )
    assert run.finish() == 2
    reports = by_name(read_json(tmp_path / "r.json"))
    assert CRASH in reports[names[0].name]["error"]
    assert sum(r["status"] == "audited" for r in reports.values()) == 19


def test_memory_limit_makes_a_greedy_file_its_own_error(copies, runs, tmp_path):
    folder = copies(6)
    greedy = sorted(folder.iterdir())[2]
    run = runs(
        [*audit_args(folder, tmp_path / "r.json"), "--memory-limit", "600"],
        env={"GXAUDIT_TEST_EXHAUST_MEMORY_ON": str(greedy)},
    )
    assert run.finish() == 2
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    reports = by_name(read_json(tmp_path / "r.json"))
    assert reports[greedy.name]["status"] == "error"
    assert reports[greedy.name]["error"] == "审计该文件时内存不足（每个进程上限 600 MiB）"
    assert {r["status"] for n, r in reports.items() if n != greedy.name} == {"audited"}


def test_a_memory_limit_too_small_to_start_stops_the_batch_with_a_reason(copies, runs, tmp_path):
    run = runs([*audit_args(copies(4), tmp_path / "r.json"), "--memory-limit", "1"])
    assert run.finish() == 2
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    assert "审计进程无法启动" in run.stderr and "--memory-limit" in run.stderr
    assert not (tmp_path / "r.json").exists()
    assert not run.leftovers()


UNSTARTED = "审计进程无法再启动（连续 3 个进程启动后即退出；最后一次被信号 SIGKILL 终止）"


def _start_only(tmp_path, count: int) -> dict:
    """The test hook: only the first `count` workers of a run start (gxaudit/audit/batch/work.py)."""
    slots = tmp_path / "slots"
    slots.mkdir()
    return {"GXAUDIT_TEST_START_ONLY": f"{count}:{slots}"}


def test_when_no_new_worker_can_start_the_living_one_audits_the_rest(copies, runs, tmp_path):
    """Two workers start; then no new one can (the hook kills each before it is ready). The
    deadly file kills one; its retry waits until every other file is handed out, so the
    living worker audits all of them before the deadly file kills it too."""
    folder = copies(30)
    names = sorted(folder.iterdir())
    env = {"GXAUDIT_TEST_KILL_WORKER_ON": str(names[10]), **_start_only(tmp_path, 2)}
    run = runs(audit_args(folder, tmp_path / "r.json"), env=env)
    assert run.finish() == 2
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    reports = by_name(read_json(tmp_path / "r.json"))
    assert len(reports) == 30
    assert reports[names[10].name]["error"] == "审计该文件时进程异常退出（2 次；最后一次被信号 SIGKILL 终止）"
    assert {r["status"] for n, r in reports.items() if n != names[10].name} == {"audited"}
    assert not run.leftovers()


def test_when_no_worker_is_left_the_files_not_audited_are_each_an_error(copies, runs, tmp_path):
    """--jobs 1: the one worker dies on the deadly file and none can start after it. The
    batch is not lost: what was audited is written, every other file is an error saying no
    worker could start (not a defect of the file), the deadly file's says it killed one."""
    folder = copies(30)
    names = sorted(folder.iterdir())
    env = {"GXAUDIT_TEST_KILL_WORKER_ON": str(names[10]), **_start_only(tmp_path, 1)}
    run = runs(audit_args(folder, tmp_path / "r.json", jobs="1"), env=env)
    assert run.finish() == 2
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    reports = by_name(read_json(tmp_path / "r.json"))
    assert len(reports) == 30
    assert {reports[p.name]["status"] for p in names[:10]} == {"audited"}
    assert reports[names[10].name]["error"] == f"审计该文件时进程异常退出（1 次），重试时{UNSTARTED}"
    assert {reports[p.name]["error"] for p in names[11:]} == {UNSTARTED}
    # one line per file, and at the end how many share the reason (not lost in the list)
    assert run.stderr.count(UNSTARTED) == 20 + 1
    assert run.stderr.rstrip().endswith(f"以上 19 个文件同为：{UNSTARTED}")
    assert not run.leftovers()


def test_a_kept_pool_whose_workers_cannot_start_again_stops_the_run(copies, tmp_path, monkeypatch):
    """The Dask path keeps one pool across runs: a run with a kept worker goes on; a run in
    which no worker becomes ready stops with the reason (the task fails, as it always did),
    not with every file an error."""
    from gxaudit.audit.batch import AuditSetup
    from gxaudit.audit.batch.pool import WorkerPool
    from gxaudit.errors import GxauditError
    from gxaudit.rules.load import builtin_rules_dir

    for name, value in _start_only(tmp_path, 1).items():
        monkeypatch.setenv(name, value)
    items = list(enumerate(sorted(str(p) for p in copies(3).iterdir())))
    pool = WorkerPool(AuditSetup((str(builtin_rules_dir()),), None, "reference"), 1, keep_workers=True)
    try:
        assert sorted(d.number for d in pool.run(items)) == [0, 1, 2]
        assert sorted(d.number for d in pool.run(items)) == [0, 1, 2]  # the kept worker
        pool.close()  # as a lane's idle time-out does
        with pytest.raises(GxauditError, match="审计进程启动后即退出（连续 3 次；最后一次被信号 SIGKILL 终止）"):
            list(pool.run(items))
    finally:
        pool.close()


def test_workers_that_never_start_stop_the_batch_with_the_reason(copies, runs, tmp_path):
    run = runs(audit_args(copies(4), tmp_path / "r.json"), env=_start_only(tmp_path, 0))
    assert run.finish() == 2
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    assert "审计进程启动后即退出（连续 3 次；最后一次被信号 SIGKILL 终止）" in run.stderr
    assert "审计该文件" not in run.stderr  # no file is blamed
    assert not (tmp_path / "r.json").exists()
    assert not run.leftovers()


def test_parent_killed_leaves_no_process(copies, runs, tmp_path):
    run = runs(audit_args(copies(LONG_BATCH), tmp_path / "r.json"))
    assert run.busy_workers(), "the batch ended before the parent could be killed"
    os.kill(run.proc.pid, signal.SIGKILL)
    run.finish(10)
    left = run.leftovers()
    assert not left, f"{len(left)} processes of the run alive 5 s after the parent was killed"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_parent_terminated_stops_cleanly(copies, runs, tmp_path, signum):
    """SIGTERM is handled as Ctrl-C: exit 2 with one Chinese line, no output file, nothing left."""
    out = tmp_path / "out"
    out.mkdir()
    run = runs(audit_args(copies(LONG_BATCH), out / "r.json"))
    assert run.busy_workers(), "the batch ended before the parent could be stopped"
    os.kill(run.proc.pid, signum)
    assert run.finish(30) == 2
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    assert f"已中断（{signal.Signals(signum).name}）" in run.stderr
    assert list(out.iterdir()) == []  # no result and no temporary file
    assert not run.leftovers()


def test_jobs_one_and_two_give_the_same_bytes(copies, runs, tmp_path):
    folder = copies(15)
    shutil.copy(SEEDS.parent / "corpus" / "012_shuyang_fgj_2023.html", folder / "x.html")
    (folder / "empty.txt").write_bytes(b"")
    one = runs(audit_args(folder, tmp_path / "1.json", jobs="1"))
    two = runs(audit_args(folder, tmp_path / "2.json", jobs="2"))
    assert one.finish() == two.finish() == 2
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()


def test_a_finished_batch_leaves_no_process(copies):
    """Not even multiprocessing's resource tracker (started for the spawned workers) outlives
    the batch: closing the backend stops it and reaps it, rather than leave it to notice the
    command's exit a moment later."""
    from multiprocessing import resource_tracker

    from gxaudit.audit.batch import AuditSetup
    from gxaudit.audit.batch.backends import ProcessBackend
    from gxaudit.rules.load import builtin_rules_dir

    files = sorted(str(p) for p in copies(4).iterdir())
    backend = ProcessBackend(AuditSetup((str(builtin_rules_dir()),), None, "reference"), jobs=2)
    try:
        done = list(backend.run(list(enumerate(files))))
        tracker = resource_tracker._resource_tracker._pid
        assert tracker is not None  # the workers' spawn started it
    finally:
        backend.close()
    assert sorted(d.number for d in done) == list(range(4))
    assert resource_tracker._resource_tracker._pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(tracker, 0)  # stopped and reaped, not a zombie
