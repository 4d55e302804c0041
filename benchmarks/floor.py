"""The floor: what reading generated reports costs with regular expressions only.

    python benchmarks/floor.py DIR [--limit N] [--audit] [--jobs 2[,1]] [--engine durable]
                                   [--output FILE] [--repeat R]

DIR is a folder of reports made by benchmarks/generate.py (text shape). The
floor pass does, per file, the least any auditor must do to read the figures:

1. read the bytes and decode them (BOM, UTF-8, else GB18030);
2. split into lines and find the part headings (一、…六、) by one regex;
3. split table lines into cells (tabs) and read every cell with one number regex;
4. classify table three's rows by label: enumerators stripped, one dict lookup;
5. check one identity: 新收 + 上年结转 == 办理结果总计 + 结转下年度, per column.

It prints the CPU (user + system) per report of that loop, measured with
time.process_time around it (start-up and the label table excluded).

--audit also runs `gxaudit audit DIR --format json --no-progress --jobs J
--output FILE` on the same files as a subprocess, for each J given, and takes
its CPU from os.wait4 (the command and its worker processes, start-up
included), its wall time and the peak RSS of its largest process (from the
same rusage), then prints reports/s, CPU ms/report and the ratio audit/floor.
With several --jobs values the scaling ratio (wall time at the fewest jobs /
at the most) is printed too. Nothing is asserted: this is a measurement.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import gxaudit_command  # this folder

HERE = Path(__file__).resolve().parent
COMMON_YAML = HERE.parent / "formats" / "common.yaml"
SUFFIXES = (".txt", ".md")

HEADING = re.compile(r"^\s*([一二三四五六])\s*[、.．]\s*(\S.*)$")
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
ENUMERATOR = re.compile(r"^(?:[(（]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+[、.．]|\d+[.．、])\s*")
IDENTITY_ROWS = ("new", "carried_over", "results_total", "carried_forward")


class RowLabels:
    """Table three's row labels (and variants) → row id, from the formats' common file;
    a label not found whole is tried against the rows' key words (typos such as 上年转结)."""

    def __init__(self, path: Path = COMMON_YAML):
        import yaml

        with open(path, encoding="utf-8") as handle:
            common = yaml.safe_load(handle)
        self.exact: dict[str, str] = {}
        self.keys: list[tuple[str, str]] = []
        for row in common["applications"]["rows"]:
            for text in [row["label"], *row.get("variants", [])]:
                self.exact[text.replace("(", "（").replace(")", "）")] = row["id"]
            self.keys.extend((key, row["id"]) for key in row.get("keys", []))

    def get(self, label: str) -> str | None:
        label = ENUMERATOR.sub("", label).replace(" ", "").replace("(", "（").replace(")", "）")
        found = self.exact.get(label)
        if found is None:
            found = next((row for key, row in self.keys if key in label), None)
        return found


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_report(path: str, labels: RowLabels) -> tuple[int, int, bool | None]:
    """(headings found, numeric cells read, identity holds or None when rows are missing)."""
    with open(path, "rb") as handle:
        text = decode(handle.read())
    headings = 0
    numbers = 0
    part = ""
    rows: dict[str, list[int]] = {}
    number = NUMBER.fullmatch
    for line in text.splitlines():
        if "\t" not in line:
            m = HEADING.match(line)
            if m:
                headings += 1
                part = m.group(1)
            continue
        values: list[int] = []
        label = ""
        for cell in line.split("\t"):
            cell = cell.strip()
            if not cell:
                continue
            if number(cell):
                values.append(int(cell) if "." not in cell else float(cell))
            elif not values:
                label = cell
        numbers += len(values)
        if part == "三" and label and values:
            row = labels.get(label)
            if row is not None:
                rows[row] = values
    if all(r in rows for r in IDENTITY_ROWS):
        new, carried, total, forward = (rows[r] for r in IDENTITY_ROWS)
        holds = all(a + b == c + d for a, b, c, d in zip(new, carried, total, forward))
    else:
        holds = None
    return headings, numbers, holds


def report_files(directory: Path, limit: int | None) -> list[str]:
    files = sorted(str(p) for p in directory.iterdir() if p.suffix in SUFFIXES)
    return files[:limit] if limit else files


def floor_pass(files: list[str], repeat: int) -> tuple[float, dict[str, int]]:
    """Best CPU seconds per report over `repeat` passes, and what the last pass read."""
    labels = RowLabels()
    best = float("inf")
    tally: dict[str, int] = {}
    for _ in range(repeat):
        tally = {"headings": 0, "numbers": 0, "identity_holds": 0, "identity_broken": 0,
                 "identity_unread": 0}
        start = time.process_time()
        for path in files:
            headings, numbers, holds = read_report(path, labels)
            tally["headings"] += headings
            tally["numbers"] += numbers
            key = "identity_unread" if holds is None else ("identity_holds" if holds else "identity_broken")
            tally[key] += 1
        best = min(best, (time.process_time() - start) / len(files))
    return best, tally


# ------------------------------------------------------------------ the audit, side by side

def run_audit(directory: Path, jobs: int, engine: str, output: Path) -> dict[str, float]:
    """One `gxaudit audit` run: wall s, CPU s (user+sys, workers included), peak RSS MB."""
    cmd = gxaudit_command() + ["audit", str(directory), "--format", "json", "--no-progress",
                               "--jobs", str(jobs), "--engine", engine, "--output", str(output)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read() if proc.stderr else b""
    # the child's rusage includes the worker processes it waited for
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if proc.stderr:
        proc.stderr.close()
    if code not in (0, 1) or not output.exists():
        sys.stderr.write(stderr.decode("utf-8", "replace")[-2000:])
        raise SystemExit(f"gxaudit audit failed with exit code {code}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "user": usage.ru_utime,
            "sys": usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N files (sorted by name)")
    parser.add_argument("--repeat", type=int, default=3, help="floor passes; the best is kept (default 3)")
    parser.add_argument("--audit", action="store_true", help="run gxaudit audit on the same files too")
    parser.add_argument("--jobs", default="2", help="comma-separated --jobs values for the audit (default 2)")
    parser.add_argument("--engine", default="durable", choices=("durable", "reference"))
    parser.add_argument("--output", type=Path, help="keep the audit's JSON here (last --jobs value)")
    args = parser.parse_args(argv)

    files = report_files(args.directory, args.limit)
    if not files:
        print(f"{args.directory}: no .txt/.md reports", file=sys.stderr)
        return 2
    load = os.getloadavg()
    print(f"{len(files)} reports in {args.directory}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")

    floor_cpu, tally = floor_pass(files, max(1, args.repeat))
    print(f"floor (regex only): {floor_cpu * 1000:.3f} ms CPU/report  "
          f"(best of {max(1, args.repeat)}; " + ", ".join(f"{k} {v}" for k, v in tally.items()) + ")")
    if not args.audit:
        return 0

    work = args.directory
    temp = None
    if args.limit:
        # gxaudit audits a folder: give it exactly the files the floor read
        temp = tempfile.TemporaryDirectory(prefix="gxaudit-floor-")
        work = Path(temp.name)
        for path in files:
            os.symlink(os.path.abspath(path), work / Path(path).name)
    walls: dict[int, float] = {}
    try:
        for jobs in [int(j) for j in args.jobs.split(",")]:
            output = args.output or Path(tempfile.gettempdir()) / f"gxaudit-floor-{os.getpid()}.json"
            run = run_audit(work, jobs, args.engine, output)
            if not args.output:
                output.unlink(missing_ok=True)
            walls[jobs] = run["wall"]
            per = run["cpu"] / len(files)
            print(f"gxaudit audit --jobs {jobs} --engine {args.engine}: {run['wall']:.1f} s wall, "
                  f"{run['cpu']:.1f} s CPU (user {run['user']:.1f}, sys {run['sys']:.1f}), "
                  f"{len(files) / run['wall']:.0f} reports/s, {per * 1000:.2f} ms CPU/report, "
                  f"peak RSS {run['maxrss_mb']:.0f} MB (largest process); "
                  f"audit/floor = {per / floor_cpu:.0f}x")
    finally:
        if temp is not None:
            temp.cleanup()
    if len(walls) >= 2:
        low, high = min(walls), max(walls)
        print(f"scaling: wall at --jobs {low} / wall at --jobs {high} = {walls[low] / walls[high]:.2f}x "
              f"(load average now {os.getloadavg()[0]:.2f}: other work on the machine lowers it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
