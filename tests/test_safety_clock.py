"""The control plane's clock keeps every tenant's instant within years 1-9999 (issue 13)."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient


@pytest.mark.parametrize("body", [{"advance": 1e20}, {"advance": 1e300}, {"advance": 253402300800}])
async def test_an_advance_past_year_9999_is_a_400_and_changes_nothing(client: TestClient, body: dict) -> None:
    tenant = await (await client.post("/_sandbox/tenants", json={})).json()
    response = await client.post(f"/_sandbox/tenants/{tenant['id']}/clock", json=body)
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "clock_out_of_range"
    described = await client.get(f"/_sandbox/tenants/{tenant['id']}")
    assert (await described.json())["now"] == "2026-06-15T12:00:00Z"
    everyone = await client.get("/_sandbox/tenants")  # was a 500 for everybody once one clock broke
    assert everyone.status == 200


async def test_the_last_second_of_9999_is_reachable_and_the_next_is_not(client: TestClient) -> None:
    url = "/_sandbox/tenants/default/clock"
    response = await client.post(url, json={"set": "9999-12-31T23:59:59Z"})
    assert (response.status, (await response.json())["now"]) == (200, "9999-12-31T23:59:59Z")
    response = await client.post(url, json={"advance": 1})
    assert response.status == 400
    assert await response.json() == {"error": {"code": "clock_out_of_range", "message":
                                               "advancing by 1.0 seconds would take the clock outside years 1-9999",
                                               "field": "advance"}}
    assert (await client.get("/_sandbox/tenants")).status == 200


async def test_a_set_whose_utc_instant_leaves_the_range_is_a_400(client: TestClient) -> None:
    response = await client.post("/_sandbox/tenants/default/clock", json={"set": "9999-12-31T23:59:59-05:00"})
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_body"
