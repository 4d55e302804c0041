"""Checked rule files and compiled rules, kept between runs (gxaudit/cache.py).

Reading and checking the rule files (YAML, the schema, every expression parsed
by pyparsing: ~60 ms for the built-in pack) and compiling them (the format's
identities parsed, durable's layout of the rules: ~30 ms) come before a single
report is read. What they give is kept:

* `checked`: a rule file's rules, and the trees of the expressions its check
  parsed, under a key of the file's name as given (messages name it), its text,
  whether it is built in;
* `compiled`: the trees of the expressions compiling parsed, and what the engine
  prepared (gxaudit.engine.prepared_state: durable's layouts), under a key of the
  engine and the rules' version (their texts and the selection).

Both keys hold the format files' text too (the ids a rule may name), besides
what gxaudit/cache.py's keys hold (the code, the readers' versions). What is kept
is addressed by its content besides: a tree by its expression's text, a layout
by its rules' content (engine rules_key). A file with problems is never kept:
its problems are found and reported afresh each time.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from gxaudit import cache as store
from gxaudit.formats.load import formats_dir
from gxaudit.rules import expr
from gxaudit.rules.model import Rule

T = TypeVar("T")


def checked(name: str, text: str, builtin: bool, check: Callable[[], list[Rule]]) -> list[Rule]:
    """The rules of a rule file: kept ones if any (their expressions' trees handed to
    rules/expr.py), else `check()`'s, kept for the next run."""
    key = store.key("checked", _formats_part(), name, str(int(builtin)), text)
    kept = store.recall(key)
    if (
        isinstance(kept, tuple)
        and len(kept) == 2
        and isinstance(kept[0], list)
        and all(isinstance(rule, Rule) for rule in kept[0])
        and _are_trees(kept[1])
    ):
        expr.know(kept[1])
        return kept[0]
    with expr.recording() as trees:
        rules = check()
    store.keep(key, (rules, trees))
    return rules


def compiled(
    engine: str,
    version: str,
    build: Callable[[], T],
    prepared: Callable[[], Any],
    take: Callable[[Any], None],
) -> T:
    """`build()` (which compiles rules of this version for this engine), with the trees and the
    engine's prepared state of a run before handed over first (`take`); what it parsed and
    prepared (`prepared()`) kept for the next run."""
    key = store.key("compiled", _formats_part(), engine, version)
    kept = store.recall(key)
    if isinstance(kept, tuple) and len(kept) == 2 and _are_trees(kept[0]):
        expr.know(kept[0])
        if kept[1] is not None:
            take(kept[1])
        return build()
    with expr.recording() as trees:
        built = build()
    store.keep(key, (trees, prepared()))
    return built


def _are_trees(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(text, str) for text in value)


def _formats_part() -> bytes:
    """The format files' text (their digest), read again only when a file's size or time changes."""
    folder = formats_dir()
    return _formats(str(folder), _listed(folder))


def _listed(formats: Path) -> tuple[tuple[str, int, int], ...]:
    listed = []
    for path in sorted(formats.glob("*.yaml")):
        try:
            info = path.stat()
        except OSError:
            continue
        listed.append((path.name, info.st_size, info.st_mtime_ns))
    return tuple(listed)


@functools.lru_cache(maxsize=8)
def _formats(folder: str, listed: tuple[tuple[str, int, int], ...]) -> bytes:
    digest = hashlib.sha256()
    for name, _size, _mtime in listed:
        try:
            digest.update(name.encode() + b"\0" + Path(folder, name).read_bytes() + b"\0")
        except OSError:
            digest.update(name.encode() + b"\0?\0")
    return digest.digest()
