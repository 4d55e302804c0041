"""Accuracy of gxaudit on the real reports: cells against the hand-read golden
tables, findings against the known defects.

    python benchmarks/accuracy.py [--shared DIR] [--json] [--details]

Black-box: it runs the installed CLI only (`gxaudit parse FILE --format json`
per report, then one `gxaudit audit FILES --format json --output F
--no-progress --jobs 1`), so it keeps working while the package is being
restructured.  Reports: every file of <shared>/seeds and <shared>/corpus
(<shared> is --shared, else $GXAUDIT_SHARED, else ../shared next to the repo).

Expectations, all written by hand from the files (never by running gxaudit):
  tests/golden_seeds.py, golden_pdf.py, golden_markdown.py, golden_corpus_new.py
      every cell of tables two, three and four, and title/organ/year/format
  tests/data/known_defects.yaml
      per report the defects a correct audit must report, and the findings it
      may give without being wrong (acceptable)

Columns, per report:
  cells        cells in the golden table ("-": no golden table for this report)
  ambig        of which Ambiguous: digits the report does not settle, where
               "unreadable" is the right answer
  exact        read with the expected kind, value and unit
  unread       marked unreadable: the cell says "unreadable": true, or its row
               has a reading that is not "inferred"
  missing      not in the output and not marked unreadable
  wrong        another kind, value or unit (an Ambiguous golden cell read as
               anything but the reader's believed value)
  meta         title, organ, year, format equal to the golden (of 4)
  defects      known defects found / known defects (a defect of count N is N)
  unexplained  findings that match neither a known defect nor an acceptable
               finding, by rule id (any severity); a status other than the
               expected one (audited, not_applicable) is listed as status:…

Exit code 0 always: this is a measurement, not a test.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from common import gxaudit_command  # this folder
from tabulate import tabulate

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
KNOWN_DEFECTS = TESTS / "data" / "known_defects.yaml"
sys.path.insert(0, str(TESTS))

from golden_cells import (  # noqa: E402
    EXACT,
    MISSING,
    OUTCOMES,
    UNREADABLE,
    WRONG,
    Ambiguous,
    compare_tables,
)

META_FIELDS = ("title", "organ", "year", "format")
# golden module -> the shared folder its reports live in
GOLDEN_MODULES = (("golden_seeds", "seeds"), ("golden_pdf", "corpus"),
                  ("golden_markdown", "corpus"), ("golden_corpus_new", "corpus"))


def shared_dir(option: str | None) -> Path:
    if option:
        return Path(option)
    if os.environ.get("GXAUDIT_SHARED"):
        return Path(os.environ["GXAUDIT_SHARED"])
    return REPO.parent / "shared"


def report_files(shared: Path) -> list[tuple[str, Path]]:
    """(key "folder/name", path) of every report in seeds and corpus."""
    out = []
    for folder in ("seeds", "corpus"):
        for path in sorted((shared / folder).iterdir()):
            if path.is_file() and path.name != "README.md":
                out.append((f"{folder}/{path.name}", path))
    return out


def load_goldens() -> dict[str, dict]:
    goldens = {}
    for module_name, folder in GOLDEN_MODULES:
        module = __import__(module_name)
        for name, golden in module.GOLDEN.items():
            goldens[f"{folder}/{name}"] = golden
    return goldens


# ---------------------------------------------------------------- running the CLI


def run_parse(path: Path) -> tuple[dict | None, str | None]:
    proc = subprocess.run(gxaudit_command() + ["parse", str(path), "--format", "json"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return None, (proc.stderr.strip() or f"exit code {proc.returncode}")
    try:
        return json.loads(proc.stdout), None
    except json.JSONDecodeError as exc:
        return None, f"parse output is not JSON: {exc}"


def run_audit(paths: list[Path]) -> tuple[dict[str, dict], str | None]:
    """Audit results by resolved path, and an error if the run itself failed."""
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "audit.json"
        proc = subprocess.run(gxaudit_command() + ["audit", *map(str, paths), "--format", "json",
                                                   "--output", str(output), "--no-progress",
                                                   "--jobs", "1"],
                              capture_output=True, text=True)
        if not output.is_file():
            return {}, proc.stderr.strip() or f"exit code {proc.returncode}, no output"
        doc = json.loads(output.read_text(encoding="utf-8"))
    return {str(Path(r["path"]).resolve()): r for r in doc.get("reports", [])}, None


# ---------------------------------------------------------------- findings vs known defects


def location_matches(want: dict, location: dict) -> bool:
    """Every key the defect gives equals the finding's (a list: any of them)."""
    for key, expected in (want or {}).items():
        options = expected if isinstance(expected, list) else [expected]
        got = location.get(key)
        if key == "block" and got is None:
            if location.get("table") != "review_litigation":
                continue  # table-two findings name no block; their row ids are unique
            got = location.get("row")  # a table-four finding names its block as row
        if got not in options:
            return False
    return True


def _matches(item: dict, finding: dict) -> bool:
    return item["rule"] == finding.get("rule") and location_matches(
        item.get("location"), finding.get("location") or {})


def judge_findings(known: dict, result: dict | None) -> dict:
    """Found / total known defects, missed ones, and the unexplained findings by rule."""
    defects = known.get("defects") or {}
    total = sum(item.get("count", 1) for item in defects.values())
    unexplained: collections.Counter = collections.Counter()
    if result is None:
        return {"found": 0, "total": total, "missed": sorted(defects),
                "unexplained": {"status:missing": 1}}
    expected_status = known.get("status", "audited")
    if result.get("status") != expected_status:
        unexplained[f"status:{result.get('status')}"] += 1
    remaining = list(result.get("findings") or [])
    found, missed = 0, []
    for key, item in defects.items():
        want = item.get("count", 1)
        hits = [f for f in remaining if _matches(item, f)][:want]
        for f in hits:
            remaining.remove(f)
        found += len(hits)
        if len(hits) < want:
            missed.append(key if want == 1 else f"{key} ({len(hits)}/{want})")
    acceptable = (known.get("acceptable") or {}).values()
    for f in remaining:
        if not any(_matches(item, f) for item in acceptable):
            unexplained[f.get("rule")] += 1
    return {"found": found, "total": total, "missed": missed, "unexplained": dict(unexplained)}


# ---------------------------------------------------------------- cells vs golden


def judge_cells(golden: dict | None, doc: dict | None) -> dict | None:
    if golden is None:
        return None
    results = compare_tables(golden, doc or {})
    counts = collections.Counter(outcome for _t, _p, outcome, _e, _c in results)
    bad = [f"{table}/{'/'.join(path)}: {outcome}, expected {expected!r}, got "
           f"{None if cell is None else (cell.get('kind'), cell.get('value'), cell.get('unit'))}"
           for table, path, outcome, expected, cell in results if outcome in (MISSING, WRONG)]
    meta_diffs = [f"{field}: expected {golden.get(field)!r}, got {(doc or {}).get(field)!r}"
                  for field in META_FIELDS if (doc or {}).get(field) != golden.get(field)]
    ambiguous = sum(isinstance(expected, Ambiguous) for _t, _p, _o, expected, _c in results)
    return {"expected": sum(counts[o] for o in OUTCOMES), "ambiguous": ambiguous,
            **{o: counts[o] for o in OUTCOMES},
            "extra": counts["extra"], "meta_ok": len(META_FIELDS) - len(meta_diffs),
            "meta_diffs": meta_diffs, "problems": bad}


# ---------------------------------------------------------------- output


def _rules_text(counter: dict) -> str:
    if not counter:
        return "0"
    total = sum(counter.values())
    parts = ", ".join(f"{rule}×{n}" if n > 1 else rule for rule, n in sorted(counter.items()))
    return f"{total}: {parts}"


def table_rows(rows: list[dict]) -> list[list]:
    out = []
    for r in rows:
        c = r["cells"]
        cells = ([c["expected"], c["ambiguous"], c[EXACT], c[UNREADABLE], c[MISSING], c[WRONG],
                  f"{c['meta_ok']}/{len(META_FIELDS)}"] if c else ["-"] * 7)
        f = r["findings"]
        out.append([r["report"], *cells, f"{f['found']}/{f['total']}", _rules_text(f["unexplained"])])
    return out


def totals(rows: list[dict]) -> dict:
    cells = collections.Counter()
    meta_ok = meta_total = 0
    found = total = 0
    unexplained: collections.Counter = collections.Counter()
    for r in rows:
        if r["cells"]:
            for key in ("expected", "ambiguous", *OUTCOMES):
                cells[key] += r["cells"][key]
            meta_ok += r["cells"]["meta_ok"]
            meta_total += len(META_FIELDS)
        found += r["findings"]["found"]
        total += r["findings"]["total"]
        unexplained.update(r["findings"]["unexplained"])
    return {"cells": dict(cells), "meta_ok": meta_ok, "meta_total": meta_total,
            "defects_found": found, "defects_total": total, "unexplained": dict(unexplained)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", help="folder holding seeds/ and corpus/ (default: $GXAUDIT_SHARED)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument("--details", action="store_true",
                        help="also list wrong/missing cells, metadata differences, missed defects")
    args = parser.parse_args(argv)

    shared = shared_dir(args.shared)
    if not (shared / "corpus").is_dir():
        print(f"accuracy: no corpus folder under {shared} (set --shared or GXAUDIT_SHARED)",
              file=sys.stderr)
        return 0
    with open(KNOWN_DEFECTS, encoding="utf-8") as fh:
        known_all = yaml.safe_load(fh)["reports"]
    goldens = load_goldens()
    files = report_files(shared)

    start, cpu0 = time.perf_counter(), os.times()
    parsed = {key: run_parse(path) for key, path in files}
    audited, audit_error = run_audit([path for _key, path in files])
    cpu1 = os.times()
    wall = time.perf_counter() - start
    cpu = (cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system)

    rows = []
    for key, path in files:
        doc, parse_error = parsed[key]
        result = audited.get(str(path.resolve()))
        rows.append({
            "report": key,
            "parse_error": parse_error,
            "cells": judge_cells(goldens.get(key), doc),
            "findings": judge_findings(known_all.get(key, {}), result),
            "status": None if result is None else result.get("status"),
        })
    summary = totals(rows)

    if args.json:
        print(json.dumps({"shared": str(shared), "audit_error": audit_error, "reports": rows,
                          "total": summary, "seconds": {"wall": round(wall, 2), "cpu": round(cpu, 2)}},
                         ensure_ascii=False, indent=2))
        return 0

    headers = ["report", "cells", "ambig", "exact", "unread", "missing", "wrong", "meta", "defects",
               "unexplained findings"]
    body = table_rows(rows)
    c = summary["cells"]
    body.append(["TOTAL", c.get("expected", 0), c.get("ambiguous", 0), c.get(EXACT, 0), c.get(UNREADABLE, 0),
                 c.get(MISSING, 0), c.get(WRONG, 0), f"{summary['meta_ok']}/{summary['meta_total']}",
                 f"{summary['defects_found']}/{summary['defects_total']}",
                 _rules_text(summary["unexplained"])])
    print(tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True))
    if audit_error:
        print(f"\naudit run failed: {audit_error}")
    for r in rows:
        if r["parse_error"]:
            print(f"{r['report']}: parse failed: {r['parse_error']}")
    if args.details:
        for r in rows:
            lines = []
            if r["cells"]:
                lines += [f"  meta {d}" for d in r["cells"]["meta_diffs"]]
                lines += [f"  cell {p}" for p in r["cells"]["problems"]]
            lines += [f"  missed defect {m}" for m in r["findings"]["missed"]]
            if lines:
                print(f"\n{r['report']}:")
                print("\n".join(lines))
    print(f"\n{len(files)} reports; gxaudit runs: {wall:.1f} s wall, {cpu:.1f} s CPU")
    return 0


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # a measurement: report and exit 0
        print(f"accuracy: {type(exc).__name__}: {exc}", file=sys.stderr)
    sys.exit(0)
