"""A batch's results on disk, not in memory: SQLite in a private temporary folder.

Results are written as they arrive (the pickled bytes the worker sent, never
unpickled on the way), so the parent's memory does not grow with the batch.
A small batch stays in memory (SQLite's own): the database moves to a file in
a private temporary folder (TMPDIR) once its results pass IN_MEMORY_BYTES.
Pairing with last year's report and ranking read only what they need (organ
keys and years; scores and counts), and the outputs read the results back one
at a time in ranked order. Everything the in-memory path did is done the same
way, so the outputs are the same bytes:

- cross-year: the report PreviousIndex.find chooses (an exact organ key first,
  then names that end with this one, then names this one ends with; input
  order within each), found by indexed lookups, one candidate read at a time;
- ranking: the keys of ranking.rank, sorted by SQLite. Text is compared as
  UTF-32-BE bytes, which orders as Python orders str (code point by code
  point, a prefix first), lone surrogates of undecodable file names included;
  ties fall back to the input order, as Python's stable sort does.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from gxaudit.audit.batch.work import PICKLE, Done, Summary, compact
from gxaudit.audit.findings import STATUS_AUDITED, STATUS_ERROR, ReportResult
from gxaudit.errors import OutputError

SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE result (i INTEGER PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE summary (
    i INTEGER PRIMARY KEY, audited INTEGER NOT NULL, status BLOB NOT NULL, score REAL,
    errors INTEGER NOT NULL, warnings INTEGER NOT NULL, organ BLOB NOT NULL, path BLOB NOT NULL,
    severities TEXT NOT NULL, grp BLOB
);
CREATE TABLE figures (i INTEGER PRIMARY KEY, year INTEGER, organ_key BLOB, blob BLOB NOT NULL);
-- cross-year reads years and organ keys from here, not from the rows (a page each, with the
-- figures): making the suffixes reads them once for each place a suffix can start at
CREATE INDEX figures_lookup ON figures (year, organ_key, i);
CREATE TABLE suffix (year INTEGER NOT NULL, suffix BLOB NOT NULL, i INTEGER NOT NULL);
CREATE TABLE candidate (i INTEGER PRIMARY KEY);
CREATE TABLE ranked (pos INTEGER PRIMARY KEY, i INTEGER NOT NULL, rank INTEGER, grp BLOB);
"""
# on a file, SQLite's page cache (KiB) and its sorts spilled to temporary files: memory stays bounded
ON_DISK = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE; PRAGMA cache_size = -2048;"
IN_MEMORY_BYTES = 4 * 1024 * 1024  # results (pickled) kept in memory before the database moves to disk
FLUSH_EVERY = 256  # results buffered before one transaction writes them
PAGE = 512  # rows read back per query
BLOB_PAGE = 32  # results (pickled, a few KB each) read back per query
KEYS_PER_QUERY = 500  # organ keys looked up in one query (SQLite's variables: 999 in old builds)
# The places a character of an organ key can start at (0, 1, …, ?-1), for suffixes made in SQL:
# a key is UTF-32-BE, four bytes a character, and substr on a BLOB counts bytes.
_STARTS = "WITH RECURSIVE n(start) AS (SELECT 0 UNION ALL SELECT start + 1 FROM n WHERE start + 1 < ?) "


def text_key(text: str | None) -> bytes:
    """A BLOB that SQLite orders as Python orders str (see the module's note)."""
    return (text or "").encode("utf-32-be", "surrogatepass")


@overload
def _text(key: bytes) -> str: ...
@overload
def _text(key: None) -> None: ...
def _text(key: bytes | None) -> str | None:
    return None if key is None else key.decode("utf-32-be", "surrogatepass")


class Spill:
    """The results of one batch, by their index in the batch."""

    def __init__(self, in_memory_bytes: int = IN_MEMORY_BYTES) -> None:
        self.folder: str | None = None  # the database's folder once on disk
        self.db = sqlite3.connect(":memory:", isolation_level=None)
        self.db.executescript(SCHEMA)
        self.in_memory_bytes = in_memory_bytes
        self._bytes = 0
        self._pending: list[Done] = []
        self.count = 0
        self.ranked_count = 0
        # --parts (cluster/parts.py): the stored blob may name the part that holds the result
        self.parts: Any = None

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _to_disk(self) -> None:
        """Move the database to a file: from here on memory stays bounded."""
        with self._disk_errors():
            self.folder = tempfile.mkdtemp(prefix="gxaudit-batch-")
            disk = sqlite3.connect(os.path.join(self.folder, "results.sqlite"), isolation_level=None)
            disk.executescript(ON_DISK)
            self.db.backup(disk)
            self.db.close()
            self.db = disk

    @contextlib.contextmanager
    def _disk_errors(self):
        """A write that fails (disk full, a file-size limit) is one line naming the place."""
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            where = self.folder or tempfile.gettempdir()
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise OutputError(
                f"无法写入审查的临时结果（{reason}；磁盘已满或文件大小受限？）", path=where
            ) from None

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- results in
    def add(self, done: Done) -> None:
        self._pending.append(done)
        self.count += 1
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def add_result(self, index: int, result: ReportResult) -> None:
        self.add(compact(index, result))

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        self._bytes += sum(len(d.result) + len(d.figures or b"") for d in pending)
        with self._transaction():
            self.db.executemany("INSERT INTO result VALUES (?, ?)", [(d.number, d.result) for d in pending])
            self.db.executemany(
                "INSERT INTO summary VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                [_summary_row(d.number, d.summary) for d in pending],
            )
            self.db.executemany(
                "INSERT INTO figures VALUES (?, ?, ?, ?)",
                [
                    (d.number, d.year, None if d.organ_key is None else text_key(d.organ_key), d.figures)
                    for d in pending
                    if d.figures is not None
                ],
            )
        if self.folder is None and self._bytes > self.in_memory_bytes:
            self._to_disk()

    @contextlib.contextmanager
    def _transaction(self):
        with self._disk_errors():
            self.db.execute("BEGIN")
            try:
                yield
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _loads(self, blob: bytes, i: int) -> ReportResult:
        if self.parts is not None:
            blob = self.parts.blob(blob, i)
        return pickle.loads(blob)

    def result(self, i: int) -> ReportResult:
        ((blob,),) = self.db.execute("SELECT blob FROM result WHERE i = ?", (i,))
        return self._loads(blob, i)

    def figures(self, i: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT blob FROM figures WHERE i = ?", (i,)).fetchone()
        return pickle.loads(row[0]) if row else None

    def _replace(self, i: int, result: ReportResult) -> None:
        figures, result.figures = result.figures, None
        self.db.execute("UPDATE result SET blob = ? WHERE i = ?", (pickle.dumps(result, PICKLE), i))
        result.figures = figures
        self.db.execute("DELETE FROM summary WHERE i = ?", (i,))
        self.db.execute(
            "INSERT INTO summary VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            _summary_row(i, Summary.of(result)),
        )

    def _pages(self, query: str, args: tuple = (), page: int = PAGE) -> Iterator[tuple]:
        """Rows of `query` (which selects the key column first and has `WHERE key > ?
        ORDER BY key LIMIT ?` at its end) a page at a time, so writes may go on between."""
        last = -1
        while True:
            rows = self.db.execute(query, (*args, last, page)).fetchall()
            count = len(rows)
            if count:
                last = rows[-1][0]
            yield from rows
            del rows  # one page in memory at a time
            if count < page:
                return

    # -- last year's report: from this batch, else from the store
    def cross_year(self, auditor, store=None) -> int:
        """Check each report against last year's of the same organ (as batch.apply_cross_year
        does in memory); returns how many reports had a previous year."""
        self.flush()
        years = {y for (y,) in self.db.execute("SELECT DISTINCT year FROM figures WHERE year IS NOT NULL")}
        indexed = {y for y in years if y + 1 in years}  # years that are some report's last year
        if indexed:
            self._index_suffixes()
        paired = 0
        with self._transaction():
            for i, year, key_blob, candidate in self._pages(
                "SELECT f.i, f.year, f.organ_key, c.i IS NOT NULL FROM figures f"
                " LEFT JOIN candidate c ON c.i = f.i WHERE f.i > ? ORDER BY f.i LIMIT ?"
            ):
                if year is None or not key_blob or (not candidate and store is None):
                    continue  # no organ, or nothing to pair it with
                previous = self._previous_in_batch(year, _text(key_blob)) if candidate else None
                figures = None
                if previous is None and store is not None:
                    figures = self.figures(i)
                    previous = store.previous_figures(figures)
                if previous is None:
                    continue
                result = self.result(i)
                result.figures = figures or self.figures(i)
                auditor.audit_cross_year(result, previous)
                self._replace(i, result)
                paired += 1
        return paired

    def _index_suffixes(self) -> None:
        """Every suffix of three or more characters of each organ key of a year that is some
        report's last year, as PreviousIndex makes them (the whole key, then one from each
        next character while three are left); then `candidate`: the reports _previous_in_batch
        may find last year's report for (a key of last year ends with this one, or is this one
        without its first characters). It finds none for any other, so it is not asked: in a
        batch of one year per organ, no report is. Made in SQL, not a query a report."""
        longest = self._first("SELECT max(length(organ_key)) / 4 FROM figures") or 0
        with self._transaction():
            self.db.execute(
                _STARTS + "INSERT INTO suffix SELECT f.year, substr(f.organ_key, 4 * n.start + 1), f.i"
                " FROM figures f JOIN n ON n.start < max(1, length(f.organ_key) / 4 - 2)"
                " WHERE f.year IN (SELECT year - 1 FROM figures) AND length(f.organ_key) > 0",
                (longest,),
            )
            self.db.execute("CREATE INDEX suffix_lookup ON suffix (year, suffix, i)")
            # last year's keys that end with this one (this one among them)…
            self.db.execute(
                "INSERT OR IGNORE INTO candidate SELECT f.i FROM figures f"
                " JOIN suffix s ON s.year = f.year - 1 AND s.suffix = f.organ_key"
                " WHERE length(f.organ_key) > 0"
            )
            # …and those this one ends with (three characters or more)
            self.db.execute(
                _STARTS + "INSERT OR IGNORE INTO candidate SELECT f.i FROM figures f"
                " JOIN n ON n.start >= 1 AND n.start < length(f.organ_key) / 4 - 2"
                " JOIN figures p ON p.year = f.year - 1 AND p.organ_key = substr(f.organ_key, 4 * n.start + 1)",
                (longest,),
            )

    def _first(self, query: str, *args) -> int | None:
        row = self.db.execute(query, args).fetchone()
        return None if row is None else row[0]

    def _keys_of_year(self, year: int, keys: list[bytes]) -> set[bytes]:
        """Which of `keys` (organ keys, as text_key) some report of `year` has."""
        found: set[bytes] = set()
        for start in range(0, len(keys), KEYS_PER_QUERY):
            part = keys[start : start + KEYS_PER_QUERY]
            marks = ", ".join("?" for _ in part)
            query = f"SELECT DISTINCT organ_key FROM figures WHERE year = ? AND organ_key IN ({marks})"
            found.update(name for (name,) in self.db.execute(query, (year, *part)))
        return found

    def _previous_in_batch(self, year: int, key: str) -> dict[str, Any] | None:
        """What PreviousIndex.find chooses, one candidate read at a time: the first
        report (in input order) of last year with the same organ key; else, when the
        keys that end with this one and those this one ends with are one organ's, its
        first report; else none (same_organ: a name shorter than three characters
        matches only itself)."""
        last = year - 1
        first_of = "SELECT i FROM figures WHERE year = ? AND organ_key = ? ORDER BY i LIMIT 1"
        chosen = self._first(first_of, last, text_key(key))
        if chosen is not None:
            return self.figures(chosen)
        # the names that end with this one, and those this one ends with: one organ, or none
        # chosen (two organs with this name at their end: which is last year's, no one can say)
        names: list[bytes] = []
        if len(key) >= 3:
            names += [
                name
                for (name,) in self.db.execute(
                    "SELECT DISTINCT f.organ_key FROM suffix s JOIN figures f ON f.i = s.i "
                    "WHERE s.year = ? AND s.suffix = ? LIMIT 2",
                    (last, text_key(key)),
                )
            ]
        # the names this one ends with that last year has, looked up in one query, not one each
        ends = [text_key(key[start:]) for start in range(1, max(1, len(key) - 2))]
        present = self._keys_of_year(last, ends) if ends and len(names) <= 1 else set()
        for name in ends:
            if len(names) > 1:
                break
            if name in present:
                names.append(name)
        if len(set(names)) != 1:
            return None
        chosen = self._first(first_of, last, names[0])
        return None if chosen is None else self.figures(chosen)

    # -- ranking
    def rank(self, group_of: Callable[[ReportResult], str] | None = None) -> None:
        """The order and ranks of ranking.rank: audited reports by score, then fewer
        errors and warnings, organ, path (equal scores share a rank: 1, 1, 3); the
        others after, by status and path."""
        self.flush()
        if group_of is not None:
            with self._transaction():
                for (i,) in self._pages("SELECT i FROM summary WHERE i > ? ORDER BY i LIMIT ?"):
                    group = group_of(self.result(i))
                    self.db.execute("UPDATE summary SET grp = ? WHERE i = ?", (_group_value(group), i))
        counters: dict[bytes | None, int] = {}
        previous: dict[bytes | None, tuple[float | None, int]] = {}  # per group: (score, rank)
        position = 0
        with self._transaction():
            for audited, order in (
                (1, "coalesce(grp, x''), -coalesce(score, 0), errors, warnings, organ, path, i"),
                (0, "coalesce(grp, x''), status, path, i"),
            ):
                rows = self.db.execute(
                    f"SELECT i, grp, score FROM summary WHERE audited = ? ORDER BY {order}", (audited,)
                )
                batch = []
                for i, group, score in rows:
                    rank = None
                    if audited:
                        counters[group] = counters.get(group, 0) + 1
                        before = previous.get(group)
                        rank = before[1] if before is not None and before[0] == score else counters[group]
                        previous[group] = (score, rank)
                    position += 1
                    batch.append((position, i, rank, group))
                    if len(batch) >= PAGE:
                        self.db.executemany("INSERT INTO ranked VALUES (?, ?, ?, ?)", batch)
                        batch = []
                self.db.executemany("INSERT INTO ranked VALUES (?, ?, ?, ?)", batch)
        self.ranked_count = position

    def ranked(self) -> Iterator[ReportResult]:
        """The results in ranked order (rank and group set), read back one page at a time."""
        for _pos, i, rank, group, blob in self._pages(
            "SELECT r.pos, r.i, r.rank, r.grp, res.blob FROM ranked r JOIN result res ON res.i = r.i"
            " WHERE r.pos > ? ORDER BY r.pos LIMIT ?",
            page=BLOB_PAGE,
        ):
            result = self._loads(blob, i)
            result.rank, result.group = rank, _text(group)
            yield result

    def in_input_order(self) -> Iterator[ReportResult]:
        """Every result in the order of the batch's inputs, figures attached (for the
        stages that work on all results in memory)."""
        self.flush()
        for i, blob, figures in self._pages(
            "SELECT r.i, r.blob, f.blob FROM result r LEFT JOIN figures f ON f.i = r.i"
            " WHERE r.i > ? ORDER BY r.i LIMIT ?",
            page=BLOB_PAGE,
        ):
            result = self._loads(blob, i)
            if figures is not None:
                result.figures = pickle.loads(figures)
            yield result

    def at(self, position: int) -> ReportResult:
        i, rank, group = self.db.execute(
            "SELECT i, rank, grp FROM ranked WHERE pos = ?", (position + 1,)
        ).fetchone()
        result = self.result(i)
        result.rank, result.group = rank, _text(group)
        return result

    def has_error(self) -> bool:
        status = text_key(STATUS_ERROR)
        return (
            self.db.execute("SELECT 1 FROM summary WHERE status = ? LIMIT 1", (status,)).fetchone()
            is not None
        )

    def severities(self) -> set[str]:
        """The severities of every finding not waived, over the whole batch."""
        found: set[str] = set()
        for (text,) in self.db.execute("SELECT DISTINCT severities FROM summary"):
            found.update(text.split())
        return found

    def with_status(self, *statuses: str) -> Iterator[ReportResult]:
        """The results of these statuses, in ranked order."""
        marks = ", ".join("?" for _ in statuses)
        rows = self.db.execute(
            f"SELECT r.i FROM ranked r JOIN summary s ON s.i = r.i WHERE s.status IN ({marks}) ORDER BY r.pos",
            tuple(text_key(status) for status in statuses),
        ).fetchall()
        for (i,) in rows:
            yield self.result(i)


def _summary_row(i: int, s: Summary) -> tuple:
    return (
        i,
        int(s.status == STATUS_AUDITED),
        text_key(s.status),
        s.score,
        s.errors,
        s.warnings,
        text_key(s.organ),
        text_key(s.path),
        s.severities,
    )


def _group_value(group: str | None) -> bytes | None:
    return None if group is None else text_key(group)


class RankedResults(Sequence[ReportResult]):
    """The results of a spill in ranked order, as a sequence the outputs can read:
    iterating reads them back one at a time, so a streamed output stays flat in memory."""

    def __init__(self, spill: Spill):
        self.spill = spill

    def __len__(self) -> int:
        return self.spill.ranked_count

    def __iter__(self) -> Iterator[ReportResult]:
        return self.spill.ranked()

    @overload
    def __getitem__(self, index: int) -> ReportResult: ...
    @overload
    def __getitem__(self, index: slice) -> list[ReportResult]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.spill.at(index)
