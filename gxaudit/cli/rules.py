"""`gxaudit rules list|show|validate|test|schema|kinds`."""

from __future__ import annotations

import dataclasses
import json
import sys

from gxaudit.cli import engines
from gxaudit.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Context, rule_dirs
from gxaudit.cli.options import check_selectors


def _pack(ctx: Context):
    """The rules the settings give, with their selection applied (enabled, severity)."""
    from gxaudit.rules.load import load_rules

    rules, version = load_rules(rule_dirs(ctx.options))
    check_selectors(ctx.options, ctx.args, rules)
    selection = ctx.options.selection
    return selection.apply(rules), selection.version(version)


def run_list(ctx: Context) -> int:
    from tabulate import tabulate

    rules, version = _pack(ctx)
    rows = [
        [r.id, r.category, r.severity, f"{r.weight:g}", "是" if r.enabled else "否", r.title] for r in rules
    ]
    print(tabulate(rows, headers=["编号", "类别", "级别", "权重", "启用", "标题"], disable_numparse=True))
    on = sum(1 for r in rules if r.enabled)
    print(f"\n共 {len(rules)} 条规则，启用 {on} 条，rules_version {version}")
    return EXIT_OK


def run_show(ctx: Context) -> int:
    import yaml

    from gxaudit.rules.kinds import KINDS

    rules, _version = _pack(ctx)
    args = ctx.args
    rule = next((r for r in rules if r.id == args.id), None)
    if rule is None:
        ctx.console.error(f"没有编号为 {args.id} 的规则（用 gxaudit rules list 查看）")
        return EXIT_ERROR
    applies = []
    if rule.formats:
        applies.append("格式 " + "、".join(rule.formats))
    if rule.years != (None, None):
        applies.append(f"年度 {rule.years[0] or ''}–{rule.years[1] or ''}")
    out = [
        f"{rule.id}  {rule.title}",
        f"  类别: {rule.category}   级别: {rule.severity}   权重: {rule.weight:g}"
        f"   启用: {'是' if rule.enabled else '否'}",
        f"  适用: {'；'.join(applies) or '所有格式和年度'}",
        f"  定义于: {rule.source}:{rule.line}",
    ]
    if rule.description:
        out.append(f"  说明: {rule.description}")
    out.append(f"  提示信息: {rule.message}")

    def dump(check: dict) -> list[str]:
        text = yaml.safe_dump(check, allow_unicode=True, sort_keys=False).rstrip()
        return ["    " + line for line in text.splitlines()]

    out.append("  检查:")
    out += dump(rule.written_check or rule.check)
    if rule.written_check:
        out.append("  等同于:")
        out += dump(rule.check)
    kind = KINDS[(rule.written_check or rule.check)["kind"]]
    out.append(f"  检查类型 {kind.name}（one fact per {kind.one_fact_per}）")
    if kind.properties:
        out.append("    可用属性: " + ", ".join(p.name for p in kind.properties))
    offered = sorted(kind.offered_placeholders(rule.check))
    out.append("    可用占位符: " + ", ".join("{" + n + "}" for n in offered))
    for title, examples in (("应触发的示例", rule.trigger_examples), ("不应触发的示例", rule.pass_examples)):
        for example in examples:
            out.append(f"  {title} ({example.name}):")
            out += ["    " + line for line in example.text.rstrip().splitlines()]
    print("\n".join(out))
    return EXIT_OK


def run_validate(ctx: Context) -> int:
    from gxaudit.engine import DEFAULT_ENGINE
    from gxaudit.rules.compile import problems
    from gxaudit.rules.load import load_rules

    rules, _version = load_rules(ctx.args.paths)
    found = problems(rules, DEFAULT_ENGINE)  # what the audit could not run
    for problem in found:
        error = problem.error()
        if error.where:
            ctx.console.located(error.where, error.message)
        else:
            ctx.console.error(error.message)
    if found:
        return EXIT_ERROR
    print(f"规则文件有效：{len(rules)} 条规则")
    return EXIT_OK


def run_schema(_ctx: Context) -> int:
    from gxaudit.rules.schema import rule_file_schema

    sys.stdout.write(json.dumps(rule_file_schema(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def run_kinds(_ctx: Context) -> int:
    from gxaudit.rules.reference import kinds_markdown

    sys.stdout.write(kinds_markdown())
    return EXIT_OK


def run_test(ctx: Context) -> int:
    from gxaudit.audit.auditor import Auditor
    from gxaudit.audit.rule_examples import run_examples
    from gxaudit.audit.scoring import load_scoring
    from gxaudit.rules.load import builtin_rules_dir, load_rules

    args = ctx.args
    engine = engines.choose(args.engine, ctx.console)
    tested, _version = load_rules(args.paths or [builtin_rules_dir()])
    # user rules are tried together with the built-in pack (unless --no-builtin)
    everything = tested
    if args.paths:
        directories = ([] if args.builtin is False else [str(builtin_rules_dir())]) + list(args.paths)
        everything, _version = load_rules(directories)
    # a rule off by default (enabled: false) is still tested by its examples
    everything = [dataclasses.replace(r, enabled=True) for r in everything]
    auditor = Auditor(everything, load_scoring(), engine=engine)
    results = run_examples(tested, auditor)
    failed = [r for r in results if not r.ok]
    for r in failed:
        ctx.console.located(
            f"{r.example.source}:{r.example.line}", f"未通过 {r.rule} {r.example.name}：{r.why}"
        )
        for message in r.messages:
            ctx.console.detail(message)
    print(f"示例通过 {len(results) - len(failed)} 个，未通过 {len(failed)} 个")
    return EXIT_FINDINGS if failed else EXIT_OK
