"""JSON output: one document (schema_version 1) with every report and finding.

Every detailed finding is here with its own fingerprint; `finding_groups` per
report says which of them the other outputs list as one, `groups` and
`missing` give the --group-by summary and the units with no report.

The document is written a report at a time (`chunks`): the same text as one
json.dumps of it, so that a batch of any size is written without holding
every result or the whole text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from gxaudit.audit.ranking import document
from gxaudit.report.run import Run


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def chunks(run: Run) -> Iterator[str]:
    head = _dumps(document([], run.rules_version))
    assert head.endswith('"reports": []\n}')  # the reports are the head's last member
    yield head[: -len("[]\n}")] + "["
    first = True
    for result in run.results:
        yield ("\n    " if first else ",\n    ") + _dumps(result.to_dict()).replace("\n", "\n    ")
        first = False
    yield "]" if first else "\n  ]"
    # the members after the reports (the --group-by summary, the units with no report)
    whole = document([], run.rules_version, missing=run.missing, summaries=run.summaries())
    after = {key: value for key, value in whole.items() if key not in json.loads(head)}
    yield (",\n" + _dumps(after)[2:-2] if after else "") + "\n}\n"


def render(run: Run) -> str:
    return "".join(chunks(run))
