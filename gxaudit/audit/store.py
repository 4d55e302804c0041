"""A SQLite store of audit runs (embedded, no server).

Each run keeps its JSON document, and per report its figures, so that a
later audit of next year's reports reads last year's figures from here for
the cross-year rules, and `gxaudit diff` compares two stored runs.

A store is checked when it is opened, before any report is audited: a file
that is not SQLite, a foreign database with the same table names, a damaged
file (SQLite's quick_check) or a lock held by another process is a StoreError
naming the file, never a traceback after the batch. An audit holds the
store's write lock from the start of the batch to the end of `record`, so no
other writer can get in between. A row whose JSON is damaged is skipped with
a warning (`warnings`): the store is read in part rather than not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import stat
import tempfile
from pathlib import Path
from typing import Any

from gxaudit.audit.crossyear import PreviousIndex, organ_key
from gxaudit.errors import StoreError, os_reason
from gxaudit.formats.config_check import INT64, zh
from gxaudit.formats.schema_check import problems

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    tool_version TEXT,
    rules_version TEXT,
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    organ TEXT, organ_key TEXT, year INTEGER, format TEXT,
    status TEXT, score REAL, grade TEXT,
    figures TEXT
);
CREATE TABLE IF NOT EXISTS findings (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    rule TEXT NOT NULL, fingerprint TEXT NOT NULL, severity TEXT,
    waived INTEGER NOT NULL DEFAULT 0, message TEXT
);
CREATE INDEX IF NOT EXISTS reports_by_year ON reports (year, organ_key);
CREATE INDEX IF NOT EXISTS findings_by_fingerprint ON findings (fingerprint);
"""
SCHEMA_VERSION = "1"
# the columns of each table, in order: a database with these table names but
# other columns is someone else's
COLUMNS = {
    "meta": ["key", "value"],
    "runs": ["id", "created", "tool_version", "rules_version", "document"],
    "reports": [
        "run_id",
        "path",
        "organ",
        "organ_key",
        "year",
        "format",
        "status",
        "score",
        "grade",
        "figures",
    ],
    "findings": ["run_id", "path", "rule", "fingerprint", "severity", "waived", "message"],
}
# how long to wait for another process's lock before saying so
LOCK_WAIT_SECONDS = 2.0

_CELL = {"type": ["number", "null"], "minimum": INT64[0], "maximum": INT64[1]}
_ROWS = {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": _CELL}}
# what cross-year rules read from a stored report (crossyear.extract_figures)
FIGURES_SCHEMA = zh(
    {
        "type": "object",
        "required": ["organ_key", "year", "applications", "item1"],
        "properties": {
            "version": {"type": "integer"},
            "organ": {"type": ["string", "null"]},
            "organ_key": {"type": "string"},
            "year": {"type": "integer", "minimum": 1900, "maximum": 2200},
            "format": {"type": ["string", "null"]},
            "path": {"type": "string"},
            "applications": _ROWS,
            "item1": _ROWS,
            "sections": {"type": "object", "additionalProperties": {"type": "string"}},
            "lines": {"type": "object", "additionalProperties": {"type": ["integer", "null"]}},
        },
    }
)


def _connect_error(path: str, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(f"存储文件被另一个进程锁定（{text}），请等它结束后再试", path=path)
    if "not a database" in text or "encrypted" in text:
        return StoreError("不是 gxaudit 存储文件（不是 SQLite 数据库）", path=path)
    if "malformed" in text or "corrupt" in text:
        return StoreError(
            f"存储文件已损坏（{text}）；可用 sqlite3 的 .recover 恢复，或换一个新的存储文件", path=path
        )
    return StoreError(f"无法使用存储文件（{text}）", path=path)


class Store:
    """A store of runs. `create=False` (diff) refuses a missing file instead of making one."""

    def __init__(self, path: str | Path, create: bool = True):
        self.path = str(path)
        self._indexes: dict[int, PreviousIndex] = {}
        self.warnings: list[str] = []
        self._reading = True  # False once a read failed: the store is not read again
        self._reserved = False
        self._check_file(create)
        try:
            self.db = sqlite3.connect(self.path, timeout=LOCK_WAIT_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise _connect_error(self.path, exc) from None
        try:
            self._check_database(create)
        except sqlite3.Error as exc:
            self.db.close()
            raise _connect_error(self.path, exc) from None
        except StoreError:
            self.db.close()
            raise

    def _check_file(self, create: bool) -> None:
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            if not create:
                raise StoreError("存储文件不存在", path=self.path) from None
            if not Path(self.path).parent.is_dir():
                raise StoreError("存储文件所在的文件夹不存在", path=self.path) from None
            self._check_folder_writable()
            return
        except OSError as exc:
            raise StoreError(f"无法访问存储文件（{exc.strerror or exc}）", path=self.path) from None
        if not stat.S_ISREG(info.st_mode):
            raise StoreError("不是普通文件，不能作为存储文件", path=self.path)

    def _check_database(self, create: bool) -> None:
        tables = {
            name
            for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        }
        tables.discard("sqlite_sequence")
        if not tables:
            if not create:
                raise StoreError("不是 gxaudit 存储文件（没有运行记录）", path=self.path)
            self.db.executescript(SCHEMA)
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            return
        check = self.db.execute("PRAGMA quick_check").fetchall()
        if [tuple(r) for r in check] != [("ok",)]:
            detail = "；".join(str(r[0]) for r in check[:3])
            raise StoreError(
                f"存储文件已损坏（SQLite 检查：{detail}）；可用 sqlite3 的 .recover 恢复，或换一个新的存储文件",
                path=self.path,
            )
        for table, columns in COLUMNS.items():
            found = [row[1] for row in self.db.execute(f"PRAGMA table_info({table})").fetchall()]
            if found != columns:
                what = f"表 {table} 的列是 {', '.join(found)}" if found else f"没有表 {table}"
                raise StoreError(f"不是 gxaudit 存储文件（{what}）", path=self.path)
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None:
            raise StoreError("不是 gxaudit 存储文件（meta 表中没有 schema）", path=self.path)
        if row[0] != SCHEMA_VERSION:
            raise StoreError(
                f"存储格式版本 {row[0]!r}，本版 gxaudit 读写版本 {SCHEMA_VERSION}", path=self.path
            )

    def _check_folder_writable(self) -> None:
        """SQLite writes its journal beside the store: its folder must take a new file."""
        folder = Path(self.path).parent
        try:
            fd, probe = tempfile.mkstemp(prefix=".gxaudit-store-", suffix=".probe", dir=folder)
        except OSError as exc:
            raise StoreError(
                f"存储文件所在的文件夹 {folder} 不可写（{os_reason(exc)}）：SQLite 要在其中写日志文件",
                path=self.path,
            ) from None
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(probe)

    def _check_writable(self) -> None:
        """StoreError now, before a batch, when this run could not be recorded at its end."""
        try:
            with open(self.path, "r+b"):
                pass
        except OSError as exc:
            raise StoreError(
                f"存储文件不可写（{os_reason(exc)}），无法记入本次运行", path=self.path
            ) from None
        self._check_folder_writable()

    def reserve(self) -> None:
        """Take the write lock now (before a batch) and keep it until `record`; a store this
        run could not write is refused now, not after the batch."""
        if self._reserved:
            return
        self._check_writable()
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _connect_error(self.path, exc) from None
        self._reserved = True

    def close(self) -> None:
        if self._reserved:
            with contextlib.suppress(sqlite3.Error):  # closing rolls back anyway
                self.db.execute("ROLLBACK")
            self._reserved = False
        self.db.close()

    def _warn(self, message: str) -> None:
        self.warnings.append(f"{self.path}: {message}")

    def _figures(self, run_id: Any, path: Any, text: Any) -> dict[str, Any] | None:
        """One stored report's figures, or None (with a warning) when damaged."""
        try:
            figures = json.loads(text)
        except (TypeError, ValueError) as exc:
            self._warn(f"运行 {run_id} 中 {path} 的数据不是有效的 JSON（{exc}），跨年度比对不使用这一条")
            return None
        found = problems(figures, FIGURES_SCHEMA)
        if found:
            where, _at_key, message = found[0]
            key = ".".join(str(k) for k in where)
            self._warn(f"运行 {run_id} 中 {path} 的数据有误（{key}：{message}），跨年度比对不使用这一条")
            return None
        if figures.get("organ"):  # the key as this version makes it (runs stored before may differ)
            figures["organ_key"] = organ_key(figures["organ"])
        return figures

    def previous_figures(self, figures: dict[str, Any]) -> dict[str, Any] | None:
        """Last year's figures of the same organ, from the newest run that has them."""
        year = figures.get("year")
        if year is None or not self._reading:
            return None
        if year - 1 not in self._indexes:  # read each year's figures once
            try:
                rows = self.db.execute(
                    "SELECT run_id, path, figures FROM reports "
                    "WHERE year = ? AND figures IS NOT NULL ORDER BY run_id DESC",
                    (year - 1,),
                ).fetchall()
            except sqlite3.Error as exc:
                self._reading = False
                self._warn(f"读取失败（{exc}），本次跨年度比对不使用存储中的上年数据")
                return None
            found = [self._figures(*row) for row in rows]
            self._indexes[year - 1] = PreviousIndex([f for f in found if f is not None])
        return self._indexes[year - 1].find(figures)

    def record(self, results, document: dict[str, Any]) -> int:
        """Store a run whole (one transaction); returns its id."""
        try:
            self.reserve()
            cur = self.db.execute(
                "INSERT INTO runs (created, tool_version, rules_version, document) VALUES (?, ?, ?, ?)",
                (
                    dt.datetime.now().isoformat(timespec="seconds"),
                    document["tool"]["version"],
                    document["rules_version"],
                    json.dumps(document, ensure_ascii=False),
                ),
            )
            run_id = cur.lastrowid
            for r in results:
                figures = r.figures
                self.db.execute(
                    "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run_id,
                        r.path,
                        r.organ,
                        figures.get("organ_key") if figures else None,
                        r.year,
                        r.format,
                        r.status,
                        r.score,
                        r.grade,
                        json.dumps(figures, ensure_ascii=False) if figures else None,
                    ),
                )
                self.db.executemany(
                    "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (run_id, r.path, f.rule, f.fingerprint, f.severity, int(f.waived), f.message)
                        for f in r.findings
                    ],
                )
            self.db.execute("COMMIT")
            self._reserved = False
        except sqlite3.Error as exc:
            raise StoreError(f"无法写入本次运行（{exc}）；结果已照常输出", path=self.path) from None
        assert run_id is not None
        return run_id

    def runs(self) -> list[tuple[int, str, str]]:
        try:
            return self.db.execute("SELECT id, created, rules_version FROM runs ORDER BY id").fetchall()
        except sqlite3.Error as exc:
            raise _connect_error(self.path, exc) from None

    def document(self, run_id: int) -> dict[str, Any]:
        try:
            row = self.db.execute("SELECT document FROM runs WHERE id = ?", (run_id,)).fetchone()
        except sqlite3.Error as exc:
            raise _connect_error(self.path, exc) from None
        if row is None:
            raise StoreError(f"没有编号为 {run_id} 的运行", path=self.path)
        try:
            document = json.loads(row[0])
        except (TypeError, ValueError) as exc:
            raise StoreError(
                f"运行 {run_id} 的结果已损坏（不是有效的 JSON：{exc}）", path=self.path
            ) from None
        return document
