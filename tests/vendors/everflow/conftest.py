"""Everflow test helpers: the default keys and fixture ids, and a request helper."""
from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

BASE = "/everflow/v1"
NETWORK_KEY = "ef_sandbox_network_0001"
READ_ONLY_KEY = "ef_ro_sandbox_network_0001"
AFFILIATE_PORTAL_KEY = "ef_affiliate_sandbox_0001"

NOW = 1781524800  # tests/conftest.py FROZEN_AT, 2026-06-15T12:00:00Z, in Unix seconds

# Fixture ids (fixtures/default/everflow.yaml)
BRIGHT_MEDIA = 1      # active, tier 2 (Gold10), manager 1, labels vip + top-performer, user 1 (Jane)
COUPON_KINGS = 2      # active, tier 1, manager 2, referred by 1, user 2 (Carl)
DORMANT = 3           # inactive
PENDING = 4           # pending (a signup)
SUSPENDED = 5         # suspended
OFFER_PUBLIC = 1      # Acme CPA Offer: public, cpa 2.5 / rpa 4
OFFER_APPROVAL = 2    # Globex Approval Offer: require_approval (Bright Media approved), cps 10% / rps 15%
OFFER_PRIVATE = 3     # private, nobody approved
OFFER_PAUSED = 4
CONV_PENDING = "10000000000000000000000000000001"   # Bright Media on offer 2, pending, 2026-06-14 18:30 UTC
CONV_APPROVED = "10000000000000000000000000000002"  # Coupon Kings on offer 1, approved, 2026-06-01 08:00 UTC

NEW_AFFILIATE: dict[str, Any] = {
    "name": "Acme Partners", "account_status": "active", "network_employee_id": 1, "labels": ["top-performer"],
    "users": [{"first_name": "Jane", "last_name": "Roe", "email": "jane@acme.example", "account_status": "active",
               "language_id": 1}],
}


class EverflowClient:
    """Calls Everflow paths with a key; returns (status, json body, headers)."""

    def __init__(self, client: TestClient, key: str | None = NETWORK_KEY) -> None:
        self.client = client
        self.key = key

    def as_key(self, key: str | None) -> EverflowClient:
        return EverflowClient(self.client, key)

    async def call(self, method: str, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any, Any]:
        headers = dict(kwargs.pop("headers", {}))
        if self.key is not None:
            headers.setdefault("X-Eflow-Api-Key", self.key)
        response = await self.client.request(method, BASE + path, json=json, headers=headers, **kwargs)
        body = await response.json(content_type=None)
        return response.status, body, response.headers

    async def get(self, path: str, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.call("POST", path, json=json, **kwargs)

    async def put(self, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.call("PUT", path, json=json, **kwargs)

    async def patch(self, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.call("PATCH", path, json=json, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.call("DELETE", path, **kwargs)

    async def control(self, method: str, path: str, json: Any = None) -> tuple[int, Any]:
        """A control-plane call on the default tenant: /_sandbox/tenants/default/everflow/<path>."""
        response = await self.client.request(method, f"/_sandbox/tenants/default/everflow/{path}", json=json)
        return response.status, await response.json()


@pytest.fixture
async def ef(client: TestClient) -> EverflowClient:
    return EverflowClient(client)
