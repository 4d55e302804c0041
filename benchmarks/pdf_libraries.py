"""Which PDF library for gxaudit.adapters.pdf: correctness of the tables and time.

    python benchmarks/pdf_libraries.py [--repeat N] [--corpus DIR]

Candidates are measured two ways on the three PDF reports of the corpus
(008, 009, 010), each scored against the hand-read expectations of
tests/golden_pdf.py (every cell of tables two, three and four; title, organ,
year, format; the section list):

* "geometry": the library only supplies glyph boxes and ruling segments; the
  layout code of gxaudit.adapters.pdf (`pages_to_text`) rebuilds the tables.
  This isolates what the library reads correctly and how fast.
* "native": the library's own table finder / layout text, rendered as tab
  rows in reading order, with no page-break repair or header removal: what
  the library gives out of the box.

Time is the median wall time of PDF bytes -> report text over --repeat runs
(parsing the text is the same for all and is not counted). Libraries that are
not installed are listed as such. Install the candidates in a scratch venv:

    pip install pypdfium2 pdfplumber pymupdf pypdf
"""
from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import statistics
import sys
import time
import traceback
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from gxaudit.read import pdf as adapter  # noqa: E402
from gxaudit.parse.document import parse_text  # noqa: E402
from golden_pdf import GOLDEN  # noqa: E402

LICENCES = {
    "pypdfium2": "BSD-3-Clause / Apache-2.0 (PDFium: BSD-3)",
    "pdfplumber": "MIT (pdfminer.six: MIT)",
    "pymupdf": "AGPL-3.0 or commercial (MuPDF)",
    "pypdf": "BSD-3-Clause",
}
DEPTH = {"proactive": 3, "applications": 2, "review_litigation": 2}


# ----------------------------------------------------------------------------- backends

def geometry_pypdfium2(data: bytes, name: str) -> str:
    return adapter.pages_to_text(adapter.read_layout(data, name))


def _pdfplumber_layout(data: bytes) -> list[adapter.PageLayout]:
    import io

    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            layout = adapter.PageLayout(number, float(page.width), float(page.height))
            for c in page.chars:
                vertical = 0 if c.get("upright", True) else 1
                size = float(c["bottom"] - c["top"]) if not vertical else float(c["x1"] - c["x0"])
                layout.glyphs.append(adapter.Glyph(c["text"], float(c["x0"]), float(c["top"]),
                                                   float(c["x1"]), float(c["bottom"]), size or 1.0, vertical))
            for line in page.lines:
                x0, x1, top, bottom = (float(line[k]) for k in ("x0", "x1", "top", "bottom"))
                if bottom - top <= 1.5:
                    y = (top + bottom) / 2
                    layout.rules.append(adapter.Rule(x0, y, x1, y))
                elif x1 - x0 <= 1.5:
                    x = (x0 + x1) / 2
                    layout.rules.append(adapter.Rule(x, top, x, bottom))
            for rect in page.rects:
                x0, x1, top, bottom = (float(rect[k]) for k in ("x0", "x1", "top", "bottom"))
                w, h = x1 - x0, bottom - top
                fill = rect.get("non_stroking_color")
                white = isinstance(fill, (tuple, list)) and len(fill) in (1, 3) and min(fill) >= 0.92
                if rect.get("stroke"):
                    layout.rules += [adapter.Rule(x0, top, x1, top), adapter.Rule(x0, bottom, x1, bottom),
                                     adapter.Rule(x0, top, x0, bottom), adapter.Rule(x1, top, x1, bottom)]
                elif rect.get("fill") and not white:
                    if h <= adapter.THIN and w >= 2:
                        layout.rules.append(adapter.Rule(x0, (top + bottom) / 2, x1, (top + bottom) / 2))
                    elif w <= adapter.THIN and h >= 2:
                        layout.rules.append(adapter.Rule((x0 + x1) / 2, top, (x0 + x1) / 2, bottom))
            pages.append(layout)
    return pages


def geometry_pdfplumber(data: bytes, name: str) -> str:
    return adapter.pages_to_text(_pdfplumber_layout(data))


def _pymupdf_layout(data: bytes) -> list[adapter.PageLayout]:
    import pymupdf

    pages = []
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for number, page in enumerate(doc, start=1):
            layout = adapter.PageLayout(number, float(page.rect.width), float(page.rect.height))
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", []):
                    dx, dy = line["dir"]
                    vertical = 0 if abs(dx) >= abs(dy) else (1 if dy > 0 else -1)
                    for span in line["spans"]:
                        for ch in span["chars"]:
                            x0, y0, x1, y1 = ch["bbox"]
                            layout.glyphs.append(adapter.Glyph(ch["c"], x0, y0, x1, y1,
                                                               float(span["size"]), vertical))
            for path in page.get_drawings():
                stroke, fill = path.get("color"), path.get("fill")
                for item in path["items"]:
                    if item[0] == "l" and stroke is not None:
                        (ax, ay), (bx, by) = item[1], item[2]
                        if abs(ay - by) <= 1.0:
                            layout.rules.append(adapter.Rule(min(ax, bx), ay, max(ax, bx), ay))
                        elif abs(ax - bx) <= 1.0:
                            layout.rules.append(adapter.Rule(ax, min(ay, by), ax, max(ay, by)))
                    elif item[0] == "re":
                        r = item[1]
                        if stroke is not None:
                            layout.rules += [adapter.Rule(r.x0, r.y0, r.x1, r.y0), adapter.Rule(r.x0, r.y1, r.x1, r.y1),
                                             adapter.Rule(r.x0, r.y0, r.x0, r.y1), adapter.Rule(r.x1, r.y0, r.x1, r.y1)]
                        elif fill is not None and min(fill) < 0.92:
                            if r.height <= adapter.THIN and r.width >= 2:
                                y = (r.y0 + r.y1) / 2
                                layout.rules.append(adapter.Rule(r.x0, y, r.x1, y))
                            elif r.width <= adapter.THIN and r.height >= 2:
                                x = (r.x0 + r.x1) / 2
                                layout.rules.append(adapter.Rule(x, r.y0, x, r.y1))
            pages.append(layout)
    return pages


def geometry_pymupdf(data: bytes, name: str) -> str:
    return adapter.pages_to_text(_pymupdf_layout(data))


def _cell(text) -> str:
    text = (text or "").strip()
    if re.fullmatch(r"[\s\u3000-\u9fff\uff00-\uffef“”‘’、，。（）]+", text or "x"):
        return re.sub(r"\s+", "", text)              # Chinese broken over lines: one word
    return re.sub(r"\s+", " ", text)


def native_pdfplumber(data: bytes, name: str) -> str:
    import io

    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            items = []
            tables = page.find_tables()
            for table in tables:
                rows = ["\t".join(_cell(c) for c in row) for row in table.extract()]
                items.append((table.bbox[1], "\n".join(rows)))
            rest = page
            for table in tables:
                rest = rest.outside_bbox(table.bbox)
            for line in rest.extract_text_lines():
                items.append((line["top"], line["text"]))
            out += [text for _, text in sorted(items, key=lambda i: i[0])]
    return "\n".join(out) + "\n"


def native_pymupdf(data: bytes, name: str) -> str:
    import pymupdf

    out = []
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            items = []
            boxes = []
            for table in page.find_tables().tables:
                boxes.append(pymupdf.Rect(table.bbox))
                rows = ["\t".join(_cell(c) for c in row) for row in table.extract()]
                items.append((table.bbox[1], "\n".join(rows)))
            for x0, y0, x1, y1, text, *_ in page.get_text("blocks"):
                if any(pymupdf.Rect(x0, y0, x1, y1).intersects(b) for b in boxes):
                    continue
                items.append((y0, text.strip()))
            out += [text for _, text in sorted(items, key=lambda i: i[0])]
    return "\n".join(out) + "\n"


def native_pypdf(data: bytes, name: str) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    lines = []
    for page in reader.pages:
        for line in page.extract_text(extraction_mode="layout").splitlines():
            lines.append(re.sub(r" {2,}", "\t", line.strip()))
    return "\n".join(lines) + "\n"


CANDIDATES = [
    # (label, distribution, PDF bytes -> text, PDF bytes -> glyphs and rulings only)
    ("pypdfium2 geometry", "pypdfium2", geometry_pypdfium2, lambda d: adapter.read_layout(d, "x")),
    ("pdfplumber geometry", "pdfplumber", geometry_pdfplumber, _pdfplumber_layout),
    ("pymupdf geometry", "pymupdf", geometry_pymupdf, _pymupdf_layout),
    ("pdfplumber native", "pdfplumber", native_pdfplumber, None),
    ("pymupdf native", "pymupdf", native_pymupdf, None),
    ("pypdf native (layout)", "pypdf", native_pypdf, None),
]


# ----------------------------------------------------------------------------- scoring

def _flatten(table, depth: int, prefix=()) -> dict:
    out = {}
    for key, sub in (table or {}).items():
        path = prefix + (key,)
        if len(path) == depth:
            out[path] = sub
        else:
            out.update(_flatten(sub, depth, path))
    return out


def _expected(v) -> tuple:
    return ("number", v, None) if isinstance(v, int) else v


def _same(expected, cell) -> bool:
    kind, value, unit = _expected(expected)
    if not isinstance(cell, dict) or cell.get("kind") != kind or cell.get("unit") != unit:
        return False
    actual = cell.get("value")
    if value is None or actual is None:
        return value is actual
    return Decimal(str(actual)) == Decimal(str(value))


def score(name: str, text: str) -> tuple[int, int, int, int]:
    """(cells right, cells expected, metadata+sections right, of how many)."""
    golden = GOLDEN[name]
    doc = parse_text(text, name).to_dict()
    right = total = 0
    for table_id, depth in DEPTH.items():
        expected = _flatten(golden[table_id], depth)
        actual = _flatten(doc["tables"].get(table_id), depth)
        total += len(expected)
        right += sum(1 for path, v in expected.items() if _same(v, actual.get(path)))
    meta = sum(1 for f in ("title", "organ", "year", "format") if doc.get(f) == golden[f])
    sections = [(s["number"], s["id"], s["heading"]) for s in doc["sections"]]
    meta += int(sections == [tuple(s) for s in golden["sections"]])
    return right, total, meta, 5


def version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", default=os.environ.get("GXAUDIT_SHARED", str(REPO.parent / "shared")) + "/corpus")
    args = parser.parse_args()
    files = sorted(GOLDEN)
    data = {name: (Path(args.corpus) / name).read_bytes() for name in files}
    print(f"python {sys.version.split()[0]}, {len(files)} PDFs, median of {args.repeat} runs\n")
    print(f"{'candidate':24s} {'version':9s} " + " ".join(f"{n[:3]:>16s}" for n in files)
          + f" {'cells':>11s} {'meta':>6s} {'ms/file':>8s} {'read':>6s}  licence")
    for label, distribution, function, reader in CANDIDATES:
        installed = version(distribution)
        if installed is None:
            print(f"{label:24s} {'-':9s} not installed")
            continue
        per_file, times, cells_right, cells_total, meta_right, meta_total = [], [], 0, 0, 0, 0
        reads = []
        for name in files:
            try:
                runs = []
                for _ in range(max(1, args.repeat)):
                    start = time.perf_counter()
                    text = function(data[name], name)
                    runs.append(time.perf_counter() - start)
                ms = statistics.median(runs) * 1000
                right, total, meta, of = score(name, text)
                if reader is not None:
                    runs = []
                    for _ in range(max(1, args.repeat)):
                        start = time.perf_counter()
                        reader(data[name])
                        runs.append(time.perf_counter() - start)
                    reads.append(statistics.median(runs) * 1000)
            except Exception as exc:  # noqa: BLE001 - a candidate failing is a result
                per_file.append(f"{'error':>16s}")
                print(f"  {label} on {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                traceback.print_exc(limit=1, file=sys.stderr)
                _, total, _, of = score(name, "")
                cells_total += total
                meta_total += of
                continue
            times.append(ms)
            cells_right += right
            cells_total += total
            meta_right += meta
            meta_total += of
            per_file.append(f"{right:>4d}/{total:<4d}{ms:>6.0f}ms")
        mean = statistics.mean(times) if times else float("nan")
        read = f"{statistics.mean(reads):6.1f}" if reads else f"{'-':>6s}"
        print(f"{label:24s} {installed:9s} " + " ".join(per_file)
              + f" {cells_right:>5d}/{cells_total:<5d} {meta_right:>2d}/{meta_total:<3d} {mean:>8.1f} {read}  "
              + LICENCES.get(distribution, "?"))
    print("\nper file: cells right/expected and median time of PDF -> text; cells: all tables of"
          " the three reports;\nmeta: title, organ, year, format and the section list per report;"
          " ms/file: mean of the per-file medians;\nread: of that, ms/file spent by the library"
          " reading glyphs and rulings (geometry rows; the rest is the shared layout code)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
