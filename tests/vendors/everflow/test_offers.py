"""Offers: POST/GET /networks/offers, GET/PUT /networks/offers/{id}, POST /networks/offerstable."""
from __future__ import annotations

import pytest

from .conftest import BRIGHT_MEDIA, NOW, OFFER_APPROVAL, OFFER_PAUSED, OFFER_PUBLIC, EverflowClient

OFFER = {"network_advertiser_id": 1, "name": "My CPA Offer",
         "destination_url": "https://example.com/offer?tid={transaction_id}", "currency_id": "USD",
         "offer_status": "active", "visibility": "public", "conversion_method": "server_postback",
         "payout_revenue": [{"payout_type": "cpa", "payout_amount": 2.5, "revenue_type": "rpa", "revenue_amount": 4,
                             "is_default": True}]}


async def test_create_offer_from_the_documented_example(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/offers", OFFER)
    assert status == 200
    assert {k: body[k] for k in ("network_offer_id", "network_id", "network_advertiser_id", "name", "destination_url",
                                 "currency_id", "offer_status", "visibility", "conversion_method",
                                 "session_definition", "session_duration", "redirect_mode", "time_created",
                                 "time_saved")} == {
        "network_offer_id": 5, "network_id": 1, "network_advertiser_id": 1, "name": "My CPA Offer",
        "destination_url": OFFER["destination_url"], "currency_id": "USD", "offer_status": "active",
        "visibility": "public", "conversion_method": "server_postback", "session_definition": "cookie",
        "session_duration": 24, "redirect_mode": "standard", "time_created": NOW, "time_saved": NOW}
    assert body["relationship"]["payout_revenue"] == {"total": 1, "entries": [{
        "network_offer_payout_revenue_id": 5, "entry_name": "", "payout_type": "cpa", "payout_amount": 2.5,
        "payout_percentage": 0, "revenue_type": "rpa", "revenue_amount": 4, "revenue_percentage": 0,
        "is_default": True, "is_private": False, "is_postback_disabled": False, "is_enforce_caps": False,
        "is_must_approve_conversion": False, "is_allow_duplicate_conversion": True}]}


async def test_optional_fields_take_defaults(ef: EverflowClient) -> None:
    """Defaults from a third-party client generated from Everflow's schema."""
    minimal = {k: OFFER[k] for k in ("network_advertiser_id", "name", "destination_url", "offer_status",
                                     "payout_revenue")}
    status, body, _ = await ef.post("/networks/offers", minimal)
    assert status == 200
    assert (body["currency_id"], body["visibility"], body["conversion_method"], body["session_definition"],
            body["session_duration"], body["redirect_mode"]) == (
        "USD", "public", "server_postback", "cookie", 24, "standard")


@pytest.mark.parametrize("change, message", [
    ({"name": None}, "Invalid type for name: expected string"),
    ({"visibility": "hidden"}, "Invalid value for visibility: 'hidden'. Supported values are: public, "
                               "require_approval, private"),
    ({"conversion_method": "fax"}, "Invalid value for conversion_method: 'fax'. Supported values are: server_postback, "
                                   "http_image_pixel, https_image_pixel, http_iframe_pixel, https_iframe_pixel, "
                                   "javascript, cookie_based"),
    ({"payout_revenue": []}, "payout_revenue must contain at least 1 item(s)"),
    ({"payout_revenue": [{"payout_type": "cpa", "revenue_type": "rpa"}]}, "Missing required field payout_revenue[0].is_default"),
    ({"payout_revenue": [{"payout_type": "cpx", "revenue_type": "rpa", "is_default": True}]},
     "Invalid value for payout_revenue[0].payout_type: 'cpx'. Supported values are: cpa, cpc, cpm, cps, cpa_cps, prv"),
    ({"destination_url": "not a url"}, "Invalid uri for destination_url"),
])
async def test_schema_checks(ef: EverflowClient, change: dict, message: str) -> None:
    status, body, _ = await ef.post("/networks/offers", OFFER | change)
    assert (status, body) == (400, {"error": message})


@pytest.mark.parametrize("missing", ["network_advertiser_id", "name", "destination_url", "offer_status",
                                     "payout_revenue"])
async def test_required_fields(ef: EverflowClient, missing: str) -> None:
    body = {k: v for k, v in OFFER.items() if k != missing}
    status, answer, _ = await ef.post("/networks/offers", body)
    assert (status, answer) == (400, {"error": f"Missing required field {missing}"})


@pytest.mark.parametrize("entries", [
    [{"payout_type": "cpa", "revenue_type": "rpa", "is_default": False}],
    [{"payout_type": "cpa", "revenue_type": "rpa", "is_default": True},
     {"payout_type": "cpc", "revenue_type": "rpc", "is_default": True}],
])
async def test_exactly_one_default_payout_revenue_entry(ef: EverflowClient, entries: list) -> None:
    """Guess (the notes): exactly one entry is the default."""
    status, body, _ = await ef.post("/networks/offers", OFFER | {"payout_revenue": entries})
    assert (status, body) == (400, {"error": "Exactly one payout_revenue entry must have is_default set to true"})


@pytest.mark.parametrize("change, message", [
    ({"network_advertiser_id": 99}, "Invalid network_advertiser_id: 99"),
    ({"currency_id": "XYZ"}, "Invalid currency_id: XYZ"),
    ({"caps_timezone_id": 5}, "Invalid caps_timezone_id: 5"),
])
async def test_unknown_references_are_400(ef: EverflowClient, change: dict, message: str) -> None:
    status, body, _ = await ef.post("/networks/offers", OFFER | change)
    assert (status, body) == (400, {"error": message})


async def test_get_offer_with_relationships(ef: EverflowClient) -> None:
    status, body, _ = await ef.get(f"/networks/offers/{OFFER_APPROVAL}?relationship=advertiser,visibility")
    assert status == 200
    assert body["relationship"] == {
        "advertiser": {"network_advertiser_id": 2, "name": "Globex Retail", "network_id": 1,
                       "account_status": "active"},
        "visibility": {"total": 1, "entries": [{"network_affiliate_id": BRIGHT_MEDIA, "visibility": "approved"}]}}
    _, plain, _ = await ef.get(f"/networks/offers/{OFFER_APPROVAL}")
    assert plain["relationship"] == {}


async def test_get_unknown_offer_is_404(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/offers/999")
    assert (status, body) == (404, {"error": "Offer not found"})


async def test_put_is_a_full_replacement_and_keeps_entry_ids_it_is_sent(ef: EverflowClient) -> None:
    _, before, _ = await ef.get(f"/networks/offers/{OFFER_PUBLIC}")
    assert before["labels"] == ["top-performer"]
    status, body, _ = await ef.put(f"/networks/offers/{OFFER_PUBLIC}", {
        "network_advertiser_id": 1, "name": "Acme CPA v2", "destination_url": "https://acme.example/v2",
        "offer_status": "active", "payout_revenue": [
            {"network_offer_payout_revenue_id": 1, "payout_type": "cpa", "payout_amount": 3, "revenue_type": "rpa",
             "revenue_amount": 5, "is_default": True},
            {"payout_type": "cpc", "revenue_type": "rpc", "payout_amount": 0.1, "is_default": False}]})
    assert status == 200
    assert (body["name"], body["labels"], body["time_saved"]) == ("Acme CPA v2", [], NOW)
    assert [e["network_offer_payout_revenue_id"] for e in body["relationship"]["payout_revenue"]["entries"]] == [1, 5]


async def test_list_offers_with_paging_and_filter(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/offers?page_size=2")
    assert status == 200
    assert [o["network_offer_id"] for o in body["offers"]] == [OFFER_PUBLIC, OFFER_APPROVAL]
    assert body["paging"] == {"page": 1, "page_size": 2, "total_count": 4}
    _, paused, _ = await ef.get("/networks/offers?filter=offer_status%3Dpaused")
    assert [o["network_offer_id"] for o in paused["offers"]] == [OFFER_PAUSED]


@pytest.mark.parametrize("body, ids", [
    ({"search_terms": [{"search_type": "name", "value": "offer"}]}, [1, 2, 3, 4]),
    ({"search_terms": [{"search_type": "advertiser_name", "value": "globex"}]}, [2, 4]),
    ({"search_terms": [{"search_type": "encoded_value", "value": "2LQC3F"}]}, [1]),
    ({"filters": {"visibilities": ["private", "require_approval"]}}, [2, 3]),
    ({"filters": {"offer_status": "paused"}}, [4]),
    ({"filters": {"network_advertiser_ids": [1], "payout_types": ["cpa"]}}, [1, 3]),
    ({"filters": {"revenue_types": ["rps"]}}, [2]),
    ({"filters": {"labels": ["top-performer"]}}, [1]),
])
async def test_offerstable_search(ef: EverflowClient, body: dict, ids: list[int]) -> None:
    status, answer, _ = await ef.post("/networks/offerstable", body)
    assert status == 200
    assert [o["network_offer_id"] for o in answer["offers"]] == ids


async def test_offerstable_rows_carry_the_default_payout_and_revenue(ef: EverflowClient) -> None:
    _, body, _ = await ef.post("/networks/offerstable?page=1&page_size=1", {})
    row = body["offers"][0]
    assert row["payout"] == {"payout_type": "cpa", "payout_amount": 2.5, "payout_percentage": 0}
    assert row["revenue"] == {"revenue_type": "rpa", "revenue_amount": 4, "revenue_percentage": 0}
    assert body["paging"] == {"page": 1, "page_size": 1, "total_count": 4}


async def test_the_quickstart_path_offers_table_searches_the_same_way(ef: EverflowClient) -> None:
    """Documented in the live quickstart: POST /networks/offers/table with a body paging object."""
    status, body, _ = await ef.post("/networks/offers/table", {"filters": {"offer_status": "active"},
                                                                "paging": {"page": 1, "page_size": 10}})
    assert status == 200
    assert [o["network_offer_id"] for o in body["offers"]] == [1, 2, 3]
    assert body["paging"] == {"page": 1, "page_size": 10, "total_count": 3}
