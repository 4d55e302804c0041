"""The evaluation layer: dialect, both engines, and their agreement."""

from __future__ import annotations

import json
import math
import random
import threading

import pytest

from gxaudit.engine import (
    MAX_FACT_PROPERTIES,
    MAX_FACTS_PER_REPORT,
    CompiledRule,
    EngineError,
    Match,
    check_facts,
    make_engine,
)
from gxaudit.engine import conditions as C
from gxaudit.engine.durable import engine as D

ENGINES = ("reference", "durable")


def run(name: str, rules: list[CompiledRule], facts: list[dict], key: str = "r") -> set:
    return {(m.rule_id, m.fact_id) for m in make_engine(name, rules).evaluate(key, facts)}


# ---------------------------------------------------------------------------
# every construct of the dialect, with hand-written expectations
# ---------------------------------------------------------------------------

RULES = {
    "eq_int": {"a": 1},
    "eq_str": {"$eq": {"s": "中文"}},
    "eq_bool": {"flag": True},
    "eq_float": {"x": 2.5},
    "neq": {"$neq": {"a": 1}},
    "lt": {"$lt": {"a": 10}},
    "lte": {"$lte": {"a": 10}},
    "gt": {"$gt": {"a": 10}},
    "gte": {"$gte": {"a": 10}},
    "lt_str": {"$lt": {"s": "b"}},
    "ref_eq": {"a": {"$m": "b"}},
    "ref_eq2": {"$eq": {"a": {"$m": "b"}}},
    "ref_neq": {"$neq": {"a": {"$m": "b"}}},
    "ref_lt": {"$lt": {"a": {"$m": "b"}}},
    "sum": {"$neq": {"total": {"$add": {"$l": {"$m": "x"}, "$r": {"$m": "y"}}}}},
    "sub": {"$gt": {"a": {"$sub": {"$l": {"$m": "b"}, "$r": 1}}}},
    "mul": {"$lte": {"a": {"$mul": {"$l": {"$m": "b"}, "$r": 1.5}}}},
    "nested": {"total": {"$add": {"$l": {"$add": {"$l": {"$m": "x"}, "$r": {"$m": "y"}}}, "$r": {"$m": "z"}}}},
    "const_arith": {"$lt": {"zero": {"$sub": {"$l": 2, "$r": 1}}}},
    "ex": {"$ex": {"a": 1}},
    "nex": {"$nex": {"a": 1}},
    "and": {"$and": [{"a": 1}, {"b": 2}]},
    "or": {"$or": [{"a": 1}, {"b": 2}]},
    "tolerance": {
        "$or": [
            {"$lt": {"v": {"$sub": {"$l": {"$m": "w"}, "$r": 0.5}}}},
            {"$gt": {"v": {"$add": {"$l": {"$m": "w"}, "$r": 0.5}}}},
        ]
    },
    "chinese": {"$gte": {"数量": {"$m": "合计"}}},
    "tiny": {"$gte": {"p": 1e-05}},
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
    ("ref_eq2", {"a": 2, "b": 2}, True),
    ("ref_eq2", {"a": 2, "b": 3}, False),
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


@pytest.mark.parametrize("engine", ENGINES)
def test_every_construct(engine):
    rules, facts, expected = _construct_inputs()
    got = make_engine(engine, rules).evaluate("constructs", facts)
    assert {(m.rule_id, m.fact_id) for m in got} == expected
    assert got == sorted(got)
    assert all(isinstance(m, Match) for m in got)


@pytest.mark.parametrize("engine", ENGINES)
def test_matches_sorted_and_deduplicated(engine):
    # both branches of the $or hold: one match, not two
    rules = [
        CompiledRule("b", {"$or": [{"a": 1}, {"$gt": {"a": 0}}, {"$ex": {"a": 1}}]}),
        CompiledRule("a", {"$ex": {"a": 1}}),
    ]
    facts = [{"rule": r, "id": i + r, "a": 1} for r in ("b", "a") for i in ("z", "y")]
    got = make_engine(engine, rules).evaluate("k", facts)
    assert got == [Match("a", "ya"), Match("a", "za"), Match("b", "yb"), Match("b", "zb")]


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_report_and_unknown_rules(engine):
    e = make_engine(engine, [CompiledRule("r", {"a": 1})])
    assert e.evaluate("empty", []) == []
    assert e.evaluate("other", [{"rule": "x", "id": "1", "a": 1}]) == []
    assert e.name == engine


# ---------------------------------------------------------------------------
# numbers and strings at the edges
# ---------------------------------------------------------------------------

EDGE_RULES = {
    "eq_ref": {"a": {"$m": "b"}},
    "lt_ref": {"$lt": {"a": {"$m": "b"}}},
    "gt_ref": {"$gt": {"a": {"$m": "b"}}},
    "add1": {"a": {"$add": {"$l": {"$m": "b"}, "$r": 1}}},
    "sq": {"a": {"$mul": {"$l": {"$m": "b"}, "$r": {"$m": "b"}}}},
    "big": {"a": 9007199254740993},
    "small": {"$lt": {"a": 1e-300}},
    "mixed": {"$eq": {"a": {"$add": {"$l": {"$m": "b"}, "$r": 0.1}}}},
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


@pytest.mark.parametrize("engine", ENGINES)
def test_edges_agree_with_semantics(engine):
    rules = [CompiledRule(r, c) for r, c in EDGE_RULES.items()]
    facts = [
        {"rule": r, "id": f"{r}{i}", **props}
        for r in EDGE_RULES
        for i, props in enumerate(EDGE_FACTS)
    ]
    got = run(engine, rules, facts)
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


def test_edges_both_engines_identical():
    rules = [CompiledRule(r, c) for r, c in EDGE_RULES.items()]
    facts = [
        {"rule": r, "id": f"{r}{i}", **props}
        for r in EDGE_RULES
        for i, props in enumerate(EDGE_FACTS)
    ]
    assert run("reference", rules, facts) == run("durable", rules, facts)


def test_float_tokens_parse_back():
    for x in [1e-05, 1e20, 1e16, 1.5e-07, -2e-300, 5e-324, 1.7976931348623157e308, 0.1, 123.0]:
        tok = D.float_token(x)
        assert float(tok) == x
        mant = tok.split("e")[0]
        assert "." in mant  # the C parser needs a '.' before the exponent
    assert D.dumps({"a": [1, 2.5, 1e-05, True, None, "中"]}) == '{"a":[1,2.5,1.0e-05,true,null,"中"]}'


# ---------------------------------------------------------------------------
# the validator and the builders
# ---------------------------------------------------------------------------

INVALID = [
    {},
    {"a": 1, "b": 2},  # durable would silently use one key
    {"$and": []},
    {"$or": {}},
    {"$div": {"a": 1}},
    {"$mt": {"a": "x.*"}},
    {"$lt": {"a": True}},
    {"$gte": {"a": False}},
    {"$ex": {"a": 2}},
    {"$ex": {"a": True}},
    {"$nex": {"a": 1, "b": 1}},
    {"a": 2**63},
    {"a": float("nan")},
    {"a": float("inf")},
    {"a": [1, 2]},
    {"a": None},
    {"a": {"b": 1}},
    {"a": {"$m": "x.y"}},
    {"a.b": 1},
    {"a#n": 1},
    {"": 1},
    {"x" * 129: 1},
    {"a": {"$add": {"$l": "1", "$r": {"$m": "b"}}}},
    {"a": {"$add": {"$l": True, "$r": {"$m": "b"}}}},
    {"a": {"$add": {"$l": 1}}},
    {"a": {"$div": {"$l": {"$m": "b"}, "$r": 2}}},
    {"a": {"$mul": {"$l": 1e200, "$r": 1e200}}},  # folds to inf
    {"a": "\ud800"},
    {"$or": [{"a": i} for i in range(C.MAX_BRANCHES + 1)]},
    {"$and": [{"$or": [{"a": 1}, {"a": 2}]}] * 6},  # 64 alternatives
    {"$and": [{"$ex": {f"p{i}": 1}} for i in range(C.MAX_SPECIAL_PROPS + 1)]},
    "a == 1",
    None,
]

VALID = [
    {"a": 1},
    {"$eq": {"a": {"$m": "b"}}},
    {"$neq": {"a": False}},
    {"数量": {"$sub": {"$l": {"$m": "合计"}, "$r": 1}}},
    {"zero": {"$sub": {"$l": 2, "$r": 1}}},  # constant arithmetic: folded
    {"$or": [{"a": i} for i in range(C.MAX_BRANCHES)]},
    {"$and": [{"$ex": {f"p{i}": 1}} for i in range(C.MAX_SPECIAL_PROPS)]},
    {"a": -(2**63)},
    {"a": 1e-300},
]


@pytest.mark.parametrize("cond", INVALID, ids=[repr(c)[:40] for c in INVALID])
def test_validator_rejects(cond):
    with pytest.raises(ValueError):
        C.validate_condition(cond)


@pytest.mark.parametrize("cond", VALID, ids=[repr(c)[:40] for c in VALID])
def test_validator_accepts(cond):
    C.validate_condition(cond)


def test_constant_arithmetic_is_folded():
    node = C.parse_condition({"zero": {"$sub": {"$l": 2, "$r": 1}}})
    assert node == C.Cmp("$eq", "zero", C.Const(1))
    node = C.parse_condition({"a": {"$mul": {"$l": 2**62, "$r": 4}}})
    assert node.expr == C.Const(0)  # int64 wraparound, as in C


def test_builders():
    assert C.eq("a", 1) == {"a": 1}
    assert C.eq("a", C.ref("b")) == {"a": {"$m": "b"}}
    assert C.cmp("a", "<", 3) == {"$lt": {"a": 3}}
    assert C.cmp("a", "$gte", C.ref("b")) == {"$gte": {"a": {"$m": "b"}}}
    assert C.neq("a", "x") == {"$neq": {"a": "x"}}
    assert C.add(C.ref("x"), 1) == {"$add": {"$l": {"$m": "x"}, "$r": 1}}
    assert C.sub(C.ref("x"), C.ref("y")) == {"$sub": {"$l": {"$m": "x"}, "$r": {"$m": "y"}}}
    assert C.mul(2, C.ref("y")) == {"$mul": {"$l": 2, "$r": {"$m": "y"}}}
    assert C.add(1, 2) == 3 and C.mul(2**62, 4) == 0 and C.sub(1.5, 1) == 0.5
    assert C.and_(C.eq("a", 1)) == {"a": 1}
    assert C.and_(C.eq("a", 1), C.and_(C.eq("b", 2), C.eq("c", 3))) == {
        "$and": [{"a": 1}, {"b": 2}, {"c": 3}]
    }
    assert C.or_(C.eq("a", 1), C.eq("b", 2)) == {"$or": [{"a": 1}, {"b": 2}]}
    assert C.exists("a") == {"$ex": {"a": 1}}
    assert C.not_exists("a") == {"$nex": {"a": 1}}
    with pytest.raises(ValueError):
        C.cmp("a", "~", 1)
    with pytest.raises(ValueError):
        C.lt("a", True)
    with pytest.raises(ValueError):
        C.add("x", 1)
    with pytest.raises(ValueError):
        C.and_()
    for cond in [C.lte("a", C.mul(C.ref("b"), 1.05)), C.or_(C.exists("a"), C.not_exists("b"))]:
        C.validate_condition(cond)


def test_make_engine_rejects_bad_rules():
    for engine in ENGINES:
        with pytest.raises(ValueError):
            make_engine(engine, [CompiledRule("r", {"a": 1}), CompiledRule("r", {"b": 1})])
        with pytest.raises(ValueError):
            make_engine(engine, [CompiledRule("$document", {"a": 1})])
        with pytest.raises(ValueError):
            make_engine(engine, [CompiledRule("", {"a": 1})])
        with pytest.raises(ValueError):
            make_engine(engine, [CompiledRule("r", {"a": 1, "b": 1})])
    with pytest.raises(ValueError):
        make_engine("clips", [])


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
    e = make_engine(engine, [CompiledRule("r", {"$ex": {"a": 1}})])
    with pytest.raises(EngineError):
        e.evaluate("bad", facts)
    # the engine stays usable
    assert e.evaluate("good", [{"rule": "r", "id": "1", "a": 1}]) == [Match("r", "1")]


def test_fact_limits():
    check_facts([{"rule": "r", "id": "1", **{f"p{i}": i for i in range(MAX_FACT_PROPERTIES - 2)}}])
    with pytest.raises(EngineError):
        check_facts([{"rule": "r", "id": str(i)} for i in range(MAX_FACTS_PER_REPORT + 1)])


@pytest.mark.parametrize("engine", ENGINES)
def test_fact_with_most_properties_and_helpers(engine):
    # worst case for durable's 254-property limit: a fact with the most
    # properties, for a rule whose MAX_SPECIAL_PROPS properties each need a
    # flag ($ex) and a kind tag + any-kind value (compared to another property)
    props = [f"p{i}" for i in range(MAX_FACT_PROPERTIES - 2)]
    special = props[: C.MAX_SPECIAL_PROPS]
    cond = {"$and": [{"$ex": {p: 1}} for p in special]
            + [{"$lte": {p: {"$m": q}}} for p, q in zip(special, special[1:])]}
    assert C.condition_cost(cond).special_props == C.MAX_SPECIAL_PROPS
    rules = [CompiledRule("r", cond)]
    fact = {"rule": "r", "id": "1", **{p: 1.5 for p in props}}
    e = make_engine(engine, rules)
    assert e.evaluate("k", [fact]) == [Match("r", "1")]
    fact[special[-1]] = 1
    assert e.evaluate("k", [fact]) == []


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
        return C.ref(rnd.choice(PROPS)) if rnd.random() < 0.7 else rnd.choice(NUMS)
    op = rnd.choice(["$add", "$sub", "$mul"])
    return {op: {"$l": _rexpr(rnd, depth - 1), "$r": _rexpr(rnd, depth - 1)}}


def _rleaf(rnd):
    p = rnd.choice(PROPS)
    r = rnd.random()
    if r < 0.1:
        return {"$ex": {p: 1}}
    if r < 0.2:
        return {"$nex": {p: 1}}
    op = rnd.choice(["$eq", "$eq", "$neq", "$lt", "$lte", "$gt", "$gte"])
    k = rnd.random()
    if k < 0.45:
        e = _rconst(rnd, allow_bool=op in ("$eq", "$neq"))
    elif k < 0.75:
        e = C.ref(rnd.choice(PROPS))
    else:
        e = {rnd.choice(["$add", "$sub", "$mul"]): {"$l": _rexpr(rnd, 1), "$r": _rexpr(rnd, 1)}}
    if op == "$eq" and rnd.random() < 0.5:
        return {p: e}
    return {op: {p: e}}


def _rcond(rnd, depth):
    if depth <= 0 or rnd.random() < 0.4:
        return _rleaf(rnd)
    return {rnd.choice(["$and", "$or"]): [_rcond(rnd, depth - 1) for _ in range(rnd.randint(1, 4))]}


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
            try:
                C.validate_condition(cond)
            except ValueError:
                continue
            rules.append(CompiledRule(f"B{batch}R{len(rules)}", cond))
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


# ---------------------------------------------------------------------------
# durable engine lifecycle
# ---------------------------------------------------------------------------


def _many_rules(n: int) -> list[CompiledRule]:
    rules = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            cond = C.neq("total", C.add(C.ref("x"), C.ref("y")))
        elif kind == 1:
            cond = C.or_(C.lt("v", C.sub(C.ref("w"), 0.5)), C.gt("v", C.add(C.ref("w"), 0.5)))
        elif kind == 2:
            cond = C.and_(C.exists("x"), C.gt("x", C.ref("y")))
        else:
            cond = C.or_(C.eq("s", f"s{i}"), C.not_exists("s"))
        rules.append(CompiledRule(f"rule{i:03d}", cond))
    return rules


def _report(rnd, rules, n, match_prob):
    facts = []
    for k in range(n):
        rule = rnd.choice(rules).rule_id
        if rnd.random() < match_prob:
            props = {"total": 4, "x": 2, "y": 1, "v": 1, "w": 5}
        else:  # violates no rule of any kind above (except "$nex s", avoided by s)
            props = {"total": 3, "x": 1, "y": 2, "v": 5, "w": 5, "s": "none"}
        facts.append({"rule": rule, "id": f"{rule}:{k}", **props})
    return facts


def test_1100_reports_through_one_durable_engine():
    # > 1,024 sessions: each report's session must be deleted; > 80 rules and
    # reports where nothing matches reproduce the delete_state crash of raw durable
    rules = _many_rules(120)
    dur = make_engine("durable", rules)
    ref = make_engine("reference", rules)
    rnd = random.Random(1)
    total = 0
    for i in range(1100):
        kind = i % 3
        facts = [] if kind == 2 and i % 9 == 2 else _report(rnd, rules, 15, 0.3 if kind == 0 else 0.0)
        got = dur.evaluate(f"report{i}", facts)
        assert got == ref.evaluate(f"report{i}", facts)
        total += len(got)
    assert total > 500
    assert dur._reg.leaked_sessions == 0
    # the last report's session is gone
    with pytest.raises(Exception):
        D._dre.get_state(dur._reg.handle, str(next(dur._reg._sid_counter) - 1))


def test_two_engines_with_the_same_rules_share_one_ruleset():
    rules = _many_rules(10)
    first = make_engine("durable", rules)
    second = make_engine("durable", list(reversed(rules)))  # order does not matter
    assert first._reg is second._reg
    names = [rs._name for rs in D.host()._ruleset_list]
    assert names.count(first._reg.name) == 1
    facts = _report(random.Random(2), rules, 40, 0.5)
    assert first.evaluate("a", facts) == second.evaluate("b", facts)
    assert first.evaluate("a", facts) == make_engine("reference", rules).evaluate("c", facts)
    other = make_engine("durable", rules[:5])
    assert other._reg is not first._reg


def test_more_rules_than_one_alpha_table():
    # 600 rule ids: one alpha node cannot hold them (512 slots, then an
    # endless loop); rules are grouped in buckets of 64
    rules = [CompiledRule(f"R{i}", {"$gt": {"a": i}}) for i in range(600)]
    dur = make_engine("durable", rules)
    facts = [{"rule": f"R{i}", "id": str(i), "a": 300} for i in range(600)]
    expected = [Match(f"R{i}", str(i)) for i in range(300)]
    assert dur.evaluate("big", facts) == sorted(expected)
    assert make_engine("reference", rules).evaluate("big", facts) == sorted(expected)


def test_most_alternatives_all_matching():
    # MAX_BRANCHES alternatives that all hold: the C engine's alpha stack (64) suffices
    alts = [C.gte("a", C.add(C.ref("b"), -i)) for i in range(C.MAX_BRANCHES)]
    rules = [CompiledRule("R", {"$or": alts})]
    fact = {"rule": "R", "id": "x", "a": 5, "b": 5}
    assert make_engine("durable", rules).evaluate("k", [fact]) == [Match("R", "x")]


@pytest.mark.parametrize("engine", ENGINES)
def test_duplicate_fact_id_is_an_error_and_next_report_works(engine):
    rules = [CompiledRule("r", {"$gt": {"a": 0}})]
    e = make_engine(engine, rules)
    dup = [{"rule": "r", "id": "same", "a": 1}, {"rule": "r", "id": "same", "a": 2}]
    with pytest.raises(EngineError, match="duplicate"):
        e.evaluate("dup", dup)
    ok = [{"rule": "r", "id": "one", "a": 1}, {"rule": "r", "id": "two", "a": 0}]
    assert e.evaluate("next", ok) == [Match("r", "one")]


def test_durable_already_observed_is_an_error_and_next_report_works(monkeypatch):
    # durable's own MessageObserved (it identifies messages by a hash of "id"):
    # force it by giving two matching facts the same durable id
    rules = [CompiledRule("obs", {"$gt": {"a": 0}})]
    e = make_engine("durable", rules)
    facts = [{"rule": "obs", "id": "one", "a": 1}, {"rule": "obs", "id": "two", "a": 2}]
    monkeypatch.setattr(e._reg, "id_strings", lambda n: ["0"] * n)
    with pytest.raises(EngineError, match="already observed"):
        e.evaluate("observed", facts)
    monkeypatch.undo()
    assert e.evaluate("next", facts) == [Match("obs", "one"), Match("obs", "two")]
    assert e._reg.leaked_sessions == 0


def test_exception_in_action_is_an_error_and_next_report_works(monkeypatch):
    rules = [CompiledRule("act", {"$gt": {"a": 0}})]
    e = make_engine("durable", rules)
    reg = e._reg
    original = reg.record

    def record(sid, rule, fid):
        if fid == "boom":
            raise RuntimeError("boom")
        original(sid, rule, fid)

    monkeypatch.setattr(reg, "record", record)
    facts = [{"rule": "act", "id": "boom", "a": 1}, {"rule": "act", "id": "fine", "a": 1}]
    with pytest.raises(EngineError, match="boom"):
        e.evaluate("exc", facts)
    monkeypatch.undo()
    assert e.evaluate("next", facts) == [Match("act", "boom"), Match("act", "fine")]


def test_no_host_timer_threads():
    make_engine("durable", [CompiledRule("t", {"a": 1})])
    h = D.host()
    assert h._d_timer is None and h._t_timer is None
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]


# ---------------------------------------------------------------------------
# durable's 32-bit hashes
# ---------------------------------------------------------------------------


def test_message_ids_have_distinct_hashes():
    hashes = {D.fnv1a32(str(k)) for k in range(MAX_FACTS_PER_REPORT)}
    assert len(hashes) == MAX_FACTS_PER_REPORT
    assert D.fnv1a32(D.MARKER_ID) not in hashes


# pairs of names with the same durable hash (found by search; the Chinese ones
# collide only with durable's signed-char hashing)
COLLIDING = [("cnxsfy#n", "onjxmm#n"), ("wrpvr数#n", "lnhnii#n"), ("pgtk计o#n", "u数qyum#n")]


def test_fnv_matches_durable_name_hash():
    for a, b in COLLIDING:
        assert D.fnv1a32(a) == D.fnv1a32(b)
        # raw durable confuses the two names: a rule on `a` matches a fact with only `b`
        handle = D._dre.create_ruleset(
            f"collide_{D.fnv1a32(a)}",
            json.dumps({"r": {"all": [{"m": {"$and": [{"rule": "R"}, {a: 1}]}}]}}, ensure_ascii=False),
        )
        code, _ = D._dre.assert_fact(handle, json.dumps({"sid": "1", "id": "1", "rule": "R", b: 1}, ensure_ascii=False))
        assert code == 0


def test_colliding_property_names_are_refused():
    # a rule reading both names: refused when the engine is built
    with pytest.raises(ValueError, match="hash"):
        make_engine("durable", [CompiledRule("c", {"$and": [{"wrpvr数": 1}, {"lnhnii": 1}]})])
    # a fact carrying a name that collides with one the rules read: an error, not a match
    e = make_engine("durable", [CompiledRule("c2", {"cnxsfy": 1})])
    with pytest.raises(EngineError, match="collides"):
        e.evaluate("k", [{"rule": "c2", "id": "1", "onjxmm": 1}])
    assert e.evaluate("k2", [{"rule": "c2", "id": "1", "cnxsfy": 1}]) == [Match("c2", "1")]
    assert make_engine("reference", [CompiledRule("c2", {"cnxsfy": 1})]).evaluate(
        "k", [{"rule": "c2", "id": "1", "onjxmm": 1}]
    ) == []


def test_durable_rules_count_matches_cost():
    rules = _many_rules(8)
    e = make_engine("durable", rules)
    assert e.durable_rules == sum(C.condition_cost(r.condition).branches for r in rules)
    assert not math.isnan(e.durable_rules)


def test_rules_sharing_a_route_each_match_their_own_facts():
    """Several rules read one stream of facts (a route); each is gated by its condition."""
    from gxaudit.engine import CompiledRule, make_engine
    rules = [CompiledRule("A", {"$and": [{"onA": True}, {"$lt": {"v": 0}}]}, route="cells"),
             CompiledRule("B", {"$and": [{"onB": True}, {"kind": "text"}]}, route="cells"),
             CompiledRule("C", {"$gt": {"v": 5}})]
    facts = [{"rule": "cells", "id": "1", "onA": True, "onB": True, "v": -1, "kind": "text"},
             {"rule": "cells", "id": "2", "onB": True, "v": -1, "kind": "number"},
             {"rule": "cells", "id": "3", "onA": True, "v": 7},
             {"rule": "C", "id": "4", "v": 7}]
    for name in ("durable", "reference"):
        matches = [(m.rule_id, m.fact_id) for m in make_engine(name, rules).evaluate(f"r-{name}", facts)]
        assert matches == [("A", "1"), ("B", "1"), ("C", "4")], name
