"""Project settings, rule selection, stdin, exit codes and terminal conventions (issue 12).

Everything goes through `gxaudit.cli.main` on the seed reports, as a
supervisor runs it: settings found from a subfolder, rules switched off and
on by id, prefix and category, a severity raised, a report piped in, a
README in the folder, messages in Chinese.
"""
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import SEEDS
from gxaudit.cli import main
from gxaudit.cli import engines
from gxaudit.cli.console import colour_wanted

S000 = SEEDS / "000_f29079d135fdfab1.txt"   # no finding
S001 = SEEDS / "001_0843dfdf5e1a4b6d.txt"   # GX-CEL-001 ×5, GX-STR-001 ×2, GX-STR-002
S002 = SEEDS / "002_44a23edc808f0eac.txt"   # GX-CON-001 (warning)
S003 = SEEDS / "003_51b21fc9b3159953.txt"   # GX-CEL-002 ×2, GX-STR-001, GX-STR-005 (info)
S004 = SEEDS / "004_e00e53dea6302a83.txt"   # GX-YEAR-003 (warning)


def run(capsys, *args, fmt="json"):
    argv = ["audit", *args, "--no-progress", "--jobs", "1"]
    if fmt:
        argv += ["--format", fmt]
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, (json.loads(out) if fmt == "json" and out else out), err


def rules_found(doc):
    return {f["rule"] for r in doc["reports"] for f in r["findings"]}


@pytest.fixture
def project(tmp_path):
    """A supervisor's folder: reports, a README, a draft to leave out, a subfolder to work in."""
    reports = tmp_path / "reports"
    (reports / "附件").mkdir(parents=True)
    for seed in (S000, S001, S002):
        shutil.copy(seed, reports / seed.name)
    shutil.copy(S003, reports / "附件" / S003.name)
    shutil.copy(S004, reports / "004.draft.txt")
    (reports / "README.md").write_text("# 说明\n\n本文件夹放各单位报送的年度报告。\n", encoding="utf-8")
    (tmp_path / "work" / "deeper").mkdir(parents=True)
    return tmp_path


# ---------------------------------------------------------------- settings


def test_settings_found_from_a_subfolder(project, capsys, monkeypatch):
    (project / "gxaudit.toml").write_text(
        'paths = ["reports"]\n'
        'exclude = ["附件", "*.draft.txt"]\n'
        'ignore = ["GX-STR"]\n'
        'fail-on = "warning"\n', encoding="utf-8")
    monkeypatch.chdir(project / "work" / "deeper")
    code, doc, err = run(capsys, "-v")
    names = sorted(Path(r["path"]).name for r in doc["reports"])
    # paths relative to the settings file; 附件/ and the draft excluded; README listed, not an error
    assert names == [S000.name, S001.name, S002.name, "README.md"]
    assert all(r["path"].startswith("../../reports/") for r in doc["reports"])
    assert not any(rule.startswith("GX-STR") for rule in rules_found(doc))
    assert code == 1                                        # fail-on warning from the file
    assert f"使用配置文件 {project / 'gxaudit.toml'}" in err
    assert "已排除 ../../reports/附件" in err and "不是年度报告" in err


def test_pyproject_table_and_nearest_file(project, capsys, monkeypatch):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "office"\n\n[tool.gxaudit]\nselect = ["GX-CON"]\n', encoding="utf-8")
    # a nearer pyproject.toml without [tool.gxaudit] is passed over
    (project / "work" / "pyproject.toml").write_text('[project]\nname = "other"\n', encoding="utf-8")
    monkeypatch.chdir(project / "work" / "deeper")
    code, doc, _ = run(capsys, str(S002))
    assert rules_found(doc) == {"GX-CON-001"}
    # --isolated reads no settings; --config names one
    _, doc, _ = run(capsys, str(S001), "--isolated")
    assert "GX-STR-001" in rules_found(doc)
    other = project / "other.toml"
    other.write_text('select = ["cells"]\n', encoding="utf-8")
    _, doc, _ = run(capsys, str(S001), "--config", str(other))
    assert rules_found(doc) == {"GX-CEL-001"}


@pytest.mark.parametrize("args, expected", [
    (["--select", "GX-CON"], {"GX-CON-001"}),                          # a prefix
    (["--select", "GX-CEL-001,GX-STR-002"], {"GX-CEL-001", "GX-STR-002"}),   # ids, comma-separated
    (["--select", "cells", "--select", "content"], {"GX-CEL-001", "GX-CEL-002", "GX-CON-001"}),
    (["--ignore", "structure,year"], {"GX-CEL-001", "GX-CEL-002", "GX-CON-001"}),   # categories
    (["--ignore", "GX-CEL-001"], {"GX-CEL-002", "GX-CON-001", "GX-STR-001", "GX-STR-002", "GX-STR-005",
                                  "GX-YEAR-003"}),
    # the more specific selector wins, whichever list it is in
    (["--select", "GX-CEL", "--ignore", "GX-CEL-001"], {"GX-CEL-002"}),
    (["--select", "GX-CEL-001", "--ignore", "cells"], {"GX-CEL-001"}),
    (["--select", "ALL", "--ignore", "GX"], set()),
])
def test_select_and_ignore(capsys, args, expected):
    _, doc, _ = run(capsys, str(SEEDS), *args, "--isolated")
    assert rules_found(doc) == expected


def test_command_line_layers_over_the_file(tmp_path, capsys):
    settings = tmp_path / "gxaudit.toml"
    settings.write_text('ignore = ["cells"]\nextend-select = []\n', encoding="utf-8")
    _, doc, _ = run(capsys, str(S001), "--config", str(settings))
    assert rules_found(doc) == {"GX-STR-001", "GX-STR-002"}
    # --extend-select adds back to the file's selection; --select starts afresh
    _, doc, _ = run(capsys, str(S001), "--config", str(settings), "--extend-select", "GX-CEL-001")
    assert rules_found(doc) == {"GX-STR-001", "GX-STR-002", "GX-CEL-001"}
    _, doc, _ = run(capsys, str(S001), "--config", str(settings), "--select", "cells")
    assert rules_found(doc) == {"GX-CEL-001"}


def test_severity_override(tmp_path, capsys):
    code, doc, _ = run(capsys, str(S002), "--isolated")
    assert code == 0                                         # the fee finding is a warning
    settings = tmp_path / "gxaudit.toml"
    settings.write_text('[severity]\n"GX-CON-001" = "error"\nstructure = "info"\n', encoding="utf-8")
    code, doc, _ = run(capsys, str(S002), "--config", str(settings))
    (finding,) = doc["reports"][0]["findings"]
    assert finding["severity"] == "error" and code == 1
    _, doc, _ = run(capsys, str(S003), "--config", str(settings))
    assert {f["severity"] for f in doc["reports"][0]["findings"] if f["rule"].startswith("GX-STR")} == {"info"}
    # the rules' list shows what is in force
    assert main(["rules", "list", "--config", str(settings)]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith("GX-CON-001"))
    assert line.split()[2] == "error"


def test_a_rule_off_by_default_runs_only_when_named(tmp_path, capsys):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "extra.yaml").write_text("""rules:
  - id: USR-OFF-001
    title: 本年新收申请数（提示）
    category: cells
    severity: info
    weight: 0
    enabled: false
    check: {kind: cells, select: "applications[new][total]", assert: 'kind != "number"'}
    message: 本年新收申请 {raw} 件
""", encoding="utf-8")
    base = [str(S000), "--isolated", "--rules", str(folder)]
    _, doc, _ = run(capsys, *base, "--select", "ALL")
    assert rules_found(doc) == set()
    _, doc, _ = run(capsys, *base, "--extend-select", "USR-OFF")              # a prefix is not enough
    assert rules_found(doc) == set()
    _, doc, _ = run(capsys, *base, "--extend-select", "USR-OFF-001")
    assert rules_found(doc) == {"USR-OFF-001"}


def test_unknown_selectors_are_errors_where_written(tmp_path, capsys):
    settings = tmp_path / "gxaudit.toml"
    settings.write_text('select = ["GX-CEL", "GX-CELL-001"]\n\n[severity]\n"GX-NOPE" = "info"\n',
                        encoding="utf-8")
    code, _, err = run(capsys, str(S000), "--config", str(settings))
    assert code == 2
    assert err.strip() == (f"gxaudit: 错误: {settings}:1:21: select[2]：'GX-CELL-001' 不是已知的规则编号、编号前缀、"
                           "类别或 ALL（用 gxaudit rules list 查看）")
    code, _, err = run(capsys, str(S000), "--isolated", "--ignore", "strucutre")
    assert code == 2 and "--ignore：'strucutre' 不是已知的规则编号" in err


@pytest.mark.parametrize("text, where, words", [
    ('jobs = 0\n', "1:8", "jobs：不能小于 1"),
    ('timeout = "60"\n', "1:11", "timeout：应为整数"),
    ('format = "pdf"\n', "1:10", "format：应为 table、markdown、csv、json、html、xlsx、sarif 之一"),
    ('fail_on = "warning"\n', "1:1", "fail_on：未知的键，应写作 fail-on"),
    ('colour = "never"\n', "1:1", "colour：未知的键 'colour'"),
    ('select = ["GX-CEL", 3]\n', "1:21", "select[2]：应为文本"),
    ('[severity]\n"GX-CEL-001" = "fatal"\n', "2:16", "severity.GX-CEL-001：应为 error、warning、info 之一"),
    ('select = ["GX-CEL"\n', "2:1", "不是有效的 TOML"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", None, "不是有效的 TOML（嵌套过深）"),
])
def test_settings_file_mistakes(tmp_path, capsys, text, where, words):
    settings = tmp_path / "gxaudit.toml"
    settings.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, str(S000), "--config", str(settings))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert f"gxaudit: 错误: {settings}:{where}: " in err if where else f"gxaudit: 错误: {settings}: " in err
    assert words in err, err


def test_settings_file_that_is_not_a_file(tmp_path, capsys):
    code, _, err = run(capsys, str(S000), "--config", str(tmp_path))
    assert code == 2 and "是文件夹，不是配置文件" in err
    code, _, err = run(capsys, str(S000), "--config", str(tmp_path / "none.toml"))
    assert code == 2 and "配置文件不存在" in err


# ---------------------------------------------------------------- inputs


def fake_stdin(monkeypatch, data: bytes):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_one_report_from_standard_input(capsys, monkeypatch):
    fake_stdin(monkeypatch, S002.read_bytes())
    code, doc, _ = run(capsys, "-", "--isolated")
    (report,) = doc["reports"]
    assert report["path"] == "-" and report["organ"] == "焦虎镇" and code == 0
    assert [f["rule"] for f in report["findings"]] == ["GX-CON-001"]
    # named, and with files beside it; the fingerprint is the one of the file on disk
    _, on_disk, _ = run(capsys, str(S002), "--isolated")
    fake_stdin(monkeypatch, S002.read_bytes())
    _, doc, _ = run(capsys, str(S000), "-", "--stdin-filename", "报送/焦虎镇.txt", "--isolated")
    piped = next(r for r in doc["reports"] if r["path"] == "报送/焦虎镇.txt")
    assert piped["findings"][0]["fingerprint"] == on_disk["reports"][0]["findings"][0]["fingerprint"]
    fake_stdin(monkeypatch, S000.read_bytes())
    assert main(["parse", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["path"] == "-"


def test_standard_input_errors(capsys, monkeypatch):
    fake_stdin(monkeypatch, b"")
    code, doc, err = run(capsys, "-", "--isolated")
    assert code == 2 and doc["reports"][0]["path"] == "-" and "-: 文件为空" in err
    fake_stdin(monkeypatch, b"x")
    code, _, err = run(capsys, "-", "-", "--isolated")
    assert code == 2 and "标准输入（-）只能读一次" in err
    monkeypatch.setattr(sys, "stdin", None)
    code, _, err = run(capsys, "-", "--isolated")
    assert code == 2 and "没有标准输入可读" in err


def test_exit_codes_with_a_file_that_is_not_a_report(project, capsys):
    reports = project / "reports"
    # findings in 001: exit 1, the README does not make it 2
    code, doc, err = run(capsys, str(reports), "--isolated", "--exclude", "附件,*.draft.txt")
    status = {Path(r["path"]).name: r["status"] for r in doc["reports"]}
    assert status["README.md"] == "not_a_report" and code == 1
    assert f"{reports / 'README.md'}: 不是年度报告，未审查" in err
    # only a clean report and the README: exit 0
    clean = project / "clean"
    clean.mkdir()
    shutil.copy(S000, clean)
    shutil.copy(reports / "README.md", clean)
    code, out, err = run(capsys, str(clean), "--isolated", fmt="table")
    assert code == 0 and "不是年度报告" in out
    # --strict: the README is an error (exit 2), as a broken file is
    code, _, err = run(capsys, str(clean), "--isolated", "--strict")
    assert code == 2 and "README.md: 不是年度报告（--strict）" in err
    (clean / "broken.txt").write_bytes(b"")
    code, _, _ = run(capsys, str(clean), "--isolated")
    assert code == 2


def test_the_same_file_named_twice_is_audited_once(capsys):
    _, doc, _ = run(capsys, str(S000), str(SEEDS), "--isolated")
    assert len(doc["reports"]) == 5


def test_jobs_and_timeout_below_one_are_refused(capsys):
    for option, value in (("--jobs", "0"), ("--timeout", "0"), ("--jobs", "-3"), ("--timeout", "x")):
        assert main(["audit", str(S000), option, value]) == 2
        err = capsys.readouterr().err
        assert option in err and "参数" in err and ("不小于 1" in err or "应为整数" in err), err


# ---------------------------------------------------------------- the terminal


def test_messages_and_help_are_chinese(capsys):
    assert main(["audit", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：gxaudit audit") and "--select SELECTORS" in out and "显示本帮助并退出" in out
    assert "show this help" not in out
    assert main(["audit", "--format", "pdf"]) == 2
    err = capsys.readouterr().err
    assert "gxaudit: 错误: 参数 --format：无效的选择：'pdf'" in err


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_colour_follows_the_conventions(monkeypatch, capsys):
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    assert colour_wanted(Tty()) and not colour_wanted(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_wanted(Tty()) and colour_wanted(Tty(), "always")
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert colour_wanted(io.StringIO()) and not colour_wanted(Tty(), "never")
    monkeypatch.delenv("FORCE_COLOR")
    # the table: severities coloured only when asked (here stdout is captured, not a terminal)
    _, out, _ = run(capsys, str(S001), "--isolated", fmt=None)
    assert "\x1b[" not in out
    _, out, _ = run(capsys, str(S001), "--isolated", "--color", "always", fmt=None)
    assert "\x1b[1;31m错误\x1b[0m" in out and "\x1b[1m【" in out
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp := io.StringIO()).isatty = lambda: True
    monkeypatch.setattr(sys, "stdout", tmp)
    assert main(["audit", str(S001), "--isolated", "--no-progress", "--jobs", "1"]) == 1
    assert "\x1b[" not in tmp.getvalue() and "错误" in tmp.getvalue()


def test_quiet_keeps_errors_only(project, capsys):
    code, _, err = run(capsys, str(project / "reports"), "--isolated", "-q")
    assert code == 1 and err == ""                    # the README warning is not shown


# ---------------------------------------------------------------- engines and the unexpected


def test_without_durable_the_reference_evaluator_runs(monkeypatch, capsys):
    _, expected, _ = run(capsys, str(SEEDS), "--isolated", "--engine", "reference")
    monkeypatch.setattr(engines, "durable_available", lambda: False)
    code, doc, err = run(capsys, str(SEEDS), "--isolated")
    assert err.count("durable-rules 未安装或无法载入") == 1 and "改用参考求值器" in err
    assert doc == expected and code == 1
    code, _, err = run(capsys, str(S000), "--isolated", "--engine", "durable")
    assert code == 2 and "--engine durable：durable-rules 未安装或无法载入" in err


def test_durable_is_the_default_where_installed(monkeypatch, capsys):
    chosen = []
    from gxaudit.audit import batch
    original = batch.AuditSetup.build

    def spy(self, loaded=None):
        chosen.append(self.engine)
        return original(self, loaded)

    monkeypatch.setattr(batch.AuditSetup, "build", spy)
    run(capsys, str(S000), "--isolated")
    assert chosen == (["durable"] if engines.durable_available() else ["reference"])


def test_an_unexpected_exception_is_one_line(monkeypatch, capsys, tmp_path):
    from gxaudit.audit import units

    def broken(path):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(units, "load_units", broken)
    path = tmp_path / "units.csv"
    path.write_text("unit,region\n", encoding="utf-8")
    code, out, err = run(capsys, str(S000), "--isolated", "--units", str(path))
    assert code == 2 and out == ""
    assert err.strip() == (f"gxaudit: 错误: 内部错误（处理 {path} 时）：RuntimeError: simulated bug。"
                           "这是 gxaudit 的缺陷，请报告；加 --verbose 显示调用栈")


# ---------------------------------------------------------------- the README's examples


def readme_block(language, after):
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = text.index(f"```{language}\n", text.index(after)) + len(language) + 4
    return text[start:text.index("```\n", start)]


def test_readme_rule_example_is_a_complete_valid_file(tmp_path, capsys):
    folder = tmp_path / "my_rules"
    folder.mkdir()
    (folder / "applications.yaml").write_text(readme_block("yaml", "## Rules"), encoding="utf-8")
    assert main(["rules", "validate", str(folder)]) == 0
    assert "规则文件有效：1 条规则" in capsys.readouterr().out
    assert main(["rules", "test", str(folder)]) == 0
    assert "示例通过 2 个，未通过 0 个" in capsys.readouterr().out


def test_readme_settings_example_is_valid(tmp_path):
    from gxaudit.cli.settings import load_file

    path = tmp_path / "gxaudit.toml"
    path.write_text(readme_block("toml", "### Settings"), encoding="utf-8")
    settings = load_file(path)
    assert settings.values["ignore"] == ["GX-CEL-003", "narrative"]
    assert settings.get("store") == str(Path(os.path.relpath(tmp_path / "audits.db")))


def test_pip_installs_durable_only_where_it_builds():
    import tomllib

    from packaging.markers import Marker
    from packaging.requirements import Requirement

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8"))
    (durable,) = [Requirement(d) for d in project["project"]["dependencies"] if d.startswith("durable")]
    for version, wanted in (("3.11", True), ("3.12", True), ("3.13", False), ("3.14", False)):
        assert durable.marker.evaluate({"python_version": version}) is wanted
    assert project["project"]["requires-python"] == ">=3.11"
    assert isinstance(durable.marker, Marker)
