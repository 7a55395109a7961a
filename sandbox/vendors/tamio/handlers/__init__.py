"""Tamio's handlers, one module per resource, registered by operationId."""
from __future__ import annotations

from ...base import HandlerTable

HANDLERS = HandlerTable()

from . import affiliates, agency, payouts, programs  # noqa: E402,F401

__all__ = ["HANDLERS"]
