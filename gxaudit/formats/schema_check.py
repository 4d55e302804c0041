"""Checking a YAML document against a JSON Schema, with messages for people.

gxaudit's own YAML files (the formats, the rule files) each have a schema; this
validator implements the part of JSON Schema (draft 2020-12) those schemas use:
$ref to #/$defs, type, enum, const, pattern, minimum, maximum, minItems, properties,
required, additionalProperties, items, oneOf, and allOf with if/then. Keywords
starting with "x-" carry the messages (other JSON Schema tools ignore them).
Each problem names the value by its path in the document, so that a caller can
turn it into file:line:column.
"""

from __future__ import annotations

import math
import re
from typing import Any

Path = tuple[Any, ...]


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
        if "maximum" in schema and _is_type(value, "number") and value > schema["maximum"]:
            self.fail(path, schema, "maximum", f"{shown} must be at most {schema['maximum']}", name=shown)
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


def problems(document: Any, schema: dict[str, Any]) -> list[tuple[Path, bool, str]]:
    """Every way a document breaks the schema: (path, at the key rather than the value, message)."""
    validator = _Validator(schema)
    validator.check(document, schema, ())
    return validator.problems
