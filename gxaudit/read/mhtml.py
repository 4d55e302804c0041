"""A web page saved as one file (Word's "单个文件网页" .mht, a browser's .mhtml): a MIME
message whose first text/html part is the page, quoted-printable or base64 encoded.

The page is read as any web page (read/html.py); places are the decoded page's lines (a
supervisor opens such a file rendered, in Word or a browser, never as its MIME text).
"""

from __future__ import annotations

import email
import email.policy
import re

from gxaudit.errors import InputError
from gxaudit.read.source import SourceText

# the message's headers at its start: "MIME-Version: 1.0", "From: <Saved by Blink>", …
_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]{1,40}:[^\r\n]*\r?\n")


def looks_like_mhtml(data: bytes) -> bool:
    """A MIME message of related parts: headers from its first line, MIME-Version and a
    multipart/related content type among them."""
    head = data[:4096]
    return (
        _HEADER_LINE.match(head) is not None
        and b"mime-version:" in head.lower()
        and b"multipart/related" in head.lower()
    )


def read_mhtml(data: bytes, name: str) -> SourceText:
    """The page of a single-file web page, read as a web page."""
    from gxaudit.read.html import read_html

    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        page = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
        html = page.get_content() if page is not None else None
    except (LookupError, ValueError, UnicodeError) as exc:  # an unknown charset, a broken part
        raise InputError(name, f"单个文件网页（MHT）无法解码：{exc}") from exc
    if page is None or not isinstance(html, str) or not html.strip():
        raise InputError(name, "单个文件网页（MHT）中没有网页正文（text/html 部分）")
    charset = page.get_content_charset() or "utf-8"
    return read_html(html, name, charset)
