"""Offer extras: offersbasic, stream, payout/revenue, tracking and impression URLs, copy, forwarding rules,
offer URLs and offer groups."""
from __future__ import annotations

from .conftest import (
    BRIGHT_MEDIA,
    COUPON_KINGS,
    NOW,
    OFFER_APPROVAL,
    OFFER_PAUSED,
    OFFER_PRIVATE,
    OFFER_PUBLIC,
    EverflowClient,
)

URL = {"network_offer_id": OFFER_APPROVAL, "name": "Gift page", "destination_url": "https://globex.example/gift",
       "url_status": "active", "is_apply_specific_affiliates": False, "is_hidden_affiliate": False}


async def test_basic_list_and_stream_follow_the_offers(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/offersbasic?page=2&page_size=3")
    assert (status, body) == (200, {"offers": [{"network_offer_id": OFFER_PAUSED, "name": "Paused Summer Offer",
                                                "offer_status": "paused"}],
                                    "paging": {"page": 2, "page_size": 3, "total_count": 4}})
    search = {"filters": {"offer_status": "active", "visibilities": ["public", "private"]}}
    status, streamed, _ = await ef.post("/networks/offers/stream", search)
    _, table, _ = await ef.post("/networks/offerstable", search)
    assert status == 200
    assert streamed == {"offers": table["offers"]}
    assert [o["network_offer_id"] for o in streamed["offers"]] == [OFFER_PUBLIC, OFFER_PRIVATE]
    status, body, _ = await ef.post("/networks/offers/stream", {"filters": {"offer_status": "gone"}})
    assert status == 400


async def test_payout_revenue_replaced_pays_new_conversions(ef: EverflowClient) -> None:
    path = f"/networks/offers/{OFFER_PUBLIC}/payoutrevenue"
    status, body, _ = await ef.get(path)
    assert status == 200
    assert [(e["network_offer_payout_revenue_id"], e["payout_amount"], e["is_default"]) for e in
            body["payout_revenue"]] == [(1, 2.5, True)]
    entries = [{"network_offer_payout_revenue_id": 1, "payout_type": "cpa", "payout_amount": 3, "revenue_type": "rpa",
                "revenue_amount": 5, "is_default": True},
               {"entry_name": "VIP", "payout_type": "cpa", "payout_amount": 4, "revenue_type": "rpa",
                "revenue_amount": 5, "is_default": False}]
    status, body, _ = await ef.put(path, {"payout_revenue": entries})
    assert status == 200
    assert [(e["network_offer_payout_revenue_id"], e["payout_amount"]) for e in body["payout_revenue"]] == [
        (1, 3), (5, 4)]
    _, offer, _ = await ef.get(f"/networks/offers/{OFFER_PUBLIC}?relationship=payout_revenue")
    assert offer["relationship"]["payout_revenue"]["entries"] == body["payout_revenue"]
    status, conv = await ef.control("POST", "conversions", {"network_offer_id": OFFER_PUBLIC,
                                                          "network_affiliate_id": BRIGHT_MEDIA})
    assert status == 200
    _, made, _ = await ef.get(f"/networks/reporting/conversions/{conv['conversion_id']}")
    assert (made["payout"], made["network_offer_payout_revenue_id"]) == (3, 1)
    status, body, _ = await ef.put(path, {"payout_revenue": [{**entries[0], "is_default": False}]})
    assert (status, body) == (400, {"error": "Exactly one payout_revenue entry must have is_default set to true"})
    assert (await ef.get("/networks/offers/99/payoutrevenue"))[:2] == (404, {"error": "Offer not found"})


async def test_tracking_and_impression_urls(ef: EverflowClient) -> None:
    status, body, _ = await ef.post(f"/networks/offers/{OFFER_PUBLIC}/tracking/url",
                                    {"network_affiliate_id": BRIGHT_MEDIA, "sub1": "spring"})
    _, link, _ = await ef.post("/networks/tracking/offers/clicks", {
        "network_offer_id": OFFER_PUBLIC, "network_affiliate_id": BRIGHT_MEDIA, "sub1": "spring"})
    assert (status, body) == (200, {"tracking_url": link["url"]})
    status, body, _ = await ef.post(f"/networks/offers/{OFFER_PUBLIC}/impressionurl",
                                    {"network_affiliate_id": BRIGHT_MEDIA})
    assert (status, body) == (200, {"impression_url": "https://www.example-track.com/imp/2LQC3F/3MQDQ8/"})
    for offer_id, body_in, expected in (
            (OFFER_PRIVATE, {"network_affiliate_id": BRIGHT_MEDIA},
             (400, {"error": "Affiliate does not have access to this offer"})),
            (OFFER_PUBLIC, {"network_affiliate_id": 99}, (400, {"error": "Invalid network_affiliate_id: 99"})),
            (OFFER_PUBLIC, {"network_affiliate_id": BRIGHT_MEDIA, "creative_id": 3},
             (400, {"error": "Invalid creative_id: 3"})),
            (OFFER_PUBLIC, {}, (400, {"error": "Missing required field network_affiliate_id"})),
            (99, {"network_affiliate_id": BRIGHT_MEDIA}, (404, {"error": "Offer not found"}))):
        assert (await ef.post(f"/networks/offers/{offer_id}/tracking/url", body_in))[:2] == expected, body_in


async def test_copy_is_a_paused_offer_with_new_ids(ef: EverflowClient) -> None:
    status, copy, _ = await ef.post(f"/networks/offers/{OFFER_APPROVAL}/copy")
    _, original, _ = await ef.get(f"/networks/offers/{OFFER_APPROVAL}?relationship=payout_revenue")
    assert status == 200
    assert (copy["network_offer_id"], copy["name"], copy["offer_status"], copy["time_created"]) == (
        5, "Globex Approval Offer (Copy)", "paused", NOW)
    assert copy["encoded_value"] != original["encoded_value"]
    same = {k: v for k, v in original.items() if k not in (
        "network_offer_id", "name", "offer_status", "encoded_value", "time_created", "time_saved", "relationship")}
    assert {k: copy[k] for k in same} == same
    entries = copy["relationship"]["payout_revenue"]["entries"]
    assert [e["network_offer_payout_revenue_id"] for e in entries] == [5]
    assert [{**e, "network_offer_payout_revenue_id": 2} for e in entries] == \
        original["relationship"]["payout_revenue"]["entries"]
    _, visibility, _ = await ef.get("/networks/offers/5/visibility")
    assert visibility["network_affiliate_visible_ids"] == []  # approvals are not copied (guess)
    assert (await ef.post("/networks/offers/99/copy"))[:2] == (404, {"error": "Offer not found"})


async def test_forwarding_rule(ef: EverflowClient) -> None:
    path = f"/networks/offers/{OFFER_PUBLIC}/forwardingrule"
    off = {"network_offer_id": OFFER_PUBLIC, "is_forwarding_enabled": False, "forwarding_type": "offer",
           "forwarding_network_offer_id": 0, "forwarding_url": "", "forward_on": []}
    assert (await ef.get(path))[:2] == (200, off)
    rule = {"is_forwarding_enabled": True, "forwarding_network_offer_id": OFFER_PAUSED,
            "forward_on": ["cap_reached", "paused"]}
    assert (await ef.put(path, rule))[:2] == (200, {**off, **rule})
    assert (await ef.get(path))[:2] == (200, {**off, **rule})
    for body, error in (({"forwarding_network_offer_id": OFFER_PUBLIC}, "Invalid forwarding_network_offer_id: 1"),
                        ({"is_forwarding_enabled": True}, "forwarding_network_offer_id is required when forwarding "
                                                          "to an offer"),
                        ({"is_forwarding_enabled": True, "forwarding_type": "url"},
                         "forwarding_url is required when forwarding to a URL"),
                        ({"redirect": 2}, "Unknown field(s) in body: redirect")):
        assert (await ef.put(path, body))[:2] == (400, {"error": error}), body


async def test_offer_urls(ef: EverflowClient) -> None:
    status, body, _ = await ef.get(f"/networks/offerurls?filter[network_offer_id]={OFFER_PUBLIC}")
    assert (status, [u["network_offer_url_id"] for u in body["urls"]]) == (200, [1, 2])
    status, body, _ = await ef.get("/networks/offerurls?filter[url_status]=paused")
    assert [u["network_offer_url_id"] for u in body["urls"]] == [2]
    status, created, _ = await ef.post("/networks/offerurls", URL)
    assert (status, created) == (200, {**URL, "network_offer_url_id": 3, "network_id": 1, "preview_url": "",
                                       "network_affiliate_ids": [], "time_created": NOW, "time_saved": NOW})
    assert (await ef.get("/networks/offerurls/3"))[:2] == (200, created)
    status, bulk, _ = await ef.post("/networks/offerurls/bulk", [{**URL, "name": "A"}, {**URL, "name": "B"}])
    assert (status, [(u["network_offer_url_id"], u["name"]) for u in bulk["urls"]]) == (200, [(4, "A"), (5, "B")])
    status, body, _ = await ef.post("/networks/offerurls/bulk", [{**URL, "name": "C"}, {**URL, "network_offer_id": 99}])
    assert (status, body) == (400, {"error": "Invalid network_offer_id: 99"})
    assert (await ef.get("/networks/offerurls/6"))[:2] == (404, {"error": "Offer URL not found"})  # none made
    replaced = {**URL, "network_offer_url_id": 3, "name": "Gift page 2", "network_affiliate_ids": [COUPON_KINGS]}
    status, body, _ = await ef.put("/networks/offerurls/3", replaced)
    assert (status, body["name"], body["network_affiliate_ids"]) == (200, "Gift page 2", [COUPON_KINGS])
    status, body, _ = await ef.put("/networks/offerurls/3", {**replaced, "network_offer_url_id": 4})
    assert (status, body) == (400, {"error": "Invalid network_offer_url_id: 4"})
    status, body, _ = await ef.post("/networks/offerurls", {**URL, "network_affiliate_ids": [99]})
    assert (status, body) == (400, {"error": "Invalid network_affiliate_ids: 99"})


async def test_offer_url_bulk_edit_is_all_or_nothing(ef: EverflowClient) -> None:
    path = "/networks/patch/offerurls/apply"
    edit = {"network_offer_id": OFFER_PUBLIC, "network_offer_url_ids": [1, 2], "fields": [
        {"field_type": "url_status", "field_value": "paused", "operator": "overwrite"},
        {"field_type": "network_affiliate_ids", "field_value": [COUPON_KINGS], "operator": "append"}]}
    for change, error in (({"network_offer_url_ids": [1, 3]}, "Invalid network_offer_url_ids: 3"),
                          ({"fields": [{"field_type": "url_status", "field_value": "gone", "operator": "overwrite"}]},
                           "Invalid value for url_status: gone"),
                          ({"fields": [{"field_type": "name", "operator": "append", "field_value": "x"}]},
                           "Operator append cannot be used on name")):
        assert (await ef.patch(path, {**edit, **change}))[:2] == (400, {"error": error}), change
    _, untouched, _ = await ef.get("/networks/offerurls/1")
    assert (untouched["url_status"], untouched["time_saved"]) == ("active", 1772704800)
    assert (await ef.patch(path, edit))[:2] == (200, {"result": True})
    _, body, _ = await ef.get(f"/networks/offerurls?filter[network_offer_id]={OFFER_PUBLIC}")
    assert [(u["url_status"], u["network_affiliate_ids"]) for u in body["urls"]] == [
        ("paused", [COUPON_KINGS]), ("paused", [BRIGHT_MEDIA, COUPON_KINGS])]
    delete = {**edit, "fields": [{"field_type": "network_affiliate_ids", "field_value": [BRIGHT_MEDIA],
                                  "operator": "delete"}]}
    assert (await ef.patch(path, delete))[:2] == (200, {"result": True})
    assert (await ef.get("/networks/offerurls/2"))[1]["network_affiliate_ids"] == [COUPON_KINGS]


async def test_offer_groups_hold_the_offers_that_name_them(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/offergroups")
    assert status == 200
    group = body["offer_groups"][0]
    assert (group["name"], group["daily_conversion_cap"], group["relationship"]) == ("Acme Core Offers", 500, {
        "advertiser": {"network_advertiser_id": 1, "name": "Acme Brands"},
        "labels": {"total": 1, "entries": ["top-performer"]}, "network_offer_ids": [OFFER_PUBLIC]})
    new = {"network_advertiser_id": 2, "name": "Globex Seasonal", "offer_group_status": "active",
           "network_offer_ids": [OFFER_APPROVAL, OFFER_PAUSED], "labels": ["seasonal"], "monthly_click_cap": 10}
    status, created, _ = await ef.post("/networks/offergroups", new)
    assert status == 200
    assert (created["network_offer_group_id"], created["monthly_click_cap"], created["time_created"]) == (2, 10, NOW)
    assert created["relationship"]["network_offer_ids"] == [OFFER_APPROVAL, OFFER_PAUSED]
    _, offer, _ = await ef.get(f"/networks/offers/{OFFER_APPROVAL}")
    assert offer["network_offer_group_id"] == 2
    status, body, _ = await ef.put("/networks/offergroups/2", {**new, "network_offer_ids": [OFFER_PAUSED]})
    assert (status, body["relationship"]["network_offer_ids"], body["monthly_click_cap"]) == (200, [OFFER_PAUSED], 10)
    assert (await ef.get(f"/networks/offers/{OFFER_APPROVAL}"))[1]["network_offer_group_id"] == 0
    status, body, _ = await ef.put("/networks/offergroups/2", {"network_advertiser_id": 2, "name": "Renamed"})
    assert (body["relationship"]["network_offer_ids"], body["monthly_click_cap"]) == ([OFFER_PAUSED], 0)
    status, table, _ = await ef.post("/networks/offergroupstable", {
        "filters": {"network_advertiser_ids": [2]}, "search_terms": [{"search_type": "name", "value": "REN"}]})
    assert (status, [g["network_offer_group_id"] for g in table["offer_groups"]], table["paging"]["total_count"]) == (
        200, [2], 1)
    assert (await ef.get("/networks/offergroups/9"))[:2] == (404, {"error": "Offer group not found"})
    for body_in, error in (({**new, "network_advertiser_id": 9}, "Invalid network_advertiser_id: 9"),
                           ({**new, "network_offer_ids": [99]}, "Invalid network_offer_ids: 99")):
        assert (await ef.post("/networks/offergroups", body_in))[:2] == (400, {"error": error})
    status, body, _ = await ef.post("/networks/offergroupstable", {"filters": {"labels": ["x"]}})
    assert (status, body) == (400, {"error": "Unknown field(s) in filters: labels"})
