"""YAML files as nodes: read safely, with the position of every value.

A file (a rule file, a format file) is composed into a node tree (never constructed into Python
objects by PyYAML's full loader: no tag but the standard ones is accepted), so
that every problem can be reported at the line and column of its value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

STANDARD_TAG = "tag:yaml.org,2002:"


class NodeError(Exception):
    """The text is not YAML a rule file may be made of; (line, column, message)."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def position(node: yaml.Node) -> tuple[int, int]:
    """1-based line and column where a node starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def walk(node: yaml.Node | None) -> Iterator[yaml.Node]:
    if node is None:
        return
    yield node
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from walk(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from walk(key)
            yield from walk(value)


def compose(text: str) -> tuple[yaml.Node | None, yaml.SafeLoader]:
    """The node tree of a YAML text; NodeError for invalid YAML or a non-standard tag."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise NodeError(line, column, f"invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    for item in walk(node):
        if item.tag.startswith(STANDARD_TAG + "python") or not item.tag.startswith(STANDARD_TAG):
            line, column = position(item)
            raise NodeError(line, column, f"invalid YAML: tag {item.tag!r} is not allowed here")
    return node, loader


def value_of(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    """The Python value of a node (safe constructors only)."""
    return loader.construct_object(node, deep=True)


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
            entry = mapping(node).get(step)
            if entry is None:
                break
            key_node, node = entry
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            key_node, node = None, node.value[step]
        else:
            break
    return node, key_node
