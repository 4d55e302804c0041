"""Issue 13, the batch on Dask: the same bytes as --jobs 1, lost workers, versions, --parts.

One LocalCluster of two worker processes is started for the module; most runs
reach it as an existing cluster would be reached (`--dask tcp://…`). The runs
that need a test hook in every worker's environment (a file that kills its
audit process, or the Dask worker itself) start their own `--dask local:2`,
whose workers inherit the run's environment, restarted ones included.

Each run is `gxaudit audit` as a separate process (tests/batch_processes.py);
the reference is always `--jobs 1` on the same inputs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from batch_processes import TRACEBACK, Run, by_name, read_json, workers_of
from conftest import CORPUS, REPO, SEEDS

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")
Client = distributed.Client
from gxaudit.audit.batch.cluster.backend import start_local_cluster  # noqa: E402

CRASH = "审计该文件时进程异常退出"
DASK_CRASH = "审计该文件时 Dask 工作进程反复异常退出"
# enough files that the audit processes are still at work when a test kills or stops the client
# (a 2-core machine audits a few hundred seed copies a second)
LONG_BATCH = 1500


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each (as `--dask local:2` starts them)."""
    with dask.config.set({"distributed.worker.daemon": False}):
        local = start_local_cluster(2)
        client = Client(local)
        try:
            yield client
        finally:
            client.close()
            local.close()


def copies_of_seeds(folder, count: int):
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(count):
        shutil.copy(seeds[i % len(seeds)], folder / f"D{i:03d}_{seeds[i % len(seeds)].name}")
    return folder


@pytest.fixture(scope="module")
def sixty(tmp_path_factory):
    """60 seed copies and their --jobs 1 JSON (the reference of several tests)."""
    base = tmp_path_factory.mktemp("sixty")
    folder = copies_of_seeds(base / "in", 60)
    reference = base / "jobs1.json"
    run = Run(audit_args([folder], reference, "--jobs", "1"))
    code = run.finish()
    assert code == 1, run.stderr[-800:]
    return folder, reference, code


def audit_args(paths, output, *more):
    return ["audit", *map(str, paths), "--format", "json", "--output", str(output), "--no-progress", *more]


def address(client) -> str:
    return client.scheduler.address


def test_seeds_and_corpus_same_bytes_as_jobs_one(cluster, runs, tmp_path):
    paths = [SEEDS, CORPUS]
    one = runs(audit_args(paths, tmp_path / "1.json", "--jobs", "1"))
    on_dask = runs(audit_args(paths, tmp_path / "d.json", "--dask", address(cluster)))
    assert one.finish() == on_dask.finish()
    assert TRACEBACK not in on_dask.stderr, on_dask.stderr[-800:]
    assert "控制面板" in on_dask.stderr  # the dashboard's address, on stderr
    doc = read_json(tmp_path / "d.json")
    assert len(doc["reports"]) == len(read_json(tmp_path / "1.json")["reports"]) >= 19
    assert (tmp_path / "d.json").read_bytes() == (tmp_path / "1.json").read_bytes()


def test_local_cluster_started_by_gxaudit_gives_the_same_bytes(runs, tmp_path):
    folder = copies_of_seeds(tmp_path / "in", 12)
    shutil.copy(CORPUS / "012_shuyang_fgj_2023.html", folder / "x.html")
    (folder / "empty.txt").write_bytes(b"")
    one = runs(audit_args([folder], tmp_path / "1.json", "--jobs", "1"))
    local = runs(audit_args([folder], tmp_path / "l.json", "--dask", "local:2"))
    assert one.finish() == local.finish() == 2  # the empty file is an error
    assert (tmp_path / "l.json").read_bytes() == (tmp_path / "1.json").read_bytes()
    assert not local.leftovers()  # the cluster's processes and the audit processes end with the run


def _worker_on_our_chunk(client, within: float = 60) -> str | None:
    """A worker processing one of the run's chunks (their keys start with gxaudit-)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for worker, keys in client.processing().items():
            if any(str(k).startswith("gxaudit-") for k in keys):
                return worker
        time.sleep(0.05)
    return None


def test_a_dask_worker_killed_mid_run_loses_nothing(cluster, sixty, runs, tmp_path):
    folder, reference, code = sixty
    run = runs(audit_args([folder], tmp_path / "k.json", "--dask", address(cluster)))
    victim = _worker_on_our_chunk(cluster)
    assert victim, "the run ended before a worker could be killed"
    time.sleep(0.5)  # into the chunk: some of its files audited, the rest not
    pid = cluster.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)
    assert run.finish() == code
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    assert (tmp_path / "k.json").read_bytes() == reference.read_bytes()
    cluster.wait_for_workers(2, timeout=60)  # the nanny restarted it, for the next tests
    assert pid not in cluster.run(os.getpid).values()


def test_a_file_that_always_kills_its_audit_process_is_that_files_error(runs, tmp_path):
    folder = copies_of_seeds(tmp_path / "in", 12)
    deadly = sorted(folder.iterdir())[5]
    run = runs(
        audit_args([folder], tmp_path / "r.json", "--dask", "local:2"),
        env={"GXAUDIT_TEST_KILL_WORKER_ON": str(deadly)},
    )
    assert run.finish() == 2
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    reports = by_name(read_json(tmp_path / "r.json"))
    assert len(reports) == 12
    assert CRASH in reports[deadly.name]["error"] and "SIGKILL" in reports[deadly.name]["error"]
    assert {r["status"] for n, r in reports.items() if n != deadly.name} == {"audited"}
    assert f"{deadly}: {CRASH}" in run.stderr


def test_a_file_that_always_kills_its_dask_worker_is_that_files_error(runs, tmp_path):
    """The Dask worker process itself dies on the file's chunk: the chunk is retried,
    then split into one-file tasks; only the deadly file's own task keeps failing."""
    folder = copies_of_seeds(tmp_path / "in", 12)
    deadly = sorted(folder.iterdir())[7]
    one = runs(audit_args([folder], tmp_path / "1.json", "--jobs", "1"))
    run = runs(
        audit_args([folder], tmp_path / "r.json", "--dask", "local:2"),
        env={
            "GXAUDIT_TEST_KILL_DASK_WORKER_ON": str(deadly),
            # two deaths per task before Dask gives up on it (three by default): a shorter test
            "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
        },
    )
    assert run.finish(240) == 2
    assert one.finish() == 1
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    reports = by_name(read_json(tmp_path / "r.json"))
    calm = by_name(read_json(tmp_path / "1.json"))
    assert reports.keys() == calm.keys()
    assert reports[deadly.name]["status"] == "error"
    # two deaths per task, and its one-file task run twice
    assert reports[deadly.name]["error"] == f"{DASK_CRASH}（4 次）"
    for name, report in reports.items():
        if name != deadly.name:  # the same result; its rank moves where the deadly file had one
            assert {**report, "rank": None} == {**calm[name], "rank": None}
    assert f"{deadly}: {DASK_CRASH}" in run.stderr
    assert not run.leftovers()


def _start_only(tmp_path, count: int) -> dict:
    """The test hook: only the first `count` audit processes of a run start (gxaudit/audit/batch/work.py)."""
    slots = tmp_path / "slots"
    slots.mkdir()
    return {"GXAUDIT_TEST_START_ONLY": f"{count}:{slots}"}


def test_a_dask_worker_whose_audit_process_cannot_start_is_left_out(runs, tmp_path):
    """Only one audit process of the run can start: the other Dask worker's lane fails its
    start, that worker is left out with a warning, and its tasks are audited by the other:
    every file, with the results of --jobs 1 (before: the whole batch stopped, exit 2)."""
    folder = copies_of_seeds(tmp_path / "in", 600)  # 12 tasks: both workers are given some
    one = runs(audit_args([folder], tmp_path / "1.json", "--jobs", "1"))
    run = runs(audit_args([folder], tmp_path / "r.json", "--dask", "local:2"), env=_start_only(tmp_path, 1))
    assert run.finish(240) == one.finish() == 1, run.stderr[-800:]
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    assert (tmp_path / "r.json").read_bytes() == (tmp_path / "1.json").read_bytes()
    warned = [line for line in run.stderr.splitlines() if "无法启动审计进程" in line]
    assert len(warned) == 1, run.stderr[-800:]
    assert "审计进程启动后即退出（连续 3 次" in warned[0] and "它的任务改由其余工作进程审计" in warned[0]
    assert not run.leftovers()


def test_when_no_dask_worker_can_start_an_audit_process_the_run_stops(runs, tmp_path):
    folder = copies_of_seeds(tmp_path / "in", 200)
    run = runs(audit_args([folder], tmp_path / "r.json", "--dask", "local:2"), env=_start_only(tmp_path, 0))
    assert run.finish(240) == 2
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    last = run.stderr.strip().splitlines()[-1]
    assert "Dask 工作进程" in last and "无法启动审计进程：审计进程启动后即退出（连续 3 次" in last, last
    assert not (tmp_path / "r.json").exists()
    assert not run.leftovers()


def test_parts_written_and_read_back_give_the_same_ranking(cluster, sixty, runs, tmp_path):
    from gxaudit.audit.batch.cluster.parts import read_parts

    folder, reference, code = sixty
    parts = tmp_path / "parts"
    run = runs(audit_args([folder], tmp_path / "p.json", "--dask", address(cluster), "--parts", str(parts)))
    assert run.finish() == code
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    # the outputs read every result back from the parts: the same bytes as --jobs 1
    assert (tmp_path / "p.json").read_bytes() == reference.read_bytes()
    names = sorted(p.name for p in parts.iterdir())
    assert names == ["part-000000000-0050.parquet", "part-000000050-0010.parquet"]  # no temporary file left
    # the parts alone, ranked as gxaudit ranks (score, errors, warnings, organ, path): the JSON's order
    rows = list(read_parts(str(parts)))
    assert sorted(r["index"] for r in rows) == list(range(60))
    rows.sort(
        key=lambda r: (-r["score"], r["errors"], r["warnings"], r["organ"] or "", r["path"], r["index"])
    )
    ranked = read_json(reference)["reports"]
    assert [r["path"] for r in rows] == [r["path"] for r in ranked]
    assert [r["score"] for r in rows] == [r["score"] for r in ranked]
    # the JSON column is the report as the JSON output writes it (before ranking)
    import json

    first = json.loads(rows[0]["report"])
    assert first["findings"] == ranked[0]["findings"] and first["path"] == ranked[0]["path"]


def test_waivers_that_matched_nothing_travel_back_from_the_workers(cluster, runs, tmp_path):
    """Each result brings the waivers for its report and those it used: the stale ones are
    said as under --jobs 1, with and without --parts."""
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - {rule: GX-BAL-001, organ: 半坡镇人民政府, year: 2020, reason: 旧决定, by: 李四}\n"
        "  - {rule: GX-STR-002, organ: 新青镇, reason: 已核实, by: 张三}\n"
        "  - {rule: GX-CEL-001, organ: 某某县, reason: 别的报告, by: 王五}\n",
        encoding="utf-8",
    )
    more = ("--waivers", str(waivers))
    one = runs(audit_args([SEEDS], tmp_path / "1.json", "--jobs", "1", *more))
    assert one.finish() == 1
    stale = [line for line in one.stderr.splitlines() if "没有匹配到任何问题" in line]
    assert len(stale) == 1 and f"{waivers}:2: 豁免（GX-BAL-001 半坡镇人民政府 2020年）" in stale[0]
    for name, extra in (("d", ()), ("p", ("--parts", str(tmp_path / "parts")))):
        run = runs(audit_args([SEEDS], tmp_path / f"{name}.json", "--dask", address(cluster), *more, *extra))
        assert run.finish() == 1
        assert [line for line in run.stderr.splitlines() if "没有匹配到任何问题" in line] == stale
        assert (tmp_path / f"{name}.json").read_bytes() == (tmp_path / "1.json").read_bytes()
    assert [w["line"] for w in read_json(tmp_path / "1.json")["unused_waivers"]] == [2]


def test_a_part_rewritten_by_a_retried_task_is_replaced_whole(tmp_path):
    from gxaudit.audit.batch.cluster.parts import PART_REFERENCE, PartsReader, part_name, write_part
    from gxaudit.audit.batch.work import compact
    from gxaudit.audit.findings import ReportResult

    chunk = [(7, "a.txt"), (8, "b.txt")]
    dones = [compact(i, ReportResult(path=p, status="error", error="x")) for i, p in chunk]
    first = write_part(str(tmp_path), part_name(chunk), dones)
    again = write_part(str(tmp_path), part_name(chunk), dones)  # the task ran twice
    assert first == again
    assert [p.name for p in tmp_path.iterdir()] == ["part-000000007-0002.parquet"]
    assert all(d.result == PART_REFERENCE + b"part-000000007-0002.parquet" for d in again)
    reader = PartsReader(str(tmp_path))
    assert reader.blob(again[1].result, 8) == dones[1].result
    assert reader.blob(b"\x80kept", 8) == b"\x80kept"  # a result the client changed stays its own


def _set_on_workers(client, name: str, value) -> dict:
    """Replace a module attribute of plugin.py in every worker process; returns the old values."""

    def swap(name=name, value=value):
        from gxaudit.audit.batch.cluster import plugin

        old = getattr(plugin, name)
        setattr(plugin, name, value)
        return old

    return client.run(swap)


def _other_rules(_directories):
    return [], "0123456789ab"


@pytest.mark.parametrize(
    ("attribute", "value", "said"),
    [
        ("__version__", "0.0.0-other", "gxaudit 版本 0.0.0-other（本机 "),
        ("load_rules", _other_rules, "规则版本 "),
    ],
)
def test_a_worker_with_other_versions_stops_the_run(cluster, runs, tmp_path, attribute, value, said):
    old = _set_on_workers(cluster, attribute, value)
    try:
        folder = copies_of_seeds(tmp_path / "in", 3)
        run = runs(audit_args([folder], tmp_path / "r.json", "--dask", address(cluster)))
        assert run.finish() == 2
    finally:
        for worker, previous in old.items():
            cluster.run(lambda p=previous: _restore(attribute, p), workers=[worker])
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    assert "Dask 工作进程" in run.stderr and "与本机不一致" in run.stderr and said in run.stderr
    assert "请在每个工作节点安装相同版本的 gxaudit 和规则" in run.stderr
    assert not (tmp_path / "r.json").exists()


def _restore(name, value):
    from gxaudit.audit.batch.cluster import plugin

    setattr(plugin, name, value)


@pytest.mark.parametrize("bad", ["local:0", "local:two", "http://host:8786", "host:8786", ""])
def test_a_bad_address_is_one_line_and_exit_2(runs, tmp_path, bad):
    run = runs(audit_args([SEEDS], tmp_path / "r.json", "--dask", bad))
    assert run.finish() == 2
    assert TRACEBACK not in run.stderr
    assert "--dask：" in run.stderr and "不是 Dask 地址" in run.stderr


def test_settings_file_dask_and_parts(runs, tmp_path):
    (tmp_path / "gxaudit.toml").write_text('jobs = 2\ndask = "local:x"\n', encoding="utf-8")
    run = Run(
        ["audit", str(SEEDS), "--format", "json", "--no-progress", "--config", str(tmp_path / "gxaudit.toml")]
    )
    assert run.finish() == 2
    assert f"gxaudit: 错误: {tmp_path / 'gxaudit.toml'}:2:8: dask：'local:x' 不是 Dask 地址" in run.stderr
    no_dask = runs(audit_args([SEEDS], tmp_path / "r.json", "--parts", str(tmp_path / "p")))
    assert no_dask.finish() == 2 and "--parts 需要 --dask" in no_dask.stderr


def test_parts_of_an_earlier_run_are_refused_before_any_work(runs, tmp_path):
    # parts are named by their place in the batch: a second run into the same folder
    # would mix its parts with the first's (and readers of the folder would read both)
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "part-000000000-0050.parquet").write_bytes(b"PAR1")
    run = runs(audit_args([SEEDS], tmp_path / "r.json", "--dask", "local:1", "--parts", str(parts)))
    assert run.finish() == 2
    assert TRACEBACK not in run.stderr
    assert "文件夹中已有上一次运行写下的结果分片" in run.stderr and str(parts) in run.stderr
    assert not (tmp_path / "r.json").exists()


def test_dask_not_installed_is_a_clear_error(monkeypatch):
    import importlib.util

    from gxaudit.audit.batch import cluster
    from gxaudit.errors import ConfigError

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "distributed" else real(n, *a)
    )
    with pytest.raises(ConfigError, match=r"--dask 需要安装 distributed（pip install 'gxaudit\[dask\]'）"):
        cluster.require_dask()


def test_help_and_normal_audits_never_import_dask(tmp_path):
    code = (
        "import sys\n"
        "from gxaudit.cli import main\n"
        f"main(['audit', {str(SEEDS)!r}, '--format', 'json', '-o', {str(tmp_path / 'r.json')!r},"
        " '--no-progress', '--jobs', '2'])\n"
        "main(['--help'])\n"
        "print(sorted(m for m in ('dask', 'distributed', 'pyarrow') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr[-800:]
    assert (tmp_path / "r.json").exists()


def test_client_killed_leaves_no_process(runs, tmp_path):
    """local:N: the Dask workers follow the client, and their audit processes follow them."""
    run = runs(
        audit_args([copies_of_seeds(tmp_path / "in", LONG_BATCH)], tmp_path / "r.json", "--dask", "local:2")
    )
    assert _auditing(run), "the run ended before the client could be killed"
    os.kill(run.proc.pid, signal.SIGKILL)
    run.finish(10)
    left = run.leftovers(15)
    assert not left, f"{len(left)} processes of the run alive 15 s after the client was killed"


def _auditing(run, within: float = 60) -> list[int]:
    """The audit processes (children of the Dask workers, themselves children of the
    client) once one of them has audited for a while (0.6 s of CPU)."""
    tick = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and run.proc.poll() is None:
        busy = []
        for worker in workers_of(run.proc.pid):
            for pid in workers_of(worker):
                try:
                    with open(f"/proc/{pid}/stat", "rb") as handle:
                        fields = handle.read().rsplit(b")", 1)[1].split()
                except OSError:
                    continue
                if (int(fields[11]) + int(fields[12])) / tick >= 0.6:
                    busy.append(pid)
        if busy:
            return busy
        time.sleep(0.05)
    return []


def test_no_scheduler_at_the_address_is_one_line_and_exit_2(runs, tmp_path):
    run = runs(
        audit_args([SEEDS], tmp_path / "r.json", "--dask", "tcp://127.0.0.1:9"),
        env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"},
    )
    assert run.finish(60) == 2
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    assert "--dask：无法连接 Dask 调度器 tcp://127.0.0.1:9" in run.stderr
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_parts_on_seeds_and_corpus_with_last_years_report(cluster, runs, tmp_path, fmt):
    """A corpus report paired with last year's (the results read back from the parts,
    the later one changed by the cross-year check and kept in the spill): the same bytes,
    streamed (JSON) or with every result in memory (Markdown)."""
    paths = [SEEDS, CORPUS]
    args = ["--format", fmt]
    one = runs(["audit", *map(str, paths), *args, "-o", str(tmp_path / "1"), "--no-progress", "--jobs", "1"])
    parts = runs(
        ["audit", *map(str, paths), *args, "-o", str(tmp_path / "p"), "--no-progress"]
        + ["--dask", address(cluster), "--parts", str(tmp_path / "parts")]
    )
    assert one.finish() == parts.finish()
    assert TRACEBACK not in parts.stderr, parts.stderr[-800:]
    assert (tmp_path / "p").read_bytes() == (tmp_path / "1").read_bytes()
    if fmt == "json":
        assert any(r.get("previous") for r in read_json(tmp_path / "p")["reports"])


def test_a_daemon_worker_is_refused_with_the_setting_to_change(runs, tmp_path):
    """A Dask worker left a daemon process cannot start its audit process: said before
    anything is audited, with the environment variable that changes it."""
    with dask.config.set({"distributed.worker.daemon": True}):
        local = start_local_cluster(1)
    try:
        run = runs(audit_args([SEEDS], tmp_path / "r.json", "--dask", local.scheduler_address))
        assert run.finish() == 2
    finally:
        local.close()
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    assert "是守护进程，不能启动审查进程" in run.stderr
    assert "DASK_DISTRIBUTED__WORKER__DAEMON=False" in run.stderr
    assert not (tmp_path / "r.json").exists()


def test_client_terminated_stops_cleanly(runs, tmp_path):
    """SIGTERM as under --jobs: exit 2 with one line, no output file, no process left."""
    out = tmp_path / "out"
    out.mkdir()
    run = runs(
        audit_args([copies_of_seeds(tmp_path / "in", LONG_BATCH)], out / "r.json", "--dask", "local:2")
    )
    assert _auditing(run), "the run ended before the client could be stopped"
    os.kill(run.proc.pid, signal.SIGTERM)
    assert run.finish(60) == 2
    assert TRACEBACK not in run.stderr, run.stderr[-800:]
    assert "已中断（SIGTERM）" in run.stderr
    assert list(out.iterdir()) == []
    assert not run.leftovers(15)


def test_ctrl_c_in_a_terminal_is_one_line_not_the_workers_tracebacks(tmp_path):
    """A terminal's Ctrl-C is SIGINT to the whole process group: before, every Dask nanny and
    worker printed its KeyboardInterrupt traceback (~70 lines) before gxaudit's one line.
    The local cluster is started with SIGINT ignored, which its processes keep: exit 2,
    gxaudit's line only, no output file, no process left."""
    import types

    out = tmp_path / "out"
    out.mkdir()
    args = audit_args([copies_of_seeds(tmp_path / "in", LONG_BATCH)], out / "r.json", "--dask", "local:2")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gxaudit", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=REPO,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        assert _auditing(types.SimpleNamespace(proc=proc)), "the run ended before Ctrl-C"
        os.killpg(proc.pid, signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    stderr = err.decode("utf-8", "replace")
    assert proc.returncode == 2
    assert TRACEBACK not in stderr and "KeyboardInterrupt" not in stderr, stderr[-800:]
    assert "已中断（SIGINT）" in stderr
    assert list(out.iterdir()) == []
