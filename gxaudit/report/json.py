"""JSON output: one document (schema_version 1) with every report and finding.

Every detailed finding is here with its own fingerprint; `finding_groups` per
report says which of them the other outputs list as one, `groups` and
`missing` give the --group-by summary and the units with no report,
`unused_waivers` the waivers that matched no finding of a report they are for.

The document is written a report at a time (`chunks`): the same text as one
json.dumps of it, so that a batch of any size is written without holding
every result or the whole text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import orjson

from gxaudit.audit.ranking import document
from gxaudit.report.run import Run


def _plain(value) -> bool:
    """Whether orjson writes `value` as json does, as far as can be told without writing it:
    only dicts (keys str), lists, tuples, str, int, bool, None and floats json writes without
    an exponent (1e-05, 1e+16: orjson writes some of them differently) and finite (json
    writes NaN and Infinity, orjson null). Exact types: orjson writes a subclass, or a
    dataclass, that json refuses or writes otherwise."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is dict:
        return all(type(key) is str and _plain(item) for key, item in value.items())
    if kind is list or kind is tuple:
        return all(map(_plain, value))
    if kind is float:
        # repr writes an exponent below 1e-4 and from 1e16; NaN and the infinities fail too
        return value == 0 or 1e-4 <= abs(value) < 1e16
    return False


def _dumps(value) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), the same text.

    The json module indents in pure Python (its C encoder writes only compact
    text): 0.14 ms a report in the parent of a batch. orjson writes the same
    indented text in C for a value `_plain` passes (a walk over it costs less
    than json's compact pass, the check it replaces); orjson refuses the rest
    itself (lone surrogates, integers beyond 64 bits). Any of these: json, as
    before (a cycle too: json says so). tests/test_json_output.py compares the
    two on every report of seeds and corpus and on made values."""
    try:
        if _plain(value):
            return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except (TypeError, RecursionError):
        pass
    return json.dumps(value, ensure_ascii=False, indent=2)


def chunks(run: Run) -> Iterator[str]:
    head = _dumps(document([], run.rules_version))
    assert head.endswith('"reports": []\n}')  # the reports are the head's last member
    yield head[: -len("[]\n}")] + "["
    first = True
    for result in run.results:
        yield ("\n    " if first else ",\n    ") + _dumps(result.to_dict()).replace("\n", "\n    ")
        first = False
    yield "]" if first else "\n  ]"
    # the members after the reports (the --group-by summary, the units with no report)
    whole = document(
        [],
        run.rules_version,
        missing=run.missing,
        summaries=run.summaries(),
        unused_waivers=run.unused_waivers,
    )
    after = {key: value for key, value in whole.items() if key not in json.loads(head)}
    yield (",\n" + _dumps(after)[2:-2] if after else "") + "\n}\n"


def render(run: Run) -> str:
    return "".join(chunks(run))
