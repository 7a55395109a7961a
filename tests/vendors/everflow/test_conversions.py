"""Conversions: POST/PATCH /networks/reporting/conversions, GET /networks/reporting/conversions/{id}, and the
control-plane action that simulates a click and a conversion."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from .conftest import (
    BRIGHT_MEDIA,
    CONV_APPROVED,
    CONV_PENDING,
    COUPON_KINGS,
    DORMANT,
    NOW,
    OFFER_APPROVAL,
    OFFER_PRIVATE,
    OFFER_PUBLIC,
    EverflowClient,
)

REPORT = {"from": "2026-05-15", "to": "2026-06-15", "timezone_id": 67, "show_conversions": True,
          "show_events": False}


def _filters(*pairs: tuple[str, Any]) -> dict:
    return {"query": {"filters": [{"resource_type": t, "filter_id_value": v} for t, v in pairs]}}


async def test_a_month_of_fixture_conversions(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/conversions?page_size=5", REPORT)
    assert status == 200
    assert body["paging"] == {"page": 1, "page_size": 5, "total_count": 62}
    times = [c["conversion_unix_timestamp"] for c in body["conversions"]]
    assert times == sorted(times, reverse=True)  # newest first (guess)


async def test_conversion_fields(ef: EverflowClient) -> None:
    status, body, _ = await ef.get(f"/networks/reporting/conversions/{CONV_PENDING}")
    assert status == 200
    assert {k: body[k] for k in ("conversion_id", "transaction_id", "status", "conversion_unix_timestamp",
                                 "click_unix_timestamp", "payout_type", "payout", "revenue_type", "revenue",
                                 "sale_amount", "currency_id", "is_event", "event", "sub1", "order_id",
                                 "network_offer_payout_revenue_id", "country")} == {
        "conversion_id": CONV_PENDING, "transaction_id": "20000000000000000000000000000001", "status": "pending",
        "conversion_unix_timestamp": 1781461800, "click_unix_timestamp": 1781461200, "payout_type": "cps",
        "payout": 12.0, "revenue_type": "rps", "revenue": 18.0, "sale_amount": 120.0, "currency_id": "USD",
        "is_event": False, "event": "Base", "sub1": "spring", "order_id": "ORD-1001",
        "network_offer_payout_revenue_id": 2, "country": "US"}
    assert body["relationship"] == {
        "offer": {"network_offer_id": OFFER_APPROVAL, "name": "Globex Approval Offer"},
        "affiliate": {"network_affiliate_id": BRIGHT_MEDIA, "name": "Bright Media"},
        "advertiser": {"network_advertiser_id": 2, "name": "Globex Retail"}}


async def test_get_unknown_conversion_is_404(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/reporting/conversions/nope")
    assert (status, body) == (404, {"error": "Conversion not found"})


@pytest.mark.parametrize("query, check", [
    (_filters(("affiliate", COUPON_KINGS)), lambda c: c["relationship"]["affiliate"]["network_affiliate_id"] == 2),
    (_filters(("offer", OFFER_APPROVAL)), lambda c: c["relationship"]["offer"]["network_offer_id"] == 2),
    (_filters(("status", "pending")), lambda c: c["status"] == "pending"),
    (_filters(("status", "pending"), ("status", "rejected")), lambda c: c["status"] in ("pending", "rejected")),
    (_filters(("offer", OFFER_PUBLIC), ("affiliate", BRIGHT_MEDIA)),
     lambda c: (c["relationship"]["offer"]["network_offer_id"], c["relationship"]["affiliate"]["network_affiliate_id"])
     == (1, 1)),
])
async def test_filters(ef: EverflowClient, query: dict, check: Any) -> None:
    _, everything, _ = await ef.post("/networks/reporting/conversions?page_size=2000", REPORT)
    status, body, _ = await ef.post("/networks/reporting/conversions?page_size=2000", REPORT | query)
    assert status == 200
    assert body["conversions"], "the filter should match something in the fixtures"
    assert all(check(c) for c in body["conversions"])
    assert body["paging"]["total_count"] == sum(1 for c in everything["conversions"] if check(c))


async def test_search_terms(ef: EverflowClient) -> None:
    _, body, _ = await ef.post("/networks/reporting/conversions", REPORT | {
        "query": {"search_terms": [{"search_type": "order_id", "value": "ord-1001"}]}})
    assert [c["conversion_id"] for c in body["conversions"]] == [CONV_PENDING]


async def test_date_range_and_timezone(ef: EverflowClient) -> None:
    """CONV_PENDING is 2026-06-14 18:30 UTC, 13:30 in New York (fixed offset -05:00): bounds are local times."""
    day = {"from": "2026-06-14 18:00:00", "to": "2026-06-14 19:00:00"}
    _, utc, _ = await ef.post("/networks/reporting/conversions", REPORT | day)
    assert CONV_PENDING in [c["conversion_id"] for c in utc["conversions"]]
    _, ny, _ = await ef.post("/networks/reporting/conversions", REPORT | day | {"timezone_id": 80})
    assert CONV_PENDING not in [c["conversion_id"] for c in ny["conversions"]]
    _, ny_day, _ = await ef.post("/networks/reporting/conversions", REPORT | {
        "from": "2026-06-14 13:00:00", "to": "2026-06-14 14:00:00", "timezone_id": 80})
    assert CONV_PENDING in [c["conversion_id"] for c in ny_day["conversions"]]


async def test_a_bare_date_to_covers_the_whole_day(ef: EverflowClient) -> None:
    _, body, _ = await ef.post("/networks/reporting/conversions", REPORT | {"from": "2026-06-14", "to": "2026-06-14"})
    assert CONV_PENDING in [c["conversion_id"] for c in body["conversions"]]


async def test_show_conversions_false_hides_base_conversions(ef: EverflowClient) -> None:
    _, body, _ = await ef.post("/networks/reporting/conversions", REPORT | {"show_conversions": False})
    assert body["paging"]["total_count"] == 0


@pytest.mark.parametrize("change, message", [
    ({"from": "2025-06-01", "to": "2026-06-14"}, "The date range cannot exceed 1 year"),
    ({"from": "2025-05-01", "to": "2025-05-31"}, "Conversions are only available for the last 365 days"),
    ({"from": "2026-06-10", "to": "2026-06-01"}, "from must be before to"),
    ({"from": "06/01/2026"}, "Invalid value for from"),
    ({"timezone_id": 5}, "Invalid timezone_id: 5"),
])
async def test_report_limits(ef: EverflowClient, change: dict, message: str) -> None:
    """Documented limits (a year at most, the last 365 days); the messages are guesses."""
    status, body, _ = await ef.post("/networks/reporting/conversions", REPORT | change)
    assert (status, body) == (400, {"error": message})


@pytest.mark.parametrize("missing", ["from", "to", "timezone_id", "show_conversions", "show_events"])
async def test_required_report_fields(ef: EverflowClient, missing: str) -> None:
    status, body, _ = await ef.post("/networks/reporting/conversions",
                                    {k: v for k, v in REPORT.items() if k != missing})
    assert (status, body) == (400, {"error": f"Missing required field {missing}"})


async def test_bulk_approve_and_reject(ef: EverflowClient) -> None:
    status, body, _ = await ef.patch("/networks/reporting/conversions",
                                     {"conversion_ids": [CONV_PENDING], "conversion_status": "approved"})
    assert (status, body) == (200, {"result": True})
    _, conversion, _ = await ef.get(f"/networks/reporting/conversions/{CONV_PENDING}")
    assert conversion["status"] == "approved"
    await ef.patch("/networks/reporting/conversions",
                   {"conversion_ids": [CONV_PENDING, CONV_APPROVED], "conversion_status": "rejected"})
    for conversion_id in (CONV_PENDING, CONV_APPROVED):
        _, conversion, _ = await ef.get(f"/networks/reporting/conversions/{conversion_id}")
        assert conversion["status"] == "rejected"


async def test_bulk_with_an_unknown_id_is_404_and_changes_nothing(ef: EverflowClient) -> None:
    """Guess: all or nothing."""
    status, body, _ = await ef.patch("/networks/reporting/conversions",
                                     {"conversion_ids": [CONV_PENDING, "nope"], "conversion_status": "approved"})
    assert (status, body) == (404, {"error": "Conversion nope not found"})
    _, conversion, _ = await ef.get(f"/networks/reporting/conversions/{CONV_PENDING}")
    assert conversion["status"] == "pending"


async def test_bulk_status_must_be_approved_or_rejected(ef: EverflowClient) -> None:
    status, body, _ = await ef.patch("/networks/reporting/conversions",
                                     {"conversion_ids": [CONV_PENDING], "conversion_status": "pending"})
    assert (status, body) == (400, {"error": "Invalid value for conversion_status: 'pending'. "
                                             "Supported values are: approved, rejected"})


# -- the control-plane simulation ---------------------------------------------------------------------

async def test_simulated_conversion_takes_the_offers_default_payout_and_revenue(ef: EverflowClient) -> None:
    status, body = await ef.control("POST", "conversions", {
        "network_offer_id": OFFER_PUBLIC, "network_affiliate_id": COUPON_KINGS, "sub1": "sim", "order_id": "O-1"})
    assert status == 200
    conversion = body["conversion"]
    assert (body["conversion_id"], body["transaction_id"]) == (conversion["conversion_id"],
                                                               conversion["transaction_id"])
    assert {k: conversion[k] for k in ("status", "payout_type", "payout", "revenue_type", "revenue",
                                       "conversion_unix_timestamp", "sub1", "order_id")} == {
        "status": "approved", "payout_type": "cpa", "payout": 2.5, "revenue_type": "rpa", "revenue": 4.0,
        "conversion_unix_timestamp": NOW, "sub1": "sim", "order_id": "O-1"}
    status, fetched, _ = await ef.get(f"/networks/reporting/conversions/{body['conversion_id']}")
    assert (status, fetched) == (200, conversion)


async def test_simulated_sale_on_a_must_approve_offer_is_pending_and_can_be_approved(ef: EverflowClient) -> None:
    """End to end: click, conversion (percentage payout on the sale), find it in the report, approve it."""
    _, body = await ef.control("POST", "conversions", {
        "network_offer_id": OFFER_APPROVAL, "network_affiliate_id": BRIGHT_MEDIA, "sale_amount": 80})
    conversion_id = body["conversion_id"]
    assert (body["conversion"]["status"], body["conversion"]["payout"], body["conversion"]["revenue"]) == (
        "pending", 8.0, 12.0)
    _, report, _ = await ef.post("/networks/reporting/conversions", REPORT | _filters(
        ("affiliate", BRIGHT_MEDIA), ("status", "pending")) | {"from": "2026-06-15", "to": "2026-06-15"})
    assert [c["conversion_id"] for c in report["conversions"]] == [conversion_id]
    await ef.patch("/networks/reporting/conversions", {"conversion_ids": [conversion_id],
                                                       "conversion_status": "approved"})
    _, fetched, _ = await ef.get(f"/networks/reporting/conversions/{conversion_id}")
    assert fetched["status"] == "approved"


@pytest.mark.parametrize("body, status, message", [
    ({"network_offer_id": 999, "network_affiliate_id": BRIGHT_MEDIA}, 404, "Offer not found"),
    ({"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": 999}, 404, "Affiliate not found"),
    ({"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": DORMANT}, 400,
     "The affiliate cannot run this offer (inactive or not visible)"),
    ({"network_offer_id": OFFER_PRIVATE, "network_affiliate_id": BRIGHT_MEDIA}, 400,
     "The affiliate cannot run this offer (inactive or not visible)"),
    ({"network_offer_id": "1", "network_affiliate_id": BRIGHT_MEDIA}, 400, "network_offer_id must be an integer"),
    ({"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": BRIGHT_MEDIA, "status": "paid"}, 400,
     "status must be approved, pending, rejected or invalid"),
    ({"network_offer_id": 4, "network_affiliate_id": BRIGHT_MEDIA}, 400, "The offer is paused: it takes no traffic"),
    ({"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": BRIGHT_MEDIA, "seconds_after_click": "soon"}, 400,
     "seconds_after_click must be a non-negative integer"),
])
async def test_simulation_checks(ef: EverflowClient, body: dict, status: int, message: str) -> None:
    answer_status, answer = await ef.control("POST", "conversions", body)
    assert (answer_status, answer["error"]["message"]) == (status, message)


async def test_simulation_on_an_unknown_tenant_is_404(ef: EverflowClient) -> None:
    response = await ef.client.post("/_sandbox/tenants/t_nope/everflow/conversions",
                                    json={"network_offer_id": 1, "network_affiliate_id": 1})
    assert response.status == 404


# -- payout and revenue ------------------------------------------------------------------------------

async def test_update_payout_and_revenue_of_an_approved_conversion(ef: EverflowClient) -> None:
    """Documented body and answer."""
    status, body, _ = await ef.put(f"/networks/reporting/conversions/{CONV_APPROVED}/payoutrevenue",
                                   {"payout": 10, "revenue": 0, "is_event": False})
    assert (status, body) == (200, {"result": True})
    _, conversion, _ = await ef.get(f"/networks/reporting/conversions/{CONV_APPROVED}")
    assert (conversion["payout"], conversion["revenue"]) == (10.0, 0.0)


@pytest.mark.parametrize("conversion_id, body, status, message", [
    (CONV_PENDING, {"payout": 1, "revenue": 2}, 400,
     "Only approved conversions can have their payout and revenue updated"),
    (CONV_APPROVED, {"payout": 1, "revenue": 2, "is_event": True}, 400, "is_event does not match the conversion"),
    (CONV_APPROVED, {"payout": -1, "revenue": 2}, 400, "payout must be greater than or equal to 0"),
    (CONV_APPROVED, {"payout": 1}, 400, "Missing required field revenue"),
    ("nope", {"payout": 1, "revenue": 2}, 404, "Conversion not found"),
])
async def test_update_payout_and_revenue_checks(ef: EverflowClient, conversion_id: str, body: dict, status: int,
                                                message: str) -> None:
    """Documented: approved conversions only, amounts >= 0; texts are guesses."""
    answer_status, answer, _ = await ef.put(f"/networks/reporting/conversions/{conversion_id}/payoutrevenue", body)
    assert (answer_status, answer) == (status, {"error": message})


async def test_fixture_conversions_follow_the_clock_by_whole_days(
        make_client: Callable[..., Awaitable[TestClient]]) -> None:
    """The fixtures anchor their month of conversions to 2026-06-15T12:00Z: on a clock 100 days and 5 hours later
    every conversion is 100 days later, so recent-date reports still find the month."""
    client = EverflowClient(await make_client(clock="frozen:2026-09-23T17:00:00Z"))
    _, body, _ = await client.get(f"/networks/reporting/conversions/{CONV_PENDING}")
    assert (body["conversion_unix_timestamp"], body["click_unix_timestamp"]) == (
        1781461800 + 100 * 86400, 1781461200 + 100 * 86400)
    _, report, _ = await client.post("/networks/reporting/conversions?page_size=1", REPORT | {
        "from": "2026-08-23", "to": "2026-09-23"})
    assert report["paging"]["total_count"] == 62


async def test_simulated_click_can_precede_the_conversion(ef: EverflowClient) -> None:
    _, body = await ef.control("POST", "conversions", {"network_offer_id": OFFER_PUBLIC,
                                                       "network_affiliate_id": BRIGHT_MEDIA, "seconds_after_click": 90})
    assert (body["conversion"]["click_unix_timestamp"], body["conversion"]["conversion_unix_timestamp"]) == (
        NOW - 90, NOW)
