"""What gxaudit keeps between runs: values worked out from files that rarely change.

Before a single report is read, a command reads the format files and the rule
files (YAML), checks them and compiles the rules: a sixth of auditing one PDF.
What that gives is kept here and taken back when nothing it depends on has
changed. The users (formats/load.py, rules/cache.py) name an entry by a key made
with `key`, which holds besides:

* gxaudit's code (each file's size and modification time: an edit or an install
  changes them), read once a process;
* the versions of Python, PyYAML and pyparsing (they read the files and the
  expressions), and CACHE_VERSION.

The folder is $GXAUDIT_CACHE_DIR, else $XDG_CACHE_HOME/gxaudit, else
~/.cache/gxaudit; GXAUDIT_CACHE_DIR=off keeps nothing. An entry is read only if
the current user owns it and the folder, and no one else may write to either
(it is a pickle: whoever can write it could run code as the reader). Anything
wrong with the folder or an entry (missing, unreadable, corrupt, another
version) means the work is done as without a cache: the cache can never stop a
run.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyparsing as pp
import yaml

CACHE_VERSION = 1
OFF = "off"
KEPT = 200  # entries kept in the folder; the oldest go first (each is ~10 KB)
_PREFIX = "gxaudit-"
_SUFFIX = ".pickle"
_PACKAGE = str(Path(__file__).resolve().parent)  # gxaudit's code, which every key holds


def cache_dir() -> Path | None:
    """Where entries are kept; None when the cache is off."""
    configured = os.environ.get("GXAUDIT_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in ("", OFF) else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gxaudit"


def key(*parts: str | bytes) -> str:
    """The name of an entry: gxaudit's code and the readers' versions, and `parts`."""
    digest = hashlib.sha256(code_fingerprint(_PACKAGE))
    for part in parts:
        digest.update(b"\0" + (part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")))
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def code_fingerprint(package: str) -> bytes:
    """The code in `package` (each file's name, size and modification time) and the versions
    of what reads the kept values' sources; once a process (the code cannot change under it)."""
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


def _trusted(info: os.stat_result, kind: int = stat.S_IFREG) -> bool:
    """A file (or folder) of the current user that nobody else may write to."""
    owner = os.getuid() if hasattr(os, "getuid") else info.st_uid
    return stat.S_IFMT(info.st_mode) == kind and info.st_uid == owner and not info.st_mode & 0o022


def recall(name: str) -> Any:
    """The value kept under `name` (a `key`); None if there is none that can be trusted and read."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        # in a folder others may write to, an entry could be swapped for another file
        if not _trusted(os.stat(folder), stat.S_IFDIR):
            return None
        with open(folder / f"{_PREFIX}{name}{_SUFFIX}", "rb") as handle:
            if not _trusted(os.fstat(handle.fileno())):
                return None
            return pickle.load(handle)
    except Exception:  # missing, unreadable, truncated, written by other code: done afresh
        return None


def keep(name: str, value: Any) -> None:
    """Keep `value` under `name` (whole or not at all); never fails."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)  # the user's, mode 0600
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / f"{_PREFIX}{name}{_SUFFIX}")
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(folder)
    except Exception:  # a read-only or full disk, a file where the folder should be: no cache
        return


def _prune(folder: Path) -> None:
    """Keep the KEPT most recently written entries (older code and files leave theirs)."""
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
