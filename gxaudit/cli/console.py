"""What the command line says on the terminal: errors, warnings, notes, colour.

Colour follows the conventions of other command-line tools: `--color
always|never|auto`; in `auto`, NO_COLOR (any non-empty value) switches it
off, FORCE_COLOR switches it on, otherwise only a terminal gets colour.
`--quiet` keeps errors only; `--verbose` adds notes on what was used.

argparse's own words (usage, errors) are put into Chinese here too, through
the gettext hook argparse calls for each of them.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import TextIO

from gxaudit.formats.printable import printable
from gxaudit.regex import on_use

RESET = "\x1b[0m"
STYLES = {
    "error": "\x1b[1;31m",
    "warning": "\x1b[33m",
    "info": "\x1b[36m",
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
}


def colour_wanted(stream: TextIO, choice: str = "auto") -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force and force != "0":
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Console:
    """Messages on stderr (resolved when written, so tests can capture them)."""

    def __init__(self, quiet: bool = False, verbose: bool = False, color: str = "auto"):
        self.quiet = quiet
        self.verbose = verbose
        self.color = color
        # what is being read or written now: named by the catch-all for an unexpected error
        self.current: str | None = None
        self._said: set[str] = set()

    def paint(self, text: str, style: str, stream: TextIO | None = None) -> str:
        if not colour_wanted(stream or sys.stderr, self.color):
            return text
        return f"{STYLES[style]}{text}{RESET}"

    def _write(self, label: str, style: str, message: str, where: str | None = None) -> None:
        """Every line gxaudit says on stderr has one form: `gxaudit: 错误: [place: ]message`
        (警告, 说明 likewise), the place a file, `file:line` or `file:line:column`."""
        place = f"{printable(where)}: " if where else ""
        # file names and report text in a message are data: no escape sequence reaches the terminal
        sys.stderr.write(f"gxaudit: {self.paint(label, style)}: {place}{printable(message)}\n")

    def error(self, message: str, where: str | None = None) -> None:
        """An error: printed even with --quiet."""
        self._write("错误", "error", message, where)

    def located(self, where: str, message: str) -> None:
        """An error at a place in a file: `gxaudit: 错误: file:line:column: message`."""
        self.error(message, where)

    def detail(self, message: str) -> None:
        """A line more of the error just said (indented under it), printed even with --quiet."""
        sys.stderr.write(f"    {printable(message)}\n")

    def warning(self, message: str, once: bool = False) -> None:
        if self.quiet or (once and message in self._said):
            return
        self._said.add(message)
        self._write("警告", "warning", message)

    def tell(self, message: str) -> None:
        """Said unless --quiet (e.g. where the Dask dashboard is)."""
        if not self.quiet:
            self._write("说明", "info", message)

    def note(self, message: str) -> None:
        """Said with --verbose only."""
        if self.verbose and not self.quiet:
            self._write("说明", "info", message)


# finding rows of the terminal table start with the severity word
_SEVERITY_ROW = on_use(r"^(错误|警告|提示)(（已豁免）)?(?=\s)", re.MULTILINE)
_HEADING = on_use(r"^(【.*】)$", re.MULTILINE)


def paint_table(text: str, console: Console, stream: TextIO) -> str:
    """The terminal table with severities and report headings in colour (only on a terminal)."""
    if not colour_wanted(stream, console.color):
        return text
    style = {"错误": "error", "警告": "warning", "提示": "info"}

    def severity(match: re.Match) -> str:
        word = match.group(1)
        if match.group(2):
            return f"{STYLES['dim']}{match.group(0)}{RESET}"
        return f"{STYLES[style[word]]}{word}{RESET}"

    text = _SEVERITY_ROW.sub(severity, text)
    return _HEADING.sub(lambda m: f"{STYLES['bold']}{m.group(1)}{RESET}", text)


# argparse's messages (Python 3.11–3.13 wording), in Chinese
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid choice: %(value)r, choose from %(choices)s": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项：%(option)s 可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "ignored explicit argument %r": "多余的参数值 %r",
    # the form of every other error line (the usage above it names the command)
    "%(prog)s: error: %(message)s\n": "gxaudit: 错误: %(message)s\n",
    "unexpected option string: %s": "意外的选项：%s",
}


def _translate(message: str) -> str:
    return ARGPARSE_ZH.get(message, message)


def _ntranslate(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "需要 %s 个值"
    return singular if n == 1 else plural


def chinese_argparse() -> None:
    """argparse looks up each message through gettext at the time it prints it."""
    argparse._ = _translate  # type: ignore[attr-defined]
    argparse.ngettext = _ntranslate  # type: ignore[attr-defined]
