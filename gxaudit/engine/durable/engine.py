"""The durable-rules engine: all rules in ONE ruleset, registered once per process.

The conditions are translated by translate.py and laid out by layout.py; this
module asserts the facts of one report at a time (durable-rules 2.0.28; each
trap below was reproduced, and the C sources of that release read to
confirm it).

Facts, not events
    ``post()`` consumes an event at its first match, and one-to-many joins
    lost findings: facts are asserted with the C ``assert_fact``, one by one
    (the batch call reports only the *last* unmatched/duplicate status, so a
    fact rejected as "already observed" could be masked by a later unmatched
    one).  A fact for a route no rule reads is not asserted at all.

Sessions
    Opening a session is most of what asserting a report's first fact costs
    (~115 µs, against ~2 µs for a fact that matches nothing in an open one),
    and 60 % of generated reports bring a few facts durable has not seen.  So
    one session serves report after report: a report's facts (and its
    marker, below) take the next ids of the session, and its matches are
    those its own facts' actions recorded (every rule is a condition on one
    fact, so facts left in the session from earlier reports match nothing
    new).  A session is closed
    and its state deleted (``delete_state``) once it has taken
    SESSION_FACTS facts, after any error, and by :meth:`DurableEngine.close`:
    a ruleset holds at most 1,024 live sessions, and the rulesets of a process
    keep one open each at most.

Messages
    durable identifies a message by a 32-bit FNV-1a hash of its ``id`` only,
    and rejects one whose hash it has seen ("already observed"), so facts
    are asserted with ids "0", "1", ... (distinct hashes below
    MAX_FACTS_PER_REPORT, checked in the tests) and carry their own id in
    ``fid``; the session's state message ("sid-<sid>") and the marker's id
    are checked not to collide with them.

Properties
    A fact is sent with only the properties the rules of its route test
    (``RouteInfo.reads``; the C engine scans every property of a fact at every
    node the fact reaches).  Those names have distinct hashes (checked by the
    layout), so a fact property whose name's hash collides with a read name is
    never sent and cannot be confused with it: no match, as in the reference
    engine.

Document marker
    After a report's facts, a marker fact (route ``$document``, the next id
    of the session) is asserted LAST.  It matches an internal rule whose
    action records that the report went through: durable runs a session's
    actions one at a time, so the marker's action running says every action
    of the report's facts ran before it.  (durable gives up on an action whose
    callback comes more than 10 s after it started -- a process stopped, a
    clock stepped -- and then blocks the session's later actions: without
    the marker, the report's later matches would be lost silently, and left
    to a later report.)  A marker that does not run is an EngineError; the
    session is then left alive rather than deleted.  An action having run in
    a session also works around a C bug: ``delete_state`` frees the session's
    action-context pointers, which are left uninitialised until an action
    has run in that session -- deleting a session that never ran an action
    segfaulted (reproduced with 80+ rules); a session closed before any
    report's marker ran gets one first.

Errors
    An exception inside an action is stored by durable in the session state;
    the state is read after each report and turned into EngineError, as are
    "already observed", a marker not handled, and any C engine error; the
    session is then closed (and never reused).

Remembered facts
    Every rule is a condition on ONE fact, so what durable matches for a fact
    depends only on what it is sent of it (the route and the tested
    properties; the session and ids aside).  The engine remembers, per
    process, the rules durable matched for up to MEMO_SIZE distinct facts
    and gives a fact it has already seen those rules without asserting it
    again; a report whose facts were all seen asserts nothing.  Reports of
    one format repeat most of their facts (presence, sections, zero rows:
    79 % of the facts of the 19 real reports of seeds and corpus audited in
    one process had been seen, 93 % of those of generated reports), so durable
    evaluates each distinct fact once.  The key is the route and the values of the
    properties it tests, with their types (1, 1.0 and True are equal keys
    in Python, not for durable; a key holds a number standing for the
    types tuple); a number the route only compares with
    constants counts by where it stands against them (memokey.py); nothing
    is remembered from a report that ended in an error.  Many facts have the
    tested values (and types) of the last fact of their route in the report
    (rows of zeros, presence; a table's rows alternate between the routes of
    their groups): such a fact takes that fact's key and what the
    memo said of it, as looking its own key up would (the key is made of the
    route, values and types alone, the memo changes only after the loop, and
    for the values facts hold, str, int, float, bool and None, tuples compare
    equal exactly when they are equal dict keys).

Threads
    The C engine holds the GIL: use one engine per worker process; calls are
    serialised by a lock.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import operator
import sys
import threading
from typing import Any

from gxaudit.engine.contract import MAX_FACTS_PER_REPORT, CompiledRule, EngineError, Match, check_facts
from gxaudit.engine.durable import host
from gxaudit.engine.durable.jsonform import dumps, encode_fact, fnv1a32, needs_float_fix
from gxaudit.engine.durable.layout import MARKER_BUCKET, MARKER_RULE, Layout, RouteInfo, lay_out
from gxaudit.engine.durable.memokey import stand_numbers, thresholds
from gxaudit.engine.model import INT64_MAX, INT64_MIN

log = logging.getLogger(__name__)

MARKER_ID = "doc"
_SCHEME = "gxaudit-durable-2"  # bump when the translation changes

# C result codes of assert_fact
_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2
_KIND_TAG = {int: "n", float: "n", str: "s", bool: "b"}

#: Distinct facts whose matches a process remembers (the oldest quarter is forgotten beyond).
#: An entry costs ~300 bytes; the memo fills over the first ~5,000 reports a worker audits.
#: 20,000 kept ~6 MB more at 50,000 reports than at 5,000 (two workers); 12,000 asserts
#: 0.5 facts more a report (27,795 against 23,805 over reports 8,000-16,000 of the
#: generated set: ~8 µs a report).
MEMO_SIZE = 12_000
#: Facts (and reports' markers) one session takes before it is closed; a larger report gets
#: a session of its own. durable keeps ~20 KB for each action run in a session until the
#: session is deleted (a marker's too): 2,000 raised a worker's peak by 8 MB at 5,000 reports,
#: 500 does not, and costs no measurable CPU (a session's ~160 µs over ~100 reports).
SESSION_FACTS = 500

# a fact to assert: (fact, its route, what is sent of it, needs dumps(), its memo key or None)
_Pending = tuple[dict, RouteInfo, dict[str, Any], bool, "tuple | None"]


class _Unfit(Exception):
    """A fact holds a value the C engine cannot take (found while encoding it)."""


def rules_key(rules: list[CompiledRule]) -> str:
    """The same for the same rules in any order (conditions are frozen dataclasses)."""
    payload = "\x1e".join(
        [_SCHEME]
        + [
            f"{r.rule_id}\x1f{r.fact_route}\x1f{r.condition!r}"
            for r in sorted(rules, key=lambda r: r.rule_id)
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def laid_out(rules: list[CompiledRule], key: str | None = None) -> Layout:
    """lay_out(rules), remembered by rules_key when it has no problems: make_engine checks
    the rules (their layout's problems) just before the engine registers them (that same
    layout). A layout without problems is the same for the same rules in any order (routes
    are laid out sorted; only a problem names a rule by the order given)."""
    key = key or rules_key(rules)
    with _layouts_lock:
        found = _LAYOUTS.get(key)
    if found is not None:
        return found
    layout = lay_out(rules)
    if not layout.problems:
        with _layouts_lock:
            if len(_LAYOUTS) >= 8:  # a process sees a rule set or two: keep it bounded all the same
                _LAYOUTS.clear()
            _LAYOUTS[key] = layout
    return layout


_layouts_lock = threading.Lock()
_LAYOUTS: dict[str, Layout] = {}


def prepared_layouts() -> dict[str, Layout]:
    """The layouts laid_out remembers, by rules_key: for another process to take."""
    with _layouts_lock:
        return dict(_LAYOUTS)


def take_layouts(layouts: dict[str, Layout]) -> None:
    """Layouts another process made (prepared_layouts): the same rules (the same rules_key)
    lay out the same, so laid_out need not lay them out again."""
    with _layouts_lock:
        for key, layout in layouts.items():
            if len(_LAYOUTS) >= 8:
                break
            _LAYOUTS.setdefault(key, layout)


# types tuples given a number (_Registered.types_of_keys); past this many, a key holds the tuple
TYPES_KEPT = 4096


def _kept(kept: dict[tuple, int], types: tuple) -> int | tuple:
    """The number keys hold for `types` (the next one) while at most TYPES_KEPT are kept,
    else `types` itself (a tuple is never equal to a number: never the key of other types)."""
    if len(kept) < TYPES_KEPT:
        number = kept[types] = len(kept)  # numbers are never reused: kept is never emptied
        return number
    return types


class _Registered:
    """One registered ruleset, shared by every engine built for the same rules."""

    def __init__(self, key: str, rules: list[CompiledRule]):
        layout = laid_out(rules, key)
        if layout.problems:
            raise ValueError("durable engine: " + "; ".join(map(str, layout.problems)))
        self.layout: Layout = layout
        self.name = f"gxaudit_{key[:16]}"
        self.lock = threading.Lock()
        self.leaked_sessions = 0
        self._results: dict[str, list[tuple[str, str]]] = {}
        # session -> the id of the last marker whose action ran in it (a session is in it once
        # an action has run there: only then is deleting its state safe, see "Document marker")
        self._marked: dict[str, str] = {}
        self._sid_counter = itertools.count(1)
        self._mid_hashes: set[int] = set()
        self._mid_upto = 0
        self._id_strings: list[str] = []
        # the rules durable matched, by route and tested values (see "Remembered facts")
        self.memo: dict[tuple, tuple[str, ...]] = {}
        # a number for each distinct types tuple the memo's keys hold, which they hold instead:
        # few differ, a key holding its own copy took ~100 bytes more of the ~400 an entry
        # costs (MEMO_SIZE), and a number is hashed and compared at once, a tuple item by item
        self.types_of_keys: dict[tuple, int] = {}
        # the open session reports are asserted in, and the facts it has taken (see "Sessions")
        self.session: str | None = None
        self.session_facts = 0

        definition: dict[str, dict] = {}
        actions: dict[str, Any] = {}
        for rule_name, rule_id, tests in layout.rules:
            definition[rule_name] = {"all": [{"m": {"$and": tests}}]}
            actions[rule_name] = self._action_for(rule_id)
        definition["doc"] = {"all": [{"m": {"$and": layout.marker_tests()}}]}
        actions["doc"] = self._action_for(MARKER_RULE)
        self.ruleset = host.register(self.name, definition, actions)
        self.handle = self.ruleset._handle

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
            self._marked[sid] = m["id"]
        else:
            self.record(sid, rule_id, m["fid"])

    def record(self, sid: str, rule: str, fid: str) -> None:
        self._results[sid].append((rule, fid))

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
        marker = fnv1a32(MARKER_ID)
        if marker in taken:  # checked in the tests for every n allowed
            raise EngineError(f"marker id {MARKER_ID!r} collides with a fact id")
        while True:
            sid = str(next(self._sid_counter))
            if self.sid_fits(sid, n_facts) and fnv1a32(f"sid-{sid}") != marker:
                return sid

    def sid_fits(self, sid: str, n_facts: int) -> bool:
        """Whether session `sid`'s state message (durable's id "sid-<sid>") is told apart
        from facts of ids "0" … str(n_facts - 1)."""
        return fnv1a32(f"sid-{sid}") not in self.mid_hashes(max(n_facts, 1))


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


class DurableEngine:
    """The durable-rules engine (name "durable"); rules already checked."""

    name = "durable"

    def __init__(self, rules: list[CompiledRule], memo_size: int = MEMO_SIZE):
        self._memo_size = memo_size  # 0: assert every fact
        host.library()  # RuntimeError now if durable-rules is not installed
        self._reg = _registered(list(rules))
        # per route, the properties its rules test and their names by kind; only these
        # are sent (the C engine scans every property of a fact at every node it reaches)
        self._plans = {
            route: tuple(
                (prop, names.get("s"), names.get("n"), names.get("b")) for prop, names in info.reads.items()
            )
            for route, info in self._reg.layout.routes.items()
        }
        # per route, the fact properties whose values (and types) decide what is sent; interned:
        # a fact's property name that is the same object (the kinds' names are) is found at once
        self._keys = {
            route: tuple(
                map(
                    sys.intern,
                    dict.fromkeys([*info.reads, *(p for p, _ in info.flags), *(p for p, _, _ in info.tags)]),
                )
            )
            for route, info in self._reg.layout.routes.items()
        }
        # per route, (place in its key, constants) of the properties its rules compare with
        # numeric constants only: a number there is remembered by where it stands (memokey.py)
        by_route: dict[str, list] = {}
        for rule in rules:
            by_route.setdefault(rule.fact_route, []).append(rule.condition)
        # (a property compared with strings or bools only has no constant to stand against:
        # its value is kept, as any value is, which costs less than looking at its type)
        self._standings: dict[str, tuple[tuple[int, tuple], ...]] = {}
        for route, keys in self._keys.items():
            compared = thresholds(by_route.get(route, ()))
            places = tuple((i, compared[prop]) for i, prop in enumerate(keys) if compared.get(prop))
            if places:
                self._standings[route] = places
        # per route, all evaluate needs of it: its RouteInfo, its key properties, its places
        self._routes = {
            route: (info, self._keys[route], self._standings.get(route))
            for route, info in self._reg.layout.routes.items()
        }
        # per route of two key properties or more, the values of its key properties in one C
        # call (a tuple, as `tuple(map(fact.get, keys))` makes it when the fact has them all).
        # A route whose fact lacked one (KeyError: cells rows without a unit) reads them with
        # fact.get from then on: the exception costs more than the call saves.
        self._getters: dict[str, Any] = {
            route: operator.itemgetter(*keys) if len(keys) > 1 else None for route, keys in self._keys.items()
        }
        self._c = host.library().c

    @property
    def durable_rules(self) -> int:
        """How many durable rules the compiled rules expanded to."""
        return self._reg.layout.durable_rules

    # -- encoding ----------------------------------------------------------
    def _tested(self, fact: dict, info: RouteInfo) -> tuple[dict[str, Any], bool]:
        """What of ``fact`` durable is sent, under durable's names; whether a float
        needs :func:`dumps`."""
        props: dict[str, Any] = {}
        fix = False
        for prop, as_str, as_number, as_bool in self._plans[fact["rule"]]:
            value = fact.get(prop)
            if value is None:
                continue  # missing (check_facts admits nothing else than None)
            t = type(value)
            if t is str:
                encoded = as_str
            elif t is int:
                encoded = as_number
                if not INT64_MIN <= value <= INT64_MAX:
                    raise _Unfit  # what the C parser cannot take (trusted facts are not checked)
            elif t is float:
                encoded = as_number
                if value - value != 0.0:  # inf or nan
                    raise _Unfit
                if not fix and needs_float_fix(value):
                    fix = True
            elif t is bool:
                encoded = as_bool
            else:
                continue
            if encoded is not None:
                props[encoded] = value
        for prop, flag in info.flags:
            props[flag] = fact.get(prop) is not None
        for prop, tag, any_kind in info.tags:
            value = fact.get(prop)
            if value is not None:
                t = type(value)
                if (t is int and not INT64_MIN <= value <= INT64_MAX) or (
                    t is float and value - value != 0.0
                ):
                    raise _Unfit
                props[tag] = _KIND_TAG[t]
                props[any_kind] = value
                if t is float and not fix and needs_float_fix(value):
                    fix = True
        for helper, value in info.consts:
            props[helper] = value
            if not fix and type(value) is float and needs_float_fix(value):
                fix = True
        return props, fix

    # -- one report --------------------------------------------------------
    def evaluate(self, report_key: str, facts: list[dict], trusted: bool = False) -> list[Match]:
        if not trusted or len(facts) > MAX_FACTS_PER_REPORT:
            check_facts(facts, report_key)
        reg = self._reg
        routes = self._routes
        memo = reg.memo
        found: list[tuple[str, str]] = []
        pending: list[_Pending] = []
        remembering = self._memo_size > 0
        getters = self._getters
        types_of_keys = reg.types_of_keys
        # per route met in the report: [its RouteInfo, key properties and places (_routes), its
        # getter, then the tested values and types of its last fact, that fact's key, what the
        # memo said of it and its types' number] (see "Remembered facts"); one look-up a fact
        lasts: dict[str, list] = {}
        with reg.lock:
            for fact in facts:
                route = fact["rule"]
                last = lasts.get(route)
                if last is None:
                    known = routes.get(route)
                    if known is None:
                        continue  # no rule for this fact: it could match nothing
                    last = lasts[route] = [*known, getters[route], None, None, None, None, None]
                key = None
                if remembering:
                    get = last[3]
                    if get is None:
                        values = tuple(map(fact.get, last[1]))
                    else:
                        try:
                            values = get(fact)  # facts are dicts (check_facts): fact[k] is fact.get(k)
                        except KeyError:
                            getters[route] = last[3] = None
                            values = tuple(map(fact.get, last[1]))
                    types = tuple(map(type, values))
                    if last[4] == values and last[5] == types:  # (None before the route's first fact)
                        key, rules = last[6], last[7]  # the memo would find the same key
                    else:
                        # the key: the route, the values its rules test and their types (True == 1
                        # and 1 == 1.0, as keys); a number the route only compares with constants,
                        # by where it stands against them (memokey.py: other values stay as they are)
                        # (a fact's types are most often its route's last fact's: their number again)
                        if types == last[5]:
                            kind = last[8]
                        else:
                            kind = types_of_keys.get(types)
                            if kind is None:
                                kind = _kept(types_of_keys, types)
                        places = last[2]
                        if places is not None:
                            parts = list(values)
                            stand_numbers(parts, places)
                            key = (route, tuple(parts), kind)
                        else:
                            key = (route, values, kind)
                        try:
                            rules = memo.get(key)
                        except TypeError:  # an unhashable value: check_facts would refuse it
                            rules = key = None
                        last[4:] = values, types, key, rules, kind
                    if rules is not None:
                        if rules:  # most facts match nothing
                            found.extend((rule, fact["id"]) for rule in rules)
                        continue
                info = last[0]
                try:
                    props, fix = self._tested(fact, info)
                except _Unfit:
                    check_facts(facts, report_key)  # the error naming the fact and the property
                    raise EngineError(f"{report_key}: fact {fact['id']!r} cannot be encoded") from None
                pending.append((fact, info, props, fix, key))
            if pending:
                found.extend(self._assert_all(report_key, facts, pending))
        return [Match(r, f) for r, f in sorted(set(found))]

    def _assert_all(
        self, report_key: str, facts: list[dict], pending: list[_Pending]
    ) -> list[tuple[str, str]]:
        """Assert the facts not remembered in the open session; remember what each matched."""
        reg = self._reg
        taken = len(pending) + 1  # the facts and the report's marker
        sid, first = self._session(report_key, taken)
        reg._results[sid] = []
        # counted first: ids are never given twice in a session, whatever interrupts the run
        reg.session_facts = first + taken
        try:
            found = self._run(report_key, sid, first, facts, pending)
        except BaseException as exc:
            self._close_session(report_key)  # never reused after an error
            if isinstance(exc, EngineError):
                raise
            if isinstance(exc, MemoryError):
                raise EngineError(f"{report_key}: durable ran out of sessions/memory: {exc!r}") from exc
            if isinstance(exc, Exception):
                raise EngineError(f"{report_key}: durable engine error: {exc!r}") from exc
            raise  # KeyboardInterrupt, or a time limit's exception outside an action: closed all the same
        if reg.session_facts >= SESSION_FACTS:
            self._close_session(report_key)
        self._remember(pending, found)
        return found

    def _session(self, report_key: str, n_facts: int) -> tuple[str, int]:
        """The open session if it can take `n_facts` more facts (and the id of the first),
        else a new one."""
        reg = self._reg
        sid, used = reg.session, reg.session_facts
        if sid is not None:
            if used + n_facts <= SESSION_FACTS and reg.sid_fits(sid, used + n_facts):
                return sid, used
            self._close_session(report_key)
        sid = reg.new_sid(n_facts)
        reg.session, reg.session_facts = sid, 0
        return sid, 0

    def close(self) -> None:
        """Close the open session of this engine's rules (its state is deleted)."""
        with self._reg.lock:
            self._close_session("close")

    def _close_session(self, report_key: str) -> None:
        reg = self._reg
        sid, reg.session, reg.session_facts = reg.session, None, 0
        if sid is not None:
            self._finish(report_key, sid)

    def _remember(self, pending: list[_Pending], found: list[tuple[str, str]]) -> None:
        by_fact: dict[str, list[str]] = {}
        for rule, fid in found:
            by_fact.setdefault(fid, []).append(rule)
        memo = self._reg.memo
        for fact, _info, _props, _fix, key in pending:
            if key is None:
                continue
            if len(memo) >= self._memo_size:  # forget the oldest quarter (dicts keep insertion order)
                for old in list(itertools.islice(memo, max(1, self._memo_size // 4))):
                    del memo[old]
            memo[key] = tuple(sorted(set(by_fact.get(fact["id"], ()))))

    def _run(
        self, report_key: str, sid: str, first: int, facts: list[dict], pending: list[_Pending]
    ) -> list[tuple[str, str]]:
        reg = self._reg
        c = self._c
        handle = reg.handle
        ruleset = reg.ruleset
        errors: list[Any] = []

        def complete(error: Any, _state: Any) -> None:
            if error is not None:
                errors.append(error)

        ids = reg.id_strings(first + len(pending) + 1)
        for k, (fact, info, props, fix, _key) in enumerate(pending, start=first):
            out: dict[str, Any] = {
                "sid": sid,
                "id": ids[k],
                "bkt": info.bucket,
                "rule": fact["rule"],
                "fid": fact["id"],
            }
            out.update(props)
            if fix:
                payload = dumps(out)
            else:
                try:
                    payload = encode_fact(out)
                except TypeError:  # what orjson refuses (a lone surrogate): check_facts names it
                    check_facts(facts, report_key)
                    raise EngineError(f"{report_key}: fact {fact['id']!r} cannot be encoded") from None
            code, offset = c.assert_fact(handle, payload)
            if code == _OK:
                ruleset.do_actions(offset, complete)
                if errors:
                    raise EngineError(f"{report_key}: durable action failed: {errors[0]!r}")
            elif code == _OBSERVED:
                raise EngineError(f"{report_key}: durable rejected fact {fact['id']!r} as already observed")
            elif code != _NOT_HANDLED:
                raise EngineError(f"{report_key}: durable assert_fact returned code {code}")

        # the report's marker, last: its action runs only after every earlier one did
        marker_id = ids[first + len(pending)]
        code, offset = c.assert_fact(handle, self._marker(sid, marker_id))
        if code != _OK:
            raise EngineError(f"{report_key}: document marker not handled (code {code})")
        ruleset.do_actions(offset, complete)
        if errors:
            raise EngineError(f"{report_key}: durable action failed: {errors[0]!r}")
        if reg._marked.get(sid) != marker_id:
            reg._marked.pop(sid, None)  # its actions are stalled: the session is left alive
            raise EngineError(f"{report_key}: the document marker's action did not run")
        state = json.loads(c.get_state(handle, sid))
        if "exception" in state:
            raise EngineError(f"{report_key}: exception in a durable action: {state['exception']}")
        return list(reg._results[sid])

    @staticmethod
    def _marker(sid: str, marker_id: str = MARKER_ID) -> str:
        return json.dumps({"sid": sid, "id": marker_id, "bkt": MARKER_BUCKET, "rule": MARKER_RULE})

    def _finish(self, report_key: str, sid: str) -> None:
        reg = self._reg
        c = self._c
        try:
            if sid not in reg._marked:
                # run one action in the session first: deleting a session that
                # never ran one frees uninitialised pointers in the C engine
                try:
                    code, offset = c.assert_fact(reg.handle, self._marker(sid))
                    if code == _OK:
                        reg.ruleset.do_actions(offset, lambda e, s: None)
                except Exception:
                    pass
            if sid in reg._marked:
                try:
                    c.delete_state(reg.handle, sid)
                except Exception as exc:
                    reg.leaked_sessions += 1
                    log.warning("%s: could not delete durable session %s: %r", report_key, sid, exc)
            else:
                reg.leaked_sessions += 1
                log.warning("%s: durable session %s left alive (not safe to delete)", report_key, sid)
        finally:
            reg._marked.pop(sid, None)
            reg._results.pop(sid, None)
