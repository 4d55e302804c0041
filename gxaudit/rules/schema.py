"""The rule-file JSON Schema, generated from the check kinds, and the validator
`rules validate` runs it with.

`rule_file_schema()` is published as docs/rule-schema.json (a test keeps the
file equal to what the code generates), for editors and for anyone writing
rules. `schema_problems()` checks a rule file against it and says, for every
problem, which value (by its path in the file) and what is wrong, in words a
rule author understands; the loader turns each path into file:line:column.

The validator implements the part of JSON Schema (draft 2020-12) the generated
schema uses: $ref to #/$defs, type, enum, const, pattern, minimum, minItems,
properties, required, additionalProperties, items, oneOf and allOf with
if/then. Keywords starting with "x-" carry gxaudit's messages (JSON Schema
tools ignore them).
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from gxaudit.rules.kinds import KINDS
from gxaudit.rules.model import CATEGORIES, RULE_ID, SEVERITIES

SCHEMA_ID = "https://gxaudit.invalid/rule-schema.json"
REQUIRED_RULE_KEYS = ("id", "title", "category", "severity", "weight", "check", "message")

Path = tuple[Any, ...]


# ----------------------------------------------------------------- the schema


def _check_schema(kind_name: str) -> dict[str, Any]:
    kind = KINDS[kind_name]
    properties: dict[str, Any] = {
        "kind": {"const": kind_name},
        "assert": {
            "type": "string",
            "description": "an equation between table cells"
            if kind.asserts_on == "cells"
            else "a condition over the facts' properties: " + ", ".join(p.name for p in kind.properties),
        },
        "sets": {"$ref": "#/$defs/sets"},
    }
    for param in kind.params:
        properties[param.name] = dict(param.schema, description=param.doc)
    required = ["kind", *(p.name for p in kind.params if p.required)]
    if kind.asserts_on == "cells" or kind.properties:
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
        "x-message": "an example is a report text, or a mapping {{name, text, previous, expect, count}}",
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


# -------------------------------------------------------------- the validator

_TYPE_PHRASE = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "empty",
}


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":  # finite: .nan and .inf are not weights
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    return value is None  # "null"


def _yaml_type(value: Any) -> str:
    return {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "mapping"}.get(
        type(value), type(value).__name__
    )


class _Validator:
    def __init__(self, root_schema: dict[str, Any]):
        self.root = root_schema
        self.problems: list[tuple[Path, bool, str]] = []  # (path, at the key, message)

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.root["$defs"][name]
        return schema

    def valid(self, value: Any, schema: dict[str, Any]) -> bool:
        """Whether a value is valid, without recording problems."""
        probe = _Validator(self.root)
        probe.check(value, schema, ())
        return not probe.problems

    def fail(
        self,
        path: Path,
        schema: dict[str, Any],
        keyword: str,
        default: str,
        at_key: bool = False,
        **fields: Any,
    ) -> None:
        template = schema.get(f"x-{keyword}") or schema.get("x-message") or default
        self.problems.append((path, at_key, template.format(**fields)))

    def check(self, value: Any, schema: dict[str, Any], path: Path, name: str = "") -> None:
        schema = self.resolve(schema)
        shown = name or "the file"
        types = schema.get("type")
        if types is not None:
            wanted = types if isinstance(types, list) else [types]
            if not any(_is_type(value, t) for t in wanted):
                phrase = " or ".join(_TYPE_PHRASE[t] for t in wanted)
                self.fail(
                    path,
                    schema,
                    "type",
                    f"{shown} must be {phrase}",
                    name=shown,
                    yaml=repr(str(value)),
                    pytype=_yaml_type(value),
                )
                return
        if "const" in schema and value != schema["const"]:
            self.fail(path, schema, "const", f"{shown} must be {schema['const']!r}", name=shown)
            return
        if "enum" in schema and value not in schema["enum"]:
            choices = ", ".join(str(c) for c in schema["enum"])
            self.fail(path, schema, "enum", f"{shown} must be one of {choices}", name=shown)
            return
        if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
            self.fail(
                path,
                schema,
                "pattern",
                f"{shown} {value!r} does not match {schema['pattern']}",
                name=shown,
                value=repr(value),
            )
        if "minimum" in schema and _is_type(value, "number") and value < schema["minimum"]:
            self.fail(path, schema, "minimum", f"{shown} must be at least {schema['minimum']}", name=shown)
        if "minItems" in schema and isinstance(value, list) and len(value) < schema["minItems"]:
            self.fail(path, schema, "minItems", f"{shown} must not be empty", name=shown)
        if "oneOf" in schema and sum(self.valid(value, s) for s in schema["oneOf"]) != 1:
            self.fail(
                path,
                schema,
                "oneOf",
                f"{shown} has the wrong type",
                name=shown,
                key=repr(path[-1]) if path else "",
            )
            return
        if isinstance(value, dict):
            self._object(value, schema, path, name)
        if isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                # a mapping in a list (a rule, an example) names its keys afresh
                self.check(item, schema["items"], (*path, index), "" if isinstance(item, dict) else name)
        for part in schema.get("allOf", []):
            if "if" in part:
                if self.valid(value, part["if"]):
                    self.check(value, part["then"], path, name)
            else:
                self.check(value, part, path, name)

    def _object(self, value: dict[Any, Any], schema: dict[str, Any], path: Path, name: str) -> None:
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        allowed = ", ".join(sorted(properties))
        for key, item in value.items():
            child = f"{name}.{key}" if name else str(key)
            if key in properties:
                self.check(item, properties[key], (*path, key), child)
            elif extra is False:
                self.fail(
                    (*path, key),
                    schema,
                    "unknown",
                    f"unknown key {key!r} (allowed: {allowed})",
                    at_key=True,
                    key=repr(key),
                    allowed=allowed,
                )
            elif isinstance(extra, dict):
                before = len(self.problems)
                self.check(item, extra, (*path, key), child)
                if len(self.problems) > before and "x-message" in self.resolve(extra):
                    # one message for the entry, in the entry's own words
                    del self.problems[before:]
                    self.fail((*path, key), self.resolve(extra), "message", "", key=repr(key))
        for key in schema.get("required", []):
            if key not in value:
                self.fail(path, schema, "required", f"missing required key {key!r}", key=repr(key))


def schema_problems(document: Any) -> list[tuple[Path, bool, str]]:
    """Every way a rule file's value breaks the schema: (path, at the key, message)."""
    validator = _Validator(rule_file_schema())
    validator.check(document, rule_file_schema(), ())
    return validator.problems
