"""PromoteKit's handlers, one module per resource, registered by operationId."""
from __future__ import annotations

# Importing a module registers its handlers in HANDLERS.
from . import affiliates, campaigns, commissions, payouts, referrals  # noqa: F401
from .common import HANDLERS

__all__ = ["HANDLERS"]
