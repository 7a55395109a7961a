"""Affiliate tiers: GET/POST /networks/affiliatetiers, GET/PUT /networks/affiliatetiers/{id}."""
from __future__ import annotations

import pytest

from .conftest import BRIGHT_MEDIA, COUPON_KINGS, DORMANT, NOW, PENDING, SUSPENDED, EverflowClient

TIER = {"name": "Silver5", "status": "active", "payout_margin": 5, "is_default_tier": False,
        "description": "Rising partners", "network_affiliate_ids": [COUPON_KINGS], "labels": ["silver"]}


async def test_list_tiers_with_their_members(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/affiliatetiers")
    assert status == 200
    assert body["tiers"][1] == {
        "network_affiliate_tier_id": 2, "network_id": 1, "name": "Gold10", "status": "active",
        "description": "Top performing partners", "network_affiliate_ids": [BRIGHT_MEDIA], "payout_margin": 10,
        "is_default_tier": False, "time_created": 1767225600, "time_saved": 1767225600}
    assert body["tiers"][0]["network_affiliate_ids"] == [COUPON_KINGS, DORMANT, PENDING, SUSPENDED]


async def test_create_tier_moves_the_listed_affiliates_into_it(ef: EverflowClient) -> None:
    """Guess: tier membership lives on the affiliate, so listing one moves it."""
    status, body, _ = await ef.post("/networks/affiliatetiers", TIER)
    assert status == 200
    assert body == {"network_affiliate_tier_id": 3, "network_id": 1, "name": "Silver5", "status": "active",
                    "description": "Rising partners", "network_affiliate_ids": [COUPON_KINGS], "payout_margin": 5,
                    "is_default_tier": False, "time_created": NOW, "time_saved": NOW}
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{COUPON_KINGS}")
    assert affiliate["network_affiliate_tier_id"] == 3


async def test_tier_without_members_has_an_empty_id_list(ef: EverflowClient) -> None:
    """Documented: fields take their zero value rather than null ([] for an array)."""
    _, body, _ = await ef.post("/networks/affiliatetiers", {k: v for k, v in TIER.items()
                                                             if k != "network_affiliate_ids"})
    assert body["network_affiliate_ids"] == []


async def test_get_with_relationship_all_adds_labels(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/affiliatetiers/2?relationship=all")
    assert status == 200
    assert body["relationship"] == {"labels": {"total": 1, "entries": ["gold"]}}
    _, plain, _ = await ef.get("/networks/affiliatetiers/2")
    assert "relationship" not in plain


async def test_get_unknown_tier_is_404(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/affiliatetiers/99")
    assert (status, body) == (404, {"error": "Tier not found"})


@pytest.mark.parametrize("change, message", [
    ({"status": "archived"}, "Invalid value for status: 'archived'. Supported values are: active, paused, deleted"),
    ({"payout_margin": "ten"}, "Invalid type for payout_margin: expected number"),
    ({"network_affiliate_ids": [99]}, "Invalid network_affiliate_ids: 99"),
])
async def test_create_checks(ef: EverflowClient, change: dict, message: str) -> None:
    status, body, _ = await ef.post("/networks/affiliatetiers", TIER | change)
    assert (status, body) == (400, {"error": message})


@pytest.mark.parametrize("missing", ["name", "status", "payout_margin", "is_default_tier"])
async def test_required_fields(ef: EverflowClient, missing: str) -> None:
    status, body, _ = await ef.post("/networks/affiliatetiers", {k: v for k, v in TIER.items() if k != missing})
    assert (status, body) == (400, {"error": f"Missing required field {missing}"})


async def test_a_new_default_tier_takes_the_flag_and_new_affiliates(ef: EverflowClient) -> None:
    """Guess: one default tier; affiliates created without a tier land in it."""
    await ef.post("/networks/affiliatetiers", TIER | {"is_default_tier": True, "network_affiliate_ids": []})
    _, tiers, _ = await ef.get("/networks/affiliatetiers")
    assert [t["is_default_tier"] for t in tiers["tiers"]] == [False, False, True]
    _, created, _ = await ef.post("/networks/affiliates", {"name": "New"})
    assert created["network_affiliate_tier_id"] == 3


async def test_put_replaces_the_tier(ef: EverflowClient) -> None:
    status, body, _ = await ef.put("/networks/affiliatetiers/2", {"name": "Gold12", "status": "paused",
                                                                  "payout_margin": 12, "is_default_tier": False})
    assert status == 200
    assert (body["name"], body["status"], body["payout_margin"], body["description"]) == ("Gold12", "paused", 12, "")
    status, body, _ = await ef.put("/networks/affiliatetiers/99", {"name": "X", "status": "active",
                                                                   "payout_margin": 0, "is_default_tier": False})
    assert (status, body) == (404, {"error": "Tier not found"})


async def test_bulk_assignment_moves_affiliates(ef: EverflowClient) -> None:
    """Mirror body; the {"result": true} answer is a guess."""
    status, body, _ = await ef.patch("/networks/affiliatetiers/bulk", {"assignments": [
        {"network_affiliate_id": COUPON_KINGS, "network_affiliate_tier_id": 2},
        {"network_affiliate_id": BRIGHT_MEDIA, "network_affiliate_tier_id": 1}]})
    assert (status, body) == (200, {"result": True})
    _, tier, _ = await ef.get("/networks/affiliatetiers/2")
    assert tier["network_affiliate_ids"] == [COUPON_KINGS]


@pytest.mark.parametrize("item, message", [
    ({"network_affiliate_id": 99, "network_affiliate_tier_id": 2}, "Invalid network_affiliate_id: 99"),
    ({"network_affiliate_id": COUPON_KINGS, "network_affiliate_tier_id": 9}, "Invalid network_affiliate_tier_id: 9"),
])
async def test_bulk_assignment_is_all_or_nothing(ef: EverflowClient, item: dict, message: str) -> None:
    status, body, _ = await ef.patch("/networks/affiliatetiers/bulk", {"assignments": [
        {"network_affiliate_id": DORMANT, "network_affiliate_tier_id": 2}, item]})
    assert (status, body) == (400, {"error": message})
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{DORMANT}")
    assert affiliate["network_affiliate_tier_id"] == 1
