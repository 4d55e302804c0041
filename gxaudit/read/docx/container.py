"""The zip container of a .docx, checked before python-docx opens it.

Entry count, declared uncompressed size (zipfile never inflates a member
beyond its declared size, so the declared total bounds the memory used), the
compression ratio of each member and the presence of ``word/document.xml``.
Every failure is an ``InputError(name, reason)``.
"""

from __future__ import annotations

import io
import struct
import zipfile

from gxaudit.errors import InputError

# Limits of the zip container (a Word report is a few hundred kB).
MAX_ENTRIES = 10_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
# The document's own XML (text and tables; pictures are other parts): a long report has a
# few MB. More is a table of hundreds of thousands of cells, which python-docx would hold in
# memory ten times over before any bound on the table could be checked.
MAX_DOCUMENT_XML = 25 * 1024 * 1024
# A member inflating more than this ratio is a bomb, whatever its size
# (Word's own XML compresses about 5-20 times).
MAX_RATIO = 1_000
RATIO_FLOOR = 10 * 1024 * 1024  # small members may compress well (runs of zeros)


def _eocd_entry_count(data: bytes) -> int | None:
    """Entry count from the end-of-central-directory record, read before zipfile parses it."""
    tail_start = max(0, len(data) - (22 + 65535))
    position = data.rfind(b"PK\x05\x06", tail_start)
    if position < 0 or position + 22 > len(data):
        return None
    total = struct.unpack_from("<H", data, position + 10)[0]
    return None if total == 0xFFFF else total  # 0xFFFF: zip64, count it after opening


def check_container(data: bytes, name: str) -> zipfile.ZipFile:
    """The zip, once it is known to be small enough and to hold a Word document."""
    if not data.startswith(b"PK"):
        raise InputError(name, "not a .docx file (not a zip container)")
    count = _eocd_entry_count(data)
    if count is not None and count > MAX_ENTRIES:
        raise InputError(name, f"zip has {count} entries (limit {MAX_ENTRIES}): not a Word document")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (zip version), struct.error, …
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InputError(name, f"damaged or truncated .docx (zip: {reason})") from None
    if len(infos) > MAX_ENTRIES:
        raise InputError(name, f"zip has {len(infos)} entries (limit {MAX_ENTRIES}): not a Word document")
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_UNCOMPRESSED:
            raise InputError(
                name,
                f"zip declares more than {MAX_UNCOMPRESSED // (1024 * 1024)} MB "
                "uncompressed (possible zip bomb)",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                name,
                f"zip member {info.filename!r} compresses {info.file_size} bytes "
                f"into {info.compress_size} (possible zip bomb)",
            )
        if info.flag_bits & 0x1:
            raise InputError(name, f"zip member {info.filename!r} is encrypted")
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise InputError(name, "zip holds no word/document.xml: not a Word (.docx) document")
    body = next(info for info in infos if info.filename == "word/document.xml")
    if body.file_size > MAX_DOCUMENT_XML:
        raise InputError(
            name,
            f"Word 正文 XML 有 {body.file_size // (1024 * 1024)} MB（上限 {MAX_DOCUMENT_XML // (1024 * 1024)} MB），"
            "不是一份年度报告",
        )
    if "[Content_Types].xml" not in names:
        raise InputError(name, "zip holds no [Content_Types].xml: not a Word (.docx) document")
    return archive


def open_document(data: bytes, name: str):
    check_container(data, name)
    try:
        import docx  # python-docx
    except ImportError:
        raise InputError(name, ".docx input needs python-docx (pip install python-docx)") from None
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx, lxml and zipfile errors: all mean "unreadable"
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InputError(name, f"cannot read .docx: {reason}") from None
