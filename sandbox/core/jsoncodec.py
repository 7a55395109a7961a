"""JSON in and out: orjson when it is installed (several times faster), else the standard library.

Both give the same bytes for what the sandbox sends: compact separators, UTF-8, keys in insertion order.
"""
from __future__ import annotations

import json
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


def loads(raw: bytes) -> Any:
    """Parse UTF-8 JSON; raises ValueError (bad JSON, bad UTF-8) or RecursionError (absurd nesting)."""
    if orjson is not None:
        return orjson.loads(raw)
    return json.loads(raw.decode("utf-8"))
