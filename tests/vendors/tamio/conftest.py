"""Tamio test helpers: the default keys and fixture ids, and a request helper."""
from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from ...apiclient import VendorClient

BASE = "/tamio/v2"
FULL = "sk_sandbox_full_0001"
READONLY = "sk_sandbox_readonly_0001"
PUBLISHABLE = "pk_sandbox_public_0001"
LIMITED = "sk_sandbox_limited_0001"

PROG_ACTIVE = "a0000000-0000-4000-8000-000000000001"     # EUR 20%, stripe+paypal, has affiliates
PROG_PAUSED = "a0000000-0000-4000-8000-000000000002"     # USD $5, paused, five generated affiliates
PROG_REPEATING = "a0000000-0000-4000-8000-000000000003"  # EUR 10.5% repeating 12, auto-approve
PROG_EMPTY = "a0000000-0000-4000-8000-000000000004"      # GBP 10.00, no affiliates
PRODUCT_PRO = "c0000000-0000-4000-8000-000000000001"
PRODUCT_STARTER = "c0000000-0000-4000-8000-000000000002"
DOMAIN = "d0000000-0000-4000-8000-000000000001"
TEMPLATE = "e0000000-0000-4000-8000-000000000001"
JANE = "b0000000-0000-4000-8000-000000000001"            # approved, balance 15000, unpaid payout
PAT_PENDING = "b0000000-0000-4000-8000-000000000002"
ZOE_ZERO = "b0000000-0000-4000-8000-000000000003"        # approved, balance 0
RITA = "b0000000-0000-4000-8000-000000000004"            # approved on the repeating program, bankaccount only
BLOCKED = "f0000000-0000-4000-8000-000000000001"
PAYOUT = "90000000-0000-4000-8000-000000000001"
AGENCY_PENDING = "a9000000-0000-4000-8000-000000000001"
AGENCY_APPROVED = "a9000000-0000-4000-8000-000000000002"
AGENCY_FOREIGN = "a9000000-0000-4000-8000-000000000003"
UNKNOWN = "00000000-0000-4000-8000-000000000000"

NOW = 1781524800  # tests/conftest.py FROZEN_AT, 2026-06-15T12:00:00Z

MINIMAL_PROGRAM = {"commission_amount": 500, "commission_percent": 10.5,
                   "languages": {"en": {"label": "My Program", "description": "A great affiliate program"}},
                   "destinations": ["worldwide"], "currency": "EUR", "payments": ["stripe"]}


def error(code: int, message: str) -> dict[str, Any]:
    return {"status": 400, "error": message, "error_code": code}


class TamioClient(VendorClient):
    """Calls Tamio paths with a key; returns (status, json body)."""

    base = BASE
    vendor = "tamio"
    default_key = FULL
    with_headers = False



@pytest.fixture
async def tamio(client: TestClient) -> TamioClient:
    return TamioClient(client)
