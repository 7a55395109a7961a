"""GET /campaigns, GET /campaigns/{id}."""
from __future__ import annotations

from .conftest import CAMP_FIXED, CAMP_PERCENT, CAMP_TIERED, JANE, PROFESSIONAL, LinkJoltClient


async def test_list_campaigns_envelope_and_default_order(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get("/campaigns")
    assert status == 200
    assert body["pagination"] == {"page": 1, "limit": 25, "total": 4, "totalPages": 1}
    created = [c["createdAt"] for c in body["data"]]
    assert created == sorted(created, reverse=True)  # guess: createdAt:desc by default


async def test_campaign_shape_follows_the_reference(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get(f"/campaigns/{CAMP_FIXED}")
    assert status == 200
    data = body["data"]
    assert {k: data[k] for k in ("id", "name", "trackingCode", "status", "commissionType", "commissionValue",
                                 "currency", "createdAt")} == {
        "id": CAMP_FIXED, "name": "Creator Bounty", "trackingCode": "BOUNTY30", "status": "active",
        "commissionType": "fixed", "commissionValue": "30", "currency": "usd", "createdAt": "2026-02-01T09:00:00Z"}
    assert isinstance(data["conversions"], int)
    assert data["revenue"].count(".") == 1 and len(data["revenue"].split(".")[1]) == 2


async def test_campaign_counters_follow_new_conversions(lj: LinkJoltClient) -> None:
    _, before, _ = await lj.get(f"/campaigns/{CAMP_PERCENT}")
    await lj.post("/conversions", {"campaignId": CAMP_PERCENT, "affiliateId": JANE, "amount": 100})
    _, after, _ = await lj.get(f"/campaigns/{CAMP_PERCENT}")
    assert after["data"]["conversions"] == before["data"]["conversions"] + 1
    assert float(after["data"]["revenue"]) == float(before["data"]["revenue"]) + 100


async def test_tiered_campaign_lists_its_tiers(lj: LinkJoltClient) -> None:
    _, body, _ = await lj.get(f"/campaigns/{CAMP_TIERED}")
    assert body["data"]["tiers"][0] == {"minSales": 1, "maxSales": 10, "commissionValue": "20"}
    assert body["data"]["tiers"][-1] == {"minSales": 51, "maxSales": None, "commissionValue": "35"}


async def test_sort_and_page(lj: LinkJoltClient) -> None:
    _, body, _ = await lj.get("/campaigns?sort=name:asc&limit=2&page=2")
    assert [c["name"] for c in body["data"]] == ["Pro Campaign", "Winter Sale 2025"]
    assert body["pagination"] == {"page": 2, "limit": 2, "total": 4, "totalPages": 2}


async def test_limit_above_100_is_rejected_not_clamped(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get("/campaigns?limit=101")
    assert status == 400  # guess: Zod rejects rather than clamps
    assert body == {"error": {"code": "validation_error", "message": "Validation failed", "details": [
        {"path": ["limit"], "message": "Number must be less than or equal to 100"}]}}


async def test_non_numeric_page_is_rejected(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get("/campaigns?page=two")
    assert (status, body["error"]["details"]) == (400, [{"path": ["page"], "message": "Expected number, received nan"}])


async def test_unknown_sort_field_is_rejected(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get("/campaigns?sort=revenue:desc")
    assert (status, body["error"]["details"][0]["path"]) == (400, ["sort"])


async def test_unknown_campaign_is_404(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get("/campaigns/nope")
    assert (status, body) == (404, {"error": {"code": "not_found", "message": "Campaign nope not found"}})


async def test_professional_key_can_read(lj: LinkJoltClient) -> None:
    status, _, headers = await lj.as_key(PROFESSIONAL).get("/campaigns")
    assert status == 200
    assert headers["X-RateLimit-Limit"] == "60"
