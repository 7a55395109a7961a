"""GET|POST /campaigns, GET|PUT /campaigns/{id}."""
from __future__ import annotations

import re

from .conftest import (
    CAMP_COUPON,
    CAMP_DEFAULT,
    COUPON_CAMPAIGN,
    DEFAULT_CAMPAIGN,
    JANE,
    JANE_AFFILIATE,
    NOW,
    SAM,
    UNKNOWN,
    PromoteKitClient,
    campaign,
    error,
)

LINK = {"name": "Spring", "commission_type": "percentage", "commission_amount": 30, "code_mode": "link",
        "website_url": "https://spring.example"}
COUPON = {"name": "Coupons", "commission_type": "fixed", "commission_amount": 12.5, "code_mode": "coupon",
          "reference_coupon": "SPRING10"}


async def test_create_returns_200_and_the_full_campaign(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/campaigns", LINK)
    assert status == 200  # guess: 200 on create, as affiliates document
    assert body == {"success": True, "data": campaign(
        id=body["data"]["id"], name="Spring", created_at=NOW, website_url="https://spring.example",
        commission_type="percentage", commission_amount=30, is_default=False, code_mode="link")}
    status, got, _ = await pk.get(f"/campaigns/{body['data']['id']}")
    assert (status, got) == (200, body)


async def test_fractional_fixed_amount_is_kept(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/campaigns", COUPON)
    assert (status, body["data"]["commission_amount"], body["data"]["website_url"]) == (200, 12.5, None)


async def test_link_and_both_need_website_url(pk: PromoteKitClient) -> None:
    link = {k: v for k, v in LINK.items() if k != "website_url"}
    status, body, _ = await pk.post("/campaigns", link)
    assert (status, body) == (400, error("website_url is required when code_mode is link or both"))
    status, body, _ = await pk.post("/campaigns", COUPON | {"code_mode": "both"})
    assert (status, body) == (400, error("website_url is required when code_mode is link or both"))


async def test_coupon_and_both_need_reference_coupon(pk: PromoteKitClient) -> None:
    coupon = {k: v for k, v in COUPON.items() if k != "reference_coupon"}
    status, body, _ = await pk.post("/campaigns", coupon)
    assert (status, body) == (400, error("reference_coupon is required when code_mode is coupon or both"))
    status, body, _ = await pk.post("/campaigns", LINK | {"code_mode": "both"})
    assert (status, body) == (400, error("reference_coupon is required when code_mode is coupon or both"))
    status, body, _ = await pk.post("/campaigns", LINK | {"code_mode": "both", "reference_coupon": "X1"})
    assert (status, body["data"]["code_mode"]) == (200, "both")


async def test_enums_and_required_fields(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/campaigns", LINK | {"commission_type": "flat"})
    assert (status, body) == (400, error("commission_type must be one of: percentage, fixed"))
    status, body, _ = await pk.post("/campaigns", LINK | {"code_mode": "qr"})
    assert (status, body) == (400, error("code_mode must be one of: link, coupon, both"))
    status, body, _ = await pk.post("/campaigns", {k: v for k, v in LINK.items() if k != "name"})
    assert (status, body) == (400, error("name is required"))
    status, body, _ = await pk.post("/campaigns", LINK | {"commission_amount": "20"})
    assert (status, body) == (400, error("commission_amount must be a number"))


async def test_commission_amount_bounds(pk: PromoteKitClient) -> None:  # guess: the docs give none
    status, body, _ = await pk.post("/campaigns", LINK | {"commission_amount": -1})
    assert (status, body) == (400, error("commission_amount must be at least 0"))
    status, body, _ = await pk.post("/campaigns", LINK | {"commission_amount": 101})
    assert (status, body) == (400, error("commission_amount cannot be more than 100 for a percentage commission"))
    status, _, _ = await pk.post("/campaigns", COUPON | {"commission_amount": 150})  # fixed $150 is fine
    assert status == 200


async def test_one_default_campaign_at_a_time(pk: PromoteKitClient) -> None:  # guess
    status, body, _ = await pk.post("/campaigns", LINK | {"is_default": True})
    assert (status, body["data"]["is_default"]) == (200, True)
    _, old, _ = await pk.get(f"/campaigns/{CAMP_DEFAULT}")
    assert old["data"]["is_default"] is False
    # new affiliates without campaign_id now go to the new default (documented)
    _, affiliate, _ = await pk.post("/affiliates", {"email": "n@example.com", "first_name": "N", "last_name": "M"})
    assert affiliate["data"]["campaign"]["id"] == body["data"]["id"]
    status, moved, _ = await pk.put(f"/campaigns/{CAMP_COUPON}", {"is_default": True})
    assert (status, moved["data"]["is_default"]) == (200, True)
    _, listed, _ = await pk.get("/campaigns")
    assert [c["id"] for c in listed["data"] if c["is_default"]] == [CAMP_COUPON]


async def test_list_and_get(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.get("/campaigns")
    assert (status, body) == (200, {"success": True, "data": [COUPON_CAMPAIGN, DEFAULT_CAMPAIGN], "pagination": {
        "page": 1, "limit": 10, "total_count": 2, "total_pages": 1, "has_more": False}})
    status, body, _ = await pk.get("/campaigns?limit=1&page=2")
    assert (status, [c["id"] for c in body["data"]], body["pagination"]["has_more"]) == (200, [CAMP_DEFAULT], False)
    status, body, _ = await pk.get(f"/campaigns/{CAMP_COUPON}")
    assert (status, body) == (200, {"success": True, "data": COUPON_CAMPAIGN})


async def test_get_unknown_is_404_and_bad_id_400(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.get(f"/campaigns/{UNKNOWN}")
    assert (status, body) == (404, error("Campaign not found", "not_found"))
    status, body, _ = await pk.get("/campaigns/default")
    assert (status, body) == (400, error("id must be a valid UUID"))


async def test_put_is_partial(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.put(f"/campaigns/{CAMP_DEFAULT}", {"commission_amount": 25, "name": "Main"})
    assert (status, body) == (200, {"success": True, "data": DEFAULT_CAMPAIGN | {
        "commission_amount": 25, "name": "Main"}})


async def test_put_checks_the_resulting_campaign(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.put(f"/campaigns/{CAMP_DEFAULT}", {"code_mode": "coupon"})
    assert (status, body) == (400, error("reference_coupon is required when code_mode is coupon or both"))
    status, body, _ = await pk.put(f"/campaigns/{CAMP_COUPON}", {"commission_type": "percentage",
                                                                "commission_amount": 120})
    assert (status, body) == (400, error("commission_amount cannot be more than 100 for a percentage commission"))
    _, unchanged, _ = await pk.get(f"/campaigns/{CAMP_COUPON}")
    assert unchanged["data"] == COUPON_CAMPAIGN


async def test_put_unknown_is_404(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.put(f"/campaigns/{UNKNOWN}", {"name": "X"})
    assert (status, body) == (404, error("Campaign not found", "not_found"))


async def test_switching_to_both_adds_links_and_promo_codes(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.put(f"/campaigns/{CAMP_DEFAULT}", {"code_mode": "both", "reference_coupon": "MAIN5"})
    assert status == 200
    _, jane, _ = await pk.get("/affiliates?ref_code=jane")
    data = jane["data"][0]
    assert data["links"] == [{"url": "https://acme.example?via=jane", "code": "jane"}]
    assert re.fullmatch(r"JANE\d{2}", data["promo_codes"][0]["code"])  # guess: minted for existing affiliates


async def test_switching_to_link_hides_promo_codes_and_shows_links(pk: PromoteKitClient) -> None:
    status, _, _ = await pk.put(f"/campaigns/{CAMP_COUPON}", {"code_mode": "link", "website_url": "https://pod.example"})
    assert status == 200
    _, sam, _ = await pk.get(f"/affiliates/{SAM}")
    assert (sam["data"]["links"], sam["data"]["promo_codes"]) == (
        [{"url": "https://pod.example?via=sam", "code": "sam"}], [])


async def test_affiliates_show_their_campaign_as_it_is_now(pk: PromoteKitClient) -> None:
    """An affiliate read before and after its campaign changes shows the campaign of the moment (the campaign's
    part of an affiliate is built once per version of the campaign, never kept past a change)."""
    _, before, _ = await pk.get(f"/affiliates/{JANE}")
    assert before["data"] == JANE_AFFILIATE
    status, _, _ = await pk.put(f"/campaigns/{CAMP_DEFAULT}", {"name": "Main", "commission_amount": 12.5,
                                                               "website_url": "https://acme.example/?lang=en"})
    assert status == 200
    changed = JANE_AFFILIATE | {
        "links": [{"url": "https://acme.example/?lang=en&via=jane", "code": "jane"}],
        "campaign": DEFAULT_CAMPAIGN | {"name": "Main", "commission_amount": 12.5,
                                        "website_url": "https://acme.example/?lang=en"}}
    _, after, _ = await pk.get(f"/affiliates/{JANE}")
    assert after["data"] == changed
    _, listed, _ = await pk.get("/affiliates?ref_code=jane")
    assert listed["data"] == [changed]

