"""GET|POST /affiliates, GET|PUT /affiliates/{id}."""
from __future__ import annotations

import re

from .conftest import (
    BEN_BANNED,
    CAMP_COUPON,
    CAMP_DEFAULT,
    COUPON_CAMPAIGN,
    DEFAULT_CAMPAIGN,
    JANE,
    JANE_AFFILIATE,
    NOW,
    SAM,
    SAM_AFFILIATE,
    UNA_UNAPPROVED,
    UNKNOWN,
    PromoteKitClient,
    error,
)

NEW = {"email": "newbie@example.com", "first_name": "Newbie", "last_name": "Person"}


async def test_create_with_required_fields_applies_the_documented_defaults(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", NEW)
    assert status == 200  # documented: 200, not 201
    data = body["data"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", data["id"])
    assert body == {"success": True, "data": {
        "id": data["id"], "email": "newbie@example.com", "first_name": "Newbie", "last_name": "Person",
        "payout_email": None,
        "links": [{"url": "https://acme.example?via=newbie", "code": "newbie"}],  # guess: generated ref_code
        "promo_codes": [], "clicks": 0, "approved": True, "banned": False, "details": None,
        "new_paid_referral_notifications": True, "created_at": NOW, "campaign": DEFAULT_CAMPAIGN}}


async def test_create_with_every_field_on_a_coupon_campaign(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", NEW | {
        "payout_email": "pay@example.com", "ref_code": "newbie-ref", "promo_code": "NEWBIE15",
        "campaign_id": CAMP_COUPON, "approved": False, "details": "Blogger",
        "new_paid_referral_notifications": False})
    assert status == 200
    data = body["data"]
    assert data["links"] == []  # a coupon-only campaign makes no links
    assert data["promo_codes"] == [{"code": "NEWBIE15", "external_id": data["promo_codes"][0]["external_id"]}]
    assert re.fullmatch(r"promo_[A-Za-z0-9]{24}", data["promo_codes"][0]["external_id"])  # guess: Stripe-shaped
    assert {k: data[k] for k in ("payout_email", "approved", "details", "new_paid_referral_notifications")} == {
        "payout_email": "pay@example.com", "approved": False, "details": "Blogger",
        "new_paid_referral_notifications": False}
    assert data["campaign"] == COUPON_CAMPAIGN
    status, listed, _ = await pk.get("/affiliates?ref_code=newbie-ref")  # the ref_code is kept for later links
    assert [a["id"] for a in listed["data"]] == [data["id"]]


async def test_coupon_campaign_generates_a_promo_code_when_omitted(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", NEW | {"campaign_id": CAMP_COUPON})
    assert status == 200
    codes = body["data"]["promo_codes"]
    assert len(codes) == 1 and re.fullmatch(r"NEWBIE\d{2}", codes[0]["code"])  # guess: NAME + two digits


async def test_both_mode_campaign_gives_a_link_and_a_promo_code(pk: PromoteKitClient) -> None:
    _, camp, _ = await pk.post("/campaigns", {"name": "Both", "commission_type": "percentage",
                                              "commission_amount": 10, "code_mode": "both",
                                              "website_url": "https://shop.example/?lang=en",
                                              "reference_coupon": "BOTH10"})
    status, body, _ = await pk.post("/affiliates", NEW | {"campaign_id": camp["data"]["id"], "ref_code": "nb",
                                                          "promo_code": "NB10"})
    assert status == 200
    # guess: & joins via= when website_url already has a query string
    assert body["data"]["links"] == [{"url": "https://shop.example/?lang=en&via=nb", "code": "nb"}]
    assert [c["code"] for c in body["data"]["promo_codes"]] == ["NB10"]


async def test_generated_ref_code_gets_a_number_when_the_name_is_taken(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", NEW | {"first_name": "Jane"})
    assert status == 200
    assert body["data"]["links"] == [{"url": "https://acme.example?via=jane1", "code": "jane1"}]  # guess


async def test_banned_cannot_be_set_on_create(pk: PromoteKitClient) -> None:
    # guess: unknown and non-create fields are ignored; a new affiliate is never banned
    status, body, _ = await pk.post("/affiliates", NEW | {"banned": True})
    assert (status, body["data"]["banned"]) == (200, False)


async def test_duplicate_email_is_400_whatever_the_case_and_creates_nothing(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", NEW | {"email": "JANE@example.com"})
    assert (status, body) == (400, error("An affiliate with this email already exists"))  # guess: 400, no 409
    _, listed, _ = await pk.get("/affiliates")
    assert listed["pagination"]["total_count"] == 12


async def test_duplicate_ref_code_is_400(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", NEW | {"ref_code": "Jane"})
    assert (status, body) == (400, error("An affiliate with this ref_code already exists"))


async def test_duplicate_promo_code_is_400(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", NEW | {"campaign_id": CAMP_COUPON, "promo_code": "sam20"})
    assert (status, body) == (400, error("An affiliate with this promo_code already exists"))


async def test_required_fields_are_checked(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", {"email": "a@example.com", "last_name": "X"})
    assert (status, body) == (400, error("first_name is required"))
    # third-party code sends only email; the docs require the names
    status, body, _ = await pk.post("/affiliates", {"email": "a@example.com"})
    assert (status, body) == (400, error("first_name is required"))
    status, body, _ = await pk.post("/affiliates", {})
    assert (status, body) == (400, error("email is required"))


async def test_formats_are_checked(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", NEW | {"email": "not-an-email"})
    assert (status, body) == (400, error("email must be a valid email address"))
    status, body, _ = await pk.post("/affiliates", NEW | {"campaign_id": "camp_1"})
    assert (status, body) == (400, error("campaign_id must be a valid UUID"))
    status, body, _ = await pk.post("/affiliates", NEW | {"approved": "yes"})
    assert (status, body) == (400, error("approved must be a boolean"))
    status, body, _ = await pk.post("/affiliates", NEW | {"ref_code": "has space"})  # guess: the character set
    assert (status, body) == (400, error("ref_code contains characters that are not allowed"))


async def test_unknown_campaign_is_400(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/affiliates", NEW | {"campaign_id": UNKNOWN})
    assert (status, body) == (400, error("Campaign not found"))  # guess: create documents no 404


async def test_documented_create_request_with_promo_code_works_on_the_default_link_campaign(
        pk: PromoteKitClient) -> None:
    """The documented example body (every field, promo_code included) on the default campaign, code_mode link."""
    status, body, _ = await pk.post("/affiliates", NEW | {
        "payout_email": "pay@example.com", "ref_code": "newbie-ref", "promo_code": "NEWBIE15",
        "campaign_id": CAMP_DEFAULT, "approved": True, "details": "string", "new_paid_referral_notifications": True})
    assert status == 200
    data = body["data"]
    assert data["campaign"] == DEFAULT_CAMPAIGN and DEFAULT_CAMPAIGN["code_mode"] == "link"
    assert data["links"] == [{"url": "https://acme.example?via=newbie-ref", "code": "newbie-ref"}]
    _, found, _ = await pk.get("/affiliates?promo_code=NEWBIE15")  # the promo code is kept
    assert [a["id"] for a in found["data"]] == [data["id"]]
    status, again, _ = await pk.post("/affiliates", NEW | {"email": "other@example.com", "promo_code": "newbie15"})
    assert (status, again) == (400, error("An affiliate with this promo_code already exists"))
    status, _, _ = await pk.put(f"/affiliates/{data['id']}", {"promo_code": "NEWBIE20"})
    assert status == 200


async def test_without_a_default_campaign_campaign_id_is_needed(pk: PromoteKitClient) -> None:
    await pk.put(f"/campaigns/{CAMP_DEFAULT}", {"is_default": False})
    status, body, _ = await pk.post("/affiliates", NEW)
    assert (status, body) == (400, error("No campaign_id given and the organization has no default campaign"))
    status, _, _ = await pk.post("/affiliates", NEW | {"campaign_id": CAMP_DEFAULT})
    assert status == 200


async def test_get_affiliate_returns_the_full_object(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.get(f"/affiliates/{SAM}")
    assert (status, body) == (200, {"success": True, "data": SAM_AFFILIATE})
    status, body, _ = await pk.get(f"/affiliates/{JANE}")
    assert (status, body) == (200, {"success": True, "data": JANE_AFFILIATE})


async def test_get_unknown_affiliate_is_404_and_a_bad_id_400(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.get(f"/affiliates/{UNKNOWN}")
    assert (status, body) == (404, error("Affiliate not found", "not_found"))
    status, body, _ = await pk.get("/affiliates/123")
    assert (status, body) == (400, error("id must be a valid UUID"))  # guess


async def test_fixture_states(pk: PromoteKitClient) -> None:
    _, una, _ = await pk.get(f"/affiliates/{UNA_UNAPPROVED}")
    _, ben, _ = await pk.get(f"/affiliates/{BEN_BANNED}")
    assert (una["data"]["approved"], una["data"]["banned"]) == (False, False)
    assert (ben["data"]["approved"], ben["data"]["banned"]) == (True, True)


async def test_list_pagination_defaults_to_ten(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.get("/affiliates")
    assert status == 200
    assert len(body["data"]) == 10
    assert body["pagination"] == {"page": 1, "limit": 10, "total_count": 12, "total_pages": 2, "has_more": True}
    _, second, _ = await pk.get("/affiliates?page=2")
    assert len(second["data"]) == 2
    assert second["pagination"] == {"page": 2, "limit": 10, "total_count": 12, "total_pages": 2, "has_more": False}
    assert not {a["id"] for a in body["data"]} & {a["id"] for a in second["data"]}
    _, past, _ = await pk.get("/affiliates?page=9&limit=5")  # guess: past the end is an empty page
    assert past == {"success": True, "data": [], "pagination": {
        "page": 9, "limit": 5, "total_count": 12, "total_pages": 3, "has_more": False}}


async def test_list_is_newest_first(pk: PromoteKitClient) -> None:  # guess: the order is undocumented
    _, body, _ = await pk.get("/affiliates?limit=100")
    created = [a["created_at"] for a in body["data"]]
    assert created == sorted(created, reverse=True)
    _, made, _ = await pk.post("/affiliates", NEW)
    _, body, _ = await pk.get("/affiliates?limit=1")
    assert body["data"][0]["id"] == made["data"]["id"]


async def test_limit_bounds_are_400(pk: PromoteKitClient) -> None:  # guess: not clamped
    status, body, _ = await pk.get("/affiliates?limit=101")
    assert (status, body) == (400, error("limit must be at most 100"))
    status, body, _ = await pk.get("/affiliates?limit=0")
    assert (status, body) == (400, error("limit must be at least 1"))
    status, body, _ = await pk.get("/affiliates?page=0")
    assert (status, body) == (400, error("page must be at least 1"))
    status, body, _ = await pk.get("/affiliates?limit=ten")
    assert (status, body) == (400, error("limit must be an integer"))


async def test_list_filters(pk: PromoteKitClient) -> None:
    _, by_email, _ = await pk.get("/affiliates?email=Jane@Example.com")  # guess: case-insensitive
    assert [a["id"] for a in by_email["data"]] == [JANE]
    _, none, _ = await pk.get("/affiliates?email=nobody@example.com")
    assert none["data"] == [] and none["pagination"]["total_count"] == 0
    _, by_ref, _ = await pk.get("/affiliates?ref_code=jane")
    assert [a["id"] for a in by_ref["data"]] == [JANE]
    _, by_promo, _ = await pk.get("/affiliates?promo_code=SAM20")
    assert [a["id"] for a in by_promo["data"]] == [SAM]
    _, by_campaign, _ = await pk.get(f"/affiliates?campaign_id={CAMP_COUPON}")
    assert [a["id"] for a in by_campaign["data"]] == [SAM]
    _, both, _ = await pk.get(f"/affiliates?campaign_id={CAMP_COUPON}&ref_code=jane")  # guess: AND
    assert both["data"] == []
    status, body, _ = await pk.get("/affiliates?campaign_id=nope")
    assert (status, body) == (400, error("campaign_id must be a valid UUID"))


async def test_put_is_a_partial_update_and_bans(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.put(f"/affiliates/{JANE}", {"banned": True, "details": "Spam"})
    assert (status, body) == (200, {"success": True, "data": JANE_AFFILIATE | {"banned": True, "details": "Spam"}})
    _, again, _ = await pk.get(f"/affiliates/{JANE}")
    assert again["data"]["banned"] is True


async def test_put_approves(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.put(f"/affiliates/{UNA_UNAPPROVED}", {"approved": True})
    assert (status, body["data"]["approved"]) == (200, True)


async def test_put_new_ref_code_replaces_the_link(pk: PromoteKitClient) -> None:  # guess: replace, not add
    status, body, _ = await pk.put(f"/affiliates/{JANE}", {"ref_code": "janedoe"})
    assert (status, body["data"]["links"]) == (200, [{"url": "https://acme.example?via=janedoe", "code": "janedoe"}])
    _, old, _ = await pk.get("/affiliates?ref_code=jane")
    assert old["data"] == []


async def test_put_new_promo_code_replaces_the_promo_code(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.put(f"/affiliates/{SAM}", {"promo_code": "SAMPOD"})
    assert status == 200
    [code] = body["data"]["promo_codes"]
    assert code["code"] == "SAMPOD" and code["external_id"] != "promo_1SandboxSam000000000000"


async def test_put_moving_to_a_coupon_campaign_mints_a_promo_code(pk: PromoteKitClient) -> None:  # guess
    status, body, _ = await pk.put(f"/affiliates/{JANE}", {"campaign_id": CAMP_COUPON})
    assert status == 200
    assert body["data"]["campaign"] == COUPON_CAMPAIGN
    assert body["data"]["links"] == []
    assert re.fullmatch(r"JANE\d{2}", body["data"]["promo_codes"][0]["code"])


async def test_put_duplicates_are_400_but_own_values_are_fine(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.put(f"/affiliates/{JANE}", {"email": "sam@example.com"})
    assert (status, body) == (400, error("An affiliate with this email already exists"))
    status, body, _ = await pk.put(f"/affiliates/{JANE}", {"ref_code": "sam"})
    assert (status, body) == (400, error("An affiliate with this ref_code already exists"))
    status, body, _ = await pk.put(f"/affiliates/{JANE}", {"email": "jane@example.com", "ref_code": "jane"})
    assert (status, body["data"]) == (200, JANE_AFFILIATE)


async def test_put_errors(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.put(f"/affiliates/{UNKNOWN}", {"approved": True})
    assert (status, body) == (404, error("Affiliate not found", "not_found"))
    status, body, _ = await pk.put(f"/affiliates/{JANE}", {"campaign_id": UNKNOWN})
    assert (status, body) == (400, error("Campaign not found"))
    status, body, _ = await pk.put(f"/affiliates/{JANE}", {"banned": "yes"})
    assert (status, body) == (400, error("banned must be a boolean"))
    status, body, _ = await pk.put(f"/affiliates/{JANE}", {"payout_email": None})  # guess: null is refused
    assert (status, body) == (400, error("payout_email must be a string"))


async def test_nested_campaign_is_a_live_snapshot(pk: PromoteKitClient) -> None:  # guess
    await pk.put(f"/campaigns/{CAMP_DEFAULT}", {"website_url": "https://new.example", "name": "Renamed"})
    _, body, _ = await pk.get(f"/affiliates/{JANE}")
    assert body["data"]["links"] == [{"url": "https://new.example?via=jane", "code": "jane"}]
    assert body["data"]["campaign"]["name"] == "Renamed"
