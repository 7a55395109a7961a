"""POST /networks/tracking/offers/clicks: tracking links, and who may have one."""
from __future__ import annotations

import pytest

from .conftest import (
    BRIGHT_MEDIA,
    COUPON_KINGS,
    DORMANT,
    OFFER_APPROVAL,
    OFFER_PRIVATE,
    OFFER_PUBLIC,
    PENDING,
    SUSPENDED,
    EverflowClient,
)


async def test_link_for_an_active_affiliate_on_a_public_offer(ef: EverflowClient) -> None:
    """The url key is documented; its format (tracking domain, encoded offer, encoded affiliate) is a guess."""
    status, body, _ = await ef.post("/networks/tracking/offers/clicks",
                                    {"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": BRIGHT_MEDIA})
    assert (status, body) == (200, {"url": "https://www.example-track.com/2LQC3F/3MQDQ8/"})


async def test_sub_parameters_go_on_the_link(ef: EverflowClient) -> None:
    _, body, _ = await ef.post("/networks/tracking/offers/clicks", {
        "network_offer_id": OFFER_PUBLIC, "network_affiliate_id": COUPON_KINGS, "sub1": "news letter",
        "sub3": "x", "source_id": "blog"})
    assert body == {"url": "https://www.example-track.com/2LQC3F/7KQ2ZD/?sub1=news+letter&sub3=x&source_id=blog"}


async def test_approved_affiliate_gets_a_link_on_a_require_approval_offer(ef: EverflowClient) -> None:
    status, _, _ = await ef.post("/networks/tracking/offers/clicks",
                                 {"network_offer_id": OFFER_APPROVAL, "network_affiliate_id": BRIGHT_MEDIA})
    assert status == 200


@pytest.mark.parametrize("offer_id, affiliate_id", [(OFFER_APPROVAL, COUPON_KINGS), (OFFER_PRIVATE, BRIGHT_MEDIA)])
async def test_offer_not_visible_to_the_affiliate_is_400(ef: EverflowClient, offer_id: int, affiliate_id: int) -> None:
    """The rule is documented; the status and message are guesses."""
    status, body, _ = await ef.post("/networks/tracking/offers/clicks",
                                    {"network_offer_id": offer_id, "network_affiliate_id": affiliate_id})
    assert (status, body) == (400, {"error": "Affiliate does not have access to this offer"})


@pytest.mark.parametrize("affiliate_id", [DORMANT, PENDING, SUSPENDED])
async def test_affiliate_that_is_not_active_is_400(ef: EverflowClient, affiliate_id: int) -> None:
    status, body, _ = await ef.post("/networks/tracking/offers/clicks",
                                    {"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": affiliate_id})
    assert (status, body) == (400, {"error": "Affiliate is not active"})


async def test_unknown_offer_or_affiliate_is_404(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/tracking/offers/clicks",
                                    {"network_offer_id": 999, "network_affiliate_id": BRIGHT_MEDIA})
    assert (status, body) == (404, {"error": "Offer not found"})
    status, body, _ = await ef.post("/networks/tracking/offers/clicks",
                                    {"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": 999})
    assert (status, body) == (404, {"error": "Affiliate not found"})


async def test_both_ids_are_required(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/tracking/offers/clicks", {"network_offer_id": OFFER_PUBLIC})
    assert (status, body) == (400, {"error": "Missing required field network_affiliate_id"})


async def test_approving_a_signup_lets_it_get_links(ef: EverflowClient) -> None:
    await ef.patch("/networks/affiliates/pending", {"network_affiliate_ids": [PENDING], "action": "approve"})
    status, _, _ = await ef.post("/networks/tracking/offers/clicks",
                                 {"network_offer_id": OFFER_PUBLIC, "network_affiliate_id": PENDING})
    assert status == 200
