"""GET /stats."""
from __future__ import annotations

from .conftest import CAMP_FIXED, CAMP_PERCENT, JANE, TEST_KEY, LinkJoltClient


async def test_stats_shape_and_types(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get("/stats")
    assert status == 200
    data = body["data"]
    assert set(data) == {"totalRevenue", "totalCommissions", "totalConversions", "totalAffiliates"}
    assert isinstance(data["totalConversions"], int) and isinstance(data["totalRevenue"], str)


async def test_stats_count_new_conversions_from_a_date(lj: LinkJoltClient) -> None:
    _, before, _ = await lj.get("/stats?from=2026-06-15")
    assert before["data"] | {"totalAffiliates": 0} == {"totalRevenue": "0.00", "totalCommissions": "0.00",
                                                        "totalConversions": 0, "totalAffiliates": 0}
    await lj.post("/conversions", {"campaignId": CAMP_PERCENT, "affiliateId": JANE, "amount": 120})
    _, after, _ = await lj.get("/stats?from=2026-06-15")
    assert (after["data"]["totalRevenue"], after["data"]["totalCommissions"], after["data"]["totalConversions"]) == (
        "120.00", "24.00", 1)


async def test_rejected_conversions_do_not_count(lj: LinkJoltClient) -> None:
    _, created, _ = await lj.post("/conversions", {"campaignId": CAMP_PERCENT, "affiliateId": JANE, "amount": 50})
    await lj.patch(f"/conversions/{created['data']['id']}", {"status": "rejected"})
    _, body, _ = await lj.get("/stats?from=2026-06-15")
    assert body["data"]["totalConversions"] == 0  # guess: non-rejected conversions only


async def test_stats_by_campaign_and_test_data_visibility(lj: LinkJoltClient) -> None:
    await lj.as_key(TEST_KEY).post("/conversions", {"campaignId": CAMP_PERCENT, "affiliateId": JANE, "amount": 10})
    _, live, _ = await lj.get("/stats?from=2026-06-15")
    _, test, _ = await lj.as_key(TEST_KEY).get("/stats?from=2026-06-15")
    assert (live["data"]["totalConversions"], test["data"]["totalConversions"]) == (0, 1)
    _, fixed, _ = await lj.get(f"/stats?campaignId={CAMP_FIXED}")
    assert fixed["data"]["totalAffiliates"] >= 1


async def test_bad_date_is_a_validation_error(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get("/stats?from=yesterday")
    assert (status, body["error"]["code"], body["error"]["details"][0]["path"]) == (400, "validation_error", ["from"])
