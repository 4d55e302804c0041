"""Batch speed, stage times, memory and accuracy of gxaudit on generated reports.

    python benchmarks/batch_speed.py [--text N] [--html N] [--cells N] [--jobs 1,2] [--seed S] [--quick]

1. Generates N reports per shape (benchmarks/generate.py; default 1000 text,
   200 html, 0 cells) into a temporary folder (--keep DIR to keep them).
2. Runs `gxaudit audit DIR --format json --no-progress --jobs J --output FILE`
   as a subprocess for every shape and J, and prints reports per second and
   the peak resident memory of the run (its largest process).
3. Audits a sample of reports in-process with gxaudit.audit.Auditor and prints
   the median ms per stage (read+parse, facts, engine, score).
4. Audits --memory reports in-process, sampling VmRSS every --every reports,
   and prints the series and whether memory grows across the batch.
5. Accuracy on the injected defects, from the JSON of the J=1 runs: found /
   injected (a defect's expected finding is found when a finding with that rule
   and location exists in that report), and false findings (findings no
   injected defect explains), by rule, overall and per shape.

--quick: 100 text, 20 html, 20 cells, a sample of 50, memory over 400 reports.
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import gxaudit_command  # this folder

HERE = Path(__file__).resolve().parent
LOCATION_KEYS = ("table", "row", "column", "section")


def _generator():
    spec = importlib.util.spec_from_file_location("gxaudit_bench_generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run_audit(directory: Path, jobs: int, output: Path) -> tuple[float, int, int]:
    """(seconds, exit code, peak RSS in kB of the run's largest process)."""
    cmd = gxaudit_command() + ["audit", str(directory), "--format", "json", "--no-progress",
                               "--jobs", str(jobs), "--output", str(output)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage (its waited-for workers included)
    stderr = proc.stderr.read() if proc.stderr else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode not in (0, 1, 2) or not output.exists():
        sys.stderr.write(stderr.decode("utf-8", "replace")[-2000:])
        raise SystemExit(f"gxaudit audit failed with exit code {proc.returncode}")
    return elapsed, proc.returncode, usage.ru_maxrss


def rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# ---------------------------------------------------------------- accuracy

def matches(expected: dict[str, Any], finding: dict[str, Any]) -> bool:
    if finding["rule"] != expected["rule"]:
        return False
    location = finding.get("location") or {}
    return all(location.get(k) == expected[k] for k in LOCATION_KEYS if k in expected)


class Tally:
    def __init__(self) -> None:
        self.injected = 0
        self.found = 0
        self.false = collections.Counter()
        self.by_rule = collections.defaultdict(lambda: [0, 0])      # rule -> [found, injected]
        self.by_defect = collections.defaultdict(lambda: [0, 0])    # defect -> [found, injected]
        self.reports = 0
        self.clean_reports = 0
        self.clean_with_findings = 0
        self.errors = 0

    def line(self) -> str:
        rate = f"{self.found / self.injected:.1%}" if self.injected else "—"
        return (f"found {self.found}/{self.injected} ({rate}); false findings {sum(self.false.values())} "
                f"in {self.reports} reports; clean reports with findings {self.clean_with_findings}/"
                f"{self.clean_reports}; error results {self.errors}")


def score(doc: dict, manifest: dict, tallies: dict[str, Tally], missed: list, false: list) -> None:
    entries = {e["file"]: e for e in manifest["reports"]}
    for result in doc["reports"]:
        entry = entries.get(Path(result["path"]).name)
        if entry is None:
            continue
        findings = result.get("findings") or []
        for tally in (tallies["all"], tallies[entry["shape"]]):
            tally.reports += 1
            tally.clean_reports += not entry["expected"]
            tally.clean_with_findings += bool(not entry["expected"] and findings)
            tally.errors += result["status"] == "error"
        for defect in entry["defects"]:
            hits = [any(matches(x, f) for f in findings) for x in defect["expected"]]
            for tally in (tallies["all"], tallies[entry["shape"]]):
                tally.by_defect[defect["defect"]][0] += all(hits)
                tally.by_defect[defect["defect"]][1] += 1
            for x, hit in zip(defect["expected"], hits):
                for tally in (tallies["all"], tallies[entry["shape"]]):
                    tally.injected += 1
                    tally.found += hit
                    tally.by_rule[x["rule"]][0] += hit
                    tally.by_rule[x["rule"]][1] += 1
                if not hit:
                    same_rule = [f["location"] for f in findings if f["rule"] == x["rule"]]
                    missed.append((entry, defect, x, same_rule, result.get("error")))
        for f in findings:
            if not any(matches(x, f) for x in entry["expected"]):
                for tally in (tallies["all"], tallies[entry["shape"]]):
                    tally.false[f["rule"]] += 1
                false.append((entry, f))


def _finding_keys(doc: dict) -> list[tuple]:
    return sorted((Path(r["path"]).name, r["status"], f["rule"], f["fingerprint"])
                  for r in doc["reports"] for f in (r.get("findings") or []))


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--text", type=int, default=None, help="text-shape reports (default 1000)")
    parser.add_argument("--html", type=int, default=None, help="HTML reports (default 200)")
    parser.add_argument("--cells", type=int, default=None, help="one-cell-per-line reports (default 0)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values (default 1,2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=None, help="reports timed per stage (default 200)")
    parser.add_argument("--memory", type=int, default=None, help="reports audited for the memory series (default 2000)")
    parser.add_argument("--every", type=int, default=None, help="RSS sample interval (default 200)")
    parser.add_argument("--examples", type=int, default=3, help="examples printed per missed/false rule")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    parser.add_argument("--quick", action="store_true", help="a small run for a smoke test")
    args = parser.parse_args(argv)
    quick = args.quick
    counts = {"text": args.text if args.text is not None else (100 if quick else 1000),
              "cells": args.cells if args.cells is not None else (20 if quick else 0),
              "html": args.html if args.html is not None else (20 if quick else 200)}
    sample_size = args.sample or (50 if quick else 200)
    memory_total = args.memory or (400 if quick else 2000)
    every = args.every or (100 if quick else 200)
    jobs_list = [int(j) for j in args.jobs.split(",") if j.strip()]

    gen = _generator()
    temp = None
    if args.keep:
        root = Path(args.keep)
        root.mkdir(parents=True, exist_ok=True)
    else:
        temp = tempfile.TemporaryDirectory(prefix="gxaudit-bench-")
        root = Path(temp.name)
    try:
        return _run(gen, root, counts, jobs_list, args.seed, sample_size, memory_total, every, args.examples)
    finally:
        if temp is not None:
            temp.cleanup()


def _run(gen, root: Path, counts: dict[str, int], jobs_list: list[int], seed: int, sample_size: int,
         memory_total: int, every: int, examples: int) -> int:
    shapes = [s for s in ("text", "cells", "html") if counts[s] > 0]
    manifests: dict[str, tuple[Path, dict]] = {}
    start = time.perf_counter()
    for shape in shapes:
        directory = root / shape
        manifests[shape] = (directory, gen.generate(directory, counts[shape], seed, [shape]))
    total = sum(counts[s] for s in shapes)
    injected = sum(len(e["expected"]) for _d, m in manifests.values() for e in m["reports"])
    print(f"generated {total} reports ({', '.join(f'{counts[s]} {s}' for s in shapes)}), "
          f"{injected} expected findings, seed {seed}, in {time.perf_counter() - start:.1f} s")

    # ---- 1. batch runs as subprocesses
    print("\n== batch: gxaudit audit DIR --format json --no-progress --jobs J ==")
    print(f"{'shape':6s} {'jobs':>4s} {'reports':>7s} {'seconds':>8s} {'reports/s':>10s} {'peak RSS MB':>12s} {'exit':>4s}")
    docs: dict[tuple[str, int], dict] = {}
    for shape in shapes:
        directory, _m = manifests[shape]
        for jobs in jobs_list:
            output = root / f"{shape}-j{jobs}.json"
            seconds, code, peak = run_audit(directory, jobs, output)
            docs[(shape, jobs)] = json.loads(output.read_text(encoding="utf-8"))
            print(f"{shape:6s} {jobs:4d} {counts[shape]:7d} {seconds:8.2f} {counts[shape] / seconds:10.1f} "
                  f"{peak / 1024:12.1f} {code:4d}")
    for shape in shapes:
        keys = {j: _finding_keys(docs[(shape, j)]) for j in jobs_list}
        same = all(k == keys[jobs_list[0]] for k in keys.values())
        print(f"{shape}: findings identical for jobs {','.join(map(str, jobs_list))}: {'yes' if same else 'NO'}")

    # ---- 2. stage times in-process
    from gxaudit.audit.auditor import Auditor
    from gxaudit.audit.scoring import load_scoring
    from gxaudit.rules.load import builtin_rules_dir, load_rules
    rules, _version = load_rules([builtin_rules_dir()])
    auditor = Auditor(rules, load_scoring(), engine="durable")
    files = [(shape, directory / e["file"]) for shape in shapes
             for directory, m in [manifests[shape]] for e in m["reports"]]
    rng = random.Random(seed)
    sample = rng.sample(files, min(sample_size, len(files)))
    auditor.audit_file(sample[0][1])                        # warm-up: grammar, caches
    stages = ("parse", "facts", "engine", "score")
    times: dict[str, dict[str, list[float]]] = collections.defaultdict(lambda: {s: [] for s in stages})
    for shape, path in sample:
        result = auditor.audit_file(path)
        for stage in stages:
            if stage in result.timings:
                for key in (shape, "all"):
                    times[key][stage].append(result.timings[stage])
    print(f"\n== stages in-process (Auditor, durable engine), median ms over a sample of {len(sample)} ==")
    print(f"{'shape':6s} {'n':>4s} {'read+parse':>10s} {'facts':>7s} {'engine':>7s} {'score':>7s} {'total':>7s}")
    for key in shapes + ["all"]:
        if not times[key]["parse"]:
            continue
        med = {s: statistics.median(times[key][s]) * 1000 if times[key][s] else 0.0 for s in stages}
        print(f"{key:6s} {len(times[key]['parse']):4d} {med['parse']:10.2f} {med['facts']:7.2f} "
              f"{med['engine']:7.2f} {med['score']:7.2f} {sum(med.values()):7.2f}")

    # ---- 3. memory across a long in-process batch
    print(f"\n== memory: {memory_total} reports audited in-process, VmRSS every {every} ==")
    series = [(0, rss_kb())]
    start = time.perf_counter()
    for index in range(memory_total):
        result = auditor.audit_file(files[index % len(files)][1])
        result.report = None
        if (index + 1) % every == 0:
            series.append((index + 1, rss_kb()))
    elapsed = time.perf_counter() - start
    print("  ".join(f"{n}:{kb / 1024:.1f}MB" for n, kb in series))
    if len(series) >= 3:
        base_n, base = series[1]             # after the first interval (caches warm)
        last_n, last = series[-1]
        growth = last - base
        per_1000 = growth / max(1, last_n - base_n) * 1000
        verdict = "grows" if growth > max(5 * 1024, base * 0.05) else "flat"
        print(f"from report {base_n} to {last_n}: {growth / 1024:+.1f} MB ({per_1000 / 1024:+.2f} MB per 1000 reports): "
              f"{verdict}")
    print(f"in-process: {memory_total / elapsed:.1f} reports/s; peak RSS of this process "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB; peak of the gxaudit "
          f"subprocesses {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.1f} MB")

    # ---- 4. accuracy
    tallies = {k: Tally() for k in ["all"] + shapes}
    missed: list = []
    false: list = []
    for shape in shapes:
        score(docs[(shape, jobs_list[0])], manifests[shape][1], tallies, missed, false)
    print(f"\n== accuracy on injected defects (JSON of the --jobs {jobs_list[0]} runs) ==")
    for key in ["all"] + shapes:
        print(f"{key:6s} {tallies[key].line()}")
    overall = tallies["all"]
    print("\nby expected rule (found/injected):  " + "  ".join(
        f"{rule} {f}/{n}" for rule, (f, n) in sorted(overall.by_rule.items())))
    print("by defect (all its findings found/injected):  " + "  ".join(
        f"{d} {f}/{n}" for d, (f, n) in sorted(overall.by_defect.items())))
    print("false findings by rule:  " + ("  ".join(f"{rule} {n}" for rule, n in overall.false.most_common())
                                        or "none"))
    for shape in shapes:
        if tallies[shape].false:
            print(f"  {shape}: " + "  ".join(f"{rule} {n}" for rule, n in tallies[shape].false.most_common()))

    if missed:
        print("\nmissed (examples):")
        shown = collections.Counter()
        for entry, defect, x, same_rule, error in missed:
            key = (x["rule"], entry["shape"])
            if shown[key] >= examples:
                continue
            shown[key] += 1
            where = {k: x[k] for k in LOCATION_KEYS if k in x}
            print(f"  {entry['shape']}/{entry['file']} {x['rule']} {where}: {defect['description']}"
                  + (f"; error: {error}" if error else "")
                  + (f"; same rule found at {same_rule}" if same_rule else ""))
    if false:
        print("\nfalse findings (examples):")
        shown = collections.Counter()
        for entry, f in false:
            key = (f["rule"], entry["shape"])
            if shown[key] >= examples:
                continue
            shown[key] += 1
            loc = {k: v for k, v in f["location"].items() if v is not None}
            defects = "; ".join(d["description"] for d in entry["defects"]) or "clean"
            print(f"  {entry['shape']}/{entry['file']} {f['rule']} {loc}: {f['message']} [report: {defects}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
