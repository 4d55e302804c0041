"""JSON output: one document (schema_version 1) with every report and finding."""

from __future__ import annotations

import json
from collections.abc import Iterator

from gxaudit.audit.ranking import document
from gxaudit.report.run import Run


def chunks(run: Run) -> Iterator[str]:
    """The document a report at a time (the same text as one json.dumps of it), so
    that a batch of any size is written without holding the whole text."""
    head = json.dumps(document([], run.rules_version), ensure_ascii=False, indent=2)
    empty = '"reports": []\n}'
    assert head.endswith(empty)  # the reports are the document's last member
    yield head[: -len("[]\n}")] + "["
    first = True
    for result in run.results:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
        yield ("\n    " if first else ",\n    ") + text.replace("\n", "\n    ")
        first = False
    yield "]\n}\n" if first else "\n  ]\n}\n"


def render(run: Run) -> str:
    return "".join(chunks(run))
