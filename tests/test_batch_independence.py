"""A report's findings do not depend on the other reports of the batch.

A worker keeps what it learns across reports (which rules select a cell, what
durable matched for a fact, label and cell caches). Whatever it keeps must give
each report the findings it gets alone: the seeds and the corpus are audited in
one worker, in two orders, and each in a process of its own, with the built-in
rules and user rules limited to some years or to one format (applies:), which
apply to some reports of a format and not to others.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, REPO, SEEDS, audit_to_json

RULES = REPO / "tests" / "data" / "rules_limited"
FILES = sorted(p for p in [*SEEDS.iterdir(), *CORPUS.iterdir()] if p.name != "README.md")


def _audit(paths: list[Path], out: Path, engine: str) -> dict[str, list]:
    doc = audit_to_json(paths, out, "--rules", str(RULES), "--jobs", "1", "--engine", engine, "--isolated")
    return {
        Path(r["path"]).name: sorted(
            (f["rule"], f["message"], json.dumps(f["location"], sort_keys=True)) for f in r["findings"]
        )
        for r in doc["reports"]
    }


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_findings_of_a_report_are_those_it_gets_alone(tmp_path, engine):
    forward = _audit(FILES, tmp_path / "forward.json", engine)
    backward = _audit(FILES[::-1], tmp_path / "backward.json", engine)
    assert forward == backward
    alone = {}
    for path in FILES:
        alone.update(_audit([path], tmp_path / "alone.json", engine))
    assert forward == alone
    fired = {rule for findings in forward.values() for rule, _, _ in findings}
    assert {"USR-ORD-001", "USR-ORD-002", "USR-ORD-004"} <= fired  # the limited rules did fire
