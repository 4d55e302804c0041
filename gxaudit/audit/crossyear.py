"""Cross-year checks: the figures a report hands on to next year's, and pairing.

An audited report leaves its *figures* (plain JSON): table three's
carried-over and carried-forward rows, table two's item1 counts, and its
parts' text. Next year's report of the same organ is checked against them,
whether that report is in the same batch or last year's figures come from
the store. The checks themselves are YAML rules of kind `cross_year`.
"""

from __future__ import annotations

from typing import Any

from gxaudit.formats.text import squeeze
from gxaudit.parse import ast
from gxaudit.regex import on_use

FIGURES_VERSION = 1


def _number(cell: ast.Cell | None) -> int | float | None:
    if cell is None or not cell.is_number or cell.value is None:
        return None
    value = cell.value
    return int(value) if value == int(value) else float(value)


def extract_figures(report: ast.Report) -> dict[str, Any]:
    """What next year's report is checked against (JSON-serialisable)."""
    t = report.tables
    rows = {}
    for row_id in ("carried_over", "carried_forward", "new", "results_total"):
        row = t.applications.get(row_id)
        if row is not None:
            rows[row_id] = {c: _number(cell) for c, cell in row.cells.items()}
    item1 = {}
    block = t.proactive.get("item1")
    if block is not None:
        for row in block.rows.values():
            item1[row.id] = {c: _number(cell) for c, cell in row.cells.items()}
    return {
        "version": FIGURES_VERSION,
        "organ": report.organ,
        "organ_key": organ_key(report.organ),
        "year": report.year,
        "format": report.format,
        "path": report.path,
        "applications": rows,
        "item1": item1,
        "sections": {s.id: s.text for s in report.sections if s.id},
        # what comes before part 一 (who compiled the report, what it covers: kind hierarchy)
        "preamble": "\n".join(
            report.lines[: (report.sections[0].line - 1) if report.sections else len(report.lines)][:40]
        ),
        "lines": {r: t.applications[r].line for r in rows if r in t.applications}
        | {f"item1.{r}": b.line for r, b in (block.rows.items() if block else [])}
        | {f"section.{s.id}": s.line for s in report.sections if s.id},
    }


_GOVERNMENT = on_use(r"政府$")


def organ_key(organ: str | None) -> str | None:
    """A comparable form of an organ's name: no spaces, 人民政府 written 政府 (X区人民政府 is
    X区政府, X市人民政府办公室 X市政府办公室), no trailing 政府."""
    if not organ:
        return None
    key = squeeze(organ).replace("人民政府", "政府")
    return _GOVERNMENT.sub("", key) or key


def same_organ(a: str | None, b: str | None) -> bool:
    """The same organ written with or without its higher levels (淮安市洪泽区 / 洪泽区)."""
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 3 and longer.endswith(shorter)


def find_previous(figures: dict[str, Any], candidates: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Last year's figures of the same organ among candidates (closest name first)."""
    year, key = figures.get("year"), figures.get("organ_key")
    if year is None or key is None:
        return None
    matches = [c for c in candidates if c.get("year") == year - 1 and same_organ(key, c.get("organ_key"))]
    if not matches:
        return None
    # an exact name beats a suffix match; then the first (input order)
    matches.sort(key=lambda c: c.get("organ_key") != key)
    if matches[0].get("organ_key") != key and len({c.get("organ_key") for c in matches}) > 1:
        return None  # 城关镇 beside 永青县城关镇 and 石青县城关镇: which is last year's, no one can say
    return matches[0]


class PreviousIndex:
    """Figures by year and organ name, for find_previous without an n x n scan.

    Names match exactly, or one is the other with higher levels in front
    (same_organ): every suffix of three or more characters of a name is
    indexed, so both directions are dictionary lookups.
    """

    def __init__(self, candidates: list[dict[str, Any]]):
        self.by_suffix: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for c in candidates:
            key, year = c.get("organ_key"), c.get("year")
            if not key or year is None:
                continue
            for start in range(0, max(1, len(key) - 2)):
                self.by_suffix.setdefault((year, key[start:]), []).append(c)

    def find(self, figures: dict[str, Any]) -> dict[str, Any] | None:
        year, key = figures.get("year"), figures.get("organ_key")
        if year is None or not key:
            return None
        found: list[dict[str, Any]] = []
        # candidates whose name ends with this one (淮安市洪泽区 for 洪泽区)…
        found += self.by_suffix.get((year - 1, key), [])
        # …and candidates that this name ends with (洪泽区 for 淮安市洪泽区)
        for start in range(1, max(1, len(key) - 2)):
            found += [
                c
                for c in self.by_suffix.get((year - 1, key[start:]), [])
                if c.get("organ_key") == key[start:]
            ]
        return find_previous(figures, found)
