"""Time of the reading adapters (bytes -> report text), on real reports and on floods.

    python benchmarks/adapter_speed.py [--repeat N] [--no-floods] [--cap SECONDS]

Part 1, the corpus: every HTML, Markdown and PDF report of <shared>/corpus,
and the seeds written as .docx and as HTML (with the tests' own converters),
timed through `gxaudit.read.files.read_report_text` (the adapter only; the
parser is not counted). Median wall and CPU milliseconds over --repeat runs.

Part 2, floods (issue 11): inputs built here that made the adapters slow or
hungry, each run once in a child process under a time cap (--cap) and a
2 GB address-space limit, so a quadratic or exploding case is reported, not
endured. Outcome: ok (text produced), the InputError's reason, or the cap /
memory limit hit.

<shared> is $GXAUDIT_SHARED, else ../shared next to the repo. Prints the load
average: the machine is shared, so figures are comparable only at similar load.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
SHARED = Path(os.environ.get("GXAUDIT_SHARED", REPO.parent / "shared"))

from gxaudit.read.files import read_report_text  # noqa: E402

MEMORY_LIMIT = 2 * 1024**3


# ----------------------------------------------------------------- the corpus


def corpus_files(tmp: Path) -> list[Path]:
    files = [
        p
        for p in sorted((SHARED / "corpus").iterdir())
        if p.suffix in (".html", ".md", ".pdf") and p.name != "README.md"
    ]
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    try:
        from test_docx_adapter import text_to_docx
    except Exception:  # python-docx or pytest missing: no .docx rows
        text_to_docx = None
    from test_html_adapter import seed_as_html

    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        if text_to_docx is not None:
            target = tmp / f"{seed.stem}.docx"
            target.write_bytes(text_to_docx(text, merge=True))
            files.append(target)
        target = tmp / f"{seed.stem}.html"
        target.write_text(seed_as_html(text), encoding="utf-8")
        files.append(target)
    return files


def time_file(path: Path, repeat: int) -> tuple[float, float]:
    read_report_text(path)  # warm: imports, grammar caches
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        read_report_text(path)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


# -------------------------------------------------------------------- floods


def flood_markdown_pipes() -> bytes:
    return b"# t\n" + b"|" * (1024 * 1024)


def flood_markdown_pipes_after_table() -> bytes:
    return b"# t\n|a|b|\n|---|---|\n" + b"|" * (1024 * 1024)


def flood_markdown_pipe_lines() -> bytes:
    return b"|\n" * (512 * 1024)


def flood_markdown_bar_space() -> bytes:
    return b"| " * (512 * 1024)


def flood_markdown_columns() -> bytes:
    n = 10_000
    header = "|" + "c|" * n + "\n"
    rule = "|" + "---|" * n + "\n"
    row = "|" + "1|" * n + "\n"
    return ("# 标题\n\n" + header + rule + row * 20).encode()


def flood_html_spans() -> bytes:
    cells = '<td colspan="100" rowspan="100">1</td>' * 100
    return ("<html><body><table>" + f"<tr>{cells}</tr>" * 100 + "</table></body></html>").encode()


def flood_html_nesting() -> bytes:
    return ("<html><body>" + "<table><tr><td>" * 5000 + "x" + "</td></tr></table>" * 5000).encode()


def flood_docx_gridspan() -> bytes:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    table = document.add_table(rows=60, cols=60)
    for row in table.rows:
        for tc in row._tr.tc_lst:
            props = tc.get_or_add_tcPr()
            span = props.makeelement(qn("w:gridSpan"), {qn("w:val"): "1000"})
            props.append(span)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def flood_pdf_pages(pages: int = 399) -> bytes:
    """Pages of prose lines and a ruled 20 x 8 table of numbers, one shared font."""
    import zlib

    content = [b"BT /F1 10 Tf"]
    content += [
        b"1 0 0 1 60 %d Tm (Line %d of the prose on this page, words words words.) Tj" % (800 - 14 * i, i)
        for i in range(20)
    ]
    xs = [60 + 60 * i for i in range(9)]
    ys = [500 - 20 * i for i in range(21)]
    content += [b"1 0 0 1 %d %d Tm (%d) Tj" % (x + 5, y - 15, (x * y) % 97) for x in xs[:-1] for y in ys[:-1]]
    content.append(b"ET 0.8 w")
    content += [b"%d %d m %d %d l S" % (xs[0], y, xs[-1], y) for y in ys]
    content += [b"%d %d m %d %d l S" % (x, ys[0], x, ys[-1]) for x in xs]
    packed = zlib.compress(b" ".join(content))
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream,
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents 4 0 R >>"
    ] * pages
    return _pdf(objects)


FLOODS = {
    "markdown: 1 MB of '|'": (flood_markdown_pipes, ".md"),
    "markdown: 1 MB of '|' after a table": (flood_markdown_pipes_after_table, ".md"),
    "markdown: 512 Ki lines of '|'": (flood_markdown_pipe_lines, ".md"),
    "markdown: 1 MB of '| '": (flood_markdown_bar_space, ".md"),
    "markdown: 10,000 columns x 20 rows": (flood_markdown_columns, ".md"),
    "html: 100x100 cells, colspan=rowspan=100": (flood_html_spans, ".html"),
    "html: tables nested 5,000 deep": (flood_html_nesting, ".html"),
    "docx: 60x60 cells, gridSpan=1000": (flood_docx_gridspan, ".docx"),
    "pdf: 399 pages of prose and a ruled table": (flood_pdf_pages, ".pdf"),
}

CHILD = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from gxaudit.read.files import read_report_text
from gxaudit.parse.document import parse_document
from gxaudit.errors import GxauditError
wall = time.perf_counter()
read = "-"
try:
    text, _encoding, kind = read_report_text(sys.argv[1])
    read = f"{{time.perf_counter() - wall:.2f}}"
    parse_document(text, sys.argv[1], kind)
    outcome = f"parsed ({{len(text)}} chars of text)"
except GxauditError as exc:
    outcome = "refused: " + str(exc).split(": ", 1)[-1]
except MemoryError:
    outcome = "MemoryError"
print(f"{{read}}\\t{{time.perf_counter() - wall:.2f}}\\t{{time.process_time():.2f}}\\t{{outcome}}")
"""


def run_flood(path: Path, cap: float) -> tuple[str, str, str, str]:
    code = CHILD.format(limit=MEMORY_LIMIT)
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=cap
        )
    except subprocess.TimeoutExpired:
        return "-", f">{cap:.0f}", "-", f"still running after {cap:.0f} s (stopped)"
    if done.returncode != 0 or not done.stdout.strip():
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return "-", "-", "-", f"crashed (exit {done.returncode}): {last[:80]}"
    read, wall, cpu, outcome = done.stdout.strip().split("\t", 3)
    return read, wall, cpu, outcome


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cap", type=float, default=60.0, help="seconds per flood")
    parser.add_argument("--no-floods", action="store_true")
    args = parser.parse_args()
    import tempfile

    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        files = corpus_files(tmp_path)
        print(f"\n{'file':50s} {'bytes':>9s} {'wall ms':>9s} {'cpu ms':>9s}")
        by_kind: dict[str, list[float]] = {}
        for path in files:
            wall, cpu = time_file(path, args.repeat)
            by_kind.setdefault(path.suffix, []).append(wall)
            print(f"{path.name:50s} {path.stat().st_size:9d} {wall:9.1f} {cpu:9.1f}")
        print()
        for kind, walls in by_kind.items():
            print(f"median {kind:6s} {statistics.median(walls):8.1f} ms over {len(walls)} files")
        if not args.no_floods:
            print(f"\nfloods (one run each, cap {args.cap:.0f} s, address space {MEMORY_LIMIT >> 30} GB)")
            print(
                "read: adapter wall s; parse: read + parse wall s; cpu: the child's CPU s (imports included)"
            )
            print(f"{'input':45s} {'bytes':>9s} {'read':>6s} {'parse':>6s} {'cpu':>6s}  outcome")
            for name, (build, suffix) in FLOODS.items():
                try:
                    data = build()
                except Exception as exc:  # a generator's library missing
                    print(f"{name:45s} not built: {exc}")
                    continue
                path = tmp_path / f"flood{suffix}"
                path.write_bytes(data)
                read, wall, cpu, outcome = run_flood(path, args.cap)
                print(f"{name:45s} {len(data):9d} {read:>6s} {wall:>6s} {cpu:>6s}  {outcome}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"\nthis process: {usage.ru_utime + usage.ru_stime:.1f} s CPU; load average after: "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
