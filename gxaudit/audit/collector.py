"""Python's cyclic garbage collector in a process that audits report after report.

The Auditor (rules, formats, grammar, engine: a few hundred thousand objects)
lives as long as the process; each report makes tens of thousands of
short-lived ones. With the default thresholds the collector ran about three
times a report and walked the Auditor's objects each time it reached the
older generations (measured 0.35 ms a report, benchmarks/SPEED-PLAN.md).
`settle()` moves what exists once the Auditor is built out of the collector's
sight (gc.freeze) and lets the youngest generation grow to 10,000 objects
before a collection (thresholds tried: 10,000/10/10 was the fastest).

Called by the processes that audit (the CLI's, the batch's workers), never by
library code: it changes the whole process (the CLI releases it when done).
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 10_000


def settle() -> tuple[int, int, int]:
    """Freeze what exists now (call it once the Auditor is built) and collect less often.

    Returns the thresholds before, for `release`.
    """
    before = gc.get_threshold()
    gc.collect()  # what is garbage now is not kept for ever by the freeze
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, before[1], before[2])
    return before


def release(before: tuple[int, int, int]) -> None:
    """Undo `settle` (a caller that goes on running: the CLI called in-process)."""
    gc.unfreeze()
    gc.set_threshold(*before)
