"""Loading rule files: YAML (safe nodes only), checked against the rule schema,
then against what the formats and the check kinds know.

Every problem is reported as `file:line:column: message`, at the offending
YAML value (for an expression, at the character that breaks it). A rule file
is a mapping with `rules:` (a list of rules) and optionally `sets:` (named
lists of ids, shared by the file's rules). Checks, in order:

1. the YAML itself (syntax; no tags but the standard ones);
2. the schema (rules/schema.py: keys, types, enumerations, required keys);
3. each rule's meaning: its `assert` parses and names only what its kind
   offers, its message's {placeholders} exist, the ids it names (sections,
   tables, blocks, rows, columns, sets) exist in the formats, and the kind's
   own checks of its parameters.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from gxaudit.errors import RuleError
from gxaudit.formats import nodes
from gxaudit.formats.ids import known_ids
from gxaudit.rules import cache
from gxaudit.rules import expr as E
from gxaudit.rules.kinds import KINDS
from gxaudit.rules.kinds.kind import Problems
from gxaudit.rules.model import (
    CATEGORIES,
    PLACEHOLDER,
    RULE_ID,
    SEVERITIES,
    Example,
    Rule,
    RuleFileError,
    RuleIssue,
)
from gxaudit.rules.schema import schema_problems

__all__ = [
    "CATEGORIES",
    "PLACEHOLDER",
    "RULE_ID",
    "SEVERITIES",
    "Example",
    "Rule",
    "RuleFileError",
    "RuleIssue",
    "builtin_rules_dir",
    "load_rule_file",
    "load_rules",
]


class _File:
    """One rule file being checked: its nodes and the issues found so far."""

    def __init__(self, path: str, root: yaml.Node):
        self.path = path
        self.root = root
        self.issues: list[RuleIssue] = []

    def issue(self, node: yaml.Node, message: str, column_offset: int = 0) -> None:
        line, column = nodes.position(node)
        self.issues.append(RuleIssue(self.path, line, column + column_offset, message))

    def node(self, path: tuple[Any, ...], at_key: bool = False) -> yaml.Node:
        value, key = nodes.at_path(self.root, path)
        return key if at_key and key is not None else value

    def expression(self, node: yaml.Node, text: str, what: str) -> Any:
        try:
            return E.parse(text)
        except E.ExprError as exc:
            # a quoted scalar starts one column before its text; a block scalar on the next line
            style = getattr(node, "style", None)
            offset = 0 if style in ("|", ">") else exc.column - 1 + (1 if style in ("'", '"') else 0)
            self.issue(node, f"{what}: {exc}", offset)
            return None


def _check_assert(file: _File, at: tuple[Any, ...], check: dict[str, Any]) -> None:
    """The assert parses, is a condition, and names what its kind offers."""
    kind = KINDS[check["kind"]]
    if "assert" not in check:
        return
    node = file.node((*at, "assert"))
    tree = file.expression(node, check["assert"], "assert")
    if tree is None:
        return
    if not E.is_boolean(tree):
        file.issue(node, "assert 应是一个条件（比较，或用 and/or/not 连接的比较）")
        return
    if kind.asserts_on == "cells":
        if not isinstance(tree, E.Compare):
            file.issue(node, "equation 的 assert 应是左右两边的一个比较")
        elif not E.cell_refs(tree):
            file.issue(node, "equation 应引用表格单元格，如 applications[new][c]")
        if E.names(tree):
            file.issue(node, f"equation 引用单元格，不引用属性：{sorted(E.names(tree))}")
        return
    if E.cell_refs(tree):
        file.issue(node, f"{kind.name} 检查的 assert 引用属性，不引用单元格")
    unknown = E.names(tree) - kind.property_names
    if unknown:
        file.issue(
            node,
            f"{kind.name} 检查没有属性 {sorted(unknown)}"
            f"（可用的属性：{', '.join(sorted(kind.property_names))}）",
        )


def _check_meaning(file: _File, at: tuple[Any, ...], rule: dict[str, Any], file_sets: dict[str, Any]) -> None:
    """What the schema cannot say: expressions, placeholders, ids, the kind's own checks."""
    check = rule["check"]
    kind = KINDS[check["kind"]]
    _check_assert(file, (*at, "check"), check)
    offered = kind.offered_placeholders(check)
    for name in dict.fromkeys(PLACEHOLDER.findall(rule["message"])):
        if name not in offered:
            file.issue(
                file.node((*at, "message")),
                f"{kind.name} 检查不提供占位符 {{{name}}}（可用的占位符：{', '.join(sorted(offered))}）",
            )
    problems = Problems(known_ids(), dict(file_sets) | dict(check.get("sets") or {}))
    kind.validate(check, problems)
    for formats in [(rule.get("applies") or {}).get("formats") or []]:
        for fmt in formats:
            if fmt not in problems.ids.formats:
                problems.add(
                    None,
                    f"applies.formats：未知的格式 {fmt!r}"
                    f"（已知的格式：{', '.join(sorted(problems.ids.formats))}）",
                )
    for param, message in problems.found:
        node = file.node((*at, "check", param)) if param else file.node((*at, "check"))
        file.issue(node, message)


def _examples(file: _File, at: tuple[Any, ...], rule: dict[str, Any]) -> dict[str, list[Example]]:
    found: dict[str, list[Example]] = {"trigger": [], "pass": []}
    for key, items in (rule.get("examples") or {}).items():
        for index, item in enumerate(items):
            line = nodes.position(file.node((*at, "examples", key, index)))[0]
            if isinstance(item, str):
                found[key].append(Example(item, f"{key}[{index}]", line, source=file.path))
            else:
                found[key].append(
                    Example(
                        item["text"],
                        str(item.get("name", f"{key}[{index}]")),
                        line,
                        item.get("previous"),
                        children=item.get("children"),
                        unit=item.get("unit"),
                        expect=item.get("expect"),
                        count=item.get("count"),
                        source=file.path,
                    )
                )
    return found


def _rule(file: _File, at: tuple[Any, ...], data: dict[str, Any], file_sets: dict[str, Any]) -> Rule:
    applies = data.get("applies") or {}
    written = data["check"]
    rewrite = KINDS[written["kind"]].rewrite
    check = rewrite(written) if rewrite else written
    years = applies.get("years") or {}
    examples = _examples(file, at, data)
    return Rule(
        id=data["id"],
        title=data["title"],
        category=data["category"],
        severity=data["severity"],
        weight=float(data["weight"]),
        check=check,
        written_check=written if rewrite else None,
        message=data["message"],
        description=data.get("description", ""),
        formats=tuple(applies["formats"]) if "formats" in applies else None,
        years=(years.get("from"), years.get("to")),
        sets=dict(file_sets) | dict(check.get("sets") or {}),
        trigger_examples=examples["trigger"],
        pass_examples=examples["pass"],
        source=file.path,
        line=nodes.position(file.node(at))[0],
        column=nodes.position(file.node(at))[1],
        enabled=data.get("enabled", True),
    )


def _read(path: str | Path) -> str:
    """A rule file's text; RuleFileError for a folder, FIFO, device, loop, unreadable or huge file."""
    try:
        return nodes.read_text(path, "规则文件", RuleError)
    except RuleError as exc:
        raise RuleFileError([RuleIssue(str(path), 1, 1, exc.message)]) from None


def load_rule_file(path: str | Path, text: str | None = None, builtin: bool = False) -> list[Rule]:
    """The rules of one file (read from disk unless its text is given); RuleFileError with every issue.

    `builtin`: a file of gxaudit's own rule pack (composed by libyaml, formats/nodes.py).
    """
    name = str(path)
    if text is None:
        text = _read(path)
    try:
        root, loader = nodes.compose(text, trusted=builtin)
    except nodes.NodeError as exc:
        raise RuleFileError(
            [RuleIssue(name, e.line, e.column, e.message) for e in (exc, *exc.more)]
        ) from None
    if root is None:
        raise RuleFileError([RuleIssue(name, 1, 1, "a rule file is a mapping with a 'rules' list")])
    file = _File(name, root)
    document = nodes.value_of(root, loader)
    problems = schema_problems(document)
    for where, at_key, message in problems:
        file.issue(file.node(where, at_key), message)
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RuleFileError(file.issues)
    # a rule the schema rejected is not checked further (its parts may be missing)
    broken = {where[1] for where, _k, _m in problems if len(where) >= 2 and where[0] == "rules"}
    sets = document.get("sets")
    file_sets: dict[str, Any] = sets if isinstance(sets, dict) else {}
    rules = []
    for index, data in enumerate(document["rules"]):
        if index in broken:
            continue
        at = ("rules", index)
        before = len(file.issues)
        _check_meaning(file, at, data, file_sets)
        if len(file.issues) == before:
            rules.append(_rule(file, at, data, file_sets))
    if file.issues:
        raise RuleFileError(file.issues)
    return rules


def builtin_rules_dir() -> Path:
    """The built-in pack: installed package data, else the repo's rules/."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "rules_data"  # where the wheel puts rules/*.yaml
    if any(installed.glob("*.yaml")):
        return installed
    return package.parent / "rules"


def rule_files(directory: str | Path) -> list[Path]:
    """A rule file named, or the rule files of a folder (not recursive; scoring.yaml is not one).

    RuleFileError when the path is missing, a symlink loop or a folder that
    cannot be listed or holds no rule file: a rules path that silently adds
    nothing is a mistake.
    """
    name = str(directory)
    folder = Path(directory)
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise RuleFileError([RuleIssue(name, 1, 1, "规则路径不存在")]) from None
    except OSError as exc:
        reason = "循环的符号链接" if exc.errno == errno.ELOOP else f"无法访问（{exc.strerror or exc}）"
        raise RuleFileError([RuleIssue(name, 1, 1, f"规则路径{reason}")]) from None
    if not stat.S_ISDIR(info.st_mode):
        return [folder]  # read_text refuses what is not a regular file
    try:
        found = sorted(
            p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.name != "scoring.yaml"
        )
    except OSError as exc:
        raise RuleFileError([RuleIssue(name, 1, 1, f"无法列出规则文件夹（{exc.strerror or exc}）")]) from None
    if not found:
        raise RuleFileError([RuleIssue(name, 1, 1, "文件夹中没有规则文件（*.yaml、*.yml）")])
    return found


def load_rules(directories: Sequence[str | Path]) -> tuple[list[Rule], str]:
    """All rules of the given folders (or files), and a version hash of their text.

    RuleFileError collects the issues of every file; a duplicate id is an issue. A file
    checked before (the same text, code and formats) is taken from rules/cache.py.
    """
    rules: list[Rule] = []
    issues: list[RuleIssue] = []
    digest = hashlib.sha256()
    own = builtin_rules_dir().resolve()
    for directory in directories:
        try:
            paths = rule_files(directory)
        except RuleFileError as exc:
            issues.extend(exc.issues)
            continue
        for path in paths:
            try:
                text = _read(path)
                digest.update(text.encode("utf-8"))
                builtin = path.resolve().parent == own
                rules.extend(
                    cache.checked(
                        str(path),
                        text,
                        builtin,
                        functools.partial(load_rule_file, path, text, builtin=builtin),
                    )
                )
            except RuleFileError as exc:
                issues.extend(exc.issues)
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            other = seen[rule.id]
            issues.append(
                RuleIssue(
                    rule.source,
                    rule.line,
                    1,
                    f"duplicate rule id {rule.id} (also {other.source}:{other.line})",
                )
            )
        seen[rule.id] = rule
    if issues:
        raise RuleFileError(issues)
    return rules, digest.hexdigest()[:12]
