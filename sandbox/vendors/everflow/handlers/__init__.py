"""Everflow's handlers, one module per resource, registered by operationId."""
from __future__ import annotations

from ...base import HandlerTable

HANDLERS = HandlerTable()

from . import (affiliates, conversions, labels, meta, offers, pixels, tiers, tracking,  # noqa: E402,F401
               users)

__all__ = ["HANDLERS"]
