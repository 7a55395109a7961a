"""The world's generation: a number that moves whenever anything a response could depend on may have changed.

It moves on every write the sandbox knows of: a `Collection` insert, update, delete or restore; a vendor request
other than GET (before and after its handler, so direct changes to records count too); a control-plane request
other than GET; a tenant built, reset or dropped. A cached response is good only in the generation it was built
in. One `Generation` per application, owned by its `TenantRegistry` and handed to every collection its tenants
hold: a write anywhere in the app invalidates every cached response of that app (which costs cache hits, never
correctness), and never another app's.
"""
from __future__ import annotations


class Generation:
    """A counter; `current` is read on every cached read, so it is a plain attribute."""

    __slots__ = ("current",)

    def __init__(self) -> None:
        self.current = 0

    def advance(self) -> None:
        self.current += 1
