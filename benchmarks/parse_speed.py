"""Parse time per report: median over the sample reports (and any files given).

    python benchmarks/parse_speed.py [FILES...] [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from gxaudit.parse.document import parse_file

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    files = [Path(f) for f in args.files] or sorted((REPO / "reports").glob("*.txt"))
    parse_file(files[0])                        # build the grammar once (cached)
    medians = []
    for path in files:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            parse_file(path)
            times.append(time.perf_counter() - start)
        median = statistics.median(times) * 1000
        medians.append(median)
        print(f"{path.name:45s} {path.stat().st_size:7d} B  {median:7.2f} ms")
    print(f"median parse time over {len(files)} reports: {statistics.median(medians):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
