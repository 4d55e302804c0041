"""Issue 12 "Findings worth reading, scores that rank right" and "Outputs that survive forwarding",
issue 11 "Outputs": every point through the command line, on the seeds and the corpus.

Expected values are read off the files by hand: 012 (沭阳县发展和改革局) leaves the five legal-person
columns of table three blank in all 25 rows of the 2021 format (125 cells) and nothing else is wrong
with its figures; in the seeds, 景泰县 and 焦虎镇 each have one warning of weight 3 (98.5 points).
"""
import csv
import io
import json
import os
import sys

import openpyxl
import pytest

from conftest import CORPUS, SEEDS
from gxaudit.cli import main

R012 = CORPUS / "012_shuyang_fgj_2023.html"
S000 = SEEDS / "000_f29079d135fdfab1.txt"
LEGAL_PERSON = ["commercial", "research", "social", "legal", "other"]


def numeric_positions(cells):
    """Where a table-three row of the seeds has its seven numbers (自然人, five legal-person, 总计)."""
    return [i for i, c in enumerate(cells) if c.strip().isdigit()]


def blank_legal_person(line):
    cells = line.split("\t")
    numbers = numeric_positions(cells)
    if len(numbers) != 7:
        return line
    for i in numbers[1:6]:
        cells[i] = ""
    return "\t".join(cells)


def run(capsys, *args):
    code = main(["audit", *args, "--no-progress", "--jobs", "1"])
    captured = capsys.readouterr()
    return code, captured.out


def audit_doc(capsys, *args):
    code, out = run(capsys, *args, "--format", "json")
    return code, json.loads(out)


# ------------------------------------------------------------------ grouped findings


def test_125_blank_cells_are_one_finding_listing_the_rows_and_the_detail_stays_in_json(capsys):
    _, doc = audit_doc(capsys, str(R012))
    (report,) = doc["reports"]
    blanks = [f for f in report["findings"] if f["rule"] == "GX-CEL-001"]
    assert len(blanks) == 125                                     # every cell, in JSON
    assert {f["location"]["column"] for f in blanks} == set(LEGAL_PERSON)
    assert len({f["location"]["row"] for f in blanks}) == 25
    assert len({f["fingerprint"] for f in blanks}) == 125
    (group,) = [g for g in report["finding_groups"] if g["rule"] == "GX-CEL-001"]
    assert group["count"] == 125 and sorted(group["items"]) == sorted(f["fingerprint"] for f in blanks)
    assert group["fingerprint"] not in group["items"]
    assert group["location"]["table"] == "applications" and group["location"]["row"] is None
    assert "125 处统计单元格为空" in group["message"] and "25 行" in group["message"]
    assert "商业企业、科研机构、社会公益组织、法律服务机构、其他" in group["message"]
    assert group["deduction"] == pytest.approx(sum(f["deduction"] for f in blanks))

    _, table = run(capsys, str(R012))
    findings_part = table.split("【", 1)[1]
    assert findings_part.count("GX-CEL-001") == 1                 # one line, not 125
    assert "1（125处）" in table                                  # the ranking says both
    code, markdown = run(capsys, str(R012), "--format", "markdown")
    assert markdown.count("GX-CEL-001") == 1
    code, text = run(capsys, str(R012), "--format", "csv", "--csv-headers", "en")
    rows = list(csv.DictReader(io.StringIO(text)))
    (row,) = [r for r in rows if r["rule"] == "GX-CEL-001"]
    assert row["count"] == "125" and row["fingerprint"] == group["fingerprint"]


def test_cell_findings_in_few_rows_are_one_finding_per_row(tmp_path, capsys):
    # blank only the legal-person cells of two rows of seed 000 (本年新收 and 予以公开)
    lines = S000.read_text(encoding="utf-8").split("\n")
    changed = 0
    for index, line in enumerate(lines):
        if line.startswith("一、本年新收") or "(一) 予以公开" in line:
            lines[index] = blank_legal_person(line)
            changed += lines[index] != line
    assert changed == 2
    variant = tmp_path / "blank_two_rows.txt"
    variant.write_text("\n".join(lines), encoding="utf-8")
    _, doc = audit_doc(capsys, str(variant))
    (report,) = doc["reports"]
    groups = [g for g in report["finding_groups"] if g["rule"] == "GX-CEL-001"]
    assert sorted(g["location"]["row"] for g in groups) == ["granted", "new"]
    assert all(g["count"] == 5 and g["location"]["column"] is None for g in groups)
    assert all("一行 5 处统计单元格为空" in g["message"] for g in groups)


def test_a_waiver_of_a_grouped_finding_covers_its_items_and_item_fingerprints_stay(tmp_path, capsys):
    _, before = audit_doc(capsys, str(R012))
    (report,) = before["reports"]
    (group,) = [g for g in report["finding_groups"] if g["rule"] == "GX-CEL-001"]
    waivers = tmp_path / "w.yaml"
    waivers.write_text(f"waivers:\n  - fingerprint: {group['fingerprint']}\n"
                       "    reason: 法人栏目无申请，空白即0，已告知明年填0\n    by: 王五\n", encoding="utf-8")
    _, after = audit_doc(capsys, str(R012), "--waivers", str(waivers))
    (waived,) = after["reports"]
    blanks = [f for f in waived["findings"] if f["rule"] == "GX-CEL-001"]
    # the detailed findings keep their fingerprints and are each waived, at no cost
    assert [f["fingerprint"] for f in blanks] == group["items"]
    assert all(f.get("waived") and f["deduction"] == 0 for f in blanks)
    assert waived["score"] == pytest.approx(report["score"] + group["deduction"])
    (shown,) = [g for g in waived["finding_groups"] if g["rule"] == "GX-CEL-001"]
    assert shown["fingerprint"] == group["fingerprint"] and shown["waived"] is True
    # a waiver of one item still waives that item only
    one = blanks[0]["fingerprint"]
    waivers.write_text(f"waivers:\n  - fingerprint: {one}\n    reason: 核实\n    by: 王五\n", encoding="utf-8")
    _, partly = audit_doc(capsys, str(R012), "--waivers", str(waivers))
    items = [f for f in partly["reports"][0]["findings"] if f["rule"] == "GX-CEL-001"]
    assert [f["fingerprint"] for f in items if f.get("waived")] == [one]
    (shown,) = [g for g in partly["reports"][0]["finding_groups"] if g["rule"] == "GX-CEL-001"]
    assert shown.get("waived_items") == 1 and "waived" not in shown


# ------------------------------------------------------------------ ranks and the score's breakdown


def test_equal_scores_share_a_rank(capsys):
    _, doc = audit_doc(capsys, str(SEEDS))
    ranked = {r["organ"]: (r["rank"], r["score"]) for r in doc["reports"]}
    assert ranked["景泰县"] == ranked["焦虎镇"] == (2, 98.5)
    assert ranked["半坡镇人民政府"][0] == 1 and ranked["建塘镇人民政府"][0] == 4
    _, table = run(capsys, str(SEEDS))
    ranking = table.split("\n\n")[1].splitlines()[2:]
    assert [line.split()[0] for line in ranking] == ["1", "2", "2", "4", "5"]


def test_breakdown_by_category_in_every_output(tmp_path, capsys):
    # seed 001 (新青镇): missing parts (structure) and blank cells (cells)
    s001 = SEEDS / "001_0843dfdf5e1a4b6d.txt"
    _, doc = audit_doc(capsys, str(s001))
    (report,) = doc["reports"]
    parts = report["deductions_by_category"]
    assert set(parts) == {"structure", "cells"}
    assert sum(parts.values()) == pytest.approx(100 - report["score"])
    assert list(parts) == sorted(parts, key=lambda c: -parts[c])  # largest first
    said = f"结构 −{parts['structure']:g}，单元格 −{parts['cells']:g}"
    _, table = run(capsys, str(s001))
    assert said in table.split("\n\n")[1]                          # in the ranking itself
    _, markdown = run(capsys, str(s001), "--format", "markdown")
    assert said in markdown.split("###")[0]
    _, text = run(capsys, str(s001), "--format", "csv")
    assert {r["扣分构成"] for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))} == {said}
    page = tmp_path / "r.html"
    run(capsys, str(s001), "--format", "html", "--output", str(page))
    html = page.read_text(encoding="utf-8")
    assert f"结构 −{parts['structure']:g}</span>" in html and "<th scope=\"col\" data-type=\"text\"" in html
    book = tmp_path / "r.xlsx"
    run(capsys, str(s001), "--format", "xlsx", "--output", str(book))
    sheet = openpyxl.load_workbook(book)["排名"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("扣分构成") + 1).value == said


def _with_cells(tmp_path, name, edit):
    lines = S000.read_text(encoding="utf-8").split("\n")
    lines = edit(lines)
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_broken_total_ranks_below_blank_legal_person_cells(tmp_path, capsys):
    def blank_table_three(lines):
        start = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
        end = next(i for i, line in enumerate(lines) if line.startswith("四、结转下年度"))
        return lines[:start] + [blank_legal_person(line) for line in lines[start:end + 1]] + lines[end + 1:]

    def break_one_total(lines):
        index = next(i for i, line in enumerate(lines) if line.startswith("(七) 总计"))
        cells = lines[index].split("\t")
        first = numeric_positions(cells)[0]
        cells[first] = str(int(cells[first]) + 1)                 # 自然人 +1: the column no longer adds up
        lines[index] = "\t".join(cells)
        return lines

    blank = _with_cells(tmp_path, "blank.txt", blank_table_three)
    broken = _with_cells(tmp_path, "broken.txt", break_one_total)
    _, doc = audit_doc(capsys, str(blank), str(broken))
    by_name = {os.path.basename(r["path"]): r for r in doc["reports"]}
    assert {f["rule"] for f in by_name["blank.txt"]["findings"]} == {"GX-CEL-001"}
    assert len(by_name["blank.txt"]["findings"]) > 60
    assert {f["category"] for f in by_name["broken.txt"]["findings"]} == {"balance"}
    assert by_name["broken.txt"]["score"] < by_name["blank.txt"]["score"]
    assert by_name["broken.txt"]["rank"] == 2
    # and the real report with 125 blank legal-person cells ranks above it too
    _, doc = audit_doc(capsys, str(R012), str(broken))
    assert [os.path.basename(r["path"]) for r in doc["reports"]] == [R012.name, "broken.txt"]


# ------------------------------------------------------------------ CSV for Excel


def test_csv_is_utf8_with_bom_and_chinese_headers_for_excel(tmp_path, capsys):
    target = tmp_path / "r.csv"
    run(capsys, str(SEEDS), "--format", "csv", "--output", str(target))
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")                      # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:8] == ["排名", "文件", "状态", "机关", "年度", "格式", "得分", "等级"]
    assert "半坡镇人民政府" in data.decode("utf-8-sig")
    statuses = {r[2] for r in rows[1:]}
    assert statuses == {"已审查"}
    severity = rows[0].index("级别")
    assert {r[severity] for r in rows[1:] if r[severity]} == {"错误", "警告", "提示"}
    # --csv-headers en: the same columns with their ids, no BOM, for scripts
    run(capsys, str(SEEDS), "--format", "csv", "--output", str(target), "--csv-headers", "en")
    data = target.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    en = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert en[0][:8] == ["rank", "path", "status", "organ", "year", "format", "score", "grade"]
    assert len(en[0]) == len(rows[0]) and len(en) == len(rows)
    assert {r[2] for r in en[1:]} == {"audited"}


# ------------------------------------------------------------------ group-by, 未提交


@pytest.fixture
def units(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "unit,region,level,parent\n"
        "半坡镇人民政府,伊川县,乡镇,伊川县人民政府\n"
        "焦虎镇,伊川县,乡镇,伊川县人民政府\n"
        "鸣皋镇人民政府,伊川县,乡镇,伊川县人民政府\n"       # no report: 未提交
        "新青镇,伊春市,乡镇,伊春市人民政府\n"
        f"{SEEDS.joinpath('003_51b21fc9b3159953.txt').name},香格里拉市,乡镇,香格里拉市人民政府\n"
        "景泰县,白银市,县,白银市人民政府\n"
        "条山镇,白银市,乡镇,景泰县\n",                      # no report: 未提交
        encoding="utf-8")
    return path


def test_group_by_in_table_and_markdown_with_summary_and_missing(capsys, units):
    _, table = run(capsys, str(SEEDS), "--units", str(units), "--group-by", "region")
    head = table.split("【", 1)[0]
    assert "分组：伊川县（报告 2 份，平均得分 99.2，错误 0，未提交 1）" in head
    assert "未提交：鸣皋镇人民政府（上级：伊川县人民政府）" in head
    assert "未提交：条山镇（上级：景泰县）" in head
    summary = head.split("分组汇总", 1)[1]
    assert "伊川县" in summary and "香格里拉市" in summary
    assert "【2. 〔伊川县〕焦虎镇" in table                      # each report says its group
    _, markdown = run(capsys, str(SEEDS), "--units", str(units), "--group-by", "region", "--format", "markdown")
    assert "### 分组：白银市（报告 1 份，平均得分 98.5，错误 0，未提交 1）" in markdown
    assert "### 分组汇总" in markdown


def test_group_by_in_json_csv_xlsx_html(tmp_path, capsys, units):
    _, doc = audit_doc(capsys, str(SEEDS), "--units", str(units), "--group-by", "region")
    assert [m["unit"] for m in doc["missing"]] == ["鸣皋镇人民政府", "条山镇"]
    groups = {g["group"]: g for g in doc["groups"]}
    assert groups["伊川县"]["reports"] == 2 and groups["伊川县"]["missing"] == 1
    assert groups["伊川县"]["mean_score"] == pytest.approx((100 + 98.5) / 2)
    assert groups["伊春市"]["errors"] == sum(1 for r in doc["reports"] if r["organ"] == "新青镇"
                                            for f in r["findings"] if f["severity"] == "error")
    assert groups["香格里拉市"]["top_problem"]

    _, text = run(capsys, str(SEEDS), "--units", str(units), "--group-by", "region", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {r["分组"] for r in rows} == {"伊川县", "伊春市", "香格里拉市", "白银市"}
    missing = [r for r in rows if r["状态"] == "未提交"]
    assert [(r["机关"], r["分组"]) for r in missing] == [("鸣皋镇人民政府", "伊川县"), ("条山镇", "白银市")]

    book = tmp_path / "g.xlsx"
    run(capsys, str(SEEDS), "--units", str(units), "--group-by", "region", "--format", "xlsx",
        "--output", str(book))
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[-1] == "分组"
    summary = [dict(zip([c.value for c in wb["分组"][1]], (c.value for c in row))) for row in wb["分组"].iter_rows(min_row=2)]
    assert {s["分组"]: s["未提交"] for s in summary} == {"伊川县": 1, "伊春市": 0, "香格里拉市": 0, "白银市": 1}
    ranking = list(wb["排名"].iter_rows(values_only=True))
    header = ranking[0]
    assert ("鸣皋镇人民政府", "未提交", "伊川县") in [
        (r[header.index("机关")], r[header.index("状态")], r[header.index("分组")]) for r in ranking[1:]]

    page = tmp_path / "g.html"
    run(capsys, str(SEEDS), "--units", str(units), "--group-by", "region", "--format", "html",
        "--output", str(page))
    html = page.read_text(encoding="utf-8")
    assert 'id="groups"' in html and "分组汇总" in html
    assert 'class="row-missing"' in html and "鸣皋镇人民政府" in html
    assert html.count('<td class="grp" data-sort="伊川县">') >= 3   # ranking rows + summary


# ------------------------------------------------------------------ diff: absent is not fixed


def test_diff_calls_a_report_absent_from_the_newer_run_not_audited(tmp_path, capsys):
    store = tmp_path / "s.db"
    run(capsys, str(SEEDS), "--store", str(store))
    run(capsys, str(S000), str(SEEDS / "002_44a23edc808f0eac.txt"), "--store", str(store))
    assert main(["diff", "1", "2", "--store", str(store), "--format", "json"]) == 0
    changes = {os.path.basename(c["path"]): c for c in json.loads(capsys.readouterr().out)["reports"]}
    gone = changes["001_0843dfdf5e1a4b6d.txt"]
    assert gone["status"] == "not audited" and gone["fixed"] == [] and gone["new_score"] is None
    assert changes["002_44a23edc808f0eac.txt"]["status"] == "compared"
    assert main(["diff", "1", "2", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:7]}
    assert rows["新青镇"][-1] == "未审计" and rows["新青镇"][5] == "0"      # 已整改 0
    assert not any(line.startswith("  已整改") for line in out.splitlines())


def test_diff_shows_reports_set_aside_as_what_they_are(tmp_path, capsys):
    """A report before the 2019 format and a README, in both runs: not 未审计 (which says the
    newer run lacked or failed them) but 不适用 and 不是年度报告, nothing compared."""
    folder = tmp_path / "in"
    folder.mkdir()
    for source in (CORPUS / "016_pingtan_2018_pre_template_control.txt", CORPUS / "README.md", S000):
        (folder / source.name).write_bytes(source.read_bytes())
    old, new = tmp_path / "a.json", tmp_path / "b.json"
    for output in (old, new):
        run(capsys, str(folder), "--isolated", "--format", "json", "--output", str(output))
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    changes = {os.path.basename(c["path"]): c for c in json.loads(capsys.readouterr().out)["reports"]}
    assert changes["016_pingtan_2018_pre_template_control.txt"]["status"] == "not applicable"
    assert changes["README.md"]["status"] == "not a report"
    assert changes[S000.name]["status"] == "compared"
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:5]}
    assert rows["平潭综合实验区"][-1] == "不适用" and rows[str(folder / "README.md")][-1] == "不是年度报告"
    assert "未审计" not in out
    # the same path now holds a report with errors: new findings, exit 1
    (folder / S000.name).write_bytes((SEEDS / "001_0843dfdf5e1a4b6d.txt").read_bytes())
    run(capsys, str(folder), "--isolated", "--format", "json", "--output", str(new))
    assert main(["diff", str(old), str(new)]) == 1
    assert "新增  GX-" in capsys.readouterr().out


# ------------------------------------------------------------------ escaping and injection (issue 11)

EVIL_ORGAN = "=HYPERLINK(\"http://x.invalid\")|**粗**[链](http://x.invalid)<b>\x1b[31m红\x1b]0;标题\x07镇人民政府"


@pytest.fixture
def evil_report(tmp_path):
    text = S000.read_text(encoding="utf-8").replace("半坡镇人民政府", EVIL_ORGAN, 1)
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsencode("报告") + b"\xff\xfe=cmd.txt"               # not valid UTF-8
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-8"))
    return folder


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse non-UTF-8 names")
def test_no_output_fails_on_a_file_name_that_is_not_utf8(tmp_path, capsys, evil_report):
    for fmt in ("table", "markdown", "csv", "json", "html", "sarif", "xlsx"):
        target = tmp_path / f"out.{fmt}"
        code = main(["audit", str(evil_report), "--format", fmt, "--output", str(target), "--no-progress",
                     "--jobs", "1"])
        assert code in (0, 1), fmt
        data = target.read_bytes()
        if fmt != "xlsx":
            text = data.decode("utf-8")                           # valid UTF-8 throughout
            if fmt == "sarif":                                    # a URI: the bytes percent-encoded
                assert "%FF%FE%3Dcmd.txt" in text
            else:
                assert "\\xff\\xfe=cmd.txt" in text.replace("\\\\", "\\"), fmt
            if fmt in ("json", "sarif"):
                json.loads(text)
        else:
            sheet = openpyxl.load_workbook(target)["排名"]
            assert any("\\xff\\xfe=cmd.txt" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_terminal_table_strips_escape_sequences_and_controls(capsys, evil_report):
    _, out = run(capsys, str(evil_report))
    assert "\x1b" not in out and "\x07" not in out
    assert "红标题镇人民政府" not in out and "红镇人民政府" in out   # the OSC title is gone whole
    assert not any(0x80 <= ord(ch) <= 0x9f or ord(ch) < 0x20 and ch not in "\n" for ch in out)


def test_markdown_escapes_pipes_and_markdown_syntax(capsys, evil_report):
    _, out = run(capsys, str(evil_report), "--format", "markdown")
    ranking = next(line for line in out.splitlines() if "HYPERLINK" in line and line.startswith("|"))
    # the organ's | is escaped, so the row has as many cells as the header
    header = next(line for line in out.splitlines() if line.startswith("|") and "排名" in line)
    unescaped = lambda line: line.replace("\\|", "").count("|")
    assert unescaped(ranking) == unescaped(header)
    assert "\\*\\*粗\\*\\*\\[链\\](http://x.invalid)\\<b\\>" in ranking
    heading = next(line for line in out.splitlines() if line.startswith("### 1."))
    assert "\\|" in heading and "\\*\\*" in heading and "\x1b" not in out


def test_csv_and_xlsx_neutralise_formula_cells(tmp_path, capsys, evil_report):
    _, text = run(capsys, str(evil_report), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows and all(r["机关"].startswith("'=HYPERLINK") for r in rows)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@")) and not (value.startswith("-") and not
                                                                  value.lstrip("-").replace(".", "").isdigit())
    book = tmp_path / "e.xlsx"
    run(capsys, str(evil_report), "--format", "xlsx", "--output", str(book))
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "@")), (ws.title, cell.coordinate)
                    assert not cell.value.startswith("-") or cell.value.lstrip("-").replace(".", "").isdigit()
    organ = wb["排名"]["B2"]
    assert organ.value.startswith("'=HYPERLINK") and organ.data_type == "s"   # text, never run


def test_parse_tree_and_stderr_strip_escape_sequences(tmp_path, capsys, evil_report):
    (report,) = [os.path.join(os.fsencode(evil_report), n) for n in os.listdir(os.fsencode(evil_report))]
    assert main(["parse", os.fsdecode(report)]) == 0
    out = capsys.readouterr().out
    assert "HYPERLINK" in out and "\x1b" not in out and "\x07" not in out
    assert "\\xff\\xfe=cmd.txt" in out                              # the file name, escaped
    # an error naming a file whose name carries an escape sequence
    bad = tmp_path / "坏\x1b[2J\x1b]0;pwned\x07.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    main(["audit", str(bad), "--no-progress", "--jobs", "1"])
    err = capsys.readouterr().err
    assert "坏" in err and "\x1b" not in err and "\x07" not in err and "pwned" not in err


# ------------------------------------------------------------------ the page in a browser

CHROMIUM = "/usr/bin/chromium"


def _chromium(profile, *args):
    import subprocess
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, timeout=180, check=False)


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium (Debian package chromium)")
def test_grouped_page_in_headless_chromium(tmp_path, capsys, units):
    from test_report_html import parse
    page = tmp_path / "g.html"
    pdf, markdown = CORPUS / "008_huaian_hongzequ_2023.pdf", CORPUS / "014_shanghai_kewei_2024_pdf2md.md"
    code = main(["audit", str(SEEDS), str(R012), str(pdf), str(markdown), "--units", str(units),
                 "--group-by", "region", "--format", "html", "--output", str(page), "--no-progress", "--jobs", "1"])
    assert code in (0, 1)
    dumped = _chromium(tmp_path / "profile", "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr.decode(errors="replace")[-2000:]
    dom = parse(dumped.stdout.decode("utf-8"))
    assert "js" in dom.find_all("html")[0].attrs.get("class", "").split()    # our script ran
    ranking = dom.by_id("ranking-table")
    heads = [th.text() for th in ranking.find_all("th")]
    assert heads[:3] == ["排名", "分组", "机关"] and "扣分构成" in heads
    rows = ranking.find_all("tbody")[0].find_all("tr")
    missing = [r for r in rows if "row-missing" in r.attrs.get("class", "")]
    assert [r.find_all("td")[2].text().split("（")[0] for r in missing] == ["鸣皋镇人民政府", "条山镇"]
    summary = dom.by_id("group-table")
    groups = {tr.find_all("td")[0].text(): tr for tr in summary.find_all("tbody")[0].find_all("tr")}
    assert set(groups) >= {"伊川县", "伊春市", "香格里拉市", "白银市", "（未分组）"}
    # the grouped finding: one card, its 125 items folded away, each with its own fingerprint
    cards = [li for li in dom.find_all("li", cls="grouped") if "GX-CEL-001" in li.text()]
    (card,) = [c for c in cards if "125 处" in c.text()]
    assert len(card.find_all("li", cls="sub")) == 125
    # source locations: every finding of the PDF and the Markdown report beside its lines
    for source in (pdf, markdown):
        article = next(a for a in dom.find_all("article") if str(source) in a.text())
        findings = article.find_all("li", cls="finding")
        assert findings
        for group in article.find_all("div", cls="group"):
            placed = [li for li in group.find_all("li", cls="finding") if li.attrs.get("data-line")]
            if placed:
                hits = {tr.attrs["data-line"] for tr in group.find_all("tr", cls="hit")}
                assert {li.attrs["data-line"] for li in placed} <= hits
    # …and each place is said as a person opens the file: the PDF's page, the Markdown file's own line
    pdf_article = next(a for a in dom.find_all("article") if str(pdf) in a.text())
    assert all(loc.text().startswith("第") and "页" in loc.text().split(" · ")[0]
               for loc in pdf_article.find_all("div", cls="loc"))
    assert {td.text() for td in pdf_article.find_all("td", cls="ln")} <= {f"第{n}页" for n in range(1, 10)}
    md_article = next(a for a in dom.find_all("article") if str(markdown) in a.text())
    assert any(loc.text().startswith("第") and "行" in loc.text() for loc in md_article.find_all("div", cls="loc"))
    shot = tmp_path / "shot.png"
    taken = _chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1400,2000",
                      "--hide-scrollbars", page.as_uri())
    assert taken.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(shot.read_bytes()) > 50_000


def test_units_lookup_by_index_answers_as_the_scan_did():
    """The units file's index (for large batches) finds the row the scan over every row found."""
    from pathlib import Path as P
    from gxaudit.audit.crossyear import organ_key, same_organ
    from gxaudit.audit.units import Units

    def scan(units, path, organ):
        for row in units.rows:
            key = row[units.key_column]
            if key and (path == key or P(path).name == key):
                return row
        for row in units.rows:
            if organ and same_organ(organ_key(row[units.key_column]), organ_key(organ)):
                return row
        return None

    names = ["淮安市洪泽区人民政府", "洪泽区人民政府", "淮安市人民政府", "新青镇", "某某县新青镇", "青镇",
             "半坡镇人民政府", "伊川县半坡镇", "a.txt", "reports/b.txt", "区", "洪泽区", "泽区人民政府",
             "平潭综合实验区", "平潭综合实验区公安局"]
    units = Units([{"unit": n, "n": str(i)} for i, n in enumerate(names)], "unit")
    organs = names + [None, "", "无此机关", "淮安市洪泽区", "新青镇人民政府", "公安局", "江苏省淮安市洪泽区"]
    for path in ("a.txt", "x/a.txt", "reports/b.txt", "c.txt"):
        for organ in organs:
            assert units.lookup(path, organ) is scan(units, path, organ), (path, organ)


def test_csv_headers_from_the_settings_file(tmp_path, capsys, monkeypatch):
    (tmp_path / "gxaudit.toml").write_text('csv-headers = "en"\nformat = "csv"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, out = run(capsys, str(S000))
    assert out.startswith("rank,path,status")                    # the settings' choice
    _, out = run(capsys, str(S000), "--csv-headers", "zh")
    assert out.startswith("\ufeff排名,文件,状态")                  # the command line wins
    (tmp_path / "gxaudit.toml").write_text('csv-headers = "fr"\n', encoding="utf-8")
    assert main(["audit", str(S000), "--no-progress"]) == 2
    assert "gxaudit.toml" in capsys.readouterr().err


def test_a_grouped_finding_names_its_rows_as_the_format_does(capsys):
    """008 lacks three rows of table three's 2021 format (其他处理 printed in their place): one
    finding naming them, in the format's words, not by id, with no 应为 是 for a yes/no check."""
    _, doc = audit_doc(capsys, str(CORPUS / "008_huaian_hongzequ_2023.pdf"))
    (report,) = doc["reports"]
    items = [f for f in report["findings"] if f["rule"] == "GX-SUB-005"]
    assert sorted(f["location"]["row"] for f in items) == ["other_misc", "other_no_correction", "other_no_fee"]
    (group,) = [g for g in report["finding_groups"] if g["rule"] == "GX-SUB-005"]
    assert group["message"].startswith("表三（依申请公开）3 处表三缺少行：")
    assert "逾期不补正" in group["message"] and "缴纳费用" in group["message"]
    assert "other_" not in group["message"] and "应为" not in group["message"]
