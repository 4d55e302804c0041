"""Facts per second of both engines on 1,000 reports x 200 facts.

    .venv/bin/python benchmarks/engine_speed.py [--reports N] [--facts N] [--seed N]

The rules imitate the project's checks: equations (a total against the sum
of 2-6 cells, with and without a tolerance), comparisons of two cells, flags
and constants, presence (Present/Missing), membership lists.  About 5% of the facts
violate their rule.  Both engines must return the same matches; the script
checks that and prints facts/s, reports/s and matches for each.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gxaudit.engine import CompiledRule, make_engine  # noqa: E402
from gxaudit.engine import model as M  # noqa: E402


def build_rules(rnd: random.Random) -> list[tuple[CompiledRule, str]]:
    """(rule, kind) pairs; kind says how facts for it are generated."""
    rules = []
    for i in range(30):  # equations: total != v1 + ... + vn
        n = rnd.randint(2, 6)
        total = M.prop("v1")
        for k in range(2, n + 1):
            total = M.add(total, M.prop(f"v{k}"))
        if i % 3 == 0:  # with a tolerance: |v0 - sum| > 0.5
            cond = M.any_of(M.lt("v0", M.sub(total, 0.5)), M.gt("v0", M.add(total, 0.5)))
        else:
            cond = M.ne("v0", total)
        rules.append((CompiledRule(f"eq{i}@2021", cond), f"eq:{n}"))
    for i in range(10):  # two cells: processed must not exceed received
        rules.append((CompiledRule(f"le{i}", M.gt("processed", M.prop("received"))), "le"))
    for i in range(10):  # flags and constants
        rules.append((CompiledRule(f"flag{i}", M.any_of(M.eq("present", False), M.ne("kind", "integer"))), "flag"))
    for i in range(5):  # presence
        rules.append((CompiledRule(f"ex{i}", M.all_of(M.present("expected"), M.missing("found"))), "ex"))
    for i in range(5):  # year mentions: delta outside a list
        rules.append((CompiledRule(f"year{i}", M.all_of(M.ne("delta", 0), M.ne("delta", 1), M.ne("delta", -1))), "year"))
    return rules


def make_fact(rnd: random.Random, rule: CompiledRule, kind: str, fid: str, bad: bool) -> dict:
    fact: dict = {"rule": rule.rule_id, "id": fid, "line": rnd.randint(1, 400)}
    if kind.startswith("eq:"):
        n = int(kind[3:])
        cells = [rnd.choice([rnd.randint(0, 500), round(rnd.uniform(0, 500), 2)]) for _ in range(n)]
        for k, v in enumerate(cells, 1):
            fact[f"v{k}"] = v
        total = sum(cells)
        fact["v0"] = total + (rnd.choice([-3, 7]) if bad else 0)
        fact["table"], fact["row"] = "表三", f"行{rnd.randint(1, 30)}"
    elif kind == "le":
        received = rnd.randint(0, 1000)
        fact["received"] = received
        fact["processed"] = received + 5 if bad else rnd.randint(0, received)
    elif kind == "flag":
        fact["present"] = not bad
        fact["kind"] = "integer"
        fact["value"] = "123"
    elif kind == "ex":
        fact["expected"] = "一、总体情况"
        if not bad:
            fact["found"] = "一、总体情况"
    else:
        fact["year"] = 2021
        fact["delta"] = 3 if bad else rnd.choice([0, 1, -1])
    return fact


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--facts", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    rnd = random.Random(args.seed)
    pairs = build_rules(rnd)
    rules = [r for r, _ in pairs]
    reports = []
    for r in range(args.reports):
        facts = []
        for k in range(args.facts):
            rule, kind = rnd.choice(pairs)
            facts.append(make_fact(rnd, rule, kind, f"{rule.rule_id}#{k}", rnd.random() < 0.05))
        reports.append(facts)
    n_facts = args.reports * args.facts

    results = {}
    for name in ("reference", "durable"):
        t0 = time.perf_counter()
        engine = make_engine(name, rules)
        setup = time.perf_counter() - t0
        t0 = time.perf_counter()
        out = [engine.evaluate(f"report{i}", facts) for i, facts in enumerate(reports)]
        elapsed = time.perf_counter() - t0
        results[name] = out
        matches = sum(len(m) for m in out)
        print(
            f"{name:9s}  {n_facts / elapsed:>11,.0f} facts/s  {args.reports / elapsed:>9,.1f} reports/s"
            f"  {elapsed:6.2f} s  matches {matches:,}  (setup {setup * 1000:.0f} ms)"
        )
    if results["reference"] != results["durable"]:
        bad = sum(a != b for a, b in zip(results["reference"], results["durable"]))
        print(f"MISMATCH: {bad} reports differ between the engines")
        return 1
    print(f"engines agree on all {args.reports} reports ({n_facts:,} facts, {len(rules)} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
