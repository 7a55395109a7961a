"""PromoteKit, Tamio and Everflow events end to end, through the built-in inbox; subscriptions through the
control plane; determinism of the outbox."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp.test_utils import TestClient

from ..vendors.everflow.conftest import (
    BRIGHT_MEDIA,
    COUPON_KINGS,
    OFFER_APPROVAL,
    OFFER_PUBLIC,
    EverflowClient,
)
from ..vendors.linkjolt.conftest import CAMP_PERCENT, JANE, LinkJoltClient
from ..vendors.promotekit.conftest import (
    REF_SIGNED_UP,
    UNA_UNAPPROVED,
    PromoteKitClient,
)
from ..vendors.tamio.conftest import (
    MINIMAL_PROGRAM,
    PAT_PENDING,
    PROG_ACTIVE,
    TamioClient,
)
from .conftest import Receiver, advance, control, deliveries

INBOX = "http://sandbox.local/_sandbox/inbox/"


async def _subscribe(client: TestClient, vendor: str, events: list[str], inbox: str) -> dict[str, Any]:
    status, body = await control(client, "POST", "/tenants/default/webhooks",
                                 {"vendor": vendor, "url": INBOX + inbox, "events": events})
    assert status == 201, body
    return body


async def _received(client: TestClient, inbox: str) -> list[dict[str, Any]]:
    await advance(client, 0)
    status, body = await control(client, "GET", f"/inbox/{inbox}")
    assert status == 200
    return body["data"]


async def test_promotekit_sends_type_and_data_shaped_like_its_get(client: TestClient) -> None:
    pk = PromoteKitClient(client)
    await _subscribe(client, "promotekit", ["affiliate.created", "affiliate.approved", "commission.created",
                                            "referral.converted"], "pk")
    status, created, _ = await pk.post("/affiliates", {"email": "new@example.com", "first_name": "Nia",
                                                    "last_name": "New"})
    assert status == 200, created
    await pk.put(f"/affiliates/{UNA_UNAPPROVED}", {"approved": True})
    await pk.post("/commissions", {"referral_id": REF_SIGNED_UP, "revenue_amount": 50, "commission_amount": 10})
    messages = [json.loads(m["body"]) for m in await _received(client, "pk")]
    assert [m["type"] for m in messages] == ["affiliate.created", "affiliate.approved", "commission.created",
                                             "referral.converted"]
    assert all(list(m) == ["type", "data"] for m in messages)
    _, fetched, _ = await pk.get(f"/affiliates/{created['data']['id']}")
    assert messages[0]["data"] == fetched["data"]
    _, una, _ = await pk.get(f"/affiliates/{UNA_UNAPPROVED}")
    assert messages[1]["data"] == una["data"]
    assert messages[3]["data"]["id"] == REF_SIGNED_UP and messages[3]["data"]["subscription_status"] == "active"


async def test_tamio_sends_the_whev_envelope(client: TestClient) -> None:
    tamio = TamioClient(client)
    hook = await _subscribe(client, "tamio", ["affiliate-program-created", "affiliate-program-updated",
                                              "affiliate-signup", "affiliate-approved"], "tamio")
    status, created = await tamio.post("/affiliate-programs/create", MINIMAL_PROGRAM)
    assert status == 200, created
    program = created["program"]
    status, _ = await tamio.post(f"/affiliate-programs/update/{program['id']}",
                                 {**MINIMAL_PROGRAM, "commission_percent": 30})
    assert status == 200
    await tamio.control("POST", f"programs/{PROG_ACTIVE}/signup", {"email": "signup@example.com"})
    assert (await tamio.post(f"/affiliates/approve/{PAT_PENDING}"))[0] == 200
    messages = [json.loads(m["body"]) for m in await _received(client, "tamio")]
    assert [m["event_type"] for m in messages] == ["affiliate-program-created", "affiliate-program-updated",
                                                   "affiliate-signup", "affiliate-approved"]
    first = messages[0]
    assert list(first) == ["event_id", "event_type", "api_version", "object", "data", "endpoint_id"]
    assert first["event_id"].startswith("whev_") and first["api_version"] == 2 and first["object"] == "event"
    assert first["endpoint_id"] == hook["id"] and first["data"] == program
    assert messages[1]["data"]["changes"] == ["commission_percent"]
    assert messages[3]["data"] == {"affiliate": {"id": PAT_PENDING}}


async def test_everflow_postbacks_fire_matching_pixels_with_macros(client: TestClient) -> None:
    ef = EverflowClient(client)
    pixel = {"network_affiliate_id": COUPON_KINGS, "network_offer_id": 0, "delivery_method": "postback",
             "pixel_level": "global", "pixel_status": "active", "pixel_type": "conversion",
             "postback_url": INBOX + "ef?tid={transaction_id}&s1={sub1}&p={payout_amount}&o={offer_id}"
                             "&a={affiliate_id}&x={unknown_macro}"}
    status, created, _ = await ef.post("/networks/pixels", pixel)
    assert status == 200, created
    delayed = {**pixel, "postback_url": INBOX + "ef-late?tid={transaction_id}", "delay_ms": 30000}
    await ef.post("/networks/pixels", delayed)
    await ef.post("/networks/pixels", {**pixel, "pixel_status": "inactive", "postback_url": INBOX + "ef-off"})
    await ef.post("/networks/pixels", {**pixel, "network_affiliate_id": BRIGHT_MEDIA,
                                       "postback_url": INBOX + "ef-other"})
    status, conversion = await ef.control("POST", "conversions", {
        "network_offer_id": OFFER_PUBLIC, "network_affiliate_id": COUPON_KINGS, "sub1": "spring sale"})
    assert status == 200
    [message] = await _received(client, "ef")
    assert message["method"] == "GET"
    assert parse_qs(message["query"], keep_blank_values=True) == {
        "tid": [conversion["transaction_id"]], "s1": ["spring sale"], "p": ["2.5"], "o": [str(OFFER_PUBLIC)],
        "a": [str(COUPON_KINGS)], "x": ["{unknown_macro}"]}
    assert await _received(client, "ef-late") == []  # delay_ms runs on the tenant clock
    await advance(client, 30)
    [late] = await _received(client, "ef-late")
    assert urlsplit("?" + late["query"]).query == f"tid={conversion['transaction_id']}"
    assert await _received(client, "ef-off") == [] and await _received(client, "ef-other") == []
    _, _ = await ef.control("POST", "conversions", {"network_offer_id": OFFER_APPROVAL,
                                                    "network_affiliate_id": BRIGHT_MEDIA})
    assert len(await _received(client, "ef-other")) == 1


async def test_control_plane_subscriptions_list_and_delete(client: TestClient) -> None:
    hook = await _subscribe(client, "linkjolt", ["conversion.created"], "x")
    assert hook["vendor"] == "linkjolt" and len(hook["secret"]) == 64 and hook["active"] is True
    _, listed, _ = await LinkJoltClient(client).get("/webhooks")
    assert [h["id"] for h in listed["data"]] == [hook["id"]]  # the vendor's own list shows it
    status, body = await control(client, "GET", "/tenants/default/webhooks")
    assert status == 200 and [h["id"] for h in body["data"]] == [hook["id"]]
    status, body = await control(client, "POST", "/tenants/default/webhooks",
                                 {"vendor": "linkjolt", "url": INBOX + "x", "events": ["conversion.exploded"]})
    assert (status, body["error"]["field"]) == (400, "events")
    status, body = await control(client, "POST", "/tenants/default/webhooks",
                                 {"vendor": "everflow", "url": INBOX + "x", "events": ["conversion"]})
    assert (status, body["error"]["field"]) == (400, "vendor")
    status, body = await control(client, "DELETE", f"/tenants/default/webhooks/{hook['id']}")
    assert (status, body) == (200, {"id": hook["id"], "vendor": "linkjolt", "deleted": True})
    status, body = await control(client, "DELETE", f"/tenants/default/webhooks/{hook['id']}")
    assert (status, body["error"]["code"]) == (404, "webhook_not_found")


async def test_the_inbox_takes_any_request_and_empties(client: TestClient) -> None:
    response = await client.post("/_sandbox/inbox/raw?from=test", data=b"\xff\x00binary",
                                 headers={"Content-Type": "application/octet-stream"})
    assert (response.status, await response.json()) == (200, {"received": 1})
    response = await client.put("/_sandbox/inbox/raw", data="a=1", headers={"Content-Type": "text/plain"})
    assert response.status == 200
    status, body = await control(client, "GET", "/inbox/raw")
    assert status == 200
    first, second = body["data"]
    assert (first["method"], first["query"], first["bodyEncoding"], first["body"]) == (
        "POST", "from=test", "base64", "/wBiaW5hcnk=")
    assert (second["method"], second["body"], second["headers"]["Content-Type"]) == ("PUT", "a=1", "text/plain")
    assert await control(client, "DELETE", "/inbox/raw") == (200, {"name": "raw", "deleted": 2})
    assert await control(client, "GET", "/inbox/raw") == (200, {"name": "raw", "data": []})


async def _one_run(make_client: Any) -> list[dict[str, Any]]:
    client: TestClient = await make_client()
    lj = LinkJoltClient(client)
    await _subscribe(client, "linkjolt", ["conversion.created", "conversion.approved"], "det")
    await _subscribe(client, "tamio", ["affiliate-program-created"], "det-t")
    for amount in (10, 20, 30):
        _, created, _ = await lj.post("/conversions", {"campaignId": CAMP_PERCENT, "affiliateId": JANE,
                                                       "amount": amount})
        await lj.patch(f"/conversions/{created['data']['id']}", {"status": "approved"})
    await TamioClient(client).post("/affiliate-programs/create", MINIMAL_PROGRAM)
    await advance(client, 0)
    out = await deliveries(client)
    for delivery in out:
        for attempt in delivery["attempts"]:
            attempt.pop("durationMs")  # wall-clock time of the attempt: the one thing that may differ
    return out


async def test_same_seed_same_requests_same_outbox(make_client: Any) -> None:
    first, second = await _one_run(make_client), await _one_run(make_client)
    assert len(first) == 7
    assert first == second


async def test_receivers_never_slow_the_api_call(make_client: Any, receiver: Receiver) -> None:
    client: TestClient = await make_client(webhook_hosts=("127.0.0.1",), webhook_timeout=0.2)
    receiver.default = "hang"
    lj = LinkJoltClient(client)
    await lj.post("/webhooks", {"url": receiver.url(), "events": ["conversion.created"]})
    status, _, _ = await lj.post("/conversions", {"campaignId": CAMP_PERCENT, "affiliateId": JANE, "amount": 5})
    assert status == 201
    [delivery] = await deliveries(client)
    assert delivery["state"] == "pending" and delivery["attempts"] == []  # not attempted inside the API call


async def test_no_event_is_built_until_something_subscribes(client: TestClient,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Events nobody could receive are not built (most tenants subscribe to nothing): counted, not timed."""
    from sandbox.core import context

    built: list[str] = []

    class CountedEvent(context.Event):  # type: ignore[misc,valid-type]
        def __new__(cls, *args: Any) -> Any:
            built.append(args[2])
            return super().__new__(cls, *args)

    monkeypatch.setattr(context, "Event", CountedEvent)
    pk = PromoteKitClient(client)
    status, _, _ = await pk.post("/affiliates", {"email": "quiet@example.com", "first_name": "Q", "last_name": "Q"})
    assert status == 200 and built == []
    await _subscribe(client, "promotekit", ["affiliate.created"], "quiet")
    status, created, _ = await pk.post("/affiliates", {"email": "heard@example.com", "first_name": "H",
                                                        "last_name": "H"})
    assert status == 200 and built == ["affiliate.created"]
    assert [json.loads(m["body"])["data"]["id"] for m in await _received(client, "quiet")] == [created["data"]["id"]]
