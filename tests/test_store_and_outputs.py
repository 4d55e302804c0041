"""A damaged --store and a wrong --output are found before the batch (issue 11).

Each error is one line and exit 2, raised before the first report is
audited: `run_batch` is replaced by a function that fails the test if it is
ever called. A store whose rows are damaged is read in part, with a warning.
"""
import errno
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time

import pytest

from conftest import CORPUS, SEEDS
from gxaudit.audit import batch
from gxaudit.cli import main
from gxaudit.errors import OutputError
from gxaudit.report.files import write_atomic

P008, P009 = CORPUS / "008_huaian_hongzequ_2023.pdf", CORPUS / "009_huaian_hongzequ_2024.pdf"
S000 = str(SEEDS / "000_f29079d135fdfab1.txt")


def audit(capsys, *args):
    code = main(["audit", *args, "--isolated", "--no-progress", "--jobs", "1", "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err.strip().splitlines()


@pytest.fixture
def no_batch(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the batch started before the error was found")
    monkeypatch.setattr(batch, "run_batch", refuse)
    monkeypatch.setattr(batch.BatchRun, "audit", refuse)  # what the CLI runs


@pytest.fixture
def store_2023(tmp_path, capsys):
    """A store holding one run: 008, the 2023 report of 洪泽区."""
    store = tmp_path / "audits.db"
    audit(capsys, str(P008), "--store", str(store))
    return store


def test_store_gives_last_year_and_rows_damaged_are_skipped(store_2023, capsys):
    code, out, err = audit(capsys, str(P009), "--store", str(store_2023))
    assert json.loads(out)["reports"][0]["previous"]["year"] == 2023 and err == []
    db = sqlite3.connect(store_2023)
    figures = json.loads(db.execute("SELECT figures FROM reports").fetchone()[0])
    damaged = [
        ("{not json", "数据不是有效的 JSON"),
        (json.dumps(dict(figures, applications=[1, 2])), "applications：应为映射"),
        (json.dumps(dict(figures, year="2023")), None),            # no longer matches year 2023: unused
        (json.dumps({**figures, "item1": {"normative_docs": {"in_force": 1e300}}}), "不能大于"),
    ]
    for text, words in damaged:
        with db:
            db.execute("UPDATE reports SET figures = ?", (text,))
        code, out, err = audit(capsys, str(P009), "--store", str(store_2023))
        report = json.loads(out)["reports"][0]
        assert report["status"] == "audited" and "previous" not in report      # read in part
        if words:
            assert len(err) == 1 and err[0].startswith(f"gxaudit: 警告: {store_2023}: 运行 1 中 ")
            assert words in err[0], err
    # every run was still recorded
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 6


def test_foreign_database_with_the_same_tables(tmp_path, capsys, no_batch):
    store = tmp_path / "other.db"
    db = sqlite3.connect(store)
    db.executescript("CREATE TABLE meta (k, v); CREATE TABLE runs (x); CREATE TABLE reports (a);"
                     "CREATE TABLE findings (b);")
    db.close()
    code, out, err = audit(capsys, S000, "--store", str(store))
    assert code == 2 and out == ""
    assert err == [f"gxaudit: 错误: {store}: 不是 gxaudit 存储文件（表 meta 的列是 k, v）"]


def test_a_file_that_is_not_sqlite(tmp_path, capsys, no_batch):
    store = tmp_path / "notes.db"
    store.write_text("这不是数据库" * 200, encoding="utf-8")
    code, _, err = audit(capsys, S000, "--store", str(store))
    assert code == 2 and err == [f"gxaudit: 错误: {store}: 不是 gxaudit 存储文件（不是 SQLite 数据库）"]
    code, _, err = audit(capsys, S000, "--store", str(tmp_path / "missing" / "a.db"))
    assert code == 2 and "存储文件所在的文件夹不存在" in err[0]


def test_bit_flipped_pages(store_2023, tmp_path, capsys, no_batch):
    data = bytearray(store_2023.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    assert len(data) >= 3 * page
    for offset in range(page, 3 * page, 7):                        # pages 2 and 3: b-tree pages
        data[offset] ^= 0x5A
    store_2023.write_bytes(bytes(data))
    code, out, err = audit(capsys, S000, "--store", str(store_2023))
    assert code == 2 and out == "" and len(err) == 1
    assert err[0].startswith(f"gxaudit: 错误: {store_2023}: 存储文件已损坏") or "不是 gxaudit 存储文件" in err[0], err


def test_a_lock_held_by_another_process(store_2023, capsys, no_batch):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         f"db = sqlite3.connect({str(store_2023)!r}, isolation_level=None)\n"
         "db.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\ntime.sleep(30)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        start = time.monotonic()
        code, _, err = audit(capsys, S000, "--store", str(store_2023))
        assert code == 2 and time.monotonic() - start < 10
        assert len(err) == 1 and f"gxaudit: 错误: {store_2023}: 存储文件被另一个进程锁定" in err[0]
    finally:
        holder.kill()
        holder.wait()


def test_diff_of_a_damaged_or_missing_store(store_2023, tmp_path, capsys):
    with sqlite3.connect(store_2023) as db:
        db.execute("UPDATE runs SET document = '{\"schema_version\": 1, \"repo'")
    assert main(["diff", "1", "1", "--store", str(store_2023)]) == 2
    err = capsys.readouterr().err
    assert f"gxaudit: 错误: {store_2023}: 运行 1 的结果已损坏" in err and "Traceback" not in err
    with sqlite3.connect(store_2023) as db:
        db.execute("UPDATE runs SET document = '{\"schema_version\": 1, \"reports\": [{\"path\": 3}]}'")
    assert main(["diff", "1", "1", "--store", str(store_2023)]) == 2
    assert f"gxaudit: 错误: {store_2023}（运行 1）: reports[1].path：应为文本" in capsys.readouterr().err
    missing = tmp_path / "none.db"
    assert main(["diff", "1", "2", "--store", str(missing)]) == 2
    assert "存储文件不存在" in capsys.readouterr().err and not missing.exists()


# ------------------------------------------------------------------ outputs


@pytest.mark.parametrize("make, words", [
    (lambda tmp: tmp / "missing" / "result.json", "所在的文件夹"),
    (lambda tmp: tmp, "输出是一个文件夹"),
    (lambda tmp: tmp / "file.txt" / "result.json", "不是文件夹"),
])
def test_output_destination_errors(tmp_path, capsys, no_batch, make, words):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    target = make(tmp_path)
    code, out, err = audit(capsys, S000, "--output", str(target))
    assert code == 2 and out == "" and len(err) == 1 and words in err[0], err
    assert err[0].startswith(f"gxaudit: 错误: {target}: ")


def test_output_onto_a_fifo_or_device_is_refused(tmp_path, capsys, no_batch):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = audit(capsys, S000, "--output", str(fifo))
    assert code == 2 and "不是普通文件" in err[0] and stat.S_ISFIFO(os.stat(fifo).st_mode)
    code, _, err = audit(capsys, S000, "--output", os.devnull)
    assert code == 2 and "不是普通文件" in err[0] and stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_output_where_nothing_may_be_written(capsys, no_batch):
    # /sys refuses new files even to root (EACCES); a read-only mount would say EROFS
    code, _, err = audit(capsys, S000, "--output", "/sys/result.json")
    assert code == 2 and err == ["gxaudit: 错误: /sys/result.json: 无法在 /sys 中写入（没有写入权限）"]


def test_full_disk_or_read_only_while_writing(tmp_path, monkeypatch):
    target = tmp_path / "result.json"
    target.write_text("old", encoding="utf-8")
    for code, words in ((errno.ENOSPC, "磁盘已满"), (errno.EROFS, "文件系统只读")):
        def fail(*_args, _code=code):
            raise OSError(_code, os.strerror(_code))
        monkeypatch.setattr(os, "replace", fail)
        with pytest.raises(OutputError, match=words):
            write_atomic(target, "new")
        monkeypatch.undo()
        assert target.read_text(encoding="utf-8") == "old"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]   # no temporary left
