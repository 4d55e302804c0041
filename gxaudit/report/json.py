"""JSON output: one document (schema_version 1) with every report and finding."""

from __future__ import annotations

import json

from gxaudit.audit.ranking import document
from gxaudit.report.run import Run


def render(run: Run) -> str:
    return json.dumps(document(run.results, run.rules_version), ensure_ascii=False, indent=2) + "\n"
