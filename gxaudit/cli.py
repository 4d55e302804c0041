"""The command line: `gxaudit parse`, `gxaudit audit`, `gxaudit rules …`."""
from __future__ import annotations

import argparse
import json
import sys

from . import __version__
from .errors import GxauditError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _error(message: str) -> None:
    print(f"gxaudit: error: {message}", file=sys.stderr)


def cmd_parse(args: argparse.Namespace) -> int:
    from .parse import parse_file
    from .render_tree import render
    report = parse_file(args.file)
    if args.format == "json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    else:
        text = render(report)
    sys.stdout.write(text + "\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gxaudit", description="政府信息公开工作年度报告合规审查工具")
    parser.add_argument("--version", action="version", version=f"gxaudit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse one report and print its AST")
    p.add_argument("file")
    p.add_argument("--format", choices=["json", "tree"], default="tree")
    p.set_defaults(func=cmd_parse)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except GxauditError as exc:
        _error(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
