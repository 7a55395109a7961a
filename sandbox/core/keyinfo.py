"""How a vendor describes an API key (`KeyInfo`).

Apart from `vendorapi` (what core asks of a vendor, which names handlers and so the request context) so that
the request context can name a key without importing `vendorapi` back.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class KeyInfo:
    """An API key as its vendor sees it: whose it is and what it may do."""

    vendor: str
    key: str
    test_mode: bool = False
    plan: str | None = None
    permissions: frozenset[str] = frozenset()
    attributes: Mapping[str, Any] = field(default_factory=dict)
