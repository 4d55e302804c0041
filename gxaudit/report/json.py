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
import re
from collections.abc import Iterator

import orjson

from gxaudit.audit.ranking import document
from gxaudit.report.run import Run

# A float the json module writes with an exponent (1e-05, 1e+16): orjson writes those
# differently (0.00001, 1e16). Searched in json's own compact text, strings included:
# a false hit only costs the slow path.
_EXPONENT = re.compile(r"\de[+-]\d")


def _dumps(value) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), the same text.

    The json module indents in pure Python (its C encoder writes only compact
    text): 0.14 ms a report in the parent of a batch. orjson writes the same
    indented text in C except for what is checked first, by json's C encoder
    (compact, 5x faster than indenting): NaN and infinities (json writes
    Infinity, orjson null), floats with an exponent (above); orjson refuses
    the rest itself (keys that are not strings, lone surrogates, integers
    beyond 64 bits, types json does not know either). Any of these: json,
    as before. tests/test_json_output.py compares the two on every report
    of seeds and corpus and on made values."""
    try:
        compact = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        # the substring tests first: a regex over long Chinese text costs more than json
        if ("e-" not in compact and "e+" not in compact) or not _EXPONENT.search(compact):
            return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except (TypeError, ValueError):
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
