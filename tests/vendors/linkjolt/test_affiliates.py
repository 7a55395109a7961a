"""POST /affiliates, POST /affiliates/invite, GET /affiliates, GET|PATCH /affiliates/{id}."""
from __future__ import annotations

from .conftest import (
    ALEX_API,
    CAMP_FIXED,
    CAMP_PERCENT,
    JANE,
    PAT_PENDING,
    PROFESSIONAL,
    REX_REJECTED,
    TEST_KEY,
    LinkJoltClient,
)

NEW = {"email": "newbie@example.com", "name": "New Bie", "campaignId": CAMP_PERCENT}


async def test_create_affiliate_returns_the_documented_shape(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.post("/affiliates", NEW)
    assert status == 201
    data = body["data"]
    assert set(data) == {"id", "name", "email", "status", "campaignId", "campaignName", "trackingLink",
                         "createdVia", "joinedAt", "isTest"}
    assert len(data["id"]) == 21
    assert data | {"id": "X"} == {
        "id": "X", "name": "New Bie", "email": "newbie@example.com", "status": "approved",
        "campaignId": CAMP_PERCENT, "campaignName": "Pro Campaign",
        "trackingLink": f"https://linkjolt.io/redirect?tc=7PtIfIqd&aff={data['id']}",
        "createdVia": "api", "joinedAt": "2026-06-15T12:00:00Z", "isTest": False}


async def test_created_affiliate_is_listed_and_readable(lj: LinkJoltClient) -> None:
    _, created, _ = await lj.post("/affiliates", NEW)
    affiliate_id = created["data"]["id"]
    status, body, _ = await lj.get(f"/affiliates/{affiliate_id}")
    assert status == 200
    assert body["data"]["campaigns"] == [{
        "campaignId": CAMP_PERCENT, "campaignName": "Pro Campaign", "status": "approved",
        "trackingLink": f"https://linkjolt.io/redirect?tc=7PtIfIqd&aff={affiliate_id}",
        "joinedAt": "2026-06-15T12:00:00Z"}]
    assert body["data"]["earnings"] == {"total": "0.00", "pending": "0.00", "approved": "0.00", "paid": "0.00"}
    # documented: the create response's trackingLink "is also returned by GET /api/v1/affiliates/:id"
    assert body["data"]["trackingLink"] == created["data"]["trackingLink"]
    _, listed, _ = await lj.get(f"/affiliates?campaignId={CAMP_PERCENT}&limit=100")
    assert affiliate_id in [row["id"] for row in listed["data"]]


async def test_duplicate_email_is_409_with_the_existing_id_and_creates_nothing(lj: LinkJoltClient) -> None:
    _, first, _ = await lj.post("/affiliates", NEW)
    _, before, _ = await lj.get("/affiliates?limit=1")
    status, body, _ = await lj.post("/affiliates", NEW | {"email": "NEWBIE@example.com", "name": "Other"})
    assert status == 409
    assert body == {"error": {"code": "duplicate", "message": "An affiliate with this email already exists",
                              "details": {"affiliateId": first["data"]["id"]}}}
    _, after, _ = await lj.get("/affiliates?limit=1")
    assert after["pagination"]["total"] == before["pagination"]["total"]


async def test_duplicate_of_a_fixture_affiliate(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.post("/affiliates", NEW | {"email": "jane@example.com"})
    assert (status, body["error"]["details"]) == (409, {"affiliateId": JANE})


async def test_missing_fields_are_reported_like_zod(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.post("/affiliates", {"name": 5, "campaignId": CAMP_PERCENT})
    assert status == 400
    assert body == {"error": {"code": "validation_error", "message": "Validation failed", "details": [
        {"path": ["email"], "message": "Required"},
        {"path": ["name"], "message": "Expected string, received number"}]}}


async def test_invalid_email_is_a_validation_error(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.post("/affiliates", NEW | {"email": "not-an-email"})
    assert (status, body["error"]["details"]) == (400, [{"path": ["email"], "message": "Invalid email"}])


async def test_unknown_campaign_is_404(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.post("/affiliates", NEW | {"campaignId": "camp_nope"})
    assert status == 404
    assert body == {"error": {"code": "not_found", "message": "Campaign camp_nope not found"}}


async def test_professional_key_cannot_create(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.as_key(PROFESSIONAL).post("/affiliates", NEW)
    assert status == 403
    assert body["error"]["code"] == "insufficient_permissions"


async def test_test_key_records_carry_is_test_and_live_keys_do_not_see_them(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.as_key(TEST_KEY).post("/affiliates", NEW)
    assert (status, body["data"]["isTest"]) == (201, True)
    affiliate_id = body["data"]["id"]
    assert (await lj.as_key(TEST_KEY).get(f"/affiliates/{affiliate_id}"))[0] == 200
    assert (await lj.get(f"/affiliates/{affiliate_id}"))[0] == 404  # guess: live keys see live data only


async def test_list_filters_by_status_and_campaign(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get(f"/affiliates?campaignId={CAMP_PERCENT}&status=pending&limit=100")
    assert status == 200
    assert PAT_PENDING in [r["id"] for r in body["data"]]
    assert {(r["status"], r["campaignId"]) for r in body["data"]} == {("pending", CAMP_PERCENT)}


async def test_list_row_has_tracking_link_and_stats(lj: LinkJoltClient) -> None:
    _, body, _ = await lj.get(f"/affiliates?campaignId={CAMP_FIXED}&limit=100")
    fran = next(r for r in body["data"] if r["email"] == "fran@example.com")
    assert fran["trackingLink"] == "https://linkjolt.io/redirect?tc=BOUNTY30&aff=aff_fixed_fran_000004"
    assert fran["clicks"] == 60
    assert fran["earnings"].endswith(".00") and fran["conversions"] >= 1


async def test_list_sorts_by_joined_at(lj: LinkJoltClient) -> None:
    _, body, _ = await lj.get("/affiliates?sort=joinedAt:asc&limit=100")
    joined = [r["joinedAt"] for r in body["data"]]
    assert joined == sorted(joined) and len(joined) == body["pagination"]["total"]


async def test_get_unknown_affiliate_is_404(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.get("/affiliates/nope")
    assert (status, body["error"]["code"]) == (404, "not_found")


async def test_approve_a_pending_membership(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.patch(f"/affiliates/{PAT_PENDING}", {"campaignId": CAMP_PERCENT, "status": "approved"})
    assert (status, body["data"]["status"]) == (200, "approved")
    again = await lj.patch(f"/affiliates/{PAT_PENDING}", {"campaignId": CAMP_PERCENT, "status": "approved"})
    assert again[0] == 200  # the same status again is a no-op


async def test_rejection_is_final(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.patch(f"/affiliates/{REX_REJECTED}", {"campaignId": CAMP_PERCENT, "status": "approved"})
    assert status == 409
    assert body["error"]["code"] == "invalid_status_transition"  # guess: the code is ours


async def test_patch_membership_on_another_campaign_is_404(lj: LinkJoltClient) -> None:
    status, _, _ = await lj.patch(f"/affiliates/{ALEX_API}", {"campaignId": CAMP_FIXED, "status": "approved"})
    assert status == 404


async def test_patch_status_must_be_approved_or_rejected(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.patch(f"/affiliates/{PAT_PENDING}", {"campaignId": CAMP_PERCENT, "status": "pending"})
    assert status == 400
    assert body["error"]["details"] == [
        {"path": ["status"], "message": "Invalid enum value. Expected 'approved' | 'rejected', received 'pending'"}]


async def test_invite_then_duplicate_invite_is_409(lj: LinkJoltClient) -> None:
    invite = {"email": "friend@example.com", "name": "Friend", "campaignId": CAMP_PERCENT}
    status, body, _ = await lj.post("/affiliates/invite", invite)
    assert status == 201
    assert body["data"] | {"id": "X"} == {"id": "X", "email": "friend@example.com", "name": "Friend",
                                         "campaignId": CAMP_PERCENT, "status": "pending", "isTest": False,
                                         "createdAt": "2026-06-15T12:00:00Z"}
    status, dup, _ = await lj.post("/affiliates/invite", invite)
    assert status == 409
    assert dup["error"] == {"code": "duplicate",
                            "message": "A pending invitation for this email and campaign already exists",
                            "details": {"invitationId": body["data"]["id"]}}


async def test_invite_someone_already_on_the_campaign_is_409(lj: LinkJoltClient) -> None:
    status, body, _ = await lj.post("/affiliates/invite", {"email": "jane@example.com", "campaignId": CAMP_PERCENT})
    assert (status, body["error"]["details"]) == (409, {"affiliateId": JANE})


async def test_invite_has_its_own_ten_per_minute_limit(lj: LinkJoltClient) -> None:
    for n in range(10):
        status, _, headers = await lj.post("/affiliates/invite", {"email": f"p{n}@example.com", "campaignId": CAMP_PERCENT})
        assert status == 201
        assert headers["X-RateLimit-Limit"] == "10"
        assert headers["X-RateLimit-Remaining"] == str(9 - n)
    status, body, headers = await lj.post("/affiliates/invite", {"email": "p10@example.com", "campaignId": CAMP_PERCENT})
    assert status == 429
    assert body["error"]["code"] == "rate_limit_exceeded"
    assert headers["Retry-After"] == "60"  # the clock is frozen at :00 of a minute
    status, _, _ = await lj.post("/affiliates", NEW)  # the general budget is untouched
    assert status == 201


async def test_get_affiliate_in_two_campaigns_has_the_first_joined_link_at_the_top_level(lj: LinkJoltClient) -> None:
    """Guess: which campaign's link the top-level trackingLink is when there are several."""
    status, body, _ = await lj.get(f"/affiliates/{JANE}")
    assert status == 200
    data = body["data"]
    assert [c["campaignId"] for c in data["campaigns"]] == [CAMP_PERCENT, "camp_tiered_000000003"]
    assert data["trackingLink"] == data["campaigns"][0]["trackingLink"]
    assert data["trackingLink"] == f"https://linkjolt.io/redirect?tc=7PtIfIqd&aff={JANE}"
