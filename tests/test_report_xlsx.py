"""The Excel workbook: four sheets, every finding a row, ranking as ranked, deterministic bytes."""
import io
import zipfile

import pytest

import openpyxl

from conftest import REPORTS
from gxaudit.audit.ranking import rank
from gxaudit.audit.batch import AuditSetup, run_batch
from gxaudit.report.xlsx import (FINDING_HEADERS, RANKING_HEADERS, RULE_HEADERS, RULE_STAT_HEADERS,
                                 render_xlsx)
from gxaudit.rules.load import builtin_rules_dir, load_rules


def audit(paths):
    setup = AuditSetup(rule_dirs=(str(builtin_rules_dir()),), scoring_path=None, engine="durable")
    return rank(run_batch([str(p) for p in paths], setup, jobs=1, progress=False))


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    results = audit(sorted(REPORTS.glob("*.txt")) + [empty])
    rules, version = load_rules([builtin_rules_dir()])
    return results, rules, version


@pytest.fixture(scope="module")
def workbook(audited):
    data = render_xlsx(*audited)
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws):
    """The sheet as dicts keyed by its header row."""
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row)) for row in values[1:]]


def test_four_sheets_with_bold_frozen_headers(workbook):
    assert workbook.sheetnames == ["排名", "问题清单", "规则统计", "规则"]
    expected = {"排名": RANKING_HEADERS, "问题清单": FINDING_HEADERS, "规则统计": RULE_STAT_HEADERS,
                "规则": RULE_HEADERS}
    for name, headers in expected.items():
        ws = workbook[name]
        assert [c.value for c in ws[1]] == headers
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert all(ws.column_dimensions[c.column_letter].width >= 6 for c in ws[1])


def test_ranking_sheet_matches_the_ranking(audited, workbook):
    results, _, _ = audited
    ranking = rows(workbook["排名"])
    assert len(ranking) == len(results)
    for row, r in zip(ranking, results):
        assert row["排名"] == r.rank
        assert row["机关"] == r.organ
        assert row["年度"] == r.year
        assert row["文件"] == r.path
        assert row["得分"] == (None if r.score is None else pytest.approx(r.score))
        assert row["等级"] == r.grade
        # findings as listed: repeated ones of a rule on one row or table count once
        assert (row["错误"], row["警告"], row["提示"]) == (r.shown_count("error"), r.shown_count("warning"),
                                                        r.shown_count("info"))
        assert row["主要问题"] == (r.main_problem or None)
    audited = [row for row in ranking if row["状态"] == "已审查"]
    # equal scores share a rank: 1 + how many scored better
    assert [row["排名"] for row in audited] == [1 + sum(o["得分"] > row["得分"] for o in audited)
                                               for row in audited]
    broken = [row for row in ranking if row["文件"].endswith("empty.txt")]
    assert broken[0]["状态"] == "无法处理" and broken[0]["原因"] == "文件为空"


def test_every_finding_is_a_row(audited, workbook):
    results, _, _ = audited
    findings = [(r, f) for r in results for f in r.shown_findings()]
    assert findings, "the sample reports have findings"
    assert any(f.items for _, f in findings), "the samples have repeated findings shown as one"
    assert sum(f.count for _, f in findings) == sum(len(r.findings) for r in results)
    sheet = rows(workbook["问题清单"])
    assert len(sheet) == len(findings)
    for row, (r, f) in zip(sheet, findings):
        assert row["规则"] == f.rule
        assert row["说明"] == f.message
        assert row["指纹"] == f.fingerprint
        assert row["文件"] == r.path and row["排名"] == r.rank
        assert row["行号"] == f.location.get("line")
        assert row["表"] == f.location.get("table")
        assert row["列"] == f.location.get("column")
        assert row["扣分"] == pytest.approx(f.deduction)
        assert row["已豁免"] == ("是" if f.waived else "否")
        assert row["处数"] == f.count


def test_findings_sheet_has_an_autofilter_over_the_whole_range(workbook):
    ws = workbook["问题清单"]
    assert ws.auto_filter.ref == ws.dimensions
    assert ws.auto_filter.ref.startswith("A1:") and ws.max_row > 1


def test_rule_statistics_and_rules(audited, workbook):
    results, rules, _ = audited
    listed = rows(workbook["规则"])
    assert [row["规则"] for row in listed] == [r.id for r in rules]
    for row, rule in zip(listed, rules):
        assert row["标题"] == rule.title and row["提示模板"] == rule.message
        assert row["来源"].endswith(f"{rule.source.rsplit('/', 1)[-1]}:{rule.line}")
    stats = {row["规则"]: row for row in rows(workbook["规则统计"])}
    assert set(stats) == {r.id for r in rules}
    for rule in rules:
        hits = [(r, f) for r in results for f in r.findings if f.rule == rule.id]
        assert stats[rule.id]["问题数"] == len(hits)
        assert stats[rule.id]["涉及报告数"] == len({r.path for r, _ in hits})
        assert stats[rule.id]["合计扣分"] == pytest.approx(sum(f.deduction for _, f in hits))


def test_waived_findings_and_report_text_are_written_safely(audited):
    results, rules, version = audited
    report = next(r for r in results if r.findings)
    finding = report.findings[0]
    saved = finding.waiver, finding.actual
    try:
        finding.waiver = {"reason": "已核实，系填报笔误", "by": "张三", "until": "2027-06-30"}
        finding.actual = '=HYPERLINK("http://example.invalid")\x07'
        sheet = rows(openpyxl.load_workbook(io.BytesIO(render_xlsx(results, rules, version)))["问题清单"])
    finally:
        finding.waiver, finding.actual = saved
    row = next(row for row in sheet if row["指纹"] == finding.fingerprint)
    assert (row["已豁免"], row["豁免理由"], row["豁免人"]) == ("是", "已核实，系填报笔误", "张三")
    assert row["实为"] == '\'=HYPERLINK("http://example.invalid")'     # text, never a formula


def test_identical_bytes_for_identical_results(audited):
    first = render_xlsx(*audited)
    second = render_xlsx(*audited)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "2000-01-01T00:00:00Z" in core


def test_the_line_column_is_the_files_line_as_the_csv_gives_it(tmp_path):
    """行号 is the line of the file as the supervisor opens it, as the CSV (and every other
    output) gives it: a web page's <tr> line, a flattened page's one line, none for a PDF
    page. It was the parser's own line of its rewritten text (34 for a web page's line 43)."""
    import csv
    import subprocess
    import sys

    from conftest import CORPUS

    names = ("012_shuyang_fgj_2023.html", "004_pingtan_2022_zfxxgk_nb.txt", "008_huaian_hongzequ_2023.pdf")
    files = [CORPUS / n for n in names if (CORPUS / n).exists()]
    assert len(files) >= 2
    outputs = {}
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"out.{fmt}"
        command = [sys.executable, "-m", "gxaudit", "audit", *map(str, files), "--format", fmt, "-o", str(out)]
        assert subprocess.run([*command, "--no-progress"], capture_output=True).returncode in (0, 1)
        outputs[fmt] = out
    with outputs["csv"].open(encoding="utf-8-sig", newline="") as handle:
        expected = [
            (r["文件"], r["规则"], r["说明"], int(r["行号"]) if r["行号"] else None)
            for r in csv.DictReader(handle)
            if r["规则"]
        ]
    book = openpyxl.load_workbook(outputs["xlsx"])
    found = [(r["文件"], r["规则"], r["说明"], r["行号"]) for r in rows(book["问题清单"])]
    assert sorted(found, key=str) == sorted(expected, key=str)
    # the web page's lines are its own: past the parser's line count of its rewritten text
    assert any(line and line > 40 for path, _r, _m, line in found if path.endswith(".html"))
