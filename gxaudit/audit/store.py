"""A SQLite store of audit runs (embedded, no server).

Each run keeps its JSON document, and per report its figures, so that a
later audit of next year's reports reads last year's figures from here for
the cross-year rules, and `gxaudit diff` compares two stored runs.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from gxaudit.audit.crossyear import PreviousIndex
from gxaudit.errors import StoreError

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


class Store:
    def __init__(self, path: str | Path):
        self.path = str(path)
        self._indexes: dict[int, PreviousIndex] = {}
        try:
            self.db = sqlite3.connect(self.path)
            self.db.executescript(SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                self.db.commit()
            elif row[0] != SCHEMA_VERSION:
                raise StoreError(f"{self.path}: store schema {row[0]}, this gxaudit reads {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a gxaudit store ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def previous_figures(self, figures: dict[str, Any]) -> dict[str, Any] | None:
        """Last year's figures of the same organ, from the newest run that has them."""
        year = figures.get("year")
        if year is None:
            return None
        if year - 1 not in self._indexes:  # read each year's figures once
            rows = self.db.execute(
                "SELECT figures FROM reports WHERE year = ? AND figures IS NOT NULL ORDER BY run_id DESC",
                (year - 1,),
            ).fetchall()
            self._indexes[year - 1] = PreviousIndex([json.loads(r[0]) for r in rows])
        return self._indexes[year - 1].find(figures)

    def record(self, results, document: dict[str, Any]) -> int:
        """Store a run whole (one transaction); returns its id."""
        with self.db:
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
        return run_id

    def runs(self) -> list[tuple[int, str, str]]:
        return self.db.execute("SELECT id, created, rules_version FROM runs ORDER BY id").fetchall()

    def document(self, run_id: int) -> dict[str, Any]:
        row = self.db.execute("SELECT document FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no run {run_id}")
        return json.loads(row[0])
