"""Which rules run, and at which severity: `select`, `extend-select`, `ignore`, `severity`.

As in ruff, a selector is a rule id (GX-BAL-003), a prefix of ids (GX-BAL,
GX-CEL-00), a category (balance) or ALL. Selection is made in layers, the
settings file's first, then the command line's: a layer's `select` (when
given) starts afresh, `extend-select` adds, `ignore` removes. Within a
layer, when a rule is both selected and ignored, the more specific selector
wins (select = ["GX-CEL"], ignore = ["GX-CEL-001"] runs every GX-CEL rule
but 001; select = ["GX-CEL-001"], ignore = ["cells"] runs 001); at equal
specificity ignore wins.

A rule its file marks `enabled: false` (off by default) runs only when a
selector names its id exactly. `severity` maps selectors to error, warning
or info, the most specific selector winning.

Unknown selectors are found by `unknown()`, so that a typo is an error
naming the file and key rather than a rule silently left on.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from gxaudit.rules.model import CATEGORIES, Rule

ALL = "ALL"


def specificity(selector: str, rule: Rule) -> int | None:
    """How closely a selector names a rule (higher: more specific); None when it does not."""
    if selector == ALL:
        return 0
    if selector in CATEGORIES:
        return 1 if rule.category == selector else None
    wanted = selector.upper()
    if rule.id == wanted:
        return 10_000
    if rule.id.startswith(wanted):
        return 2 + len(wanted)
    return None


def _best(selectors: Iterable[str], rule: Rule) -> int | None:
    found = [s for s in (specificity(x, rule) for x in selectors) if s is not None]
    return max(found) if found else None


def unknown(selectors: Iterable[str], rules: list[Rule]) -> list[str]:
    """The selectors that name no rule and no category."""
    return [s for s in selectors if not any(specificity(s, r) is not None for r in rules) and s != ALL]


@dataclass(frozen=True)
class Layer:
    """One source of selection (the settings file, the command line)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def selectors(self) -> tuple[str, ...]:
        return (*(self.select or ()), *self.extend_select, *self.ignore)


@dataclass(frozen=True)
class RuleSelection:
    """Every layer in order, and the severity overrides (picklable: workers build from it)."""

    layers: tuple[Layer, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.severity and all(
            layer.select is None and not layer.extend_select and not layer.ignore for layer in self.layers
        )

    def selectors(self) -> list[str]:
        return [s for layer in self.layers for s in layer.selectors()] + [s for s, _ in self.severity]

    def _on(self, rule: Rule) -> bool:
        on = rule.enabled
        for layer in self.layers:
            chosen = (*(layer.select or ()), *layer.extend_select)
            if layer.select is not None:
                on = False
            picked = _best(chosen, rule)
            if picked is not None and (rule.enabled or picked == 10_000):
                on = True
            dropped = _best(layer.ignore, rule)
            if dropped is not None and (picked is None or dropped >= picked):
                on = False
        return on

    def _severity(self, rule: Rule) -> str:
        best, severity = -1, rule.severity
        for selector, wanted in self.severity:
            score = specificity(selector, rule)
            if score is not None and score >= best:
                best, severity = score, wanted
        return severity

    def apply(self, rules: list[Rule]) -> list[Rule]:
        """Every rule, with `enabled` and `severity` as selected (the Auditor runs the enabled ones)."""
        if self.empty:
            return rules
        return [dataclasses.replace(r, enabled=self._on(r), severity=self._severity(r)) for r in rules]

    def version(self, rules_version: str) -> str:
        """The rules version of the selected pack: the files' hash, and the selection when there is one."""
        if self.empty:
            return rules_version
        text = repr((rules_version, self.layers, self.severity))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
