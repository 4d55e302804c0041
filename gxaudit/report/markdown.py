"""Markdown output: the ranked table and each report's findings as pipe tables."""

from __future__ import annotations

from gxaudit.report.run import Run
from gxaudit.report.table import render_table


def render(run: Run) -> str:
    return render_table(run.results, markdown=True, grouped=run.grouped, run=run)
