"""JSON output: one document (schema_version 1) with every report and finding.

Every detailed finding is here with its own fingerprint; `finding_groups` per
report says which of them the other outputs list as one, `groups` and
`missing` give the --group-by summary and the units with no report.
"""

from __future__ import annotations

import json

from gxaudit.audit.ranking import document
from gxaudit.report.run import Run


def render(run: Run) -> str:
    doc = document(run.results, run.rules_version, missing=run.missing, summaries=run.summaries())
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
