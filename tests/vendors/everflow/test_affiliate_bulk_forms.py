"""The docs mirror's two affiliate bulk-edit forms (issue 16): PATCH /networks/affiliates/patch (fields at the top
level) and POST /networks/affiliates/patch/submit ({affiliate_ids, changes}); both all or nothing."""
from __future__ import annotations

import pytest

from .conftest import BRIGHT_MEDIA, COUPON_KINGS, DORMANT, EverflowClient


async def _affiliate(ef: EverflowClient, affiliate_id: int) -> dict:
    status, body, _ = await ef.get(f"/networks/affiliates/{affiliate_id}")
    assert status == 200
    return body


async def test_the_top_level_patch_changes_every_affiliate(ef: EverflowClient) -> None:
    status, body, _ = await ef.patch("/networks/affiliates/patch", {
        "network_affiliate_ids": [COUPON_KINGS, DORMANT], "account_status": "suspended", "network_employee_id": 1,
        "network_affiliate_tier_id": 2, "labels": ["bulk-moved"]})
    assert (status, body) == (200, {"result": True})
    for affiliate_id in (COUPON_KINGS, DORMANT):
        affiliate = await _affiliate(ef, affiliate_id)
        assert (affiliate["account_status"], affiliate["network_employee_id"], affiliate["network_affiliate_tier_id"],
                affiliate["labels"]) == ("suspended", 1, 2, ["bulk-moved"])
    status, labels, _ = await ef.get("/networks/labels")
    assert "bulk-moved" in {label["label"] for label in labels["labels"]}


@pytest.mark.parametrize("body, message", [
    ({"network_affiliate_ids": [COUPON_KINGS, 999], "account_status": "inactive"}, "Affiliate 999 not found"),
    ({"network_affiliate_ids": [COUPON_KINGS], "account_status": "inactive", "network_affiliate_tier_id": 9},
     "Invalid value for network_affiliate_tier_id: 9"),
    ({"network_affiliate_ids": [COUPON_KINGS], "account_status": "inactive", "network_employee_id": 9},
     "Invalid value for network_employee_id: 9"),
    ({"network_affiliate_ids": [COUPON_KINGS]}, "No field to update"),
])
async def test_the_top_level_patch_is_all_or_nothing(ef: EverflowClient, body: dict, message: str) -> None:
    status, answer, _ = await ef.patch("/networks/affiliates/patch", body)
    assert (status, answer) == (400, {"error": message})
    assert (await _affiliate(ef, COUPON_KINGS))["account_status"] == "active"


async def test_the_top_level_patch_refuses_what_it_does_not_know(ef: EverflowClient) -> None:
    status, answer, _ = await ef.patch("/networks/affiliates/patch", {"network_affiliate_ids": [COUPON_KINGS],
                                                                      "account_status": "pending"})
    assert status == 400 and "account_status" in answer["error"]
    status, answer, _ = await ef.patch("/networks/affiliates/patch", {"network_affiliate_ids": [COUPON_KINGS],
                                                                      "name": "Renamed"})
    assert status == 400 and "name" in answer["error"]


async def test_a_submitted_patch_is_applied_at_once(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/affiliates/patch/submit", {
        "affiliate_ids": [BRIGHT_MEDIA, COUPON_KINGS],
        "changes": {"internal_notes": "Q3 review", "default_currency_id": "EUR"}})
    assert (status, body) == (200, {"result": True})
    for affiliate_id in (BRIGHT_MEDIA, COUPON_KINGS):
        affiliate = await _affiliate(ef, affiliate_id)
        assert (affiliate["internal_notes"], affiliate["default_currency_id"]) == ("Q3 review", "EUR")


@pytest.mark.parametrize("changes, status, message", [
    ({"default_currency_id": "XYZ"}, 400, "Invalid value for default_currency_id: XYZ"),
    ({}, 400, None),
    ({"name": "Renamed"}, 400, None),
])
async def test_a_submitted_patch_is_checked_first(ef: EverflowClient, changes: dict, status: int,
                                                  message: str | None) -> None:
    answer_status, answer, _ = await ef.post("/networks/affiliates/patch/submit",
                                             {"affiliate_ids": [BRIGHT_MEDIA], "changes": changes})
    assert answer_status == status
    if message:
        assert answer == {"error": message}
    assert (await _affiliate(ef, BRIGHT_MEDIA))["default_currency_id"] == "USD"
