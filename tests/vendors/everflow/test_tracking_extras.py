"""Everflow tracking extras (issue 16): encode/decode through the encoded-value index, smart-link (campaign)
tracking links in laravel-everflow's and the draft's forms, and the impression link's /test form."""
from __future__ import annotations

from .conftest import BRIGHT_MEDIA, COUPON_KINGS, DORMANT, OFFER_PUBLIC, EverflowClient

SMART_LINK = 1      # Summer Smart Link, active, 4QWERT (fixtures: campaigns)
RETIRED_LINK = 2    # inactive


async def test_encode_and_decode_round_trip_for_each_kind(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/encode", {"type": "tracking_link_affiliate",
                                                          "ids": [BRIGHT_MEDIA, COUPON_KINGS, BRIGHT_MEDIA]})
    assert (status, body) == (200, {"values": [{"decoded": 1, "encoded": "3MQDQ8"},
                                               {"decoded": 2, "encoded": "7KQ2ZD"}]})
    status, body, _ = await ef.post("/networks/decode", {"type": "tracking_link_affiliate", "ids": ["3mqdq8"]})
    assert (status, body) == (200, {"values": [{"decoded": 1, "encoded": "3mqdq8"}]})  # whatever the case
    status, body, _ = await ef.post("/networks/decode", {"type": "tracking_link_offer", "ids": ["2lqc3f"]})
    assert (status, body) == (200, {"values": [{"decoded": OFFER_PUBLIC, "encoded": "2lqc3f"}]})
    status, body, _ = await ef.post("/networks/decode", {"type": "smart_link_smart_link", "ids": ["4QWERT"]})
    assert (status, body) == (200, {"values": [{"decoded": SMART_LINK, "encoded": "4QWERT"}]})
    status, body, _ = await ef.post("/networks/encode", {"type": "signup_affiliate_employee", "ids": [2]})
    assert status == 200
    [value] = body["values"]
    assert len(value["encoded"]) == 6
    status, body, _ = await ef.post("/networks/decode", {"type": "signup_advertiser_employee",
                                                          "ids": [value["encoded"]]})
    assert body == {"values": [{"decoded": 2, "encoded": value["encoded"]}]}


async def test_a_new_affiliate_decodes_at_once(ef: EverflowClient) -> None:
    status, made, _ = await ef.post("/networks/affiliates", {
        "name": "Fresh Partners", "account_status": "active", "network_employee_id": 1,
        "users": [{"first_name": "F", "last_name": "P", "email": "fp@fresh.example", "account_status": "active",
                   "language_id": 1}]})
    assert status == 200, made
    encoded = made["relationship"]["encoded_value"]
    status, body, _ = await ef.post("/networks/decode", {"type": "signup_affiliate_affiliate", "ids": [encoded]})
    assert body == {"values": [{"decoded": made["network_affiliate_id"], "encoded": encoded}]}


async def test_encode_and_decode_name_what_is_missing(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/encode", {"type": "tracking_link_offer", "ids": [1, 999]})
    assert (status, body) == (404, {"error": "Offer 999 not found"})
    status, body, _ = await ef.post("/networks/decode", {"type": "tracking_link_affiliate", "ids": ["ZZZZZZ"]})
    assert (status, body) == (404, {"error": "Encoded value ZZZZZZ not found"})
    status, body, _ = await ef.post("/networks/encode", {"type": "signup_affiliate_employee", "ids": [99]})
    assert (status, body) == (404, {"error": "Employee 99 not found"})
    status, body, _ = await ef.post("/networks/encode", {"type": "coupon", "ids": [1]})
    assert status == 400 and "type" in body["error"]


async def test_campaign_tracking_link_in_both_forms(ef: EverflowClient) -> None:
    link = {"network_campaign_id": SMART_LINK, "network_affiliate_id": COUPON_KINGS, "sub1": "spring"}
    status, body, _ = await ef.post("/networks/tracking/campaigns/clicks", link)
    expected = "https://www.example-track.com/4QWERT/7KQ2ZD/?sub1=spring"
    assert (status, body) == (200, {"url": expected})
    status, body, _ = await ef.post("/networks/tracking/campaigns/clicks/test", link)
    assert (status, body) == (200, {"url": expected})
    status, body, _ = await ef.post(f"/networks/campaigns/{SMART_LINK}/tracking",
                                    {"network_affiliate_id": COUPON_KINGS, "sub1": "spring"})
    assert (status, body) == (200, {"tracking_url": expected})


async def test_campaign_tracking_link_rules(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/tracking/campaigns/clicks",
                                    {"network_campaign_id": 99, "network_affiliate_id": COUPON_KINGS})
    assert (status, body) == (404, {"error": "Smart link not found"})
    status, body, _ = await ef.post("/networks/tracking/campaigns/clicks",
                                    {"network_campaign_id": RETIRED_LINK, "network_affiliate_id": COUPON_KINGS})
    assert (status, body) == (400, {"error": "Smart link is not active"})
    status, body, _ = await ef.post(f"/networks/campaigns/{SMART_LINK}/tracking", {"network_affiliate_id": DORMANT})
    assert (status, body) == (400, {"error": "Affiliate is not active"})
    status, body, _ = await ef.post("/networks/tracking/campaigns/clicks", {"network_campaign_id": SMART_LINK})
    assert status == 400 and "network_affiliate_id" in body["error"]


async def test_impression_test_link_is_the_impression_link(ef: EverflowClient) -> None:
    link = {"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": BRIGHT_MEDIA}
    status, real, _ = await ef.post("/networks/tracking/offers/impressions", link)
    status, test, _ = await ef.post("/networks/tracking/offers/impressions/test", link)
    assert (status, test) == (200, real) and "/imp/" in test["url"]
