"""GET /payouts, GET /payouts/{id}, and the control-plane payout run that creates payouts."""
from __future__ import annotations

from .conftest import (
    BEN_BANNED,
    COM_UNPAID_JANE,
    COM_UNPAID_JANE_2,
    JANE,
    JANE_AFFILIATE,
    NOW,
    PAYOUT_JANE,
    PAYOUT_SAM,
    SAM,
    SAM_AFFILIATE,
    UNKNOWN,
    PromoteKitClient,
    error,
)

JANE_PAYOUT = {
    "id": PAYOUT_JANE, "affiliate_name": "Jane Doe", "payout_email": "jane.payouts@example.com", "amount": 19.8,
    "currency": "usd", "period": "2026-03", "payment_count": 1, "created_at": "2026-04-15T00:00:00Z",
    "affiliate": JANE_AFFILIATE}
SAM_PAYOUT = {
    "id": PAYOUT_SAM, "affiliate_name": "Sam Podcaster",
    "payout_email": "sam@example.com",  # guess: the account email when no payout_email is set
    "amount": 25, "currency": "usd", "period": "2026-03", "payment_count": 1, "created_at": "2026-04-15T00:00:00Z",
    "affiliate": SAM_AFFILIATE}


async def test_list_the_two_fixture_payouts(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.get("/payouts")
    assert (status, body) == (200, {"success": True, "data": [SAM_PAYOUT, JANE_PAYOUT], "pagination": {
        "page": 1, "limit": 10, "total_count": 2, "total_pages": 1, "has_more": False}})


async def test_filter_by_affiliate(pk: PromoteKitClient) -> None:
    _, body, _ = await pk.get(f"/payouts?affiliate_id={JANE}")
    assert body["data"] == [JANE_PAYOUT]
    _, none, _ = await pk.get(f"/payouts?affiliate_id={UNKNOWN}")
    assert none["data"] == []
    status, body, _ = await pk.get("/payouts?affiliate_id=jane")
    assert (status, body) == (400, error("affiliate_id must be a valid UUID"))


async def test_get_one(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.get(f"/payouts/{PAYOUT_SAM}")
    assert (status, body) == (200, {"success": True, "data": SAM_PAYOUT})
    status, body, _ = await pk.get(f"/payouts/{UNKNOWN}")
    assert (status, body) == (404, error("Payout not found", "not_found"))


async def test_payouts_are_read_only(pk: PromoteKitClient) -> None:  # documented: no create; 404 is a guess
    status, body, _ = await pk.post("/payouts", {"affiliate_id": JANE})
    assert (status, body) == (404, error("Not found", "not_found"))


async def test_run_a_payout_for_one_affiliate(pk: PromoteKitClient) -> None:
    status, body = await pk.control("POST", "payouts/run", {"affiliate_id": JANE})
    assert status == 200
    [payout] = body["data"]
    assert payout == {"id": payout["id"], "affiliate_name": "Jane Doe", "payout_email": "jane.payouts@example.com",
                      "amount": 39.6, "currency": "usd",
                      "period": "2026-05",  # guess: the month of the latest commission
                      "payment_count": 2, "created_at": NOW, "affiliate": JANE_AFFILIATE}
    _, got, _ = await pk.get(f"/payouts/{payout['id']}")
    assert got["data"] == payout
    for commission_id in (COM_UNPAID_JANE, COM_UNPAID_JANE_2):
        _, commission, _ = await pk.get(f"/commissions/{commission_id}")
        assert commission["data"]["payout_status"] == "paid"
        assert commission["data"]["payout"] == {k: v for k, v in payout.items() if k != "affiliate"}
    _, unpaid, _ = await pk.get(f"/commissions?affiliate_id={JANE}&payout_status=not_paid")
    assert unpaid["data"] == []
    status, again = await pk.control("POST", "payouts/run", {"affiliate_id": JANE})
    assert (status, again) == (200, {"data": []})  # nothing left to pay


async def test_run_for_everyone_skips_banned_affiliates(pk: PromoteKitClient) -> None:
    status, body = await pk.control("POST", "payouts/run", {"period": "2026-Q2"})
    assert status == 200
    assert sorted((p["affiliate"]["id"], p["amount"], p["period"]) for p in body["data"]) == sorted(
        [(JANE, 39.6, "2026-Q2"), (SAM, 25, "2026-Q2")])
    _, banned, _ = await pk.get(f"/commissions?affiliate_id={BEN_BANNED}")
    assert banned["data"][0]["payout_status"] == "not_paid"  # documented: banned affiliates get no payouts
    _, listed, _ = await pk.get("/payouts")
    assert listed["pagination"]["total_count"] == 4


async def test_run_errors(pk: PromoteKitClient) -> None:
    status, body = await pk.control("POST", "payouts/run", {"affiliate_id": BEN_BANNED})
    assert (status, body) == (409, {"error": {"code": "affiliate_banned",
                                              "message": "Banned affiliates are not eligible for payouts"}})
    status, body = await pk.control("POST", "payouts/run", {"affiliate_id": UNKNOWN})
    assert status == 404
    status, body = await pk.control("POST", "payouts/run", {"period": 5})
    assert status == 400
    status, body = await pk.control("POST", "payouts/run", {}, tenant="t_nope")
    assert status == 404


async def test_runs_are_per_tenant(pk: PromoteKitClient) -> None:
    other = pk.as_key("pk_OtherTenantKey0000000001")
    await other.get("/payouts")  # provisions the tenant
    response = await pk.client.get("/_sandbox/tenants")
    tenants = (await response.json())["data"]
    tenant_id = next(t["id"] for t in tenants if "pk_OtherTenantKey0000000001" in t["keys"].get("promotekit", []))
    status, body = await pk.control("POST", "payouts/run", {"affiliate_id": JANE}, tenant=tenant_id)
    assert (status, len(body["data"])) == (200, 1)
    _, mine, _ = await pk.get("/payouts")
    _, theirs, _ = await other.get("/payouts")
    assert (mine["pagination"]["total_count"], theirs["pagination"]["total_count"]) == (2, 3)


async def test_clicks_action(pk: PromoteKitClient) -> None:
    status, body = await pk.control("POST", f"affiliates/{JANE}/clicks", {"count": 10})
    assert (status, body) == (200, {"id": JANE, "clicks": 250})
    _, affiliate, _ = await pk.get(f"/affiliates/{JANE}")
    assert affiliate["data"]["clicks"] == 250
    status, _ = await pk.control("POST", f"affiliates/{JANE}/clicks", {"count": 0})
    assert status == 400


async def test_actions_are_listed(pk: PromoteKitClient) -> None:
    response = await pk.client.get("/_sandbox/actions")
    paths = [a["path"] for a in (await response.json())["data"] if a["vendor"] == "promotekit"]
    assert paths == ["/_sandbox/tenants/{id}/promotekit/payouts/run",
                     "/_sandbox/tenants/{id}/promotekit/affiliates/{affiliate_id}/clicks"]
