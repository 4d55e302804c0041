"""Deterministic generators of hostile inputs for gxaudit (issue 11), built from the seeds.

Every input is made here, from /work/shared/seeds and the corpus, by a seeded
`random.Random`: the same seed gives the same bytes. Two entry points:

* `catalogue()`: one case per failure class of issue 11 (memory, time,
  reasons, line breaks, every file accounted for, rule files, settings
  files, the store, outputs) and a few seeded byte-level batches; the test
  module runs these.
* `mutation_cases(seed, count)`: random mutations (byte level and
  structural, random sizes and positions) for the soak benchmark.

A case is a class, a name and a `build(work)` function that lays out its
files in an empty folder and returns the `harness.Invocation` to run, with
what the documentation lets us expect of it. Nothing here imports gxaudit:
the CLI is exercised from outside, as a user would.
"""

from __future__ import annotations

import functools
import io
import json
import os
import random
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .harness import (
    CORPUS,
    SEEDS,
    WALL_LIMIT,
    Invocation,
    Outcome,
    environment,
    gxaudit_command,
    permission_prefix,
    status_of,
)

ERROR_ONLY = frozenset({2})
OK_OR_FINDINGS = frozenset({0, 1})


@dataclass(frozen=True)
class Case:
    klass: str  # the failure class of issue 11 this case belongs to
    name: str
    build: Callable[[Path], Invocation]
    needs: str | None = None  # "permissions", "unshare", "root": see harness.missing_requirement

    @property
    def id(self) -> str:
        return f"{self.klass}/{self.name}"


# ----------------------------------------------------------------- raw material


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@functools.cache
def seed_bytes(index: int) -> bytes:
    return seed_paths()[index].read_bytes()


def seed_text(index: int) -> str:
    return seed_bytes(index).decode("utf-8-sig")


def corpus_bytes(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def put(folder: Path, name: str | bytes, data: bytes | str) -> Path:
    """Write a file (a bytes name may be any bytes, e.g. not UTF-8)."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    target = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else os.fsencode(name))
    with open(target, "wb") as handle:
        handle.write(raw)
    return Path(os.fsdecode(target))


def title_lines(index: int = 0) -> str:
    """The title and first part heading of a seed: enough for a file to look like a report."""
    lines = [line for line in seed_text(index).splitlines() if line.strip()]
    return "\n".join(lines[:2]) + "\n"


def audit_json(paths: list[str | bytes], *extra: str | bytes) -> list[str | bytes]:
    return ["audit", *paths, "--format", "json", "--no-progress", "--jobs", "1", *extra]


def seed_folder(work: Path, count: int = 2, prefix: str = "S") -> tuple[Path, tuple[str, ...]]:
    """A folder of `count` good seeds, each named with a unique token."""
    folder = work / "in"
    tokens = []
    for i in range(count):
        token = f"{prefix}{i:02d}_"
        put(folder, f"{token}seed.txt", seed_bytes(i % len(seed_paths())))
        tokens.append(token)
    return folder, tuple(tokens)


# ----------------------------------------------------------------- .docx and PDF

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _cell(text: str, span: int = 1) -> str:
    props = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else ""
    return f"<w:tc>{props}{_paragraph(text)}</w:tc>"


def docx_from_body(body: str) -> bytes:
    """A minimal Word document (only the parts a reader needs) around a body's XML."""
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def docx_from_text(text: str) -> bytes:
    """A seed as a .docx: a paragraph per prose line, a table per run of tab rows."""
    parts, rows = [], []

    def flush() -> None:
        if rows:
            parts.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
            rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            rows.append("<w:tr>" + "".join(_cell(c) for c in line.split("\t")) + "</w:tr>")
        else:
            flush()
            parts.append(_paragraph(line))
    flush()
    return docx_from_body("".join(parts))


def docx_gridspan_bomb(rows: int = 600, cells: int = 500, span: int = 1000) -> bytes:
    """Issue 11: a small .docx whose cells each span 1000 grid columns."""
    row = "<w:tr>" + _cell("1", span) * cells + "</w:tr>"
    body = "".join(_paragraph(line) for line in title_lines().splitlines())
    return docx_from_body(body + "<w:tbl>" + row * rows + "</w:tbl>")


def many_page_pdf(pages: int = 399) -> bytes:
    """Issue 11: a long PDF (399 ruled pages of figures) that is small on disk."""
    lines = ["  ".join(str((r * 7 + c) % 10) for c in range(8)) for r in range(60)]
    return minimal_pdf(lines, pages)


def minimal_pdf(lines: list[str], pages: int = 1, ruled: bool = True) -> bytes:
    """A hand-written PDF (Helvetica, ASCII text), every page sharing one content stream."""
    stream = "BT /F1 10 Tf 50 780 Td 12 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines
    )
    stream += " ET"
    if ruled:  # a grid under the lines: the reader rebuilds tables from ruling lines
        rows = [792 - 12 * i for i in range(len(lines) + 1)]
        stream += " 0.5 w " + " ".join(f"40 {y} m 560 {y} l S" for y in rows)
        stream += " " + " ".join(f"{x} {rows[0]} m {x} {rows[-1]} l S" for x in range(40, 561, 65))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [" + " ".join(f"{5 + i} 0 R" for i in range(pages)) + f"] /Count {pages} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    objects += [
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 3 0 R >> >> >>"
    ] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# ----------------------------------------------------------------- byte-level mutations

ENCODINGS = (
    "utf-16-le",
    "utf-16-be",
    "utf-16",
    "utf-32",
    "gb18030",
    "big5",
    "shift_jis",
    "cp1252",
    "latin-1",
)


def mutate_bytes(data: bytes, rng: random.Random, op: str) -> bytes:
    """One byte-level mutation of a file's bytes."""
    n = len(data)
    if op == "truncate":
        return data[: rng.randrange(1, max(2, n))]
    if op == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 32)):
            out[rng.randrange(n)] ^= 1 << rng.randrange(8)
        return bytes(out)
    if op == "nul":
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            out.insert(rng.randrange(n), 0)
        return bytes(out)
    if op == "delete":
        start = rng.randrange(n)
        return data[:start] + data[start + rng.randint(1, max(1, n // 4)) :]
    if op == "duplicate":
        start = rng.randrange(n)
        piece = data[start : start + rng.randint(1, max(1, n // 3))]
        at = rng.randrange(n)
        return data[:at] + piece * rng.randint(2, 20) + data[at:]
    if op == "random":
        at = rng.randrange(n)
        return data[:at] + rng.randbytes(rng.randint(1, 512)) + data[at:]
    if op == "encoding":
        text = data.decode("utf-8", "replace")
        encoding = rng.choice(ENCODINGS)
        bom = rng.random() < 0.3 and encoding.startswith("utf-16-")
        body = text.encode(encoding, "replace")
        return ("\ufeff".encode(encoding) if bom else b"") + body
    if op == "mojibake":  # UTF-8 read as Latin-1, written again as UTF-8
        return data.decode("latin-1").encode("utf-8")
    raise ValueError(op)


BYTE_OPS = ("truncate", "flip", "nul", "delete", "duplicate", "random", "encoding", "mojibake")


def byte_sources() -> list[tuple[str, Callable[[], bytes]]]:
    """Files byte mutations start from: seeds and corpus files in every input shape."""
    sources: list[tuple[str, Callable[[], bytes]]] = [
        (f"seed{i}.txt", functools.partial(seed_bytes, i)) for i in range(len(seed_paths()))
    ]
    sources += [
        ("corpus012.html", functools.partial(corpus_bytes, "012_shuyang_fgj_2023.html")),
        ("corpus014.md", functools.partial(corpus_bytes, "014_shanghai_kewei_2024_pdf2md.md")),
        ("corpus009.pdf", functools.partial(corpus_bytes, "009_huaian_hongzequ_2024.pdf")),
        ("corpus102.txt", functools.partial(corpus_bytes, "102_pingtan_gaj_2021.txt")),
        ("seed0.docx", lambda: docx_from_text(seed_text(0))),
    ]
    return sources


def byte_batch(seed: int, size: int, name: str | None = None) -> Case:
    """An audit batch of `size` byte-mutated files: every one must end in the result."""

    def build(work: Path) -> Invocation:
        rng = random.Random(f"bytes:{seed}")
        sources = byte_sources()
        folder = work / "in"
        tokens = []
        for i in range(size):
            source, load = rng.choice(sources)
            op = rng.choice(BYTE_OPS if not source.endswith((".pdf", ".docx")) else BYTE_OPS[:6])
            token = f"B{i:03d}_"
            put(folder, f"{token}{op}_{source}", mutate_bytes(load(), rng, op))
            tokens.append(token)
        return Invocation(audit_json([str(folder)]), work, inputs=tuple(tokens), json_result=True)

    return Case("bytes", name or f"batch-{seed}", build)


def byte_parse(seed: int) -> Case:
    """One byte-mutated file through `gxaudit parse --format json`."""

    def build(work: Path) -> Invocation:
        rng = random.Random(f"bytes-parse:{seed}")
        source, load = rng.choice(byte_sources())
        op = rng.choice(BYTE_OPS if not source.endswith((".pdf", ".docx")) else BYTE_OPS[:6])
        path = put(work, f"P{seed}_{op}_{source}", mutate_bytes(load(), rng, op))
        return Invocation(["parse", str(path), "--format", "json"], work, names_file=f"P{seed}_")

    return Case("bytes", f"parse-{seed}", build)


# ----------------------------------------------------------------- structural inputs


def with_line_breaks(text: str, separator: str) -> str:
    return separator.join(text.replace("\r\n", "\n").split("\n"))


def replace_cell(text: str, label: str, value: str) -> str:
    """The text with the first figure after the first `label` cell replaced by value
    (on the label's line, or on the lines below where a seed puts one cell per line)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        labelled = [k for k, cell in enumerate(cells) if cell.strip().startswith(label)]
        if not labelled:
            continue
        for j in range(i, min(i + 10, len(lines))):
            cells = lines[j].split("\t")
            for k in range(labelled[0] + 1 if j == i else 0, len(cells)):
                if cells[k].strip().isdigit():
                    cells[k] = value
                    lines[j] = "\t".join(cells)
                    return "\n".join(lines)
    raise ValueError(f"no row {label!r} with a figure")


NEW_APPLICATIONS = "一、本年新收政府信息公开申请数量"  # table three's first row in every seed


def pipe_flood(size: int = 1_000_000) -> bytes:
    """Issue 11: a megabyte of '|' (with spaces: one row of half a million empty cells)."""
    return (title_lines() + "| " * (size // 2) + "\n").encode("utf-8")


def wide_markdown(columns: int = 10_000, rows: int = 60) -> bytes:
    header = "| 项目 | " + " | ".join(f"列{i}" for i in range(columns)) + " |\n"
    rule = "|---|" + "---|" * columns + "\n"
    body = "".join("| 行 | " + " | ".join("1" for _ in range(columns)) + " |\n" for _ in range(rows))
    return (title_lines() + header + rule + body).encode("utf-8")


def long_markdown(rows: int = 20_000) -> bytes:
    header = "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
    body = "".join(f"| 规章{i} | {i} | 0 | {i} |\n" for i in range(rows))
    return (title_lines() + header + body).encode("utf-8")


def one_line_text(size: int = 5_000_000) -> bytes:
    flat = seed_text(0).replace("\n", " ").replace("\t", " ")
    return (
        (flat * (size // len(flat.encode("utf-8")) + 1))
        .encode("utf-8")[:size]
        .decode("utf-8", "ignore")
        .encode("utf-8")
    )


def colspan_bomb(rows: int = 100, cells: int = 100, span: int = 100) -> bytes:
    """Issue 11: a 390 KB page whose cells each span 100 columns and 100 rows."""
    cell = f'<td colspan="{span}" rowspan="{span}">1</td>'
    table = "<table>" + ("<tr>" + cell * cells + "</tr>") * rows + "</table>"
    head = "".join(f"<p>{escape(line)}</p>" for line in title_lines().splitlines())
    return f"<html><body>{head}{table}</body></html>".encode()


def nested_tables(depth: int = 2000) -> bytes:
    head = "".join(f"<p>{escape(line)}</p>" for line in title_lines().splitlines())
    return (
        f"<html><body>{head}{'<table><tr><td>' * depth}1{'</td></tr></table>' * depth}</body></html>".encode()
    )


def _parse_case(klass: str, name: str, make: Callable[[], bytes], filename: str, *extra: str) -> Case:
    def build(work: Path) -> Invocation:
        path = put(work, filename, make())
        token = filename.split(".")[0]
        return Invocation(["parse", str(path), "--format", "json", *extra], work, names_file=token)

    return Case(klass, f"parse-{name}", build)


def _audit_case(
    klass: str,
    name: str,
    make: Callable[[], bytes],
    filename: str,
    *extra: str,
    check: Callable[[Outcome], str | None] | None = None,
) -> Case:
    def build(work: Path) -> Invocation:
        put(work / "in", filename, make())
        token = filename.split(".")[0]
        return Invocation(
            audit_json([str(work / "in"), *extra]),
            work,
            inputs=(token,),
            json_result=True,
            checks=(check,) if check else (),
        )

    return Case(klass, f"audit-{name}", build)


TIME_LIMIT = 3  # --timeout given to the time cases: the run must end soon after it


def timeout_reason(token: str, seconds: int = TIME_LIMIT) -> Callable[[Outcome], str | None]:
    """Issue 11: a file given up on says so in words that are true: 超过单个文件时限（N 秒）."""

    def check(o: Outcome) -> str | None:
        status, reason = status_of(o, token)
        timed_out = (
            status == "error" and reason and re.search(r"time|gave up|时限|超时", reason, re.IGNORECASE)
        )
        if timed_out and f"超过单个文件时限（{seconds} 秒）" not in reason:
            return f"time-out reason {reason!r}, expected 超过单个文件时限（{seconds} 秒）"
        return None

    return check


def must_be_audited(token: str) -> Callable[[Outcome], str | None]:
    def check(o: Outcome) -> str | None:
        status, reason = status_of(o, token)
        return None if status == "audited" else f"{token}: {status} ({reason}), expected audited"

    return check


def not_out_of_memory(token: str) -> Callable[[Outcome], str | None]:
    """A bounded reader refuses the input by its shape; it does not run into the memory ceiling."""

    def check(o: Outcome) -> str | None:
        _status, reason = status_of(o, token)
        if reason and re.search(r"memory|内存", reason):
            return f"{token}: ran out of memory ({reason})"
        return None

    return check


def memory_cases() -> list[Case]:
    cases = []
    for name, make, filename in (
        ("colspan-bomb", colspan_bomb, "M_colspan.html"),
        ("gridspan-bomb", docx_gridspan_bomb, "M_gridspan.docx"),
        ("nested-tables", nested_tables, "M_nested.html"),
    ):
        cases.append(_parse_case("memory", name, make, filename))
        token = filename.split(".")[0]
        cases.append(_audit_case("memory", name, make, filename, check=not_out_of_memory(token)))

    def dev_zero(work: Path, command: str) -> Invocation:
        (work / "in").mkdir()
        os.symlink("/dev/zero", work / "in" / "Z_zero.txt")
        if command == "parse":
            return Invocation(
                ["parse", str(work / "in" / "Z_zero.txt")], work, ERROR_ONLY, names_file="Z_zero"
            )
        return Invocation(audit_json([str(work / "in")]), work, inputs=("Z_zero",), json_result=True)

    def fifo(work: Path, command: str) -> Invocation:
        (work / "in").mkdir()
        os.mkfifo(work / "in" / "F_fifo.txt")
        if command == "parse":
            return Invocation(
                ["parse", str(work / "in" / "F_fifo.txt")], work, ERROR_ONLY, names_file="F_fifo"
            )
        put(work / "in", "S00_seed.txt", seed_bytes(0))
        return Invocation(audit_json([str(work / "in")]), work, inputs=("F_fifo", "S00_"), json_result=True)

    for command in ("parse", "audit"):
        cases.append(Case("memory", f"{command}-dev-zero", functools.partial(_late, dev_zero, command)))
        cases.append(Case("memory", f"{command}-fifo", functools.partial(_late, fifo, command)))
    return cases


def _late(function, command, work):  # functools.partial puts work last
    return function(work, command)


def time_cases() -> list[Case]:
    cases = []
    for name, make, filename in (
        ("pipe-flood", pipe_flood, "T_pipes.md"),
        ("wide-markdown", wide_markdown, "T_wide.md"),
        ("long-markdown", long_markdown, "T_long.md"),
        ("one-line-5mb", one_line_text, "T_oneline.txt"),
        ("pdf-399-pages", many_page_pdf, "T_pages.pdf"),
    ):
        token = filename.split(".")[0]
        cases.append(_parse_case("time", name, make, filename, "--timeout", str(TIME_LIMIT)))
        cases.append(
            _audit_case(
                "time", name, make, filename, "--timeout", str(TIME_LIMIT), check=timeout_reason(token)
            )
        )
    return cases


def reason_cases() -> list[Case]:
    cases = []
    for name, value in (
        ("int64-overflow", "99999999999999999999"),
        ("int64-negative", "-9223372036854775809"),
        ("five-thousand-digits", "9" * 5000),
        ("exponent", "1e400"),
    ):
        make = functools.partial(lambda v: replace_cell(seed_text(0), NEW_APPLICATIONS, v).encode(), value)
        cases.append(_parse_case("reasons", name, make, f"R_{name}.txt"))
        cases.append(_audit_case("reasons", name, make, f"R_{name}.txt", check=must_be_audited("R_")))
    make_big = lambda: replace_cell(seed_text(0), NEW_APPLICATIONS, "一" * 200_000).encode()  # noqa: E731
    cases.append(_audit_case("reasons", "huge-cell", make_big, "R_hugecell.txt", check=must_be_audited("R_")))

    def slow_reason(work: Path) -> Invocation:
        put(work / "in", "R_slow.md", pipe_flood())
        return Invocation(
            audit_json([str(work / "in")], "--timeout", "1"),
            work,
            inputs=("R_slow",),
            json_result=True,
            checks=(timeout_reason("R_slow", 1),),
        )

    cases.append(Case("reasons", "timeout-says-time-limit", slow_reason))
    return cases


LINE_BREAKS = {"vt": "\x0b", "nel": "\x85", "u2028": "\u2028", "cr": "\r", "crlf": "\r\n"}


def _strip_positions(value):
    if isinstance(value, dict):
        return {k: _strip_positions(v) for k, v in value.items() if k not in ("line", "column", "path")}
    if isinstance(value, list):
        return [_strip_positions(v) for v in value]
    return value


@functools.cache
def reference_parse(seed: int) -> str:
    """The parse of the unmutated seed, through the CLI (what a line-break variant must equal)."""
    done = subprocess.run(
        [*gxaudit_command(), "parse", str(seed_paths()[seed]), "--format", "json"],
        capture_output=True,
        env=environment("reference"),
        timeout=60,
    )
    return json.dumps(_strip_positions(json.loads(done.stdout)), ensure_ascii=False, sort_keys=True)


def same_parse_as_seed(seed: int) -> Callable[[Outcome], str | None]:
    def check(o: Outcome) -> str | None:
        try:
            mine = json.dumps(_strip_positions(json.loads(o.stdout)), ensure_ascii=False, sort_keys=True)
        except ValueError:
            return "parse printed no JSON"
        if mine != reference_parse(seed):
            ours, theirs = json.loads(mine), json.loads(reference_parse(seed))
            differ = [k for k in sorted(set(ours) | set(theirs)) if ours.get(k) != theirs.get(k)]
            return f"parse differs from the seed's with \\n line breaks in: {', '.join(differ)}"
        return None

    return check


def same_findings_as_originals(pairs: list[tuple[str, str]]) -> Callable[[Outcome], str | None]:
    def findings(o: Outcome, token: str):
        for entry in (o.result or {}).get("reports") or []:
            if token in str(entry.get("path")):
                return sorted(
                    (f.get("rule"), json.dumps(_strip_positions(f.get("location")), sort_keys=True))
                    for f in entry.get("findings") or []
                )
        return None

    def check(o: Outcome) -> str | None:
        for original, variant in pairs:
            a, b = findings(o, original), findings(o, variant)
            if a != b:
                extra = sorted({r for r, _ in (b or [])} - {r for r, _ in (a or [])})
                return f"{variant} has other findings than {original} (extra rules: {', '.join(extra)})"
        return None

    return check


def linebreak_cases() -> list[Case]:
    cases = []
    for name, separator in LINE_BREAKS.items():
        for seed in (0, 2):

            def build_parse(work: Path, separator=separator, seed=seed, name=name) -> Invocation:
                path = put(work, f"L_{name}_{seed}.txt", with_line_breaks(seed_text(seed), separator))
                return Invocation(
                    ["parse", str(path), "--format", "json"],
                    work,
                    OK_OR_FINDINGS,
                    checks=(same_parse_as_seed(seed),),
                )

            cases.append(Case("linebreaks", f"parse-{name}-seed{seed}", build_parse))

        def build_audit(work: Path, separator=separator) -> Invocation:
            pairs, tokens = [], []
            for seed in range(len(seed_paths())):
                put(work / "in", f"O{seed}_orig.txt", seed_bytes(seed))
                put(work / "in", f"V{seed}_variant.txt", with_line_breaks(seed_text(seed), separator))
                pairs.append((f"O{seed}_", f"V{seed}_"))
                tokens += [f"O{seed}_", f"V{seed}_"]
            return Invocation(
                audit_json([str(work / "in")]),
                work,
                inputs=tuple(tokens),
                json_result=True,
                checks=(same_findings_as_originals(pairs),),
            )

        cases.append(Case("linebreaks", f"audit-{name}", build_audit))
    return cases


# ----------------------------------------------------------------- every file accounted for


def _fs_case(name: str, lay_out: Callable[[Path], tuple[str, ...]], needs: str | None = None, **kw) -> Case:
    def build(work: Path) -> Invocation:
        folder = work / "in"
        put(folder, "S00_seed.txt", seed_bytes(0))
        tokens = ("S00_", *lay_out(folder))
        return Invocation(audit_json([str(folder)]), work, inputs=tokens, json_result=True, **kw)

    return Case("accounted", name, build, needs)


def _dangling(folder: Path) -> tuple[str, ...]:
    os.symlink(folder / "missing.txt", folder / "A_dangling.txt")
    return ("A_dangling",)


def _loop(folder: Path) -> tuple[str, ...]:
    os.symlink(folder / "A_loop2.txt", folder / "A_loop1.txt")
    os.symlink(folder / "A_loop1.txt", folder / "A_loop2.txt")
    return ("A_loop1", "A_loop2")


def _hidden(folder: Path) -> tuple[str, ...]:
    put(folder, ".A_hidden.txt", seed_bytes(1))
    return (".A_hidden",)


def _non_utf8(folder: Path) -> tuple[str, ...]:
    put(folder, b"A_bad\xff\xfe_name.txt", seed_bytes(1))
    return ("A_bad",)


def _unreadable_folder(folder: Path) -> tuple[str, ...]:
    sub = folder / "A_locked"
    put(sub, "A_inside.txt", seed_bytes(1))
    sub.chmod(0)
    return ("A_locked",)


def _unreadable(name: str, lay_out) -> Case:
    def build(work: Path) -> Invocation:
        folder = work / "in"
        put(folder, "S00_seed.txt", seed_bytes(0))
        tokens = ("S00_", *lay_out(folder))
        return Invocation(
            audit_json([str(folder)]), work, inputs=tokens, json_result=True, prefix=permission_prefix()
        )

    return Case("accounted", name, build, "permissions")


def _unreadable_file(folder: Path) -> tuple[str, ...]:
    put(folder, "A_noread.txt", seed_bytes(1)).chmod(0)
    return ("A_noread",)


def _dir_loop(folder: Path) -> tuple[str, ...]:
    (folder / "A_sub").mkdir()
    put(folder / "A_sub", "A_deep.txt", seed_bytes(3))
    os.symlink("..", folder / "A_sub" / "A_up")
    return ("A_deep",)


def _twice(kind: str) -> Callable[[Path], Invocation]:
    def build(work: Path) -> Invocation:
        folder = work / "in"
        path = put(folder, "D_twice.txt", seed_bytes(0))
        if kind == "file-twice":
            argv = [str(path), str(path)]
        elif kind == "folder-and-file":
            argv = [str(folder), str(path)]
        else:  # the same file spelt two ways
            argv = [str(path), str(folder / ".." / "in" / "D_twice.txt")]
        return Invocation(audit_json(argv), work, inputs=("D_twice",), json_result=True)

    return build


def accounted_cases() -> list[Case]:
    return [
        _fs_case("dangling-symlink", _dangling),
        _fs_case("looping-symlinks", _loop),
        _fs_case("hidden-files", _hidden),
        _fs_case("non-utf8-name", _non_utf8),
        _fs_case("folder-symlink-loop", _dir_loop),
        _unreadable("unreadable-folder", _unreadable_folder),
        _unreadable("unreadable-file", _unreadable_file),
        Case("accounted", "same-file-twice", _twice("file-twice")),
        Case("accounted", "folder-and-its-file", _twice("folder-and-file")),
        Case("accounted", "same-file-two-spellings", _twice("spellings")),
    ]


# ----------------------------------------------------------------- rule files

RULE = """\
  - id: GX-FUZ-{n:03d}
    title: 模糊测试规则{n}
    category: balance
    severity: error
    weight: {weight}
    check:
      kind: cells
      select: ["applications[*][*]"]
      assert: {expr}
    message: 测试 {{raw}}
"""
CELL = "value"  # a property of the `cells` kind: expressions of any shape are allowed there


def rule_file(exprs: list[str], weight: str = "1") -> str:
    return "rules:\n" + "".join(RULE.format(n=i + 1, expr=e, weight=weight) for i, e in enumerate(exprs))


def nested_parens(depth: int) -> str:
    return "(" * depth + f"{CELL} == 1" + ")" * depth


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + f"\nrules: *a{levels - 1}\n"


def deep_yaml(depth: int = 5000) -> str:
    return "rules: " + "[" * depth + "]" * depth + "\n"


FILE_LINE_COLUMN = r"R_[a-z0-9_-]+\.yaml:\d+:\d+"


def _rules_case(
    name: str, text: Callable[[], str], filename: str | None = None, position: bool = True
) -> Case:
    def build(work: Path) -> Invocation:
        path = put(work, filename or f"R_{name}.yaml", text())
        return Invocation(
            ["rules", "validate", str(path)],
            work,
            ERROR_ONLY,
            names_file=path.name,
            stderr_must=(FILE_LINE_COLUMN,) if position else (),
            wall=8,
        )

    return Case("rules", name, build)


def _rules_path_case(name: str, lay_out: Callable[[Path], Path], needs: str | None = None) -> Case:
    def build(work: Path) -> Invocation:
        path = lay_out(work)
        inv = Invocation(["rules", "validate", str(path)], work, ERROR_ONLY, names_file=path.name, wall=8)
        if needs == "permissions":
            inv.prefix = permission_prefix()
        return inv

    return Case("rules", name, build, needs)


def _folder_named_yaml(work: Path) -> Path:
    (work / "R_folder.yaml").mkdir()
    return work / "R_folder.yaml"


def _looping_rules(work: Path) -> Path:
    os.symlink(work / "R_loop_b.yaml", work / "R_loop_a.yaml")
    os.symlink(work / "R_loop_a.yaml", work / "R_loop_b.yaml")
    return work / "R_loop_a.yaml"


def _looping_rule_folder(work: Path) -> Path:
    folder = work / "R_rules"
    put(folder, "R_ok.yaml", rule_file([f"{CELL} == 1"]))
    os.symlink("..", folder / "R_up")
    os.symlink(folder / "R_x.yaml", folder / "R_x.yaml")  # itself
    return folder


def _unreadable_rules(work: Path) -> Path:
    path = put(work, "R_locked.yaml", rule_file([f"{CELL} == 1"]))
    path.chmod(0)
    return path


def rules_cases() -> list[Case]:
    and_terms = " and ".join(f"{CELL} == {i}" for i in range(80))
    # a finding is where the assert fails: its negation must fit the engine. 80 `and` terms
    # negate to 80 alternatives; an `or` of 21 `and`s negates to 2^21 once multiplied out.
    dnf = " or ".join(f'({CELL} == {i} and unit == "u{i}")' for i in range(21))
    cases = [
        _rules_case("int64-constant", lambda: rule_file([f"{CELL} == 9223372036854775808"])),
        _rules_case("int64-negative-constant", lambda: rule_file([f"{CELL} == -9223372036854775809"])),
        _rules_case("huge-constant", lambda: rule_file([f"{CELL} == {'9' * 5000}"])),
        _rules_case("eighty-and-terms", lambda: rule_file([and_terms])),
        _rules_case("dnf-2-pow-21", lambda: rule_file([dnf])),
        _rules_case("4001-rules", lambda: rule_file([f"{CELL} == {i}" for i in range(4001)])),
        _rules_case("parens-8", lambda: rule_file([nested_parens(8)])),
        _rules_case("parens-20", lambda: rule_file([nested_parens(20)])),
        _rules_case("parens-100", lambda: rule_file([nested_parens(100)])),
        _rules_case("parens-5000", lambda: rule_file([nested_parens(5000)])),
        _rules_case("weight-nan", lambda: rule_file([f"{CELL} == 1"], weight=".nan")),
        _rules_case("weight-inf", lambda: rule_file([f"{CELL} == 1"], weight=".inf")),
        _rules_case("weight-negative-inf", lambda: rule_file([f"{CELL} == 1"], weight="-.inf")),
        _rules_case("yaml-alias-bomb", alias_bomb),
        _rules_case("yaml-nested-5000", deep_yaml),
        _rules_path_case("folder-named-x-yaml", _folder_named_yaml),
        _rules_path_case("symlink-loop", _looping_rules),
        _rules_path_case("folder-with-loops", _looping_rule_folder),
        _rules_path_case("unreadable", _unreadable_rules, "permissions"),
    ]
    # a rule file attack given to `audit --rules` must stop the run before any report is read
    for name, text in (
        ("int64-constant", lambda: rule_file([f"{CELL} == 9223372036854775808"])),
        ("eighty-and-terms", lambda: rule_file([and_terms])),
        ("dnf-2-pow-21", lambda: rule_file([dnf])),
        ("parens-20", lambda: rule_file([nested_parens(20)])),
    ):

        def build(work: Path, text=text, name=name) -> Invocation:
            folder, _tokens = seed_folder(work, 1)
            rules = put(work, f"R_{name}.yaml", text())
            return Invocation(
                audit_json([str(folder)], "--rules", str(rules)),
                work,
                ERROR_ONLY,
                names_file=rules.name,
                stderr_must=(FILE_LINE_COLUMN,),
                checks=(no_stdout,),
            )

        cases.append(Case("rules", f"audit-rules-{name}", build))
    return cases


def no_stdout(o: Outcome) -> str | None:
    return "the run printed a result although its settings were refused" if o.stdout.strip() else None


# ----------------------------------------------------------------- settings files


def _settings_case(name: str, option: str, filename: str, content: Callable[[], bytes | str]) -> Case:
    """An audit whose settings file is broken: exit 2 naming the file, before any report."""

    def build(work: Path) -> Invocation:
        folder, _tokens = seed_folder(work, 2)
        path = put(work, filename, content())
        argv = audit_json([str(folder)], option, str(path), "--output", str(work / "out.json"))
        if option == "--units":
            argv += ["--group-by", "region"]
        return Invocation(
            argv,
            work,
            ERROR_ONLY,
            names_file=filename,
            checks=(no_output(work / "out.json"),),
        )

    return Case("settings", name, build)


def no_output(path: Path) -> Callable[[Outcome], str | None]:
    def check(_o: Outcome) -> str | None:
        return f"{path.name} was written although the run was refused" if path.exists() else None

    return check


WAIVER = "waivers:\n  - fingerprint: 0123456789abcdef0123\n    reason: 已核实\n    by: 张三\n"


def settings_cases() -> list[Case]:
    W, S, U = "--waivers", "--scoring", "--units"
    return [
        _settings_case(
            "waiver-date-2020-02-30", W, "W_date.yaml", lambda: WAIVER + "    until: 2020-02-30\n"
        ),
        _settings_case("waiver-until-list", W, "W_until.yaml", lambda: WAIVER + "    until: [1, 2]\n"),
        _settings_case(
            "waiver-reason-mapping", W, "W_reason.yaml", lambda: WAIVER.replace("已核实", "{a: b}")
        ),
        _settings_case("waiver-year-text", W, "W_year.yaml", lambda: WAIVER + "    year: 二〇二〇\n"),
        _settings_case(
            "waiver-fingerprint-list",
            W,
            "W_fplist.yaml",
            lambda: WAIVER.replace("0123456789abcdef0123", "[1, 2]"),
        ),
        _settings_case("waiver-not-mapping", W, "W_list.yaml", lambda: "- 1\n- 2\n"),
        _settings_case("waiver-nested-5000", W, "W_deep.yaml", lambda: "waivers: " + "[" * 5000 + "]" * 5000),
        _settings_case(
            "waiver-alias-bomb",
            W,
            "W_bomb.yaml",
            lambda: alias_bomb().replace("rules: *a8", WAIVER + "    by: *a8"),
        ),
        _settings_case("waiver-not-utf8", W, "W_gbk.yaml", lambda: WAIVER.encode("gb18030")),
        _settings_case("scoring-start-text", S, "C_start.yaml", lambda: "start: 一百\n"),
        _settings_case("scoring-start-nan", S, "C_nan.yaml", lambda: _scoring(start=".nan")),
        _settings_case("scoring-factor-inf", S, "C_inf.yaml", lambda: _scoring(error=".inf")),
        _settings_case(
            "scoring-grades-mapping",
            S,
            "C_grades.yaml",
            lambda: _scoring().replace("grades:\n  - {min: 0, grade: 合格}", "grades: {a: 1}"),
        ),
        _settings_case(
            "scoring-factor-list",
            S,
            "C_factor.yaml",
            lambda: "start: 100\nseverity_factor: [1, 2]\ngrades: [{min: 0, grade: x}]\n",
        ),
        _settings_case("scoring-nested-5000", S, "C_deep.yaml", lambda: "start: " + "[" * 5000 + "]" * 5000),
        _settings_case(
            "scoring-date-2020-02-30", S, "C_date.yaml", lambda: _scoring() + "cap_per_rule: 2020-02-30\n"
        ),
        _settings_case("units-binary", U, "U_binary.csv", lambda: bytes(range(256)) * 8),
        # GBK and UTF-16 (as Excel saves a CSV) are read; bytes of no encoding are refused
        _settings_case(
            "units-no-encoding", U, "U_bytes.csv", lambda: "unit,region\n".encode() + b"\x81\x20\xff,\x81\n"
        ),
        _settings_case(
            "units-huge-field", U, "U_field.csv", lambda: "unit,region\n" + "x" * 200_000 + ",a\n"
        ),
        _settings_case("units-no-region-column", U, "U_cols.csv", lambda: "unit,level\n半坡镇,乡镇\n"),
        _settings_case("units-nul", U, "U_nul.csv", lambda: b"unit,region\n\x00\x00,\x00\n"),
    ]


def _scoring(start: str = "100", error: str = "1.0") -> str:
    return (
        f"start: {start}\nseverity_factor: {{error: {error}, warning: 0.5, info: 0}}\n"
        "grades:\n  - {min: 0, grade: 合格}\n"
    )


# ----------------------------------------------------------------- diff inputs and the store


def audit_document(reports: object) -> str:
    return json.dumps(
        {"schema_version": 1, "tool": {"name": "gxaudit"}, "rules_version": "x", "reports": reports}
    )


def _diff_case(name: str, content: Callable[[], bytes | str]) -> Case:
    def build(work: Path) -> Invocation:
        good = put(work, "G_good.json", audit_document([]))
        bad = put(work, f"J_{name}.json", content())
        return Invocation(["diff", str(good), str(bad)], work, ERROR_ONLY, names_file=bad.name)

    return Case("settings", f"diff-{name}", build)


def diff_cases() -> list[Case]:
    finding = {"rule": "GX-X", "fingerprint": "f"}
    return [
        _diff_case("reports-number", lambda: audit_document(5)),
        _diff_case("reports-of-numbers", lambda: audit_document([1, 2])),
        _diff_case("report-without-path", lambda: audit_document([{"findings": []}])),
        _diff_case("findings-text", lambda: audit_document([{"path": "a", "findings": "x"}])),
        _diff_case(
            "finding-without-fingerprint",
            lambda: audit_document([{"path": "a", "findings": [{"rule": "x"}]}]),
        ),
        _diff_case("path-list", lambda: audit_document([{"path": ["a"], "findings": [finding]}])),
        _diff_case("nested-100000", lambda: "[" * 100_000 + "]" * 100_000),
        _diff_case("not-utf8", lambda: audit_document([{"path": "半坡镇"}]).encode("utf-8") + b"\xff\xfe"),
        _diff_case(
            "gbk", lambda: json.dumps({"reports": [{"path": "半坡镇"}]}, ensure_ascii=False).encode("gb18030")
        ),
    ]


@functools.lru_cache(maxsize=1)
def _good_store_bytes() -> bytes:
    """A store written by gxaudit itself (two seeds audited), to corrupt."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "good.db"
        subprocess.run(
            [
                *gxaudit_command(),
                *audit_json([str(seed_paths()[0]), str(seed_paths()[1])], "--store", str(db)),
            ],
            capture_output=True,
            env=environment("store"),
            timeout=120,
        )
        return db.read_bytes()


def _store_case(
    name: str, corrupt: Callable[[Path], list[subprocess.Popen] | None], command: str = "audit"
) -> Case:
    def build(work: Path) -> Invocation:
        db = work / "K_store.db"
        db.write_bytes(_good_store_bytes())
        background = corrupt(db) or []
        if command == "audit":
            folder, _tokens = seed_folder(work, 2)
            argv = audit_json([str(folder)], "--store", str(db))
        else:
            argv = ["diff", "1", "1", "--store", str(db)]
        # a locked store is waited for (SQLite's 5 s busy timeout) before it is refused
        wall = 15.0 if background else WALL_LIMIT
        return Invocation(argv, work, background=background, names_file="K_store", wall=wall)

    return Case("store", f"{command}-{name}", build)


def _sql(db: Path, *statements: str) -> None:
    connection = sqlite3.connect(db)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def _corrupt_row_json(db: Path) -> None:
    # last year's figures of the seeds' organs (the seeds are 2020 reports): broken JSON
    _sql(db, "UPDATE reports SET year = year - 1, figures = '{\"organ_key\": ' WHERE 1")
    _sql(db, "UPDATE runs SET document = '{\"reports\": [' WHERE 1")


def _wrong_types(db: Path) -> None:
    _sql(db, "UPDATE reports SET year = year - 1, figures = '[1, 2, 3]' WHERE 1")
    _sql(db, "UPDATE runs SET document = '\"just text\"' WHERE 1")


def _foreign_db(db: Path) -> None:
    db.unlink()
    _sql(
        db,
        "CREATE TABLE meta (k, v)",
        "CREATE TABLE runs (x)",
        "CREATE TABLE reports (y)",
        "CREATE TABLE findings (z)",
        "INSERT INTO runs VALUES (1)",
    )


def _bit_flips(db: Path) -> None:
    data = bytearray(db.read_bytes())
    rng = random.Random("store-flip")
    for _ in range(400):
        position = rng.randrange(100, len(data))  # keep the header: a damaged store, not a foreign file
        data[position] ^= 1 << rng.randrange(8)
    db.write_bytes(bytes(data))


def _not_sqlite(db: Path) -> None:
    db.write_bytes(seed_bytes(0))


def _store_folder(db: Path) -> None:
    db.unlink()
    db.mkdir()


HOLD_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(120)
"""


def _locked(db: Path) -> list[subprocess.Popen]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    holder.stdout.readline()  # wait until the lock is held
    return [holder]


def store_cases() -> list[Case]:
    cases = []
    for name, corrupt in (
        ("corrupt-json-rows", _corrupt_row_json),
        ("wrong-types", _wrong_types),
        ("foreign-db", _foreign_db),
        ("bit-flipped", _bit_flips),
        ("not-sqlite", _not_sqlite),
        ("folder", _store_folder),
        ("locked", _locked),
    ):
        cases.append(_store_case(name, corrupt, "audit"))
        if name in ("corrupt-json-rows", "wrong-types", "foreign-db", "bit-flipped"):
            cases.append(_store_case(name, corrupt, "diff"))
    return cases


# ----------------------------------------------------------------- outputs


def _output_case(name: str, target: Callable[[Path], Path], needs: str | None = None, **kw) -> Case:
    """--output somewhere it cannot (or must not) be written: exit 2, one line, nothing left."""

    def build(work: Path) -> Invocation:
        folder, _tokens = seed_folder(work, 2)
        out = target(work)
        inv = Invocation(
            audit_json([str(folder)], "--output", str(out)),
            work,
            ERROR_ONLY,
            names_file=out.name,
            checks=(one_error_line,),
            **kw,
        )
        return inv

    return Case("outputs", name, build, needs)


def one_error_line(o: Outcome) -> str | None:
    lines = [line for line in o.err.splitlines() if line.strip()]
    return None if len(lines) == 1 else f"{len(lines)} lines on stderr, expected one"


def _fifo_target(work: Path) -> Path:
    os.mkfifo(work / "O_fifo.json")
    return work / "O_fifo.json"


def _device_target(work: Path) -> Path:
    path = work / "O_device.json"
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # like /dev/full, inside the work folder
    return path


def still_special(path_name: str, kind: Callable[[int], bool]) -> Callable[[Outcome], str | None]:
    def check(o: Outcome) -> str | None:
        path = o.invocation.cwd / path_name
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return f"{path_name} was removed"
        return None if kind(mode) else f"{path_name} was replaced by a regular file"

    return check


def _private_mount(options: str, work: Path) -> tuple[str, ...]:
    mount = work / "mnt"
    mount.mkdir()
    script = 'mount -t tmpfs -o "$1" tmpfs "$2" && shift 2 && exec "$@"'
    return ("unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", options, str(mount))


def output_cases() -> list[Case]:
    cases = [
        _output_case("missing-folder", lambda w: w / "O_missing" / "out.json"),
        _output_case("folder-as-output", lambda w: (w / "O_folder").mkdir() or w / "O_folder"),
    ]

    def fifo(work: Path) -> Invocation:
        folder, _ = seed_folder(work, 1)
        out = _fifo_target(work)
        return Invocation(
            audit_json([str(folder)], "--output", str(out)),
            work,
            ERROR_ONLY,
            names_file=out.name,
            checks=(still_special("O_fifo.json", stat.S_ISFIFO), one_error_line),
        )

    def device(work: Path) -> Invocation:
        folder, _ = seed_folder(work, 1)
        out = _device_target(work)
        return Invocation(
            audit_json([str(folder)], "--output", str(out)),
            work,
            ERROR_ONLY,
            names_file=out.name,
            checks=(still_special("O_device.json", stat.S_ISCHR), one_error_line),
        )

    def read_only(work: Path) -> Invocation:
        folder, _ = seed_folder(work, 1)
        return Invocation(
            audit_json([str(folder)], "--output", str(work / "mnt" / "O_readonly.json")),
            work,
            ERROR_ONLY,
            names_file="O_readonly",
            prefix=_private_mount("ro,size=64k", work),
            checks=(one_error_line,),
        )

    def disk_full(work: Path) -> Invocation:
        folder, _ = seed_folder(work, 3)
        return Invocation(
            audit_json([str(folder)], "--output", str(work / "mnt" / "O_full.json")),
            work,
            ERROR_ONLY,
            names_file="O_full",
            prefix=_private_mount("size=4k", work),  # the JSON of three reports is larger
            checks=(one_error_line,),
        )

    def file_size_limit(work: Path) -> Invocation:
        folder, _ = seed_folder(work, 3)
        return Invocation(
            audit_json([str(folder)], "--output", str(work / "O_fsize.json")),
            work,
            ERROR_ONLY,
            names_file="O_fsize",
            fsize_limit=2048,
            checks=(one_error_line,),
        )

    def no_permission(work: Path) -> Invocation:
        folder, _ = seed_folder(work, 1)
        locked = work / "O_locked"
        locked.mkdir()
        locked.chmod(0o555)
        return Invocation(
            audit_json([str(folder)], "--output", str(locked / "out.json")),
            work,
            ERROR_ONLY,
            names_file="O_locked",
            prefix=permission_prefix(),
            checks=(one_error_line,),
        )

    cases += [
        Case("outputs", "fifo-as-output", fifo),
        Case("outputs", "device-as-output", device, "root"),
        Case("outputs", "read-only-fs", read_only, "unshare"),
        Case("outputs", "disk-full", disk_full, "unshare"),
        Case("outputs", "file-size-limit", file_size_limit),
        Case("outputs", "no-permission", no_permission, "permissions"),
    ]
    for option, values in (("--jobs", ("0", "-1")), ("--timeout", ("0", "-5"))):
        for value in values:

            def bad_number(work: Path, option=option, value=value) -> Invocation:
                folder, _ = seed_folder(work, 1)
                return Invocation(
                    audit_json([str(folder)])[:-2] + [option, value],
                    work,
                    ERROR_ONLY,
                    stderr_must=(re.escape(option),),
                )

            cases.append(Case("outputs", f"option{option}={value}", bad_number))
    cases += non_utf8_output_cases() + injection_cases()
    return cases


FORMATS = ("table", "markdown", "csv", "json", "html", "xlsx", "sarif")


def utf8_text(o: Outcome) -> str | None:
    """What gxaudit prints is UTF-8 whatever the file names (not bytes a reader cannot decode)."""
    try:
        o.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"stdout is not UTF-8 (byte {exc.start}): a file name's raw bytes were printed"
    return None


def output_is_utf8(path: Path, fmt: str) -> Callable[[Outcome], str | None]:
    def check(_o: Outcome) -> str | None:
        if not path.exists():
            return f"{path.name} not written"
        if fmt == "xlsx":
            return None  # a zip; openpyxl wrote it (it refuses strings it cannot encode)
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            return f"{path.name} is not UTF-8 (byte {exc.start})"
        return None

    return check


def non_utf8_output_cases() -> list[Case]:
    """A file name that is not UTF-8 through every output format, to a file and to stdout.

    How Python writes such a name to stdout depends on the locale (strict under
    most UTF-8 locales: a crash; surrogateescape under C/C.UTF-8: raw bytes), so
    the check is on what comes out: no traceback, and UTF-8 text."""

    def lay_out(work: Path) -> Path:
        folder = work / "in"
        put(folder, b"N_bad\xff\xfe.txt", seed_bytes(0))
        put(folder, b"N_worse\xed\xa0\x80.txt", b"\x00\x01binary")  # an error entry too
        return folder

    cases = []
    for fmt in FORMATS:

        def to_file(work: Path, fmt=fmt) -> Invocation:
            out = work / f"out.{fmt}"
            argv = ["audit", str(lay_out(work)), "--format", fmt, "--no-progress", "--jobs", "1"]
            return Invocation([*argv, "--output", str(out)], work, checks=(output_is_utf8(out, fmt),))

        cases.append(Case("outputs", f"non-utf8-name-{fmt}", to_file))
    for fmt in ("table", "json"):

        def to_stdout(work: Path, fmt=fmt) -> Invocation:
            argv = ["audit", str(lay_out(work)), "--format", fmt, "--no-progress", "--jobs", "1"]
            return Invocation(argv, work, checks=(utf8_text,))

        cases.append(Case("outputs", f"non-utf8-name-stdout-{fmt}", to_stdout))
    for fmt in ("json", "tree"):

        def parse_build(work: Path, fmt=fmt) -> Invocation:
            path = put(work, b"N_bad\xff\xfe.txt", seed_bytes(0))
            return Invocation(
                ["parse", str(path), "--format", fmt], work, OK_OR_FINDINGS, checks=(utf8_text,)
            )

        cases.append(Case("outputs", f"non-utf8-name-parse-{fmt}", parse_build))
    return cases


FORMULA = '=HYPERLINK("http://x","1")'
ESCAPES = "\x1b[2J\x1b]0;title\x07\x1b[31m红"


def hostile_title(prefix: str) -> str:
    """Seed 0 with something hostile in front of its organ name (the title line)."""
    text = seed_text(0)
    return text.replace("半坡镇人民政府2020年", f"{prefix}半坡镇人民政府2020年", 1)


def injection_cases() -> list[Case]:
    cases = []

    def spreadsheet(fmt: str) -> Callable[[Path], Invocation]:
        def build(work: Path) -> Invocation:
            folder = work / "in"
            for i, lead in enumerate("=+-@"):
                put(folder, f"I{i}_{lead}cmd.txt", hostile_title(lead + FORMULA[1:]))
            put(folder, "=1+1.txt", seed_bytes(1))
            put(folder, "@SUM(1).txt", b"not a report at all")
            out = work / f"out.{fmt}"
            argv = ["audit", ".", "--format", fmt, "--no-progress", "--jobs", "1", "--output", str(out)]
            return Invocation(argv, folder, checks=(no_formula_cells(out, fmt),))

        return build

    cases.append(Case("outputs", "csv-formula-cells", spreadsheet("csv")))
    cases.append(Case("outputs", "xlsx-formula-cells", spreadsheet("xlsx")))

    def markdown(work: Path) -> Invocation:
        folder = work / "in"
        put(folder, "I_pipe.txt", hostile_title("甲|乙**丙**[链接](http://x)<b>"))
        put(folder, "I_plain.txt", seed_bytes(1))
        put(folder, "I_pipe|name.txt", b"\xff\xfe\x00x")  # an error row with a pipe in its name
        argv = ["audit", str(folder), "--format", "markdown", "--no-progress", "--jobs", "1"]
        return Invocation(argv, work, checks=(markdown_tables_whole,))

    def terminal(work: Path) -> Invocation:
        folder = work / "in"
        put(folder, "I_escape.txt", hostile_title(ESCAPES))
        put(folder, "I_\x1b[31mred\x07.txt", b"\x00\x01binary")  # an error line naming it
        argv = ["audit", str(folder), "--no-progress", "--jobs", "1"]
        return Invocation(argv, work, checks=(no_control_characters,))

    def terminal_parse(work: Path) -> Invocation:
        path = put(work, "I_escape.txt", hostile_title(ESCAPES))
        return Invocation(["parse", str(path)], work, checks=(no_control_characters,))

    cases += [
        Case("outputs", "markdown-escapes", markdown),
        Case("outputs", "terminal-escapes-audit", terminal),
        Case("outputs", "terminal-escapes-parse", terminal_parse),
    ]
    return cases


def no_formula_cells(out: Path, fmt: str) -> Callable[[Outcome], str | None]:
    def check(_o: Outcome) -> str | None:
        if not out.exists():
            return f"{out.name} not written"
        if fmt == "csv":
            import csv

            rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
            cells = [c for row in rows for c in row]
        else:
            import openpyxl

            book = openpyxl.load_workbook(out)
            cells = []
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if cell.data_type == "f":
                            return f"{fmt}: formula cell {cell.coordinate} in {sheet.title}: {cell.value!r}"
                        if isinstance(cell.value, str):
                            cells.append(cell.value)
        hostile = [c for c in cells if c[:1] in "=+-@" and re.search(r"HYPERLINK|cmd|SUM|1\+1", c)]
        return f"{fmt}: {len(hostile)} cells start with = + - @, e.g. {hostile[0]!r}" if hostile else None

    return check


def markdown_tables_whole(o: Outcome) -> str | None:
    """Each Markdown table row has as many cells as its header (a '|' in a name is escaped)."""
    widths: list[int] = []
    for line in o.out.splitlines():
        if line.startswith("|"):
            cells = len(re.findall(r"(?<!\\)\|", line))
            if widths and cells != widths[0]:
                return f"a table row has {cells - 1} cells, its header {widths[0] - 1}: {line[:80]!r}"
            widths = widths or [cells]
        else:
            widths = []
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def no_control_characters(o: Outcome) -> str | None:
    for stream, text in (("stdout", o.out), ("stderr", o.err)):
        found = _CONTROL.search(text)
        if found:
            return f"{stream} carries control character {found.group()!r}"
    return None


# ----------------------------------------------------------------- the catalogue


def catalogue() -> list[Case]:
    """Every class of issue 11, for the test module."""
    cases = (
        memory_cases()
        + time_cases()
        + reason_cases()
        + linebreak_cases()
        + accounted_cases()
        + rules_cases()
        + settings_cases()
        + diff_cases()
        + store_cases()
        + output_cases()
    )
    cases += [byte_batch(seed, 16) for seed in (1, 2, 3)]
    cases += [byte_parse(seed) for seed in range(1, 9)]
    return cases


# ----------------------------------------------------------------- random mutations (soak)


def _random_structural(rng: random.Random, index: int) -> Case:
    """A structural mutation with random sizes: the issue's shapes, smaller or larger."""
    choice = rng.randrange(9)
    if choice == 0:
        make, name, ext = (
            functools.partial(pipe_flood, rng.choice([10_000, 100_000, 1_000_000])),
            "pipes",
            "md",
        )
    elif choice == 1:
        make, name, ext = functools.partial(wide_markdown, rng.choice([100, 1000, 10_000])), "wide", "md"
    elif choice == 2:
        n = rng.choice([10, 50, 100])
        make, name, ext = (
            functools.partial(colspan_bomb, n, n, rng.choice([10, 100, 1000])),
            "colspan",
            "html",
        )
    elif choice == 3:
        make, name, ext = (
            functools.partial(
                docx_gridspan_bomb,
                rng.choice([10, 100, 600]),
                rng.choice([10, 100, 500]),
                rng.choice([10, 1000]),
            ),
            "gridspan",
            "docx",
        )
    elif choice == 4:
        separator = "".join(rng.choice(list(LINE_BREAKS.values())) for _ in range(rng.randint(1, 2)))
        seed = rng.randrange(len(seed_paths()))
        make, name, ext = (lambda: with_line_breaks(seed_text(seed), separator).encode()), "breaks", "txt"
    elif choice == 5:
        value = rng.choice(["9" * rng.randint(19, 6000), "-" + "9" * 25, "1e" + str(rng.randint(300, 999))])
        seed = rng.randrange(len(seed_paths()))
        make, name, ext = (
            (lambda: replace_cell(seed_text(seed), NEW_APPLICATIONS, value).encode()),
            "bignum",
            "txt",
        )
    elif choice == 6:
        make, name, ext = (
            functools.partial(one_line_text, rng.choice([100_000, 1_000_000, 5_000_000])),
            "oneline",
            "txt",
        )
    elif choice == 7:
        make, name, ext = functools.partial(nested_tables, rng.choice([100, 1000, 10_000])), "nested", "html"
    else:
        make, name, ext = functools.partial(long_markdown, rng.choice([1000, 20_000, 100_000])), "long", "md"
    filename = f"X{index}_{name}.{ext}"
    if rng.random() < 0.5:  # a large file may take longer than the wall limit: both commands have --timeout
        return _parse_case("structural", f"{name}-{index}", make, filename, "--timeout", str(TIME_LIMIT))
    return _audit_case("structural", f"{name}-{index}", make, filename, "--timeout", str(TIME_LIMIT))


def _random_rules(rng: random.Random, index: int) -> Case:
    """A rule file with a randomly grown expression (nesting, terms, constants)."""
    pieces = [f"{CELL} == {rng.choice(['1', '9' * rng.randint(1, 30), '-' + '9' * 20])}"]
    for _ in range(rng.randint(1, 40)):
        step = rng.randrange(4)
        if step == 0:
            pieces[-1] = f"({pieces[-1]})"
        elif step == 1:
            pieces.append(f"{CELL} == {rng.randint(0, 10**6)}")
        elif step == 2:
            pieces[-1] = f"({pieces[-1]} or {CELL} == {rng.randint(0, 9)})"
        else:
            pieces[-1] = f"not {pieces[-1]}"
    expr = " and ".join(pieces)

    def build(work: Path) -> Invocation:
        path = put(work, f"R_random{index}.yaml", rule_file([expr]))
        return Invocation(["rules", "validate", str(path)], work, names_file=path.name, wall=8)

    return Case("rules", f"random-{index}", build)


def mutation_cases(seed: int, count: int, batch: int = 12) -> list[Case]:
    """`count` random cases: byte-mutated audit batches and parses, structural shapes, rule files."""
    rng = random.Random(f"soak:{seed}")
    cases = []
    for index in range(count):
        roll = rng.random()
        if roll < 0.35:
            cases.append(byte_batch(rng.randrange(10**9), batch, name=f"batch-{seed}-{index}"))
        elif roll < 0.65:
            cases.append(byte_parse(rng.randrange(10**9)))
        elif roll < 0.9:
            cases.append(_random_structural(rng, index))
        else:
            cases.append(_random_rules(rng, index))
    return cases


def prepare(case: Case, work: Path) -> Invocation:
    """Lay out a case in an empty folder (created) and return its invocation."""
    if work.exists():
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return case.build(work)
