"""The Dask backend's bookkeeping (gxaudit/audit/batch/cluster/schedule.py), without Dask:
files cut into tasks, a lost chunk split into one-file tasks, a file lost twice alone is
its error, a file reported twice kept once."""

from __future__ import annotations

from gxaudit.audit.batch.cluster.schedule import Schedule
from gxaudit.audit.batch.work import compact
from gxaudit.audit.findings import ReportResult


def tasks(schedule: Schedule, limit: int = 100) -> list[tuple[int, int]]:
    out = []
    while schedule.has_work() and len(out) < limit:
        out.append(schedule.next_task())
    return out


def done(index: int):
    return compact(index, ReportResult(path=f"f{index}.txt", status="audited", score=100.0))


def test_files_cut_into_tasks_in_input_order():
    assert tasks(Schedule(120, 50)) == [(0, 50), (50, 50), (100, 20)]
    assert tasks(Schedule(3, 50)) == [(0, 3)]
    assert tasks(Schedule(0, 50)) == []


def test_a_lost_chunk_runs_again_one_file_per_task_before_new_chunks():
    schedule = Schedule(130, 50)
    assert schedule.next_task() == (0, 50)
    assert schedule.next_task() == (50, 50)
    assert schedule.lost(50, 50) is None
    # its files first, alone, then the chunk not yet submitted
    assert tasks(schedule) == [(i, 1) for i in range(50, 100)] + [(100, 30)]


def test_a_file_lost_alone_twice_is_its_error_and_nothing_else_is_lost():
    schedule = Schedule(4, 4)
    assert schedule.next_task() == (0, 4)
    assert schedule.lost(0, 4) is None
    assert tasks(schedule) == [(0, 1), (1, 1), (2, 1), (3, 1)]
    assert schedule.lost(2, 1) is None  # once: it may have been queued behind the deadly one
    assert tasks(schedule) == [(2, 1)]
    assert schedule.lost(2, 1) == 2  # twice: its error
    assert not schedule.has_work()


def test_a_task_whose_worker_could_not_start_runs_again_whole_before_new_chunks():
    schedule = Schedule(130, 50)
    assert schedule.next_task() == (0, 50)
    assert schedule.next_task() == (50, 50)
    schedule.again(50, 50)
    assert tasks(schedule) == [(50, 50), (100, 30)]


def test_a_file_reported_twice_is_kept_once():
    schedule = Schedule(5, 5)
    first = [d.number for d in schedule.fresh([done(0), done(1), done(3)])]
    again = [d.number for d in schedule.fresh([done(1), done(2), done(3), done(4), done(0)])]
    assert first == [0, 1, 3]
    assert again == [2, 4]
