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
    "string": "字符串",
    "number": "数字",
    "integer": "整数",
    "boolean": "true 或 false",
    "object": "映射（键: 值）",
    "array": "列表",
    "null": "空",
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
        shown = name or "文件"
        for keyword, stops in _KEYWORDS:
            if keyword in schema:
                failure = _CHECKS[keyword](self, value, schema, shown)
                if failure is not None:
                    default, fields = failure
                    self.fail(
                        path,
                        schema,
                        keyword,
                        default,
                        name=shown,
                        key=repr(path[-1]) if path else "",
                        **fields,
                    )
                    if stops:
                        return
        if isinstance(value, dict):
            self._object(value, schema, path, name)
        if isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                # a mapping in a list (a rule, an example) names its keys afresh
                self.check(item, schema["items"], (*path, index), "" if isinstance(item, dict) else name)
        for part in schema.get("allOf", []):
            if "if" not in part:
                self.check(value, part, path, name)
            elif self.valid(value, part["if"]):
                self.check(value, part["then"], path, name)

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
                    f"未知的键 {key!r}（可用的键：{allowed}）",
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
                self.fail(path, schema, "required", f"缺少必需的键 {key!r}", key=repr(key))


Failure = tuple[str, dict[str, Any]] | None


def _type(_v: _Validator, value: Any, schema: dict[str, Any], shown: str) -> Failure:
    wanted = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if any(_is_type(value, t) for t in wanted):
        return None
    phrase = "或".join(_TYPE_PHRASE[t] for t in wanted)
    return f"{shown} 应为{phrase}", {"yaml": repr(str(value)), "pytype": _yaml_type(value)}


def _const(_v: _Validator, value: Any, schema: dict[str, Any], shown: str) -> Failure:
    return None if value == schema["const"] else (f"{shown} 应为 {schema['const']!r}", {})


def _enum(_v: _Validator, value: Any, schema: dict[str, Any], shown: str) -> Failure:
    if value in schema["enum"]:
        return None
    return f"{shown} 应为以下之一：{', '.join(str(c) for c in schema['enum'])}", {}


def _pattern(_v: _Validator, value: Any, schema: dict[str, Any], shown: str) -> Failure:
    if not isinstance(value, str) or re.search(schema["pattern"], value):
        return None
    return f"{shown} 的值 {value!r} 不符合 {schema['pattern']}", {"value": repr(value)}


def _minimum(_v: _Validator, value: Any, schema: dict[str, Any], shown: str) -> Failure:
    if not _is_type(value, "number") or value >= schema["minimum"]:
        return None
    return f"{shown} 不能小于 {schema['minimum']}", {}


def _maximum(_v: _Validator, value: Any, schema: dict[str, Any], shown: str) -> Failure:
    if not _is_type(value, "number") or value <= schema["maximum"]:
        return None
    return f"{shown} 不能大于 {schema['maximum']}", {}


def _min_items(_v: _Validator, value: Any, schema: dict[str, Any], shown: str) -> Failure:
    if not isinstance(value, list) or len(value) >= schema["minItems"]:
        return None
    return f"{shown} 不能为空", {}


def _one_of(v: _Validator, value: Any, schema: dict[str, Any], shown: str) -> Failure:
    if sum(v.valid(value, s) for s in schema["oneOf"]) == 1:
        return None
    return f"{shown} 的类型不对", {}


# (keyword, whether a failure ends the checks of this value), in the order they run
_KEYWORDS = (
    ("type", True),
    ("const", True),
    ("enum", True),
    ("pattern", False),
    ("minimum", False),
    ("maximum", False),
    ("minItems", False),
    ("oneOf", True),
)
_CHECKS = {
    "type": _type,
    "const": _const,
    "enum": _enum,
    "pattern": _pattern,
    "minimum": _minimum,
    "maximum": _maximum,
    "minItems": _min_items,
    "oneOf": _one_of,
}


def problems(document: Any, schema: dict[str, Any]) -> list[tuple[Path, bool, str]]:
    """Every way a document breaks the schema: (path, at the key rather than the value, message)."""
    validator = _Validator(schema)
    validator.check(document, schema, ())
    return validator.problems
