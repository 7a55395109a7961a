"""Everflow's handlers, one module per resource, registered by operationId."""
from __future__ import annotations

# Importing a module registers its handlers in HANDLERS.
from . import (  # noqa: F401
               affiliate_bulk,
               affiliate_domains,
               affiliate_extras,
               affiliates,
               apikeys,
               billing,
               conversions,
               encoding,
               labels,
               meta,
               networks,
               offer_bulk,
               offer_extras,
               offer_groups,
               offer_urls,
               offers,
               pixels,
               reporting,
               reporting_adjustments,
               reporting_caps,
               reporting_compare,
               reporting_exports,
               reporting_logs,
               reporting_rates,
               reporting_transactions,
               signup,
               tiers,
               tracking,
               users,
               users_network,
)
from .common import HANDLERS

__all__ = ["HANDLERS"]
