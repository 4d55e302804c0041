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
        "x-unknown": f"unknown key {{key}} for a {kind_name} check (allowed: {{allowed}})",
        "x-required": f"a {kind_name} check needs {{key}}",
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
        "x-message": "an example is a report text, or a mapping "
        "{{name, text, previous, children, unit, expect, count}}",
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
                "x-message": "'rules' must be a list of rules",
            },
        },
        "required": ["rules"],
        "additionalProperties": False,
        "x-unknown": "unknown top-level key {key} (allowed: {allowed})",
        "x-required": "a rule file is a mapping with a 'rules' list",
        "x-type": "a rule file is a mapping with a 'rules' list",
        "$defs": {
            "sets": {
                "type": "object",
                "description": "named lists of ids (or a list per format)",
                "additionalProperties": {
                    "oneOf": [id_list, {"type": "object", "additionalProperties": id_list}],
                    "x-message": "set {key} must be a list of ids, or a mapping of format to list",
                },
                "x-type": "sets must be a mapping of names to lists of ids",
            },
            "rule": {
                "type": "object",
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": RULE_ID.pattern,
                        "description": "stable, English: GX-BAL-003",
                        "x-type": "id must be a string; YAML read {yaml} as {pytype}: quote it",
                        "x-pattern": "id {value} must look like GX-BAL-003 (capitals, digits, dashes)",
                    },
                    "title": {"type": "string"},
                    "category": {"enum": list(CATEGORIES)},
                    "severity": {"enum": list(SEVERITIES)},
                    "weight": {
                        "type": "number",
                        "minimum": 0,
                        "description": "points deducted (× the severity factor of the scoring file)",
                        "x-message": "weight must be a non-negative number",
                    },
                    "applies": {
                        "type": "object",
                        "properties": {
                            "formats": {
                                "type": "array",
                                "items": {"type": "string"},
                                "x-message": 'applies.formats must be a list of strings such as ["2021"] (quote the years)',
                            },
                            "years": {
                                "type": "object",
                                "properties": {
                                    "from": {"type": ["integer", "null"]},
                                    "to": {"type": ["integer", "null"]},
                                },
                                "additionalProperties": False,
                                "x-message": "applies.years must be a mapping {{from: YEAR, to: YEAR}}",
                            },
                        },
                        "additionalProperties": False,
                        "x-unknown": "unknown key {key} in applies (allowed: {allowed})",
                        "x-type": "applies must be a mapping with formats and/or years",
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
                        "x-unknown": "unknown key {key} in examples (allowed: {allowed})",
                        "x-type": "examples must be a mapping with trigger and/or pass lists",
                    },
                    "enabled": {"type": "boolean", "x-type": "enabled must be true or false"},
                },
                "required": list(REQUIRED_RULE_KEYS),
                "additionalProperties": False,
                "x-unknown": "unknown key {key} (allowed: {allowed})",
                "x-required": "missing required key {key}",
                "x-type": "a rule must be a mapping",
            },
            "check": {
                "type": "object",
                "properties": {
                    "kind": {
                        "enum": list(KINDS),
                        "x-message": f"check.kind must be one of {', '.join(KINDS)}",
                    }
                },
                "required": ["kind"],
                "x-required": f"check.kind must be one of {', '.join(KINDS)}",
                "x-type": "check must be a mapping with a kind",
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
