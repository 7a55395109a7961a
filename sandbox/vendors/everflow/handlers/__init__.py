"""Everflow's handlers, one module per resource, registered by operationId."""
from __future__ import annotations

from ...base import HandlerTable

HANDLERS = HandlerTable()

from . import (affiliate_domains, affiliates, apikeys, conversions, labels, meta, networks,  # noqa: E402,F401
               offer_bulk, offers, pixels, reporting, tiers, tracking, users)

__all__ = ["HANDLERS"]
