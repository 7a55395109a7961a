"""Tamio test helpers: the default keys and fixture ids, and a request helper."""
from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

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


class TamioClient:
    """Calls Tamio paths with a key; returns (status, json body)."""

    def __init__(self, client: TestClient, key: str | None = FULL) -> None:
        self.client = client
        self.key = key

    def as_key(self, key: str | None) -> "TamioClient":
        return TamioClient(self.client, key)

    async def call(self, method: str, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any]:
        headers = dict(kwargs.pop("headers", {}))
        if self.key is not None:
            headers.setdefault("Authorization", f"Bearer {self.key}")
        response = await self.client.request(method, BASE + path, json=json, headers=headers, **kwargs)
        return response.status, await response.json(content_type=None)

    async def get(self, path: str, **kwargs: Any) -> tuple[int, Any]:
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any]:
        return await self.call("POST", path, json=json, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> tuple[int, Any]:
        return await self.call("DELETE", path, **kwargs)

    async def control(self, method: str, path: str, json: Any = None, tenant: str = "default") -> tuple[int, Any]:
        response = await self.client.request(method, f"/_sandbox/tenants/{tenant}/tamio/{path}", json=json)
        return response.status, await response.json()


@pytest.fixture
async def tamio(client: TestClient) -> TamioClient:
    return TamioClient(client)
