"""Everflow's handlers, one module per resource, registered by operationId."""
from __future__ import annotations

from ...base import HandlerTable

HANDLERS = HandlerTable()

from . import (affiliates, conversions, labels, meta, offers, pixels, reporting, tiers,  # noqa: E402,F401
               tracking, users)

__all__ = ["HANDLERS"]
