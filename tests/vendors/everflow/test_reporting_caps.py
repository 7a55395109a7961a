"""Everflow cap reports beyond offers (issue 16): offer groups, custom (offer + affiliate) cap settings, and the
currency rates reports convert with. Usage must agree with the entity report over the same records."""
from __future__ import annotations

from .conftest import COUPON_KINGS, OFFER_PUBLIC, EverflowClient

GROUP = 1     # Acme Core Offers: offer 1 only, daily conversion cap 500
SETTING = 1   # Coupon Kings on offer 1: daily conversions 5, monthly conversions 40, global payout 100


async def _cv(ef: EverflowClient, start: str, *filters: tuple[str, int]) -> dict:
    status, body, _ = await ef.post("/networks/reporting/entity/summary", {
        "from": start, "to": "2026-06-15", "timezone_id": 67, "currency_id": "USD",
        "query": {"filters": [{"resource_type": kind, "filter_id_value": value} for kind, value in filters]}})
    assert status == 200, body
    return body


async def test_an_offer_group_sums_its_offers_against_the_group_caps(ef: EverflowClient) -> None:
    status, offers, _ = await ef.post("/networks/reporting/offercaps", {"offer_ids": [OFFER_PUBLIC], "timezone_id": 67})
    assert status == 200
    status, body, _ = await ef.post("/networks/reporting/offergroupcaps", {"offer_group_ids": [GROUP, GROUP],
                                                                           "timezone_id": 67})
    assert status == 200, body
    [row] = body["caps"]
    [offer] = offers["caps"]
    assert {k: row[k] for k in ("network_offer_group_id", "name", "is_caps_enabled", "network_offer_ids")} == {
        "network_offer_group_id": GROUP, "name": "Acme Core Offers", "is_caps_enabled": True,
        "network_offer_ids": [OFFER_PUBLIC]}
    for period in ("daily", "weekly", "monthly", "global"):
        for kind in ("conversion", "payout", "revenue", "click"):
            assert row[period][kind]["current"] == offer[period][kind]["current"], (period, kind)
    month = await _cv(ef, "2026-06-01", ("offer", OFFER_PUBLIC))
    assert row["monthly"]["conversion"]["current"] == month["cv"] > 0
    used = row["daily"]["conversion"]["current"]
    assert row["daily"]["conversion"] == {"cap": 500, "current": used, "remaining": 500 - used}
    assert row["weekly"]["conversion"] == {"cap": 0, "current": row["weekly"]["conversion"]["current"],
                                           "remaining": 0}


async def test_offer_group_caps_check_their_ids(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/offergroupcaps", {"offer_group_ids": [99], "timezone_id": 67})
    assert (status, body) == (404, {"error": "Offer group not found"})
    status, body, _ = await ef.post("/networks/reporting/offergroupcaps", {"offer_group_ids": [GROUP],
                                                                           "timezone_id": 9999})
    assert (status, body) == (400, {"error": "Invalid timezone_id: 9999"})
    status, body, _ = await ef.post("/networks/reporting/offergroupcaps", {"offer_group_ids": [GROUP]})
    assert status == 400 and "timezone_id" in body["error"]


async def test_custom_caps_count_one_affiliate_on_one_offer(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/custom/caps", {"timezone_id": 67})
    assert status == 200, body
    [row] = body["caps"]
    assert {k: row[k] for k in ("network_custom_cap_setting_id", "name", "network_offer_id",
                                "network_affiliate_id")} == {
        "network_custom_cap_setting_id": SETTING, "name": "Coupon Kings on Acme CPA",
        "network_offer_id": OFFER_PUBLIC, "network_affiliate_id": COUPON_KINGS}
    month = await _cv(ef, "2026-06-01", ("offer", OFFER_PUBLIC), ("affiliate", COUPON_KINGS))
    year = await _cv(ef, "2025-06-16", ("offer", OFFER_PUBLIC), ("affiliate", COUPON_KINGS))
    assert row["monthly"]["conversion"] == {"cap": 40, "current": month["cv"],
                                            "remaining": max(40 - month["cv"], 0)}
    assert row["global"]["conversion"]["current"] == year["cv"] > 0
    assert row["global"]["payout"] == {"cap": 100, "current": year["payout"],
                                       "remaining": round(max(100 - year["payout"], 0), 2)}
    whole = await _cv(ef, "2025-06-16", ("offer", OFFER_PUBLIC))
    assert year["cv"] < whole["cv"]  # the other affiliate's conversions on the offer do not count
    status, again, _ = await ef.post("/networks/reporting/custom/caps")  # no body: the network's timezone
    assert (status, again) == (200, body)


async def test_custom_caps_check_the_timezone(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/custom/caps", {"timezone_id": 9999})
    assert (status, body) == (400, {"error": "Invalid timezone_id: 9999"})


async def test_currency_rates_are_per_us_dollar(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/reporting/currencyrates")
    assert (status, body) == (200, {"rates": {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "CAD": 1.36}})
    status, body, _ = await ef.as_key(None).get("/networks/reporting/currencyrates")
    assert (status, body) == (401, {"error": "No Authentication Method Found"})
