"""Which rule engine runs: durable-rules wherever it is installed, else the reference evaluator.

durable-rules 2.0.28 is published only as source and builds a C extension
that cannot run on CPython 3.13+ (it calls PyEval_CallObject, which 3.13
removed; pyproject.toml installs it only below 3.13). Where it is missing or
does not load, gxaudit says so once and runs the reference evaluator, which
gives the same findings (tests/test_engines_agree.py).
"""

from __future__ import annotations

from gxaudit.cli.console import Console
from gxaudit.errors import ConfigError

DURABLE, REFERENCE = "durable", "reference"


def durable_available() -> bool:
    """Whether durable-rules loads here (the adapter's own lazy import, tried once).

    Finding the extension is not enough: on Python 3.13 a build may succeed
    with warnings and then fail to load (undefined symbol PyEval_CallObject).
    """
    from gxaudit.engine.durable.host import library

    try:
        library()
    except RuntimeError:
        return False
    return True


def choose(requested: str | None, console: Console) -> str:
    """The engine to run: the one asked for, else durable when installed, else reference (said once)."""
    if requested == REFERENCE:
        return REFERENCE
    if durable_available():
        return DURABLE
    if requested == DURABLE:
        raise ConfigError(
            "--engine durable：durable-rules 未安装或无法载入（Python 3.13 起不能使用，见 README 的 Installation）"
        )
    console.warning(
        "durable-rules 未安装或无法载入（Python 3.13 起不能使用），改用参考求值器（审查结果相同）",
        once=True,
    )
    return REFERENCE
