"""GET|POST /referrals."""
from __future__ import annotations

from .conftest import (
    BEN_BANNED,
    JANE,
    JANE_AFFILIATE,
    NOW,
    REF_ACTIVE,
    REF_CANCELED,
    REF_PAST_DUE,
    REF_SIGNED_UP,
    REF_TRIALING,
    SAM,
    UNKNOWN,
    PromoteKitClient,
    error,
)


async def test_create_defaults_to_signed_up_and_nests_the_affiliate(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/referrals", {"affiliate_id": JANE, "email": "buyer@example.com"})
    assert status == 200
    assert body == {"success": True, "data": {
        "id": body["data"]["id"], "email": "buyer@example.com",
        "subscription_status": "signed_up",  # guess: the default
        "signup_date": NOW, "stripe_customer_id": None, "created_at": NOW, "affiliate": JANE_AFFILIATE}}


async def test_create_with_every_field(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/referrals", {"affiliate_id": SAM, "email": "b2@example.com",
                                                   "stripe_customer_id": "cus_123", "subscription_status": "active"})
    assert status == 200
    assert (body["data"]["stripe_customer_id"], body["data"]["subscription_status"],
            body["data"]["affiliate"]["id"]) == ("cus_123", "active", SAM)
    _, listed, _ = await pk.get("/referrals?stripe_customer_id=cus_123")
    assert [r["id"] for r in listed["data"]] == [body["data"]["id"]]


async def test_required_fields(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/referrals", {"affiliate_id": JANE})
    assert (status, body) == (400, error("email is required"))
    # a public integration posts customer_id instead of email: refused
    status, body, _ = await pk.post("/referrals", {"affiliate_id": JANE, "customer_id": "cus_1"})
    assert (status, body) == (400, error("email is required"))
    status, body, _ = await pk.post("/referrals", {"email": "x@example.com"})
    assert (status, body) == (400, error("affiliate_id is required"))


async def test_bad_values(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/referrals", {"affiliate_id": JANE, "email": "x@example.com",
                                                   "subscription_status": "paid"})
    assert (status, body) == (400, error(
        "subscription_status must be one of: signed_up, active, trialing, canceled, past_due"))
    status, body, _ = await pk.post("/referrals", {"affiliate_id": "jane", "email": "x@example.com"})
    assert (status, body) == (400, error("affiliate_id must be a valid UUID"))


async def test_unknown_affiliate_is_400_not_404(pk: PromoteKitClient) -> None:  # guess: no 404 is documented
    status, body, _ = await pk.post("/referrals", {"affiliate_id": UNKNOWN, "email": "x@example.com"})
    assert (status, body) == (400, error("Affiliate not found"))


async def test_duplicate_referral_email_is_400(pk: PromoteKitClient) -> None:  # guess
    status, body, _ = await pk.post("/referrals", {"affiliate_id": SAM, "email": "Customer.Active@example.com"})
    assert (status, body) == (400, error("A referral with this email already exists"))


async def test_fixtures_hold_every_subscription_status(pk: PromoteKitClient) -> None:
    _, body, _ = await pk.get("/referrals?limit=100")
    assert {r["subscription_status"] for r in body["data"]} == {
        "signed_up", "active", "trialing", "canceled", "past_due"}
    assert body["pagination"]["total_count"] == 6


async def test_filter_by_one_or_several_statuses(pk: PromoteKitClient) -> None:
    _, one, _ = await pk.get("/referrals?subscription_status=trialing")
    assert [r["id"] for r in one["data"]] == [REF_TRIALING]
    _, several, _ = await pk.get("/referrals?subscription_status=active,canceled,past_due&limit=100")
    assert sorted(r["id"] for r in several["data"]) == sorted(
        [REF_ACTIVE, REF_CANCELED, REF_PAST_DUE, "dd000000-0000-4000-8000-000000000006"])
    status, body, _ = await pk.get("/referrals?subscription_status=active,paid")
    assert (status, body) == (400, error(
        "subscription_status must be one of: signed_up, active, trialing, canceled, past_due"))


async def test_filter_by_affiliate_and_email(pk: PromoteKitClient) -> None:
    _, by_affiliate, _ = await pk.get(f"/referrals?affiliate_id={JANE}")
    assert [r["id"] for r in by_affiliate["data"]] == [REF_SIGNED_UP, REF_TRIALING, REF_ACTIVE]  # newest first
    _, by_email, _ = await pk.get("/referrals?email=customer.canceled@example.com")
    assert [r["id"] for r in by_email["data"]] == [REF_CANCELED]
    _, both, _ = await pk.get(f"/referrals?email=customer.canceled@example.com&affiliate_id={JANE}")
    assert both["data"] == []
    status, body, _ = await pk.get("/referrals?email=nope")
    assert (status, body) == (400, error("email must be a valid email address"))


async def test_nested_affiliate_is_a_live_snapshot(pk: PromoteKitClient) -> None:  # guess
    await pk.put(f"/affiliates/{BEN_BANNED}", {"banned": False, "first_name": "Benjamin"})
    _, body, _ = await pk.get(f"/referrals?affiliate_id={BEN_BANNED}")
    assert (body["data"][0]["affiliate"]["banned"], body["data"][0]["affiliate"]["first_name"]) == (False, "Benjamin")


async def test_get_one_referral_is_not_an_endpoint(pk: PromoteKitClient) -> None:  # guess: undocumented, so 404
    status, body, _ = await pk.get(f"/referrals/{REF_ACTIVE}")
    assert (status, body) == (404, error("Not found", "not_found"))
