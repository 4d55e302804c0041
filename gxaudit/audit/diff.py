"""`gxaudit diff`: per report, which findings are new, fixed and unchanged.

Two audits are compared by fingerprint (stable across re-runs and line
shifts); reports are matched by path, else by organ and year. A report that
is not in the newer run, or that could not be audited there, is "not
audited" (未审计): its findings are not called fixed. One the newer run
found not applicable (a report older than the 2019 format) or not a report
at all (a README) is shown as such: nothing of it is compared.

`regressions` counts the new findings that make `gxaudit diff` exit 1.

Both sides are checked when loaded (an audit JSON document of schema 1), so
that a wrong file is one line naming the file and the key, never a traceback.
"""

from __future__ import annotations

import json
import os
from typing import Any

import orjson
from tabulate import tabulate

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


def load_side(name: str, store=None) -> dict[str, Any]:
    """An audit document: a JSON file, or a run id of the store; checked against the schema."""
    if store is not None and name.isdigit():
        document = store.document(int(name))
        check(document, DOCUMENT_SCHEMA, f"{store.path}（运行 {name}）")
        return document
    if name.isdigit() and store is None and not os.path.lexists(name):
        raise ConfigError(f"没有文件 {name}；要比较存储中的运行，请加 --store 存储文件")
    document = _parse_result(name, nodes.read_bytes(name, "审查结果文件", limit=None))
    check(document, DOCUMENT_SCHEMA, name)
    return document


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


def _compare(
    report: dict[str, Any], before: dict[str, Any] | None
) -> tuple[str, Findings, Findings, Findings]:
    """A report of the newer run against its match in the older one: status, new, fixed, unchanged."""
    set_aside = _SET_ASIDE.get(report.get("status", "audited"))
    if set_aside is not None:
        # set aside by the newer run: nothing of it was audited, no finding is new, fixed or unchanged
        return set_aside, [], [], []
    if not _audited(report):
        # could not be audited this time: nothing is known to be fixed
        return STATUS_NOT_AUDITED, [], [], []
    old_findings = {f["fingerprint"]: f for f in (before or {}).get("findings", [])}
    new_findings = {f["fingerprint"]: f for f in report.get("findings", [])}
    return (
        STATUS_NEW if before is None else STATUS_COMPARED,
        [new_findings[k] for k in new_findings if k not in old_findings],
        [old_findings[k] for k in old_findings if k not in new_findings],
        [new_findings[k] for k in new_findings if k in old_findings],
    )


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    by_path = {r["path"]: r for r in old["reports"]}
    by_key = {_key(r): r for r in old["reports"] if r.get("organ")}
    changes, matched = [], set()
    for report in new["reports"]:
        before = by_path.get(report["path"]) or by_key.get(_key(report))
        if before is not None:
            matched.add(before["path"])
        status, new_list, fixed, unchanged = _compare(report, before)
        changes.append(
            {
                "path": report["path"],
                "organ": report.get("organ"),
                "year": report.get("year"),
                "old_score": (before or {}).get("score"),
                "new_score": report.get("score"),
                "status": status,
                "new": new_list,
                "fixed": fixed,
                "unchanged": unchanged,
            }
        )
    for report in old["reports"]:
        if report["path"] not in matched:
            # absent from the newer run: not audited, so not fixed either
            changes.append(
                {
                    "path": report["path"],
                    "organ": report.get("organ"),
                    "year": report.get("year"),
                    "old_score": report.get("score"),
                    "new_score": None,
                    "status": STATUS_NOT_AUDITED,
                    "new": [],
                    "fixed": [],
                    "unchanged": [],
                }
            )
    return changes


def regressions(changes: list[dict[str, Any]], fail_on: str) -> int:
    """New findings at or above `fail_on` not waived: what makes `gxaudit diff` exit 1.

    As for `gxaudit audit`'s exit code; a finding without a known severity counts.
    """
    limit = SEVERITY_ORDER[fail_on]
    return sum(
        1
        for change in changes
        for finding in change["new"]
        if SEVERITY_ORDER.get(finding.get("severity"), 0) <= limit and not finding.get("waived")
    )


def render_diff(changes: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"schema_version": 1, "reports": changes}, ensure_ascii=False, indent=2) + "\n"
    rows = [
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
        for c in changes
    ]
    out = [
        tabulate(
            rows,
            headers=["机关", "年度", "原得分", "新得分", "新增", "已整改", "未变", "备注"],
            disable_numparse=True,
        )
    ]
    if any(c["status"] == STATUS_NOT_AUDITED for c in changes):
        out.append("未审计：新一次审查中没有这份报告，或无法处理；其原有问题不计为已整改。")
    for c in changes:
        if not c["new"] and not c["fixed"]:
            continue
        out.append(f"\n【{c['organ'] or c['path']} {c['year'] or ''}】")
        out += [f"  新增  {f['rule']}  {f['message']}" for f in c["new"]]
        out += [f"  已整改 {f['rule']}  {f['message']}" for f in c["fixed"]]
    return "\n".join(out) + "\n"
