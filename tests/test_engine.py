"""The evaluation layer: the condition model, both engines, and their agreement.

Expectations are written by hand from the semantics in gxaudit/engine/model.py;
durable-rules' own traps and limits are tested in test_durable.py.
"""

from __future__ import annotations

import random

import pytest

from gxaudit.engine import (
    ENGINE_NAMES,
    MAX_FACT_PROPERTIES,
    MAX_FACTS_PER_REPORT,
    CompiledRule,
    EngineError,
    Match,
    check_facts,
    check_rules,
    make_engine,
)
from gxaudit.engine import model as M
from gxaudit.engine.model import AllOf, AnyOf, Arith, Compare, Const, Prop, prop
from gxaudit.errors import GxauditError

ENGINES = ("reference", "durable")


def run(name: str, rules: list[CompiledRule], facts: list[dict], key: str = "r") -> set:
    return {(m.rule_id, m.fact_id) for m in make_engine(name, rules).evaluate(key, facts)}


def test_engine_names():
    assert set(ENGINE_NAMES) == set(ENGINES)


# ---------------------------------------------------------------------------
# every construct of the model, with hand-written expectations
# ---------------------------------------------------------------------------

RULES = {
    "eq_int": M.eq("a", 1),
    "eq_str": M.eq("s", "中文"),
    "eq_bool": M.eq("flag", True),
    "eq_float": M.eq("x", 2.5),
    "neq": M.ne("a", 1),
    "lt": M.lt("a", 10),
    "lte": M.le("a", 10),
    "gt": M.gt("a", 10),
    "gte": M.ge("a", 10),
    "lt_str": M.lt("s", "b"),
    "ref_eq": M.eq("a", prop("b")),
    "ref_neq": M.ne("a", prop("b")),
    "ref_lt": M.lt("a", prop("b")),
    "sum": M.ne("total", M.add(prop("x"), prop("y"))),
    "sub": M.gt("a", M.sub(prop("b"), 1)),
    "mul": M.le("a", M.mul(prop("b"), 1.5)),
    "nested": M.eq("total", M.add(M.add(prop("x"), prop("y")), prop("z"))),
    "const_arith": M.lt("zero", M.sub(2, 1)),
    "ex": M.present("a"),
    "nex": M.missing("a"),
    "and": M.all_of(M.eq("a", 1), M.eq("b", 2)),
    "or": M.any_of(M.eq("a", 1), M.eq("b", 2)),
    "tolerance": M.any_of(
        M.lt("v", M.sub(prop("w"), 0.5)),
        M.gt("v", M.add(prop("w"), 0.5)),
    ),
    "chinese": M.ge("数量", prop("合计")),
    "tiny": M.ge("p", 1e-05),
    # a constant on the left
    "const_left": M.lt(Const(1), prop("a")),  # 1 < a
    "const_str_left": M.eq(Const("x"), prop("s")),
    "difference": M.eq(Const(0), M.sub(prop("y"), M.add(prop("x"), 1))),  # 0 == y - (x + 1)
    "half": M.lt(Const(0.5), M.sub(prop("y"), prop("x"))),  # 0.5 < y - x
    "str_vs_arith": M.eq(Const("1"), M.add(prop("x"), 0)),  # never: a string is no number
    "const_true": M.lt(Const(1), Const(2)),
    "const_false": M.eq(Const("a"), Const(1)),
    "const_arith_true": M.eq(Const(3), M.add(1, 2)),
    # empty AllOf holds, empty AnyOf does not
    "always": AllOf(()),
    "never": AnyOf(()),
    "and_never": AllOf((AnyOf(()), M.present("a"))),
    "or_always": AnyOf((AllOf(()), M.eq("a", 99))),
}

CASES = [
    ("eq_int", {"a": 1}, True),
    ("eq_int", {"a": 1.0}, True),
    ("eq_int", {"a": "1"}, False),  # raw durable: true
    ("eq_int", {"a": True}, False),  # raw durable: true
    ("eq_int", {"a": 2}, False),
    ("eq_int", {}, False),
    ("eq_int", {"a": None}, False),
    ("eq_str", {"s": "中文"}, True),
    ("eq_str", {"s": "中"}, False),
    ("eq_str", {"s": 1}, False),
    ("eq_bool", {"flag": True}, True),
    ("eq_bool", {"flag": 1}, False),
    ("eq_bool", {"flag": False}, False),
    ("eq_bool", {"flag": "true"}, False),  # raw durable: true
    ("eq_float", {"x": 2.5}, True),
    ("eq_float", {"x": 2}, False),
    ("eq_float", {"x": "2.5"}, False),
    ("neq", {"a": 2}, True),
    ("neq", {"a": 1}, False),
    ("neq", {}, False),
    ("neq", {"a": None}, False),
    ("neq", {"a": "2"}, False),  # different kind: no comparison at all
    ("lt", {"a": 9}, True),
    ("lt", {"a": 10}, False),
    ("lt", {"a": 9.99}, True),
    ("lt", {"a": "1"}, False),  # raw durable: true
    ("lt", {"a": True}, False),  # raw durable: true
    ("lte", {"a": 10}, True),
    ("lte", {"a": 10.0}, True),
    ("lte", {"a": 11}, False),
    ("gt", {"a": 11}, True),
    ("gt", {"a": 10}, False),
    ("gte", {"a": 10}, True),
    ("gte", {"a": 9}, False),
    ("lt_str", {"s": "a"}, True),
    ("lt_str", {"s": "b"}, False),
    ("lt_str", {"s": ""}, True),
    ("lt_str", {"s": 1}, False),  # raw durable: true
    ("ref_eq", {"a": 1, "b": 1}, True),
    ("ref_eq", {"a": 1, "b": 1.0}, True),
    ("ref_eq", {"a": "x", "b": "x"}, True),
    ("ref_eq", {"a": True, "b": True}, True),
    ("ref_eq", {"a": 1, "b": "1"}, False),
    ("ref_eq", {"a": 1, "b": True}, False),
    ("ref_eq", {"a": 1}, False),
    ("ref_eq", {"b": 1}, False),
    ("ref_eq", {"a": None, "b": None}, False),  # raw durable: true (null == null)
    ("ref_neq", {"a": 1, "b": 2}, True),
    ("ref_neq", {"a": 1, "b": 1}, False),
    ("ref_neq", {"a": 1}, False),  # raw durable: true (b is null)
    ("ref_neq", {"a": 1, "b": None}, False),
    ("ref_neq", {"a": 1, "b": "2"}, False),
    ("ref_neq", {"a": True, "b": False}, True),
    ("ref_lt", {"a": 1, "b": 2}, True),
    ("ref_lt", {"a": 2, "b": 1}, False),
    ("ref_lt", {"a": "a", "b": "b"}, True),
    ("ref_lt", {"a": False, "b": True}, False),
    ("ref_lt", {"a": 1, "b": "2"}, False),
    ("ref_lt", {"a": 1}, False),
    ("sum", {"total": 3, "x": 1, "y": 2}, False),
    ("sum", {"total": 4, "x": 1, "y": 2}, True),
    ("sum", {"total": 4, "x": 1}, False),
    ("sum", {"total": 4, "x": 1, "y": "2"}, False),
    ("sum", {"total": 3.5, "x": 1, "y": 2.5}, False),
    ("sum", {"total": "3", "x": 1, "y": 2}, False),
    ("sub", {"a": 5, "b": 5}, True),
    ("sub", {"a": 4, "b": 5}, False),
    ("mul", {"a": 3, "b": 2}, True),
    ("mul", {"a": 3.5, "b": 2}, False),
    ("nested", {"total": 6, "x": 1, "y": 2, "z": 3}, True),
    ("nested", {"total": 6, "x": 1, "y": 2}, False),
    ("const_arith", {"zero": 0}, True),
    ("const_arith", {"zero": 1}, False),
    ("ex", {"a": 1}, True),
    ("ex", {"a": None}, False),
    ("ex", {}, False),
    ("ex", {"a": False}, True),
    ("ex", {"a": ""}, True),
    ("nex", {}, True),
    ("nex", {"a": None}, True),
    ("nex", {"a": 0}, False),
    ("and", {"a": 1, "b": 2}, True),
    ("and", {"a": 1, "b": 3}, False),
    ("or", {"a": 1}, True),
    ("or", {"b": 2}, True),
    ("or", {"a": 2, "b": 3}, False),
    ("or", {"a": 1, "b": 2}, True),
    ("tolerance", {"v": 10, "w": 10.4}, False),
    ("tolerance", {"v": 10, "w": 10.6}, True),
    ("tolerance", {"v": 10, "w": 9.4}, True),
    ("tolerance", {"v": 10}, False),
    ("chinese", {"数量": 5, "合计": 5}, True),
    ("chinese", {"数量": 4, "合计": 5}, False),
    ("tiny", {"p": 1e-05}, True),
    ("tiny", {"p": 9.999e-06}, False),
    ("tiny", {"p": 1e20}, True),
    ("const_left", {"a": 2}, True),
    ("const_left", {"a": 1}, False),
    ("const_left", {"a": "2"}, False),
    ("const_left", {}, False),
    ("const_str_left", {"s": "x"}, True),
    ("const_str_left", {"s": "y"}, False),
    ("difference", {"x": 1, "y": 2}, True),
    ("difference", {"x": 1, "y": 2.0}, True),
    ("difference", {"x": 1, "y": 3}, False),
    ("difference", {"x": 1}, False),
    ("difference", {"x": "1", "y": 2}, False),
    ("half", {"x": 1, "y": 1.6}, True),
    ("half", {"x": 1, "y": 1.5}, False),
    ("half", {"x": 1, "y": 2}, True),
    ("str_vs_arith", {"x": 1}, False),
    ("str_vs_arith", {"x": "1"}, False),
    ("const_true", {}, True),
    ("const_true", {"a": 1}, True),
    ("const_false", {}, False),
    ("const_arith_true", {}, True),
    ("always", {}, True),
    ("always", {"a": None}, True),
    ("never", {"a": 1}, False),
    ("and_never", {"a": 1}, False),
    ("or_always", {"a": 1}, True),
    ("unknown_rule", {"a": 1}, False),
]


def _construct_inputs():
    rules = [CompiledRule(rid, cond) for rid, cond in RULES.items()]
    facts, expected = [], set()
    for i, (rid, props, want) in enumerate(CASES):
        fid = f"{rid}#{i}"
        facts.append({"rule": rid, "id": fid, **props})
        if want:
            expected.add((rid, fid))
    return rules, facts, expected


def test_every_construct_has_cases():
    assert set(RULES) <= {rid for rid, _, _ in CASES}
    assert all(M.condition_problem(c) is None for c in RULES.values())


@pytest.mark.parametrize("engine", ENGINES)
def test_every_construct(engine):
    rules, facts, expected = _construct_inputs()
    got = make_engine(engine, rules).evaluate("constructs", facts)
    assert {(m.rule_id, m.fact_id) for m in got} == expected
    assert got == sorted(got)
    assert all(isinstance(m, Match) for m in got)


@pytest.mark.parametrize("engine", ENGINES)
def test_matches_sorted_and_deduplicated(engine):
    # every branch of the AnyOf holds: one match, not three
    rules = [
        CompiledRule("b", M.any_of(M.eq("a", 1), M.gt("a", 0), M.present("a"))),
        CompiledRule("a", M.present("a")),
    ]
    facts = [{"rule": r, "id": i + r, "a": 1} for r in ("b", "a") for i in ("z", "y")]
    got = make_engine(engine, rules).evaluate("k", facts)
    assert got == [Match("a", "ya"), Match("a", "za"), Match("b", "yb"), Match("b", "zb")]


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_report_and_unknown_rules(engine):
    e = make_engine(engine, [CompiledRule("r", M.eq("a", 1))])
    assert e.evaluate("empty", []) == []
    assert e.evaluate("other", [{"rule": "x", "id": "1", "a": 1}]) == []
    assert e.name == engine


@pytest.mark.parametrize("engine", ENGINES)
def test_rules_sharing_a_route_each_match_their_own_facts(engine):
    """Several rules read one stream of facts (a route); each is gated by its condition."""
    rules = [
        CompiledRule("A", M.all_of(M.eq("onA", True), M.lt("v", 0)), route="cells"),
        CompiledRule("B", M.all_of(M.eq("onB", True), M.eq("kind", "text")), route="cells"),
        CompiledRule("C", M.gt("v", 5)),
    ]
    facts = [
        {"rule": "cells", "id": "1", "onA": True, "onB": True, "v": -1, "kind": "text"},
        {"rule": "cells", "id": "2", "onB": True, "v": -1, "kind": "number"},
        {"rule": "cells", "id": "3", "onA": True, "v": 7},
        {"rule": "C", "id": "4", "v": 7},
    ]
    matches = [(m.rule_id, m.fact_id) for m in make_engine(engine, rules).evaluate("r", facts)]
    assert matches == [("A", "1"), ("B", "1"), ("C", "4")]


# ---------------------------------------------------------------------------
# numbers and strings at the edges
# ---------------------------------------------------------------------------

EDGE_RULES = {
    "eq_ref": M.eq("a", prop("b")),
    "lt_ref": M.lt("a", prop("b")),
    "gt_ref": M.gt("a", prop("b")),
    "add1": M.eq("a", M.add(prop("b"), 1)),
    "sq": M.eq("a", M.mul(prop("b"), prop("b"))),
    "big": M.eq("a", 9007199254740993),
    "small": M.lt("a", 1e-300),
    "mixed": M.eq("a", M.add(prop("b"), 0.1)),
    "diff_lt": M.lt(Const(0), M.sub(prop("b"), prop("a"))),  # 0 < b - a, wraps like all int64
}

EDGE_FACTS = [
    {"a": 2**53 + 1, "b": float(2**53)},  # int vs float: compared as doubles -> equal
    {"a": 2**53 + 1, "b": 2**53},  # int vs int: exact
    {"a": -(2**63), "b": 2**63 - 1},  # int64 wraparound in b + 1
    {"a": 0, "b": 2**32},  # 2**32 * 2**32 wraps to 0
    {"a": 9007199254740993.0, "b": 0},
    {"a": 5e-324, "b": 1e-300},
    {"a": 1e20, "b": 1e20},
    {"a": 1.5e300, "b": 1e-05},
    {"a": 0.30000000000000004, "b": 0.2},
    {"a": 0.3, "b": 0.2},
    {"a": -0.0, "b": 0.0},
    {"a": 'a"', "b": "a#"},  # escaped-text order: '\\"' > '#'
    {"a": "a\\", "b": "a#"},
    {"a": "a\n", "b": "a "},
    {"a": "a\x00", "b": "a"},
    {"a": "z", "b": "中"},
    {"a": "中", "b": "𠀀"},
    {"a": "", "b": "a"},
    {"a": "ab", "b": "a"},
]


def _edge_inputs():
    rules = [CompiledRule(r, c) for r, c in EDGE_RULES.items()]
    facts = [
        {"rule": r, "id": f"{r}{i}", **props} for r in EDGE_RULES for i, props in enumerate(EDGE_FACTS)
    ]
    return rules, facts


@pytest.mark.parametrize("engine", ENGINES)
def test_edges_agree_with_semantics(engine):
    got = run(engine, *_edge_inputs())
    # a few facts spelled out
    assert ("eq_ref", "eq_ref0") in got  # 2**53+1 == float(2**53) as doubles
    assert ("eq_ref", "eq_ref1") not in got
    assert ("add1", "add12") in got  # wraparound
    assert ("sq", "sq3") in got
    assert ("big", "big1") in got and ("big", "big4") in got
    assert ("small", "small5") in got
    assert ("gt_ref", "gt_ref11") in got  # 'a"' > 'a#' in escaped text
    assert ("lt_ref", "lt_ref15") in got  # "z" < "中"
    assert ("lt_ref", "lt_ref16") in got  # "中" < "𠀀"
    assert ("mixed", "mixed8") in got and ("mixed", "mixed9") not in got
    assert ("diff_lt", "diff_lt1") not in got  # b - a = -1
    assert ("diff_lt", "diff_lt2") not in got  # (2**63 - 1) - (-(2**63)) wraps to -1


def test_edges_both_engines_identical():
    rules, facts = _edge_inputs()
    assert run("reference", rules, facts) == run("durable", rules, facts)


# ---------------------------------------------------------------------------
# the model's validation and builders
# ---------------------------------------------------------------------------

_DEEP_ALL = M.eq("a", 1)
for _ in range(M.MAX_DEPTH + 1):
    _DEEP_ALL = AllOf((_DEEP_ALL,))
_DEEP_ARITH = Prop("b")
for _ in range(M.MAX_DEPTH + 1):
    _DEEP_ARITH = Arith("+", _DEEP_ARITH, Const(1))

INVALID = [
    Compare("=", Prop("a"), Const(1)),
    Compare("$eq", Prop("a"), Const(1)),
    Compare("==", Arith("+", Prop("a"), Const(1)), Const(2)),  # left must be a property or constant
    Compare("<", Prop("a"), Const(True)),
    Compare(">=", Const(False), Prop("a")),
    Compare("==", Prop("a"), Const(2**63)),
    Compare("==", Prop("a"), Const(-(2**63) - 1)),
    Compare("==", Prop("a"), Const(float("nan"))),
    Compare("==", Prop("a"), Const(float("inf"))),
    Compare("==", Prop("a"), Const([1, 2])),
    Compare("==", Prop("a"), Const(None)),
    Compare("==", Prop("a"), Const("\ud800")),
    Compare("==", Prop("a"), {"b": 1}),
    Compare("==", Prop("a.b"), Const(1)),
    Compare("==", Prop("a#n"), Const(1)),
    Compare("==", Prop(""), Const(1)),
    Compare("==", Prop("x" * 129), Const(1)),
    Compare("==", Prop("a"), Prop("x.y")),
    Compare("==", Prop("a"), Arith("/", Prop("b"), Const(2))),
    Compare("==", Prop("a"), Arith("+", Const("1"), Prop("b"))),
    Compare("==", Prop("a"), Arith("+", Const(True), Prop("b"))),
    Compare("==", Prop("a"), Arith("*", Const(1e200), Const(1e200))),  # folds to inf
    Compare("==", Prop("a"), _DEEP_ARITH),
    M.present("a b"),
    M.missing(""),
    AllOf([M.eq("a", 1)]),  # a list, not a tuple
    AnyOf((M.eq("a", 1), "b == 1")),
    _DEEP_ALL,
    "a == 1",
    None,
    {"a": 1},
]

VALID = [
    M.eq("a", 1),
    M.eq("a", prop("b")),
    M.ne("a", False),
    M.eq("数量", M.sub(prop("合计"), 1)),
    M.eq("zero", M.sub(2, 1)),  # constant arithmetic
    M.eq("a", -(2**63)),
    M.eq("a", 1e-300),
    M.eq(Const(1), Const("a")),
    AllOf(()),
    AnyOf(()),
    M.any_of(*[M.eq("a", i) for i in range(200)]),  # the model has no alternatives limit
]


@pytest.mark.parametrize("cond", INVALID, ids=[repr(c)[:50] for c in INVALID])
def test_model_rejects(cond):
    assert M.condition_problem(cond)
    for engine in ENGINES:
        problems = check_rules([CompiledRule("bad", cond)], engine)
        assert [p.rule_id for p in problems] == ["bad"]
        with pytest.raises(ValueError, match="bad"):
            make_engine(engine, [CompiledRule("bad", cond)])


@pytest.mark.parametrize("cond", VALID, ids=[repr(c)[:50] for c in VALID])
def test_model_accepts(cond):
    assert M.condition_problem(cond) is None


def test_alternatives_are_counted_without_expanding():
    assert M.alternatives(M.eq("a", 1)) == 1
    assert M.alternatives(AnyOf(())) == 0 and M.alternatives(AllOf(())) == 1
    two = M.any_of(M.eq("a", 1), M.eq("a", 2))
    assert M.alternatives(AllOf((two,) * 6)) == 64
    assert M.alternatives(AllOf((two,) * 40)) == 10**9  # capped, never built


def test_builders():
    assert M.eq("a", 1) == Compare("==", Prop("a"), Const(1))
    assert M.eq("a", prop("b")) == Compare("==", Prop("a"), Prop("b"))
    assert M.compare("a", ">=", prop("b")) == Compare(">=", Prop("a"), Prop("b"))
    assert M.lt(Const(0), M.sub(prop("x"), 1)) == Compare("<", Const(0), Arith("-", Prop("x"), Const(1)))
    assert M.add(1, 2) == Arith("+", Const(1), Const(2))  # not folded: the engines decide
    assert M.all_of(M.eq("a", 1)) == M.eq("a", 1)
    assert M.all_of(M.eq("a", 1), M.all_of(M.eq("b", 2), M.eq("c", 3))) == AllOf(
        (M.eq("a", 1), M.eq("b", 2), M.eq("c", 3))
    )
    assert M.any_of(M.eq("a", 1), M.eq("b", 2)) == AnyOf((M.eq("a", 1), M.eq("b", 2)))
    assert M.present("a") == M.Present("a") and M.missing("a") == M.Missing("a")
    with pytest.raises(ValueError):
        M.compare("a", "~", 1)
    with pytest.raises(ValueError):
        M.eq(M.add(prop("a"), 1), 2)
    assert M.condition_problem(M.lt("a", True))


def test_make_engine_rejects_bad_rules():
    for engine in ENGINES:
        for rules in (
            [CompiledRule("r", M.eq("a", 1)), CompiledRule("r", M.eq("b", 1))],
            [CompiledRule("$document", M.eq("a", 1))],
            [CompiledRule("", M.eq("a", 1))],
            [CompiledRule("r", M.eq("a", 1), route="$document")],
            ["not a rule"],
        ):
            assert check_rules(rules, engine)
            with pytest.raises(ValueError):
                make_engine(engine, rules)
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine("clips", [])
    with pytest.raises(ValueError, match="unknown engine"):
        check_rules([], "clips")


# ---------------------------------------------------------------------------
# invalid facts: the same EngineError from both engines
# ---------------------------------------------------------------------------

BAD_FACTS = [
    [{"id": "1"}],  # no rule
    [{"rule": "r"}],  # no id
    [{"rule": "r", "id": ""}],
    [{"rule": "r", "id": 1}],
    [{"rule": 1, "id": "1"}],
    [{"rule": "r", "id": "1", "a": [1]}],
    [{"rule": "r", "id": "1", "a": {"x": 1}}],
    [{"rule": "r", "id": "1", "a": float("nan")}],
    [{"rule": "r", "id": "1", "a": float("-inf")}],
    [{"rule": "r", "id": "1", "a": 2**63}],
    [{"rule": "r", "id": "1", "a": "\udc80"}],
    [{"rule": "r", "id": "1", "a.b": 1}],
    [{"rule": "r", "id": "1", "a#n": 1}],
    [{"rule": "r", "id": "1", "sid ": 1}],
    [{"rule": "r", "id": "1", **{f"p{i}": i for i in range(MAX_FACT_PROPERTIES)}}],
    [{"rule": "r", "id": "1"}, {"rule": "r", "id": "1"}],  # duplicate id
    "not a list",
    [["not", "a", "dict"]],
]


@pytest.mark.parametrize("facts", BAD_FACTS, ids=[repr(f)[:40] for f in BAD_FACTS])
@pytest.mark.parametrize("engine", ENGINES)
def test_invalid_facts_raise_engine_error(engine, facts):
    e = make_engine(engine, [CompiledRule("r", M.present("a"))])
    with pytest.raises(EngineError) as caught:
        e.evaluate("bad", facts)
    assert isinstance(caught.value, GxauditError)
    # the engine stays usable
    assert e.evaluate("good", [{"rule": "r", "id": "1", "a": 1}]) == [Match("r", "1")]


def test_fact_limits():
    check_facts([{"rule": "r", "id": "1", **{f"p{i}": i for i in range(MAX_FACT_PROPERTIES - 2)}}])
    with pytest.raises(EngineError):
        check_facts([{"rule": "r", "id": str(i)} for i in range(MAX_FACTS_PER_REPORT + 1)])


@pytest.mark.parametrize("engine", ENGINES)
def test_duplicate_fact_id_is_an_error_and_next_report_works(engine):
    e = make_engine(engine, [CompiledRule("r", M.gt("a", 0))])
    dup = [{"rule": "r", "id": "same", "a": 1}, {"rule": "r", "id": "same", "a": 2}]
    with pytest.raises(EngineError, match="duplicate"):
        e.evaluate("dup", dup)
    ok = [{"rule": "r", "id": "one", "a": 1}, {"rule": "r", "id": "two", "a": 0}]
    assert e.evaluate("next", ok) == [Match("r", "one")]


# ---------------------------------------------------------------------------
# durable == reference on random conditions and facts
# ---------------------------------------------------------------------------

PROPS = ["a", "b", "c", "d", "数"]
NUMS = [0, 1, -1, 2, 3, -3, 2**53, 2**53 + 1, 2**62, -(2**63), 2**63 - 1, 0.0, -0.0, 0.5, 1.0,
        2.0, 2.5, -2.5, 1e-05, 1e20, 1.5e300, float(2**53), 3.0000000000000004, 0.1, 0.2,
        0.30000000000000004, 5e-324]
STRS = ["", "a", "b", "ab", "1", "0", "中", "中文", 'a"', "a\\", "a\n", "a\x00", "true", "z",
        "𠀀", "a#", "A"]
BOOLS = [True, False]


def _rconst(rnd, allow_bool=True):
    pools = [NUMS, STRS] + ([BOOLS] if allow_bool else [])
    return rnd.choice(rnd.choice(pools))


def _rexpr(rnd, depth):
    if depth <= 0 or rnd.random() < 0.4:
        return Prop(rnd.choice(PROPS)) if rnd.random() < 0.7 else Const(rnd.choice(NUMS))
    op = rnd.choice(M.ARITHMETIC)
    return Arith(op, _rexpr(rnd, depth - 1), _rexpr(rnd, depth - 1))


def _rleaf(rnd):
    p = rnd.choice(PROPS)
    r = rnd.random()
    if r < 0.08:
        return M.present(p)
    if r < 0.16:
        return M.missing(p)
    if r < 0.18:
        return rnd.choice([AllOf(()), AnyOf(())])
    op = rnd.choice(["==", "==", "!=", "<", "<=", ">", ">="])
    ordering = op in M.ORDERINGS
    k = rnd.random()
    if k < 0.4:
        right = Const(_rconst(rnd, allow_bool=not ordering))
    elif k < 0.65:
        right = Prop(rnd.choice(PROPS))
    else:
        right = Arith(rnd.choice(M.ARITHMETIC), _rexpr(rnd, 1), _rexpr(rnd, 1))
    if rnd.random() < 0.2:  # a constant on the left
        return Compare(op, Const(_rconst(rnd, allow_bool=not ordering)), right)
    return Compare(op, Prop(p), right)


def _rcond(rnd, depth):
    if depth <= 0 or rnd.random() < 0.4:
        return _rleaf(rnd)
    items = tuple(_rcond(rnd, depth - 1) for _ in range(rnd.randint(1, 4)))
    return rnd.choice([AllOf, AnyOf])(items)


def _rfact(rnd, rule, fid):
    fact = {"rule": rule, "id": fid}
    values = []
    for p in PROPS:
        r = rnd.random()
        if r < 0.25:
            continue
        if r < 0.3:
            fact[p] = None
            continue
        if values and rnd.random() < 0.35:  # make equal / neighbouring values likely
            v = rnd.choice(values)
            if type(v) in (int, float) and rnd.random() < 0.5:
                v = rnd.choice([v + 1, v - 1, float(v)])
                if type(v) is int and not -(2**63) <= v < 2**63:
                    v = 0
        else:
            v = _rconst(rnd)
        fact[p] = v
        values.append(v)
    if rnd.random() < 0.1:
        fact["extra_中"] = rnd.choice(STRS)
    return fact


def test_random_conditions_durable_equals_reference():
    rnd = random.Random(20240611)
    total_conditions = total_facts = total_matches = 0
    for batch in range(12):
        rules = []
        while len(rules) < 250:
            cond = _rcond(rnd, 3)
            rule = CompiledRule(f"B{batch}R{len(rules)}", cond)
            if check_rules([rule], "durable"):
                continue  # invalid (a constant arithmetic overflow) or past durable's limits
            rules.append(rule)
        facts = [
            _rfact(rnd, rnd.choice(rules).rule_id if rnd.random() > 0.03 else "nobody", f"f{i}")
            for i in range(len(rules) * 8)
        ]
        ref = make_engine("reference", rules)
        dur = make_engine("durable", rules)
        for start in range(0, len(facts), 150):
            chunk = facts[start:start + 150]
            expected = ref.evaluate(f"b{batch}-{start}", chunk)
            got = dur.evaluate(f"b{batch}-{start}", chunk)
            if got != expected:
                by_id = {f["id"]: f for f in chunk}
                conds = {r.rule_id: r.condition for r in rules}
                diff = sorted(set(got) ^ set(expected))[:3]
                detail = [(m.rule_id, conds[m.rule_id], by_id[m.fact_id], m in set(got)) for m in diff]
                pytest.fail(f"durable != reference: {detail}")
            total_matches += len(expected)
        total_conditions += len(rules)
        total_facts += len(facts)
    assert total_conditions == 3000 and total_facts == 24000
    assert total_matches > 2000  # the generator produces matches, not only misses


def test_an_invalid_rule_id_is_reported_once():
    rules = [CompiledRule("$document", M.eq("a", 1)), CompiledRule("", M.eq("a", 1)),
             CompiledRule("ok", M.eq("a", 1))]
    for engine in ENGINES:
        assert [(p.rule_id, p.message) for p in check_rules(rules, engine)] == [
            ("$document", "invalid rule id"), ("", "invalid rule id")]
