"""Instructions a report, counted by callgrind: what a worker's audit and the floor cost
whatever the host's speed at the minute.

    python benchmarks/instructions.py DIR [--warm 200] [--count 100] [--engine durable]
                                          [--what worker,floor]

On a shared machine the CPU seconds of floor.py and audit_speed.py swing by 30-70 %
from one minute to the next for the same code. The instructions of the same code on
the same files do not: they say whether a change made the work smaller, and by how
much, and the ratio audit / floor that the work itself gives (the CPU ratio of
floor.py is larger: the audit's Python objects run at fewer instructions a cycle than
the floor's regular expressions, and two workers on two vCPUs slow each other).

For each of `worker` and `floor` there are two runs, under `valgrind --tool=callgrind`,
of a child process of this script: one over the first WARM files of DIR (report files
made by benchmarks/generate.py, sorted by name, as floor.py takes them), one over the
first WARM + COUNT. The difference, divided by COUNT, is the instructions a report:
start-up and the first reports' warm-up (patterns compiled on first use, caches
filling) are left out.

- worker: what a worker of `gxaudit audit` does (audit/batch/pool.py), as
  common.batch_worker sets it up (the batch's default settings, the per-file time limit
  armed; the rule cache is off, so that both runs compile the rules alike), then
  audit() of each file in turn.
- floor: floor.py's regex-only pass (read_report) over the same files.

PYTHONHASHSEED=0 makes the counts repeat (the order of sets). The parent of a batch
(results received, the spill, the outputs) is not counted: how many results it takes
at each wake-up depends on timing, so its count would not repeat. Nothing is asserted:
this is a measurement. valgrind must be installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WHAT = ("worker", "floor")


def _child(what: str, directory: Path, count: int, engine: str) -> None:
    """The work counted: `what` over the first `count` files of `directory`."""
    from floor import RowLabels, read_report, report_files  # this folder

    files = report_files(directory, None)[:count]
    if what == "floor":
        labels = RowLabels()
        for path in files:
            read_report(path, labels)
        print(f"floor read {len(files)} files")
        return
    from common import batch_worker

    state = batch_worker(engine)
    for index, path in enumerate(files):
        state.audit(index, path)
    print(f"worker audited {len(files)} files")


def total_instructions(callgrind_out: str) -> int:
    """The program's total instructions in a callgrind output file ("summary:" or "totals:")."""
    with open(callgrind_out, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise ValueError(f"{callgrind_out}: no summary line (did valgrind run to the end?)")


def count_instructions(what: str, directory: Path, files: int, engine: str) -> int:
    """The instructions of one child process doing `what` over the first `files` files."""
    with tempfile.TemporaryDirectory(prefix="gxaudit-instructions-") as scratch:
        out = os.path.join(scratch, "callgrind.out")
        env = dict(os.environ, PYTHONHASHSEED="0", GXAUDIT_CACHE_DIR="off")
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            what,
            str(directory),
            "--files",
            str(files),
            "--engine",
            engine,
        ]
        run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            tail = "\n".join(run.stderr.strip().splitlines()[-5:])
            raise RuntimeError(f"{what} over {files} files exited {run.returncode}:\n{tail}")
        return total_instructions(out)


def per_report(what: str, directory: Path, warm: int, count: int, engine: str) -> float:
    """Instructions a report of `what`: (warm + count files) - (warm files), over count."""
    before = count_instructions(what, directory, warm, engine)
    after = count_instructions(what, directory, warm + count, engine)
    return (after - before) / count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="reports made by benchmarks/generate.py (text shape)")
    parser.add_argument("--warm", type=int, default=200, help="files before the counted ones (default 200)")
    parser.add_argument("--count", type=int, default=100, help="files counted (default 100)")
    parser.add_argument("--engine", default="durable", choices=("durable", "reference"))
    parser.add_argument("--what", default=",".join(WHAT), help="worker, floor or both (default both)")
    parser.add_argument("--child", choices=WHAT, help=argparse.SUPPRESS)  # the work counted
    parser.add_argument("--files", type=int, default=0, help=argparse.SUPPRESS)  # the child's files
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.directory, args.files, args.engine)
        return 0
    chosen = [w.strip() for w in args.what.split(",") if w.strip()]
    unknown = [w for w in chosen if w not in WHAT]
    if unknown or not chosen:
        parser.error(f"--what: {', '.join(unknown) or 'nothing'} (worker, floor)")
    if args.warm < 0 or args.count < 1:
        parser.error("--warm must be 0 or more and --count 1 or more")
    if shutil.which("valgrind") is None:
        print("instructions.py: valgrind is not installed (apt install valgrind)", file=sys.stderr)
        return 2
    from floor import report_files  # this folder

    found = len(report_files(args.directory, None))
    if found < args.warm + args.count:
        print(
            f"instructions.py: {args.directory} has {found} report files, "
            f"fewer than --warm {args.warm} + --count {args.count}",
            file=sys.stderr,
        )
        return 2
    print(f"{args.directory}: {args.count} reports counted after {args.warm}; engine {args.engine}")
    results: dict[str, float] = {}
    for what in chosen:
        results[what] = per_report(what, args.directory, args.warm, args.count, args.engine)
        print(f"{what:>6}: {results[what] / 1e6:8.3f} M instructions/report")
    if len(results) == 2:
        print(f" ratio: worker / floor {results['worker'] / results['floor']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
