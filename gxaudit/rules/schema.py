"""The rule-file JSON Schema, generated from the check kinds, and the validator
`rules validate` runs it with.

`rule_file_schema()` is published as docs/rule-schema.json (a test keeps the
file equal to what the code generates), for editors and for anyone writing
rules. `schema_problems()` checks a rule file against it and says, for every
problem, which value (by its path in the file) and what is wrong, in words a
rule author understands; the loader turns each path into file:line:column.

The validator is formats/schema_check.py (shared with the format files).
"""

from __future__ import annotations

import functools
from typing import Any

from gxaudit.formats.schema_check import Path, problems
from gxaudit.rules.kinds import KINDS
from gxaudit.rules.model import CATEGORIES, RULE_ID, SEVERITIES

SCHEMA_ID = "https://gxaudit.invalid/rule-schema.json"
REQUIRED_RULE_KEYS = ("id", "title", "category", "severity", "weight", "check", "message")


# ----------------------------------------------------------------- the schema


def _check_schema(kind_name: str) -> dict[str, Any]:
    kind = KINDS[kind_name]
    properties: dict[str, Any] = {"kind": {"const": kind_name}}
    if kind.asserts_on == "cells":
        properties["assert"] = {"type": "string", "description": "an equation between table cells"}
    elif kind.asserts_on == "properties":
        properties["assert"] = {
            "type": "string",
            "description": "a condition over the facts' properties: "
            + ", ".join(p.name for p in kind.properties),
        }
    properties["sets"] = {"$ref": "#/$defs/sets"}
    for param in kind.params:
        properties[param.name] = dict(param.schema, description=param.doc)
    required = ["kind", *(p.name for p in kind.params if p.required)]
    if "assert" in properties:
        required.append("assert")
    return {
        "type": "object",
        "description": f"kind {kind_name}: one fact per {kind.one_fact_per}",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        "x-unknown": f"{kind_name} 检查没有键 {{key}}（可用的键：{{allowed}}）",
        "x-required": f"{kind_name} 检查需要键 {{key}}",
    }


@functools.cache
def rule_file_schema() -> dict[str, Any]:
    """The JSON Schema of a rule file (one mapping with `rules` and optional `sets`)."""
    id_list = {"type": "array", "items": {"type": "string"}}
    example = {
        "oneOf": [
            {"type": "string", "description": "a report text; | between cells stands for a tab"},
            {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "text": {"type": "string"},
                    "previous": {"type": "string", "description": "last year's report (cross-year rules)"},
                    "children": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "the children's reports of the same year (hierarchy rules)",
                    },
                    "unit": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": "the report's row of the units file, e.g. {level: 乡镇, 发布日期: 2021-02-05}",
                    },
                    "count": {"type": "integer", "minimum": 0, "description": "how many findings"},
                    "expect": {
                        "type": "array",
                        "description": "the findings, in order: where each is",
                        "items": {
                            "type": "object",
                            "properties": {
                                "line": {"type": "integer"},
                                **{
                                    k: {"type": "string"}
                                    for k in ("section", "table", "block", "row", "column")
                                },
                            },
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["text"],
                "additionalProperties": False,
            },
        ],
        "x-message": "示例应为一段报告文字，或映射 {{name, text, previous, children, unit, expect, count}}",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "gxaudit rule file",
        "description": "Rules for auditing 政府信息公开工作年度报告; see docs/check-kinds.md for the check kinds.",
        "type": "object",
        "properties": {
            "sets": {"$ref": "#/$defs/sets"},
            "rules": {
                "type": "array",
                "items": {"$ref": "#/$defs/rule"},
                "x-message": "'rules' 应为规则的列表",
            },
        },
        "required": ["rules"],
        "additionalProperties": False,
        "x-unknown": "未知的顶层键 {key}（可用的键：{allowed}）",
        "x-required": "规则文件应是含有 'rules' 列表的映射",
        "x-type": "规则文件应是含有 'rules' 列表的映射",
        "$defs": {
            "sets": {
                "type": "object",
                "description": "named lists of ids (or a list per format)",
                "additionalProperties": {
                    "oneOf": [id_list, {"type": "object", "additionalProperties": id_list}],
                    "x-message": "集合 {key} 应为 id 的列表，或“格式: 列表”的映射",
                },
                "x-type": "sets 应为“名称: id 列表”的映射",
            },
            "rule": {
                "type": "object",
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": RULE_ID.pattern,
                        "description": "stable, English: GX-BAL-003",
                        "x-type": "id 应为字符串；YAML 把 {yaml} 读成了 {pytype}：请加引号",
                        "x-pattern": "id {value} 应形如 GX-BAL-003（大写字母、数字和连字符）",
                    },
                    "title": {"type": "string"},
                    "category": {"enum": list(CATEGORIES)},
                    "severity": {"enum": list(SEVERITIES)},
                    "weight": {
                        "type": "number",
                        "minimum": 0,
                        "description": "points deducted (× the severity factor of the scoring file)",
                        "x-message": "weight 应为不小于 0 的数",
                    },
                    "applies": {
                        "type": "object",
                        "properties": {
                            "formats": {
                                "type": "array",
                                "items": {"type": "string"},
                                "x-message": 'applies.formats 应为字符串的列表，如 ["2021"]（年份要加引号）',
                            },
                            "years": {
                                "type": "object",
                                "properties": {
                                    "from": {"type": ["integer", "null"]},
                                    "to": {"type": ["integer", "null"]},
                                },
                                "additionalProperties": False,
                                "x-message": "applies.years 应为映射 {{from: 年份, to: 年份}}",
                            },
                        },
                        "additionalProperties": False,
                        "x-unknown": "applies 中没有键 {key}（可用的键：{allowed}）",
                        "x-type": "applies 应为含 formats 和/或 years 的映射",
                    },
                    "check": {"$ref": "#/$defs/check"},
                    "message": {
                        "type": "string",
                        "description": "Chinese; {placeholders} the check kind offers",
                    },
                    "description": {"type": "string"},
                    "examples": {
                        "type": "object",
                        "properties": {
                            "trigger": {"type": "array", "items": example},
                            "pass": {"type": "array", "items": example},
                        },
                        "additionalProperties": False,
                        "x-unknown": "examples 中没有键 {key}（可用的键：{allowed}）",
                        "x-type": "examples 应为含 trigger 和/或 pass 列表的映射",
                    },
                    "enabled": {"type": "boolean", "x-type": "enabled 应为 true 或 false"},
                },
                "required": list(REQUIRED_RULE_KEYS),
                "additionalProperties": False,
                "x-unknown": "未知的键 {key}（可用的键：{allowed}）",
                "x-required": "缺少必需的键 {key}",
                "x-type": "每条规则应是一个映射",
            },
            "check": {
                "type": "object",
                "properties": {
                    "kind": {
                        "enum": list(KINDS),
                        "x-message": f"check.kind 应为以下之一：{', '.join(KINDS)}",
                    }
                },
                "required": ["kind"],
                "x-required": f"check.kind 应为以下之一：{', '.join(KINDS)}",
                "x-type": "check 应为含 kind 的映射",
                "allOf": [
                    {
                        "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                        "then": {"$ref": f"#/$defs/check_{name}"},
                    }
                    for name in KINDS
                ],
            },
            **{f"check_{name}": _check_schema(name) for name in KINDS},
        },
    }


def schema_problems(document: Any) -> list[tuple[Path, bool, str]]:
    """Every way a rule file's value breaks the schema: (path, at the key, message)."""
    return problems(document, rule_file_schema())
