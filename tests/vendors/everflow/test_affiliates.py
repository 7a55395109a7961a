"""Affiliates: POST/GET /networks/affiliates, GET/PUT /networks/affiliates/{id}, POST /networks/affiliatestable,
PATCH /networks/affiliates/pending, POST /networks/affiliate/signup."""
from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import BRIGHT_MEDIA, COUPON_KINGS, DORMANT, NEW_AFFILIATE, NOW, PENDING, SUSPENDED, EverflowClient

BILLING = {"billing_frequency": "monthly", "payment_type": "none", "details": {"day_of_month": 1}, "billing": {}}
ADDRESS = {"address_1": "1 Main St", "address_2": "", "city": "Austin", "region_code": "TX",
           "country_code": "US", "zip_postal_code": "73301"}


async def _count(ef: EverflowClient) -> int:
    _, body, _ = await ef.get("/networks/affiliates?page_size=1")
    return body["paging"]["total_count"]


# -- create ------------------------------------------------------------------------------------------

async def test_create_returns_the_affiliate_with_its_users_and_default_relationships(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/affiliates", NEW_AFFILIATE)
    assert status == 200
    encoded = body["relationship"].pop("encoded_value")
    assert re.fullmatch(r"[A-Z0-9]{6}", encoded)
    assert body == {
        "network_affiliate_id": 6, "network_id": 1, "name": "Acme Partners", "account_status": "active",
        "network_employee_id": 1, "internal_notes": "", "has_notifications": True, "network_traffic_source_id": 0,
        "account_executive_id": 0, "adress_id": 0, "default_currency_id": "USD",
        "is_contact_address_enabled": False, "enable_media_cost_tracking_links": False,
        "time_created": NOW, "time_saved": NOW, "referrer_id": 0, "network_affiliate_tier_id": 1,
        "labels": ["top-performer"],
        "relationship": {
            "labels": {"total": 1, "entries": ["top-performer"]},
            "users": {"total": 1, "entries": [{
                "network_affiliate_user_id": 6, "network_id": 1, "network_affiliate_id": 6,
                "first_name": "Jane", "last_name": "Roe", "email": "jane@acme.example", "title": "",
                "work_phone": "", "cell_phone": "", "instant_messaging_id": 0, "instant_messaging_identifier": "",
                "language_id": 1, "timezone_id": 67, "currency_id": "USD", "account_status": "active",
                "time_created": NOW, "time_saved": NOW,
                "relationship": {"affiliate_account_status": "active"}}]},
            "account_manager": {"first_name": "John", "last_name": "Doe", "email": "john.doe@example.com",
                                "work_phone": "9781243585", "cell_phone": "", "instant_messaging_id": 0,
                                "instant_messaging_identifier": ""},
            "network_affiliate_tier_id": 1,
            "ios_app_sources": {"total": 0, "entries": []},
        },
    }


async def test_create_with_only_a_name_takes_the_documented_defaults(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/affiliates", {"name": "Solo"})
    assert status == 200
    assert {k: body[k] for k in ("account_status", "network_employee_id", "default_currency_id", "referrer_id",
                                 "enable_media_cost_tracking_links", "is_contact_address_enabled", "labels")} == {
        "account_status": "active", "network_employee_id": 0, "default_currency_id": "USD", "referrer_id": 0,
        "enable_media_cost_tracking_links": False, "is_contact_address_enabled": False, "labels": []}
    assert body["relationship"]["users"] == {"total": 0, "entries": []}
    assert body["relationship"]["account_manager"] == {  # zero values, never null (documented)
        "first_name": "", "last_name": "", "email": "", "work_phone": "", "cell_phone": "",
        "instant_messaging_id": 0, "instant_messaging_identifier": ""}


async def test_created_affiliate_can_be_read_back_and_is_listed(ef: EverflowClient) -> None:
    _, created, _ = await ef.post("/networks/affiliates", NEW_AFFILIATE | {"billing": BILLING})
    affiliate_id = created["network_affiliate_id"]
    status, body, _ = await ef.get(f"/networks/affiliates/{affiliate_id}?relationship=billing")
    assert status == 200
    assert body["relationship"]["billing"] == {"network_id": 1, "network_affiliate_id": affiliate_id, **BILLING}
    _, listed, _ = await ef.get("/networks/affiliates?page_size=100")
    assert affiliate_id in [a["network_affiliate_id"] for a in listed["affiliates"]]


@pytest.mark.parametrize("body, message", [
    ({}, "Missing required field name"),
    ({"name": ""}, "name must be at least 1 characters"),
    ({"name": "X", "account_status": "pending"},
     "Invalid value for account_status: 'pending'. Supported values are: active, inactive"),
    ({"name": "X", "network_employee_id": "1"}, "Invalid type for network_employee_id: expected integer"),
    ({"name": "X", "users": [{"first_name": "A", "last_name": "B", "email": "nope"}]},
     "Invalid email for users[0].email"),
    ({"name": "X", "users": [{"first_name": "A", "last_name": "B"}]}, "Missing required field users[0].email"),
    ({"name": "X", "users": [{"first_name": "A", "last_name": "B", "email": "a@b.example",
                              "initial_password": "short"}]},
     "Invalid value for users[0].initial_password"),
    ({"name": "X", "billing": {"billing_frequency": "daily", "payment_type": "none"}},
     "Invalid value for billing.billing_frequency: 'daily'. Supported values are: weekly, bimonthly, monthly, "
     "two_months, quarterly, manual, other"),
])
async def test_schema_violations_are_400_with_one_message(ef: EverflowClient, body: dict, message: str) -> None:
    """The messages are guesses; the status and the {"error": "..."} envelope are documented."""
    status, answer, _ = await ef.post("/networks/affiliates", body)
    assert (status, answer) == (400, {"error": message})


@pytest.mark.parametrize("change, message", [
    ({"default_currency_id": "XYZ"}, "Invalid default_currency_id: XYZ"),
    ({"network_employee_id": 99}, "Invalid network_employee_id: 99"),
    ({"network_affiliate_tier_id": 99}, "Invalid network_affiliate_tier_id: 99"),
    ({"referrer_id": 99}, "Invalid referrer_id: 99"),
    ({"users": [{"first_name": "A", "last_name": "B", "email": "a@b.example", "language_id": 99}]},
     "Invalid users[0].language_id: 99"),
    ({"users": [{"first_name": "A", "last_name": "B", "email": "a@b.example", "timezone_id": 1}]},
     "Invalid users[0].timezone_id: 1"),
])
async def test_unknown_references_are_400_and_create_nothing(ef: EverflowClient, change: dict, message: str) -> None:
    """Guess: references checked against the network and the /meta lists give 400."""
    before = await _count(ef)
    status, body, _ = await ef.post("/networks/affiliates", NEW_AFFILIATE | change)
    assert (status, body) == (400, {"error": message})
    assert await _count(ef) == before


async def test_a_user_email_already_used_by_a_partner_user_is_400_and_creates_nothing(ef: EverflowClient) -> None:
    """Documented uniqueness; the message "Email already in use" is a guess."""
    before = await _count(ef)
    taken = {"first_name": "J", "last_name": "D", "email": "JANE@brightmedia.example"}
    status, body, _ = await ef.post("/networks/affiliates", NEW_AFFILIATE | {"users": [taken]})
    assert (status, body) == (400, {"error": "Email already in use"})
    assert await _count(ef) == before
    _, users, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}/users")
    assert len(users["users"]) == 1


async def test_two_users_with_one_email_in_one_request_is_400(ef: EverflowClient) -> None:
    user = {"first_name": "A", "last_name": "B", "email": "twice@acme.example"}
    status, body, _ = await ef.post("/networks/affiliates", {"name": "Twice", "users": [user, user]})
    assert (status, body) == (400, {"error": "Email already in use"})


async def test_contact_address_is_stored_only_when_enabled(ef: EverflowClient) -> None:
    _, off, _ = await ef.post("/networks/affiliates", {"name": "No address", "contact_address": ADDRESS})
    assert "contact_address" not in off
    _, on, _ = await ef.post("/networks/affiliates", {"name": "Address", "is_contact_address_enabled": True,
                                                      "contact_address": ADDRESS})
    assert on["contact_address"] == ADDRESS


@pytest.mark.parametrize("address, message", [
    (None, "contact_address is required when is_contact_address_enabled is true"),
    (ADDRESS | {"city": ""}, "contact_address.city is required"),
    (ADDRESS | {"country_code": "ZZ"}, "Invalid contact_address.country_code: ZZ"),
])
async def test_enabled_contact_address_is_checked(ef: EverflowClient, address: Any, message: str) -> None:
    """Guess: which address fields are needed; the country code must be a /meta/countries code."""
    body: dict[str, Any] = {"name": "Addr", "is_contact_address_enabled": True}
    if address is not None:
        body["contact_address"] = address
    status, answer, _ = await ef.post("/networks/affiliates", body)
    assert (status, answer) == (400, {"error": message})


@pytest.mark.parametrize("billing, message", [
    ({"billing_frequency": "monthly", "payment_type": "none"}, "billing.details is required for billing_frequency monthly"),
    ({"billing_frequency": "weekly", "payment_type": "none", "details": {"day_of_month": 3}},
     "billing.details.day_of_week is required for billing_frequency weekly"),
    ({"billing_frequency": "quarterly", "payment_type": "wire", "details": {"day_of_month": 3}},
     "billing.details.starting_month is required for billing_frequency quarterly"),
])
async def test_billing_details_are_required_unless_manual_or_other(ef: EverflowClient, billing: dict,
                                                                   message: str) -> None:
    status, body, _ = await ef.post("/networks/affiliates", {"name": "Billing", "billing": billing})
    assert (status, body) == (400, {"error": message})


async def test_manual_billing_needs_no_details(ef: EverflowClient) -> None:
    status, _, _ = await ef.post("/networks/affiliates", {"name": "Manual", "billing": {
        "billing_frequency": "manual", "payment_type": "check"}})
    assert status == 200


async def test_labels_are_created_on_the_fly(ef: EverflowClient) -> None:
    """Guess (the notes): naming a label that does not exist creates it."""
    _, created, _ = await ef.post("/networks/affiliates", {"name": "Lab", "labels": ["brand-new", "vip"]})
    _, labels, _ = await ef.get("/networks/labels")
    rows = {row["label"]: row for row in labels["labels"]}
    assert rows["brand-new"]["affiliate_ids"] == [created["network_affiliate_id"]]
    assert rows["vip"]["affiliate_ids"] == [BRIGHT_MEDIA, created["network_affiliate_id"]]


# -- get ---------------------------------------------------------------------------------------------

async def test_get_unknown_affiliate_is_404(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/affiliates/999")
    assert (status, body) == (404, {"error": "Affiliate not found"})


async def test_get_with_users_and_referrer_relationships(ef: EverflowClient) -> None:
    status, body, _ = await ef.get(f"/networks/affiliates/{COUPON_KINGS}?relationship=users&relationship=referrer")
    assert status == 200
    assert [u["email"] for u in body["relationship"]["users"]["entries"]] == ["carl@couponkings.example"]
    assert body["relationship"]["referrer"] == {"network_affiliate_id": BRIGHT_MEDIA, "name": "Bright Media"}


async def test_get_without_relationship_still_counts_users(ef: EverflowClient) -> None:
    _, body, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}")
    assert body["relationship"]["users"] == {"total": 1, "entries": []}
    assert body["relationship"]["encoded_value"] == "3MQDQ8"
    assert body["contact_address"]["country_code"] == "US"


# -- list ----------------------------------------------------------------------------------------------

async def test_list_pages_with_paging_object(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/affiliates?page=2&page_size=2")
    assert status == 200
    assert [a["network_affiliate_id"] for a in body["affiliates"]] == [DORMANT, PENDING]
    assert body["paging"] == {"page": 2, "page_size": 2, "total_count": 5}
    assert "relationship" not in body["affiliates"][0]  # only asked-for relationships on lists


async def test_list_default_paging(ef: EverflowClient) -> None:
    _, body, _ = await ef.get("/networks/affiliates")
    assert body["paging"] == {"page": 1, "page_size": 50, "total_count": 5}


@pytest.mark.parametrize("query, ids", [
    ("filter=account_status%3Dpending", [PENDING]),
    ("filter=account_status%3Dactive&filter=time_created%3E1772000000", [COUPON_KINGS]),
    ("filter=time_created%3C1770000000", [BRIGHT_MEDIA]),
])
async def test_list_filter_expressions(ef: EverflowClient, query: str, ids: list[int]) -> None:
    status, body, _ = await ef.get(f"/networks/affiliates?{query}")
    assert status == 200
    assert [a["network_affiliate_id"] for a in body["affiliates"]] == ids


async def test_list_filter_on_an_unsupported_field_is_400(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/affiliates?filter=name%3DBob")
    assert (status, body) == (400, {"error": "Unsupported filter field 'name'"})


async def test_list_relationship_users_adds_entries(ef: EverflowClient) -> None:
    _, body, _ = await ef.get("/networks/affiliates?page_size=1&relationship=users")
    assert body["affiliates"][0]["relationship"]["users"]["total"] == 1


async def test_page_size_over_2000_is_400(ef: EverflowClient) -> None:
    """Guess: refused rather than clamped."""
    status, body, _ = await ef.get("/networks/affiliates?page_size=2001")
    assert (status, body) == (400, {"error": "page_size must be less than or equal to 2000"})


# -- affiliatestable -----------------------------------------------------------------------------------

async def test_search_by_name_contains(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/affiliatestable",
                                    {"search_terms": [{"search_type": "name", "value": "KING"}]})
    assert status == 200
    assert [a["name"] for a in body["affiliates"]] == ["Coupon Kings"]
    assert body["paging"] == {"page": 1, "page_size": 50, "total_count": 1}


@pytest.mark.parametrize("filters, ids", [
    ({"account_status": "suspended"}, [SUSPENDED]),
    ({"account_manager_ids": [2]}, [COUPON_KINGS, SUSPENDED]),
    ({"labels": ["vip"]}, [BRIGHT_MEDIA]),
    ({"billing_frequency": "weekly"}, [COUPON_KINGS]),
    ({"payment_type": "paypal"}, [BRIGHT_MEDIA]),
    ({"country_codes": ["FR"]}, [PENDING]),
    ({"country_codes": ["US"], "region_codes": ["CA"]}, [BRIGHT_MEDIA]),
])
async def test_search_filters(ef: EverflowClient, filters: dict, ids: list[int]) -> None:
    _, body, _ = await ef.post("/networks/affiliatestable", {"filters": filters})
    assert [a["network_affiliate_id"] for a in body["affiliates"]] == ids


@pytest.mark.parametrize("query, body, expected", [
    ("", {"paging": {"page": 2, "page_size": 2}}, {"page": 2, "page_size": 2}),
    ("", {"page": 3, "page_size": 1}, {"page": 3, "page_size": 1}),
    ("?page=1&page_size=4", {"paging": {"page": 2, "page_size": 2}}, {"page": 1, "page_size": 4}),
])
async def test_search_paging_in_query_or_body(ef: EverflowClient, query: str, body: dict, expected: dict) -> None:
    """The docs show all three places; the query winning over the body is a guess."""
    _, answer, _ = await ef.post(f"/networks/affiliatestable{query}", body)
    assert answer["paging"] == expected | {"total_count": 5}


async def test_search_with_an_unsupported_search_type_is_400(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/affiliatestable",
                                    {"search_terms": [{"search_type": "email", "value": "x"}]})
    assert (status, body) == (400, {"error": "Invalid value for search_terms[0].search_type: 'email'. "
                                             "Supported values are: name"})


# -- update ------------------------------------------------------------------------------------------

async def test_put_is_a_full_replacement(ef: EverflowClient) -> None:
    """Documented: fields left out return to their defaults."""
    status, body, _ = await ef.put(f"/networks/affiliates/{BRIGHT_MEDIA}?relationship=billing",
                                   {"name": "Bright Media Group", "internal_notes": "renamed"})
    assert status == 200
    assert body["name"] == "Bright Media Group"
    assert body["labels"] == [] and body["network_employee_id"] == 0 and body["is_contact_address_enabled"] is False
    assert body["network_affiliate_tier_id"] == 1  # back to the default tier (guess)
    assert body["relationship"]["billing"] == {}
    assert body["time_created"] == 1769936400 and body["time_saved"] == NOW
    _, again, _ = await ef.get(f"/networks/affiliates/{BRIGHT_MEDIA}")
    assert again["internal_notes"] == "renamed" and "contact_address" not in again


async def test_put_checks_like_create(ef: EverflowClient) -> None:
    status, body, _ = await ef.put(f"/networks/affiliates/{COUPON_KINGS}", {"name": "X", "referrer_id": COUPON_KINGS})
    assert (status, body) == (400, {"error": f"Invalid referrer_id: {COUPON_KINGS}"})
    status, body, _ = await ef.put("/networks/affiliates/999", {"name": "X"})
    assert (status, body) == (404, {"error": "Affiliate not found"})


# -- pending verdict -----------------------------------------------------------------------------------

async def test_approve_moves_pending_to_active(ef: EverflowClient) -> None:
    status, body, _ = await ef.patch("/networks/affiliates/pending",
                                     {"network_affiliate_ids": [PENDING], "action": "approve"})
    assert (status, body) == (200, {"result": True})
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{PENDING}")
    assert affiliate["account_status"] == "active"


async def test_reject_moves_pending_to_inactive(ef: EverflowClient) -> None:
    """Guess: rejected signups become inactive."""
    await ef.patch("/networks/affiliates/pending", {"network_affiliate_ids": [PENDING], "action": "reject"})
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{PENDING}")
    assert affiliate["account_status"] == "inactive"


async def test_verdict_on_an_affiliate_that_is_not_pending_is_400_and_changes_nothing(ef: EverflowClient) -> None:
    """Guess: all or nothing."""
    status, body, _ = await ef.patch("/networks/affiliates/pending",
                                     {"network_affiliate_ids": [PENDING, BRIGHT_MEDIA], "action": "approve"})
    assert (status, body) == (400, {"error": f"Affiliate {BRIGHT_MEDIA} is not pending"})
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{PENDING}")
    assert affiliate["account_status"] == "pending"
    status, body, _ = await ef.patch("/networks/affiliates/pending",
                                     {"network_affiliate_ids": [999], "action": "approve"})
    assert (status, body) == (404, {"error": "Affiliate 999 not found"})


async def test_verdict_needs_a_known_action(ef: EverflowClient) -> None:
    status, body, _ = await ef.patch("/networks/affiliates/pending",
                                     {"network_affiliate_ids": [PENDING], "action": "maybe"})
    assert (status, body) == (400, {"error": "Invalid value for action: 'maybe'. Supported values are: approve, reject"})


# -- signup ------------------------------------------------------------------------------------------

SIGNUP = {"firstname": "Sue", "lastname": "Signer", "email": "sue@signer.example", "company": "Signer Co",
          "contact_address": {"address_1": "2 High St", "city": "London", "country_id": 231,
                              "zip_postal_code": "N1 9GU"},
          "legal_type": "llc", "password": "correct-horse-battery"}


async def test_signup_creates_a_pending_affiliate_with_its_user(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/affiliate/signup", SIGNUP)
    assert status == 200
    assert (body["name"], body["account_status"]) == ("Signer Co", "pending")
    assert body["contact_address"]["country_code"] == "GB"
    assert body["relationship"]["signup"]["email"] == "sue@signer.example"
    assert "password" not in body["relationship"]["signup"]
    _, users, _ = await ef.get(f"/networks/affiliates/{body['network_affiliate_id']}/users")
    assert [(u["first_name"], u["email"]) for u in users["users"]] == [("Sue", "sue@signer.example")]
    _, pending, _ = await ef.get("/networks/affiliates?filter=account_status%3Dpending")
    assert [a["network_affiliate_id"] for a in pending["affiliates"]] == [PENDING, body["network_affiliate_id"]]


@pytest.mark.parametrize("change, message", [
    ({"email": "carl@couponkings.example"}, "Email already in use"),
    ({"contact_address": SIGNUP["contact_address"] | {"country_id": 1}}, "Invalid contact_address.country_id: 1"),
    ({"password": "short"}, "password must be at least 12 characters"),
    ({"legal_type": "trust"}, "Invalid value for legal_type: 'trust'. Supported values are: individual, partnership, "
                              "corporation, sole_proprietorship, other, foreign, llc, llp, non_profit, non_us_entity"),
])
async def test_signup_checks(ef: EverflowClient, change: dict, message: str) -> None:
    status, body, _ = await ef.post("/networks/affiliate/signup", SIGNUP | change)
    assert (status, body) == (400, {"error": message})


async def test_signup_without_company_is_named_after_the_person(ef: EverflowClient) -> None:
    """Guess."""
    body = {k: v for k, v in SIGNUP.items() if k != "company"}
    _, created, _ = await ef.post("/networks/affiliate/signup", body)
    assert created["name"] == "Sue Signer"


# -- the live pending endpoint -----------------------------------------------------------------------

async def test_process_pending_sets_the_status_and_the_extras(ef: EverflowClient) -> None:
    """Documented path, body and answer."""
    status, body, _ = await ef.patch("/networks/pending/affiliates", {
        "network_affiliate_ids": [PENDING], "account_status": "active", "affiliate_manager_id": 2,
        "internal_notes": "Approved via API", "network_affiliate_tier_id": 2})
    assert (status, body) == (200, {"result": True})
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{PENDING}")
    assert (affiliate["account_status"], affiliate["network_employee_id"], affiliate["internal_notes"],
            affiliate["network_affiliate_tier_id"], affiliate["time_saved"]) == ("active", 2, "Approved via API", 2,
                                                                                 NOW)


@pytest.mark.parametrize("body, status, message", [
    ({"network_affiliate_ids": [PENDING, BRIGHT_MEDIA], "account_status": "active"}, 400,
     f"Affiliate {BRIGHT_MEDIA} is not pending"),
    ({"network_affiliate_ids": [999], "account_status": "active"}, 404, "Affiliate 999 not found"),
    ({"network_affiliate_ids": [PENDING], "account_status": "active", "affiliate_manager_id": 9}, 400,
     "Invalid affiliate_manager_id: 9"),
    ({"network_affiliate_ids": [PENDING], "account_status": "approved"}, 400,
     "Invalid value for account_status: 'approved'. Supported values are: active, inactive, pending, suspended"),
    ({"network_affiliate_ids": [], "account_status": "active"}, 400,
     "network_affiliate_ids must contain at least 1 item(s)"),
])
async def test_process_pending_checks(ef: EverflowClient, body: dict, status: int, message: str) -> None:
    """Guesses: only pending affiliates, all or nothing."""
    answer_status, answer, _ = await ef.patch("/networks/pending/affiliates", body)
    assert (answer_status, answer) == (status, {"error": message})
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{PENDING}")
    assert affiliate["account_status"] == "pending"


# -- bulk edit ---------------------------------------------------------------------------------------

SUSPEND = {"network_affiliate_ids": [COUPON_KINGS, DORMANT],
           "fields": [{"field_type": "account_status", "field_value": "suspended", "operator": "overwrite"}]}


async def test_bulk_edit_preview_changes_nothing(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/patch/affiliates/submit", SUSPEND)
    assert status == 200
    assert body["resource_errors"] == []
    assert body["changes"][0] == {
        "network_affiliate": {"network_affiliate_id": COUPON_KINGS, "network_id": 1, "name": "Coupon Kings",
                              "account_status": "active"},
        "change_status": "ok",
        "current_field": {"field_type": "account_status", "field_value": "active", "operator": "overwrite"},
        "changed_field": {"field_type": "account_status", "field_value": "suspended", "operator": "overwrite"},
        "error_message": "", "related_changes": ""}
    assert len(body["changes"]) == 2
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{COUPON_KINGS}")
    assert affiliate["account_status"] == "active"


async def test_bulk_edit_apply_suspends(ef: EverflowClient) -> None:
    """Documented: suspended is set through bulk edit."""
    status, body, _ = await ef.patch("/networks/patch/affiliates/apply", SUSPEND)
    assert (status, body) == (200, {"result": True})
    _, listed, _ = await ef.get("/networks/affiliates?filter=account_status%3Dsuspended")
    assert [a["network_affiliate_id"] for a in listed["affiliates"]] == [COUPON_KINGS, DORMANT, SUSPENDED]


async def test_bulk_edit_errors_show_in_the_preview_and_stop_the_apply(ef: EverflowClient) -> None:
    """Guess: per-change errors in the preview; the apply refuses them all."""
    bad = {"network_affiliate_ids": [COUPON_KINGS],
           "fields": [{"field_type": "network_affiliate_tier_id", "field_value": 9, "operator": "overwrite"},
                      {"field_type": "internal_notes", "field_value": "fine", "operator": "overwrite"}]}
    _, preview, _ = await ef.post("/networks/patch/affiliates/submit", bad)
    assert [(c["change_status"], c["error_message"]) for c in preview["changes"]] == [
        ("error", "Invalid value for network_affiliate_tier_id: 9"), ("ok", "")]
    status, body, _ = await ef.patch("/networks/patch/affiliates/apply", bad)
    assert (status, body) == (400, {"error": "Invalid value for network_affiliate_tier_id: 9"})
    _, affiliate, _ = await ef.get(f"/networks/affiliates/{COUPON_KINGS}")
    assert affiliate["internal_notes"] == ""


async def test_bulk_edit_unknown_affiliate(ef: EverflowClient) -> None:
    body = SUSPEND | {"network_affiliate_ids": [999]}
    _, preview, _ = await ef.post("/networks/patch/affiliates/submit", body)
    assert preview == {"changes": [], "resource_errors": ["Affiliate 999 not found"]}
    status, answer, _ = await ef.patch("/networks/patch/affiliates/apply", body)
    assert (status, answer) == (400, {"error": "Affiliate 999 not found"})


async def test_bulk_edit_field_types_and_operator_are_checked(ef: EverflowClient) -> None:
    body = {"network_affiliate_ids": [COUPON_KINGS],
            "fields": [{"field_type": "name", "field_value": "X", "operator": "overwrite"}]}
    status, answer, _ = await ef.patch("/networks/patch/affiliates/apply", body)
    assert status == 400
    assert answer["error"].startswith("Invalid value for fields[0].field_type: 'name'")


async def test_a_restored_snapshot_with_other_currencies_is_what_create_checks_against(ef: EverflowClient) -> None:
    """The known currency ids are kept per /meta list: a snapshot restore that brings another list is honoured."""
    body = {"name": "Yen Partners", "default_currency_id": "JPY"}
    status, answer, _ = await ef.post("/networks/affiliates", body)
    assert (status, answer) == (400, {"error": "Invalid default_currency_id: JPY"})
    saved = await (await ef.client.get("/_sandbox/tenants/default/snapshot")).json()
    saved["vendors"]["everflow"]["meta"]["currencies"].append(
        {"currency_id": "JPY", "currency_name": "Japanese Yen", "currency_symbol": "¥"})
    assert (await ef.client.put("/_sandbox/tenants/default/snapshot", json=saved)).status == 200
    status, answer, _ = await ef.post("/networks/affiliates", body)
    assert (status, answer["default_currency_id"]) == (200, "JPY")
