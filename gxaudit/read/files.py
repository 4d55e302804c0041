"""Reading a report file into text.

Encodings are detected from the bytes, never guessed silently: a BOM wins;
otherwise strict UTF-8, then strict GB18030 (a superset of GBK); a file that
decodes as neither is an error naming the file.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from gxaudit.errors import InputError
from gxaudit.read.source import SourceText

# A larger file is not a report; refuse it rather than exhaust memory.
MAX_BYTES = 20 * 1024 * 1024


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise InputError."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise InputError(path, f"不是有效的 {name} 文本（第 {exc.start} 字节起）") from None
    if b"\x00" in data[:4096]:
        raise InputError(path, "二进制数据，不是文本报告")
    for name in ("utf-8", "gb18030"):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    raise InputError(path, "无法识别文本编码（不是 UTF-8、UTF-16，也不是 GBK/GB18030）")


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words (命名管道, 设备文件…)."""
    if stat.S_ISFIFO(mode):
        return "命名管道"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def _refuse_unless_regular(name: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(name, "是文件夹，不是报告文件")
    if not stat.S_ISREG(mode):
        # a FIFO would block for ever, /dev/zero never ends: neither is a report
        raise InputError(name, f"不是普通文件（{file_kind(mode)}），不读取")


def _read_at_most(fd: int, limit: int, hint: int) -> bytes:
    """Up to `limit` + 1 bytes: whatever st_size said (0 for /proc files), the reading stops."""
    parts = []
    total = 0
    want = min(max(hint, 0) + 1, limit + 1)
    while total <= limit:
        part = os.read(fd, max(1, min(want, limit + 1 - total)))
        if not part:
            break
        parts.append(part)
        total += len(part)
        want = 1 << 20
    return b"".join(parts)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a report file, or InputError naming the file and the problem.

    Only a regular file is opened (a FIFO or a device is refused from its
    status, before any open that could block), and no more than MAX_BYTES are
    read from it whatever its size claims to be.
    """
    name = str(path)
    try:
        _refuse_unless_regular(name, os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            status = os.fstat(fd)  # the file opened may not be the one looked at
            _refuse_unless_regular(name, status.st_mode)
            if status.st_size > MAX_BYTES:
                raise InputError(name, f"文件过大（{status.st_size} 字节，上限 {MAX_BYTES} 字节）")
            data = _read_at_most(fd, MAX_BYTES, status.st_size)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise InputError(name, "文件不存在") from None
    except PermissionError:
        raise InputError(name, "没有读取权限") from None
    except IsADirectoryError:
        raise InputError(name, "是文件夹，不是报告文件") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(name, "符号链接循环，无法读取") from None
        raise InputError(name, f"无法读取文件（{exc.strerror or exc}）") from None
    except ValueError:  # a NUL byte in the name
        raise InputError(name, "文件名无效（含空字符）") from None
    if len(data) > MAX_BYTES:
        raise InputError(name, f"文件超过大小上限（读到 {MAX_BYTES} 字节仍未结束）")
    if not data.strip():
        raise InputError(name, "文件为空")
    return data


def read_source(path: str | Path) -> SourceText:
    """A report file as the lines the grammar reads, each with its origin, whatever its shape."""
    name = str(path)
    data = read_bytes(path)
    # The adapters are imported when a file of their kind arrives: a text report
    # never pays for loading pypdfium2 or python-docx (start-up time).
    if b"%PDF-" in data[:1024]:  # some files carry junk before the header
        from gxaudit.read.pdf import read_pdf

        return read_pdf(data, name)
    if data.startswith(b"PK\x03\x04"):
        from gxaudit.read.docx import read_docx

        return read_docx(data, name)
    if data[:1].isalpha():  # a MIME message's first header ("MIME-Version: 1.0"): perhaps one
        from gxaudit.read.mhtml import looks_like_mhtml, read_mhtml

        if looks_like_mhtml(data):
            return read_mhtml(data, name)
    text, encoding = decode(data, name)
    return read_decoded(text, name, encoding)


def read_decoded(text: str, name: str = "<text>", encoding: str = "utf-8") -> SourceText:
    """A report already decoded to text: Markdown, a web page or plain text, by its content."""
    from gxaudit.read.html import looks_like_html, read_html
    from gxaudit.read.markdown import looks_like_markdown, read_markdown

    # Markdown first: a Markdown file may hold an HTML <table>
    if looks_like_markdown(text):
        return read_markdown(text, name, encoding)
    if looks_like_html(text):
        return read_html(text, name, encoding)
    return SourceText.plain(text, "text", encoding)


def read_report_text(path: str | Path) -> tuple[str, str, str]:
    """(text for the grammar, encoding, input kind), whatever the file's shape."""
    source = read_source(path)
    return source.text, source.encoding, source.kind


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a plain-text file: (text, encoding)."""
    return decode(read_bytes(path), str(path))
