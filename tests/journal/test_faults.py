"""Fault injection through HTTP: each kind, matching, counting, probability, bounds and bad input."""
from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from .conftest import CAMPAIGN, LJ, NEW, Sandbox, new_tenant


async def test_an_error_fault_answers_in_the_vendors_envelope_for_the_next_n_calls(sb: Sandbox) -> None:
    fault = await sb.fault(vendor="linkjolt", operation="createAffiliate", kind="error", status=503, times=2)
    assert fault == {"id": "flt_1", "kind": "error", "vendor": "linkjolt", "operation": "createAffiliate",
                     "status": 503, "code": "service_unavailable", "times": 2, "remaining": 2, "probability": 1.0,
                     "fired": 0, "active": True}
    for _ in range(2):
        status, body, _ = await sb.lj("POST", "/affiliates", NEW)
        assert (status, body) == (503, {"error": {"code": "service_unavailable", "message": "Service Unavailable"}})
    status, _, _ = await sb.lj("POST", "/affiliates", NEW)
    assert status == 201
    status, listed = await sb.control("GET", f"/tenants/{sb.tenant}/faults")
    assert listed["data"] == [fault | {"remaining": 0, "fired": 2, "active": False}]
    entries = await sb.requests()
    assert [(e["decision"]["stage"], e["decision"]["reason"], e["decision"]["fault"]) for e in entries] == [
        ("fault", "service_unavailable", {"id": "flt_1", "kind": "error"}),
        ("fault", "service_unavailable", {"id": "flt_1", "kind": "error"}),
        ("handle", "ok", None)]
    assert entries[0]["explanation"].startswith("fault answered 503: service_unavailable (fault flt_1, error)")


async def test_an_error_fault_with_its_own_code_message_and_retry_after(sb: Sandbox) -> None:
    await sb.fault(vendor="linkjolt", operation="getMe", kind="error", status=500, code="internal_error",
                   message="Something broke", retryAfter=7)
    status, body, headers = await sb.lj("GET", "/me")
    assert (status, body) == (500, {"error": {"code": "internal_error", "message": "Something broke"}})
    assert headers["Retry-After"] == "7"


async def test_a_rate_limit_fault_is_the_vendors_429_with_its_headers(sb: Sandbox) -> None:
    await sb.fault(vendor="linkjolt", operation="listAffiliates", kind="rate_limit", retryAfter=30, times=1)
    status, body, headers = await sb.lj("GET", "/affiliates")
    assert status == 429
    assert body == {"error": {"code": "rate_limit_exceeded",
                              "message": "Rate limit exceeded (300 requests per minute). Retry after 30 seconds."}}
    assert {k: headers[k] for k in ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                                    "X-RateLimit-Reset")} == {
        "Retry-After": "30", "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(1781524800 + 30)}
    [entry] = await sb.requests()
    assert (entry["decision"]["stage"], entry["decision"]["reason"]) == ("fault", "rate_limit_exceeded")
    assert entry["decision"]["rateLimit"]["allowed"] is False


async def test_faults_fire_for_cached_reads_too(make_client) -> None:  # type: ignore[no-untyped-def]
    client = await make_client(response_cache="on")
    sb = await new_tenant(client)
    for _ in range(2):
        assert (await sb.lj("GET", "/campaigns"))[0] == 200
    assert (await sb.requests())[-1]["decision"]["stage"] == "cache"
    await sb.fault(vendor="linkjolt", operation="listCampaigns", kind="error", status=502, times=1)
    status, body, _ = await sb.lj("GET", "/campaigns")
    assert (status, body["error"]["code"]) == (502, "bad_gateway")
    assert (await sb.lj("GET", "/campaigns"))[0] == 200


async def test_a_latency_fault_delays_then_answers_as_usual(sb: Sandbox) -> None:
    await sb.fault(vendor="linkjolt", operation="getMe", kind="latency", seconds=0.01)
    status, _, _ = await sb.lj("GET", "/me")
    assert status == 200
    [entry] = await sb.requests()
    assert (entry["decision"]["stage"], entry["decision"]["fault"]) == ("handle", {"id": "flt_1", "kind": "latency"})


async def test_a_drop_fault_closes_the_connection_without_an_answer(sb: Sandbox) -> None:
    await sb.fault(method="POST", path=f"{LJ}/affiliates", kind="drop", times=1)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await sb.client.post(LJ + "/affiliates", json=NEW, headers=sb.auth())
    [entry] = await sb.requests()
    assert entry["response"]["status"] is None
    assert (entry["decision"]["stage"], entry["decision"]["reason"]) == ("fault", "connection_dropped")
    assert entry["explanation"].startswith("fault answered no answer (the connection was closed)")
    status, _, _ = await sb.lj("POST", "/affiliates", NEW)  # the next call is served: nothing was created
    assert status == 201


async def test_a_stall_holds_the_answer_until_the_client_times_out(sb: Sandbox) -> None:
    await sb.fault(vendor="linkjolt", operation="getMe", kind="stall", seconds=60)
    with pytest.raises(asyncio.TimeoutError):
        await sb.client.get(LJ + "/me", headers=sb.auth(), timeout=aiohttp.ClientTimeout(total=0.3))
    status, body = await sb.control("GET", f"/tenants/{sb.tenant}/faults/flt_1")
    assert (status, body["fired"]) == (200, 1)
    # The client has gone: the stall ends at its next look (every Waits.SLICE), not after its 60 s, and the
    # request is journaled then. Waited for (bounded), so the test ends after the request does, whatever the pace.
    entries: list[dict] = []
    for _ in range(500):
        entries = await sb.requests()
        if entries:
            break
        await asyncio.sleep(0.01)
    [entry] = entries
    assert (entry["response"]["status"], entry["decision"]["reason"]) == (None, "connection_stalled")


async def test_a_stall_ends_when_the_server_stops(aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    from sandbox import create_app

    from ..conftest import test_settings

    client: TestClient = await aiohttp_client(create_app(test_settings()))
    sb = await new_tenant(client)
    await sb.fault(vendor="linkjolt", operation="getMe", kind="stall")  # the longest: 300 s
    call = asyncio.ensure_future(client.get(LJ + "/me", headers=sb.auth()))
    for _ in range(200):  # until the server holds the request (bounded)
        if (await sb.control("GET", f"/tenants/{sb.tenant}/faults/flt_1"))[1]["fired"]:
            break
        await asyncio.sleep(0.01)
    await client.server.close()  # shutdown ends the stall: the connection closes, the call fails at once
    with pytest.raises(aiohttp.ClientError):
        await asyncio.wait_for(call, 30)


async def test_a_path_pattern_matches_the_whole_path_and_the_method(sb: Sandbox) -> None:
    await sb.fault(method="GET", path=f"{LJ}/affiliates/[^/]+", kind="error", status=500)
    assert (await sb.lj("GET", "/affiliates"))[0] == 200  # the pattern wants an id
    assert (await sb.lj("GET", "/affiliates/aff_jane_smith_000001"))[0] == 500
    status, _, _ = await sb.lj("PATCH", "/affiliates/aff_pending_pat_00002",
                               {"campaignId": CAMPAIGN, "status": "approved"})
    assert status == 200  # the pattern is for GET only


async def _statuses(client: TestClient, seed: int, calls: int) -> list[int]:
    sb = await new_tenant(client, seed)
    await sb.fault(vendor="linkjolt", operation="getMe", kind="error", status=503, probability=0.5)
    return [(await sb.lj("GET", "/me"))[0] for _ in range(calls)]


async def test_a_probability_draws_from_the_tenants_seeded_stream(client: TestClient) -> None:
    first = await _statuses(client, 7, 20)
    assert set(first) == {200, 503}
    assert await _statuses(client, 7, 20) == first  # the same seed fails the same calls
    assert await _statuses(client, 8, 20) != first


async def test_the_oldest_matching_fault_answers(sb: Sandbox) -> None:
    await sb.fault(vendor="linkjolt", operation="getMe", kind="error", status=500, times=1)
    await sb.fault(vendor="linkjolt", operation="getMe", kind="error", status=502, times=1)
    assert [(await sb.lj("GET", "/me"))[0] for _ in range(3)] == [500, 502, 200]


async def test_faults_belong_to_their_tenant(client: TestClient) -> None:
    one, two = await new_tenant(client), await new_tenant(client)
    await one.fault(vendor="linkjolt", operation="getMe", kind="error", status=503)
    assert (await one.lj("GET", "/me"))[0] == 503
    assert (await two.lj("GET", "/me"))[0] == 200


async def test_list_get_delete_one_and_clear(sb: Sandbox) -> None:
    await sb.fault(vendor="linkjolt", operation="getMe", kind="drop")
    await sb.fault(vendor="linkjolt", operation="listCampaigns", kind="error", status=503)
    status, body = await sb.control("DELETE", f"/tenants/{sb.tenant}/faults/flt_1")
    assert (status, body) == (200, {"id": "flt_1", "deleted": True})
    status, body = await sb.control("GET", f"/tenants/{sb.tenant}/faults/flt_1")
    assert (status, body["error"]["code"]) == (404, "fault_not_found")
    assert (await sb.lj("GET", "/me"))[0] == 200
    status, body = await sb.control("DELETE", f"/tenants/{sb.tenant}/faults")
    assert (status, body) == (200, {"tenant": sb.tenant, "deleted": 1})
    assert (await sb.lj("GET", "/campaigns"))[0] == 200
    assert (await sb.control("GET", f"/tenants/{sb.tenant}/faults"))[1] == {"data": []}


async def test_a_reset_clears_the_faults(sb: Sandbox) -> None:
    await sb.fault(vendor="linkjolt", operation="getMe", kind="error", status=503)
    assert (await sb.control("POST", f"/reset?tenant={sb.tenant}"))[0] == 200
    assert (await sb.control("GET", f"/tenants/{sb.tenant}/faults"))[1] == {"data": []}
    assert (await sb.lj("GET", "/me"))[0] == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"vendor": "linkjolt", "operation": "getMe", "kind": "explode"}, "kind"),
    ({"vendor": "linkjolt", "operation": "getMe"}, "kind"),
    ({"vendor": "linkjolt", "operation": "getMe", "kind": "error", "probability": 1.5}, "probability"),
    ({"vendor": "linkjolt", "operation": "getMe", "kind": "error", "probability": 0}, "probability"),
    ({"vendor": "linkjolt", "operation": "getMe", "kind": "error", "times": 0}, "times"),
    ({"vendor": "linkjolt", "operation": "getMe", "kind": "error", "status": 200}, "status"),
    ({"vendor": "linkjolt", "operation": "nope", "kind": "error"}, "operation"),
    ({"vendor": "acme", "operation": "getMe", "kind": "error"}, "vendor"),
    ({"operation": "getMe", "kind": "error"}, "vendor"),
    ({"vendor": "linkjolt", "kind": "error"}, "operation"),
    ({"method": "GET", "path": "/x/(", "kind": "error"}, "path"),
    ({"method": "GET", "path": "/x/(a+)+", "kind": "error"}, "path"),
    ({"method": "GET", "path": "/x/(a|ab)*", "kind": "error"}, "path"),
    ({"method": "GET", "path": "/.*.*.*x", "kind": "error"}, "path"),
    ({"method": "GET", "path": r"/(a)\1", "kind": "error"}, "path"),
    ({"method": "GET", "path": "/" + "a" * 200, "kind": "error"}, "path"),
    ({"method": "GET", "path": "/x", "kind": "latency", "seconds": 61}, "seconds"),
    ({"method": "GET", "path": "/x", "kind": "latency"}, "seconds"),
    ({"method": "GET", "path": "/x", "kind": "stall", "seconds": 301}, "seconds"),
    ({"method": "GET", "path": "/x", "kind": "drop", "status": 500}, "status"),
    ({"method": "GET", "path": "/x", "kind": "drop", "surprise": 1}, "surprise"),
])
async def test_bad_faults_are_400_naming_the_field(sb: Sandbox, body: dict[str, Any], field: str) -> None:
    status, answer = await sb.control("POST", f"/tenants/{sb.tenant}/faults", body)
    assert status == 400, answer
    assert answer["error"]["field"] == field, answer
    assert answer["error"]["code"] == "invalid_body"


async def test_a_tenant_holds_a_bounded_number_of_faults(sb: Sandbox) -> None:
    for _ in range(100):
        await sb.fault(vendor="linkjolt", operation="getMe", kind="error", times=1)
    status, body = await sb.control("POST", f"/tenants/{sb.tenant}/faults",
                                    {"vendor": "linkjolt", "operation": "getMe", "kind": "error"})
    assert (status, body["error"]["code"]) == (409, "too_many_faults")
    assert (await sb.lj("GET", "/me"))[0] == 500  # one is spent: it makes room
    created = await sb.fault(vendor="linkjolt", operation="getMe", kind="error")
    assert created["id"] == "flt_102"
    listed = (await sb.control("GET", f"/tenants/{sb.tenant}/faults"))[1]["data"]
    assert len(listed) == 100
    assert listed[0]["id"] == "flt_2"
