"""What every command shares: its console, its settings, the rule pack it loads."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from dataclasses import dataclass

from gxaudit.cli.console import Console
from gxaudit.cli.options import Resolved, resolve
from gxaudit.cli.settings import load

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class Context:
    args: argparse.Namespace
    console: Console
    options: Resolved


def context(args: argparse.Namespace, console: Console) -> Context:
    """Load the settings in force (said with --verbose) and resolve the options over them."""
    config = getattr(args, "config", None)
    if config:
        console.current = config
    settings = load(config, isolated=getattr(args, "isolated", False))
    console.current = None
    options = resolve(args, settings)
    console.quiet = bool(getattr(args, "quiet", False))
    console.verbose = bool(getattr(args, "verbose", False))
    console.color = options.color
    if settings.path:
        console.note(f"使用配置文件 {settings.path}")
    else:
        console.note("没有找到配置文件（gxaudit.toml 或 pyproject.toml 的 [tool.gxaudit]），使用默认设置")
    return Context(args, console, options)


def rule_dirs(options: Resolved) -> list[str]:
    from gxaudit.rules.load import builtin_rules_dir

    directories = [str(builtin_rules_dir())] if options.builtin else []
    return directories + [str(d) for d in (options.rules or [])]


def stdout_to_devnull() -> None:
    """Whatever is still printed after the reader of standard output left (`… | head`)
    goes nowhere, without another BrokenPipeError."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
