"""What `gxaudit audit` audits: files named, report files found in folders, `-` for stdin.

Folders are walked without following symbolic links to folders (no loops);
hidden files and folders, broken links and what is not a regular file are
listed as skipped with the reason; `exclude` globs leave files and folders
out. As in ruff, a pattern with a `/` is matched against the
path relative to the folder of the settings file that gave it (the working
directory for --exclude), a pattern without one against each file and
folder name; a file named on the command line is audited even when a
pattern matches it. The same file named twice is audited once.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gxaudit.audit.batch.inputs import Collector, is_folder
from gxaudit.audit.batch.inputs import Inputs as Found
from gxaudit.errors import ConfigError, InputError
from gxaudit.read.files import MAX_BYTES

STDIN = "-"


@dataclass(frozen=True)
class Exclusion:
    pattern: str
    base: Path  # the folder a pattern with "/" is relative to (absolute)

    def matches(self, path: Path, walked_from: Path) -> bool:
        """Whether the file or folder `path` (absolute) is left out."""
        pattern = self.pattern.rstrip("/")
        if "/" in pattern:
            try:
                relative = path.relative_to(self.base).as_posix()
            except ValueError:
                return False
            return fnmatch.fnmatchcase(
                relative, pattern.lstrip("./") if pattern.startswith("./") else pattern
            )
        try:
            names = path.relative_to(walked_from).parts
        except ValueError:
            names = (path.name,)
        return any(fnmatch.fnmatchcase(name, pattern) for name in names)


@dataclass
class Inputs(Found):
    """The batch's inputs (audit/batch/inputs.py: files, skipped, errors), and standard input."""

    stdin_file: str | None = None  # the temporary copy of standard input
    stdin_name: str = STDIN  # how it is named in the results
    _tmp: str | None = None

    def shown_path(self, path: str) -> str:
        return self.stdin_name if self.stdin_file is not None and path == self.stdin_file else path

    def cleanup(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def _read_stdin(inputs: Inputs, stdin_name: str | None) -> str:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # started without standard input (a service, a closed descriptor)
        raise ConfigError("没有标准输入可读（-）")
    try:
        data = stream.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"无法读取标准输入（{exc}）") from None
    if len(data) > MAX_BYTES:
        raise InputError(stdin_name or STDIN, f"标准输入过大（上限 {MAX_BYTES} 字节）")
    inputs._tmp = tempfile.mkdtemp(prefix="gxaudit-stdin-")
    # the file's name stands in for an organ that cannot be read (fingerprints): keep it stable
    name = Path(stdin_name).name if stdin_name else "stdin"
    path = os.path.join(inputs._tmp, name or "stdin")
    with open(path, "wb") as handle:
        handle.write(data)
    inputs.stdin_file = path
    inputs.stdin_name = stdin_name or STDIN
    return path


def _excluder(top: Path, exclusions: list[Exclusion]):
    """Whether a file or folder found under `top` is left out by the patterns."""
    if not exclusions:
        return None
    top_abs = top.resolve()

    def excluded(path: Path) -> bool:
        absolute = top_abs / path.relative_to(top)
        return any(e.matches(absolute, top_abs) for e in exclusions)

    return excluded


def collect(paths: list[str], exclusions: list[Exclusion], stdin_name: str | None = None) -> Inputs:
    """Every file to audit, in a stable order, and what was skipped and why; `-` reads
    standard input once. The walking itself is the batch's (audit/batch/inputs.py)."""
    inputs = Inputs()
    collector = Collector(inputs)
    if paths.count(STDIN) > 1:
        raise ConfigError("标准输入（-）只能读一次")
    for name in paths:
        if name == STDIN:
            collector.add_file(_read_stdin(inputs, stdin_name))
        elif is_folder(name):
            collector.walk(name, _excluder(Path(name), exclusions))
        else:
            collector.add_file(name)  # a missing file is reported as an error result
    return inputs
