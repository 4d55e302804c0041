"""Text from a report or a file name, made safe to print.

Report text and file names are data, never commands to a terminal: an escape
sequence in an organ's name must not recolour, move the cursor, retitle the
window or hide text, and a control character must not break a line of the
ranking. File names that are not valid UTF-8 reach Python as lone surrogates
(surrogateescape); they are written as \\xNN so that no output fails on them.

This sits with the formats because every stage that prints (parse's outline,
the audit's table, the command line's messages) uses it.
"""

from __future__ import annotations

import re

from gxaudit.regex import on_use

# ESC sequences: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), DCS/PM/APC/SOS (… ST),
# two-character ones (ESC x); and the 8-bit CSI (U+009B)
_ESCAPE = on_use(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
)
# C0 and C1 controls, DEL, and the bidirectional overrides and isolates, which can
# make a terminal show text in another order than it is (CVE-2021-42574)
_CONTROL = on_use(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = on_use(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]")
_SURROGATE = on_use(r"[\ud800-\udfff]")


def escape_surrogates(text: str, backslash: str = "\\") -> str:
    """Lone surrogates (bytes of a file name that are not UTF-8) as \\xNN; other lone
    surrogates as U+FFFD. `backslash` is what a backslash is written as (JSON: two)."""

    def one(match: re.Match) -> str:
        code = ord(match.group())
        return f"{backslash}x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"

    return _SURROGATE.sub(one, text)


def printable(text: object, keep_newlines: bool = False) -> str:
    """`text` without escape sequences and control characters; line breaks and tabs become
    spaces (or, with keep_newlines, stay newlines), undecodable bytes \\xNN."""
    value = "" if text is None else str(text)
    value = _ESCAPE.sub("", value)
    if keep_newlines:
        value = value.replace("\r\n", "\n")
        value = re.sub(r"[\r\x0b\x0c\x85\u2028\u2029]", "\n", value)
        value = _CONTROL.sub(lambda m: m.group() if m.group() in "\n\t" else "", value)
    else:
        value = _LINE_BREAKS.sub(" ", value)
        value = _CONTROL.sub("", value)
    return escape_surrogates(value)
