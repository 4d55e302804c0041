"""Errors a user sees: one line naming the file (and position) and the problem,
never a traceback.

Every error gxaudit raises on purpose derives from `GxauditError`; the command
line prints it as one line and exits with 2. Each kind of input has its own
subclass, so that a caller can tell a broken report (which ends as that
report's error while the batch goes on) from a broken rule file or setting
(which stops the run before any report is audited).

    GxauditError
    ├── InputError    a report file cannot be read, or is not a report
    │   └── NotAReportError  a readable file that is not an annual report
    ├── RuleError     a rule file, an expression or a check's parameters
    ├── ConfigError   settings, scoring, waivers, units, diff inputs, options
    ├── StoreError    the SQLite store of runs
    ├── EngineError   the rule engine failed on one report (an internal error)
    └── OutputError   an output cannot be written
"""

from __future__ import annotations

import errno


class GxauditError(Exception):
    """Base of the errors the CLI turns into a one-line message.

    `path`, `line` and `column` say where, when known; `str()` is
    "path:line:column: message" (or as much of the position as is known).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ):
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(str(self))

    @property
    def where(self) -> str:
        parts = [self.path or ""]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts) if self.path or self.line is not None else ""

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.message}" if where else self.message


class InputError(GxauditError):
    """A report file that cannot be read, or is not a report."""

    def __init__(self, path: str, reason: str):
        super().__init__(reason, path=path)
        self.reason = reason


class NotAReportError(InputError):
    """A readable file that is not an annual report (a README, an attachment).

    Listed as "不是年度报告"; it does not make a run fail unless --strict.
    """


class RuleError(GxauditError):
    """A rule file, a rule's expression or a check's parameters are wrong."""


class ConfigError(GxauditError):
    """A settings, scoring, waiver or units file, a diff input or an option is wrong."""


class StoreError(GxauditError):
    """The SQLite store cannot be opened, read or written."""


class EngineError(GxauditError):
    """The rule engine failed on one report: an internal error, never "no finding"."""


class OutputError(GxauditError):
    """An output file cannot be written."""


def os_reason(exc: OSError) -> str:
    """Why a file or folder could not be used, in Chinese where the cause is a common one."""
    if isinstance(exc, PermissionError):  # EACCES, EPERM
        return "权限不足"
    if exc.errno == errno.ELOOP:
        return "符号链接循环"
    return exc.strerror or str(exc)
