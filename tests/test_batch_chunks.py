"""How the worker pool hands out files (gxaudit/audit/batch/pool.py): chunks shrink as the
batch ends so that the workers finish together, and a worker is sent its next chunk while
it audits the last file of the one before, so that it never waits for the parent."""

from __future__ import annotations

import shutil
from multiprocessing import connection
from pathlib import Path

import pytest
from conftest import SEEDS

from gxaudit.audit.batch import AuditSetup
from gxaudit.audit.batch.pool import MOST_IN_A_CHUNK, WorkerPool, chunk_size
from gxaudit.rules.load import builtin_rules_dir


def _sizes(count: int, jobs: int) -> list[int]:
    """The chunk sizes a batch of `count` files is cut into (as WorkerPool.run cuts them)."""
    most = max(1, min(MOST_IN_A_CHUNK, count // (jobs * 8) or 1))
    sizes, left = [], count
    while left:
        size = min(chunk_size(left, jobs, most), left)
        sizes.append(size)
        left -= size
    return sizes


@pytest.mark.parametrize(
    ("count", "jobs"), [(10_000, 2), (50_000, 8), (1_000, 2), (333, 3), (100, 2), (17, 2), (5, 4), (1, 1)]
)
def test_chunks_cover_the_batch_and_shrink_to_one_file_at_its_end(count, jobs):
    sizes = _sizes(count, jobs)
    most = max(1, min(MOST_IN_A_CHUNK, count // (jobs * 8) or 1))
    assert sum(sizes) == count
    assert all(1 <= s <= most for s in sizes)
    assert sizes == sorted(sizes, reverse=True)  # never larger than the one before
    assert sizes[-1] == 1
    if count >= jobs * 8 * MOST_IN_A_CHUNK:
        assert sizes[0] == MOST_IN_A_CHUNK
        # the last chunks are small: the last `jobs` chunks hold a handful of files, not 64 each
        assert sum(sizes[-jobs:]) <= jobs
    # every chunk is at most a quarter of a worker's share of what was left when it was cut
    left = count
    for size in sizes:
        assert size <= max(1, -(-left // (jobs * 4)))
        left -= size


def test_a_chunk_size_asked_for_is_kept(tmp_path, monkeypatch):
    sent = _record_sends(monkeypatch)
    items = _items(tmp_path, 9)
    pool = WorkerPool(AuditSetup((str(builtin_rules_dir()),), None, "reference"), 1, chunk_size=4)
    try:
        assert sorted(d.number for d in pool.run(items)) == list(range(9))
    finally:
        pool.close()
    assert [len(chunk) for _, chunk, _ in sent] == [4, 4, 1]


def _items(tmp_path, count: int) -> list[tuple[int, str]]:
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(count):
        shutil.copy(seeds[i % len(seeds)], folder / f"C{i:03d}_{seeds[i % len(seeds)].name}")
    return list(enumerate(sorted(str(p) for p in folder.iterdir())))


def _record_sends(monkeypatch) -> list[tuple[int, list, int]]:
    """Every chunk the parent sends: (its pipe, the chunk, the files that worker had been sent
    and had not yet given back at that moment). Only the parent's pipes are patched: the
    workers are fresh interpreters (spawn)."""
    sent: list[tuple[int, list, int]] = []
    outstanding: dict[int, int] = {}
    send, recv = connection.Connection.send, connection.Connection.recv

    def recording_send(self, obj):
        if isinstance(obj, list):
            key = id(self)
            sent.append((key, obj, outstanding.get(key, 0)))
            outstanding[key] = outstanding.get(key, 0) + len(obj)
        return send(self, obj)

    def counting_recv(self):
        message = recv(self)
        if hasattr(message, "number"):  # a file's result (Done)
            outstanding[id(self)] -= 1
        return message

    monkeypatch.setattr(connection.Connection, "send", recording_send)
    monkeypatch.setattr(connection.Connection, "recv", counting_recv)
    return sent


def test_workers_are_sent_the_next_chunk_before_they_finish_one(tmp_path, monkeypatch):
    sent = _record_sends(monkeypatch)
    items = _items(tmp_path, 60)
    pool = WorkerPool(AuditSetup((str(builtin_rules_dir()),), None, "reference"), 2)
    try:
        results = list(pool.run(items))
    finally:
        pool.close()
    assert sorted(d.number for d in results) == list(range(60))
    handed = [item for _, chunk, _ in sent for item in chunk]
    assert handed == items  # every file once, in order
    assert [len(c) for _, c, _ in sent] == _sizes(60, 2)
    by_worker: dict[int, list[int]] = {}
    for key, _, held in sent:
        by_worker.setdefault(key, []).append(held)
    assert len(by_worker) == 2
    for held in by_worker.values():
        # the first chunk to an idle worker; each later one while it still holds one file at
        # most, and (files audited one at a time, results given back in order) one at least
        # in all but rare cases: the parent may read two results before it sends
        assert held[0] == 0 and all(h <= 1 for h in held)
    assert sum(h == 1 for held in by_worker.values() for h in held[1:]) >= 1


def test_the_pool_waits_benchmark_runs(tmp_path):
    """benchmarks/pool_waits.py, which measures what the two changes above are for: it runs
    a real batch and says how long each worker waited."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    folder = Path(_items(tmp_path, 40)[0][1]).parent
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "pool_waits.py"), str(folder), "--jobs", "2"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "gxaudit audit exited 1" in run.stdout  # the seed copies have findings
    waits = [float(line.split("waited ")[1].split(" s")[0]) for line in run.stdout.splitlines() if "waited" in line]
    assert waits and all(0 <= w < 60 for w in waits)
