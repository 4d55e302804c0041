"""An audit result document read a report at a time (the inputs of `gxaudit diff`).

A batch's JSON is hundreds of MB, and parsed whole it takes some four times its
size. The json module parses one value from a text at a given place
(`raw_decode`, its C scanner): the file is read in pieces, decoded as UTF-8,
and its top-level object walked member by member; each element of `reports`
is parsed alone and handed on with the place of its bytes in the file (so
that it can be read again, alone), every other member is parsed whole.

A mistake is said as json.loads on the whole file would say it, at the same
line and column (ConfigError naming the file).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import Any, BinaryIO, NamedTuple

from gxaudit.errors import ConfigError
from gxaudit.regex import on_use

CHUNK = 1 << 18  # bytes read at a time (more while one value does not fit)
BOM = codecs.BOM_UTF8
_SPACE = on_use(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class Report(NamedTuple):
    """One element of `reports`: its place in the list, its value, its bytes in the file."""

    number: int
    value: Any
    start: int
    end: int


class Member(NamedTuple):
    """A member of the top-level object; `reports`, once its elements are handed on, as []."""

    key: str
    value: Any


class Whole(NamedTuple):
    """A document whose top level is not an object: its value (the caller says what is wrong)."""

    value: Any


class DocumentReader:
    """The members of one JSON document's top-level object, `reports` element by element."""

    def __init__(self, handle: BinaryIO, name: str, what: str = "审查结果 JSON"):
        self.handle = handle
        self.name = name
        self.what = what
        # as json.loads decodes bytes (surrogatepass): what it read, this reads
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        self._text = ""  # decoded and not yet dropped
        self._pos = 0  # where reading is, in _text
        self._read = 0  # bytes read from the file
        self._mark = (0, 0)  # a place in _text and its file offset (offsets found from there)
        self._lines = 0  # line breaks in the text dropped
        self._column = 0  # characters after the last line break dropped
        self._eof = False

    # -- the text, a piece at a time
    def _byte_at(self, pos: int) -> int:
        """The file offset of _text[pos] (pos at or after the last asked for)."""
        mark_pos, mark_byte = self._mark
        byte = mark_byte + len(self._text[mark_pos:pos].encode("utf-8", "surrogatepass"))
        self._mark = (pos, byte)
        return byte

    def _drop(self) -> None:
        """Forget the text read so far (the rest is kept: a value being parsed)."""
        if not self._pos:
            return
        byte = self._byte_at(self._pos)
        breaks = self._text.count("\n", 0, self._pos)
        if breaks:
            self._lines += breaks
            self._column = self._pos - self._text.rfind("\n", 0, self._pos) - 1
        else:
            self._column += self._pos
        self._text = self._text[self._pos :]
        self._pos = 0
        self._mark = (0, byte)

    def _more(self, at_least: int = CHUNK) -> None:
        if self._eof:
            return
        self._drop()
        before = self._read
        data = self.handle.read(max(at_least, CHUNK))
        self._read += len(data)
        skipped = 0
        if before == 0 and data.startswith(BOM):
            data, skipped = data[len(BOM) :], len(BOM)
            self._mark = (0, skipped)
        try:
            self._text += self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            where = before + skipped - len(self._decoder.getstate()[0]) + exc.start
            raise ConfigError(
                f"审查结果文件不是 UTF-8 文本（第 {where} 字节无法解码）", path=self.name
            ) from None
        if not data:
            self._eof = True

    def _space(self) -> str:
        """Skip white space; the next character ("" at the end of the file)."""
        while True:
            self._pos = _SPACE.match(self._text, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._text) or self._eof:
                return self._text[self._pos : self._pos + 1]
            self._more()

    def _value(self) -> tuple[Any, int, int]:
        """The value that starts here, and its bytes' place in the file."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self._text, self._pos)
            except json.JSONDecodeError as exc:
                if self._eof:
                    raise self._error(exc) from None
                self._more(len(self._text))  # did not fit: read as much again
                continue
            except RecursionError:
                raise ConfigError(f"不是{self.what}（嵌套过深）", path=self.name) from None
            if end == len(self._text) and not self._eof:
                self._more(len(self._text))  # a number or word may go on in the next piece
                continue
            start = self._byte_at(self._pos)
            self._pos = end
            return value, start, self._byte_at(end)

    def _expect(self, char: str, message: str) -> None:
        if self._space() != char:
            raise self._error(json.JSONDecodeError(message, self._text, self._pos))
        self._pos += 1

    def _error(self, exc: json.JSONDecodeError) -> ConfigError:
        """json's error at its place in the whole file."""
        if exc.lineno == 1:
            line, column = self._lines + 1, self._column + exc.colno
        else:
            line, column = self._lines + exc.lineno, exc.colno
        return ConfigError(f"不是{self.what}（{exc.msg}）", path=self.name, line=line, column=column)

    # -- the document
    def __iter__(self) -> Iterator[Report | Member | Whole]:
        self._more()
        if self._space() != "{":
            value, _start, _end = self._value()
            self._end()
            yield Whole(value)
            return
        self._pos += 1
        seen_reports = False
        if self._space() == "}":
            self._pos += 1
        else:
            while True:
                if self._space() != '"':
                    message = "Expecting property name enclosed in double quotes"
                    raise self._error(json.JSONDecodeError(message, self._text, self._pos))
                key, _start, _end = self._value()
                self._expect(":", "Expecting ':' delimiter")
                if self._space() == "[" and key == "reports":
                    if seen_reports:
                        raise ConfigError(f"不是{self.what}（reports 出现了两次）", path=self.name)
                    seen_reports = True
                    yield from self._reports()
                    yield Member(key, [])  # the list is closed (its elements were handed on)
                else:
                    value, _start, _end = self._value()
                    yield Member(key, value)
                if self._closed("}"):
                    break
        self._end()

    def _reports(self) -> Iterator[Report]:
        self._pos += 1  # the [
        if self._space() == "]":
            self._pos += 1
            return
        number = 0
        while True:
            value, start, end = self._value()
            yield Report(number, value, start, end)
            number += 1
            if self._closed("]"):
                return
            self._space()

    def _closed(self, closing: str) -> bool:
        """After a member or an element: True at its container's end (`closing`, taken),
        False after the comma that goes on (taken); else the error json.loads gives."""
        following = self._space()
        self._pos += 1
        if following == closing:
            return True
        if following != ",":
            self._pos -= 1
            raise self._error(json.JSONDecodeError("Expecting ',' delimiter", self._text, self._pos))
        return False

    def _end(self) -> None:
        if self._space() != "":
            raise self._error(json.JSONDecodeError("Extra data", self._text, self._pos))


def read_span(handle: BinaryIO, start: int, end: int) -> Any:
    """The value whose bytes are at start:end of the file (a Report's place)."""
    handle.seek(start)
    return json.loads(handle.read(end - start))
