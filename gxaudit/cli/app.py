"""The parser and `main`: every error a user can cause ends as one line and exit 2.

Exit codes (kept; see the README): 0 no finding at or above --fail-on, 1 some
findings, 2 a tool error (a setting, a rule file, an option, an output, the
store, or a file that could not be processed).
"""

from __future__ import annotations

import argparse
import traceback

from gxaudit import __version__
from gxaudit.audit.batch.limits import stop_on_signals
from gxaudit.cli import audit as audit_command
from gxaudit.cli import diff as diff_command
from gxaudit.cli import parse as parse_command
from gxaudit.cli import rules as rules_command
from gxaudit.cli.common import EXIT_ERROR, EXIT_OK, context, stdout_to_devnull
from gxaudit.cli.console import Console, chinese_argparse
from gxaudit.cli.settings import COLORS, ENGINES, OUTPUT_FORMATS, SEVERITIES
from gxaudit.errors import GxauditError
from gxaudit.rules.model import RuleFileError


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，而不是 {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为不小于 1 的整数，而不是 {value}")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，而不是 {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"应为不小于 0 的整数，而不是 {value}")
    return value


def _limits(p: argparse.ArgumentParser) -> None:
    """The limits one file is read under: the same for parse and audit."""
    p.add_argument("--timeout", type=positive_int, help="每个文件的时限，秒（默认 60）")
    p.add_argument(
        "--memory-limit",
        type=non_negative_int,
        metavar="MIB",
        help="每个审查进程可用的内存（地址空间），MiB（默认 2048；0 表示不限）",
    )


def _common() -> argparse.ArgumentParser:
    """Options every command takes: settings file, verbosity, colour."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("通用选项")
    group.add_argument(
        "--config",
        metavar="FILE",
        help="配置文件（默认：从当前文件夹向上查找 gxaudit.toml 或 pyproject.toml 的 [tool.gxaudit]）",
    )
    group.add_argument("--isolated", action="store_true", help="不读任何配置文件")
    group.add_argument("-q", "--quiet", action="store_true", help="只输出错误，不输出警告、说明和进度条")
    group.add_argument(
        "-v", "--verbose", action="store_true", help="说明用了哪个配置文件、多少条规则、排除了哪些文件"
    )
    group.add_argument(
        "--color", choices=COLORS, help="彩色输出：auto（默认，终端上彩色，遵守 NO_COLOR）、always、never"
    )
    return common


def _selection() -> argparse.ArgumentParser:
    sel = argparse.ArgumentParser(add_help=False)
    group = sel.add_argument_group("规则选择（覆盖配置文件，写法同 ruff）")
    group.add_argument(
        "--rules", action="append", metavar="DIR", help="用户规则文件夹（或文件），加在内置规则之外；可重复"
    )
    group.add_argument(
        "--builtin",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="是否使用内置规则（--no-builtin：只用 --rules）",
    )
    for flag, text in (
        ("--select", "只启用这些规则：编号（GX-BAL-003）、前缀（GX-BAL）、类别（balance）或 ALL，逗号分隔"),
        ("--extend-select", "在已选规则之外再启用这些（默认关闭的规则须写出完整编号）"),
        ("--ignore", "停用这些规则（编号、前缀或类别，逗号分隔）"),
    ):
        group.add_argument(flag, action="append", metavar="SELECTORS", help=text)
    return sel


def build_parser() -> argparse.ArgumentParser:
    chinese_argparse()
    common, selection = _common(), _selection()
    parser = argparse.ArgumentParser(
        prog="gxaudit",
        description="政府信息公开工作年度报告合规审查工具。退出码：0 没有达到 --fail-on 级别的问题；1 有；2 工具错误。",
    )
    parser.add_argument(
        "--version", action="version", version=f"gxaudit {__version__}", help="显示版本号并退出"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser(
        "parse",
        parents=[common],
        help="解析一份报告，输出其结构",
        description="解析一份报告，输出其结构（大纲或 JSON）。",
    )
    p.add_argument("file", help="报告文件；- 表示从标准输入读取")
    p.add_argument("--format", choices=["json", "tree"], default="tree", help="输出格式（默认 tree）")
    p.add_argument("--stdin-filename", metavar="NAME", help="从标准输入读取时，结果中使用的文件名")
    _limits(p)
    p.set_defaults(func=parse_command.run)

    a = sub.add_parser(
        "audit",
        parents=[common, selection],
        help="审查报告，输出合规排名和问题清单",
        description="审查报告，输出合规排名和问题清单。命令行选项覆盖配置文件中的同名设置。",
    )
    a.add_argument(
        "paths",
        nargs="*",
        help="报告文件或文件夹；- 表示从标准输入读取一份（默认：配置文件的 paths，否则 reports/）",
    )
    a.add_argument("--format", choices=OUTPUT_FORMATS, help="输出格式（默认 table）")
    a.add_argument(
        "-o", "--output", metavar="FILE", help="写入这个文件（整体写入，不会写一半），而不是标准输出"
    )
    a.add_argument("--fail-on", choices=SEVERITIES, help="有这一级别或更严重的问题时退出码为 1（默认 error）")
    a.add_argument(
        "--exclude",
        action="append",
        metavar="GLOBS",
        help="不审查的文件或文件夹（glob，逗号分隔；取代配置文件的 exclude）",
    )
    a.add_argument(
        "--extend-exclude", action="append", metavar="GLOBS", help="在配置文件的 exclude 之外再排除这些"
    )
    a.add_argument("--engine", choices=ENGINES, help="规则引擎（默认 durable；未安装时自动改用 reference）")
    a.add_argument("--scoring", metavar="FILE", help="评分文件（默认：内置 rules/scoring.yaml）")
    a.add_argument(
        "-j", "--jobs", type=positive_int, help="并行进程数（默认：全部 CPU 核心）；结果与进程数无关"
    )
    a.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="在 Dask 集群上审查：local:N 在本机启动 N 个工作进程，tcp://HOST:8786 连接已有的调度器"
        "（需要 pip install 'gxaudit[dask]'）；结果与 --jobs 相同",
    )
    a.add_argument(
        "--parts",
        metavar="DIR",
        help="与 --dask 一起：工作进程把结果写成 Parquet 分块放在这个文件夹，本机只保留排名和跨年度所需的数据",
    )
    _limits(a)
    a.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="在终端的标准错误上显示进度条（默认显示）",
    )
    a.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="文件夹中不是年度报告的文件也算错误（退出码 2）",
    )
    a.add_argument("--store", metavar="DB", help="SQLite 存储：记录本次运行，跨年度规则从中读取上一年的数据")
    a.add_argument("--waivers", metavar="FILE", help="豁免文件（YAML）：已复核的问题不扣分")
    a.add_argument("--units", metavar="CSV", help="单位文件：文件或机关 → 地区、层级、上级单位")
    a.add_argument("--group-by", metavar="COLUMN", help="按单位文件的这一列分组排名")
    a.add_argument(
        "--csv-headers",
        choices=["zh", "en"],
        help="CSV 表头：zh 中文（带 BOM，Excel 直接打开，默认），en 英文字段名（供脚本读取）",
    )
    a.add_argument("--stdin-filename", metavar="NAME", help="从标准输入读取时，结果中使用的文件名（默认 -）")
    a.set_defaults(func=audit_command.run)

    d = sub.add_parser(
        "diff",
        parents=[common],
        help="比较两次审查：新增、已整改、未变的问题",
        description="比较两次审查：新增、已整改、未变的问题；新一次中没有的报告记为“未审计”。"
        "退出码：0 没有达到 --fail-on 级别的新增问题；1 有；2 工具错误。",
    )
    d.add_argument("old", help="审查结果 JSON 文件，或 --store 中的运行编号")
    d.add_argument("new", help="审查结果 JSON 文件，或 --store 中的运行编号")
    d.add_argument("--store", metavar="DB", help="SQLite 存储（默认：配置文件的 store）")
    d.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    d.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="新一次审查有这一级别或更严重的新增问题时退出码为 1（默认 error）",
    )
    d.set_defaults(func=diff_command.run)

    r = sub.add_parser("rules", help="列出、查看、检查和测试规则", description="列出、查看、检查和测试规则。")
    rsub = r.add_subparsers(dest="rules_command", required=True, metavar="子命令")
    rl = rsub.add_parser("list", parents=[common, selection], help="列出所有规则及是否启用")
    rl.set_defaults(func=rules_command.run_list)
    rs = rsub.add_parser("show", parents=[common, selection], help="说明一条规则及其示例")
    rs.add_argument("id", help="规则编号，如 GX-BAL-003")
    rs.set_defaults(func=rules_command.run_show)
    rv = rsub.add_parser(
        "validate", parents=[common], help="按规则文件的模式检查规则文件（file:line:column）"
    )
    rv.add_argument("paths", nargs="+", help="规则文件或文件夹")
    rv.set_defaults(func=rules_command.run_validate)
    rt = rsub.add_parser("test", parents=[common], help="运行每条规则的示例")
    rt.add_argument("paths", nargs="*", help="规则文件或文件夹（默认：内置规则）")
    rt.add_argument(
        "--builtin",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="是否同时载入内置规则（默认是）",
    )
    rt.add_argument("--engine", choices=ENGINES, help="规则引擎（默认 durable；未安装时自动改用 reference）")
    rt.set_defaults(func=rules_command.run_test)
    rsub.add_parser("schema", parents=[common], help="输出规则文件的 JSON Schema").set_defaults(
        func=rules_command.run_schema
    )
    rsub.add_parser("kinds", parents=[common], help="输出检查类型的说明（Markdown）").set_defaults(
        func=rules_command.run_kinds
    )
    return parser


def _report(exc: GxauditError, console: Console) -> None:
    if exc.where:
        console.located(exc.where, exc.message)
    else:
        console.error(exc.message)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    console = Console()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed by argparse
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    try:
        with stop_on_signals():  # SIGTERM stops a run as Ctrl-C does: workers stopped, nothing half-written
            return args.func(context(args, console))
    except RuleFileError as exc:  # one "file:line:column: message" error per issue
        for issue in exc.issues:
            console.located(f"{issue.path}:{issue.line}:{issue.column}", issue.message)
        return EXIT_ERROR
    except GxauditError as exc:
        _report(exc, console)
        return EXIT_ERROR
    except KeyboardInterrupt as exc:
        console.error(f"已中断（{getattr(exc, 'signal_name', 'SIGINT')}），没有写出结果文件")
        return EXIT_ERROR
    except BrokenPipeError:  # `gxaudit audit … | head`: the reader left; not an error
        stdout_to_devnull()
        return EXIT_OK
    except Exception as exc:  # a bug: one line naming what was being read, never a traceback
        where = f"（处理 {console.current} 时）" if console.current else ""
        console.error(
            f"内部错误{where}：{type(exc).__name__}: {exc}。这是 gxaudit 的缺陷，请报告；加 --verbose 显示调用栈"
        )
        if console.verbose:
            traceback.print_exc()
        return EXIT_ERROR
