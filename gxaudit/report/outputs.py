"""The output formats, by name: each is one module of gxaudit/report with a
`render(run) -> str | bytes` function. A new format is a new module plus one
line here. A module may also have `chunks(run)`, the same output in pieces,
reading `run.results` once in order: then a batch of any size is written
without holding the whole output (nor every result) in memory.

Modules are imported when used, not before: a run pays only for the output it
writes (openpyxl for XLSX, the HTML templates for HTML).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

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


def render(fmt: str, run: Run) -> str | bytes:
    """The whole output of a run in format `fmt` (one of OUTPUTS)."""
    module = importlib.import_module(OUTPUTS[fmt])
    return module.render(run)


def streams(fmt: str) -> bool:
    """Whether format `fmt` can be written in pieces, reading the results once."""
    return hasattr(importlib.import_module(OUTPUTS[fmt]), "chunks")


def render_chunks(fmt: str, run: Run) -> Iterable[str | bytes]:
    """The output of a run in pieces (one piece for formats that have no `chunks`)."""
    module = importlib.import_module(OUTPUTS[fmt])
    if hasattr(module, "chunks"):
        return module.chunks(run)
    return (module.render(run),)
