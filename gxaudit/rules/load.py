"""Loading rule files: YAML (safe_load only) checked against the rule schema.

Every error is reported as `file:line:column: message`, with the position of
the offending YAML node (for an expression, of the character that breaks it).
A rule file is a mapping with `rules:` (a list of rules) and optionally
`sets:` (named lists of ids, shared by the file's rules).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gxaudit.errors import RuleError
from gxaudit.rules import expr as E
from gxaudit.rules.kinds import KIND_PARAMS, KIND_PROPERTIES, KINDS, REQUIRED_PARAMS

CATEGORIES = ("structure", "subsections", "cells", "balance", "year", "content", "narrative", "cross_year")
SEVERITIES = ("error", "warning", "info")
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")
RULE_KEYS = {
    "id",
    "title",
    "category",
    "severity",
    "weight",
    "applies",
    "check",
    "message",
    "description",
    "examples",
    "enabled",
}
REQUIRED_KEYS = ("id", "title", "category", "severity", "weight", "check", "message")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class RuleIssue:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class RuleFileError(RuleError):
    """Every problem found in the rule files given: one `file:line:column: message` each."""

    def __init__(self, issues: list[RuleIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class Example:
    text: str
    name: str
    line: int
    previous: str | None = None  # last year's report, for cross-year rules


@dataclass
class Rule:
    id: str
    title: str
    category: str
    severity: str
    weight: float
    check: dict[str, Any]
    message: str
    description: str = ""
    formats: tuple[str, ...] | None = None
    years: tuple[int | None, int | None] = (None, None)
    sets: dict[str, Any] = field(default_factory=dict)
    trigger_examples: list[Example] = field(default_factory=list)
    pass_examples: list[Example] = field(default_factory=list)
    source: str = ""
    line: int = 0
    enabled: bool = True

    def applies_to(self, fmt: str, year: int | None) -> bool:
        if self.formats is not None and fmt not in self.formats:
            return False
        low, high = self.years
        if year is None:
            return low is None and high is None
        return (low is None or year >= low) and (high is None or year <= high)


# ------------------------------------------------------------- node helpers


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _mapping(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}


class _Checker:
    def __init__(self, path: str):
        self.path = path
        self.issues: list[RuleIssue] = []

    def error(self, node: yaml.Node, message: str, column_offset: int = 0) -> None:
        line, column = _pos(node)
        self.issues.append(RuleIssue(self.path, line, column + column_offset, message))

    def scalar(self, node: yaml.Node, loader: yaml.SafeLoader) -> Any:
        return loader.construct_object(node, deep=True)

    def expression(self, node: yaml.Node, text: Any, what: str) -> Any:
        if not isinstance(text, str):
            self.error(node, f"{what} must be a string expression")
            return None
        try:
            return E.parse(text)
        except E.ExprError as exc:
            # a quoted scalar starts one column before its text
            offset = exc.column - 1 + (1 if node.style in ("'", '"') else 0)
            if node.style in ("|", ">"):
                offset = 0
            self.error(node, f"{what}: {exc}", offset)
            return None


def _load_nodes(path: str, text: str) -> tuple[yaml.Node | None, yaml.SafeLoader | None, list[RuleIssue]]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, None, [RuleIssue(path, line, column, f"invalid YAML: {problem}")]
    unsafe = [
        n
        for n in _walk_nodes(node)
        if n.tag.startswith("tag:yaml.org,2002:python") or not n.tag.startswith("tag:yaml.org,2002:")
    ]
    if unsafe:
        line, column = _pos(unsafe[0])
        return (
            None,
            None,
            [
                RuleIssue(
                    path, line, column, f"invalid YAML: tag {unsafe[0].tag!r} is not allowed in rule files"
                )
            ],
        )
    return node, loader, []


def _walk_nodes(node: yaml.Node | None):
    if node is None:
        return
    yield node
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk_nodes(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk_nodes(key)
            yield from _walk_nodes(value)


def _check_rule(
    checker: _Checker, loader: yaml.SafeLoader, node: yaml.Node, file_sets: dict[str, Any]
) -> Rule | None:
    if not isinstance(node, yaml.MappingNode):
        checker.error(node, "a rule must be a mapping")
        return None
    fields = _mapping(node)
    before = len(checker.issues)
    for key, (knode, _v) in fields.items():
        if key not in RULE_KEYS:
            checker.error(knode, f"unknown key {key!r} (allowed: {', '.join(sorted(RULE_KEYS))})")
    for key in REQUIRED_KEYS:
        if key not in fields:
            checker.error(node, f"missing required key {key!r}")
    values = {k: checker.scalar(v, loader) for k, (_k, v) in fields.items()}

    rule_id = values.get("id")
    if "id" in fields:
        id_node = fields["id"][1]
        if not isinstance(rule_id, str):
            checker.error(
                id_node,
                f"id must be a string; YAML read {id_node.value!r} as {type(rule_id).__name__}: quote it",
            )
        elif not RULE_ID.match(rule_id):
            checker.error(id_node, f"id {rule_id!r} must look like GX-BAL-003 (capitals, digits, dashes)")
    for key in ("title", "message", "description"):
        if key in values and not isinstance(values[key], str):
            checker.error(fields[key][1], f"{key} must be a string")
    if "category" in values and values["category"] not in CATEGORIES:
        checker.error(fields["category"][1], f"category must be one of {', '.join(CATEGORIES)}")
    if "severity" in values and values["severity"] not in SEVERITIES:
        checker.error(fields["severity"][1], f"severity must be one of {', '.join(SEVERITIES)}")
    weight = values.get("weight")
    if "weight" in values and (
        isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0
    ):
        checker.error(fields["weight"][1], "weight must be a non-negative number")
    if "enabled" in values and not isinstance(values["enabled"], bool):
        checker.error(fields["enabled"][1], "enabled must be true or false")

    formats, years = None, (None, None)
    if "applies" in fields:
        anode = fields["applies"][1]
        applies = values["applies"]
        if not isinstance(applies, dict):
            checker.error(anode, "applies must be a mapping with formats and/or years")
        else:
            amap = _mapping(anode)
            for key, (knode, _v) in amap.items():
                if key not in ("formats", "years"):
                    checker.error(knode, f"unknown key {key!r} in applies (allowed: formats, years)")
            if "formats" in applies:
                fl = applies["formats"]
                if not isinstance(fl, list) or not all(isinstance(f, str) for f in fl):
                    checker.error(
                        amap["formats"][1],
                        'applies.formats must be a list of strings such as ["2021"] (quote the years)',
                    )
                else:
                    formats = tuple(fl)
            if "years" in applies:
                yr = applies["years"]
                if (
                    not isinstance(yr, dict)
                    or set(yr) - {"from", "to"}
                    or not all(
                        v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in yr.values()
                    )
                ):
                    checker.error(amap["years"][1], "applies.years must be a mapping {from: YEAR, to: YEAR}")
                else:
                    years = (yr.get("from"), yr.get("to"))

    check = values.get("check")
    if "check" in fields:
        _check_check(checker, fields["check"][1], check, file_sets)
    if "message" in values and isinstance(values["message"], str):
        for name in PLACEHOLDER.findall(values["message"]):
            if name.startswith("_"):
                checker.error(fields["message"][1], f"placeholder {{{name}}} is not allowed")

    examples = {"trigger": [], "pass": []}
    if "examples" in fields:
        enode = fields["examples"][1]
        emap = _mapping(enode)
        if not isinstance(enode, yaml.MappingNode):
            checker.error(enode, "examples must be a mapping with trigger and/or pass lists")
        for key, (knode, vnode) in emap.items():
            if key not in examples:
                checker.error(knode, f"unknown key {key!r} in examples (allowed: trigger, pass)")
                continue
            if not isinstance(vnode, yaml.SequenceNode):
                checker.error(vnode, f"examples.{key} must be a list")
                continue
            for i, item in enumerate(vnode.value):
                value = checker.scalar(item, loader)
                if isinstance(value, str):
                    examples[key].append(Example(value, f"{key}[{i}]", _pos(item)[0]))
                elif (
                    isinstance(value, dict)
                    and isinstance(value.get("text"), str)
                    and set(value) <= {"text", "name", "previous"}
                    and isinstance(value.get("previous", ""), str)
                ):
                    examples[key].append(
                        Example(
                            value["text"],
                            str(value.get("name", f"{key}[{i}]")),
                            _pos(item)[0],
                            value.get("previous"),
                        )
                    )
                else:
                    checker.error(item, "an example is a report text, or a mapping {name, text, previous}")
    if len(checker.issues) > before:
        return None
    return Rule(
        id=rule_id,
        title=values["title"],
        category=values["category"],
        severity=values["severity"],
        weight=float(weight),
        check=check,
        message=values["message"],
        description=values.get("description", ""),
        formats=formats,
        years=years,
        sets=dict(file_sets) | dict(check.get("sets") or {}),
        trigger_examples=examples["trigger"],
        pass_examples=examples["pass"],
        source=checker.path,
        line=_pos(node)[0],
        enabled=values.get("enabled", True),
    )


def _check_sets(checker: _Checker, node: yaml.Node, sets: Any) -> None:
    if not isinstance(sets, dict):
        checker.error(node, "sets must be a mapping of names to lists of ids")
        return
    for key, (_knode, vnode) in _mapping(node).items():
        value = sets[key]
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if isinstance(value, dict):
            ok = all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value.values())
        if not ok:
            checker.error(vnode, f"set {key!r} must be a list of ids, or a mapping of format to list")


def _check_check(checker: _Checker, node: yaml.Node, check: Any, file_sets: dict[str, Any]) -> None:
    if not isinstance(check, dict):
        checker.error(node, "check must be a mapping with a kind")
        return
    fields = _mapping(node)
    kind = check.get("kind")
    if kind not in KINDS:
        checker.error(
            fields["kind"][1] if "kind" in fields else node, f"check.kind must be one of {', '.join(KINDS)}"
        )
        return
    allowed = set(KIND_PARAMS[kind]) | {"kind", "assert", "sets"}
    for key, (knode, _v) in fields.items():
        if key not in allowed:
            checker.error(
                knode, f"unknown key {key!r} for a {kind} check (allowed: {', '.join(sorted(allowed))})"
            )
    for key in REQUIRED_PARAMS.get(kind, ()):
        if key not in check:
            checker.error(node, f"a {kind} check needs {key!r}")
    for key, types in KIND_PARAMS[kind].items():
        if key in check and (not isinstance(check[key], types) or isinstance(check[key], bool)):
            checker.error(fields[key][1], f"check.{key} has the wrong type")
    if "sets" in fields:
        _check_sets(checker, fields["sets"][1], check["sets"])
    if "assert" not in check:
        if kind not in ("equation",):
            checker.error(node, f"a {kind} check needs an 'assert' condition")
        return
    tree = checker.expression(fields["assert"][1], check["assert"], "assert")
    if tree is None:
        return
    if not E.is_boolean(tree):
        checker.error(fields["assert"][1], "assert must be a condition (a comparison, and/or/not)")
        return
    if kind == "equation":
        if not isinstance(tree, E.Compare):
            checker.error(fields["assert"][1], "an equation's assert must be one comparison of two sides")
        elif not E.cell_refs(tree):
            checker.error(fields["assert"][1], "an equation must name table cells, e.g. applications[new][c]")
        variables = set((check.get("for_each") or {}).keys())
        unknown = E.names(tree)
        if unknown:
            checker.error(fields["assert"][1], f"an equation names cells, not properties: {sorted(unknown)}")
        sets = set(file_sets) | set(check.get("sets") or {})
        for ref in E.cell_refs(tree):
            if (
                ref.table == "proactive"
                and len(ref.keys) != 3
                or ref.table != "proactive"
                and len(ref.keys) != 2
            ):
                checker.error(
                    fields["assert"][1], f"{ref.table} takes {3 if ref.table == 'proactive' else 2} keys"
                )
        del variables, sets
    else:
        if E.cell_refs(tree):
            checker.error(fields["assert"][1], f"a {kind} check's assert names properties, not cells")
        unknown = E.names(tree) - KIND_PROPERTIES[kind]
        if unknown:
            checker.error(
                fields["assert"][1],
                f"unknown properties {sorted(unknown)} for a {kind} check "
                f"(known: {', '.join(sorted(KIND_PROPERTIES[kind]))})",
            )
    if kind == "pattern" and isinstance(check.get("regex"), str):
        try:
            re.compile(check["regex"])
        except re.error as exc:
            checker.error(fields["regex"][1], f"regex: {exc}")
    if kind == "cells":
        for text in [check["select"]] if isinstance(check.get("select"), str) else check.get("select") or []:
            try:
                if not isinstance(E.parse(text), E.CellRef):
                    raise E.ExprError("not a cell selector")
            except E.ExprError as exc:
                checker.error(fields["select"][1], f"select {text!r}: {exc}")


def load_rule_file(path: str | Path) -> list[Rule]:
    """The rules of one file; RuleFileError with every issue found."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError([RuleIssue(name, 1, 1, f"cannot read rule file: {exc}")]) from None
    node, loader, issues = _load_nodes(name, text)
    if issues:
        raise RuleFileError(issues)
    checker = _Checker(name)
    if node is None or not isinstance(node, yaml.MappingNode):
        checker.error(
            node or yaml.ScalarNode("tag:yaml.org,2002:null", "", yaml.Mark("", 0, 0, 0, None, None)),
            "a rule file is a mapping with a 'rules' list",
        )
        raise RuleFileError(checker.issues)
    top = _mapping(node)
    for key, (knode, _v) in top.items():
        if key not in ("rules", "sets"):
            checker.error(knode, f"unknown top-level key {key!r} (allowed: rules, sets)")
    file_sets: dict[str, Any] = {}
    if "sets" in top:
        file_sets = checker.scalar(top["sets"][1], loader)
        _check_sets(checker, top["sets"][1], file_sets)
        if not isinstance(file_sets, dict):
            file_sets = {}
    rules: list[Rule] = []
    if "rules" not in top or not isinstance(top["rules"][1], yaml.SequenceNode):
        checker.error(top["rules"][1] if "rules" in top else node, "'rules' must be a list of rules")
    else:
        for item in top["rules"][1].value:
            rule = _check_rule(checker, loader, item, file_sets)
            if rule is not None:
                rules.append(rule)
    if checker.issues:
        raise RuleFileError(checker.issues)
    return rules


def builtin_rules_dir() -> Path:
    """The built-in pack: installed package data, else the repo's rules/."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "rules_data"  # where the wheel puts rules/*.yaml
    if any(installed.glob("*.yaml")):
        return installed
    return package.parent / "rules"


def rule_files(directory: str | Path) -> list[Path]:
    folder = Path(directory)
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.glob("*.y*ml") if p.name != "scoring.yaml")


def load_rules(directories: list[str | Path]) -> tuple[list[Rule], str]:
    """All rules of the given folders (or files), and a version hash of their text.

    RuleFileError collects the issues of every file; a duplicate id is an issue.
    """
    rules: list[Rule] = []
    issues: list[RuleIssue] = []
    digest = hashlib.sha256()
    for directory in directories:
        if not Path(directory).exists():
            issues.append(RuleIssue(str(directory), 1, 1, "rule path not found"))
            continue
        for path in rule_files(directory):
            digest.update(path.read_bytes())
            try:
                rules.extend(load_rule_file(path))
            except RuleFileError as exc:
                issues.extend(exc.issues)
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            issues.append(
                RuleIssue(
                    rule.source,
                    rule.line,
                    1,
                    f"duplicate rule id {rule.id} (also {seen[rule.id].source}:{seen[rule.id].line})",
                )
            )
        seen[rule.id] = rule
    if issues:
        raise RuleFileError(issues)
    return rules, digest.hexdigest()[:12]
