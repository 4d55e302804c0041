"""Issue 11, every file accounted for, and the limits one file is read under.

What a folder holds but the batch does not audit (hidden files and folders, broken or
looping links, links to folders, FIFOs and devices) is listed in the result as `skipped`
with the reason, in every output; the same file reached twice is audited once; a FIFO or
a device is refused at once (never opened, never read); no more than the size limit is
read from any file; parse has the same time limit as audit.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from batch_processes import TRACEBACK, Run
from conftest import SEEDS

from gxaudit.cli import main
from gxaudit.errors import InputError
from gxaudit.read import files

SEED = SEEDS / "000_f29079d135fdfab1.txt"


def audit_json(capsys, *args) -> tuple[int, dict, str]:
    code = main(["audit", *map(str, args), "--format", "json", "--no-progress", "--jobs", "1"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def entries(doc: dict) -> dict[str, dict]:
    return {r["path"]: r for r in doc["reports"]}


@pytest.fixture
def messy(tmp_path) -> Path:
    """A folder with two reports and every kind of thing a batch does not audit."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    shutil.copy(SEED, root / "a.txt")
    shutil.copy(SEEDS / "001_0843dfdf5e1a4b6d.txt", root / "sub" / "b.txt")
    shutil.copy(SEED, root / ".hidden.txt")
    (root / ".cache").mkdir()
    shutil.copy(SEED, root / ".cache" / "c.txt")
    os.symlink(root / "missing.txt", root / "dangling.txt")
    os.symlink(root / "loop2.txt", root / "loop1.txt")
    os.symlink(root / "loop1.txt", root / "loop2.txt")
    os.symlink(root / "sub", root / "linked-folder")
    os.mkfifo(root / "pipe.txt")
    os.symlink("/dev/zero", root / "zero.txt")
    (root / "picture.png").write_bytes(b"\x89PNG not a report, not listed")
    return root


EXPECTED_SKIPPED = {
    ".hidden.txt": "隐藏文件",
    ".cache": "隐藏文件夹（未进入）",
    "dangling.txt": "符号链接指向的文件不存在",
    "loop1.txt": "符号链接循环",
    "loop2.txt": "符号链接循环",
    "linked-folder": "指向文件夹的符号链接（未进入，以免循环）",
    "pipe.txt": "不是普通文件（命名管道）",
    "zero.txt": "不是普通文件（设备文件）",
}


def test_everything_found_is_listed_with_its_reason(messy, capsys):
    started = time.monotonic()
    code, doc, err = audit_json(capsys, messy)
    assert time.monotonic() - started < 60  # the FIFO was not opened (it would block for ever)
    found = entries(doc)
    assert found[str(messy / "a.txt")]["status"] == "audited"
    assert found[str(messy / "sub" / "b.txt")]["status"] == "audited"
    skipped = {Path(p).name: r["error"] for p, r in found.items() if r["status"] == "skipped"}
    assert skipped == EXPECTED_SKIPPED
    assert len(found) == 2 + len(EXPECTED_SKIPPED)  # the .png is not a report file: not listed
    # skipped is not an error: the exit code is the audit's (seeds 000 and 001 have errors)
    assert code == 1
    # the problems (not the hidden entries) are named on stderr, one line each
    assert f"警告: {messy / 'dangling.txt'}: 符号链接指向的文件不存在，未审查" in err
    assert ".hidden.txt" not in err


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html", "sarif", "xlsx"])
def test_skipped_entries_appear_in_every_output(messy, tmp_path, fmt, capsys):
    target = tmp_path / f"out.{fmt}"
    main(["audit", str(messy), "--format", fmt, "--output", str(target), "--no-progress", "--jobs", "1"])
    capsys.readouterr()
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(target)
        text = "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    else:
        text = target.read_text(encoding="utf-8")
    for name in ("dangling.txt", "pipe.txt", "linked-folder"):
        assert name in text, f"{name} missing from the {fmt} output"
    assert "符号链接循环" in text


def test_the_same_file_reached_twice_is_audited_once(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    os.link(folder / "a.txt", folder / "hard-link.txt")
    spellings = [folder / "a.txt", folder / "a.txt", folder / ".." / "in" / "a.txt", folder]
    _code, doc, _err = audit_json(capsys, *spellings)
    assert [r["path"] for r in doc["reports"]] == [str(folder / "a.txt")]


def test_a_folder_named_that_cannot_be_listed_is_an_error(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, tmp_path / "ok.txt")
    (folder / "x.txt").write_text("x", encoding="utf-8")
    folder.chmod(0)
    try:
        if os.access(folder, os.R_OK):
            pytest.skip("this user reads any folder (root)")
        code, doc, _err = audit_json(capsys, folder, tmp_path / "ok.txt")
    finally:
        folder.chmod(0o755)
    assert code == 2
    assert entries(doc)[str(folder)]["error"].startswith("无法列出文件夹")


def test_a_subfolder_that_cannot_be_listed_is_listed(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(SEED, folder / "a.txt")
    real_scandir = os.scandir

    def scandir(path):  # as for a non-root user on a folder without the read bit
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr("gxaudit.audit.batch.inputs.os.scandir", scandir)
    code, doc, err = audit_json(capsys, folder)
    found = entries(doc)
    assert (found[str(folder / "locked")]["status"], found[str(folder / "locked")]["error"]) == (
        "skipped",
        "无法列出文件夹（权限不足）",
    )
    assert found[str(folder / "a.txt")]["status"] == "audited"
    assert f"警告: {folder / 'locked'}: 无法列出文件夹（权限不足），未审查" in err


def test_a_folder_with_nothing_to_audit_lists_what_it_skipped(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    os.symlink("/dev/zero", folder / "zero.txt")
    code, doc, err = audit_json(capsys, folder)
    assert code == 2 and "没有找到报告文件" in err
    assert [(Path(r["path"]).name, r["status"]) for r in doc["reports"]] == [("zero.txt", "skipped")]


# -- reading: FIFOs and devices refused at once, at most the size limit read


@pytest.mark.parametrize("kind", ["fifo", "device", "link-to-device"])
def test_parse_refuses_what_is_not_a_regular_file_at_once(tmp_path, kind):
    path = tmp_path / "x.txt"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/zero")
    else:
        os.symlink("/dev/zero", path)
    run = Run(["parse", str(path)])
    try:
        assert run.finish(within=30) == 2
    finally:
        run.cleanup()
    assert TRACEBACK not in run.stderr
    assert f"gxaudit: 错误: {path}: 不是普通文件" in run.stderr


def test_a_fifo_named_for_audit_is_that_files_error(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.txt")
    code, doc, _err = audit_json(capsys, tmp_path / "pipe.txt", SEED)
    assert code == 2
    found = entries(doc)
    assert found[str(tmp_path / "pipe.txt")]["error"] == "不是普通文件（命名管道），不读取"
    assert found[str(SEED)]["status"] == "audited"


def test_no_more_than_the_limit_is_read_whatever_the_size_says(monkeypatch):
    """A source that never ends (as /dev/zero or a growing file would be) is cut at the limit."""
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    read_end, write_end = os.pipe()

    def flood():
        try:
            while True:
                os.write(write_end, b"x" * 4096)
        except OSError:
            pass

    writer = threading.Thread(target=flood, daemon=True)
    writer.start()
    try:
        data = files._read_at_most(read_end, files.MAX_BYTES, hint=0)
    finally:
        os.close(read_end)
        writer.join(5)
        os.close(write_end)
    assert len(data) == 1001  # one byte past the limit tells "too large"


def test_a_file_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 100)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="文件过大"):
        files.read_bytes(path)


# -- the time limit: parse as audit


@pytest.fixture
def slow_report(tmp_path) -> Path:
    """A 19 MB report (under the 20 MiB size limit): its tables repeated ~2,000 times.
    Reading it takes several seconds of CPU, far past a one-second limit."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    body = "\n".join(lines[5:]) + "\n"
    path = tmp_path / "slow.txt"
    repeat = (19 * 1024 * 1024 - len(SEED.read_bytes())) // len(body.encode("utf-8"))
    path.write_text("\n".join(lines) + "\n" + body * repeat, encoding="utf-8")
    assert path.stat().st_size < files.MAX_BYTES
    return path


def test_parse_has_the_time_limit(slow_report):
    run = Run(["parse", str(slow_report), "--timeout", "1"])
    try:
        assert run.finish(within=60) == 2
    finally:
        run.cleanup()
    assert TRACEBACK not in run.stderr
    assert run.stderr.strip() == f"gxaudit: 错误: {slow_report}: 超过单个文件时限（1 秒）"


def test_audit_times_out_one_file_with_the_true_reason(slow_report, tmp_path):
    out = tmp_path / "r.json"
    run = Run(
        ["audit", str(slow_report), str(SEED), "--timeout", "1", "--format", "json", "--output", str(out)]
    )
    try:
        assert run.finish(within=120) == 2
    finally:
        run.cleanup()
    found = entries(json.loads(out.read_text(encoding="utf-8")))
    assert found[str(slow_report)]["error"] == "超过单个文件时限（1 秒）"
    assert found[str(SEED)]["status"] == "audited"


@pytest.mark.parametrize(
    "option,value", [("--jobs", "0"), ("--jobs", "-1"), ("--timeout", "0"), ("--timeout", "-5")]
)
def test_limits_below_one_are_refused(option, value, capsys):
    assert main(["audit", str(SEED), option, value]) == 2
    assert option in capsys.readouterr().err
