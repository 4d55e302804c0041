"""The small expression language of rule checks, parsed with pyparsing.

    applications[new][c] + applications[carried_over][c]
        == applications[results_total][c] + applications[carried_forward][c]
    kind == "number" and integer and value >= 0
    not present or id_matches
    sum(applications[result_rows][c])

Grammar (lowest precedence first):
    expr       := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := sum (("=="|"!="|"<="|">="|"<"|">") sum | "in" list)?
    sum        := term (("+"|"-") term)*
    term       := atom ("*" atom)*
    atom       := number | string | "null" | "true" | "false" | cellref
                | "sum" "(" cellref ")" | name | "(" expr ")"
    cellref    := table "[" key "]" ("[" key "]")*     key := name

Nothing is ever evaluated with eval: the parse gives the dataclasses below,
which are interpreted by `evaluate` (plain Python) or turned into engine
conditions (gxaudit.engine.model) by `to_condition`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyparsing as pp

from gxaudit.engine import model

TABLES = ("proactive", "applications", "review_litigation")
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
NEGATED = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


class ExprError(ValueError):
    """A malformed expression; `column` is 1-based within the expression."""

    def __init__(self, message: str, column: int = 1):
        super().__init__(message)
        self.column = column


# ------------------------------------------------------------------ the tree


@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class CellRef:
    table: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Sum:
    ref: CellRef


@dataclass(frozen=True)
class Arith:
    op: str  # + - *
    left: Any
    right: Any


@dataclass(frozen=True)
class Compare:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class InList:
    left: Any
    items: tuple[Any, ...]


@dataclass(frozen=True)
class BoolOp:
    op: str  # and / or
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    item: Any


# --------------------------------------------------------------- the grammar


def _fold_binary(tokens, cls):
    items = tokens[0]
    node = items[0]
    for i in range(1, len(items), 2):
        node = cls(items[i], node, items[i + 1])
    return node


@dataclass(frozen=True)
class _InTail:  # "in [...]" after a comparison's left side (not a node of the tree)
    items: tuple[Any, ...]


@dataclass(frozen=True)
class _CompareTail:  # "OP right" after a comparison's left side (not a node of the tree)
    op: str
    right: Any


def _comparison(tokens) -> Any:
    """arith, arith in [...], or arith OP arith, from the left side and what follows it."""
    if len(tokens) == 1:
        return tokens[0]
    left, tail = tokens[0], tokens[1]
    if isinstance(tail, _InTail):
        return InList(left, tail.items)
    return Compare(tail.op, left, tail.right)


# digits of a number in a rule: far past int64 (19) and any real threshold, short of
# what int() refuses to convert (4,300) or takes long to
MAX_NUMBER_CHARS = 40


def _number_literal(text: str, loc: int, tokens: pp.ParseResults) -> Const:
    written = tokens[0]
    if len(written) > MAX_NUMBER_CHARS:
        column = pp.col(loc, text)
        raise ExprError(f"第 {column} 列的数有 {len(written)} 位：最多 {MAX_NUMBER_CHARS} 位", column)
    return Const(Decimal(written) if "." in written else int(written))


@functools.lru_cache(maxsize=1)
def _grammar() -> pp.ParserElement:
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
    # the left side read once, then what may follow it (three alternatives that each read it
    # again made the parser read every operand three times, its parentheses nine)
    in_list = (pp.Suppress(pp.Keyword("in")) + pp.Group(items)).set_parse_action(
        lambda t: _InTail(tuple(t[0]))
    )
    compared = (pp.one_of(list(COMPARISONS)) + arith).set_parse_action(lambda t: _CompareTail(t[0], t[1]))
    comparison = (arith + pp.Optional(in_list | compared)).set_parse_action(_comparison)
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


# Parentheses may nest this deep. The parser tries each "(" both as a condition
# and as arithmetic: while a comparison read its left side once for each of its
# three forms its time grew about five-fold per level (0.12 s at 6 levels, 7.6 s at
# 10, 84 s at 12); read once, 6 to 20 levels take under 0.01 s. The limit stays:
# no rule needs more than 3, and a rule that passed it before passes it still.
MAX_NESTING = 6


def _check_nesting(text: str) -> None:
    """ExprError at the first "(" nested deeper than MAX_NESTING (strings skipped)."""
    depth, quote, escaped = 0, "", False
    for index, char in enumerate(text):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
            if depth > MAX_NESTING:
                raise ExprError(f"第 {index + 1} 列的括号嵌套超过 {MAX_NESTING} 层", index + 1)
        elif char == ")":
            depth -= 1


# Trees of expressions parsed in an earlier run (rules/cache.py keeps them with the
# checked rule files): the same text gives the same tree, without pyparsing.
_known: dict[str, Any] = {}
# While a rule file is checked: the trees its expressions gave (`recording`).
_recorded: list[dict[str, Any]] = []


def parse(text: str) -> Any:
    """The tree of an expression; ExprError with the column of the problem."""
    tree = _known.get(text)
    if tree is None:
        tree = _parse(text)
    for trees in _recorded:
        trees[text] = tree
    return tree


def know(trees: dict[str, Any]) -> None:
    """Take the trees of expressions parsed before (texts to trees, as `recording` gave)."""
    _known.update(trees)


@contextlib.contextmanager
def recording() -> Iterator[dict[str, Any]]:
    """The trees of the expressions parsed inside the block, by text."""
    trees: dict[str, Any] = {}
    _recorded.append(trees)
    try:
        yield trees
    finally:
        _recorded.pop()  # blocks nest: the last one opened closes first


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> Any:
    if not isinstance(text, str) or not text.strip():
        raise ExprError("表达式为空")
    _check_nesting(text)
    try:
        return _grammar().parse_string(text, parse_all=True)[0]
    except pp.ParseException as exc:
        near = text[exc.loc : exc.loc + 12]
        what = f"不应出现 {near!r}" if near.strip() else "表达式不完整"
        raise ExprError(f"无法解析表达式，第 {exc.column} 列：{what}", exc.column) from None


# ------------------------------------------------------------ tree utilities


def walk(node: Any):
    yield node
    for child in _children(node):
        yield from walk(child)


def _children(node: Any) -> tuple[Any, ...]:
    if isinstance(node, (Arith, Compare)):
        return (node.left, node.right)
    if isinstance(node, InList):
        return (node.left, *node.items)
    if isinstance(node, BoolOp):
        return node.items
    if isinstance(node, Not):
        return (node.item,)
    if isinstance(node, Sum):
        return (node.ref,)
    return ()


def is_boolean(node: Any) -> bool:
    return isinstance(node, (Compare, InList, BoolOp, Not, Name)) or (
        isinstance(node, Const) and isinstance(node.value, bool)
    )


def substitute(node: Any, replace: Callable[[Any], Any]) -> Any:
    """A copy of the tree with `replace` applied bottom-up (None keeps a node)."""
    if isinstance(node, Arith):
        node = Arith(node.op, substitute(node.left, replace), substitute(node.right, replace))
    elif isinstance(node, Compare):
        node = Compare(node.op, substitute(node.left, replace), substitute(node.right, replace))
    elif isinstance(node, InList):
        node = InList(substitute(node.left, replace), node.items)
    elif isinstance(node, BoolOp):
        node = BoolOp(node.op, tuple(substitute(i, replace) for i in node.items))
    elif isinstance(node, Not):
        node = Not(substitute(node.item, replace))
    out = replace(node)
    return node if out is None else out


# ---------------------------------------------------------- plain evaluation


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def evaluate(node: Any, props: dict[str, Any]) -> Any:
    """Evaluate over named properties; a comparison with a missing value is False."""
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Name):
        return props.get(node.name)
    if isinstance(node, Arith):
        left, right = evaluate(node.left, props), evaluate(node.right, props)
        if (
            not isinstance(left, (int, Decimal))
            or not isinstance(right, (int, Decimal))
            or isinstance(left, bool)
            or isinstance(right, bool)
        ):
            return None
        left, right = _number(left), _number(right)
        return left + right if node.op == "+" else left - right if node.op == "-" else left * right
    if isinstance(node, Compare):
        left, right = evaluate(node.left, props), evaluate(node.right, props)
        if left is None or right is None:
            return False
        try:
            return (
                {"==": left == right, "!=": left != right}.get(node.op)
                if node.op in ("==", "!=")
                else {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[node.op]
            )
        except TypeError:
            return False
    if isinstance(node, InList):
        left = evaluate(node.left, props)
        return left is not None and any(left == evaluate(i, props) for i in node.items)
    if isinstance(node, BoolOp):
        values = [bool(evaluate(i, props)) for i in node.items]
        return all(values) if node.op == "and" else any(values)
    if isinstance(node, Not):
        return not evaluate(node.item, props)
    raise ExprError(f"这里不能求值 {type(node).__name__}")


# ------------------------------------------------- compiling to engine conditions


def _side(node: Any) -> model.Expr:
    """An arithmetic side as an engine expression."""
    if isinstance(node, Const):
        if isinstance(node.value, Decimal):
            return model.Const(float(node.value))
        return model.Const(node.value)
    if isinstance(node, Name):
        return model.Prop(node.name)
    if isinstance(node, Arith):
        return model.Arith(node.op, _side(node.left), _side(node.right))
    raise ExprError(f"{type(node).__name__} 不能在这里参与运算")


def _compare(op: str, left: Any, right: Any) -> model.Compare:
    if not isinstance(left, Name) and isinstance(right, Name):
        op, left, right = model.MIRRORED[op], right, left
    if isinstance(left, Name):
        return model.Compare(op, model.Prop(left.name), _side(right))
    # Two computed sides are compared through their difference: left op right
    # <=> 0 op (right - left). An engine compares a property or a constant with
    # an expression; the difference is also what a tolerance is measured on.
    return model.Compare(op, model.Const(0), _side(Arith("-", right, left)))


def to_condition(node: Any, negate: bool = False) -> model.Condition:
    """The engine condition that holds when `node` holds (or, negated, fails).

    Negation is pushed down to the comparisons (De Morgan), so a comparison
    with a missing property holds neither way round: a missing value never
    produces a finding by itself (a separate rule says a cell is empty).
    """
    if isinstance(node, Not):
        return to_condition(node.item, not negate)
    if isinstance(node, BoolOp):
        op = node.op if not negate else ("or" if node.op == "and" else "and")
        parts = tuple(to_condition(i, negate) for i in node.items)
        return model.AllOf(parts) if op == "and" else model.AnyOf(parts)
    if isinstance(node, Compare):
        return _compare(NEGATED[node.op] if negate else node.op, node.left, node.right)
    if isinstance(node, InList):
        op = "!=" if negate else "=="
        parts = tuple(_compare(op, node.left, item) for item in node.items)
        if len(parts) == 1:
            return parts[0]
        return model.AllOf(parts) if negate else model.AnyOf(parts)
    if isinstance(node, Name):
        return model.Compare("==", model.Prop(node.name), model.Const(not negate))
    if isinstance(node, Const) and isinstance(node.value, bool):
        # a constant truth: every fact, or none
        return model.AllOf(()) if node.value != negate else model.AnyOf(())
    raise ExprError("检查应是一个条件（比较，用 and/or/not 连接的比较，或取 true/false 的属性）")


def names(node: Any) -> set[str]:
    return {n.name for n in walk(node) if isinstance(n, Name)}


def cell_refs(node: Any) -> list[CellRef]:
    return [n for n in walk(node) if isinstance(n, CellRef)]
