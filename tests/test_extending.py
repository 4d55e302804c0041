"""CONTRIBUTING.md's worked examples: a new check kind and a new output format are
each one new module plus one line of registration (a new format year:
tests/test_formats.py)."""

from __future__ import annotations

import importlib
import sys
import textwrap

from conftest import SEEDS

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.ranking import rank
from gxaudit.audit.scoring import load_scoring
from gxaudit.parse.document import parse_file
from gxaudit.report import outputs
from gxaudit.report.run import Run
from gxaudit.rules import kinds
from gxaudit.rules.load import builtin_rules_dir, load_rule_file, load_rules
from gxaudit.rules.reference import kinds_markdown
from gxaudit.rules.schema import rule_file_schema

# The worked example of CONTRIBUTING.md, "Adding a check kind": one fact per
# part with the number of characters of its text.
KIND_MODULE = '''
"""Kind `part_length`: one fact per part, with the length of its text."""

from __future__ import annotations

from typing import Any

from gxaudit.rules.kinds.base import Env, Fact, _fact, _location
from gxaudit.rules.kinds.kind import Kind, Prop


def draw(env: Env, params: dict[str, Any]) -> list[Fact]:
    return [
        _fact({"part": s.id or "", "chars": len(s.text)}, **_location(s.line, s.id), heading=s.heading)
        for s in env.report.sections
    ]


KIND = Kind(
    name="part_length",
    one_fact_per="part of the report",
    doc="How long each part's text is.",
    params=(),
    properties=(Prop("part", "string", "the part's id"), Prop("chars", "number", "characters of text")),
    placeholders=("heading",),
    draw=draw,
    example="""
- id: USR-LEN-001
  title: 部分内容过短
  category: content
  severity: info
  weight: 0
  check:
    kind: part_length
    assert: part != "overview" or chars >= 200
  message: “{heading}”只有 {chars} 个字。
""",
)
'''


def test_a_new_check_kind_is_one_module_and_one_line(tmp_path, monkeypatch):
    (tmp_path / "part_length.py").write_text(KIND_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("part_length")
    monkeypatch.setitem(kinds.KINDS, "part_length", module.KIND)  # the one line in kinds/__init__.py
    rule_file_schema.cache_clear()
    try:
        path = tmp_path / "len.yaml"
        path.write_text("rules:\n" + textwrap.indent(textwrap.dedent(module.KIND.example).strip(), "  ") + "\n",
                        encoding="utf-8")
        (rule,) = load_rule_file(path)
        assert "part_length" in str(rule_file_schema()) and "## `part_length`" in kinds_markdown()
        builtin, _ = load_rules([builtin_rules_dir()])
        auditor = Auditor(builtin + [rule], load_scoring(), engine="reference")
        result = auditor.audit_report(parse_file(SEEDS / "000_f29079d135fdfab1.txt"))
        own = [f for f in result.findings if f.rule == "USR-LEN-001"]
        assert [f.location["section"] for f in own] == ["overview"] or own == []
        overview = parse_file(SEEDS / "000_f29079d135fdfab1.txt").section("overview")
        assert bool(own) == (len(overview.text) < 200)
    finally:
        rule_file_schema.cache_clear()
        sys.modules.pop("part_length", None)


OUTPUT_MODULE = '''
"""An output of one line per report: organ and score, tab separated."""

from gxaudit.report.run import Run


def render(run: Run) -> str:
    return "".join(f"{r.organ}\\t{r.score}\\n" for r in run.results)
'''


def test_a_new_output_format_is_one_module_and_one_line(tmp_path, monkeypatch):
    (tmp_path / "scores_tsv.py").write_text(OUTPUT_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(outputs.OUTPUTS, "tsv", "scores_tsv")  # the one line in report/outputs.py
    try:
        builtin, version = load_rules([builtin_rules_dir()])
        auditor = Auditor(builtin, load_scoring(), engine="reference")
        results = rank([auditor.audit_file(p) for p in sorted(SEEDS.glob("*.txt"))])
        text = outputs.render("tsv", Run(results, version, builtin))
        assert len(text.splitlines()) == 5 and "半坡镇人民政府\t100.0" in text
    finally:
        sys.modules.pop("scores_tsv", None)


def test_contributing_rule_example_is_a_complete_valid_rule(tmp_path):
    from conftest import REPO

    from gxaudit.audit.rule_examples import run_examples

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split("## Adding a rule", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "rule.yaml"
    path.write_text("rules:\n" + textwrap.indent(block, "  "), encoding="utf-8")
    rules = load_rule_file(path)
    builtin, _ = load_rules([builtin_rules_dir()])
    results = run_examples(rules, Auditor(builtin + rules, load_scoring(), engine="reference"))
    assert len(results) == 2 and all(r.ok for r in results), [r.why for r in results]
