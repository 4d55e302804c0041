"""Which files a batch audits, and every other thing it found and did not audit, with why.

Folders are walked for report files (by suffix; the kind of a file is then
recognised by its content). Nothing found is dropped without a word: a hidden
file or folder, a symbolic link that leads nowhere or round in a loop, a link
to a folder (not followed, so a batch cannot loop), something that is not a
regular file (a FIFO, a device), a subfolder that cannot be listed: each is a
`skipped` entry with its reason. What the user's exclusion patterns leave out
is not listed (it was asked for). A path named on the command line is always
audited (a problem with it is that file's error). The same file reached twice
(named twice, spelt two ways, or through a link) is audited once, under the
first name it was reached by.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from gxaudit.errors import os_reason
from gxaudit.read.files import file_kind

# reasons that are a choice, not a problem: no line on stderr for them
QUIET = ("隐藏文件", "隐藏文件夹")
REPORT_SUFFIXES = {
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".shtml",
    ".mht",
    ".mhtml",
    ".pdf",
    ".docx",
}


class PathList(Sequence[str]):
    """A list of paths kept as UTF-8 bytes end to end (any str, undecodable names'
    surrogates included, comes back the same): 50,000 paths cost the parent ~2 MB
    instead of ~5 MB of str objects."""

    def __init__(self, paths: Iterable[str] = ()):
        self._data = bytearray()
        self._ends = array("Q")
        for path in paths:
            self.append(path)

    def append(self, path: str) -> None:
        self._data += path.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._data))

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        end = self._ends[index]  # IndexError past the end
        start = self._ends[index - 1] if index else 0
        return self._data[start:end].decode("utf-8", "surrogatepass")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"PathList({list(self)!r})"


@dataclass
class Inputs:
    files: PathList = field(default_factory=PathList)  # to audit, in order
    # (path, reason, quiet): found, not audited; quiet ones (hidden) are not worth a line on stderr
    skipped: list[tuple[str, str, bool]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): named, cannot be read
    excluded: list[str] = field(default_factory=list)  # left out by the user's patterns


def _is_report_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in REPORT_SUFFIXES


class Collector:
    """Files to audit, in the order they are named and found, and what was skipped and why."""

    def __init__(self, inputs: Inputs | None = None):
        self.inputs = inputs if inputs is not None else Inputs()
        self.excluded: Callable[[Path], bool] | None = None
        self.missing: set[str] = set()  # names of files that could not be looked at
        # device and inode of every regular file, as one int (a tuple costs twice the memory:
        # a batch of 50,000 reports keeps the parent within a few MB of its size at 5,000)
        self.seen_files: set[int] = set()

    def add_file(self, path: str, st: os.stat_result | None = None) -> None:
        """A file to audit, unless the same file (same device and inode) came before.
        `st`: its status when already known (links followed)."""
        if st is None:
            with contextlib.suppress(OSError, ValueError):  # audited anyway: reading it says why
                st = os.stat(path)
        if st is not None and stat.S_ISREG(st.st_mode):
            identity = st.st_dev << 64 | st.st_ino
            if identity in self.seen_files:
                return  # the same file again, by the same or another name: audited once, first name
            self.seen_files.add(identity)
        elif path in self.missing:
            return  # the same name twice: once is enough
        else:
            self.missing.add(path)
        self.inputs.files.append(path)

    def walk(self, folder: str, excluded: Callable[[Path], bool] | None = None) -> None:
        """Report files under a folder named, in the order of their path parts (stable).

        `excluded(path)` (a folder or file found in it, as a Path) says whether the
        user's patterns leave it out: then it is neither entered, audited nor listed
        (only named in `excluded`)."""
        self.excluded = excluded
        self._walk(str(Path(folder)), named=True)

    def _skip(self, path: str, reason: str) -> None:
        self.inputs.skipped.append((path, reason, reason.startswith(QUIET)))

    def _walk(self, folder: str, named: bool) -> None:
        """Depth first, each folder's entries sorted by name: the order of sorting every
        path by its parts (pathlib's order), with one folder's names in memory at a time."""
        try:
            with os.scandir(folder) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as exc:
            reason = f"无法列出文件夹（{os_reason(exc)}）"
            if named:
                self.inputs.errors.append((folder, reason))
            else:
                self._skip(folder, reason)
            return
        for name in names:
            path = _join(folder, name)
            hidden = name.startswith(".")
            if not hidden and self.excluded is not None and self.excluded(Path(path)):
                self.inputs.excluded.append(path)
                continue
            try:
                st = os.lstat(path)
            except OSError as exc:
                self._skip(path, f"无法读取（{os_reason(exc)}）")
                continue
            if stat.S_ISDIR(st.st_mode):
                if hidden:
                    self._skip(path, "隐藏文件夹（未进入）")
                else:
                    self._walk(path, named=False)
                continue
            if stat.S_ISLNK(st.st_mode):
                try:
                    st = os.stat(path)
                except OSError as exc:
                    self._skip(path, _broken_link(exc))
                    continue
            why = _skip_reason(name, st.st_mode, hidden)
            if why is None:
                self.add_file(path, st)
            elif isinstance(why, str):
                self._skip(path, why)


def _join(folder: str, name: str) -> str:
    """`str(Path(folder) / name)` for a folder written as pathlib writes it (without a Path)."""
    if folder == ".":
        return name
    return folder + name if folder.endswith(os.sep) else folder + os.sep + name


def _broken_link(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "符号链接循环"
    if exc.errno == errno.ENOENT:
        return "符号链接指向的文件不存在"
    return f"无法读取符号链接指向的文件（{os_reason(exc)}）"


def _skip_reason(name: str, mode: int, hidden: bool) -> str | None | bool:
    """Of a file found in a folder (links followed): None, a report file to audit; a reason,
    listed as skipped; False, not a report file by its name: not one of the batch's inputs."""
    if stat.S_ISDIR(mode):
        return "指向文件夹的符号链接（未进入，以免循环）"
    if not _is_report_name(name):
        return False
    if hidden:
        return "隐藏文件"
    if not stat.S_ISREG(mode):
        return f"不是普通文件（{file_kind(mode)}）"
    return None


def is_folder(name: str) -> bool:
    try:
        return os.path.isdir(name)
    except (OSError, ValueError):
        return False


def gather_inputs(paths: list[str], excluded: Callable[[Path], bool] | None = None) -> Inputs:
    """Files named and report files found under folders named, with what was skipped and why."""
    collector = Collector()
    for name in paths:
        if is_folder(name):
            collector.walk(name, excluded)
        else:
            collector.add_file(name)  # a missing file is reported as an error result
    return collector.inputs
