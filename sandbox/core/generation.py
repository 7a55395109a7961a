"""The world's generation: a number that moves whenever anything a response could depend on may have changed.

It moves on every write the sandbox knows of: a `Collection` insert, update, delete or restore; a vendor request
other than GET (before and after its handler, so direct changes to records count too); a control-plane request
other than GET; a tenant built, reset or dropped. A cached response is good only in the generation it was built
in. One number for the whole process: a write anywhere invalidates every cached response, which costs cache
hits, never correctness.
"""
from __future__ import annotations

_current = 0


def current() -> int:
    return _current


def advance() -> None:
    global _current
    _current += 1
