"""The durable-rules engine: all rules in ONE ruleset, registered once per process.

This module designs around the traps in /work/shared/notes/durable-rules.md and
around further ones measured while writing it (durable-rules 2.0.28, the
C sources of that release were read to confirm each):

Rules as data
    Every compiled rule becomes durable rules in the dict ("JSON") form
    ``{ruleset: {"r<i>_<j>": {"all": [{"m": {"$and": [{"bkt": b},
    {"rule": rule_id}, test, ...]}}], "run": action}}}`` -- no generated
    Python, no decorators.

Kinds
    Raw durable compares across types (``1 == "1"``, ``1 == true``, ``0 == ""``
    and ``"0"``), treats a missing reference as null (``a != $m b`` holds when
    ``b`` is missing) and makes ``$lte``/``$gte`` between bools always true.
    So a fact property ``p`` is asserted under a name that carries its kind:
    ``p#n`` (int/float), ``p#s`` (str), ``p#b`` (bool); None is left out.  A
    comparison with a constant tests the one name of the constant's kind;
    arithmetic uses ``#n`` names only (each referenced name guarded by
    ``$ex``).  For a comparison between two properties, the facts of that
    rule also carry ``p#t`` (the kind: "n", "s" or "b") and ``p#v`` (the
    value, any kind): the rule tests ``p#t == q#t`` before ``p#v op q#v``.
    Two values of different kinds are never compared.

No ``$nex`` and no ``$or``
    ``$nex`` at the top of a rule or inside an ``$or`` sends the C engine into
    an endless loop (100% CPU, holding the GIL).  ``$ex``/``$nex`` of the
    dialect become a flag property ``p#e`` (true/false) that the engine adds
    to the facts of the rules that need it.  ``$or`` is expanded: a condition
    is put in disjunctive form and each conjunct is its own durable rule
    (matches are deduplicated), so durable only ever sees ``$and``.

Alpha stack
    The C engine walks matching alpha nodes with a fixed stack of 64 entries
    (error 303 beyond).  Tests with a ``$m`` right side are never shared
    between rules (durable compares string-pool offsets, not names), so
    each conjunct has its own chain from its first such test on; they are put
    last in each conjunct.  Pending nodes have disjoint subtrees, each ending
    in at least one conjunct, so at most conditions.MAX_BRANCHES = 60
    conjuncts per rule keeps the stack below 64.

Buckets
    Each alpha node keeps its children in a 512-slot open-addressing table;
    when it is full the engine loops forever while matching.  All rule tests
    ``rule == X`` would be children of the root, so rules are grouped by 64
    under a ``bkt == b`` test first.

Numbers
    The C JSON parser rejects ``1e-05`` and ``1e+16`` (error 204: it wants a
    ``.`` before the exponent) and crashed on very long plain decimals, so
    floats are written as ``1.0e-05``; ints must fit int64.  The ruleset JSON
    is therefore produced here (``_Ruleset``) instead of by ``json.dumps``.

Facts, sessions, messages
    Facts are asserted one by one with the C ``assert_fact`` (the batch call
    reports only the *last* unmatched/duplicate status, so a fact rejected as
    "already observed" can be masked by a later unmatched one); a fact for a
    rule that is not in the ruleset is not asserted at all.  Each report
    gets a fresh ``sid``; its state is deleted after the report
    (``delete_state``) so more than 1,024 reports work.  durable identifies a
    message by a 32-bit FNV-1a hash of its ``id`` only, so facts are asserted
    with ids "0", "1", ... (distinct hashes below 100,000, checked) and carry
    their own id in ``fid``; the session's state message ("sid-<sid>") and
    the marker's id are checked not to collide.

Property names
    durable finds a property by a 32-bit FNV-1a hash of its name only (bytes
    read as signed chars): two names with the same hash are confused, so a
    rule on one matches a fact that has only the other.  The names the rules
    read must have distinct hashes (ValueError when the engine is built), and
    a fact property whose name collides with one of them is an EngineError.

Document marker
    After the facts, a marker fact (rule ``$document``) is asserted LAST.  It
    matches an internal rule whose action records that the report went
    through.  Besides confirming completion, this works around a C bug:
    ``delete_state`` frees the session's action-context pointers, which are
    left uninitialised until an action has run in that session -- deleting a
    session that never ran an action segfaulted (reproduced with 80+ rules).
    If the marker's action could not run, the session is left alive rather
    than deleted.

Errors
    An exception inside an action is stored by durable in the session state;
    the state is read after each report and turned into EngineError, as are
    "already observed", an unhandled marker, and any C engine error.

Timers and the Host
    One process-wide Host, created without its two timer threads (they never
    stop and race the caller); no action here depends on them.  The ruleset
    of a given rule set is registered once per process and reused by every
    engine built for the same rules.  The C engine holds the GIL: use one
    engine per worker process; calls are serialised by a lock.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import threading
from typing import Any

from gxaudit.engine import CompiledRule, EngineError, Match, check_facts
from gxaudit.engine.conditions import (
    MAX_BRANCHES,
    Cmp,
    Const,
    Ex,
    Nex,
    Or,
    ORDERINGS,
    Ref,
    kind_of,
    parse_condition,
    special_props,
)

try:  # durable-rules builds a C extension; it fails on Python 3.13+
    import durable_rules_engine as _dre
    from durable.engine import Host as _Host
    from durable.engine import Promise as _Promise
    from durable.engine import Ruleset as _DurableRuleset

    _IMPORT_ERROR: Exception | None = None
except Exception as _exc:  # pragma: no cover - depends on the platform
    _dre = None
    _Host = object  # type: ignore[assignment,misc]
    _Promise = None
    _DurableRuleset = object  # type: ignore[assignment,misc]
    _IMPORT_ERROR = _exc

log = logging.getLogger(__name__)

MARKER_RULE = "$document"
MARKER_ID = "doc"
RULES_PER_BUCKET = 64
_SCHEME = "gxaudit-durable-1"  # bump when the compiled form changes

# compact JSON, one encoder (json.dumps with options builds one per call)
_json_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# C result codes of assert_fact
_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2


# --------------------------------------------------------------------------
# JSON as the C parser wants it
# --------------------------------------------------------------------------


def float_token(x: float) -> str:
    """A float as a JSON number the C engine parses exactly."""
    r = float.__repr__(x)
    if "e" in r or "E" in r:
        mant, _, exp = r.partition("e")
        if "." not in mant:
            mant += ".0"
        return f"{mant}e{exp}"
    return r


def _needs_float_fix(x: float) -> bool:
    # float repr switches to exponent notation outside [1e-4, 1e16)
    return x != 0.0 and not (1e-4 <= abs(x) < 1e16)


def dumps(obj: Any) -> str:
    """JSON for the C engine: like json.dumps(ensure_ascii=False), floats fixed."""
    t = type(obj)
    if t is dict:
        return (
            "{"
            + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{dumps(v)}" for k, v in obj.items())
            + "}"
        )
    if t is list or t is tuple:
        return "[" + ",".join(dumps(v) for v in obj) + "]"
    if t is float:
        return float_token(obj)
    if t is bool:
        return "true" if obj else "false"
    if t is int:
        return str(obj)
    if t is str:
        return json.dumps(obj, ensure_ascii=False)
    if obj is None:
        return "null"
    raise TypeError(f"cannot encode {obj!r}")


def fnv1a32(text: str) -> int:
    """durable's 32-bit FNV-1a over UTF-8 bytes read as *signed* chars (x86)."""
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        if b >= 0x80:
            b |= 0xFFFFFF00  # sign extension of a negative char
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


# --------------------------------------------------------------------------
# Host and ruleset
# --------------------------------------------------------------------------


class _QuietHost(_Host):  # type: ignore[misc,valid-type]
    """A durable Host without the two timer threads the base class starts."""

    def _run(self) -> None:  # base: starts dispatch_ruleset/dispatch_timers timers
        self._d_timer = None
        self._t_timer = None

    def add_ruleset(self, ruleset: "_Ruleset") -> None:
        name = ruleset._name
        if name in self._ruleset_directory:
            raise ValueError(f"ruleset {name} already registered")
        self._ruleset_directory[name] = ruleset
        self._ruleset_list.append(ruleset)


class _Ruleset(_DurableRuleset):  # type: ignore[misc,valid-type]
    """durable's Ruleset built from the dict form, JSON encoded by :func:`dumps`."""

    def __init__(self, name: str, host: Any, definition: dict):
        self._actions = {}
        self._name = name
        self._host = host
        clean = {}
        for rule_name, rule in definition.items():
            rule = dict(rule)
            self._actions[rule_name] = _Promise(rule.pop("run"))
            clean[rule_name] = rule
        self._handle = _dre.create_ruleset(name, dumps(clean))
        self._definition = clean


_host_lock = threading.Lock()
_HOST: Any = None


def host() -> Any:
    """The process-wide Host (no timer threads)."""
    global _HOST
    with _host_lock:
        if _HOST is None:
            if _IMPORT_ERROR is not None:
                raise RuntimeError(f"durable-rules is not available: {_IMPORT_ERROR!r}")
            _HOST = _QuietHost()
        return _HOST


# --------------------------------------------------------------------------
# Compiling the dialect to durable conjunctions
# --------------------------------------------------------------------------


def _name(prop: str, kind: str) -> str:
    return f"{prop}#{kind}"


def _test(op: str, name: str, value: Any) -> dict:
    return {name: value} if op == "$eq" else {op: {name: value}}


def _expr(expr: Any, refs: list[str]) -> Any:
    """An arithmetic expression over #n names; collects the referenced names."""
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Ref):
        name = _name(expr.prop, "n")
        refs.append(name)
        return {"$m": name}
    return {expr.op: {"$l": _expr(expr.left, refs), "$r": _expr(expr.right, refs)}}


def _atom(node: Any) -> tuple[list[dict], list[dict]]:
    """(shareable tests, reference tests) of one comparison / $ex / $nex.

    Shareable tests compare with a constant; durable merges equal ones of
    different rules into one alpha node.  A test whose right side is a ``$m``
    reference is never merged (durable compares string-pool offsets), so
    those come last in a conjunct.
    """
    if isinstance(node, Ex):
        return [{_name(node.prop, "e"): True}], []
    if isinstance(node, Nex):
        return [{_name(node.prop, "e"): False}], []
    op, prop, expr = node.op, node.prop, node.expr
    if isinstance(expr, Const):
        return [_test(op, _name(prop, kind_of(expr.value)), expr.value)], []
    if isinstance(expr, Ref):
        # both kinds tagged: p#t / q#t hold "n", "s" or "b"; p#v / q#v the value
        other = expr.prop
        shared = [{"$ex": {_name(prop, "t"): 1}}, {"$ex": {_name(other, "t"): 1}}]
        if op in ORDERINGS:
            shared.append({"$neq": {_name(prop, "t"): "b"}})
        refs = [
            {_name(prop, "t"): {"$m": _name(other, "t")}},
            _test(op, _name(prop, "v"), {"$m": _name(other, "v")}),
        ]
        return shared, refs
    names: list[str] = []
    durable_expr = _expr(expr, names)
    shared = [{"$ex": {n: 1}} for n in dict.fromkeys(names)]
    return shared, [_test(op, _name(prop, "n"), durable_expr)]


def conjuncts(node: Any) -> list[list[dict]]:
    """The durable tests of ``node`` in disjunctive form (list of AND-lists)."""

    def walk(n: Any) -> list[tuple[list[dict], list[dict]]]:
        if isinstance(n, (Cmp, Ex, Nex)):
            return [_atom(n)]
        parts = [walk(i) for i in n.items]
        if isinstance(n, Or):
            return [c for part in parts for c in part]
        out = []
        for combo in itertools.product(*parts):
            out.append(([t for s, _ in combo for t in s], [t for _, r in combo for t in r]))
        return out

    result = []
    seen: set[str] = set()
    for shared, refs in walk(node):
        uniq: dict[str, dict] = {}
        for t in shared + refs:
            uniq.setdefault(dumps(t), t)
        key = "\x1f".join(uniq)
        if key not in seen:
            seen.add(key)
            result.append(list(uniq.values()))
    return result


def _names_in(obj: Any, out: set[str]) -> None:
    """Every property name a durable test reads."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "$m":
                out.add(v)
            elif not k.startswith("$"):
                out.add(k)
            _names_in(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _names_in(v, out)


_INTERNAL_NAMES = ("sid", "id", "bkt", "rule", "fid")
_KIND_TAG = {int: "n", float: "n", str: "s", bool: "b"}


def rules_key(rules: list[CompiledRule]) -> str:
    payload = json.dumps(
        [_SCHEME] + [[r.rule_id, r.fact_route, r.condition]
                     for r in sorted(rules, key=lambda r: r.rule_id)],
        ensure_ascii=False,
        sort_keys=True,
        default=repr,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------
# One registered ruleset (shared by every engine built for the same rules)
# --------------------------------------------------------------------------


class _Registered:
    def __init__(self, key: str, rules: list[CompiledRule]):
        self.name = f"gxaudit_{key[:16]}"
        self.lock = threading.Lock()
        self.rule_info: dict[str, tuple[int, tuple, tuple]] = {}
        self.durable_rules = 0
        self.leaked_sessions = 0
        self._results: dict[str, list[tuple[str, str]]] = {}
        self._done: set[str] = set()
        self._sid_counter = itertools.count(1)
        self._mid_hashes: set[int] = set()
        self._mid_upto = 0
        self._id_strings: list[str] = []

        definition: dict[str, dict] = {}
        read_names: set[str] = set(_INTERNAL_NAMES)
        # rules sharing a route read the same facts: they stay in one bucket,
        # and their alternatives together stay within the engine's stack
        by_route: dict[str, list[CompiledRule]] = {}
        for rule in sorted(rules, key=lambda r: (r.fact_route, r.rule_id)):
            by_route.setdefault(rule.fact_route, []).append(rule)
        bucket, in_bucket, index = 0, 0, 0
        for route, group in by_route.items():
            if len(group) > RULES_PER_BUCKET:
                raise ValueError(f"durable engine: route {route!r} has more than "
                                 f"{RULES_PER_BUCKET} rules")
            if in_bucket + len(group) > RULES_PER_BUCKET:
                bucket, in_bucket = bucket + 1, 0
            in_bucket += len(group)
            route_flags: set[str] = set()
            route_tags: set[str] = set()
            alternatives = 0
            head = [{"bkt": bucket}, {"rule": route}]
            for rule in group:
                node = parse_condition(rule.condition)
                flags, tags = special_props(node)
                route_flags |= set(flags)
                route_tags |= set(tags)
                conj = conjuncts(node)
                alternatives += len(conj)
                action = self._action_for(rule.rule_id)
                for j, tests in enumerate(conj):
                    _names_in(tests, read_names)
                    definition[f"r{index}_{j}"] = {
                        "all": [{"m": {"$and": head + tests}}],
                        "run": action,
                    }
                self.durable_rules += len(conj)
                index += 1
            if alternatives > MAX_BRANCHES:
                raise ValueError(f"durable engine: the rules of route {route!r} have "
                                 f"{alternatives} alternatives, more than {MAX_BRANCHES}")
            self.rule_info[route] = (
                bucket,
                tuple((p, _name(p, "e")) for p in sorted(route_flags)),
                tuple((p, _name(p, "t"), _name(p, "v")) for p in sorted(route_tags)),
            )
        definition["doc"] = {
            "all": [{"m": {"$and": [{"bkt": -1}, {"rule": MARKER_RULE}]}}],
            "run": self._action_for(MARKER_RULE),
        }

        # durable looks properties up by a 32-bit hash of their name only
        self.read_hashes: dict[int, str] = {}
        for n in sorted(read_names):
            h = fnv1a32(n)
            other = self.read_hashes.get(h)
            if other is not None and other != n:
                raise ValueError(
                    f"durable engine: property names {other!r} and {n!r} have the same "
                    "32-bit hash in durable-rules; rename one"
                )
            self.read_hashes[h] = n
        self.read_names = frozenset(read_names)
        # verified encoded names per kind: prop -> "prop#k"
        self.enc: dict[str, dict[str, str]] = {"n": {}, "s": {}, "b": {}}

        self.ruleset = _Ruleset(self.name, host(), definition)
        self.handle = self.ruleset._handle
        host().add_ruleset(self.ruleset)

    # -- the single action of every rule ----------------------------------
    def _action_for(self, rule_id: str):
        """A one-argument function (durable inspects the action's signature)."""
        def action(c: Any) -> None:
            self._action(rule_id, c)
        return action

    def _action(self, rule_id: str, c: Any) -> None:
        m = c.m
        sid = m["sid"]
        if rule_id == MARKER_RULE:
            self._done.add(sid)
        else:
            self.record(sid, rule_id, m["fid"])

    def record(self, sid: str, rule: str, fid: str) -> None:
        self._results[sid].append((rule, fid))

    # -- names --------------------------------------------------------------
    def encoded_name(self, prop: str, kind: str, report_key: str) -> str:
        name = _name(prop, kind)
        if name not in self.read_names:
            other = self.read_hashes.get(fnv1a32(name))
            if other is not None:
                raise EngineError(
                    f"{report_key}: property {prop!r} collides with {other!r} in "
                    "durable-rules' 32-bit name hash"
                )
        self.enc[kind][prop] = name
        return name

    # -- message ids ----------------------------------------------------------
    def id_strings(self, n: int) -> list[str]:
        ids = self._id_strings
        if len(ids) < n:
            ids.extend(str(k) for k in range(len(ids), n))
        return ids

    def mid_hashes(self, n: int) -> set[int]:
        if self._mid_upto < n:
            ids = self.id_strings(n)
            for k in range(self._mid_upto, n):
                self._mid_hashes.add(fnv1a32(ids[k]))
            self._mid_upto = n
        return self._mid_hashes

    def new_sid(self, n_facts: int) -> str:
        taken = self.mid_hashes(max(n_facts, 1))
        if fnv1a32(MARKER_ID) in taken:  # checked in the tests for every n allowed
            raise EngineError(f"marker id {MARKER_ID!r} collides with a fact id")
        marker = fnv1a32(MARKER_ID)
        while True:
            sid = str(next(self._sid_counter))
            state_mid = fnv1a32(f"sid-{sid}")  # durable's id of the session state
            if state_mid not in taken and state_mid != marker:
                return sid


_registry_lock = threading.Lock()
_REGISTRY: dict[str, _Registered] = {}


def _registered(rules: list[CompiledRule]) -> _Registered:
    key = rules_key(rules)
    with _registry_lock:
        reg = _REGISTRY.get(key)
        if reg is None:
            reg = _Registered(key, rules)
            _REGISTRY[key] = reg
        return reg


# --------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------


class DurableEngine:
    """The durable-rules engine (name "durable")."""

    name = "durable"

    def __init__(self, rules: list[CompiledRule]):
        if _IMPORT_ERROR is not None:
            raise RuntimeError(f"durable-rules is not available: {_IMPORT_ERROR!r}")
        self._reg = _registered(list(rules))

    @property
    def durable_rules(self) -> int:
        """How many durable rules the compiled rules expanded to."""
        return self._reg.durable_rules

    # -- encoding ----------------------------------------------------------
    def _encode(self, fact: dict, sid: str, mid: str, report_key: str) -> str | None:
        reg = self._reg
        info = reg.rule_info.get(fact["rule"])
        if info is None:
            return None  # no rule for this fact: it could match nothing
        bucket, flags, tags = info
        out: dict[str, Any] = {
            "sid": sid,
            "id": mid,
            "bkt": bucket,
            "rule": fact["rule"],
            "fid": fact["id"],
        }
        enc_n, enc_s, enc_b = reg.enc["n"], reg.enc["s"], reg.enc["b"]
        fix = False
        for prop, value in fact.items():
            t = type(value)
            if t is str:
                name = enc_s.get(prop) or reg.encoded_name(prop, "s", report_key)
            elif t is int:
                name = enc_n.get(prop) or reg.encoded_name(prop, "n", report_key)
            elif t is float:
                name = enc_n.get(prop) or reg.encoded_name(prop, "n", report_key)
                if not fix and _needs_float_fix(value):
                    fix = True
            elif t is bool:
                name = enc_b.get(prop) or reg.encoded_name(prop, "b", report_key)
            else:  # None (check_facts admits nothing else)
                continue
            out[name] = value
        for prop, flag in flags:
            out[flag] = fact.get(prop) is not None
        for prop, tag, any_kind in tags:
            value = fact.get(prop)
            if value is not None:
                out[tag] = _KIND_TAG[type(value)]
                out[any_kind] = value
                if not fix and type(value) is float and _needs_float_fix(value):
                    fix = True
        if fix:
            return dumps(out)
        return _json_encode(out)

    # -- one report --------------------------------------------------------
    def evaluate(self, report_key: str, facts: list[dict]) -> list[Match]:
        check_facts(facts, report_key)
        reg = self._reg
        with reg.lock:
            sid = reg.new_sid(len(facts))
            reg._results[sid] = []
            try:
                return self._run(report_key, sid, facts)
            except EngineError:
                raise
            except MemoryError as exc:
                raise EngineError(f"{report_key}: durable ran out of sessions/memory: {exc!r}") from exc
            except Exception as exc:
                raise EngineError(f"{report_key}: durable engine error: {exc!r}") from exc
            finally:
                self._finish(report_key, sid)

    def _run(self, report_key: str, sid: str, facts: list[dict]) -> list[Match]:
        reg = self._reg
        handle = reg.handle
        ruleset = reg.ruleset
        errors: list[Any] = []

        def complete(error: Any, _state: Any) -> None:
            if error is not None:
                errors.append(error)

        ids = reg.id_strings(len(facts))
        for k, fact in enumerate(facts):
            payload = self._encode(fact, sid, ids[k], report_key)
            if payload is None:
                continue
            code, offset = _dre.assert_fact(handle, payload)
            if code == _OK:
                ruleset.do_actions(offset, complete)
                if errors:
                    raise EngineError(f"{report_key}: durable action failed: {errors[0]!r}")
            elif code == _OBSERVED:
                raise EngineError(
                    f"{report_key}: durable rejected fact {fact['id']!r} as already observed"
                )
            elif code != _NOT_HANDLED:
                raise EngineError(f"{report_key}: durable assert_fact returned code {code}")

        # the document marker, last
        code, offset = _dre.assert_fact(handle, self._marker(sid))
        if code != _OK:
            raise EngineError(f"{report_key}: document marker not handled (code {code})")
        ruleset.do_actions(offset, complete)
        if errors:
            raise EngineError(f"{report_key}: durable action failed: {errors[0]!r}")
        if sid not in reg._done:
            raise EngineError(f"{report_key}: the document marker's action did not run")
        state = json.loads(_dre.get_state(handle, sid))
        if "exception" in state:
            raise EngineError(f"{report_key}: exception in a durable action: {state['exception']}")
        found = set(reg._results[sid])
        return [Match(r, f) for r, f in sorted(found)]

    @staticmethod
    def _marker(sid: str) -> str:
        return json.dumps({"sid": sid, "id": MARKER_ID, "bkt": -1, "rule": MARKER_RULE})

    def _finish(self, report_key: str, sid: str) -> None:
        reg = self._reg
        try:
            if sid not in reg._done:
                # run one action in the session first: deleting a session that
                # never ran one frees uninitialised pointers in the C engine
                try:
                    code, offset = _dre.assert_fact(reg.handle, self._marker(sid))
                    if code == _OK:
                        reg.ruleset.do_actions(offset, lambda e, s: None)
                except Exception:  # noqa: BLE001 - best effort on an error path
                    pass
            if sid in reg._done:
                try:
                    _dre.delete_state(reg.handle, sid)
                except Exception as exc:  # noqa: BLE001
                    reg.leaked_sessions += 1
                    log.warning("%s: could not delete durable session %s: %r", report_key, sid, exc)
            else:
                reg.leaked_sessions += 1
                log.warning("%s: durable session %s left alive (not safe to delete)", report_key, sid)
        finally:
            reg._done.discard(sid)
            reg._results.pop(sid, None)
