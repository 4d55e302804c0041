"""Audit time per report and facts per report, for both engines.

    python benchmarks/audit_speed.py [FILES...] [--repeat N]

Prints per report: facts asserted, findings, median ms per stage (parse,
facts, engine, score) for the durable and the reference engine.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from gxaudit.audit.auditor import Auditor
from gxaudit.parse.document import parse_file
from gxaudit.rules.load import builtin_rules_dir, load_rules
from gxaudit.audit.scoring import load_scoring

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    files = [Path(f) for f in args.files] or sorted((REPO / "reports").glob("*.txt"))
    rules, _version = load_rules([builtin_rules_dir()])
    print(f"{len(rules)} rules")
    for engine in ("durable", "reference"):
        auditor = Auditor(rules, load_scoring(), engine=engine)
        totals = []
        print(f"\nengine: {engine}")
        print(f"{'report':32s} {'facts':>6s} {'finds':>6s} {'parse':>7s} {'facts':>7s} {'engine':>7s} {'score':>7s} {'total':>7s}  (ms, median)")
        for path in files:
            report = parse_file(path)
            stages = {"parse": [], "facts": [], "engine": [], "score": []}
            for _ in range(args.repeat):
                start = time.perf_counter()
                report = parse_file(path)
                stages["parse"].append(time.perf_counter() - start)
                result = auditor.audit_report(report)
                for stage in ("facts", "engine", "score"):
                    stages[stage].append(result.timings.get(stage, 0.0))
            med = {k: statistics.median(v) * 1000 for k, v in stages.items()}
            total = sum(med.values())
            totals.append(total)
            print(f"{path.name[:32]:32s} {result.facts:6d} {len(result.findings):6d} {med['parse']:7.2f} "
                  f"{med['facts']:7.2f} {med['engine']:7.2f} {med['score']:7.2f} {total:7.2f}")
        print(f"median audit time per report ({engine}): {statistics.median(totals):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
