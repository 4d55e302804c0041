"""The durable-rules adapter: its translation, its limits, its traps.

The limits are those declared in gxaudit/engine/durable/limits.py; each must be
reported by gxaudit.engine.check_rules, naming the rule, before any ruleset
is built.
"""

from __future__ import annotations

import ast
import json
import random
import re
import threading
from pathlib import Path

import pytest

from gxaudit.engine import (
    MAX_FACT_PROPERTIES,
    MAX_FACTS_PER_REPORT,
    CompiledRule,
    EngineError,
    Match,
    check_rules,
    make_engine,
    route_capacity,
)
from gxaudit.engine import model as M
from gxaudit.engine.durable import engine as durable_engine
from gxaudit.engine.durable import host, limits
from gxaudit.engine.durable.engine import MARKER_ID, DurableEngine
from gxaudit.engine.durable.jsonform import (
    dumps,
    encode_fact,
    encode_plain,
    float_token,
    fnv1a32,
    needs_float_fix,
)
from gxaudit.engine.durable.layout import MARKER_RULE
from gxaudit.engine.durable.translate import translate
from gxaudit.engine.model import AllOf, AnyOf, Const, prop

PACKAGE = Path(__file__).resolve().parent.parent / "gxaudit"
ENGINES = ("reference", "durable")


def _c():
    return host.library().c


def _rulesets() -> int:
    return len(host.host()._ruleset_list)


# ---------------------------------------------------------------------------
# the translation
# ---------------------------------------------------------------------------


def test_float_tokens_parse_back():
    for x in [1e-05, 1e20, 1e16, 1.5e-07, -2e-300, 5e-324, 1.7976931348623157e308, 0.1, 123.0]:
        tok = float_token(x)
        assert float(tok) == x
        mant = tok.split("e")[0]
        assert "." in mant  # the C parser needs a '.' before the exponent
    assert dumps({"a": [1, 2.5, 1e-05, True, None, "中"]}) == '{"a":[1,2.5,1.0e-05,true,null,"中"]}'


def test_fast_fact_encoding_writes_what_the_json_module_writes():
    """encode_fact (orjson) and encode_plain (json) give the same text for every value a fact
    may carry on the fast path."""
    rng = random.Random(10)
    # every code point but the surrogates, in keys and values, 512 at a time
    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(points), 512):
        text = "".join(points[start : start + 512])
        fact = {"k" + text[:3]: text, "v": text[::-1], "n": start}
        assert encode_fact(fact) == encode_plain(fact)
    ints = [0, 1, -1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63 - 1, -(2**63)]
    assert encode_fact({f"i{k}": v for k, v in enumerate(ints)}) == encode_plain(
        {f"i{k}": v for k, v in enumerate(ints)}
    )
    assert encode_fact({"t": True, "f": False, "s": ""}) == encode_plain({"t": True, "f": False, "s": ""})
    # floats where the engine takes the fast path: repr's range without an exponent
    floats = [0.0, -0.0, 1e-4, 0.1, 0.3, 1 / 3, 2.5, 123.0, 1e15, 9999999999999998.0, -1e-4]
    floats += [rng.uniform(1e-4, 1) for _ in range(20_000)]
    floats += [10 ** rng.uniform(-4, 16) * rng.choice((1, -1)) for _ in range(20_000)]
    floats += [round(rng.uniform(0, 10**6), rng.randint(0, 6)) for _ in range(20_000)]
    for start in range(0, len(floats), 100):
        fact = {f"x{k}": x for k, x in enumerate(floats[start : start + 100]) if not needs_float_fix(x)}
        assert encode_fact(fact) == encode_plain(fact)
    # what orjson refuses raises (the engine then names it with check_facts' error)
    for refused in ({"s": "a\udc80b"}, {"n": 2**64}):
        with pytest.raises(TypeError):
            encode_fact(refused)


def test_translation_spelled_out():
    # a comparison with a constant tests the one name of the constant's kind
    assert translate(M.eq("a", 1))[0] == [[{"a#n": 1}]]
    assert translate(M.lt("s", "b"))[0] == [[{"$lt": {"s#s": "b"}}]]
    # Present/Missing become a flag the facts carry; never $nex
    alts, needs = translate(M.missing("a"))
    assert alts == [[{"a#e": False}]] and needs.flags == {"a"}
    # AnyOf becomes alternatives; identical alternatives once
    alts, _ = translate(M.any_of(M.eq("a", 1), M.eq("a", 1), M.eq("b", True)))
    assert alts == [[{"a#n": 1}], [{"b#b": True}]]
    # a constant left of a property is mirrored; left of arithmetic, a helper holds it
    assert translate(M.lt(Const(1), prop("a")))[0] == [[{"$gt": {"a#n": 1}}]]
    alts, needs = translate(M.eq(Const(0), M.sub(prop("y"), prop("x"))))
    assert needs.consts == {"k0#c": 0}
    assert alts == [
        [
            {"$ex": {"y#n": 1}},
            {"$ex": {"x#n": 1}},
            {"k0#c": {"$sub": {"$l": {"$m": "y#n"}, "$r": {"$m": "x#n"}}}},
        ]
    ]
    # decided without a fact: always (no test), never (no alternative)
    assert translate(M.lt(Const(1), Const(2)))[0] == [[]]
    assert translate(M.eq(Const("1"), M.add(prop("x"), 0)))[0] == []
    assert translate(AnyOf(()))[0] == [] and translate(AllOf(()))[0] == [[]]
    assert translate(M.eq("a", M.add(1, 2)))[0] == [[{"a#n": 3}]]  # folded


# ---------------------------------------------------------------------------
# each limit, reported by check_rules before an engine is built
# ---------------------------------------------------------------------------


def _refused(rules: list[CompiledRule], rule_id: str, words: str) -> None:
    """check_rules names `rule_id`; make_engine refuses without building a ruleset."""
    problems = check_rules(rules, "durable")
    assert [p.rule_id for p in problems] == [rule_id], problems
    assert re.search(words, problems[0].message), problems[0].message
    assert check_rules(rules, "reference") == []
    before = _rulesets()
    with pytest.raises(ValueError, match=re.escape(rule_id)):
        make_engine("durable", rules)
    assert _rulesets() == before


def _two_way(i: int) -> M.Condition:
    return M.any_of(M.eq(f"p{i}", 1), M.eq(f"q{i}", 2))


def test_limit_alternatives_per_rule():
    # a violation of `t0 and ... and t60`: an AnyOf of 61 comparisons
    _refused([CompiledRule("R", M.any_of(*[M.ne("a", i) for i in range(61)]))], "R", "61 alternatives")
    # an AND of ORs multiplies out: 2**6 = 64
    _refused([CompiledRule("R", AllOf(tuple(_two_way(i) for i in range(6))))], "R", "64 alternatives")
    # 2**20 alternatives are counted, never expanded
    _refused([CompiledRule("R", AllOf(tuple(_two_way(i) for i in range(20))))], "R", "1048576")
    # exactly the limit is fine
    assert check_rules([CompiledRule("R", M.any_of(*[M.ne("a", i) for i in range(60)]))]) == []


def test_limit_alternatives_per_route():
    rules = [
        CompiledRule(rid, M.any_of(*[M.eq("a", i) for i in range(40)]), route="shared") for rid in ("A", "B")
    ]
    _refused(rules, "B", "route 'shared' have 80 alternatives")


def test_limit_rules_per_route():
    # rules that can never hold have no alternative: only the rule count is past the limit
    rules = [CompiledRule(f"R{i:02d}", AnyOf(()), route="shared") for i in range(65)]
    _refused(rules, "R64", "65 rules")
    assert check_rules(rules[:64]) == []


def test_limit_durable_rules_in_all():
    rules = [CompiledRule(f"R{i:04d}", M.eq("a", i)) for i in range(limits.MAX_DURABLE_RULES + 1)]
    _refused(rules, f"R{limits.MAX_DURABLE_RULES:04d}", "more than 4000 durable rules")


def test_limit_helper_properties_per_route():
    # a flag per Present property; a kind tag and a value per property compared with another
    n_flags = limits.MAX_HELPER_PROPERTIES - 2 * 40
    props = [f"p{i}" for i in range(n_flags)]
    cond = AllOf(
        tuple(M.present(p) for p in props) + tuple(M.le(f"t{i}", prop(f"t{i + 1}")) for i in range(0, 40, 2))
    )
    assert check_rules([CompiledRule("R", cond)]) == []
    more = AllOf((*cond.items, M.present("one_more")))
    _refused([CompiledRule("R", more)], "R", "130 helper properties")
    # or across rules of one route
    split = [CompiledRule("A", cond, route="r"), CompiledRule("B", M.present("one_more"), route="r")]
    _refused(split, "B", "130 helper properties")


def test_fact_with_most_properties_and_helpers():
    # the worst case the limits allow: MAX_FACT_PROPERTIES of the fact's own, all read (only
    # what the rules read is sent), and MAX_HELPER_PROPERTIES helpers make a durable message
    # of 254 properties
    own = [f"p{i}" for i in range(MAX_FACT_PROPERTIES - 2)]
    tagged = own[:40]
    flagged = [f"f{i}" for i in range(limits.MAX_HELPER_PROPERTIES - 2 * len(tagged))]
    cond = AllOf(
        tuple(M.missing(p) for p in flagged)
        + tuple(M.le(p, prop(q)) for p, q in zip(tagged, tagged[1:]))
        + tuple(M.gt(p, 0) for p in own)
    )
    rules = [CompiledRule("r", cond)]
    assert check_rules(rules) == []
    fact = {"rule": "r", "id": "1", **dict.fromkeys(own, 1.5)}
    for name in ENGINES:
        e = make_engine(name, rules)
        assert e.evaluate("k", [fact]) == [Match("r", "1")]
        fact[tagged[-1]] = 1
        assert e.evaluate("k", [fact]) == []
        fact[tagged[-1]] = 1.5


def test_durable_refuses_a_message_of_255_properties():
    # the limit behind MAX_HELPER_PROPERTIES: 254 properties pass, 255 do not
    handle = _c().create_ruleset("props255", json.dumps({"r": {"all": [{"m": {"p0": 0}}]}}))
    for n, ok in ((254, True), (255, False)):
        message = {"sid": "1", "id": str(n), **{f"p{i}": i for i in range(n - 2)}}
        if ok:
            assert _c().assert_fact(handle, json.dumps(message))[0] == 0
        else:
            with pytest.raises(Exception, match="302"):
                _c().assert_fact(handle, json.dumps(message))


# pairs of names with the same durable hash (found by search; the Chinese ones
# collide only with durable's signed-char hashing)
COLLIDING = [("cnxsfy#n", "onjxmm#n"), ("wrpvr数#n", "lnhnii#n"), ("pgtk计o#n", "u数qyum#n")]


def test_fnv_matches_durable_name_hash():
    for a, b in COLLIDING:
        assert fnv1a32(a) == fnv1a32(b)
        # raw durable confuses the two names: a rule on `a` matches a fact with only `b`
        handle = _c().create_ruleset(
            f"collide_{fnv1a32(a)}",
            json.dumps({"r": {"all": [{"m": {"$and": [{"rule": "R"}, {a: 1}]}}]}}, ensure_ascii=False),
        )
        fact = json.dumps({"sid": "1", "id": "1", "rule": "R", b: 1}, ensure_ascii=False)
        code, _ = _c().assert_fact(handle, fact)
        assert code == 0


def test_limit_colliding_property_names():
    # a rule reading both names: refused before the engine is built
    _refused([CompiledRule("c", M.all_of(M.eq("wrpvr数", 1), M.eq("lnhnii", 1)))], "c", "same 32-bit hash")
    # or two rules reading one each: the later one is named
    _refused([CompiledRule("a", M.eq("cnxsfy", 1)), CompiledRule("b", M.gt("onjxmm", 1))], "b", "hash")
    # a fact carrying a name that collides with one the rules read: never sent, so no match
    # (as in the reference engine), where raw durable would confuse the two
    e = make_engine("durable", [CompiledRule("c2", M.eq("cnxsfy", 1))])
    assert e.evaluate("k", [{"rule": "c2", "id": "1", "onjxmm": 1}]) == []
    assert e.evaluate("k2", [{"rule": "c2", "id": "1", "cnxsfy": 1}]) == [Match("c2", "1")]
    reference = make_engine("reference", [CompiledRule("c2", M.eq("cnxsfy", 1))])
    assert reference.evaluate("k", [{"rule": "c2", "id": "1", "onjxmm": 1}]) == []


def test_message_ids_have_distinct_hashes():
    hashes = {fnv1a32(str(k)) for k in range(MAX_FACTS_PER_REPORT)}
    assert len(hashes) == MAX_FACTS_PER_REPORT
    assert fnv1a32(MARKER_ID) not in hashes


def test_route_capacity_is_durables():
    capacity = route_capacity()
    assert capacity.alternatives == limits.MAX_ALTERNATIVES_PER_ROUTE
    assert capacity.rules == limits.MAX_RULES_PER_ROUTE


def test_most_alternatives_all_matching():
    # 60 alternatives that all hold: the C engine's alpha stack (64) suffices
    alts = [M.ge("a", M.add(prop("b"), -i)) for i in range(limits.MAX_ALTERNATIVES_PER_ROUTE)]
    rules = [CompiledRule("R", M.any_of(*alts))]
    fact = {"rule": "R", "id": "x", "a": 5, "b": 5}
    assert make_engine("durable", rules).evaluate("k", [fact]) == [Match("R", "x")]


# ---------------------------------------------------------------------------
# the engine's life
# ---------------------------------------------------------------------------


def _many_rules(n: int) -> list[CompiledRule]:
    rules = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            cond = M.ne("total", M.add(prop("x"), prop("y")))
        elif kind == 1:
            cond = M.any_of(M.lt("v", M.sub(prop("w"), 0.5)), M.gt("v", M.add(prop("w"), 0.5)))
        elif kind == 2:
            cond = M.all_of(M.present("x"), M.gt("x", prop("y")))
        else:
            cond = M.any_of(M.eq("s", f"s{i}"), M.missing("s"))
        rules.append(CompiledRule(f"rule{i:03d}", cond))
    return rules


def _report(rnd, rules, n, match_prob):
    facts = []
    for k in range(n):
        rule = rnd.choice(rules).rule_id
        if rnd.random() < match_prob:
            props = {"total": 4, "x": 2, "y": 1, "v": 1, "w": 5}
        else:  # violates no rule of any kind above (except "missing s", avoided by s)
            props = {"total": 3, "x": 1, "y": 2, "v": 5, "w": 5, "s": "none"}
        facts.append({"rule": rule, "id": f"{rule}:{k}", **props})
    return facts


def test_1300_reports_through_one_durable_engine(monkeypatch):
    # > 1,024 sessions: each closed session must be deleted; > 80 rules and
    # reports where nothing matches reproduce the delete_state crash of raw durable
    monkeypatch.setattr(durable_engine, "SESSION_FACTS", 10)  # a session of its own for every report
    rules = _many_rules(120)
    dur = DurableEngine(rules, memo_size=0)  # every fact is asserted
    dur.close()  # a session left open by an earlier test of these rules
    first_sid = next(dur._reg._sid_counter)
    ref = make_engine("reference", rules)
    rnd = random.Random(1)
    total = 0
    for i in range(1300):
        kind = i % 3
        facts = [] if kind == 2 and i % 9 == 2 else _report(rnd, rules, 15, 0.3 if kind == 0 else 0.0)
        got = dur.evaluate(f"report{i}", facts)
        assert got == ref.evaluate(f"report{i}", facts)
        total += len(got)
    assert total > 500
    assert dur._reg.session is None  # each report's session was closed when full
    assert next(dur._reg._sid_counter) - first_sid > 1024
    assert dur._reg.leaked_sessions == 0
    # the last session is gone once closed (309: session not found)
    with pytest.raises(Exception, match="309"):
        _c().get_state(dur._reg.handle, str(next(dur._reg._sid_counter) - 1))


def _every_fact_asserted(n_rules: int):
    """Rules, a durable engine asserting every fact (its rules' open session closed first),
    the reference engine of the same rules, and a spy on what reaches durable."""
    rules = _many_rules(n_rules)
    dur = DurableEngine(rules, memo_size=0)
    dur.close()  # a session left open by an earlier test of these rules
    spy = dur._c = _AssertSpy(dur._c)
    return rules, dur, make_engine("reference", rules), spy


def test_one_session_serves_report_after_report(monkeypatch):
    """Opening a session costs most of a report's first assert: reports share one, and
    each gets the matches of its own facts only (as the reference engine gives them)."""
    monkeypatch.setattr(durable_engine, "SESSION_FACTS", 1000)  # the 520 ids below fit in one
    rules, dur, ref, spy = _every_fact_asserted(30)
    rnd = random.Random(5)
    for i in range(40):
        facts = _report(rnd, rules, 12, 0.5)
        assert dur.evaluate(f"r{i}", facts) == ref.evaluate(f"r{i}", facts)
    sent = [json.loads(p) for p in spy.asserted]
    assert len({m["sid"] for m in sent}) == 1 and len(sent) == 40 * 13  # each report: 12 facts, a marker
    # the facts and markers took the session's ids one after another, none twice
    assert [int(m["id"]) for m in sent] == list(range(40 * 13))
    assert [k for k, m in enumerate(sent) if m["rule"] == MARKER_RULE] == [13 * i + 12 for i in range(40)]
    dur.close()  # a marker has run in the session: it is deleted without another
    assert len(spy.asserted) == 40 * 13
    assert dur._reg.session is None and dur._reg.leaked_sessions == 0


def test_a_session_is_closed_when_full_and_a_larger_report_gets_its_own(monkeypatch):
    monkeypatch.setattr(durable_engine, "SESSION_FACTS", 30)
    rules, dur, ref, spy = _every_fact_asserted(10)
    rnd = random.Random(6)
    sizes = [12, 12, 12, 45, 3]  # with their markers, two fit in 30; the third opens a second; 45 one of its own
    for i, n in enumerate(sizes):
        facts = _report(rnd, rules, n, 0.5)
        assert dur.evaluate(f"r{i}", facts) == ref.evaluate(f"r{i}", facts)
    facts_sent = [m for m in map(json.loads, spy.asserted) if m["rule"] != MARKER_RULE]
    by_session: dict[str, int] = {}
    for fact in facts_sent:
        by_session[fact["sid"]] = by_session.get(fact["sid"], 0) + 1
    assert list(by_session.values()) == [24, 12, 45, 3]
    assert dur._reg.leaked_sessions == 0


def test_two_engines_with_the_same_rules_share_one_ruleset():
    rules = _many_rules(10)
    first = make_engine("durable", rules)
    second = make_engine("durable", list(reversed(rules)))  # order does not matter
    assert first._reg is second._reg
    names = [rs._name for rs in host.host()._ruleset_list]
    assert names.count(first._reg.name) == 1
    facts = _report(random.Random(2), rules, 40, 0.5)
    assert first.evaluate("a", facts) == second.evaluate("b", facts)
    assert first.evaluate("a", facts) == make_engine("reference", rules).evaluate("c", facts)
    other = make_engine("durable", rules[:5])
    assert other._reg is not first._reg


def test_more_rules_than_one_alpha_table():
    # 600 rule ids: one alpha node cannot hold them (512 slots, then an
    # endless loop); rules are grouped in buckets of 64
    rules = [CompiledRule(f"R{i}", M.gt("a", i)) for i in range(600)]
    dur = make_engine("durable", rules)
    facts = [{"rule": f"R{i}", "id": str(i), "a": 300} for i in range(600)]
    expected = [Match(f"R{i}", str(i)) for i in range(300)]
    assert dur.evaluate("big", facts) == sorted(expected)
    assert make_engine("reference", rules).evaluate("big", facts) == sorted(expected)


def test_durable_already_observed_is_an_error_and_next_report_works(monkeypatch):
    # durable's own MessageObserved (it identifies messages by a hash of "id"):
    # force it by giving two matching facts the same durable id
    e = make_engine("durable", [CompiledRule("obs", M.gt("a", 0))])
    facts = [{"rule": "obs", "id": "one", "a": 1}, {"rule": "obs", "id": "two", "a": 2}]
    monkeypatch.setattr(e._reg, "id_strings", lambda n: ["0"] * n)
    with pytest.raises(EngineError, match="already observed"):
        e.evaluate("observed", facts)
    monkeypatch.undo()
    assert e.evaluate("next", facts) == [Match("obs", "one"), Match("obs", "two")]
    assert e._reg.leaked_sessions == 0


def test_exception_in_action_is_an_error_and_next_report_works(monkeypatch):
    e = DurableEngine([CompiledRule("act", M.gt("a", 0))], memo_size=0)  # every fact asserted
    reg = e._reg
    original = reg.record

    def record(sid, rule, fid):
        if fid == "boom":
            raise RuntimeError("boom")
        original(sid, rule, fid)

    monkeypatch.setattr(reg, "record", record)
    facts = [{"rule": "act", "id": "boom", "a": 1}, {"rule": "act", "id": "fine", "a": 1}]
    e.evaluate("before", [{"rule": "act", "id": "early", "a": 2}])  # a session is open
    failed_in = reg.session
    with pytest.raises(EngineError, match="boom"):
        e.evaluate("exc", facts)
    assert reg.session is None and reg.leaked_sessions == 0  # closed after the error, deleted
    with pytest.raises(Exception, match="309"):  # 309: session not found
        _c().get_state(reg.handle, failed_in)
    monkeypatch.undo()
    assert e.evaluate("next", facts) == [Match("act", "boom"), Match("act", "fine")]
    assert reg.session not in (None, failed_in)  # a new one


def test_no_host_timer_threads():
    make_engine("durable", [CompiledRule("t", M.eq("a", 1))])
    h = host.host()
    assert h._d_timer is None and h._t_timer is None
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]


def test_durable_rules_count_matches_alternatives():
    rules = _many_rules(8)
    e = make_engine("durable", rules)
    assert e.durable_rules == sum(M.alternatives(r.condition) for r in rules)


# ---------------------------------------------------------------------------
# durable stays at the edge
# ---------------------------------------------------------------------------

# durable's dict spellings: operators and the keys of its arithmetic
_DURABLE_SPELLING = re.compile(
    r"""["']\$(?:and|or|m|ex|nex|eq|neq|lt|lte|gt|gte|add|sub|mul|div|l|r|mt|not|s|i)["']"""
)


def test_no_durable_spelling_outside_its_adapter():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "durable" in path.relative_to(PACKAGE).parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _DURABLE_SPELLING.search(line):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert offenders == []
    # the pattern does find them where they belong
    translate_py = (PACKAGE / "engine" / "durable" / "translate.py").read_text(encoding="utf-8")
    assert _DURABLE_SPELLING.search(translate_py)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _engine_modules() -> dict[str, ast.Module]:
    return {
        _module_name(p): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted((PACKAGE / "engine").rglob("*.py"))
    }


def test_engine_imports_at_module_level_except_durable_rules_itself():
    inside_functions = []
    for name, tree in _engine_modules().items():
        for func in ast.walk(tree):
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(func):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        modules = (
                            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                        )
                        inside_functions.append((name, func.name, modules))
    # the optional C extension, imported on first use (see host.py)
    assert inside_functions == [
        ("gxaudit.engine.durable.host", "library", ["durable_rules_engine"]),
        ("gxaudit.engine.durable.host", "library", ["durable"]),
    ]


def test_no_import_cycle_in_the_engine():
    modules = _engine_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, tree in modules.items():
        for node in tree.body:
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                # `from package import submodule` imports the submodule
                targets = [
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                    for a in node.names
                ]
            graph[name] |= {t for t in targets if t in modules and t != name}
    assert graph["gxaudit.engine"] >= {"gxaudit.engine.durable", "gxaudit.engine.reference"}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join(path + [node, nxt]))
            if nxt not in state:
                visit(nxt, path + [node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


# -- remembered facts: durable evaluates each distinct fact once per process


def _memo_rules():
    return [
        CompiledRule("neg", M.lt("v", 0), route="cells"),
        CompiledRule("big", M.gt("v", 100), route="cells"),
        CompiledRule("odd", M.eq("kind", "odd"), route="cells"),
    ]


def _cells(values, kind="n"):
    return [
        {"rule": "cells", "id": f"c{k}", "v": v, "kind": kind, "label": f"row {k}"}
        for k, v in enumerate(values)
    ]


class _AssertSpy:
    """durable's C module, recording what is asserted."""

    def __init__(self, c):
        self.c, self.asserted = c, []

    def assert_fact(self, handle, payload):
        self.asserted.append(payload)
        return self.c.assert_fact(handle, payload)

    def __getattr__(self, name):
        return getattr(self.c, name)


def test_a_fact_seen_before_is_not_asserted_again():
    rules = _memo_rules()
    engine = DurableEngine(rules, memo_size=100)
    reference = make_engine("reference", rules)
    facts = _cells([-1, 5, 101, -1, 7])
    first = engine.evaluate("a", facts)
    assert first == reference.evaluate("a", facts)
    spy = engine._c = _AssertSpy(engine._c)
    # other ids, other untested properties ("label"): the same matches, nothing asserted
    again = [dict(f, id=f"x{k}", label="另一行") for k, f in enumerate(facts)]
    assert engine.evaluate("b", again) == reference.evaluate("b", again)
    assert spy.asserted == []
    # one new fact: only it (and the report's marker) reaches durable
    mixed = again + [{"rule": "cells", "id": "new", "v": 1000, "kind": "odd"}]
    assert engine.evaluate("c", mixed) == reference.evaluate("c", mixed)
    assert len(spy.asserted) == 2 and '"fid":"new"' in spy.asserted[0]


def test_remembered_and_asserted_give_the_same_matches_on_random_reports():
    rules = _many_rules(40)
    remembering = DurableEngine(rules, memo_size=50)  # small: forgetting happens too
    asserting = DurableEngine(rules, memo_size=0)
    rnd = random.Random(7)
    for i in range(200):
        facts = _report(rnd, rules, 12, 0.4)
        assert remembering.evaluate(f"r{i}", facts) == asserting.evaluate(f"r{i}", facts)
    assert 0 < len(remembering._reg.memo) <= 50


def test_equal_values_of_other_types_are_remembered_apart():
    rules = [
        CompiledRule("one", M.eq("v", 1), route="cells"),
        CompiledRule("yes", M.eq("v", True), route="cells"),
    ]
    reference = make_engine("reference", rules)
    engine = DurableEngine(rules, memo_size=100)
    engine._reg.memo.clear()
    # 1, 1.0 and True are one dict key in Python; not one fact for durable
    for values in ([1], [1.0], [True], [True, 1.0, 1], [1e-05, 1.0e16]):
        facts = _cells(values)
        assert engine.evaluate("t", facts) == reference.evaluate("t", facts)
    assert len(engine._reg.memo) == 5


def test_remembered_keys_hold_one_number_for_each_types():
    """The memo's keys hold a number per distinct types tuple (memory: MEMO_SIZE), and a key
    of other types is still another key."""
    rules = _memo_rules()
    engine = DurableEngine(rules, memo_size=100)
    engine._reg.memo.clear()
    reference = make_engine("reference", rules)
    for n, values in enumerate(([3, 4, 5], [6, 7.5, 8], [9, True, 10.0])):
        # the same values again of another kind: the key holds the kind, so another key
        again = [dict(f, id=f"again{f['id']}") for f in _cells(values, kind=f"k{n}")]
        facts = _cells(values, kind="odd") + again
        assert engine.evaluate(f"r{n}", facts) == reference.evaluate(f"r{n}", facts)
    # a key holds the number its types were given: one for each distinct types tuple
    types_of = {number: types for types, number in engine._reg.types_of_keys.items()}
    assert len(types_of) == len(engine._reg.types_of_keys)
    assert {t for key in engine._reg.memo for t in types_of[key[2]]} == {int, float, bool, str}


def test_types_past_those_given_a_number_are_held_as_they_are(monkeypatch):
    """Past TYPES_KEPT types tuples, a key holds its types tuple itself: never the key of
    facts of other types, numbered or not."""
    from gxaudit.engine.durable import engine as durable_engine

    rules = _memo_rules()
    engine = DurableEngine(rules, memo_size=100)
    engine._reg.memo.clear()
    reference = make_engine("reference", rules)
    # (the engines of these rules share their registered ruleset: its memo and numbers)
    monkeypatch.setattr(engine._reg, "types_of_keys", {})
    monkeypatch.setattr(durable_engine, "TYPES_KEPT", 1)
    for n, values in enumerate(([3, 4, 5], [6, 7.5, 8], [9, True, 10.0], [9.0, 1, True], [9, 1.0, 1])):
        for again in range(2):
            other = [dict(f, id=f"other{f['id']}") for f in _cells(values, kind=f"k{n % 2}")]
            facts = _cells(values, kind="odd") + other
            assert engine.evaluate(f"r{n}.{again}", facts) == reference.evaluate(f"r{n}.{again}", facts)
    assert any(type(key[2]) is tuple for key in engine._reg.memo)
    assert any(type(key[2]) is int for key in engine._reg.memo)
    engine._reg.memo.clear()  # its keys hold these numbers only


def test_a_fact_like_the_one_before_it_is_answered_as_it_only_when_of_the_same_types():
    """A fact whose tested values and types are those of the fact before it (same route)
    takes its answer; 1, 1.0 and True, equal in Python, one after another, do not."""
    rules = [
        CompiledRule("one", M.eq("v", 1), route="cells"),
        CompiledRule("yes", M.eq("v", True), route="cells"),
        CompiledRule("big", M.gt("v", 100), route="cells"),
        CompiledRule("no", M.eq("v", False), route="rows"),
    ]
    reference = make_engine("reference", rules)
    engine = DurableEngine(rules, memo_size=100)
    engine._reg.memo.clear()
    pool = [1, True, 1.0, 0, False, 0.0, None, 101, 2**60, 2**60, 102.0]
    for value in pool:  # each remembered
        engine.evaluate("warm", _cells([value]) + [{"rule": "rows", "id": "r", "v": value}])
    spy = engine._c = _AssertSpy(engine._c)
    rnd = random.Random(3)
    for i in range(60):
        values = [rnd.choice(pool) for _ in range(8)]
        values = [v for v in values for _ in range(rnd.randint(1, 3))]  # runs of equal values
        facts = [
            {"rule": rnd.choice(("cells", "rows")), "id": f"f{k}", "v": v}
            if v is not None
            else {"rule": "cells", "id": f"f{k}"}
            for k, v in enumerate(values)
        ]
        assert engine.evaluate(f"r{i}", facts) == reference.evaluate(f"r{i}", facts), facts
    assert spy.asserted == []


def test_facts_of_interleaved_routes_some_lacking_a_property_are_keyed_as_each_alone():
    """A route's facts are keyed the same whether its properties are read in one call (every
    fact of it so far had them all) or one by one (one lacked one), whether a fact takes the
    key of the last fact of its route (other routes' facts between them) or looks its own
    up; a route testing one property reads it alone. Both engines and asserting every fact
    agree, and each key is the one made from the fact alone."""
    rules = [
        CompiledRule("low", M.lt("v", 0), route="rows"),
        CompiledRule("same", M.eq("v", prop("w")), route="rows"),
        CompiledRule("word", M.any_of(M.eq("s", "x"), M.missing("s")), route="rows"),
        CompiledRule("one", M.eq("v", 1), route="single"),
        CompiledRule("yes", M.eq("v", True), route="single"),
        CompiledRule("big", M.gt("v", 100), route="wide"),
        CompiledRule("t", M.eq("flag", True), route="wide"),
    ]
    reference = make_engine("reference", rules)
    remembering = DurableEngine(rules, memo_size=100)
    asserting = DurableEngine(rules, memo_size=0)
    remembering._reg.memo.clear()
    pool = [0, 1, True, False, 1.0, 0.0, -1, 101, 2**60, "x", "y", None]
    rnd = random.Random(5)
    seen_getters = set()
    for i in range(200):
        facts = []
        route = rnd.choice(("rows", "single", "wide"))
        for k in range(rnd.randint(1, 12)):
            if rnd.random() < 0.3:
                route = rnd.choice(("rows", "single", "wide"))  # else a run of one route
            fact = {"rule": route, "id": f"f{k}"}
            for name in ("v", "w", "s", "flag"):
                value = rnd.choice(pool)
                if value is not None or i < 100:  # no property missing in the first reports
                    fact[name] = value
            facts.append(fact)
        expected = reference.evaluate(f"r{i}", facts)
        assert remembering.evaluate(f"r{i}", facts) == expected, facts
        assert asserting.evaluate(f"r{i}", facts) == expected
        seen_getters.add(tuple(sorted(r for r, g in remembering._getters.items() if g is not None)))
    assert ("rows", "wide") in seen_getters and () in seen_getters  # both ways of reading were used
    assert remembering._getters["single"] is None  # one property: read alone
    # every remembered key is what the fact alone gives: the route, the values (numbers
    # compared with constants only, by their standing) and the types of the values
    types_of = {number: types for types, number in remembering._reg.types_of_keys.items()}
    for key in remembering._reg.memo:
        route, parts, kind = key
        types = types_of[kind]
        assert len(parts) == len(types) == len(remembering._keys[route])
        for part, t in zip(parts, types):
            assert type(part) is t or (t in (int, float) and type(part) is tuple)


def test_nothing_is_remembered_from_a_report_that_failed(monkeypatch):
    rules = [CompiledRule("act", M.gt("a", 0))]
    engine = DurableEngine(rules, memo_size=100)
    engine._reg.memo.clear()
    monkeypatch.setattr(
        engine._reg, "record", lambda sid, rule, fid: (_ for _ in ()).throw(RuntimeError("boom"))
    )
    with pytest.raises(EngineError, match="boom"):
        engine.evaluate("bad", [{"rule": "act", "id": "1", "a": 5}])
    monkeypatch.undo()
    assert engine._reg.memo == {}
    assert engine.evaluate("good", [{"rule": "act", "id": "1", "a": 5}]) == [Match("act", "1")]


# -- a number compared only with constants is remembered by where it stands (memokey.py)


def test_thresholds_name_the_properties_compared_with_numeric_constants_only():
    from gxaudit.engine.durable.memokey import thresholds

    found = thresholds(
        [
            M.any_of(M.lt("v", 0), M.gt("v", 100), M.eq("v", 2.5)),
            M.all_of(M.ge(Const(0), prop("w")), M.present("w")),  # a constant on the left
            M.eq("s", "text"),  # a string constant: no figure to keep
            M.ne("total", M.add(prop("x"), prop("y"))),  # arithmetic: exact values
            M.gt("a", prop("b")),  # another property: exact values
            M.eq("big", 2**60),  # a constant past 2**53: exact values
            M.lt("mixed", 10),
            M.gt("mixed", prop("other")),  # compared with a constant above, with a property here
        ]
    )
    assert found["v"] == (0, 2.5, 100) and found["w"] == (0,) and found["s"] == ()
    assert not {"total", "x", "y", "a", "b", "big", "mixed", "other"} & set(found)


def test_standing_numbers_in_place_gives_each_number_its_standing():
    """stand_numbers (the loop the engine runs) puts at each place what standing() says of
    its number, and leaves every other value (bools, strings, None, kept numbers) as it is."""
    from gxaudit.engine.durable.memokey import EXACT_BELOW, stand_numbers, standing

    constants = (-3, 0, 2.5, 100)
    values = [-4, -3, -2.9, 0, 0.0, -0.0, 1, 2.5, 3, 100, 100.0, 101, 1e300, -(2**53) + 1, 2**53 - 1]
    values += [2**53, -(2**53), 2**70, float("inf"), float("-inf"), float("nan"), True, False, None, "7"]
    parts = list(values)
    stand_numbers(parts, tuple((i, constants) for i in range(len(values))))
    for value, part in zip(values, parts):
        if type(value) in (int, float):
            stands = standing(value, constants)
            assert part is value if stands is None else part == stands, value
            kept = abs(value) >= EXACT_BELOW if type(value) is int else value - value != 0.0
            assert (stands is None) == kept, value
        else:
            assert part is value
    # against one constant, as against several (read from two comparisons there)
    for constant in (0, 2.5, -3, 100):
        parts = list(values)
        stand_numbers(parts, tuple((i, (constant,)) for i in range(len(values))))
        for value, part in zip(values, parts):
            stands = standing(value, (constant,)) if type(value) in (int, float) else None
            assert part is value if stands is None else part == stands, (constant, value)
    # only the places named change
    parts = [5, 5]
    stand_numbers(parts, ((1, constants),))
    assert parts == [5, (3, 3)]


def test_numbers_that_stand_alike_against_the_constants_are_not_asserted_again():
    rules = _memo_rules()  # v < 0, v > 100, kind == "odd"
    engine = DurableEngine(rules, memo_size=100)
    engine._reg.memo.clear()
    reference = make_engine("reference", rules)
    first = _cells([-1, 5, 101])
    assert engine.evaluate("a", first) == reference.evaluate("a", first)
    spy = engine._c = _AssertSpy(engine._c)
    # other counts standing the same way against 0 and 100: nothing reaches durable
    again = _cells([-7, 64, 5000])
    assert engine.evaluate("b", again) == reference.evaluate("b", again)
    assert spy.asserted == []
    # 0 and 100 themselves stand elsewhere (equal), a float is another type, 2**53 is kept
    # exactly: each is asserted
    edges = _cells([0, 100, 5.5, 2**53, 2**53 + 1])
    assert engine.evaluate("c", edges) == reference.evaluate("c", edges)
    assert len(spy.asserted) == 6  # five facts and the marker


def test_remembering_by_standing_gives_the_matches_of_asserting_every_fact():
    """Random numbers around each rule's constants (equal, just off, far, floats, past
    2**53, of other kinds), through both engines and with forgetting."""
    rules = [
        CompiledRule("neg", M.lt("v", 0), route="cells"),
        CompiledRule("cap", M.ge("v", 1000), route="cells"),
        CompiledRule("half", M.eq("v", 2.5), route="cells"),
        CompiledRule("band", M.all_of(M.gt("w", -3), M.le("w", 7)), route="cells"),
        CompiledRule("sum", M.ne("t", M.add(prop("v"), prop("w"))), route="sums"),  # exact values
        CompiledRule("word", M.any_of(M.eq("w", "x"), M.missing("w")), route="cells"),
    ]
    remembering = DurableEngine(rules, memo_size=40)
    asserting = DurableEngine(rules, memo_size=0)
    reference = make_engine("reference", rules)
    rnd = random.Random(11)
    pool = [0, -1, 1, 2, 3, 2.5, 2.4999, -3, 7, 8, -4, 999, 1000, 1001, 0.0, -0.0, 7.0, 1e-05, 1e16,
            2**53 - 1, 2**53, -(2**53), 2**62, True, False, "x", "y", None]
    for i in range(300):
        facts = []
        for k in range(10):
            fact = {"rule": "cells" if k % 3 else "sums", "id": f"f{k}"}
            for name in ("v", "w", "t"):
                value = rnd.choice(pool) if rnd.random() < 0.8 else rnd.randint(-5000, 5000)
                if value is not None:
                    fact[name] = value
            facts.append(fact)
        expected = reference.evaluate(f"r{i}", facts)
        assert remembering.evaluate(f"r{i}", facts) == expected, facts
        assert asserting.evaluate(f"r{i}", facts) == expected
    # the cells route's numbers were remembered by standing; the sums route's exactly
    places = dict(remembering._standings["cells"])
    assert sorted(places.values()) == [(-3, 7), (0, 2.5, 1000)] and "sums" not in remembering._standings


def test_a_number_durable_cannot_take_is_never_answered_from_memory():
    """NaN stands as if equal to every constant, inf beyond them all: neither is keyed by
    where it stands, so the engine still refuses them as before anything was remembered."""
    rules = [CompiledRule("zero", M.eq("v", 0), route="cells"), CompiledRule("pos", M.gt("v", 0), route="cells")]
    engine = DurableEngine(rules, memo_size=100)
    engine.evaluate("seen", _cells([0, 5, 1e300]), trusted=True)  # equal, above, a large float above
    for value in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(EngineError, match="not a finite number"):
            engine.evaluate("odd", _cells([value]), trusted=True)


def test_an_action_durable_gave_up_on_is_an_error_not_a_lost_match(monkeypatch):
    """durable drops an action's completion that comes more than 10 s after the action started
    (a stopped process, a clock step) and holds the session's later actions back. The report's
    marker then does not run: the report is an error (nothing remembered, the session left
    alive rather than deleted mid-action), not a report with matches silently lost (they would
    have run in a later report of the same session), and the next report is whole."""
    import durable.engine as durable_library

    rules = [CompiledRule("pos", M.gt("a", 0))]
    engine = DurableEngine(rules, memo_size=100)
    engine.close()
    engine._reg.memo.clear()
    reference = make_engine("reference", rules)
    skew = [0.0]
    real_now = durable_library._unix_now
    monkeypatch.setattr(durable_library, "_unix_now", lambda: real_now() + skew[0])
    original = engine._reg.record

    def slow_record(sid, rule, fid):
        original(sid, rule, fid)
        skew[0] += 11  # the action's callback comes 11 s after it started

    monkeypatch.setattr(engine._reg, "record", slow_record)
    leaked = engine._reg.leaked_sessions
    stalled = [{"rule": "pos", "id": f"pos#{k}", "a": v} for k, v in enumerate([1, 2, 3])]
    with pytest.raises(EngineError, match="marker's action did not run"):
        engine.evaluate("A", stalled)
    assert engine._reg.memo == {} and engine._reg.session is None
    assert engine._reg.leaked_sessions == leaked + 1
    monkeypatch.setattr(engine._reg, "record", original)
    for name, values in (("B", [4, 5]), ("C", [-1, 2**60, -3, -4])):
        facts = [{"rule": "pos", "id": f"pos#{k}", "a": v} for k, v in enumerate(values)]
        assert engine.evaluate(name, facts) == reference.evaluate(name, facts)
