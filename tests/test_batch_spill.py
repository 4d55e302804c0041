"""Issue 10 item 3: a batch's results on disk give the same pairing, ranking and JSON as the
in-memory path (ranking.rank, PreviousIndex, json.dumps of the document), and the parent's
memory stays flat however many results pass through the spill."""

from __future__ import annotations

import gc
import json
import random
import tempfile
import tracemalloc

import pytest

from gxaudit.audit.batch.runner import apply_cross_year
from gxaudit.audit.batch.spill import Spill
from gxaudit.audit.batch.work import compact
from gxaudit.audit.crossyear import organ_key
from gxaudit.audit.findings import Finding, ReportResult
from gxaudit.audit.ranking import document, rank
from gxaudit.errors import OutputError
from gxaudit.report.json import chunks
from gxaudit.report.run import Run

ORGANS = [
    "淮安市洪泽区人民政府",
    "洪泽区人民政府",
    "洪泽区",
    "平潭县",
    "福建省平潭县",
    "县",
    "苏平",
    None,
    "平潭县公安局",
]
STATUSES = ["audited"] * 6 + ["error", "not_applicable", "skipped"]


def finding(severity: str, waived: bool = False) -> Finding:
    return Finding(
        rule="GX-T-001",
        category="balance",
        severity=severity,
        title="t",
        message="m",
        location={"line": 1},
        expected=1,
        actual=2,
        weight=1.0,
        fingerprint="f",
        waiver={"reason": "r", "by": "b", "until": None} if waived else None,
    )


def synthetic(count: int, seed: int = 7) -> list[ReportResult]:
    """Results with many ties (same score, counts and organ) and awkward paths."""
    rng = random.Random(seed)
    results = []
    for i in range(count):
        status = rng.choice(STATUSES)
        organ = rng.choice(ORGANS)
        year = rng.choice([2021, 2022, 2023, None])
        path = rng.choice(["a", "b", "a/b", "a-b", "a/\udcff", "甲", "a\u00e9"]) + f"/{i % 5}.txt"
        r = ReportResult(path=path, status=status, organ=organ, year=year, format="2021")
        if status == "audited":
            r.score = rng.choice([100, 92.5, 92.5, 80, 0])
            r.findings = [
                finding(rng.choice(["error", "warning", "info"]), rng.random() < 0.2) for _ in range(3)
            ]
            r.figures = {"year": year, "organ_key": organ_key(organ), "organ": organ, "path": path}
        else:
            r.error = "原因"
        results.append(r)
    return results


class RecordingAuditor:
    """Stands for the Auditor in cross-year: records which previous year each report got."""

    def audit_cross_year(self, result, previous):
        result.previous = {"path": previous["path"], "organ": previous["organ"], "year": previous["year"]}
        result.score = (result.score or 0) - 1  # the pairing changes the ranking, as findings would


def spilled(results: list[ReportResult], in_memory_bytes: int = 0) -> Spill:
    """The results through a spill (on disk from the first flush unless told otherwise)."""
    spill = Spill(in_memory_bytes)
    for index, result in enumerate(results):
        spill.add(compact(index, result))
    spill.flush()
    return spill


@pytest.mark.parametrize("grouped", [False, True])
@pytest.mark.parametrize("in_memory_bytes", [0, 10**9])  # on disk, and all in SQLite's memory
def test_spill_pairs_and_ranks_as_the_in_memory_path(grouped, in_memory_bytes):
    results = synthetic(400)
    group_of = (
        (lambda r: "组" + str(len(r.organ or "")) if len(r.organ or "") % 3 else None) if grouped else None
    )
    with spilled(results, in_memory_bytes) as spill:
        assert (spill.folder is None) == bool(in_memory_bytes)
        assert spill.cross_year(RecordingAuditor()) == apply_cross_year(RecordingAuditor(), results)
        spill.rank(group_of)
        on_disk = list(spill.ranked())
    in_memory = rank(results, group_of)
    assert [(r.path, r.rank, r.group, r.previous, r.score) for r in on_disk] == [
        (r.path, r.rank, r.group, r.previous, r.score) for r in in_memory
    ]
    assert sum(r.previous is not None for r in in_memory) > 20  # pairs were found


# pieces of made organ names: a name often ends another (区 → 洪泽区 → 淮安市洪泽区), one
# piece is outside the BMP and one a lone surrogate (an undecodable file name's organ)
PIECES = ["淮安市", "洪泽", "区", "局", "县", "\U00020000", "\udcff", "a", "平潭"]


def made_names(count: int, seed: int) -> list[ReportResult]:
    """Results whose organ keys are one to six pieces over three years, with no
    checked names of the samples: suffix relations of every length, many of them."""
    rng = random.Random(seed)
    results = []
    for i in range(count):
        key = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
        year = rng.choice([2021, 2022, 2023, 2025])
        r = ReportResult(path=f"{i}.txt", status="audited", organ=key, year=year, format="2021")
        r.score = 90
        r.figures = {"year": year, "organ_key": key, "organ": key, "path": r.path}
        results.append(r)
    return results


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_spill_finds_last_year_as_the_in_memory_path_for_made_names(seed):
    """The suffixes and the reports worth a lookup are made in SQL (UTF-32 bytes): the same
    reports paired with the same ones as PreviousIndex, pairs found and pairs refused."""
    results = made_names(600, seed)
    with spilled(results) as spill:
        assert spill.cross_year(RecordingAuditor()) == apply_cross_year(RecordingAuditor(), results)
        spill.rank(None)
        on_disk = {r.path: r.previous for r in spill.ranked()}
    assert on_disk == {r.path: r.previous for r in results}
    paired = sum(r.previous is not None for r in results)
    assert 50 < paired < 500  # pairs found, and reports with none
    assert any(r.previous and r.previous["organ"] != r.organ for r in results)  # by suffix


def test_streamed_json_is_the_document_byte_for_byte():
    results = synthetic(60)
    with spilled(results) as spill:
        spill.rank()
        streamed = "".join(chunks(Run(list(spill.ranked()), "v1")))
    expected = json.dumps(document(rank(results), "v1"), ensure_ascii=False, indent=2) + "\n"
    assert streamed == expected
    assert (
        "".join(chunks(Run([], "v1"))) == json.dumps(document([], "v1"), ensure_ascii=False, indent=2) + "\n"
    )


def _peak_through_spill(count: int) -> int:
    """Peak Python memory while `count` results go through the spill, are ranked and
    written as JSON (to nowhere). The results are made one at a time, as they arrive."""
    gc.collect()
    tracemalloc.start()
    try:
        with Spill(in_memory_bytes=0) as spill:  # on disk, as a large batch is
            for index in range(count):
                spill.add(compact(index, synthetic(1, seed=index)[0]))
            spill.cross_year(RecordingAuditor())
            spill.rank()
            from gxaudit.audit.batch.spill import RankedResults

            written = sum(len(c) for c in chunks(Run(RankedResults(spill), "v1")))
            assert written > count * 100
            for _error in spill.with_status("error"):  # as the CLI prints them, one at a time
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_is_flat_across_the_spill():
    small, large = _peak_through_spill(600), _peak_through_spill(6000)
    # ten times the results, the same peak (what remains per result is an int or two)
    assert large < small * 1.2, (small, large)


def test_a_spill_that_cannot_be_written_is_one_error(tmp_path, monkeypatch):
    """No room for the temporary results (here TMPDIR is a file): an OutputError naming the place."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    with Spill(in_memory_bytes=0) as spill:
        spill.add(compact(0, synthetic(1)[0]))
        with pytest.raises(OutputError, match="无法写入审查的临时结果") as caught:
            spill.flush()
    assert caught.value.path == str(blocked)


def test_streamed_json_keeps_the_group_summary_and_missing_units():
    from gxaudit.audit.units import MissingUnit

    def group_of(r):
        return "组" + str(len(r.organ or "") % 3)

    results = rank(synthetic(80), group_of)
    missing = [MissingUnit(unit="某镇人民政府", group="组1", parent="某县人民政府", reason="未提交年度报告")]
    run = Run(results, "v1", grouped=True, missing=missing)
    expected = document(results, "v1", missing=missing, summaries=run.summaries())
    assert {"groups", "missing"} <= set(expected)
    assert "".join(chunks(run)) == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
