"""Render the HTML audit report and photograph it with headless Chromium, for a person to look at.

    python benchmarks/html_screenshot.py [PATHS...] [--out out] [--window 1400,2000]
                                         [--focus report-8] [--jobs N]

Audits PATHS (default: reports/ and ../shared/corpus, or $GXAUDIT_SHARED/corpus)
with the built-in rules, writes OUT/report.html and OUT/report.png (the top of
the page: header, ranking, score distribution, heat map). With --focus ANCHOR
it also writes OUT/ANCHOR.png showing only that report's drill-down
(from a copy of the page with one extra inline style hiding the rest, since
headless Chromium does not paint a page scrolled to a #fragment).

Needs /usr/bin/chromium (Debian: apt-get install chromium; fonts-noto-cjk for
the Chinese text). Chromium runs with networking features disabled and a
throwaway profile; the page itself loads nothing (its CSP forbids it).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gxaudit.audit.ranking import rank
from gxaudit.audit.batch import AuditSetup, run_batch
from gxaudit.cli import collect_inputs
from gxaudit.report.files import write_atomic
from gxaudit.report.html import render_html
from gxaudit.rules.load import builtin_rules_dir, load_rules

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GXAUDIT_SHARED", REPO.parent / "shared"))


def chromium(binary: str, page: Path, shot: Path, window: str) -> None:
    with tempfile.TemporaryDirectory(prefix="gxaudit-chromium-") as profile:
        command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                   "--no-first-run", "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
                   f"--screenshot={shot}", f"--window-size={window}", page.resolve().as_uri()]
        done = subprocess.run(command, capture_output=True, timeout=180, check=False)
    if done.returncode != 0 or not shot.exists():
        sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
        raise SystemExit(f"chromium failed ({done.returncode})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--out", default=str(REPO / "out"))
    parser.add_argument("--window", default="1400,2000", help="W,H in pixels")
    parser.add_argument("--focus", metavar="ANCHOR", help="also photograph this report (e.g. report-8)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()

    paths = args.paths or [str(REPO / "reports"), str(SHARED / "corpus")]
    inputs = collect_inputs([p for p in paths if Path(p).exists()])
    if not inputs:
        raise SystemExit("no report files found")
    rules, version = load_rules([builtin_rules_dir()])
    setup = AuditSetup(rule_dirs=(str(builtin_rules_dir()),), scoring_path=None,
                       engine="durable", keep_source=True)
    start = time.perf_counter()
    results = rank(run_batch(inputs, setup, jobs=args.jobs, progress=False))
    audited = time.perf_counter() - start
    start = time.perf_counter()
    page = render_html(results, rules, version)
    rendered = time.perf_counter() - start

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    html_path, png_path = out / "report.html", out / "report.png"
    write_atomic(html_path, page)
    print(f"{len(results)} reports audited in {audited:.2f} s, rendered in {rendered * 1000:.0f} ms: "
          f"{html_path} ({len(page.encode('utf-8')) / 1024:.0f} KiB)")
    if not Path(args.chromium).exists():
        print(f"no chromium at {args.chromium}: screenshot skipped", file=sys.stderr)
        return 1
    chromium(args.chromium, html_path, png_path, args.window)
    print(f"screenshot: {png_path}")
    if args.focus:
        if not re.fullmatch(r"report-\d+", args.focus) or f'id="{args.focus}"' not in page:
            raise SystemExit(f"no element with id {args.focus!r} in the page")
        hide = ('<style>.page-head,.toc,#ranking,#distribution,#heatmap,.controls{display:none}'
                f'article.report:not(#{args.focus}){{display:none}}</style></head>')
        focus_html = out / f"{args.focus}.html"
        write_atomic(focus_html, page.replace("</head>", hide, 1))
        focus_png = out / f"{args.focus}.png"
        chromium(args.chromium, focus_html, focus_png, args.window)
        print(f"screenshot: {focus_png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
