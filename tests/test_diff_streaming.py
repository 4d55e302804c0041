"""`gxaudit diff` reads its result files a report at a time (audit/jsonstream.py): what it
reads is what json.loads reads, a mistake is said at json's line and column, and memory
does not grow with the files. Pieces are made tiny here so that every value, line break
and multi-byte character falls across a piece's edge somewhere."""

import io
import json
import math
import tracemalloc

import pytest

from gxaudit.audit import jsonstream
from gxaudit.audit.diff import Side, write_diff
from gxaudit.audit.jsonstream import DocumentReader, Member, Report, read_span
from gxaudit.cli import main
from gxaudit.errors import ConfigError


def _finding(i: int, rule: str = "GX-CEL-001", severity: str = "error") -> dict:
    return {"rule": rule, "fingerprint": f"{i:020x}", "message": f"表三第{i}行“本年新收”为空😀",
            "severity": severity, "location": {"line": i, "table": "applications"}}


def _document(reports: int = 6, first: int = 0) -> dict:
    return {
        "schema_version": 1,
        "tool": {"name": "gxaudit", "version": "0.1.0"},
        "rules_version": "abc",
        "reports": [
            {"path": f"报告/{i}.txt", "status": "audited", "organ": f"某{i}镇", "year": 2020 + i % 3,
             "score": 91.5 - i, "findings": [_finding(first + i * 10 + k) for k in range(i % 4)]}
            for i in range(reports)
        ],
        "missing": [{"unit": "某县", "group": None}],
    }


LAYOUTS = {
    "indented": lambda d: json.dumps(d, ensure_ascii=False, indent=2),
    "compact": lambda d: json.dumps(d, ensure_ascii=False, separators=(",", ":")),
    "ascii escapes": lambda d: json.dumps(d, ensure_ascii=True),
    "crlf": lambda d: json.dumps(d, ensure_ascii=False, indent=1).replace("\n", "\r\n"),
    "reports first": lambda d: json.dumps(
        {"reports": d["reports"], **{k: v for k, v in d.items() if k != "reports"}}, ensure_ascii=False),
    "tabs and spaces": lambda d: json.dumps(d, ensure_ascii=False, indent="\t").replace(":", " :\t "),
}


@pytest.fixture(params=[1, 3, 7, 64, 1 << 20])
def chunk(request, monkeypatch):
    monkeypatch.setattr(jsonstream, "CHUNK", request.param)
    return request.param


def _read(data: bytes):
    handle = io.BytesIO(data)
    items = list(DocumentReader(handle, "x.json"))
    return handle, items


@pytest.mark.parametrize("layout", LAYOUTS)
def test_what_is_read_is_what_json_loads_reads(layout, chunk):
    document = _document()
    document["reports"][2]["score"] = math.nan  # json writes NaN: read as json reads it
    for bom in (b"", b"\xef\xbb\xbf"):
        data = bom + LAYOUTS[layout](document).encode("utf-8")
        handle, items = _read(data)
        expected = json.loads(data.decode("utf-8-sig"))
        reports = [i for i in items if isinstance(i, Report)]
        members = {i.key: i.value for i in items if isinstance(i, Member)}
        assert [r.number for r in reports] == list(range(len(expected["reports"])))
        assert json.dumps([r.value for r in reports]) == json.dumps(expected["reports"])
        assert members == {**{k: v for k, v in expected.items() if k != "reports"}, "reports": []}
        for r in reports:  # each report's bytes, read again alone
            assert json.dumps(read_span(handle, r.start, r.end)) == json.dumps(r.value)
            assert data[r.start:r.end].decode("utf-8").startswith("{")


@pytest.mark.parametrize("text", [
    '{"schema_version": 1, "reports": []}',
    '{"reports":[],"schema_version":1}',
    '{}',
    '{"schema_version": 1e0, "reports": [{"path": "a"}], "n": -0.5e-3, "t": true, "f": false, "z": null}',
    '  \n{"reports": [ {"path": "甲"} , {"path": "乙"} ] }  \n',
])
def test_small_documents_and_every_kind_of_member(text, chunk):
    _, items = _read(text.encode("utf-8"))
    expected = json.loads(text)
    assert [i.value for i in items if isinstance(i, Report)] == expected.get("reports", [])
    members = {i.key: i.value for i in items if isinstance(i, Member)}
    assert members == {**expected, **({"reports": []} if "reports" in expected else {})}


BROKEN = [
    '{"schema_version": 1,\n "reports": [}',  # a value expected
    '{"schema_version": 1, "reports": [{"path": "a"} {"path": "b"}]}',  # a comma missing
    '{"schema_version": 1, "reports": [{"path": "a"}]} x',  # something after the document
    '{"schema_version": 1, "reports": [{"path": "a"}], "rules_version": "abc',  # unterminated
    '{"schema_version" 1, "reports": []}',  # a colon missing
    '{"schema_version": 1, "reports": [], }',  # a comma before the end
    '{"schema_version": 1, "reports": [{"path": "a"}],\n\n  "tool": {"name": [1, 2,]}}',
    '{"reports": [{"path": "一二三四五六七八九十"}, {"path": "甲乙丙丁"},\n{"path": "x" "y"}]}',
    '{"reports": [' + ",".join('{"path": "报告%d"}' % i for i in range(40)) + ', ]}',  # far along line 1
    '{"reports": [{"path": "a"}]',  # the object never closed
    '',  # nothing at all
]


@pytest.mark.parametrize("text", BROKEN)
def test_a_mistake_is_said_where_json_loads_says_it(text, chunk):
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(ConfigError) as caught:
        _read(text.encode("utf-8"))
    assert (caught.value.line, caught.value.column) == (expected.value.lineno, expected.value.colno)
    assert caught.value.message == f"不是审查结果 JSON（{expected.value.msg}）"


@pytest.mark.parametrize("data, bad", [
    (b'{"reports": [{"path": "caf\xe9"}]}', b"\xe9"),
    # a character cut short (its third byte missing), after many whole ones
    ('{"reports": ['.encode() + b",".join(b'{"path": "%s"}' % ("报告%d" % i).encode() for i in range(50))
     + b', {"path": "\xe5\xbe"}]}', b"\xe5\xbe\""),
    (b'\xef\xbb\xbf{"reports": [], "x": "\xff"}', b"\xff"),  # after a byte-order mark
])
def test_bytes_that_are_not_utf8_are_named_at_their_offset(data, bad, chunk):
    with pytest.raises(ConfigError) as caught:
        _read(data)
    assert caught.value.message == f"审查结果文件不是 UTF-8 文本（第 {data.index(bad)} 字节无法解码）"


def test_nesting_too_deep_is_one_error(chunk):
    with pytest.raises(ConfigError) as caught:
        _read(('{"reports": [' + "[" * 100_000 + "]" * 100_000 + "]}").encode())
    assert "嵌套过深" in caught.value.message


def _diff(old, new, fmt="json", store=None) -> tuple[int, str]:
    out = io.StringIO()
    sides = Side(str(old), store), Side(str(new), store)
    try:
        found = write_diff(*sides, fmt, "error", out)
    finally:
        for side in sides:
            side.close()
    return found, out.getvalue()


def test_files_read_a_report_at_a_time_give_the_diff_of_the_documents_whole(tmp_path, chunk):
    """The same changes as the documents read whole (a file in UTF-16, which json.loads
    reads too, is read whole): new, fixed, unchanged, matched by path or organ and year,
    reports absent from the newer run."""
    old, new = _document(8), _document(8, first=3)
    del new["reports"][5]  # absent from the newer run
    new["reports"][1]["path"] = "改名/1.txt"  # matched by organ and year
    new["reports"].append({"path": "新.txt", "organ": "新镇", "year": 2021, "findings": [_finding(999)]})
    for layout in ("indented", "compact", "reports first"):
        files = []
        for name, doc in (("old", old), ("new", new)):
            utf8 = tmp_path / f"{name}-{layout}.json"
            utf8.write_text(LAYOUTS[layout](doc), encoding="utf-8")
            utf16 = tmp_path / f"{name}-{layout}-16.json"
            utf16.write_text(LAYOUTS[layout](doc), encoding="utf-16")
            files.append((utf8, utf16))
        (old8, old16), (new8, new16) = files
        for fmt in ("json", "table"):
            streamed = _diff(old8, new8, fmt)
            assert streamed == _diff(old16, new16, fmt)
        changes = json.loads(_diff(old8, new8)[1])["reports"]
        assert [c["status"] for c in changes] == ["compared"] * 7 + ["new report", "not audited"]
        assert changes[-1]["path"] == "报告/5.txt" and changes[-1]["old_score"] == 86.5
        assert changes[1]["path"] == "改名/1.txt" and changes[1]["old_score"] == 90.5
        assert changes[6]["path"] == "报告/7.txt"
        assert [f["fingerprint"] for f in changes[6]["fixed"]] == [f"{70 + k:020x}" for k in range(3)]
        assert [f["fingerprint"] for f in changes[6]["new"]] == [f"{73 + k:020x}" for k in range(3)]
        assert _diff(old8, new8)[0] == sum(len(c["new"]) for c in changes) > 0


def test_a_newer_run_found_wrong_after_its_reports_leaves_no_half_written_diff(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_document(30), ensure_ascii=False, indent=2), encoding="utf-8")
    late = tmp_path / "late.json"
    late.write_text(json.dumps({"reports": _document(30)["reports"], "schema_version": 2}), encoding="utf-8")
    assert main(["diff", str(good), str(late), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"gxaudit: 错误: {late}: schema_version：应为 1 之一\n"
    twice = tmp_path / "twice.json"
    twice.write_text('{"schema_version": 1, "reports": [], "reports": []}', encoding="utf-8")
    assert main(["diff", str(good), str(twice)]) == 2
    assert "reports 出现了两次" in capsys.readouterr().err
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"schema_version": 1, "reports": {"path": "a"}}', encoding="utf-8")
    assert main(["diff", str(good), str(wrong)]) == 2
    assert capsys.readouterr().err.startswith(f"gxaudit: 错误: {wrong}: reports：应为列表")
    bad_report = tmp_path / "bad_report.json"
    doc = _document(30)
    doc["reports"][17]["findings"] = [{"rule": "X", "message": "m"}]
    bad_report.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["diff", str(good), str(bad_report)]) == 2
    assert capsys.readouterr().err == (
        f"gxaudit: 错误: {bad_report}: reports[18].findings[1]：缺少必需的键 'fingerprint'\n")


def test_memory_does_not_grow_with_the_files(tmp_path):
    """Old and new of 3,000 reports (some 10 MB each): the diff holds an index of the older
    run and one report at a time, not the documents (parsed whole: several times their size)."""
    old, new = _document(3000), _document(3000, first=1)
    for doc in (old, new):
        for report in doc["reports"]:
            report["findings"] += [_finding(10**6 + k, "GX-BAL-001", "info") for k in range(8)]
    paths = []
    for name, doc in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
        paths.append(path)
    size = paths[0].stat().st_size
    assert size > 8_000_000
    del old, new
    sink = tmp_path / "out.txt"
    tracemalloc.start()
    try:
        with sink.open("w", encoding="utf-8") as out:
            sides = Side(str(paths[0])), Side(str(paths[1]))
            write_diff(*sides, "table", "error", out)
            for side in sides:
                side.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size, (peak, size)  # parsed whole, each document took several times its size
    assert "已整改" in sink.read_text(encoding="utf-8")
