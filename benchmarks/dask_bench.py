"""The batch on Dask against local worker processes (issue 13): reports/s, CPU per report
and the client's peak memory, `--dask local:N` against `--jobs N` on the same reports.

    python benchmarks/dask_bench.py [--data DIR] [--count 10000] [--workers 2] [--keep]

The reports are benchmarks/generate.py's (`--count 10000 --seed 1 --shapes text`),
generated into DIR unless it already holds them. Each mode runs

    gxaudit audit DIR --isolated --format json --output F --no-progress (--jobs N | --dask local:N)

as a separate process. CPU is user + system of every process of the run: from
os.wait4 on the client (its reaped descendants included: the Dask workers, the
audit processes under them), and, as a check, from /proc sampled every 0.1 s
over the whole process tree (a process's last tenth of a second is missed).
The client's peak memory is its own VmHWM (the Dask scheduler and nannies of
local:N live in it). The two JSON outputs must be the same bytes. The machine
is shared: the load average is printed before and after each run; CPU seconds
are the stable figure, wall time is not.

Measured (10,000 reports, 2 shared cores, load 3.0 -> 2.7; benchmarks/README.md):

    --jobs 2         wall 29.2 s  342.2 reports/s  CPU 56.6 s (5.66 ms/report)  client peak 53.6 MB
    --dask local:2   wall 33.2 s  301.5 reports/s  CPU 62.3 s (6.23 ms/report)  client peak 83.9 MB
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import status_kb  # this folder

HERE = Path(__file__).resolve().parent
TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def _tree(pid: int) -> list[tuple[int, int]]:
    """(pid, depth) of the process and its descendants (depth 0: the process itself)."""
    found: list[tuple[int, int]] = []
    todo = [(pid, 0)]
    while todo:
        current, depth = todo.pop()
        found.append((current, depth))
        # every thread's children: Dask starts its workers from its event loop's thread,
        # and a worker its audit processes from a lane's thread
        try:
            threads = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for thread in threads:
            try:
                with open(f"/proc/{current}/task/{thread}/children") as handle:
                    todo.extend((int(p), depth + 1) for p in handle.read().split())
            except OSError:
                pass
    return found


def generate(folder: Path, count: int) -> None:
    if folder.is_dir() and len(list(folder.glob("*.txt"))) >= count:
        return
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            str(folder),
            "--count",
            str(count),
            "--seed",
            "1",
            "--shapes",
            "text",
        ],
        check=True,
    )


def measure(folder: Path, output: Path, mode: list[str]) -> dict:
    argv = [
        sys.executable,
        "-m",
        "gxaudit",
        "audit",
        str(folder),
        "--isolated",
        "--format",
        "json",
        "--output",
        str(output),
        "--no-progress",
        *mode,
    ]
    load_before = os.getloadavg()
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    client_peak = 0
    sampled: dict[int, float] = {}  # pid -> CPU seconds last seen
    depths: dict[int, int] = {}
    while True:
        finished, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if finished:
            break
        client_peak = max(client_peak, status_kb(proc.pid, "VmHWM"))
        for pid, depth in _tree(proc.pid):
            seconds = _cpu_seconds(pid)
            if seconds is not None:
                sampled[pid] = max(sampled.get(pid, 0.0), seconds)
                depths[pid] = depth
        time.sleep(0.1)
    wall = time.monotonic() - started
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    return {
        "code": os.waitstatus_to_exitcode(status),
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "cpu_sampled": sum(sampled.values()),
        "processes": len(sampled),
        # CPU by depth: the client; its children (--jobs workers, or the Dask workers);
        # their children (the audit processes under Dask)
        "by_depth": [sum(c for p, c in sampled.items() if depths[p] == d) for d in range(3)],
        "client_mb": client_peak / 1024,
        "load": (load_before, os.getloadavg()),
        "stderr": stderr.strip().splitlines()[-3:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "gxaudit-bench-dask")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the JSON outputs")
    args = parser.parse_args()
    generate(args.data, args.count)
    count = len(list(args.data.glob("*.txt")))
    outputs = []
    for name, mode in (
        (f"--jobs {args.workers}", ["--jobs", str(args.workers)]),
        (f"--dask local:{args.workers}", ["--dask", f"local:{args.workers}"]),
    ):
        output = Path(tempfile.gettempdir()) / f"gxaudit-bench-dask-{mode[0].strip('-')}.json"
        outputs.append(output)
        r = measure(args.data, output, mode)
        (l1, _, _), (l2, _, _) = r["load"]
        print(
            f"{name:<16} {count} reports  exit {r['code']}  wall {r['wall']:6.1f} s  "
            f"{count / r['wall']:6.1f} reports/s  CPU {r['cpu']:6.1f} s ({1000 * r['cpu'] / count:.2f} ms/report; "
            f"sampled {r['cpu_sampled']:.1f} s over {r['processes']} processes)  "
            f"client peak {r['client_mb']:.1f} MB  load {l1:.2f} -> {l2:.2f}",
            flush=True,
        )
        client, children, grandchildren = r["by_depth"]
        print(
            f"{'':<16} CPU sampled by process: client {client:.1f} s, its children {children:.1f} s, "
            f"theirs {grandchildren:.1f} s",
            flush=True,
        )
        if r["code"] not in (0, 1):
            print("   stderr:", *r["stderr"], sep="\n   ")
    same = filecmp.cmp(outputs[0], outputs[1], shallow=False)
    print(f"JSON outputs the same bytes: {same}")
    if not args.keep:
        for output in outputs:
            output.unlink(missing_ok=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
