"""Fuzz soak (issue 11): thousands of random mutations of the seeds through the CLI.

The same generators and the same judge as tests/fuzz (tests/fuzz/generators.py,
tests/fuzz/harness.py), with many more random cases: byte-level mutations of
every input shape in audit batches and single parses, the issue's
structural shapes at random sizes, randomly grown rule expressions, and
(unless --no-catalogue) the fixed catalogue of issue 11's classes first.
Each case runs `python -m gxaudit …` under the harness's wall-time and
memory limits, `--jobs` at a time, until --count cases or --minutes have
passed. Prints a table of classes × outcomes and the distinct failure
signatures (with a case to replay each: --seed and the case id).

    python benchmarks/fuzz_soak.py --minutes 5 --jobs 2
    python benchmarks/fuzz_soak.py --count 3000 --seed 7 --minutes 30 --keep /tmp/soak
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzz import generators, harness

OUTCOMES = ("exit 0", "exit 1", "exit 2", "traceback", "timeout", "memory", "signal", "other")


def signature(outcome: harness.Outcome, found: list[str]) -> str:
    """A failure, with paths, large numbers and case tokens taken out: equal failures group together."""
    if outcome.timed_out:
        text = "no exit within the wall limit"
    elif harness.TRACEBACK in outcome.err:
        text = "traceback: " + harness.last_error_line(outcome)
    else:
        text = "; ".join(found[:2])
    text = re.sub(r"(/[^\s:'\"]+)+", "<path>", text)
    text = re.sub(r"\b\.?[A-Z]\d*_\S*", "<file>", text)
    text = re.sub(r"0x[0-9a-f]+|\d{3,}", "N", text)  # keep exit codes, errno, utf-8, int64
    command = next((a for a in outcome.invocation.argv if isinstance(a, str) and not a.startswith("-")), "?")
    if command == "rules":
        command = "rules validate"
    return f"{command}: {text[:160]}"


def outcome_column(outcome: harness.Outcome) -> str:
    kind = harness.outcome_kind(outcome)
    if kind.startswith("signal"):
        return "signal"
    return kind if kind in OUTCOMES else "other"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=3000, help="random cases to generate (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random cases (default 1)")
    parser.add_argument("--jobs", type=int, default=2, help="CLI runs at once (default 2)")
    parser.add_argument(
        "--minutes", type=float, default=5.0, help="stop starting cases after this (default 5)"
    )
    parser.add_argument(
        "--wall", type=float, default=harness.WALL_LIMIT, help="seconds per run before it is killed"
    )
    parser.add_argument(
        "--no-catalogue", action="store_true", help="only random cases, not issue 11's catalogue"
    )
    parser.add_argument("--keep", metavar="DIR", help="keep the work folders of failing cases here")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.count < 0 or args.minutes <= 0:
        parser.error("--jobs must be >= 1, --count >= 0, --minutes > 0")

    cases = [] if args.no_catalogue else generators.catalogue()
    cases += generators.mutation_cases(args.seed, args.count)
    cases = [c for c in cases if harness.missing_requirement(c.needs) is None]
    root = Path(tempfile.mkdtemp(prefix="gxaudit-soak-"))
    keep = Path(args.keep) if args.keep else None
    lock = threading.Lock()
    table: dict[str, Counter] = defaultdict(Counter)
    signatures: dict[str, list] = {}
    ran = failed = inputs = 0
    cpu_total = 0.0
    deadline = time.monotonic() + args.minutes * 60
    started = time.monotonic()
    cpu_start = os.times()

    def one(case: generators.Case) -> None:
        nonlocal ran, failed, cpu_total, inputs
        work = root / case.id.replace("/", "__")
        invocation = generators.prepare(case, work)
        invocation.wall = min(invocation.wall, args.wall)
        laid_out = sum(len(files) for _dir, _subdirs, files in os.walk(work))
        outcome = harness.run(invocation)
        found = harness.problems(outcome)
        with lock:
            ran += 1
            inputs += laid_out
            cpu_total += outcome.cpu
            table[case.klass][outcome_column(outcome)] += 1
            table[case.klass]["contract broken"] += bool(found)
            if found:
                failed += 1
                sig = signature(outcome, found)
                entry = signatures.setdefault(sig, [0, case.id, set()])
                entry[0] += 1
                entry[2].add(case.klass)
                if keep is not None and entry[0] == 1:
                    shutil.copytree(
                        work, keep / case.id.replace("/", "__"), symlinks=True, dirs_exist_ok=True
                    )
        shutil.rmtree(work, ignore_errors=True)

    pending = iter(cases)
    with ThreadPoolExecutor(args.jobs) as pool:
        running = set()
        while True:
            while len(running) < args.jobs and time.monotonic() < deadline:
                case = next(pending, None)
                if case is None:
                    break
                running.add(pool.submit(one, case))
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                future.result()
    shutil.rmtree(root, ignore_errors=True)

    wall = time.monotonic() - started
    own = os.times()
    print(
        f"\n{ran} cases ({inputs} generated files; seed {args.seed}, {args.jobs} at a time) in {wall:.0f} s wall; "
        f"CPU of the CLI runs {cpu_total:.0f} s, of this script "
        f"{own.user - cpu_start.user + own.system - cpu_start.system:.0f} s; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    columns = [*OUTCOMES, "contract broken"]
    columns = [c for c in columns if any(table[k][c] for k in table)]
    print()
    print("| class | cases | " + " | ".join(columns) + " |")
    print("|---|---:|" + "---:|" * len(columns))
    for klass in sorted(table):
        row = table[klass]
        total = sum(row[c] for c in OUTCOMES)
        print(f"| {klass} | {total} | " + " | ".join(str(row[c] or "") for c in columns) + " |")
    print(f"\n{len(signatures)} distinct failure signatures ({failed} failing cases):\n")
    print("| count | classes | signature | first case |")
    print("|---:|---|---|---|")
    for sig, (count, case_id, classes) in sorted(signatures.items(), key=lambda kv: (-kv[1][0], kv[0])):
        print(f"| {count} | {', '.join(sorted(classes))} | {sig.replace('|', '/')} | {case_id} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
