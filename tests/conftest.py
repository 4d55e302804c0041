import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GXAUDIT_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
REPORTS = REPO / "reports"


def pytest_configure(config):
    """Checked and compiled rules are kept between runs (gxaudit/rules/cache.py): the tests,
    and the commands they start, keep theirs in a folder of their own, not the user's."""
    import tempfile

    config._gxaudit_cache = tempfile.mkdtemp(prefix="gxaudit-test-cache-")
    os.environ["GXAUDIT_CACHE_DIR"] = config._gxaudit_cache


def pytest_unconfigure(config):
    import shutil

    folder = getattr(config, "_gxaudit_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def audit_to_json(paths, out: Path, *options: str) -> dict:
    """`gxaudit audit PATHS --format json -o OUT --no-progress OPTIONS` in its own process
    (exit 0 or 1 asserted); the JSON document it wrote."""
    import json
    import subprocess
    import sys

    command = [sys.executable, "-m", "gxaudit", "audit", *map(str, paths), "--format", "json", "-o", str(out)]
    proc = subprocess.run(
        [*command, "--no-progress", *options], capture_output=True, text=True, encoding="utf-8"
    )
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def findings_by_place(document: dict) -> dict[str, list[tuple]]:
    """Per report of a JSON document, its findings by rule and place in the tables (rule,
    table, row, column), sorted: not by line, for variants whose lines move."""
    return {
        r["path"]: sorted(
            (f["rule"], f["location"].get("table"), f["location"].get("row"), f["location"].get("column"))
            for f in r["findings"]
        )
        for r in document["reports"]
    }


def findings_of(capsys, path, *options: str) -> list[dict]:
    """The findings of one report, from `gxaudit audit PATH --format json` run in this
    process (one job; `capsys` takes what it prints)."""
    import json

    from gxaudit.cli import main

    main(["audit", str(path), "--format", "json", "--no-progress", "--jobs", "1", *options])
    return json.loads(capsys.readouterr().out)["reports"][0]["findings"]


def sample_reports(*more: Path) -> list[Path]:
    """Every report file of the seeds, the corpus, reports/ and the folders `more`."""
    paths = sorted(SEEDS.glob("*")) + sorted(CORPUS.iterdir()) + sorted(REPORTS.glob("*"))
    for folder in more:
        paths += sorted(folder.glob("*"))
    return [p for p in paths if p.is_file() and p.name not in ("README.md", "manifest.json")]


def generated_reports(folder: Path, count: int, seed: int, shapes: str = "text,cells,html") -> Path:
    """`count` reports made by benchmarks/generate.py into `folder` (for the differential
    tests that read every line of made reports two ways); returns the folder."""
    import subprocess
    import sys

    command = [sys.executable, str(REPO / "benchmarks" / "generate.py"), str(folder), "--count", str(count)]
    subprocess.run([*command, "--seed", str(seed), "--shapes", shapes], check=True, capture_output=True)
    return folder


def tab_row_reports(tmp_path_factory, count: int, seed: int) -> list[Path]:
    """The seeds written a table row a line, cells apart by tabs, and `count` reports made by
    benchmarks/generate.py in that shape (the variant tests' originals)."""
    import re

    seeds = [p for p in sorted(SEEDS.glob("*.txt")) if re.search(r"\S\t+\S", p.read_text(encoding="utf-8"))]
    made = generated_reports(tmp_path_factory.mktemp("made"), count, seed, "text")
    return seeds + sorted(made.glob("*.txt"))


def organs_and_years(tmp_path_factory, tmp_path: Path, count: int, seed: int) -> list[tuple[Path, str, int]]:
    """(path, organ, year) of the tab-row reports (tab_row_reports) whose year is read, as an
    audit of them reads those (the originals of variants that change a title)."""
    originals = tab_row_reports(tmp_path_factory, count, seed)
    document = audit_to_json(originals, tmp_path / "originals.json")
    read = {r["path"]: r for r in document["reports"]}
    return [(p, read[str(p)]["organ"], read[str(p)]["year"]) for p in originals if read[str(p)]["year"]]


def unsigned_text(path: Path) -> str:
    """A report's text without the signature it may end with (its organ and its date)."""
    from gxaudit.formats.grammar import is_date_line
    from gxaudit.parse.metadata import signature_date

    lines = path.read_text(encoding="utf-8").split("\n")
    signed = signature_date(lines)
    if signed is None:
        return "\n".join(lines)
    cut = signed[1] - 1  # the date's line; the organ's is the one before a date alone
    if is_date_line(lines[cut]):
        cut = max(n for n in range(cut) if lines[n].strip())
    return "\n".join(lines[:cut])


def mutations(lines: list[str], rng, count: int, alphabet: list[str]) -> list[str]:
    """`count` lines picked from `lines`, each with one to three characters of `alphabet`
    inserted, deleted or replaced at random places (differential tests' perturbations)."""
    out = []
    for _ in range(count):
        line = list(rng.choice(lines))
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(line))
            what = rng.random()
            if what < 0.5:
                line.insert(at, rng.choice(alphabet))
            elif line and what < 0.75:
                del line[min(at, len(line) - 1)]
            elif line:
                line[min(at, len(line) - 1)] = rng.choice(alphabet)
        out.append("".join(line))
    return out


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def reports_dir() -> Path:
    return REPORTS


@pytest.fixture
def runs():
    """Start `gxaudit` commands as separate processes (batch_processes.Run); each is
    cleaned up (killed if still running, its processes reaped) after the test."""
    from batch_processes import Run

    started: list[Run] = []

    def start(args, env=None) -> Run:
        started.append(Run(args, env))
        return started[-1]

    yield start
    for run in started:
        run.cleanup()
