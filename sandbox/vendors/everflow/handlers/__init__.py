"""Everflow's handlers, one module per resource, registered by operationId."""
from __future__ import annotations

from ...base import HandlerTable

HANDLERS = HandlerTable()

from . import (affiliate_domains, affiliates, apikeys, conversions, encoding, labels, meta,  # noqa: E402,F401
               networks, offer_bulk, offers, pixels, reporting, reporting_adjustments, reporting_compare,
               reporting_exports, reporting_logs, reporting_transactions, tiers, tracking, users,
               users_network)

__all__ = ["HANDLERS"]
