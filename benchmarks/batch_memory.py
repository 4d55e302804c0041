"""Memory of a whole batch at two sizes (issue 10 item 3: peak RSS at 50,000 reports
within 1.2 x the peak at 5,000), with CPU seconds and the load average.

    python benchmarks/batch_memory.py [--counts 5000,50000] [--jobs 2] [--data DIR] [--keep]

Generates the largest count of text reports once (benchmarks/generate.py, seed 1;
the smaller sets are the first N of it, hard-linked), then runs for each count

    gxaudit audit DIR --isolated --jobs J --format json --output F --no-progress

and samples /proc every 0.1 s: the parent's VmHWM (its own peak resident set),
each worker's VmHWM, and the summed RSS of the whole tree (parent, workers and
multiprocessing's resource tracker). CPU is user + system of the whole tree (from
os.wait4, workers included). The machine is shared: the load average is printed
before and after each run; CPU seconds are the stable figure, wall time is not.

Measured on branch `batch` (2 cores, shared; `--counts 5000,50000 --jobs 2`):

    reports  CPU s   ms/report  parent   largest worker  tree     load
      5,000   56.4   11.27      49.1 MB  55.6 MB         172.0 MB 4.0 -> 3.6
     50,000  572.2   11.44      50.9 MB  56.9 MB         177.1 MB 3.6 -> 4.4
    ratio 50k / 5k: parent 1.03x, tree 1.03x, largest process 1.02x

(before the spill, issue 10: the parent alone 185 MiB at 10k, 777 MiB at 50k.)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import status_kb  # this folder

HERE = Path(__file__).resolve().parent
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def generate(folder: Path, count: int) -> None:
    if folder.is_dir() and len(list(folder.glob("*.txt"))) >= count:
        return
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(folder), "--count", str(count), "--seed", "1",
         "--shapes", "text"],
        check=True,
    )


def subset(source: Path, target: Path, count: int) -> Path:
    """The first `count` reports of `source`, hard-linked (no copy, same bytes)."""
    if target.is_dir() and len(list(target.glob("*.txt"))) == count:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.txt"))[:count]:
        link = target / path.name
        if not link.exists():
            os.link(path, link)
    return target


def measure(folder: Path, jobs: int, output: Path, extra: list[str]) -> dict:
    argv = [sys.executable, "-m", "gxaudit", "audit", str(folder), "--isolated", "--jobs", str(jobs),
            "--format", "json", "--output", str(output), "--no-progress", *extra]
    load_before = os.getloadavg()
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    parent_peak = 0
    worker_peaks: dict[int, int] = {}
    tree_peak = 0
    while True:
        finished, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if finished:
            break
        parent_peak = max(parent_peak, status_kb(proc.pid, "VmHWM"))
        tree = status_kb(proc.pid, "VmRSS")
        for child in _children(proc.pid):
            worker_peaks[child] = max(worker_peaks.get(child, 0), status_kb(child, "VmHWM"))
            tree += status_kb(child, "VmRSS")
        tree_peak = max(tree_peak, tree)
        time.sleep(0.1)
    wall = time.monotonic() - started
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "code": proc.returncode,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "parent_mb": parent_peak / 1024,
        "worker_mb": max(worker_peaks.values(), default=0) / 1024,
        "tree_mb": tree_peak / 1024,
        "maxrss_mb": usage.ru_maxrss / 1024,  # the largest single process, from the kernel
        "load": (load_before, os.getloadavg()),
        "stderr": stderr.strip().splitlines()[-3:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="5000,50000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "gxaudit-bench-memory")
    parser.add_argument("--extra", default="", help="more gxaudit audit options, space-separated")
    parser.add_argument("--keep", action="store_true", help="keep the JSON outputs")
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))
    full = args.data / f"gen{counts[-1]}"
    generate(full, counts[-1])
    rows = []
    for count in counts:
        folder = full if count == counts[-1] else subset(full, args.data / f"gen{count}", count)
        output = args.data / f"out{count}.json"
        result = measure(folder, args.jobs, output, args.extra.split())
        rows.append((count, result))
        (l1, _, _), (l2, _, _) = result["load"]
        print(
            f"{count:>7} reports  exit {result['code']}  wall {result['wall']:7.1f} s  "
            f"CPU {result['cpu']:8.1f} s ({1000 * result['cpu'] / count:.2f} ms/report)  "
            f"parent {result['parent_mb']:6.1f} MB  largest worker {result['worker_mb']:6.1f} MB  "
            f"tree {result['tree_mb']:6.1f} MB  load {l1:.1f} -> {l2:.1f}",
            flush=True,
        )
        if result["code"] not in (0, 1):
            print("   stderr:", *result["stderr"], sep="\n   ")
        if not args.keep:
            output.unlink(missing_ok=True)
    if len(rows) > 1:
        (small, a), (large, b) = rows[0], rows[-1]
        for key, name in (("parent_mb", "parent"), ("tree_mb", "tree"), ("maxrss_mb", "largest process")):
            print(f"{name} peak {large} / {small}: {b[key] / a[key]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
