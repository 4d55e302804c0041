"""Regular expressions compiled when first used, not when their module is imported.

gxaudit's modules define ~240 patterns at module level. Compiling one costs tens to
hundreds of microseconds (re's compiler is Python code), and one command needs only
some of them: auditing one PDF uses about half, and compiling the rest was ~8 % of the
whole command's instructions.

`on_use` gives an object that compiles the pattern on the first attribute read
(`.search`, `.pattern`, …). Then the module global that names it is rebound to the
compiled pattern, so the module's own uses after the first cost what a compiled
pattern's cost; the object itself, where something else still holds it (a tuple of
patterns, another module's `from … import`), keeps the pattern's methods on it.

Only `re.compile`'s uses are covered: method calls and the attributes `pattern`,
`flags`, `groups`, `groupindex`. Such a pattern is not an `re.Pattern`: give it to
`re.sub(PATTERN, …)` or `isinstance` and they will not know it; call its methods.
It pickles as the compiled pattern.
"""

from __future__ import annotations

import re
import sys
from typing import Any, cast

# what is kept on the object once the pattern is compiled: everything read from it after
_KEPT = (
    "search",
    "match",
    "fullmatch",
    "finditer",
    "findall",
    "sub",
    "subn",
    "split",
    "scanner",
    "pattern",
    "flags",
    "groups",
    "groupindex",
)


class _Compiled:
    """A pattern made by `on_use`, compiled: its methods and attributes are kept on it, and
    `compiled` is the pattern. (A class without __getattr__: its attributes are read as
    any object's, faster than through one.)"""

    compiled: re.Pattern[str]
    _source: tuple[str, int]

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return re.compile, self._source

    def __repr__(self) -> str:
        return f"on_use({self._source[0]!r}, {self._source[1]})"


class _CompiledOnUse(_Compiled):
    """A pattern, its flags and the globals of the module that made it, not yet compiled."""

    def __init__(self, pattern: str, flags: int, module: dict[str, Any]) -> None:
        self._source = (pattern, flags)
        self._module = module

    def __getattr__(self, name: str) -> Any:
        # reached only before the first use (see the module's docstring)
        compiled = re.compile(*self._source)
        kept = self.__dict__
        for attribute in _KEPT:
            kept[attribute] = getattr(compiled, attribute)
        kept["compiled"] = compiled
        module = kept.pop("_module", None)  # None: another thread used it first, at the same time
        if module is not None:
            for global_name in [k for k, v in module.items() if v is self]:
                module[global_name] = compiled
        self.__class__ = _Compiled  # type: ignore[assignment]
        return getattr(compiled, name)


def on_use(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, compiled when first used: for a module-level pattern
    (the module calling this is the one whose global is rebound)."""
    return cast(re.Pattern[str], _CompiledOnUse(pattern, flags, sys._getframe(1).f_globals))
