"""YAML files as nodes: read safely, with the position of every value.

A file (a rule file, a format file, a waiver or scoring file) is composed into
a node tree, never constructed into Python objects by PyYAML's full loader: no
tag but the standard ones is accepted, so that every problem can be reported at
the line and column of its value and nothing in a file is ever run.

YAML that would make the loader hang or crash is refused with its position,
before anything is built from it:

* collections nested more than MAX_DEPTH deep (PyYAML's composer recurses, so
  ten thousand `[` end in RecursionError);
* aliases that expand to more than MAX_NODES nodes ("billion laughs": a few
  lines that become 10⁹ values for whatever walks them), or that refer to
  themselves (`&a [*a]`, a cycle);
* scalars whose value cannot exist: dates such as 2020-02-30, integers with
  thousands of digits;
* a key a mapping repeats (PyYAML would keep the last value and drop the
  first without a word: a waiver naming `organ:` twice).

`read_text` reads any small settings file (YAML, TOML, CSV) with the checks a
file named by a user needs: a regular file, not a folder, a FIFO or a device,
of a bounded size, in UTF-8; `read_bytes` the same checks, its size bound
lifted for the audit results gxaudit writes itself.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from gxaudit.errors import ConfigError, GxauditError

STANDARD_TAG = "tag:yaml.org,2002:"
# gxaudit's own files nest 8 deep at most and have a few thousand nodes
MAX_DEPTH = 50
MAX_NODES = 100_000
# settings, rule, waiver, scoring and units files are small; a larger one is a mistake
# (not a result file: gxaudit writes some 25 KB of JSON a report)
MAX_FILE_BYTES = 10 * 1024 * 1024

# scalars whose construction can fail on a value the resolver accepted
_CHECKED_SCALARS = {
    STANDARD_TAG + "timestamp": "日期",
    STANDARD_TAG + "int": "整数",
    STANDARD_TAG + "float": "数字",
}


class NodeError(Exception):
    """The text is not YAML gxaudit may read; (line, column, message)."""

    def __init__(self, line: int, column: int, message: str, more: list[NodeError] | None = None):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message
        # further problems found in the same pass (every repeated key), for a report that lists them all
        self.more = more or []


def position(node: yaml.Node) -> tuple[int, int]:
    """1-based line and column where a node starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def _mark_error(mark: Any, message: str) -> NodeError:
    return NodeError(mark.line + 1, mark.column + 1, message) if mark else NodeError(1, 1, message)


def children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def walk(node: yaml.Node | None) -> Iterator[yaml.Node]:
    """Every distinct node once (an alias's target is not visited again)."""
    if node is None:
        return
    seen: set[int] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        stack.extend(reversed(children(item)))


class _GuardedLoader(yaml.SafeLoader):
    """SafeLoader whose composer refuses deep nesting and self-referring aliases."""

    def __init__(self, text: str):
        super().__init__(text)
        self._depth = 0
        self._open_anchors: set[str] = set()

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open_anchors:
                raise _mark_error(
                    event.start_mark, f"YAML 别名 *{event.anchor} 引用了包含它自身的节点（循环引用）"
                )
            return super().compose_node(parent, index)
        anchor = getattr(event, "anchor", None)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _mark_error(event.start_mark, f"YAML 嵌套超过 {MAX_DEPTH} 层")
        if anchor is not None:
            self._open_anchors.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if anchor is not None:
                self._open_anchors.discard(anchor)


def _check_expansion(root: yaml.Node) -> None:
    """Nodes and depth once aliases are expanded, counted without expanding them."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        kids = children(node)
        if not done:
            if key in size:
                continue
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in size)
            continue
        size[key] = 1 + sum(size[id(k)] for k in kids)
        depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
        if size[key] > MAX_NODES:
            raise _mark_error(
                node.start_mark, f"YAML 别名展开后超过 {MAX_NODES} 个节点（疑似“别名炸弹”），拒绝读取"
            )
        if depth[key] > MAX_DEPTH:
            raise _mark_error(node.start_mark, f"YAML 别名展开后嵌套超过 {MAX_DEPTH} 层")


# libyaml's composer, for gxaudit's own files only: several times faster than
# PyYAML's (start-up: the formats 34 -> 5 ms, the built-in rules' YAML), but
# its composer runs in C, where the guards above cannot be put.
_TRUSTED_LOADER = getattr(yaml, "CSafeLoader", None)


def compose(text: str, trusted: bool = False) -> tuple[yaml.Node | None, yaml.SafeLoader]:
    """The node tree of a YAML text; NodeError for invalid or unsafe YAML, or a non-standard tag.

    `trusted`: a file of gxaudit's own (its formats, built-in rules and scoring,
    never a file a user names): composed by libyaml when it is there, without
    the guards. Same nodes, values and positions (tests/test_yaml_safety.py).
    """
    if trusted and _TRUSTED_LOADER is not None:
        fast = _TRUSTED_LOADER(text)
        return fast.get_single_node(), fast
    loader = _GuardedLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        raise _mark_error(mark, f"YAML 语法错误：{detail}") from None
    except RecursionError:  # the guard stops far earlier; kept so that no input ends in a traceback
        raise NodeError(1, 1, f"YAML 嵌套超过 {MAX_DEPTH} 层") from None
    if node is None:
        return None, loader
    _check_expansion(node)
    repeated: list[NodeError] = []
    for item in walk(node):
        if isinstance(item, yaml.MappingNode):
            repeated += _repeated_keys(item, loader)
        if item.tag.startswith(STANDARD_TAG + "python") or not item.tag.startswith(STANDARD_TAG):
            line, column = position(item)
            raise NodeError(line, column, f"不允许的 YAML 标签 {item.tag!r}（只接受标准类型）")
        what = _CHECKED_SCALARS.get(item.tag)
        if what is not None and isinstance(item, yaml.ScalarNode):
            try:
                loader.construct_object(item)
            except (ValueError, OverflowError, yaml.YAMLError):
                line, column = position(item)
                shown = item.value if len(item.value) <= 40 else item.value[:40] + "…"
                raise NodeError(line, column, f"不是有效的{what}：{shown!r}") from None
    if repeated:
        repeated.sort(key=lambda e: (e.line, e.column))
        raise NodeError(repeated[0].line, repeated[0].column, repeated[0].message, repeated[1:])
    return node, loader


def _key_value(key: yaml.ScalarNode, loader: yaml.SafeLoader) -> Any:
    """A key as the Python dict will hold it: `1`, `0x1` and `true` are one key, `'1'` another."""
    if key.tag == STANDARD_TAG + "str":
        return key.value
    try:
        return loader.construct_object(key)
    except (ValueError, OverflowError, yaml.YAMLError):  # an impossible date: reported in its place
        return key.tag, key.value  # a tuple: equal to no constructed key


def _repeated_keys(node: yaml.MappingNode, loader: yaml.SafeLoader) -> list[NodeError]:
    """Each key a mapping names again, at its later place (merge keys `<<` follow YAML's own rule)."""
    first: dict[Any, yaml.Node] = {}
    found = []
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == STANDARD_TAG + "merge":
            continue
        earlier = first.setdefault(_key_value(key, loader), key)
        if earlier is not key:
            line, column = position(key)
            before_line, before_column = position(earlier)
            found.append(
                NodeError(
                    line,
                    column,
                    f"YAML 键 {key.value!r} 重复（第 {before_line} 行第 {before_column} 列已有）："
                    "同一层的键只能写一次",
                )
            )
    return found


def value_of(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    """The Python value of a node (safe constructors only)."""
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:  # e.g. a merge key (<<) on something not a mapping
        raise _mark_error(
            getattr(exc, "problem_mark", None), f"YAML 内容错误：{getattr(exc, 'problem', exc)}"
        ) from None


def load(text: str, trusted: bool = False) -> tuple[Any, yaml.Node | None]:
    """The value of a YAML text and its node tree (for positions); NodeError when refused."""
    root, loader = compose(text, trusted)
    return (None if root is None else value_of(root, loader)), root


def mapping(node: yaml.Node | None) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
    """A mapping node's entries by key text: key -> (key node, value node)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value}


def at_path(node: yaml.Node, path: tuple[Any, ...]) -> tuple[yaml.Node, yaml.Node | None]:
    """The value node at a path of keys and indexes, and its key node (None for list items).

    A path that leaves the tree stops at the deepest node found.
    """
    key_node: yaml.Node | None = None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            entry = mapping(node).get(step if not isinstance(step, (int, float, bool)) else str(step))
            if entry is None:
                entry = next(((k, v) for k, v in node.value if k.value == str(step)), None)
            if entry is None:
                break
            key_node, node = entry
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            key_node, node = None, node.value[step]
        else:
            break
    return node, key_node


def read_bytes(
    path: str | Path,
    what: str = "文件",
    error: type[GxauditError] = ConfigError,
    limit: int | None = MAX_FILE_BYTES,
) -> bytes:
    """The bytes of a file a user named, read once.

    Refuses, as `error` naming the file: a missing file, a folder, a symlink
    loop, a FIFO or device (reading one would block or never end) and a file
    over `limit` bytes (whatever stat says: /proc files report 0). `limit`
    None: any size, for the audit results gxaudit writes itself (some 25 KB a
    report, hundreds of MB for a national batch).
    """
    name = str(path)
    info = _regular(path, what, error)
    if limit is not None and info.st_size > limit:
        raise error(f"{what}过大（{info.st_size} 字节，上限 {limit}）", path=name)
    try:
        with open(path, "rb") as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    except OSError as exc:
        raise error(f"无法读取{what}（{exc.strerror or exc}）", path=name) from None
    if limit is not None and len(data) > limit:
        raise error(f"{what}过大（上限 {limit} 字节）", path=name)
    return data


def _regular(path: str | Path, what: str, error: type[GxauditError]) -> os.stat_result:
    """The file's stat when it is a regular file; else `error` naming it and why not."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{what}不存在", path=name) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error(f"{what}是循环的符号链接", path=name) from None
        raise error(f"无法读取{what}（{exc.strerror or exc}）", path=name) from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"是文件夹，不是{what}", path=name)
    if not stat.S_ISREG(info.st_mode):
        raise error(f"不是普通文件（设备、管道或套接字），不能作为{what}读取", path=name)
    return info


def open_regular(path: str | Path, what: str = "文件", error: type[GxauditError] = ConfigError) -> BinaryIO:
    """A file a user named, opened to be read a piece at a time, after the checks of
    read_bytes (any size)."""
    _regular(path, what, error)
    try:
        return open(path, "rb")
    except OSError as exc:
        raise error(f"无法读取{what}（{exc.strerror or exc}）", path=str(path)) from None


def not_utf8(exc: UnicodeDecodeError, what: str, name: str, error: type[GxauditError]) -> GxauditError:
    return error(f"{what}不是 UTF-8 文本（第 {exc.start} 字节无法解码）", path=name)


def read_text(
    path: str | Path, what: str = "文件", error: type[GxauditError] = ConfigError, *, excel: bool = False
) -> str:
    """The text of a small file a user named (settings, rules, waivers, scoring, units).

    The checks of read_bytes, at most MAX_FILE_BYTES, and text that is not
    UTF-8 refused. `excel`: a table Excel saved may also be UTF-16 (with its byte-order
    mark: "Unicode 文本") or GBK/GB18030 (a CSV saved on Chinese Windows), read as such.
    """
    data = read_bytes(path, what, error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if excel:
            if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
                with contextlib.suppress(UnicodeDecodeError):
                    return data.decode("utf-16")
            elif b"\x00" not in data:  # GB18030 would read any byte; NUL is no CSV's
                with contextlib.suppress(UnicodeDecodeError):
                    return data.decode("gb18030")
        raise not_utf8(exc, what, str(path), error) from None
