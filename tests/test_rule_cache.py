"""Format files, checked and compiled rules kept between runs (gxaudit/cache.py,
gxaudit/rules/cache.py): a run that takes them gives the same formats, rules, compiled
engine and findings as one that reads, checks and compiles afresh; anything wrong with
the cache is as if there were none."""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, SEEDS

from gxaudit import cache as store
from gxaudit.audit.batch.setup import AuditSetup
from gxaudit.engine.durable import engine as durable_engine
from gxaudit.errors import ConfigError
from gxaudit.formats import load as formats_load
from gxaudit.formats.load import formats_dir
from gxaudit.rules import cache, expr
from gxaudit.rules import load as rule_load
from gxaudit.rules.load import RuleFileError, builtin_rules_dir, load_rules

BUILTIN = [str(builtin_rules_dir())]

RULE = """\
rules:
  - id: GX-TST-001
    title: 申请数不为负
    category: cells
    severity: error
    weight: 1
    message: "新收申请 {raw} 小于下限"
    check:
      kind: cells
      select: "applications[new][*]"
      assert: "kind != 'number' or value >= {floor}"
"""


def _rule_file(folder: Path, floor: int = 0) -> Path:
    path = folder / "mine.yaml"
    path.write_text(RULE.replace("{floor}", str(floor)), encoding="utf-8")
    return path


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("gxaudit-*.pickle"))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("GXAUDIT_CACHE_DIR", str(where))
    return where


def _no_checking(monkeypatch):
    """Checking a rule file or parsing an expression now fails the test."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("checked again")

    monkeypatch.setattr(rule_load, "load_rule_file", refuse)
    monkeypatch.setattr(expr, "_parse", refuse)


@contextlib.contextmanager
def _cache_off() -> Iterator[None]:
    """The cache off for a while, then as it was."""
    before = os.environ.get("GXAUDIT_CACHE_DIR")
    os.environ["GXAUDIT_CACHE_DIR"] = "off"
    try:
        yield
    finally:
        if before is None:
            del os.environ["GXAUDIT_CACHE_DIR"]
        else:
            os.environ["GXAUDIT_CACHE_DIR"] = before


def _fresh(directories) -> tuple[list, str]:
    """load_rules with the cache off."""
    with _cache_off():
        return load_rules(directories)


def test_kept_rules_equal_checked_ones_and_are_not_checked_again(folder, tmp_path, monkeypatch):
    own = tmp_path / "own"
    own.mkdir()
    directories = [*BUILTIN, str(_rule_file(own))]
    first = load_rules(directories)
    assert len(_entries(folder)) == len(list(builtin_rules_dir().glob("*.yaml"))) - 1 + 1  # not scoring.yaml
    monkeypatch.setattr(expr, "_known", {})
    _no_checking(monkeypatch)
    second = load_rules(directories)
    monkeypatch.undo()
    fresh = _fresh(directories)
    assert first == second == fresh
    assert [vars(rule) for rule in second[0]] == [vars(rule) for rule in fresh[0]]
    # every expression the check parsed came back with the rules: the same trees
    for rule in second[0]:
        text = rule.check.get("assert")
        if isinstance(text, str):
            assert expr.parse(text) == expr._parse(text)


def test_a_changed_file_is_checked_again(folder, tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    path = _rule_file(own, floor=0)
    (before,), _ = load_rules([str(path)])
    _rule_file(own, floor=1)
    (after,), _ = load_rules([str(path)])
    assert before.check["assert"].endswith("value >= 0") and after.check["assert"].endswith("value >= 1")
    assert len(_entries(folder)) == 2


def test_the_same_text_under_another_name_keeps_its_own_name(folder, tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        _rule_file(tmp_path / name)
    (first,), _ = load_rules([str(tmp_path / "a" / "mine.yaml")])
    (second,), _ = load_rules([str(tmp_path / "b" / "mine.yaml")])
    assert first.source.endswith("a/mine.yaml") and second.source.endswith("b/mine.yaml")


def test_a_file_with_problems_is_never_kept(folder, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(RULE.replace("{floor}", "0").replace("or value >=", "or valu >="), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleFileError) as caught:
            load_rules([str(path)])
        assert any("valu" in issue.message for issue in caught.value.issues)
    assert _entries(folder) == []


@pytest.mark.parametrize(
    "spoil",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # cut short
        lambda p: p.write_bytes(b"not a pickle"),
        lambda p: p.write_bytes(pickle.dumps(["not", "rules"])),
        lambda p: p.write_bytes(pickle.dumps(([1, 2], {}))),
        lambda p: p.chmod(0o666),  # others may write it: not read
    ],
    ids=["truncated", "garbage", "other-shape", "not-rules", "writable-by-others"],
)
def test_a_spoilt_entry_is_as_none(folder, tmp_path, spoil):
    own = tmp_path / "own"
    own.mkdir()
    path = _rule_file(own)
    expected = _fresh([str(path)])
    load_rules([str(path)])
    (entry,) = _entries(folder)
    spoil(entry)
    assert load_rules([str(path)]) == expected


def test_a_writable_entry_is_not_unpickled(folder, tmp_path, monkeypatch):
    own = tmp_path / "own"
    own.mkdir()
    path = _rule_file(own)
    load_rules([str(path)])
    (entry,) = _entries(folder)
    entry.chmod(0o622)  # group- and world-writable
    monkeypatch.setattr(pickle, "load", lambda *_a: pytest.fail("unpickled a writable entry"))
    (rule,), _ = load_rules([str(path)])
    assert rule.id == "GX-TST-001"


def test_a_folder_others_may_write_to_is_not_read(folder, tmp_path, monkeypatch):
    own = tmp_path / "own"
    own.mkdir()
    path = _rule_file(own)
    load_rules([str(path)])
    folder.chmod(0o777)
    monkeypatch.setattr(pickle, "load", lambda *_a: pytest.fail("read from a folder others may write to"))
    (rule,), _ = load_rules([str(path)])
    assert rule.id == "GX-TST-001"
    folder.chmod(0o700)
    monkeypatch.undo()
    monkeypatch.setenv("GXAUDIT_CACHE_DIR", str(folder))
    _no_checking(monkeypatch)
    (again,), _ = load_rules([str(path)])  # the folder the user's alone again: read
    assert again == rule


def test_a_cache_that_cannot_be_written_never_stops_a_run(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("GXAUDIT_CACHE_DIR", str(blocked / "cache"))  # under a file: no folder
    own = tmp_path / "own"
    own.mkdir()
    assert load_rules([str(_rule_file(own))]) == _fresh([str(_rule_file(own))])


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for off in ("off", "OFF", ""):
        monkeypatch.setenv("GXAUDIT_CACHE_DIR", off)
        assert store.cache_dir() is None
        load_rules(BUILTIN)
    assert not (tmp_path / "xdg").exists()
    monkeypatch.delenv("GXAUDIT_CACHE_DIR")
    assert store.cache_dir() == tmp_path / "xdg" / "gxaudit"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert store.cache_dir() == tmp_path / ".cache" / "gxaudit"


def test_old_entries_are_pruned(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(store, "KEPT", 2)
    own = tmp_path / "own"
    own.mkdir()
    path = _rule_file(own)
    for floor in range(4):
        _rule_file(own, floor)
        load_rules([str(path)])
    kept = _entries(folder)
    assert len(kept) == 2
    with kept[0].open("rb") as handle:
        floors = {pickle.load(handle)[0][0].check["assert"]}
    with kept[1].open("rb") as handle:
        floors.add(pickle.load(handle)[0][0].check["assert"])
    assert {f[-1] for f in floors} == {"2", "3"}  # the two written last


def test_the_key_holds_the_code_and_the_formats(tmp_path):
    package = tmp_path / "package"
    shutil.copytree(
        Path(cache.__file__).parent, package / "rules", ignore=shutil.ignore_patterns("__pycache__")
    )
    formats = tmp_path / "formats"
    shutil.copytree(formats_dir(), formats)

    def fingerprint() -> tuple[bytes, bytes]:
        store.code_fingerprint.cache_clear()  # the code is read once a process: this is the next one
        return store.code_fingerprint(str(package)), cache._formats(str(formats), cache._listed(formats))

    base = fingerprint()
    assert fingerprint() == base
    module = package / "rules" / "expr.py"
    os.utime(module, ns=(module.stat().st_atime_ns, module.stat().st_mtime_ns + 1_000_000))
    touched = fingerprint()
    assert touched[0] != base[0] and touched[1] == base[1]
    (package / "rules" / "new_kind.py").write_text("", encoding="utf-8")
    added = fingerprint()
    assert added[0] not in (base[0], touched[0])
    shape = next(formats.glob("*.yaml"))
    shape.write_text(shape.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    reshaped = fingerprint()
    assert reshaped[0] == added[0] and reshaped[1] != added[1]


def test_kept_format_files_equal_read_ones(folder, tmp_path, monkeypatch):
    own = tmp_path / "formats"
    shutil.copytree(formats_dir(), own)
    files = sorted(own.glob("*.yaml"))
    read = [formats_load._load_yaml.__wrapped__(path) for path in files]  # read, and kept
    assert len(_entries(folder)) == len(files)
    with monkeypatch.context() as patch:
        patch.setattr(formats_load, "_checked_yaml", lambda *_a: pytest.fail("read again"))
        assert [formats_load._load_yaml.__wrapped__(path) for path in files] == read
    with _cache_off():
        assert [formats_load._load_yaml.__wrapped__(path) for path in files] == read
    # an edited file is read again; a file with problems is never kept
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    assert formats_load._load_yaml.__wrapped__(files[0]) == read[0]
    assert len(_entries(folder)) == len(files) + 1
    files[0].write_text("format: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError):
            formats_load._load_yaml.__wrapped__(files[0])
    assert len(_entries(folder)) == len(files) + 1


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_compiled_rules_taken_back_audit_as_compiled_ones(folder, monkeypatch, engine):
    setup = AuditSetup(rule_dirs=tuple(BUILTIN), scoring_path=None, engine=engine)
    reports = sorted(SEEDS.glob("*")) + [p for p in sorted(CORPUS.glob("*")) if p.name != "README.md"]
    first = setup.build()
    expected = [first.audit_file(str(p)).to_dict() for p in reports]
    assert len(_entries(folder)) > 1  # the rule files and the compiled rules
    # a new process: no layout laid out, no expression parsed; all of it comes from the cache
    monkeypatch.setattr(durable_engine, "_LAYOUTS", {})
    monkeypatch.setattr(expr, "_known", {})
    monkeypatch.setattr(durable_engine, "lay_out", lambda *_a: pytest.fail("laid out again"))
    _no_checking(monkeypatch)
    second = setup.build()
    assert second.compiled == first.compiled
    assert [second.audit_file(str(p)).to_dict() for p in reports] == expected


def test_the_command_gives_the_same_output_with_and_without_the_cache(tmp_path):
    """Whole runs: cache off, a cold cache, a warm one; every sample file."""
    outputs = []
    for name, where in (("off", "off"), ("cold", str(tmp_path / "c")), ("warm", str(tmp_path / "c"))):
        out = tmp_path / f"{name}.json"
        env = {**os.environ, "GXAUDIT_CACHE_DIR": where}
        proc = subprocess.run(
            [sys.executable, "-m", "gxaudit", "audit", str(SEEDS), str(CORPUS), "--format", "json"]
            + ["-o", str(out), "--no-progress", "--jobs", "2"],
            capture_output=True,
            text=True,
            env=env,
        )
        assert proc.returncode == 1, proc.stderr
        outputs.append((out.read_bytes(), proc.stderr))
    assert outputs[0] == outputs[1] == outputs[2]
    assert _entries(tmp_path / "c")
    one = sorted(CORPUS.glob("*.pdf"))[0]
    singles = []
    for where in ("off", str(tmp_path / "c")):
        proc = subprocess.run(
            [sys.executable, "-m", "gxaudit", "audit", str(one), "--format", "json", "--no-progress"],
            capture_output=True,
            text=True,
            env={**os.environ, "GXAUDIT_CACHE_DIR": where},
        )
        singles.append((proc.returncode, proc.stdout, proc.stderr))
    assert singles[0] == singles[1]


def test_the_rules_test_command_reads_a_cached_pack_the_same(tmp_path):
    runs = []
    for where in ("off", str(tmp_path / "c"), str(tmp_path / "c")):
        proc = subprocess.run(
            [sys.executable, "-m", "gxaudit", "rules", "test"],
            capture_output=True,
            text=True,
            env={**os.environ, "GXAUDIT_CACHE_DIR": where},
            cwd=Path(__file__).resolve().parent.parent,
        )
        runs.append((proc.returncode, proc.stdout, proc.stderr))
    assert runs[0][0] == 0 and runs[0] == runs[1] == runs[2]


def test_rule_files_named_in_a_message_keep_their_position(folder, tmp_path):
    """A duplicate id is found after the rules come back from the cache: the message names
    the file and line of both, as without it."""
    own = tmp_path / "own"
    own.mkdir()
    path = _rule_file(own)
    twin = own / "twin.yaml"
    twin.write_text(textwrap.dedent(RULE).replace("{floor}", "0"), encoding="utf-8")
    messages = []
    for _ in range(2):
        with pytest.raises(RuleFileError) as caught:
            load_rules([str(own)])
        messages.append([str(issue) for issue in caught.value.issues])
    assert messages[0] == messages[1] and "duplicate rule id GX-TST-001" in messages[0][0]
    assert str(path) in messages[0][0] or str(twin) in messages[0][0]
