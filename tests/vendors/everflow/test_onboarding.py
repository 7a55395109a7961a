"""The issue's "done when": a client onboards a partner end to end against /everflow/v1."""
from __future__ import annotations

from .conftest import OFFER_APPROVAL, OFFER_PUBLIC, EverflowClient


async def test_onboard_a_partner_end_to_end(ef: EverflowClient) -> None:
    # create the affiliate with users and billing
    status, affiliate, _ = await ef.post("/networks/affiliates", {
        "name": "Northwind Media", "account_status": "active", "network_employee_id": 1,
        "users": [{"first_name": "Nora", "last_name": "Wind", "email": "nora@northwind.example"}],
        "billing": {"billing_frequency": "weekly", "payment_type": "paypal", "details": {"day_of_week": 1},
                    "billing": {"paypal_reception_method": "email", "reception_identifier": "pay@northwind.example"}}})
    assert status == 200
    affiliate_id = affiliate["network_affiliate_id"]

    # find it
    _, found, _ = await ef.post("/networks/affiliatestable", {
        "search_terms": [{"search_type": "name", "value": "northwind"}], "filters": {"payment_type": "paypal"}})
    assert [a["network_affiliate_id"] for a in found["affiliates"]] == [affiliate_id]

    # a tracking link on a public offer; the approval-only offer is refused
    status, link, _ = await ef.post("/networks/tracking/offers/clicks",
                                    {"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": affiliate_id})
    assert status == 200 and link["url"].startswith("https://www.example-track.com/2LQC3F/")
    status, _, _ = await ef.post("/networks/tracking/offers/clicks",
                                 {"network_offer_id": OFFER_APPROVAL, "network_affiliate_id": affiliate_id})
    assert status == 400

    # register a postback
    status, pixel, _ = await ef.post("/networks/pixels", {
        "network_affiliate_id": affiliate_id, "network_offer_id": OFFER_PUBLIC, "delivery_method": "postback",
        "pixel_level": "specific", "pixel_status": "active", "pixel_type": "conversion",
        "postback_url": "https://northwind.example/pb?tid={transaction_id}"})
    assert status == 200
    _, pixels, _ = await ef.post("/networks/pixelstable", {"filters": {"network_affiliate_ids": [affiliate_id]}})
    assert [p["network_pixel_id"] for p in pixels["pixels"]] == [pixel["network_pixel_id"]]

    # traffic arrives (simulated), then the network sees and rejects / approves its conversions
    ids = []
    for sub1 in ("a", "b"):
        status, made = await ef.control("POST", "conversions", {
            "network_offer_id": OFFER_PUBLIC, "network_affiliate_id": affiliate_id, "sub1": sub1, "status": "pending"})
        assert status == 200
        ids.append(made["conversion_id"])
    report = {"from": "2026-06-15", "to": "2026-06-15", "timezone_id": 67, "show_conversions": True,
              "show_events": False, "query": {"filters": [{"resource_type": "affiliate",
                                                            "filter_id_value": affiliate_id}]}}
    _, seen, _ = await ef.post("/networks/reporting/conversions", report)
    assert sorted(c["conversion_id"] for c in seen["conversions"]) == sorted(ids)
    assert {c["status"] for c in seen["conversions"]} == {"pending"}
    await ef.patch("/networks/reporting/conversions", {"conversion_ids": ids[:1], "conversion_status": "approved"})
    await ef.patch("/networks/reporting/conversions", {"conversion_ids": ids[1:], "conversion_status": "rejected"})
    _, after, _ = await ef.post("/networks/reporting/conversions", report)
    assert {c["conversion_id"]: c["status"] for c in after["conversions"]} == {ids[0]: "approved", ids[1]: "rejected"}
