"""`gxaudit diff`: per report, which findings are new, fixed and unchanged.

Two audits are compared by fingerprint (stable across re-runs and line
shifts); reports are matched by path, else by organ and year. A report that
is not in the newer run, or that could not be audited there, is "not
audited" (未审计): its findings are not called fixed. One the newer run
found not applicable (a report older than the 2019 format) or not a report
at all (a README) is shown as such: nothing of it is compared.

`regressions` counts the new findings that make `gxaudit diff` exit 1.

Both sides are checked as they are read (an audit JSON document of schema 1),
so that a wrong file is one line naming the file and the key, never a
traceback.

A result file is read a report at a time (jsonstream.py), never whole: the
older run is read once into an index (per report its path, organ, year,
score and the fingerprints of its findings), the newer one is compared
report by report as it is read, and a report of the older run is read again,
alone, only when some of its findings are fixed (they are listed). The
changes are written as they are found.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

import orjson
from tabulate import tabulate

from gxaudit.audit.jsonstream import DocumentReader, Member, Report, Whole, read_span
from gxaudit.audit.scoring import SEVERITY_ORDER
from gxaudit.errors import ConfigError
from gxaudit.formats import nodes
from gxaudit.formats.config_check import check, zh

_FINDING = {
    "type": "object",
    "required": ["rule", "fingerprint", "message"],
    "properties": {
        "rule": {"type": "string"},
        "fingerprint": {"type": "string"},
        "message": {"type": "string"},
        "severity": {"type": "string"},
    },
}
DOCUMENT_SCHEMA = zh(
    {
        "type": "object",
        "required": ["schema_version", "reports"],
        "properties": {
            "schema_version": {"enum": [1]},
            "reports": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["path"],
                    "properties": {
                        "path": {"type": "string"},
                        "status": {"type": "string"},
                        "organ": {"type": ["string", "null"]},
                        "year": {"type": ["integer", "null"]},
                        "score": {"type": ["number", "null"]},
                        "findings": {"type": "array", "items": _FINDING},
                    },
                },
            },
        },
    }
)

REPORT_SCHEMA = DOCUMENT_SCHEMA["properties"]["reports"]["items"]
BOM = "\ufeff".encode()
STATUS_COMPARED, STATUS_NEW, STATUS_NOT_AUDITED = "compared", "new report", "not audited"
STATUS_NOT_APPLICABLE, STATUS_NOT_A_REPORT = "not applicable", "not a report"
STATUS_ZH = {
    STATUS_COMPARED: "",
    STATUS_NEW: "新报告",
    STATUS_NOT_AUDITED: "未审计",
    STATUS_NOT_APPLICABLE: "不适用",
    STATUS_NOT_A_REPORT: "不是年度报告",
}
# a report the newer run read and set aside on purpose (audit/findings.py): not a failure to audit it
_SET_ASIDE = {"not_applicable": STATUS_NOT_APPLICABLE, "not_a_report": STATUS_NOT_A_REPORT}


class Side:
    """One side of a diff: its reports in order, each checked, and one read again by its
    place. A result file is read a report at a time; a stored run (and a file in another
    encoding than UTF-8, which json.loads reads too) is read whole."""

    def __init__(self, name: str, store=None):
        self.name = name
        self.handle = None
        self.document: dict[str, Any] | None = None
        if store is not None and name.isdigit():
            self.name = f"{store.path}（运行 {name}）"
            self.document = store.document(int(name))
            check(self.document, DOCUMENT_SCHEMA, self.name)
            return
        if name.isdigit() and store is None and not os.path.lexists(name):
            raise ConfigError(f"没有文件 {name}；要比较存储中的运行，请加 --store 存储文件")
        self.handle = nodes.open_regular(name, "审查结果文件")
        start = self.handle.read(4)
        self.handle.seek(0)
        if json.detect_encoding(start) not in ("utf-8", "utf-8-sig"):
            data = self.handle.read()
            self.close()
            self.document = _parse_result(name, data)
            check(self.document, DOCUMENT_SCHEMA, name)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def reports(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        """(place, report) for each report, in the document's order, each checked; the
        document's other members are checked after the last report."""
        if self.document is not None:
            yield from enumerate(self.document["reports"])
            return
        assert self.handle is not None
        self.handle.seek(0)
        members: dict[str, Any] = {}
        for item in DocumentReader(self.handle, self.name):
            if isinstance(item, Report):
                check(item.value, REPORT_SCHEMA, self.name, prefix=("reports", item.number))
                yield (item.start, item.end), item.value
            elif isinstance(item, Member):
                members[item.key] = item.value
            elif isinstance(item, Whole):
                check(item.value, DOCUMENT_SCHEMA, self.name)
                raise ConfigError("应为映射", path=self.name)  # (check has said it)
        check(members, DOCUMENT_SCHEMA, self.name)

    def again(self, place: Any) -> dict[str, Any]:
        """The report at `place` (as `reports` gave it), read again."""
        if self.document is not None:
            return self.document["reports"][place]
        assert self.handle is not None
        try:
            return read_span(self.handle, *place)
        except (ValueError, OSError) as exc:  # the file changed while it was compared
            raise ConfigError(f"审查结果文件在比较过程中被改动（{exc}）", path=self.name) from None


def _parse_result(name: str, data: bytes) -> Any:
    """The JSON of a result file, parsed from its bytes without a text copy of them.

    orjson reads UTF-8 bytes directly (a national batch's JSON is hundreds of
    MB: its bytes and its objects are in memory, never a str as well). What
    orjson refuses (NaN, which gxaudit's writer may fall back to, or a
    mistake) goes through the json module, which says where the mistake is.
    """
    try:
        return orjson.loads(memoryview(data)[len(BOM) :] if data.startswith(BOM) else data)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(data)  # finds the encoding itself, BOM included
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"不是审查结果 JSON（{exc.msg}）", path=name, line=exc.lineno, column=exc.colno
        ) from None
    except UnicodeDecodeError as exc:
        raise nodes.not_utf8(exc, "审查结果文件", name, ConfigError) from None
    except RecursionError:
        raise ConfigError("不是审查结果 JSON（嵌套过深）", path=name) from None


def _key(report: dict[str, Any]) -> tuple:
    return (report.get("organ"), report.get("year"))


def _audited(report: dict[str, Any]) -> bool:
    return report.get("status", "audited") == "audited"


Findings = list[dict[str, Any]]


class Older(NamedTuple):
    """What comparing needs of a report of the older run (its findings are read again
    only when some are fixed)."""

    path: str
    organ: Any
    year: Any
    score: Any
    # the fingerprints of its findings, as one JSON text (a string object each would cost
    # more than the rest of the index)
    fingerprints: str
    place: Any


def _index(side: Side) -> tuple[list[Older], dict[str, int], dict[tuple, int]]:
    """The older run's reports, and where each is found by path and by organ and year
    (the last of a path or key, as a dict of them all would keep)."""
    reports: list[Older] = []
    by_path: dict[str, int] = {}
    by_key: dict[tuple, int] = {}
    for place, r in side.reports():
        fingerprints = json.dumps(list(dict.fromkeys(f["fingerprint"] for f in r.get("findings", []))))
        by_path[r["path"]] = len(reports)
        if r.get("organ"):
            by_key[_key(r)] = len(reports)
        reports.append(Older(r["path"], r.get("organ"), r.get("year"), r.get("score"), fingerprints, place))
    return reports, by_path, by_key


def _compare(
    report: dict[str, Any], before: Older | None, older: Side
) -> tuple[str, Findings, Findings, Findings]:
    """A report of the newer run against its match in the older one: status, new, fixed, unchanged."""
    set_aside = _SET_ASIDE.get(report.get("status", "audited"))
    if set_aside is not None:
        # set aside by the newer run: nothing of it was audited, no finding is new, fixed or unchanged
        return set_aside, [], [], []
    if not _audited(report):
        # could not be audited this time: nothing is known to be fixed
        return STATUS_NOT_AUDITED, [], [], []
    new_findings = {f["fingerprint"]: f for f in report.get("findings", [])}
    if before is None:
        return STATUS_NEW, list(new_findings.values()), [], []
    known = set(json.loads(before.fingerprints))
    fixed: Findings = []
    if not known <= new_findings.keys():  # some are fixed: read them again
        old_findings = {f["fingerprint"]: f for f in older.again(before.place).get("findings", [])}
        fixed = [old_findings[k] for k in old_findings if k not in new_findings]
    return (
        STATUS_COMPARED,
        [new_findings[k] for k in new_findings if k not in known],
        fixed,
        [new_findings[k] for k in new_findings if k in known],
    )


def diff_sides(old: Side, new: Side) -> Iterator[dict[str, Any]]:
    """The changes, one per report of the newer run (in its order), then one per report of
    the older run absent from the newer one; read and compared as they are yielded."""
    older, by_path, by_key = _index(old)
    matched = set()
    for _place, report in new.reports():
        at = by_path.get(report["path"])
        if at is None:
            at = by_key.get(_key(report))
        before = older[at] if at is not None else None
        if before is not None:
            matched.add(before.path)
        status, new_list, fixed, unchanged = _compare(report, before, old)
        yield {
            "path": report["path"],
            "organ": report.get("organ"),
            "year": report.get("year"),
            "old_score": before.score if before is not None else None,
            "new_score": report.get("score"),
            "status": status,
            "new": new_list,
            "fixed": fixed,
            "unchanged": unchanged,
        }
    for gone in older:
        if gone.path not in matched:
            # absent from the newer run: not audited, so not fixed either
            yield {
                "path": gone.path,
                "organ": gone.organ,
                "year": gone.year,
                "old_score": gone.score,
                "new_score": None,
                "status": STATUS_NOT_AUDITED,
                "new": [],
                "fixed": [],
                "unchanged": [],
            }


def regressions(change: dict[str, Any], fail_on: str) -> int:
    """New findings of a change at or above `fail_on` not waived: what makes `gxaudit diff`
    exit 1. As for `gxaudit audit`'s exit code; a finding without a known severity counts."""
    limit = SEVERITY_ORDER[fail_on]
    return sum(
        1
        for finding in change["new"]
        if SEVERITY_ORDER.get(finding.get("severity"), 0) <= limit and not finding.get("waived")
    )


def write_diff(old: Side, new: Side, fmt: str, fail_on: str, out: IO[str]) -> int:
    """Compare and write the changes to `out` as they come (json or table); returns the
    number of regressions."""
    found = 0
    # a table's findings new and fixed wait here until the table is written
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8") as details:
        writer = _JsonWriter(out) if fmt == "json" else _TableWriter(out, details)
        for change in diff_sides(old, new):
            found += regressions(change, fail_on)
            writer.add(change)
        writer.close()
    return found


class _JsonWriter:
    """The same text as json.dumps({"schema_version": 1, "reports": changes}, indent=2),
    a change at a time."""

    def __init__(self, out: IO[str]):
        self.out = out
        head = json.dumps({"schema_version": 1, "reports": []}, ensure_ascii=False, indent=2)
        self.head = head[: -len("[]\n}")] + "["
        self.first = True
        out.write(self.head)

    def add(self, change: dict[str, Any]) -> None:
        text = json.dumps(change, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        self.out.write(("\n    " if self.first else ",\n    ") + text)
        self.first = False

    def close(self) -> None:
        self.out.write(("]" if self.first else "\n  ]") + "\n}\n")


class _TableWriter:
    """The table of every change, then the findings new and fixed per report (kept in a
    temporary file until the table is written)."""

    def __init__(self, out: IO[str], details: IO[str]):
        self.out = out
        self.rows: list[list[Any]] = []
        self.not_audited = False
        self.details = details

    def add(self, c: dict[str, Any]) -> None:
        self.rows.append(
            [
                c["organ"] or c["path"],
                c["year"] or "—",
                "—" if c["old_score"] is None else c["old_score"],
                "—" if c["new_score"] is None else c["new_score"],
                len(c["new"]),
                len(c["fixed"]),
                len(c["unchanged"]),
                STATUS_ZH[c["status"]],
            ]
        )
        self.not_audited = self.not_audited or c["status"] == STATUS_NOT_AUDITED
        if c["new"] or c["fixed"]:
            lines = [f"\n【{c['organ'] or c['path']} {c['year'] or ''}】"]
            lines += [f"  新增  {f['rule']}  {f['message']}" for f in c["new"]]
            lines += [f"  已整改 {f['rule']}  {f['message']}" for f in c["fixed"]]
            self.details.write("".join("\n" + line for line in lines))

    def close(self) -> None:
        self.out.write(
            tabulate(
                self.rows,
                headers=["机关", "年度", "原得分", "新得分", "新增", "已整改", "未变", "备注"],
                disable_numparse=True,
            )
        )
        if self.not_audited:
            self.out.write("\n未审计：新一次审查中没有这份报告，或无法处理；其原有问题不计为已整改。")
        self.details.seek(0)
        while piece := self.details.read(1 << 16):
            self.out.write(piece)
        self.out.write("\n")
