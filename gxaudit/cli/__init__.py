"""The command line: `gxaudit parse`, `gxaudit audit`, `gxaudit diff`, `gxaudit rules …`.

One module per command (parse, audit, diff, rules), the project settings
(settings.py) and the command line over them (options.py), what is audited
(inputs.py), the engine chosen (engines.py), and the terminal (console.py);
app.py holds the parser and `main`. Each command imports the stages it needs
when it runs, so that a command pays only for its own start-up (the parse
command never loads the rule engine).
"""

from __future__ import annotations

from gxaudit.cli.app import build_parser, main


def collect_inputs(paths: list[str]) -> list[str]:
    """Files named, and report files found under folders named (sorted, stable)."""
    from gxaudit.cli.inputs import collect

    return list(collect(paths, []).files)


__all__ = ["build_parser", "collect_inputs", "main"]
