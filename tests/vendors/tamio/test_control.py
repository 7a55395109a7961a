"""Control plane simulations under /_sandbox/tenants/{id}/tamio: signup, sale, payout settlement, settings."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from .conftest import (
    JANE,
    NOW,
    PAT_PENDING,
    PAYOUT,
    PROG_ACTIVE,
    PROG_EMPTY,
    PROG_PAUSED,
    PROG_REPEATING,
    RITA,
    UNKNOWN,
    TamioClient,
)


async def test_signup_creates_a_pending_affiliate(tamio: TamioClient) -> None:
    status, answer = await tamio.control("POST", f"programs/{PROG_ACTIVE}/signup", {
        "email": "newbie@example.com", "name": "New", "surname": "Bie", "country": "FR", "payments": ["paypal"]})
    assert status == 200
    affiliate = answer["affiliate"]
    assert affiliate == {
        "object": "affiliate", "id": affiliate["id"], "email": "newbie@example.com", "name": "New", "surname": "Bie",
        "address": None, "city": None, "state": None, "country": "FR", "postcode": None, "vat": None,
        "telephone": None, "billing_information": None, "bonus": 0, "balance": 0, "sales": 0, "referrals": 0,
        "approved": False, "date_joined": NOW, "language": "en", "payments": ["paypal"], "has_notes": False,
        "affiliate_program_id": PROG_ACTIVE, "affiliate_program_label": "20% commission", "currency": "EUR"}
    assert await tamio.get(f"/affiliates/retrieve/{affiliate['id']}") == (200, {"status": 200,
                                                                               "affiliate": affiliate})
    assert (await tamio.post(f"/affiliates/approve/{affiliate['id']}"))[1]["affiliate"]["approved"] is True


async def test_signup_to_an_auto_approving_program_is_approved(tamio: TamioClient) -> None:
    _, answer = await tamio.control("POST", f"programs/{PROG_REPEATING}/signup", {"email": "auto@example.com"})
    assert answer["affiliate"]["approved"] is True
    _, program = await tamio.get(f"/affiliate-programs/retrieve/{PROG_REPEATING}")
    assert program["program"]["affiliates"] == 2


@pytest.mark.parametrize("program_id, payload, status, code", [
    (PROG_PAUSED, {"email": "x@example.com"}, 409, "program_paused"),
    (PROG_ACTIVE, {"email": "spammer@example.com"}, 409, "blocked"),
    (PROG_ACTIVE, {"email": "JANE@example.com"}, 409, "duplicate"),
    (UNKNOWN, {"email": "x@example.com"}, 404, "program_not_found"),
    (PROG_ACTIVE, {}, 400, "invalid_body"),
    (PROG_ACTIVE, {"email": "x@example.com", "balance": 5}, 400, "invalid_body"),
])
async def test_signup_refusals(tamio: TamioClient, program_id: str, payload: dict, status: int, code: str) -> None:
    got, answer = await tamio.control("POST", f"programs/{program_id}/signup", payload)
    assert (got, answer["error"]["code"]) == (status, code)


async def test_the_same_email_may_join_another_program(tamio: TamioClient) -> None:
    status, _ = await tamio.control("POST", f"programs/{PROG_EMPTY}/signup", {"email": "jane@example.com"})
    assert status == 200


async def test_a_sale_credits_the_commission(tamio: TamioClient) -> None:
    status, answer = await tamio.control("POST", f"affiliates/{JANE}/sale", {"amount": 10000})
    assert (status, answer["commission"]) == (200, 2000)
    assert (answer["affiliate"]["balance"], answer["affiliate"]["sales"], answer["affiliate"]["referrals"]) == (
        17000, 43, 19)
    _, program = await tamio.get(f"/affiliate-programs/retrieve/{PROG_ACTIVE}")
    assert program["program"]["sales"] == 43


async def test_commission_is_amount_plus_percent_rounded_half_up(tamio: TamioClient) -> None:
    _, answer = await tamio.control("POST", f"affiliates/{RITA}/sale", {"amount": 100})  # 10.5% of 100 = 10.5
    assert answer["commission"] == 11
    _, created = await tamio.post("/affiliate-programs/create", {
        "commission_amount": 500, "commission_percent": 10, "currency": "USD", "payments": ["stripe"],
        "destinations": ["worldwide"], "languages": {"en": {"label": "Mixed", "description": ""}}})
    program_id = created["program"]["id"]
    _, signed = await tamio.control("POST", f"programs/{program_id}/signup", {"email": "mix@example.com"})
    await tamio.post(f"/affiliates/approve/{signed['affiliate']['id']}")
    _, answer = await tamio.control("POST", f"affiliates/{signed['affiliate']['id']}/sale", {"amount": 2000})
    assert answer["commission"] == 700


@pytest.mark.parametrize("affiliate_id, payload, status, code", [
    (PAT_PENDING, {"amount": 100}, 409, "affiliate_not_approved"),
    (UNKNOWN, {"amount": 100}, 404, "affiliate_not_found"),
    (JANE, {"amount": 0}, 400, "invalid_body"),
    (JANE, {"amount": 9.99}, 400, "invalid_body"),
])
async def test_sale_refusals(tamio: TamioClient, affiliate_id: str, payload: dict, status: int, code: str) -> None:
    got, answer = await tamio.control("POST", f"affiliates/{affiliate_id}/sale", payload)
    assert (got, answer["error"]["code"]) == (status, code)


async def test_pay_a_payout(tamio: TamioClient) -> None:
    assert await tamio.control("POST", f"payouts/{PAYOUT}/pay") == (200, {"id": PAYOUT, "status": "paid",
                                                                         "paid": True})
    _, answer = await tamio.get(f"/affiliates/payouts/retrieve/{PAYOUT}")
    assert (answer["payout"]["paid"], answer["payout"]["status"]) == (True, "paid")
    status, answer = await tamio.control("POST", f"payouts/{UNKNOWN}/pay")
    assert (status, answer["error"]["code"]) == (404, "payout_not_found")


@pytest.mark.parametrize("payload", [{"merchant_billing_information": "no"}, {"currency": "EUR"}, {}])
async def test_settings_refusals(tamio: TamioClient, payload: dict) -> None:
    status, answer = await tamio.control("POST", "settings", payload)
    assert (status, answer["error"]["code"]) == (400, "invalid_body")


async def test_reset_brings_the_fixtures_back(client: TestClient, tamio: TamioClient) -> None:
    await tamio.control("POST", f"affiliates/{JANE}/sale", {"amount": 10000})
    await tamio.control("POST", "settings", {"merchant_billing_information": False})
    await client.post("/_sandbox/reset?tenant=default")
    _, answer = await tamio.get(f"/affiliates/retrieve/{JANE}")
    assert answer["affiliate"]["balance"] == 15000
    assert (await tamio.post(f"/affiliates/payouts/create/{JANE}", {"payment": "stripe"}))[0] == 200


async def test_actions_are_listed(client: TestClient) -> None:
    response = await client.get("/_sandbox/actions")
    paths = {(a["method"], a["path"]) for a in (await response.json())["data"] if a["vendor"] == "tamio"}
    assert paths == {("POST", "/_sandbox/tenants/{id}/tamio/programs/{program_id}/signup"),
                     ("POST", "/_sandbox/tenants/{id}/tamio/affiliates/{affiliate_id}/sale"),
                     ("POST", "/_sandbox/tenants/{id}/tamio/payouts/{payout_id}/pay"),
                     ("POST", "/_sandbox/tenants/{id}/tamio/settings"),
                     ("GET", "/_sandbox/tenants/{id}/tamio/emails")}
