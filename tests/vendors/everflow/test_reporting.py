"""Everflow reporting computed from the tenant's clicks and conversions: the clicks stream, one click, a transaction,
the conversion summary, the entity report, the dashboard, invalid clicks, referrals and conversion edits. The same
records give the same numbers in every report that covers them."""
from __future__ import annotations

from typing import Any

from .conftest import (
    BRIGHT_MEDIA,
    CONV_APPROVED,
    CONV_PENDING,
    COUPON_KINGS,
    NOW,
    OFFER_APPROVAL,
    OFFER_PUBLIC,
    EverflowClient,
)

MONTH = {"from": "2026-05-15", "to": "2026-06-15", "timezone_id": 67, "currency_id": "USD"}
TWO_WEEKS = {"from": "2026-06-01 00:00:00", "to": "2026-06-14 23:59:59", "timezone_id": 67}
TXN_PENDING = "20000000000000000000000000000001"  # the click of CONV_PENDING (Bright Media, offer 2)


def _filters(*pairs: tuple[str, Any]) -> dict:
    return {"query": {"filters": [{"resource_type": t, "filter_id_value": v} for t, v in pairs]}}


async def _summary(ef: EverflowClient, **extra: Any) -> dict:
    status, body, _ = await ef.post("/networks/reporting/entity/summary", {**MONTH, **extra})
    assert status == 200, body
    return body


# -- clicks -------------------------------------------------------------------------------------------------

async def test_clicks_stream_is_newest_first_with_the_documented_fields(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/clicks/stream", TWO_WEEKS)
    assert status == 200
    clicks = body["clicks"]
    times = [c["unix_timestamp"] for c in clicks]
    assert times == sorted(times, reverse=True) and len(clicks) > 50
    assert all(1780272000 <= t <= 1781481599 for t in times)  # 2026-06-01 .. 2026-06-14 UTC
    assert all(c["error_code"] == 0 for c in clicks)
    first = clicks[0]
    assert set(first) >= {"transaction_id", "is_unique", "unix_timestamp", "tracking_url", "source_id", "sub1",
                          "payout_type", "revenue_type", "payout", "revenue", "user_ip", "has_conversion",
                          "currency_id", "relationship"}
    assert first["tracking_url"].startswith("https://www.example-track.com/")
    assert set(first["relationship"]) >= {"offer", "affiliate", "advertiser", "geolocation"}


async def test_clicks_stream_filters_and_ignores_query_parameters(ef: EverflowClient) -> None:
    # tap-everflow sends page=<its next start date> on later requests; Everflow ignores it
    status, body, _ = await ef.post("/networks/reporting/clicks/stream?page=2026-06-10+08%3A00%3A00%2B00%3A00"
                                    "&page_size=2000", {**TWO_WEEKS, **_filters(("affiliate", COUPON_KINGS))})
    assert status == 200
    assert body["clicks"] and {c["relationship"]["affiliate"]["network_affiliate_id"]
                               for c in body["clicks"]} == {COUPON_KINGS}


async def test_clicks_stream_range_rules(ef: EverflowClient) -> None:
    too_long = {**TWO_WEEKS, "from": "2026-05-31 00:00:00"}
    status, body, _ = await ef.post("/networks/reporting/clicks/stream", too_long)
    assert (status, body) == (400, {"error": "The date range cannot exceed 14 days"})
    status, body, _ = await ef.post("/networks/reporting/clicks/stream",
                                    {"from": "2026-03-01", "to": "2026-03-10", "timezone_id": 67})
    assert (status, body) == (400, {"error": "from cannot be more than 90 days ago"})
    status, body, _ = await ef.post("/networks/reporting/clicks/stream", {**TWO_WEEKS, "timezone_id": 999})
    assert (status, body) == (400, {"error": "Invalid timezone_id: 999"})
    status, body, _ = await ef.post("/networks/reporting/clicks/stream", {"from": "2026-06-01", "timezone_id": 67})
    assert (status, body) == (400, {"error": "Missing required field to"})
    status, body, _ = await ef.post("/networks/reporting/clicks/stream",
                                    {**TWO_WEEKS, **_filters(("campaign", 1))})
    assert status == 400 and body["error"].startswith("Invalid value for query.filters[0].resource_type")


async def test_one_click_and_its_transaction(ef: EverflowClient) -> None:
    status, click, _ = await ef.get(f"/networks/reporting/clicks/{TXN_PENDING}")
    assert status == 200
    assert (click["transaction_id"], click["has_conversion"], click["sub1"]) == (TXN_PENDING, True, "spring")
    assert click["relationship"]["offer"]["network_offer_id"] == OFFER_APPROVAL
    status, body, _ = await ef.get(f"/networks/reporting/transactions/{TXN_PENDING}")
    assert status == 200
    assert body["click"] == click
    assert [c["conversion_id"] for c in body["conversions"]["entries"]] == [CONV_PENDING]
    assert body["pixels"] == {"total": 0, "entries": []} and body["raw_click"] == click["tracking_url"]
    assert await _status(ef, "/networks/reporting/clicks/nosuch") == (404, {"error": "Click not found"})
    assert await _status(ef, "/networks/reporting/transactions/nosuch") == (404, {"error": "Click not found"})
    assert await _status(ef, f"/networks/reporting/events/{TXN_PENDING}") == (200, {"events": []})


async def _status(ef: EverflowClient, path: str) -> tuple[int, Any]:
    status, body, _ = await ef.get(path)
    return status, body


async def test_invalid_clicks_are_the_ones_the_report_counts_as_invalid(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/invalidclicks", {**MONTH, "from": "2026-06-02"})
    assert status == 200
    assert body["clicks"] and all(c["error_code"] == 3 for c in body["clicks"])
    summary = await _summary(ef, **{"from": "2026-06-02"})
    assert summary["invalid_click"] == len(body["clicks"])


# -- one arithmetic behind every report ----------------------------------------------------------------------

async def test_entity_table_rows_add_up_to_its_summary_and_the_summary_endpoint(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/entity/table",
                                    {**MONTH, "columns": [{"column": "offer"}, {"column": "affiliate"}]})
    assert status == 200 and body["incomplete_results"] is False
    rows = body["table"]
    assert [[c["id"] for c in r["columns"]] for r in rows] == [["1", "1"], ["1", "2"], ["2", "1"]]
    assert rows[0]["columns"] == [{"column_type": "offer", "id": "1", "label": "Acme CPA Offer"},
                                  {"column_type": "affiliate", "id": "1", "label": "Bright Media"}]
    for metric in ("total_click", "unique_click", "invalid_click", "gross_click", "cv", "total_cv", "event"):
        assert sum(r["reporting"][metric] for r in rows) == body["summary"][metric]
    assert round(sum(r["reporting"]["payout"] for r in rows), 2) == body["summary"]["payout"]
    assert await _summary(ef) == body["summary"]
    status, stream, _ = await ef.post("/networks/reporting/entity/stream",
                                      {**MONTH, "columns": [{"column": "offer"}, {"column": "affiliate"}]})
    assert (status, stream) == (200, {"table": rows})
    status, older, _ = await ef.post("/networks/reporting/entity",
                                     {**MONTH, "columns": [{"column": "offer"}, {"column": "affiliate"}]})
    assert (status, older) == (200, body)


async def test_conversion_summary_and_the_entity_report_agree(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/conversions/summary",
                                    {**MONTH, "show_conversions": True, "show_events": True})
    assert status == 200
    assert body["total"] == 62  # every fixture conversion in the month (as the conversion report counts)
    assert body["total"] == (body["pending"] + body["approved"] + body["invalid"] + body["rejected_manual"]
                             + body["rejected_scrub"])
    summary = await _summary(ef)
    assert (body["approved"], body["payout"], body["revenue"], body["gross_sales"]) == (
        summary["cv"], summary["payout"], summary["revenue"], summary["gross_sales"])
    assert summary["invalid_cv_scrub"] == body["invalid"]
    assert summary["total_cv"] == body["total"] - body["invalid"]
    status, body, _ = await ef.post("/networks/reporting/conversions/summary",
                                    {**MONTH, "show_conversions": False, "show_events": False})
    assert (status, body) == (400, {"error": "At least one of show_conversions or show_events must be true"})
    status, body, _ = await ef.post("/networks/reporting/conversions/summary", {**MONTH, "currency_id": "XYZ"})
    assert (status, body) == (400, {"error": "Invalid currency_id: XYZ"})


async def test_a_new_click_and_conversion_show_in_every_report(ef: EverflowClient) -> None:
    before, dash_before = await _summary(ef), (await ef.get("/networks/dashboard/summary"))[1]
    status, made = await ef.control("POST", "conversions", {
        "network_offer_id": OFFER_PUBLIC, "network_affiliate_id": BRIGHT_MEDIA, "sub1": "fresh", "sale_amount": 50})
    assert status == 200
    after = await _summary(ef)
    assert (after["total_click"], after["cv"]) == (before["total_click"] + 1, before["cv"] + 1)
    assert (after["payout"], after["revenue"]) == (round(before["payout"] + 2.5, 2), round(before["revenue"] + 4, 2))
    status, dash, _ = await ef.get("/networks/dashboard/summary")
    assert status == 200
    assert dash["conversion"]["today"] == dash_before["conversion"]["today"] + 1 == 1
    assert dash["click"]["today"] == 1 and dash["payout"]["today"] == 2.5 and dash["revenue"]["today"] == 4.0
    assert dash["profit"]["today"] == 1.5
    status, body, _ = await ef.post("/networks/reporting/clicks/stream",
                                    {"from": "2026-06-15", "to": "2026-06-15", "timezone_id": 67})
    assert [(c["transaction_id"], c["sub1"], c["has_conversion"]) for c in body["clicks"]] == [
        (made["transaction_id"], "fresh", True)]
    status, table, _ = await ef.post("/networks/reporting/entity/table",
                                     {**MONTH, "columns": [{"column": "sub1"}], **_filters(("sub1", "fresh"))})
    assert [(r["columns"][0]["id"], r["reporting"]["cv"], r["reporting"]["total_click"]) for r in table["table"]] \
        == [("fresh", 1, 1)]


async def test_dashboard_periods_follow_the_tenant_clock(ef: EverflowClient) -> None:
    status, dash, _ = await ef.get("/networks/dashboard/summary")
    assert status == 200
    june = await _summary(ef, **{"from": "2026-06-01"})
    may = await _summary(ef, **{"from": "2026-05-01", "to": "2026-05-31"})
    june_14 = await _summary(ef, **{"from": "2026-06-14", "to": "2026-06-14"})
    assert dash["click"]["current_month"] == june["total_click"] and dash["click"]["last_month"] == may["total_click"]
    assert dash["revenue"]["yesterday"] == june_14["revenue"] and dash["conversion"]["yesterday"] == june_14["cv"]
    assert dash["revenue"]["trending_percentage"] == (-100.0 if june_14["revenue"] else 0.0)


async def test_entity_table_bad_requests(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/entity/table", MONTH)
    assert (status, body) == (400, {"error": "At least one column is required"})
    status, body, _ = await ef.post("/networks/reporting/entity/table", {**MONTH, "columns": [{"column": "isp"}]})
    assert status == 400 and body["error"].startswith("Invalid value for columns[0].column: 'isp'")
    status, body, _ = await ef.post("/networks/reporting/entity/table",
                                    {**MONTH, "to": "2027-06-15", "columns": ["offer"]})
    assert (status, body) == (400, {"error": "The date range cannot exceed 366 days"})
    status, body, _ = await ef.post("/networks/reporting/entity/table", {**MONTH, "from": "2026-02-30",
                                                                         "columns": ["offer"]})
    assert (status, body) == (400, {"error": "from is not a valid date: 2026-02-30"})


async def test_entity_table_by_date_in_the_requested_timezone(ef: EverflowClient) -> None:
    utc = (await ef.post("/networks/reporting/entity/table", {**MONTH, "columns": [{"column": "date"}]}))[1]
    paris = (await ef.post("/networks/reporting/entity/table",
                           {**MONTH, "timezone_id": 36, "columns": [{"column": "date"}]}))[1]
    assert utc["table"][0]["columns"][0]["id"] == "2026-05-15"
    assert [r["columns"][0]["id"] for r in utc["table"]] == sorted(r["columns"][0]["id"] for r in utc["table"])
    assert utc["table"] != paris["table"]  # days cut at another hour


# -- conversion edits ----------------------------------------------------------------------------------------

async def test_update_by_transaction_and_sale_amount_move_the_reports(ef: EverflowClient) -> None:
    before = await _summary(ef)
    status, body, _ = await ef.patch("/networks/reporting/conversions/bytransactionid",
                                     {"transaction_id": TXN_PENDING, "status": "approved"})
    assert (status, body) == (200, {"result": True})
    after = await _summary(ef)
    assert (after["cv"], after["revenue"]) == (before["cv"] + 1, round(before["revenue"] + 18, 2))
    status, body, _ = await ef.patch("/networks/reporting/conversions/saleamount",
                                     {"conversion_id": CONV_PENDING, "sale_amount": 200})
    assert (status, body) == (200, {"result": True})
    conversion = (await ef.get(f"/networks/reporting/conversions/{CONV_PENDING}"))[1]
    assert (conversion["sale_amount"], conversion["payout"], conversion["revenue"]) == (200.0, 20.0, 30.0)
    status, body, _ = await ef.patch("/networks/reporting/conversions/saleamount",
                                     {"conversion_id": CONV_APPROVED, "sale_amount": 99})
    assert status == 200  # cpa 2.50: a fixed payout does not follow the sale amount
    conversion = (await ef.get(f"/networks/reporting/conversions/{CONV_APPROVED}"))[1]
    assert (conversion["sale_amount"], conversion["payout"]) == (99.0, 2.5)
    status, body, _ = await ef.patch("/networks/reporting/conversions/bytransactionid",
                                     {"transaction_id": "nosuch", "status": "approved"})
    assert (status, body) == (404, {"error": "Conversion not found"})
    status, body, _ = await ef.patch("/networks/reporting/conversions/saleamount",
                                     {"conversion_id": 12345, "sale_amount": 1})
    assert (status, body) == (404, {"error": "Conversion not found"})
    status, body, _ = await ef.patch("/networks/reporting/conversions/bytransactionid",
                                     {"transaction_id": TXN_PENDING, "status": "pending"})
    assert status == 400 and body["error"].startswith("Invalid value for status")


async def test_conversions_by_email(ef: EverflowClient) -> None:
    status, made = await ef.control("POST", "conversions", {
        "network_offer_id": OFFER_PUBLIC, "network_affiliate_id": COUPON_KINGS, "email": "Buyer@Example.com"})
    assert status == 200
    status, body, _ = await ef.post("/networks/reporting/conversions/byemail",
                                    {"email": "buyer@example.com", "from": "2026-06-15", "to": "2026-06-15",
                                     "timezone_id": 67})
    assert status == 200 and [c["conversion_id"] for c in body["conversions"]] == [made["conversion_id"]]


async def test_referrals_report_the_referred_affiliates_results(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/referrals", MONTH)
    assert status == 200
    table = (await ef.post("/networks/reporting/entity/table", {**MONTH, "columns": ["affiliate"]}))[1]["table"]
    coupon_kings = next(r["reporting"] for r in table if r["columns"][0]["id"] == str(COUPON_KINGS))
    assert body == {"referrals": [{
        "referring_affiliate": {"network_affiliate_id": BRIGHT_MEDIA, "name": "Bright Media"},
        "referred_affiliate": {"network_affiliate_id": COUPON_KINGS, "name": "Coupon Kings"},
        "revenue": coupon_kings["revenue"], "conversions": coupon_kings["cv"]}]}


async def test_impression_link(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/tracking/offers/impressions",
                                    {"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": BRIGHT_MEDIA,
                                     "sub1": "banner"})
    assert (status, body) == (200, {"url": "https://www.example-track.com/imp/2LQC3F/3MQDQ8/?sub1=banner"})
    status, body, _ = await ef.post("/networks/tracking/offers/impressions",
                                    {"network_offer_id": 3, "network_affiliate_id": BRIGHT_MEDIA})
    assert (status, body) == (400, {"error": "Affiliate does not have access to this offer"})


async def test_reports_need_a_network_key(ef: EverflowClient) -> None:
    assert (await ef.as_key(None).get("/networks/dashboard/summary"))[:2] == (
        401, {"error": "No Authentication Method Found"})
    assert (await ef.as_key("ef_affiliate_sandbox_0001").post("/networks/reporting/clicks/stream", TWO_WEEKS))[:2] \
        == (403, {"error": "Out of realm"})
    assert NOW == 1781524800
