"""Postbacks: POST /networks/pixels, GET/PUT /networks/pixels/{id}, POST /networks/pixelstable."""
from __future__ import annotations

import pytest

from .conftest import BRIGHT_MEDIA, COUPON_KINGS, NOW, OFFER_APPROVAL, OFFER_PUBLIC, EverflowClient

PIXEL = {"network_affiliate_id": BRIGHT_MEDIA, "network_offer_id": OFFER_APPROVAL, "delivery_method": "postback",
         "pixel_level": "specific", "pixel_status": "active", "pixel_type": "conversion",
         "postback_url": "https://example.com/postback?tid={transaction_id}",
         "description": "Conversion postback for affiliate 1"}


async def test_create_pixel_returns_the_live_object(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/pixels", PIXEL)
    assert status == 200
    assert body == {
        "network_pixel_id": 3, "network_id": 1, "network_affiliate_id": BRIGHT_MEDIA,
        "network_offer_id": OFFER_APPROVAL, "network_offer_payout_revenue_id": 0, "delivery_method": "postback",
        "pixel_level": "specific", "pixel_status": "active", "pixel_type": "conversion",
        "postback_url": PIXEL["postback_url"], "html_code": "", "description": PIXEL["description"],
        "delay_ms": 0, "time_created": NOW, "time_saved": NOW,
        "relationship": body["relationship"]}
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}")
    _, offer, _ = await ef.get(f"/networks/offers/{OFFER_APPROVAL}")
    assert body["relationship"] == {
        "affiliate": {k: v for k, v in affiliate.items() if k != "relationship"},
        "offer": {k: v for k, v in offer.items() if k != "relationship"}}
    status, again, _ = await ef.get("/networks/pixels/3")
    assert (status, again) == (200, body)


async def test_global_pixel_is_stored_without_an_offer(ef: EverflowClient) -> None:
    _, body, _ = await ef.post("/networks/pixels", PIXEL | {"pixel_level": "global"})
    assert (body["network_offer_id"], body["relationship"]["offer"]) == (0, {})


@pytest.mark.parametrize("change, message", [
    ({"network_affiliate_id": 99}, "Invalid network_affiliate_id: 99"),
    ({"network_offer_id": 99}, "Invalid network_offer_id: 99"),
    ({"network_offer_id": 0}, "Invalid network_offer_id: 0"),
    ({"postback_url": ""}, "postback_url is required when delivery_method is postback"),
    ({"delivery_method": "html"}, "html_code is required when delivery_method is html"),
    ({"network_offer_payout_revenue_id": 1}, "Invalid network_offer_payout_revenue_id: 1"),
    ({"pixel_level": "offer"}, "Invalid value for pixel_level: 'offer'. Supported values are: global, specific"),
    ({"pixel_type": "click"}, "Invalid value for pixel_type: 'click'. Supported values are: conversion, "
                              "post_conversion, cpc"),
])
async def test_create_checks(ef: EverflowClient, change: dict, message: str) -> None:
    """Guessed rules (see the spec's note), documented enums."""
    status, body, _ = await ef.post("/networks/pixels", PIXEL | change)
    assert (status, body) == (400, {"error": message})


async def test_payout_revenue_entry_of_the_offer_is_accepted(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/pixels", PIXEL | {"network_offer_payout_revenue_id": 2})
    assert (status, body["network_offer_payout_revenue_id"]) == (200, 2)


async def test_get_unknown_pixel_is_404(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/pixels/99")
    assert (status, body) == (404, {"error": "Pixel not found"})


async def test_put_replaces_the_pixel(ef: EverflowClient) -> None:
    status, body, _ = await ef.put("/networks/pixels/1", PIXEL | {"pixel_status": "inactive", "delay_ms": 500})
    assert status == 200
    assert (body["pixel_status"], body["delay_ms"], body["network_offer_id"], body["time_saved"]) == (
        "inactive", 500, OFFER_APPROVAL, NOW)
    status, body, _ = await ef.put("/networks/pixels/99", PIXEL)
    assert (status, body) == (404, {"error": "Pixel not found"})


@pytest.mark.parametrize("body, ids", [
    ({}, [1, 2]),
    ({"filters": {"network_offer_ids": [OFFER_PUBLIC]}}, [1, 2]),  # documented: global postbacks show up
    ({"filters": {"network_offer_ids": [OFFER_APPROVAL]}}, [2]),
    ({"filters": {"network_affiliate_ids": [COUPON_KINGS]}}, [2]),
    ({"filters": {"pixel_status": "inactive"}}, []),
    ({"filters": {"offer_status": "active"}}, [1, 2]),  # the older docs' name of the status filter
    ({"search_terms": [{"search_type": "pixel_id", "value": "2"}]}, [2]),
    ({"search_terms": [{"search_type": "description", "value": "bright"}]}, [1]),
    ({"search_terms": [{"search_type": "payload", "value": "couponkings.example"}]}, [2]),
])
async def test_pixelstable_search(ef: EverflowClient, body: dict, ids: list[int]) -> None:
    status, answer, _ = await ef.post("/networks/pixelstable", body)
    assert status == 200
    assert [p["network_pixel_id"] for p in answer["pixels"]] == ids


async def test_pixelstable_paging_in_the_body(ef: EverflowClient) -> None:
    _, body, _ = await ef.post("/networks/pixelstable", {"paging": {"page": 2, "page_size": 1}})
    assert [p["network_pixel_id"] for p in body["pixels"]] == [2]
    assert body["paging"] == {"page": 2, "page_size": 1, "total_count": 2}


async def test_list_pixels_with_paging_and_filter(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/pixels?page_size=1")
    assert status == 200
    assert ([p["network_pixel_id"] for p in body["pixels"]], body["paging"]) == (
        [1], {"page": 1, "page_size": 1, "total_count": 2})
    _, filtered, _ = await ef.get(f"/networks/pixels?filter=network_affiliate_id%3D{COUPON_KINGS}")
    assert [p["network_pixel_id"] for p in filtered["pixels"]] == [2]


async def test_delete_pixel(ef: EverflowClient) -> None:
    status, body, _ = await ef.delete("/networks/pixels/1")
    assert (status, body) == (200, {"result": True})
    status, body, _ = await ef.get("/networks/pixels/1")
    assert (status, body) == (404, {"error": "Pixel not found"})
    status, body, _ = await ef.delete("/networks/pixels/1")
    assert (status, body) == (404, {"error": "Pixel not found"})


async def _third_pixel(ef: EverflowClient) -> None:
    """Pixel 3: Bright Media, specific to offer 2, inactive, post_conversion."""
    status, _, _ = await ef.post("/networks/pixels", PIXEL | {"pixel_status": "inactive",
                                                              "pixel_type": "post_conversion"})
    assert status == 200


@pytest.mark.parametrize("body, ids", [
    # the draft docs' example: a filter per field with values + comparison, and a sort
    ({"filters": {"network_offer_id": {"values": [OFFER_APPROVAL], "comparison": "is"}},
      "paging": {"page": 1, "page_size": 50}, "sort": {"field": "time_created", "direction": "desc"}}, [3, 2]),
    ({"filters": {"network_offer_id": {"values": [OFFER_PUBLIC]}}}, [1, 2]),
    ({"filters": {"network_affiliate_id": {"values": [BRIGHT_MEDIA], "comparison": "is_not"}}}, [2]),
    ({"filters": {"pixel_status": {"values": ["inactive"]}}}, [3]),
    ({"filters": {"pixel_type": {"values": ["conversion"], "comparison": "is_not"}}}, [3]),
    ({"filters": {"pixel_level": {"values": ["global"]}}}, [2]),
    ({"filters": {"network_pixel_id": {"values": [1, 3]}}}, [1, 3]),
    ({"sort": {"field": "network_pixel_id", "direction": "desc"}}, [3, 2, 1]),
    ({"sort": {"field": "network_affiliate_id"}}, [1, 3, 2]),
    ({"sort": {"field": "time_created", "direction": "asc"}}, [1, 2, 3]),
])
async def test_pixelstable_draft_filters_and_sort_are_applied(ef: EverflowClient, body: dict, ids: list[int]) -> None:
    await _third_pixel(ef)
    status, answer, _ = await ef.post("/networks/pixelstable", body)
    assert status == 200
    assert [p["network_pixel_id"] for p in answer["pixels"]] == ids
    assert answer["paging"]["total_count"] == len(ids)


@pytest.mark.parametrize("body, message", [
    ({"filters": {"offer_name": {"values": ["x"]}}}, "Unknown field(s) in filters: offer_name"),
    ({"filters": {"network_offer_id": {"values": [1], "comparison": "contains"}}},
     "Invalid value for filters.network_offer_id.comparison: 'contains'. Supported values are: is, is_not"),
    ({"filters": {"network_offer_id": {"values": []}}}, "filters.network_offer_id.values must contain at least 1 item(s)"),
    ({"sort": {"field": "payout"}}, "Invalid value for sort.field: 'payout'. Supported values are: network_pixel_id, "
                                    "network_offer_id, network_affiliate_id, pixel_status, pixel_type, pixel_level, "
                                    "delivery_method, description, time_created, time_saved"),
    ({"sort": {"field": "time_created", "direction": "down"}},
     "Invalid value for sort.direction: 'down'. Supported values are: asc, desc"),
    ({"sort": {"field": "time_created", "order": "desc"}}, "Unknown field(s) in sort: order"),
    ({"sort": {"direction": "desc"}}, "Missing required field sort.field"),
])
async def test_pixelstable_unknown_filter_or_sort_is_400_never_ignored(ef: EverflowClient, body: dict,
                                                                        message: str) -> None:
    status, answer, _ = await ef.post("/networks/pixelstable", body)
    assert (status, answer) == (400, {"error": message})
