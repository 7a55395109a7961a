"""GET /payouts and the payout simulations of the control plane."""
from __future__ import annotations

from aiohttp.test_utils import TestClient

from .conftest import CAMP_FIXED, CAMP_PERCENT, FRAN_FIXED, JANE, LinkJoltClient


async def test_list_payouts_from_the_fixtures(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get("/payouts?status=completed")
    assert status == 200
    assert body == {"data": [{
        "id": "po_seed_completed_0001", "affiliateId": JANE, "conversionId": "stripe_7PtIfIqd_1000000003",
        "amount": "16.00", "currency": "usd", "status": "completed", "method": "stripe",
        "scheduledFor": "2026-03-20T00:00:00Z", "paidAt": "2026-03-20T00:05:00Z", "createdAt": "2026-03-19T00:00:00Z"}],
        "pagination": {"page": 1, "limit": 25, "total": 1, "totalPages": 1}}


async def test_approving_queues_a_payout_and_rejecting_cancels_it(lj: LinkJoltClient) -> None:
    cid = "stripe_7PtIfIqd_1000000001"
    await lj.patch(f"/conversions/{cid}", {"status": "approved"})
    _, queued, _ = await lj.get(f"/payouts?conversionId={cid}")
    assert [(p["status"], p["amount"], p["scheduledFor"]) for p in queued["data"]] == [
        ("pending", "20.00", "2026-06-16T12:00:00Z")]  # a day out, on the tenant clock
    await lj.patch(f"/conversions/{cid}", {"status": "rejected"})
    _, cancelled, _ = await lj.get(f"/payouts?conversionId={cid}")
    assert [p["status"] for p in cancelled["data"]] == ["cancelled"]


async def test_non_stripe_affiliates_are_not_queued(lj: LinkJoltClient) -> None:
    _, created, _ = await lj.post("/conversions", {"campaignId": CAMP_FIXED, "affiliateId": FRAN_FIXED, "amount": 100})
    await lj.patch(f"/conversions/{created['data']['id']}", {"status": "approved"})
    _, body, _ = await lj.get(f"/payouts?conversionId={created['data']['id']}")
    assert body["data"] == []  # PayPal affiliates are paid by hand


async def test_payout_run_pays_what_is_due(lj: LinkJoltClient, client: TestClient) -> None:
    _, created, _ = await lj.post("/conversions", {"campaignId": CAMP_PERCENT, "affiliateId": JANE, "amount": 10})
    cid = created["data"]["id"]
    await lj.patch(f"/conversions/{cid}", {"status": "approved"})
    response = await client.post("/_sandbox/tenants/default/linkjolt/payouts/run")
    assert (await response.json())["paid"] == ["po_seed_pending_0002"]  # the new one is due tomorrow
    await client.post("/_sandbox/tenants/default/clock", json={"advance": 86400})
    response = await client.post("/_sandbox/tenants/default/linkjolt/payouts/run")
    assert len((await response.json())["paid"]) == 1
    _, conversion, _ = await lj.get(f"/conversions/{cid}")
    assert conversion["data"]["status"] == "paid"
    _, paid, _ = await lj.get(f"/payouts?conversionId={cid}")
    assert (paid["data"][0]["status"], paid["data"][0]["paidAt"]) == ("completed", "2026-06-16T12:00:00Z")


async def test_accepting_an_invitation_adds_the_affiliate(lj: LinkJoltClient, client: TestClient) -> None:
    _, invite, _ = await lj.post("/affiliates/invite", {"email": "joiner@example.com", "campaignId": CAMP_PERCENT})
    response = await client.post(f"/_sandbox/tenants/default/linkjolt/invitations/{invite['data']['id']}/accept")
    assert response.status == 200
    accepted = await response.json()
    _, affiliate, _ = await lj.get(f"/affiliates/{accepted['affiliateId']}")
    assert (affiliate["data"]["email"], affiliate["data"]["createdVia"]) == ("joiner@example.com", "invite")
    assert affiliate["data"]["campaigns"][0]["status"] == "approved"
    again = await client.post(f"/_sandbox/tenants/default/linkjolt/invitations/{invite['data']['id']}/accept")
    assert again.status == 409
    status, _, _ = await lj.post("/affiliates/invite", {"email": "joiner@example.com", "campaignId": CAMP_PERCENT})
    assert status == 409  # already on the campaign
