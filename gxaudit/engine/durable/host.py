"""The durable-rules library: imported on first use, one quiet Host per process.

durable-rules is a C extension built from source at install time; it fails to
build on Python 3.13+ (it uses a C API that 3.13 removed; the upstream fix was
never released).  So it is imported when the first durable engine is built,
not when gxaudit.engine is: the reference engine, ``gxaudit parse`` and
``rules validate`` work without it.  That lazy import (in :func:`library`) is
the only import inside a function in gxaudit.engine; it does not dodge a
cycle.

Timers
    Every durable ``Host`` starts two timer threads that never stop and race
    the caller (error 307 in batch mode).  The Host here is created without
    them; no action of ours depends on timers.

Rulesets
    durable's ``Ruleset`` is built from the dict form with ``json.dumps``,
    which writes floats the C parser rejects; ours is encoded by
    :func:`~gxaudit.engine.durable.jsonform.dumps`.  A ruleset created per
    report leaks 0.3-0.4 MB each: rulesets are registered once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from gxaudit.engine.durable.jsonform import dumps

_lock = threading.Lock()
_LIBRARY: SimpleNamespace | None = None
_HOST: Any = None


def library() -> SimpleNamespace:
    """durable's C module (``c``), ``Promise``, ``Host`` and ``Ruleset`` classes.

    Raises RuntimeError when durable-rules cannot be imported.
    """
    global _LIBRARY
    if _LIBRARY is None:
        try:  # lazily: an optional C extension (see the module docstring)
            import durable_rules_engine
            from durable import engine
        except Exception as exc:  # pragma: no cover - depends on the platform
            raise RuntimeError(f"durable-rules is not available: {exc!r}") from exc
        _LIBRARY = SimpleNamespace(
            c=durable_rules_engine,
            Promise=engine.Promise,
            Host=_quiet_host_class(engine.Host),
            Ruleset=_ruleset_class(engine.Ruleset, durable_rules_engine),
        )
    return _LIBRARY


def _quiet_host_class(base: type) -> type:
    class QuietHost(base):  # type: ignore[misc,valid-type]
        """A durable Host without the two timer threads the base class starts."""

        def _run(self) -> None:  # base: starts dispatch_ruleset/dispatch_timers timers
            self._d_timer = None
            self._t_timer = None

        def add_ruleset(self, ruleset: Any) -> None:
            name = ruleset._name
            if name in self._ruleset_directory:
                raise ValueError(f"ruleset {name} already registered")
            self._ruleset_directory[name] = ruleset
            self._ruleset_list.append(ruleset)

    return QuietHost


def _ruleset_class(base: type, c_module: Any) -> type:
    class Ruleset(base):  # type: ignore[misc,valid-type]
        """durable's Ruleset built from the dict form, JSON encoded by dumps()."""

        def __init__(
            self, name: str, host: Any, definition: dict[str, dict], actions: dict[str, Callable[[Any], None]]
        ):
            promise = library().Promise
            self._actions = {rule_name: promise(action) for rule_name, action in actions.items()}
            self._name = name
            self._host = host
            self._handle = c_module.create_ruleset(name, dumps(definition))
            self._definition = definition

    return Ruleset


def host() -> Any:
    """The process-wide Host (no timer threads)."""
    global _HOST
    with _lock:
        if _HOST is None:
            _HOST = library().Host()
        return _HOST


def register(name: str, definition: dict[str, dict], actions: dict[str, Callable[[Any], None]]) -> Any:
    """Create the ruleset ``name`` and add it to the Host; returns it."""
    ruleset = library().Ruleset(name, host(), definition, actions)
    host().add_ruleset(ruleset)
    return ruleset
