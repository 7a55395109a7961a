"""Everflow's signup pages and submissions in the docs mirror's form (issue 16): /networks/signup/affiliate
(GET/PUT the page, POST a submission), /networks/signup/affiliate/login, /networks/signup/advertiser (GET, POST);
and how the page settings bind the live POST /networks/affiliate/signup too."""
from __future__ import annotations

import pytest

from .conftest import NOW, PENDING, EverflowClient

DRAFT = {"company_name": "Partner LLC", "first_name": "Jane", "last_name": "Doe", "email": "jane@partner.example"}
LIVE = {"firstname": "Sue", "lastname": "Signer", "email": "sue@signer.example", "company": "Signer Co",
        "contact_address": {"address_1": "2 High St", "city": "London", "country_id": 231, "zip_postal_code": "N1"}}
PAGE = {"is_signup_enabled": True, "is_terms_and_conditions_enabled": True, "required_fields": [],
        "page_title": "", "welcome_message": "",
        "custom_fields": [
            {"network_custom_field_id": 1, "label": "Traffic Sources", "field_type": "text", "is_required": True,
             "status": "active"},
            {"network_custom_field_id": 2, "label": "Monthly Visitors", "field_type": "number",
             "is_required": False, "status": "active"}]}


async def test_the_affiliate_page_is_the_networks_portal_settings(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/signup/affiliate")
    assert (status, body) == (200, PAGE)
    status, body, _ = await ef.put("/networks/signup/affiliate", {
        "is_signup_enabled": True, "required_fields": ["phone"], "page_title": "Join us"})
    changed = PAGE | {"is_terms_and_conditions_enabled": False, "required_fields": ["phone"], "page_title": "Join us"}
    assert (status, body) == (200, changed)  # a setting left out goes back to its default
    assert (await ef.get("/networks/signup/affiliate"))[1] == changed
    _, portal, _ = await ef.get("/networks/settings/affiliateportal")
    assert (portal["is_terms_and_conditions_enabled"], portal["page_title"]) == (False, "Join us")


async def test_the_page_refuses_unknown_settings(ef: EverflowClient) -> None:
    status, body, _ = await ef.put("/networks/signup/affiliate", {"custom_fields": []})
    assert status == 400 and "custom_fields" in body["error"]
    status, body, _ = await ef.put("/networks/signup/affiliate", {"required_fields": ["email"]})
    assert status == 400 and "required_fields" in body["error"]


async def test_a_submission_makes_a_pending_affiliate_with_its_user(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/signup/affiliate",
                                    DRAFT | {"phone": "555", "custom_fields": {"1": "SEO", "Monthly Visitors": 900}})
    assert status == 200, body
    assert (body["name"], body["account_status"], body["network_affiliate_tier_id"]) == ("Partner LLC", "pending", 1)
    assert body["relationship"]["signup"] == {
        "company": "Partner LLC", "firstname": "Jane", "lastname": "Doe", "email": "jane@partner.example",
        "phone": "555", "custom_field_values": {"1": "SEO", "Monthly Visitors": 900}}
    assert "contact_address" not in body and body["is_contact_address_enabled"] is False
    _, users, _ = await ef.get(f"/networks/affiliates/{body['network_affiliate_id']}/users")
    assert [(u["first_name"], u["email"], u["work_phone"]) for u in users["users"]] == [
        ("Jane", "jane@partner.example", "555")]
    _, pending, _ = await ef.get("/networks/affiliates?filter=account_status%3Dpending")
    assert [a["network_affiliate_id"] for a in pending["affiliates"]] == [PENDING, body["network_affiliate_id"]]


@pytest.mark.parametrize("change, message", [
    ({"email": "carl@couponkings.example"}, "Email already in use"),
    ({"custom_fields": {"Favourite colour": "red"}}, "Invalid custom field: Favourite colour"),
])
async def test_submission_checks(ef: EverflowClient, change: dict, message: str) -> None:
    status, body, _ = await ef.post("/networks/signup/affiliate", DRAFT | change)
    assert (status, body) == (400, {"error": message})


async def test_submission_schema(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/signup/affiliate", {"email": "x@y.example"})
    assert (status, body) == (400, {"error": "Missing required field company_name"})
    status, body, _ = await ef.post("/networks/signup/affiliate", DRAFT | {"password": "short"})
    assert (status, body) == (400, {"error": "password must be at least 12 characters"})


async def test_the_page_settings_bind_both_signup_forms(ef: EverflowClient) -> None:
    await ef.put("/networks/signup/affiliate", {"is_signup_enabled": True, "required_fields": ["phone"]})
    status, body, _ = await ef.post("/networks/signup/affiliate", DRAFT)
    assert (status, body) == (400, {"error": "phone is required"})
    status, body, _ = await ef.post("/networks/affiliate/signup", LIVE)
    assert (status, body) == (400, {"error": "phone is required"})
    status, body, _ = await ef.post("/networks/affiliate/signup", LIVE | {"phone": "555"})
    assert status == 200
    await ef.put("/networks/signup/affiliate", {"is_signup_enabled": False})
    for path, payload in (("/networks/signup/affiliate", DRAFT), ("/networks/affiliate/signup", LIVE)):
        status, body, _ = await ef.post(path, payload)
        assert (status, body) == (400, {"error": "Affiliate signup is disabled"}), path


async def test_signup_and_login_gives_a_session_for_the_new_user(ef: EverflowClient) -> None:
    status, body, _ = await ef.post("/networks/signup/affiliate/login", DRAFT)
    assert (status, body) == (400, {"error": "Missing required field password"})
    status, body, _ = await ef.post("/networks/signup/affiliate/login", DRAFT | {"password": "correct-horse-12"})
    assert status == 200, body
    affiliate_id = body["affiliate"]["network_affiliate_id"]
    _, users, _ = await ef.get(f"/networks/affiliates/{affiliate_id}/users")
    session = body["session"]
    assert session["network_affiliate_user_id"] == users["users"][0]["network_affiliate_user_id"]
    assert len(session["token"]) == 32 and session["time_expires"] == NOW + 86400
    assert "password" not in body["affiliate"]["relationship"]["signup"]


async def test_an_advertiser_signup_makes_a_pending_advertiser(ef: EverflowClient) -> None:
    status, body, _ = await ef.get("/networks/signup/advertiser")
    assert (status, body) == (200, {"is_signup_enabled": True, "required_fields": [], "page_title": "",
                                    "welcome_message": ""})
    payload = {"company_name": "Brand Corp", "first_name": "John", "email": "john@brand.example"}
    status, body, _ = await ef.post("/networks/signup/advertiser", payload)
    assert (status, body) == (200, {
        "network_advertiser_id": 3, "network_id": 1, "name": "Brand Corp", "account_status": "pending",
        "relationship": {"signup": {"company": "Brand Corp", "firstname": "John", "email": "john@brand.example"}}})
    status, body, _ = await ef.post("/networks/signup/advertiser", payload | {"email": "JOHN@brand.example"})
    assert (status, body) == (400, {"error": "Email already in use"})
    status, body, _ = await ef.post("/networks/signup/advertiser", payload | {"email": "b@brand.example",
                                                                              "custom_fields": {"1": "x"}})
    assert (status, body) == (400, {"error": "Invalid custom field: 1"})
