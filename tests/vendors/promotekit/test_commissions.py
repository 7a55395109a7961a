"""GET|POST /commissions, GET /commissions/{id}."""
from __future__ import annotations

from .conftest import (
    BEN_BANNED,
    COM_PAID_JANE,
    COM_PAID_SAM,
    COM_UNPAID_JANE,
    COM_UNPAID_JANE_2,
    COM_UNPAID_SAM,
    JANE,
    JANE_AFFILIATE,
    NOW,
    PAYOUT_JANE,
    REF_ACTIVE,
    REF_BANNED,
    REF_SIGNED_UP,
    REF_TRIALING,
    UNKNOWN,
    PromoteKitClient,
    error,
)

NEW = {"referral_id": REF_ACTIVE, "revenue_amount": 49.99, "commission_amount": 10}

REF_ACTIVE_SUMMARY = {
    "id": REF_ACTIVE, "email": "customer.active@example.com", "subscription_status": "active",
    "signup_date": "2026-03-01T10:00:00Z", "stripe_customer_id": "cus_SandboxActive01",
    "created_at": "2026-03-01T10:00:00Z"}


async def test_create_is_not_paid_with_no_payout(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/commissions", NEW)
    assert status == 200  # guess: 200 on create, as affiliates document
    assert body == {"success": True, "data": {
        "id": body["data"]["id"], "revenue_amount": 49.99,
        "currency": "usd",  # guess: the organisation's currency
        "commission_amount": 10, "payout_status": "not_paid",
        "referral_date": NOW,  # documented: defaults to now
        "created_at": NOW, "stripe_payment_id": None, "affiliate": JANE_AFFILIATE,
        "referral": REF_ACTIVE_SUMMARY,  # documented: no affiliate inside the nested referral
        "payout": None}}  # guess: null until paid
    status, got, _ = await pk.get(f"/commissions/{body['data']['id']}")
    assert (status, got) == (200, body)


async def test_create_keeps_referral_date_and_stripe_payment_id(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/commissions", NEW | {"referral_date": "2026-06-01T08:30:00+02:00",
                                                           "stripe_payment_id": "pi_123"})
    assert status == 200
    assert (body["data"]["referral_date"], body["data"]["stripe_payment_id"]) == ("2026-06-01T06:30:00Z", "pi_123")


async def test_amounts_must_be_positive(pk: PromoteKitClient) -> None:
    # documented: > 0 (the docs' example zeros are placeholders)
    status, body, _ = await pk.post("/commissions", NEW | {"revenue_amount": 0})
    assert (status, body) == (400, error("revenue_amount must be greater than 0"))
    status, body, _ = await pk.post("/commissions", NEW | {"commission_amount": -5})
    assert (status, body) == (400, error("commission_amount must be greater than 0"))


async def test_required_fields_and_formats(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.post("/commissions", {"referral_id": REF_ACTIVE, "revenue_amount": 10})
    assert (status, body) == (400, error("commission_amount is required"))
    status, body, _ = await pk.post("/commissions", NEW | {"referral_date": "yesterday"})
    assert (status, body) == (400, error("referral_date must be an ISO-8601 date-time"))
    status, body, _ = await pk.post("/commissions", NEW | {"revenue_amount": "49.99"})
    assert (status, body) == (400, error("revenue_amount must be a number"))


async def test_unknown_referral_is_400(pk: PromoteKitClient) -> None:  # guess: create documents no 404
    status, body, _ = await pk.post("/commissions", NEW | {"referral_id": UNKNOWN})
    assert (status, body) == (400, error("Referral not found"))


async def test_banned_affiliates_get_no_new_commissions(pk: PromoteKitClient) -> None:
    # documented: banned affiliates are not eligible for future commissions; the 400 is a guess
    status, body, _ = await pk.post("/commissions", NEW | {"referral_id": REF_BANNED})
    assert (status, body) == (400, error("This affiliate is banned and is not eligible for commissions"))
    _, listed, _ = await pk.get(f"/commissions?affiliate_id={BEN_BANNED}")
    assert listed["pagination"]["total_count"] == 1  # only the fixture commission from before the ban
    await pk.put(f"/affiliates/{BEN_BANNED}", {"banned": False})
    status, _, _ = await pk.post("/commissions", NEW | {"referral_id": REF_BANNED})
    assert status == 200


async def test_first_commission_makes_a_signed_up_referral_active(pk: PromoteKitClient) -> None:  # guess
    status, body, _ = await pk.post("/commissions", NEW | {"referral_id": REF_SIGNED_UP})
    assert (status, body["data"]["referral"]["subscription_status"]) == (200, "active")
    _, trialing, _ = await pk.post("/commissions", NEW | {"referral_id": REF_TRIALING})
    assert trialing["data"]["referral"]["subscription_status"] == "trialing"  # other statuses are Stripe's


async def test_paid_commission_nests_its_payout(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.get(f"/commissions/{COM_PAID_JANE}")
    assert status == 200
    assert body["data"]["payout_status"] == "paid"
    assert body["data"]["payout"] == {  # guess: the payout without its affiliate
        "id": PAYOUT_JANE, "affiliate_name": "Jane Doe", "payout_email": "jane.payouts@example.com",
        "amount": 19.8, "currency": "usd", "period": "2026-03", "payment_count": 1,
        "created_at": "2026-04-15T00:00:00Z"}


async def test_get_unknown_is_404_and_bad_id_400(pk: PromoteKitClient) -> None:
    status, body, _ = await pk.get(f"/commissions/{UNKNOWN}")
    assert (status, body) == (404, error("Commission not found", "not_found"))
    status, body, _ = await pk.get("/commissions/1")
    assert (status, body) == (400, error("id must be a valid UUID"))


async def test_list_and_filters(pk: PromoteKitClient) -> None:  # guess: the filters are undocumented
    _, everything, _ = await pk.get("/commissions")
    assert everything["pagination"] == {"page": 1, "limit": 10, "total_count": 6, "total_pages": 1, "has_more": False}
    _, paid, _ = await pk.get("/commissions?payout_status=paid")
    assert [c["id"] for c in paid["data"]] == [COM_PAID_SAM, COM_PAID_JANE]
    _, unpaid, _ = await pk.get(f"/commissions?payout_status=not_paid&affiliate_id={JANE}")
    assert [c["id"] for c in unpaid["data"]] == [COM_UNPAID_JANE_2, COM_UNPAID_JANE]
    _, by_referral, _ = await pk.get(f"/commissions?referral_id={REF_ACTIVE}&limit=2")
    assert [c["id"] for c in by_referral["data"]] == [COM_UNPAID_JANE_2, COM_UNPAID_JANE]
    assert by_referral["pagination"] == {"page": 1, "limit": 2, "total_count": 3, "total_pages": 2, "has_more": True}
    _, by_payment, _ = await pk.get("/commissions?stripe_payment_id=pi_SandboxUnpaid03")
    assert [c["id"] for c in by_payment["data"]] == [COM_UNPAID_SAM]
    status, body, _ = await pk.get("/commissions?payout_status=pending")
    assert (status, body) == (400, error("payout_status must be one of: not_paid, paid"))


async def test_commissions_cannot_be_updated(pk: PromoteKitClient) -> None:  # guess: undocumented methods are 404
    status, body, _ = await pk.put(f"/commissions/{COM_UNPAID_JANE}", {"payout_status": "paid"})
    assert (status, body) == (404, error("Not found", "not_found"))
