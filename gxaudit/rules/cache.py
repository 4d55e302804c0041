"""Checked rule files and compiled rules, remembered between runs.

Before a single report is read, `gxaudit audit` reads and checks the rule files
(YAML, the schema, every expression parsed by pyparsing: ~60 ms for the built-in
pack) and compiles them (the format's identities parsed, durable's layout of the
rules: ~30 ms). That is a sixth of auditing one PDF. What they give is kept in
the user's cache folder and taken back when nothing it depends on has changed:

* `checked`: a rule file's rules, and the trees of the expressions its check
  parsed, under a key of the file's name as given (messages name it), its text,
  whether it is built in;
* `compiled`: the trees of the expressions compiling parsed, and what the engine
  prepared (gxaudit.engine.prepared_state: durable's layouts), under a key of the
  engine and the rules' version (their texts and the selection).

Every key also holds gxaudit's code (each file's size and modification time),
the format files' text, the versions of Python, PyYAML and pyparsing, and
CACHE_VERSION. What is kept is addressed by its content besides: a tree by its
expression's text, a layout by its rules' content (engine rules_key). A file
with problems is never kept: its problems are found and reported afresh each time.

The folder is $GXAUDIT_CACHE_DIR, else $XDG_CACHE_HOME/gxaudit, else
~/.cache/gxaudit; GXAUDIT_CACHE_DIR=off turns the cache off. An entry is read
only if the current user owns it and no one else may write to it (it is a
pickle: whoever can write it could run code as the reader). Anything wrong with
the folder or an entry (missing, unreadable, corrupt, another version) means
the work is done as without a cache; the cache can never stop a run.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pyparsing as pp
import yaml

from gxaudit.formats.load import formats_dir
from gxaudit.rules import expr
from gxaudit.rules.model import Rule

CACHE_VERSION = 1
OFF = "off"
KEPT = 200  # entries kept in the folder; the oldest go first (each is ~10 KB)
_PREFIX = "gxaudit-"
_SUFFIX = ".pickle"

T = TypeVar("T")


def cache_dir() -> Path | None:
    """Where entries are kept; None when the cache is off."""
    configured = os.environ.get("GXAUDIT_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in ("", OFF) else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gxaudit"


def checked(name: str, text: str, builtin: bool, check: Callable[[], list[Rule]]) -> list[Rule]:
    """The rules of a rule file: kept ones if any (their expressions' trees handed to
    rules/expr.py), else `check()`'s, kept for the next run."""
    key = _key("checked", name, str(int(builtin)), text)
    kept = _recall(key)
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
    _keep(key, (rules, trees))
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
    key = _key("compiled", engine, version)
    kept = _recall(key)
    if isinstance(kept, tuple) and len(kept) == 2 and _are_trees(kept[0]):
        expr.know(kept[0])
        if kept[1] is not None:
            take(kept[1])
        return build()
    with expr.recording() as trees:
        built = build()
    _keep(key, (trees, prepared()))
    return built


def _are_trees(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(text, str) for text in value)


def _code_and_formats() -> bytes:
    """What every key holds: gxaudit's code and the format files."""
    return fingerprint(Path(__file__).resolve().parent.parent, formats_dir())


def fingerprint(package: Path, formats: Path) -> bytes:
    """The code in `package` (each file's name, size and modification time: cheap, and an
    edit or an install changes them) and the format files in `formats` (their text)."""
    return hashlib.sha256(_code(str(package)) + _formats(str(formats), _listed(formats))).digest()


@functools.lru_cache(maxsize=8)
def _code(package: str) -> bytes:
    # the libraries that read rule files (YAML) and expressions (pyparsing) besides ours
    readers = f"{yaml.__version__}\0{pp.__version__}"
    digest = hashlib.sha256(f"{CACHE_VERSION}\0{sys.version}\0{pickle.HIGHEST_PROTOCOL}\0{readers}".encode())
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, package)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.digest()


def _listed(formats: Path) -> tuple[tuple[str, int, int], ...]:
    """The format files with their size and modification time: their text is read again
    only when these change ($GXAUDIT_FORMATS, or the files, changed within a process)."""
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


def _key(*parts: str) -> str:
    digest = hashlib.sha256(_code_and_formats())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _trusted(info: os.stat_result) -> bool:
    """A regular file of the current user that nobody else may write to."""
    owner = os.getuid() if hasattr(os, "getuid") else info.st_uid
    return stat.S_ISREG(info.st_mode) and info.st_uid == owner and not info.st_mode & 0o022


def _recall(key: str) -> Any:
    """The value kept under `key`; None if there is none that can be trusted and read."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{_PREFIX}{key}{_SUFFIX}", "rb") as handle:
            if not _trusted(os.fstat(handle.fileno())):
                return None
            return pickle.load(handle)
    except Exception:  # missing, unreadable, truncated, written by other code: done afresh
        return None


def _keep(key: str, value: Any) -> None:
    """Keep `value` under `key` (whole or not at all); never fails."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)  # the user's, mode 0600
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / f"{_PREFIX}{key}{_SUFFIX}")
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(folder)
    except Exception:  # a read-only or full disk, a file where the folder should be: no cache
        return


def _prune(folder: Path) -> None:
    """Keep the KEPT most recently written entries (older code and rule texts leave theirs)."""
    entries = []
    for entry in os.scandir(folder):
        if entry.name.startswith(_PREFIX) and entry.name.endswith(_SUFFIX):
            try:
                entries.append((entry.stat().st_mtime_ns, entry.path))
            except OSError:
                continue
    entries.sort()
    for _mtime, path in entries[: max(0, len(entries) - KEPT)]:
        try:
            os.unlink(path)
        except OSError:
            continue
