"""`gxaudit diff`: per report, which findings are new, fixed and unchanged.

Two audits are compared by fingerprint (stable across re-runs and line
shifts); reports are matched by path, else by organ and year. A report that
is not in the newer run, or that could not be audited there, is "not
audited" (未审计): nothing is known of its findings, so none is called fixed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tabulate import tabulate

from gxaudit.errors import ConfigError


def load_side(name: str, store=None) -> dict[str, Any]:
    """An audit document: a JSON file, or a run id of the store."""
    if store is not None and name.isdigit():
        return store.document(int(name))
    try:
        return json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{name}: cannot read ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name}: not an audit JSON document ({exc.msg} at line {exc.lineno})") from None


STATUS_COMPARED, STATUS_NEW, STATUS_NOT_AUDITED = "compared", "new report", "not audited"
STATUS_ZH = {STATUS_COMPARED: "", STATUS_NEW: "新报告", STATUS_NOT_AUDITED: "未审计"}


def _key(report: dict[str, Any]) -> tuple:
    return (report.get("organ"), report.get("year"))


def _audited(report: dict[str, Any]) -> bool:
    return report.get("status", "audited") == "audited"


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    for doc, side in ((old, "old"), (new, "new")):
        if not isinstance(doc, dict) or "reports" not in doc:
            raise ConfigError(f"the {side} document is not a gxaudit audit result")
    by_path = {r["path"]: r for r in old["reports"]}
    by_key = {_key(r): r for r in old["reports"] if r.get("organ")}
    changes, matched = [], set()
    for report in new["reports"]:
        before = by_path.get(report["path"]) or by_key.get(_key(report))
        if before is not None:
            matched.add(before["path"])
        old_findings = {f["fingerprint"]: f for f in (before or {}).get("findings", [])}
        new_findings = {f["fingerprint"]: f for f in report.get("findings", [])}
        if before is not None and not _audited(report):
            # could not be audited this time: nothing is known to be fixed, or new
            status, added, fixed, unchanged = STATUS_NOT_AUDITED, [], [], []
        else:
            status = STATUS_NEW if before is None else STATUS_COMPARED
            added = [new_findings[k] for k in new_findings if k not in old_findings]
            fixed = [old_findings[k] for k in old_findings if k not in new_findings]
            unchanged = [new_findings[k] for k in new_findings if k in old_findings]
        changes.append(
            {
                "path": report["path"],
                "organ": report.get("organ"),
                "year": report.get("year"),
                "old_score": (before or {}).get("score"),
                "new_score": report.get("score"),
                "status": status,
                "new": added,
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
