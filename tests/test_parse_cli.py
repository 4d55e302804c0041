"""`gxaudit parse` from the command line, and input errors."""
import json
import subprocess
import sys

import pytest

from conftest import REPORTS, SEEDS
from gxaudit.cli import main
from gxaudit.errors import InputError
from gxaudit.parse.document import parse_file, parse_text
from gxaudit.read.files import decode

SEED_000 = SEEDS / "000_f29079d135fdfab1.txt"


def test_parse_json_shape(capsys):
    assert main(["parse", str(SEED_000), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema_version"] == 1
    assert doc["organ"] == "半坡镇人民政府" and doc["year"] == 2020 and doc["format"] == "2019"
    cell = doc["tables"]["applications"]["new"]["natural_person"]
    assert cell == {"raw": "1", "kind": "number", "value": 1, "unit": None, "line": 60, "column": 19}
    assert [s["id"] for s in doc["sections"]] == [
        "overview", "proactive", "applications", "review_litigation", "problems", "other_matters"]


def test_json_is_not_ascii_escaped(capsys):
    main(["parse", str(SEED_000), "--format", "json"])
    out = capsys.readouterr().out
    assert "半坡镇" in out and "\\u" not in out


def test_tree_format(capsys):
    assert main(["parse", str(SEEDS / "003_51b21fc9b3159953.txt")]) == 0
    out = capsys.readouterr().out
    assert "五、存在问题及改进情况  → problems  行 399  [变体]" in out
    assert "change=增 text @40:2" in out


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "gxaudit", "parse", str(SEED_000), "--format", "json"],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "半坡镇人民政府2020年政府信息公开工作年度报告"


@pytest.mark.parametrize("content, reason", [
    (b"", "文件为空"),
    (b"\x00\x01\x02binary", "二进制数据，不是文本报告"),
    ("这是一段普通文字，没有标题也没有表格。".encode(), "不是年度报告"),
])
def test_bad_input_is_one_line_error(tmp_path, capsys, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    assert main(["parse", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err and reason in err
    assert "Traceback" not in err


def test_missing_file(capsys):
    assert main(["parse", "/no/such/report.txt"]) == 2
    assert "gxaudit: 错误: /no/such/report.txt: 文件不存在" in capsys.readouterr().err


def test_gbk_and_utf16_and_bom_are_detected(tmp_path):
    text = SEED_000.read_text(encoding="utf-8")
    expected = parse_text(text).to_dict()["tables"]
    for encoding, prefix in (("gb18030", b""), ("utf-16", b""), ("utf-8", b"\xef\xbb\xbf")):
        path = tmp_path / f"r_{encoding}.txt"
        path.write_bytes(prefix + text.encode(encoding))
        report = parse_file(path)
        assert report.organ == "半坡镇人民政府"
        assert report.to_dict()["tables"] == expected


def test_undecodable_text_is_an_error():
    # lone continuation bytes: neither UTF-8 nor GB18030
    with pytest.raises(InputError, match="无法识别文本编码"):
        decode(b"\x80\x80\x80\xff\xff\xff" * 10, "x.txt")


def test_reports_folder_holds_the_seeds():
    assert sorted(p.name for p in REPORTS.glob("*.txt")) == sorted(p.name for p in SEEDS.glob("*.txt"))


def test_label_typos_keep_raw_text():
    report = parse_file(SEEDS / "003_51b21fc9b3159953.txt")
    assert report.tables.applications["carried_over"].label == "二、上年转结政府信息公开申请数量"
    assert report.tables.applications["unable_unclear"].label == "3.补征后早请内容仍不明确"
    report = parse_file(SEEDS / "001_0843dfdf5e1a4b6d.txt")
    # a label split over two lines, with the row's values between
    assert report.tables.applications["denied_law"].label == "2. 其他法律行政法规禁止公开"


def test_no_diagnostics_on_clean_seeds():
    for name in ("000_f29079d135fdfab1.txt", "002_44a23edc808f0eac.txt", "003_51b21fc9b3159953.txt",
                 "004_e00e53dea6302a83.txt"):
        assert parse_file(SEEDS / name).diagnostics == [], name
