"""The rule expressions' grammar reads a comparison's left side once (expr._grammar):
the trees and the errors are those of the grammar that tried its three forms one after
the other (kept below as the specification), on every expression of the rules, the
tests' YAML and altered copies of them."""

import glob
import random
from pathlib import Path

import pyparsing as pp
import yaml

from gxaudit.rules import expr as E
from gxaudit.rules.expr import (
    COMPARISONS,
    TABLES,
    Arith,
    BoolOp,
    CellRef,
    Compare,
    Const,
    InList,
    Name,
    Not,
    Sum,
    _fold_binary,
    _number_literal,
)

ROOT = Path(__file__).resolve().parents[1]


def _three_forms_grammar() -> pp.ParserElement:
    """expr._grammar as it was: `arith in [...]`, `arith OP arith`, `arith`, each tried in turn."""
    ident = pp.Regex(r"[A-Za-z_][A-Za-z0-9_]*")
    keywords = {"and", "or", "not", "in", "sum", "true", "false", "null"}
    name = ident.copy().add_condition(lambda t: t[0] not in keywords)
    number = pp.Regex(r"\d+(?:\.\d+)?").set_parse_action(_number_literal)
    string = (pp.QuotedString('"', esc_char="\\") | pp.QuotedString("'", esc_char="\\")).set_parse_action(
        lambda t: Const(t[0])
    )
    literal = (
        pp.Keyword("true").set_parse_action(lambda: Const(True))
        | pp.Keyword("false").set_parse_action(lambda: Const(False))
        | pp.Keyword("null").set_parse_action(lambda: Const(None))
    )
    key = pp.Suppress("[") + (ident | pp.Literal("*")) + pp.Suppress("]")
    table = pp.Regex("|".join(TABLES) + r"(?![A-Za-z0-9_])")
    cellref = (table + pp.OneOrMore(key)).set_parse_action(lambda t: CellRef(t[0], tuple(t[1:])))
    expr = pp.Forward()
    total = (pp.Suppress(pp.Keyword("sum") + "(") + cellref + pp.Suppress(")")).set_parse_action(
        lambda t: Sum(t[0])
    )
    atom = (
        number
        | string
        | literal
        | total
        | cellref
        | name.copy().add_parse_action(lambda t: Name(t[0]))
        | pp.Suppress("(") + expr + pp.Suppress(")")
    )
    arith = pp.infix_notation(
        atom,
        [
            (pp.Literal("*"), 2, pp.OpAssoc.LEFT, lambda t: _fold_binary(t, Arith)),
            (pp.one_of("+ -"), 2, pp.OpAssoc.LEFT, lambda t: _fold_binary(t, Arith)),
        ],
    )
    items = pp.Suppress("[") + pp.DelimitedList(number | string | literal) + pp.Suppress("]")
    comparison = (
        (arith + pp.Suppress(pp.Keyword("in")) + pp.Group(items)).set_parse_action(
            lambda t: InList(t[0], tuple(t[1]))
        )
        | (arith + pp.one_of(list(COMPARISONS)) + arith).set_parse_action(lambda t: Compare(t[1], t[0], t[2]))
        | arith
    )
    boolean = pp.infix_notation(
        comparison,
        [
            (pp.Keyword("not"), 1, pp.OpAssoc.RIGHT, lambda t: Not(t[0][1])),
            (pp.Keyword("and"), 2, pp.OpAssoc.LEFT, lambda t: BoolOp("and", tuple(t[0][0::2]))),
            (pp.Keyword("or"), 2, pp.OpAssoc.LEFT, lambda t: BoolOp("or", tuple(t[0][0::2]))),
        ],
    )
    expr <<= boolean
    return expr


def _texts() -> list[str]:
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("assert", "when", "where") and isinstance(value, str):
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(
        glob.glob(str(ROOT / "rules" / "*.yaml"))
        + glob.glob(str(ROOT / "tests" / "**" / "*.yaml"), recursive=True)
    ):
        try:
            walk(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
        except yaml.YAMLError:
            continue
    return sorted(found)


_TOKENS = [
    "(",
    ")",
    "[",
    "]",
    "+",
    "-",
    "*",
    " and ",
    " or ",
    "not ",
    " in ",
    "==",
    "!=",
    ">=",
    "<=",
    ">",
    "<",
    "1",
    "0",
    "2.5",
    "'x'",
    '"y"',
    "true",
    "null",
    "sum(",
    "applications[*][*]",
    "value",
    ",",
    " ",
    "9" * 45,
]


def _outcome(grammar, text: str):
    try:
        return "tree", grammar.parse_string(text, parse_all=True)[0]
    except pp.ParseException as exc:
        return "error", exc.loc, exc.column
    except E.ExprError as exc:
        return "expr error", str(exc), exc.column


def test_comparisons_read_once_give_the_trees_and_errors_of_the_three_forms():
    texts = _texts()
    assert len(texts) > 40  # the rules' own expressions are there
    rnd = random.Random(26)
    cases = list(texts)
    for text in texts:
        for _ in range(25):
            chars = list(text)
            at = rnd.randrange(len(chars) + 1)
            roll = rnd.random()
            if roll < 0.3 and chars:
                del chars[min(at, len(chars) - 1)]
            elif roll < 0.7:
                chars.insert(at, rnd.choice(_TOKENS))
            else:
                chars = chars[:at]
            cases.append("".join(chars))
    cases += ["".join(rnd.choice(_TOKENS) for _ in range(rnd.randrange(1, 9))) for _ in range(1500)]
    old, new = _three_forms_grammar(), E._grammar()
    trees = 0
    for text in cases:
        if text.count("(") > E.MAX_NESTING:
            continue  # (the old grammar's time grows five-fold a level)
        expected = _outcome(old, text)
        assert _outcome(new, text) == expected, text
        trees += expected[0] == "tree"
    assert trees > 500
