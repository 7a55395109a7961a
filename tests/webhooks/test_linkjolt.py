"""LinkJolt's webhooks end to end: a real receiver, signatures checked from the docs, retries and deactivation
on clock advances, suppression for test keys, failed attempts of every kind."""
from __future__ import annotations

import json
from typing import Any

from aiohttp.test_utils import TestClient

from ..vendors.linkjolt.conftest import (
    CAMP_PERCENT,
    JANE,
    PAT_PENDING,
    TEST_KEY,
    LinkJoltClient,
)
from .conftest import (
    FROZEN_UNIX,
    Receiver,
    advance,
    control,
    deliveries,
    verify_linkjolt_signature,
)

SALE = {"campaignId": CAMP_PERCENT, "affiliateId": JANE, "amount": 100}


async def _subscribe(lj: LinkJoltClient, url: str, events: list[str] | None = None) -> dict[str, Any]:
    status, body, _ = await lj.post("/webhooks", {"url": url, "events": events or ["conversion.created"]})
    assert status == 201, body
    return body["data"]


async def test_a_conversion_reaches_the_receiver_signed(make_client: Any, receiver: Receiver) -> None:
    client: TestClient = await make_client(webhook_hosts=("127.0.0.1",))
    lj = LinkJoltClient(client)
    hook = await _subscribe(lj, receiver.url())
    status, created, _ = await lj.post("/conversions", SALE)
    assert status == 201
    await advance(client, 0)
    [got] = receiver.requests
    assert got.method == "POST" and got.path_qs == "/hook"
    assert got.headers["Content-Type"] == "application/json"
    assert verify_linkjolt_signature(got.headers["X-LinkJolt-Signature"], got.body, hook["secret"], FROZEN_UNIX)
    assert not verify_linkjolt_signature(got.headers["X-LinkJolt-Signature"], got.body + b" ", hook["secret"],
                                         FROZEN_UNIX)
    body = json.loads(got.body)
    assert list(body) == ["event", "data", "timestamp", "id"]
    assert body["event"] == "conversion.created" and body["timestamp"] == "2026-06-15T12:00:00Z"
    assert body["data"] == {"conversionId": created["data"]["id"], "campaignId": CAMP_PERCENT, "affiliateId": JANE,
                            "amount": "100.00", "commission": created["data"]["commission"] and "20.00",
                            "currency": "usd", "status": "pending"}
    [delivery] = await deliveries(client, vendor="linkjolt")
    assert delivery["id"] == body["id"] and delivery["id"].startswith("wh_del_")
    assert delivery["state"] == "delivered" and delivery["nextAttemptAt"] is None
    assert delivery["request"]["body"] == got.body.decode()
    assert delivery["request"]["headers"]["X-LinkJolt-Signature"] == got.headers["X-LinkJolt-Signature"]
    assert [(a["at"], a["status"], a["error"]) for a in delivery["attempts"]] == [("2026-06-15T12:00:00Z", 200, None)]


async def test_a_private_receiver_needs_webhook_hosts(client: TestClient, receiver: Receiver) -> None:
    lj = LinkJoltClient(client)
    status, body, _ = await lj.post("/webhooks", {"url": receiver.url(), "events": ["conversion.created"]})
    assert status == 400
    assert body["error"]["details"] == [{"path": ["url"], "message": "URL must be a public HTTPS URL"}]
    status, body = await control(client, "POST", "/tenants/default/webhooks",
                                 {"vendor": "linkjolt", "url": receiver.url(), "events": ["conversion.created"]})
    assert status == 400 and body["error"]["field"] == "url"
    assert "--webhook-hosts" in body["error"]["message"]


async def test_the_inbox_is_always_allowed_and_needs_no_server(client: TestClient) -> None:
    lj = LinkJoltClient(client)
    hook = await _subscribe(lj, "http://localhost/_sandbox/inbox/lj", ["conversion.created", "conversion.approved"])
    _, created, _ = await lj.post("/conversions", SALE)
    await lj.patch(f"/conversions/{created['data']['id']}", {"status": "approved"})
    await advance(client, 0)
    status, inbox = await control(client, "GET", "/inbox/lj")
    assert status == 200
    assert [json.loads(m["body"])["event"] for m in inbox["data"]] == ["conversion.created", "conversion.approved"]
    first = inbox["data"][0]
    assert verify_linkjolt_signature(first["headers"]["X-LinkJolt-Signature"], first["body"].encode(),
                                     hook["secret"], FROZEN_UNIX)


async def test_retries_back_off_on_the_clock_and_five_failed_deliveries_deactivate(
        make_client: Any, receiver: Receiver) -> None:
    client: TestClient = await make_client(webhook_hosts=("127.0.0.1",))
    receiver.default = 500
    lj = LinkJoltClient(client)
    hook = await _subscribe(lj, receiver.url())
    for _ in range(5):
        await lj.post("/conversions", SALE)
    await advance(client, 0)
    assert len(receiver.requests) == 5
    await advance(client, 59)
    assert len(receiver.requests) == 5  # the first retry is due a minute after the attempt
    await advance(client, 1)
    assert len(receiver.requests) == 10
    _, listed, _ = await lj.get("/webhooks")
    assert listed["data"][0]["active"] is True
    await advance(client, 300)
    await advance(client, 1800)
    assert len(receiver.requests) == 20  # each delivery: the attempt and three retries
    outbox = await deliveries(client)
    assert {d["state"] for d in outbox} == {"failed"}
    assert [a["at"] for a in outbox[0]["attempts"]] == [
        "2026-06-15T12:00:00Z", "2026-06-15T12:01:00Z", "2026-06-15T12:06:00Z", "2026-06-15T12:36:00Z"]
    assert outbox[0]["attempts"][0]["status"] == 500
    _, listed, _ = await lj.get("/webhooks")
    assert listed["data"] == [{"id": hook["id"], "url": hook["url"], "events": ["conversion.created"],
                               "active": False, "createdAt": hook["createdAt"]}]
    await lj.post("/conversions", SALE)  # an inactive subscription gets nothing
    await advance(client, 0)
    assert len(await deliveries(client)) == 5 and len(receiver.requests) == 20


async def test_a_success_resets_the_failure_count(make_client: Any, receiver: Receiver) -> None:
    client: TestClient = await make_client(webhook_hosts=("127.0.0.1",))
    lj = LinkJoltClient(client)
    await _subscribe(lj, receiver.url())
    receiver.answers = [500] * 16  # four deliveries fail every attempt
    for _ in range(4):
        await lj.post("/conversions", SALE)
    for seconds in (0, 60, 300, 1800):
        await advance(client, seconds)
    await lj.post("/conversions", SALE)  # delivered: the count starts again
    await advance(client, 0)
    receiver.default = 500
    for _ in range(4):
        await lj.post("/conversions", SALE)
    for seconds in (0, 60, 300, 1800):
        await advance(client, seconds)
    status, hooks = await control(client, "GET", "/tenants/default/webhooks?vendor=linkjolt")
    assert status == 200
    assert [(h["active"], h["consecutiveFailures"]) for h in hooks["data"]] == [(True, 4)]


async def test_test_key_actions_are_suppressed_with_the_reason(make_client: Any, receiver: Receiver) -> None:
    client: TestClient = await make_client(webhook_hosts=("127.0.0.1",))
    await _subscribe(LinkJoltClient(client), receiver.url())
    status, _, _ = await LinkJoltClient(client, TEST_KEY).post("/conversions", SALE)
    assert status == 201
    await advance(client, 0)
    assert receiver.requests == []
    [delivery] = await deliveries(client)
    assert delivery["state"] == "suppressed" and delivery["attempts"] == []
    assert delivery["reason"] == ("made with a test key (lj_pk_test_): LinkJolt sends no webhooks for test-key "
                                  "actions")
    status, body = await control(client, "POST", f"/tenants/default/deliveries/{delivery['id']}/redeliver")
    assert (status, body["error"]["code"]) == (409, "delivery_suppressed")


async def test_redirects_hangs_and_errors_are_failed_attempts(make_client: Any, receiver: Receiver) -> None:
    client: TestClient = await make_client(webhook_hosts=("127.0.0.1",), webhook_timeout=0.2)
    receiver.answers = ["redirect", "hang", 503]
    lj = LinkJoltClient(client)
    await _subscribe(lj, receiver.url())
    status, _, _ = await lj.post("/conversions", SALE)
    assert status == 201  # the API call never waits for the receiver
    for seconds in (0, 60, 300):
        await advance(client, seconds)
    [delivery] = await deliveries(client)
    attempts = delivery["attempts"]
    assert attempts[0]["status"] == 302 and attempts[0]["error"].startswith("redirect to ")
    assert attempts[1]["status"] is None and attempts[1]["error"] == "timeout: no answer within 0.2 s"
    assert (attempts[2]["status"], attempts[2]["error"]) == (503, None)
    assert delivery["state"] == "pending" and delivery["nextAttemptAt"] == "2026-06-15T12:36:00Z"
    status, again = await control(client, "POST", f"/tenants/default/deliveries/{delivery['id']}/redeliver")
    assert status == 200 and again["state"] == "delivered" and again["attempts"][-1]["status"] == 200


async def test_a_receiver_that_is_gone_is_a_failed_attempt(make_client: Any, receiver: Receiver) -> None:
    client: TestClient = await make_client(webhook_hosts=("127.0.0.1",))
    lj = LinkJoltClient(client)
    url = receiver.url()
    await _subscribe(lj, url)
    await receiver.server.close()
    await lj.post("/conversions", SALE)
    await advance(client, 0)
    [delivery] = await deliveries(client)
    assert delivery["attempts"][0]["status"] is None
    assert delivery["attempts"][0]["error"].startswith("ClientConnectorError")


async def test_control_actions_and_approvals_fire_events(client: TestClient) -> None:
    lj = LinkJoltClient(client)
    await _subscribe(lj, "http://sandbox/_sandbox/inbox/all", ["affiliate.approved", "conversion.approved",
                                                              "conversion.paid", "payout.completed"])
    await lj.patch(f"/affiliates/{PAT_PENDING}", {"campaignId": CAMP_PERCENT, "status": "approved"})
    _, created, _ = await lj.post("/conversions", SALE)
    await lj.patch(f"/conversions/{created['data']['id']}", {"status": "approved"})
    await advance(client, 2 * 86400)
    status, _ = await control(client, "POST", "/tenants/default/linkjolt/payouts/run", {})
    assert status == 200
    await advance(client, 0)
    _, inbox = await control(client, "GET", "/inbox/all")
    events = [json.loads(m["body"]) for m in inbox["data"]]
    assert [e["event"] for e in events][:2] == ["affiliate.approved", "conversion.approved"]
    assert events[0]["data"] == {"affiliateId": PAT_PENDING, "campaignId": CAMP_PERCENT,
                                 "email": events[0]["data"]["email"], "name": events[0]["data"]["name"],
                                 "status": "approved"}
    assert "conversion.paid" in [e["event"] for e in events] and "payout.completed" in [e["event"] for e in events]
    # events carry their records and the payload is built as the action ends: it reports the records' new status
    conversion_id = created["data"]["id"]
    paid = next(e["data"] for e in events if e["event"] == "conversion.paid" and e["data"]["conversionId"] == conversion_id)
    assert paid == {"conversionId": conversion_id, "campaignId": CAMP_PERCENT, "affiliateId": JANE,
                    "amount": "100.00", "commission": "20.00", "currency": "usd", "status": "paid"}
    completed = next(e["data"] for e in events
                     if e["event"] == "payout.completed" and e["data"]["conversionId"] == conversion_id)
    assert completed["status"] == "completed" and completed["amount"] == "20.00"
    assert completed["payoutId"].startswith("po_") and completed["affiliateId"] == JANE
