"""JSON as durable-rules' C parser wants it, and the hash it finds names by.

Numbers
    The C JSON parser rejects ``1e-05`` and ``1e+16`` (error 204: it wants a
    ``.`` before the exponent) and crashed on very long plain decimals, so
    floats are written as ``1.0e-05``; ints must fit int64 (the condition
    model and the fact check allow nothing else).  Rulesets and facts that
    hold such floats are therefore encoded by :func:`dumps`, not json.dumps.

Speed
    A report's facts are encoded by :func:`encode_fact`: orjson, ~10x faster
    than the json module here, writes the same text for what it is given (str,
    int, bool, and floats in [1e-4, 1e16), where both write ``repr``; checked
    in tests/test_durable.py).  A fact with a float outside that range goes
    through :func:`dumps`; a value orjson refuses (a lone surrogate, an int
    beyond 64 bits) raises: the engine's checks name it.

Hashes
    durable finds a property, and a message, by a 32-bit FNV-1a hash of its
    name only, over the UTF-8 bytes read as *signed* chars (x86):
    :func:`fnv1a32`.  Two names with the same hash are confused.
"""

from __future__ import annotations

import json
from typing import Any

try:  # a declared dependency; the json module stays the fallback where it cannot be installed
    import orjson
except ImportError:  # pragma: no cover - depends on the platform
    orjson = None  # type: ignore[assignment]

# compact JSON, one encoder (json.dumps with options builds one per call)
encode_plain = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# a str as json.dumps(s, ensure_ascii=False) writes it, without an encoder made per call
_encode_str = json.JSONEncoder(ensure_ascii=False).encode


def encode_fact(obj: dict[str, Any]) -> str:
    """A fact without floats outside [1e-4, 1e16) as compact JSON, as encode_plain writes it.

    Raises TypeError for what orjson refuses (a lone surrogate, an int beyond 64 bits).
    """
    if orjson is None:  # pragma: no cover
        return encode_plain(obj)
    return orjson.dumps(obj).decode()


def float_token(x: float) -> str:
    """A float as a JSON number the C engine parses exactly."""
    r = float.__repr__(x)
    if "e" in r or "E" in r:
        mant, _, exp = r.partition("e")
        if "." not in mant:
            mant += ".0"
        return f"{mant}e{exp}"
    return r


def needs_float_fix(x: float) -> bool:
    """Whether json would write ``x`` in a form the C parser rejects."""
    # float repr switches to exponent notation outside [1e-4, 1e16)
    return x != 0.0 and not (1e-4 <= abs(x) < 1e16)


def dumps(obj: Any) -> str:
    """JSON for the C engine: like json.dumps(ensure_ascii=False), floats fixed."""
    t = type(obj)
    if t is dict:
        return "{" + ",".join(f"{_encode_str(k)}:{dumps(v)}" for k, v in obj.items()) + "}"
    if t is list or t is tuple:
        return "[" + ",".join(dumps(v) for v in obj) + "]"
    if t is float:
        return float_token(obj)
    if t is bool:
        return "true" if obj else "false"
    if t is int:
        return str(obj)
    if t is str:
        return _encode_str(obj)
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
