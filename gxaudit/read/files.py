"""Reading a report file into text.

Encodings are detected from the bytes, never guessed silently: a BOM wins;
otherwise strict UTF-8, then strict GB18030 (a superset of GBK); a file that
decodes as neither is an error naming the file.
"""

from __future__ import annotations

import codecs
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
                raise InputError(path, f"invalid {name} text at byte {exc.start}") from None
    if b"\x00" in data[:4096]:
        raise InputError(path, "binary data, not a text report")
    for name in ("utf-8", "gb18030"):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    raise InputError(path, "text encoding not recognised (neither UTF-8, UTF-16 nor GBK/GB18030)")


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a report file, or InputError naming the file and the problem.

    At most MAX_BYTES are read whatever the file system says its size is (/dev/zero
    says 0); a FIFO, a device or a socket is refused before it is opened (reading
    one can block for ever)."""
    name = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(name, "is a directory, not a report file")
        info = p.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(name, "不是普通文件（管道、设备或套接字），不能作为报告读取")
        if info.st_size > MAX_BYTES:
            raise InputError(name, f"file too large ({info.st_size} bytes; limit {MAX_BYTES})")
        with p.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(name, "file not found") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a report file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise InputError(name, f"file too large (more than {MAX_BYTES} bytes)")
    if not data.strip():
        raise InputError(name, "empty file")
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
