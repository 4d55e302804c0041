"""Render the HTML audit report and photograph it with headless Chromium, for a person to look at.

    python benchmarks/html_screenshot.py [PATHS...] [--out out] [--window 1400,2000]
                                         [--units units.csv --group-by region]
                                         [--focus report-8] [--focus groups] [--jobs N]

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

from gxaudit.cli import main as gxaudit_main
from gxaudit.report.files import write_atomic

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


def focus_page(page: str, anchor: str) -> str:
    """A copy of the page showing only one report's drill-down (report-N) or one section (groups…)."""
    if re.fullmatch(r"report-\d+", anchor):
        hide = ('.page-head,.toc,#ranking,#groups,#distribution,#heatmap,.controls{display:none}'
                f'article.report:not(#{anchor}){{display:none}}')
    elif re.fullmatch(r"[a-z]+", anchor):
        hide = f".page-head,.toc{{display:none}}main>section:not(#{anchor}){{display:none}}"
    else:
        raise SystemExit(f"not an anchor: {anchor!r}")
    if f'id="{anchor}"' not in page:
        raise SystemExit(f"no element with id {anchor!r} in the page")
    return page.replace("</head>", f"<style>{hide}</style></head>", 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--out", default=str(REPO / "out"))
    parser.add_argument("--window", default="1400,2000", help="W,H in pixels")
    parser.add_argument("--focus", metavar="ANCHOR", action="append",
                        help="also photograph this report (report-8) or section (groups); repeatable")
    parser.add_argument("--units", metavar="CSV", help="units file (as gxaudit audit --units)")
    parser.add_argument("--group-by", metavar="COLUMN", help="as gxaudit audit --group-by")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()

    paths = args.paths or [str(REPO / "reports"), str(SHARED / "corpus")]
    paths = [p for p in paths if Path(p).exists()]
    if not paths:
        raise SystemExit("no report files found")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    html_path, png_path = out / "report.html", out / "report.png"
    # the page exactly as `gxaudit audit --format html` writes it
    command = ["audit", *paths, "--format", "html", "--output", str(html_path), "--no-progress",
               "--jobs", str(args.jobs)]
    if args.units:
        command += ["--units", args.units]
    if args.group_by:
        command += ["--group-by", args.group_by]
    start, cpu = time.perf_counter(), time.process_time()
    code = gxaudit_main(command)
    if code not in (0, 1):
        raise SystemExit(f"gxaudit audit failed (exit {code})")
    page = html_path.read_text(encoding="utf-8")
    print(f"audited and rendered in {time.perf_counter() - start:.2f} s "
          f"({time.process_time() - cpu:.2f} s CPU): {html_path} ({len(page.encode('utf-8')) / 1024:.0f} KiB)")
    if not Path(args.chromium).exists():
        print(f"no chromium at {args.chromium}: screenshot skipped", file=sys.stderr)
        return 1
    chromium(args.chromium, html_path, png_path, args.window)
    print(f"screenshot: {png_path}")
    for anchor in args.focus or []:
        focus_html = out / f"{anchor}.html"
        write_atomic(focus_html, focus_page(page, anchor))
        focus_png = out / f"{anchor}.png"
        chromium(args.chromium, focus_html, focus_png, args.window)
        print(f"screenshot: {focus_png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
