"""YAML that would hang or crash a loader, and rule paths that are not rule files (issue 11).

Each case goes through `gxaudit rules validate` and must end within a second
with exit 2 and one `file:line:column: message` line: never a traceback,
never a hang.
"""
import os
import time

import pytest

from gxaudit.cli import main
from gxaudit.formats import nodes

GOOD_RULE = """rules:
  - id: USR-TEST-001
    title: 测试
    category: cells
    severity: info
    weight: 0
    check: {kind: cells, select: "applications[new][total]", assert: 'kind == "number"'}
    message: 测试
"""

# A bound against work that never ends (9**9 nodes expanded, a FIFO read, /dev/zero), not a
# speed figure: each of these is refused in milliseconds, and a loaded machine must not fail them.
HANG = 10.0

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([None, "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi")
)


def validate(capsys, path):
    start = time.monotonic()
    code = main(["rules", "validate", str(path)])
    elapsed = time.monotonic() - start
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.strip().splitlines(), elapsed


@pytest.mark.parametrize("text, line, column, words", [
    (LAUGHS, 6, 4, "别名展开后超过"),                                  # billion laughs
    ("rules: " + "[" * 5000 + "]" * 5000 + "\n", 1, 57, "嵌套超过 50 层"),   # flow nesting
    ("rules:\n" + "".join(" " * (i + 1) + "- \n" for i in range(3000)), 51, 51, "嵌套超过 50 层"),
    ("rules: &a [*a]\n", 1, 12, "循环引用"),                             # a self-referring alias
    ("rules: []\nuntil: 2020-02-30\n", 2, 8, "不是有效的日期：'2020-02-30'"),
    ("rules: []\nn: " + "9" * 5000 + "\n", 2, 4, "不是有效的整数"),
])
def test_hostile_yaml_is_refused_in_place(tmp_path, capsys, text, line, column, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    code, err, elapsed = validate(capsys, path)
    assert code == 2 and elapsed < HANG, (err, elapsed)
    assert len(err) == 1 and err[0].startswith(f"gxaudit: 错误: {path}:{line}:{column}: ") and words in err[0], err


def test_alias_expansion_is_counted_not_performed():
    # nine levels of nine: 9**9 nodes if expanded; refused after counting ~90 distinct nodes
    with pytest.raises(nodes.NodeError, match="别名展开后超过"):
        nodes.load(LAUGHS)
    # a few shared anchors, as a rule author may write them, are fine
    value, _root = nodes.load("sets: &s [a, b]\nx: *s\ny: *s\n")
    assert value == {"sets": ["a", "b"], "x": ["a", "b"], "y": ["a", "b"]}


def test_repeated_keys_are_refused_each_in_place(tmp_path, capsys):
    """PyYAML keeps the last of two equal keys without a word: a rule declared
    `severity: error` then `severity: info` validated as info."""
    text = GOOD_RULE.replace("    severity: info\n", "    severity: error\n    severity: info\n")
    text = text.replace("    weight: 0\n", "    weight: 4\n    weight: 400\n")
    path = tmp_path / "dup.yaml"
    path.write_text(text, encoding="utf-8")
    code, err, _ = validate(capsys, path)
    assert code == 2
    assert err == [
        f"gxaudit: 错误: {path}:6:5: YAML 键 'severity' 重复（第 5 行第 5 列已有）：同一层的键只能写一次",
        f"gxaudit: 错误: {path}:8:5: YAML 键 'weight' 重复（第 7 行第 5 列已有）：同一层的键只能写一次",
    ]


@pytest.mark.parametrize("text, line, column, key", [
    ("a: 1\nb: {x: 1, x: 2}\n", 2, 11, "x"),            # in a flow mapping
    ("a: 1\n'a': 2\n", 2, 1, "a"),                        # quoted or not, the same text
    ("1: a\n0x1: b\n", 2, 1, "0x1"),                      # the same integer
    ("true: a\n1: b\n", 2, 1, "1"),                       # one key of a Python dict
    ("l:\n  - {k: 1}\n  - {k: 1, k: 1}\n", 3, 12, "k"),  # even with the same value
])
def test_a_repeated_key(text, line, column, key):
    with pytest.raises(nodes.NodeError) as raised:
        nodes.load(text)
    assert (raised.value.line, raised.value.column) == (line, column)
    assert f"YAML 键 {key!r} 重复" in raised.value.message


def test_keys_that_only_look_alike_and_merges_are_fine():
    assert nodes.load("1: a\n'1': b\n")[0] == {1: "a", "1": "b"}
    # a merge key's entries may be overridden (YAML's own rule), and a shared anchor is one mapping
    value, _root = nodes.load("base: &b {k: 1, m: 2}\nx:\n  <<: *b\n  k: 3\ny: *b\n")
    assert value == {"base": {"k": 1, "m": 2}, "x": {"k": 3, "m": 2}, "y": {"k": 1, "m": 2}}


def test_a_format_file_with_a_repeated_key(tmp_path):
    from gxaudit.errors import ConfigError
    from gxaudit.formats.load import _load_yaml, formats_dir

    text = (formats_dir() / "2021.yaml").read_text(encoding="utf-8")
    assert "\nissued_by: " in text
    path = tmp_path / "2021.yaml"
    path.write_text(text.replace("\nissued_by: ", "\nformat: '2030'\nissued_by: ", 1), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        _load_yaml(path)
    assert (raised.value.line, raised.value.column) == (3, 1) and "YAML 键 'format' 重复" in raised.value.message


def test_a_folder_named_like_a_rule_file(tmp_path, capsys):
    (tmp_path / "x.yaml").mkdir()
    (tmp_path / "ok.yaml").write_text(GOOD_RULE, encoding="utf-8")
    code, err, elapsed = validate(capsys, tmp_path)               # inside a rules folder
    assert code == 2 and elapsed < HANG
    assert err == [f"gxaudit: 错误: {tmp_path / 'x.yaml'}:1:1: 是文件夹，不是规则文件"]
    code, err, _ = validate(capsys, tmp_path / "x.yaml")           # named itself: an empty folder
    assert code == 2 and err == [f"gxaudit: 错误: {tmp_path / 'x.yaml'}:1:1: 文件夹中没有规则文件（*.yaml、*.yml）"]


def test_symlink_loops_and_missing_paths(tmp_path, capsys):
    loop = tmp_path / "loop.yaml"
    os.symlink(loop, loop)
    code, err, elapsed = validate(capsys, loop)
    assert code == 2 and elapsed < HANG and err == [f"gxaudit: 错误: {loop}:1:1: 规则路径循环的符号链接"]
    folder = tmp_path / "rules"
    folder.mkdir()
    os.symlink(folder / "a.yaml", folder / "a.yaml")
    code, err, _ = validate(capsys, folder)
    assert code == 2 and err == [f"gxaudit: 错误: {folder / 'a.yaml'}:1:1: 规则文件是循环的符号链接"]
    code, err, _ = validate(capsys, tmp_path / "nowhere")
    assert code == 2 and err == [f"gxaudit: 错误: {tmp_path / 'nowhere'}:1:1: 规则路径不存在"]


def test_a_fifo_or_device_is_never_read(tmp_path, capsys):
    fifo = tmp_path / "rules.yaml"
    os.mkfifo(fifo)                                                  # reading it would block for ever
    code, err, elapsed = validate(capsys, fifo)
    assert code == 2 and elapsed < HANG
    assert err == [f"gxaudit: 错误: {fifo}:1:1: 不是普通文件（设备、管道或套接字），不能作为规则文件读取"]
    os.symlink("/dev/zero", tmp_path / "zero.yaml")                  # endless; st_size is 0
    code, err, elapsed = validate(capsys, tmp_path / "zero.yaml")
    assert code == 2 and elapsed < HANG and "不是普通文件" in err[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_rule_file(tmp_path, capsys):
    path = tmp_path / "locked.yaml"
    path.write_text(GOOD_RULE, encoding="utf-8")
    path.chmod(0)
    try:
        code, err, _ = validate(capsys, path)
    finally:
        path.chmod(0o644)
    assert code == 2 and err[0].startswith(f"gxaudit: 错误: {path}:1:1: 无法读取规则文件")


def test_a_rule_file_that_is_not_utf8(tmp_path, capsys):
    path = tmp_path / "gbk.yaml"
    path.write_bytes(GOOD_RULE.replace("测试", "测试规则").encode("gb18030"))
    code, err, _ = validate(capsys, path)
    assert code == 2 and err[0].startswith(f"gxaudit: 错误: {path}:1:1: 规则文件不是 UTF-8 文本")


# ------------------------------------------------------------------ gxaudit's own files: libyaml

def _package_yaml():
    from gxaudit.formats.load import formats_dir
    from gxaudit.rules.load import builtin_rules_dir

    return sorted(formats_dir().glob("*.yaml")) + sorted(builtin_rules_dir().glob("*.yaml"))


def _tree(node):
    """Every node of a tree with its tag, value and position, in order."""
    return [
        (n.tag, n.value if not isinstance(n.value, list) else None, nodes.position(n)) for n in nodes.walk(node)
    ]


@pytest.mark.parametrize("path", _package_yaml(), ids=lambda p: p.name)
def test_own_files_compose_the_same_with_libyaml(path):
    """The package's formats, rules and scoring are composed by libyaml (start-up): the same
    nodes, values and positions as the guarded composer that reads every user's file."""
    text = path.read_text(encoding="utf-8")
    fast, fast_loader = nodes.compose(text, trusted=True)
    guarded, guarded_loader = nodes.compose(text)
    if nodes._TRUSTED_LOADER is not None:
        assert type(fast_loader) is not type(guarded_loader)
    assert _tree(fast) == _tree(guarded) and len(_tree(fast)) > 10
    assert nodes.value_of(fast, fast_loader) == nodes.value_of(guarded, guarded_loader)


def test_only_own_files_skip_the_guards(tmp_path, monkeypatch, capsys):
    """A user's rule, scoring or format file is never composed by libyaml, even a copy of an own one."""
    from gxaudit.audit.scoring import load_scoring
    from gxaudit.formats.load import formats_dir
    from gxaudit.rules.load import builtin_rules_dir, load_rules

    composed = []

    def spy(text):
        composed.append(text)
        raise AssertionError("libyaml used")

    monkeypatch.setenv("GXAUDIT_CACHE_DIR", "off")  # the files are composed, not taken from the cache

    monkeypatch.setattr(nodes, "_TRUSTED_LOADER", spy)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "cells.yaml").write_text((builtin_rules_dir() / "cells.yaml").read_text(encoding="utf-8"))
    (tmp_path / "scoring.yaml").write_text((builtin_rules_dir() / "scoring.yaml").read_text(encoding="utf-8"))
    assert load_rules([rules])[0]
    assert load_scoring(tmp_path / "scoring.yaml").start > 0
    (tmp_path / "bomb.yaml").write_text(LAUGHS, encoding="utf-8")
    code, lines, _ = validate(capsys, tmp_path / "bomb.yaml")
    assert code == 2 and "别名" in lines[0]
    assert composed == []
    with pytest.raises(AssertionError, match="libyaml used"):
        load_rules([builtin_rules_dir()])
    assert formats_dir().is_dir()
