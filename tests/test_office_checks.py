"""Issue 12 "Checks offices ask for": timeliness, year-on-year outliers, hierarchy — through the CLI.

Dates and figures read off the files by hand: the corpus reports 102/103/107/201/202/205 end with
signature dates in January of the next year (in time); 008 (洪泽区 2023) has 本年新收 21 and 009
(2024) 95, 4.5 times (not an outlier); seed 000 (半坡镇人民政府 2020) has 本年新收 1 (自然人 1).
"""
import json
import os
import shutil

import pytest

from conftest import CORPUS, REPO, SEEDS
from gxaudit.cli import main

S000 = SEEDS / "000_f29079d135fdfab1.txt"
S002 = SEEDS / "002_44a23edc808f0eac.txt"   # 焦虎镇 2021
S004 = SEEDS / "004_e00e53dea6302a83.txt"   # 景泰县 2020
SIGNED = ["102_pingtan_gaj_2021.txt", "103_pingtan_zrz_2023.txt", "107_pingtan_gaj_2019.txt",
          "201_pingtan_junshan_2020.txt", "202_pingtan_suping_2020.txt", "205_pingtan_jinjing_2023.txt"]


def audit(capsys, *args):
    code = main(["audit", *args, "--format", "json", "--no-progress", "--jobs", "1"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def findings(doc, rule, name=None):
    return [f for r in doc["reports"] if name is None or os.path.basename(r["path"]) == name
            for f in r["findings"] if f["rule"] == rule]


# ------------------------------------------------------------------ timeliness


def test_reports_signed_in_january_are_in_time(capsys):
    _, doc = audit(capsys, *(str(CORPUS / n) for n in SIGNED))
    assert {r["status"] for r in doc["reports"]} == {"audited"}
    assert findings(doc, "GX-TIM-001") == []


def test_a_department_report_signed_in_march_is_late(tmp_path, capsys):
    text = (CORPUS / "102_pingtan_gaj_2021.txt").read_text(encoding="utf-8")
    assert text.rstrip().endswith("平潭综合实验区公安局2022年1月7日")
    late = tmp_path / "102_late.txt"
    late.write_text(text.replace("2022年1月7日", "2022年3月7日"), encoding="utf-8")
    code, doc = audit(capsys, str(late))
    (finding,) = findings(doc, "GX-TIM-001")
    assert finding["severity"] == "warning"                      # a warning: not an error
    assert finding["actual"] == "2022年3月7日" and finding["expected"] == "2022年1月31日"
    assert "落款日期为2022年3月7日" in finding["message"] and "35 天" in finding["message"]
    assert "行政机关（部门）年度报告" in finding["message"]
    assert finding["location"]["line"] is not None


def test_a_county_government_has_until_march_and_a_numeral_date_is_read(tmp_path, capsys):
    base = S004.read_text(encoding="utf-8").rstrip("\n")          # 景泰县 2020: a county government
    on_time = tmp_path / "county_march.txt"
    on_time.write_text(base + "\n景泰县人民政府\n二〇二一年三月三十一日\n", encoding="utf-8")
    late = tmp_path / "county_april.txt"
    late.write_text(base + "\n景泰县人民政府\n二〇二一年四月一日\n", encoding="utf-8")
    _, doc = audit(capsys, str(on_time), str(late))
    assert findings(doc, "GX-TIM-001", "county_march.txt") == []
    (finding,) = findings(doc, "GX-TIM-001", "county_april.txt")
    assert finding["expected"] == "2021年3月31日" and "县级以上人民政府年度报告" in finding["message"]


# "伊川县政府", "洛阳市政府": a county's or a city's 人民政府 written short. Before, only
# "…县", "…县人民政府" matched the county-level entry: such a report signed in March was
# charged as a department's (due 1月31日). A 政府办公室 is still a department.
@pytest.mark.parametrize(
    ("organ", "late_by"),
    [
        ("景泰县政府", None),
        ("白银市政府", None),
        ("某某区政府", None),
        ("景泰县政府办公室", "行政机关（部门）年度报告"),
        ("某某镇政府", "乡镇人民政府、街道办事处年度报告"),
    ],
)
def test_a_government_written_short_has_the_deadline_of_its_level(tmp_path, capsys, organ, late_by):
    base = S004.read_text(encoding="utf-8")  # 景泰县 2020
    assert base.startswith("景泰县2020年政府信息公开工作年度报告")
    variant = tmp_path / "short.txt"
    text = organ + base.removeprefix("景泰县").rstrip("\n") + f"\n{organ}\n2021年3月15日\n"
    variant.write_text(text, encoding="utf-8")
    _, doc = audit(capsys, str(variant))
    assert doc["reports"][0]["organ"] == organ
    late = findings(doc, "GX-TIM-001")
    if late_by is None:
        assert late == []
    else:
        (finding,) = late
        assert late_by in finding["message"] and finding["expected"] == "2021年1月31日"


def test_publication_dates_from_the_units_file(tmp_path, capsys):
    units = tmp_path / "units.csv"
    units.write_text("unit,level,发布日期\n"
                     "景泰县,县,2021-04-15\n"            # a county: due 31 March → 15 days late
                     "焦虎镇,乡镇,2022年1月30日\n"       # a township: due 31 January → in time
                     "半坡镇人民政府,乡镇,2021/2/5\n",   # 5 days late
                     encoding="utf-8")
    _, doc = audit(capsys, str(S004), str(S002), str(S000), "--units", str(units))
    late = {os.path.basename(r["path"]): [f for f in r["findings"] if f["rule"] == "GX-TIM-001"]
            for r in doc["reports"]}
    assert [f["actual"] for f in late[S004.name]] == ["2021年4月15日"]
    assert "发布日期为2021年4月15日" in late[S004.name][0]["message"]
    assert "15 天" in late[S004.name][0]["message"]
    assert late[S002.name] == []
    assert [f["actual"] for f in late[S000.name]] == ["2021年2月5日"]
    # the two dates of one report are two findings with their own fingerprints
    assert len({f["fingerprint"] for fs in late.values() for f in fs}) == 2


def test_a_province_sets_its_own_deadline_for_townships_in_yaml(tmp_path, capsys):
    """The deadlines are data: a province's own rule file, with the built-in one ignored."""
    own = tmp_path / "rules"
    own.mkdir()
    text = (REPO / "rules" / "timeliness.yaml").read_text(encoding="utf-8")
    text = text.replace("GX-TIM-001", "PROV-TIM-001").replace(
        'organ: "(乡|镇|街道|街道办事处)(人民政府|政府)?$"\n          due: "01-31"',
        'organ: "(乡|镇|街道|街道办事处)(人民政府|政府)?$"\n          due: "02-28"')
    assert 'due: "02-28"' in text
    (own / "province.yaml").write_text(text, encoding="utf-8")
    units = tmp_path / "units.csv"
    units.write_text("unit,level,发布日期\n半坡镇人民政府,乡镇,2021-02-05\n", encoding="utf-8")
    _, doc = audit(capsys, str(S000), "--units", str(units))
    assert len(findings(doc, "GX-TIM-001")) == 1                   # national: late
    _, doc = audit(capsys, str(S000), "--units", str(units), "--rules", str(own), "--ignore", "GX-TIM-001")
    assert findings(doc, "GX-TIM-001") == [] and findings(doc, "PROV-TIM-001") == []   # in time there


# ------------------------------------------------------------------ year-on-year outliers


def _last_year_of_000(tmp_path, new_row: list[int]) -> os.PathLike:
    """Seed 000 as its organ's 2019 report, with 本年新收 set to new_row (自然人 … 总计)."""
    lines = S000.read_text(encoding="utf-8").replace("2020", "2019").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    cells = lines[index].split("\t")
    numbers = [i for i, c in enumerate(cells) if c.strip().isdigit()]
    assert len(numbers) == 7
    for position, value in zip(numbers, new_row):
        cells[position] = str(value)
    lines[index] = "\t".join(cells)
    path = tmp_path / "banpo_2019.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_new_applications_that_fell_to_a_fifth_are_an_outlier(tmp_path, capsys):
    last = _last_year_of_000(tmp_path, [60, 0, 0, 0, 0, 0, 60])
    _, doc = audit(capsys, str(last), str(S000))
    (finding,) = findings(doc, "GX-XYR-003", S000.name)
    assert finding["severity"] == "warning"
    assert (finding["expected"], finding["actual"]) == (60, 1)
    assert finding["location"]["row"] == "new" and finding["location"]["column"] == "total"
    assert "2019年度报告为 60 件" in finding["message"]


def test_small_counts_and_real_growth_are_not_outliers(tmp_path, capsys):
    last = _last_year_of_000(tmp_path, [3, 0, 0, 0, 0, 0, 3])     # 3 → 1: both under 10
    _, doc = audit(capsys, str(last), str(S000))
    assert findings(doc, "GX-XYR-003") == [] and findings(doc, "GX-XYR-004") == []
    # the real pair 008 → 009: 21 → 95 is 4.5 times, under the threshold of 5
    _, doc = audit(capsys, str(CORPUS / "008_huaian_hongzequ_2023.pdf"), str(CORPUS / "009_huaian_hongzequ_2024.pdf"))
    later = next(r for r in doc["reports"] if r["year"] == 2024)
    assert later["previous"]["year"] == 2023
    assert findings(doc, "GX-XYR-003") == [] and findings(doc, "GX-XYR-004") == []


def test_a_category_large_last_year_and_zero_now_is_an_info(tmp_path, capsys):
    last = _last_year_of_000(tmp_path, [1, 12, 0, 0, 0, 0, 13])   # 商业企业 12 last year, 0 now
    code, doc = audit(capsys, str(last), str(S000))
    (finding,) = findings(doc, "GX-XYR-004", S000.name)
    assert finding["severity"] == "info" and finding["deduction"] == 0
    assert finding["location"]["column"] == "commercial" and finding["expected"] == 12
    assert "商业企业" in finding["message"]
    # from the store as well: last year's run recorded, this year's read against it
    store = tmp_path / "s.db"
    audit(capsys, str(last), "--store", str(store))
    _, doc = audit(capsys, str(S000), "--store", str(store))
    assert [f["location"]["column"] for f in findings(doc, "GX-XYR-004")] == ["commercial"]


# ------------------------------------------------------------------ hierarchy


def _parent_and_children(tmp_path):
    """伊川县人民政府 2020 (a variant of seed 000: 本年新收 1) says it covers its townships; its children
    半坡镇 (seed 000: 1) and 鸣皋镇 (a copy: 1) add up to 2; 白沙镇 has no report."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = S000.read_text(encoding="utf-8")
    parent = text.replace("半坡镇人民政府", "伊川县人民政府", 1)
    first = parent.index("一、")
    parent = parent[:first] + "本报告汇总了县政府办公室和所属各乡镇、各部门的政府信息公开工作情况。\n" + parent[first:]
    (folder / "yichuan.txt").write_text(parent, encoding="utf-8")
    shutil.copy(S000, folder / "banpo.txt")
    (folder / "minggao.txt").write_text(text.replace("半坡镇人民政府", "鸣皋镇人民政府", 1), encoding="utf-8")
    units = tmp_path / "units.csv"
    units.write_text("unit,level,parent\n伊川县人民政府,县,洛阳市人民政府\n半坡镇人民政府,乡镇,伊川县人民政府\n"
                     "鸣皋镇人民政府,乡镇,伊川县人民政府\n白沙镇人民政府,乡镇,伊川县人民政府\n", encoding="utf-8")
    return folder, units


def test_children_with_no_report_are_listed_with_their_parent(tmp_path, capsys):
    folder, units = _parent_and_children(tmp_path)
    main(["audit", str(folder), "--units", str(units), "--no-progress", "--jobs", "1"])
    out = capsys.readouterr().out
    missing = out.split("未提交", 1)[1].split("【", 1)[0]
    assert "白沙镇人民政府" in missing and "伊川县人民政府" in missing
    _, doc = audit(capsys, str(folder), "--units", str(units))
    assert doc["missing"] == [{"unit": "白沙镇人民政府", "group": None, "parent": "伊川县人民政府",
                               "reason": "未提交年度报告（上级：伊川县人民政府）"}]


def test_parent_against_the_sum_of_its_children_is_off_by_default(tmp_path, capsys):
    folder, units = _parent_and_children(tmp_path)
    _, doc = audit(capsys, str(folder), "--units", str(units))
    assert findings(doc, "GX-HIE-001") == []                      # off unless selected
    _, doc = audit(capsys, str(folder), "--units", str(units), "--extend-select", "GX-HIE-001")
    found = findings(doc, "GX-HIE-001", "yichuan.txt")
    assert {(f["location"]["row"], f["expected"], f["actual"]) for f in found} == {
        ("new", 2, 1), ("results_total", 2, 1)}
    assert all("半坡镇人民政府" in f["message"] and "鸣皋镇人民政府" in f["message"] for f in found)
    assert findings(doc, "GX-HIE-001", "banpo.txt") == []


def test_a_parent_that_does_not_say_it_covers_its_children_is_not_compared(tmp_path, capsys):
    folder, units = _parent_and_children(tmp_path)
    parent = folder / "yichuan.txt"
    parent.write_text(parent.read_text(encoding="utf-8").replace(
        "本报告汇总了县政府办公室和所属各乡镇、各部门的政府信息公开工作情况。\n", ""), encoding="utf-8")
    _, doc = audit(capsys, str(folder), "--units", str(units), "--extend-select", "GX-HIE-001")
    assert findings(doc, "GX-HIE-001") == []


@pytest.mark.parametrize("rule", ["GX-TIM-001", "GX-XYR-003", "GX-XYR-004", "GX-HIE-001"])
def test_office_rules_are_listed_with_their_state(capsys, rule):
    assert main(["rules", "show", rule]) == 0
    assert rule in capsys.readouterr().out


def test_rules_validate_refuses_a_deadline_that_cannot_apply(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "rules:\n"
        "  - id: USR-TIM-009\n"
        "    title: 迟报\n"
        "    category: timeliness\n"
        "    severity: warning\n"
        "    weight: 1\n"
        "    check:\n"
        "      kind: deadline\n"
        "      dates: [signature]\n"
        "      deadlines:\n"
        "        - {name: 部门, due: \"02-30\"}\n"
        "      assert: days_late <= 0\n"
        "    message: \"{source_label}{date}晚于{due}\"\n", encoding="utf-8")
    assert main(["rules", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:" in err
    assert "deadlines[0] 需要 organ（机关名称的正则表达式）或 unit（单位表的列）" in err
    assert "'02-30' 不是一年中的某一天" in err
    bad.write_text(bad.read_text(encoding="utf-8").replace("[signature]", "[signature, posted]"), encoding="utf-8")
    assert main(["rules", "validate", str(bad)]) == 2
    assert f"{bad}:9:" in capsys.readouterr().err                  # the schema names the place
