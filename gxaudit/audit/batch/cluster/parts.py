"""--parts DIR: each chunk's results as one Parquet file, written by the worker.

A part is written to a temporary name in DIR and renamed into place
(os.replace), so a reader never sees half a part, and a task retried after its
worker died rewrites the same part whole. Its name is made from the chunk:
`part-<first index, 9 digits>-<files, 4 digits>.parquet`; a chunk split into
one-file tasks after its worker kept dying leaves one-file parts beside it.

The client receives, per file, only what ranking and cross-year read (the
summary: status, score, counts, organ; the figures with their year and organ
key) and a reference to the part; the outputs read each result back from its
part when they write it, so they are the same bytes as without --parts.

Columns (one row per file):

    index       int64    the file's place in the batch (input order)
    path        string   the file as the batch names it (undecodable bytes replaced)
    status      string   audited | not_a_report | not_applicable | error
    score       float64  the score (null when not audited)
    errors      int32    findings of severity error, waived ones not counted
    warnings    int32    findings of severity warning, waived ones not counted
    organ       string   the organ the report names (null when not read)
    severities  string   the severities of the findings not waived, space separated
    year        int32    the report's year, as cross-year checks read it (null: none)
    organ_key   string   the organ key cross-year checks look up (null: none)
    report      string   the result as JSON (ReportResult.to_dict, the JSON output's
                         report before cross-year checks and ranking)
    result      binary   the result pickled (what gxaudit reads back; same gxaudit version only)

Cross-year findings are added by the client after every part is written, so
they are in the outputs, not in the parts.
"""

from __future__ import annotations

import collections
import json
import os
import pickle
import uuid

import pyarrow as pa
import pyarrow.parquet as pq

from gxaudit.audit.batch.cluster import is_part
from gxaudit.audit.batch.pool import Item
from gxaudit.audit.batch.work import Done
from gxaudit.errors import OutputError

# a result kept in a part: what the spill stores in place of the pickled result
PART_REFERENCE = b"gxaudit-part:"
SCHEMA = pa.schema(
    [
        ("index", pa.int64()),
        ("path", pa.string()),
        ("status", pa.string()),
        ("score", pa.float64()),
        ("errors", pa.int32()),
        ("warnings", pa.int32()),
        ("organ", pa.string()),
        ("severities", pa.string()),
        ("year", pa.int32()),
        ("organ_key", pa.string()),
        ("report", pa.string()),
        ("result", pa.binary()),
    ]
)


def part_name(chunk: list[Item]) -> str:
    return f"part-{chunk[0][0]:09d}-{len(chunk):04d}.parquet"


def _text(value: str | None) -> str | None:
    """Arrow strings are UTF-8: a file name's undecodable bytes (lone surrogates) replaced."""
    if value is None:
        return None
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def write_part(folder: str, name: str, dones: list[Done]) -> list[Done]:
    """Write the part (temporary file, then renamed) and return the Dones pointing to it."""
    rows = []
    for done in dones:
        result = pickle.loads(done.result)
        rows.append(
            {
                "index": done.number,
                "path": _text(done.summary.path),
                "status": done.summary.status,
                "score": done.summary.score,
                "errors": done.summary.errors,
                "warnings": done.summary.warnings,
                "organ": _text(done.summary.organ),
                "severities": done.summary.severities,
                "year": done.year,
                "organ_key": _text(done.organ_key),
                "report": json.dumps(result.to_dict(), ensure_ascii=False),
                "result": done.result,
            }
        )
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    final = os.path.join(folder, name)
    temporary = os.path.join(folder, f".{name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, final)
    except OSError as exc:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise OutputError(f"无法写入结果分块（{exc.strerror or exc}）", path=final) from None
    reference = PART_REFERENCE + name.encode("ascii")
    return [done._replace(result=reference) for done in dones]


class PartsReader:
    """Results read back from their parts, a few parts kept (the outputs read them in
    ranked order, which jumps between parts)."""

    def __init__(self, folder: str, keep: int = 8):
        self.folder = folder
        self.keep = keep
        self._cache: collections.OrderedDict[str, dict[int, bytes]] = collections.OrderedDict()

    def blob(self, stored: bytes, index: int) -> bytes:
        """The pickled result of file `index`: `stored` itself, or read from the part it names."""
        if not stored.startswith(PART_REFERENCE):
            return stored  # changed by the client (cross-year findings) and kept in the spill
        name = stored[len(PART_REFERENCE) :].decode("ascii")
        rows = self._cache.get(name)
        if rows is None:
            path = os.path.join(self.folder, name)
            try:
                table = pq.read_table(path, columns=["index", "result"])
            except (OSError, pa.ArrowException) as exc:
                raise OutputError(f"无法读回结果分块（{exc}）", path=path) from None
            rows = dict(zip(table.column("index").to_pylist(), table.column("result").to_pylist()))
            self._cache[name] = rows
            if len(self._cache) > self.keep:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(name)
        return rows[index]


def read_parts(folder: str):
    """Every row of the parts in `folder` (for readers of a finished run), a part at a time;
    a file found in more than one part (a retried chunk split after it was written) once."""
    seen: set[int] = set()
    for name in sorted(os.listdir(folder)):
        if not is_part(name):
            continue
        for row in pq.read_table(os.path.join(folder, name)).to_pylist():
            if row["index"] not in seen:
                seen.add(row["index"])
                yield row
