"""The JSON output's fast writer gives the json module's text, byte for byte.

report/json.py writes each report with orjson when json's own compact pass
says nothing in it is written differently; these tests compare the writer to
json.dumps(…, ensure_ascii=False, indent=2) on every report of seeds, corpus
and reports/ (the dicts the JSON output writes) and on made values that reach
each way the two libraries differ.
"""

import json
import math
import random

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
    (1, "tuple"),
]


@pytest.mark.parametrize("value", AWKWARD, ids=repr)
def test_awkward_values_write_as_json_writes_them(value):
    assert _dumps({"value": value, "list": [value]}) == reference({"value": value, "list": [value]})


def test_values_json_refuses_are_refused_alike():
    with pytest.raises(TypeError):
        reference({"x": {1, 2}})
    with pytest.raises(TypeError):
        _dumps({"x": {1, 2}})


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
