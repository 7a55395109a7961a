"""The request pipeline through HTTP: routing errors, body errors, 501, 500 and strict response checking."""
from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from sandbox.config import Settings
from sandbox.core.context import RequestContext
from sandbox.core.fixtures import FixtureSet
from sandbox.core.pipeline import PipelineOptions, VendorPipeline
from sandbox.core.spec import load_spec
from sandbox.core.tenants import TenantOptions, TenantRegistry
from sandbox.vendors.linkjolt import LinkJolt

from .conftest import FROZEN_AT, recorded_hooks

KEY = {"Authorization": "Bearer lj_pk_sandbox_ultimate_0001"}
BASE = "/linkjolt/api/v1"


async def linkjolt_with(aiohttp_client: Any, handlers: dict, strict: bool = True) -> TestClient:
    """LinkJolt mounted alone, with some handlers replaced (or removed, mapped to None)."""
    settings = Settings()
    vendor = LinkJolt()
    patched = {**vendor.handlers, **handlers}
    vendor.handlers = {k: v for k, v in patched.items() if v is not None}
    registry = TenantRegistry([vendor], FixtureSet(settings.fixtures), TenantOptions(clock=f"frozen:{FROZEN_AT}"))
    spec = load_spec(settings.specs / "linkjolt.yaml")
    app = web.Application()
    app.add_subapp(BASE, VendorPipeline(vendor, spec, registry, PipelineOptions(strict_responses=strict),
                                          recorded_hooks()).application())
    return await aiohttp_client(app)


async def test_unknown_path_is_the_vendors_404(client: TestClient) -> None:
    response = await client.get(f"{BASE}/clicks", headers=KEY)
    assert response.status == 404
    assert await response.json() == {"error": {"code": "not_found", "message": f"No route for GET {BASE}/clicks"}}


async def test_wrong_method_is_405_with_allow(client: TestClient) -> None:
    response = await client.put(f"{BASE}/affiliates", headers=KEY)
    assert response.status == 405
    assert response.headers["Allow"] == "GET, POST"
    assert (await response.json())["error"]["code"] == "method_not_allowed"


async def test_literal_path_wins_over_a_template(client: TestClient) -> None:
    response = await client.post(f"{BASE}/affiliates/invite", headers=KEY, json={})
    assert response.status == 400  # inviteAffiliate's validation, not a 405 from /affiliates/{id}


async def test_malformed_json_is_a_validation_error(client: TestClient) -> None:
    for raw in (b"{not json", b"\xff\xfe{}"):
        response = await client.post(f"{BASE}/affiliates", headers=KEY | {"Content-Type": "application/json"},
                                     data=raw)
        assert response.status == 400
        assert await response.json() == {"error": {"code": "validation_error", "message": "Validation failed",
                                                   "details": [{"path": [], "message": "Invalid JSON body"}]}}


@pytest.mark.parametrize("data", [b"", b" \r\n\t "], ids=["empty", "whitespace"])
async def test_missing_body_is_reported(client: TestClient, data: bytes) -> None:
    response = await client.post(f"{BASE}/affiliates", headers=KEY, data=data)
    assert response.status == 400
    assert (await response.json())["error"]["details"] == [{"path": [], "message": "Required"}]


async def test_body_that_is_not_an_object(client: TestClient) -> None:
    response = await client.post(f"{BASE}/affiliates", headers=KEY, json=[1, 2])
    assert response.status == 400
    assert (await response.json())["error"]["details"] == [{"path": [], "message": "Expected object, received array"}]


async def test_huge_body_is_413_in_the_vendor_envelope(client: TestClient) -> None:
    response = await client.post(f"{BASE}/affiliates", headers=KEY | {"Content-Type": "application/json"},
                                 data=b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}')
    assert response.status == 413
    assert (await response.json())["error"]["code"] == "payload_too_large"
    assert (await client.get(f"{BASE}/me", headers=KEY)).status == 200


async def test_deeply_nested_json_is_refused_cleanly(client: TestClient) -> None:
    response = await client.post(f"{BASE}/affiliates", headers=KEY | {"Content-Type": "application/json"},
                                 data=b"[" * 100_000 + b"]" * 100_000)
    assert response.status == 400


async def test_operation_without_handler_is_501_naming_it(aiohttp_client: Any) -> None:
    client = await linkjolt_with(aiohttp_client, {"getStats": None})
    response = await client.get(f"{BASE}/stats", headers=KEY)
    assert response.status == 501
    assert await response.json() == {"error": {"code": "not_implemented", "message":
                                               "The sandbox does not implement getStats (GET /stats) yet"}}


@pytest.mark.generic  # the handler is a stand-in: this says nothing about getStats itself
async def test_an_async_handler_is_awaited(aiohttp_client: Any) -> None:
    async def stats(ctx: RequestContext) -> dict:
        return {"totalRevenue": "5.00", "totalConversions": 1, "totalClicks": 2, "activeAffiliates": 3,
                "conversionRate": 50.0}

    client = await linkjolt_with(aiohttp_client, {"getStats": stats}, strict=False)
    response = await client.get(f"{BASE}/stats", headers=KEY)
    assert response.status == 200
    assert (await response.json())["data"]["totalConversions"] == 1


async def test_handler_crash_is_the_vendors_500_and_the_server_keeps_serving(aiohttp_client: Any) -> None:
    def explode(ctx: RequestContext) -> None:
        raise RuntimeError("boom")

    client = await linkjolt_with(aiohttp_client, {"getStats": explode})
    response = await client.get(f"{BASE}/stats", headers=KEY)
    assert response.status == 500
    body = await response.json()
    assert body["error"]["code"] == "internal_error" and "request req_" in body["error"]["message"]
    assert (await client.get(f"{BASE}/me", headers=KEY)).status == 200


async def test_strict_mode_turns_a_response_off_spec_into_a_500_naming_the_operation(aiohttp_client: Any) -> None:
    client = await linkjolt_with(aiohttp_client, {"getStats": lambda ctx: {"totalRevenue": 5}})
    response = await client.get(f"{BASE}/stats", headers=KEY)
    assert response.status == 500
    error = (await response.json())["error"]
    assert error["code"] == "sandbox_spec_mismatch"
    assert error["message"].startswith("getStats: response 200 does not match the spec at /data")


async def test_without_strict_mode_the_response_goes_out(aiohttp_client: Any) -> None:
    client = await linkjolt_with(aiohttp_client, {"getStats": lambda ctx: {"totalRevenue": 5}}, strict=False)
    response = await client.get(f"{BASE}/stats", headers=KEY)
    assert (response.status, await response.json()) == (200, {"data": {"totalRevenue": 5}})


async def test_openapi_document_is_served_with_the_sandbox_as_server(client: TestClient) -> None:
    response = await client.get(f"{BASE}/openapi.json")
    assert response.status == 200
    document = await response.json()
    assert document["openapi"].startswith("3.1")
    assert document["servers"][0]["url"].endswith(BASE)
    assert "/affiliates" in document["paths"]


async def test_a_response_that_cannot_be_written_is_the_vendors_500(aiohttp_client: Any) -> None:
    client = await linkjolt_with(aiohttp_client, {"getStats": lambda ctx: {"unwritable": {1, 2}}}, strict=False)
    response = await client.get(f"{BASE}/stats", headers=KEY)
    assert response.status == 500
    body = await response.json()
    assert body["error"]["code"] == "internal_error" and "request req_" in body["error"]["message"]
    assert (await client.get(f"{BASE}/me", headers=KEY)).status == 200
