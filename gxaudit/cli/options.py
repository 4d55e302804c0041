"""Command-line values over the settings file's: one resolved set of options per run."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gxaudit.audit.selection import Layer, RuleSelection, unknown
from gxaudit.cli.inputs import Exclusion
from gxaudit.cli.settings import BY_KEY, Settings
from gxaudit.errors import ConfigError


def split_list(values: list[str] | None) -> list[str] | None:
    """`--select A,B --select C` → [A, B, C] (None when the option was not given)."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@dataclass
class Resolved:
    """The options in force: the command line's, else the settings file's, else the defaults."""

    values: dict[str, Any]
    settings: Settings
    selection: RuleSelection = field(default_factory=RuleSelection)
    exclusions: list[Exclusion] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def resolve(args: argparse.Namespace, settings: Settings) -> Resolved:
    values: dict[str, Any] = {}
    for option in BY_KEY.values():
        given = getattr(args, option.dest, None)
        if option.key in ("select", "extend-select", "ignore", "exclude", "paths"):
            given = split_list(given) if option.key != "paths" else (given or None)
        if given is not None:
            values[option.dest] = given
        elif settings.has(option.key):
            values[option.dest] = settings.get(option.key)
        else:
            values[option.dest] = option.default
    file_layer = Layer(
        select=tuple(settings.values["select"]) if settings.has("select") else None,
        extend_select=tuple(settings.values.get("extend-select", ())),
        ignore=tuple(settings.values.get("ignore", ())),
    )
    cli_select = split_list(getattr(args, "select", None))
    cli_layer = Layer(
        select=tuple(cli_select) if cli_select is not None else None,
        extend_select=tuple(split_list(getattr(args, "extend_select", None)) or ()),
        ignore=tuple(split_list(getattr(args, "ignore", None)) or ()),
    )
    severity = tuple((k, v) for k, v in (settings.values.get("severity") or {}).items())
    resolved = Resolved(values, settings, RuleSelection((file_layer, cli_layer), severity))
    # exclude: --exclude replaces the file's patterns, --extend-exclude adds (as in ruff)
    cwd = Path.cwd()
    cli_exclude = split_list(getattr(args, "exclude", None))
    if cli_exclude is not None:
        resolved.exclusions = [Exclusion(p, cwd) for p in cli_exclude]
    else:
        resolved.exclusions = [Exclusion(p, settings.root) for p in settings.values.get("exclude", ())]
    resolved.exclusions += [
        Exclusion(p, cwd) for p in split_list(getattr(args, "extend_exclude", None)) or ()
    ]
    return resolved


def check_selectors(resolved: Resolved, args: argparse.Namespace, rules: list) -> None:
    """A selector that names no rule is an error where it was written (file key or option)."""
    settings = resolved.settings
    for key in ("select", "extend-select", "ignore"):
        items = settings.values.get(key) or []
        for index, name in enumerate(items):
            if unknown([name], rules):
                raise settings.error(_unknown_text(name), key, index)
        cli = split_list(getattr(args, key.replace("-", "_"), None)) or []
        for name in cli:
            if unknown([name], rules):
                raise ConfigError(f"--{key}：{_unknown_text(name)}")
    for name in settings.values.get("severity") or {}:
        if unknown([name], rules):
            raise settings.error(_unknown_text(name), "severity", name)


def _unknown_text(name: str) -> str:
    return f"{name!r} 不是已知的规则编号、编号前缀、类别或 ALL（用 gxaudit rules list 查看）"
