"""PromoteKit test helpers: the default key, fixture ids and a request helper."""
from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

BASE = "/promotekit/api/v1"
KEY = "pk_sandboxDefaultKey00001"

CAMP_DEFAULT = "ca000000-0000-4000-8000-000000000001"
CAMP_COUPON = "ca000000-0000-4000-8000-000000000002"
JANE = "af000000-0000-4000-8000-000000000001"
SAM = "af000000-0000-4000-8000-000000000002"
UNA_UNAPPROVED = "af000000-0000-4000-8000-000000000003"
BEN_BANNED = "af000000-0000-4000-8000-000000000004"
REF_ACTIVE = "dd000000-0000-4000-8000-000000000001"
REF_TRIALING = "dd000000-0000-4000-8000-000000000002"
REF_SIGNED_UP = "dd000000-0000-4000-8000-000000000003"
REF_CANCELED = "dd000000-0000-4000-8000-000000000004"
REF_PAST_DUE = "dd000000-0000-4000-8000-000000000005"
REF_BANNED = "dd000000-0000-4000-8000-000000000006"
COM_PAID_JANE = "cc000000-0000-4000-8000-000000000001"
COM_UNPAID_JANE = "cc000000-0000-4000-8000-000000000002"
COM_UNPAID_JANE_2 = "cc000000-0000-4000-8000-000000000003"
COM_PAID_SAM = "cc000000-0000-4000-8000-000000000004"
COM_UNPAID_SAM = "cc000000-0000-4000-8000-000000000005"
PAYOUT_JANE = "bb000000-0000-4000-8000-000000000001"
PAYOUT_SAM = "bb000000-0000-4000-8000-000000000002"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
NOW = "2026-06-15T12:00:00Z"


def error(message: str, error_type: str = "invalid_request_error") -> dict:
    return {"success": False, "error": {"message": message, "type": error_type}}


class PromoteKitClient:
    """Calls PromoteKit paths with a key; returns (status, json body, headers)."""

    def __init__(self, client: TestClient, key: str | None = KEY) -> None:
        self.client = client
        self.key = key

    def as_key(self, key: str | None) -> "PromoteKitClient":
        return PromoteKitClient(self.client, key)

    async def call(self, method: str, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any, Any]:
        headers = dict(kwargs.pop("headers", {}))
        if self.key is not None:
            headers.setdefault("Authorization", f"Bearer {self.key}")
        response = await self.client.request(method, BASE + path, json=json, headers=headers, **kwargs)
        body = await response.json(content_type=None)
        return response.status, body, response.headers

    async def get(self, path: str, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.call("POST", path, json=json, **kwargs)

    async def put(self, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.call("PUT", path, json=json, **kwargs)

    async def control(self, method: str, path: str, json: Any = None, tenant: str = "default") -> tuple[int, Any]:
        response = await self.client.request(method, f"/_sandbox/tenants/{tenant}/promotekit/{path}", json=json)
        return response.status, await response.json()


@pytest.fixture
async def pk(client: TestClient) -> PromoteKitClient:
    return PromoteKitClient(client)
