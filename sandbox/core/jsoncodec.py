"""JSON in and out: orjson when it is installed (several times faster), else the standard library.

Both give the same bytes for what the sandbox sends: compact separators, UTF-8, keys in insertion order.
"""
from __future__ import annotations

import json
import math
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - exercised only where orjson is missing
    orjson = None


def dumps(value: Any) -> bytes:
    if orjson is not None:
        try:
            return orjson.dumps(value)
        except TypeError:
            pass  # an integer beyond 64 bits (a client may send one): the standard library can write it
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def finite_float(text: str) -> float:
    """A JSON number as a float, refusing one too big for a double (1e999), which would read as infinity."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text} is out of range")
    return value


def loads(raw: bytes) -> Any:
    """Parse UTF-8 JSON; raises ValueError (bad JSON, bad UTF-8, NaN, Infinity or a number beyond a double) or
    RecursionError (absurd nesting). Never yields an infinite or NaN float (orjson refuses them too)."""
    if orjson is not None:
        return orjson.loads(raw)
    return json.loads(raw.decode("utf-8"), parse_float=finite_float, parse_constant=_refuse_constant)
