"""Documented (request-response-format, "Null handling"): fields without a value take their zero value rather
than null - [] for arrays, "" for strings, 0 for numbers; a missing related object is sent as {} (guess)."""
from __future__ import annotations

from typing import Any

import pytest

from .conftest import DORMANT, PENDING, EverflowClient

PIXEL = {"network_affiliate_id": DORMANT, "delivery_method": "postback", "pixel_level": "global",
         "pixel_status": "active", "pixel_type": "conversion", "postback_url": "https://example.com/pb"}


def nulls(value: Any, path: str = "") -> list[str]:
    """Every path in a JSON value that holds null."""
    if value is None:
        return [path or "."]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in nulls(v, f"{path}[{i}]")]
    return []


@pytest.mark.parametrize("path", [
    "/networks/labels",
    "/networks/affiliatetiers",
    f"/networks/affiliates/{DORMANT}?relationship=billing&relationship=signup&relationship=referrer"
    "&relationship=users&relationship=referral_link",
    f"/networks/affiliates/{PENDING}?relationship=signup&relationship=billing",
    "/networks/affiliates?relationship=billing&relationship=signup&relationship=referrer&page_size=100",
    "/networks/offers?relationship=advertiser&relationship=payout_revenue&relationship=visibility",
    "/networks/pixels",
    "/networks/billings/affiliates/invoices/1?relationship=line_items&relationship=payments&relationship=affiliate",
    f"/networks/affiliates/{DORMANT}/termsconditions/acceptance",
    "/networks/offers/3/visibility",
    "/networks/offers/2/forwardingrule",
    "/networks/offers/2/payoutrevenue",
    "/networks/offergroups",
    "/networks/signup/affiliate",
    "/networks/signup/advertiser",
    "/networks/reporting/currencyrates",
    "/networks/offerurls",
])
async def test_reads_carry_no_null(ef: EverflowClient, path: str) -> None:
    status, body, _ = await ef.get(path)
    assert status == 200
    assert nulls(body) == []


async def test_new_tier_label_and_global_pixel_carry_no_null(ef: EverflowClient) -> None:
    _, tier, _ = await ef.post("/networks/affiliatetiers", {"name": "Empty", "status": "active",
                                                             "payout_margin": 0, "is_default_tier": False})
    assert tier["network_affiliate_ids"] == [] and nulls(tier) == []
    await ef.post("/networks/labels", {"label": "lonely"})
    _, labels, _ = await ef.get("/networks/labels")
    lonely = next(row for row in labels["labels"] if row["label"] == "lonely")
    assert (lonely["advertiser_ids"], lonely["affiliate_ids"], lonely["offer_ids"]) == ([], [], [])
    status, pixel, _ = await ef.post("/networks/pixels", PIXEL)
    assert status == 200
    assert pixel["relationship"]["offer"] == {} and nulls(pixel) == []
    _, found, _ = await ef.post("/networks/pixelstable", {})
    assert nulls(found) == []
