"""Everflow's handlers, one module per resource, registered by operationId."""
from __future__ import annotations

from ...base import HandlerTable

HANDLERS = HandlerTable()

from . import (affiliate_domains, affiliate_extras, affiliates, apikeys, billing, conversions,  # noqa: E402,F401
               encoding, labels, meta, networks, offer_bulk, offer_extras, offer_groups, offer_urls, offers,
               pixels, reporting, reporting_adjustments, reporting_compare, reporting_exports, reporting_logs,
               reporting_transactions, tiers, tracking, users, users_network)

__all__ = ["HANDLERS"]
