"""Writing output files whole or not at all, to a destination checked before the batch.

`check_destination` is called before any report is audited, so that a wrong
--output (a missing folder, a folder, a FIFO or device, a read-only file
system, no permission) is one line and exit 2 in the first second rather
than after the whole batch. `write_atomic` writes a temporary file beside
the target and renames it: a reader never sees half a file, and a special
file (e.g. /dev/null) is never replaced by a regular one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from gxaudit.errors import OutputError


def _reason(exc: OSError) -> str:
    return {
        errno.EROFS: "文件系统只读",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.ENOSPC: "磁盘已满",
        errno.EDQUOT: "超出磁盘配额",
        errno.ENOENT: "所在文件夹不存在",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.EISDIR: "是一个文件夹",
        errno.ENAMETOOLONG: "文件名过长",
    }.get(exc.errno or 0, exc.strerror or str(exc))


def check_destination(path: str | Path) -> None:
    """OutputError unless `path` can be written as a regular file (checked by writing a probe beside it)."""
    name = str(path)
    target = Path(path)
    if not target.name or name.endswith(os.sep):
        raise OutputError("输出应为文件，不是文件夹", path=name)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"无法写入输出文件（{_reason(exc)}）", path=name) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError("输出是一个文件夹；请给出文件名，如 result.html", path=name)
        if not stat.S_ISREG(info.st_mode):
            raise OutputError("输出不是普通文件（设备、管道或套接字），拒绝写入", path=name)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        what = "不是文件夹" if directory.exists() else "不存在"
        raise OutputError(f"输出文件所在的文件夹 {directory} {what}", path=name)
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".probe", dir=directory)
    except OSError as exc:
        # the folder is there (checked above): "no such file" means it takes no new file (/proc)
        why = "不能在其中新建文件" if exc.errno == errno.ENOENT else _reason(exc)
        raise OutputError(f"无法在 {directory} 中写入（{why}）", path=name) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)


def _mode_to_keep(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then rename.

    OutputError (one line) when it cannot be written: disk full, permission, …
    """
    write_atomic_chunks(path, (content,))


def write_atomic_chunks(path: str | Path, chunks: Iterable[str | bytes]) -> None:
    """As write_atomic, the content given in pieces written one after the other (a
    batch's output is never held whole); an error or an interruption half-way
    leaves no file and no temporary behind."""
    target = Path(path)
    check_destination(target)  # again: things may have changed during the batch
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"无法写入输出文件（{_reason(exc)}）", path=str(path)) from None
    try:
        # mkstemp makes the file private (0600): give it the mode of the file it replaces,
        # else the usual one
        os.fchmod(fd, _mode_to_keep(target))
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"无法写入输出文件（{_reason(exc)}）", path=str(path)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
