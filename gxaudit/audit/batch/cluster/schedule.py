"""Which files go in which task, and what a lost task means (no Dask here: tested alone).

Files are cut into tasks of `chunk_files` in input order, as the client asks
for more. A task that ends in KilledWorker (its workers kept dying):

- a chunk of several files: each file is queued to run alone, before new chunks;
- one file: it is run alone once more (a file queued behind the deadly one on
  the same worker is counted by the scheduler too), and a second time it is
  that file's error.

A task whose Dask worker could not start its audit process is run again whole,
before new chunks, elsewhere (the client's choice of workers).

A file's result is kept once: a retried task may report a file already seen.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from gxaudit.audit.batch.work import Done


class Schedule:
    def __init__(self, total: int, chunk_files: int):
        self.total = total
        self.chunk_files = max(1, chunk_files)
        self.cut = 0  # files [0, cut) have been put in chunks
        self.redo: deque[tuple[int, int]] = deque()  # tasks to run again, first
        self.struck: set[int] = set()  # files whose one-file task was lost once
        self.seen = bytearray(total)  # a byte per file: its result arrived

    def has_work(self) -> bool:
        return bool(self.redo) or self.cut < self.total

    def next_task(self) -> tuple[int, int]:
        """(first index, files) of the next task to submit (has_work() must be true)."""
        if self.redo:
            return self.redo.popleft()
        start, count = self.cut, min(self.chunk_files, self.total - self.cut)
        self.cut += count
        return start, count

    def lost(self, start: int, count: int) -> int | None:
        """A task ended in KilledWorker: the file that is now its own error, else None."""
        if count > 1:
            self.redo.extend((index, 1) for index in range(start, start + count))
            return None
        if start not in self.struck:
            self.struck.add(start)
            self.redo.append((start, 1))
            return None
        return start

    def again(self, start: int, count: int) -> None:
        """A task not run (its worker could not start an audit process): run it again as it was."""
        self.redo.append((start, count))

    def fresh(self, dones: Iterable[Done]) -> Iterator[Done]:
        """The Dones of files not seen before."""
        for done in dones:
            if not self.seen[done.number]:
                self.seen[done.number] = 1
                yield done
