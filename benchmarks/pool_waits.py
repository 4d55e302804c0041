"""How long the workers of a batch wait for work, seen from the parent.

    python benchmarks/pool_waits.py DIR [--jobs 2] [--engine durable]

Runs `gxaudit audit DIR --jobs J --format json --output F --no-progress` in this
process (the parent of the batch: the workers are its children) and records, when each chunk is sent to a worker and when each result
comes back. A worker waits between chunks when it has given back the last result
of what it was sent before the next chunk is sent: the sum of those gaps, per
worker, is printed (an upper bound: the pipe's latency is in it). At the end of
the batch, a worker whose last result came back before the other's waits for it:
that difference is printed too. Nothing is asserted: this is a measurement, and the
machine's load average is printed with it (a busy machine schedules the parent
late, and the waits grow). gxaudit is imported from where Python finds it: run it as
`PYTHONPATH=CHECKOUT python CHECKOUT/benchmarks/pool_waits.py DIR` to measure a checkout.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from multiprocessing import connection
from pathlib import Path

from gxaudit.cli.app import main as gxaudit_main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engine", default="durable")
    args = parser.parse_args()

    outstanding: dict[int, int] = {}  # pipe -> files sent and not given back
    idle_since: dict[int, float] = {}  # pipe -> when it gave back its last file
    waits: dict[int, float] = {}
    last_result: dict[int, float] = {}
    send, recv = connection.Connection.send, connection.Connection.recv

    def timed_send(self, obj):
        if isinstance(obj, list):
            key = id(self)
            now = time.perf_counter()
            if key in idle_since:  # it had nothing left: it waited from then until now
                waits[key] = waits.get(key, 0.0) + now - idle_since.pop(key)
            outstanding[key] = outstanding.get(key, 0) + len(obj)
        return send(self, obj)

    def timed_recv(self):
        message = recv(self)
        if hasattr(message, "number"):  # a file's result
            key = id(self)
            now = time.perf_counter()
            outstanding[key] -= 1
            last_result[key] = now
            if outstanding[key] == 0:
                idle_since[key] = now
        return message

    connection.Connection.send = timed_send  # type: ignore[method-assign]
    connection.Connection.recv = timed_recv  # type: ignore[method-assign]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        code = gxaudit_main(
            [
                "audit",
                str(args.directory),
                "--jobs",
                str(args.jobs),
                "--engine",
                args.engine,
                "--format",
                "json",
                "--output",
                os.path.join(folder, "out.json"),
                "--no-progress",
            ]
        )
    wall = time.perf_counter() - start
    ends = sorted(last_result.values())
    print(
        f"{len(last_result)} workers; gxaudit audit exited {code}, "
        f"{wall:.1f} s wall; load average {os.getloadavg()[0]:.2f}"
    )
    for n, key in enumerate(sorted(set(waits) | set(last_result)), 1):
        print(f"worker {n}: waited {waits.get(key, 0.0):.3f} s between chunks")
    if len(ends) > 1:
        print(f"at the end: the first worker done waited {ends[-1] - ends[0]:.3f} s for the last")


if __name__ == "__main__":
    main()
