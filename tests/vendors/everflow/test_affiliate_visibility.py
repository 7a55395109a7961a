"""Affiliate extras: tracking URLs, referrals, runnable offer ids, offer visibility (both directions and the table),
terms-and-conditions acceptance."""
from __future__ import annotations

from .conftest import (
    BRIGHT_MEDIA,
    COUPON_KINGS,
    DORMANT,
    NOW,
    OFFER_APPROVAL,
    OFFER_PAUSED,
    OFFER_PRIVATE,
    OFFER_PUBLIC,
    EverflowClient,
)

RUNNABLE = "/networks/offers/runnable/affiliate/ids?network_affiliate_id={}"


async def test_tracking_urls_are_the_links_of_the_runnable_offers(ef: EverflowClient) -> None:
    status, body, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}/trackingurls")
    assert status == 200
    links = []
    for offer_id in (OFFER_PUBLIC, OFFER_APPROVAL):
        _, link, _ = await ef.post("/networks/tracking/offers/clicks",
                                   {"network_offer_id": offer_id, "network_affiliate_id": BRIGHT_MEDIA})
        links.append(link["url"])
    assert body == {"tracking_urls": [
        {"network_offer_id": OFFER_PUBLIC, "name": "Acme CPA Offer", "offer_status": "active", "url": links[0]},
        {"network_offer_id": OFFER_APPROVAL, "name": "Globex Approval Offer", "offer_status": "active",
         "url": links[1]}]}
    status, body, _ = await ef.get(f"/networks/affiliates/{DORMANT}/trackingurls")
    assert (status, body) == (200, {"tracking_urls": []})  # an inactive affiliate runs nothing
    status, body, _ = await ef.get("/networks/affiliates/99/trackingurls")
    assert (status, body) == (404, {"error": "Affiliate not found"})


async def test_runnable_offer_ids(ef: EverflowClient) -> None:
    assert (await ef.get(RUNNABLE.format(BRIGHT_MEDIA)))[:2] == (200, {"offer_ids": [OFFER_PUBLIC, OFFER_APPROVAL]})
    assert (await ef.get(RUNNABLE.format(COUPON_KINGS)))[:2] == (200, {"offer_ids": [OFFER_PUBLIC]})
    assert (await ef.get(RUNNABLE.format(99)))[:2] == (404, {"error": "Affiliate not found"})
    status, body, _ = await ef.get("/networks/offers/runnable/affiliate/ids")
    assert (status, body) == (400, {"error": "Missing required field network_affiliate_id"})


async def test_offer_visibility_sets_decide_who_can_run_the_offer(ef: EverflowClient) -> None:
    status, body, _ = await ef.get(f"/networks/offers/{OFFER_APPROVAL}/visibility")
    assert (status, body) == (200, {"network_id": 1, "network_offer_id": OFFER_APPROVAL,
                                    "network_affiliate_visible_ids": [BRIGHT_MEDIA],
                                    "network_affiliate_rejected_ids": [COUPON_KINGS],
                                    "network_affiliate_hidden_ids": []})
    # Hiding a public offer from an affiliate takes its tracking link away.
    status, body, _ = await ef.put(f"/networks/offers/{OFFER_PUBLIC}/visibility",
                                   {"network_affiliate_ids": [COUPON_KINGS], "set_type": "hidden"})
    assert (status, body["network_affiliate_hidden_ids"], body["network_affiliate_visible_ids"]) == (
        200, [COUPON_KINGS], [])
    status, refused, _ = await ef.post("/networks/tracking/offers/clicks",
                                       {"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": COUPON_KINGS})
    assert (status, refused) == (400, {"error": "Affiliate does not have access to this offer"})
    assert (await ef.get(RUNNABLE.format(COUPON_KINGS)))[1] == {"offer_ids": []}
    # Overwriting the visible set of the private offer approves exactly the listed affiliates.
    status, body, _ = await ef.put(f"/networks/offers/{OFFER_PRIVATE}/visibility",
                                   {"network_affiliate_ids": [COUPON_KINGS, BRIGHT_MEDIA], "set_type": "visible"})
    assert (status, body["network_affiliate_visible_ids"]) == (200, [COUPON_KINGS, BRIGHT_MEDIA])
    status, body, _ = await ef.put(f"/networks/offers/{OFFER_PRIVATE}/visibility",
                                   {"network_affiliate_ids": [BRIGHT_MEDIA], "set_type": "visible"})
    assert body["network_affiliate_visible_ids"] == [BRIGHT_MEDIA]
    assert (await ef.get(RUNNABLE.format(BRIGHT_MEDIA)))[1] == {
        "offer_ids": [OFFER_PUBLIC, OFFER_APPROVAL, OFFER_PRIVATE]}
    status, body, _ = await ef.put(f"/networks/offers/{OFFER_PRIVATE}/visibility",
                                   {"network_affiliate_ids": [99], "set_type": "visible"})
    assert (status, body) == (400, {"error": "Invalid network_affiliate_ids: 99"})
    status, body, _ = await ef.put(f"/networks/offers/{OFFER_PRIVATE}/visibility",
                                   {"network_affiliate_ids": [1], "set_type": "rejected"})
    assert (status, body) == (400, {"error": "Invalid value for set_type: 'rejected'. "
                                             "Supported values are: visible, hidden"})
    assert (await ef.get("/networks/offers/99/visibility"))[:2] == (404, {"error": "Offer not found"})


async def test_affiliate_side_visibility_and_the_table(ef: EverflowClient) -> None:
    path = f"/networks/affiliates/{COUPON_KINGS}/offers/visibility"
    status, body, _ = await ef.patch(path, {"network_offer_ids": [OFFER_PRIVATE, 99], "visibility_type": "visible"})
    assert (status, body) == (400, {"error": "Invalid network_offer_ids: 99"})
    status, body, _ = await ef.patch(path, {"network_offer_ids": [OFFER_PRIVATE, OFFER_APPROVAL],
                                            "visibility_type": "visible"})
    assert (status, body) == (200, {"result": True})
    assert (await ef.get(RUNNABLE.format(COUPON_KINGS)))[1] == {
        "offer_ids": [OFFER_PUBLIC, OFFER_APPROVAL, OFFER_PRIVATE]}  # the rejection is replaced by an approval
    status, body, _ = await ef.patch(path, {"network_offer_ids": [OFFER_PUBLIC], "visibility_type": "hidden"})
    assert (await ef.get(RUNNABLE.format(COUPON_KINGS)))[1] == {"offer_ids": [OFFER_APPROVAL, OFFER_PRIVATE]}

    table = "/networks/offers/visibility/table"
    status, body, _ = await ef.post(table, {"filters": {"network_affiliate_ids": [COUPON_KINGS]}})
    assert status == 200
    assert [(r["network_offer_id"], r["visibility_status"]) for r in body["visibility"]] == [
        (OFFER_PUBLIC, "hidden"), (OFFER_APPROVAL, "visible"), (OFFER_PRIVATE, "visible"), (OFFER_PAUSED, "hidden")]
    assert body["visibility"][0] == {"network_offer_id": OFFER_PUBLIC, "offer_name": "Acme CPA Offer",
                                     "offer_visibility": "public", "network_affiliate_id": COUPON_KINGS,
                                     "affiliate_name": "Coupon Kings", "visibility_status": "hidden"}
    status, body, _ = await ef.post(table, {"filters": {"visibility_statuses": ["visible"]},
                                            "search_terms": [{"search_type": "affiliate_name", "value": "bright"}]})
    assert [(r["network_offer_id"], r["network_affiliate_id"]) for r in body["visibility"]] == [
        (OFFER_APPROVAL, BRIGHT_MEDIA)]
    status, body, _ = await ef.post(table, {"filters": {"offer_status": "active"}})
    assert (status, body) == (400, {"error": "Unknown field(s) in filters: offer_status"})


async def test_referral_sets_the_referrer(ef: EverflowClient) -> None:
    path = f"/networks/affiliates/{DORMANT}/referrals"
    assert (await ef.post(path, {"referring_affiliate_id": COUPON_KINGS}))[:2] == (200, {"result": True})
    status, body, _ = await ef.get(f"/networks/affiliates/{DORMANT}?relationship=referrer")
    assert (body["referrer_id"], body["relationship"]["referrer"], body["time_saved"]) == (
        COUPON_KINGS, {"network_affiliate_id": COUPON_KINGS, "name": "Coupon Kings"}, NOW)
    for referrer in (DORMANT, 99):
        status, body, _ = await ef.post(path, {"referring_affiliate_id": referrer})
        assert (status, body) == (400, {"error": f"Invalid referring_affiliate_id: {referrer}"})
    assert (await ef.post("/networks/affiliates/99/referrals", {"referring_affiliate_id": 1}))[:2] == (
        404, {"error": "Affiliate not found"})


async def test_terms_acceptance_of_the_current_version(ef: EverflowClient) -> None:
    path = "/networks/affiliates/{}/termsconditions/acceptance"
    assert (await ef.get(path.format(BRIGHT_MEDIA)))[:2] == (200, {
        "network_affiliate_id": BRIGHT_MEDIA, "accepted": True, "accepted_version": 2, "time_accepted": 1772355600})
    assert (await ef.get(path.format(COUPON_KINGS)))[:2] == (200, {  # accepted an older version
        "network_affiliate_id": COUPON_KINGS, "accepted": False, "accepted_version": 1, "time_accepted": 1769936400})
    assert (await ef.get(path.format(DORMANT)))[:2] == (200, {  # never: zero values
        "network_affiliate_id": DORMANT, "accepted": False, "accepted_version": 0, "time_accepted": 0})
    assert (await ef.put(path.format(COUPON_KINGS), {"accepted": True}))[:2] == (200, {"result": True})
    assert (await ef.get(path.format(COUPON_KINGS)))[1] == {
        "network_affiliate_id": COUPON_KINGS, "accepted": True, "accepted_version": 2, "time_accepted": NOW}
    assert (await ef.put(path.format(BRIGHT_MEDIA), {"accepted": False}))[:2] == (200, {"result": True})
    table = "/networks/affiliates/termsconditions/acceptance/table"
    status, body, _ = await ef.post(table, {"filters": {"accepted": True}})
    assert (status, body) == (200, {"acceptances": [
        {"network_affiliate_id": COUPON_KINGS, "accepted": True, "accepted_version": 2, "time_accepted": NOW,
         "name": "Coupon Kings", "account_status": "active"}], "paging": {"page": 1, "page_size": 50, "total_count": 1}})
    status, body, _ = await ef.post(table, {"search_terms": [{"search_type": "name", "value": "dEaLs"}]})
    assert [r["network_affiliate_id"] for r in body["acceptances"]] == [DORMANT]
    assert (await ef.put(path.format(BRIGHT_MEDIA), {"accepted": "yes"}))[:2] == (
        400, {"error": "Invalid type for accepted: expected boolean"})
    assert (await ef.get(path.format(99)))[:2] == (404, {"error": "Affiliate not found"})
