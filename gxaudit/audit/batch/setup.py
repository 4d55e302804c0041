"""What a worker needs to build its own Auditor, and the limits a file is audited under."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.scoring import load_scoring
from gxaudit.audit.selection import RuleSelection
from gxaudit.audit.units import load_units
from gxaudit.audit.waivers import load_waivers
from gxaudit.engine import prepared_state, take_prepared_state
from gxaudit.rules import cache as rule_cache
from gxaudit.rules.load import load_rules

# A report is parsed and audited in well under a second; a file that takes
# this long is pathological (or an attack) and is given up on.
DEFAULT_FILE_TIMEOUT = 60
# Address space a worker may use (RLIMIT_AS). A worker auditing every seed and
# corpus report peaks at about 60 MiB of address space; the pathological files
# of issue 11 (merged-cell grids, zip bombs) went past 6 GiB. 2 GiB leaves real
# reports thirty times their need and keeps one file from taking the machine.
DEFAULT_MEMORY_LIMIT_MB = 2048


@dataclass(frozen=True)
class AuditSetup:
    """What a worker needs to build its own Auditor (picklable)."""

    rule_dirs: tuple[str, ...]
    scoring_path: str | None
    engine: str
    file_timeout: int = DEFAULT_FILE_TIMEOUT
    keep_source: bool = False  # send the source lines back (HTML output shows them)
    waivers_path: str | None = None
    memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB  # per worker process; 0: no limit
    # select / ignore / severity from the settings file and the command line
    selection: RuleSelection = RuleSelection()
    units_path: str | None = None  # the units file: its rows reach the checks (publication dates)

    def build(
        self, loaded: tuple[list, str] | None = None, compiled: tuple | None = None, engine_state: Any = None
    ) -> Auditor:
        """An Auditor for these settings; `loaded` (rules, version) saves reading the files again,
        `compiled` (an Auditor's, for these settings) compiling them again, and `engine_state`
        (gxaudit.engine.prepared_state, from the process that built that Auditor) preparing
        the engine again."""
        if engine_state is not None:
            take_prepared_state(self.engine, engine_state)
        rules, version = loaded or load_rules(list(self.rule_dirs))
        waivers = load_waivers(self.waivers_path) if self.waivers_path else None
        units = load_units(self.units_path) if self.units_path else None
        rules_version = self.selection.version(version)

        def make() -> Auditor:
            return Auditor(
                self.selection.apply(rules),
                load_scoring(self.scoring_path),
                engine=self.engine,
                rules_version=rules_version,
                waivers=waivers,
                units=units,
                compiled=compiled,
            )

        if compiled is None and engine_state is None:
            # compiled here (not handed over by the process that did it): a run before may have
            auditor = rule_cache.compiled(
                self.engine,
                rules_version,
                make,
                prepared=lambda: prepared_state(self.engine),
                take=lambda state: take_prepared_state(self.engine, state),
            )
        else:
            auditor = make()
        auditor.prepared = ((rules, version), auditor.compiled, prepared_state(self.engine))
        return auditor
