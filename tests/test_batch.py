"""Batches: broken files beside good ones, worker processes, atomic output."""
import json
import os
import shutil
import zipfile

import pytest

from conftest import CORPUS, SEEDS
from gxaudit.audit.batch import AuditSetup
from gxaudit.cli import main
from gxaudit.rules.load import builtin_rules_dir


@pytest.fixture
def batch_dir(tmp_path):
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    shutil.copy(CORPUS / "012_shuyang_fgj_2023.html", folder / "sub" / "012.html")
    shutil.copy(CORPUS / "016_pingtan_2018_pre_template_control.txt", folder / "sub" / "016.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "notes.md").write_text("# 会议纪要\n\n没有标题也没有表格。\n", encoding="utf-8")
    (folder / "truncated.html").write_text("<html><body><table><tr><td>第二十条", encoding="utf-8")
    with zipfile.ZipFile(folder / "fake.docx", "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    locked = folder / "locked.txt"
    shutil.copy(SEEDS / "000_f29079d135fdfab1.txt", locked)
    locked.chmod(0)
    big = folder / "big.txt"
    with big.open("wb") as handle:           # sparse: 200 MB without writing them
        handle.truncate(200 * 1024 * 1024)
    yield folder
    locked.chmod(0o644)


def run_json(capsys, *args):
    code = main(["audit", *args, "--format", "json", "--no-progress"])
    return code, json.loads(capsys.readouterr().out)


def test_broken_files_never_stop_the_batch(batch_dir, capsys):
    code, doc = run_json(capsys, str(batch_dir), "--jobs", "1")
    assert code == 2                                   # some files could not be processed
    status = {os.path.basename(r["path"]): (r["status"], r["error"]) for r in doc["reports"]}
    for seed in SEEDS.glob("*.txt"):
        assert status[seed.name][0] == "audited"
    assert status["012.html"][0] == "audited"
    assert status["016.txt"] == ("not_applicable", status["016.txt"][1]) and "2018" in status["016.txt"][1]
    assert status["empty.txt"] == ("error", "文件为空")
    assert status["junk.txt"][0] == "error" and "二进制数据" in status["junk.txt"][1]
    # a readable file that is not a report is listed as such, not as an error
    assert status["notes.md"][0] == "not_a_report" and "不是年度报告" in status["notes.md"][1]
    assert status["fake.docx"][0] == "error"
    assert status["big.txt"][0] == "error" and "文件过大" in status["big.txt"][1]
    if os.geteuid() != 0:                              # root reads anything
        assert status["locked.txt"] == ("error", "没有读取权限")
    assert status["truncated.html"][0] == "error"
    # audited reports are ranked 1..n; the others are listed with their reason
    audited = [r for r in doc["reports"] if r["status"] == "audited"]
    # equal scores share a rank (1, 1, 3): a rank is 1 + how many scored better
    assert [r["rank"] for r in audited] == [1 + sum(o["score"] > r["score"] for o in audited) for r in audited]


def test_jobs_give_identical_json(batch_dir, capsys):
    _, one = run_json(capsys, str(batch_dir), "--jobs", "1")
    _, two = run_json(capsys, str(batch_dir), "--jobs", "2")
    assert one == two


def test_output_file_is_written_whole(batch_dir, tmp_path, capsys):
    target = tmp_path / "out" / "result.json"
    target.parent.mkdir()
    main(["audit", str(SEEDS), "--format", "json", "--output", str(target), "--no-progress"])
    assert capsys.readouterr().out == ""
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert len(doc["reports"]) == 5
    assert [p.name for p in target.parent.iterdir()] == ["result.json"]   # no temporary left


def test_markdown_and_csv_outputs(capsys):
    assert main(["audit", str(SEEDS), "--format", "markdown", "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "| 排名 |" in out.replace("|   排名 |", "| 排名 |") or "排名" in out.splitlines()[2]
    main(["audit", str(SEEDS), "--format", "csv", "--no-progress", "--csv-headers", "en"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("rank,path,status,organ,year,format,score,grade,coverage,grade_note,rule")
    assert any(",GX-CON-001," in line for line in lines)


def test_fail_on_levels(capsys):
    s000 = str(SEEDS / "000_f29079d135fdfab1.txt")
    assert main(["audit", s000, "--no-progress"]) == 0           # no error in 000
    capsys.readouterr()
    assert main(["audit", str(SEEDS / "002_44a23edc808f0eac.txt"), "--fail-on", "warning",
                 "--no-progress"]) == 1                            # the fee warning
    capsys.readouterr()


def test_one_place_chooses_where_files_are_audited():
    """The CLI's batch (isolate: a file that kills its process must not take the run down,
    so even --jobs 1 uses a worker) and run_batch (results in memory: --jobs 1 here)."""
    from gxaudit.audit.batch.backends import InlineBackend, ProcessBackend, make_backend

    setup = AuditSetup((str(builtin_rules_dir()),), None, "reference")
    chosen = {
        (jobs, files, isolate): type(make_backend(setup, jobs, files, isolate=isolate))
        for jobs in (1, 2)
        for files in (1, 5)
        for isolate in (True, False)
    }
    assert chosen == {
        (1, 1, True): InlineBackend,
        (1, 1, False): InlineBackend,
        (2, 1, True): InlineBackend,
        (2, 1, False): InlineBackend,
        (1, 5, True): ProcessBackend,
        (1, 5, False): InlineBackend,
        (2, 5, True): ProcessBackend,
        (2, 5, False): ProcessBackend,
    }
