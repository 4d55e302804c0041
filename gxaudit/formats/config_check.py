"""Checking a user's settings file against a small JSON Schema, in Chinese.

Settings, waiver, scoring and units files and `diff` inputs each have a schema
(kept beside the code that reads them). `zh()` fills in the messages a
supervisor reads ("waivers[2].until：应为日期"); `check()` runs the validator of
schema_check.py and raises the first problem as the given error class, naming
the file, the key and, when a locator is given, the line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gxaudit.errors import ConfigError, GxauditError
from gxaudit.formats import nodes
from gxaudit.formats.schema_check import problems

Path = tuple[Any, ...]
# where a key or value is in the file: (line, column), or None when unknown
Locator = Callable[[Path, bool], "tuple[int, int] | None"]

TYPE_ZH = {
    "string": "文本",
    "number": "数字",
    "integer": "整数",
    "boolean": "true 或 false",
    "object": "映射（键: 值）",
    "array": "列表",
    "null": "空值",
}
INT64 = (-(2**63), 2**63 - 1)


def zh(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with Chinese messages for every keyword it uses (recursively)."""
    out = dict(schema)
    types = schema.get("type")
    if types is not None:
        wanted = types if isinstance(types, list) else [types]
        out.setdefault("x-type", "应为" + "或".join(TYPE_ZH[t] for t in wanted) + "，实际是 {yaml}")
    if "enum" in schema:
        out.setdefault("x-enum", "应为 " + "、".join(str(c) for c in schema["enum"]) + " 之一")
    if "const" in schema:
        out.setdefault("x-const", f"应为 {schema['const']!r}")
    if "minimum" in schema:
        out.setdefault("x-minimum", f"不能小于 {schema['minimum']}")
    if "maximum" in schema:
        out.setdefault("x-maximum", f"不能大于 {schema['maximum']}")
    if "minItems" in schema:
        out.setdefault("x-minItems", "不能为空")
    if "pattern" in schema:
        out.setdefault("x-pattern", "{value} 的写法不对")
    if "oneOf" in schema:
        out.setdefault("x-oneOf", "类型不对")
        out["oneOf"] = [zh(s) for s in schema["oneOf"]]
    if "properties" in schema or schema.get("additionalProperties") is False:
        out.setdefault("x-unknown", "未知的键 {key}（可用的键：{allowed}）")
    if "required" in schema:
        out.setdefault("x-required", "缺少必需的键 {key}")
    if "properties" in schema:
        out["properties"] = {k: zh(v) for k, v in schema["properties"].items()}
    if isinstance(schema.get("additionalProperties"), dict):
        out["additionalProperties"] = zh(schema["additionalProperties"])
    if isinstance(schema.get("items"), dict):
        out["items"] = zh(schema["items"])
    return out


def key_text(path: Path) -> str:
    """A value's path as a person writes it: waivers[2].until (1-based list items)."""
    text = ""
    for step in path:
        if isinstance(step, int) and not isinstance(step, bool):
            text += f"[{step + 1}]"
        else:
            text += f".{step}" if text else str(step)
    return text


def check(
    data: Any,
    schema: dict[str, Any],
    file: str,
    locate: Locator | None = None,
    error: type[GxauditError] = ConfigError,
    prefix: Path = (),
) -> None:
    """Raise `error` for the first way `data` breaks `schema` (with how many more there are)."""
    found = problems(data, schema)
    if not found:
        return
    where, at_key, message = found[0]
    key = key_text((*prefix, *where))
    text = f"{key}：{message}" if key else message
    if len(found) > 1:
        text += f"（另有 {len(found) - 1} 处问题）"
    position = locate(where, at_key) if locate else None
    line, column = position if position else (None, None)
    raise error(text, path=file, line=line, column=column)


def yaml_locator(root: Any) -> Locator:
    """Positions in a YAML file from its node tree (nodes.compose)."""

    def locate(where: Path, at_key: bool) -> tuple[int, int] | None:
        if root is None:
            return None
        value, key = nodes.at_path(root, where)
        return nodes.position(key if at_key and key is not None else value)

    return locate
