"""Where the CPU of an audit goes, by stage, from a py-spy sample profile.

    python benchmarks/profile_stages.py run DIR [--limit N] [--engine durable] [--rate 250]
    python benchmarks/profile_stages.py parent DIR [--jobs 2] [--rate 250]
    python benchmarks/profile_stages.py classify RAW [RAW...]

`run` audits the files of DIR in ONE process (`gxaudit audit DIR --jobs 1
--format json --output FILE`) under `py-spy record --format raw` and prints
the share and CPU ms per report of each stage: read, parse (scan, headings,
cell classification, label matching, tables), facts per check kind, engine
(check_facts, building the fact dicts, JSON encoding, the C assert_fact,
actions, state), findings, scoring, output, start-up. It also runs the same
audit in-process once with gc.callbacks to time the cyclic garbage collector
(py-spy cannot see it: its time lands on whatever frame allocated).

`parent` samples only the parent of a `--jobs N` run, leaving out the samples
of threads that wait, and reads the parent's own CPU from /proc: receiving
and unpickling results, cross-year pairing, ranking, rendering and writing
the JSON.

A sample is put in the stage of the DEEPEST frame a rule below names;
library frames (json, pyparsing, re) count for the gxaudit frame that called
them. For the engine's own loop the source line decides (assert_fact,
do_actions, the JSON encoder call). py-spy is an optional tool
(`pip install py-spy`); it samples at --rate Hz with little overhead.
"""
from __future__ import annotations

import argparse
import collections
import gc
import linecache
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# (path suffix, function name or "" for any) -> stage; the deepest match wins
RULES: list[tuple[str, str, str]] = [
    ("<frozen importlib._bootstrap>", "_find_and_load", "start-up: imports"),
    ("gxaudit/rules/load.py", "", "start-up: rules (YAML, schema)"),
    ("gxaudit/rules/compile.py", "", "start-up: compile rules"),
    ("gxaudit/rules/expr.py", "parse", "start-up: compile rules"),
    ("gxaudit/formats/load.py", "load_formats", "start-up: formats"),
    ("gxaudit/engine/durable/engine.py", "_Registered.__init__", "start-up: durable ruleset"),
    ("gxaudit/audit/batch/setup.py", "AuditSetup.build", "start-up: other"),
    ("gxaudit/read/", "", "read: bytes, decode, kind"),
    ("gxaudit/parse/document.py", "", "parse: document (title, period, sections)"),
    ("gxaudit/parse/scan.py", "", "parse: scan (tokens)"),
    ("gxaudit/formats/grammar.py", "parse_heading", "parse: headings (pyparsing)"),
    ("gxaudit/parse/tables.py", "", "parse: tables"),
    ("gxaudit/formats/grammar.py", "classify_cell", "parse: classify cell (pyparsing, cached)"),
    ("gxaudit/formats/grammar.py", "match_label", "parse: tables: label matching"),
    ("gxaudit/formats/grammar.py", "statistics_period", "parse: document (title, period, sections)"),
    ("gxaudit/parse/readings.py", "", "parse: readings"),
    ("gxaudit/audit/crossyear.py", "extract_figures", "figures (for cross-year)"),
    ("gxaudit/audit/auditor.py", "facts_for", "facts: routing (flags, selectors, ids, dicts)"),
    ("gxaudit/rules/kinds/cell_rows.py", "", "facts: cells (row facts)"),
    ("gxaudit/audit/auditor.py", "_draw_rows", "facts: cells (row facts)"),
    ("pickle", "", "batch: parent (results, pool)"),
    ("gxaudit/audit/ranking.py", "", "output: rank, document"),
    ("gxaudit/audit/batch/spill.py", "", "output: spill (SQLite), rank, stream"),
    ("gxaudit/audit/batch/runner.py", "BatchRun.cross_year", "cross-year pairing"),
    ("json/encoder.py", "", "output: render, write"),
    ("gxaudit/rules/kinds/cells.py", "selected", "facts: cells (selectors)"),
    ("gxaudit/audit/auditor.py", "_selector", "facts: cells (selectors)"),
    ("gxaudit/engine/contract.py", "check_facts", "engine: check_facts"),
    ("gxaudit/engine/durable/engine.py", "DurableEngine.evaluate", "engine: session, other"),
    ("gxaudit/engine/durable/engine.py", "DurableEngine._run", "engine: session, other"),
    ("gxaudit/engine/durable/engine.py", "DurableEngine._finish", "engine: delete_state"),
    ("gxaudit/engine/durable/engine.py", "_Registered.new_sid", "engine: session, other"),
    ("gxaudit/engine/durable/engine.py", "DurableEngine._tested", "engine: build fact dicts"),
    ("gxaudit/engine/durable/engine.py", "DurableEngine._assert_all", "engine: session, other"),
    ("gxaudit/engine/durable/engine.py", "DurableEngine._remember", "engine: session, other"),
    ("gxaudit/engine/durable/jsonform.py", "", "engine: JSON encoding"),
    ("gxaudit/engine/durable/engine.py", "_action", "engine: actions"),
    ("gxaudit/engine/reference.py", "", "engine: reference evaluator"),
    ("gxaudit/audit/auditor.py", "_evaluate", "findings: locate, explain"),
    ("gxaudit/audit/findings.py", "", "findings: message, fingerprint"),
    ("gxaudit/audit/auditor.py", "finish", "scoring, waivers, order"),
    ("gxaudit/audit/scoring.py", "", "scoring, waivers, order"),
    ("gxaudit/report/", "", "output: render, write"),
    ("gxaudit/audit/batch/", "", "batch: parent (results, pool)"),
    ("gxaudit/audit/batch/work.py", "audit_guarded", "batch: per file (time limit, result)"),
    ("gxaudit/audit/batch/work.py", "compact", "batch: per file (time limit, result)"),
    ("concurrent/futures/", "", "batch: parent (results, pool)"),
    ("multiprocessing/", "", "batch: parent (results, pool)"),
]
# kinds: "facts: <kind>" for rules/kinds/<kind>.py and the narrative helpers they call
KIND_FILES = ("report", "sections", "presence", "cells", "equation", "year_mentions", "pattern",
              "readings", "cross_year", "text_figures")
# within the engine's loop, the source line says which call a sample is in
LINE_STAGES = [("assert_fact(", "engine: C assert_fact"), ("do_actions(", "engine: actions"),
               ("_json_encode(", "engine: JSON encoding"), ("get_state(", "engine: session, other"),
               ("delete_state(", "engine: delete_state")]


def source_line(path: str, line: int) -> str:
    for base in (ROOT, *[Path(p) for p in sys.path if p]):
        candidate = base / path
        if candidate.exists():
            return linecache.getline(str(candidate), line)
    return ""


def frame_stage(frame: str, deepest: bool) -> str | None:
    """The stage one py-spy frame "function (file:line)" names, if any."""
    function, _, where = frame.rpartition(" (")
    path, _, line = where.rstrip(")").rpartition(":")
    if path.startswith("gxaudit/rules/kinds/") and function.split(".")[0].startswith("check_"):
        kind = Path(path).stem
        if kind in KIND_FILES:
            return f"facts: {kind}"
    stage = None
    for suffix, name, label in RULES:
        if suffix in path and (not name or name == function or function.startswith(name + ".")
                               or function.endswith("." + name) or function.startswith(name)):
            stage = label
    if stage and stage.startswith("engine:") and line.isdigit() and "engine.py" in path:
        text = source_line(path, int(line))
        for needle, label in LINE_STAGES:
            if needle in text:
                return label
    return stage


# leaves of threads that wait (the pool's manager and feeder threads, the main
# thread waiting for a result): py-spy does not always see them as idle
WAITING = ("Condition.wait", "_PollLikeSelector.select", "select", "Event.wait", "Connection._recv",
           "_recv_bytes", "wait")


def classify(paths: list[str], skip_waiting: bool = False) -> tuple[collections.Counter, int]:
    stages: collections.Counter = collections.Counter()
    total = 0
    cache: dict[str, str | None] = {}
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for row in handle:
                stack, _, count = row.rstrip("\n").rpartition(" ")
                if not count.isdigit():
                    continue
                n = int(count)
                if skip_waiting and stack.rpartition(";")[2].split(" (")[0] in WAITING:
                    continue
                total += n
                stage = None
                for frame in stack.split(";"):       # root first: the deepest match wins
                    if frame not in cache:
                        cache[frame] = frame_stage(frame, False)
                    stage = cache[frame] or stage
                stages[stage or "other (interpreter, cli)"] += n
    return stages, total


def print_table(stages: collections.Counter, total: int, cpu_seconds: float | None, reports: int | None) -> None:
    print(f"{'stage':52} {'share':>7} {'ms/report':>10}")
    groups: collections.Counter = collections.Counter()
    for stage, n in stages.items():
        groups[stage.split(":")[0]] += n
    for stage, n in sorted(stages.items(), key=lambda kv: (-groups[kv[0].split(':')[0]], kv[0])):
        ms = f"{cpu_seconds * 1000 * n / total / reports:10.3f}" if cpu_seconds and reports else ""
        print(f"{stage:52} {100 * n / total:6.1f}% {ms}")
    print("by group: " + ", ".join(f"{g} {100 * n / total:.1f}%" for g, n in groups.most_common()))


def py_spy() -> str:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else "py-spy"


def gxaudit_command() -> list[str]:
    return [sys.executable, "-m", "gxaudit"]


def files_of(directory: Path, limit: int | None) -> list[str]:
    files = sorted(str(p) for p in directory.iterdir() if p.suffix in (".txt", ".md", ".html", ".pdf", ".docx"))
    return files[:limit] if limit else files


def linked_dir(files: list[str]) -> tempfile.TemporaryDirectory:
    temp = tempfile.TemporaryDirectory(prefix="gxaudit-prof-")
    for path in files:
        os.symlink(os.path.abspath(path), Path(temp.name) / Path(path).name)
    return temp


def gc_time(files: list[str], engine: str) -> tuple[float, int, float]:
    """(seconds in the cyclic GC, collections, total CPU s) auditing `files` in this process."""
    from common import batch_worker  # this folder

    state = batch_worker(engine)
    spent = [0.0, 0]
    started = [0.0]

    def callback(phase: str, _info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]
            spent[1] += 1

    gc.callbacks.append(callback)
    cpu = time.process_time()
    try:
        for index, path in enumerate(files):
            state.audit(index, path)
    finally:
        gc.callbacks.remove(callback)
    return spent[0], spent[1], time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("directory", type=Path)
    run.add_argument("--limit", type=int)
    run.add_argument("--engine", default="durable")
    run.add_argument("--rate", type=int, default=250)
    run.add_argument("--raw", type=Path, help="keep py-spy's raw samples here")
    parent = sub.add_parser("parent")
    parent.add_argument("directory", type=Path)
    parent.add_argument("--limit", type=int)
    parent.add_argument("--jobs", type=int, default=2)
    parent.add_argument("--rate", type=int, default=250)
    parent.add_argument("--raw", type=Path)
    cls = sub.add_parser("classify")
    cls.add_argument("raw", nargs="+")
    args = parser.parse_args(argv)

    if args.command == "classify":
        stages, total = classify(args.raw)
        print_table(stages, total, None, None)
        return 0

    files = files_of(args.directory, args.limit)
    temp = linked_dir(files) if args.limit else None
    work = Path(temp.name) if temp else args.directory
    raw = args.raw or Path(tempfile.gettempdir()) / f"gxaudit-prof-{os.getpid()}.txt"
    output = Path(tempfile.gettempdir()) / f"gxaudit-prof-{os.getpid()}.json"
    jobs = 1 if args.command == "run" else args.jobs
    engine = getattr(args, "engine", "durable")
    audit = gxaudit_command() + ["audit", str(work), "--format", "json", "--no-progress",
                                 "--jobs", str(jobs), "--engine", engine, "--output", str(output)]
    load = os.getloadavg()[0]
    try:
        if args.command == "run":
            # --subprocesses: the batch audits in a worker process even with --jobs 1
            cmd = [py_spy(), "record", "--subprocesses", "--rate", str(args.rate), "--format", "raw",
                   "--output", str(raw), "--"] + audit
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _pid, _status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
        else:
            proc = subprocess.Popen(audit, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            start = time.perf_counter()
            spy = subprocess.Popen([py_spy(), "record", "--rate", str(args.rate), "--format", "raw",
                                    "--output", str(raw), "--pid", str(proc.pid)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # the parent's own CPU (not its workers'): /proc/PID/stat utime+stime, polled to the end
            tick = os.sysconf("SC_CLK_TCK")
            parent_cpu = 0.0
            while proc.poll() is None:
                try:
                    with open(f"/proc/{proc.pid}/stat") as handle:
                        fields = handle.read().rpartition(")")[2].split()
                    parent_cpu = (int(fields[11]) + int(fields[12])) / tick
                except (OSError, IndexError, ValueError):
                    pass
                time.sleep(0.05)
            _pid, _status, usage = proc.pid, proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN)
            wall = time.perf_counter() - start
            spy.wait()
    finally:
        output.unlink(missing_ok=True)
    # py-spy's own CPU is in this rusage too for `run`; the stage shares come from the samples
    # waiting threads are left out in both: in a --jobs 1 run the parent waits while its worker audits
    stages, total = classify([str(raw)], skip_waiting=True)
    cpu = usage.ru_utime + usage.ru_stime
    print(f"{len(files)} reports, {args.command} --jobs {jobs} --engine {engine}: {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU (py-spy included for `run`), {total} samples at {args.rate} Hz; load {load:.2f}")
    if args.command == "run":
        # the audit's own CPU, without py-spy: the samples are taken only while it runs Python
        cpu = total / args.rate
        print_table(stages, total, cpu, len(files))
        spent, count, in_process = gc_time(files, engine)
        print(f"cyclic GC (in-process run, gc.callbacks): {spent:.2f} s in {count} collections = "
              f"{1000 * spent / len(files):.3f} ms/report, {100 * spent / in_process:.1f}% of "
              f"{in_process:.1f} s CPU")
    else:
        print(f"parent process: {parent_cpu:.2f} s CPU of its own (/proc; workers not included) = "
              f"{1000 * parent_cpu / len(files):.3f} ms/report; {total} samples not waiting")
        print_table(stages, total, parent_cpu, len(files))
    if temp:
        temp.cleanup()
    if not args.raw:
        raw.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
