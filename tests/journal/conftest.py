"""A fresh tenant per test, its LinkJolt key, and helpers for the journal and faults routes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

LJ = "/linkjolt/api/v1"
CAMPAIGN = "camp_percentage_00001"
NEW = {"email": "newbie@example.com", "name": "New Bie", "campaignId": CAMPAIGN}


@dataclass
class Sandbox:
    client: TestClient
    tenant: str
    keys: dict[str, str]

    def auth(self, vendor: str = "linkjolt") -> dict[str, str]:
        key = self.keys[vendor]
        return {"X-Eflow-Api-Key": key} if vendor == "everflow" else {"Authorization": f"Bearer {key}"}

    async def lj(self, method: str, path: str, json: Any = None, **kwargs: Any) -> tuple[int, Any, Any]:
        response = await self.client.request(method, LJ + path, json=json, headers=self.auth(), **kwargs)
        return response.status, await response.json(content_type=None), response.headers

    async def control(self, method: str, path: str, json: Any = None) -> tuple[int, Any]:
        response = await self.client.request(method, f"/_sandbox{path}", json=json)
        return response.status, await response.json()

    async def requests(self, query: str = "") -> list[dict[str, Any]]:
        status, body = await self.control("GET", f"/tenants/{self.tenant}/requests{query}")
        assert status == 200, body
        return body["data"]

    async def fault(self, **body: Any) -> dict[str, Any]:
        status, created = await self.control("POST", f"/tenants/{self.tenant}/faults", body)
        assert status == 201, created
        return created


async def new_tenant(client: TestClient, seed: int = 0) -> Sandbox:
    response = await client.post("/_sandbox/tenants", json={"seed": seed})
    body = await response.json()
    assert response.status == 201, body
    return Sandbox(client, body["id"], body["keys"])


@pytest.fixture
async def sb(client: TestClient) -> Sandbox:
    return await new_tenant(client)
