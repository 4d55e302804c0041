"""The output formats, by name: each is one module of gxaudit/report with a
`render(run) -> str | bytes` function. A new format is a new module plus one
line here.

Modules are imported when used, not before: a run pays only for the output it
writes (openpyxl for XLSX, the HTML templates for HTML). A module may also
have `chunks(run)`, the same output in pieces, reading `run.results` once in
order: then a batch of any size is written without holding the whole output
(nor every result) in memory.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from gxaudit.formats.printable import escape_surrogates
from gxaudit.report.run import Run

OUTPUTS: dict[str, str] = {
    "table": "gxaudit.report.table",
    "markdown": "gxaudit.report.markdown",
    "csv": "gxaudit.report.csv",
    "json": "gxaudit.report.json",
    "html": "gxaudit.report.html",
    "xlsx": "gxaudit.report.xlsx",
    "sarif": "gxaudit.report.sarif",
}
# formats that are bytes, not text (they need --output)
BINARY = frozenset({"xlsx"})
# formats whose text is JSON: a backslash inside a string is written as two
JSON_TEXT = frozenset({"json", "sarif"})


def render(fmt: str, run: Run) -> str | bytes:
    """The whole output of a run in format `fmt` (one of OUTPUTS).

    A file name that is not valid UTF-8 reaches us with lone surrogates; no
    output may fail on it, so any left in a text output are written as \\xNN.
    """
    module = importlib.import_module(OUTPUTS[fmt])
    return _writable(fmt, module.render(run))


def _writable(fmt: str, output: str | bytes) -> str | bytes:
    if isinstance(output, str):
        try:
            output.encode("utf-8")
        except UnicodeEncodeError:
            output = escape_surrogates(output, "\\\\" if fmt in JSON_TEXT else "\\")
    return output


def streams(fmt: str) -> bool:
    """Whether format `fmt` can be written in pieces, reading the results once."""
    return hasattr(importlib.import_module(OUTPUTS[fmt]), "chunks")


def render_chunks(fmt: str, run: Run) -> Iterable[str | bytes]:
    """The output of a run in pieces (one piece for formats that have no `chunks`); the
    same text as `render`, surrogates escaped piece by piece (a character never spans two)."""
    module = importlib.import_module(OUTPUTS[fmt])
    if hasattr(module, "chunks"):
        return (_writable(fmt, chunk) for chunk in module.chunks(run))
    return (render(fmt, run),)
