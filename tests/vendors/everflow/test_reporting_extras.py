"""Everflow reporting extras (issue 16): variance, adjustments (counted by every report), refunds, on-hold,
conversions by transaction ids, uploads, pixel logs, flowchart, events per transaction, MTTI, impressions, offer
caps, exports, the older clicks GET and the dashboard performance."""
from __future__ import annotations

from typing import Any

from .conftest import CONV_APPROVED, COUPON_KINGS, OFFER_APPROVAL, OFFER_PUBLIC, EverflowClient

MONTH = {"from": "2026-05-15", "to": "2026-06-15", "timezone_id": 67, "currency_id": "USD"}
RANGE = {"from": "2026-05-15", "to": "2026-06-15", "timezone_id": 67}
TWO_WEEKS = {"from": "2026-06-01 00:00:00", "to": "2026-06-14 23:59:59", "timezone_id": 67}


async def _summary(ef: EverflowClient, **extra: Any) -> dict:
    status, body, _ = await ef.post("/networks/reporting/entity/summary", {**MONTH, **extra})
    assert status == 200, body
    return body


async def _table(ef: EverflowClient, columns: list[str], **extra: Any) -> dict:
    status, body, _ = await ef.post("/networks/reporting/entity/table",
                                    {**MONTH, "columns": [{"column": c} for c in columns], **extra})
    assert status == 200, body
    return body


# -- variance ----------------------------------------------------------------------------------------------

async def test_variance_sets_two_ranges_of_the_entity_report_side_by_side(ef: EverflowClient) -> None:
    body = {**MONTH, "from": "2026-06-01", "to": "2026-06-15", "compare_from": "2026-05-15",
            "compare_to": "2026-05-31", "columns": [{"column": "offer"}]}
    status, out, _ = await ef.post("/networks/reporting/variance", body)
    assert status == 200, out
    current = await _table(ef, ["offer"], **{"from": "2026-06-01", "to": "2026-06-15"})
    before = await _table(ef, ["offer"], **{"from": "2026-05-15", "to": "2026-05-31"})
    by_offer = {row["columns"][0]["id"]: row for row in out["table"]}
    for row in current["table"]:
        assert by_offer[row["columns"][0]["id"]]["current"] == row["reporting"]
    for row in before["table"]:
        assert by_offer[row["columns"][0]["id"]]["comparison"] == row["reporting"]
    row = by_offer[str(OFFER_PUBLIC)]
    then, now = row["comparison"]["revenue"], row["current"]["revenue"]
    assert then > 0 and row["variance_percentage"] == round((now - then) / then * 100, 2)


async def test_variance_needs_the_comparison_range(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/variance", {**MONTH, "columns": ["offer"]})
    assert status == 400 and "compare_from" in body["error"]


# -- adjustments --------------------------------------------------------------------------------------------

async def test_an_adjustment_counts_in_every_report_that_covers_it(ef: EverflowClient) -> None:
    before = await _summary(ef, **{"query": {"filters": [{"resource_type": "affiliate",
                                                          "filter_id_value": COUPON_KINGS}]}})
    status, made, _ = await ef.post("/networks/reporting/adjustments", {
        "network_offer_id": OFFER_PUBLIC, "network_affiliate_id": COUPON_KINGS, "from": "2026-06-10",
        "timezone_id": 67, "conversions": 3, "payout": 7.5, "revenue": 12, "memo": "missed postbacks"})
    assert status == 200, made
    assert made["conversions"] == 3 and made["payout"] == 7.5 and made["revenue"] == 12.0
    assert made["memo"] == "missed postbacks" and made["currency_id"] == "USD"
    after = await _summary(ef, **{"query": {"filters": [{"resource_type": "affiliate",
                                                         "filter_id_value": COUPON_KINGS}]}})
    assert after["cv"] == before["cv"] + 3
    assert after["payout"] == round(before["payout"] + 7.5, 2)
    assert after["revenue"] == round(before["revenue"] + 12, 2)
    # the same numbers in the table, and nothing outside the adjustment's day
    table = await _table(ef, ["affiliate"])
    row = next(r for r in table["table"] if r["columns"][0]["id"] == str(COUPON_KINGS))
    assert row["reporting"]["cv"] == after["cv"]
    outside = await _summary(ef, **{"from": "2026-06-11", "to": "2026-06-15"})
    outside_before = outside["cv"]
    status, listed, _ = await ef.get("/networks/reporting/adjustments")
    assert status == 200 and listed["adjustments"] == [made] and listed["paging"]["total_count"] == 1
    status, found, _ = await ef.post("/networks/reporting/adjustmentstable",
                                     {"from": "2026-06-10", "to": "2026-06-10", "timezone_id": 67,
                                      "filters": {"network_offer_id": OFFER_PUBLIC}})
    assert status == 200 and found["adjustments"] == [made]
    status, found, _ = await ef.post("/networks/reporting/adjustmentstable",
                                     {"from": "2026-06-11", "to": "2026-06-15", "timezone_id": 67})
    assert status == 200 and found["adjustments"] == []
    assert (await _summary(ef, **{"from": "2026-06-11", "to": "2026-06-15"}))["cv"] == outside_before


async def test_an_adjustment_needs_a_known_offer_and_affiliate(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/adjustments",
                                    {"network_offer_id": 999, "network_affiliate_id": COUPON_KINGS})
    assert (status, body) == (404, {"error": "Offer not found"})
    status, body, _ = await ef.post("/networks/reporting/adjustments",
                                    {"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": 999})
    assert (status, body) == (404, {"error": "Affiliate not found"})
    status, body, _ = await ef.post("/networks/reporting/adjustments", {"network_offer_id": OFFER_PUBLIC})
    assert status == 400 and "network_affiliate_id" in body["error"]


# -- conversions by transaction ids, flowchart, events ---------------------------------------------------------

async def _unconverted_click(ef: EverflowClient) -> dict:
    status, body, _ = await ef.post("/networks/reporting/clicks/stream", {
        **TWO_WEEKS, "query": {"filters": [{"resource_type": "offer", "filter_id_value": OFFER_PUBLIC}]}})
    assert status == 200
    return next(c for c in body["clicks"] if not c["has_conversion"])


async def test_conversions_by_transaction_ids_convert_clicks_once(ef: EverflowClient) -> None:
    click = await _unconverted_click(ef)
    before = await _summary(ef)
    status, body, _ = await ef.post("/networks/reporting/conversions/bytransactionids",
                                    {"transaction_ids": [click["transaction_id"]]})
    assert status == 200, body
    [conversion] = body["conversions"]
    assert conversion["transaction_id"] == click["transaction_id"]
    assert (conversion["payout"], conversion["revenue"], conversion["status"]) == (2.5, 4.0, "approved")
    after = await _summary(ef)
    assert after["cv"] == before["cv"] + 1 and after["revenue"] == round(before["revenue"] + 4, 2)
    status, clicked, _ = await ef.get(f"/networks/reporting/clicks/{click['transaction_id']}")
    assert clicked["has_conversion"] is True
    status, again, _ = await ef.post("/networks/reporting/conversions/bytransactionids",
                                     {"transaction_ids": [click["transaction_id"]]})
    assert (status, again) == (400, {"error": f"Click {click['transaction_id']} already has a conversion"})
    status, missing, _ = await ef.post("/networks/reporting/conversions/bytransactionids",
                                       {"transaction_ids": ["nope"]})
    assert (status, missing) == (404, {"error": "Click nope not found"})
    status, flow, _ = await ef.get(f"/networks/reporting/transactions/{click['transaction_id']}/flowchart")
    assert status == 200
    assert [s["type"] for s in flow["steps"]] == ["click", "conversion"]
    assert flow["steps"][1]["conversion_id"] == conversion["conversion_id"]
    status, body, _ = await ef.post("/networks/reporting/events/pertransaction", RANGE)
    row = next(r for r in body["transactions"] if r["transaction_id"] == click["transaction_id"])
    assert (row["conversions"], row["events"], row["event_revenue"]) == (1, 0, 0.0)


async def test_flowchart_of_an_unknown_transaction_is_404(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/reporting/transactions/nope/flowchart")
    assert (status, body) == (404, {"error": "Click not found"})


async def test_post_conversions_and_mtti_read_the_same_conversions(ef: EverflowClient) -> None:
    status, events, _ = await ef.post("/networks/reporting/postconversions", RANGE)
    assert (status, events) == (200, {"events": []})  # the default fixtures have no events
    status, mtti, _ = await ef.post("/networks/reporting/mtti", RANGE)
    assert status == 200
    summary = await _summary(ef)
    assert mtti["conversions"] == summary["cv"] and sum(mtti["buckets"].values()) == summary["cv"]
    assert mtti["average_seconds"] > 0


# -- things the sandbox never produces ---------------------------------------------------------------------

async def test_empty_logs_still_check_their_range(ef: EverflowClient) -> None:
    for path, key in (("/networks/reporting/refunds", "refunds"), ("/networks/reporting/pixels/log", "logs"),
                      ("/networks/reporting/advertiser/pixels/log", "logs"),
                      ("/networks/reporting/onholdconversions", "conversions"),
                      ("/networks/reporting/onhold/conversions/stream", "conversions")):
        status, body, _ = await ef.post(path, RANGE)
        assert (status, body) == (200, {key: []}), path
        status, body, _ = await ef.post(path, {**RANGE, "from": "2026-06-16"})
        assert (status, body) == (400, {"error": "from must be before to"}), path
    status, body, _ = await ef.post("/networks/reporting/impressions/stream", TWO_WEEKS)
    assert (status, body) == (200, {"impressions": []})


async def test_nothing_is_on_hold(ef: EverflowClient) -> None:
    status, body, _ = await ef.patch("/networks/reporting/onhold/conversions",
                                     {"conversion_ids": [CONV_APPROVED], "status": "approved"})
    assert (status, body) == (400, {"error": f"Conversion {CONV_APPROVED} is not on hold"})
    status, body, _ = await ef.patch("/networks/reporting/onhold/conversions",
                                     {"conversion_ids": ["nope"], "status": "rejected"})
    assert (status, body) == (404, {"error": "Conversion nope not found"})


async def test_a_conversion_upload_is_recorded_as_failed(ef: EverflowClient) -> None:
    status, made, _ = await ef.post("/networks/reporting/upload/conversions",
                                    {"file": {"temp_url": "https://files.example/c.csv",
                                              "original_file_name": "c.csv"}})
    assert status == 200 and made["status"] == "failed" and made["original_file_name"] == "c.csv"
    upload_id = made["network_conversion_upload_id"]
    status, got, _ = await ef.get(f"/networks/reporting/conversionuploads/{upload_id}")
    assert (status, got) == (200, made)
    status, table, _ = await ef.post("/networks/reporting/conversionuploads/table", {"filters": {"status": "failed"}})
    assert status == 200 and table["uploads"] == [made]
    status, table, _ = await ef.post("/networks/reporting/conversionuploads/table",
                                     {"filters": {"status": "completed"}})
    assert table["uploads"] == []
    status, body, _ = await ef.get(f"/networks/reporting/conversionuploads/{upload_id + 1}")
    assert (status, body) == (404, {"error": "Conversion upload not found"})


# -- offer caps ---------------------------------------------------------------------------------------------

async def test_offer_caps_count_what_the_offer_used(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/offercaps",
                                    {"offer_ids": [OFFER_PUBLIC], "timezone_id": 67})
    assert status == 200, body
    [row] = body["caps"]
    assert row["network_offer_id"] == OFFER_PUBLIC
    month = await _summary(ef, **{"query": {"filters": [{"resource_type": "offer", "filter_id_value": OFFER_PUBLIC}]}})
    assert row["global"]["conversion"]["current"] >= month["cv"] > 0
    assert row["daily"]["conversion"] == {"cap": 0, "current": row["daily"]["conversion"]["current"],
                                          "remaining": 0}
    status, summary, _ = await ef.post("/networks/reporting/offercaps/summary",
                                       {"offer_ids": [OFFER_PUBLIC, OFFER_APPROVAL], "timezone_id": 67})
    assert (status, summary) == (200, {"offers": 2, "offers_with_caps": 0, "offers_at_cap": 0})
    status, body, _ = await ef.post("/networks/reporting/offercaps", {"offer_ids": [999], "timezone_id": 67})
    assert (status, body) == (404, {"error": "Offer not found"})


async def test_a_global_cap_reached_by_conversions(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/offercaps", {"offer_ids": [OFFER_PUBLIC], "timezone_id": 67})
    used = int(body["caps"][0]["global"]["conversion"]["current"])
    status, out, _ = await ef.put(f"/networks/offers/{OFFER_PUBLIC}", {
        "network_advertiser_id": 1, "name": "Acme CPA", "destination_url": "https://acme.example/",
        "offer_status": "active", "is_caps_enabled": True, "global_conversion_cap": used, "payout_revenue": [
            {"network_offer_payout_revenue_id": 1, "payout_type": "cpa", "payout_amount": 2.5, "revenue_type": "rpa",
             "revenue_amount": 4, "is_default": True}]})
    assert status == 200, out
    status, summary, _ = await ef.post("/networks/reporting/offercaps/summary",
                                       {"offer_ids": [OFFER_PUBLIC], "timezone_id": 67})
    assert summary == {"offers": 1, "offers_with_caps": 1, "offers_at_cap": 1}
    status, body, _ = await ef.post("/networks/reporting/offercaps", {"offer_ids": [OFFER_PUBLIC], "timezone_id": 67})
    assert body["caps"][0]["global"]["conversion"] == {"cap": used, "current": used, "remaining": 0}


# -- exports --------------------------------------------------------------------------------------------------

async def test_exports_give_the_reports_rows(ef: EverflowClient) -> None:
    table = await _table(ef, ["offer"])
    status, body, _ = await ef.post("/networks/reporting/entity/table/export",
                                    {**MONTH, "columns": [{"column": "offer"}], "format": "json"})
    assert (status, body) == (200, {"table": table["table"]})
    status, body, _ = await ef.post("/networks/reporting/conversions/export",
                                    {**MONTH, "format": "json", "show_conversions": True})
    summary = await _summary(ef)
    assert status == 200 and sum(c["status"] == "approved" for c in body["conversions"]) == summary["cv"]
    assert CONV_APPROVED in {c["conversion_id"] for c in body["conversions"]}
    for path, key in (("/networks/reporting/postconversions/export", "events"),
                      ("/networks/reporting/onhold/export", "conversions")):
        status, body, _ = await ef.post(path, {**MONTH, "format": "json"})
        assert (status, body) == (200, {key: []}), path
    status, body, _ = await ef.post("/networks/reporting/affiliate/pixels/export", {**RANGE, "format": "json"})
    assert (status, body) == (200, {"logs": []})


async def test_a_csv_export_is_400_naming_json(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/reporting/conversions/export", {**MONTH, "format": "csv"})
    assert status == 400 and "json" in body["error"], body


# -- laravel-everflow's older forms ------------------------------------------------------------------------------

async def test_recent_clicks_and_dashboard_performance(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/reporting/clicks")
    assert status == 200
    times = [c["unix_timestamp"] for c in body["clicks"]]
    assert times == sorted(times, reverse=True)
    assert all(1781524800 - 86400 <= t <= 1781524800 for t in times)
    status, body, _ = await ef.post("/networks/dashboard/performance", {**MONTH})
    assert status == 200
    days = {row["date"]: row["reporting"] for row in body["performance"]}
    table = await _table(ef, ["date"])
    assert days == {row["columns"][0]["id"]: row["reporting"] for row in table["table"]}
    status, body, _ = await ef.post("/networks/dashboard/performance")
    assert status == 200 and 1 <= len(body["performance"]) <= 7
