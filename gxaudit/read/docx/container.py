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
        raise InputError(name, "不是 .docx 文件（不是 zip 压缩包）")
    count = _eocd_entry_count(data)
    if count is not None and count > MAX_ENTRIES:
        raise InputError(name, f"压缩包有 {count} 个条目（上限 {MAX_ENTRIES}），不是 Word 文档")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (zip version), struct.error, …
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InputError(name, f".docx 文件已损坏或不完整（zip：{reason}）") from None
    if len(infos) > MAX_ENTRIES:
        raise InputError(name, f"压缩包有 {len(infos)} 个条目（上限 {MAX_ENTRIES}），不是 Word 文档")
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_UNCOMPRESSED:
            raise InputError(
                name,
                f"压缩包解压后超过 {MAX_UNCOMPRESSED // (1024 * 1024)} MB（可能是压缩炸弹）",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                name,
                f"压缩包中的 {info.filename!r} 由 {info.compress_size} 字节解压为 {info.file_size} 字节"
                "（可能是压缩炸弹）",
            )
        if info.flag_bits & 0x1:
            raise InputError(name, f"压缩包中的 {info.filename!r} 已加密")
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise InputError(name, "压缩包中没有 word/document.xml，不是 Word（.docx）文档")
    body = next(info for info in infos if info.filename == "word/document.xml")
    if body.file_size > MAX_DOCUMENT_XML:
        raise InputError(
            name,
            f"Word 正文 XML 有 {body.file_size // (1024 * 1024)} MB（上限 {MAX_DOCUMENT_XML // (1024 * 1024)} MB），"
            "不是一份年度报告",
        )
    if "[Content_Types].xml" not in names:
        raise InputError(name, "压缩包中没有 [Content_Types].xml，不是 Word（.docx）文档")
    return archive


def open_document(data: bytes, name: str):
    check_container(data, name)
    try:
        import docx  # python-docx
    except ImportError:
        raise InputError(name, "读取 .docx 需要 python-docx 包（pip install python-docx）") from None
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx, lxml and zipfile errors: all mean "unreadable"
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InputError(name, f"无法读取 .docx：{reason}") from None
