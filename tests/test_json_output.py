"""The JSON output's fast writer gives the json module's text, byte for byte.

report/json.py writes each report with orjson when a walk over it finds
nothing orjson writes differently; these tests compare the writer to
json.dumps(…, ensure_ascii=False, indent=2) on every report of seeds, corpus
and reports/ (the dicts the JSON output writes) and on made values that reach
each way the two libraries differ.
"""

import datetime
import json
import math
import random
import struct
from dataclasses import dataclass
from enum import IntEnum, StrEnum

import pytest
from conftest import sample_reports

from gxaudit.audit.auditor import Auditor
from gxaudit.audit.scoring import load_scoring
from gxaudit.report.json import _dumps
from gxaudit.rules.load import builtin_rules_dir, load_rules


def reference(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def test_every_sample_report_writes_as_json_writes_it():
    rules, _ = load_rules([builtin_rules_dir()])
    auditor = Auditor(rules, load_scoring(), engine="durable")
    written = 0
    for path in sample_reports():
        result = auditor.audit_file(path)
        value = result.to_dict()
        assert _dumps(value) == reference(value), path
        written += bool(result.findings)
    assert written >= 10  # reports with findings, not only error results


class _Text(str):
    pass


class _Table(dict):
    pass


# each way orjson and json differ, and values around them
AWKWARD = [
    1e-05,  # json: 1e-05, orjson: 0.00001
    7.717909116179331e-05,
    1e16,  # json: 1e+16
    1.5e300,
    math.inf,  # json: Infinity, orjson: null
    -math.inf,
    math.nan,
    {1: "an int key"},  # json: "1", orjson refuses
    {None: 1, True: 2, 2.5: 3},
    "a lone surrogate \ud800",  # json writes it, orjson refuses
    2**64,  # beyond orjson's integers
    -(2**63) - 1,
    "1e-05 in a string",  # a false hit: the slow path, the same text
    "".join(map(chr, range(0x80))) + "\u2028\u2029\ufeff中文",  # control characters, escapes
    {"empty": [], "nothing": {}, "nested": [[], {}, [[]]]},
    -0.0,
    0.1,
    123456789012345.6,
    1e-4,
    math.nextafter(1e-4, 0),  # json: 9.999999999999999e-05
    9999999999999998.0,  # the last float below 1e16
    (1, "tuple"),
    StrEnum("S", {"A": "a"}).A,  # subclasses: json's way, whatever orjson's is
    IntEnum("I", {"ONE": 1}).ONE,
    _Text("a str subclass"),
    _Table({"a dict subclass": 1}),
]


@pytest.mark.parametrize("value", AWKWARD, ids=repr)
def test_awkward_values_write_as_json_writes_them(value):
    assert _dumps({"value": value, "list": [value]}) == reference({"value": value, "list": [value]})


@dataclass
class _Point:
    x: int


@pytest.mark.parametrize("value", [{1, 2}, _Point(1), datetime.date(2024, 1, 1)], ids=repr)
def test_values_json_refuses_are_refused_alike(value):
    """orjson writes some of them (dataclasses, dates): json's refusal stands."""
    with pytest.raises(TypeError):
        reference({"x": value})
    with pytest.raises(TypeError):
        _dumps({"x": value})


def test_a_cycle_is_refused_as_json_refuses_it():
    cycle: list = []
    cycle.append({"again": cycle})
    with pytest.raises(ValueError, match="Circular reference"):
        reference(cycle)
    with pytest.raises(ValueError, match="Circular reference"):
        _dumps(cycle)


def _made(rng: random.Random, depth: int = 0):
    pick = rng.randrange(9 if depth < 3 else 6)
    if pick == 0:
        return rng.choice([None, True, False])
    if pick == 1:
        return rng.randint(-(2**63), 2**63 - 1)
    if pick == 2:
        return rng.random() * 10 ** rng.randint(-8, 18) * rng.choice([1, -1])
    if pick == 3:
        return rng.choice([0.5, 87.5, 100.0, -0.0, 3.0])
    if pick in (4, 5):
        return "".join(
            chr(rng.choice([rng.randrange(0x20), rng.randrange(0x20, 0x7F), 0x4E2D, 0x3000]))
            for _ in range(rng.randrange(8))
        )
    if pick in (6, 7):
        return {f"k{i}": _made(rng, depth + 1) for i in range(rng.randrange(4))}
    return [_made(rng, depth + 1) for _ in range(rng.randrange(4))]


def test_made_values_write_as_json_writes_them():
    rng = random.Random(10)
    for _ in range(5000):
        value = _made(rng)
        assert _dumps(value) == reference(value), value


def test_a_plain_report_takes_the_fast_path(monkeypatch):
    """The speed is the point: a report's dict is written by orjson, not by json's indenter."""
    import gxaudit.report.json as writer

    indented = []
    original = json.dumps

    def watching(value, **options):
        if options.get("indent") is not None:
            indented.append(value)
        return original(value, **options)

    monkeypatch.setattr(writer.json, "dumps", watching)
    value = {"path": "a.txt", "score": 87.5, "findings": [{"rule": "GX-BAL-003", "deduction": 2.0}]}
    assert writer._dumps(value) == original(value, ensure_ascii=False, indent=2)
    assert indented == []


def test_floats_of_every_size_write_as_json_writes_them():
    """Those orjson writes (no exponent in json's text, finite) and the others, at random
    over every size and step by step around where json's exponents start."""
    rng = random.Random(11)
    values = [struct.unpack("<d", rng.randbytes(8))[0] for _ in range(20000)]
    for edge in (1e-4, 1e16):
        for sign in (1, -1):
            below = above = edge
            for _ in range(50):
                below, above = math.nextafter(below, 0), math.nextafter(above, math.inf)
                values += [sign * below, sign * above]
    for value in values:
        assert _dumps([value]) == reference([value]), repr(value)
