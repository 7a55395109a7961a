"""JSON in and out: orjson when it is installed (several times faster), else the standard library.

Both give the same bytes for what the sandbox sends: compact separators, UTF-8, keys in insertion order.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - exercised only where orjson is missing
    orjson = None  # type: ignore[assignment]  # the module or None: callers test for None


def dumps(value: Any) -> bytes:
    if orjson is not None:
        try:
            # orjson's bytes keep the buffer they were written in (4 KB for a few bytes, 8 KB of memory for
            # a 1.2 KB answer, 500 KB for 30 KB): copied, an answer kept by the journal or the response cache
            # holds its own size, and the buffer is freed at once, to be reused by the next answer.
            return memoryview(orjson.dumps(value)).tobytes()
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


_stepwise = json.JSONDecoder(parse_float=finite_float, parse_constant=_refuse_constant)
_SPACE = re.compile(r"[ \t\n\r]*")


def loads_stepwise(raw: bytes, whole_below: int = 5) -> Any:
    """Parse like `loads`, but in many short steps: objects and arrays down to depth `whole_below` are walked
    here, and each value at that depth (one record of a snapshot, say) is parsed whole by the C scanner.

    Meant for a worker thread and a big document: one `loads` call of 60 MB holds the interpreter for a second
    or more, while here other threads (the event loop) get their turn between values."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the body is not UTF-8: {exc}") from exc
    value, end = _value(text, _skip(text, 0), 0, whole_below)
    if _skip(text, end) != len(text):
        raise ValueError(f"extra data after the JSON value at char {end}")
    return value


def _skip(text: str, i: int) -> int:
    return _SPACE.match(text, i).end()  # type: ignore[union-attr]  # matches the empty string at worst


def _value(text: str, i: int, depth: int, whole_below: int) -> tuple[Any, int]:
    opener = text[i:i + 1]
    if depth >= whole_below or opener not in ("{", "["):
        try:
            return _stepwise.raw_decode(text, i)
        except StopIteration as exc:  # raw_decode's way of saying "no value here" on some versions
            raise ValueError(f"expecting a value at char {i}") from exc
    closer = "}" if opener == "{" else "]"
    items: Any = {} if opener == "{" else []
    i = _skip(text, i + 1)
    if text[i:i + 1] == closer:
        return items, i + 1
    while True:
        if opener == "{":
            if text[i:i + 1] != '"':
                raise ValueError(f"expecting a property name in double quotes at char {i}")
            key, i = _stepwise.raw_decode(text, i)
            i = _skip(text, i)
            if text[i:i + 1] != ":":
                raise ValueError(f"expecting ':' at char {i}")
            item, i = _value(text, _skip(text, i + 1), depth + 1, whole_below)
            items[key] = item
        else:
            item, i = _value(text, i, depth + 1, whole_below)
            items.append(item)
        i = _skip(text, i)
        mark = text[i:i + 1]
        if mark == closer:
            return items, i + 1
        if mark != ",":
            raise ValueError(f"expecting ',' or {closer!r} at char {i}")
        i = _skip(text, i + 1)
