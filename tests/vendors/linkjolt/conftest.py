"""LinkJolt test helpers: the default keys and fixture ids, and a request helper."""
from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

BASE = "/linkjolt/api/v1"
ULTIMATE = "lj_pk_sandbox_ultimate_0001"
PROFESSIONAL = "lj_pk_sandbox_professional_0001"
TEST_KEY = "lj_pk_test_sandbox_0001"

CAMP_PERCENT = "camp_percentage_00001"
CAMP_FIXED = "camp_fixed_0000000002"
CAMP_TIERED = "camp_tiered_000000003"
CAMP_PAUSED = "camp_paused_000000004"
JANE = "aff_jane_smith_000001"
PAT_PENDING = "aff_pending_pat_00002"
REX_REJECTED = "aff_rejected_rex_0003"
FRAN_FIXED = "aff_fixed_fran_000004"
ALEX_API = "aff_api_alex_00000005"


class LinkJoltClient:
    """Calls LinkJolt paths with a key; returns (status, json body, headers)."""

    def __init__(self, client: TestClient, key: str | None = ULTIMATE) -> None:
        self.client = client
        self.key = key

    def as_key(self, key: str | None) -> "LinkJoltClient":
        return LinkJoltClient(self.client, key)

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

    async def patch(self, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.call("PATCH", path, json=json, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> tuple[int, Any, Any]:
        return await self.call("DELETE", path, **kwargs)


@pytest.fixture
async def lj(client: TestClient) -> LinkJoltClient:
    return LinkJoltClient(client)
